"""Text from the data is untrusted: payloads planted in every kind of text column never run.

A kernel of the session's JupyterLab reads a copy of the data in which the free-text columns that the
notebooks and widgets show (event titles and descriptions, claims, topics, glossary
definitions, quiz questions and explanations, exercise prompts and model answers, the data
lab's explanations, the paragraph digest) carry a set of payloads: a script tag, event
handlers on an image and an SVG, an iframe, ``javascript:`` links in Markdown and HTML, a
Markdown image with a ``javascript:`` source, and CSS. Each payload, if it ran, would set
``window.__pwned``. The test runs whole notebooks as a student does (Run All, then "Show"
every hidden solution) and asserts that the flag stays unset, that no dangerous element or
link reached the page, and that the payload text is shown literally.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from test_jupyterlab import (
    CLOSE_ALL_JS,
    console_errors,
    holds,
    open_notebook,
    problems_after_run,
    read_cells,
    run_all,
)

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    '<svg onload="window.__pwned=3"><circle r="1"/></svg>',
    '<iframe srcdoc="&lt;script&gt;parent.__pwned=4&lt;/script&gt;"></iframe>',
    "[click me](javascript:window.__pwned=5)",
    '<a href="javascript:window.__pwned=6">link</a>',
    "![pic](javascript:window.__pwned=7)",
    "<style>.jp-Notebook{display:none}</style>",
]
PAYLOAD_TEXT = "Planted: " + " ".join(PAYLOADS)

#: (table, columns) whose text the notebooks and widgets show.
PLANTED = {
    "events.csv": ["title", "description"],
    "claims.csv": ["claim"],
    "topics.csv": ["question", "summary"],
    "glossary.csv": ["definition"],
    "quiz.csv": ["question", "explanation"],
    "exercises.csv": ["prompt", "solution"],
    "lab_solutions.csv": ["explanation"],
    "digest.csv": ["summary"],
}

#: Notebooks that together show every widget kind and every planted column.
NOTEBOOKS = ["03_prk_1979_1991.ipynb", "07_reading_the_sources.ipynb", "08_data_lab.ipynb"]

#: Every clicked "Show" button now says something else ("Hide ...").
ALL_TURNED_JS = "buttons => buttons.every(b => !/^\\s*Show/.test(b.textContent))"

DANGEROUS_JS = """() => {
  const out = [...document.querySelectorAll('.jp-OutputArea-output, .widget-output, .widget-html')];
  const found = [];
  for (const root of out) {
    for (const el of root.querySelectorAll('script, iframe, object, embed, [onload], [onerror], [onclick]')) {
      found.push(el.outerHTML.slice(0, 120));
    }
    for (const a of root.querySelectorAll('a[href], img[src]')) {
      const url = (a.getAttribute('href') || a.getAttribute('src') || '').trim().toLowerCase();
      if (url.startsWith('javascript:')) found.push(a.outerHTML.slice(0, 120));
    }
  }
  return found;
}"""


def _plant(data: Path) -> int:
    """Write PAYLOAD_TEXT into the planted columns of up to 40 rows of each table."""
    planted = 0
    for name, columns in PLANTED.items():
        path = data / name
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields = reader.fieldnames
            rows = list(reader)
        for row in rows[:40]:
            for column in columns:
                row[column] = PAYLOAD_TEXT
                planted += 1
        tmp = path.with_suffix(".tmp")
        with tmp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(path)
    return planted


def _assert_nothing_ran(page, when: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", f"a payload ran {when}"
    assert page.evaluate("typeof parent.__pwned") == "undefined", f"a payload ran {when}"
    assert page.evaluate(DANGEROUS_JS) == [], (
        f"a dangerous element or link from the data reached the page {when}"
    )
    assert page.locator(".jp-Notebook").first.is_visible(), (
        f"CSS from the data hid the notebook {when}"
    )


@pytest.fixture(scope="module")
def payload_kernel(data_kernel):
    """A kernel of the session's JupyterLab that reads a data folder full of payloads
    (still valid data)."""

    def prepare(data: Path) -> None:
        from cambodia_russia.schema import check

        assert _plant(data) > 100
        problems = check(data)
        assert not problems, "the planted data must stay valid:\n" + "\n".join(map(str, problems))

    return data_kernel("python3-payloads", prepare)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_payloads_in_the_data_never_run_and_show_as_text(lab_page, lab, payload_kernel, name):
    page = lab_page
    page.messages.clear()
    messages = page.messages
    try:
        cells = read_cells(Path(lab.root) / name)
        open_notebook(page, lab, name, "t-payloads", payload_kernel)
        state = run_all(page, cells)
        problems = problems_after_run(state, cells, name)
        assert not problems, "\n\n".join(problems)
        _assert_nothing_ran(page, "after Run All")
        # A student asks for every hidden answer: the model answers hold payloads too.
        # Each "Show ..." toggle (a hidden answer; the explorer's "Show everything" button
        # is none and keeps its text) is clicked once: Playwright scrolls it into view and
        # waits until it can be clicked; it turns into "Hide ..." once the kernel has
        # answered. Then look again, in case a revealed answer offers more.
        clicked = 0
        shows = page.locator(
            ".jp-OutputArea button.widget-toggle-button", has_text=re.compile(r"^\s*Show")
        )
        while shows.count() and clicked < 60:
            buttons = shows.element_handles()
            for button in buttons:
                button.click()
                clicked += 1
            assert holds(page, ALL_TURNED_JS, buttons), "a Show button did not turn into Hide"
        # Every image loaded or failed (an onerror payload would have run by then), the
        # kernel idle and the notebook quiet.
        page.evaluate("() => window.__cr.settle(document.querySelector('.jp-Notebook'))")
        assert clicked >= 1, "no hidden answer to reveal: the model answers were not tested"
        _assert_nothing_ran(page, "after revealing every answer")
        literal = page.locator(".jp-OutputArea-output").get_by_text(
            "<script>window.__pwned=1</script>", exact=False
        )
        assert literal.count() >= 1, "the planted text is not shown literally"
        assert not console_errors(messages), console_errors(messages)
    finally:
        page.evaluate(CLOSE_ALL_JS)
        lab.delete_sessions()
