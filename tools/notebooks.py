"""Maintain the collection's notebooks: generated cells, stored outputs, checks.

Usage:
    python tools/notebooks.py sync    [NOTEBOOK ...]   refresh header, footer, map, slide metadata
    python tools/notebooks.py execute [NOTEBOOK ...]   re-run top to bottom and save in place
    python tools/notebooks.py build   [NOTEBOOK ...]   sync, then execute
    python tools/notebooks.py check   [NOTEBOOK ...]   list problems; exit status 1 if any

Without NOTEBOOK, every notebook of notebooks/lessons.toml is used, in that order (sync,
execute and build skip the ones that do not exist yet; check reports them). NOTEBOOK may
be a path or a file name in notebooks/ (".ipynb" may be left out). Every command is
idempotent. The logic lives in tools/authoring.py.

The tool works on the working copy it belongs to: notebooks/ and data/ are found from this
file's location (tools/..), never from where the cambodia_russia package is installed, and
the kernels it starts import the package from this copy's lib/ and read this copy's data/
(``PYTHONPATH`` and ``CAMBODIA_RUSSIA_DATA`` are set for them). A copy of the repository
can be rebuilt without touching the original.

sync and build stop (exit status 1, nothing written) when a person edited a generated
cell; the message names notebook and cell. ``--force`` replaces such edits. Files are
written atomically and only when their content changed; re-executing keeps widget ids.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import authoring

#: The working copy this tool belongs to, and its folders.
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
REGISTRY = NOTEBOOKS / authoring.REGISTRY_FILE


def _use_this_copy() -> None:
    """Make the kernels started from here import ``lib/`` and read ``data/`` of this copy."""
    os.environ.setdefault("CAMBODIA_RUSSIA_DATA", str(ROOT / "data"))
    paths = [str(ROOT / "lib"), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))


def _resolve(names: list[str]) -> list[Path]:
    paths = []
    for name in names:
        path = Path(name)
        if not path.exists() and not path.is_absolute():
            candidate = NOTEBOOKS / path.name
            if candidate.suffix != ".ipynb":
                candidate = candidate.with_name(candidate.name + ".ipynb")
            path = candidate if candidate.exists() else path
        paths.append(path)
    return paths


def _targets(names: list[str]) -> list[Path]:
    if names:
        return _resolve(names)
    registry = authoring.load_registry(REGISTRY)
    for path in authoring.notebook_paths(registry, existing_only=False):
        if not path.exists():
            print(f"skip {path.name}: does not exist yet", file=sys.stderr)
    return authoring.notebook_paths(registry)


def _sync(paths: list[Path], force: bool) -> int:
    edited = []
    for path in paths:
        try:
            changed = authoring.sync(path, force=force)
        except authoring.EditedCellError as error:
            print(error, file=sys.stderr)
            edited.append(path.name)
            continue
        print(f"{'updated' if changed else 'unchanged'} {path.name}")
    return 1 if edited else 0


def _execute(paths: list[Path]) -> int:
    from nbclient.exceptions import CellExecutionError

    status = 0
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        before = path.read_bytes()
        try:
            authoring.execute(path)
        except CellExecutionError as error:
            print(
                f"{path.name}: a cell failed, the file was not changed:\n{error}", file=sys.stderr
            )
            status = 1
        else:
            print(f"{'saved' if path.read_bytes() != before else 'unchanged'} {path.name}")
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python tools/notebooks.py",
        description="Keep the generated cells and stored outputs of the notebooks up to date.",
    )
    parser.add_argument("command", choices=["sync", "execute", "build", "check"])
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    parser.add_argument(
        "--force",
        action="store_true",
        help="sync/build: replace generated cells even if a person edited them",
    )
    args = parser.parse_intermixed_args(argv)
    _use_this_copy()
    try:
        if args.command == "check":
            if args.notebooks:
                problems = authoring.check(_resolve(args.notebooks))
            else:
                problems = authoring.check(None, authoring.load_registry(REGISTRY))
            for problem in problems:
                print(problem)
            print(f"{len(problems)} problem(s)" if problems else "no problems", file=sys.stderr)
            return 1 if problems else 0
        missing = [p for p in _resolve(args.notebooks) if not p.exists()]
        if missing:
            parser.error("no such notebook: " + ", ".join(str(p) for p in missing))
        paths = _targets(args.notebooks)
        if args.command == "sync":
            return _sync(paths, args.force)
        if args.command == "execute":
            return _execute(paths)
        if _sync(paths, args.force):
            return 1  # an edited generated cell: do not execute over it
        return _execute(paths)
    except authoring.RegistryError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
