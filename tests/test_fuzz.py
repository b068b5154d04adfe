"""Property test: whatever is done to the CSV files, the check reports problems or the data
loads; it never crashes with another exception.

Starting from the valid mini dataset, each example applies one random corruption (a cell
replaced by random text, unicode, formula characters or huge numbers; a column dropped;
a row duplicated; a file truncated; invalid bytes inserted; a file deleted) and then:

* ``check`` returns a list of :class:`Problem` objects, each naming a file, a row and a
  column, or an empty list;
* with problems, every loader raises :class:`DataError` carrying the same problems;
* without problems, ``load_all`` returns typed tables.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cambodia_russia import schema, tables
from cambodia_russia.schema import DataError, Problem

from data_helpers import TABLES, VALID

ORIGINAL = {name: (VALID / f"{name}.csv").read_bytes() for name in TABLES}
RECORDS = {
    name: list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for name, data in ORIGINAL.items()
}

NASTY = st.sampled_from([
    "", " ", "=SUM(A1:A3)", "+1", "-1", "@x", "99999999999999999999999", "-9999999999",
    "1e400", "nan", "inf", "0", "13", "32", "29", "31", "true", "TRUE", "yes", ";", " ; ",
    "a;;b", ":", "X999", "X1", "mosyakov_2021", "mosyakov_2021: para 0", "para 4",
    "\x00", '"', "\r\n", "\n", "é", "ការទូត", "Дипломатия", "\ufeffid", "\u200b",
    "1.5",
    "1,5", "2022-03-02", "coup_1970", "rupture_1970_1979", "ukraine_2022_2024", "order",
    "choice", "collection", "mosyakov", "It condemned the coup",
])
CELL_TEXT = st.one_of(
    NASTY,
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


def _encode(records: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def corruptions(draw) -> tuple[str, str, bytes | None]:
    """(description, table, new file content or None to delete the file)."""
    table = draw(st.sampled_from(TABLES))
    records = [list(r) for r in RECORDS[table]]
    data = ORIGINAL[table]
    kind = draw(st.sampled_from(
        ["cell", "cell", "cell", "drop column", "duplicate row", "truncate", "bytes", "delete"]
    ))
    if kind == "cell":
        row = draw(st.integers(0, len(records) - 1))
        column = draw(st.integers(0, len(records[row]) - 1))
        records[row][column] = draw(CELL_TEXT)
        return f"cell {row + 1}:{column} = {records[row][column]!r}", table, _encode(records)
    if kind == "drop column":
        column = draw(st.integers(0, len(records[0]) - 1))
        dropped = [r[:column] + r[column + 1:] for r in records]
        return f"drop column {column}", table, _encode(dropped)
    if kind == "duplicate row":
        row = draw(st.integers(1, len(records) - 1))
        return f"duplicate row {row + 1}", table, _encode(records + [records[row]])
    if kind == "truncate":
        cut = draw(st.integers(0, len(data)))
        return f"truncate at {cut}", table, data[:cut]
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.one_of(
            st.sampled_from([b"\xff", b"\xc3", b"\x80", b"\xe9", b"\xed\xa0\x80", b"\x00"]),
            st.binary(min_size=1, max_size=6),
        ))
        return f"insert {junk!r} at {at}", table, data[:at] + junk + data[at:]
    return "delete file", table, None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruptions())
def test_corrupted_data_gives_problems_or_loads(corruption):
    description, table, content = corruption
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, data in ORIGINAL.items():
            (folder / f"{name}.csv").write_bytes(data)
        if content is None:
            (folder / f"{table}.csv").unlink()
        else:
            (folder / f"{table}.csv").write_bytes(content)

        problems = schema.check(folder)
        assert isinstance(problems, list)
        for problem in problems:
            assert isinstance(problem, Problem), description
            assert problem.file.endswith(".csv"), description
            assert isinstance(problem.row, int) and problem.row >= 1, description
            assert isinstance(problem.column, str) and problem.column, description
            assert isinstance(problem.value, str), description
            assert problem.expected, description
            assert "\n" not in str(problem), description

        if problems:
            try:
                tables.load_events(folder)
            except DataError as error:
                assert error.problems == tuple(problems), description
            else:
                raise AssertionError(f"{description}: loading invalid data did not fail")
        else:
            loaded = tables.load_all(folder)
            assert len(loaded.sources) >= 1, description
            assert loaded.events["start"].notna().all(), description
