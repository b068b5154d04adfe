"""The tables as typed pandas DataFrames, checked first (a :class:`DataError` if not valid).

Types come from ``datapackage.json``: ``enum`` -> ``Categorical``, ``integer`` -> ``Int64``,
``number`` -> ``float64``, ``boolean`` -> ``boolean``, ``x-list`` -> tuples (missing: ``()``),
``x-citations`` -> tuples of ``(source_id, locator)``, other text -> ``str`` (missing:
``NaN``); a foreign key to ``periods`` is Categorical in the periods' time order. ``events``
and ``un_votes`` get ``precision``, ``date_label`` and their dates (``start``/``end``,
``date``); ``events`` are sorted by ``start``, ``digest`` by ``source`` and ``paragraph``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pandas as pd

from . import paths
from . import schema as _schema
from .dates import PRECISIONS, span_label
from .schema import DataError

__all__ = ["Tables", "ensure_tables", "load_all"]  # and a load_<table> function for each table

PathLike = str | os.PathLike[str] | None


class Tables:
    """Every table of ``datapackage.json`` as an attribute (``tables.events``), read-only;
    iterating gives ``(name, DataFrame)`` pairs in schema order."""

    def __init__(self, frames: dict[str, pd.DataFrame]):
        object.__setattr__(self, "_frames", dict(frames))

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in self._frames:
            raise AttributeError(f"there is no table {name!r}")
        return self._frames[name]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Tables is read-only; change a copy of a table instead")

    def __iter__(self) -> Iterator[tuple[str, pd.DataFrame]]:
        return iter(self._frames.items())

    def __dir__(self) -> list[str]:
        return [*super().__dir__(), *self._frames]

    def copy(self) -> Tables:
        """A copy whose DataFrames can be changed without touching this one."""
        return Tables({name: frame.copy() for name, frame in self})

    def replace(self, **frames: pd.DataFrame) -> Tables:
        """The same tables with some replaced: ``tables.replace(events=fewer_events)``."""
        unknown = set(frames) - set(self._frames)
        if unknown:
            raise TypeError(f"there is no table {sorted(unknown)[0]!r}")
        return Tables(self._frames | frames)


def _column(f: _schema.Field, values: Sequence[Any]) -> Any:
    if f.is_list:
        return pd.Series([v if v is not None else () for v in values], dtype=object)
    if f.enum is not None:
        return pd.Categorical(values, categories=list(f.enum))
    if f.type in ("integer", "boolean"):
        return pd.array(values, dtype="Int64" if f.type == "integer" else "boolean")
    return pd.Series(values, dtype="float64" if f.type == "number" else "str")


def _add_dates(
    frame: pd.DataFrame, rows: Sequence[_schema.Row], start: str, end: str | None
) -> pd.DataFrame:
    dates = [(row.dates["start"], row.dates.get("end")) for row in rows]
    days = {start: [s.first_day for s, _ in dates]}
    if end:
        days[end] = [(e or s).last_day for s, e in dates]
    for column, values in days.items():
        frame[column] = pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    precisions = [s.precision for s, _ in dates]
    frame["precision"] = pd.Categorical(precisions, categories=list(PRECISIONS))
    frame["date_label"] = pd.Series([span_label(s, e) for s, e in dates], dtype="str")
    return frame


_EXTRA = {
    "events": lambda frame, rows: _add_dates(frame, rows, "start", "end").sort_values(
        ["start", "id"], kind="stable"
    ),
    "un_votes": lambda frame, rows: _add_dates(frame, rows, "date", None),
    "digest": lambda frame, rows: frame.sort_values(["source", "paragraph"], kind="stable"),
}


def _build(validation: _schema.Validation) -> Tables:
    frames = {}
    resources = validation.package.resources.values()
    for resource in resources:
        rows = validation.rows[resource.name] or ()
        frame = pd.DataFrame(
            {f.name: _column(f, [row.values[f.name] for row in rows]) for f in resource.fields},
            index=pd.RangeIndex(len(rows)),
        )
        extra = _EXTRA.get(resource.name)
        frames[resource.name] = extra(frame, rows).reset_index(drop=True) if extra else frame
    periods = frames["periods"].sort_values(["scheme", "order", "start_year"], kind="stable")
    first = periods[periods["scheme"] == "collection"]["id"].tolist()
    order = first + [p for p in periods["id"] if p not in first]
    for resource in resources:
        for fk in resource.foreign_keys:
            if fk.resource == "periods":
                frame = frames[resource.name]
                frame[fk.field] = pd.Categorical(frame[fk.field], categories=order)
    return Tables(frames)


#: data folder -> (its files' names, times and sizes; a copy of its tables), as last loaded.
_LOADED: dict[Any, tuple[Any, Tables]] = {}


def _stamp(folder) -> list | None:
    try:
        files = [*os.scandir(folder), paths.schema_path(folder)]
        return sorted((os.fspath(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    except OSError:  # no such folder: validate says so
        return None


def load_all(data_dir: PathLike = None) -> Tables:
    """Every table, checked and typed (``data_dir`` defaults to
    :func:`cambodia_russia.paths.data_dir`). Raises :class:`DataError` if the data has
    problems."""
    folder = paths.data_dir(data_dir)
    stamp = _stamp(folder)
    validation = _schema.validate(data_dir)
    if validation.problems:
        raise DataError(validation.data_dir, validation.problems)
    try:
        tables = _build(validation)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # the data passed its own datapackage.json, which lacks what the notebooks use
        error, schema = f"{type(exc).__name__}: {exc}"[:200], validation.package.path.name
        expected = (
            "a schema with the tables, columns and dates the notebooks use (as in the "
            "shipped data/datapackage.json)"
        )
        problem = _schema.Problem(schema, 1, _schema.FILE_COLUMN, error, expected)
        raise DataError(validation.data_dir, [problem]) from None
    if stamp is not None:
        _LOADED.clear()
        _LOADED[folder] = (stamp, tables.copy())
    return tables


def ensure_tables(tables: Tables | None = None, data_dir: PathLike = None) -> Tables:
    """``tables``, else the data folder's tables as last loaded (by anyone), loaded again
    only when one of its files changed; the widgets and the lab ask for them often."""
    if tables is not None:
        return tables
    folder = paths.data_dir(data_dir)
    stamp = _stamp(folder)
    fresh = stamp is not None and _LOADED.get(folder, (None,))[0] == stamp
    return _LOADED[folder][1] if fresh else load_all(folder)


def _loader(name: str, doc: str) -> Callable[[PathLike], pd.DataFrame]:
    """``load_<name>(data_dir=None)``: one table of :func:`load_all`, a fresh copy."""

    def load(data_dir: PathLike = None) -> pd.DataFrame:
        return getattr(load_all(data_dir), name)

    load.__name__ = load.__qualname__ = f"load_{name}"
    load.__doc__ = doc
    __all__.append(load.__name__)
    return load


load_sources = _loader(
    "sources", "The sources: the three core texts and the outside references (X01, ...)."
)
load_periods = _loader(
    "periods", "The periods of the three schemes; a missing ``end_year`` means still open."
)
load_events = _loader(
    "events", "The events, sorted by date, with ``precision``, ``start``, ``end``, ``date_label``."
)
load_people = _loader(
    "people", "The people, with the spellings the sources use (``variants``, a tuple)."
)
load_topics = _loader("topics", "The topics on which the sources disagree.")
load_claims = _loader("claims", "What each source says on each topic (paraphrase, quote, stance).")
load_indicators = _loader(
    "indicators", "Figures by year (trade, tourism, students, ...) with their statistical system."
)
load_un_votes = _loader(
    "un_votes", "UN votes with their tallies and Cambodia's vote, with a ``date`` column."
)
load_glossary = _loader("glossary", "The glossary of terms.")
load_lab_solutions = _loader(
    "lab_solutions", "The data lab's model solutions (``code``, ``explanation``)."
)
load_quiz = _loader("quiz", "The quiz questions (``options`` is a tuple).")
load_exercises = _loader(
    "exercises", "The exercises with their model answers (``solution``, Markdown)."
)
load_digest = _loader(
    "digest", "The digest of the core texts: one row per paragraph, sorted by source, paragraph."
)
