"""Maintain the collection's notebooks: generated cells, stored outputs, checks.

Usage:
    python tools/notebooks.py sync    [NOTEBOOK ...]   refresh header, footer, map, slide metadata
    python tools/notebooks.py execute [NOTEBOOK ...]   re-run top to bottom and save in place
    python tools/notebooks.py build   [NOTEBOOK ...]   sync, then execute
    python tools/notebooks.py check   [NOTEBOOK ...]   list problems; exit status 1 if any

Without NOTEBOOK, every notebook of notebooks/lessons.toml is used, in that order (sync,
execute and build skip the ones that do not exist yet; check reports them). NOTEBOOK may
be a path or a file name in notebooks/ (".ipynb" may be left out). Every command is
idempotent. The logic lives in cambodia_russia.authoring.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cambodia_russia import authoring


def _resolve(names: list[str]) -> list[Path]:
    paths = []
    for name in names:
        path = Path(name)
        if not path.exists() and not path.is_absolute():
            candidate = authoring.NOTEBOOKS_DIR / path.name
            if candidate.suffix != ".ipynb":
                candidate = candidate.with_name(candidate.name + ".ipynb")
            path = candidate if candidate.exists() else path
        paths.append(path)
    return paths


def _targets(names: list[str]) -> list[Path]:
    if names:
        return _resolve(names)
    registry = authoring.load_registry()
    for path in authoring.notebook_paths(registry, existing_only=False):
        if not path.exists():
            print(f"skip {path.name}: does not exist yet", file=sys.stderr)
    return authoring.notebook_paths(registry)


def _sync(paths: list[Path]) -> int:
    for path in paths:
        changed = authoring.sync(path)
        print(f"{'updated' if changed else 'unchanged'} {path.name}")
    return 0


def _execute(paths: list[Path]) -> int:
    from nbclient.exceptions import CellExecutionError

    status = 0
    for path in paths:
        print(f"executing {path.name} ...", flush=True)
        try:
            authoring.execute(path)
        except CellExecutionError as error:
            print(f"{path.name}: a cell failed, the file was not changed:\n{error}", file=sys.stderr)
            status = 1
        else:
            print(f"saved {path.name}")
    return status


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python tools/notebooks.py",
        description="Keep the generated cells and stored outputs of the notebooks up to date.",
    )
    parser.add_argument("command", choices=["sync", "execute", "build", "check"])
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            problems = authoring.check(_resolve(args.notebooks) if args.notebooks else None)
            for problem in problems:
                print(problem)
            print(f"{len(problems)} problem(s)" if problems else "no problems", file=sys.stderr)
            return 1 if problems else 0
        missing = [p for p in _resolve(args.notebooks) if not p.exists()]
        if missing:
            parser.error("no such notebook: " + ", ".join(str(p) for p in missing))
        paths = _targets(args.notebooks)
        if args.command == "sync":
            return _sync(paths)
        if args.command == "execute":
            return _execute(paths)
        _sync(paths)
        return _execute(paths)
    except authoring.RegistryError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
