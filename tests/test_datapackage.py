"""data/datapackage.json: a valid Frictionless Data Package that says what the spec says,
is documented in data/README.md, and describes the shipped data. Also: quotes and paragraph
locators checked against the source texts when they are available."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest

from cambodia_russia import schema, tables
from data_helpers import DATA, SHARED_SOURCES, VALID, copy_valid, set_cell

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
README = (DATA / "README.md").read_text(encoding="utf-8")

TABLES = list(RESOURCES)


def _fields(table):
    return {f["name"]: f for f in RESOURCES[table]["schema"]["fields"]}


def _errors(report) -> list[str]:
    return [e.message for e in report.errors] + [
        f"{task.name}: {e.message}" for task in report.tasks for e in task.errors
    ]


# --- structure --------------------------------------------------------------------------


def test_package_metadata():
    assert DESCRIPTOR["profile"] == "tabular-data-package"
    assert DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"
    assert DESCRIPTOR["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    from frictionless import Package

    Package(DATA / "datapackage.json")  # frictionless accepts the descriptor


@pytest.mark.parametrize("table", TABLES)
def test_every_table_is_a_described_csv_with_an_id(table):
    """Rules every table follows (a teacher reads the descriptions; rows are cited by id)."""
    resource = RESOURCES[table]
    assert resource["path"] == f"{table}.csv"
    assert (resource["profile"], resource["encoding"]) == ("tabular-data-resource", "utf-8")
    assert resource["schema"]["primaryKey"] == ["id"]
    assert "pattern" in _fields(table)["id"]["constraints"]
    for name, field in _fields(table).items():
        assert field.get("description", "").strip(), (table, name)


# --- the README --------------------------------------------------------------------------


def test_readme_documents_every_table_and_column():
    for table in TABLES:
        assert f"### {table}.csv" in README, table
        section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
        for name in _fields(table):
            assert f"| `{name}` |" in section, (table, name)


def test_readme_documents_every_custom_key():
    keys = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("x-"):
                    keys.add(key)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(DESCRIPTOR)
    assert keys
    for key in keys:
        assert f"`{key}`" in README, key


def test_readme_enum_values_are_current():
    """Every allowed value of every enum column is listed in the README's table."""
    for table in TABLES:
        section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
        for name, field in _fields(table).items():
            values = field.get("constraints", {}).get("enum", [])
            row = next(line for line in section.splitlines() if line.startswith(f"| `{name}` |"))
            for value in values:
                assert f"`{value}`" in row, (table, name, value)


def test_readme_explains_the_unique_keys():
    for table in TABLES:
        for key in RESOURCES[table]["schema"].get("uniqueKeys", []):
            section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
            assert all(f"`{name}`" in section for name in key), (table, key)
    assert "`uniqueKeys`" in README


# --- Frictionless on the data ------------------------------------------------------------
# (The tests import frictionless themselves: a parallel run collects this module in every
# worker, and importing it takes 0.3 s that only the worker running them needs.)


def _with_schema(folder):
    shutil.copy(DATA / "datapackage.json", folder / "datapackage.json")
    return folder / "datapackage.json"


def test_frictionless_accepts_the_mini_dataset(tmp_path):
    from frictionless import validate

    folder = copy_valid(tmp_path)
    report = validate(str(_with_schema(folder)))
    assert report.valid, _errors(report)


@pytest.mark.parametrize(
    ("edit", "error_type"),
    [
        (set_cell("events", 2, "category", "Diplomacy"), "constraint-error"),
        (set_cell("events", 2, "year", "1955a"), "type-error"),
        (set_cell("events", 4, "month", "13"), "constraint-error"),
        (set_cell("events", 2, "period", "nowhere"), "foreign-key"),
        (set_cell("people", 3, "id", "norodom_sihanouk"), "primary-key"),
        (set_cell("events", 2, "sources", "mosyakov_2021 para 5"), "constraint-error"),
    ],
)
def test_frictionless_agrees_on_broken_cases(tmp_path, edit, error_type):
    """The same schema makes Frictionless reject what our check rejects."""
    from frictionless import validate

    folder = copy_valid(tmp_path)
    edit(folder)
    assert schema.check(folder)
    report = validate(str(_with_schema(folder)))
    assert not report.valid
    assert error_type in {e.type for task in report.tasks for e in task.errors}


def test_frictionless_accepts_the_shipped_data():
    from frictionless import validate

    report = validate(str(DATA / "datapackage.json"))
    assert report.valid, _errors(report)[:20]


# --- quotes and locators against the source texts --------------------------------------

SHARED = SHARED_SOURCES
SHARED_SKIP = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the source texts are not available here ({SHARED})"
)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _core_paragraphs(t: tables.Tables) -> dict[str, list[str]]:
    core = t.sources[t.sources["core"] == True]  # noqa: E712
    return {
        sid: schema.split_paragraphs((SHARED / file).read_text(encoding="utf-8"))
        for sid, file in zip(core["id"], core["file"], strict=True)
    }


def _locators(t: tables.Tables):
    """(table, row id, source id, locator) for every citation and claim locator."""
    for name, frame in t:
        if "sources" in frame.columns:
            for row_id, cites in zip(frame["id"], frame["sources"], strict=True):
                for source_id, locator in cites:
                    yield name, row_id, source_id, locator
    claims = t.claims
    for row_id, source_id, locator in zip(
        claims["id"], claims["source"], claims["locator"], strict=True
    ):
        if isinstance(locator, str):
            yield "claims", row_id, source_id, locator


def _check_quotes_and_locators(t: tables.Tables) -> list[str]:
    paragraphs = _core_paragraphs(t)
    errors = []
    for name, row_id, source_id, locator in _locators(t):
        if source_id not in paragraphs:
            continue
        match = schema.CORE_LOCATOR.fullmatch(locator)
        number = int(match.group(1)) if match else 0
        if not 1 <= number <= len(paragraphs[source_id]):
            errors.append(
                f"{name} {row_id}: {source_id}: {locator} is not a paragraph "
                f"(the text has {len(paragraphs[source_id])})"
            )
    for row in t.claims.itertuples():
        if not isinstance(row.quote, str) or not row.quote:
            continue
        texts = paragraphs.get(row.source)
        if texts is None:
            errors.append(f"claims {row.id}: quote from a source without a text file")
            continue
        quote = _normalise(row.quote)
        if quote not in _normalise("\n\n".join(texts)):
            errors.append(f"claims {row.id}: quote not found verbatim in {row.source}")
    return errors


def _check_quotes_in_their_paragraph(t: tables.Tables) -> list[str]:
    paragraphs = _core_paragraphs(t)
    errors = []
    for row in t.claims.itertuples():
        if not isinstance(row.quote, str) or not row.quote or row.source not in paragraphs:
            continue
        match = schema.CORE_LOCATOR.fullmatch(row.locator if isinstance(row.locator, str) else "")
        texts = paragraphs[row.source]
        if match and int(match.group(1)) <= len(texts):
            if _normalise(row.quote) not in _normalise(texts[int(match.group(1)) - 1]):
                errors.append(f"claims {row.id}: quote is not in {row.source} {row.locator}")
    return errors


@SHARED_SKIP
def test_mini_dataset_quotes_and_locators():
    t = tables.load_all(VALID)
    assert _check_quotes_and_locators(t) == []
    assert _check_quotes_in_their_paragraph(t) == []


@SHARED_SKIP
def test_quote_check_can_fail(tmp_path):
    folder = copy_valid(tmp_path)
    set_cell("claims", 2, "quote", "Moscow supported the coup")(folder)
    set_cell("events", 2, "sources", "mosyakov_2021: para 99")(folder)
    errors = _check_quotes_and_locators(tables.load_all(folder))
    assert errors == [
        "events visit_1955_mosyakov: mosyakov_2021: para 99 is not a paragraph (the text has 16)",
        "claims coup_mosyakov: quote not found verbatim in mosyakov_2021",
    ]


@SHARED_SKIP
def test_shipped_quotes_occur_verbatim_and_locators_are_in_range():
    assert _check_quotes_and_locators(tables.load_all()) == []


@SHARED_SKIP
def test_shipped_quotes_are_in_the_cited_paragraph():
    assert _check_quotes_in_their_paragraph(tables.load_all()) == []


def test_shipped_core_sources_are_the_three_texts():
    sources = tables.load_sources()
    core = sources[sources["core"] == True].set_index("id")  # noqa: E712
    assert dict(zip(core.index, core["file"], strict=True)) == {
        "mosyakov_2021": "000_41ffc602af58d45d.txt",
        "kin_phea_2021": "001_3bb287b7bf80c0f0.txt",
        "ppp_2024": "003_d797ab250136c489.txt",
    }
    outside = sources[sources["core"] == False]  # noqa: E712
    # Outside references keep the fact sheet's ids (X04 ...); references added later have
    # readable ids; every outside reference can be looked up (a URL).
    assert outside["id"].str.fullmatch(r"X[0-9]{2,3}").sum() >= 100
    assert outside["url"].notna().all()


def test_shipped_collection_periods_and_notebooks():
    periods = tables.load_periods()
    collection = periods[periods["scheme"] == "collection"].sort_values("order")
    assert dict(zip(collection["id"], collection["notebook"], strict=True)) == {
        "sihanouk_1955_1970": "01_sihanouk_1955_1970",
        "rupture_1970_1979": "02_rupture_1970_1979",
        "prk_1979_1991": "03_prk_1979_1991",
        "crossroads_1991_1993": "04_crossroads_1991_1993",
        "renewal_1993_2021": "05_renewal_1993_2021",
        "ukraine_2022_2024": "06_ukraine_votes_2022_2024",
    }
    last = collection.iloc[-1]
    assert last["start_year"] == 2022 and periods["end_year"].isna()[last.name]
    kin_phea = periods[periods["scheme"] == "kin_phea"]
    assert sorted(kin_phea["id"]) == [f"kin_phea_{n}" for n in range(1, 6)]


# --- patterns run in bounded time ---------------------------------------------------------


def _patterns():
    found = set()
    for resource in DESCRIPTOR["resources"]:
        for f in resource["schema"]["fields"]:
            for pattern in (f.get("constraints", {}).get("pattern"), f.get("x-item-pattern")):
                if pattern:
                    found.add(pattern)
    return sorted(found)


def _near_misses(limit):
    """Inputs of the longest length the check matches, built to make a backtracking
    pattern try every way of splitting them (repeated separators, then a bad ending)."""
    units = ["http://a;", "https://a ; ", "a: b ", "X12; ", " ", "a_1", "mosyakov_2021: para 4; "]
    for unit in units:
        body = unit * (limit // len(unit))
        yield body[: limit - 2] + " !"
        yield body[: limit - 1] + ";"


@pytest.mark.parametrize("pattern", _patterns())
def test_shipped_patterns_run_in_linear_time(pattern):
    compiled = re.compile(pattern)
    for text in _near_misses(schema.MAX_PATTERN_INPUT):
        started = time.perf_counter()
        compiled.fullmatch(text)
        assert time.perf_counter() - started < 0.05, (pattern, text[:40])


def test_the_old_url_pattern_was_catastrophic_and_the_new_one_is_not():
    """The regression this guards: 26 crafted addresses took 45 s with ``\\S+``."""
    url = next(p for p in _patterns() if p.startswith("^https?://"))
    crafted = "http://a" + ";http://a" * 25 + " x"
    old = re.compile(r"^https?://\S+(\s*;\s*https?://\S+)*$")
    started = time.perf_counter()
    old.fullmatch("http://a" + ";http://a" * 12 + " x")
    slow = time.perf_counter() - started
    started = time.perf_counter()
    assert re.fullmatch(url, crafted) is None
    fast = time.perf_counter() - started
    assert fast < slow / 10
