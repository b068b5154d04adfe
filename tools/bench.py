"""Benchmark: what the collection costs on this machine, each figure against its budget.

    python tools/bench.py [--repeat N] [--skip-suite] [--out docs/benchmarks.md]

Prints ONE table (figure, measured, budget, PASS/FAIL) and writes the same table to
``docs/benchmarks.md``. Exits 1 when a budget is missed, 2 when a notebook cell fails (one
line naming notebook and cell; nothing written). Comparisons are ratios taken in the same
run (machines are noisy); times are medians of ``--repeat`` runs, widget times p95 of many
updates. ``--skip-suite`` leaves out the two timings of the test suite (minutes long).
Not part of ``make test``: no test asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import os
import platform
import re
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
IMPORT_RATIO = 1.10
LOAD_S = 0.2
SUITE_S = {"make test": 120.0, "make test-fast": 30.0}

# The floor: a kernel that starts and imports what any notebook of this kind imports.
FLOOR_CODE = "import pandas, matplotlib.pyplot, ipywidgets\n"
# VmHWM: the peak resident set of this process image (ru_maxrss survives exec, so a kernel
# forked from a big process would report its parent's size).
RSS_CODE = (
    "import re as _re\n"
    "print('PEAK_RSS_KB', _re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
)


@dataclass
class Row:
    figure: str
    measured: str
    budget: str
    ok: bool | None  # None: not checked (skipped)

    @property
    def verdict(self) -> str:
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
    return {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}


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


def _run_notebook(nb, name: str) -> tuple[float, int]:
    """Execute a notebook in a fresh kernel: (wall seconds from kernel start to the end of
    its last cell, peak RSS of the kernel in kB, read by one extra cell)."""
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
    return elapsed, int(text.split("PEAK_RSS_KB", 1)[1].split()[0])


def bench_notebooks(table: Table, repeat: int) -> None:
    import nbformat

    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)])
    floor_nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        times, floors, rss = [], [], []
        for _ in range(repeat):  # interleaved, so both see the same machine
            elapsed, peak = _run_notebook(nb, path.name)
            times.append(elapsed)
            rss.append(peak)
            floors.append(_run_notebook(floor_nb, "the floor notebook")[0])
        t, f = statistics.median(times), statistics.median(floors)
        table.add(
            f"notebook {path.stem}: time / floor",
            f"{t / f:.2f}× ({t:.2f} s / {f:.2f} s)",
            f"≤ {NOTEBOOK_RATIO}×",
            t / f <= NOTEBOOK_RATIO,
        )
        mb = max(rss) / 1024
        table.add(
            f"notebook {path.stem}: kernel peak RSS",
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
    timed(base)  # warm the file cache
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


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bench_environment(table: Table) -> None:
    """Disk used by the runtime lock's distributions: the files pip installed for them (their
    RECORD) without bytecode, plus the bytecode that exists for their modules, whether pip
    compiled it at install or Python wrote it on first import (``pip install --no-compile``)."""
    import importlib.util
    from importlib import metadata

    lock = ROOT / "requirements" / "runtime.lock"
    pins = [
        line.split("==")[0].strip()
        for line in lock.read_text(encoding="utf-8").splitlines()
        if "==" in line.split("#")[0]
    ]
    dists = {_norm(d.metadata["Name"]): d for d in metadata.distributions()}
    missing = [p for p in pins if _norm(p) not in dists]
    files = bytecode = 0
    for pin in pins:
        dist = dists.get(_norm(pin))
        for file in (dist.files or []) if dist else []:
            path = Path(dist.locate_file(file))
            if path.suffix == ".pyc":
                continue
            for target, is_bytecode in (
                (path, False),
                (Path(importlib.util.cache_from_source(path)), True),
            ):
                if is_bytecode and path.suffix != ".py":
                    continue
                try:
                    size = target.stat().st_size
                except OSError:
                    continue
                files += 0 if is_bytecode else size
                bytecode += size if is_bytecode else 0
    mb = (files + bytecode) / 2**20
    note = f"{len(pins)} packages; {bytecode / 2**20:.0f} MB of it bytecode"
    note += f"; not installed here: {', '.join(missing)}" if missing else ""
    table.add(
        "runtime environment (requirements/runtime.lock) on disk",
        f"{mb:.0f} MB ({note})",
        f"≤ {ENV_MB:.0f} MB",
        mb <= ENV_MB and not missing,
    )


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
        start = time.perf_counter()
        result = subprocess.run(
            target.split(), cwd=ROOT, env=_env(), capture_output=True, text=True, check=False
        )
        elapsed = time.perf_counter() - start
        last = ([line for line in result.stdout.splitlines() if line.strip()] or [""])[-1].strip(
            "= "
        )
        table.add(
            f"`{target}` wall time",
            f"{elapsed:.0f} s (exit {result.returncode}: {last})",
            f"≤ {budget:.0f} s",
            elapsed <= budget and result.returncode == 0,
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per notebook and floor (median)"
    )
    parser.add_argument(
        "--skip-suite", action="store_true", help="do not time `make test` and `make test-fast`"
    )
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)

    table = Table()
    try:
        bench_environment(table)
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
    lines = [
        "# Benchmarks",
        "",
        (
            f"Last run: {_dt.date.today().isoformat()} on {os.cpu_count()} cores "
            f"({platform.processor() or platform.machine()}), Python {platform.python_version()}, "
            f"`{command}`. Regenerate with `make bench`."
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
            f"it (median of {args.repeat} interleaved runs). Peak RSS is the kernel's `VmHWM` after its "
            "last cell: what a JupyterHub must give each student per open notebook. A widget update is "
            "one control change until the Output holds the new view (p95 over every value of the control, "
            "repeated; the budget applies to wall time, the CPU time of this process is shown beside it, "
            "as the two differ on a busy machine); 100× data are synthetic copies of the shipped tables "
            "(`tools/synthetic.py`). The runtime environment is the sum of the files "
            "pip installed for each distribution pinned in `requirements/runtime.lock` and of the bytecode "
            "present for their modules (compiled at install, or written by Python on first import)."
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
