"""Property-based fuzzing of the data check: the CSV files and ``datapackage.json``.

Starting from the fixture dataset (``tests/fixture_data/``), each example applies one
mutation and then runs the check. Three properties, for each of the two inputs over a fixed
corpus that has every kind of mutation (:data:`CSV_KINDS`, :data:`DESCRIPTOR_KINDS`:
:data:`PER_KIND` examples of each, the same on every run) and :data:`EXAMPLES` random ones:

* **no crash** - ``check`` returns a list of :class:`Problem` objects (each one line naming
  a file, a row >= 1 and a column), and the loaders either load the tables or raise
  :class:`DataError` carrying the same problems; no other exception escapes;
* **no hang** - each example has a deadline (hypothesis fails an example that is slower);
* **no silent acceptance** - a mutation known to be bad (a stray quote, a NUL byte, bytes
  that are not UTF-8, a short row, a death before the birth, a negative quantity, a vote
  tally above the membership, a control character, a descriptor of the wrong shape or with
  a path out of the folder) must give at least one problem in the mutated file.

Random mutations whose outcome is not known beforehand (random cell text, a dropped column,
random bytes, random JSON values anywhere in the descriptor) only need the first two.

Run time: about 10 s on two cores for both inputs (CSV: 200 random + 14 kinds x 5 fixed
examples; descriptor: 200 random + 10 kinds x 5 fixed); ``FUZZ_EXAMPLES`` in the environment
changes the number of random examples (``FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py`` for
a long run).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cambodia_russia import schema, tables
from cambodia_russia.schema import DataError, Problem
from data_helpers import DATA, VALID

#: Random examples per input; each kind of mutation also gets PER_KIND fixed examples.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
PER_KIND = 5
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=2),  # a hang fails the example
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The fixed corpus: the same PER_KIND examples of one kind on every run.
EVERY_KIND = settings(FUZZ, max_examples=PER_KIND, derandomize=True)

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
ORIGINAL = {r["path"]: (VALID / r["path"]).read_bytes() for r in DESCRIPTOR["resources"]}
RECORDS = {
    name: list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for name, data in ORIGINAL.items()
}

NASTY = st.sampled_from(
    [
        "",
        " ",
        "=SUM(A1:A3)",
        "+1",
        "-1",
        "@x",
        "99999999999999999999999",
        "-9999999999",
        "1e400",
        "nan",
        "inf",
        "0",
        "13",
        "32",
        "29",
        "31",
        "true",
        "TRUE",
        "yes",
        ";",
        " ; ",
        "a;;b",
        ":",
        "X999",
        "X1",
        "mosyakov_2021",
        "mosyakov_2021: para 0",
        "para 4",
        "\x00",
        '"',
        "\r\n",
        "\n",
        "é",
        "ការទូត",
        "Дипломатия",
        "\ufeffid",
        "\u200b",
        "\x1b[31m",
        "1.5",
        "1,5",
        "2022-03-02",
        "coup_1970",
        "rupture_1970_1979",
        "ukraine_2022_2024",
        "order",
        "choice",
        "collection",
        "mosyakov",
        "It condemned the coup",
        "http://a;" * 30,
    ]
)
CELL_TEXT = st.one_of(
    NASTY,
    st.text(max_size=30),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


class Mutation(tuple):
    """What a strategy draws: a tuple whose repr is its short description (hypothesis
    prints it for a failing example instead of the whole file)."""

    def __repr__(self) -> str:
        return f"Mutation({self[0]!r})"


def _encode(records: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


# --- CSV mutations ----------------------------------------------------------------------
# Each returns (description, file name, new bytes or None to delete, known bad?).


#: Every kind of CSV mutation (the last three: values the plausibility rules refuse).
CSV_KINDS = (
    "cell",
    "drop column",
    "duplicate row",
    "truncate",
    "bytes",
    "delete",
    "stray quote",
    "nul",
    "not utf-8",
    "short row",
    "control",
    "life",
    "negative",
    "tally",
)
PLAUSIBILITY = ("life", "negative", "tally")


def csv_mutations(kind: str | None = None) -> st.SearchStrategy[Mutation]:
    """One mutation of one CSV file, of ``kind`` or any kind (see :func:`_csv_mutation`)."""
    return _csv_mutation(kind).map(Mutation)


@st.composite
def _csv_mutation(draw, kind: str | None = None) -> tuple[str, str, bytes | None, bool]:
    name = draw(st.sampled_from(sorted(ORIGINAL)))
    records = [list(r) for r in RECORDS[name]]
    data = ORIGINAL[name]
    if kind is None:  # "cell" twice as often; the plausibility rules share one share
        kind = draw(st.sampled_from([*CSV_KINDS[:11], "cell", "plausibility"]))
    if kind == "cell":
        row = draw(st.integers(0, len(records) - 1))
        column = draw(st.integers(0, len(records[row]) - 1))
        records[row][column] = draw(CELL_TEXT)
        return f"cell {row + 1}:{column} = {records[row][column]!r}", name, _encode(records), False
    if kind == "drop column":
        column = draw(st.integers(0, len(records[0]) - 1))
        return (
            f"drop column {column}",
            name,
            _encode([r[:column] + r[column + 1 :] for r in records]),
            False,
        )
    if kind == "duplicate row":
        row = draw(st.integers(1, len(records) - 1))
        return f"duplicate row {row + 1}", name, _encode(records + [records[row]]), False
    if kind == "truncate":
        cut = draw(st.integers(0, len(data)))
        return f"truncate at {cut}", name, data[:cut], False
    if kind == "bytes":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=6))
        return f"insert {junk!r} at {at}", name, data[:at] + junk + data[at:], False
    if kind == "delete":
        return "delete file", name, None, True
    if kind == "nul":
        at = draw(st.integers(0, len(data)))
        return f"NUL at {at}", name, data[:at] + b"\x00" + data[at:], True
    if kind == "not utf-8":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xff", b"\xfe", b"\xc0", b"\xc1", b"\xf8"]))
        return f"insert {junk!r} at {at}", name, data[:at] + junk + data[at:], True
    # The remaining kinds edit a data row that has content.
    row = draw(st.integers(1, len(records) - 1))
    if kind == "stray quote":
        # a quote inside a cell written without quotes (no comma, quote or line end in it)
        plain = [
            i for i, c in enumerate(records[row]) if len(c) >= 2 and not set(c) & set(',"\r\n')
        ]
        if not plain:
            return "no plain cell", name, data, False
        column = draw(st.sampled_from(plain))
        cell = records[row][column]
        at = draw(st.integers(1, len(cell) - 1))
        records[row][column] = "\ue000"  # a placeholder csv.writer leaves unquoted
        text = _encode(records).decode("utf-8").replace("\ue000", cell[:at] + '"' + cell[at:])
        return f"stray quote in row {row + 1}", name, text.encode(), True
    if kind == "short row":
        if len(records[row]) < 2:
            return "row too short to shorten", name, data, False
        records[row] = records[row][:-1]
        return f"short row {row + 1}", name, _encode(records), True
    if kind == "control":
        texts = [i for i, c in enumerate(records[row]) if c and not c[0].isdigit()]
        column = draw(st.sampled_from(texts))
        char = draw(st.sampled_from(["\x1b", "\x07", "\x08", "\x7f", "\x9b", "\x01"]))
        records[row][column] = records[row][column] + char + "[2J"
        return f"control {char!r} in row {row + 1}", name, _encode(records), True
    return _plausibility(draw, kind)


def _plausibility(draw, rule: str) -> tuple[str, str, bytes, bool]:
    """A value the types allow but the plausibility ``rule`` does not (any rule)."""
    if rule not in PLAUSIBILITY:
        rule = draw(st.sampled_from(PLAUSIBILITY))
    if rule == "life":
        name, records = "people.csv", [list(r) for r in RECORDS["people.csv"]]
        row = draw(st.integers(1, len(records) - 1))
        died = draw(st.integers(1800, 2099))
        born = draw(st.integers(died + 1, 2100))
        records[row][records[0].index("born")] = str(born)
        records[row][records[0].index("died")] = str(died)
        return f"born {born}, died {died}", name, _encode(records), True
    if rule == "negative":
        name, records = "indicators.csv", [list(r) for r in RECORDS["indicators.csv"]]
        row = draw(st.integers(1, len(records) - 1))
        value = draw(st.floats(max_value=-0.001, min_value=-1e12))
        records[row][records[0].index("value")] = f"{value:f}"
        return f"value {value}", name, _encode(records), True
    name, records = "un_votes.csv", [list(r) for r in RECORDS["un_votes.csv"]]
    row = draw(st.integers(1, len(records) - 1))
    counts = draw(
        st.lists(st.integers(0, 200), min_size=4, max_size=4).filter(lambda c: sum(c) > 193)
    )  # the mini dataset's votes are from 2022: 193 members
    tally = next(r["x-tally"] for r in DESCRIPTOR["resources"] if r["path"] == name)
    for column, count in zip(tally["fields"], counts, strict=True):
        records[row][records[0].index(column)] = str(count)
    return f"tally {counts}", name, _encode(records), True


# --- descriptor mutations --------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["string", "integer", "year", "/etc/passwd", "../x.csv", "events.csv", "(a+)+$", "["]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(node: Any, path: tuple = ()) -> list[tuple]:
    """Every key path in the descriptor (for dicts: key; for lists: index)."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _places(value, path + (i,))
    return found


PLACES = _places(DESCRIPTOR)[1:]
RESOURCES = range(len(DESCRIPTOR["resources"]))


def _at(node: Any, path: tuple) -> Any:
    for key in path:
        node = node[key]
    return node


#: Every kind of descriptor mutation: three random ones, then one per known-bad key.
BAD_KEYS = ("fields", "schema", "type", "path", "minimum", "pattern", "name")
DESCRIPTOR_KINDS = ("replace", "delete", "bytes", *(f"bad {key}" for key in BAD_KEYS))


def descriptor_mutations(kind: str | None = None) -> st.SearchStrategy[Mutation]:
    """One mutation of ``datapackage.json``, of ``kind`` or any kind (see
    :func:`_descriptor_mutation`)."""
    return _descriptor_mutation(kind).map(Mutation)


@st.composite
def _descriptor_mutation(draw, kind: str | None = None) -> tuple[str, bytes, bool]:
    """(description, new datapackage.json bytes, known bad?)."""
    descriptor = copy.deepcopy(DESCRIPTOR)
    if kind is None:
        kind = draw(st.sampled_from(["replace", "replace", "delete", "bytes", "known bad"]))
    if kind == "bytes":
        data = json.dumps(DESCRIPTOR).encode()
        at = draw(st.integers(0, len(data)))
        cut = draw(st.booleans())
        junk = draw(st.binary(min_size=1, max_size=4))
        mutated = data[:at] if cut else data[:at] + junk + data[at:]
        return f"bytes at {at} (cut={cut})", mutated, False
    if kind in ("replace", "delete"):
        path = draw(st.sampled_from(PLACES))
        parent = _at(descriptor, path[:-1])
        if kind == "delete":
            del parent[path[-1]]
            return f"delete {path}", json.dumps(descriptor).encode(), False
        value = draw(JSON_VALUES)
        parent[path[-1]] = value
        return f"{path} = {value!r}", json.dumps(descriptor).encode(), False
    r = draw(st.sampled_from(RESOURCES))
    resource = descriptor["resources"][r]
    fields = resource["schema"]["fields"]
    f = draw(st.integers(0, len(fields) - 1))
    choices = [
        (
            "fields",
            draw(
                st.one_of(
                    st.none(),
                    st.text(),
                    st.integers(),
                    st.dictionaries(st.text(max_size=4), st.text(max_size=4)),
                )
            ),
        ),
        ("schema", None),
        (
            "type",
            draw(
                st.text(max_size=10).filter(
                    lambda t: t not in ("string", "integer", "number", "boolean")
                )
            ),
        ),
        (
            "path",
            draw(
                st.sampled_from(
                    [
                        "/etc/passwd",
                        "../events.csv",
                        "a/../../b.csv",
                        "C:\\x.csv",
                        "",
                        "\\\\server\\x.csv",
                    ]
                )
            ),
        ),
        (
            "minimum",
            draw(st.one_of(st.text(max_size=5), st.booleans(), st.lists(st.integers()))),
        ),
        ("pattern", draw(st.sampled_from(["(", "[a-", "*x", "(?P<", "a{2,1}"]))),
        ("name", draw(st.one_of(st.none(), st.integers(), st.lists(st.text(max_size=3))))),
    ]
    if kind.startswith("bad "):
        bad = next(choice for choice in choices if choice[0] == kind.removeprefix("bad "))
    else:
        bad = draw(st.sampled_from(choices))
    key, value = bad
    if key == "fields":
        resource["schema"]["fields"] = value
    elif key == "schema":
        del resource["schema"]
    elif key == "path":
        resource["path"] = value
    elif key == "minimum":
        fields[f].setdefault("constraints", {})["minimum"] = value
    elif key == "pattern":
        fields[f].setdefault("constraints", {})["pattern"] = value
    else:
        fields[f][key] = value
    return f"resource {r}: {key} = {value!r}", json.dumps(descriptor).encode(), True


# --- the properties ----------------------------------------------------------------------


def _assert_sound(folder: Path, description: str) -> list[Problem]:
    """``check`` gives well-formed problems and the loaders agree with it."""
    problems = schema.check(folder)
    assert isinstance(problems, list), description
    for problem in problems:
        assert isinstance(problem, Problem), description
        assert isinstance(problem.row, int) and problem.row >= 1, description
        assert isinstance(problem.column, str) and problem.column, description
        assert isinstance(problem.value, str) and problem.expected, description
        line = str(problem)
        assert "\n" not in line and "\x1b" not in line and "\x00" not in line, description
    try:
        loaded = tables.load_all(folder)
    except DataError as error:
        if problems:
            assert error.problems == tuple(problems), description
        else:  # data fine by its schema, schema not fit for the notebooks
            assert [p.file for p in error.problems] == ["datapackage.json"], description
    else:
        assert not problems, f"{description}: loading invalid data did not fail"
        assert len(loaded.sources) >= 1, description
    return problems


def _folder(tmp: str) -> Path:
    folder = Path(tmp)
    for name, data in ORIGINAL.items():
        (folder / name).write_bytes(data)
    return folder


def _csv_property(mutation) -> None:
    description, name, content, known_bad = mutation
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(tmp)
        if content is None:
            (folder / name).unlink()
        else:
            (folder / name).write_bytes(content)
        problems = _assert_sound(folder, description)
    if known_bad:
        assert any(p.file == name for p in problems), f"{description}: silently accepted"


def _descriptor_property(mutation) -> None:
    description, content, known_bad = mutation
    with tempfile.TemporaryDirectory() as tmp:
        folder = _folder(tmp)
        (folder / "datapackage.json").write_bytes(content)
        problems = _assert_sound(folder, description)
    if known_bad:
        assert [p.file for p in problems] == ["datapackage.json"], (
            f"{description}: silently accepted ({problems[:2]})"
        )


@FUZZ
@given(csv_mutations())
def test_csv_mutations_never_crash_hang_or_slip_through(mutation):
    _csv_property(mutation)


@pytest.mark.parametrize("kind", CSV_KINDS)
@EVERY_KIND
@given(data=st.data())
def test_every_kind_of_csv_mutation(kind, data):
    _csv_property(data.draw(csv_mutations(kind), label="mutation"))


@FUZZ
@given(descriptor_mutations())
def test_descriptor_mutations_never_crash_hang_or_slip_through(mutation):
    _descriptor_property(mutation)


@pytest.mark.parametrize("kind", DESCRIPTOR_KINDS)
@EVERY_KIND
@given(data=st.data())
def test_every_kind_of_descriptor_mutation(kind, data):
    _descriptor_property(data.draw(descriptor_mutations(kind), label="mutation"))
