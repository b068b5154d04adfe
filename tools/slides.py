"""Write a reveal.js slide deck for each period notebook.

    python tools/slides.py [--out build/slides] [--reveal-prefix URL] [NOTEBOOK ...]

Without NOTEBOOK, every lesson of kind ``period`` in ``notebooks/lessons.toml`` is
converted (without that file: ``01_`` .. ``06_``). Code is hidden; slide breaks come from
the cells' slideshow metadata, which ``tools/notebooks.py`` sets from the ``## `` headings
(a notebook without it becomes a single slide). Open ``build/slides/<stem>.slides.html``
in a browser; press F for full screen, S for the speaker view. reveal.js is loaded from
its CDN, so the projector computer needs internet, unless ``--reveal-prefix`` names a
local reveal.js 4 folder (e.g. ``--reveal-prefix reveal.js`` with the unpacked npm
package ``reveal.js`` copied beside the decks). The work is done by
:mod:`cambodia_russia.handouts`.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from cambodia_russia.handouts import build_slides, period_lessons, resolve_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def resolve(names: list[str]) -> list:
    """The notebooks named on the command line (the period lessons when none is named)."""
    return resolve_notebooks(names, NOTEBOOKS, period_lessons(NOTEBOOKS) if not names else [], "slides")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "slides"), help="output folder (default: build/slides)")
    parser.add_argument(
        "--reveal-prefix",
        default=None,
        help="where the decks load reveal.js from (URL or path relative to the decks; default: a CDN)",
    )
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files or stems (default: the period notebooks)"
    )
    args = parser.parse_args(argv)
    chosen = resolve(args.notebooks)
    if not chosen:
        print(f"slides: no period notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = build_slides(chosen, args.out, args.reveal_prefix)
    for warning in caught:
        print(f"slides: warning: {warning.message}", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
