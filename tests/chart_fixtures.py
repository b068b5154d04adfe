"""Small hand-made typed tables for the chart tests.

Each builder returns a DataFrame shaped exactly like the typed table of the
project contract (tables.load_*): enum columns as Categoricals in schema
order, integers as "Int64", booleans as "boolean", ``sources`` as tuples of
(source_id, locator) pairs, and the derived columns (events: precision,
start, end, date_label; un_votes: date). Tests build variations with the
keyword arguments instead of reading the shipped data.
"""

from __future__ import annotations

import calendar
from typing import Any

import pandas as pd

EVENT_CATEGORIES = [
    "diplomacy",
    "aid and economy",
    "military and security",
    "education and culture",
    "politics inside Cambodia",
    "international context",
]
VERIFICATION = ["verified", "partly verified", "unverified", "contradicted", "source only"]
SCHEMES = ["collection", "mosyakov", "kin_phea"]
DIRECTIONS = ["Cambodia to Russia", "Russia to Cambodia", "both ways", "not applicable"]
BOUNDS = ["exact", "about", "more than", "less than", "up to"]
BODIES = ["General Assembly", "Security Council", "Human Rights Council"]
VOTES = ["yes", "no", "abstain", "absent", "not a member", "unknown"]


def _int(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def _cat(values: list[Any], categories: list[str]) -> pd.Categorical:
    return pd.Categorical(values, categories=categories)


# --------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------

COLLECTION_PERIODS = [
    # id, order, name, start, end
    ("sihanouk_1955_1970", 1, "Sihanouk's neutral Cambodia", 1955, 1970),
    ("rupture_1970_1979", 2, "War, revolution and rupture", 1970, 1979),
    ("prk_1979_1991", 3, "The People's Republic and Soviet aid", 1979, 1991),
    ("crossroads_1991_1993", 4, "At the crossroads", 1991, 1993),
    ("renewal_1993_2021", 5, "A slow renewal", 1993, 2021),
    ("ukraine_2022_2024", 6, "The Ukraine votes", 2022, None),
]
OTHER_PERIODS = [
    ("mosyakov_1", "mosyakov", 1, "Rapprochement under Sihanouk", 1955, 1970),
    ("mosyakov_2", "mosyakov", 2, "Almost complete break", 1970, 1979),
    ("mosyakov_3", "mosyakov", 3, "Most active cooperation", 1979, 1991),
    ("mosyakov_4", "mosyakov", 4, "Cooling", 1991, 2016),
    ("mosyakov_5", "mosyakov", 5, "Russia as a counterbalance", 2016, None),
    ("kin_phea_1", "kin_phea", 1, "Very special relations", 1956, 1970),
    ("kin_phea_2", "kin_phea", 2, "Relations not good", 1970, 1979),
    ("kin_phea_3", "kin_phea", 3, "Very healthy relations", 1979, 1991),
    ("kin_phea_4", "kin_phea", 4, "At the crossroads", 1991, 1993),
    ("kin_phea_5", "kin_phea", 5, "Strengthened and broadened", 1993, 2021),
]


def make_periods(
    extra: list[tuple[Any, ...]] | None = None, collection_only: bool = False
) -> pd.DataFrame:
    """The typed periods table: the six collection periods and two other schemes.

    ``extra`` rows are (id, scheme, order, name, start_year, end_year).
    """
    rows = [(pid, "collection", o, name, s, e) for pid, o, name, s, e in COLLECTION_PERIODS]
    if not collection_only:
        rows += OTHER_PERIODS
    rows += list(extra or [])
    stems = {
        "sihanouk_1955_1970": "01_sihanouk_1955_1970",
        "rupture_1970_1979": "02_rupture_1970_1979",
        "prk_1979_1991": "03_prk_1979_1991",
        "crossroads_1991_1993": "04_crossroads_1991_1993",
        "renewal_1993_2021": "05_renewal_1993_2021",
        "ukraine_2022_2024": "06_ukraine_votes_2022_2024",
    }
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            # A scheme a teacher adds is added to the enum too (as the schema would be).
            "scheme": _cat(
                [r[1] for r in rows], SCHEMES + sorted({r[1] for r in rows} - set(SCHEMES))
            ),
            "order": _int([r[2] for r in rows]),
            "name": [r[3] for r in rows],
            "start_year": _int([r[4] for r in rows]),
            "end_year": _int([r[5] for r in rows]),
            "opens_with": ["a turning point"] * len(rows),
            "closes_with": ["another turning point"] * len(rows),
            "summary": ["A short neutral summary."] * len(rows),
            "sources": [(("mosyakov_2021", "para 4"),)] * len(rows),
            "notebook": [stems.get(r[0], pd.NA) for r in rows],
        }
    ).astype({"notebook": "str"})


# --------------------------------------------------------------------------
# events
# --------------------------------------------------------------------------


def _last_day(year: int, month: int | None, day: int | None) -> pd.Timestamp:
    if day is not None:
        return pd.Timestamp(year, month, day)
    if month is not None:
        return pd.Timestamp(year, month, calendar.monthrange(year, month)[1])
    return pd.Timestamp(year, 12, 31)


def _label(year: int, month: int | None, day: int | None, approximate: bool) -> str:
    parts = (
        ([str(day)] if day else []) + ([calendar.month_name[month]] if month else []) + [str(year)]
    )
    text = " ".join(parts)
    return f"c. {text}" if approximate else text


def event(
    id: str,
    year: int,
    month: int | None = None,
    day: int | None = None,
    *,
    approximate: bool = False,
    end_year: int | None = None,
    end_month: int | None = None,
    end_day: int | None = None,
    title: str | None = None,
    category: str = "diplomacy",
    period: str | None = None,
) -> dict[str, Any]:
    """One event row (as a dict) for :func:`make_events`."""
    if period is None:
        period = next(
            pid
            for pid, _o, _n, s, e in COLLECTION_PERIODS
            if s <= year and (e is None or year <= e)
        )
    return {
        "id": id,
        "year": year,
        "month": month,
        "day": day,
        "approximate": approximate,
        "end_year": end_year,
        "end_month": end_month,
        "end_day": end_day,
        "title": title or f"Event {id}",
        "description": "A short description.",
        "category": category,
        "period": period,
    }


DEFAULT_EVENTS = [
    event(
        "relations_1956",
        1956,
        5,
        13,
        title="Diplomatic relations established",
        period="sihanouk_1955_1970",
    ),
    event("hospital_1960", 1960, category="aid and economy", title="Soviet-built hospital opens"),
    event(
        "institute_1964",
        1964,
        approximate=True,
        category="education and culture",
        title="Technical institute handed over",
    ),
    event(
        "coup_1970",
        1970,
        3,
        18,
        category="politics inside Cambodia",
        title="Sihanouk deposed",
        period="rupture_1970_1979",
    ),
    event(
        "recognition_1979",
        1979,
        2,
        category="diplomacy",
        title="USSR recognises the new government",
        period="prk_1979_1991",
    ),
    event(
        "advisers_1980",
        1980,
        end_year=1989,
        category="military and security",
        title="Soviet advisers in Cambodia",
    ),
    event(
        "students_1985", 1985, category="education and culture", title="Students study in the USSR"
    ),
    event(
        "paris_1991",
        1991,
        10,
        23,
        category="international context",
        title="Paris Peace Agreements",
        period="prk_1979_1991",
    ),
    event("medvedev_2015", 2015, 11, 23, category="diplomacy", title="Medvedev visits Phnom Penh"),
    event(
        "vote_2022",
        2022,
        3,
        2,
        category="international context",
        title="Cambodia votes for ES-11/1",
    ),
]


def make_events(rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The typed events table built from :func:`event` dicts (default: 10 events)."""
    rows = DEFAULT_EVENTS if rows is None else rows
    records = []
    for r in rows:
        start = pd.Timestamp(r["year"], r["month"] or 1, r["day"] or 1)
        if r["end_year"] is not None:
            end = _last_day(r["end_year"], r["end_month"], r["end_day"])
            first = _label(r["year"], r["month"], r["day"], r["approximate"])
            label = f"{first}–{_label(r['end_year'], r['end_month'], r['end_day'], False)}"
        else:
            end = _last_day(r["year"], r["month"], r["day"])
            label = _label(r["year"], r["month"], r["day"], r["approximate"])
        precision = "day" if r["day"] else "month" if r["month"] else "year"
        records.append(
            {
                **r,
                "people": (),
                "sources": (("kin_phea_2021", "para 3"), ("X04", "")),
                "verification": "verified",
                "contested": False,
                "topic": pd.NA,
                "precision": precision,
                "start": start,
                "end": end,
                "date_label": label,
            }
        )
    columns = [
        "id",
        "year",
        "month",
        "day",
        "approximate",
        "end_year",
        "end_month",
        "end_day",
        "title",
        "description",
        "category",
        "period",
        "people",
        "sources",
        "verification",
        "contested",
        "topic",
        "precision",
        "start",
        "end",
        "date_label",
    ]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in ("year", "month", "day", "end_year", "end_month", "end_day"):
        frame[col] = frame[col].astype("Int64")
    for col in ("approximate", "contested"):
        frame[col] = frame[col].astype("boolean")
    frame["category"] = _cat(list(frame["category"]), EVENT_CATEGORIES)
    frame["verification"] = _cat(list(frame["verification"]), VERIFICATION)
    frame["precision"] = _cat(list(frame["precision"]), ["day", "month", "year"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    for col in ("id", "title", "description", "period", "date_label", "topic"):
        frame[col] = frame[col].astype("str")
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def many_events(n: int, first_year: int = 1955, last_year: int = 2024) -> pd.DataFrame:
    """``n`` events spread evenly over the years, cycling through the categories."""
    rows = []
    span = last_year - first_year + 1
    for i in range(n):
        year = first_year + (i * span) // n
        kind = i % 3
        rows.append(
            event(
                f"e{i:05d}",
                year,
                month=(i % 12) + 1 if kind else None,
                day=(i % 27) + 1 if kind == 2 else None,
                title=f"Event number {i} with a fairly long headline",
                category=EVENT_CATEGORIES[i % len(EVENT_CATEGORIES)],
            )
        )
    return make_events(rows)


# --------------------------------------------------------------------------
# indicators
# --------------------------------------------------------------------------


def indicator(
    id: str,
    year: int,
    value: float,
    *,
    indicator: str = "trade_turnover",
    label: str = "Trade turnover",
    direction: str = "both ways",
    end_year: int | None = None,
    unit: str = "million USD",
    bound: str = "exact",
    system: str = "Russian Federal Customs Service",
) -> dict[str, Any]:
    """One indicators row (as a dict) for :func:`make_indicators`."""
    return {
        "id": id,
        "indicator": indicator,
        "label": label,
        "direction": direction,
        "year": year,
        "end_year": end_year,
        "value": value,
        "unit": unit,
        "bound": bound,
        "system": system,
    }


DEFAULT_INDICATORS = [
    indicator("trade_2012", 2012, 239, system="Russian ambassador's statement"),
    indicator("trade_2015", 2015, 110.7),
    indicator("trade_2019", 2019, 56.98, system="Cambodian Ministry of Commerce"),
    indicator("trade_2020", 2020, 67.37, system="Cambodian Ministry of Commerce"),
    indicator(
        "imports_2020",
        2020,
        200,
        indicator="exports",
        label="Exports",
        direction="Cambodia to Russia",
        bound="more than",
    ),
    indicator(
        "exports_2020",
        2020,
        20,
        indicator="exports",
        label="Exports",
        direction="Russia to Cambodia",
        bound="about",
    ),
    indicator(
        "exports_2021",
        2021,
        60,
        indicator="exports",
        label="Exports",
        direction="Cambodia to Russia",
        bound="about",
        system="UN COMTRADE",
    ),
    indicator(
        "exports_2022",
        2022,
        13.65,
        indicator="exports",
        label="Exports",
        direction="Cambodia to Russia",
        system="UN COMTRADE",
    ),
    indicator(
        "aid_1955",
        1955,
        12,
        indicator="aid",
        label="Soviet aid",
        direction="Russia to Cambodia",
        end_year=1960,
        bound="about",
        system="not stated",
    ),
    indicator(
        "students_2023",
        2023,
        8000,
        indicator="students_trained",
        label="Cambodians trained",
        direction="not applicable",
        unit="people",
        bound="more than",
        system="not stated",
    ),
    indicator(
        "scholarships_2024",
        2024,
        40,
        indicator="scholarships",
        label="Scholarships",
        direction="Russia to Cambodia",
        unit="scholarships",
        bound="up to",
        system="not stated",
    ),
    indicator(
        "scholarships_2023",
        2023,
        25,
        indicator="scholarships",
        label="Scholarships",
        direction="Russia to Cambodia",
        unit="scholarships",
        system="not stated",
    ),
    indicator(
        "debt_2001",
        2001,
        800,
        indicator="debt",
        label="Debt",
        direction="Cambodia to Russia",
        bound="less than",
        system="not stated",
    ),
]


def make_indicators(rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The typed indicators table built from :func:`indicator` dicts."""
    rows = DEFAULT_INDICATORS if rows is None else rows
    frame = pd.DataFrame.from_records(
        [{**r, "sources": (("X66", ""),), "note": pd.NA} for r in rows],
        columns=[
            "id",
            "indicator",
            "label",
            "direction",
            "year",
            "end_year",
            "value",
            "unit",
            "bound",
            "system",
            "sources",
            "note",
        ],
    )
    frame["year"] = frame["year"].astype("Int64")
    frame["end_year"] = frame["end_year"].astype("Int64")
    frame["value"] = frame["value"].astype("float64")
    frame["direction"] = _cat(list(frame["direction"]), DIRECTIONS)
    frame["bound"] = _cat(list(frame["bound"]), BOUNDS)
    for col in ("id", "indicator", "label", "unit", "system", "note"):
        frame[col] = frame[col].astype("str")
    return frame


# --------------------------------------------------------------------------
# un_votes
# --------------------------------------------------------------------------


def vote(
    id: str,
    year: int,
    month: int,
    day: int,
    tally: tuple[int | None, int | None, int | None, int | None],
    cambodia_vote: str,
    *,
    body: str = "General Assembly",
    symbol: str | None = None,
    title: str | None = None,
    sponsor: bool | None = None,
    period: str = "ukraine_2022_2024",
) -> dict[str, Any]:
    """One un_votes row (as a dict) for :func:`make_un_votes`."""
    yes, no, abstain, absent = tally
    return {
        "id": id,
        "year": year,
        "month": month,
        "day": day,
        "body": body,
        "symbol": symbol if symbol is not None else id.upper(),
        "title": title or f"Resolution {id}",
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "absent": absent,
        "cambodia_vote": cambodia_vote,
        "cambodia_sponsor": sponsor,
        "period": period,
    }


DEFAULT_VOTES = [
    vote(
        "es11_1",
        2022,
        3,
        2,
        (141, 5, 35, 12),
        "yes",
        symbol="A/RES/ES-11/1",
        title="Aggression against Ukraine",
        sponsor=True,
    ),
    vote(
        "es11_2",
        2022,
        3,
        24,
        (140, 5, 38, 10),
        "yes",
        symbol="A/RES/ES-11/2",
        title="Humanitarian consequences",
        sponsor=True,
    ),
    vote(
        "es11_3",
        2022,
        4,
        7,
        (93, 24, 58, 18),
        "abstain",
        symbol="A/RES/ES-11/3",
        title="Suspension from the Human Rights Council",
        sponsor=False,
    ),
    vote(
        "es11_4",
        2022,
        10,
        12,
        (143, 5, 35, 10),
        "yes",
        symbol="A/RES/ES-11/4",
        title="Territorial integrity of Ukraine",
        sponsor=True,
    ),
    vote(
        "es11_5",
        2022,
        11,
        14,
        (94, 14, 73, 12),
        "abstain",
        symbol="A/RES/ES-11/5",
        title="Remedy and reparation",
        sponsor=None,
    ),
    vote(
        "es11_6",
        2023,
        2,
        23,
        (141, 7, 32, 13),
        "yes",
        symbol="A/RES/ES-11/6",
        title="Principles for a peace in Ukraine",
        sponsor=None,
    ),
]


def make_un_votes(rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """The typed un_votes table built from :func:`vote` dicts (default: six votes)."""
    rows = DEFAULT_VOTES if rows is None else rows
    frame = pd.DataFrame.from_records(
        [{**r, "sources": (("X54", "vote tally"),), "note": pd.NA} for r in rows],
        columns=[
            "id",
            "year",
            "month",
            "day",
            "body",
            "symbol",
            "title",
            "yes",
            "no",
            "abstain",
            "absent",
            "cambodia_vote",
            "cambodia_sponsor",
            "period",
            "sources",
            "note",
        ],
    )
    for col in ("year", "month", "day", "yes", "no", "abstain", "absent"):
        frame[col] = frame[col].astype("Int64")
    frame["cambodia_sponsor"] = frame["cambodia_sponsor"].astype("boolean")
    frame["body"] = _cat(list(frame["body"]), BODIES)
    frame["cambodia_vote"] = _cat(list(frame["cambodia_vote"]), VOTES)
    for col in ("id", "symbol", "title", "period", "note"):
        frame[col] = frame[col].astype("str")
    frame["date"] = pd.to_datetime(
        {
            "year": frame["year"].astype(int),
            "month": frame["month"].astype(int),
            "day": frame["day"].astype(int),
        }
    )
    return frame


# --------------------------------------------------------------------------
# finding what a chart drew
# --------------------------------------------------------------------------


def artists(figure: Any, prefix: str) -> list[Any]:
    """Every artist of the figure (axes children, figure texts) whose gid starts with ``prefix``."""
    found = []
    for ax in figure.axes:
        for artist in ax.get_children():
            gid = artist.get_gid()
            if gid is not None and gid.startswith(prefix):
                found.append(artist)
    for artist in figure.texts:
        gid = artist.get_gid()
        if gid is not None and gid.startswith(prefix):
            found.append(artist)
    return found


def gid_map(figure: Any, prefix: str) -> dict[str, Any]:
    """``{rest of gid: artist}`` for the artists whose gid starts with ``prefix``."""
    return {a.get_gid()[len(prefix) :]: a for a in artists(figure, prefix)}


def title_text(figure: Any) -> str:
    """The chart's title as one line."""
    (title,) = artists(figure, "title")
    return " ".join(title.get_text().split())
