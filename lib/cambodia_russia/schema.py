"""The data check: reads ``datapackage.json`` and checks the CSV files against it.

:func:`check` returns a list of :class:`Problem` objects, one per finding, in the order of
the tables in ``datapackage.json``, then by spreadsheet row, then by column. Each prints as
one line a teacher can act on::

    events.csv, row 7, column month: got "13"; expected a month number from 1 to 12

The rules come from ``datapackage.json`` (a Frictionless Data Package): column names,
types, required columns, allowed values (``enum``), id patterns, minimum and maximum,
primary and foreign keys, and the project's own ``x-`` keys for what the Table Schema
standard cannot say (lists in one cell, citations, date columns, a year that must lie in
its period, conditional columns, and the plausibility rules ``x-not-before``,
``x-non-negative`` and ``x-tally``). ``data/README.md`` explains each key. A few rules about
particular tables are written here, in the section "Rules about particular tables":
citations of the three core texts need a ``para N`` locator, claims quote only core texts,
quiz questions must have exactly one right answer, period numbers do not repeat, and
neither do paragraph numbers of one source in the digest.

Which schema: ``check(folder)`` uses ``folder/datapackage.json`` when the folder has one,
otherwise the shipped ``data/datapackage.json`` (:func:`cambodia_russia.paths.schema_path`).

Data text is untrusted input. ``datapackage.json`` is checked for its shape before use
(one-line :class:`SchemaError` naming the place, like ``resources[2].schema.fields``);
resource paths must be relative names inside the data folder. Every file is examined with
``lstat`` before it is opened: links, FIFOs, devices and files over
:data:`MAX_FILE_BYTES` are reported, never opened. CSV files are read by a strict RFC 4180
reader (stray or unclosed quotation marks, NUL bytes, non-UTF-8 bytes and short rows are
problems naming file, row and column) into strings, checked before anything is converted,
so broken input gives problems, never a traceback. Patterns are matched only against
cells of at most :data:`MAX_PATTERN_INPUT` characters (the shipped patterns are linear),
and :func:`printable` escapes control characters in every problem line. This module
does not import pandas: ``python -m cambodia_russia check`` stays fast.

Results are cached per folder, keyed by the files' ``mtime_ns`` and sizes; files changed
less than a second before a check are never served from the cache (a file can change twice
within one tick of the file system clock).
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import math
import os
import re
import stat
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .dates import MONTH_NAMES, PartialDate, days_in_month, same_at_coarser_precision

__all__ = [
    "CORE_LOCATOR",
    "DataError",
    "DateSpec",
    "Field",
    "FILE_COLUMN",
    "ForeignKey",
    "Package",
    "Problem",
    "Resource",
    "Row",
    "SchemaError",
    "Validation",
    "check",
    "clear_cache",
    "load_package",
    "parse_citation",
    "printable",
    "split_paragraphs",
    "validate",
]

#: Column name used in problems about a whole file (missing file, encoding, CSV syntax).
FILE_COLUMN = "(file)"

#: Locator a citation of a core text must have: ``para N`` (N counts from 1).
CORE_LOCATOR = re.compile(r"para\s+([1-9][0-9]*)")

#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = "=+-@"

_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\udc80-\udcff]")
_INT64_MAX = 2**63 - 1
_STABLE_AFTER_NS = 1_000_000_000  # files younger than this are not cached

#: Largest file the check reads (the schema and each CSV file), in bytes.
MAX_FILE_BYTES = 20_000_000

#: Longest cell text a pattern (``constraints.pattern``, ``x-item-pattern``) is matched
#: against; a longer cell is a problem before any regular expression runs.
MAX_PATTERN_INPUT = 2_000


# ---------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One finding of the data check.

    ``row`` is the spreadsheet row number: the header is row 1, the first data row is
    row 2; problems about a whole file or its header use row 1. ``column`` is the column
    name, ``(file)`` for the whole file, or a spreadsheet column letter for a cell outside
    the named columns. ``value`` is what the cell holds and ``expected`` says, for a
    teacher, what it should hold.
    """

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        value = self.value.replace("\r", "\\r").replace("\n", "\\n")  # keep one line
        return printable(
            f'{self.file}, row {self.row}, column {self.column}: '
            f'got "{value}"; expected {self.expected}'
        )


# C0 and C1 control characters (ESC starts terminal escape sequences), DEL, and the
# invisible marks that reorder or hide text (bidirectional overrides, zero-width joiners).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# Control characters a cell may not hold (tab and line ends are fine; NUL is a file error).
_CONTROL_IN_CELL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters are written as escapes
    (``\\x1b``, ``\\u202e``) so no escape sequence reaches the terminal.

    >>> printable("red \\x1b[31mtext")
    'red \\\\x1b[31mtext'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class DataError(ValueError):
    """The data folder has problems; raised by the ``load_*`` functions.

    ``problems`` holds the :class:`Problem` objects. The message is
    ``Invalid data in <folder>: <n> problem(s)`` followed by one problem per line.
    """

    def __init__(self, data_dir: str | os.PathLike[str], problems: Iterable[Problem]):
        self.data_dir = Path(data_dir)
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [f"Invalid data in {self.data_dir}: {len(self.problems)} problem(s)"]
        lines.extend(str(problem) for problem in self.problems)
        super().__init__("\n".join(lines))


class SchemaError(ValueError):
    """``datapackage.json`` itself is broken (not JSON, or not a schema this code reads)."""


# ---------------------------------------------------------------------------------------
# The schema, read from datapackage.json
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One column of a table, as described in ``datapackage.json``."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None
    item_pattern: re.Pattern[str] | None = None
    hint: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    noun: str | None = None
    is_list: bool = False
    refs: str | None = None
    citations: bool = False
    max_words: int | None = None
    only_when: tuple[str, Any] | None = None
    true_values: frozenset[str] = frozenset({"true"})
    false_values: frozenset[str] = frozenset({"false"})
    not_before: str | None = None
    signed_when: tuple[str, tuple[Any, ...]] | None = None
    non_negative: bool = False


@dataclass(frozen=True)
class Tally:
    """Vote counts of one row that together may not exceed the members of the voting body
    in that year (``x-tally``). ``members`` maps a body to ``(from_year, count)`` pairs in
    year order."""

    fields: tuple[str, ...]
    body: str
    year: str
    members: Mapping[str, tuple[tuple[int, int], ...]]
    source: str = ""

    def limit(self, body: Any, year: int) -> int | None:
        """Members of ``body`` in ``year`` (``None`` when the table does not say)."""
        count = None
        for first, members in self.members.get(body, ()):
            if first <= year:
                count = members
        return count


@dataclass(frozen=True)
class ForeignKey:
    """A column whose values must be ids of another table (optionally with a condition)."""

    field: str
    resource: str
    ref_field: str
    where: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class DateSpec:
    """The date columns of a table (``x-date``): start and end parts, approximate flag."""

    start: Mapping[str, str]
    end: Mapping[str, str] | None = None
    approximate: str | None = None


@dataclass(frozen=True)
class Resource:
    """One table: its file, its fields and its keys."""

    name: str
    path: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    date: DateSpec | None = None
    within_period: Mapping[str, str] | None = None
    tally: Tally | None = None
    title: str = ""
    description: str = ""

    @property
    def field_names(self) -> tuple[str, ...]:
        """The column names, in schema order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


@dataclass(frozen=True)
class Package:
    """The whole schema: the tables in their order."""

    path: Path
    resources: tuple[Resource, ...]
    descriptor: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Table names in schema order."""
        return tuple(r.name for r in self.resources)

    def resource(self, name: str) -> Resource:
        """The table called ``name`` (``KeyError`` if there is none)."""
        for r in self.resources:
            if r.name == name:
                return r
        raise KeyError(f"the schema has no table {name!r}")


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SchemaError(f"bad pattern {pattern!r}: {exc}") from exc


# --- shape of the descriptor, checked before anything is read from it --------------------

_TYPES = ("string", "integer", "number", "boolean")
_STR, _BOOL, _LIST, _DICT = "text", "true or false", "a list", "an object"
_NUM, _INT = "a number", "a whole number"


def _kind(value: Any) -> str:
    """``value``'s kind in JSON words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _BOOL
    if isinstance(value, int):
        return _INT
    if isinstance(value, float):
        return _NUM
    if isinstance(value, str):
        return _STR
    return _LIST if isinstance(value, list) else _DICT


def _want(value: Any, kind: str, where: str) -> Any:
    """``value`` if it is of JSON ``kind``; else :class:`SchemaError` naming ``where``."""
    got = _kind(value)
    if got != kind and not (kind == _NUM and got == _INT):
        raise SchemaError(f"{where}: expected {kind}, got {got}")
    return value


def _want_name(value: Any, where: str) -> str:
    """A table or column name: non-empty text without control characters."""
    _want(value, _STR, where)
    if not value.strip() or _CONTROL.search(value):
        raise SchemaError(f"{where}: expected a name (visible text), got {value!r}"[:300])
    return value


def _opt(desc: Mapping[str, Any], key: str, kind: str, where: str) -> None:
    if key in desc:
        _want(desc[key], kind, f"{where}.{key}")


def _names(value: Any, where: str) -> None:
    """A column name or a list of column names."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            _want(item, _STR, f"{where}[{i}]")
    else:
        _want(value, _STR, where)


def _check_field_shape(desc: Any, where: str) -> None:
    _want(desc, _DICT, where)
    _want_name(desc.get("name"), f"{where}.name")
    ftype = desc.get("type", "string")
    if ftype not in _TYPES:
        raise SchemaError(f"{where}.type: expected one of {', '.join(_TYPES)}, got {ftype!r}"
                          [:300])
    for key in ("description", "x-noun", "x-pattern-hint", "x-refs", "x-item-pattern",
                "x-not-before"):
        _opt(desc, key, _STR, where)
    for key in ("x-list", "x-citations"):
        _opt(desc, key, _BOOL, where)
    _opt(desc, "x-max-words", _INT, where)
    for key in ("trueValues", "falseValues"):
        if key in desc:
            for i, item in enumerate(_want(desc[key], _LIST, f"{where}.{key}")):
                _want(item, _STR, f"{where}.{key}[{i}]")
    if "x-only-when" in desc:
        only = _want(desc["x-only-when"], _DICT, f"{where}.x-only-when")
        _want(only.get("field"), _STR, f"{where}.x-only-when.field")
        if "equals" not in only:
            raise SchemaError(f"{where}.x-only-when: expected an object with field and equals")
    if "x-non-negative" in desc:
        rule = _want(desc["x-non-negative"], _DICT, f"{where}.x-non-negative")
        unless = _want(rule.get("unless"), _DICT, f"{where}.x-non-negative.unless")
        _want(unless.get("field"), _STR, f"{where}.x-non-negative.unless.field")
        _want(unless.get("in"), _LIST, f"{where}.x-non-negative.unless.in")
    constraints = _want(desc.get("constraints", {}), _DICT, f"{where}.constraints")
    where = f"{where}.constraints"
    for key in ("required", "unique"):
        _opt(constraints, key, _BOOL, where)
    for key in ("minimum", "maximum"):
        _opt(constraints, key, _NUM, where)
    _opt(constraints, "pattern", _STR, where)
    if "enum" in constraints:
        for i, item in enumerate(_want(constraints["enum"], _LIST, f"{where}.enum")):
            if _kind(item) not in (_STR, _INT, _NUM):
                raise SchemaError(f"{where}.enum[{i}]: expected text or a number, "
                                  f"got {_kind(item)}")


def _check_path_shape(value: Any, where: str) -> None:
    """A resource path: a relative path inside the data folder (no ``..``, no drive)."""
    _want(value, _STR, where)
    pure = Path(value)
    if (not value or value.startswith(("/", "\\")) or pure.is_absolute() or ":" in value
            or "\\" in value or ".." in pure.parts or "\x00" in value):
        raise SchemaError(f"{where}: expected a file name inside the data folder "
                          f"(like events.csv), got {value!r}"[:300])


def _check_resource_shape(desc: Any, where: str) -> None:
    _want(desc, _DICT, where)
    _want_name(desc.get("name"), f"{where}.name")
    _check_path_shape(desc.get("path"), f"{where}.path")
    for key in ("title", "description"):
        _opt(desc, key, _STR, where)
    schema = _want(desc.get("schema"), _DICT, f"{where}.schema")
    fields = _want(schema.get("fields"), _LIST, f"{where}.schema.fields")
    for i, f in enumerate(fields):
        _check_field_shape(f, f"{where}.schema.fields[{i}]")
    if "primaryKey" in schema:
        _names(schema["primaryKey"], f"{where}.schema.primaryKey")
    for i, fk in enumerate(_want(schema.get("foreignKeys", []), _LIST,
                                 f"{where}.schema.foreignKeys")):
        at = f"{where}.schema.foreignKeys[{i}]"
        _want(fk, _DICT, at)
        _want(fk.get("fields"), _STR, f"{at}.fields")
        ref = _want(fk.get("reference"), _DICT, f"{at}.reference")
        _want(ref.get("resource"), _STR, f"{at}.reference.resource")
        _want(ref.get("fields"), _STR, f"{at}.reference.fields")
        _opt(fk, "x-where", _DICT, at)
    if "x-date" in desc:
        date = _want(desc["x-date"], _DICT, f"{where}.x-date")
        for part in ("start", "end"):
            if part in date or part == "start":
                spec = _want(date.get(part), _DICT, f"{where}.x-date.{part}")
                _want(spec.get("year"), _STR, f"{where}.x-date.{part}.year")
                for key in ("month", "day"):
                    _opt(spec, key, _STR, f"{where}.x-date.{part}")
        _opt(date, "approximate", _STR, f"{where}.x-date")
    if "x-within-period" in desc:
        spec = _want(desc["x-within-period"], _DICT, f"{where}.x-within-period")
        for key in ("year", "period"):
            _want(spec.get(key), _STR, f"{where}.x-within-period.{key}")
    if "x-tally" in desc:
        at = f"{where}.x-tally"
        tally = _want(desc["x-tally"], _DICT, at)
        _names(_want(tally.get("fields"), _LIST, f"{at}.fields"), f"{at}.fields")
        for key in ("body", "year"):
            _want(tally.get(key), _STR, f"{at}.{key}")
        _opt(tally, "source", _STR, at)
        for body, table in _want(tally.get("members"), _DICT, f"{at}.members").items():
            for year, count in _want(table, _DICT, f"{at}.members.{body}").items():
                if not re.fullmatch(r"[0-9]{4}", year) or _kind(count) != _INT:
                    raise SchemaError(f"{at}.members.{body}: expected a year (like \"1955\") "
                                      f"and a whole number, got {year!r}: {count!r}"[:300])


def _check_descriptor_shape(descriptor: Any) -> None:
    """Raise :class:`SchemaError` with a one-line message naming the place (like
    ``resources[2].schema.fields``) when the descriptor is not shaped as this code reads it.
    """
    _want(descriptor, _DICT, "the file")
    resources = _want(descriptor.get("resources"), _LIST, "resources")
    for i, desc in enumerate(resources):
        _check_resource_shape(desc, f"resources[{i}]")


def _parse_field(desc: Mapping[str, Any]) -> Field:
    constraints = desc.get("constraints", {})
    only_when = desc.get("x-only-when")
    ftype = desc.get("type", "string")
    enum = constraints.get("enum")
    unless = desc.get("x-non-negative", {}).get("unless")
    return Field(
        name=desc["name"],
        type=ftype,
        description=desc.get("description", ""),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(str(v) for v in enum) if enum is not None else None,
        pattern=_compile(constraints.get("pattern")),
        item_pattern=_compile(desc.get("x-item-pattern")),
        hint=desc.get("x-pattern-hint"),
        minimum=constraints.get("minimum"),
        maximum=constraints.get("maximum"),
        noun=desc.get("x-noun"),
        is_list=bool(desc.get("x-list", False)),
        refs=desc.get("x-refs"),
        citations=bool(desc.get("x-citations", False)),
        max_words=desc.get("x-max-words"),
        only_when=(only_when["field"], only_when["equals"]) if only_when else None,
        true_values=frozenset(desc.get("trueValues", ["true"])),
        false_values=frozenset(desc.get("falseValues", ["false"])),
        not_before=desc.get("x-not-before"),
        non_negative="x-non-negative" in desc,
        signed_when=(unless["field"], tuple(unless["in"])) if unless else None,
    )


def _as_tuple(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _parse_tally(spec: Mapping[str, Any] | None) -> Tally | None:
    if not spec:
        return None
    members = {
        body: tuple(sorted((int(year), count) for year, count in table.items()))
        for body, table in spec["members"].items()
    }
    return Tally(tuple(spec["fields"]), spec["body"], spec["year"], members,
                 spec.get("source", ""))


def _parse_resource(desc: Mapping[str, Any]) -> Resource:
    schema = desc["schema"]
    fks = []
    for fk in schema.get("foreignKeys", []):
        (fname,) = _as_tuple(fk["fields"])
        (ref_field,) = _as_tuple(fk["reference"]["fields"])
        fks.append(
            ForeignKey(
                field=fname,
                resource=fk["reference"]["resource"] or desc["name"],
                ref_field=ref_field,
                where=tuple(fk.get("x-where", {}).items()),
            )
        )
    date = desc.get("x-date")
    return Resource(
        name=desc["name"],
        path=desc["path"],
        fields=tuple(_parse_field(f) for f in schema["fields"]),
        primary_key=_as_tuple(schema.get("primaryKey", ())),
        foreign_keys=tuple(fks),
        date=DateSpec(date["start"], date.get("end"), date.get("approximate")) if date else None,
        within_period=desc.get("x-within-period"),
        tally=_parse_tally(desc.get("x-tally")),
        title=desc.get("title", ""),
        description=desc.get("description", ""),
    )


def _verify(package: Package) -> None:
    """Every column and table a rule names exists and no name repeats (else
    :class:`SchemaError`)."""
    tables = {r.name: r for r in package.resources}
    for what, names in [("table", [r.name for r in package.resources]),
                        ("file", [r.path for r in package.resources])]:
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise SchemaError(f"each {what} only once, but {twice[0]!r} repeats"[:300])
    for r in package.resources:
        twice = sorted({n for n in r.field_names if r.field_names.count(n) > 1})
        if twice:
            raise SchemaError(f"{r.name}: each column only once, but {twice[0]!r} repeats"[:300])
        names = set(r.field_names)
        named = list(r.primary_key)
        if r.date:
            named += list(r.date.start.values()) + list((r.date.end or {}).values())
            named += [r.date.approximate] if r.date.approximate else []
        named += list((r.within_period or {}).values())
        named += [f.only_when[0] for f in r.fields if f.only_when]
        named += [f.not_before for f in r.fields if f.not_before]
        named += [f.signed_when[0] for f in r.fields if f.signed_when]
        if r.tally:
            named += [*r.tally.fields, r.tally.body, r.tally.year]
        for fk in r.foreign_keys:
            named.append(fk.field)
            target = tables.get(fk.resource)
            if target is None or fk.ref_field not in target.field_names or any(
                column not in target.field_names for column, _ in fk.where
            ):
                raise SchemaError(
                    f"{r.name}: foreign key {fk.field} names an unknown table or column"
                )
        for f in r.fields:
            if f.refs and f.refs not in tables:
                raise SchemaError(f"{r.name}.{f.name}: x-refs names an unknown table {f.refs!r}")
        unknown = [c for c in named if c not in names]
        if unknown:
            raise SchemaError(f"{r.name}: the schema names unknown columns {unknown}"[:300])
        _verify_types(r)


def _verify_types(r: Resource) -> None:
    """The columns a rule computes with have the types the rule needs."""
    types = {f.name: f.type for f in r.fields}
    whole: list[str] = []
    numeric: list[str] = []
    if r.date:
        whole += list(r.date.start.values()) + list((r.date.end or {}).values())
    if r.within_period:
        whole.append(r.within_period["year"])
    if r.tally:
        whole.append(r.tally.year)
        numeric += list(r.tally.fields)
    for f in r.fields:
        if f.not_before or f.non_negative:
            numeric += [f.name] + ([f.not_before] if f.not_before else [])
        if (f.citations or f.refs) and not f.is_list:
            raise SchemaError(f"{r.name}.{f.name}: x-citations and x-refs need x-list: true")
    for column in whole:
        if types[column] != "integer":
            raise SchemaError(f"{r.name}.{column}: a date or year column needs type integer")
    for column in numeric:
        if types[column] not in ("integer", "number"):
            raise SchemaError(f"{r.name}.{column}: this rule needs type integer or number")


_package_cache: dict[Path, tuple[tuple[int, int], Package]] = {}


def load_package(path: str | os.PathLike[str] | None = None) -> Package:
    """Read a ``datapackage.json`` (default: the one :func:`paths.schema_path` picks).

    Raises :class:`SchemaError` with a one-line message if the file is not a regular file
    of at most :data:`MAX_FILE_BYTES`, not valid JSON, or not shaped as this code reads it
    (every key it uses is checked for its kind, type names and resource paths included);
    ``FileNotFoundError`` if it does not exist.
    """
    schema_file = Path(path) if path is not None else paths.schema_path()
    why = _file_problem(schema_file.parent, schema_file.name)
    if why == "missing":
        raise FileNotFoundError(f"No schema at {schema_file}")
    if why is not None:
        raise SchemaError(f"{schema_file.name} is {why}")
    schema_file = schema_file.resolve()
    info = schema_file.stat()
    stamp = (info.st_mtime_ns, info.st_size)
    cached = _package_cache.get(schema_file)
    if cached and cached[0] == stamp and time.time_ns() - info.st_mtime_ns > _STABLE_AFTER_NS:
        return cached[1]
    try:
        data = _read_safely(schema_file)
        descriptor = json.loads(data.decode("utf-8-sig"))
    except OSError as exc:
        raise SchemaError(f"{schema_file.name} cannot be read: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SchemaError(f"{schema_file.name} is not a valid JSON file: {exc}"[:300]) from None
    _check_descriptor_shape(descriptor)
    package = Package(
        path=schema_file,
        resources=tuple(_parse_resource(r) for r in descriptor["resources"]),
        descriptor=descriptor,
    )
    _verify(package)
    _package_cache[schema_file] = (stamp, package)
    return package


# ---------------------------------------------------------------------------------------
# Citations and paragraphs
# ---------------------------------------------------------------------------------------


def parse_citation(item: str) -> tuple[str, str]:
    """Split one citation into ``(source_id, locator)``; the locator may be ``""``.

    >>> parse_citation("mosyakov_2021: para 4")
    ('mosyakov_2021', 'para 4')
    >>> parse_citation("X16")
    ('X16', '')
    """
    source_id, _, locator = item.partition(":")
    return source_id.strip(), " ".join(locator.split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text, as counted by ``para N`` locators.

    A paragraph is a block of lines separated from the next by one or more blank lines
    (lines holding only spaces count as blank). The first non-empty block is paragraph 1;
    headings count as paragraphs. ``split_paragraphs(text)[n - 1]`` is paragraph ``n``.
    """
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


# ---------------------------------------------------------------------------------------
# Reading one CSV file
# ---------------------------------------------------------------------------------------


class Row:
    """One data row after the cell checks.

    ``number`` is the spreadsheet row number, ``raw`` the cell texts (stripped),
    ``values`` the typed values (``None`` for empty or invalid cells), ``bad`` the columns
    whose cells have a problem, and ``dates`` the row's :class:`PartialDate` objects
    (``"start"``, ``"end"``) when its date columns are valid.
    """

    __slots__ = ("number", "raw", "values", "bad", "dates")

    def __init__(self, number: int, raw: dict[str, str]):
        self.number = number
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.bad: set[str] = set()
        self.dates: dict[str, PartialDate] = {}

    def ok(self, *columns: str) -> bool:
        """True when every named column is present and its cell has no problem."""
        return all(c in self.values and c not in self.bad for c in columns)

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.raw!r})"


def _column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (spreadsheet column names)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _excerpt(cell: str, limit: int = 60) -> str:
    """The cell with undecodable bytes written as \\xNN, shortened around the first one."""
    text = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if len(text) <= limit:
        return text
    first = max(text.find("\\x"), 0)
    start = max(first - limit // 3, 0)
    end = start + limit
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


class _Table:
    """Working state for one table during a check."""

    def __init__(self, resource: Resource, index: int):
        self.resource = resource
        self.index = index
        self.file = resource.path
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.columns: dict[str, int] = {}  # present known column -> position in header
        self.rows: list[Row] | None = None  # None: file missing or unreadable
        self.by_id: dict[str, Row] = {}

    def add(
        self, row: int, column: str, value: str, expected: str, position: int | None = None
    ) -> None:
        if position is None:
            if column == FILE_COLUMN:
                position = -1
            elif column in self.columns:
                position = self.columns[column]
            else:
                names = self.resource.field_names
                position = 10_000 + (names.index(column) if column in names else 0)
        problem = Problem(self.file, row, column, value, expected)
        self.problems.append(((self.index, row, position), problem))

    def cell(self, row: Row, column: str, value: str, expected: str) -> None:
        """Report a problem in a cell and mark the cell as bad."""
        row.bad.add(column)
        self.add(row.number, column, value, expected)


class _CsvSyntaxError(Exception):
    """Raised by :func:`_parse_csv`: ``records`` were read before the bad cell, which is
    cell ``position`` of the next record; ``cell`` is its text so far."""

    def __init__(self, records: list[list[str]], position: int, cell: str, expected: str):
        super().__init__(expected)
        self.records, self.position, self.cell, self.expected = records, position, cell, expected


# A quoted cell (quotes doubled inside) or an unquoted cell without quotes. Both branches
# run in linear time: what each repetition can start with is disjoint from what ends it.
_CSV_CELL = re.compile(r'"([^"]*(?:""[^"]*)*)"|([^",\r\n]*)')


def _parse_csv(text: str) -> list[list[str]]:
    """The records of a comma-separated text, read strictly (RFC 4180).

    A quotation mark inside an unquoted cell, text after a closing quotation mark and a
    quotation mark that never closes raise :class:`_CsvSyntaxError` (Python's :mod:`csv`
    reader accepts the first even with ``strict=True``).
    Line ends may be ``\\n``, ``\\r\\n`` or ``\\r``; a line end inside quotes belongs to the cell.
    """
    records: list[list[str]] = []
    record: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _CSV_CELL.match(text, pos)
        assert match is not None  # the second branch matches the empty string
        quoted, plain = match.groups()
        pos = match.end()
        nxt = text[pos] if pos < end else "\n"
        if nxt in ",\r\n":
            record.append(quoted.replace('""', '"') if quoted is not None else plain)
            pos += 2 if text.startswith("\r\n", pos) else 1
            if nxt != ",":
                records.append(record)
                record = []
            elif pos == end:  # a comma as the very last character: one more empty cell
                record.append("")
                records.append(record)
            continue
        if quoted is not None:
            raise _CsvSyntaxError(records, len(record), f'"{quoted}"{nxt}',
                                  "a comma or the end of the line right after the closing "
                                  "quotation mark (inside a quoted cell write \"\" for a "
                                  "quotation mark)")
        if plain:
            raise _CsvSyntaxError(records, len(record), plain + '"',
                                  "a quotation mark only at the start and end of a cell "
                                  "(look for a stray quotation mark)")
        rest = text[pos:pos + 60].split("\n", 1)[0]
        raise _CsvSyntaxError(records, len(record), rest,
                              "a closing quotation mark for the one that opens this cell "
                              "(look for a stray quotation mark)")
    if record:
        records.append(record)
    return records


def _file_problem(folder: Path, name: str) -> str | None:
    """Why ``folder/name`` must not be read (``None`` when it is a regular file inside the
    folder, under :data:`MAX_FILE_BYTES`). Uses ``lstat`` only: nothing is opened, so a
    FIFO or device can never block the check."""
    path = folder / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    if stat.S_ISLNK(info.st_mode):
        return "a symbolic link (only regular files inside the data folder are read)"
    if not stat.S_ISREG(info.st_mode):
        kind = ("a folder" if stat.S_ISDIR(info.st_mode) else
                "a named pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a device or socket")
        return f"{kind}, not a regular file"
    try:
        inside = path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    if not inside:
        return "outside the data folder (a folder on its path is a symbolic link)"
    if info.st_size > MAX_FILE_BYTES:
        return f"{info.st_size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}"
    return None


def _read_safely(path: Path) -> bytes:
    """The bytes of a file :func:`_file_problem` accepted, opened without following a link
    and re-checked on the open descriptor (the file may change in between)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(0, f"more than the limit of {MAX_FILE_BYTES:,} bytes")
    return data


def _read_records(table: _Table, folder: Path) -> list[list[str]] | None:
    """The CSV records of a table's file, or ``None`` after reporting why they cannot be
    read."""
    why = _file_problem(folder, table.file)
    if why == "missing":
        table.add(1, FILE_COLUMN, "", f"a file named {table.file} in the data folder")
        return None
    if why is not None:
        table.add(1, FILE_COLUMN, why, f"a regular file named {table.file} in the data folder")
        return None
    try:
        data = _read_safely(folder / table.file)
    except OSError as exc:
        table.add(1, FILE_COLUMN, exc.strerror or type(exc).__name__,
                  f"a readable file named {table.file}")
        return None
    if data.startswith(codecs.BOM_UTF8):  # spreadsheets' "CSV UTF-8" writes one
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
        undecodable = False
    except UnicodeDecodeError:
        text = data.decode("utf-8", "surrogateescape")
        undecodable = True
    try:
        records = _parse_csv(text)
    except _CsvSyntaxError as exc:
        if undecodable:
            _report_encoding(table, exc.records + [[exc.cell]])
            return None
        header = exc.records[0] if exc.records else []
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            return exc.records  # another delimiter: reported as such by _read_table
        name = header[exc.position].strip() if exc.position < len(header) else ""
        if not exc.records or not name:
            name = _column_letter(exc.position)
        table.add(len(exc.records) + 1, name, _excerpt(exc.cell), exc.expected, exc.position)
        return None
    if undecodable:
        _report_encoding(table, records)
        return None
    if "\x00" in text:
        _report_nul(table, records)
        return None
    return records


def _report_nul(table: _Table, records: list[list[str]]) -> None:
    header = records[0]
    for number, record in enumerate(records, start=1):
        for position, cell in enumerate(record):
            if "\x00" in cell:
                name = header[position].strip() if position < len(header) else ""
                if number == 1 or not name:
                    name = _column_letter(position)
                table.add(number, name, _excerpt(cell),
                          "no NUL character (a zero byte: the file is damaged or is not a "
                          "text file)", position)
                return


def _report_encoding(table: _Table, records: list[list[str]]) -> None:
    expected = 'text saved as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8")'
    header = records[0] if records else []
    for number, record in enumerate(records, start=1):
        for position, cell in enumerate(record):
            if _SURROGATE.search(cell):
                name = header[position].strip() if position < len(header) else ""
                if number == 1 or not name or _SURROGATE.search(name):
                    name = _column_letter(position)
                table.add(number, name, _excerpt(cell), expected, position)
                return
    table.add(1, FILE_COLUMN, "", expected)


def _check_header(table: _Table, header: list[str], records: list[list[str]]) -> None:
    resource = table.resource
    known = set(resource.field_names)
    names = {cell.strip() for cell in header}
    seen: dict[str, int] = {}
    for position, raw_name in enumerate(header):
        name = raw_name.strip()
        if not name:
            if any(position < len(r) and r[position].strip() for r in records[1:]):
                table.add(1, _column_letter(position), "",
                          f"a column name in row 1 (column {_column_letter(position)} has values)",
                          position)
            continue
        if name in seen:
            table.add(1, name, name,
                      f"each column name only once (it also heads column "
                      f"{_column_letter(seen[name])})", position)
            continue
        seen[name] = position
        if name in known:
            table.columns[name] = position
            continue
        missing = [n for n in resource.field_names if n not in names]
        folded = {n.casefold(): n for n in missing}
        guess = folded.get(name.casefold()) or next(
            iter(difflib.get_close_matches(name.casefold(), missing, n=1, cutoff=0.75)), None
        )
        if guess:
            expected = f'a known column name (did you mean "{guess}"?)'
        else:
            expected = (f"a known column name (the columns of {table.file} are listed in "
                        f"data/README.md)")
        table.add(1, name, name, expected, position)
    for f in resource.fields:
        if f.required and f.name not in table.columns:
            table.add(1, f.name, "", f'a column named "{f.name}" (it is required)')


def _read_table(table: _Table, folder: Path) -> None:
    records = _read_records(table, folder)
    if records is None:
        return
    if not records or not any(cell.strip() for cell in records[0]):
        table.add(1, FILE_COLUMN, "", "a first row with the column names")
        return
    header = records[0]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        table.add(1, FILE_COLUMN, header[0][:60],
                  'columns separated by commas (in a spreadsheet: Save As, "CSV UTF-8")')
        return
    _check_header(table, header, records)
    width = len(header)
    rows: list[Row] = []
    columns = table.columns
    fields = [f for f in table.resource.fields if f.name in columns]
    absent = [f.name for f in table.resource.fields if f.name not in columns]
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line or a row of empty cells
        raw = {}
        for f in fields:
            position = columns[f.name]
            raw[f.name] = record[position].strip() if position < len(record) else ""
        row = Row(number, raw)
        for name in absent:
            raw[name] = ""
            row.values[name] = None
        if len(record) < width:
            letter = _column_letter(len(record))
            name = header[len(record)].strip() or letter
            table.add(number, name, "",
                      f"{width} cells like the header row (this row has {len(record)}: it "
                      f"stops before column {letter}; look for a missing comma or a stray "
                      f"quotation mark)", len(record))
            row.bad.update(raw)
            rows.append(row)
            continue
        for position in range(width, len(record)):
            if record[position].strip():
                letter = _column_letter(position)
                table.add(number, letter, record[position].strip(),
                          f"no value to the right of the last column "
                          f"({_column_letter(width - 1)})", position)
                break
        for f in fields:
            _check_cell(table, row, f)
        rows.append(row)
    table.rows = rows


# ---------------------------------------------------------------------------------------
# Cell checks
# ---------------------------------------------------------------------------------------


def _fmt_number(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _range_expected(f: Field) -> str:
    noun = f.noun or ("a whole number" if f.type == "integer" else "a number")
    if f.minimum is not None and f.maximum is not None:
        return f"{noun} from {_fmt_number(f.minimum)} to {_fmt_number(f.maximum)}"
    if f.minimum is not None:
        return f"{noun} of at least {_fmt_number(f.minimum)}"
    return f"{noun} of at most {_fmt_number(f.maximum)}"  # type: ignore[arg-type]


def _pattern_expected(f: Field, pattern: re.Pattern[str]) -> str:
    return f.hint or f"text matching the pattern {pattern.pattern}"


def _matches(table: _Table, row: Row, f: Field, text: str, pattern: re.Pattern[str]) -> bool:
    """Match ``text`` against a schema pattern, reporting a mismatch. Text longer than
    :data:`MAX_PATTERN_INPUT` is reported without running the pattern, which bounds the
    time any pattern can take."""
    if len(text) > MAX_PATTERN_INPUT:
        table.cell(row, f.name, text[:60] + "…",
                   f"at most {MAX_PATTERN_INPUT:,} characters ({_pattern_expected(f, pattern)}; "
                   f"this has {len(text):,})")
        return False
    if pattern.fullmatch(text):
        return True
    table.cell(row, f.name, text, _pattern_expected(f, pattern))
    return False


def _check_cell(table: _Table, row: Row, f: Field) -> None:
    raw = row.raw[f.name]
    row.values[f.name] = None
    if raw == "":
        if f.required:
            table.cell(row, f.name, "", "a value (this column is required)")
        return
    if f.type == "integer":
        if not _INTEGER.fullmatch(raw) or abs(int(raw)) > _INT64_MAX:
            table.cell(row, f.name, raw, "a whole number written with digits (like 3 or 1970)")
            return
        value: Any = int(raw)
    elif f.type == "number":
        number = float(raw) if _NUMBER.fullmatch(raw) else math.nan
        if not math.isfinite(number):
            table.cell(row, f.name, raw,
                       "a number written with digits and a dot for decimals, without units "
                       "or thousands separators (like 239 or 13.65)")
            return
        value = number
    elif f.type == "boolean":
        if raw in f.true_values:
            value = True
        elif raw in f.false_values:
            value = False
        else:
            table.cell(row, f.name, raw, "true or false")
            return
    else:
        control = _CONTROL_IN_CELL.search(raw)
        if control:
            table.cell(row, f.name, raw,
                       f"text without control characters (this has "
                       f"{printable(control.group())}, which a terminal may run as a command)")
            return
        if raw[0] in FORMULA_STARTS:
            table.cell(row, f.name, raw,
                       f'text that does not start with "{raw[0]}" '
                       f"(spreadsheets would run it as a formula)")
            return
        if f.is_list:
            value = _check_list(table, row, f, raw)
            if value is None:
                return
        else:
            if f.enum is not None and raw not in f.enum:
                table.cell(row, f.name, raw, "one of: " + ", ".join(f.enum))
                return
            if f.pattern is not None and not _matches(table, row, f, raw, f.pattern):
                return
            if f.max_words is not None:
                words = len(raw.split())
                if words > f.max_words:
                    table.cell(row, f.name, raw,
                               f"at most {f.max_words} words (this has {words})")
                    return
            value = raw
    if f.type in ("integer", "number"):
        if (f.minimum is not None and value < f.minimum) or (
            f.maximum is not None and value > f.maximum
        ):
            table.cell(row, f.name, raw, _range_expected(f))
            return
    row.values[f.name] = value


def _check_list(table: _Table, row: Row, f: Field, raw: str) -> tuple[Any, ...] | None:
    items = [item.strip() for item in raw.split(";")]
    if any(item == "" for item in items):
        table.cell(row, f.name, raw, 'items separated by ";" with no empty item')
        return None
    if f.item_pattern is not None:
        for item in items:
            if not _matches(table, row, f, item, f.item_pattern):
                return None
    if f.citations:
        return tuple(parse_citation(item) for item in items)
    return tuple(items)


# ---------------------------------------------------------------------------------------
# Row checks: conditional columns, dates, unique ids
# ---------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _check_only_when(table: _Table, row: Row) -> None:
    for f in table.resource.fields:
        if f.only_when is None or f.name not in table.columns or f.name in row.bad:
            continue
        other, equals = f.only_when
        if not row.ok(other) or row.values[other] is None:
            continue
        applies = row.values[other] == equals
        raw = row.raw[f.name]
        if applies and raw == "":
            table.cell(row, f.name, "", f"a value (required when {other} is {_show(equals)})")
        elif not applies and raw != "":
            table.cell(row, f.name, raw,
                       f"an empty cell (this column is only used when {other} is "
                       f"{_show(equals)})")


def _date_part(
    table: _Table, row: Row, parts: Mapping[str, str], approximate: bool
) -> PartialDate | None:
    ycol, mcol, dcol = parts.get("year"), parts.get("month"), parts.get("day")
    cols = [c for c in (ycol, mcol, dcol) if c]
    if any(c in row.bad for c in cols):
        return None
    year = row.values.get(ycol) if ycol else None
    month = row.values.get(mcol) if mcol else None
    day = row.values.get(dcol) if dcol else None
    if day is not None and month is None:
        table.cell(row, dcol, row.raw[dcol],  # type: ignore[arg-type]
                   f"an empty {dcol} cell when the {mcol} cell is empty "
                   f"(fill in the {mcol} first)")
        return None
    if month is not None and year is None:
        table.cell(row, mcol, row.raw[mcol],  # type: ignore[arg-type]
                   f"an empty {mcol} cell when the {ycol} cell is empty "
                   f"(fill in the {ycol} first)")
        return None
    if year is None or not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None:
        last = days_in_month(year, month)
        if not 1 <= day <= last:
            table.cell(row, dcol, row.raw[dcol],  # type: ignore[arg-type]
                       f"a day from 1 to {last} ({MONTH_NAMES[month]} {year} has {last} days)")
            return None
    return PartialDate(year, month, day, approximate)


def _check_dates(table: _Table, row: Row) -> None:
    spec = table.resource.date
    if spec is None:
        return
    approximate = bool(spec.approximate and row.values.get(spec.approximate))
    start = _date_part(table, row, spec.start, approximate)
    end = _date_part(table, row, spec.end, False) if spec.end else None
    if start is not None:
        row.dates["start"] = start
    if start is None or end is None:
        return
    if end.last_day < start.first_day:
        assert spec.end is not None
        if end.year < start.year or end.month is None or start.month is None:
            column = spec.end["year"]
        elif end.month < start.month or end.day is None:
            column = spec.end["month"]
        else:
            column = spec.end["day"]
        table.cell(row, column, row.raw[column],
                   f"an end date on or after the start date ({start.label()})")
        return
    row.dates["end"] = end


def _check_plausible(table: _Table, row: Row) -> None:
    """The plausibility rules of ``x-not-before``, ``x-non-negative`` and ``x-tally``."""
    for f in table.resource.fields:
        if not row.ok(f.name) or row.values[f.name] is None:
            continue
        value = row.values[f.name]
        noun = f.noun or ("a whole number" if f.type == "integer" else "a number")
        if f.not_before and row.ok(f.not_before) and row.values[f.not_before] is not None:
            first = row.values[f.not_before]
            if value < first:
                table.cell(row, f.name, row.raw[f.name],
                           f"{noun} not before {f.not_before} ({_show(first)})")
                continue
        if f.non_negative and value < 0:
            other, allowed = f.signed_when or ("", ())
            if other and (not row.ok(other) or row.values[other] in allowed):
                continue
            unless = (f" (only {other} " + ", ".join(map(_show, allowed)) + " may be negative)"
                      if other else "")
            table.cell(row, f.name, row.raw[f.name], f"{noun} of at least 0{unless}")
    tally = table.resource.tally
    if tally is None or not row.ok(*tally.fields, tally.body, tally.year):
        return
    counts = [(c, row.values[c]) for c in tally.fields if row.values[c] is not None]
    body, year = row.values[tally.body], row.values[tally.year]
    limit = tally.limit(body, year) if year is not None else None
    total = sum(count for _, count in counts)
    if limit is not None and counts and total > limit:
        shown = " + ".join(f"{count} {column}" for column, count in counts)
        table.cell(row, counts[0][0], f"{shown} = {total}",
                   f"at most {limit} votes in all (the {body} had {limit} members in {year})")


def _check_unique(table: _Table) -> None:
    assert table.rows is not None
    resource = table.resource
    keys: list[tuple[str, ...]] = []
    if resource.primary_key:
        keys.append(resource.primary_key)
    for f in resource.fields:
        if f.unique and (f.name,) not in keys:
            keys.append((f.name,))
    for key in keys:
        if not all(c in table.columns for c in key):
            continue
        first_seen: dict[tuple[str, ...], int] = {}
        for row in table.rows:
            if any(row.raw[c] == "" or c in row.bad for c in key):
                continue
            value = tuple(row.raw[c] for c in key)
            if value in first_seen:
                table.cell(row, key[0], row.raw[key[0]],
                           f"a unique {key[0]} (row {first_seen[value]} already uses it)")
            else:
                first_seen[value] = row.number


# ---------------------------------------------------------------------------------------
# Checks across tables
# ---------------------------------------------------------------------------------------


def _ids(table: _Table | None, column: str = "id") -> set[str] | None:
    """Every non-empty value of ``column`` (``None`` if the table could not be read)."""
    if table is None or table.rows is None or column not in table.columns:
        return None
    return {row.raw[column] for row in table.rows if row.raw[column]}


def _index(table: _Table | None, column: str = "id") -> dict[str, Row]:
    if table is None or table.rows is None or column not in table.columns:
        return {}
    index: dict[str, Row] = {}
    for row in table.rows:
        index.setdefault(row.raw[column], row)
    return index


def _check_foreign_keys(table: _Table, tables: Mapping[str, _Table]) -> None:
    assert table.rows is not None
    for fk in table.resource.foreign_keys:
        if fk.field not in table.columns:
            continue
        target = tables.get(fk.resource)
        ids = _ids(target, fk.ref_field)
        if ids is None:
            continue
        index = _index(target, fk.ref_field) if fk.where else {}
        ref_file = target.file  # type: ignore[union-attr]
        for row in table.rows:
            value = row.raw[fk.field]
            if not value or fk.field in row.bad:
                continue
            if value not in ids:
                table.cell(row, fk.field, value, f"an id that exists in {ref_file}")
                continue
            ref_row = index.get(value)
            if ref_row is None:
                continue
            for column, wanted in fk.where:
                if ref_row.ok(column) and ref_row.values[column] != wanted:
                    table.cell(row, fk.field, value,
                               f"the id of a row of {ref_file} whose {column} is "
                               f"{_show(wanted)}")
                    break


def _check_list_refs(table: _Table, tables: Mapping[str, _Table]) -> None:
    assert table.rows is not None
    sources = tables.get("sources")
    for f in table.resource.fields:
        if not f.refs or f.name not in table.columns:
            continue
        target = tables.get(f.refs)
        ids = _ids(target)
        if ids is None:
            continue
        ref_file = target.file  # type: ignore[union-attr]
        index = _index(target) if f.citations and target is sources else {}
        for row in table.rows:
            items = row.values.get(f.name)
            if not items or f.name in row.bad:
                continue
            for item in items:
                if f.citations:
                    source_id, locator = item
                    text = f"{source_id}: {locator}" if locator else source_id
                else:
                    source_id, locator, text = item, "", item
                if source_id not in ids:
                    table.cell(row, f.name, text, f"an id that exists in {ref_file}")
                    break
                needs_paragraph = f.citations and _is_core(index.get(source_id))
                if needs_paragraph and not CORE_LOCATOR.fullmatch(locator):
                    table.cell(row, f.name, text,
                               f'a paragraph locator for this core text, like '
                               f'"{source_id}: para 4"')
                    break


def _is_core(source_row: Row | None) -> bool:
    if source_row is None or not source_row.ok(_CORE_FLAG):
        return False
    return bool(source_row.values[_CORE_FLAG])


def _check_within_period(table: _Table, tables: Mapping[str, _Table]) -> None:
    assert table.rows is not None
    spec = table.resource.within_period
    if not spec:
        return
    ycol, pcol = spec["year"], spec["period"]
    target = next((fk.resource for fk in table.resource.foreign_keys if fk.field == pcol), None)
    periods_table = tables.get(target) if target else None
    span = periods_table.resource.date if periods_table is not None else None
    if span is None or span.end is None:
        return
    first_col, last_col = span.start["year"], span.end["year"]
    periods = _index(periods_table)
    for row in table.rows:
        if not row.ok(ycol, pcol) or row.values[ycol] is None or row.values[pcol] is None:
            continue
        period = periods.get(row.values[pcol])
        if period is None or not period.ok(first_col, last_col):
            continue
        first, last = period.values[first_col], period.values[last_col]
        if first is None:
            continue
        year = row.values[ycol]
        if year < first or (last is not None and year > last):
            if last is None:
                expected = f"a year from {first} onwards (the years of period {row.values[pcol]})"
            else:
                expected = f"a year from {first} to {last} (the years of period {row.values[pcol]})"
            table.cell(row, ycol, row.raw[ycol], expected)


# ---------------------------------------------------------------------------------------
# Rules about particular tables
# ---------------------------------------------------------------------------------------

_CORE_FLAG = "core"  # sources.csv: true for the three core texts


def _unique_within(table: _Table, group: str, column: str, expected: str) -> None:
    """Within one value of ``group``, each value of ``column`` is used once. ``expected``
    is formatted with ``group`` (the group's value) and ``row`` and ``value`` (the row that
    already uses the value)."""
    assert table.rows is not None
    seen: dict[tuple[Any, Any], int] = {}
    for row in table.rows:
        if not row.ok(group, column) or None in (row.values[group], row.values[column]):
            continue
        key = (row.values[group], row.values[column])
        if key in seen:
            table.cell(row, column, row.raw[column],
                       expected.format(group=key[0], row=seen[key], value=key[1]))
        else:
            seen[key] = row.number


def _rule_periods(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Within one scheme, each order number is used once."""
    _unique_within(table, "scheme", "order", "an order number not used by another {group} "
                   "period (row {row} already uses {value})")


def _rule_claims(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Claims from core texts need a ``para N`` locator; only core texts are quoted."""
    assert table.rows is not None
    sources = _index(tables.get("sources"))
    for row in table.rows:
        if not row.ok("source") or row.values["source"] is None:
            continue
        source = sources.get(row.values["source"])
        if source is None or not source.ok(_CORE_FLAG):
            continue
        core = bool(source.values[_CORE_FLAG])
        if core and row.ok("locator") and not CORE_LOCATOR.fullmatch(row.raw["locator"]):
            table.cell(row, "locator", row.raw["locator"],
                       'a paragraph locator like "para 4" (the source is one of the three '
                       "core texts)")
        if not core and row.ok("quote") and row.raw["quote"]:
            table.cell(row, "quote", row.raw["quote"],
                       "an empty quote (exact quotes are kept only for the three core texts)")


def _rule_quiz(table: _Table, tables: Mapping[str, _Table]) -> None:
    """A choice question has its answer among the options; an order question has 3 to 5
    existing events whose dates differ, and no answer."""
    assert table.rows is not None
    events_table = tables.get("events")
    events = _index(events_table)
    event_ids = _ids(events_table)
    for row in table.rows:
        if not row.ok("kind", "options", "answer") or row.values["kind"] is None:
            continue
        options = row.values["options"] or ()
        answer = row.raw["answer"]
        if row.values["kind"] == "choice":
            if len(options) < 2:
                table.cell(row, "options", row.raw["options"],
                           'at least two options separated by ";"')
            if answer == "":
                table.cell(row, "answer", "",
                           "the exact text of the right option (a choice question needs one)")
            elif answer not in options:
                table.cell(row, "answer", answer,
                           "the exact text of one of the options: " + "; ".join(options))
            continue
        # kind == "order"
        if answer:
            table.cell(row, "answer", answer,
                       "an empty answer for an order question (the right order comes from "
                       "the events' dates)")
        if not 3 <= len(options) <= 5:
            table.cell(row, "options", row.raw["options"], '3 to 5 event ids separated by ";"')
            continue
        if event_ids is None:
            continue
        unknown = [o for o in options if o not in event_ids]
        if unknown:
            table.cell(row, "options", unknown[0], "an id that exists in events.csv")
            continue
        dated = [(o, events[o].dates.get("start")) for o in options]
        if any(d is None for _, d in dated):
            continue  # the event's own date has a problem, reported in events.csv
        for i, (a, date_a) in enumerate(dated):
            clash = next(
                ((b, date_b) for b, date_b in dated[i + 1:]
                 if same_at_coarser_precision(date_a, date_b)),  # type: ignore[arg-type]
                None,
            )
            if clash:
                b, date_b = clash
                coarser = (
                    date_a if _rank(date_a) >= _rank(date_b) else date_b  # type: ignore[arg-type]
                )
                table.cell(row, "options", f"{a}; {b}",
                           f"events whose dates differ ({a} and {b} both date from "
                           f"{coarser.label()})")  # type: ignore[union-attr]
                break


def _rule_exercises(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Within one notebook, each exercise number is used once."""
    _unique_within(table, "notebook", "number", "an exercise number not used by another "
                   "exercise of {group} (row {row} already uses {value})")


def _rule_digest(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Within one source, each paragraph number is used once."""
    _unique_within(table, "source", "paragraph", "a paragraph number not used by another "
                   "row of {group} (row {row} already uses {value})")


def _rank(date: PartialDate) -> int:
    return ("day", "month", "year").index(date.precision)


_RULES = {
    "periods": _rule_periods,
    "claims": _rule_claims,
    "quiz": _rule_quiz,
    "exercises": _rule_exercises,
    "digest": _rule_digest,
}


# ---------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """The result of checking a data folder.

    ``problems`` as from :func:`check`; ``rows`` maps each table to its checked
    :class:`Row` objects (``None`` for a table that could not be read); ``row_count`` is
    the number of data rows read; ``key`` identifies the files' versions (``None`` when
    the files were too fresh to cache).
    """

    data_dir: Path
    package: Package
    problems: tuple[Problem, ...]
    rows: Mapping[str, tuple[Row, ...] | None]
    row_count: int
    key: tuple[Any, ...] | None

    @property
    def ok(self) -> bool:
        """True when there are no problems."""
        return not self.problems


_cache: dict[Path, Validation] = {}
_cache_lock = threading.Lock()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _files_key(folder: Path, schema_file: Path, package: Package) -> tuple[Any, ...] | None:
    """Versions of the schema and data files, or ``None`` if one changed very recently."""
    stamps = [(str(schema_file), _stamp(schema_file))]
    stamps += [(r.path, _stamp(folder / r.path)) for r in package.resources]
    now = time.time_ns()
    if any(s is not None and now - s[0] < _STABLE_AFTER_NS for _, s in stamps):
        return None
    return (str(folder), *stamps)


def validate(data_dir: str | os.PathLike[str] | None = None) -> Validation:
    """Check a data folder and keep what was read (used by the loaders).

    See :func:`check`. Raises ``FileNotFoundError`` / ``NotADirectoryError`` when the
    folder itself does not exist.
    """
    folder = paths.data_dir(data_dir)
    if not folder.exists():
        raise FileNotFoundError(f"No data folder at {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a data folder")
    schema_file = paths.schema_path(folder)
    try:
        package = load_package(schema_file)
    except SchemaError as exc:
        problem = Problem(schema_file.name, 1, FILE_COLUMN, str(exc.__cause__ or exc)[:200],
                          "a valid datapackage.json (the schema of the tables)")
        return Validation(folder, Package(schema_file, ()), (problem,), {}, 0, None)
    key = _files_key(folder, schema_file, package)
    with _cache_lock:
        cached = _cache.get(folder)
    if key is not None and cached is not None and cached.key == key:
        return cached
    result = _run(folder, package, key)
    if key is not None:
        with _cache_lock:
            _cache[folder] = result
    return result


def _run(folder: Path, package: Package, key: tuple[Any, ...] | None) -> Validation:
    tables = {r.name: _Table(r, i) for i, r in enumerate(package.resources)}
    for table in tables.values():
        _read_table(table, folder)
        if table.rows is None:
            continue
        for row in table.rows:
            _check_only_when(table, row)
            _check_dates(table, row)
            _check_plausible(table, row)
        _check_unique(table)
    for table in tables.values():
        if table.rows is None:
            continue
        _check_foreign_keys(table, tables)
        _check_list_refs(table, tables)
        _check_within_period(table, tables)
        rule = _RULES.get(table.resource.name)
        if rule is not None:
            rule(table, tables)
    ordered = sorted(
        (item for table in tables.values() for item in table.problems), key=lambda item: item[0]
    )
    rows = {name: (tuple(t.rows) if t.rows is not None else None) for name, t in tables.items()}
    count = sum(len(r) for r in rows.values() if r is not None)
    return Validation(folder, package, tuple(p for _, p in ordered), rows, count, key)


def clear_cache() -> None:
    """Forget every cached check result (the next check reads the files again)."""
    with _cache_lock:
        _cache.clear()
    _package_cache.clear()


def check(data_dir: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Check every CSV file of a data folder against ``datapackage.json``.

    ``data_dir`` defaults to :func:`cambodia_russia.paths.data_dir` (the
    ``CAMBODIA_RUSSIA_DATA`` variable, else the repository's ``data/``). Returns the
    problems found, one per finding, in table order, then row order, then column order;
    an empty list means the data is valid. Bad data never raises: only a data folder that
    does not exist does (``FileNotFoundError``).
    """
    return list(validate(data_dir).problems)
