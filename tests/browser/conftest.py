"""Browser tests: one JupyterLab server and one headless Chromium for the whole session.

The server runs from the current environment (``sys.executable -m jupyter lab``) on
127.0.0.1 with a random free port and a random token, serving a temporary COPY of
``notebooks/`` (JupyterLab's autosave never writes into the repository). Its home,
Jupyter, IPython and matplotlib folders are temporary too; a ``python3`` kernelspec in the
temporary Jupyter data folder points at this interpreter, so the kernels run in the
environment under test. The news pop-up is switched off so nothing covers the page.
``MPLBACKEND`` is removed (it would make the notebooks' charts vanish).

Chromium is Debian's ``/usr/bin/chromium`` driven by Python Playwright (never
``playwright install``). Without it the browser tests are skipped, or fail when
``CI=true``.

Screenshots go to ``test-artifacts/browser/`` (git-ignored); the paths and the suite's
run time are printed at the end of the test session.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from worksheets import BROWSER_ARGS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = list(BROWSER_ARGS)
#: A classroom projector / teacher laptop size.
VIEWPORT = {"width": 1280, "height": 800}
SERVER_START_TIMEOUT = 90.0

#: Filled during the session and printed by pytest_terminal_summary.
REPORT: dict = {
    "started": None,
    "finished": None,
    "lab_start": [],
    "notebooks": {},
    "screenshots": [],
    "page_heights": {},
}


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def skip_or_fail(message: str) -> None:
    """Skip the browser tests with ``message``; under CI (``CI=true``) fail instead."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


class LabServer:
    """A JupyterLab server in a subprocess, with its own temporary home and config.

    ``root`` is the folder it serves; ``extra_env`` is added to its environment (and so
    to its kernels' environment); ``matplotlib_dir``, when given, replaces the server's own
    matplotlib folder, so servers sharing it build matplotlib's font cache only once.
    """

    def __init__(
        self,
        root: Path,
        scratch: Path,
        extra_env: dict[str, str] | None = None,
        matplotlib_dir: Path | None = None,
    ):
        self.root = root
        self.matplotlib_dir = matplotlib_dir
        self.scratch = scratch
        self.extra_env = dict(extra_env or {})
        self.port = _free_port()
        self.token = secrets.token_hex(24)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = scratch / "jupyterlab.log"
        self.process: subprocess.Popen | None = None
        self.start_seconds = 0.0

    # -- environment ----------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        """The server's environment: temporary home and config folders, no MPLBACKEND."""
        env = dict(os.environ)
        env.pop("MPLBACKEND", None)
        folders = {
            "HOME": "home",
            "XDG_CONFIG_HOME": "home/.config",
            "XDG_CACHE_HOME": "home/.cache",
            "XDG_DATA_HOME": "home/.local/share",
            "JUPYTER_CONFIG_DIR": "jupyter/config",
            "JUPYTER_DATA_DIR": "jupyter/data",
            "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
            "JUPYTERLAB_SETTINGS_DIR": "jupyter/lab-settings",
            "JUPYTERLAB_WORKSPACES_DIR": "jupyter/lab-workspaces",
            "IPYTHONDIR": "ipython",
            "MPLCONFIGDIR": "matplotlib",
        }
        for var, sub in folders.items():
            folder = self.scratch / sub
            folder.mkdir(parents=True, exist_ok=True)
            env[var] = str(folder)
        if self.matplotlib_dir is not None:  # shared by the session's servers: one font cache
            self.matplotlib_dir.mkdir(parents=True, exist_ok=True)
            env["MPLCONFIGDIR"] = str(self.matplotlib_dir)
        env.update(self.extra_env)
        return env

    def _configure(self, env: dict[str, str]) -> None:
        data = Path(env["JUPYTER_DATA_DIR"])
        # The user data folder comes first in Jupyter's search path: this kernelspec wins
        # over any other "python3" and runs the kernels with the interpreter under test.
        _write_json(
            data / "kernels" / "python3" / "kernel.json",
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "metadata": {"debugger": True},
            },
        )
        # No "Would you like to receive official Jupyter news?" toast over the notebook.
        config = Path(env["JUPYTER_CONFIG_DIR"])
        _write_json(
            config / "labconfig" / "page_config.json",
            {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}},
        )
        settings = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
        _write_json(
            settings / "notification.jupyterlab-settings",
            {"fetchNews": "false", "checkForUpdates": False},
        )

    # -- life cycle -----------------------------------------------------------------

    def start(self) -> None:
        """Start the server and wait until its REST API answers (bounded wait)."""
        started = time.monotonic()
        env = self.environment()
        self._configure(env)
        # Build matplotlib's font cache now, so the first notebook does not print
        # "Matplotlib is building the font cache" (a teacher sees that only once, ever).
        font_cache = subprocess.Popen(
            [sys.executable, "-c", "import matplotlib.font_manager"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ServerApp.open_browser=False",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={self.root}",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=self.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                self.api("GET", "/api/status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"JupyterLab did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.2)
        font_cache.wait(timeout=120)
        self.start_seconds = time.monotonic() - started

    def stop(self) -> None:
        """Stop the server (this process only), shutting its kernels down."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log (for failure messages)."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    # -- REST API -------------------------------------------------------------------

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 10):
        """Call the server's REST API with the token; return the decoded JSON (or None)."""
        request = urllib.request.Request(
            self.base_url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def start_session(self, notebook: str) -> dict:
        """Create the notebook's session with a ``python3`` kernel (JupyterLab will attach)."""
        return self.api(
            "POST",
            "/api/sessions",
            {"path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": "python3"}},
            timeout=60,
        )

    def delete_sessions(self, notebook: str | None = None) -> int:
        """Delete the sessions (and so shut down the kernels) of ``notebook``, or all."""
        deleted = 0
        for session in self.api("GET", "/api/sessions") or []:
            path = session.get("path", "")
            if notebook is None or Path(path).name == notebook:
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
                deleted += 1
        return deleted

    def notebook_url(self, notebook: str, workspace: str) -> str:
        """URL opening ``notebook`` in a fresh, empty workspace (no tabs restored)."""
        return (
            f"{self.base_url}/lab/workspaces/{workspace}/tree/{notebook}?reset&token={self.token}"
        )


def copy_notebooks(target: Path) -> Path:
    """Copy ``notebooks/`` (without checkpoints) to ``target``; return ``target``."""
    shutil.copytree(
        NOTEBOOKS, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    )
    return target


def start_lab(scratch: Path, root: Path, extra_env: dict[str, str] | None = None) -> LabServer:
    """Start a :class:`LabServer` serving ``root``; fail the test with its log if it cannot.

    The session's servers share one matplotlib folder (its font cache is built once).
    """
    server = LabServer(root, scratch, extra_env, matplotlib_dir=scratch.parent / "matplotlib")
    try:
        server.start()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    REPORT["lab_start"].append(server.start_seconds)
    return server


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_api():
    """Playwright's sync API, started once (skip/fail if Chromium or Playwright is missing)."""
    if not CHROMIUM.exists():
        skip_or_fail(
            f"{CHROMIUM} not found: install Debian's chromium package (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Python Playwright is not installed (it is in requirements-lock.txt)")
    REPORT["started"] = time.monotonic()
    api = sync_playwright().start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def browser(playwright_api):
    """One headless Debian Chromium for the whole session."""
    browser = playwright_api.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser) -> Iterator[LabServer]:
    """The session's JupyterLab, serving a temporary copy of ``notebooks/``."""
    scratch = tmp_path_factory.mktemp("lab")
    server = start_lab(scratch, copy_notebooks(scratch / "notebooks"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context (cookies: the token is sent once per page anyway)."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="session")
def lab_factory(tmp_path_factory, browser):
    """Start more JupyterLab servers: ``lab_factory(name, extra_env=None, data_dir=None)``.

    Each serves its own temporary copy of ``notebooks/``; with ``data_dir``, a copy of
    that folder is placed beside it and named by ``CAMBODIA_RUSSIA_DATA`` (after
    ``prepare_data(copy)`` has changed it, when given). Servers stop at the end of the session.
    """
    servers = []

    def factory(name: str, prepare_data=None, extra_env: dict[str, str] | None = None) -> LabServer:
        scratch = tmp_path_factory.mktemp(name)
        root = copy_notebooks(scratch / "notebooks")
        env = dict(extra_env or {})
        if prepare_data is not None:
            data = scratch / "data"
            shutil.copytree(ROOT / "data", data)
            prepare_data(data)
            env["CAMBODIA_RUSSIA_DATA"] = str(data)
        server = start_lab(scratch, root, env)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser_report() -> dict:
    """The session's report (timings, screenshots), printed at the end."""
    return REPORT


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/browser/`` (git-ignored), created if needed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_runtest_logfinish(nodeid, location):
    """Note when the last browser test finished (other tests may run after them)."""
    if REPORT["started"] is not None and "tests/browser/" in nodeid.replace("\\", "/"):
        REPORT["finished"] = time.monotonic()


def pytest_terminal_summary(terminalreporter):
    """Print the browser suite's run time, per-notebook times and the screenshots' paths."""
    if REPORT["started"] is None:
        return
    total = (REPORT["finished"] or time.monotonic()) - REPORT["started"]
    write = terminalreporter.write_line
    terminalreporter.section("browser tests (JupyterLab + Chromium)")
    starts = ", ".join(f"{seconds:.1f} s" for seconds in REPORT["lab_start"]) or "-"
    write(f"browser suite run time: {total:.1f} s (JupyterLab start-up: {starts})")
    for name, (phases, operated) in REPORT["notebooks"].items():
        detail = ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in phases.items())
        write(f"  {name}: {sum(phases.values()):.1f} s ({detail}); operated: {operated}")
    if REPORT["page_heights"]:
        write("page height after Run All at 1280x900 (screens of 900 px; the longest cells):")
        for name, (screens, longest) in sorted(REPORT["page_heights"].items()):
            cells = ", ".join(f"cell {number} {height / 900:.1f}" for number, height in longest)
            write(f"  {name:<36} {screens:5.1f}   ({cells})")
    if REPORT["screenshots"]:
        write(f"screenshots ({len(REPORT['screenshots'])}) in {ARTIFACTS}:")
        for path in REPORT["screenshots"]:
            write(f"  {path}")
