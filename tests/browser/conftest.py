"""Browser tests: one JupyterLab server for the whole session (of each pytest-xdist worker).

The server runs from the current environment (``sys.executable -m jupyter lab``) on
127.0.0.1 with a random free port and a random token, serving a temporary COPY of
``notebooks/`` (JupyterLab's autosave never writes into the repository). Its home,
Jupyter, IPython and matplotlib folders are temporary too; a ``python3`` kernelspec in the
temporary Jupyter data folder points at this interpreter, so the kernels run in the
environment under test. The news pop-up is switched off so nothing covers the page.
``MPLBACKEND`` is removed (it would make the notebooks' charts vanish).

Chromium is Debian's ``/usr/bin/chromium`` driven by Python Playwright (never
``playwright install``): the ``browser`` fixture of the root ``conftest.py``. Without it
the browser tests are skipped, or fail when ``CI=true``.

Screenshots go to ``test-artifacts/browser/`` (git-ignored); the paths and the suite's
run time are printed at the end of the test session (root ``conftest.py``).
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

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
#: A classroom projector / teacher laptop size.
VIEWPORT = {"width": 1280, "height": 800}
SERVER_START_TIMEOUT = 90.0


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
        # The user data folder comes first in Jupyter's search path: this kernelspec wins
        # over any other "python3" and runs the kernels with the interpreter under test.
        self.add_kernel("python3")
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

    def add_kernel(self, name: str, env: dict[str, str] | None = None) -> str:
        """A kernelspec ``name`` running the interpreter under test, with ``env`` added to
        its kernels' environment (the server reads kernelspecs when it starts a kernel, so
        one added while it runs is found). Returns ``name``."""
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "metadata": {"debugger": True},
        }
        if env:
            spec["env"] = env
        _write_json(self.scratch / "jupyter" / "data" / "kernels" / name / "kernel.json", spec)
        return name

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
            # window.jupyterapp: a page that has loaded JupyterLab once opens the next
            # notebook the way the file browser does (test_jupyterlab.open_notebook).
            "--LabApp.expose_app_in_browser=True",
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

    def start_session(self, notebook: str, kernel: str = "python3") -> dict:
        """Create the notebook's session with a ``kernel`` kernel (JupyterLab will attach)."""
        session = self.api(
            "POST",
            "/api/sessions",
            {"path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": kernel}},
            timeout=60,
        )
        # An existing session of the notebook would be returned with its own kernel.
        assert session["kernel"]["name"] == kernel, f"{notebook} runs {session['kernel']}"
        return session

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


def start_lab(
    scratch: Path, root: Path, report: dict, extra_env: dict[str, str] | None = None
) -> LabServer:
    """Start a :class:`LabServer` serving ``root``; fail the test with its log if it cannot.

    The session's servers share one matplotlib folder (its font cache is built once).
    """
    if report["started"] is None:
        report["started"] = time.monotonic()
    server = LabServer(root, scratch, extra_env, matplotlib_dir=scratch.parent / "matplotlib")
    try:
        server.start()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    report["lab_start"].append(server.start_seconds)
    return server


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser, browser_report) -> Iterator[LabServer]:
    """The session's JupyterLab, serving a temporary copy of ``notebooks/``."""
    scratch = tmp_path_factory.mktemp("lab")
    server = start_lab(scratch, copy_notebooks(scratch / "notebooks"), browser_report)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_context(browser):
    """One browser context (cookies: the token is sent once per page anyway)."""
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="session")
def lab_page(browser_context):
    """One page for the session's JupyterLab (``lab``): it loads JupyterLab once, then
    opens one notebook after another (``test_jupyterlab.open_notebook``), as a teacher
    does. Use it through a fixture that empties ``messages`` (its console log) and sets
    the viewport before each test, and closes the notebook afterwards."""
    from test_jupyterlab import watch_console

    page = browser_context.new_page()
    page.messages = []
    watch_console(page, page.messages)
    yield page
    page.close()


@pytest.fixture(scope="session")
def data_kernel(lab, tmp_path_factory):
    """Kernels of the session's JupyterLab that read other data:
    ``data_kernel(name, prepare_data)`` copies ``data/``, lets ``prepare_data(copy)`` change
    it and returns the name of a new kernelspec whose kernels read that copy
    (``CAMBODIA_RUSSIA_DATA``). Open a notebook with it: ``open_notebook(..., kernel=name)``."""

    def factory(name: str, prepare_data) -> str:
        data = tmp_path_factory.mktemp(name) / "data"
        shutil.copytree(ROOT / "data", data)
        prepare_data(data)
        return lab.add_kernel(name, {"CAMBODIA_RUSSIA_DATA": str(data)})

    return factory


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """``test-artifacts/browser/`` (git-ignored), created if needed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script (npm, ``tests/browser/package-lock.json``); skip/fail without it."""
    script = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        message = f"{script} not found: run `npm ci --prefix tests/browser` (make test does)"
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(message + " (CI=true: browser tests must run in CI)", pytrace=False)
        pytest.skip(message)
    return script
