"""data/digest.csv: one row per paragraph of each core text, written in our own words, and
every paragraph citation of the collection (data and notebooks) resolves to a row.

Paragraphs are counted by :func:`cambodia_russia.schema.split_paragraphs`, the rule of
``para N`` locators (and of the quote checks in test_datapackage.py). The tests that
read the source texts are skipped where the texts are not available.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping

import nbformat
import pytest

from cambodia_russia import schema, tables
from data_helpers import REPO, SHARED_SOURCES, copy_valid, read_rows, set_cell, write_rows

SHARED = SHARED_SOURCES
SHARED_SKIP = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the source texts are not available here ({SHARED})"
)
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: A summary may share at most this many consecutive words with its paragraph.
MAX_SHARED_WORDS = 10


@pytest.fixture(scope="module")
def shipped():
    return tables.load_all()


def core_paragraphs(t: tables.Tables) -> dict[str, list[str]]:
    """Source id -> its paragraphs (split_paragraphs of the text file), for the core texts."""
    core = t.sources[t.sources["core"] == True]  # noqa: E712
    return {
        str(sid): schema.split_paragraphs((SHARED / file).read_text(encoding="utf-8"))
        for sid, file in zip(core["id"], core["file"], strict=True)
    }


def digest_keys(t: tables.Tables) -> set[tuple[str, int]]:
    return {
        (str(s), int(n)) for s, n in zip(t.digest["source"], t.digest["paragraph"], strict=False)
    }


def normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", normalise(text).lower())


def longest_shared_run(a: str, b: str) -> int:
    """Length in words of the longest run of consecutive words found in both texts."""
    x, y = words(a), words(b)
    best = 0
    previous = [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        current = [0] * (len(y) + 1)
        for j in range(1, len(y) + 1):
            if x[i - 1] == y[j - 1]:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def sentence_count(text: str) -> int:
    """Sentences in a quote: ends of sentence followed by more text, plus one."""
    return 1 + len(re.findall(r"[.!?][\u201d\"']?\s+\S", text.strip()))


# --- finding paragraph citations in prose (notebook Markdown, data text) -----------------

_NUMBER = r"\d+(?:\s*[\u2013\u2014-]\s*\d+)?"
_AND = r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)"
_LIST = rf"{_NUMBER}(?:{_AND}{_NUMBER})*"
_PARAS = re.compile(rf"\bparas?\.?\s+(?P<numbers>{_LIST})")
#: A paragraph locator of an outside reference ("X106, para 3"): not a core text.
_OUTSIDE = rf"\bX\d{{2,3}}\s*[,:]?\s*paras?\.?\s+{_LIST}"


def source_patterns(sources) -> dict[str, str]:
    """How prose names each core text -> its id: the id, the short name ("Mosyakov
    (2021)"), the name and year without brackets ("Mosyakov 2021") and the bare name."""
    names: dict[str, str] = {}
    core = sources[sources["core"] == True]  # noqa: E712
    for sid, short in zip(core["id"], core["short_name"], strict=True):
        sid, short = str(sid), str(short)
        names[sid] = sid
        names[short] = sid
        bare = re.sub(r"\s*\(\d{4}\)$", "", short)
        year = re.search(r"\((\d{4})\)$", short)
        if year:
            names[f"{bare} {year.group(1)}"] = sid
        names[bare] = sid
    return names


def paragraph_mentions(
    text: str, names: Mapping[str, str], default: str | None = None
) -> Iterator[tuple[str | None, int, str]]:
    """``(source id, paragraph, context)`` for each paragraph of a core text that a prose
    text cites.

    "para N", "paras N–M", "paras 4, 7 and 9" ... belong to the core text named last
    before them in the same text ("Mosyakov 2021, para 5; para 9" cites paragraphs 5 and
    9 of Mosyakov); before any name, to ``default`` (left out when there is none). A
    locator right after an outside reference's id ("X106, para 3") is left out too.
    """
    alternatives = "|".join(
        re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True)
    )
    token = re.compile(
        rf"(?P<name>(?<!\w)(?:{alternatives})(?!\w))|(?P<outside>{_OUTSIDE})|{_PARAS.pattern}"
    )
    current = default
    for match in token.finditer(text):
        if match.group("name"):
            current = names[" ".join(match.group("name").split())]
            continue
        if match.group("outside") or current is None:
            continue
        context = text[max(0, match.start() - 60) : match.end()].replace("\n", " ")
        for part in re.split(_AND, match.group("numbers")):
            bounds = [int(n) for n in re.findall(r"\d+", part)]
            for number in range(bounds[0], bounds[-1] + 1):
                yield current, number, context


def data_mentions(t: tables.Tables) -> Iterator[tuple[str, str | None, int, str]]:
    """Paragraph citations in the data: citation cells, claims' locators, and prose."""
    names = source_patterns(t.sources)
    for name, frame in t:
        for column in frame.columns:
            values = frame[column]
            if column == "sources":
                for row_id, cites in zip(frame["id"], values, strict=True):
                    for sid, locator in cites:
                        match = schema.CORE_LOCATOR.fullmatch(locator)
                        if match and sid in names.values():
                            yield f"{name} {row_id} sources", sid, int(match.group(1)), locator
                continue
            if name == "digest" or values.dtype != object and str(values.dtype) != "str":
                continue
            defaults = _default_sources(name, frame, set(names.values()))
            for row_id, default, value in zip(frame["id"], defaults, values, strict=True):
                if not isinstance(value, str):
                    continue
                if column == "locator":
                    match = schema.CORE_LOCATOR.fullmatch(value)
                    if match and default in names.values():
                        yield f"{name} {row_id} locator", default, int(match.group(1)), value
                    continue
                for sid, number, context in paragraph_mentions(value, names, default):
                    yield f"{name} {row_id} {column}", sid, number, context


def _default_sources(name: str, frame, core: set[str]) -> list[str | None]:
    """For each row, the core text its prose most likely means when it names none: the
    row's own source (claims, digest, sources), else the one core text its ``sources``
    cell cites (``None`` when it cites none or several)."""
    if "source" in frame.columns:
        return [str(s) for s in frame["source"]]
    if name == "sources":
        return [str(s) for s in frame["id"]]
    if "sources" in frame.columns:
        cited = [{sid for sid, _ in cites if sid in core} for cites in frame["sources"]]
        return [next(iter(c)) if len(c) == 1 else None for c in cited]
    return [None] * len(frame)


def notebook_mentions(notebooks: Iterable, names: Mapping[str, str]):
    """Paragraph citations in the Markdown cells of the notebooks."""
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for number, cell in enumerate(notebook.cells):
            if cell.cell_type != "markdown":
                continue
            for sid, paragraph, context in paragraph_mentions(cell.source, names):
                yield f"{path.name} cell {number}", sid, paragraph, context


def unresolved(mentions, keys: set[tuple[str, int]]) -> list[str]:
    return [
        f"{where}: {sid} para {number} has no digest row ... {context}"
        for where, sid, number, context in mentions
        if (sid, number) not in keys
    ]


# --- the scanner itself ------------------------------------------------------------------


NAMES = {
    "mosyakov_2021": "mosyakov_2021",
    "Mosyakov (2021)": "mosyakov_2021",
    "Mosyakov 2021": "mosyakov_2021",
    "Mosyakov": "mosyakov_2021",
    "kin_phea_2021": "kin_phea_2021",
    "Kin Phea 2021": "kin_phea_2021",
    "Kin Phea": "kin_phea_2021",
    "ppp_2024": "ppp_2024",
    "Phnom Penh Post 2024": "ppp_2024",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Mosyakov 2021, para 4; X04)", [("mosyakov_2021", 4)]),
        ("(Kin Phea 2021, para 9; para 15)", [("kin_phea_2021", 9), ("kin_phea_2021", 15)]),
        ("(Mosyakov 2021, paras 5\u20137)", [("mosyakov_2021", n) for n in (5, 6, 7)]),
        ("(Phnom Penh Post 2024, paras 1, 10 and 18)", [("ppp_2024", n) for n in (1, 10, 18)]),
        (
            "paras 4, 7 (Phnom Penh Post 2024, paras 12\u201313 and 31\u201332)",
            [("ppp_2024", n) for n in (12, 13, 31, 32)],
        ),
        (
            "(Kin Phea 2021, para 9; X07, para 40) and (X106: paras 3\u20134; Mosyakov 2021, "
            "para 2; X04) (para 5)",
            [("kin_phea_2021", 9), ("mosyakov_2021", 2), ("mosyakov_2021", 5)],
        ),
        (
            "Kin Phea (`kin_phea_2021`, paras 5 and 7) and Mosyakov (para 6)",
            [("kin_phea_2021", 5), ("kin_phea_2021", 7), ("mosyakov_2021", 6)],
        ),
        ("Kin Phea (Phnom Penh Post 2024, paras 5\u20136)", [("ppp_2024", 5), ("ppp_2024", 6)]),
        ("title lines are paragraphs 1 to 3 (Mosyakov 2021, para 1)", [("mosyakov_2021", 1)]),
        ("No citation: the 1960s, 8,000 students, a paragraph.", []),
    ],
)
def test_paragraph_mentions_reads_the_citation_forms(text, expected):
    assert [(sid, n) for sid, n, _ in paragraph_mentions(text, NAMES)] == expected


def test_paragraph_mentions_uses_the_default_source():
    found = [
        (sid, n)
        for sid, n, _ in paragraph_mentions("the list (paras 21\u201322)", NAMES, "kin_phea_2021")
    ]
    assert found == [("kin_phea_2021", 21), ("kin_phea_2021", 22)]


def test_unresolved_reports_a_missing_paragraph():
    keys = {("mosyakov_2021", n) for n in range(1, 17)}
    mentions = notebook_like = [("nb cell 1", "mosyakov_2021", 17, "Mosyakov 2021, para 17")]
    assert unresolved(notebook_like, keys) == [
        "nb cell 1: mosyakov_2021 para 17 has no digest row ... Mosyakov 2021, para 17"
    ]
    assert unresolved(mentions[:0], keys) == []


# --- the digest table --------------------------------------------------------------------


def test_digest_ids_name_source_and_paragraph(shipped):
    digest = shipped.digest
    expected = [f"{s}_p{n}" for s, n in zip(digest["source"], digest["paragraph"], strict=False)]
    assert list(digest["id"]) == expected
    core = set(shipped.sources.loc[shipped.sources["core"] == True, "id"])  # noqa: E712
    assert set(digest["source"]) == core


def test_digest_is_sorted_by_source_and_paragraph(shipped):
    keys = list(zip(shipped.digest["source"], shipped.digest["paragraph"], strict=False))
    assert keys == sorted(keys)


def test_check_rejects_a_repeated_paragraph(tmp_path):
    folder = copy_valid(tmp_path)
    rows = read_rows(folder, "digest")
    copy = list(rows[1])
    copy[0] = "another_id"
    write_rows(folder, "digest", rows + [copy])
    assert [str(p) for p in schema.check(folder)] == [
        f'digest.csv, row {len(rows) + 1}, column paragraph: got "{copy[2]}"; expected a '
        f"unique paragraph among the rows whose source is {copy[1]} (row 2 already uses "
        f"{copy[2]})"
    ]


def test_check_rejects_a_digest_row_of_an_outside_reference(tmp_path):
    folder = copy_valid(tmp_path)
    set_cell("digest", 2, "source", "X04")(folder)
    assert [str(p) for p in schema.check(folder)] == [
        'digest.csv, row 2, column source: got "X04"; expected the id of a row of '
        "sources.csv whose core is true"
    ]


def test_core_sources_have_their_web_address(shipped):
    core = shipped.sources[shipped.sources["core"] == True]  # noqa: E712
    assert core["url"].str.startswith("https://").all()


@SHARED_SKIP
def test_every_paragraph_has_exactly_one_digest_row(shipped):
    paragraphs = core_paragraphs(shipped)
    digest = shipped.digest
    for sid, texts in paragraphs.items():
        numbers = sorted(int(n) for n in digest.loc[digest["source"] == sid, "paragraph"])
        assert numbers == list(range(1, len(texts) + 1)), sid
    assert len(digest) == sum(len(t) for t in paragraphs.values())


@SHARED_SKIP
def test_quotes_are_exact_and_at_most_one_sentence(shipped):
    paragraphs = core_paragraphs(shipped)
    problems = []
    for row in shipped.digest.itertuples():
        if not isinstance(row.quote, str):
            continue
        if normalise(row.quote) not in normalise(paragraphs[row.source][row.paragraph - 1]):
            problems.append(f"{row.id}: quote not found verbatim in its paragraph")
        if sentence_count(row.quote) > 1:
            problems.append(f"{row.id}: quote has more than one sentence")
    assert problems == []


@SHARED_SKIP
def test_summaries_are_in_our_own_words(shipped):
    paragraphs = core_paragraphs(shipped)
    problems = []
    for row in shipped.digest.itertuples():
        shared = longest_shared_run(row.summary, paragraphs[row.source][row.paragraph - 1])
        if shared > MAX_SHARED_WORDS:
            problems.append(f"{row.id}: {shared} consecutive words copied from the paragraph")
    assert problems == []


def test_summaries_have_one_or_two_sentences(shipped):
    too_long = [row.id for row in shipped.digest.itertuples() if sentence_count(row.summary) > 2]
    assert too_long == []


@SHARED_SKIP
def test_copy_check_can_fail(shipped):
    paragraph = core_paragraphs(shipped)["mosyakov_2021"][11]
    copied = " ".join(paragraph.split()[:12]) + " and so on."
    assert longest_shared_run(copied, paragraph) == 12 > MAX_SHARED_WORDS
    assert sentence_count("One. Two.") == 2
    assert sentence_count("“I'm not your lackey”") == 1


@SHARED_SKIP
def test_kin_pheas_related_stories_are_marked_as_page_furniture(shipped):
    """The bullet list after Kin Phea's biography is not his text (sources/README)."""
    texts = core_paragraphs(shipped)["kin_phea_2021"]
    digest = shipped.digest[shipped.digest["source"] == "kin_phea_2021"]
    kinds = dict(zip(digest["paragraph"], digest["kind"].astype(str), strict=False))
    start = next(i for i, p in enumerate(texts, 1) if p.strip().startswith("\u2022"))
    assert start == 21
    assert {kinds[n] for n in range(start, len(texts) + 1)} == {"page furniture"}
    assert kinds[20] == "byline"


# --- every citation resolves -------------------------------------------------------------


def test_every_paragraph_citation_in_the_data_has_a_digest_row(shipped):
    mentions = list(data_mentions(shipped))
    assert len(mentions) > 500  # the citation cells alone hold several hundred
    assert unresolved(mentions, digest_keys(shipped)) == []


def test_every_paragraph_citation_in_the_notebooks_has_a_digest_row(shipped):
    names = source_patterns(shipped.sources)
    mentions = list(notebook_mentions(NOTEBOOKS, names))
    assert len(mentions) > 200
    assert unresolved(mentions, digest_keys(shipped)) == []


def test_a_citation_of_a_missing_paragraph_is_caught(shipped, tmp_path):
    names = source_patterns(shipped.sources)
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("Mosyakov writes so (Mosyakov 2021, paras 15\u201317).")
        ]
    )
    path = tmp_path / "99_test.ipynb"
    nbformat.write(notebook, path)
    problems = unresolved(notebook_mentions([path], names), digest_keys(shipped))
    assert [p.split(" ...")[0] for p in problems] == [
        "99_test.ipynb cell 0: mosyakov_2021 para 17 has no digest row"
    ]
