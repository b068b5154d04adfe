"""``make student-edition`` writes a folder to hand out: it runs on its own, and it holds
no model answer, no answer key and no teacher material (issue 14).

The edition is built into a temporary folder with ``tools/edition.py``; every file in it is
searched for the text of the model answers (read from the full collection's data) and, in
every file that is not Python code, for the markers only an answer key shows. Then every
notebook is executed from inside the edition, with the edition's own package first on
``PYTHONPATH``: the package finds the edition's ``data/`` beside itself, so the run proves
the edition is complete and that its notebooks say "not included" where a solution was.
The notebooks run one after another in one kernel, its namespace cleared before each
(``%reset -f``): a kernel start costs as much as a notebook run. That each notebook runs on
its own in a fresh kernel is nbval's proof on the same notebook files (``make test``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import nbformat
import pytest
from jupyter_core.utils import run_sync
from nbclient import NotebookClient

import authoring
from answer_leaks import answers_in_folder, find, needles, notebook_text
from cambodia_russia import schema
from cambodia_russia.lessons import NOT_INCLUDED
from data_helpers import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("edition") / "student-edition"
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "edition.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_the_edition_has_the_students_material_and_nothing_else(edition):
    top = sorted(p.name for p in edition.iterdir())
    assert top == sorted(
        [
            "CITATION.cff",
            "LICENSE",
            "LICENSE-CONTENT.md",
            "README.md",
            "data",
            "environment.yml",
            "lib",
            "notebooks",
            "postBuild",
            "pyproject.toml",
            "requirements",
        ]
    )
    assert (edition / "requirements" / "runtime.lock").is_file()
    registry = [lesson.file for lesson in authoring.load_registry().lessons]
    assert sorted(p.name for p in (edition / "notebooks").glob("*.ipynb")) == sorted(registry)
    # No teacher material and no answer keys (the students' own answer boxes, answers.py, stay).
    assert not [p for p in edition.rglob("*") if re.search(r"teacher|answer[-_ ]?keys?", p.name)]
    assert not list(edition.rglob("__pycache__"))
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "student edition" in readme and "00_start_here.ipynb" in readme


def test_rebuilding_replaces_the_edition_but_keeps_its_git_folder(tmp_path):
    out = tmp_path / "edition"
    tool = [sys.executable, str(REPO / "tools" / "edition.py"), "--out", str(out)]
    subprocess.run(tool, capture_output=True, check=True)
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/student\n", encoding="utf-8")
    (out / "stale.txt").write_text("from an older edition", encoding="utf-8")
    subprocess.run(tool, capture_output=True, check=True)
    assert (out / ".git" / "HEAD").read_text(encoding="utf-8") == "ref: refs/heads/student\n"
    assert (
        not (out / "stale.txt").exists() and (out / "notebooks" / "00_start_here.ipynb").is_file()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition"]  # no staging left behind


def test_the_editions_data_is_valid_and_holds_no_solutions(edition):
    assert schema.check(edition / "data") == []
    with (edition / "data" / "exercises.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["solution"] == "" and row["prompt"] for row in rows)
    lab = (edition / "data" / "lab_solutions.csv").read_text(encoding="utf-8").splitlines()
    assert lab == ["id,variable,code,explanation,sources"]
    descriptor = json.loads((edition / "data" / "datapackage.json").read_text(encoding="utf-8"))
    exercises = next(r for r in descriptor["resources"] if r["name"] == "exercises")
    solution = next(f for f in exercises["schema"]["fields"] if f["name"] == "solution")
    assert solution["constraints"]["required"] is False


def test_no_file_of_the_edition_contains_an_answer(edition):
    files = sorted(p for p in edition.rglob("*") if p.is_file())
    assert len(files) > 40
    assert answers_in_folder(edition, files, REPO / "data") == {}


def _run_in_one_kernel(notebooks: list) -> None:
    """Run each notebook top to bottom, in place, in one kernel started in their folder
    (``authoring.execute``'s kernel, environment and settings); the namespace is cleared
    before each notebook. A failing cell raises ``CellExecutionError``."""
    km = authoring._current_env_kernel_manager()
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    with tempfile.TemporaryDirectory(prefix="cambodia-russia-ipython-") as ipython_dir:
        env["IPYTHONDIR"] = ipython_dir
        run_sync(km.start_kernel)(env=env, cwd=str(notebooks[0].parent))
        try:
            for path in notebooks:
                nb = nbformat.read(path, as_version=4)
                nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))
                NotebookClient(
                    nb,
                    km=km,
                    timeout=authoring.CELL_TIMEOUT,
                    kernel_name=authoring.KERNELSPEC["name"],
                    record_timing=False,
                    allow_errors=False,
                    resources={"metadata": {"path": str(path.parent)}},
                ).execute(cleanup_kc=False)
                nb.cells.pop(0)
                nbformat.write(nb, path)
        finally:
            run_sync(km.shutdown_kernel)(now=True)


def test_the_editions_notebooks_run_from_inside_the_edition(edition, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(edition / "lib"))
    monkeypatch.delenv("CAMBODIA_RUSSIA_DATA", raising=False)
    started = time.monotonic()
    lab = edition / "notebooks" / "08_data_lab.ipynb"
    nb = nbformat.read(lab, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import cambodia_russia, cambodia_russia.paths\n"
            "print(cambodia_russia.__file__)\nprint(cambodia_russia.paths.data_dir())"
        )
    )
    nbformat.write(nb, lab)
    notebooks = sorted((edition / "notebooks").glob("*.ipynb"))
    _run_in_one_kernel(notebooks)  # raises CellExecutionError if a cell fails
    ran = nbformat.read(lab, as_version=4)
    where = ran.cells[-1].outputs[0]["text"].split()
    assert where == [
        str(edition / "lib" / "cambodia_russia" / "__init__.py"),
        str(edition / "data"),
    ]
    asked = [c for c in ran.cells if c.cell_type == "code" and c.source.startswith("solution(")]
    assert len(asked) == 6
    for cell in asked:
        assert NOT_INCLUDED in json.dumps([o.get("data", {}) for o in cell.outputs])
    assert not find(notebook_text(lab), needles(REPO / "data"))
    assert time.monotonic() - started < 150  # about 15 s on an idle two-core machine
