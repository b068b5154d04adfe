"""Root pytest configuration shared by every test and by nbval.

* Points nbval at the committed sanitize file by absolute path, so ``pytest`` works from
  any folder.
* Keeps Jupyter's and IPython's per-user configuration out of the kernels that nbval
  starts (a teacher's own start-up files must not change stored outputs).
* Uses the non-interactive Agg backend inside the test process only (never through the
  ``MPLBACKEND`` variable, which would leak into notebook kernels).
* Makes full garbage collections rarer and leaves the collected tests out of them (they
  cost a tenth of the CPU of a run otherwise).
* One headless Debian Chromium per test process (``browser``), shared by the JupyterLab
  suite (``tests/browser/``) and the slide decks' test.
* Parallel runs (``make test``: pytest-xdist, ``-n 2``): the cells of a notebook run in
  one kernel, so they stay together on one worker; so do the tests of a module (its
  module-scoped fixtures are built once), except in the modules of :data:`ONE_BY_ONE`.
  The longest tests are handed out first. The browser report (timings, page heights,
  screenshots) comes back from the workers and is printed once at the end.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"
BROWSER_TESTS = ROOT / "tests" / "browser"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None and hasattr(
        config.option, "nbval_sanitize_with"
    ):
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)

    scratch = Path(tempfile.mkdtemp(prefix="cambodia-russia-tests-"))
    for var, sub in (("IPYTHONDIR", "ipython"), ("JUPYTER_CONFIG_DIR", "jupyter-config")):
        if not os.environ.get(var):
            (scratch / sub).mkdir()
            os.environ[var] = str(scratch / sub)
    os.environ.pop("MPLBACKEND", None)

    import matplotlib

    matplotlib.use("Agg")

    # A full garbage collection visits every object of the test process (pandas, matplotlib,
    # every collected test: 0.2 s of CPU each) and by default comes every 10 collections of
    # the middle generation; the tests' figures and frames die young. Ten times rarer full
    # collections, and none over what exists once the tests are collected, save about a
    # tenth of the CPU of a run (measured on 257 chart, widget, table and handout tests).
    gc.set_threshold(700, 10, 100)


def pytest_collection_finish(session):
    """Leave what collection built (modules, tests) out of later garbage collections."""
    gc.freeze()


# --- order and parallel groups ---------------------------------------------------------

#: Tests that take many seconds, longest first (measured with --durations), then the longest
#: modules of ``make test-fast``: a parallel run hands them out first, so no worker is left
#: with a long test at the end.
LONG_FIRST = (
    "tests/browser/test_classroom.py::test_notebook_in_class",
    "tests/browser/test_untrusted_text.py",
    "tests/test_hub.py::test_three_students",
    "tests/browser/test_saving_answers.py",
    "tests/test_hub.py::test_the_idle_culler",
    "tests/browser/",
    "tests/test_student_edition.py",
    "tests/test_fuzz.py",
    "tests/test_slides.py::test_every_deck",
    "tests/test_worksheets.py",
    "notebooks/",
    "teacher/",
    "tests/test_hub.py",
    "tests/test_charts_timeline.py",
    "tests/test_charts_readability.py",
    "tests/test_authoring_safety.py",
    "tests/test_handouts.py",
    "tests/test_notebooks_meta.py",
    "tests/test_widgets_explorer.py",
    "tests/test_datapackage.py",
    "tests/test_charts_indicators.py",
    "tests/test_schema.py",
    "tests/test_tables.py",
    "tests/test_charts_votes.py",
    "tests/test_slides.py",
    "tests/test_charts_periods.py",
    "tests/test_lab_solutions.py",
    "tests/test_deploy.py",
)


def _rank(item) -> int:
    nodeid = item.nodeid
    for rank, prefix in enumerate(LONG_FIRST):
        if nodeid.startswith(prefix):
            return rank
    return len(LONG_FIRST)


#: Modules whose tests are handed out one by one in a parallel run (they are long and
#: share no module-scoped fixture); any other module goes to one worker as a whole, so its
#: module-scoped fixtures are built once. A notebook's cells (nbval) stay together.
ONE_BY_ONE = (
    "tests/browser/test_classroom.py",
    "tests/browser/test_accessibility.py",
    "tests/browser/test_jupyterlab.py",
    "tests/test_hub.py",
)


def parallel_scope(nodeid: str) -> str:
    """The unit of work of a test in a parallel run (pytest-xdist)."""
    module = nodeid.split("::", 1)[0]
    return nodeid if module in ONE_BY_ONE else module


def pytest_collection_modifyitems(session, config, items):
    """Longest tests first (a stable sort: the rest keep their order)."""
    items.sort(key=_rank)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Hand out the units of :func:`parallel_scope` in the order of the collection.

    This subclasses a scheduler of pytest-xdist, not its public API, because the public way
    (``xdist_group`` marks with ``--dist loadgroup``) groups nothing under pytest 9.2: xdist
    3.8 renames ``item._nodeid``, which pytest 9.2 no longer reads, so a notebook's cells
    end up on both workers and fail (tried; pytest-xdist issue #1386, open). Without this
    hook (``make test JOBS=1``) everything runs in one process.
    """
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return parallel_scope(nodeid)

    config.option.loadscopereorder = False  # keep the longest first
    return Scheduling(config, log)


# --- one browser per test process ------------------------------------------------------


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(message: str) -> None:
    """Skip the browser tests with ``message``; under CI (``CI=true``) fail instead."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def playwright_api():
    """Playwright's sync API, started once (skip/fail if Chromium or Playwright is missing).

    It keeps an asyncio loop running in this thread until the session ends: code that
    calls ``asyncio.run`` must do it in a thread of its own (see tests/test_hub.py).
    """
    if not CHROMIUM.exists():
        skip_or_fail(
            f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Python Playwright is not installed (it is in requirements/dev.lock)")
    api = sync_playwright().start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def browser(playwright_api):
    """One headless Debian Chromium for the whole session (of this worker)."""
    from worksheets import BROWSER_ARGS

    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), args=list(BROWSER_ARGS))
    yield browser
    browser.close()


# --- the browser report ----------------------------------------------------------------

#: Filled by the browser tests (through the ``browser_report`` fixture), printed at the end.
REPORT: dict = {
    "started": None,
    "finished": None,
    "lab_start": [],
    "notebooks": {},
    "screenshots": [],
    "page_heights": {},
}


@pytest.fixture(scope="session")
def browser_report() -> dict:
    """The session's browser report (timings, page heights, screenshots)."""
    return REPORT


def pytest_runtest_logfinish(nodeid, location):
    """Note when the last browser test finished (other tests may run after them)."""
    if REPORT["started"] is not None and nodeid.replace("\\", "/").startswith("tests/browser/"):
        REPORT["finished"] = time.monotonic()


def pytest_sessionfinish(session):
    """In a pytest-xdist worker: send the report to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None and REPORT["started"] is not None:
        output["browser_report"] = {
            **REPORT,
            "screenshots": [str(path) for path in REPORT["screenshots"]],
            "notebooks": {k: [dict(v[0]), v[1]] for k, v in REPORT["notebooks"].items()},
            "page_heights": {
                k: [v[0], [list(c) for c in v[1]]] for k, v in REPORT["page_heights"].items()
            },
        }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """In the controller of a parallel run: merge a worker's browser report."""
    report = getattr(node, "workeroutput", {}).get("browser_report")
    if not report:
        return
    starts = [t for t in (REPORT["started"], report["started"]) if t is not None]
    ends = [t for t in (REPORT["finished"], report["finished"]) if t is not None]
    REPORT["started"] = min(starts) if starts else None
    REPORT["finished"] = max(ends) if ends else None
    REPORT["lab_start"] += report["lab_start"]
    REPORT["screenshots"] += [Path(path) for path in report["screenshots"]]
    REPORT["notebooks"].update(report["notebooks"])
    REPORT["page_heights"].update(report["page_heights"])


def pytest_terminal_summary(terminalreporter):
    """Print the browser suite's run time, per-notebook times and the screenshots' paths."""
    if REPORT["started"] is None or hasattr(terminalreporter.config, "workerinput"):
        return
    total = (REPORT["finished"] or time.monotonic()) - REPORT["started"]
    write = terminalreporter.write_line
    terminalreporter.section("browser tests (JupyterLab + Chromium)")
    starts = ", ".join(f"{seconds:.1f} s" for seconds in REPORT["lab_start"]) or "-"
    write(f"browser suite run time: {total:.1f} s (JupyterLab start-up: {starts})")
    for name, (phases, operated) in sorted(REPORT["notebooks"].items()):
        detail = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in phases.items())
        write(f"  {name}: {sum(phases.values()):.1f} s ({detail}); operated: {operated}")
    if REPORT["page_heights"]:
        write("page height after Run All at 1280x900 (screens of 900 px; the longest cells):")
        for name, (screens, longest) in sorted(REPORT["page_heights"].items()):
            cells = ", ".join(f"cell {number} {height / 900:.1f}" for number, height in longest)
            write(f"  {name:<36} {screens:5.1f}   ({cells})")
    if REPORT["screenshots"]:
        write(f"screenshots ({len(REPORT['screenshots'])}) in {ARTIFACTS}:")
        for path in sorted(REPORT["screenshots"]):
            write(f"  {path}")
