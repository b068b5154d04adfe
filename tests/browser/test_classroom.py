"""Every notebook as a class sees it, in real JupyterLab and Chromium: it runs, it reads,
it fits.

Each notebook is opened ONCE at 1280x900 (a projector or a teacher's laptop) and run with
Run All Cells; every check below is made on that page, in this order:

* it ran: the checks of ``test_jupyterlab.py`` (every cell ran, no error, traceback or
  warning, every widget rendered, no browser console error);
* accessibility, before any widget is touched: the checks of ``test_accessibility.py``
  (axe-core on every cell's outputs, no rendered maths, every image described);
* geometry and interaction, as a student would see it:

* each widget is on screen ONCE: the static first view (for readers without a kernel) is
  hidden, no visible output repeats a line of a live widget, and no "run the notebook"
  note is visible;
* quiz options do not overlap and clicking the TEXT of each option selects that option,
  at 1280x900 and 1024x768;
* source comparer cards: every label of a card starts at one left edge, every value at
  another (right of the labels), and no label is broken inside a word;
* changing each widget's control (choose another topic, Next, answer and Check, Show
  solution ...) moves neither its controls nor the text above them by more than
  :data:`MAX_SHIFT` pixels, and its Output does not shrink;
* the page height after Run All, in screens of 900 px, is reported for every notebook
  (a table at the end of the run) and is at most :data:`MAX_SCREENS` for the period
  notebooks 01-06 (a 45-minute lesson);
* every widget is operated (:func:`test_jupyterlab.operate`: its output must visibly
  change); the one of the kind operated least so far is photographed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from test_accessibility import MATH_WAIT, axe_violations, maths_elements, unnamed_images
from test_jupyterlab import (
    CLOSE_ALL_JS,
    LESSONS,
    OPERATED,
    WIDGET_KINDS,
    console_errors,
    every_cell_rendered,
    open_notebook,
    operate,
    pick_widget,
    problems_after_run,
    read_cells,
    run_all,
    screenshot,
    widget_kind,
)

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 900}
SMALL = {"width": 1024, "height": 768}
#: Period notebooks (01-06) fit a 45-minute lesson: at most this many screens of 900 px.
MAX_SCREENS = 25
#: A change may move the controls or the text above them by at most this much (pixels).
MAX_SHIFT = 3
PERIOD_NOTEBOOK = re.compile(r"^0[1-6]_")

WIDGET = ".cambodia-russia-widget"

#: The notebook's height and each cell's height (call it with every cell rendered: see
#: :func:`test_jupyterlab.every_cell_rendered`; JupyterLab lays out only the cells near the
#: viewport, the others have an estimated height).
MEASURE_JS = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return {
    height: scroller.scrollHeight,
    cells: cells.map(c => c.getBoundingClientRect().height),
  };
}"""

#: Positions, in the notebook's content (independent of scrolling), of a widget cell's
#: first control, the text above it (the cell's input) and the widget's last Output.
POSITIONS_JS = """(cell) => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
      || document.querySelector('.jp-NotebookPanel .jp-Notebook');
  const position = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top + scroller.scrollTop, left: r.left, height: r.height, width: r.width};
  };
  const box = cell.querySelector('%(widget)s');
  const outputs = box.querySelectorAll('.widget-output');
  return {
    controls: position(box.querySelector('select, button, input, .widget-toggle-button')),
    above: position(cell.querySelector('.jp-InputArea')),
    output: position(outputs[outputs.length - 1]),
  };
}""" % {"widget": WIDGET}

#: For one cell: its top-level outputs (visible or not, with their text lines) and, for
#: each widget of the package in it, the index of its output and its text lines.
VIEWS_JS = """(cell) => {
  const lines = (el) => (el.innerText || '').split('\\n').map(s => s.replace(/\\s+/g, ' ').trim())
      .filter(s => s.length >= 25);
  const area = cell.querySelector(':scope .jp-Cell-outputArea > .jp-OutputArea, :scope .jp-OutputArea');
  if (!area) return {outputs: [], widgets: []};
  const children = [...area.children].filter(c => c.classList.contains('jp-OutputArea-child'));
  const outputs = children.map(c => {
    const r = c.getBoundingClientRect();
    const visible = r.height > 0 && c.checkVisibility();
    return {visible, height: r.height, lines: visible ? lines(c) : [],
            widget: !!c.querySelector('%(widget)s')};
  });
  const widgets = [...area.querySelectorAll('%(widget)s')].map(w => ({
    index: children.findIndex(c => c.contains(w)),
    lines: lines(w),
    visible: w.getBoundingClientRect().height > 0,
  }));
  return {outputs, widgets};
}""" % {"widget": WIDGET}

#: Output text that says "run the notebook" and is visible on screen.
RUN_NOTES_JS = """(cell) => {
  const found = [];
  const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!/run the notebook/i.test(node.textContent)) continue;
    const el = node.parentElement;
    if (!el.closest('.jp-OutputArea')) continue;
    const r = el.getBoundingClientRect();
    if (r.height > 0 && r.width > 0 && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
      found.push(node.textContent.trim().slice(0, 120));
  }
  return found;
}"""

#: The radio options of one group (``box``): each one's box, the boxes of its text and
#: whether it is checked.
OPTIONS_JS = """(box) => [...box.querySelectorAll('label')].map(label => {
  const input = label.querySelector('input');
  const range = document.createRange();
  range.selectNodeContents(label);
  if (input) range.setEndBefore(input);  // ipywidgets puts the input after the text
  const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
  const r = label.getBoundingClientRect();
  return {
    box: {left: r.left, top: r.top, right: r.right, bottom: r.bottom},
    text: rects.map(t => ({left: t.left, top: t.top, right: t.right, bottom: t.bottom,
                           x: t.left + t.width / 2, y: t.top + t.height / 2})),
    label: label.textContent.trim().slice(0, 60),
    checked: !!(input && input.checked),
  };
})"""

#: Scroll the cell's quiz group ``number`` into view and measure its options once the
#: browser has drawn them. From then on, each mouse press in the page is recorded as it
#: happens: which option's text is under the pointer at that moment and which options are
#: checked just before it (so, after the previous click). ``PRESSES_JS`` stops recording
#: and returns the presses and the options as they are after the last click.
WATCH_GROUP_JS = """async (cell, number) => {
  const options = OPTIONS_JS;
  const box = cell.querySelectorAll('.widget-radio-box')[number];
  box.scrollIntoViewIfNeeded(true);
  await window.__cr.frames();
  const presses = [];
  const press = (event) => {
    const now = options(box);
    presses.push({
      under: now.findIndex(o => o.text.some(t => t.left <= event.clientX && event.clientX <= t.right
                                               && t.top <= event.clientY && event.clientY <= t.bottom)),
      checked: now.map(o => o.checked),
    });
  };
  window.addEventListener('mousedown', press, true);
  window.__crPresses = () => {
    window.removeEventListener('mousedown', press, true);
    return {presses, after: options(box)};
  };
  return options(box);
}""".replace("OPTIONS_JS", OPTIONS_JS)
PRESSES_JS = "() => window.__crPresses()"

#: Each comparer card: the left edges of its labels and values, and labels' words that
#: are broken over two lines.
CARDS_JS = """(cell) => [...cell.querySelectorAll('.cr-account dl')].map(dl => {
  const dts = [...dl.querySelectorAll(':scope > dt')];
  const dds = [...dl.querySelectorAll(':scope > dd')];
  const broken = [];
  for (const dt of dts) {
    const text = dt.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    for (const m of text.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(text, m.index);
      range.setEnd(text, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return {
    labels: dts.map(d => d.getBoundingClientRect().left),
    labelRight: Math.max(...dts.map(d => d.getBoundingClientRect().right)),
    values: dds.map(d => d.getBoundingClientRect().left),
    names: dts.map(d => d.textContent),
    broken,
  };
})"""


@pytest.fixture
def page(lab_page, lab):
    """The session's JupyterLab page at 1280x900 (then back), its console log emptied;
    afterwards its notebook is closed (unsaved) and the notebook's kernel shut down."""
    lab_page.messages.clear()
    size = lab_page.viewport_size
    lab_page.set_viewport_size(SCREEN)
    yield lab_page
    lab_page.evaluate(CLOSE_ALL_JS)
    lab_page.set_viewport_size(size)
    lab.delete_sessions()


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return (
        a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
    )


def widget_cells(page) -> list[int]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]"
        f".map((c, i) => c.querySelector('{WIDGET}') ? i : -1).filter(i => i >= 0)"
    )


def show(cell) -> None:
    """Scroll the cell to the top of the screen; return once the browser has drawn it."""
    cell.evaluate("el => { el.scrollIntoView({block: 'start'}); return window.__cr.frames(); }")


def one_view_problems(cell, name: str, index: int) -> list[str]:
    """A widget shown twice (a visible output repeats its lines) or a visible run note."""
    problems = []
    views = cell.evaluate(VIEWS_JS)
    for widget in views["widgets"]:
        if not widget["visible"]:
            problems.append(f"{name} cell {index + 1}: a live widget is not visible")
        own = set(widget["lines"])
        for number, output in enumerate(views["outputs"]):
            if number == widget["index"] or not output["visible"] or output["widget"]:
                continue
            repeated = own & set(output["lines"])
            if repeated:
                problems.append(
                    f"{name} cell {index + 1}: output {number + 1} shows the widget a second time "
                    f"(e.g. {sorted(repeated)[0]!r})"
                )
    notes = cell.evaluate(RUN_NOTES_JS)
    if notes:
        problems.append(f"{name} cell {index + 1}: 'run the notebook' is on screen: {notes}")
    return problems


def quiz_problems(page, cell, name: str, index: int, size: dict) -> list[str]:
    """Overlapping options, or an option's text that selects another option (or none).

    Each group is measured once, then the text of each option is clicked in turn (a real
    mouse click on the middle of its last line); the page records, at each press, which
    option's text was under the pointer and what was checked, so the clicks need no round
    trip in between and each is still judged on what the page showed when it was made."""
    problems = []
    where = f"{name} cell {index + 1} at {size['width']}x{size['height']}"
    groups = cell.evaluate("cell => cell.querySelectorAll('.widget-radio-box').length")
    for number in range(groups):
        options = cell.evaluate(WATCH_GROUP_JS, number)
        try:
            for i, a in enumerate(options):
                for b in options[i + 1 :]:
                    if overlaps(a["box"], b["box"]):
                        problems.append(
                            f"{where}: options {a['label']!r} and {b['label']!r} overlap"
                        )
            clicked = []
            for option_number, option in enumerate(options):
                if not option["text"]:
                    problems.append(f"{where}: option {option['label']!r} shows no text")
                    continue
                last = option["text"][-1]  # the last line of a wrapped option
                page.mouse.click(last["x"], last["y"])
                clicked.append(option_number)
        finally:
            recorded = page.evaluate(PRESSES_JS)
        presses = recorded["presses"]
        if len(presses) != len(clicked):
            problems.append(f"{where}: {len(clicked)} clicks but {len(presses)} presses seen")
            continue
        # What was checked after each click: at the next press, or at the end.
        checked_after = [p["checked"] for p in presses[1:]] + [
            [o["checked"] for o in recorded["after"]]
        ]
        labels = [o["label"] for o in recorded["after"]]
        for option_number, press, checked in zip(clicked, presses, checked_after, strict=True):
            label = options[option_number]["label"]
            if press["under"] != option_number:
                under = labels[press["under"]] if press["under"] >= 0 else "no option"
                problems.append(
                    f"{where}: the text of {label!r} had moved when clicked ({under} was there)"
                )
                continue
            chosen = [labels[i] for i, on in enumerate(checked) if on]
            if chosen != [label]:
                problems.append(f"{where}: clicking the text of {label!r} selected {chosen}")
    return problems


def comparer_problems(cell, name: str, index: int) -> list[str]:
    """Labels of a card not aligned or broken inside a word (with every cell rendered)."""
    problems = []
    for card in cell.evaluate(CARDS_JS):
        where = f"{name} cell {index + 1} card {card['names']}"
        if max(card["labels"]) - min(card["labels"]) > 1:
            problems.append(f"{where}: labels start at different left edges {card['labels']}")
        if max(card["values"]) - min(card["values"]) > 1:
            problems.append(f"{where}: values start at different left edges {card['values']}")
        if min(card["values"]) < card["labelRight"] - 1:
            problems.append(f"{where}: values start inside the label column")
        if card["broken"]:
            problems.append(f"{where}: labels broken inside a word: {card['broken']}")
    return problems


def stability_problems(page, cell, kind: str, name: str, index: int) -> tuple[list[str], str]:
    """Operate the cell's widget; the controls and the text above them must stay put."""
    show(cell)
    before = cell.evaluate(POSITIONS_JS)
    done = operate(page, cell, kind, name)  # returns once the widget has settled
    after = cell.evaluate(POSITIONS_JS)
    problems = []
    for part in ("controls", "above"):
        if not (before[part] and after[part]):
            problems.append(f"{name} cell {index + 1}: no {part} found around {done}")
            continue
        shift = abs(after[part]["top"] - before[part]["top"])
        if shift > MAX_SHIFT:
            problems.append(f"{name} cell {index + 1}: {done} moved the {part} by {shift:.0f} px")
    if kind not in {"Reveal", "Exercises", "Quiz"} and before["output"] and after["output"]:
        if after["output"]["height"] < before["output"]["height"] - 1:
            problems.append(
                f"{name} cell {index + 1}: {done} shrank the output "
                f"from {before['output']['height']:.0f} to {after['output']['height']:.0f} px"
            )
    return problems, done


@pytest.mark.parametrize(
    "name", [lesson.path.name for lesson in LESSONS], ids=[lesson.stem for lesson in LESSONS]
)
def test_notebook_in_class(page, lab, axe_script, artifacts, browser_report, name):
    cells = read_cells(Path(lab.root) / name)
    stem = Path(name).stem
    clock = [time.monotonic()]
    phases: dict[str, float] = {}

    def lap(phase: str) -> None:
        now = time.monotonic()
        phases[phase] = now - clock[0]
        clock[0] = now

    try:
        open_notebook(page, lab, name, f"c-{stem}")
        lap("open+kernel")
        state = run_all(page, cells)
        ran_at = time.monotonic()
        lap("run all")
        in_page = page.evaluate("() => document.querySelectorAll('.jp-Notebook .jp-Cell').length")
        assert in_page == len(cells), (
            f"{name}: only {in_page} of {len(cells)} cells are in the page"
        )
    except BaseException:
        screenshot(page, artifacts / f"{stem}-failed.png", browser_report)
        raise
    screenshot(
        page,
        artifacts / f"{stem}-1-run.png",
        browser_report,
        page.locator(".jp-Notebook .jp-Cell").first,
    )
    # It ran (test_jupyterlab.py's checks): no point in measuring a broken notebook.
    problems = problems_after_run(state, cells, name)
    problems += [f"{name}: browser console: {m}" for m in console_errors(page.messages)]
    assert not problems, "\n\n".join(problems)

    # Accessibility of the outputs as Run All left them (test_accessibility.py's checks).
    problems += axe_violations(page, name, axe_script)
    problems += [
        f"{name} cell {i['cell']}: an image without a description (alt {i['alt']!r})"
        for i in unnamed_images(page)
    ]
    lap("axe")

    # Heights, the one-view rule and the comparer cards, with every cell laid out and
    # rendered as when scrolled into view (JupyterLab skips the cells off screen).
    indexes = widget_cells(page)
    with every_cell_rendered(page):
        measured = page.evaluate(MEASURE_JS)
        for index in indexes:
            cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
            problems += one_view_problems(cell, name, index)
            if widget_kind(cells[index]["source"]) == "SourceComparer":
                problems += comparer_problems(cell, name, index)
    screens = measured["height"] / SCREEN["height"]
    longest = sorted(enumerate(measured["cells"], start=1), key=lambda item: -item[1])[:4]
    browser_report["page_heights"][name] = (screens, longest)
    lap("one view+cards")
    # Quiz options, clicked where a student clicks, at both screen sizes.
    quizzes = [i for i in indexes if widget_kind(cells[i]["source"]) == "Quiz"]
    if quizzes:
        for size in (SCREEN, SMALL):
            page.set_viewport_size(size)
            for index in quizzes:
                cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
                problems += quiz_problems(page, cell, name, index, size)
        page.set_viewport_size(SCREEN)
    lap("quiz clicks")
    # Every widget operated like a student would; the collection's widgets must keep their
    # controls in place. The one of the kind operated least so far is photographed.
    chosen = pick_widget(state, cells)
    operable = sorted(
        set(indexes)
        | {i for i, dom in enumerate(state["cells"]) if dom["widgets"] and i < len(cells)}
    )
    operated = "no widget in this notebook"
    for index in operable:
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        kind = widget_kind(cells[index]["source"])
        try:
            if index in indexes:
                found, done = stability_problems(page, cell, kind, name, index)
                problems += found
            else:
                show(cell)
                done = operate(page, cell, kind, name)
        except (AssertionError, pytest.fail.Exception) as error:
            problems.append(str(error))
            continue
        if chosen is not None and index == chosen[0]:
            OPERATED[kind] += 1
            operated = done
            screenshot(
                page,
                artifacts / f"{stem}-2-widget.png",
                browser_report,
                cell.locator(".jupyter-widgets").first,
            )
    lap("operate")
    # MathJax loads on first use: look for maths at least MATH_WAIT s after Run All.
    maths = maths_elements(page, wait=max(0.0, MATH_WAIT - (time.monotonic() - ran_at)))
    problems += [f"{name} cell {m['cell']}: rendered as maths: {m['text']!r}" for m in maths]
    problems += [f"{name}: browser console: {m}" for m in console_errors(page.messages)]
    lap("maths+console")
    browser_report["notebooks"][name] = (phases, operated)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
    if not PERIOD_NOTEBOOK.match(name):
        return
    cells_text = ", ".join(f"cell {n}: {h / SCREEN['height']:.1f}" for n, h in longest)
    too_long = (
        f"{name} is {screens:.1f} screens long (at most {MAX_SCREENS}); longest cells: {cells_text}"
    )
    assert screens <= MAX_SCREENS, too_long


def test_every_widget_kind_is_known():
    """A new widget kind must be added to WIDGET_KINDS (and so get operated above)."""
    assert {"PeriodStepper", "SourceComparer", "Quiz", "Reveal", "TimelineExplorer"} <= set(
        WIDGET_KINDS
    )
