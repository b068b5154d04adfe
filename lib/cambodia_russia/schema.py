"""The data check: the CSV files of a data folder against its ``datapackage.json``.

:func:`check` returns :class:`Problem` objects in table, row and column order; each prints
as one line naming the file, the spreadsheet row and the column. Every rule comes from the
descriptor (``data/README.md`` explains its keys, ``docs/schema.md`` why this checker),
except the "Rules about particular tables" below. Data is untrusted: files are examined
with ``lstat`` before they are read, CSV is read strictly, overlong cells never reach a
pattern and every line goes through :func:`printable`. No pandas, so the check is quick.
"""

from __future__ import annotations

import codecs
import difflib
import itertools
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
from .dates import MONTH_NAMES, PRECISIONS, PartialDate, days_in_month, same_at_coarser_precision

__all__ = [
    "CORE_LOCATOR",
    "DataError",
    "Problem",
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
_CORE = "core"  # sources.csv: true for the three core texts, which need "para N"
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
    """``text`` with control characters written as escapes (``\\x1b``), safe to print."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One finding: ``row`` is the spreadsheet row (header = 1), ``column`` a column name,
    ``(file)`` or a column letter, ``value`` what is there, ``expected`` what should be."""

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

_S, _B, _L = "text", "true or false", "a list"
_D, _N, _I = "an object", "a number", "a whole number"
_TYPES = ("string", "integer", "number", "boolean")
# A dict is an object with these keys ("!" = required), [spec] a list of spec; the words
# "name", "type", "path", "names", "scalar", "value" and "members" are checked in _shape.
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
    if isinstance(value, bool):
        return _B
    kinds = ((str, _S), (int, _I), (float, _N), (list, _L), (dict, _D))
    return next((kind for t, kind in kinds if isinstance(value, t)), "null")


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
        outside = value.startswith("/") or pure.is_absolute() or ".." in pure.parts
        if not value or outside or any(c in value for c in ":\\\x00"):
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
                    what = 'a year (like "1955") and a whole number'
                    raise _bad(f"{where}.{body}", what, f"{year}: {count}")
    else:
        _want(value, spec, where)


# --- The schema as objects -------------------------------------------------------------


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern) if pattern is not None else None
    except re.error as exc:
        raise SchemaError(f"bad pattern {pattern!r}: {exc}"[:300]) from None


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


class Field:
    """One column, read from its descriptor."""

    def __init__(self, desc: Mapping[str, Any]):
        c = desc.get("constraints", {})
        only, unless = desc.get("x-only-when"), desc.get("x-non-negative", {}).get("unless")
        self.name, self.type = desc["name"], desc.get("type", "string")
        self.required, self.unique = c.get("required", False), c.get("unique", False)
        self.enum = tuple(str(v) for v in c["enum"]) if "enum" in c else None
        self.pattern = _compile(c.get("pattern"))
        self.item_pattern = _compile(desc.get("x-item-pattern"))
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


class Resource:
    """One table: its file, fields, keys and ``x-`` rules."""

    def __init__(self, desc: Mapping[str, Any]):
        schema = desc["schema"]
        self.name, self.path = desc["name"], desc["path"]
        self.fields = tuple(Field(f) for f in schema["fields"])
        self.field_names = tuple(f.name for f in self.fields)
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
        self.members = {
            body: sorted((int(year), n) for year, n in table.items())
            for body, table in (self.tally or {}).get("members", {}).items()
        }

    def _verify(self, tables: Mapping[str, Resource]) -> None:
        """Raise :class:`SchemaError` when a key names a column or table that is not there,
        or a column of the wrong type."""
        date, period, tally = self.date or {}, self.within_period or {}, self.tally or {}
        whole = [c for part in ("start", "end") for c in (date.get(part) or {}).values()]
        whole += [period.get("year"), tally.get("year")]
        numeric = [
            c for f in self.fields if f.not_before or f.non_negative for c in (f.name, f.not_before)
        ]
        numeric += tally.get("fields", [])
        named = whole + numeric + [date.get("approximate"), period.get("period"), tally.get("body")]
        named += [c for key in self.unique_keys for c in key] + [k.field for k in self.foreign_keys]
        named += [(f.only_when or [None])[0] for f in self.fields]
        named += [(f.signed_when or [None])[0] for f in self.fields]
        unknown = [c for c in named if c and c not in self.field_names]
        if unknown:
            raise SchemaError(f"{self.name}: the schema names unknown columns {unknown}"[:300])
        for fk in self.foreign_keys:
            target = tables.get(fk.resource)
            columns = [fk.ref_field, *(c for c, _ in fk.where)]
            if target is None or any(c not in target.field_names for c in columns):
                raise SchemaError(
                    f"{self.name}: foreign key {fk.field} names an unknown table or column"
                )
        types = {f.name: f.type for f in self.fields}
        for column in filter(None, whole):
            if types[column] != "integer":
                raise SchemaError(f"{self.name}.{column}: a date or year column needs type integer")
        for column in filter(None, numeric):
            if types[column] not in ("integer", "number"):
                raise SchemaError(f"{self.name}.{column}: this rule needs type integer or number")
        for f in self.fields:
            if f.refs and f.refs not in tables:
                raise SchemaError(f"{self.name}.{f.name}: x-refs names an unknown table {f.refs!r}")
            if (f.citations or f.refs) and not f.is_list:
                raise SchemaError(f"{self.name}.{f.name}: x-citations and x-refs need x-list: true")


class Package(NamedTuple):
    """The schema: its file and its tables by name, in the descriptor's order."""

    path: Path
    resources: dict[str, Resource]


def load_package(path: str | os.PathLike[str] | None = None) -> Package:
    """Read and check a ``datapackage.json`` (default: :func:`paths.schema_path`):
    :class:`SchemaError` naming the place when it is not a small regular file, not JSON
    or not shaped as ``data/README.md`` describes; ``FileNotFoundError`` when missing."""
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
    resources = [Resource(r) for r in descriptor["resources"]]
    lists = [[r.name for r in resources], [r.path for r in resources]]
    for names in lists + [list(r.field_names) for r in resources]:
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise SchemaError(f"each name only once, but {twice[0]!r} repeats"[:300])
    tables = {r.name: r for r in resources}
    for r in resources:
        r._verify(tables)
    return Package(file.resolve(), tables)


# --- Citations and paragraphs ----------------------------------------------------------


def parse_citation(item: str) -> tuple[str, str]:
    """Split one citation (``"mosyakov_2021: para 4"``) into ``(source_id, locator)``;
    the locator may be ``""``."""
    source_id, _, locator = item.partition(":")
    return source_id.strip(), " ".join(locator.split())


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a source text as ``para N`` counts them: blocks of lines between
    blank lines (headings count); ``split_paragraphs(text)[n - 1]`` is paragraph ``n``."""
    blocks = itertools.groupby(text.splitlines(), key=lambda line: bool(line.strip()))
    return ["\n".join(lines) for filled, lines in blocks if filled]


# --- Reading one file: lstat first, a strict CSV reader --------------------------------


def _file_problem(folder: Path, name: str) -> str | None:
    """Why ``folder/name`` must not be read (``None``: a small regular file inside the
    folder). Uses ``lstat`` only, so a FIFO or device is never opened."""
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
        kinds = {stat.S_ISDIR: "a folder", stat.S_ISFIFO: "a named pipe (FIFO)"}
        kind = next((k for test, k in kinds.items() if test(info.st_mode)), "a device or socket")
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


# A quoted cell (quotes doubled inside) or an unquoted cell; both branches run in linear time.
_AFTER_QUOTE = (
    "a comma or the end of the line right after the closing quotation mark "
    '(inside a quoted cell write "" for a quotation mark)'
)
_STRAY_QUOTE = (
    "a quotation mark only at the start and end of a cell (look for a stray quotation mark)"
)
_UNCLOSED = (
    "a closing quotation mark for the one that opens this cell (look for a stray quotation mark)"
)
_CSV_CELL = re.compile(r'"([^"]*(?:""[^"]*)*)"|([^",\r\n]*)')


def _parse_csv(text: str) -> tuple[list[list[str]], tuple[int, str, str] | None]:
    """The records of a CSV text read strictly (RFC 4180, line ends ``\\n``, ``\\r\\n``,
    ``\\r``; Python's :mod:`csv` lets a stray quotation mark pass), and the first error:
    ``(cells read of its record, the bad text, what was expected)``."""
    records: list[list[str]] = []
    record: list[str] = []
    pos, end = 0, len(text)
    while pos < end:
        match = _CSV_CELL.match(text, pos)
        assert match is not None  # the second branch matches the empty string
        quoted, plain = match.groups()
        pos = match.end()
        nxt = text[pos] if pos < end else "\n"
        if nxt not in ",\r\n":
            if quoted is not None:
                return records, (len(record), f'"{quoted}"{nxt}', _AFTER_QUOTE)
            cell = plain + '"' if plain else text[pos : pos + 60].split("\n", 1)[0]
            return records, (len(record), cell, _STRAY_QUOTE if plain else _UNCLOSED)
        record.append(quoted.replace('""', '"') if quoted is not None else plain)
        pos += 2 if text.startswith("\r\n", pos) else 1
        if nxt != ",":
            records.append(record)
            record = []
        elif pos == end:  # a comma as the very last character: one more empty cell
            records.append(record + [""])
    return records + ([record] if record else []), None


def _letter(index: int) -> str:
    """The spreadsheet name of a column: 0 -> A, 25 -> Z, 26 -> AA."""
    return (_letter(index // 26 - 1) if index >= 26 else "") + chr(ord("A") + index % 26)


def _excerpt(cell: str, limit: int = 60) -> str:
    """The cell with undecodable bytes written as \\xNN, shortened around the first one."""
    text = cell.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    if len(text) <= limit:
        return text
    start = max(text.find("\\x") - limit // 3, 0)
    end = "…" if start + limit < len(text) else ""
    return ("…" if start else "") + text[start : start + limit] + end


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
        return all(c in self.values and c not in self.bad for c in columns)


class _Table:
    """Working state for one table during a check."""

    def __init__(self, resource: Resource, index: int):
        self.resource, self.index, self.file = resource, index, resource.path
        self.problems: list[tuple[tuple[int, int, int], Problem]] = []
        self.columns: dict[str, int] = {}  # known column present -> position in the header
        self.rows: list[Row] | None = None  # None: the file could not be read

    def add(self, row: int, column: str, value: str, expected: str, at: int | None = None) -> None:
        """Report a problem; ``at`` (the position in the header) orders it in its row."""
        if at is None:
            names = self.resource.field_names
            later = 10_000 + names.index(column) if column in names else -1
            at = self.columns.get(column, later)
        self.problems.append(
            ((self.index, row, at), Problem(self.file, row, column, value, expected))
        )

    def cell(self, row: Row, column: str, expected: str, value: str | None = None) -> None:
        """Report a problem in a cell (``value``: its text unless given), marked bad."""
        row.bad.add(column)
        self.add(row.number, column, row.raw[column] if value is None else value, expected)

    def index_by(self, column: str = "id") -> dict[str, Row]:
        """The rows by the text of ``column`` (the first row for a repeated one)."""
        found: dict[str, Row] = {}
        for row in self.rows if self.rows is not None and column in self.columns else ():
            found.setdefault(row.raw[column], row)
        return found

    def report_at(self, records: list[list[str]], test: Any, expected: str) -> bool:
        """Report the first cell for which ``test`` is true (named by the header, else by
        its column letter); False when there is none."""
        header = records[0] if records else []
        for number, record in enumerate(records, start=1):
            for at, cell in enumerate(record):
                if test(cell):
                    name = header[at].strip() if at < len(header) else ""
                    if number == 1 or not name or test(name):
                        name = _letter(at)
                    self.add(number, name, _excerpt(cell), expected, at)
                    return True
        return False


_UTF8 = 'text saved as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8")'
_NUL = "no NUL character (a zero byte: the file is damaged or is not a text file)"


def _other_delimiter(header: list[str]) -> bool:
    return len(header) == 1 and (";" in header[0] or "\t" in header[0])


def _read_records(table: _Table, folder: Path) -> list[list[str]] | None:
    """The CSV records of a table's file, or ``None`` after reporting why not."""
    why = _file_problem(folder, table.file)
    if why is not None:
        regular = "" if why == "missing" else "regular "
        expected = f"a {regular}file named {table.file} in the data folder"
        return table.add(1, FILE_COLUMN, "" if why == "missing" else why, expected)
    try:
        data = _read_safely(folder / table.file)
    except OSError as exc:
        why = exc.strerror or type(exc).__name__
        return table.add(1, FILE_COLUMN, why, f"a readable file named {table.file}")
    text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8", "surrogateescape")
    records, error = _parse_csv(text)
    if _SURROGATE.search(text):
        records += [[error[1]]] if error else []
        if not table.report_at(records, _SURROGATE.search, _UTF8):
            table.add(1, FILE_COLUMN, "", _UTF8)
        return None
    if error and not _other_delimiter(records[0] if records else []):
        at, cell, expected = error
        header = records[0] if records else []
        name = header[at].strip() if at < len(header) else ""
        return table.add(len(records) + 1, name or _letter(at), _excerpt(cell), expected, at)
    if "\x00" in text and not error:
        table.report_at(records, lambda cell: "\x00" in cell, _NUL)
        return None
    return records


def _check_header(table: _Table, header: list[str], records: list[list[str]]) -> None:
    fields = table.resource.field_names
    missing = [n for n in fields if n not in {cell.strip() for cell in header}]
    seen: dict[str, int] = {}
    for at, raw_name in enumerate(header):
        name = raw_name.strip()
        if not name:
            if any(at < len(r) and r[at].strip() for r in records[1:]):
                expected = f"a column name in row 1 (column {_letter(at)} has values)"
                table.add(1, _letter(at), "", expected, at)
            continue
        if name in seen:
            expected = f"each column name only once (it also heads column {_letter(seen[name])})"
            table.add(1, name, name, expected, at)
            continue
        seen[name] = at
        if name in fields:
            table.columns[name] = at
            continue
        guess = {n.casefold(): n for n in missing}.get(name.casefold()) or next(
            iter(difflib.get_close_matches(name.casefold(), missing, n=1, cutoff=0.75)), None
        )
        hint = (
            f'did you mean "{guess}"?'
            if guess
            else f"the columns of {table.file} are listed in data/README.md"
        )
        table.add(1, name, name, f"a known column name ({hint})", at)
    for f in table.resource.fields:
        if f.required and f.name not in table.columns:
            table.add(1, f.name, "", f'a column named "{f.name}" (it is required)')


def _read_table(table: _Table, folder: Path) -> None:
    """Read a table's file into ``table.rows``, each cell typed and checked."""
    records = _read_records(table, folder)
    if records is None:
        return
    if not records or not any(cell.strip() for cell in records[0]):
        return table.add(1, FILE_COLUMN, "", "a first row with the column names")
    header = records[0]
    if _other_delimiter(header):
        expected = 'columns separated by commas (in a spreadsheet: Save As, "CSV UTF-8")'
        return table.add(1, FILE_COLUMN, header[0][:60], expected)
    _check_header(table, header, records)
    width, columns, names, rows = len(header), table.columns, table.resource.field_names, []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line or a row of empty cells
        padded = record + [""] * width
        row = Row(number, {n: padded[columns[n]].strip() if n in columns else "" for n in names})
        row.values = {n: None for n in names if n not in columns}
        rows.append(row)
        if len(record) < width:
            letter = _letter(len(record))
            expected = (
                f"{width} cells like the header row (this row has {len(record)}: it stops "
                f"before column {letter}; look for a missing comma or a stray quotation mark)"
            )
            table.add(number, header[len(record)].strip() or letter, "", expected, len(record))
            row.bad.update(row.raw)
            continue
        extra = next((at for at in range(width, len(record)) if record[at].strip()), None)
        if extra is not None:
            expected = f"no value to the right of the last column ({_letter(width - 1)})"
            table.add(number, _letter(extra), record[extra].strip(), expected, extra)
        for f in table.resource.fields:
            if f.name in columns:
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
        limit = f"at most {MAX_PATTERN_INPUT:,} characters ({expected}; this has {len(text):,})"
        table.cell(row, f.name, limit, text[:60] + "…")
    elif not pattern.fullmatch(text):
        table.cell(row, f.name, expected, text)
    return f.name not in row.bad


_DIGITS = "a whole number written with digits (like 3 or 1970)"
_DECIMAL = (
    "a number written with digits and a dot for decimals, without units or thousands "
    "separators (like 239 or 13.65)"
)


def _typed(table: _Table, row: Row, f: Field, raw: str) -> Any:
    """The value of a non-empty cell, or ``None`` after reporting its problem."""
    if f.type == "integer":
        return int(raw) if _INTEGER.fullmatch(raw) else table.cell(row, f.name, _DIGITS)
    if f.type == "number":
        number = float(raw) if _NUMBER.fullmatch(raw) else math.nan
        return number if math.isfinite(number) else table.cell(row, f.name, _DECIMAL)
    if f.type == "boolean":
        if raw in f.true_values or raw in f.false_values:
            return raw in f.true_values
        return table.cell(row, f.name, "true or false")
    if control := _CONTROL_IN_CELL.search(raw):
        runs = f"this has {printable(control.group())}, which a terminal may run as a command"
        return table.cell(row, f.name, f"text without control characters ({runs})")
    if raw[0] in "=+-@":
        formula = "spreadsheets would run it as a formula"
        return table.cell(row, f.name, f'text that does not start with "{raw[0]}" ({formula})')
    if f.is_list:
        items = [item.strip() for item in raw.split(";")]
        if "" in items:
            return table.cell(row, f.name, 'items separated by ";" with no empty item')
        if f.item_pattern and not all(_matches(table, row, f, i, f.item_pattern) for i in items):
            return None
        return tuple(parse_citation(i) for i in items) if f.citations else tuple(items)
    if f.enum is not None and raw not in f.enum:
        return table.cell(row, f.name, "one of: " + ", ".join(f.enum))
    if f.pattern and not _matches(table, row, f, raw, f.pattern):
        return None
    if f.max_words is not None and len(raw.split()) > f.max_words:
        words = f"at most {f.max_words} words (this has {len(raw.split())})"
        return table.cell(row, f.name, words)
    return raw


def _check_cell(table: _Table, row: Row, f: Field) -> None:
    raw = row.raw[f.name]
    row.values[f.name] = None
    if raw == "":
        if f.required:
            table.cell(row, f.name, "a value (this column is required)")
        return
    value = _typed(table, row, f, raw)
    low, high = f.minimum, f.maximum
    numeric = value is not None and f.type in ("integer", "number")
    if numeric and (low is not None and value < low or high is not None and value > high):
        where = (
            f"from {_fmt(low)} to {_fmt(high)}"
            if low is not None and high is not None
            else f"of at least {_fmt(low)}"
            if low is not None
            else f"of at most {_fmt(high)}"
        )
        return table.cell(row, f.name, f"{f.noun} {where}")
    row.values[f.name] = value


def _check_row(table: _Table, row: Row) -> None:
    """Conditional columns (``x-only-when``), dates and the plausibility rules."""
    resource = table.resource
    for f in resource.fields:
        other, equals = f.only_when or (None, None)
        if not other or f.name not in table.columns or f.name in row.bad:
            continue
        if row.ok(other) and row.values[other] is not None:
            applies, raw = row.values[other] == equals, row.raw[f.name]
            if applies and raw == "":
                table.cell(row, f.name, f"a value (required when {other} is {_fmt(equals)})")
            elif not applies and raw != "":
                only = f"this column is only used when {other} is {_fmt(equals)}"
                table.cell(row, f.name, f"an empty cell ({only})")
    if resource.date:
        _check_dates(table, row)
    for f in resource.fields:
        value = row.values.get(f.name) if row.ok(f.name) else None
        first = row.values.get(f.not_before) if f.not_before and row.ok(f.not_before) else None
        other, allowed = f.signed_when or ("", ())
        if value is None:
            continue
        if first is not None and value < first:
            table.cell(row, f.name, f"{f.noun} not before {f.not_before} ({_fmt(first)})")
        elif f.non_negative and value < 0:
            if other and (not row.ok(other) or row.values[other] in allowed):
                continue
            only = f" (only {other} {', '.join(map(_fmt, allowed))} may be negative)"
            table.cell(row, f.name, f"{f.noun} of at least 0" + (only if other else ""))
    tally = resource.tally
    if tally and row.ok(*tally["fields"], tally["body"], tally["year"]):
        counts = [(c, row.values[c]) for c in tally["fields"] if row.values[c] is not None]
        body, year = row.values[tally["body"]], row.values[tally["year"]]
        members = resource.members.get(body, []) if year is not None else []
        limit = next((n for first, n in reversed(members) if first <= year), None)
        total = sum(n for _, n in counts)
        if limit is not None and counts and total > limit:
            table.cell(
                row,
                counts[0][0],
                f"at most {limit} votes in all (the {body} had {limit} members in {year})",
                " + ".join(f"{n} {c}" for c, n in counts) + f" = {total}",
            )


def _date_part(table: _Table, row: Row, parts: Mapping[str, str], approximate: bool):
    """The :class:`PartialDate` of one ``x-date`` part, or ``None`` (reported if wrong)."""
    ycol, mcol, dcol = parts["year"], parts.get("month"), parts.get("day")
    if any(c in row.bad for c in (ycol, mcol, dcol) if c):
        return None
    year, month, day = (row.values.get(c) if c else None for c in (ycol, mcol, dcol))
    for small, big, value, above in ((dcol, mcol, day, month), (mcol, ycol, month, year)):
        if value is not None and above is None:
            expected = (
                f"an empty {small} cell when the {big} cell is empty (fill in the {big} first)"
            )
            return table.cell(row, small, expected)
    if year is None or not 1 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
        return None
    if day is not None and not 1 <= day <= (last := days_in_month(year, month)):
        expected = f"a day from 1 to {last} ({MONTH_NAMES[month]} {year} has {last} days)"
        return table.cell(row, dcol, expected)
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
    expected = f"an end date on or after the start date ({start.label()})"
    table.cell(row, spec["end"][part], expected)


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
            used = f"row {seen[value]} already uses {row.raw[column] if among else 'it'}"
            among = f" among the rows whose {among}" if among else ""
            table.cell(row, column, f"a unique {column}{among} ({used})")


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
            if not value or fk.field in row.bad:
                continue
            ref = index.get(value)
            if ref is None:
                table.cell(row, fk.field, f"an id that exists in {target.file}")
                continue
            for column, wanted in fk.where:
                if ref.ok(column) and ref.values[column] != wanted:
                    expected = f"the id of a row of {target.file} whose {column} is {_fmt(wanted)}"
                    table.cell(row, fk.field, expected)
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
                    table.cell(row, f.name, f"an id that exists in {target.file}", text)
                    break
                core = index[source].ok(_CORE) and index[source].values[_CORE]
                if f.citations and core and not CORE_LOCATOR.fullmatch(locator):
                    expected = f'a paragraph locator for this core text, like "{source}: para 4"'
                    table.cell(row, f.name, expected, text)
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
        expected = f"a year from {first} {years} (the years of period {row.raw[pcol]})"
        table.cell(row, ycol, expected)


# --- Rules about particular tables (content rules the Table Schema cannot express) -----


def _rule_claims(table: _Table, tables: Mapping[str, _Table]) -> None:
    """Claims from core texts need a ``para N`` locator; only core texts are quoted."""
    sources = tables["sources"].index_by()
    for row in table.rows or ():
        source = sources.get(row.raw["source"]) if row.ok("source") else None
        if source is None or not source.ok(_CORE):
            continue
        core, locator = source.values[_CORE], row.raw["locator"] if row.ok("locator") else None
        if core and locator is not None and not CORE_LOCATOR.fullmatch(locator):
            where = "the source is one of the three core texts"
            table.cell(row, "locator", f'a paragraph locator like "para 4" ({where})')
        if not core and row.ok("quote") and row.raw["quote"]:
            expected = "an empty quote (exact quotes are kept only for the three core texts)"
            table.cell(row, "quote", expected)


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
                table.cell(row, "options", 'at least two options separated by ";"')
            if answer == "":
                expected = "the exact text of the right option (a choice question needs one)"
                table.cell(row, "answer", expected)
            elif answer not in options:
                expected = "the exact text of one of the options: " + "; ".join(options)
                table.cell(row, "answer", expected)
            continue
        if answer:
            expected = (
                "an empty answer for an order question (the right order comes from the "
                "events' dates)"
            )
            table.cell(row, "answer", expected)
        if not 3 <= len(options) <= 5:
            table.cell(row, "options", '3 to 5 event ids separated by ";"')
            continue
        unknown = [o for o in options if o not in events]
        if unknown and tables["events"].rows is not None:
            table.cell(row, "options", "an id that exists in events.csv", unknown[0])
            continue
        dates = [events[o].dates.get("start") if o in events else None for o in options]
        if None in dates:
            continue  # the event's own date has a problem, reported in events.csv
        pairs = itertools.combinations(zip(options, dates, strict=True), 2)
        clash = next(((a, b) for a, b in pairs if same_at_coarser_precision(a[1], b[1])), None)
        if clash:
            (a, da), (b, db) = clash
            coarser = max(da, db, key=lambda d: PRECISIONS.index(d.precision))
            expected = f"events whose dates differ ({a} and {b} both date from {coarser.label()})"
            table.cell(row, "options", expected, f"{a}; {b}")


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


def validate(data_dir: str | os.PathLike[str] | None = None) -> Validation:
    """Check a data folder and keep the rows read (used by the loaders). The schema is
    ``datapackage.json`` in the folder, else the shipped one. Raises only when the folder
    does not exist (``FileNotFoundError``) or is a file (``NotADirectoryError``)."""
    folder = paths.data_dir(data_dir)
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(f"{folder} is a file, not a data folder")
        raise FileNotFoundError(f"No data folder at {folder}")
    schema_file = paths.schema_path(folder)
    try:
        package = load_package(schema_file)
    except SchemaError as exc:
        expected = "a valid datapackage.json (the schema of the tables)"
        problem = Problem(schema_file.name, 1, FILE_COLUMN, str(exc)[:200], expected)
        return Validation(folder, Package(schema_file, {}), (problem,), {})
    tables = {name: _Table(r, i) for i, (name, r) in enumerate(package.resources.items())}
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
