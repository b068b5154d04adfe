"""``make notebooks`` never loses an edit (issue 13).

* a generated cell a person edited stops ``sync`` with a message naming notebook and cell
  (``--force`` replaces the edit);
* notebooks are written only when their content changed, and atomically;
* executing runs the kernel in the notebook's folder, with this Python and without the
  caller's MPLBACKEND, and stores no widget state (re-executing an unchanged notebook keeps
  it byte for byte the same);
* ``tools/notebooks.py`` works on the copy it is run in, never on the installed package's
  folder;
* ``tools/bench.py`` reports a failing cell in one line naming notebook and cell.

The small notebooks come from the helpers of ``test_notebooks_meta.py``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import authoring
import test_notebooks_meta
from test_notebooks_meta import REGISTRY, code

ROOT = Path(__file__).resolve().parents[1]


# The small synced collection (built once per module) and a fresh copy of it per test.
synced = test_notebooks_meta.synced
collection = test_notebooks_meta.collection


@pytest.fixture
def folder(collection):
    """tmp_path/notebooks with lessons.toml and three synced notebooks (a fresh copy)."""
    return collection


def _cli(path: Path = ROOT / "tools" / "notebooks.py", name: str = "notebooks_cli"):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _edit(path: Path, change) -> None:
    nb = nbformat.read(str(path), as_version=4)
    change(nb)
    nbformat.write(nb, str(path))


# --------------------------------------------------------------------------- (a) hand edits


@pytest.mark.parametrize("index,kind", [(0, "header"), (-1, "footer")])
def test_an_edited_generated_cell_stops_sync_and_nothing_is_written(folder, index, kind):
    path = folder / "01_first.ipynb"

    def teacher_types(nb):
        nb.cells[index].source += "\n\nMy class meets in room 4."

    _edit(path, teacher_types)
    before = path.read_bytes()
    cells = len(nbformat.read(str(path), as_version=4).cells)
    number = 1 if index == 0 else cells
    with pytest.raises(authoring.EditedCellError) as caught:
        authoring.sync(path)
    assert str(caught.value).startswith(
        f"01_first.ipynb, cell {number}: the generated {kind} cell was edited by hand. "
        "Nothing was written."
    )
    assert "--force" in str(caught.value)
    assert path.read_bytes() == before


def test_an_edited_map_cell_stops_sync(folder):
    path = folder / "00_start.ipynb"
    _edit(path, lambda nb: setattr(nb.cells[2], "source", nb.cells[2].source + "\nExtra row"))
    with pytest.raises(
        authoring.EditedCellError, match=r"00_start.ipynb, cell 3: the generated map"
    ):
        authoring.sync(path)


def test_an_outdated_but_unedited_cell_is_refreshed(folder):
    """A change in lessons.toml is not an edit: the stored hash still matches the text."""
    registry = folder / "lessons.toml"
    registry.write_text(REGISTRY.replace("time = 50", "time = 55"), encoding="utf-8")
    path = folder / "01_first.ipynb"
    assert authoring.sync(path) is True
    nb = nbformat.read(str(path), as_version=4)
    assert "About 55 minutes." in nb.cells[0].source
    marker = nb.cells[0].metadata["cambodia_russia"]
    assert marker["sha256"] == hashlib.sha256(nb.cells[0].source.encode()).hexdigest()


def test_a_legacy_cell_without_hash_is_kept_when_it_differs(folder):
    path = folder / "01_first.ipynb"

    def legacy(nb):
        del nb.cells[0].metadata["cambodia_russia"]["sha256"]
        nb.cells[0].source = "# My own title"

    _edit(path, legacy)
    with pytest.raises(authoring.EditedCellError, match="cell 1: the generated header"):
        authoring.sync(path)


def test_force_replaces_the_edit(folder):
    path = folder / "01_first.ipynb"
    _edit(path, lambda nb: setattr(nb.cells[0], "source", "# Hand-made"))
    assert authoring.sync(path, force=True) is True
    assert authoring.sync(path) is False
    assert nbformat.read(str(path), as_version=4).cells[0].source.startswith("# First period")


def test_cli_sync_exits_1_naming_the_cell_and_force_fixes_it(folder, capsys):
    cli = _cli()
    path = folder / "01_first.ipynb"
    _edit(path, lambda nb: setattr(nb.cells[0], "source", "# Hand-made"))
    before = path.read_bytes()
    assert cli.main(["sync", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("01_first.ipynb, cell 1: the generated header cell was edited by hand")
    assert path.read_bytes() == before
    assert cli.main(["build", str(path)]) == 1  # build does not execute over an edit
    assert path.read_bytes() == before
    capsys.readouterr()
    assert cli.main(["sync", "--force", str(path)]) == 0
    assert capsys.readouterr().out.strip() == "updated 01_first.ipynb"


# --------------------------------------------------------------------------- (b, e) writing


def test_unchanged_notebook_is_not_rewritten(folder):
    path = folder / "01_first.ipynb"
    before = os.stat(path)
    assert authoring.sync(path) is False
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_writes_are_atomic(folder, monkeypatch):
    path = folder / "01_first.ipynb"
    _edit(path, lambda nb: nb.cells.pop(0))  # header missing: sync must write
    before = path.read_bytes()

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(authoring.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        authoring.sync(path)
    assert path.read_bytes() == before  # the notebook was never half written
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == []
    monkeypatch.undo()
    inode = os.stat(path).st_ino
    assert authoring.sync(path) is True
    assert os.stat(path).st_ino != inode  # replaced by a new file, not rewritten in place


# --------------------------------------------------------------------------- (c) widget state


def test_execute_runs_in_place_and_re_executing_an_unchanged_notebook_changes_no_byte(
    folder, monkeypatch
):
    """The kernel runs in the notebook's folder with this Python and without the caller's
    MPLBACKEND. Executing stores no widget state, no random model id and no timings, so a
    second run of an unchanged notebook writes nothing; the widget's view stays, empty, for
    the checks."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    path = folder / "01_first.ipynb"

    def probe_and_widget(nb):
        nb.cells[2].source = (
            "import os, sys\n"
            "print(os.getcwd())\n"
            "print(os.environ.get('MPLBACKEND'))\n"
            "print(sys.executable)"
        )
        nb.cells[4].source = (
            "import ipywidgets\nfrom IPython.display import HTML, display\n"
            "display(HTML('<p>first view</p>'))\nipywidgets.VBox([ipywidgets.IntSlider(value=3), "
            "ipywidgets.Output()])"
        )
        nb.cells[4].metadata["tags"] = ["nbval-ignore-output"]

    _edit(path, probe_and_widget)
    authoring.execute(path)
    first = path.read_bytes()
    nb = nbformat.reads(first.decode(), as_version=4)
    cwd, backend, executable = nb.cells[2].outputs[0]["text"].splitlines()
    assert Path(cwd) == folder.resolve()
    assert backend != "Agg"  # MPLBACKEND does not leak into the kernel
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    assert nb.metadata.kernelspec == authoring.KERNELSPEC
    assert "execution" not in nb.cells[2].metadata  # no timing metadata
    assert "widgets" not in nb.metadata
    static, view = nb.cells[4].outputs
    assert static["data"]["text/html"] == "<p>first view</p>"  # what shows without a kernel
    assert view["data"][authoring.WIDGET_VIEW_MIME]["model_id"] == ""
    assert authoring.check([path]) == []
    inode = os.stat(path).st_ino
    authoring.execute(path)
    assert path.read_bytes() == first
    assert os.stat(path).st_ino == inode  # not even rewritten


# --------------------------------------------------------------------------- (d) the copy


def _snapshot(directory: Path) -> dict[str, tuple[int, str]]:
    return {
        p.name: (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def test_the_tool_works_on_the_copy_it_is_run_in(tmp_path, folder):
    """A copied repository: sync and execute change the copy's notebooks, run the copy's
    lib/ on the copy's data/, and leave the original repository alone."""
    copy = tmp_path / "copy"
    (copy / "tools").mkdir(parents=True)
    for tool in ("notebooks.py", "authoring.py"):
        shutil.copy(ROOT / "tools" / tool, copy / "tools" / tool)
    shutil.copytree(
        ROOT / "lib", copy / "lib", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__")
    )
    (copy / "data").mkdir()  # no periods.csv: lessons.toml's test periods are not checked
    shutil.copy(ROOT / "data" / "datapackage.json", copy / "data")
    shutil.copytree(folder, copy / "notebooks")
    original = _snapshot(ROOT / "notebooks")

    path = copy / "notebooks" / "01_first.ipynb"

    def probe(nb):
        nb.cells[2].source = (
            "x = 1\nimport cambodia_russia, cambodia_russia.paths as p\n"
            "print(cambodia_russia.__file__)\nprint(p.data_dir())"
        )
        nb.cells.pop(0)  # and the header is missing: sync must write

    _edit(path, probe)
    env = {k: v for k, v in os.environ.items() if k not in ("CAMBODIA_RUSSIA_DATA", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, str(copy / "tools" / "notebooks.py"), "build", "01_first"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "updated 01_first.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    assert nb.cells[0].metadata["cambodia_russia"]["generated"] == "header"
    package, data = nb.cells[2].outputs[0]["text"].splitlines()
    assert Path(package).is_relative_to(copy / "lib")
    assert Path(data) == (copy / "data").resolve()
    assert _snapshot(ROOT / "notebooks") == original


# --------------------------------------------------------------------------- 8. bench


def test_bench_reports_a_failing_cell_without_traceback(capsys):
    bench = _cli(ROOT / "tools" / "bench.py", "bench_cli")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(authoring.KERNELSPEC)
    nb.cells = [code("x = 1"), code("raise ValueError('no data for 1970')")]
    with pytest.raises(bench.NotebookFailed) as caught:
        bench._run_notebook(nb, "03_prk_1979_1991.ipynb")
    assert str(caught.value) == (
        "03_prk_1979_1991.ipynb, cell 2: ValueError: no data for 1970. The benchmark "
        "stopped; run `python tools/notebooks.py execute 03_prk_1979_1991.ipynb` to see the "
        "whole error."
    )


def test_bench_main_exits_2_with_one_line(monkeypatch, capsys, tmp_path):
    bench = _cli(ROOT / "tools" / "bench.py", "bench_cli2")

    def failing(report, repeat):
        raise bench.NotebookFailed("01_sihanouk_1955_1970.ipynb", 7, "KeyError: 'year'")

    for name in ("bench_import", "bench_data"):
        monkeypatch.setattr(bench, name, lambda report, repeat: None)
    monkeypatch.setattr(bench, "bench_environment", lambda report, pip_args: None)
    monkeypatch.setattr(bench, "bench_widgets", lambda report: None)
    monkeypatch.setattr(bench, "bench_notebooks", failing)
    out = tmp_path / "report.md"
    assert bench.main(["--skip-suite", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "Error: 01_sihanouk_1955_1970.ipynb, cell 7: KeyError: 'year'. The benchmark stopped; "
        "run `python tools/notebooks.py execute 01_sihanouk_1955_1970.ipynb` to see the "
        "whole error."
    ]
    assert "Traceback" not in err and not out.exists()
