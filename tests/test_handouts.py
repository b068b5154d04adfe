"""Printable handouts (tools/handouts.py).

The handouts are built by the command teachers run (``python tools/handouts.py``) for
``00_start_here`` and the first period notebook (when there is one), into a temporary
folder. They must be self-contained (no remote images, scripts or stylesheets), show no
code, no live widget views and no solutions, and a period handout must end with the
period's timeline and its sources. One handout is printed to PDF in headless Chromium.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from worksheets import BROWSER_ARGS

bs4 = pytest.importorskip("bs4")
pytest.importorskip("nbconvert")

import handouts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = list(BROWSER_ARGS)
LESSONS = handouts.lessons(NOTEBOOKS)
PERIODS = [lesson for lesson in LESSONS if lesson.is_period]
CHOSEN = [lesson for lesson in LESSONS if lesson.stem == "00_start_here"] + PERIODS[:1]


def _plain(text: str) -> str:
    """Markdown/HTML-free text with single spaces, for comparing prose."""
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_>#]", " ", text)
    return " ".join(text.split())


def run_cli(tool: str, *args: str) -> tuple[int, str, str]:
    """Run ``tools/<tool>.py``'s ``main(args)`` in this process; return (code, stdout, stderr).

    In-process, because a new interpreter spends seconds importing nbconvert.
    """
    namespace = runpy.run_path(str(ROOT / "tools" / f"{tool}.py"), run_name="cli_under_test")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = namespace["main"](list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Run the CLI once for the chosen notebooks; map stem -> handout path."""
    if not CHOSEN:
        pytest.skip("no notebooks yet")
    out = tmp_path_factory.mktemp("handouts")
    code, stdout, stderr = run_cli(
        "handouts", "--out", str(out), *[lesson.stem for lesson in CHOSEN]
    )
    assert code == 0, stderr[-3000:]
    assert "warning" not in stderr, stderr
    listed = [Path(line) for line in stdout.splitlines() if line.strip()]
    assert listed == [out / f"{lesson.stem}.html" for lesson in CHOSEN]
    return {path.stem: path for path in listed}


@pytest.fixture(scope="module")
def soups(built) -> dict[str, bs4.BeautifulSoup]:
    return {
        stem: bs4.BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for stem, path in built.items()
    }


@pytest.fixture(scope="module")
def tables():
    from cambodia_russia.tables import load_all

    return load_all()


def test_handouts_are_self_contained(soups):
    for stem, soup in soups.items():
        remote = re.compile(r"^\s*(https?:)?//", re.I)
        for tag in soup.find_all(
            ["img", "script", "iframe", "video", "audio", "source", "embed", "input"]
        ):
            assert not remote.match(tag.get("src", "")), (
                f"{stem}: remote {tag.name} {tag.get('src')}"
            )
        assert not soup.find_all("script", src=True), f"{stem}: scripts loaded from files"
        for link in soup.find_all("link"):
            assert not remote.match(link.get("href", "")), (
                f"{stem}: remote <link> {link.get('href')}"
            )
        for style in soup.find_all("style"):
            assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", style.get_text()), (
                f"{stem}: CSS loads a URL"
            )
        for img in soup.find_all("img"):
            assert img["src"].startswith("data:image/"), (
                f"{stem}: image not embedded: {img['src'][:80]}"
            )
            assert img.get("alt", "").strip(), f"{stem}: an image without alt text"


def test_handouts_have_no_code_and_no_live_widgets(soups, built):
    for stem, soup in soups.items():
        assert not soup.select(".jp-CodeMirrorEditor, .jp-InputArea-editor"), (
            f"{stem}: code input shown"
        )
        assert not soup.select(".jp-InputPrompt:not(:empty), .jp-OutputPrompt:not(:empty)"), (
            f"{stem}: prompts shown"
        )
        text = built[stem].read_text(encoding="utf-8")
        for marker in (
            "application/vnd.jupyter.widget",
            "Loading widget",
            "Error displaying widget",
            "Traceback",
        ):
            assert marker not in text, f"{stem}: {marker!r} in the handout"
        # Code from the notebook (e.g. its imports) must not be in the handout.
        nb = handouts._read(NOTEBOOKS / f"{stem}.ipynb")
        for cell in nb.cells:
            if cell.cell_type == "code":
                for line in cell.source.splitlines():
                    if line.startswith(("import ", "from ")):
                        assert line not in soup.get_text(), (
                            f"{stem}: code line {line!r} in the handout"
                        )


def test_no_solution_or_quiz_explanation_leaks(soups):
    """Sentences of exercises.csv solutions and quiz explanations never reach paper."""
    texts: list[tuple[str, str]] = []
    exercises = ROOT / "data" / "exercises.csv"
    if exercises.exists():
        with exercises.open(newline="", encoding="utf-8") as handle:
            texts += [(row["id"], row["solution"]) for row in csv.DictReader(handle)]
    with (ROOT / "data" / "quiz.csv").open(newline="", encoding="utf-8") as handle:
        texts += [(row["id"], row["explanation"]) for row in csv.DictReader(handle)]
    assert texts, "no solutions or explanations to look for"
    sentences = [
        (ident, sentence)
        for ident, text in texts
        for sentence in re.split(r"(?<=[.!?])\s+", _plain(text))
        if len(sentence) >= 40
    ]
    for stem, soup in soups.items():
        page = _plain(soup.get_text(" "))
        leaked = [f"{ident}: {sentence}" for ident, sentence in sentences if sentence in page]
        assert not leaked, f"{stem} shows solution text:\n" + "\n".join(leaked[:5])


SOURCE_ITEMS = ".handout-sources li, .cr-references li"


def test_hidden_solutions_become_answer_space(soups):
    """Each Reveal's static note ("Solution hidden ...") becomes lined answer space."""
    pattern = handouts._hidden_note_pattern()
    checked = 0
    for stem, soup in soups.items():
        nb = handouts._read(NOTEBOOKS / f"{stem}.ipynb")
        notes = sum(
            handouts.is_hidden_solution(output, pattern)
            for cell in nb.cells
            if cell.cell_type == "code"
            for output in cell.get("outputs", [])
        )
        assert len(soup.select(".handout-answer")) == notes, stem
        assert not pattern.search(str(soup)), f"{stem}: a 'solution hidden' note is left"
        checked += notes
    if not checked:
        pytest.skip("no hidden solution in the stored outputs of the chosen notebooks yet")


def test_every_handout_names_its_notebook_and_lists_sources(soups, tables):
    names = set(tables.sources["short_name"].astype(str))
    for stem, soup in soups.items():
        nb = handouts._read(NOTEBOOKS / f"{stem}.ipynb")
        title = handouts.notebook_title(nb)
        assert " ".join(soup.title.get_text().split()) == " ".join(title.split())
        assert " ".join(soup.find("h1").get_text().rstrip("¶ \n").split()) == " ".join(
            title.split()
        )
        items = soup.select(SOURCE_ITEMS)
        assert items, f"{stem}: no source list"
        shown = {item.find("strong").get_text() for item in items}
        assert shown <= names, shown - names


@pytest.mark.skipif(not PERIODS, reason="no period notebook yet")
def test_period_handout_has_the_timeline_and_its_sources(soups, tables):
    lesson = PERIODS[0]
    soup = soups[lesson.stem]
    periods = tables.periods
    period = periods[
        (periods["scheme"].astype(str) == "collection")
        & (periods["notebook"].astype(str) == lesson.stem)
    ]
    assert len(period) == 1
    period_id = str(period.iloc[0]["id"])
    events = tables.events[tables.events["period"].astype(str) == period_id]
    rows = soup.select(".handout-timeline tbody tr")
    assert len(rows) == len(events)
    first = [td.get_text() for td in rows[0].find_all("td")]
    assert first[:2] == [str(events.iloc[0]["date_label"]), str(events.iloc[0]["title"])]
    cited = handouts.sources_cited(tables, lesson.stem, period_id)
    own = soup.select(".handout-sources li")
    if own:  # the handout's own list (the notebook shows none)
        assert len(own) == len(cited)
    else:  # the notebook's References output (kept up to date by nbval's strict comparison)
        assert soup.select(".cr-references li")
    # Every source cited by the period's events is in the list.
    event_sources = {sid for citations in events["sources"] for sid, _ in citations}
    assert event_sources <= set(cited)


@pytest.mark.skipif(not PERIODS, reason="no period notebook yet")
def test_handout_lists_the_sources_when_the_notebook_does_not(tmp_path, tables):
    """Without a References output, the handout appends its own list of the sources cited."""
    lesson = PERIODS[0]
    nb = handouts._read(lesson.path)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o for o in cell.outputs if "cr-references" not in handouts._output_text(o)
            ]
    import nbformat

    path = tmp_path / lesson.path.name
    nbformat.write(nb, str(path))
    soup = bs4.BeautifulSoup(
        handouts.handout_html(path, tables, handouts.Lesson(path, lesson.stem, "period")),
        "html.parser",
    )
    period_id = str(handouts._period_row(tables, lesson.stem)["id"])
    cited = handouts.sources_cited(tables, lesson.stem, period_id)
    items = soup.select(".handout-sources li")
    assert [item.get("id") for item in items] == [f"source-{sid}" for sid in cited]
    assert soup.select(".handout-timeline tbody tr")
    assert soup.select(".handout-sources a.handout-url"), "no source address printed"


def test_handout_source_list_shows_each_sources_quality_after_its_name(tables):
    """A printed reader sees "[press]" or "[encyclopaedia]" right after each name, and what the
    brackets mean once above the list (paper has no tooltips)."""
    ids = ["kin_phea_2021", "mosyakov_2021", "X01"]
    soup = bs4.BeautifulSoup(handouts.sources_html(tables, ids), "html.parser")
    quality = tables.sources.set_index("id")["quality"]
    items = soup.select(".handout-sources li")
    assert len(items) == 3
    for sid, item in zip(ids, items, strict=True):
        name = item.find("strong")
        badge = name.find_next_sibling("span", class_="cr-quality")
        assert badge is not None and badge.get_text() == f"[{quality[sid]}]", item
    assert {quality[i] for i in ids} >= {"press", "encyclopaedia"}
    legend = soup.select_one(".handout-quality-legend").get_text(" ")
    assert "[press]" in legend and "[encyclopaedia]" in legend and "[blog]" not in legend
    # a hostile value in the data is shown as text, never as markup
    sources = tables.sources.astype({"quality": object})
    sources.loc[sources["id"] == "X01", "quality"] = "<b>blog</b>"
    markup = handouts.sources_html(tables.replace(sources=sources), ["X01"])
    assert "<b>blog</b>" not in markup and "[&lt;b&gt;blog&lt;/b&gt;]" in markup


def test_data_text_is_escaped_in_the_extra_sections(tables):
    events = tables.events.copy()
    period_id = str(events.iloc[0]["period"])
    events.loc[events.index[0], "title"] = "<script>alert(1)</script><b>x</b>"
    html = handouts.timeline_html(tables.replace(events=events), period_id)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;" in html


def test_lessons_follow_the_registry(tmp_path):
    for name in ("00_a.ipynb", "01_b.ipynb", "02_c.ipynb"):
        shutil.copy(NOTEBOOKS / "00_start_here.ipynb", tmp_path / name)
    assert [(x.stem, x.kind) for x in handouts.lessons(tmp_path)] == [
        ("00_a", ""),
        ("01_b", "period"),
        ("02_c", "period"),
    ]
    (tmp_path / "lessons.toml").write_text(
        '[[lesson]]\nfile = "02_c.ipynb"\nkind = "period"\n'
        '[[lesson]]\nfile = "00_a.ipynb"\nkind = "start"\n'
        '[[lesson]]\nfile = "05_missing.ipynb"\nkind = "period"\n',
        encoding="utf-8",
    )
    assert [(x.stem, x.kind) for x in handouts.lessons(tmp_path)] == [
        ("02_c", "period"),
        ("00_a", "start"),
    ]
    assert [x.stem for x in handouts.period_lessons(tmp_path)] == ["02_c"]


# --- printing ---------------------------------------------------------------------------


#: Renders a handout and prints it to PDF. It runs in its own interpreter: the browser
#: tests may hold a Playwright session (and its event loop) open in this process.
PRINT_SCRIPT = """
import json, sys
from playwright.sync_api import sync_playwright

handout, pdf, chromium, *args = sys.argv[1:]
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=chromium, args=args)
    try:
        page = browser.new_page()
        page.goto(handout)
        page.emulate_media(media="print")
        dom = page.evaluate(
            '''() => ({
              h1: document.querySelector('h1').textContent,
              images: [...document.images].filter(i => i.complete && i.naturalWidth > 0).length,
              sources: [...document.querySelectorAll('.handout-sources li, .cr-references li')]
                .map(li => li.textContent),
              background: getComputedStyle(document.body).backgroundColor,
            })'''
        )
        page.pdf(path=pdf, format="A4", print_background=False)
    finally:
        browser.close()
print(json.dumps(dom))
"""


def _chromium_or_skip() -> None:
    """Skip (or, with CI=true, fail) when Debian's Chromium or Playwright is missing."""
    if CHROMIUM.exists():
        try:
            import playwright.sync_api  # noqa: F401

            return
        except ImportError:
            message = "Python Playwright is not installed (it is in requirements-lock.txt)"
    else:
        message = (
            f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        )
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"{message} (CI=true: the PDF test must run in CI)", pytrace=False)
    pytest.skip(message)


@pytest.mark.browser
def test_handout_prints_to_pdf_with_title_images_and_sources(built, tmp_path):
    """Print the handout with the most images to A4 PDF in headless Chromium.

    The rendered page is checked before printing (title, images decoded, source list,
    white background). The PDF itself is checked with poppler's ``pdftotext`` and
    ``pdfimages`` when they are installed (Debian package poppler-utils): title, first
    source and at least one image in the printed text. Without them it is checked by its
    size, page count and image objects, read from the PDF's own object dictionaries
    (Chromium writes them uncompressed).
    """
    _chromium_or_skip()
    counts = {stem: path.read_text(encoding="utf-8").count("<img") for stem, path in built.items()}
    stem = max(counts, key=lambda s: (counts[s], s != "00_start_here"))
    if counts[stem] == 0:
        pytest.skip("no handout has a chart yet")
    title = handouts.notebook_title(handouts._read(NOTEBOOKS / f"{stem}.ipynb"))
    pdf = tmp_path / f"{stem}.pdf"
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            PRINT_SCRIPT,
            built[stem].as_uri(),
            str(pdf),
            str(CHROMIUM),
            *CHROMIUM_ARGS,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    dom = json.loads(result.stdout.strip().splitlines()[-1])
    assert " ".join(dom["h1"].rstrip("¶ \n").split()) == " ".join(title.split())
    assert dom["images"] >= 1
    assert dom["sources"]
    assert dom["background"] in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}

    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    images = len(re.findall(rb"/Subtype\s*/Image\b", data))
    if shutil.which("pdftotext") and shutil.which("pdfimages"):
        printed = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        text = " ".join(printed.stdout.split())
        assert " ".join(title.split()) in text, title
        first_source = " ".join(dom["sources"][0].split()[:3])
        assert first_source in text, first_source
        listed = subprocess.run(
            ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
        )
        assert len(listed.stdout.splitlines()) - 2 >= 1, listed.stdout
    else:
        assert len(data) > 20_000
        assert images >= 1, "no image object in the PDF"
    assert pages >= 2, "a handout with a chart and a timeline fills more than one A4 page"


# --- answer keys (teacher edition) ---------------------------------------------------------


@pytest.fixture(scope="module")
def answer_keys(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("keys") / "answer-keys"
    code, stdout, stderr = run_cli("handouts", "--answer-keys", "--out", str(out))
    assert code == 0, stderr[-3000:]
    assert [Path(line) for line in stdout.splitlines()][-1] == out / "index.html"
    return out


def test_every_lesson_with_a_quiz_or_exercises_has_one_answer_key_page(answer_keys, tables):
    asked = set(tables.quiz["notebook"]) | set(tables.exercises["notebook"])
    pages = {p.stem for p in answer_keys.glob("*.html")} - {"index"}
    assert pages == asked
    index = bs4.BeautifulSoup(
        (answer_keys / "index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [a["href"] for a in index.select("ol a")] == [
        f"{lesson.stem}.html" for lesson in LESSONS if lesson.stem in asked
    ]


def test_an_answer_key_page_holds_the_lessons_quiz_answers_and_model_answers(answer_keys, tables):
    for stem in sorted(set(tables.exercises["notebook"])):
        page = (answer_keys / f"{stem}.html").read_text(encoding="utf-8")
        soup = bs4.BeautifulSoup(page, "html.parser")
        text = _plain(soup.get_text(" "))
        assert "@page { size: A4" in page and not soup.find_all("script")
        for row in tables.quiz[tables.quiz["notebook"] == stem].itertuples():
            if row.kind == "choice":
                assert f"Answer: {_plain(row.answer)}" in text, (stem, row.id)
        rows = tables.exercises[tables.exercises["notebook"] == stem]
        assert len(soup.select(".cr-key-exercise")) == len(rows)
        for solution in rows["solution"]:
            text_only = re.sub(r"```.*?```", "", solution, flags=re.S)
            text_only = re.sub(
                r"(?m)^\s*(\d+\.|[-*])\s+", "", text_only
            )  # list markers render as <ol>/<ul>
            first = re.split(r"(?<=[.!?])\s+", _plain(text_only))[0]
            assert first[:60] in text, (stem, first[:60])
    lab = bs4.BeautifulSoup(
        (answer_keys / "08_data_lab.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert len(lab.select(".cr-key-step")) == 6
    assert "answer_6 = ga[" in lab.get_text()


def test_a_failed_answer_key_run_leaves_the_old_pages(tmp_path, tables, monkeypatch):
    out = tmp_path / "keys"
    handouts.build_answer_keys(NOTEBOOKS, out, tables)
    before = sorted(p.name for p in out.iterdir())

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(handouts, "answer_key_page", broken)
    with pytest.raises(RuntimeError):
        handouts.build_answer_keys(NOTEBOOKS, out, tables)
    assert sorted(p.name for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["keys"]  # no staging folder left behind


def test_an_answer_key_prints_to_pdf(answer_keys, tmp_path):
    _chromium_or_skip()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "key.pdf"
    subprocess.run(
        [
            str(CHROMIUM),
            *CHROMIUM_ARGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (answer_keys / "02_rupture_1970_1979.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Answer key:" in text and "Model answer." in text and "Teacher edition" in text
