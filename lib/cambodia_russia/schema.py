"""The data check: reads ``datapackage.json`` and checks the CSV files against it.

:func:`check` returns a list of :class:`Problem` objects in table order (as in
``datapackage.json``), then spreadsheet row, then column. Each prints as one line::

    events.csv, row 7, column month: got "13"; expected a month number from 1 to 12

Every rule comes from ``datapackage.json`` (a Frictionless Data Package; ``docs/schema.md``
explains why this short checker and not Frictionless): column names, types, ``required``,
``unique``, ``enum``, ``pattern``, ``minimum``/``maximum``, ``primaryKey``, ``uniqueKeys``,
``foreignKeys`` and the project's ``x-`` keys (lists, citations, dates, a year within its
period, conditional columns, ``x-not-before``, ``x-non-negative``, ``x-tally``), all
explained in ``data/README.md``. Only the rules in "Rules about particular tables" (core
texts need ``para N``, quiz answers) name columns here.

Data is untrusted input: the descriptor's shape is checked before use; files are examined
with ``lstat`` (links, FIFOs, devices, files over :data:`MAX_FILE_BYTES` are reported,
never opened); CSV is read by a strict RFC 4180 reader into strings; patterns only run on
cells of at most :data:`MAX_PATTERN_INPUT` characters; :func:`printable` escapes control
characters in every line. No pandas here, so ``python -m cambodia_russia check`` is quick.
"""

from __future__ import annotations

import codecs
import difflib
import json
import math
import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from . import paths
from .dates import MONTH_NAMES, PartialDate, days_in_month, same_at_coarser_precision

__all__ = [
    "CORE_LOCATOR",
    "FILE_COLUMN",
    "DataError",
    "Field",
    "Package",
    "Problem",
    "Resource",
    "Row",
    "SchemaError",
    "Validation",
    "check",
    "load_package",
    "parse_citation",
    "printable",
    "split_paragraphs",
    "validate",
]

#: Column name used in problems about a whole file (missing file, encoding, the schema).
FILE_COLUMN = "(file)"
#: Locator a citation of a core text must have: ``para N`` (N counts from 1).
CORE_LOCATOR = re.compile(r"para\s+([1-9][0-9]*)")
#: Characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = "=+-@"
#: Largest file the check reads (the schema and each CSV file), in bytes.
MAX_FILE_BYTES = 20_000_000
#: Longest cell a pattern is matched against (longer cells are reported unmatched).
MAX_PATTERN_INPUT = 2_000

_INTEGER = re.compile(r"-?[0-9]{1,18}")
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\udc80-\udcff]")
# C0 and C1 controls, DEL, and marks that reorder or hide text (bidi overrides, zero width)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_CELL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, line ends ok


def printable(text: str) -> str:
    """``text`` with control characters written as escapes (``\\x1b``), safe to print.

    >>> printable("red \\x1b[31mtext")
    'red \\\\x1b[31mtext'
    """
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One finding: ``row`` is the spreadsheet row (header = 1), ``column`` the column name,
    ``(file)`` or a column letter; ``value`` what the cell holds, ``expected`` what it
    should hold."""

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        value = self.value.replace("\r", "\\r").replace("\n", "\\n")
        return printable(
            f"{self.file}, row {self.row}, column {self.column}: "
            f'got "{value}"; expected {self.expected}'
        )


class DataError(ValueError):
    """The data folder has problems (raised by the loaders); ``problems`` holds them."""

    def __init__(self, data_dir: str | os.PathLike[str], problems: Iterable[Problem]):
        self.data_dir = Path(data_dir)
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = [f"Invalid data in {self.data_dir}: {len(self.problems)} problem(s)"]
        super().__init__("\n".join(lines + [str(p) for p in self.problems]))


class SchemaError(ValueError):
    """``datapackage.json`` itself is broken (not JSON, or not shaped as described)."""


# --- The shape of datapackage.json, checked before anything is read from it ------------

_S, _B, _L, _D, _N, _I = (
    "text",
    "true or false",
    "a list",
    "an object",
    "a number",
    "a whole number",
)
_TYPES = ("string", "integer", "number", "boolean")
# A dict is an object with these keys ("!" = required), [spec] a list of spec; the words
# "name", "type", "path", "names", "scalar", "value" and "members" are checked below.
_DATE = {"!year": _S, "month": _S, "day": _S}
_FIELD = {
    "!name": "name",
    "type": "type",
    "description": _S,
    "x-noun": _S,
    "x-pattern-hint": _S,
    "x-refs": _S,
    "x-item-pattern": _S,
    "x-not-before": _S,
    "x-list": _B,
    "x-citations": _B,
    "x-max-words": _I,
    "trueValues": [_S],
    "falseValues": [_S],
    "x-only-when": {"!field": _S, "!equals": "value"},
    "x-non-negative": {"!unless": {"!field": _S, "!in": _L}},
    "constraints": {
        "required": _B,
        "unique": _B,
        "minimum": _N,
        "maximum": _N,
        "pattern": _S,
        "enum": ["scalar"],
    },
}
_RESOURCE = {
    "!name": "name",
    "!path": "path",
    "title": _S,
    "description": _S,
    "!schema": {
        "!fields": [_FIELD],
        "primaryKey": "names",
        "uniqueKeys": ["names"],
        "foreignKeys": [
            {"!fields": _S, "x-where": _D, "!reference": {"!resource": _S, "!fields": _S}}
        ],
    },
    "x-date": {"!start": _DATE, "end": _DATE, "approximate": _S},
    "x-within-period": {"!year": _S, "!period": _S},
    "x-tally": {"!fields": [_S], "!body": _S, "!year": _S, "source": _S, "!members": "members"},
}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _B
    if isinstance(value, int | float):
        return _I if isinstance(value, int) else _N
    return _S if isinstance(value, str) else _L if isinstance(value, list) else _D


def _want(value: Any, kind: str, where: str) -> Any:
    got = _kind(value)
    if got != kind and not (kind == _N and got == _I):
        raise SchemaError(f"{where}: expected {kind}, got {got}")
    return value


def _bad(where: str, what: str, value: Any) -> SchemaError:
    return SchemaError(f"{where}: expected {what}, got {value!r}"[:300])


def _shape(value: Any, spec: Any, where: str) -> None:
    """Raise :class:`SchemaError` naming the place (``resources[2].schema.fields``) when
    ``value`` is not shaped as ``spec`` says."""
    if isinstance(spec, dict):
        _want(value, _D, where)
        for key, sub in spec.items():
            name = key.lstrip("!")
            if name in value or key.startswith("!"):
                _shape(value.get(name), sub, f"{where}.{name}" if where else name)
    elif isinstance(spec, list):
        for i, item in enumerate(_want(value, _L, where)):
            _shape(item, spec[0], f"{where}[{i}]")
    elif spec == "name":
        if not _want(value, _S, where).strip() or _CONTROL.search(value):
            raise _bad(where, "a name (visible text)", value)
    elif spec == "type":
        if value not in _TYPES:
            raise _bad(where, f"one of {', '.join(_TYPES)}", value)
    elif spec == "path":
        pure = Path(_want(value, _S, where))
        if (
            not value
            or value.startswith(("/", "\\"))
            or pure.is_absolute()
            or ":" in value
            or "\\" in value
            or ".." in pure.parts
            or "\x00" in value
        ):
            raise _bad(where, "a file name inside the data folder (like events.csv)", value)
    elif spec == "names":
        _shape(value, _S if isinstance(value, str) else [_S], where)
    elif spec == "scalar":
        if _kind(value) not in (_S, _I, _N):
            raise SchemaError(f"{where}: expected text or a number, got {_kind(value)}")
    elif spec == "value":
        if value is None:
            raise SchemaError(f"{where}: expected a value, got null")
    elif spec == "members":
        for body, table in _want(value, _D, where).items():
            for year, count in _want(table, _D, f"{where}.{body}").items():
                if not re.fullmatch(r"[0-9]{4}", year) or _kind(count) != _I:
                    raise _bad(
                        f"{where}.{body}",
                        'a year (like "1955") and a whole number',
                        f"{year}: {count}",
                    )
    else:
        _want(value, spec, where)


# --- The schema as objects -------------------------------------------------------------


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern) if pattern is not None else None
    except re.error as exc:
        raise SchemaError(f"bad pattern {pattern!r}: {exc}"[:300]) from None


class Field:
    """One column, read from its descriptor (``desc`` keeps the whole of it)."""

    def __init__(self, desc: Mapping[str, Any]):
        c = desc.get("constraints", {})
        only, unless = desc.get("x-only-when"), desc.get("x-non-negative", {}).get("unless")
        self.desc, self.name, self.type = desc, desc["name"], desc.get("type", "string")
        self.description = desc.get("description", "")
        self.required, self.unique = c.get("required", False), c.get("unique", False)
        self.enum = tuple(str(v) for v in c["enum"]) if "enum" in c else None
        self.pattern, self.item_pattern = (
            _compile(c.get("pattern")),
            _compile(desc.get("x-item-pattern")),
        )
        self.minimum, self.maximum = c.get("minimum"), c.get("maximum")
        self.hint = desc.get("x-pattern-hint")
        self.noun = desc.get("x-noun") or (
            "a whole number" if self.type == "integer" else "a number"
        )
        self.is_list, self.refs = desc.get("x-list", False), desc.get("x-refs")
        self.citations, self.max_words = desc.get("x-citations", False), desc.get("x-max-words")
        self.only_when = (only["field"], only["equals"]) if only else None
        self.true_values = set(desc.get("trueValues", ["true"]))
        self.false_values = set(desc.get("falseValues", ["false"]))
        self.not_before, self.non_negative = desc.get("x-not-before"), "x-non-negative" in desc
        self.signed_when = (unless["field"], tuple(unless["in"])) if unless else None


class ForeignKey(NamedTuple):
    field: str
    resource: str
    ref_field: str
    where: tuple[tuple[str, Any], ...]


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


class Resource:
    """One table: its file, fields, keys and ``x-`` rules."""

    def __init__(self, desc: Mapping[str, Any]):
        schema = desc["schema"]
        self.desc, self.name, self.path = desc, desc["name"], desc["path"]
        self.title, self.description = desc.get("title", ""), desc.get("description", "")
        self.fields = tuple(Field(f) for f in schema["fields"])
        self.field_names = tuple(f.name for f in self.fields)
        self.conditional = [f for f in self.fields if f.only_when]
        self.plausible = [f for f in self.fields if f.not_before or f.non_negative]
        self.primary_key = _names(schema.get("primaryKey", ()))
        keys = [self.primary_key] if self.primary_key else []
        keys += [(f.name,) for f in self.fields if f.unique and (f.name,) not in keys]
        self.unique_keys = keys + [_names(k) for k in schema.get("uniqueKeys", [])]
        self.foreign_keys = tuple(
            ForeignKey(
                fk["fields"],
                fk["reference"]["resource"] or self.name,
                fk["reference"]["fields"],
                tuple(fk.get("x-where", {}).items()),
            )
            for fk in schema.get("foreignKeys", [])
        )
        self.date = desc.get("x-date")
        self.within_period = desc.get("x-within-period")
        self.tally = desc.get("x-tally")
        if self.tally:
            self.members = {
                body: sorted((int(y), n) for y, n in table.items())
                for body, table in self.tally["members"].items()
            }

    def field(self, name: str) -> Field:
        """The field called ``name`` (``KeyError`` if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")

    def date_columns(self) -> dict[str, str]:
        """Every ``x-date`` column, by part (``start.year``, ``end.month``, ...)."""
        date = self.date or {}
        found = {
            f"{part}.{k}": c for part in ("start", "end") for k, c in (date.get(part) or {}).items()
        }
        return found | ({"approximate": date["approximate"]} if "approximate" in date else {})

    def _verify(self, tables: Mapping[str, Resource]) -> None:
        named = list(self.date_columns().values()) + list((self.within_period or {}).values())
        named += [n for key in self.unique_keys for n in key] + [
            fk.field for fk in self.foreign_keys
        ]
        named += [
            c
            for f in self.fields
            for c in (f.not_before, (f.only_when or [None])[0], (f.signed_when or [None])[0])
            if c
        ]
        if self.tally:
            named += [*self.tally["fields"], self.tally["body"], self.tally["year"]]
        unknown = [c for c in named if c not in self.field_names]
        if unknown:
            raise SchemaError(f"{self.name}: the schema names unknown columns {unknown}"[:300])
        for fk in self.foreign_keys:
            target = tables.get(fk.resource)
            if (
                target is None
                or fk.ref_field not in target.field_names
                or any(c not in target.field_names for c, _ in fk.where)
            ):
                raise SchemaError(
                    f"{self.name}: foreign key {fk.field} names an unknown table or column"
                )
        types = {f.name: f.type for f in self.fields}
        whole = [c for k, c in self.date_columns().items() if k != "approximate"]
        whole += [self.within_period["year"]] if self.within_period else []
        numeric = [
            c
            for f in self.fields
            if f.not_before or f.non_negative
            for c in (f.name, f.not_before)
            if c
        ]
        if self.tally:
            whole.append(self.tally["year"])
            numeric += self.tally["fields"]
        for column in whole:
            if types[column] != "integer":
                raise SchemaError(f"{self.name}.{column}: a date or year column needs type integer")
        for column in numeric:
            if types[column] not in ("integer", "number"):
                raise SchemaError(f"{self.name}.{column}: this rule needs type integer or number")
        for f in self.fields:
            if f.refs and f.refs not in tables:
                raise SchemaError(f"{self.name}.{f.name}: x-refs names an unknown table {f.refs!r}")
            if (f.citations or f.refs) and not f.is_list:
                raise SchemaError(f"{self.name}.{f.name}: x-citations and x-refs need x-list: true")


@dataclass(frozen=True)
class Package:
    """The whole schema: ``resources`` in their order, ``descriptor`` the parsed JSON."""

    path: Path
    resources: tuple[Resource, ...]
    descriptor: Mapping[str, Any]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.resources)

    def resource(self, name: str) -> Resource:
        """The table called ``name`` (``KeyError`` if there is none)."""
        for r in self.resources:
            if r.name == name:
                return r
        raise KeyError(f"the schema has no table {name!r}")


def load_package(path: str | os.PathLike[str] | None = None) -> Package:
    """Read and check a ``datapackage.json`` (default: :func:`paths.schema_path`).

    :class:`SchemaError` (one line naming the place) when it is not a regular file under
    :data:`MAX_FILE_BYTES`, not JSON, or not shaped as ``data/README.md`` describes;
    ``FileNotFoundError`` when it does not exist.
    """
    file = Path(path) if path is not None else paths.schema_path()
    why = _file_problem(file.parent, file.name)
    if why == "missing":
        raise FileNotFoundError(f"No schema at {file}")
    if why is not None:
        raise SchemaError(f"{file.name} is {why}")
    try:
        descriptor = json.loads(_read_safely(file).decode("utf-8-sig"))
    except OSError as exc:
        raise SchemaError(f"{file.name} cannot be read: {exc.strerror}") from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise SchemaError(f"{file.name} is not a valid JSON file: {exc}"[:300]) from None
    _want(descriptor, _D, "the file")
    _shape(descriptor, {"!resources": [_RESOURCE]}, "")
    resources = tuple(Resource(r) for r in descriptor["resources"])
    tables = {r.name: r for r in resources}
    for names in (
        [r.name for r in resources],
        [r.path for r in resources],
        *[r.field_names for r in resources],
    ):
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise SchemaError(f"each name only once, but {twice[0]!r} repeats"[:300])
    for r in resources:
        r._verify(tables)
    return Package(file.resolve(), resources, descriptor)


# --- Citations and paragraphs ----------------------------------------------------------


def parse_citation(item: str) -> tuple[str, str]:
    """Split one citation into ``(source_id, locator)``; the locator may be ``""``.

    >>> parse_citation("mosyakov_2021: para 4")
    ('mosyakov_2021', 'para 4')
    """
    source_id, _, locator = item.partition(":")
    return source_id.strip(), " ".join(locator.split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text as ``para N`` counts them: blocks of lines between
    blank lines (headings count); ``split_paragraphs(text)[n - 1]`` is paragraph ``n``."""
    blocks: list[str] = []
    current: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.strip():
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    return blocks


# --- Reading one file: lstat first, a strict CSV reader --------------------------------


def _file_problem(folder: Path, name: str) -> str | None:
    """Why ``folder/name`` must not be read (``None``: a regular file inside the folder,
    small enough). Uses ``lstat`` only, so a FIFO or device is never opened."""
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
        kind = (
            "a folder"
            if stat.S_ISDIR(info.st_mode)
            else "a named pipe (FIFO)"
            if stat.S_ISFIFO(info.st_mode)
            else "a device or socket"
        )
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
    """The bytes of a checked file, opened without following links and re-checked on the
    open descriptor (the file may have changed in between)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise OSError(0, f"more than the limit of {MAX_FILE_BYTES:,} bytes")
    return data


class _CsvSyntaxError(Exception):
    def __init__(self, records: list[list[str]], position: int, cell: str, expected: str):
        super().__init__(expected)
        self.records, self.position, self.cell, self.expected = records, position, cell, expected


# A quoted cell (quotes doubled inside) or an unquoted cell; both branches run in linear time.
_CSV_CELL = re.compile(r'"([^"]*(?:""[^"]*)*)"|([^",\r\n]*)')


def _parse_csv(text: str) -> list[list[str]]:
    """The records of a CSV text, read strictly (RFC 4180; Python's :mod:`csv` accepts a
    stray quotation mark even with ``strict=True``). Line ends ``\\n``, ``\\r\\n``, ``\\r``."""
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
                records.append(record + [""])
            continue
        if quoted is not None:
            raise _CsvSyntaxError(
                records,
                len(record),
                f'"{quoted}"{nxt}',
                "a comma or the end of the line right after the closing "
                'quotation mark (inside a quoted cell write "" for a '
                "quotation mark)",
            )
        if plain:
            raise _CsvSyntaxError(
                records,
                len(record),
                plain + '"',
                "a quotation mark only at the start and end of a cell "
                "(look for a stray quotation mark)",
            )
        raise _CsvSyntaxError(
            records,
            len(record),
            text[pos : pos + 60].split("\n", 1)[0],
            "a closing quotation mark for the one that opens this cell "
            "(look for a stray quotation mark)",
        )
    return records + ([record] if record else [])


def _letter(index: int) -> str:
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
    start = max(max(text.find("\\x"), 0) - limit // 3, 0)
    return (
        ("…" if start else "")
        + text[start : start + limit]
        + ("…" if start + limit < len(text) else "")
    )


class Row:
    """One data row: ``number`` (spreadsheet row), ``raw`` cell texts (stripped),
    ``values`` typed values (``None`` if empty or invalid), ``bad`` columns with a problem,
    ``dates`` its :class:`PartialDate` objects (``start``, ``end``) when valid."""

    __slots__ = ("number", "raw", "values", "bad", "dates")

    def __init__(self, number: int, raw: dict[str, str]):
        self.number, self.raw = number, raw
        self.values: dict[str, Any] = {}
        self.bad: set[str] = set()
        self.dates: dict[str, PartialDate] = {}

    def ok(self, *columns: str) -> bool:
        """True when every named column is present and its cell has no problem."""
        values, bad = self.values, self.bad
        return all(c in values and c not in bad for c in columns)


class _Table:
    """Working state for one table during a check."""

    def __init__(self, resource: Resource, index: int):
        self.resource, self.index, self.file = resource, index, resource.path
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.columns: dict[str, int] = {}  # known column present -> position in the header
        self.rows: list[Row] | None = None  # None: the file could not be read

    def add(
        self, row: int, column: str, value: str, expected: str, position: int | None = None
    ) -> None:
        if position is None:
            names = self.resource.field_names
            position = (
                -1
                if column == FILE_COLUMN
                else self.columns.get(
                    column, 10_000 + (names.index(column) if column in names else 0)
                )
            )
        self.problems.append(
            ((self.index, row, position), Problem(self.file, row, column, value, expected))
        )

    def cell(self, row: Row, column: str, value: str, expected: str) -> None:
        """Report a problem in a cell and mark the cell as bad."""
        row.bad.add(column)
        self.add(row.number, column, value, expected)

    def index_by(self, column: str = "id") -> dict[str, Row]:
        if self.rows is None or column not in self.columns:
            return {}
        found: dict[str, Row] = {}
        for row in self.rows:
            found.setdefault(row.raw[column], row)
        return found

    def report_at(self, records: list[list[str]], test: Any, expected: str) -> bool:
        """Report the first cell for which ``test`` is true (named by the header, else by
        its column letter); False when there is none."""
        header = records[0] if records else []
        for number, record in enumerate(records, start=1):
            for position, cell in enumerate(record):
                if test(cell):
                    name = header[position].strip() if position < len(header) else ""
                    if number == 1 or not name or test(name):
                        name = _letter(position)
                    self.add(number, name, _excerpt(cell), expected, position)
                    return True
        return False


_UTF8 = 'text saved as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8")'
_NUL = "no NUL character (a zero byte: the file is damaged or is not a text file)"


def _read_records(table: _Table, folder: Path) -> list[list[str]] | None:
    """The CSV records of a table's file, or ``None`` after reporting why not."""
    why = _file_problem(folder, table.file)
    if why is not None:
        table.add(
            1,
            FILE_COLUMN,
            "" if why == "missing" else why,
            f"a {'' if why == 'missing' else 'regular '}file named {table.file} in the data folder",
        )
        return None
    try:
        data = _read_safely(folder / table.file)
    except OSError as exc:
        table.add(
            1,
            FILE_COLUMN,
            exc.strerror or type(exc).__name__,
            f"a readable file named {table.file}",
        )
        return None
    data = data.removeprefix(codecs.BOM_UTF8)  # spreadsheets' "CSV UTF-8" writes one
    text = data.decode("utf-8", "surrogateescape")
    undecodable = bool(_SURROGATE.search(text))
    try:
        records = _parse_csv(text)
    except _CsvSyntaxError as exc:
        header = exc.records[0] if exc.records else []
        if undecodable:
            records = exc.records + [[exc.cell]]
        elif len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            return exc.records  # another delimiter: reported as such by _read_table
        else:
            name = header[exc.position].strip() if exc.position < len(header) else ""
            table.add(
                len(exc.records) + 1,
                name or _letter(exc.position),
                _excerpt(exc.cell),
                exc.expected,
                exc.position,
            )
            return None
    if undecodable:
        if not table.report_at(records, _SURROGATE.search, _UTF8):
            table.add(1, FILE_COLUMN, "", _UTF8)
        return None
    if "\x00" in text:
        table.report_at(records, lambda cell: "\x00" in cell, _NUL)
        return None
    return records


def _check_header(table: _Table, header: list[str], records: list[list[str]]) -> None:
    fields = table.resource.field_names
    names = {cell.strip() for cell in header}
    seen: dict[str, int] = {}
    for position, raw_name in enumerate(header):
        name = raw_name.strip()
        if not name:
            if any(position < len(r) and r[position].strip() for r in records[1:]):
                table.add(
                    1,
                    _letter(position),
                    "",
                    f"a column name in row 1 (column {_letter(position)} has values)",
                    position,
                )
        elif name in seen:
            table.add(
                1,
                name,
                name,
                f"each column name only once (it also heads column {_letter(seen[name])})",
                position,
            )
        elif name in fields:
            seen[name] = table.columns[name] = position
        else:
            seen[name] = position
            missing = [n for n in fields if n not in names]
            guess = {n.casefold(): n for n in missing}.get(name.casefold()) or next(
                iter(difflib.get_close_matches(name.casefold(), missing, n=1, cutoff=0.75)), None
            )
            table.add(
                1,
                name,
                name,
                f'a known column name (did you mean "{guess}"?)'
                if guess
                else f"a known column name (the columns of {table.file} are listed in "
                "data/README.md)",
                position,
            )
    for f in table.resource.fields:
        if f.required and f.name not in table.columns:
            table.add(1, f.name, "", f'a column named "{f.name}" (it is required)')


def _read_table(table: _Table, folder: Path) -> None:
    records = _read_records(table, folder)
    if records is None:
        return
    if not records or not any(cell.strip() for cell in records[0]):
        return table.add(1, FILE_COLUMN, "", "a first row with the column names")
    header = records[0]
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        return table.add(
            1,
            FILE_COLUMN,
            header[0][:60],
            'columns separated by commas (in a spreadsheet: Save As, "CSV UTF-8")',
        )
    _check_header(table, header, records)
    width, columns, rows = len(header), table.columns, []
    fields = [f for f in table.resource.fields if f.name in columns]
    absent = [f.name for f in table.resource.fields if f.name not in columns]
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line or a row of empty cells
        row = Row(
            number,
            {
                f.name: record[columns[f.name]].strip() if columns[f.name] < len(record) else ""
                for f in fields
            },
        )
        rows.append(row)
        for name in absent:
            row.raw[name], row.values[name] = "", None
        if len(record) < width:
            letter = _letter(len(record))
            table.add(
                number,
                header[len(record)].strip() or letter,
                "",
                f"{width} cells like the header row (this row has {len(record)}: it "
                f"stops before column {letter}; look for a missing comma or a stray "
                "quotation mark)",
                len(record),
            )
            row.bad.update(row.raw)
            continue
        extra = next((p for p in range(width, len(record)) if record[p].strip()), None)
        if extra is not None:
            table.add(
                number,
                _letter(extra),
                record[extra].strip(),
                f"no value to the right of the last column ({_letter(width - 1)})",
                extra,
            )
        for f in fields:
            _check_cell(table, row, f)
    table.rows = rows


# --- Cells and rows --------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _matches(table: _Table, row: Row, f: Field, text: str, pattern: re.Pattern[str]) -> bool:
    """Match ``text`` against a schema pattern, reporting a mismatch; text longer than
    :data:`MAX_PATTERN_INPUT` is reported without running the pattern."""
    expected = f.hint or f"text matching the pattern {pattern.pattern}"
    if len(text) > MAX_PATTERN_INPUT:
        table.cell(
            row,
            f.name,
            text[:60] + "…",
            f"at most {MAX_PATTERN_INPUT:,} characters ({expected}; this has {len(text):,})",
        )
        return False
    if not pattern.fullmatch(text):
        table.cell(row, f.name, text, expected)
    return f.name not in row.bad


def _typed(table: _Table, row: Row, f: Field, raw: str) -> Any:
    """The value of a non-empty cell, or ``None`` after reporting its problem."""
    if f.type == "integer":
        if _INTEGER.fullmatch(raw):
            return int(raw)
        return table.cell(row, f.name, raw, "a whole number written with digits (like 3 or 1970)")
    if f.type == "number":
        number = float(raw) if _NUMBER.fullmatch(raw) else math.nan
        if math.isfinite(number):
            return number
        return table.cell(
            row,
            f.name,
            raw,
            "a number written with digits and a dot for "
            "decimals, without units or thousands separators (like 239 or 13.65)",
        )
    if f.type == "boolean":
        if raw in f.true_values or raw in f.false_values:
            return raw in f.true_values
        return table.cell(row, f.name, raw, "true or false")
    control = _CONTROL_IN_CELL.search(raw)
    if control:
        return table.cell(
            row,
            f.name,
            raw,
            f"text without control characters (this has "
            f"{printable(control.group())}, which a terminal may run as a command)",
        )
    if raw[0] in FORMULA_STARTS:
        return table.cell(
            row,
            f.name,
            raw,
            f'text that does not start with "{raw[0]}" (spreadsheets would run it as a formula)',
        )
    if f.is_list:
        items = [item.strip() for item in raw.split(";")]
        if "" in items:
            return table.cell(row, f.name, raw, 'items separated by ";" with no empty item')
        if f.item_pattern and not all(_matches(table, row, f, i, f.item_pattern) for i in items):
            return None
        return tuple(parse_citation(i) for i in items) if f.citations else tuple(items)
    if f.enum is not None and raw not in f.enum:
        return table.cell(row, f.name, raw, "one of: " + ", ".join(f.enum))
    if f.pattern and not _matches(table, row, f, raw, f.pattern):
        return None
    if f.max_words is not None and len(raw.split()) > f.max_words:
        return table.cell(
            row, f.name, raw, f"at most {f.max_words} words (this has {len(raw.split())})"
        )
    return raw


def _check_cell(table: _Table, row: Row, f: Field) -> None:
    raw = row.raw[f.name]
    row.values[f.name] = None
    if raw == "":
        if f.required:
            table.cell(row, f.name, "", "a value (this column is required)")
        return
    value = _typed(table, row, f, raw)
    if value is None:
        return
    low, high = f.minimum, f.maximum
    if f.type in ("integer", "number") and (
        low is not None and value < low or high is not None and value > high
    ):
        where = (
            f"from {_fmt(low)} to {_fmt(high)}"
            if low is not None and high is not None
            else f"of at least {_fmt(low)}"
            if low is not None
            else f"of at most {_fmt(high)}"
        )
        return table.cell(row, f.name, raw, f"{f.noun} {where}")
    row.values[f.name] = value


def _check_row(table: _Table, row: Row) -> None:
    """Conditional columns (``x-only-when``), dates and the plausibility rules."""
    for f in table.resource.conditional:
        if f.name in table.columns and f.name not in row.bad:
            other, equals = f.only_when
            if row.ok(other) and row.values[other] is not None:
                applies, raw = row.values[other] == equals, row.raw[f.name]
                if applies and raw == "":
                    table.cell(
                        row, f.name, "", f"a value (required when {other} is {_fmt(equals)})"
                    )
                elif not applies and raw != "":
                    table.cell(
                        row,
                        f.name,
                        raw,
                        f"an empty cell (this column is only used when {other} is {_fmt(equals)})",
                    )
    if table.resource.date:
        _check_dates(table, row)
    for f in table.resource.plausible:
        value = row.values.get(f.name) if row.ok(f.name) else None
        if value is None:
            continue
        first = row.values.get(f.not_before) if f.not_before and row.ok(f.not_before) else None
        if first is not None and value < first:
            table.cell(
                row, f.name, row.raw[f.name], f"{f.noun} not before {f.not_before} ({_fmt(first)})"
            )
        elif f.non_negative and value < 0:
            other, allowed = f.signed_when or ("", ())
            if other and (not row.ok(other) or row.values[other] in allowed):
                continue
            table.cell(
                row,
                f.name,
                row.raw[f.name],
                f"{f.noun} of at least 0"
                + (
                    f" (only {other} " + ", ".join(map(_fmt, allowed)) + " may be negative)"
                    if other
                    else ""
                ),
            )
    tally = table.resource.tally
    if tally and row.ok(*tally["fields"], tally["body"], tally["year"]):
        counts = [(c, row.values[c]) for c in tally["fields"] if row.values[c] is not None]
        body, year = row.values[tally["body"]], row.values[tally["year"]]
        limit = next(
            (
                n
                for first, n in reversed(table.resource.members.get(body, []))
                if year is not None and first <= year
            ),
            None,
        )
        total = sum(n for _, n in counts)
        if limit is not None and counts and total > limit:
            table.cell(
                row,
                counts[0][0],
                " + ".join(f"{n} {c}" for c, n in counts) + f" = {total}",
                f"at most {limit} votes in all (the {body} had {limit} members in {year})",
            )


def _date_part(
    table: _Table, row: Row, parts: Mapping[str, str], approximate: bool
) -> PartialDate | None:
    ycol, mcol, dcol = parts["year"], parts.get("month"), parts.get("day")
    if any(c in row.bad for c in (ycol, mcol, dcol) if c):
        return None
    year, month, day = (row.values.get(c) if c else None for c in (ycol, mcol, dcol))
    for small, big, value, above in ((dcol, mcol, day, month), (mcol, ycol, month, year)):
        if value is not None and above is None:
            table.cell(
                row,
                small,
                row.raw[small],
                f"an empty {small} cell when the {big} cell is empty (fill in the {big} first)",
            )
            return None
    if year is None or not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and not 1 <= day <= days_in_month(year, month):
        last = days_in_month(year, month)
        table.cell(
            row,
            dcol,
            row.raw[dcol],
            f"a day from 1 to {last} ({MONTH_NAMES[month]} {year} has {last} days)",
        )
        return None
    return PartialDate(year, month, day, approximate)


def _check_dates(table: _Table, row: Row) -> None:
    spec = table.resource.date
    flag = spec.get("approximate")
    start = _date_part(table, row, spec["start"], bool(flag and row.values.get(flag)))
    end = _date_part(table, row, spec["end"], False) if spec.get("end") else None
    if start is not None:
        row.dates["start"] = start
    if start is None or end is None:
        return
    if end.last_day >= start.first_day:
        row.dates["end"] = end
        return
    part = (
        "year"
        if end.year < start.year or end.month is None or start.month is None
        else "month"
        if end.month < start.month or end.day is None
        else "day"
    )
    column = spec["end"][part]
    table.cell(
        row, column, row.raw[column], f"an end date on or after the start date ({start.label()})"
    )


def _check_unique(table: _Table) -> None:
    for key in table.resource.unique_keys:
        if not all(c in table.columns for c in key):
            continue
        seen: dict[tuple[str, ...], int] = {}
        column = key[-1]
        for row in table.rows or ():
            if any(row.raw[c] == "" or c in row.bad for c in key):
                continue
            value = tuple(row.raw[c] for c in key)
            if value not in seen:
                seen[value] = row.number
                continue
            among = " and ".join(f"{c} is {row.raw[c]}" for c in key[:-1])
            table.cell(
                row,
                column,
                row.raw[column],
                f"a unique {column} among the rows whose "
                f"{among} (row {seen[value]} already uses {row.raw[column]})"
                if among
                else f"a unique {column} (row {seen[value]} already uses it)",
            )


# --- Checks across tables --------------------------------------------------------------


def _check_references(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Foreign keys (with ``x-where``), ``x-refs`` lists and ``x-within-period``."""
    rows = table.rows or []
    for fk in table.resource.foreign_keys:
        target = tables[fk.resource]
        if fk.field not in table.columns or fk.ref_field not in target.columns:
            continue
        index = target.index_by(fk.ref_field)
        for row in rows:
            value = row.raw[fk.field]
            ref = index.get(value)
            if not value or fk.field in row.bad:
                continue
            if ref is None:
                table.cell(row, fk.field, value, f"an id that exists in {target.file}")
                continue
            for column, wanted in fk.where:
                if ref.ok(column) and ref.values[column] != wanted:
                    table.cell(
                        row,
                        fk.field,
                        value,
                        f"the id of a row of {target.file} whose {column} is {_fmt(wanted)}",
                    )
                    break
    for f in table.resource.fields:
        target = tables.get(f.refs or "")
        key = (target.resource.primary_key or ("id",))[0] if target else ""
        if target is None or f.name not in table.columns or key not in target.columns:
            continue
        index = target.index_by(key)
        for row in rows:
            for item in (row.values.get(f.name) or ()) if f.name not in row.bad else ():
                source, locator = item if f.citations else (item, "")
                text = f"{source}: {locator}" if locator else source
                if source not in index:
                    table.cell(row, f.name, text, f"an id that exists in {target.file}")
                    break
                if f.citations and _is_core(index[source]) and not CORE_LOCATOR.fullmatch(locator):
                    table.cell(
                        row,
                        f.name,
                        text,
                        f'a paragraph locator for this core text, like "{source}: para 4"',
                    )
                    break
    spec = table.resource.within_period
    fk = next((k for k in table.resource.foreign_keys if spec and k.field == spec["period"]), None)
    periods = tables[fk.resource] if fk else None
    span = periods.resource.date if periods else None
    if not spec or not span or not span.get("end"):
        return
    ycol, pcol = spec["year"], spec["period"]
    first_col, last_col = span["start"]["year"], span["end"]["year"]
    index = periods.index_by(fk.ref_field)  # type: ignore[union-attr]
    for row in rows:
        period = index.get(row.raw[pcol]) if row.ok(ycol, pcol) else None
        if period is None or not period.ok(first_col, last_col):
            continue
        first, last, year = period.values[first_col], period.values[last_col], row.values[ycol]
        if first is None or year is None or first <= year and (last is None or year <= last):
            continue
        years = f"to {last}" if last is not None else "onwards"
        table.cell(
            row,
            ycol,
            row.raw[ycol],
            f"a year from {first} {years} (the years of period {row.raw[pcol]})",
        )


# --- Rules about particular tables (content rules the Table Schema cannot express) -----

_CORE = "core"  # sources.csv: true for the three core texts, which need "para N"


def _is_core(source: Row | None) -> bool:
    return bool(source is not None and source.ok(_CORE) and source.values[_CORE])


def _rule_claims(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Claims from core texts need a ``para N`` locator; only core texts are quoted."""
    sources = tables["sources"].index_by()
    for row in table.rows or ():
        source = sources.get(row.raw["source"]) if row.ok("source") else None
        if source is None or not source.ok(_CORE):
            continue
        if (
            _is_core(source)
            and row.ok("locator")
            and not CORE_LOCATOR.fullmatch(row.raw["locator"])
        ):
            table.cell(
                row,
                "locator",
                row.raw["locator"],
                'a paragraph locator like "para 4" (the source is one of the three core texts)',
            )
        if not _is_core(source) and row.ok("quote") and row.raw["quote"]:
            table.cell(
                row,
                "quote",
                row.raw["quote"],
                "an empty quote (exact quotes are kept only for the three core texts)",
            )


def _rule_quiz(table: _Table, tables: Mapping[str, _Table]) -> None:
    """A choice question has its answer among its options; an order question has 3 to 5
    existing events whose dates differ, and no answer."""
    events = tables["events"].index_by()
    for row in table.rows or ():
        if not row.ok("kind", "options", "answer") or row.values["kind"] is None:
            continue
        options, answer = row.values["options"] or (), row.raw["answer"]
        if row.values["kind"] == "choice":
            if len(options) < 2:
                table.cell(
                    row, "options", row.raw["options"], 'at least two options separated by ";"'
                )
            if answer == "":
                table.cell(
                    row,
                    "answer",
                    "",
                    "the exact text of the right option (a choice question needs one)",
                )
            elif answer not in options:
                table.cell(
                    row,
                    "answer",
                    answer,
                    "the exact text of one of the options: " + "; ".join(options),
                )
            continue
        if answer:
            table.cell(
                row,
                "answer",
                answer,
                "an empty answer for an order question (the "
                "right order comes from the events' dates)",
            )
        if not 3 <= len(options) <= 5:
            table.cell(row, "options", row.raw["options"], '3 to 5 event ids separated by ";"')
            continue
        unknown = [o for o in options if o not in events]
        if unknown and tables["events"].rows is not None:
            table.cell(row, "options", unknown[0], "an id that exists in events.csv")
            continue
        dated = [(o, events[o].dates.get("start")) for o in options if o in events]
        if len(dated) < len(options) or any(d is None for _, d in dated):
            continue  # the event's own date has a problem, reported in events.csv
        clash = next(
            (
                (a, da, b, db)
                for i, (a, da) in enumerate(dated)
                for b, db in dated[i + 1 :]
                if same_at_coarser_precision(da, db)
            ),
            None,
        )  # type: ignore
        if clash:
            a, da, b, db = clash
            coarser = (
                da
                if ("day", "month", "year").index(da.precision)
                >= ("day", "month", "year").index(db.precision)
                else db
            )
            table.cell(
                row,
                "options",
                f"{a}; {b}",
                f"events whose dates differ ({a} and {b} both date from {coarser.label()})",
            )


_RULES = {"claims": _rule_claims, "quiz": _rule_quiz}


# --- The check -------------------------------------------------------------------------


@dataclass(frozen=True)
class Validation:
    """The result of checking a folder: ``problems`` as from :func:`check`, ``rows`` the
    checked :class:`Row` objects of each table (``None`` if it could not be read)."""

    data_dir: Path
    package: Package
    problems: tuple[Problem, ...]
    rows: Mapping[str, tuple[Row, ...] | None]

    @property
    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values() if r is not None)


def validate(data_dir: str | os.PathLike[str] | None = None) -> Validation:
    """Check a data folder and keep the rows read (used by the loaders). ``folder/
    datapackage.json`` is the schema when present, else the shipped one. Raises only when
    the folder itself does not exist (``FileNotFoundError``, ``NotADirectoryError``)."""
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        raise (
            NotADirectoryError(f"{folder} is a file, not a data folder")
            if folder.exists()
            else FileNotFoundError(f"No data folder at {folder}")
        )
    schema_file = paths.schema_path(folder)
    try:
        package = load_package(schema_file)
    except SchemaError as exc:
        problem = Problem(
            schema_file.name,
            1,
            FILE_COLUMN,
            str(exc)[:200],
            "a valid datapackage.json (the schema of the tables)",
        )
        return Validation(folder, Package(schema_file, (), {}), (problem,), {})
    tables = {r.name: _Table(r, i) for i, r in enumerate(package.resources)}
    for table in tables.values():
        _read_table(table, folder)
        for row in table.rows or ():
            _check_row(table, row)
        _check_unique(table)
    for name, table in tables.items():
        if table.rows is not None:
            _check_references(table, tables)
            if name in _RULES and all(n in tables for n in ("sources", "events")):
                _RULES[name](table, tables)
    found = sorted((p for t in tables.values() for p in t.problems), key=lambda p: p[0])
    rows = {n: tuple(t.rows) if t.rows is not None else None for n, t in tables.items()}
    return Validation(folder, package, tuple(p for _, p in found), rows)


def check(data_dir: str | os.PathLike[str] | None = None) -> list[Problem]:
    """Check every CSV file of a data folder (default :func:`paths.data_dir`) against its
    ``datapackage.json``: the problems in table, row, column order; ``[]`` means valid.
    Bad data never raises; a folder that does not exist does (``FileNotFoundError``)."""
    return list(validate(data_dir).problems)
