"""Contested events are named by those who name them, and figures of the dead are cited to
scholarship or the tribunal (issue 19).

* 1979: notebooks 02 and 03 never call the events of 1978–1979 an invasion, an occupation or
  a liberation in their own voice. Every sentence with one of those words either quotes it,
  asks a question, or names who uses it ("called", "spoke of", "deplored", "says", ...).
* 2022: notebook 06 does the same for "invasion".
* The same rule for the words of 1979 and 2022 holds for the text students read outside the
  notebooks: quiz, exercises, glossary and the lesson registry (notebooks/lessons.toml).
* The death toll: every Markdown cell and data row that gives a number of the dead under the
  Khmer Rouge cites at least one scholarly or official (tribunal) source.
* Citations in the prose are readable labels that open the lesson's reference list, and the
  list holds every source they name; no raw outside-reference id (X89) is left in the prose.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import nbformat
import pytest

from cambodia_russia import lessons
from cambodia_russia.tables import load_all
from cambodia_russia.widgets._common import source_names

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
WORDS_1979 = re.compile(
    r"\b(invasions?|invad\w*|invaders?|occupation|occupied|occupying|liberat\w*)\b", re.I
)
WORDS_2022 = re.compile(r"\b(invasions?|invad\w*|invaders?)\b", re.I)
NAMES_NOT_WORDS = re.compile(r"National Liberation Front", re.I)  # a party's name, not a judgement
CUES = re.compile(
    r"\b(call(s|ed|ing)?|spoke of|speaks? of|wr(ote|ites?) of|deplor\w*|nam(e|es|ed|ing)|"
    r"sa(y|ys|id)|according to|describ\w*|remember\w*|regard\w*|explain\w*|listed|word|words)\b",
    re.I,
)
QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
DEATHS = re.compile(
    r"\b\d+(\.\d+)?( to \d+(\.\d+)?)? million\b[^.]*\b(dead|died|deaths?|lost their lives)\b"
    r"|\b(dead|died|deaths?)\b[^.]*\b\d+(\.\d+)? million\b",
    re.I,
)


@pytest.fixture(scope="module")
def shipped():
    return load_all()


def prose(name: str):
    """(cell number, text) of the hand-written Markdown cells of a notebook."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    return [
        (i, c.source)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown" and not c.metadata.get("cambodia_russia", {}).get("generated")
    ]


def sentences(text: str) -> list[str]:
    text = re.sub(
        r"\[(?:[^\]\\]|\\.)*\]\(#References\)", "[source]", text
    )  # citation labels are names
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets are not words
    return [
        " ".join(s.split())
        for s in re.split(r"(?<=[.!?:])\s+|\n(?=[-#>*]|\d+\.)", text)
        if s.strip()
    ]


def unattributed(text: str, words: re.Pattern) -> list[str]:
    found = []
    for sentence in sentences(text):
        bare = QUOTED.sub("", NAMES_NOT_WORDS.sub("", sentence))
        if words.search(bare) and not sentence.endswith("?") and not CUES.search(sentence):
            found.append(sentence)
    return found


def test_the_rule_catches_the_notebook_s_own_voice():
    assert unattributed(
        "On 25 December 1978 Vietnamese troops began a large-scale invasion (X26).", WORDS_1979
    )
    assert unattributed("In 2022 Russia's invasion of Ukraine put relations to a test.", WORDS_2022)
    assert not unattributed("China called it Vietnam's occupation of Cambodia.", WORDS_1979)
    assert not unattributed('A digest of 1979 wrote of "invaders".', WORDS_1979)
    assert not unattributed("### Liberation, invasion or occupation?", WORDS_1979)
    assert not unattributed("The Khmer People's National Liberation Front joined.", WORDS_1979)


@pytest.mark.parametrize(
    "name, words",
    [
        ("02_rupture_1970_1979", WORDS_1979),
        ("03_prk_1979_1991", WORDS_1979),
        ("06_ukraine_votes_2022_2024", WORDS_2022),
    ],
)
def test_contested_names_are_attributed(name, words):
    problems = [
        f"{name}, cell {i}: {s}" for i, text in prose(name) for s in unattributed(text, words)
    ]
    assert not problems, "\n".join(problems)


#: The free-text columns students read (citation columns hold ids, not words).
DATA_TEXT = {
    "quiz": ("question", "options", "answer", "explanation"),
    "exercises": ("title", "prompt", "solution"),
    "glossary": ("term", "definition"),
}


def _data_text(tables):
    """(table, row id, column, text) of every free-text cell of DATA_TEXT."""
    for table, columns in DATA_TEXT.items():
        for row in getattr(tables, table).to_dict("records"):
            for column in columns:
                value = row.get(column)
                text = "; ".join(map(str, value)) if isinstance(value, list) else value
                if isinstance(text, str) and text:
                    yield table, row["id"], column, text


def test_contested_names_are_attributed_in_quiz_exercises_and_glossary(shipped):
    cells = list(_data_text(shipped))
    assert {t for t, *_ in cells} == set(DATA_TEXT)
    problems = [
        f"{t}.csv {i} {c}: {s}" for t, i, c, text in cells for s in unattributed(text, WORDS_1979)
    ]
    assert not problems, "\n".join(problems)


def test_quiz_exercises_and_glossary_name_sources_not_raw_ids(shipped):
    """Students read names ("Great Soviet Encyclopedia"), never X04; the citation columns keep ids."""
    raw = [
        f"{t}.csv {i} {c}: {m}"
        for t, i, c, text in _data_text(shipped)
        for m in re.findall(r"(?<![\w-])X\d{2,3}\b", text)
    ]
    assert not raw, "\n".join(raw[:20])


def test_contested_names_are_attributed_in_the_lesson_registry():
    registry = tomllib.loads((NOTEBOOKS / "lessons.toml").read_text(encoding="utf-8"))
    texts = [
        (lesson["file"], key, item)
        for lesson in registry["lesson"]
        for key, value in lesson.items()
        for item in (value if isinstance(value, list) else [value])
        if isinstance(item, str)
    ]
    assert any(key == "overview" for _, key, _ in texts)
    problems = [
        f"lessons.toml {f} {k}: {s}" for f, k, text in texts for s in unattributed(text, WORDS_1979)
    ]
    assert not problems, "\n".join(problems)


#: The heading of every lesson's reference list: the target of its citation links.
REFERENCES_HEADING = "References"


def linked_source_ids(markdown: str, names) -> set[str]:
    """The ids of the sources that the citation links in ``markdown`` name: a short name,
    maybe with a locator, linking to the References heading (``[Mosyakov (2021), para 9](#References)``)."""
    by_label = {name: sid for sid, name in names.items()}
    found = set()
    pattern = r"\[((?:[^\]\\]|\\.)+)\]\(#" + REFERENCES_HEADING + r"\)"
    for label in re.findall(pattern, markdown):
        label = re.sub(r"\\(.)", r"\1", label)
        match = [n for n in by_label if label == n or label.startswith(n + ", ")]
        if match:
            found.add(by_label[max(match, key=len)])
    return found


def test_notebook_03_opens_with_a_content_note():
    first = prose("03_prk_1979_1991")[0][1]
    assert first.startswith("> **A note before you begin.**")


def test_the_naming_of_7_january_is_taught_with_sources(shipped):
    names = source_names(shipped.sources)
    cells = [t for _, t in prose("03_prk_1979_1991")]
    start = next(
        i for i, t in enumerate(cells) if t.startswith("### Liberation, invasion or occupation?")
    )
    text = "\n".join(cells[start : start + 2])  # the section runs over two cells (one slide each)
    assert "Victory over Genocide Day" in text
    cited = linked_source_ids(text, names)
    for bullet in [b for b in text.split("\n- ") if b.startswith("**")]:
        assert linked_source_ids(bullet, names), f"a naming without a source: {bullet[:60]}"
    assert {"holidays_dictionary_2010", "ppp_2001_january_7", "X106"} <= cited


def _strong_sources(tables) -> set[str]:
    quality = tables.sources.set_index("id")["quality"].astype(str)
    return set(quality[quality.isin(["scholarly", "official"])].index)


def test_death_toll_cells_cite_scholarship_or_the_tribunal(shipped):
    names = source_names(shipped.sources)
    strong = _strong_sources(shipped)
    found = 0
    for name in ("02_rupture_1970_1979", "03_prk_1979_1991"):
        for i, text in prose(name):
            if DEATHS.search(" ".join(text.split())):
                found += 1
                assert linked_source_ids(text, names) & strong, f"{name}, cell {i}"
    assert found >= 2


def test_death_toll_rows_cite_scholarship_or_the_tribunal(shipped):
    strong = _strong_sources(shipped)
    rows = 0
    for table, column in (
        ("events", "description"),
        ("claims", "claim"),
        ("digest", "summary"),
        ("periods", "summary"),
        ("people", "role"),
        ("glossary", "definition"),
        ("quiz", "explanation"),
        ("exercises", "prompt"),
        ("exercises", "solution"),
    ):
        frame = getattr(shipped, table)
        for row in frame.to_dict("records"):
            if column in row and DEATHS.search(str(row[column])):
                rows += 1
                cited = row.get("sources") or [(row.get("source"), "")]
                ids = {c[0] if isinstance(c, tuple) else str(c) for c in cited}
                assert ids & strong, f"{table}.csv {row['id']}: {ids}"
    assert rows >= 1


@pytest.mark.parametrize(
    "name", ["02_rupture_1970_1979", "03_prk_1979_1991", "06_ukraine_votes_2022_2024"]
)
def test_citations_are_readable_and_the_reference_list_holds_them(name, shipped):
    names = source_names(shipped.sources)
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    text = "\n".join(t for _, t in prose(name))
    assert not re.findall(r"(?<![\w-])X\d{2,3}\b", re.sub(r"\]\([^)]*\)", "]", text))
    assert f"## {REFERENCES_HEADING}" in text
    call = next(
        c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("References(")
    )
    args = {
        k.arg: ast.literal_eval(k.value)
        for k in ast.parse(call).body[0].value.keywords
        if k.arg != "tables"
    }
    listed = set(lessons.References(tables=shipped, **args).source_ids)
    linked = linked_source_ids(text, names)
    assert linked and linked <= listed, sorted(linked - listed)
