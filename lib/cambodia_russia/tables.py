"""The tables as typed pandas DataFrames.

Each ``load_<table>(data_dir=None)`` checks the whole data folder first
(:func:`cambodia_russia.schema.check`) and raises :class:`~cambodia_russia.schema.DataError`
if anything is wrong, then returns one table. :func:`load_all` returns all of them as a
:class:`Tables` object.

Types come from ``datapackage.json``:

=====================  ==================================================================
schema                 pandas
=====================  ==================================================================
``enum``               ``Categorical``, categories in the schema's order
``integer``            ``Int64`` (missing: ``<NA>``)
``number``             ``float64`` (missing: ``NaN``)
``boolean``            ``boolean`` (missing: ``<NA>``)
``x-list``             tuples of strings (missing: the empty tuple ``()``)
``x-citations``        tuples of ``(source_id, locator)`` pairs, locator ``""`` if none
other text             ``str`` (missing: ``NaN``)
=====================  ==================================================================

Extra columns: ``events`` gets ``precision`` (Categorical: day, month, year), ``start``
(first day covered), ``end`` (last day covered: 31 December for a year, the month's last
day for a month, the end columns when given) and ``date_label`` ("18 March 1970",
"c. 1956", "1970–1973"), and its rows are sorted by ``start``, then ``id``. ``un_votes``
gets ``date`` (the first day the date covers), ``precision`` and ``date_label``.
``digest`` is sorted by ``source``, then ``paragraph``. The
``period`` columns of events, topics and UN votes are Categorical in the periods' time
order (the collection's periods first). In ``periods``, a missing ``end_year`` means the period is still open.

Caching: results are cached per data folder, keyed by the files' ``mtime_ns`` and sizes
(see :mod:`cambodia_russia.schema`). Every call returns **copies**: a notebook that changes
a returned DataFrame never changes what the next call returns. With pandas' Copy-on-Write
the copies are cheap.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema as _schema
from .dates import PRECISIONS, span_label
from .schema import DataError

__all__ = [
    "TABLE_NAMES",
    "Tables",
    "clear_cache",
    "load_all",
    "load_claims",
    "load_digest",
    "load_events",
    "load_exercises",
    "load_glossary",
    "load_lab_solutions",
    "load_indicators",
    "load_people",
    "load_periods",
    "load_quiz",
    "load_sources",
    "load_topics",
    "load_un_votes",
]

PathLike = str | os.PathLike[str] | None


@dataclass(frozen=True)
class Tables:
    """All the tables, one DataFrame per attribute."""

    sources: pd.DataFrame
    periods: pd.DataFrame
    events: pd.DataFrame
    people: pd.DataFrame
    topics: pd.DataFrame
    claims: pd.DataFrame
    indicators: pd.DataFrame
    un_votes: pd.DataFrame
    glossary: pd.DataFrame
    lab_solutions: pd.DataFrame
    quiz: pd.DataFrame
    exercises: pd.DataFrame
    digest: pd.DataFrame

    def __iter__(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """Iterate over ``(name, DataFrame)`` pairs in schema order."""
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def copy(self) -> Tables:
        """A copy whose DataFrames can be changed without touching this one."""
        return Tables(**{name: frame.copy() for name, frame in self})


#: The table names, in the order of ``datapackage.json``.
TABLE_NAMES: tuple[str, ...] = tuple(f.name for f in fields(Tables))


# ---------------------------------------------------------------------------------------
# Building typed columns
# ---------------------------------------------------------------------------------------


def _column(f: _schema.Field, values: Sequence[Any]) -> Any:
    if f.is_list:
        return pd.Series([v if v is not None else () for v in values], dtype=object)
    if f.enum is not None:
        return pd.Categorical(values, categories=list(f.enum))
    if f.type == "integer":
        return pd.array(values, dtype="Int64")
    if f.type == "number":
        return pd.Series(values, dtype="float64")
    if f.type == "boolean":
        return pd.array(values, dtype="boolean")
    return pd.Series(values, dtype="str")


def _frame(resource: _schema.Resource, rows: Sequence[_schema.Row]) -> pd.DataFrame:
    data = {f.name: _column(f, [row.values[f.name] for row in rows]) for f in resource.fields}
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _dates(values: list[Any]) -> pd.Series:
    return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")


def _extend_events(frame: pd.DataFrame, rows: Sequence[_schema.Row]) -> pd.DataFrame:
    starts, ends, precisions, labels = [], [], [], []
    for row in rows:
        start = row.dates["start"]
        end = row.dates.get("end")
        starts.append(start.first_day)
        ends.append((end or start).last_day)
        precisions.append(start.precision)
        labels.append(span_label(start, end))
    frame["precision"] = pd.Categorical(precisions, categories=list(PRECISIONS))
    frame["start"] = _dates(starts)
    frame["end"] = _dates(ends)
    frame["date_label"] = pd.Series(labels, dtype="str")
    return frame.sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def _extend_un_votes(frame: pd.DataFrame, rows: Sequence[_schema.Row]) -> pd.DataFrame:
    starts = [row.dates["start"] for row in rows]
    frame["date"] = _dates([start.first_day for start in starts])
    frame["precision"] = pd.Categorical([s.precision for s in starts], categories=list(PRECISIONS))
    frame["date_label"] = pd.Series([span_label(s, None) for s in starts], dtype="str")
    return frame


def _sort_digest(frame: pd.DataFrame, rows: Sequence[_schema.Row]) -> pd.DataFrame:
    return frame.sort_values(["source", "paragraph"], kind="stable").reset_index(drop=True)


_EXTRA: dict[str, Callable[[pd.DataFrame, Sequence[_schema.Row]], pd.DataFrame]] = {
    "events": _extend_events,
    "un_votes": _extend_un_votes,
    "digest": _sort_digest,
}


#: Columns that name a period: typed as Categorical in the periods' time order, so that
#: ``groupby("period", observed=True)`` lists the periods in time, not alphabetical, order.
_PERIOD_COLUMNS = {"events": "period", "topics": "period", "un_votes": "period"}


def _period_order(periods: pd.DataFrame) -> list[str]:
    ordered = periods.sort_values(["scheme", "order", "start_year"], kind="stable")
    collection = ordered[ordered["scheme"] == "collection"]["id"].tolist()
    return collection + [p for p in ordered["id"].tolist() if p not in collection]


def _build(validation: _schema.Validation) -> Tables:
    frames = {}
    for name in TABLE_NAMES:
        resource = validation.package.resource(name)
        rows = validation.rows[name] or ()
        frame = _frame(resource, rows)
        extend = _EXTRA.get(name)
        frames[name] = extend(frame, rows) if extend else frame
    order = _period_order(frames["periods"])
    for name, column in _PERIOD_COLUMNS.items():
        frames[name][column] = pd.Categorical(frames[name][column], categories=order)
    return Tables(**frames)


# ---------------------------------------------------------------------------------------
# Loading with a cache
# ---------------------------------------------------------------------------------------

_cache: dict[Path, tuple[tuple[Any, ...], Tables]] = {}
_lock = threading.Lock()


def _tables(data_dir: PathLike) -> Tables:
    """The cached (shared, never handed out) tables of a folder, checked first."""
    validation = _schema.validate(data_dir)
    if validation.problems:
        raise DataError(validation.data_dir, validation.problems)
    key = validation.key
    with _lock:
        cached = _cache.get(validation.data_dir)
    if key is not None and cached is not None and cached[0] == key:
        return cached[1]
    try:
        tables = _build(validation)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # the data passed its own datapackage.json, but that schema lacks what the
        # notebooks need (a table, a column, a date): report it like any other problem
        problem = _schema.Problem(
            validation.package.path.name, 1, _schema.FILE_COLUMN,
            f"{type(exc).__name__}: {exc}"[:200],
            "a schema with the tables, columns and dates the notebooks use (as in the "
            "shipped data/datapackage.json)",
        )
        raise DataError(validation.data_dir, [problem]) from None
    if key is not None:
        with _lock:
            _cache[validation.data_dir] = (key, tables)
    return tables


def clear_cache() -> None:
    """Forget every cached table and check result (the next load reads the files again)."""
    with _lock:
        _cache.clear()
    _schema.clear_cache()


def load_all(data_dir: PathLike = None) -> Tables:
    """All the tables, typed. Raises :class:`DataError` if the data has problems.

    ``data_dir`` defaults to :func:`cambodia_russia.paths.data_dir`.
    """
    return _tables(data_dir).copy()


def _load(name: str, data_dir: PathLike) -> pd.DataFrame:
    return getattr(_tables(data_dir), name).copy()


def load_sources(data_dir: PathLike = None) -> pd.DataFrame:
    """The sources: the three core texts and the outside references (X01, ...)."""
    return _load("sources", data_dir)


def load_periods(data_dir: PathLike = None) -> pd.DataFrame:
    """The periods of the three schemes (collection, mosyakov, kin_phea).

    A missing ``end_year`` (``<NA>``) means the period is still open.
    """
    return _load("periods", data_dir)


def load_events(data_dir: PathLike = None) -> pd.DataFrame:
    """The events, sorted by date, with ``precision``, ``start``, ``end`` and ``date_label``."""
    return _load("events", data_dir)


def load_people(data_dir: PathLike = None) -> pd.DataFrame:
    """The people, with the spelling variants the sources use (``variants``, a tuple)."""
    return _load("people", data_dir)


def load_topics(data_dir: PathLike = None) -> pd.DataFrame:
    """The topics on which the sources disagree."""
    return _load("topics", data_dir)


def load_claims(data_dir: PathLike = None) -> pd.DataFrame:
    """What each source says on each topic (paraphrase, quote, stance)."""
    return _load("claims", data_dir)


def load_indicators(data_dir: PathLike = None) -> pd.DataFrame:
    """Figures by year (trade, tourism, students, ...) with their statistical system."""
    return _load("indicators", data_dir)


def load_un_votes(data_dir: PathLike = None) -> pd.DataFrame:
    """UN votes with their tallies and Cambodia's vote, with a ``date`` column."""
    return _load("un_votes", data_dir)


def load_glossary(data_dir: PathLike = None) -> pd.DataFrame:
    """The glossary of terms."""
    return _load("glossary", data_dir)


def load_lab_solutions(data_dir: PathLike = None) -> pd.DataFrame:
    """The data lab's model solutions (``code`` and ``explanation`` per step; empty in the
    student edition)."""
    return _load("lab_solutions", data_dir)


def load_quiz(data_dir: PathLike = None) -> pd.DataFrame:
    """The quiz questions (``options`` is a tuple)."""
    return _load("quiz", data_dir)


def load_exercises(data_dir: PathLike = None) -> pd.DataFrame:
    """The exercises with their model answers (``solution``, Markdown)."""
    return _load("exercises", data_dir)


def load_digest(data_dir: PathLike = None) -> pd.DataFrame:
    """The digest of the core texts: one row per paragraph (``source``, ``paragraph``),
    its ``kind`` and a ``summary`` in our own words, sorted by source and paragraph."""
    return _load("digest", data_dir)
