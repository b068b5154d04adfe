"""A real JupyterHub serves a small class (tools/hub/hub.py, tools/hub/jupyterhub_config.py).

The end-to-end test starts JupyterHub (PyPI) with configurable-http-proxy (npm, in
tools/hub/node_modules: ``npm ci --prefix tools/hub``), the shared-password authenticator, the
local process spawner, nbgitpuller and the idle culler, then three simulated students log in,
pull the student edition (tools/edition.py, served from a local git repository) with
nbgitpuller, run a notebook over the kernel websocket and change a widget. Their homes are kept
and searched afterwards: notebooks, no teacher guide, no model answer. It is the N=3 version of
``make hub-load N=30`` and takes about 15-25 s on 2 cores.
"""

from __future__ import annotations

import csv
import json
import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from answer_leaks import answers_in_folder

ROOT = Path(__file__).resolve().parents[1]
HUB_TOOL = ROOT / "tools" / "hub" / "hub.py"
hub = runpy.run_path(str(HUB_TOOL), run_name="hub_under_test")


@pytest.mark.slow
def test_three_students_log_in_pull_run_a_notebook_and_change_a_widget(tmp_path):
    report_path = tmp_path / "hub-load.json"
    kept = tmp_path / "hub"
    done = subprocess.run(
        [
            sys.executable,
            str(HUB_TOOL),
            "load",
            "--students",
            "3",
            "--json",
            str(report_path),
            "--keep",
            str(kept),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"hub-load failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    figures, students = report["figures"], report["students"]
    assert figures["errors"] == 0 and figures["ok"] == 3, students
    assert figures["every_student_saw_a_chart"]
    assert figures["culler_running"], "the idle culler service did not run"
    assert len(students) == 3 and len({s["name"] for s in students}) == 3
    for student in students:
        assert student["steps"][-1] == "done", student
        assert student["charts"] > 0 and student["widget_update"], student
        # The steps happen in order: login, server ready, pulled, first chart, notebook done.
        order = [
            student[k]
            for k in ("login_s", "ready_s", "pulled_s", "first_chart_s", "notebook_done_s")
        ]
        assert order == sorted(order) and order[0] > 0, student
    memory = figures["memory_mb"]
    # A student's server + kernel with pandas and matplotlib loaded is well above 100 MB.
    assert 100 < memory["per_user_p50"] <= memory["per_user_max"] < 2000, memory
    assert memory["total_peak"] >= 3 * memory["per_user_p50"] + memory["hub_proxy_culler"] * 0.5, (
        memory
    )
    assert figures["first_chart_s"]["p50"] <= figures["first_chart_s"]["p95"]
    assert figures["cpu_s"]["per_student"] > 1.0
    assert "login -> first chart" in done.stdout
    # deploy/config.yaml's memory (docs/hub.md): a typical student fits the guarantee, and no
    # student, even with a transient peak (JupyterLab's Node check while the kernel starts),
    # reaches the limit at which Kubernetes would kill their kernel.
    docs = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    block = json.loads(
        re.search(r"<!-- hub-figures -->\s*```json\n(.*?)\n```", docs, re.S).group(1)
    )
    assert memory["per_user_p50"] <= block["sizing"]["guarantee_mb"], (memory, block["sizing"])
    assert memory["per_user_max"] < block["sizing"]["limit_mb"], (memory, block["sizing"])

    # What they pulled is the student edition: their file browser lists the notebooks and no
    # teacher folder, and their kernel reads the pulled data, which has no model answer.
    for student in students:
        pulled = kept / "users" / student["name"] / hub["TARGET"]
        assert {"notebooks", "data", "lib", "README.md"} <= set(student["pulled"]), student
        assert "teacher" not in student["pulled"] and "tests" not in student["pulled"], student
        assert student["data_dir"] == str((pulled / "data").resolve()), student
        assert student["solutions_in_kernel"] == 0, student
    _assert_student_edition(kept / "users" / students[0]["name"] / hub["TARGET"])


def _assert_student_edition(pulled: Path) -> None:
    """A pulled folder holds every lesson notebook, no teacher material and no model answer."""
    with (ROOT / "notebooks" / "lessons.toml").open("rb") as handle:
        lessons = [lesson["file"] for lesson in tomllib.load(handle)["lesson"]]
    assert sorted(p.name for p in (pulled / "notebooks").glob("*.ipynb")) == sorted(lessons)
    files = [p for p in pulled.rglob("*") if ".git" not in p.relative_to(pulled).parts]
    assert not [
        p for p in files if re.search(r"teacher|answer[-_ ]?keys?", p.name) or p.name == "tests"
    ]
    with (pulled / "data" / "exercises.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["prompt"] and not row["solution"] for row in rows)
    assert answers_in_folder(pulled, [p for p in files if p.is_file()], ROOT / "data") == {}


#: The test hub's idle timeout (s): the culler checks every CULL_TIMEOUT // 2 seconds.
CULL_TIMEOUT = 4


@pytest.mark.slow
def test_the_idle_culler_stops_a_server_nobody_uses(tmp_path):
    """The culler service runs with the scopes it needs: an idle server disappears, and only
    once it has been idle for the timeout."""
    import asyncio
    import concurrent.futures
    import datetime as dt
    import time

    import aiohttp

    class_hub = hub["Hub"](tmp_path, http_timeout=90, start_timeout=120, cull_timeout=CULL_TIMEOUT)

    async def idle_student() -> tuple[str, dt.datetime] | None:
        """(the server's last activity, when its stop began), or None if it stayed."""
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as web:
            auth = await hub["log_in"](web, class_hub.url, "idle-student", class_hub.password)
            await hub["start_server"](web, class_hub.url, "idle-student", auth, 120)
            servers = await hub["user_servers"](web, class_hub.url, "idle-student", auth)
            deadline = time.monotonic() + 120
            stopping = None
            while servers and time.monotonic() < deadline:
                # The culler's stop begins when the server is pending "stop" (or gone, if no
                # poll saw that): the server's own shut-down time is not idle time.
                if stopping is None and servers[""].get("pending") == "stop":
                    stopping = dt.datetime.now(dt.UTC)
                if stopping is None:
                    last_activity = servers[""]["last_activity"]
                await asyncio.sleep(0.25)
                servers = await hub["user_servers"](web, class_hub.url, "idle-student", auth)
            return None if servers else (last_activity, stopping or dt.datetime.now(dt.UTC))

    try:
        class_hub.wait_ready()
        # In a thread of its own: the browser tests' Playwright may run a loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            culled = thread.submit(asyncio.run, idle_student()).result()
    finally:
        class_hub.stop()
    assert culled is not None, f"the idle server was not culled:\n{class_hub.log_tail()}"
    # Culled for being idle, not at once: stopped no sooner than the timeout after its last
    # activity.
    last_activity, stopping = culled
    idle = stopping - dt.datetime.fromisoformat(last_activity.replace("Z", "+00:00"))
    assert idle.total_seconds() >= CULL_TIMEOUT, (last_activity, stopping)
    log = class_hub.log_path.read_text(encoding="utf-8")
    said = re.search(r"Culling server idle-student \(inactive for (\d+):(\d+):(\d+)\)", log)
    assert said, log[-3000:]
    hours, minutes, seconds = map(int, said.groups())
    assert hours * 3600 + minutes * 60 + seconds >= CULL_TIMEOUT, said.group(0)
    assert "DELETE /hub/api/users/idle-student/server (idle-culler@" in log


def test_the_student_edition_is_built_and_served_from_a_local_git_repository(tmp_path):
    url, branch = hub["collection_url"](hub["STUDENT_EDITION"], tmp_path / "work")
    assert url == (tmp_path / "work" / f"{hub['TARGET']}.git").as_uri() and branch == "main"
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, str(clone)], check=True
    )
    _assert_student_edition(clone)


def test_a_new_snapshot_is_a_commit_on_top_so_students_can_pull_the_change(tmp_path):
    folder = tmp_path / "edition"
    (folder / "notebooks").mkdir(parents=True)
    (folder / "notebooks" / "a.ipynb").write_text("{}", encoding="utf-8")
    (folder / "old.txt").write_text("old", encoding="utf-8")
    url, branch = hub["collection_url"](str(folder), tmp_path / "work")
    student = tmp_path / "student"
    subprocess.run(["git", "clone", "--quiet", "--branch", branch, url, str(student)], check=True)
    (folder / "old.txt").unlink()
    (folder / "notebooks" / "b.ipynb").write_text("{}", encoding="utf-8")
    assert hub["collection_url"](str(folder), tmp_path / "work") == (url, branch)
    subprocess.run(["git", "-C", str(student), "pull", "--quiet", "--ff-only"], check=True)
    assert sorted(p.name for p in student.rglob("*") if ".git" not in p.parts and p.is_file()) == [
        "a.ipynb",
        "b.ipynb",
    ]
    # Publishing the same files again adds no commit.
    hub["collection_url"](str(folder), tmp_path / "work")
    count = subprocess.run(
        ["git", "--git-dir", url.removeprefix("file://"), "rev-list", "--count", "main"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert count == "2"


def test_a_plain_folder_becomes_a_git_repository_nbgitpuller_can_clone(tmp_path):
    """``--collection build/student-edition`` (no .git) is served as a one-commit snapshot."""
    edition = tmp_path / "edition"
    (edition / "notebooks").mkdir(parents=True)
    (edition / "notebooks" / "a.ipynb").write_text("{}", encoding="utf-8")
    url, branch = hub["collection_url"](str(edition), tmp_path / "work")
    assert url.startswith("file://") and branch == "main"
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", "--branch", branch, url, str(clone)], check=True
    )
    assert (clone / "notebooks" / "a.ipynb").read_text(encoding="utf-8") == "{}"


def _tree(repo: str, ref: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, "rev-parse", f"{ref}^{{tree}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


@pytest.mark.slow  # copies the whole repository with its history
def test_this_repository_is_served_at_its_committed_head(tmp_path):
    url, branch = hub["collection_url"](str(ROOT), tmp_path)
    assert _tree(url.removeprefix("file://"), branch) == _tree(str(ROOT), "HEAD")


@pytest.mark.slow  # copies the whole repository with its history
def test_a_shallow_clone_as_in_ci_is_served_with_the_same_files(tmp_path):
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", ROOT.as_uri(), str(shallow)], check=True
    )
    url, branch = hub["collection_url"](str(shallow), tmp_path / "work")
    assert _tree(url.removeprefix("file://"), branch) == _tree(str(shallow), "HEAD")


def test_a_git_url_is_used_as_it_is_and_a_missing_folder_is_a_clear_error(tmp_path):
    assert hub["collection_url"]("git://example.org/x.git", tmp_path) == (
        "git://example.org/x.git",
        "main",
    )
    with pytest.raises(hub["HubError"], match="neither a folder nor a git URL"):
        hub["collection_url"](str(tmp_path / "missing"), tmp_path)


def test_the_nbgitpuller_link_pulls_into_one_folder_and_opens_the_notebook():
    link = hub["nbgitpuller_link"]("http://127.0.0.1:8000/", "file:///srv/c.git", "main")
    parsed = urlparse(link)
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    assert query == {
        "repo": "file:///srv/c.git",
        "branch": "main",
        "targetpath": hub["TARGET"],
        "urlpath": f"lab/tree/{hub['TARGET']}/{hub['DEFAULT_NOTEBOOK']}",
    }
    assert (ROOT / hub["DEFAULT_NOTEBOOK"]).exists()


def test_percentiles_use_the_nearest_rank():
    assert hub["percentile"]([], 50) is None
    assert hub["percentile"]([3.0, 1.0, 2.0], 50) == 2.0
    assert hub["percentile"](list(range(1, 21)), 95) == 19
    assert hub["percentile"](list(range(1, 101)), 95) == 95


def test_the_proxy_comes_from_the_committed_npm_lock():
    package = json.loads((ROOT / "tools" / "hub" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "tools" / "hub" / "package-lock.json").read_text(encoding="utf-8"))
    wanted = package["dependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), "pin configurable-http-proxy exactly"
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == wanted


def test_the_hub_config_refuses_to_start_without_a_class_password(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HUB_STATE": str(tmp_path),
        "HUB_VENV": sys.prefix,
        "HUB_PASSWORD": "short",
    }
    code = (
        f"import runpy; runpy.run_path({str(hub['CONFIG'])!r}, init_globals={{'get_config': dict}})"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    assert "set HUB_PASSWORD to the class password (8 characters or more)" in done.stderr, (
        done.stderr
    )
