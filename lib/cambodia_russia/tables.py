"""The tables as typed pandas DataFrames.

Each ``load_<table>(data_dir=None)`` checks the whole data folder first
(:func:`cambodia_russia.schema.validate`), raises :class:`~cambodia_russia.schema.DataError`
if anything is wrong, and returns a fresh DataFrame (change it freely). :func:`load_all`
returns every table, as named in ``datapackage.json``, in a :class:`Tables` object.

Types come from ``datapackage.json``: ``enum`` -> ``Categorical`` (the schema's order),
``integer`` -> ``Int64``, ``number`` -> ``float64``, ``boolean`` -> ``boolean`` (missing:
``<NA>``/``NaN``), ``x-list`` -> tuples (missing: ``()``), ``x-citations`` -> tuples of
``(source_id, locator)``, other text -> ``str`` (missing: ``NaN``). A column that is a
foreign key to ``periods`` is Categorical in the periods' time order (collection first).

Added columns: ``events`` gets ``precision`` (day, month, year), ``start`` and ``end`` (the
first and last day covered) and ``date_label`` ("18 March 1970", "c. 1956", "1970–1973"),
sorted by ``start`` then ``id``; ``un_votes`` gets ``date``, ``precision`` and
``date_label``; ``digest`` is sorted by ``source`` then ``paragraph``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from . import schema as _schema
from .dates import PRECISIONS, span_label
from .schema import DataError

__all__ = [
    "Tables",
    "load_all",
    "load_claims",
    "load_digest",
    "load_events",
    "load_exercises",
    "load_glossary",
    "load_indicators",
    "load_lab_solutions",
    "load_people",
    "load_periods",
    "load_quiz",
    "load_sources",
    "load_topics",
    "load_un_votes",
]

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
    frame[start] = pd.Series(
        pd.to_datetime([s.first_day for s, _ in dates]), dtype="datetime64[ns]"
    )
    if end:
        frame[end] = pd.Series(
            pd.to_datetime([(e or s).last_day for s, e in dates]), dtype="datetime64[ns]"
        )
    frame["precision"] = pd.Categorical(
        [s.precision for s, _ in dates], categories=list(PRECISIONS)
    )
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
    for resource in validation.package.resources:
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
    for resource in validation.package.resources:
        for fk in resource.foreign_keys:
            if fk.resource == "periods":
                frame = frames[resource.name]
                frame[fk.field] = pd.Categorical(frame[fk.field], categories=order)
    return Tables(frames)


def load_all(data_dir: PathLike = None) -> Tables:
    """Every table, checked and typed (``data_dir`` defaults to
    :func:`cambodia_russia.paths.data_dir`). Raises :class:`DataError` if the data has
    problems."""
    validation = _schema.validate(data_dir)
    if validation.problems:
        raise DataError(validation.data_dir, validation.problems)
    try:
        return _build(validation)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        # the data passed its own datapackage.json, which lacks what the notebooks use
        problem = _schema.Problem(
            validation.package.path.name,
            1,
            _schema.FILE_COLUMN,
            f"{type(exc).__name__}: {exc}"[:200],
            "a schema with the tables, columns and "
            "dates the notebooks use (as in the shipped data/datapackage.json)",
        )
        raise DataError(validation.data_dir, [problem]) from None


def _load(name: str, data_dir: PathLike) -> pd.DataFrame:
    return getattr(load_all(data_dir), name)


def load_sources(data_dir: PathLike = None) -> pd.DataFrame:
    """The sources: the three core texts and the outside references (X01, ...)."""
    return _load("sources", data_dir)


def load_periods(data_dir: PathLike = None) -> pd.DataFrame:
    """The periods of the three schemes; a missing ``end_year`` means still open."""
    return _load("periods", data_dir)


def load_events(data_dir: PathLike = None) -> pd.DataFrame:
    """The events, sorted by date, with ``precision``, ``start``, ``end``, ``date_label``."""
    return _load("events", data_dir)


def load_people(data_dir: PathLike = None) -> pd.DataFrame:
    """The people, with the spellings the sources use (``variants``, a tuple)."""
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
    """The data lab's model solutions (``code``, ``explanation``)."""
    return _load("lab_solutions", data_dir)


def load_quiz(data_dir: PathLike = None) -> pd.DataFrame:
    """The quiz questions (``options`` is a tuple)."""
    return _load("quiz", data_dir)


def load_exercises(data_dir: PathLike = None) -> pd.DataFrame:
    """The exercises with their model answers (``solution``, Markdown)."""
    return _load("exercises", data_dir)


def load_digest(data_dir: PathLike = None) -> pd.DataFrame:
    """The digest of the core texts: one row per paragraph, sorted by source, paragraph."""
    return _load("digest", data_dir)
