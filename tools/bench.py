"""Benchmark: what the collection costs on this machine, each figure against its budget.

    python tools/bench.py [--repeat N] [--skip-suite] [--pip-cache DIR] [--find-links DIR]
                          [--out docs/benchmarks.md]

Prints ONE table (figure, measured, budget, PASS/FAIL) and writes the same table to
``docs/benchmarks.md``. Exits 1 when a budget is missed, 2 when a notebook cell fails (one
line naming notebook and cell; nothing written). Comparisons are ratios taken in the same
run (machines are noisy); times are medians of ``--repeat`` runs, widget times p95 of many
updates. ``--skip-suite`` leaves out the two timings of the test suite (minutes long).
The runtime environment is measured by installing it as ``make lab`` does into a throwaway
venv (a minute or two; ``--pip-cache``/``--find-links`` point pip at a cache or wheelhouse).
Not part of ``make test``: no test asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import os
import platform
import re
import stat
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

NOTEBOOK_RATIO = 1.3  # notebook wall time / floor
KERNEL_RSS_MB = 200.0
WIDGET_P95_MS = {1: 50.0, 100: 250.0}  # data factor -> budget
ENV_MB = 400.0
PACKAGE_LINES = 4500  # issue 16: lines of text in lib/cambodia_russia
IMPORT_RATIO = 1.10
LOAD_S = 0.2
SUITE_S = {"make test": 120.0, "make test-fast": 30.0}
CORES = os.cpu_count() or 1

NO_BUDGET = "none (context)"

# The floor: a kernel that starts and imports what any notebook of this kind imports.
FLOOR_CODE = "import pandas, matplotlib.pyplot, ipywidgets\n"
# The least a period lesson holds by the collection's own rules: its checked tables (loaded
# and checked on every load), a pandas selection and a matplotlib chart in plain sight
# (issue 16), the timeline explorer with its static first view, a quiz. Timed like a
# lesson, with no budget of its own: the share of the 1.3x that such a lesson leaves.
LEAST_LESSON = (
    "import matplotlib.pyplot as plt\n"
    "from cambodia_russia import Quiz, TimelineExplorer, load_all, show_figure",
    "tables = load_all()",
    "events = tables.events[tables.events['period'] == 'sihanouk_1955_1970']\n"
    "counts = events['category'].value_counts(ascending=True)\n"
    "fig, ax = plt.subplots(figsize=(9, 3.5), layout='constrained')\n"
    "ax.barh(counts.index.astype(str), counts.values)\n"
    "show_figure(fig, 'Bar chart of the events of 1955-1970 per category')",
    "TimelineExplorer(tables, period='sihanouk_1955_1970')",
    "Quiz('01_sihanouk_1955_1970', tables)",
)
# VmHWM: the peak resident set of this process image (ru_maxrss survives exec, so a kernel
# forked from a big process would report its parent's size). CPU: the kernel's own user and
# system time since it started (less sensitive than wall time to other work on the machine).
RSS_CODE = (
    "import re as _re, resource as _rs\n"
    "print('PEAK_RSS_KB', _re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
    "_u = _rs.getrusage(_rs.RUSAGE_SELF)\n"
    "print('CPU_S', _u.ru_utime + _u.ru_stime)\n"
)


@dataclass
class Row:
    figure: str
    measured: str
    budget: str
    ok: bool | None  # None: not checked (skipped), or a figure without a budget

    @property
    def verdict(self) -> str:
        if self.budget == NO_BUDGET:
            return "context"
        return "skipped" if self.ok is None else "PASS" if self.ok else "**FAIL**"


class Table:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, figure: str, measured: str, budget: str, ok: bool | None) -> None:
        row = Row(figure, measured, budget, ok)
        self.rows.append(row)
        print(f"  {figure}: {measured} (budget {budget}) {row.verdict}", flush=True)

    def markdown(self) -> list[str]:
        lines = ["| figure | measured | budget | verdict |", "|---|---:|---:|:-:|"]
        return lines + [
            f"| {r.figure} | {r.measured} | {r.budget} | {r.verdict} |" for r in self.rows
        ]

    @property
    def missed(self) -> list[str]:
        return [r.figure for r in self.rows if r.ok is False]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _env() -> dict[str, str]:
    """The environment of what is measured, as on a class's machine: no MPLBACKEND, and
    Python writes the bytecode of what it imports. Some machines (this one's sandbox) set
    ``PYTHONDONTWRITEBYTECODE``: every kernel would then compile pandas and matplotlib
    again, and the floor take 2.3 s instead of 0.8 s."""
    drop = {"MPLBACKEND", "PYTHONDONTWRITEBYTECODE"}
    return {k: v for k, v in os.environ.items() if k not in drop}


# --- notebooks: wall time against the floor, kernel memory -----------------------------


def lessons() -> list[Path]:
    """The students' notebooks, in the order of ``notebooks/lessons.toml`` (the teacher
    guide is run by teachers, not in class, and is not measured)."""
    registry = tomllib.loads((NOTEBOOKS / "lessons.toml").read_text(encoding="utf-8"))
    return [
        NOTEBOOKS / lesson["file"]
        for lesson in registry["lesson"]
        if (NOTEBOOKS / lesson["file"]).exists()
    ]


class NotebookFailed(Exception):
    def __init__(self, name: str, cell: int, what: str):
        super().__init__(
            f"{name}, cell {cell}: {what}. The benchmark stopped; run "
            f"`python tools/notebooks.py execute {name}` to see the whole error."
        )


def _run_notebook(nb, name: str) -> tuple[float, int, float]:
    """Execute a notebook in a fresh kernel: (wall seconds from kernel start to the end of
    its last cell; peak RSS of the kernel in kB and its CPU seconds, read by one extra cell)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import (
        CellExecutionError,
        CellTimeoutError,
        DeadKernelError,
    )

    nb = nbformat.from_dict(nb)
    nb.cells.append(nbformat.v4.new_code_cell(RSS_CODE))
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}
    )
    client.km = client.create_kernel_manager()
    index = 0
    start = time.perf_counter()
    try:
        with client.setup_kernel(env=_env()):
            for index, cell in enumerate(nb.cells[:-1]):
                client.execute_cell(cell, index)
            elapsed = time.perf_counter() - start
            index = len(nb.cells) - 1
            client.execute_cell(nb.cells[-1], index)
    except CellExecutionError as error:
        what = f"{error.ename}: {error.evalue}" if error.ename else "the cell raised an error"
        raise NotebookFailed(name, index + 1, " ".join(what.split())[:300]) from None
    except CellTimeoutError:
        raise NotebookFailed(name, index + 1, "the cell did not finish within 300 s") from None
    except DeadKernelError:
        raise NotebookFailed(name, index + 1, "the kernel died") from None
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    return (
        elapsed,
        int(text.split("PEAK_RSS_KB", 1)[1].split()[0]),
        float(text.split("CPU_S", 1)[1].split()[0]),
    )


def bench_notebooks(table: Table, repeat: int) -> None:
    import nbformat

    def notebook(*sources: str):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        nb.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        return nb

    floor_nb = notebook(FLOOR_CODE)

    def against_floor(nb, name: str) -> tuple[float, str, list[int]]:
        """Runs of ``nb`` and the floor, interleaved so both see the same machine:
        (time / floor, the figures in words, peak RSS of each run)."""
        times, floors, rss, cpu, floor_cpu = [], [], [], [], []
        for _ in range(repeat):
            elapsed, peak, seconds = _run_notebook(nb, name)
            times.append(elapsed)
            rss.append(peak)
            cpu.append(seconds)
            elapsed, _peak, seconds = _run_notebook(floor_nb, "the floor notebook")
            floors.append(elapsed)
            floor_cpu.append(seconds)
        t, f = statistics.median(times), statistics.median(floors)
        c = statistics.median(cpu) / statistics.median(floor_cpu)
        return t / f, f"{t / f:.2f}× ({t:.2f} s / {f:.2f} s; kernel CPU {c:.2f}×)", rss

    least = notebook(*LEAST_LESSON)
    measured_notebooks = [(path.name, nbformat.read(path, as_version=4)) for path in lessons()]
    # Each runs once first, unmeasured, as a teacher tries a lesson before the class: Python
    # writes the bytecode of what it imports (``make lab`` installs with --no-compile).
    for name, nb in [("the floor notebook", floor_nb), ("the least lesson", least)]:
        _run_notebook(nb, name)
    for name, nb in measured_notebooks:
        _run_notebook(nb, name)
    _ratio, measured, _rss = against_floor(least, "the least lesson")
    table.add(
        "the least a period lesson holds (LEAST_LESSON): time / floor", measured, NO_BUDGET, None
    )
    for name, nb in measured_notebooks:
        ratio, measured, rss = against_floor(nb, name)
        stem = Path(name).stem
        table.add(
            f"notebook {stem}: time / floor",
            measured,
            f"≤ {NOTEBOOK_RATIO}×",
            ratio <= NOTEBOOK_RATIO,
        )
        mb = max(rss) / 1024
        table.add(
            f"notebook {stem}: kernel peak RSS",
            f"{mb:.0f} MB",
            f"≤ {KERNEL_RSS_MB:.0f} MB",
            mb <= KERNEL_RSS_MB,
        )


# --- widgets: one control change to a redrawn Output --------------------------------------


def widget_actions(tables) -> dict[str, list]:
    """{name: callables that each change one control} for every widget of the package."""
    from cambodia_russia.widgets import (
        PeriodStepper,
        Quiz,
        Reveal,
        SourceComparer,
        SourceReader,
        TimelineExplorer,
    )

    def setter(control, values):
        return [functools.partial(setattr, control, "value", v) for v in values]

    explorer = TimelineExplorer(tables)
    words = ["Moscow", "Hun Sen", "1956", "Sihanouk", "vote", "aid", "embassy", ""]
    actions = {
        "TimelineExplorer (period)": setter(
            explorer.period, [v for _, v in explorer.period.options] * 3
        ),
        "TimelineExplorer (category)": setter(
            explorer.category, [v for _, v in explorer.category.options] * 2
        ),
        "TimelineExplorer (search)": setter(explorer.search, words * 2),
    }
    stepper = PeriodStepper(tables)
    actions["PeriodStepper (next/previous)"] = (
        [stepper.next.click] * 5 + [stepper.previous.click] * 5
    ) * 3
    comparer = SourceComparer(tables)
    topics = [o[1] if isinstance(o, tuple) else o for o in comparer.topic.options]
    actions["SourceComparer (topic)"] = setter(comparer.topic, topics * 2)
    notebook = sorted(set(tables.quiz["notebook"]))[1]
    quiz = Quiz(notebook, tables)
    qid = next(
        r.id for r in tables.quiz.itertuples() if r.notebook == notebook and r.kind == "choice"
    )

    def answer(option):
        return lambda: (setattr(quiz.controls[qid], "value", option), quiz.check(qid))

    actions["Quiz (answer and check)"] = [
        answer(o) for o in list(tables.quiz.set_index("id").loc[qid, "options"]) * 10
    ]
    reveal = Reveal("**Model answer.** " + "text " * 200)
    actions["Reveal (toggle)"] = [
        lambda: setattr(reveal.button, "value", not reveal.button.value)
    ] * 40
    reader = SourceReader(tables)
    actions["SourceReader (paragraph)"] = setter(
        reader.paragraph, [*range(2, min(reader.paragraph.max, 21) + 1), 1]
    )
    return actions


def bench_widgets(table: Table) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from cambodia_russia.tables import load_all
    from synthetic import scaled_copy

    with tempfile.TemporaryDirectory() as tmp:
        for factor, budget in WIDGET_P95_MS.items():
            tables = load_all(
                None if factor == 1 else scaled_copy(factor, Path(tmp) / f"x{factor}")
            )
            label = (
                "shipped data" if factor == 1 else f"{factor}× data ({len(tables.events)} events)"
            )
            for name, acts in widget_actions(tables).items():
                acts[0]()  # warm-up
                samples, cpu = [], []
                for act in acts:
                    start, start_cpu = time.perf_counter(), time.process_time()
                    act()
                    samples.append((time.perf_counter() - start) * 1000)
                    cpu.append((time.process_time() - start_cpu) * 1000)
                p95 = _p95(samples)
                table.add(
                    f"widget {name}, {label}: update p95",
                    f"{p95:.1f} ms (p50 {statistics.median(samples):.1f}; CPU p95 {_p95(cpu):.1f})",
                    f"≤ {budget:.0f} ms",
                    p95 <= budget,
                )


# --- import cost and loading the data --------------------------------------------------


def bench_import(table: Table, repeat: int) -> None:
    def timed(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=_env())
        return time.perf_counter() - start

    base = "import pandas, matplotlib, matplotlib.pyplot"
    ours = (
        base
        + "\nimport cambodia_russia\nfrom cambodia_russia import load_all, show, timeline_chart"
    )
    timed(base)  # warm the file cache, and write the bytecode of both
    timed(ours)
    pairs = [(timed(base), timed(ours)) for _ in range(max(5, repeat * 3))]
    ratio = statistics.median(b for _, b in pairs) / statistics.median(a for a, _ in pairs)
    table.add(
        "import: package / pandas + matplotlib",
        f"{ratio:.3f}×",
        f"≤ {IMPORT_RATIO}×",
        ratio <= IMPORT_RATIO,
    )


def bench_data(table: Table, repeat: int) -> None:
    from cambodia_russia import tables as tables_module

    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        tables_module.load_all()
        samples.append(time.perf_counter() - start)
    med = statistics.median(samples)
    table.add(
        "load and check every table, shipped data", f"{med:.3f} s", f"≤ {LOAD_S} s", med <= LOAD_S
    )


# --- what `make lab` installs, and the test suite ---------------------------------------------


# What a kernel imports while the lessons run, so Python writes the bytecode a class needs
# (pip installs with --no-compile): every lesson notebook is executed once in the throwaway venv.
_WARM_CODE = r"""
import sys, tomllib
from pathlib import Path
import nbformat
from nbclient import NotebookClient
notebooks = Path(sys.argv[1])
for lesson in tomllib.loads((notebooks / "lessons.toml").read_text(encoding="utf-8"))["lesson"]:
    path = notebooks / lesson["file"]
    if path.exists():
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(notebooks)}}).execute()
"""


def _tree_bytes(root: Path) -> tuple[int, int]:
    """(bytes of every regular file under ``root``, of which bytecode), hard links once."""
    seen, total, bytecode = set(), 0, 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            info = os.lstat(os.path.join(folder, name))
            if stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
                bytecode += info.st_size if name.endswith(".pyc") else 0
    return total, bytecode


def _start_lab(jupyter: Path, env: dict[str, str], root: str) -> bool:
    """Start JupyterLab from ``jupyter`` as ``make lab`` does (so Python writes the server's
    bytecode too), wait until it answers, stop it. False when it never answered."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        str(jupyter),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={root}",
    ]
    command += ["--allow-root"] if os.geteuid() == 0 else []
    server = subprocess.Popen(
        command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=5):
                    return True
            except OSError:
                time.sleep(0.5)
        return False
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def bench_environment(table: Table, pip_args: list[str]) -> None:
    """What ``make lab`` installs, measured for real: a throwaway venv, the runtime lock with
    ``--no-compile`` and the package with ``--no-deps`` (as the Makefile does), every lesson
    run once in it and JupyterLab started once (Python writes the bytecode a class needs),
    then the venv's size on disk (every file, bytecode included) and its number of packages."""
    import venv
    from importlib import metadata

    figure = "runtime environment (`make lab`: requirements/runtime.lock) on disk"
    env = {
        k: v
        for k, v in _env().items()
        if k not in {"PYTHONPATH", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "VIRTUAL_ENV"}
        and not k.startswith("CAMBODIA_RUSSIA_")
    }
    print(
        "  runtime environment: installing it into a throwaway venv, then running it ...",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-runtime-venv-") as tmp:
        prefix = Path(tmp) / "venv"
        python = prefix / "bin" / "python"
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        venv.create(prefix, with_pip=True)
        for step in (
            [*pip, *pip_args, "--no-compile", "-r", str(ROOT / "requirements" / "runtime.lock")],
            [*pip, *pip_args, "--no-deps", "-e", str(ROOT)],
            [str(python), "-c", _WARM_CODE, str(NOTEBOOKS)],
        ):
            result = subprocess.run(
                step, env=env, cwd=tmp, capture_output=True, text=True, check=False
            )
            if result.returncode:
                last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
                what = "running the lessons" if "-c" in step else " ".join(step[3:])[-80:]
                table.add(
                    figure, f"not measured ({what} failed: {last})", f"≤ {ENV_MB:.0f} MB", False
                )
                return
        if not _start_lab(prefix / "bin" / "jupyter", env, tmp):
            table.add(
                figure, "not measured (JupyterLab did not start)", f"≤ {ENV_MB:.0f} MB", False
            )
            return
        total, bytecode = _tree_bytes(prefix)
        site = next(prefix.glob("lib/python*/site-packages"))
        packages = sum(1 for _ in metadata.distributions(path=[str(site)]))
    mb = total / 2**20
    table.add(
        figure,
        f"{mb:.0f} MB ({packages} packages; {bytecode / 2**20:.0f} MB of it bytecode, "
        "after JupyterLab and every lesson ran once)",
        f"≤ {ENV_MB:.0f} MB",
        mb <= ENV_MB,
    )


def _code_lines(source: str) -> int:
    """Lines of Python ``source`` that are neither blank, a comment nor part of a docstring."""
    import ast

    docs = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            docs.update(range(body[0].lineno, body[0].end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(source.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#") and number not in docs
    )


def bench_package_lines(table: Table) -> None:
    """Lines of every text file of the package (``wc -l``; bytecode and binary files left out)."""
    lines = files = code = 0
    for path in sorted((ROOT / "lib" / "cambodia_russia").rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        lines += data.count(b"\n")
        files += 1
        code += _code_lines(data.decode("utf-8")) if path.suffix == ".py" else 0
    table.add(
        "package size: lines in lib/cambodia_russia",
        f"{lines:,} lines ({files} text files; {code:,} of them code: not blank, comment "
        "or docstring)",
        f"≤ {PACKAGE_LINES:,}",
        lines <= PACKAGE_LINES,
    )


def _busy_cpu_s() -> float:
    """Seconds of CPU the whole machine has spent busy since boot (Linux ``/proc/stat``).
    A suite's processes are not all children that report back (JupyterLab's kernels,
    Chromium, the hub's servers), so the machine's count is the one that sees them all."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks[:7]) - idle) / os.sysconf("SC_CLK_TCK")  # steal (8th) is not ours


def bench_suite(table: Table, skip: bool) -> None:
    for target, budget in SUITE_S.items():
        if skip:
            table.add(f"`{target}` wall time", "not run (--skip-suite)", f"≤ {budget:.0f} s", None)
            continue
        if subprocess.run(
            ["make", "-n", target.split()[1]], cwd=ROOT, capture_output=True, check=False
        ).returncode:
            table.add(f"`{target}` wall time", "no such make target", f"≤ {budget:.0f} s", False)
            continue
        start, before = time.perf_counter(), _busy_cpu_s()
        result = subprocess.run(
            target.split(), cwd=ROOT, env=_env(), capture_output=True, text=True, check=False
        )
        elapsed, cpu = time.perf_counter() - start, _busy_cpu_s() - before
        # pytest's summary line ("1189 passed in 342.1s"), not make's last word
        summary = [
            line for line in result.stdout.splitlines() if re.match(r"^=+ .* in [\d.]+s", line)
        ]
        last = (summary or [""])[-1].strip("= ")
        table.add(
            f"`{target}` wall time",
            f"{elapsed:.0f} s (exit {result.returncode}: {last}; {cpu:.0f} CPU-s, "
            f"{cpu / (elapsed * CORES):.0%} of {CORES} cores: at least {cpu / CORES:.0f} s)",
            f"≤ {budget:.0f} s",
            elapsed <= budget and result.returncode == 0,
        )


def _versions() -> str:
    """The measuring environment: where it is and the versions that set the drawing speed."""
    from importlib import metadata

    where = Path(sys.prefix)
    where = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
    names = ("matplotlib", "pandas", "ipywidgets")
    return f"venv `{where}` (" + ", ".join(f"{n} {metadata.version(n)}" for n in names) + ")"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per notebook and floor (median)"
    )
    parser.add_argument(
        "--skip-suite", action="store_true", help="do not time `make test` and `make test-fast`"
    )
    parser.add_argument(
        "--pip-cache", metavar="DIR", help="pip's cache for the runtime venv (pip --cache-dir)"
    )
    parser.add_argument(
        "--find-links", metavar="DIR", help="a wheelhouse for the runtime venv (pip --find-links)"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    pip_args = [*(["--cache-dir", args.pip_cache] if args.pip_cache else [])]
    pip_args += ["--find-links", args.find_links] if args.find_links else []

    table = Table()
    load_before = os.getloadavg()[0]
    try:
        bench_environment(table, pip_args)
        bench_package_lines(table)
        bench_import(table, args.repeat)
        bench_data(table, args.repeat)
        bench_widgets(table)
        bench_notebooks(table, args.repeat)
        bench_suite(table, args.skip_suite)
    except NotebookFailed as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    command = (
        f"python tools/bench.py --repeat {args.repeat}{' --skip-suite' if args.skip_suite else ''}"
    )
    missed = table.missed
    load_after = os.getloadavg()[0]
    lines = [
        "# Benchmarks",
        "",
        (
            f"Last run: {_dt.date.today().isoformat()} on {os.cpu_count()} cores "
            f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
            f"{_versions()}, `{command}`; load average {load_before:.1f} at the start and "
            f"{load_after:.1f} at the end"
            + (
                " (above the number of cores, other work slowed the run: trust the CPU ratios "
                "more than the wall times). "
                if max(load_before, load_after) > (os.cpu_count() or 1)
                else ". "
            )
            + "Regenerate with `make bench`."
        ),
        "",
        *table.markdown(),
        "",
        (
            "Every budget holds."
            if not missed
            else f"{len(missed)} of {len(table.rows)} budgets missed."
        ),
        "",
        (
            "How each figure is taken: a notebook runs in a fresh kernel, from kernel start to its last "
            "cell; the floor is a kernel that only runs `"
            + FLOOR_CODE.strip()
            + "`, run right after "
            f"it (median of {args.repeat} interleaved runs), after one unmeasured run of each, so "
            "Python has written the bytecode of what they import, as on a class's machine "
            "(`make lab` installs with `--no-compile`); the budget applies to wall time, the "
            "kernel's own CPU time against the floor's is shown beside it (it varies less on a busy "
            "machine). Peak RSS is the kernel's `VmHWM` after its "
            "last cell: what a JupyterHub must give each student per open notebook. A widget update is "
            "one control change until the Output holds the new view (p95 over every value of the control, "
            "repeated; the budget applies to wall time, the CPU time of this process is shown beside it, "
            "as the two differ on a busy machine); 100× data are synthetic copies of the shipped tables "
            "(`tools/synthetic.py`). The runtime environment is installed as `make lab` does it, into a "
            "throwaway venv: `requirements/runtime.lock` with `--no-compile`, the package with "
            "`--no-deps`; JupyterLab then starts once and every lesson runs once in it, so Python "
            "writes the bytecode a class needs, and the figure is every file of that venv (pip and bytecode included). The "
            "package size counts the lines of every text file in `lib/cambodia_russia` (`wc -l`, "
            "no `__pycache__`). The least period lesson (`LEAST_LESSON` in `tools/bench.py`: "
            "the tables loaded and checked, one pandas selection with its matplotlib chart, the "
            "timeline explorer, a quiz) is timed like a lesson and has no budget: it shows what "
            "the content every period lesson must hold costs against the floor. A test suite's "
            "CPU time is what the whole machine spent busy during the run (pytest, its workers, "
            "kernels, JupyterLab, Chromium, the hub, and anything else running); divided by "
            "the cores, it is the shortest wall time the suite could have."
        ),
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(table.markdown()))
    print(
        f"\n{'Every budget holds' if not missed else 'Missed: ' + '; '.join(missed)}. Written to {out}."
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
