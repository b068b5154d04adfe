"""reveal.js slide decks (tools/slides.py, cambodia_russia.handouts.slides_html).

``tools/notebooks.py`` marks the header cell and every Markdown cell that starts with a
``## `` heading as a new slide. A deck must therefore have one top-level ``<section>``
per ``## `` cell plus the title slide, hide the code, and drop live widget views.
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
from pathlib import Path

import pytest

bs4 = pytest.importorskip("bs4")
pytest.importorskip("nbconvert")

from cambodia_russia import handouts  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PERIODS = handouts.period_lessons(NOTEBOOKS)


def _h2_cells(nb) -> int:
    return sum(1 for cell in nb.cells if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "))


def _has_slide_metadata(nb) -> bool:
    return any(cell.get("metadata", {}).get("slideshow", {}).get("slide_type") == "slide" for cell in nb.cells)


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
    main = runpy.run_path(str(ROOT / "tools" / "slides.py"), run_name="cli_under_test")["main"]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--out", str(tmp_path), lesson.stem])
    assert code == 0, err.getvalue()[-3000:]
    deck = tmp_path / f"{lesson.stem}.slides.html"
    assert out.getvalue().split() == [str(deck)]
    html = deck.read_text(encoding="utf-8")
    slides = _top_level_slides(html)
    assert len(slides) == _h2_cells(nb) + 1, f"{len(slides)} slides for {_h2_cells(nb)} '## ' sections + title"
    soup = bs4.BeautifulSoup(html, "html.parser")
    assert not soup.select(".jp-CodeMirrorEditor, .jp-InputArea-editor"), "code shown on a slide"
    assert "application/vnd.jupyter.widget-view+json" not in html
    assert "Loading widget" not in html
    assert slides[1].find("h2") is not None, "the second slide does not start with its '## ' heading"


def test_a_deck_loads_nothing_but_reveal_js(tmp_path):
    """With --reveal-prefix, a deck needs no other download (jQuery, require.js, MathJax,
    web fonts): it works offline with a local reveal.js."""
    lesson = (PERIODS or handouts.lessons(NOTEBOOKS))[0]
    html = handouts.write_slides(lesson.path, tmp_path, reveal_url_prefix="reveal.js").read_text(encoding="utf-8")
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
