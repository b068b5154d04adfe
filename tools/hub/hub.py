"""A real JupyterHub for a class on one machine, and a load test with simulated students.

Usage::

    python tools/hub/hub.py serve [--port 8000] [--collection DIR_OR_GIT_URL]     (make hub)
    python tools/hub/hub.py load --students 30 [--json FILE] [--keep DIR] [--collection ...]  (make hub-load N=30)
    python tools/hub/hub.py figures build/hub-load/students-30.json     (the block for docs/hub.md)

``serve`` runs JupyterHub in the foreground with tools/hub/jupyterhub_config.py (state in
build/hub/) and prints the class password and the nbgitpuller link that hands out the
collection. ``load`` starts its own hub on free ports in a temporary folder, then every
simulated student, all at once:

1. logs in through the proxy with the login form (``_xsrf`` field), asks the hub's REST API for
   a token and starts a server through the API (polling ``servers[''].ready``);
2. follows the teacher's nbgitpuller link (hub cookie, OAuth hop to their server, the
   ``git-pull`` page) and pulls the collection on the event stream that page listens to;
3. opens a notebook (contents API + a session, as JupyterLab does) and runs its code cells over
   the kernel websocket, noting the first chart (``display_data``/``execute_result`` with
   ``image/png`` or an ``<img>`` in ``text/html``);
4. changes one widget value in the kernel and waits for the widget's ``update`` comm message.

Meanwhile the resident memory (RSS) of the hub's process tree is sampled: per student (their
server, kernel and git processes) and in total. The report gives p50/p95 times, errors, peak
memory and the CPU-seconds the hub's processes used; ``--json`` writes it for docs/hub.md.

What the students pull is the student edition by default: tools/edition.py writes it (no
teacher guide, the model answers left out of the data) into build/student-edition/ (``serve``)
or the load test's folder, and its files are committed into a local bare git repository that the
nbgitpuller link points at (``file://``). Every student's kernel reads the data they pulled
(``CAMBODIA_RUSSIA_DATA``, set by jupyterhub_config.py), not the full data beside the package.
``--collection`` takes another local folder instead (a git checkout such as ``.``, this
repository's HEAD for teachers; a plain folder committed as a snapshot) or a git URL that
nbgitpuller can clone (file://, git://, https://).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONFIG = HERE / "jupyterhub_config.py"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_NOTEBOOK = "notebooks/01_sihanouk_1955_1970.ipynb"
TARGET = "cambodia-russia-notebooks"
#: The ``--collection`` that hands out the student edition (tools/edition.py), the default.
STUDENT_EDITION = "student-edition"
MB = 1024 * 1024

#: Run in the student's kernel after the notebook: change the first choice widget (or slider)
#: and print which model and trait changed; the kernel then sends an ``update`` comm message.
WIDGET_CODE = """\
import json as _json
import ipywidgets as _w
from ipywidgets.widgets.widget import _instances as _all
def _change_one_widget():
    for _x in list(_all.values()):
        if isinstance(_x, _w.widgets.widget_selection._Selection) and len(_x.options) > 1:
            _x.index = ((_x.index or 0) + 1) % len(_x.options)
            return _x.model_id, "index"
        if isinstance(_x, (_w.IntSlider, _w.FloatSlider)) and _x.max > _x.min:
            _x.value = _x.max if _x.value != _x.max else _x.min
            return _x.model_id, "value"
    raise RuntimeError("no widget with a choice in this notebook")
_m, _t = _change_one_widget()
print(_json.dumps({"model_id": _m, "trait": _t}))
"""


#: Run in the student's kernel at the end: which data it reads and how many model answers it has
#: (none for the student edition: its Exercises buttons say the answers are not included).
DATA_CODE = """\
import json as _json
import cambodia_russia as _cr
_ex = _cr.load_exercises()
print(_json.dumps({"data_dir": str(_cr.data_dir()),
                   "solutions": int((_ex["solution"].fillna("").astype(str).str.strip() != "").sum()),
                   "lab_solutions": len(_cr.load_lab_solutions())}))
"""


class HubError(RuntimeError):
    """A step of the hub or of a simulated student failed."""


# --------------------------------------------------------------------------- the collection


def collection_url(source: str, workdir: Path, edition: Path | None = None) -> tuple[str, str]:
    """``(repo URL, branch)`` of a git repository nbgitpuller can clone for ``source``.

    ``student-edition`` (the default of ``serve`` and ``load``) builds the student edition with
    tools/edition.py into ``edition`` (default ``workdir/student-edition``) and serves its files.
    A URL (``file://``, ``git://``, ``http(s)://``) is used as it is, on its default branch
    ``main``. A local folder is published in the bare repository ``workdir/TARGET.git``: a git
    checkout by pushing its HEAD (committed files only; a shallow clone as a snapshot of HEAD's
    files), any other folder as a snapshot of its files. A snapshot is a new commit on top of
    what the bare repository already serves, so students who pulled before get the changes
    with their next click on the link (nbgitpuller merges; it cannot merge unrelated histories).
    """
    if re.match(r"^[a-z+]+://", source):
        return source, "main"
    if source == STUDENT_EDITION:
        return _publish(
            build_student_edition(edition or workdir / "student-edition"), workdir, snapshot=True
        )
    folder = Path(source).resolve()
    if not folder.is_dir():
        raise HubError(f"collection {source!r} is neither a folder nor a git URL")
    return _publish(folder, workdir)


def build_student_edition(out: Path) -> Path:
    """Write the student edition (no teacher guide, no model answers) with tools/edition.py."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "edition.py"), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise HubError(f"tools/edition.py failed: {done.stderr.strip()[-1500:]}")
    return out.resolve()


def _publish(folder: Path, workdir: Path, snapshot: bool = False) -> tuple[str, str]:
    bare = workdir / f"{TARGET}.git"
    if not (bare / "HEAD").is_file():
        _git("init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    if not snapshot:
        inside = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
        )
        if inside.returncode == 0 and Path(inside.stdout.strip()).resolve() == folder:
            pushed = subprocess.run(
                [
                    "git",
                    "-C",
                    str(folder),
                    "push",
                    "--quiet",
                    "--force",
                    str(bare),
                    "HEAD:refs/heads/main",
                ],
                capture_output=True,
                text=True,
            )
            if pushed.returncode == 0:
                return bare.as_uri(), "main"
            # A shallow clone (CI) cannot push into an empty repository: snapshot HEAD's files instead.
            archive = subprocess.run(
                ["git", "-C", str(folder), "archive", "--format=tar", "HEAD"],
                capture_output=True,
                check=True,
            )
            with tempfile.TemporaryDirectory(prefix="hub-archive-") as files:
                subprocess.run(["tar", "-x", "-C", files], input=archive.stdout, check=True)
                _snapshot(Path(files), bare)
            return bare.as_uri(), "main"
    _snapshot(folder, bare)
    return bare.as_uri(), "main"


def _snapshot(folder: Path, bare: Path) -> None:
    """Commit the files of ``folder`` (its own ``.git`` left out) on top of ``bare``'s main."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "hub",
        "GIT_AUTHOR_EMAIL": "hub@localhost",
        "GIT_COMMITTER_NAME": "hub",
        "GIT_COMMITTER_EMAIL": "hub@localhost",
    }
    with tempfile.TemporaryDirectory(prefix="hub-snapshot-") as tmp:
        work = Path(tmp) / "work"
        has_main = (
            subprocess.run(
                [
                    "git",
                    "--git-dir",
                    str(bare),
                    "rev-parse",
                    "--verify",
                    "--quiet",
                    "refs/heads/main",
                ],
                capture_output=True,
            ).returncode
            == 0
        )
        if has_main:
            _git("clone", "--quiet", "--branch", "main", str(bare), str(work), env=env)
        else:
            _git("init", "--quiet", "--initial-branch=main", str(work), env=env)
        for old in work.iterdir():
            if old.name == ".git":
                continue
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
        shutil.copytree(
            folder, work, dirs_exist_ok=True, symlinks=True, ignore=shutil.ignore_patterns(".git")
        )
        _git("-C", str(work), "add", "--all", env=env)
        changed = subprocess.run(
            ["git", "-C", str(work), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if changed or not has_main:
            _git(
                "-C",
                str(work),
                "commit",
                "--quiet",
                "--no-gpg-sign",
                "--allow-empty",
                "-m",
                f"collection from {folder.name}",
                env=env,
            )
            _git(
                "-C",
                str(work),
                "push",
                "--quiet",
                "origin" if has_main else str(bare),
                "HEAD:refs/heads/main",
                env=env,
            )


def _git(*args: str, env: dict | None = None) -> None:
    done = subprocess.run(["git", *args], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise HubError(f"git {' '.join(args)} failed: {done.stderr.strip()}")


def nbgitpuller_link(hub_url: str, repo: str, branch: str, notebook: str = DEFAULT_NOTEBOOK) -> str:
    """The link a teacher hands out: log in, pull the collection, open ``notebook`` in JupyterLab."""
    query = urlencode(
        {
            "repo": repo,
            "branch": branch,
            "targetpath": TARGET,
            "urlpath": f"lab/tree/{TARGET}/{notebook}",
        }
    )
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


# --------------------------------------------------------------------------- running the hub


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def check_parts() -> None:
    """Fail with the command to run when the proxy (npm) or JupyterHub (dev lock) is missing."""
    if not PROXY.exists():
        raise HubError(f"{PROXY} is missing: run `npm ci --prefix tools/hub`")
    if shutil.which("node") is None:
        raise HubError(
            "node is not on PATH: install Debian's nodejs (configurable-http-proxy needs it)"
        )
    if not (Path(sys.prefix) / "bin" / "jupyterhub-singleuser").exists():
        raise HubError("jupyterhub is not installed in this environment: run `make setup-dev`")


def hub_environment(
    state: Path,
    port: int,
    password: str,
    *,
    internal_port: int,
    api_port: int,
    admin_password: str = "",
    http_timeout: int = 90,
    start_timeout: int = 120,
    cull_timeout: int = 3600,
) -> dict[str, str]:
    """The environment variables tools/hub/jupyterhub_config.py reads."""
    # The test run's MPLBACKEND and PYTHONWARNINGS (make test) are for nbval's kernels, not the hub.
    env = {k: v for k, v in os.environ.items() if k not in {"MPLBACKEND", "PYTHONWARNINGS"}}
    env.update(
        HUB_STATE=str(state),
        HUB_VENV=sys.prefix,
        HUB_PORT=str(port),
        HUB_INTERNAL_PORT=str(internal_port),
        HUB_PROXY_API_PORT=str(api_port),
        HUB_PASSWORD=password,
        HUB_ADMIN_PASSWORD=admin_password,
        HUB_HTTP_TIMEOUT=str(http_timeout),
        HUB_START_TIMEOUT=str(start_timeout),
        HUB_CULL_TIMEOUT=str(cull_timeout),
        HUB_COLLECTION_FOLDER=TARGET,
    )
    env["PATH"] = f"{Path(sys.prefix) / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return env


def _what(collection: str) -> str:
    return (
        "student edition (no teacher guide, no model answers)"
        if collection == STUDENT_EDITION
        else "collection"
    )


def hub_command() -> list[str]:
    """JupyterHub from this environment with the class configuration."""
    return [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)]


def serve(args: argparse.Namespace) -> int:
    """``make hub``: JupyterHub in the foreground until Ctrl+C."""
    check_parts()
    state = Path(args.state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    password = args.password or os.environ.get("HUB_PASSWORD") or secrets.token_urlsafe(9)
    admin_password = secrets.token_urlsafe(32)
    repo, branch = collection_url(args.collection, state, ROOT / "build" / "student-edition")
    url = f"http://{args.ip}:{args.port}"
    env = hub_environment(
        state,
        args.port,
        password,
        internal_port=free_port(),
        api_port=free_port(),
        admin_password=admin_password,
        cull_timeout=args.cull_timeout,
    )
    env["HUB_IP"] = args.ip
    print(
        f"JupyterHub for the class: {url}\n"
        f"  students: any user name, password {password}\n"
        f"  teacher (admin): user name teacher, password {admin_password}\n"
        f"  nbgitpuller link for the {_what(args.collection)}:\n  {nbgitpuller_link(url, repo, branch)}\n"
        f"  idle servers are stopped after {args.cull_timeout} s; Ctrl+C stops the hub.",
        flush=True,
    )
    os.chdir(state)
    os.execvpe(sys.executable, hub_command(), env)
    return 0  # not reached


class Hub:
    """A JupyterHub started for the load test on free ports in ``state``; stop() ends it."""

    def __init__(
        self, state: Path, *, http_timeout: int, start_timeout: int, cull_timeout: int = 3600
    ) -> None:
        check_parts()
        self.state = state
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(12)
        self.log_path = state / "jupyterhub.log"
        env = hub_environment(
            state,
            self.port,
            self.password,
            internal_port=free_port(),
            api_port=free_port(),
            http_timeout=http_timeout,
            start_timeout=start_timeout,
            cull_timeout=cull_timeout,
        )
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            hub_command(),
            cwd=state,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Poll the hub's API through the proxy until it answers 200 (404 until the route exists)."""
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(
                    f"JupyterHub exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        raise HubError(f"JupyterHub did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        """The end of the hub's log (for error messages)."""
        if not self._log.closed:
            self._log.flush()
        return "\n".join(
            self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
        )

    def stop(self, tree: list | None = None, students: list | None = None) -> None:
        """Kill ``students`` (their servers and kernels: the load test is over, their homes
        stay), SIGTERM the hub (it stops the proxy, the culler and any server left), then kill
        what is left of ``tree``. Both lists hold ``psutil.Process`` objects: a pid used again
        by another process is safe."""
        import psutil

        for proc in students or []:
            try:
                proc.kill()
            except psutil.Error:
                pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        for proc in tree or []:
            try:
                proc.kill()
            except psutil.Error:
                pass
        self._log.close()


# --------------------------------------------------------------------------- memory sampling


class Sampler(threading.Thread):
    """Samples the RSS of the hub's process tree every ``interval`` seconds.

    A process belongs to a student when its environment says ``JUPYTERHUB_USER=name`` (the
    single-user server, its kernels and git processes); the rest (hub, proxy, culler) is the hub.
    Also keeps the last CPU time seen of every process.
    """

    def __init__(self, root_pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.peak_user: dict[str, int] = {}
        self.peak_total = 0
        self.peak_hub = 0
        self.cpu: dict[int, float] = {}
        #: CPU-seconds the tree had used at the first sample (the hub's own start-up).
        self.cpu_start: float | None = None
        #: Every process of the tree seen, by pid (the object knows its start: pids are reused).
        self.procs: dict[int, object] = {}
        self.culler_seen = False
        self._owner: dict[int, str] = {}
        self._halt = threading.Event()
        self._lock = threading.Lock()

    def run(self) -> None:
        while not self._halt.is_set() and self.sample():
            self._halt.wait(self.interval)

    def sample(self) -> bool:
        """Take one sample of the tree; False once the hub is gone."""
        import psutil

        with self._lock:
            try:
                root = psutil.Process(self.root_pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                return False
            per_user: dict[str, int] = {}
            total = hub = 0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    times = proc.cpu_times()
                    if proc.pid not in self._owner:
                        self._owner[proc.pid] = proc.environ().get("JUPYTERHUB_USER", "")
                        if "jupyterhub_idle_culler" in " ".join(proc.cmdline()):
                            self.culler_seen = True
                except psutil.Error:
                    continue
                self.procs.setdefault(proc.pid, proc)
                self.cpu[proc.pid] = times.user + times.system
                total += rss
                user = self._owner[proc.pid]
                if user:
                    per_user[user] = per_user.get(user, 0) + rss
                else:
                    hub += rss
            if self.cpu_start is None:
                self.cpu_start = sum(self.cpu.values())
            self.peak_total = max(self.peak_total, total)
            self.peak_hub = max(self.peak_hub, hub)
            for user, rss in per_user.items():
                self.peak_user[user] = max(self.peak_user.get(user, 0), rss)
            return True

    def student_procs(self) -> list:
        """Every process seen that belongs to a student (server, kernels, git)."""
        return [proc for pid, proc in self.procs.items() if self._owner.get(pid)]

    def stop(self) -> None:
        """End the sampling loop and wait for it (if it started)."""
        self._halt.set()
        if self.is_alive():
            self.join(10)


# --------------------------------------------------------------------------- one student


@dataclass
class Student:
    """What happened to one simulated student (times in seconds from their login)."""

    name: str
    login_s: float | None = None
    ready_s: float | None = None
    pulled_s: float | None = None
    opened_s: float | None = None
    first_chart_s: float | None = None
    notebook_done_s: float | None = None
    widget_s: float | None = None
    charts: int = 0
    widget_update: bool = False
    #: What the student's file browser lists in the pulled folder, and what their kernel reads.
    pulled: list[str] = field(default_factory=list)
    data_dir: str = ""
    solutions_in_kernel: int | None = None
    error: str = ""
    steps: list[str] = field(default_factory=list)


def _cookie(session, name: str, path: str) -> str:
    for morsel in session.cookie_jar:
        if morsel.key == name and (morsel["path"] or "/").rstrip("/") == path.rstrip("/"):
            return morsel.value
    raise HubError(f"no {name} cookie for path {path}")


def _is_chart(msg: dict) -> bool:
    if msg.get("msg_type") not in {"display_data", "execute_result"}:
        return False
    data = msg.get("content", {}).get("data", {})
    return "image/png" in data or "<img" in str(data.get("text/html", ""))


async def _expect(reply, status: set[int], what: str):
    if reply.status not in status:
        text = (await reply.text())[:500]
        raise HubError(f"{what}: HTTP {reply.status} {text}")
    return reply


async def log_in(web, hub_url: str, name: str, password: str) -> dict:
    """Log in with the form as a browser does; return the header of a new API token."""
    async with web.get(f"{hub_url}/hub/login") as r:
        page = await (await _expect(r, {200}, "login page")).text()
    found = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)
    if not found:
        raise HubError("login page has no _xsrf field")
    form = {"username": name, "password": password, "_xsrf": found.group(1)}
    async with web.post(f"{hub_url}/hub/login", data=form, allow_redirects=False) as r:
        await _expect(r, {302}, "login")
    xsrf = _cookie(web, "_xsrf", "/hub/")
    async with web.post(
        f"{hub_url}/hub/api/users/{name}/tokens",
        headers={"X-XSRFToken": xsrf},
        json={"note": "load test", "expires_in": 7200},
    ) as r:
        token = (await (await _expect(r, {200, 201}, "token")).json())["token"]
    return {"Authorization": f"token {token}"}


async def user_servers(web, hub_url: str, name: str, auth: dict) -> dict:
    """The user's servers as the hub's REST API reports them."""
    async with web.get(f"{hub_url}/hub/api/users/{name}", headers=auth) as r:
        return (await (await _expect(r, {200}, "user model")).json()).get("servers", {})


async def start_server(web, hub_url: str, name: str, auth: dict, timeout: float) -> None:
    """Start the user's server through the API and wait until the hub says it is ready."""
    deadline = time.monotonic() + timeout
    async with web.post(f"{hub_url}/hub/api/users/{name}/server", headers=auth) as r:
        await _expect(r, {201, 202}, "start server")
    while True:
        server = (await user_servers(web, hub_url, name, auth)).get("")
        if server and server.get("ready"):
            return
        if not server or not server.get("pending"):
            raise HubError(f"server stopped while starting: {server}")
        if time.monotonic() > deadline:
            raise HubError("server not ready in time")
        await asyncio.sleep(0.2)


async def simulate(
    hub_url: str, password: str, name: str, repo: str, branch: str, notebook: str, timeout: float
) -> Student:
    """One student from login to a changed widget; errors are recorded, never raised."""
    import aiohttp

    student = Student(name)
    t0 = time.monotonic()
    since = lambda: round(time.monotonic() - t0, 3)  # noqa: E731
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    http_timeout = aiohttp.ClientTimeout(total=timeout)
    try:
        async with aiohttp.ClientSession(cookie_jar=jar, timeout=http_timeout) as web:
            # 1. Login form, then a token from the hub's API, then start the server.
            student.steps.append("login")
            auth = await log_in(web, hub_url, name, password)
            student.login_s = since()
            student.steps.append("start")
            await start_server(web, hub_url, name, auth, timeout)
            student.ready_s = since()
            base = f"{hub_url}/user/{name}"

            # 2. nbgitpuller: the teacher's link as a browser follows it (hub cookie, then the
            # OAuth hop to the student's server), then the event stream its page listens to.
            student.steps.append("pull")
            async with web.get(nbgitpuller_link(hub_url, repo, branch, notebook)) as r:
                await _expect(r, {200}, "nbgitpuller link")
                if f"/user/{name}/git-pull" not in str(r.url):
                    raise HubError(f"the nbgitpuller link ended at {r.url}")
            query = urlencode({"repo": repo, "branch": branch, "targetpath": TARGET})
            async with web.get(f"{base}/git-pull/api?{query}", headers=auth) as r:
                await _expect(r, {200}, "nbgitpuller")
                phase, last = "", ""
                async for raw in r.content:
                    line = raw.decode("utf-8", "replace").strip()
                    if line.startswith("data:"):
                        event = json.loads(line[5:])
                        phase, last = event.get("phase", ""), event.get("message", "") or last
                        if phase in {"finished", "error"}:
                            break
            if phase != "finished":
                raise HubError(f"nbgitpuller: {phase or 'no result'} {last}")
            student.pulled_s = since()
            async with web.get(f"{base}/api/contents/{quote(TARGET)}?content=1", headers=auth) as r:
                listing = (await (await _expect(r, {200}, "pulled folder")).json())["content"]
            student.pulled = sorted(item["name"] for item in listing)

            # 3. Open the notebook as JupyterLab does: its page, its content, a session.
            student.steps.append("open")
            path = f"{TARGET}/{notebook}"
            async with web.get(f"{base}/lab/tree/{quote(path)}", headers=auth) as r:
                await _expect(r, {200}, "lab page")
            async with web.get(f"{base}/api/contents/{quote(path)}?content=1", headers=auth) as r:
                nb = (await (await _expect(r, {200}, "notebook")).json())["content"]
            body = {
                "path": path,
                "name": Path(path).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            }
            async with web.post(f"{base}/api/sessions", headers=auth, json=body) as r:
                kernel_id = (await (await _expect(r, {201}, "session")).json())["kernel"]["id"]
            student.opened_s = since()

            # 4. Run the code cells over the kernel websocket, then change a widget.
            student.steps.append("run")
            ws_url = f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
            ws = await _Channels.connect(ws_url, auth, timeout)
            try:
                session_id = uuid.uuid4().hex
                cells = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
                cells = ["".join(s) if isinstance(s, list) else s for s in cells]
                for source in cells:
                    msgs = await _execute(ws, session_id, name, source, timeout)
                    for msg in msgs:
                        if _is_chart(msg):
                            student.charts += 1
                            if student.first_chart_s is None:
                                student.first_chart_s = since()
                student.notebook_done_s = since()
                if not student.charts:
                    raise HubError("the notebook showed no chart")
                student.steps.append("widget")
                started = time.monotonic()
                msgs = await _execute(ws, session_id, name, WIDGET_CODE, timeout)
                printed = "".join(
                    m["content"].get("text", "") for m in msgs if m.get("msg_type") == "stream"
                )
                changed = json.loads(printed.strip().splitlines()[-1])
                for msg in msgs:
                    content = msg.get("content", {})
                    data = content.get("data", {})
                    if (
                        msg.get("msg_type") == "comm_msg"
                        and content.get("comm_id") == changed["model_id"]
                        and data.get("method") == "update"
                        and changed["trait"] in data.get("state", {})
                    ):
                        student.widget_update = True
                if not student.widget_update:
                    raise HubError(f"no widget update message for {changed}")
                student.widget_s = round(time.monotonic() - started, 3)
                student.steps.append("data")
                msgs = await _execute(ws, session_id, name, DATA_CODE, timeout)
                printed = "".join(
                    m["content"].get("text", "") for m in msgs if m.get("msg_type") == "stream"
                )
                seen = json.loads(printed.strip().splitlines()[-1])
                student.data_dir = seen["data_dir"]
                student.solutions_in_kernel = seen["solutions"] + seen["lab_solutions"]
            finally:
                ws.close()
            student.steps.append("done")
    except Exception as exc:  # noqa: BLE001 - the report counts every failure
        student.error = (
            f"{student.steps[-1] if student.steps else 'start'}: {type(exc).__name__}: {exc}"[:800]
        )
    return student


class _Channels:
    """The kernel's websocket (tornado's client, the same stack as jupyter_server), JSON messages."""

    def __init__(self, conn) -> None:
        self.conn = conn

    @classmethod
    async def connect(cls, url: str, headers: dict, timeout: float) -> _Channels:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        request = HTTPRequest(
            url, headers=headers, connect_timeout=timeout, request_timeout=timeout
        )
        return cls(await websocket_connect(request, max_message_size=256 * MB))

    async def send_json(self, msg: dict) -> None:
        await self.conn.write_message(json.dumps(msg))

    async def receive_json(self, timeout: float) -> dict:
        text = await asyncio.wait_for(self.conn.read_message(), timeout)
        if text is None:
            raise HubError(
                f"the kernel websocket closed ({self.conn.close_code} {self.conn.close_reason})"
            )
        return json.loads(text)

    def close(self) -> None:
        self.conn.close()


async def _execute(ws, session_id: str, user: str, code: str, timeout: float) -> list[dict]:
    """Send an execute_request; return its iopub messages once it is idle (error on failure)."""
    msg_id = uuid.uuid4().hex
    await ws.send_json(
        {
            "header": {
                "msg_id": msg_id,
                "username": user,
                "session": session_id,
                "msg_type": "execute_request",
                "version": "5.3",
                "date": dt.datetime.now(dt.UTC).isoformat(),
            },
            "parent_header": {},
            "metadata": {},
            "channel": "shell",
            "buffers": [],
            "content": {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        }
    )
    iopub, reply, idle = [], None, False
    deadline = time.monotonic() + timeout
    while reply is None or not idle:
        left = deadline - time.monotonic()
        if left <= 0:
            raise HubError("the kernel did not finish a cell in time")
        msg = await ws.receive_json(timeout=left)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind = msg.get("msg_type") or msg["header"]["msg_type"]
        msg["msg_type"] = kind
        if msg.get("channel") == "shell" and kind == "execute_reply":
            reply = msg["content"]
        elif kind == "status" and msg["content"].get("execution_state") == "idle":
            idle = True
        elif msg.get("channel") == "iopub":
            iopub.append(msg)
    if reply.get("status") != "ok":
        raise HubError(f"cell failed: {reply.get('ename')}: {reply.get('evalue')}\n{code[:200]}")
    return iopub


# --------------------------------------------------------------------------- the load test


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of ``values``, None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.4999)))
    return round(ordered[rank - 1], 2)


def summarise(students: list[Student], sampler: Sampler, wall_s: float, n: int) -> dict:
    """The figures docs/hub.md records (times in s, memory in MB)."""
    ok = [s for s in students if not s.error]
    figures: dict = {
        "students": n,
        "ok": len(ok),
        "errors": n - len(ok),
        "wall_s": round(wall_s, 1),
    }
    for key in ("login_s", "ready_s", "pulled_s", "first_chart_s", "notebook_done_s", "widget_s"):
        values = [getattr(s, key) for s in ok if getattr(s, key) is not None]
        figures[key] = {"p50": percentile(values, 50), "p95": percentile(values, 95)}
    users = sorted(sampler.peak_user.values())
    figures["memory_mb"] = {
        "per_user_p50": round(statistics.median(users) / MB) if users else None,
        "per_user_max": round(users[-1] / MB) if users else None,
        "hub_proxy_culler": round(sampler.peak_hub / MB),
        "total_peak": round(sampler.peak_total / MB),
    }
    cpu = sum(sampler.cpu.values()) - (sampler.cpu_start or 0.0)
    figures["cpu_s"] = {"total": round(cpu, 1), "per_student": round(cpu / n, 1) if n else None}
    figures["cores"] = os.cpu_count()
    figures["every_student_saw_a_chart"] = (
        bool(ok) and all(s.charts > 0 for s in ok) and len(ok) == n
    )
    figures["culler_running"] = sampler.culler_seen
    return figures


async def _all_students(
    hub: Hub, n: int, repo: str, branch: str, notebook: str, timeout: float, ramp: float
) -> list[Student]:
    async def one(i: int) -> Student:
        await asyncio.sleep(ramp * i / max(1, n))
        return await simulate(
            hub.url, hub.password, f"student-{i + 1:02d}", repo, branch, notebook, timeout
        )

    return list(await asyncio.gather(*(one(i) for i in range(n))))


def load(args: argparse.Namespace) -> int:
    """``make hub-load``: start a hub, simulate ``--students`` students, print and write figures."""
    n = args.students
    if args.keep:
        keep = Path(args.keep).resolve()
        if keep.exists() and any(keep.iterdir()):
            raise HubError(f"--keep {keep}: the folder is not empty")
        keep.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hub-load-") as tmp:
        state = keep if args.keep else Path(tmp)
        hub = Hub(state, http_timeout=args.http_timeout, start_timeout=args.start_timeout)
        sampler = Sampler(hub.process.pid)
        try:
            repo, branch = collection_url(args.collection, state)  # while the hub starts
            hub.wait_ready()
            sampler.start()
            print(
                f"hub-load: {n} students on {hub.url}, {_what(args.collection)} {repo}", flush=True
            )
            started = time.monotonic()
            students = asyncio.run(
                _all_students(hub, n, repo, branch, args.notebook, args.timeout, args.ramp)
            )
            wall = time.monotonic() - started
        finally:
            try:
                sampler.stop()
                sampler.sample()  # one more memory sample with every kernel alive
            finally:
                hub.stop(list(sampler.procs.values()), sampler.student_procs())
        figures = summarise(students, sampler, wall, n)
        figures["collection"] = (
            args.collection if not args.collection.startswith(str(ROOT)) else "this repository"
        )
        figures["notebook"] = args.notebook
        figures["date"] = dt.date.today().isoformat()
        failed = [s for s in students if s.error]
        for s in failed:
            print(f"hub-load: {s.name} FAILED at {s.error}", file=sys.stderr)
        if failed:
            print(f"hub-load: the hub's log ends with:\n{hub.log_tail()}", file=sys.stderr)
    report = {"figures": figures, "students": [asdict(s) for s in students]}
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(format_figures(figures))
    return 0 if not failed and figures["every_student_saw_a_chart"] else 1


#: Memory the operating system (or Kubernetes' kubelet and system pods) keeps on every node.
NODE_RESERVE_MB = 1024
#: Node sizes the sizing rule is written out for (GB).
NODE_SIZES_GB = (4, 8, 16)
#: Seconds a class may wait at the start until every student sees a chart.
CLASS_START_TARGET_S = 120


def sizing(measured: dict) -> dict:
    """The sizing rule of docs/hub.md applied to measured figures (``summarise()``'s keys).

    * guarantee: the heaviest student's peak (server + kernel of one notebook) plus 25 %,
      rounded up to 128 MB;
    * limit: twice the guarantee (a second open notebook fits; beyond it the student's own
      kernel is killed, never a neighbour's);
    * students per node of 4/8/16 GB: (node memory - 1 GB reserve) // guarantee, on a single
      machine also minus the hub, proxy and culler;
    * CPU at class start: CPU-seconds per student start x students / cores is the time until
      everyone has a chart; cores for a class of 30 to be ready within 120 s.
    """
    peak = measured["memory_mb"]["per_user_max"]
    guarantee = -(-round(peak * 1.25) // 128) * 128
    limit = 2 * guarantee
    hub_mb = measured["memory_mb"]["hub_proxy_culler"]
    per_node = {f"{gb}GB": (gb * 1024 - NODE_RESERVE_MB) // guarantee for gb in NODE_SIZES_GB}
    single = {
        f"{gb}GB": (gb * 1024 - NODE_RESERVE_MB - hub_mb) // guarantee for gb in NODE_SIZES_GB
    }
    cpu = measured["cpu_s"]["per_student"]
    return {
        "guarantee_mb": guarantee,
        "limit_mb": limit,
        "students_per_node": per_node,
        "students_single_machine": single,
        "cpu_s_per_student_start": cpu,
        "cores_for_30_in_120s": -(-round(cpu * 30 * 10) // (CLASS_START_TARGET_S * 10)),
    }


def figures_block(report: dict) -> str:
    """The machine-readable block docs/hub.md carries: measured figures and their sizing."""
    f = report["figures"]
    keep = (
        "students",
        "ok",
        "errors",
        "cores",
        "wall_s",
        "login_s",
        "ready_s",
        "pulled_s",
        "first_chart_s",
        "notebook_done_s",
        "widget_s",
        "memory_mb",
        "cpu_s",
        "date",
        "notebook",
    )
    measured = {k: f[k] for k in keep}
    return json.dumps({"measured": measured, "sizing": sizing(measured)}, indent=1)


def format_figures(f: dict) -> str:
    """A short human-readable summary of the figures."""
    m = f["memory_mb"]
    return (
        f"students {f['students']}: {f['ok']} ok, {f['errors']} errors, wall {f['wall_s']} s\n"
        f"login -> first chart: p50 {f['first_chart_s']['p50']} s, p95 {f['first_chart_s']['p95']} s "
        f"(server ready p95 {f['ready_s']['p95']} s, pulled p95 {f['pulled_s']['p95']} s, "
        f"notebook done p95 {f['notebook_done_s']['p95']} s, widget round trip p95 {f['widget_s']['p95']} s)\n"
        f"memory: per student p50 {m['per_user_p50']} MB, max {m['per_user_max']} MB; hub+proxy+culler "
        f"{m['hub_proxy_culler']} MB; total peak {m['total_peak']} MB\n"
        f"CPU: {f['cpu_s']['total']} CPU-s in the hub's processes after its start, {f['cpu_s']['per_student']} per student "
        f"({f['cores']} cores)"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: ``serve`` or ``load`` (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fig = sub.add_parser(
        "figures", help="print the docs/hub.md figures block for a hub-load --json report"
    )
    fig.add_argument("report")
    for command in ("serve", "load"):
        p = sub.add_parser(command)
        p.add_argument(
            "--collection",
            default=STUDENT_EDITION,
            help=f"what the nbgitpuller link pulls: {STUDENT_EDITION} (the default: tools/edition.py's "
            "student edition, no teacher guide, no model answers), a folder (e.g. . for this "
            "repository's HEAD) or a git URL",
        )
    s = sub.choices["serve"]
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--ip", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument(
        "--state", default=str(ROOT / "build" / "hub"), help="folder for the database and homes"
    )
    s.add_argument(
        "--password", default="", help="class password (default: HUB_PASSWORD or a random one)"
    )
    s.add_argument(
        "--cull-timeout", type=int, default=3600, help="stop servers idle this many seconds"
    )
    ld = sub.choices["load"]
    ld.add_argument("--students", "-n", type=int, default=3)
    ld.add_argument(
        "--notebook", default=DEFAULT_NOTEBOOK, help="notebook to run, relative to the collection"
    )
    ld.add_argument("--json", default="", help="write the figures and per-student results here")
    ld.add_argument(
        "--timeout", type=float, default=600.0, help="seconds one student may take in all"
    )
    ld.add_argument(
        "--ramp", type=float, default=0.0, help="spread the logins over this many seconds"
    )
    ld.add_argument(
        "--keep",
        default="",
        help="run the hub in this new folder and keep it (the students' homes)",
    )
    ld.add_argument(
        "--http-timeout", type=int, default=240, help="Spawner.http_timeout for the test hub"
    )
    ld.add_argument(
        "--start-timeout", type=int, default=300, help="Spawner.start_timeout for the test hub"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "figures":
            print(figures_block(json.loads(Path(args.report).read_text(encoding="utf-8"))))
            return 0
        return serve(args) if args.command == "serve" else load(args)
    except HubError as exc:
        print(f"hub: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
