"""What the package's output helpers put on the page: alt text on every image, no maths
from ``$`` signs, underlined links, wrapping instead of sideways scrolling."""

from __future__ import annotations

import base64
import html.parser

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from cambodia_russia import lessons  # noqa: E402
from cambodia_russia.charts.base import image_html  # noqa: E402
from cambodia_russia.widgets import _common  # noqa: E402
from cambodia_russia.widgets._common import no_math_markdown  # noqa: E402


class Tags(html.parser.HTMLParser):
    """Collects ``(tag, attributes)`` of every start tag."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (
            "more than $200 million, nearly $20 million",
            r"more than \$200 million, nearly \$20 million",
        ),
        (r"already \$5", r"already \$5"),
        ("code `$x$` stays", "code `$x$` stays"),
        ("```\n$a = 1\n```\nthen $b", "```\n$a = 1\n```\nthen \\$b"),
        ("$$x$$", r"\$\$x\$\$"),
    ],
)
def test_escape_dollars(markdown, expected):
    assert _common.escape_dollars(markdown) == expected


def test_no_math_markdown_keeps_maths_out():
    """JupyterLab 4 typesets a rendered "$...$" pair even when written "\\$": the block's
    classes keep MathJax out (checked in Chromium by tests/browser/test_accessibility.py)."""
    markdown = _common.no_math_markdown("It cost $5 and $6.\n\n- a list")
    assert markdown == (
        '<div class="mathjax_ignore tex2jax_ignore">\n\nIt cost \\$5 and \\$6.\n\n- a list\n\n</div>'
    )
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered.startswith(
        '<div class="mathjax_ignore tex2jax_ignore">\n<p>It cost $5 and $6.</p>\n<ul>'
    )


def test_png_bundle_is_an_img_with_alt_text():
    from cambodia_russia.charts.base import figure_png, new_figure

    figure = new_figure()
    png = figure_png(figure)
    bundle = _common.png_bundle(png, 'Chart of "votes" & <b>tallies</b>')
    assert set(bundle) == {"text/html", "text/plain"}
    (img,) = Tags(bundle["text/html"]).all("img")
    assert img["alt"] == 'Chart of "votes" & <b>tallies</b>'
    assert base64.b64decode(img["src"].split(",", 1)[1]) == png
    assert bundle["text/html"] == image_html(png, 'Chart of "votes" & <b>tallies</b>')


def test_html_bundle_keeps_maths_out_and_wraps_long_words():
    bundle = _common.html_bundle("<p>$200 million and $20 million</p>")
    (outer, _p) = Tags(bundle["text/html"]).tags
    assert {"mathjax_ignore", "tex2jax_ignore"} <= set(outer[1]["class"].split())
    assert "overflow-wrap:anywhere" in outer[1]["style"]
    assert bundle["text/plain"] == "$200 million and $20 million"


@pytest.fixture(scope="module")
def shipped():
    from cambodia_russia.tables import load_all

    return load_all()


def test_reference_links_are_underlined_and_long_urls_wrap(shipped):
    tables = shipped
    markup = lessons.references_html(tables, list(tables.sources["id"]))
    links = Tags(markup).all("a")
    assert links and all("text-decoration:underline" in a.get("style", "") for a in links)
    outer = Tags(markup).tags[0][1]
    assert "overflow-wrap:anywhere" in outer["style"] and "mathjax_ignore" in outer["class"]


def test_exercise_and_solution_markdown_escape_dollars(shipped, monkeypatch):
    """Exercise 2 of notebook 05 quotes "$200 million ... $20 million" (the shipped data)."""
    notebook = "05_renewal_1993_2021"
    exercises = lessons.Exercises(notebook, shipped)
    prompts = [no_math_markdown(exercises.prompt_markdown(i)) for i in range(len(exercises.rows))]
    assert any(r"\$200 million" in p for p in prompts)
    for text in [*prompts, *map(no_math_markdown, exercises.rows["solution"])]:
        assert "$" not in text.replace(r"\$", "")  # every $ escaped
        assert text.startswith('<div class="mathjax_ignore tex2jax_ignore">\n\n')
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(obj))
    exercises.reveals = [
        type("NoReveal", (), {"display": lambda self: None})() for _ in exercises.reveals
    ]
    exercises._ipython_display_()
    bundles = [obj for obj in shown if isinstance(obj, dict)]  # what the notebook shows: HTML
    assert len(bundles) == len(prompts)
    assert all(
        b["text/html"].startswith('<div class="cr-output mathjax_ignore tex2jax_ignore"')
        for b in bundles
    )
    assert any("$200 million" in b["text/html"] for b in bundles)  # shown literally, not as maths
