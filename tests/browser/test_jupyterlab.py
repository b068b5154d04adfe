"""Every notebook in real JupyterLab and Chromium, the way a teacher uses it in class.

The checks (used by ``test_classroom.py::test_notebook_in_class``, which opens and runs
each notebook once for all browser checks): open a notebook in a fresh workspace, Run All
Cells from the menu, wait until every cell has run and the kernel is idle, then check that

* no cell shows an error, a traceback or a warning (stderr output);
* every widget rendered (no "Loading widget" / "Error displaying widget"; each cell whose
  saved outputs hold a widget view shows live widget controls);
* the widgets work: each is operated like a student would (choose another period, click
  Next, answer and Check, Show solution ...) and its output visibly changes. The one
  photographed rotates over the widget kinds;
* the browser console shows no error.

A screenshot per notebook goes to ``test-artifacts/browser/``. A self-test runs the same
checks on a deliberately broken notebook, so a selector that stops matching in a future
JupyterLab cannot make the checks pass silently. A security test serves a data folder
whose event title holds HTML and checks it is shown as text and never executed.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest

from handouts import lessons

pytestmark = pytest.mark.browser

#: Bounded waits (seconds).
OPEN_TIMEOUT = 60
RUN_TIMEOUT = 90
CHANGE_TIMEOUT = 30
SETTLE_TIMEOUT = 10
#: How often a wait in the page checks its condition (milliseconds).
POLL_MS = 25
#: A widget has finished drawing when nothing in its cell changed for this long (ms) with
#: the kernel idle and every image loaded (see ``settle`` in HELPERS_JS). Measured on 01,
#: 03, 06 and 08, twice (44 widget changes, 8 Run Alls): once the change is seen, the cell
#: changes at most once more, within 27 ms; with 75 ms, nothing in the cell (or notebook)
#: changed in the 600 ms after ``settle`` returned.
QUIET_MS = 75

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"

#: Widget kinds in the order they are preferred when none has been operated yet.
WIDGET_KINDS = {
    "TimelineExplorer": re.compile(r"\bTimelineExplorer\s*\("),
    "PeriodStepper": re.compile(r"\bPeriodStepper\s*\("),
    "SourceComparer": re.compile(r"\bSourceComparer\s*\("),
    "Quiz": re.compile(r"\bQuiz\s*\("),
    "Reveal": re.compile(r"\bReveal\s*\("),
    "Exercises": re.compile(r"\bExercises\s*\("),  # one Reveal per exercise
}

#: Console messages of type "error" that are harmless, each with the reason. Messages are
#: matched as "<text> @ <url of the script or resource>". JupyterLab 4.6 / ipywidgets 8.1 /
#: Chromium 156 log no error of their own (checked); keep this list short and explained.
IGNORED_CONSOLE_ERRORS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"^Failed to load resource: net::ERR_[A-Z_]+ @ https?://(?!127\.0\.0\.1[:/])"),
        "a picture on another website (e.g. the Binder badge in 00_start_here) cannot load on a "
        "machine without internet access, such as CI; the notebook does not depend on it "
        "(its alt text shows). Resources of the local JupyterLab are never ignored.",
    ),
]

#: How often each widget kind was operated in this session (the rotation).
OPERATED: Counter = Counter()

ERROR_WORDS = re.compile(r"Error|Traceback|Exception|Warning")

ROOT = Path(__file__).resolve().parents[2]
LESSONS = lessons(ROOT / "notebooks")


# --- notebook file helpers ----------------------------------------------------------------


def read_cells(path: Path) -> list[dict]:
    """The notebook's cells as stored (JSON), sources joined into strings."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return cells


def stored_widget_cells(cells: list[dict]) -> list[int]:
    """Indexes of the cells whose saved outputs include a widget view."""
    return [
        index
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "code"
        and any(WIDGET_VIEW_MIME in output.get("data", {}) for output in cell.get("outputs", []))
    ]


def uses_widgets(cells: list[dict]) -> bool:
    """True when the notebook's code builds one of the widgets (or uses ipywidgets)."""
    code = "\n".join(c["source"] for c in cells if c["cell_type"] == "code")
    return bool(re.search(r"ipywidgets|\binteract\w*\s*\(", code)) or any(
        pattern.search(code) for pattern in WIDGET_KINDS.values()
    )


def widget_kind(source: str) -> str:
    """Which widget a cell builds ("other" for anything else)."""
    for kind, pattern in WIDGET_KINDS.items():
        if pattern.search(source):
            return kind
    return "other"


# --- page helpers ---------------------------------------------------------------------------

STATE_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    started: !!window.__crRunStarted,
    status: indicator ? indicator.dataset.status : null,
    kernel: [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent),
    cells: cells.map(cell => ({
      code: cell.classList.contains('jp-CodeCell'),
      prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
      stderr: [...cell.querySelectorAll(
          '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
          .map(o => o.textContent.slice(0, 1500)),
      widgets: cell.querySelectorAll('.jupyter-widgets').length,
      text: (cell.querySelector('.jp-OutputArea') || {}).textContent || '',
    })),
  };
}"""

#: Notices the moment Run All starts: some prompt shows "[*]". Stored notebooks already show
#: "[1]:", "[2]:" ... from their last run, so finished-looking prompts prove nothing until
#: the run has been seen to start. A MutationObserver cannot miss a short-lived "[*]".
WATCH_RUN_JS = """() => {
  window.__crRunStarted = false;
  const notebook = document.querySelector('.jp-Notebook');
  const check = () => {
    if ([...notebook.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'))) {
      window.__crRunStarted = true;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(notebook, {subtree: true, childList: true, characterData: true});
}"""

SIGNATURE_JS = """(cell) => {
  const parts = [...cell.querySelectorAll('.widget-output')].map(o => o.innerHTML);
  parts.push(...[...cell.querySelectorAll('.jp-OutputArea img')].map(i => i.src));
  return parts.join('\\n');
}"""


#: Helpers installed in the page by :func:`open_notebook` (``window.__cr``), so each wait
#: below is one round trip that the browser resolves the moment its condition holds:
#:
#: * ``kernelIdle()``: the status bar shows the kernel idle ("Python 3 (ipykernel) | Idle");
#: * ``signature(cell)``: what the cell's widget Output(s) and images show;
#: * ``settle(root, quiet)``: resolves once the kernel is idle, every image in ``root`` has
#:   loaded (or failed) and ``root`` has not changed for ``quiet`` ms (true), or after
#:   ``timeout`` ms (false): a kernel reply that draws in two steps has drawn both;
#: * ``frames()``: two animation frames (the browser has laid out and painted).
HELPERS_JS = """() => {
  const kernelIdle = () => [...document.querySelectorAll('.jp-StatusBar-TextItem')]
    .some(e => /\\| Idle$/.test(e.textContent) && !e.textContent.startsWith('No Kernel'));
  const signature = SIGNATURE_JS;
  const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const settle = (root, quiet = QUIET_MS, timeout = SETTLE_TIMEOUT_MS) => new Promise(resolve => {
    const start = performance.now();
    let last = start;
    const observer = new MutationObserver(() => { last = performance.now(); });
    observer.observe(root, {subtree: true, childList: true, characterData: true, attributes: true});
    const tick = () => {
      const now = performance.now();
      const images = [...root.querySelectorAll('img')].every(i => i.complete);
      const done = kernelIdle() && images && now - last >= quiet;
      if (done || now - start > timeout) { observer.disconnect(); resolve(done); }
      else setTimeout(tick, 20);
    };
    tick();
  });
  window.__cr = {kernelIdle, signature, frames, settle};
}""".replace("SIGNATURE_JS", SIGNATURE_JS)
HELPERS_JS = HELPERS_JS.replace("QUIET_MS", str(QUIET_MS))
HELPERS_JS = HELPERS_JS.replace("SETTLE_TIMEOUT_MS", str(SETTLE_TIMEOUT * 1000))

#: JavaScript: the notebook's kernel is connected and idle.
KERNEL_READY_JS = "() => window.__cr.kernelIdle()"

#: JavaScript: every code cell ran (or one failed: stderr) and the notebook is idle; the
#: same conditions as ``finished`` in :func:`run_all` (which reads them from STATE_JS).
RUN_FINISHED_JS = """(runnable) => {
  if (!window.__crRunStarted) return false;
  const indicator = document.querySelector('.jp-Notebook-ExecutionIndicator');
  if (!indicator || indicator.dataset.status !== 'idle') return false;
  const code = [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
    .filter(c => c.classList.contains('jp-CodeCell'));
  if (code.length !== runnable.length) return false;
  const prompts = code.map(c => ((c.querySelector('.jp-InputArea-prompt') || {}).textContent || '').trim());
  if (prompts.some(p => p.includes('*'))) return false;
  const failed = code.some(c => c.querySelector(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'));
  return failed || prompts.every((p, i) => !runnable[i] || /^\\[\\d+\\]:$/.test(p));
}"""


def summary(state: dict) -> str:
    prompts = [c["prompt"] for c in state["cells"] if c["code"]]
    return (
        f"kernel={state['kernel'][:3]} status={state['status']} run started={state['started']} "
        f"prompts={prompts}"
    )


def wait_until(page, js: str, what: str, timeout: float, arg=None) -> None:
    """Wait until the JavaScript predicate ``js(arg)`` holds in the page (checked every
    :data:`POLL_MS` ms); fail after ``timeout`` seconds with the notebook's state."""
    if not holds(page, js, arg, timeout):
        state = page.evaluate(STATE_JS)
        pytest.fail(
            f"timed out after {timeout:.0f} s waiting for {what}; last state: {summary(state)}"
        )


#: Close every open document without saving it (Run All changed it; the copy on disk stays
#: as stored), as "Close All Tabs" then "Discard" would. True if JupyterLab is loaded.
CLOSE_ALL_JS = """() => {
  if (!window.jupyterapp) return false;
  for (const widget of [...window.jupyterapp.shell.widgets('main')]) {
    if (widget.context) widget.context.model.dirty = false;
    widget.dispose();
  }
  return true;
}"""

#: Open a notebook as a double click in the file browser does.
OPEN_JS = "async (path) => { await window.jupyterapp.commands.execute('docmanager:open', {path}); }"


def open_notebook(page, lab, name: str, workspace: str, kernel: str = "python3") -> None:
    """Open ``name``, collapse the file browser, wait for the kernel.

    A new page loads JupyterLab with ``name`` in a fresh workspace. A page that already
    shows this JupyterLab (and no dialog) closes its documents and opens ``name`` as the
    file browser does, as a teacher opens one notebook after another.

    The notebook's session (and kernel) is created through the REST API first, so the
    kernel starts while JupyterLab loads; JupyterLab attaches to it as to any existing
    session, exactly as when a teacher reopens a notebook.
    """
    lab.start_session(name, kernel)
    reuse = page.url.startswith(lab.base_url + "/lab") and page.evaluate(
        "() => !document.querySelector('.jp-Dialog')"
    )
    if reuse and page.evaluate(CLOSE_ALL_JS):
        page.evaluate(OPEN_JS, name)
    else:
        page.goto(lab.notebook_url(name, workspace), timeout=OPEN_TIMEOUT * 1000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=OPEN_TIMEOUT * 1000)
    page.evaluate(HELPERS_JS)
    sidebar_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if sidebar_tab.count():
        sidebar_tab.first.click()  # more room for the notebook, as on a projector
    wait_until(page, KERNEL_READY_JS, f"the kernel of {name} to be ready", OPEN_TIMEOUT)


def run_all(page, cells: list[dict], timeout: float = RUN_TIMEOUT) -> dict:
    """Run All Cells from the Run menu; wait until all cells ran (or one failed) and idle,
    and the notebook has stopped changing (late display updates, such as widget views,
    have arrived); return the notebook's state (STATE_JS)."""
    page.evaluate(WATCH_RUN_JS)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    runnable = [bool(c["source"].strip()) for c in cells if c["cell_type"] == "code"]
    wait_until(page, RUN_FINISHED_JS, "Run All Cells to finish", timeout, runnable)
    page.evaluate("() => window.__cr.settle(document.querySelector('.jp-Notebook'))")
    # Confirm: still finished after the notebook settled.
    wait_until(page, RUN_FINISHED_JS, "the notebook to stay idle", 10, runnable)
    return page.evaluate(STATE_JS)


def problems_after_run(state: dict, cells: list[dict], name: str) -> list[str]:
    """Errors, warnings, cells that did not run, widgets that did not render."""
    problems = []
    code_cells = [i for i, c in enumerate(cells) if c["cell_type"] == "code"]
    dom_code = [c for c in state["cells"] if c["code"]]
    for index, dom in zip(code_cells, dom_code, strict=True):
        if cells[index]["source"].strip() and not re.fullmatch(r"\[\d+\]:", dom["prompt"].strip()):
            problems.append(f"{name} cell {index + 1} did not run (prompt {dom['prompt']!r})")
    for number, dom in enumerate(state["cells"], start=1):
        tags = cells[number - 1].get("metadata", {}).get("tags", []) if number <= len(cells) else []
        for text in dom["stderr"]:
            if ERROR_WORDS.search(text) and "raises-exception" not in tags:
                problems.append(f"{name} cell {number} shows an error or warning:\n{text}")
        if re.search(r"Loading widget|Error displaying widget", dom["text"]):
            problems.append(
                f"{name} cell {number} shows a widget that did not load: {dom['text'][:300]!r}"
            )
    for index in stored_widget_cells(cells):
        if index < len(state["cells"]) and state["cells"][index]["widgets"] == 0:
            problems.append(f"{name} cell {index + 1} saved a widget view, but no widget rendered")
    if uses_widgets(cells) and not any(c["widgets"] for c in state["cells"]):
        problems.append(f"{name} builds widgets, but none rendered")
    return problems


def holds(page, js: str, arg=None, timeout: float = CHANGE_TIMEOUT) -> bool:
    """True once the JavaScript predicate ``js(arg)`` holds (checked every :data:`POLL_MS`
    ms); False if it still does not after ``timeout`` seconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout * 1000, polling=POLL_MS)
    except PlaywrightTimeout:
        return False
    return True


def mark(cell) -> None:
    """Remember, in the page, what the cell shows now (for :func:`wait_for_change`)."""
    cell.evaluate("cell => { cell.__crBefore = window.__cr.signature(cell); }")


def wait_for_change(page, cell, what: str, timeout: float = CHANGE_TIMEOUT) -> None:
    """Wait until what the cell shows differs from :func:`mark`, then until it has settled
    (the kernel idle, images loaded, the cell unchanged for :data:`QUIET_MS` ms)."""
    changed = "cell => window.__cr.signature(cell) !== cell.__crBefore"
    if not holds(page, changed, cell.element_handle(), timeout):
        pytest.fail(f"{what}: the widget's output did not change within {timeout:.0f} s")
    cell.evaluate("cell => window.__cr.settle(cell)")


def choose_other_option(select) -> str:
    """Select an option different from the current one; return its label."""
    options = select.evaluate(
        "el => ({labels: [...el.options].map(o => o.textContent), current: el.selectedIndex})"
    )
    labels = options["labels"]
    assert len(labels) > 1, f"the dropdown has only {labels}"
    target = (options["current"] + 1) % len(labels)
    select.select_option(index=target)
    return " ".join(labels[target].split())  # ipywidgets pads labels with no-break spaces


#: The text of the quiz question block (``el``) has grown beyond ``el.__crBefore``.
GREW_JS = "el => (el.textContent || '').length > el.__crBefore"


def operate(page, cell, kind: str, name: str) -> str:
    """Operate one widget like a student; assert its output visibly changes. Returns what was done."""
    mark(cell)
    # textContent, not innerText: JupyterLab's default windowing (content-visibility) skips
    # rendering cells outside the viewport, and innerText of unrendered elements is "".
    output_text = lambda: cell.locator(".widget-output").first.text_content() or ""  # noqa: E731
    if kind in {"TimelineExplorer", "SourceComparer"}:
        label = choose_other_option(cell.locator(".widget-dropdown select").first)
        wait_for_change(page, cell, f"{name}: {kind} after choosing {label!r}")
        shown = cell.locator(".widget-output").first
        assert (shown.text_content() or "").strip() or shown.locator("img").count(), (
            f"{name}: {kind} shows nothing"
        )
        return f"{kind}: chose {label!r} in the first dropdown"
    if kind == "PeriodStepper":
        cell.locator("button", has_text=re.compile(r"^\s*Next\s*$")).first.click()
        wait_for_change(page, cell, f"{name}: PeriodStepper after Next")
        assert output_text().strip(), f"{name}: the stepper shows an empty card after Next"
        return "PeriodStepper: clicked Next"
    if kind == "Quiz":
        radios = cell.locator(".widget-radio-box")
        # A question block is a VBox holding the options (or the order rows) and Check.
        if radios.count():
            block = cell.locator(".widget-vbox:has(> .widget-radio)").first
        else:
            block = cell.locator(".widget-vbox:has(> button.widget-button)").first
        block_before = block.evaluate(
            "el => { const text = el.textContent || ''; el.__crBefore = text.length; return text; }"
        )
        if radios.count():
            radios.first.locator("input[type=radio]").first.check()
        block.locator("button", has_text="Check").first.click()
        wait_for_change(page, cell, f"{name}: Quiz score after Check")
        holds(page, GREW_JS, block.element_handle())  # the assertion below says if not
        after = block.text_content() or ""
        added = after[len(block_before) :].strip() if after.startswith(block_before) else after
        assert len(after) > len(block_before), f"{name}: no feedback appeared after Check"
        return f"Quiz: answered the first question and clicked Check -> {added[:60]!r}"
    if kind in {"Reveal", "Exercises"}:
        cell.locator(
            ".widget-toggle-button, button", has_text=re.compile(r"Show|Reveal|See")
        ).first.click()
        wait_for_change(page, cell, f"{name}: Reveal after Show")
        assert output_text().strip(), f"{name}: the solution did not appear"
        return f"{kind}: clicked Show (solution appeared)"
    # Anything else: change a dropdown, move a slider, or click a button.
    area = cell.locator(".jp-OutputArea").first
    area.evaluate("el => { el.__crBefore = el.innerHTML; }")
    if cell.locator(".widget-dropdown select").count():
        done = f"dropdown -> {choose_other_option(cell.locator('.widget-dropdown select').first)!r}"
    elif cell.locator(".widget-slider .noUi-handle").count():
        handle = cell.locator(".widget-slider .noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        done = "slider one step right"
    else:
        cell.locator("button").first.click()
        done = "clicked the first button"
    if not holds(page, "el => el.innerHTML !== el.__crBefore", area.element_handle()):
        pytest.fail(f"{name}: nothing changed after {done}")
    cell.evaluate("cell => window.__cr.settle(cell)")
    return f"widget: {done}"


def pick_widget(state: dict, cells: list[dict]) -> tuple[int, str] | None:
    """The widget cell to operate: the kind operated least so far (ties: WIDGET_KINDS order)."""
    order = [*WIDGET_KINDS, "other"]
    candidates = [
        (index, widget_kind(cells[index]["source"]))
        for index, dom in enumerate(state["cells"])
        if dom["widgets"] and index < len(cells)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda item: (OPERATED[item[1]], order.index(item[1]), item[0]))


#: JupyterLab's default windowing gives each cell ``content-visibility: auto``: the browser
#: skips the rendering of cells far from the viewport. This makes it render every cell.
RENDER_ALL_CSS = ".jp-Notebook .jp-Cell { content-visibility: visible !important; }"


@contextmanager
def every_cell_rendered(page):
    """Within this block every cell is rendered, as each is when scrolled into view (the
    notebook, its outputs and the viewport are unchanged)."""
    style = page.add_style_tag(content=RENDER_ALL_CSS)
    try:
        page.evaluate("() => window.__cr.frames()")
        yield
    finally:
        style.evaluate("el => el.remove()")


def screenshot(page, path: Path, report: dict, element=None, block: str = "start") -> None:
    """Save what the screen shows (``element`` scrolled into view first)."""
    if element is not None:
        element.evaluate(
            """(el, block) => {
              el.scrollIntoView({block});
              if (block !== 'start') return;
              let box = el.parentElement;  // leave a little context above the element
              while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
              if (box) box.scrollTop = Math.max(0, box.scrollTop - 48);
            }""",
            block,
        )
        page.evaluate("() => window.__cr.frames()")
    page.mouse.move(2, 2)  # no hover effects (heading anchors, tooltips) in the picture
    page.screenshot(path=str(path))
    report["screenshots"].append(path)


def watch_console(page, messages: list[tuple[str, str]]) -> None:
    """Collect the page's console messages ("<text> @ <url>") and uncaught errors."""
    page.on(
        "console",
        lambda msg: messages.append((msg.type, f"{msg.text} @ {msg.location.get('url', '')}")),
    )
    page.on("pageerror", lambda err: messages.append(("pageerror", str(err))))


def console_errors(messages: list[tuple[str, str]]) -> list[str]:
    """Console errors and page errors that are not on the documented ignore list."""
    return [
        f"{kind}: {text}"
        for kind, text in messages
        if kind in {"error", "pageerror"}
        and not any(pattern.search(text) for pattern, _why in IGNORED_CONSOLE_ERRORS)
    ]


@pytest.fixture
def page(browser_context, lab):
    """A new page for one test; afterwards the page is closed and its sessions deleted."""
    page = browser_context.new_page()
    page.messages = []
    watch_console(page, page.messages)
    yield page
    page.close()
    lab.delete_sessions()


# --- tests -------------------------------------------------------------------------------------


def test_the_checks_catch_a_broken_notebook(page, lab):
    """The same checks on a notebook that fails on purpose must report every failure."""
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# Self-test"},
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "from IPython.display import display\n"
            "display({'application/vnd.jupyter.widget-view+json': "
            "{'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "1 / 0",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "print('never')",
        },
    ]
    notebook = {
        "cells": cells,
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
    name = "_browser_selftest.ipynb"
    lab.api(
        "PUT", f"/api/contents/{name}", {"type": "notebook", "format": "json", "content": notebook}
    )
    try:
        cells = read_cells(Path(lab.root) / name)
        open_notebook(page, lab, name, "t-selftest")
        problems = problems_after_run(run_all(page, cells), cells, name)
    finally:
        lab.api("DELETE", f"/api/contents/{name}")
    text = "\n".join(problems)
    assert "ZeroDivisionError" in text, text
    assert "did not run" in text, text  # the cell after the error
    assert "widget that did not load" in text, text


def _explorer_notebook() -> tuple[str, str | None] | None:
    """The first notebook whose code builds a TimelineExplorer, and the period it starts on."""
    for lesson in LESSONS:
        for cell in read_cells(lesson.path):
            if cell["cell_type"] == "code" and WIDGET_KINDS["TimelineExplorer"].search(
                cell["source"]
            ):
                match = re.search(
                    r"TimelineExplorer\s*\([^)]*period\s*=\s*[\"']([a-z0-9_]+)[\"']", cell["source"]
                )
                return lesson.path.name, match.group(1) if match else None
    return None


PAYLOAD = "<script>window.__pwned=1</script><b>bold</b>"


def _plant_payload(data_dir: Path, period: str | None) -> str:
    """Put PAYLOAD into the title of the period's earliest event; return that event's id."""
    path = data_dir / "events.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames
        rows = list(reader)
    candidates = [r for r in rows if period is None or r["period"] == period] or rows

    def start(row):
        return (int(row["year"]), int(row["month"] or 1), int(row["day"] or 1), row["id"])

    target = min(candidates, key=start)
    target["title"] = PAYLOAD
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return target["id"]


@pytest.fixture(scope="module")
def pwned_kernel(data_kernel):
    """A kernel of the session's JupyterLab that reads a data folder with HTML in an event
    title; the notebook, its period and the planted event."""
    found = _explorer_notebook()
    if found is None:
        pytest.skip("no notebook builds a TimelineExplorer yet: nothing to test the escaping on")
    name, period = found
    planted = {}

    def prepare(data: Path) -> None:
        from cambodia_russia.schema import check

        planted["event"] = _plant_payload(data, period)
        problems = check(data)
        assert not problems, "the planted data must stay valid:\n" + "\n".join(map(str, problems))

    kernel = data_kernel("python3-pwned", prepare)
    return kernel, (name, period, planted["event"])


def test_html_in_the_data_is_shown_as_text_never_run(
    lab_page, lab, pwned_kernel, artifacts, browser_report
):
    kernel, (name, period, event_id) = pwned_kernel
    page = lab_page
    page.messages.clear()
    messages = page.messages
    try:
        cells = read_cells(Path(lab.root) / name)
        open_notebook(page, lab, name, "t-pwned", kernel)
        state = run_all(page, cells)
        problems = problems_after_run(state, cells, name)
        assert not problems, "\n\n".join(problems)
        index = next(
            i
            for i, c in enumerate(cells)
            if c["cell_type"] == "code" and WIDGET_KINDS["TimelineExplorer"].search(c["source"])
        )
        cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
        # 1. The first view on screen (after Run All, the live widget's own output; the static
        # view is hidden) lists the planted event of the default period as text.
        literal = cell.locator(".widget-output").get_by_text(
            "<script>window.__pwned=1</script>", exact=False
        )
        assert literal.count() >= 1, (
            f"event {event_id} ({period or 'all periods'}) is not listed as text"
        )
        literal.first.scroll_into_view_if_needed()
        assert literal.first.is_visible()
        # 2. The live view: search for the event; the Output shows it as text too.
        mark(cell)
        search = cell.locator(".widget-text input").first
        search.fill("__pwned")
        search.press("Enter")  # the search box may update on Enter only (continuous_update=False)
        wait_for_change(page, cell, "the explorer after a search")
        live = cell.locator(".widget-output").get_by_text(
            "<script>window.__pwned=1</script>", exact=False
        )
        assert live.count() >= 1 and live.first.is_visible(), (
            "the search result does not show the title as text"
        )
        screenshot(
            page,
            artifacts / "security-html-in-data.png",
            browser_report,
            live.first,
            block="center",
        )
        assert page.evaluate("typeof window.__pwned") == "undefined", "a <script> from the data ran"
        bold = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea b')].filter(b => b.textContent === 'bold').length"
        )
        assert bold == 0, "<b> from the data was rendered as HTML"
        assert not console_errors(messages), console_errors(messages)
    finally:
        page.evaluate(CLOSE_ALL_JS)
        lab.delete_sessions()
