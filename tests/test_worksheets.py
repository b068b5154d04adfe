"""``make worksheets``: one student worksheet per lesson, at most four A4 pages (issue 18).

The worksheets are built once with the real command line (``tools/worksheets.py``), which
prints every PDF with Debian's headless Chromium. Each PDF is read back with poppler-utils:
``pdfinfo`` for the page count and size, ``pdftotext`` for what a student reads on paper
(the objectives and every exercise prompt of the lesson), ``pdfimages`` for the printed
chart. The HTML is read for the chart's ``<img>`` and its alt text. Neither holds a model
answer (the scan of tests/answer_leaks.py) nor a quiz explanation, and text from the data
shows as text.
"""

from __future__ import annotations

import base64
import html
import os
import re
import runpy
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from answer_leaks import _sentences, find, needles
from cambodia_russia.tables import load_all
from data_helpers import DATA, REPO, read_rows, write_rows

pytestmark = pytest.mark.slow

TOOL = REPO / "tools" / "worksheets.py"
worksheets = runpy.run_path(str(TOOL), run_name="worksheets_under_test")
LESSONS = worksheets["load_lessons"]()
A4_PT = (595.28, 841.89)


def _need(tool: str, why: str) -> None:
    """Skip without ``tool``, or fail when CI=true (CI installs every tool)."""
    if shutil.which(tool) or Path(tool).exists():
        return
    message = f"{tool} not found: {why}"
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{message} (CI=true: this test must run in CI)", pytrace=False)
    pytest.skip(message)


def _flat(text: str) -> str:
    return " ".join(html.unescape(text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    _need(str(worksheets["CHROMIUM"]), "install Debian's chromium")
    _need("pdfinfo", "install poppler-utils")
    out = tmp_path_factory.mktemp("worksheets")
    done = subprocess.run(
        [sys.executable, str(TOOL), "--out", str(out)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def tables():
    return load_all()


def _squeeze(text: str) -> str:
    """Text without any whitespace: a PDF may break a line after a dash, where the source has none."""
    return "".join(html.unescape(text).split())


def _pdf_text(pdf: Path) -> str:
    return _flat(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )


def _plain(markdown: str) -> str:
    """What a prompt's Markdown reads like on paper: marks gone, a link's address after its text."""
    text = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", markdown)
    text = re.sub(r"[`*]", "", text)
    return text


class _Page(HTMLParser):
    """The tags and attributes of a page, and the <img> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def images(self) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == "img"]


def _parse(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_lesson_of_the_registry_gets_a_worksheet(built):
    stems = [lesson.stem for lesson in LESSONS]
    assert stems[:9] == [
        "00_start_here",
        "01_sihanouk_1955_1970",
        "02_rupture_1970_1979",
        "03_prk_1979_1991",
        "04_crossroads_1991_1993",
        "05_renewal_1993_2021",
        "06_ukraine_votes_2022_2024",
        "07_reading_the_sources",
        "08_data_lab",
    ]
    for stem in stems:
        assert (built / f"{stem}.html").is_file() and (built / f"{stem}.pdf").is_file(), stem
    index = (built / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{stem}.pdf"' in index for stem in stems)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_the_worksheet_prints_on_one_to_four_a4_pages(built, lesson):
    info = subprocess.run(
        ["pdfinfo", str(built / f"{lesson.stem}.pdf")], capture_output=True, text=True, check=True
    ).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 1 <= pages <= 4, f"{lesson.stem}: {pages} pages"
    width, height = map(
        float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.M).groups()
    )
    assert abs(width - A4_PT[0]) < 2 and abs(height - A4_PT[1]) < 2, info


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_the_worksheet_has_its_objectives_chart_and_every_exercise_prompt(built, tables, lesson):
    _need("pdftotext", "install poppler-utils")
    printed = _pdf_text(built / f"{lesson.stem}.pdf")
    squeezed = _squeeze(printed)
    assert _squeeze(lesson.title) in squeezed
    for objective in lesson.objectives:
        assert _squeeze(objective) in squeezed, objective
    exercises = tables.exercises[tables.exercises["notebook"] == lesson.stem]
    if lesson.kind != "start":
        assert len(exercises) >= 3, "every lesson but the start page has exercises"
    for row in exercises.itertuples():
        assert _squeeze(f"Exercise {row.number}: {row.title}") in squeezed
        assert _squeeze(_plain(row.prompt)) in squeezed, f"{row.id}: prompt not printed in full"
    assert printed.count("Your answer:") == len(exercises)

    # The key chart: one PNG <img> whose alt text describes it, printed as an image.
    images = _parse(built / f"{lesson.stem}.html").images()
    assert len(images) == 1, images
    src, alt = images[0]["src"], images[0].get("alt", "")
    assert base64.b64decode(src.removeprefix("data:image/png;base64,"))[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(alt) > 40 and re.search(r"\d", alt), alt
    assert _squeeze(alt) in squeezed  # the description is printed below the chart too
    if shutil.which("pdfimages"):
        listed = subprocess.run(
            ["pdfimages", "-list", str(built / f"{lesson.stem}.pdf")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[2:]
        assert listed, "no image in the PDF"


def test_a_period_worksheet_shows_the_timeline_of_its_period(built, tables):
    alt = _parse(built / "03_prk_1979_1991.html").images()[0]["alt"]
    period_events = tables.events[tables.events["period"] == "prk_1979_1991"]
    assert f"{len(period_events)} events from 1979 to 1991" in alt, alt


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_no_worksheet_gives_an_answer_away(built, tables, lesson):
    page = _flat((built / f"{lesson.stem}.html").read_text(encoding="utf-8"))
    printed = _pdf_text(built / f"{lesson.stem}.pdf") if shutil.which("pdftotext") else ""
    leaks = needles()
    assert find(page, leaks) == [] and find(printed, leaks) == []
    # The self-check questions are there, but not their explanations (the quiz's feedback).
    quiz = tables.quiz[(tables.quiz["notebook"] == lesson.stem) & (tables.quiz["kind"] == "choice")]
    for row in quiz.itertuples():
        assert _flat(row.question) in page
        for sentence in _sentences(row.explanation):
            assert sentence not in page, f"{row.id}: explanation on the worksheet"


def test_text_from_the_data_shows_as_text(tmp_path):
    """A script or an event handler typed into the CSV files never becomes an element."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)"> & "quoted"'
    rows = read_rows(data, "exercises")
    header = rows[0]
    first = next(
        i for i, row in enumerate(rows) if row[header.index("notebook")] == "02_rupture_1970_1979"
    )
    rows[first][header.index("title")] = "Title " + payload
    rows[first][header.index("prompt")] = "Prompt " + payload + " [link](javascript:alert(3))"
    write_rows(data, "exercises", rows)
    quiz = read_rows(data, "quiz")
    qrow = next(
        i
        for i, row in enumerate(quiz)
        if row[quiz[0].index("notebook")] == "02_rupture_1970_1979"
        and row[quiz[0].index("kind")] == "choice"
    )
    quiz[qrow][quiz[0].index("question")] = "Question " + payload
    write_rows(data, "quiz", quiz)

    written = worksheets["build"](
        tmp_path / "out", ["02_rupture_1970_1979"], pdf=False, data_dir=data
    )
    page = written[0]
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags if tag == "script"] == []
    assert not [attrs for _, attrs in parsed.tags if any(k.startswith("on") for k in attrs)]
    assert not [
        attrs for _, attrs in parsed.tags if "javascript:" in str(attrs.get("href", "")).lower()
    ]
    assert len(parsed.images()) == 1  # only the chart
    text = page.read_text(encoding="utf-8")
    assert "Title &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "Question &lt;script&gt;" in text and "Prompt &lt;script&gt;" in text


def test_a_lesson_without_objectives_is_a_clear_error(tmp_path):
    registry = tmp_path / "lessons.toml"
    registry.write_text(
        '[[lesson]]\nfile = "01_x.ipynb"\ntitle = "X"\nkind = "period"\nobjectives = []\n',
        encoding="utf-8",
    )
    with pytest.raises(
        worksheets["WorksheetError"], match=r"lessons.toml, lesson 1 \(01_x.ipynb\): 'objectives'"
    ):
        worksheets["load_lessons"](registry)
    done = subprocess.run(
        [sys.executable, str(TOOL), "--html-only", "--out", str(tmp_path), "99_nothing"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "no lesson 99_nothing in lessons.toml" in done.stderr
