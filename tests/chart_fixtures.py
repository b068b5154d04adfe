"""Tables for the chart tests, from the one fixture dataset (``tests/fixture_data/``).

Every table goes through the real loader (``data_helpers.load_fixture``), so it is checked
and typed exactly as in the notebooks: ``make_periods()``, ``make_events()``,
``make_indicators()`` and ``make_un_votes()`` are the loaded fixture tables, and
``make_*(rows)`` loads the dataset with that table replaced by CSV-style rows, written
with :func:`period`, :func:`event`, :func:`indicator` and :func:`vote` (each copies a
fixture row and sets some cells). Events are the exception: other tables refer to the
fixture's events, so ``make_events(rows)`` loads the rows next to them and keeps only
the rows given.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from data_helpers import fixture_rows, load_fixture


def _cells(**values: Any) -> dict[str, str]:
    """Values written as the CSV files write them (None: empty; booleans: true/false)."""
    return {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in values.items()
    }


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
) -> dict[str, str]:
    """A CSV-style events row, copied from the fixture's ``agreements_1957`` with these values
    (``period``: by default the collection period of ``year``)."""
    (row,) = (r for r in fixture_rows("events") if r["id"] == "agreements_1957")
    return {
        **row,
        **_cells(
            id=id,
            year=year,
            month=month,
            day=day,
            approximate=approximate,
            end_year=end_year,
            end_month=end_month,
            end_day=end_day,
            title=title or f"Event {id}",
            category=category,
            period=period or collection_period(year),
        ),
    }


def make_events(rows: list[dict[str, str]] | None = None) -> pd.DataFrame:
    """The fixture's events table as the loader types it; with ``rows`` (CSV-style), the loaded
    table of exactly those events. They are loaded next to the fixture's other events, which
    other tables refer to, and only they are kept."""
    if rows is None:
        return load_fixture().events
    given = {r["id"] for r in rows}
    kept = [r for r in fixture_rows("events") if r["id"] not in given]
    events = load_fixture(events=kept + rows).events
    keep = events["id"].isin([r["id"] for r in rows])
    return events.loc[keep].reset_index(drop=True)


def many_events(n: int, first_year: int = 1955, last_year: int = 2024) -> pd.DataFrame:
    """``n`` events spread evenly over the years, cycling through the categories."""
    categories = list(load_fixture().events["category"].cat.categories)
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
                category=categories[i % len(categories)],
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
