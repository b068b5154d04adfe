"""Command line: ``python -m cambodia_russia check [DIR]`` (exit status 0, 1 or 2, as its
``--help`` says). Everything printed goes through :func:`~cambodia_russia.schema.printable`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

DESCRIPTION = """\
Tools for the Cambodia - Soviet Union / Russian Federation teaching notebooks.

After editing the CSV files in a spreadsheet (saved as "CSV UTF-8"), run

    python -m cambodia_russia check

to check every table against data/datapackage.json. Each problem is printed on one line:
the file, the spreadsheet row and column, what the cell holds and what it should hold.

Exit status:
  0  the data is valid
  1  problems were found (one line each on standard output)
  2  usage error (a data folder that does not exist, a bad option) or the check itself
     failed (an internal error; the message is on standard error)
"""

CHECK_HELP = """\
Check the CSV files of a data folder against its datapackage.json (or, when the folder
has none, against the repository's data/datapackage.json). Prints "OK: ..." and exits with
status 0 when everything is valid; otherwise prints one line per problem and exits with
status 1. A folder that does not exist, a bad option or an internal error of the check
gives status 2 (the message is on standard error).
"""


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="python -m cambodia_russia", description=DESCRIPTION, formatter_class=raw
    )
    parser.add_argument("--version", action="version", version=f"cambodia_russia {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check the CSV files of a data folder",
        description=CHECK_HELP,
        formatter_class=raw,
    )
    where = "the data folder (default: $CAMBODIA_RUSSIA_DATA, else the repository's data/)"
    check.add_argument("dir", nargs="?", metavar="DIR", help=where)
    return parser


def _check(folder: str | None) -> int:
    from . import paths
    from .schema import printable, validate

    target = paths.data_dir(folder)
    if not target.is_dir():
        what = "is not a folder" if target.exists() else "does not exist"
        print(printable(f"Error: the data folder {target} {what}."), file=sys.stderr)
        return 2
    result = validate(target)
    if result.problems:
        for problem in result.problems:
            print(problem)
        sys.stdout.flush()
        count = len(result.problems)
        print(printable(f"{count} problem{'s' if count != 1 else ''} in {target}"), file=sys.stderr)
        return 1
    rows = sum(len(r) for r in result.rows.values() if r)
    print(printable(f"OK: {len(result.rows)} tables, {rows} rows checked in {target}"))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help and --version exit 0, a usage error exits 2
        return exc.code if isinstance(exc.code, int) else 2
    if args.command != "check":
        parser.print_help(sys.stderr)
        return 2
    try:
        return _check(args.dir)
    except Exception as exc:  # noqa: BLE001 - "the checker failed" must not look like 1
        from .schema import printable

        error = f"Error: the check itself failed ({type(exc).__name__}: {exc})."
        print(printable(f"{error} Please report this with the data folder."), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
