"""Write one printable, self-contained HTML handout per notebook.

    python tools/handouts.py [--out build/handouts] [NOTEBOOK ...]
    python tools/handouts.py --answer-keys [--out build/answer-keys]

With ``--answer-keys`` it writes the teacher edition's answer keys instead: one printable
page per lesson (quiz answers, exercises with model answers, the data lab's solutions),
built from the data, and an index.html.

NOTEBOOK is a file (``notebooks/01_sihanouk_1955_1970.ipynb``) or a stem
(``01_sihanouk_1955_1970``); without any, every lesson in ``notebooks/`` is converted.
The notebooks' stored outputs are used as they are (nothing is re-run). Open a handout in
a browser and print it (A4). The work is done by :mod:`cambodia_russia.handouts`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from cambodia_russia.handouts import build_answer_keys, build_handouts, lessons, resolve_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def resolve(names: list[str]) -> list:
    """The lessons named on the command line (all of them when none is named)."""
    return resolve_notebooks(names, NOTEBOOKS, lessons(NOTEBOOKS) if not names else [], "handouts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="output folder (default: build/handouts, or build/answer-keys)")
    parser.add_argument("--answer-keys", action="store_true", help="write the printable answer keys (teacher edition)")
    parser.add_argument("notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files or stems (default: all)")
    args = parser.parse_args(argv)
    if args.answer_keys:
        for path in build_answer_keys(NOTEBOOKS, args.out or ROOT / "build" / "answer-keys"):
            print(path)
        return 0
    args.out = args.out or str(ROOT / "build" / "handouts")
    chosen = resolve(args.notebooks)
    if not chosen:
        print(f"handouts: no notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = build_handouts(chosen, args.out)
    for warning in caught:
        print(f"handouts: warning: {warning.message}", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
