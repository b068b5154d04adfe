"""Tables for the chart tests.

Periods, indicators and UN votes come from the one fixture dataset (``tests/fixture_data/``) through
the real loader: ``make_periods()`` / ``make_un_votes()`` are the loaded tables, and
``make_*(rows)`` loads the dataset with that table replaced by CSV-style rows (built with
:func:`period`, :func:`indicator` / :func:`vote`, which copy a fixture row and set some cells).

Events are still a hand-built typed table shaped like the loader's
(``tables.load_*``): enum columns as Categoricals in schema order, integers as "Int64",
booleans as "boolean", ``sources`` as tuples of (source_id, locator) pairs, and the
derived event columns (precision, start, end, date_label).
"""

from __future__ import annotations

import calendar
from typing import Any

import pandas as pd

from data_helpers import fixture_rows, load_fixture

EVENT_CATEGORIES = [
    "diplomacy",
    "aid and economy",
    "military and security",
    "education and culture",
    "politics inside Cambodia",
    "international context",
]
VERIFICATION = ["verified", "partly verified", "unverified", "contradicted", "source only"]


def _cells(**values: Any) -> dict[str, str]:
    """Values written as the CSV files write them (None: empty; booleans: true/false)."""
    return {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in values.items()
    }


def _int(values: list[Any]) -> pd.Series:
    return pd.Series(values, dtype="Int64")


def _cat(values: list[Any], categories: list[str]) -> pd.Categorical:
    return pd.Categorical(values, categories=categories)


# --------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------


def make_periods(rows: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The fixture's periods table as the loader types it (``rows``: CSV-style rows instead)."""
    return load_fixture().periods if rows is None else load_fixture(periods=rows).periods


def period(
    id: str, scheme: str, order: int, name: str, start_year: int, end_year: int | None = None
) -> dict[str, str]:
    """A CSV-style periods row, copied from the fixture's first period with these values."""
    row = fixture_rows("periods")[0]
    return {
        **row,
        **_cells(
            id=id,
            scheme=scheme,
            order=order,
            name=name,
            start_year=start_year,
            end_year=end_year,
            opens_with=None,
            closes_with=None,
            # A collection period has a notebook of its own (named like the shipped ones).
            notebook=f"{order:02d}_{id}" if scheme == "collection" else None,
        ),
    }


def collection_period(year: int) -> str:
    """The id of the first fixture collection period that includes ``year``."""
    return next(
        r["id"]
        for r in sorted(fixture_rows("periods"), key=lambda r: int(r["order"]))
        if r["scheme"] == "collection"
        and int(r["start_year"]) <= year
        and (not r["end_year"] or year <= int(r["end_year"]))
    )


def collection_period_ids() -> list[str]:
    """The ids of the fixture's collection periods, in their order."""
    rows = [r for r in fixture_rows("periods") if r["scheme"] == "collection"]
    return [r["id"] for r in sorted(rows, key=lambda r: int(r["order"]))]


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
        period = collection_period(year)
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
) -> dict[str, str]:
    """A CSV-style indicators row, copied from the fixture's ``trade_2015`` with these values."""
    (row,) = (r for r in fixture_rows("indicators") if r["id"] == "trade_2015")
    return {
        **row,
        **_cells(
            id=id,
            indicator=indicator,
            label=label,
            direction=direction,
            year=year,
            end_year=end_year,
            value=value,
            unit=unit,
            bound=bound,
            system=system,
            note=None,
        ),
    }


def make_indicators(rows: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The fixture's indicators table as the loader types it (``rows``: CSV-style rows instead)."""
    if rows is None:
        return load_fixture().indicators
    return load_fixture(indicators=rows).indicators


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
) -> dict[str, str]:
    """A CSV-style un_votes row, copied from the fixture's first vote with these values."""
    yes, no, abstain, absent = tally
    row = fixture_rows("un_votes")[0]
    return {
        **row,
        **_cells(
            id=id,
            year=year,
            month=month,
            day=day,
            body=body,
            symbol=symbol if symbol is not None else id.upper(),
            title=title or f"Resolution {id}",
            yes=yes,
            no=no,
            abstain=abstain,
            absent=absent,
            cambodia_vote=cambodia_vote,
            cambodia_sponsor=sponsor,
            period=collection_period(year),
            note=None,
        ),
    }


def make_un_votes(rows: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The fixture's un_votes table as the loader types it (``rows``: CSV-style rows instead)."""
    return load_fixture().un_votes if rows is None else load_fixture(un_votes=rows).un_votes


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
