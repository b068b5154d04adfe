"""The one fixture dataset of the tests, and small edits that break it.

``tests/fixture_data/`` is a small, consistent copy of the tables (a few rows each, facts
taken from the shipped sources and the reference fact sheet). It has no
``datapackage.json`` of its own: checking or loading it uses the shipped
``data/datapackage.json``, as a teacher's folder would. The data tests check it, the
adversarial cases (``bad_data/cases.toml``) break copies of it, and the widget and chart
tests load it with the real loader (:func:`load_fixture`), so every table they use is
validated and typed exactly as in the notebooks.

Each broken case in the tests is one edit (a function of the data folder) applied to a
copy of the fixture dataset in ``tmp_path``.
"""

from __future__ import annotations

import csv
import functools
import io
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
#: The three core source texts, beside the repository (not in a student's copy).
SHARED_SOURCES = REPO.parent / "shared" / "sources"
VALID = TESTS / "fixture_data"
DATA = REPO / "data"
TABLES = (
    "sources",
    "periods",
    "events",
    "people",
    "topics",
    "claims",
    "indicators",
    "un_votes",
    "glossary",
    "lab_solutions",
    "quiz",
    "exercises",
    "digest",
)

Edit = Callable[[Path], None]


def copy_valid(tmp_path: Path, name: str = "data") -> Path:
    """A fresh copy of the fixture dataset; returns its folder."""
    target = tmp_path / name
    shutil.copytree(VALID, target)
    return target


def fixture_rows(table: str) -> list[dict[str, str]]:
    """The rows of one fixture table as the CSV file has them (a dict of strings each)."""
    with open(VALID / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def _loaded() -> Any:
    from cambodia_russia.tables import load_all

    return load_all(VALID)


def load_fixture(directory: Path | None = None, **changes: list[dict[str, str]]) -> Any:
    """The fixture dataset loaded with ``cambodia_russia.tables.load_all`` (a fresh copy).

    ``changes`` replaces whole tables by rows written as in the CSV files (e.g.
    ``events=[...]``, often built from :func:`fixture_rows`); the changed dataset is
    written to ``directory`` (default: a temporary folder) and loaded from there.
    """
    if not changes:
        return _loaded().copy()
    from cambodia_russia.tables import load_all

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(directory or scratch) / "data"
        shutil.copytree(VALID, folder, dirs_exist_ok=True)
        for table, rows in changes.items():
            header = list(fixture_rows(table)[0]) if not rows else list(rows[0])
            with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=header)
                writer.writeheader()
                writer.writerows(rows)
        return load_all(folder)


def real_data_missing() -> list[str]:
    """The table files not (yet) present in the shipped ``data/`` folder."""
    return [t for t in TABLES if not (DATA / f"{t}.csv").is_file()]


def read_rows(folder: Path, table: str) -> list[list[str]]:
    """All records of a table, header first."""
    with open(folder / f"{table}.csv", newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def write_rows(folder: Path, table: str, rows: list[list[str]], delimiter: str = ",") -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", delimiter=delimiter).writerows(rows)
    (folder / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def _column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def set_cell(table: str, row: int, column: str, value: str) -> Edit:
    """Set one cell; ``row`` is the spreadsheet row number (header = 1)."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        rows[row - 1][_column(rows, column)] = value
        write_rows(folder, table, rows)

    return edit


def set_cells(table: str, row: int, **values: str) -> Edit:
    """Set several cells of one row."""

    def edit(folder: Path) -> None:
        for column, value in values.items():
            set_cell(table, row, column, value)(folder)

    return edit


def drop_column(table: str, column: str) -> Edit:
    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        index = _column(rows, column)
        write_rows(folder, table, [r[:index] + r[index + 1 :] for r in rows])

    return edit


def add_column(table: str, name: str, value: str = "") -> Edit:
    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        write_rows(folder, table, [rows[0] + [name]] + [r + [value] for r in rows[1:]])

    return edit


def rename_column(table: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        rows[0][_column(rows, old)] = new
        write_rows(folder, table, rows)

    return edit


def append_copy_of_row(table: str, row: int) -> Edit:
    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        write_rows(folder, table, rows + [list(rows[row - 1])])

    return edit


def append_cells(table: str, row: int, *cells: str) -> Edit:
    """Add cells to the right of one row (beyond the header's columns)."""

    def edit(folder: Path) -> None:
        rows = read_rows(folder, table)
        rows[row - 1] = rows[row - 1] + list(cells)
        write_rows(folder, table, rows)

    return edit


def replace_bytes(table: str, old: bytes, new: bytes) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / f"{table}.csv"
        data = path.read_bytes()
        assert old in data, f"{old!r} not in {table}.csv"
        path.write_bytes(data.replace(old, new, 1))

    return edit


def write_bytes(table: str, content: bytes) -> Edit:
    def edit(folder: Path) -> None:
        (folder / f"{table}.csv").write_bytes(content)

    return edit


def delete_file(table: str) -> Edit:
    def edit(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()

    return edit


def with_delimiter(table: str, delimiter: str) -> Edit:
    def edit(folder: Path) -> None:
        write_rows(folder, table, read_rows(folder, table), delimiter=delimiter)

    return edit


def combine(*edits: Edit) -> Edit:
    def edit(folder: Path) -> None:
        for one in edits:
            one(folder)

    return edit
