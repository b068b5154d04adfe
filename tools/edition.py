"""Write the student edition: the collection without the teacher's material.

    python tools/edition.py [--out build/student-edition]     (or: make student-edition)

The edition is a folder a teacher can push to its own repository or branch and share with
an nbgitpuller link, or zip and hand out. It holds:

* ``notebooks/``: the students' notebooks listed in ``notebooks/lessons.toml``, as stored;
* ``data/``: every table, with the model answers left out: ``exercises.csv`` keeps its
  prompts but its ``solution`` column is empty, ``lab_solutions.csv`` keeps only its header,
  and ``datapackage.json`` says so (``solution`` is no longer required there);
* the helper package (``lib/``, ``pyproject.toml``), the pinned environment
  (``requirements/runtime.lock``, ``environment.yml``, ``postBuild``), the licences, the citation
  file and a README for students.

It does not hold the teacher guide (``teacher/``), the answer keys, the tests or the tools.
In the edition ``solution("step2")`` and the exercises' buttons say that model answers are
not included; the self-check quizzes keep their feedback. The folder is built in a
temporary folder beside the target and then renamed into place, so a failed run never
leaves half an edition (an older edition at the same place is replaced only at the end).
A ``.git`` folder in an older edition (a teacher who publishes it as a repository or
branch) is kept: it moves into the new edition, so the next commit shows what changed.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Files copied as they are from the repository's root.
ROOT_FILES = (
    "pyproject.toml",
    "requirements/runtime.lock",
    "environment.yml",
    "postBuild",
    "LICENSE",
    "LICENSE-CONTENT.md",
    "CITATION.cff",
)

#: Columns emptied in the edition's data, and the tables whose rows are left out.
EMPTIED_COLUMNS = {"exercises": ("solution",)}
EMPTIED_TABLES = ("lab_solutions",)

README = """# Cambodia and the Soviet Union / Russian Federation, 1955 to today (student edition)

Jupyter notebooks on seventy years of relations between Cambodia and the Soviet Union, then
the Russian Federation. Start with `notebooks/00_start_here.ipynb`: it explains how to run a
notebook and how to read the sources, and its map lists every lesson.

This is the **student edition** your teacher shared with you. It has every lesson, the data
and the self-check quizzes (with their explanations), but not the model answers of the
exercises or of the data lab: your teacher has those. Write your own answer first, then
compare it with a classmate's or discuss it in class.

## Handing in your answers

Under the exercises of each lesson there is an answer box for each exercise. Type your name,
write your answers and press *Save my answers*: they are saved in
`notebooks/answers/<lesson>-<your name>.md`. Typing the same name later brings them back.
Hand that file to your teacher (on a hub, right-click it in the file browser and choose
*Download*).

## Running the notebooks

* **From a link your teacher gave you** (a school JupyterHub): the notebooks open by
  themselves. Save your work with *File → Save*; *File → Download* keeps a copy.
* **On your own computer**, with Python 3.11 or 3.12, in this folder:

  ```bash
  python -m venv .venv
  .venv/bin/python -m pip install -r requirements/runtime.lock
  .venv/bin/python -m pip install --no-deps -e .
  .venv/bin/jupyter lab notebooks/00_start_here.ipynb
  ```

  (On Windows use WSL, or ask your teacher for a hub link.)

## What is inside

| folder | what it holds |
|---|---|
| `notebooks/` | the lessons: a start page, one notebook per period, reading the sources, a data lab |
| `data/` | the tables as CSV files, with their schema (`datapackage.json`) and a guide (`data/README.md`) |
| `lib/cambodia_russia/` | the helper package the notebooks use to load the tables and draw the charts |

Every event, figure and claim in `data/` cites its source. Text and data: CC BY 4.0
(`LICENSE-CONTENT.md`); code: MIT (`LICENSE`). How to cite: `CITATION.cff`.
"""  # noqa: E501 (a Markdown table cannot wrap)


def student_notebooks(root: Path = ROOT) -> list[Path]:
    """The notebooks listed in ``notebooks/lessons.toml``, in teaching order."""
    with (root / "notebooks" / "lessons.toml").open("rb") as handle:
        registry = tomllib.load(handle)
    return [root / "notebooks" / lesson["file"] for lesson in registry.get("lesson", [])]


def _blank_columns(source: Path, target: Path, columns: tuple[str, ...], keep_rows: bool) -> None:
    """Copy a CSV file with ``columns`` emptied (or only its header when not ``keep_rows``)."""
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = [dict(row, **dict.fromkeys(columns, "")) for row in reader] if keep_rows else []
    missing = [c for c in columns if c not in fields]
    if missing:
        raise ValueError(f"{source.name}: no column {', '.join(missing)} to leave out")
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _edition_schema(source: Path, target: Path) -> None:
    """The schema with the emptied columns optional and a note on each changed table."""
    descriptor = json.loads(source.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        name = resource["name"]
        if name in EMPTIED_COLUMNS:
            for field in resource["schema"]["fields"]:
                if field["name"] in EMPTIED_COLUMNS[name]:
                    field.setdefault("constraints", {})["required"] = False
                    field["description"] += " Left empty in the student edition."
        if name in EMPTIED_TABLES or name in EMPTIED_COLUMNS:
            resource["description"] += " Student edition: the model answers are not included."
    target.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _copy_data(source: Path, target: Path) -> None:
    target.mkdir()
    for path in sorted(source.iterdir()):
        if not path.is_file():
            continue
        name = path.stem
        if path.suffix == ".csv" and name in EMPTIED_TABLES:
            _blank_columns(path, target / path.name, (), keep_rows=False)
        elif path.suffix == ".csv" and name in EMPTIED_COLUMNS:
            _blank_columns(path, target / path.name, EMPTIED_COLUMNS[name], keep_rows=True)
        elif path.name == "datapackage.json":
            _edition_schema(path, target / path.name)
        else:
            shutil.copy2(path, target / path.name)


def _fill(folder: Path, root: Path) -> None:
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    shutil.copy2(root / "notebooks" / "lessons.toml", notebooks / "lessons.toml")
    for path in student_notebooks(root):
        shutil.copy2(path, notebooks / path.name)
    _copy_data(root / "data", folder / "data")
    shutil.copytree(
        root / "lib" / "cambodia_russia",
        folder / "lib" / "cambodia_russia",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for name in ROOT_FILES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, folder / name)
    (folder / "README.md").write_text(README, encoding="utf-8")


def build(out: str | Path, root: Path = ROOT) -> Path:
    """Write the student edition to ``out`` (replacing an older one) and return its path."""
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _fill(staging, root)
        if (out / ".git").is_dir():
            (out / ".git").rename(staging / ".git")
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            out.rename(old / out.name)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/edition.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out",
        default=str(ROOT / "build" / "student-edition"),
        help="folder to write (default: build/student-edition)",
    )
    args = parser.parse_args(argv)
    path = build(args.out)
    print(f"student edition written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
