"""data/datapackage.json: a valid Frictionless Data Package that says what the spec says,
is documented in data/README.md, and describes the shipped data. Also: quotes and paragraph
locators checked against the source texts when they are available."""

from __future__ import annotations

import json
import re
import shutil
import time

import pytest
from frictionless import Package, validate

from cambodia_russia import paths, schema, tables

from data_helpers import DATA, TABLES, VALID, copy_valid, real_data_missing, set_cell

DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in DESCRIPTOR["resources"]}
README = (DATA / "README.md").read_text(encoding="utf-8")

# The columns of each table, as the project contract lists them (R = required).
SPEC = {
    "sources": "id R, short_name R, author, author_role, title R, outlet, year, date_note, "
               "kind R, quality R, perspective, language, url, core R, file, notes",
    "periods": "id R, scheme R, order R, name R, start_year R, end_year, opens_with, "
               "closes_with, summary R, sources R, notebook",
    "events": "id R, year R, month, day, approximate R, end_year, end_month, end_day, title R, "
              "description R, category R, period R, people, sources R, verification R, "
              "contested R, topic",
    "people": "id R, name R, variants, native_name, country R, roles R, born, died, sources R",
    "topics": "id R, title R, question R, period, summary R",
    "claims": "id R, topic R, source R, locator, claim R, quote, stance R",
    "indicators": "id R, indicator R, label R, direction R, year R, end_year, value R, unit R, "
                  "bound R, system R, sources R, note",
    "un_votes": "id R, year R, month, day, body R, symbol, title R, yes, no, abstain, "
                "absent, cambodia_vote R, cambodia_sponsor, period R, sources R, note",
    "glossary": "id R, term R, definition R, sources",
    "lab_solutions": "id R, variable R, code R, explanation R, sources",
    "quiz": "id R, notebook R, kind R, question R, options R, answer, explanation R, sources",
    "exercises": "id R, notebook R, number R, title R, prompt R, solution R, sources",
    "digest": "id R, source R, paragraph R, kind R, summary R, quote",
}
TYPES = {
    "integer": {"year", "month", "day", "end_year", "end_month", "end_day", "order",
                "start_year", "born", "died", "yes", "no", "abstain", "absent", "number",
                "paragraph"},
    "number": {"value"},
    "boolean": {"core", "approximate", "contested", "cambodia_sponsor"},
}
ENUMS = {
    ("sources", "kind"): ["scholarly commentary", "op-ed", "news report", "reference work",
                          "official statement", "archival document", "book or memoir"],
    ("sources", "quality"): ["primary", "scholarly", "official", "press", "encyclopaedia", "blog"],
    ("periods", "scheme"): ["collection", "mosyakov", "kin_phea"],
    ("events", "category"): ["diplomacy", "aid and economy", "military and security",
                             "education and culture", "politics inside Cambodia",
                             "international context"],
    ("events", "verification"): ["verified", "partly verified", "unverified", "contradicted",
                                 "source only"],
    ("indicators", "direction"): ["Cambodia to Russia", "Russia to Cambodia", "both ways",
                                  "not applicable"],
    ("indicators", "bound"): ["exact", "about", "more than", "less than", "up to"],
    ("un_votes", "body"): ["General Assembly", "Security Council", "Human Rights Council"],
    ("un_votes", "cambodia_vote"): ["yes", "no", "abstain", "absent", "not a member",
                                    "unknown"],
    ("quiz", "kind"): ["choice", "order"],
    ("digest", "kind"): ["text", "heading", "caption", "byline", "page furniture"],
}
FOREIGN_KEYS = {
    ("events", "period", "periods"), ("topics", "period", "periods"),
    ("claims", "topic", "topics"), ("claims", "source", "sources"),
    ("un_votes", "period", "periods"), ("events", "topic", "topics"),
    ("digest", "source", "sources"),
}
REAL_SKIP = pytest.mark.skipif(
    bool(real_data_missing()),
    reason=f"the shipped data is not complete yet (missing: {', '.join(real_data_missing())})",
)


def _fields(table):
    return {f["name"]: f for f in RESOURCES[table]["schema"]["fields"]}


def _errors(report) -> list[str]:
    return [e.message for e in report.errors] + [
        f"{task.name}: {e.message}" for task in report.tasks for e in task.errors
    ]


# --- structure --------------------------------------------------------------------------


def test_package_metadata():
    assert DESCRIPTOR["profile"] == "tabular-data-package"
    assert [r["name"] for r in DESCRIPTOR["resources"]] == list(TABLES)
    assert DESCRIPTOR["licenses"][0]["name"] == "CC-BY-4.0"
    assert DESCRIPTOR["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    Package(DATA / "datapackage.json")  # frictionless accepts the descriptor


@pytest.mark.parametrize("table", TABLES)
def test_columns_match_the_contract(table):
    fields = _fields(table)
    spec = [c.split() for c in SPEC[table].split(", ")]
    assert list(fields) == [c[0] for c in spec]
    for name, *flag in spec:
        required = fields[name].get("constraints", {}).get("required", False)
        assert required == (flag == ["R"]), (table, name)
    for name, field in fields.items():
        assert field.get("description", "").strip(), (table, name)
        expected_type = next((t for t, names in TYPES.items() if name in names), "string")
        assert field["type"] == expected_type, (table, name)
    resource = RESOURCES[table]
    assert resource["path"] == f"{table}.csv"
    assert resource["profile"] == "tabular-data-resource"
    assert resource["encoding"] == "utf-8"
    assert resource["schema"]["primaryKey"] == ["id"]


def test_enums_match_the_contract():
    for (table, column), values in ENUMS.items():
        assert _fields(table)[column]["constraints"]["enum"] == values


def test_foreign_keys():
    found = {
        (name, fk["fields"], fk["reference"]["resource"])
        for name, r in RESOURCES.items() for fk in r["schema"].get("foreignKeys", [])
    }
    assert FOREIGN_KEYS <= found
    for name, r in RESOURCES.items():
        for fk in r["schema"].get("foreignKeys", []):
            if fk["fields"] == "period":
                assert fk["x-where"] == {"scheme": "collection"}, name


def test_id_patterns_and_list_markers():
    for table in TABLES:
        fields = _fields(table)
        pattern = fields["id"]["constraints"]["pattern"]
        if table == "sources":
            assert pattern == "^([a-z0-9_]+|X[0-9]{2,3})$"
        else:
            assert pattern == "^[a-z0-9_]+$"
        if "sources" in fields:
            cites = fields["sources"]
            assert cites["x-list"] is True and cites["x-citations"] is True
            assert cites["x-refs"] == "sources"
    assert _fields("events")["people"]["x-refs"] == "people"
    for table, column in [("events", "people"), ("people", "variants"), ("quiz", "options")]:
        assert _fields(table)[column]["x-list"] is True
    assert _fields("claims")["quote"]["x-max-words"] == 25


def test_month_and_day_limits():
    for table in ("events", "un_votes"):
        fields = _fields(table)
        for name in ("month", "end_month"):
            if name in fields:
                assert fields[name]["constraints"]["minimum"] == 1
                assert fields[name]["constraints"]["maximum"] == 12
        for name in ("day", "end_day"):
            if name in fields:
                assert fields[name]["constraints"]["minimum"] == 1
                assert fields[name]["constraints"]["maximum"] == 31


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
    for (table, column), values in ENUMS.items():
        section = README.split(f"### {table}.csv", 1)[1].split("\n### ", 1)[0]
        row = next(line for line in section.splitlines() if line.startswith(f"| `{column}` |"))
        for value in values:
            assert f"`{value}`" in row, (table, column, value)


# --- Frictionless on the data ------------------------------------------------------------


def _with_schema(folder):
    shutil.copy(DATA / "datapackage.json", folder / "datapackage.json")
    return folder / "datapackage.json"


def test_frictionless_accepts_the_mini_dataset(tmp_path):
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
    folder = copy_valid(tmp_path)
    edit(folder)
    assert schema.check(folder)
    report = validate(str(_with_schema(folder)))
    assert not report.valid
    assert error_type in {e.type for task in report.tasks for e in task.errors}


@REAL_SKIP
def test_frictionless_accepts_the_shipped_data():
    report = validate(str(DATA / "datapackage.json"))
    assert report.valid, _errors(report)[:20]


# --- quotes and locators against the source texts --------------------------------------

SHARED = paths.shared_sources_dir()
SHARED_SKIP = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the source texts are not available here ({SHARED})"
)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _core_paragraphs(t: tables.Tables) -> dict[str, list[str]]:
    core = t.sources[t.sources["core"] == True]  # noqa: E712
    return {
        sid: schema.split_paragraphs((SHARED / file).read_text(encoding="utf-8"))
        for sid, file in zip(core["id"], core["file"])
    }


def _locators(t: tables.Tables):
    """(table, row id, source id, locator) for every citation and claim locator."""
    for name, frame in t:
        if "sources" in frame.columns:
            for row_id, cites in zip(frame["id"], frame["sources"]):
                for source_id, locator in cites:
                    yield name, row_id, source_id, locator
    for row_id, source_id, locator in zip(t.claims["id"], t.claims["source"], t.claims["locator"]):
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
            errors.append(f"{name} {row_id}: {source_id}: {locator} is not a paragraph "
                          f"(the text has {len(paragraphs[source_id])})")
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
@REAL_SKIP
def test_shipped_quotes_occur_verbatim_and_locators_are_in_range():
    assert _check_quotes_and_locators(tables.load_all()) == []


@SHARED_SKIP
@REAL_SKIP
def test_shipped_quotes_are_in_the_cited_paragraph():
    assert _check_quotes_in_their_paragraph(tables.load_all()) == []


@REAL_SKIP
def test_shipped_core_sources_are_the_three_texts():
    sources = tables.load_sources()
    core = sources[sources["core"] == True].set_index("id")  # noqa: E712
    assert dict(zip(core.index, core["file"])) == {
        "mosyakov_2021": "000_41ffc602af58d45d.txt",
        "kin_phea_2021": "001_3bb287b7bf80c0f0.txt",
        "ppp_2024": "003_d797ab250136c489.txt",
    }
    outside = sources[sources["core"] == False]  # noqa: E712
    # Outside references keep the fact sheet's ids (X04 ...); references added later have
    # readable ids; every outside reference can be looked up (a URL).
    assert outside["id"].str.fullmatch(r"X[0-9]{2,3}").sum() >= 100
    assert outside["url"].notna().all()


@REAL_SKIP
def test_shipped_collection_periods_and_notebooks():
    periods = tables.load_periods()
    collection = periods[periods["scheme"] == "collection"].sort_values("order")
    assert dict(zip(collection["id"], collection["notebook"])) == {
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
