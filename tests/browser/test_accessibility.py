"""Accessibility of every notebook in real JupyterLab and Chromium, after Run All.

The checks (used by ``test_classroom.py::test_notebook_in_class``, which opens and runs
each notebook once for all browser checks):

* **axe-core** (the npm package pinned in ``tests/browser/package-lock.json``, installed by
  ``make test`` / ``.ci/run`` with ``npm ci --prefix tests/browser``; never a browser
  download) is injected into the page and run once on every cell's output areas
  (``.jp-OutputArea-output``). Any *serious* or *critical* violation inside an output
  fails the test (JupyterLab's own chrome is not counted: it is outside the outputs).
  axe checks contrast only for text on screen, and JupyterLab's default windowing
  (``contentVisibility``) skips the rendering of cells off screen: for the run, every
  cell is rendered and the page is as tall as the notebook, so every output is on screen
  (a cell that is not is reported).
* **No maths**: the collection writes no mathematics, so no rendered Markdown cell or
  output may hold a MathJax/KaTeX element (``$200 million ... $20 million`` once became an
  italic formula).
* **Keyboard only**: a quiz question is answered and checked, a solution revealed and a
  period stepper stepped through all its periods with Tab, Space and Enter; focus must
  stay inside the widget all along (at the last period too, where Next is disabled).

Here: the keyboard tests, and a self-test that runs the same checks on a notebook that
breaks every rule on purpose, so a check that stops matching cannot pass silently. All run
in the session's JupyterLab with its default settings, as a teacher has them.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from test_jupyterlab import (
    CLOSE_ALL_JS,
    LESSONS,
    console_errors,
    every_cell_rendered,
    holds,
    open_notebook,
    problems_after_run,
    read_cells,
    run_all,
)

pytestmark = pytest.mark.browser

#: Impacts that fail the test.
FAILING_IMPACTS = {"serious", "critical"}

#: Elements a maths renderer leaves in the page (MathJax 2 and 3, KaTeX).
MATH_SELECTOR = "mjx-container, .MathJax, .MathJax_Display, .MathJax_Preview, .katex"

#: How long MathJax may take to load and typeset after Run All (it loads on first use).
MATH_WAIT = 4.0

#: axe-core on every output of the notebook, in one run. Before it, the page is as tall as
#: the whole notebook and every cell is rendered (see :func:`axe_violations`): each output
#: is on screen, as it is when the cell is scrolled into view. A cell with outputs that is
#: not rendered or not inside the notebook's visible area is reported (axe's contrast
#: check skips text off screen).
RUN_AXE_JS = """async () => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  scroller.scrollTop = 0;
  await window.__cr.frames();
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const view = scroller.getBoundingClientRect();
  const found = [];
  const outputs = [];
  cells.forEach((cell, index) => {
    const own = [...cell.querySelectorAll('.jp-OutputArea-output')];
    if (!own.length) return;
    outputs.push(...own);
    const r = cell.getBoundingClientRect();
    if (!cell.checkVisibility({contentVisibilityAuto: true}) || r.bottom > view.bottom + 1)
      found.push({cell: index, id: 'not-rendered', impact: 'critical',
                  help: 'the cell was not rendered on screen, axe cannot check it',
                  target: '', html: '', summary: ''});
  });
  if (!outputs.length) return found;
  const result = await axe.run({include: outputs}, {resultTypes: ['violations'], elementRef: true});
  for (const v of result.violations)
    for (const n of v.nodes)
      found.push({cell: cells.findIndex(c => c.contains(n.element)), id: v.id, impact: v.impact,
                  help: v.help, target: n.target.join(' '), html: n.html.slice(0, 240),
                  summary: (n.failureSummary || '').slice(0, 300)});
  return found;
}"""

#: The height the page needs so that the notebook's visible area holds every cell.
NEEDED_HEIGHT_JS = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const content = cells.length ? cells[cells.length - 1].getBoundingClientRect().bottom
      - cells[0].getBoundingClientRect().top : 0;
  return Math.ceil(window.innerHeight + content - scroller.clientHeight + 50);
}"""

MATH_JS = """(selector) => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, index) =>
  [...cell.querySelectorAll(selector)].map(el => ({cell: index + 1, text: el.textContent.slice(0, 120)})))"""

FOCUS_JS = """() => {
  const el = document.activeElement;
  const widget = el && el.closest('.cambodia-russia-widget');
  return {
    tag: el ? el.tagName.toLowerCase() : null,
    text: el ? (el.textContent || el.value || '').trim().slice(0, 60) : null,
    inWidget: !!widget,
    cell: el && el.closest('.jp-Cell') ?
      [...document.querySelectorAll('.jp-Notebook .jp-Cell')].indexOf(el.closest('.jp-Cell')) : -1,
  };
}"""


# --- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def a11y_page(lab_page, lab):
    """The session's JupyterLab page (1280x800), its console log emptied; afterwards its
    notebook is closed (unsaved) and the notebook's kernel shut down."""
    lab_page.messages.clear()
    yield lab_page
    lab_page.evaluate(CLOSE_ALL_JS)
    lab.delete_sessions()


# --- checks ------------------------------------------------------------------------------


def run_notebook(page, lab, name: str) -> list[dict]:
    """Open ``name``, Run All and fail on errors; return the stored cells."""
    cells = read_cells(Path(lab.root) / name)
    open_notebook(page, lab, name, f"a11y-{Path(name).stem}")
    state = run_all(page, cells)
    in_page = page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell').length")
    assert in_page == len(cells), f"{name}: only {in_page} of {len(cells)} cells are in the page"
    problems = problems_after_run(state, cells, name)
    assert not problems, "\n\n".join(problems)
    return cells


def axe_violations(page, name: str, axe_script: Path) -> list[str]:
    """Serious and critical axe-core violations in the outputs of every cell.

    axe checks only what is on screen (its contrast check skips text outside the visible
    area), and JupyterLab renders only the cells near the viewport. So, for one axe run,
    every cell is rendered and the page is made as tall as the notebook (same width), then
    the viewport is restored. This checks each output as it looks when scrolled into view:
    the same nodes and results as one axe run per cell scrolled to the top of the screen
    (compared on 06 with every rule: 935 passes and 13 minor violations both ways), and
    also the parts of cells taller than one screen.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script))
    size = page.viewport_size
    found = []
    with every_cell_rendered(page):
        height = page.evaluate(NEEDED_HEIGHT_JS)
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
        try:
            violations = page.evaluate(RUN_AXE_JS)
        finally:
            page.set_viewport_size(size)
    for v in violations:
        if v["impact"] not in FAILING_IMPACTS:
            continue
        found.append(
            f"{name} cell {v['cell'] + 1}: {v['impact']} {v['id']} ({v['help']}): "
            f"{v['target']}\n    {v['html']}\n    {v['summary']}"
        )
    return found


#: JupyterLab gives an HTML output's ``<img>`` without ``alt`` the alt text "Image": as
#: useless to a listener as none at all.
UNNAMED_IMAGES_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, index) =>
  [...cell.querySelectorAll('.jp-OutputArea-output img')]
    .filter(img => !img.hasAttribute('alt') || ['', 'image'].includes(img.alt.trim().toLowerCase()))
    .map(img => ({cell: index + 1, alt: img.hasAttribute('alt') ? img.alt : '(no alt)'})))"""


def unnamed_images(page) -> list[dict]:
    """Images in the outputs without a real description (no ``alt``, empty, or "Image")."""
    return page.evaluate(UNNAMED_IMAGES_JS)


def maths_elements(page, wait: float = MATH_WAIT) -> list[dict]:
    """Maths elements rendered anywhere in the notebook (waits ``wait`` s for MathJax)."""
    deadline = time.monotonic() + wait
    while True:
        found = page.evaluate(MATH_JS, MATH_SELECTOR)
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


# --- tests ---------------------------------------------------------------------------------


def test_the_checks_catch_missing_alt_and_maths(a11y_page, lab, axe_script):
    """A bare PNG output (no alt) and "$" maths in Markdown must fail the checks; the same
    text shown through the package's output helpers must not."""
    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    code = (
        "from IPython.display import HTML, Markdown, display\n"
        f"display({{'image/png': '{pixel}', 'text/plain': 'a chart'}}, raw=True)\n"
        "display(Markdown('It cost $200 million and $20 million.'))"
    )
    # The same text through the package's helpers must show no maths.
    fixed = (
        "from IPython.display import display\n"
        "from cambodia_russia.widgets import _common\n"
        "text = 'It cost $200 million and $20 million.'\n"
        "markdown = {'text/markdown': _common.no_math_markdown(text), 'text/plain': text}\n"
        "display(markdown, _common.html_bundle(f'<p>{text}</p>'), raw=True)"
    )
    notebook = {
        "cells": [
            {
                "cell_type": "markdown",
                "metadata": {},
                "source": "# Self-test\n\nMore than $200 million, nearly $20 million.",
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": code,
            },
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": fixed,
            },
        ],
        "metadata": {
            "kernelspec": {
                "name": "python3",
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
            }
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    name = "_a11y_selftest.ipynb"
    lab.api(
        "PUT", f"/api/contents/{name}", {"type": "notebook", "format": "json", "content": notebook}
    )
    try:
        run_notebook(a11y_page, lab, name)
        maths = maths_elements(a11y_page, wait=20)
        violations = "\n".join(axe_violations(a11y_page, name, axe_script))
        unnamed = [image["alt"] for image in unnamed_images(a11y_page)]
    finally:
        lab.api("DELETE", f"/api/contents/{name}")
    assert {m["cell"] for m in maths} == {1, 2}, maths
    assert "critical image-alt" in violations, violations
    assert unnamed == ["(no alt)"], unnamed


# --- keyboard -----------------------------------------------------------------------------------


def _widget_cell(page, cells: list[dict], pattern: str):
    """The page's cell whose code matches ``pattern`` (the first one)."""
    index = next(
        i
        for i, c in enumerate(cells)
        if c["cell_type"] == "code" and re.search(pattern, c["source"])
    )
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.evaluate("el => el.scrollIntoView({block: 'start'})")
    return index, cell


#: The accessible name of a radio group (from aria-labelledby) and its inputs' names.
RADIO_GROUP_JS = """(box) => ({
  label: (box.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim(),
  names: [...new Set([...box.querySelectorAll('input[type=radio]')].map(i => i.name))],
})"""


def _focus(page) -> dict:
    return page.evaluate(FOCUS_JS)


def _tab_until(page, predicate, what: str, limit: int = 40) -> dict:
    """Press Tab until the focused element satisfies ``predicate`` (at most ``limit`` times)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = _focus(page)
        if predicate(focus):
            return focus
    pytest.fail(f"Tab never reached {what}; focus is on {_focus(page)}")


#: The focused element's outline: style, width in px and contrast of its colour against the
#: page's white (WCAG 2.2 asks for 3:1 for a focus indicator).
FOCUS_RING_JS = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const channels = style.outlineColor.match(/[\\d.]+/g).map(Number);
  const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = 0.2126 * lin(channels[0]) + 0.7152 * lin(channels[1]) + 0.0722 * lin(channels[2]);
  const alpha = channels.length > 3 ? channels[3] : 1;
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), alpha,
          contrast: (1.05) / (lum + 0.05)};
}"""

#: Buttons of the collection's widgets whose text does not fit (cut with "…").
CUT_BUTTONS_JS = """() => [...document.querySelectorAll('.cambodia-russia-widget button')]
  .filter(b => b.offsetParent !== null && b.scrollWidth > b.clientWidth + 1)
  .map(b => `${b.textContent.trim()} (${b.clientWidth} of ${b.scrollWidth} px)`)"""


def _assert_focus_ring(page, what: str) -> None:
    ring = page.evaluate(FOCUS_RING_JS)
    assert ring["style"] != "none" and ring["width"] >= 2 and ring["alpha"] == 1, (
        f"{what}: faint focus ring {ring}"
    )
    assert ring["contrast"] >= 3, (
        f"{what}: focus ring contrast {ring['contrast']:.1f}:1 is below 3:1"
    )


def _assert_focus_in(page, index: int, what: str) -> dict:
    focus = _focus(page)
    assert focus["inWidget"] and focus["cell"] == index, f"{what}: focus left the widget: {focus}"
    return focus


def test_keyboard_only_quiz_and_stepper(a11y_page, lab):
    page = a11y_page
    name = next(
        lesson.path.name
        for lesson in LESSONS
        if all(
            re.search(p, "".join(c["source"] for c in read_cells(lesson.path)))
            for p in (r"\bQuiz\(", r"\bPeriodStepper\(")
        )
    )
    cells = run_notebook(page, lab, name)

    # Quiz: each question's options are one radio group named by the question (one Tab
    # stop; the arrow keys choose). From the first option: ArrowDown chooses the second,
    # one Tab reaches Check, Enter checks; the feedback is in a live region.
    index, cell = _widget_cell(page, cells, r"\bQuiz\(")
    block = cell.locator(".widget-vbox:has(> .widget-radio)").first
    group = block.locator(".widget-radio-box").first
    is_group = "box => box.getAttribute('role') === 'radiogroup'"  # set by the widget's front end
    assert holds(page, is_group, group.element_handle(), 10), (
        "the quiz's options are not a radiogroup"
    )
    semantics = group.evaluate(RADIO_GROUP_JS)
    question = (block.locator(".cr-question").first.text_content() or "").strip()
    assert question and semantics["label"] == question, (
        f"the group is not named by its question: {semantics}"
    )
    assert len(semantics["names"]) == 1 and semantics["names"][0], (
        f"the options are not one group: {semantics}"
    )
    radios = group.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    assert radios.nth(1).is_checked() and radios.nth(1).evaluate(
        "el => el === document.activeElement"
    ), f"ArrowDown did not choose the next option; focus is on {_focus(page)}"
    _assert_focus_in(page, index, "after ArrowDown in the options")
    page.keyboard.press("Tab")
    focus = _focus(page)
    assert focus["tag"] == "button" and focus["text"] == "Check", (
        f"one Tab from the options reached {focus}"
    )
    _assert_focus_ring(page, "the Check button")
    page.keyboard.press("Enter")
    feedback = block.locator(".cr-feedback, p:has-text('Correct'), p:has-text('Not quite')")
    feedback.first.wait_for(timeout=15_000)
    assert re.search(r"Correct|Not quite", block.text_content() or ""), (
        "no feedback after Enter on Check"
    )
    assert feedback.first.evaluate("el => !!el.closest('[aria-live=polite]')"), (
        "the feedback is not in a live region"
    )
    score = cell.locator(".widget-output", has_text=re.compile(r"Score: \d+ of \d+")).first
    assert score.evaluate("el => !!el.closest('[aria-live=polite]')"), (
        "the score is not in a live region"
    )
    _assert_focus_in(page, index, "after checking an answer")

    # Stepper: Tab to Next, then Enter until the last period; focus must stay in the widget.
    index, cell = _widget_cell(page, cells, r"\bPeriodStepper\(")
    label = cell.locator(".widget-label", has_text=re.compile(r"^Period \d+ of \d+$")).first
    assert label.get_attribute("aria-live") == "polite", "the period label is not a live region"
    total = int(re.search(r"of (\d+)", label.text_content()).group(1))
    cell.locator("button", has_text=re.compile(r"^\s*Next\s*$")).first.focus()
    _assert_focus_in(page, index, "on Next")
    _assert_focus_ring(page, "the Next button")
    for step in range(2, total + 1):
        page.keyboard.press("Enter")
        shown = "([label, text]) => label.textContent === text"
        assert holds(page, shown, [label.element_handle(), f"Period {step} of {total}"], 15), (
            f"Enter on Next did not show period {step}: {label.text_content()!r}"
        )
        cell.evaluate("cell => window.__cr.settle(cell)")  # a moved focus arrives after the label
        focus = _assert_focus_in(page, index, f"at period {step} of {total}")
    assert focus["tag"] == "button" and focus["text"] == "Previous", (
        f"at the last period focus is on {focus}"
    )
    assert not console_errors(page.messages), console_errors(page.messages)


def test_keyboard_reveal_comparer_and_order_buttons_at_200_percent_zoom(a11y_page, lab):
    """Reveal a solution and choose a topic with the keyboard; at 200% zoom (a 1280 px screen showing 640 CSS
    px, the file browser open) no button of the collection's widgets is cut, the ordering question's "Down" included."""
    page = a11y_page
    name = next(
        lesson.path.name
        for lesson in LESSONS
        if re.search(r"\bExercises\(", "".join(c["source"] for c in read_cells(lesson.path)))
        and any(q.startswith(lesson.stem) for q in _order_question_notebooks())
    )
    cells = run_notebook(page, lab, name)
    index, cell = _widget_cell(page, cells, r"\b(Reveal|Exercises)\(")
    cell.locator("button", has_text=re.compile(r"Show")).first.focus()
    _assert_focus_ring(page, "the Show solution button")
    page.keyboard.press("Space")
    cell.locator("button", has_text=re.compile(r"Hide")).first.wait_for(timeout=15_000)
    assert (cell.locator(".widget-output").first.text_content() or "").strip(), (
        "no solution after Space"
    )
    _assert_focus_in(page, index, "after revealing a solution")

    # Source comparer: the Down arrow chooses the next topic (JupyterLab must not take it).
    if any(
        c["cell_type"] == "code" and re.search(r"\bSourceComparer\(", c["source"]) for c in cells
    ):
        index, cell = _widget_cell(page, cells, r"\bSourceComparer\(")
        select = cell.locator(".widget-dropdown select").first
        before = select.evaluate("el => el.selectedIndex")
        select.focus()
        _assert_focus_ring(page, "the topic list")
        page.keyboard.press("ArrowDown")
        moved = "([el, before]) => el.selectedIndex !== before"
        assert holds(page, moved, [select.element_handle(), before], 15), (
            f"ArrowDown did not choose another topic; focus is on {_focus(page)}"
        )
        _assert_focus_in(page, index, "after ArrowDown in the topic list")

    page.set_viewport_size({"width": VIEWPORT_200["width"], "height": VIEWPORT_200["height"]})
    # JupyterLab's file browser open beside the notebook, as it is by default.
    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()
    try:
        page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current").first.wait_for()
        page.evaluate("() => window.__cr.frames()")  # laid out with the file browser open
        downs = page.locator(".cambodia-russia-widget button", has_text=re.compile(r"^\s*Down\s*$"))
        assert downs.count() >= 3, "the notebook shows no ordering question"
        cut = page.evaluate(CUT_BUTTONS_JS)
        assert not cut, f"{name} at 200% zoom: buttons cut: {cut}"
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})


#: What a 1280×800 screen shows at 200% zoom.
VIEWPORT_200 = {"width": 640, "height": 400}


def _order_question_notebooks() -> list[str]:
    """Notebooks with an ordering question (quiz.csv, kind "order")."""
    import csv

    with (Path(__file__).resolve().parents[2] / "data" / "quiz.csv").open(
        newline="", encoding="utf-8"
    ) as handle:
        return [row["notebook"] for row in csv.DictReader(handle) if row["kind"] == "order"]
