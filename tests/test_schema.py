"""The data check (cambodia_russia.schema): one broken case per kind of problem.

Each case copies the fixture dataset (tests/fixture_data/) into tmp_path, applies one
small edit and asserts the EXACT problem lines that ``check`` returns, so a teacher's
message cannot silently change.
"""

from __future__ import annotations

import json

import pytest

from cambodia_russia import paths, schema
from cambodia_russia.schema import Problem, check
from data_helpers import (
    DATA,
    add_column,
    append_cells,
    append_copy_of_row,
    combine,
    copy_valid,
    delete_file,
    drop_column,
    rename_column,
    replace_bytes,
    set_cell,
    set_cells,
    with_delimiter,
    write_bytes,
)

CATEGORIES = (
    "diplomacy, aid and economy, military and security, education and culture, "
    "politics inside Cambodia, international context"
)
FORMULA = 'text that does not start with "{}" (spreadsheets would run it as a formula)'
UTF8 = 'expected text saved as UTF-8 (in a spreadsheet: Save As, "CSV UTF-8")'

# (id, edit, exact problem lines)
CASES = [
    # --- file level -----------------------------------------------------------------
    (
        "missing file",
        delete_file("glossary"),
        [
            'glossary.csv, row 1, column (file): got ""; expected a file named glossary.csv in '
            "the data folder"
        ],
    ),
    (
        "empty file",
        write_bytes("glossary", b""),
        ['glossary.csv, row 1, column (file): got ""; expected a first row with the column names'],
    ),
    (
        "semicolon separated",
        with_delimiter("glossary", ";"),
        [
            'glossary.csv, row 1, column (file): got "id;term;definition;sources"; expected '
            'columns separated by commas (in a spreadsheet: Save As, "CSV UTF-8")'
        ],
    ),
    (
        "non-UTF-8 bytes",
        replace_bytes("events", b"Trade, cultural", b"Trade\xe9 cultural"),
        [
            'events.csv, row 4, column description: got "Trade\\xe9 cultural and scientific '
            f'agreements are signed."; {UTF8}'
        ],
    ),
    (
        "non-UTF-8 in header",
        replace_bytes("glossary", b"term", b"t\xffrm"),
        [f'glossary.csv, row 1, column B: got "t\\xffrm"; {UTF8}'],
    ),
    # --- header ---------------------------------------------------------------------
    (
        "missing required column",
        drop_column("events", "title"),
        [
            'events.csv, row 1, column title: got ""; expected a column named "title" '
            "(it is required)"
        ],
    ),
    (
        "unknown column",
        add_column("events", "colour", "red"),
        [
            'events.csv, row 1, column colour: got "colour"; expected a known column name '
            "(the columns of events.csv are listed in data/README.md)"
        ],
    ),
    (
        "misspelt column",
        rename_column("events", "title", "Title"),
        [
            'events.csv, row 1, column Title: got "Title"; expected a known column name '
            '(did you mean "title"?)',
            'events.csv, row 1, column title: got ""; expected a column named "title" '
            "(it is required)",
        ],
    ),
    (
        "duplicate column",
        add_column("glossary", "term", "x"),
        [
            'glossary.csv, row 1, column term: got "term"; expected each column name only once '
            "(it also heads column B)"
        ],
    ),
    (
        "cell right of the last column",
        append_cells("events", 2, "oops"),
        [
            'events.csv, row 2, column R: got "oops"; expected no value to the right of the last '
            "column (Q)"
        ],
    ),
    # --- cells ----------------------------------------------------------------------
    (
        "empty required field",
        set_cell("events", 4, "title", ""),
        ['events.csv, row 4, column title: got ""; expected a value (this column is required)'],
    ),
    (
        "bad integer",
        set_cell("events", 2, "year", "1955a"),
        [
            'events.csv, row 2, column year: got "1955a"; expected a whole number written with '
            "digits (like 3 or 1970)"
        ],
    ),
    (
        "bad number",
        set_cell("indicators", 2, "value", "1,250"),
        [
            'indicators.csv, row 2, column value: got "1,250"; expected a number written with '
            "digits and a dot for decimals, without units or thousands separators "
            "(like 239 or 13.65)"
        ],
    ),
    (
        "bad boolean",
        set_cell("events", 2, "approximate", "yes"),
        ['events.csv, row 2, column approximate: got "yes"; expected true or false'],
    ),
    (
        "bad enum",
        set_cell("events", 2, "category", "Diplomacy"),
        [f'events.csv, row 2, column category: got "Diplomacy"; expected one of: {CATEGORIES}'],
    ),
    (
        "bad id pattern",
        set_cell("glossary", 3, "id", "UN GA"),
        [
            'glossary.csv, row 3, column id: got "UN GA"; expected an id made of lowercase '
            "letters a-z, digits and _ only (for example coup_1970)"
        ],
    ),
    (
        "bad source id pattern",
        set_cell("claims", 2, "source", "Mosyakov"),
        [
            'claims.csv, row 2, column source: got "Mosyakov"; expected a source id: lowercase '
            "letters, digits and _ (like mosyakov_2021), or an outside reference like X04"
        ],
    ),
    (
        "bad notebook name",
        set_cell("periods", 2, "notebook", "01 sihanouk"),
        [
            'periods.csv, row 2, column notebook: got "01 sihanouk"; expected a notebook file '
            "name without .ipynb, like 02_rupture_1970_1979"
        ],
    ),
    (
        "number above maximum",
        set_cell("un_votes", 2, "yes", "250"),
        ['un_votes.csv, row 2, column yes: got "250"; expected a number of votes from 0 to 200'],
    ),
    (
        "huge number",
        set_cell("un_votes", 2, "no", "99999999999999999999999"),
        [
            'un_votes.csv, row 2, column no: got "99999999999999999999999"; expected a whole '
            "number written with digits (like 3 or 1970)"
        ],
    ),
    (
        "formula =",
        set_cell("glossary", 3, "definition", "=1+1"),
        [f'glossary.csv, row 3, column definition: got "=1+1"; expected {FORMULA.format("=")}'],
    ),
    (
        "formula +",
        set_cell("glossary", 3, "definition", "+ one vote"),
        [
            f'glossary.csv, row 3, column definition: got "+ one vote"; expected {FORMULA.format("+")}'
        ],
    ),
    (
        "formula -",
        set_cell("glossary", 3, "definition", "-5 votes"),
        [f'glossary.csv, row 3, column definition: got "-5 votes"; expected {FORMULA.format("-")}'],
    ),
    (
        "formula @",
        set_cell("glossary", 3, "definition", "@home"),
        [f'glossary.csv, row 3, column definition: got "@home"; expected {FORMULA.format("@")}'],
    ),
    (
        "quote longer than 25 words",
        set_cell("claims", 2, "quote", " ".join(["word"] * 26)),
        [
            'claims.csv, row 2, column quote: got "'
            + " ".join(["word"] * 26)
            + '"; expected at most 25 words (this has 26)'
        ],
    ),
    (
        "empty list item",
        set_cell("events", 5, "people", "norodom_sihanouk;;lon_nol"),
        [
            'events.csv, row 5, column people: got "norodom_sihanouk;;lon_nol"; expected items '
            'separated by ";" with no empty item'
        ],
    ),
    (
        "malformed citation",
        set_cell("events", 2, "sources", "mosyakov_2021 para 5"),
        [
            'events.csv, row 2, column sources: got "mosyakov_2021 para 5"; expected a citation '
            'like "mosyakov_2021: para 4" or "X16" (a source id, then optionally ":" and a '
            "locator)"
        ],
    ),
    # --- conditional columns --------------------------------------------------------
    (
        "core text without file",
        set_cell("sources", 2, "file", ""),
        ['sources.csv, row 2, column file: got ""; expected a value (required when core is true)'],
    ),
    (
        "notebook on a non-collection period",
        set_cell("periods", 5, "notebook", "01_sihanouk_1955_1970"),
        [
            'periods.csv, row 5, column notebook: got "01_sihanouk_1955_1970"; expected an empty '
            "cell (this column is only used when scheme is collection)"
        ],
    ),
    (
        "collection period without notebook",
        set_cell("periods", 3, "notebook", ""),
        [
            'periods.csv, row 3, column notebook: got ""; expected a value (required when scheme '
            "is collection)"
        ],
    ),
    # --- dates ----------------------------------------------------------------------
    (
        "bad month",
        set_cell("events", 4, "month", "13"),
        ['events.csv, row 4, column month: got "13"; expected a month number from 1 to 12'],
    ),
    (
        "bad day (31 February, leap year)",
        set_cells("events", 3, month="2", day="31"),
        [
            'events.csv, row 3, column day: got "31"; expected a day from 1 to 29 '
            "(February 1956 has 29 days)"
        ],
    ),
    (
        "bad day (29 February)",
        set_cells("un_votes", 2, month="2", day="29"),
        [
            'un_votes.csv, row 2, column day: got "29"; expected a day from 1 to 28 '
            "(February 2022 has 28 days)"
        ],
    ),
    (
        "bad day (31 April)",
        set_cell("un_votes", 3, "day", "31"),
        [
            'un_votes.csv, row 3, column day: got "31"; expected a day from 1 to 30 '
            "(April 2022 has 30 days)"
        ],
    ),
    (
        "day without month",
        set_cell("events", 2, "day", "5"),
        [
            'events.csv, row 2, column day: got "5"; expected an empty day cell when the month '
            "cell is empty (fill in the month first)"
        ],
    ),
    (
        "end year before start",
        set_cell("events", 6, "end_year", "1969"),
        [
            'events.csv, row 6, column end_year: got "1969"; expected an end date on or after '
            "the start date (1970)"
        ],
    ),
    (
        "end month before start",
        set_cells("events", 5, end_year="1970", end_month="2"),
        [
            'events.csv, row 5, column end_month: got "2"; expected an end date on or after the '
            "start date (18 March 1970)"
        ],
    ),
    (
        "end day before start",
        set_cells("events", 5, end_year="1970", end_month="3", end_day="17"),
        [
            'events.csv, row 5, column end_day: got "17"; expected an end date on or after the '
            "start date (18 March 1970)"
        ],
    ),
    (
        "end month without end year",
        set_cells("events", 6, end_year="", end_month="5"),
        [
            'events.csv, row 6, column end_month: got "5"; expected an empty end_month cell when '
            "the end_year cell is empty (fill in the end_year first)"
        ],
    ),
    (
        "end day without end month",
        set_cell("events", 6, "end_day", "3"),
        [
            'events.csv, row 6, column end_day: got "3"; expected an empty end_day cell when the '
            "end_month cell is empty (fill in the end_month first)"
        ],
    ),
    (
        "period ends before it starts",
        set_cell("periods", 3, "end_year", "1960"),
        [
            'periods.csv, row 3, column end_year: got "1960"; expected an end date on or after '
            "the start date (1970)"
        ],
    ),
    (
        "indicator span ends before it starts",
        set_cell("indicators", 4, "end_year", "1989"),
        [
            'indicators.csv, row 4, column end_year: got "1989"; expected an end date on or after '
            "the start date (1990)"
        ],
    ),
    (
        "event outside its period",
        set_cell("events", 3, "period", "rupture_1970_1979"),
        [
            'events.csv, row 3, column year: got "1956"; expected a year from 1970 to 1979 '
            "(the years of period rupture_1970_1979)"
        ],
    ),
    (
        "event before an open period",
        set_cell("events", 5, "period", "ukraine_2022_2024"),
        [
            'events.csv, row 5, column year: got "1970"; expected a year from 2022 onwards '
            "(the years of period ukraine_2022_2024)"
        ],
    ),
    (
        "UN vote outside its period",
        set_cell("un_votes", 2, "period", "rupture_1970_1979"),
        [
            'un_votes.csv, row 2, column year: got "2022"; expected a year from 1970 to 1979 '
            "(the years of period rupture_1970_1979)"
        ],
    ),
    # --- keys and references --------------------------------------------------------
    (
        "duplicate id",
        append_copy_of_row("people", 3),
        [
            'people.csv, row 8, column id: got "lon_nol"; expected a unique id (row 3 already '
            "uses it)"
        ],
    ),
    (
        "duplicate period order",
        set_cell("periods", 3, "order", "1"),
        [
            'periods.csv, row 3, column order: got "1"; expected a unique order among the '
            "rows whose scheme is collection (row 2 already uses 1)"
        ],
    ),
    (
        "duplicate exercise number",
        set_cells("exercises", 3, notebook="02_rupture_1970_1979"),
        [
            'exercises.csv, row 3, column number: got "1"; expected a unique number among the '
            "rows whose notebook is 02_rupture_1970_1979 (row 2 already uses 1)"
        ],
    ),
    (
        "unknown period id",
        set_cell("events", 2, "period", "sihanouk_1955"),
        [
            'events.csv, row 2, column period: got "sihanouk_1955"; expected an id that exists '
            "in periods.csv"
        ],
    ),
    (
        "period of another scheme",
        set_cell("events", 2, "period", "mosyakov_1"),
        [
            'events.csv, row 2, column period: got "mosyakov_1"; expected the id of a row of '
            "periods.csv whose scheme is collection"
        ],
    ),
    (
        "unknown person id",
        set_cell("events", 5, "people", "norodom_sihanouk; lon_nol_x"),
        [
            'events.csv, row 5, column people: got "lon_nol_x"; expected an id that exists in '
            "people.csv"
        ],
    ),
    (
        "unknown topic id",
        set_cell("claims", 2, "topic", "coup"),
        ['claims.csv, row 2, column topic: got "coup"; expected an id that exists in topics.csv'],
    ),
    (
        "unknown event in opens_with",
        set_cell("periods", 2, "opens_with", "visit_1955"),
        [
            'periods.csv, row 2, column opens_with: got "visit_1955"; expected an id that exists '
            "in events.csv"
        ],
    ),
    (
        "dangling citation",
        set_cell("events", 7, "sources", "ppp_2024: para 10; X99"),
        ['events.csv, row 7, column sources: got "X99"; expected an id that exists in sources.csv'],
    ),
    (
        "core citation without locator",
        set_cell("periods", 2, "sources", "kin_phea_2021; mosyakov_2021: para 5"),
        [
            'periods.csv, row 2, column sources: got "kin_phea_2021"; expected a paragraph '
            'locator for this core text, like "kin_phea_2021: para 4"'
        ],
    ),
    (
        "core citation with another locator",
        set_cell("events", 2, "sources", "mosyakov_2021: p. 5"),
        [
            'events.csv, row 2, column sources: got "mosyakov_2021: p. 5"; expected a paragraph '
            'locator for this core text, like "mosyakov_2021: para 4"'
        ],
    ),
    (
        "claim on a core text without locator",
        set_cell("claims", 4, "locator", ""),
        [
            'claims.csv, row 4, column locator: got ""; expected a paragraph locator like '
            '"para 4" (the source is one of the three core texts)'
        ],
    ),
    (
        "quote from an outside reference",
        set_cells("claims", 2, source="X16", locator=""),
        [
            'claims.csv, row 2, column quote: got "the coup against Sihanouk was actually '
            'supported in Moscow"; expected an empty quote (exact quotes are kept only for the '
            "three core texts)"
        ],
    ),
    # --- quiz -----------------------------------------------------------------------
    (
        "quiz answer not among options",
        set_cell("quiz", 2, "answer", "It approved the coup"),
        [
            'quiz.csv, row 2, column answer: got "It approved the coup"; expected the exact text '
            "of one of the options: It condemned the coup; It in effect supported the coup; "
            "It broke off relations at once"
        ],
    ),
    (
        "quiz choice without answer",
        set_cell("quiz", 2, "answer", ""),
        [
            'quiz.csv, row 2, column answer: got ""; expected the exact text of the right option '
            "(a choice question needs one)"
        ],
    ),
    (
        "quiz choice with one option",
        set_cells("quiz", 2, options="Yes", answer="Yes"),
        [
            'quiz.csv, row 2, column options: got "Yes"; expected at least two options separated '
            'by ";"'
        ],
    ),
    (
        "quiz order with too few events",
        set_cell("quiz", 3, "options", "coup_1970; relations_1956"),
        [
            'quiz.csv, row 3, column options: got "coup_1970; relations_1956"; expected 3 to 5 '
            'event ids separated by ";"'
        ],
    ),
    (
        "quiz order with unknown event",
        set_cell("quiz", 3, "options", "coup_1970; relations_1956; nothing_here"),
        [
            'quiz.csv, row 3, column options: got "nothing_here"; expected an id that exists in '
            "events.csv"
        ],
    ),
    (
        "quiz order with events of the same date",
        set_cell("quiz", 3, "options", "coup_1970; lon_nol_ties_1970_1973; relations_1956"),
        [
            'quiz.csv, row 3, column options: got "coup_1970; lon_nol_ties_1970_1973"; expected '
            "events whose dates differ (coup_1970 and lon_nol_ties_1970_1973 both date from 1970)"
        ],
    ),
    (
        "quiz order with an answer",
        set_cell("quiz", 3, "answer", "relations_1956"),
        [
            'quiz.csv, row 3, column answer: got "relations_1956"; expected an empty answer for '
            "an order question (the right order comes from the events' dates)"
        ],
    ),
]


@pytest.mark.parametrize(("edit", "expected"), [pytest.param(e, x, id=i) for i, e, x in CASES])
def test_broken_case(tmp_path, edit, expected):
    folder = copy_valid(tmp_path)
    edit(folder)
    assert [str(p) for p in check(folder)] == expected


def test_every_problem_kind_has_a_case():
    """The case table covers each kind the check can report (guards against gaps)."""
    ids = {case[0] for case in CASES}
    for kind in [
        "missing file",
        "non-UTF-8 bytes",
        "missing required column",
        "unknown column",
        "bad month",
        "bad day (31 February, leap year)",
        "day without month",
        "end year before start",
        "event outside its period",
        "unknown person id",
        "duplicate id",
        "dangling citation",
        "empty required field",
        "formula =",
        "formula +",
        "formula -",
        "formula @",
        "bad enum",
        "bad integer",
        "core citation without locator",
        "quiz answer not among options",
    ]:
        assert kind in ids


def test_problems_come_in_file_then_row_then_column_order(tmp_path):
    folder = copy_valid(tmp_path)
    combine(
        set_cell("quiz", 2, "answer", "nope"),
        set_cell("events", 5, "title", ""),
        set_cell("events", 3, "category", "x"),
        set_cell("events", 3, "month", "0"),
        set_cell("sources", 4, "kind", "blog"),
    )(folder)
    found = [(p.file, p.row, p.column) for p in check(folder)]
    assert found == [
        ("sources.csv", 4, "kind"),
        ("events.csv", 3, "month"),
        ("events.csv", 3, "category"),
        ("events.csv", 5, "title"),
        ("quiz.csv", 2, "answer"),
    ]


def test_one_problem_per_cell_no_cascade(tmp_path):
    """A bad month is reported once: the date and period checks skip the bad cell."""
    folder = copy_valid(tmp_path)
    set_cell("events", 5, "month", "=3")(folder)
    assert [str(p) for p in check(folder)] == [
        'events.csv, row 5, column month: got "=3"; expected a whole number written with '
        "digits (like 3 or 1970)"
    ]


def test_spreadsheet_habits_are_accepted(tmp_path):
    """A byte-order mark, TRUE/FALSE, CRLF line ends, trailing empty cells and blank rows
    are fine (a row with fewer cells than the header is not: see bad_data/cases.toml)."""
    folder = copy_valid(tmp_path)
    events = folder / "events.csv"
    text = events.read_text(encoding="utf-8").replace(",false,", ",FALSE,")
    lines = text.splitlines()
    lines.insert(3, ",,,,")  # an empty spreadsheet row
    events.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    glossary = folder / "glossary.csv"
    # extra empty cells to the right of the last column, as spreadsheets pad rows
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("\n", ",,\n"), encoding="utf-8"
    )
    assert check(folder) == []


def test_optional_columns_may_be_left_out(tmp_path):
    folder = copy_valid(tmp_path)
    combine(drop_column("events", "topic"), drop_column("sources", "notes"))(folder)
    assert check(folder) == []


def test_problem_line_format():
    problem = Problem("events.csv", 7, "month", "13", "a month number from 1 to 12")
    assert str(problem) == (
        'events.csv, row 7, column month: got "13"; expected a month number from 1 to 12'
    )
    multi = Problem("glossary.csv", 3, "term", "a\nb", "x")
    assert str(multi) == 'glossary.csv, row 3, column term: got "a\\nb"; expected x'
    assert "\n" not in str(multi)


def test_missing_folder_raises_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="No data folder"):
        check(tmp_path / "nowhere")


def test_schema_next_to_the_data_wins(tmp_path):
    """A folder with its own datapackage.json is checked against it."""
    folder = copy_valid(tmp_path)
    assert not (folder / "datapackage.json").exists()  # the fixture uses the shipped schema
    assert schema.validate(folder).package.path == (DATA / "datapackage.json").resolve()
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    glossary = next(r for r in descriptor["resources"] if r["name"] == "glossary")
    term = next(f for f in glossary["schema"]["fields"] if f["name"] == "term")
    term["constraints"]["enum"] = ["USSR", "People's Republic of Kampuchea (PRK)"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert paths.schema_path(folder) == folder / "datapackage.json"
    assert [str(p) for p in check(folder)] == [
        'glossary.csv, row 3, column term: got "UN General Assembly"; expected one of: USSR, '
        "People's Republic of Kampuchea (PRK)"
    ]


def test_broken_schema_is_reported(tmp_path):
    folder = copy_valid(tmp_path)
    (folder / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems = check(folder)
    assert len(problems) == 1
    assert problems[0].file == "datapackage.json"
    assert problems[0].expected == "a valid datapackage.json (the schema of the tables)"


def test_package_reads_every_key_of_the_descriptor():
    """The parsed schema says what datapackage.json says (nothing restated in code)."""
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    package = schema.load_package(DATA / "datapackage.json")
    assert tuple(package.resources) == tuple(r["name"] for r in descriptor["resources"])
    for desc in descriptor["resources"]:
        resource = package.resources[desc["name"]]
        assert resource.date == desc.get("x-date")
        assert resource.within_period == desc.get("x-within-period")
        for fk in desc["schema"].get("foreignKeys", []):
            parsed = next(k for k in resource.foreign_keys if k.field == fk["fields"])
            assert parsed.resource == fk["reference"]["resource"]
            assert dict(parsed.where) == fk.get("x-where", {})
        for key in desc["schema"].get("uniqueKeys", []):
            assert tuple(key) in resource.unique_keys
        for fdesc in desc["schema"]["fields"]:
            (f,) = [f for f in resource.fields if f.name == fdesc["name"]]
            constraints = fdesc.get("constraints", {})
            assert f.type == fdesc.get("type", "string")
            assert f.required == constraints.get("required", False)
            assert f.enum == (tuple(constraints["enum"]) if "enum" in constraints else None)
            assert (f.is_list, f.refs, f.citations) == (
                fdesc.get("x-list", False),
                fdesc.get("x-refs"),
                fdesc.get("x-citations", False),
            )
            only = fdesc.get("x-only-when")
            assert f.only_when == ((only["field"], only["equals"]) if only else None)


def test_a_new_enum_column_needs_no_code(tmp_path):
    """A column added to the descriptor only (like sources.quality) is checked at once."""
    folder = copy_valid(tmp_path)
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    sources = next(r for r in descriptor["resources"] if r["name"] == "sources")
    sources["schema"]["fields"].append(
        {"name": "grade", "type": "string", "constraints": {"enum": ["primary", "press"]}}
    )
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    add_column("sources", "grade", "press")(folder)
    assert check(folder) == []
    set_cell("sources", 3, "grade", "blog")(folder)
    assert [str(p) for p in check(folder)] == [
        'sources.csv, row 3, column grade: got "blog"; expected one of: primary, press'
    ]


def test_parse_citation():
    assert schema.parse_citation("mosyakov_2021: para 4") == ("mosyakov_2021", "para 4")
    assert schema.parse_citation(" X54 :  vote   tally ") == ("X54", "vote tally")
    assert schema.parse_citation("X16") == ("X16", "")


def test_split_paragraphs_counts_blocks_between_blank_lines():
    text = "\n\nTitle\n\nFirst line\nsecond line\n   \nThird\n\n\n"
    assert schema.split_paragraphs(text) == ["Title", "First line\nsecond line", "Third"]
    assert schema.split_paragraphs("") == []


def test_check_does_not_modify_the_files(tmp_path):
    folder = copy_valid(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    set_cell("events", 4, "month", "13")(folder)
    edited = {p.name: p.read_bytes() for p in folder.iterdir()}
    check(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == edited
    assert edited != before


def test_a_change_is_seen_at_once(tmp_path):
    """Same size, same second: a file saved twice is checked as it is now."""
    folder = copy_valid(tmp_path)
    assert check(folder) == []
    set_cell("events", 4, "month", "6")(folder)
    set_cell("events", 4, "month", "0")(folder)
    assert [p.column for p in check(folder)] == ["month"]


def test_schema_naming_an_unknown_column_is_reported(tmp_path):
    folder = copy_valid(tmp_path)
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in descriptor["resources"] if r["name"] == "events")
    events["x-within-period"] = {"year": "year", "period": "era"}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    problems = check(folder)
    assert len(problems) == 1 and problems[0].file == "datapackage.json"
    assert "'era'" in problems[0].value
