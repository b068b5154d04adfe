"""reveal.js slide decks (tools/slides.py, tools/handouts.py).

``tools/notebooks.py`` marks the header cell and every Markdown cell that starts with a
``## `` heading as a new slide. A deck must therefore have one top-level ``<section>``
per ``## `` cell plus the title slide (long sections continue on vertical sub-slides), hide
the code, and drop live widget views. The browser test opens every deck in Chromium with the
network cut off: reveal.js must come from the copy beside the decks (npm package pinned in
tools/reveal/, ``npm ci --prefix tools/reveal``), no slide may overflow a 1280x720 screen,
and no slide may tell the reader to run cells, press keys or use menus and buttons.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import runpy
from pathlib import Path

import pytest

bs4 = pytest.importorskip("bs4")
pytest.importorskip("nbconvert")

import handouts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PERIODS = handouts.period_lessons(NOTEBOOKS)
SLIDES = runpy.run_path(str(ROOT / "tools" / "slides.py"), run_name="slides_under_test")
#: Words a slide must not use: they refer to the notebook interface, not to the history.
INTERFACE_WORDS = re.compile(
    r"\bclick|\bmenus?\b|\bbuttons?\b|\btoolbar\b|shift\s*\+\s*enter|\bpress\s+\W*(?:enter|check|run)\b"
    r"|\brun (?:the|this|each|all|your)\b[^.]*\b(?:cells?|notebook)\b"
    r"|\bcode cells?\b|\b(?:next|following) cells?\b",
    re.IGNORECASE,
)


def _h2_cells(nb) -> int:
    return sum(
        1
        for cell in nb.cells
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## ")
    )


def _has_slide_metadata(nb) -> bool:
    return any(
        cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide"
        for cell in nb.cells
    )


def _top_level_slides(html: str) -> list:
    soup = bs4.BeautifulSoup(html, "html.parser")
    slides = soup.select_one("div.reveal > div.slides")
    assert slides is not None, "no reveal.js slides container"
    return slides.find_all("section", recursive=False)


@pytest.mark.skipif(not PERIODS, reason="no period notebook yet")
def test_cli_builds_a_deck_with_one_slide_per_h2_section(tmp_path):
    lesson = PERIODS[0]
    nb = handouts._read(lesson.path)
    if not _has_slide_metadata(nb):
        message = f"{lesson.path.name} has no slide metadata: run `python tools/notebooks.py sync`"
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    # The CLI's main() in this process (a new interpreter spends seconds importing nbconvert).
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = SLIDES["main"](["--out", str(tmp_path), lesson.stem])
    assert code == 0, err.getvalue()[-3000:]
    deck = tmp_path / f"{lesson.stem}.slides.html"
    assert out.getvalue().split() == [str(deck)]
    assert (tmp_path / "reveal.js" / "dist" / "reveal.js").exists(), (
        "reveal.js not copied beside the deck"
    )
    html = deck.read_text(encoding="utf-8")
    slides = _top_level_slides(html)
    assert len(slides) == _h2_cells(nb) + 1, (
        f"{len(slides)} slides for {_h2_cells(nb)} '## ' sections + title"
    )
    soup = bs4.BeautifulSoup(html, "html.parser")
    assert not soup.select(".jp-CodeMirrorEditor, .jp-InputArea-editor"), "code shown on a slide"
    assert "application/vnd.jupyter.widget-view+json" not in html
    assert "Loading widget" not in html
    assert slides[1].find("h2") is not None, (
        "the second slide does not start with its '## ' heading"
    )


def test_a_deck_loads_nothing_but_reveal_js(tmp_path):
    """With --reveal-prefix, a deck needs no other download (jQuery, require.js, MathJax,
    web fonts): it works offline with a local reveal.js."""
    lesson = (PERIODS or handouts.lessons(NOTEBOOKS))[0]
    html = handouts.write_slides(lesson.path, tmp_path, reveal_url_prefix="reveal.js").read_text(
        encoding="utf-8"
    )
    soup = bs4.BeautifulSoup(html, "html.parser")
    loaded = [tag["src"] for tag in soup.find_all("script", src=True)]
    loaded += [tag["href"] for tag in soup.find_all("link", href=True)]
    assert loaded and all(url.startswith("reveal.js/") for url in loaded), loaded
    assert "reveal.js/dist/theme/white.css" in loaded  # a theme whose fonts ship with reveal.js
    assert "Reveal.initialize" in html and "require(" not in html


def test_a_notebook_without_slide_metadata_still_builds(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    nb = new_notebook(
        cells=[
            new_markdown_cell("# A title\n\nIntroduction."),
            new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text="shown\n")]),
            new_markdown_cell("## First part\n\nText."),
            new_code_cell(
                "w",
                outputs=[
                    new_output(
                        "display_data",
                        data={
                            "text/plain": "VBox()",
                            "application/vnd.jupyter.widget-view+json": {
                                "model_id": "m",
                                "version_major": 2,
                                "version_minor": 0,
                            },
                        },
                    )
                ],
            ),
        ]
    )
    path = tmp_path / "plain.ipynb"
    nbformat.write(nb, str(path))
    deck = handouts.write_slides(path, tmp_path / "out")
    html = deck.read_text(encoding="utf-8")
    assert len(_top_level_slides(html)) == 1
    assert "shown" in html and "x = 1" not in html
    assert "widget-view+json" not in html

    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.metadata["slideshow"] = {"slide_type": "slide"}
    nbformat.write(nb, str(path))
    html = handouts.write_slides(path, tmp_path / "out").read_text(encoding="utf-8")
    assert len(_top_level_slides(html)) == 2


def test_interface_sentences_are_left_out_and_the_rest_is_kept():
    text = (
        "## Heading\n\nRun the next two cells first. The treaty was signed in 1956. Click "
        "**Check** to see.\n\n"
        "- Choose a period in the menu.\n- Moscow sent aid.\n\n> The press reported it."
    )
    cleaned = SLIDES["strip_interface_text"](text)
    assert cleaned.startswith("## Heading")
    assert "The treaty was signed in 1956." in cleaned and "Moscow sent aid." in cleaned
    assert "The press reported it." in cleaned  # the press (journalists) is history, not a key
    assert not INTERFACE_WORDS.search(cleaned), cleaned


def test_a_long_section_continues_on_sub_slides_within_the_budget():
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    paragraphs = "\n\n".join(f"Paragraph {i}: " + "word " * 120 for i in range(12))
    cell = new_markdown_cell("## A long section\n\n" + paragraphs)
    cell.metadata["slideshow"] = {"slide_type": "slide"}
    nb = SLIDES["deck_notebook"](new_notebook(cells=[cell]))
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert kinds[0] == "slide" and len(kinds) > 2 and set(kinds[1:]) == {"subslide"}
    assert all(SLIDES["_cell_px"](c) <= SLIDES["SLIDE_PX"] for c in nb.cells)
    assert "".join(c.source for c in nb.cells).count("Paragraph") == 12
    nbformat.validate(nb)


MEASURE_SLIDES = """() => {
  const config = Reveal.getConfig();
  const found = [];
  document.querySelectorAll('.reveal .slides > section').forEach((top, h) => {
    const inner = Array.from(top.querySelectorAll(':scope > section'));
    (inner.length ? inner : [top]).forEach((slide, v) => {
      Reveal.slide(h, v);
      found.push({h, v, height: slide.scrollHeight, width: slide.scrollWidth, text: slide.innerText,
                  maxHeight: config.height, maxWidth: config.width});
    });
  });
  return found;
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_every_deck_works_offline_fits_1280x720_and_never_mentions_the_notebook_interface(
    tmp_path, browser
):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert SLIDES["main"](["--out", str(tmp_path)]) == 0, err.getvalue()[-3000:]
    decks = sorted(tmp_path.glob("*.slides.html"))
    assert len(decks) == len(PERIODS) and decks
    problems, blocked = [], []
    context = browser.new_context(viewport={"width": 1280, "height": 720}, offline=True)
    try:

        def only_files(route):
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        context.route("**/*", only_files)
        page = context.new_page()
        failed = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        for deck in decks:
            page.goto(deck.as_uri())
            page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
            slides = page.evaluate(MEASURE_SLIDES)
            assert len(slides) > 10, f"{deck.name}: only {len(slides)} slides"
            for slide in slides:
                where = f"{deck.name} slide {slide['h']}.{slide['v']} ({slide['text'][:60]!r})"
                if slide["height"] > slide["maxHeight"] or slide["width"] > slide["maxWidth"]:
                    problems.append(
                        f"{where}: {slide['width']}x{slide['height']} px overflows "
                        f"{slide['maxWidth']}x{slide['maxHeight']}"
                    )
                words = INTERFACE_WORDS.search(slide["text"])
                if words:
                    problems.append(
                        f"{where}: refers to the notebook interface ({words.group(0)!r})"
                    )
    finally:
        context.close()
    assert not blocked and not failed, f"a deck needs the network: {blocked or failed}"
    assert not problems, "\n".join(problems)


def test_long_widget_html_is_split_without_losing_or_reordering_anything():
    items = "".join(
        f"<li><strong>{year}</strong> event number {year} " + "text " * 40 + "</li>"
        for year in range(1955, 1985)
    )
    html = (
        '<div class="cr-event-list"><p><strong>30 events</strong></p>'
        f'<ul style="list-style:none">{items}</ul></div>'
    )
    pieces = SLIDES["_split_html"](html)
    assert len(pieces) > 2
    assert all(SLIDES["_html_px"](piece) <= SLIDES["SLIDE_PX"] for piece in pieces)
    assert all(
        piece.startswith('<div class="cr-event-list">') and piece.endswith("</div>")
        for piece in pieces
    )
    text = bs4.BeautifulSoup("".join(pieces), "html.parser").get_text(" ")
    years = [int(y) for y in re.findall(r"event number (\d+)", text)]
    assert years == list(range(1955, 1985))


def test_interface_phrases_in_widget_html_are_removed():
    html = (
        "<div><p><strong>Quiz</strong> (run the notebook to check your answers)</p>"
        "<p><em>Solution 1 hidden - run the notebook and click Show solution 1 to see it.</em></p>"
        "<p>Which text dates relations to 1956?</p></div>"
    )
    cleaned = SLIDES["_strip_interface_html"](html)
    text = bs4.BeautifulSoup(cleaned, "html.parser").get_text(" ")
    assert "Quiz" in text and "Which text dates relations to 1956?" in text
    assert not INTERFACE_WORDS.search(text), text
