"""Write a reveal.js slide deck for each period notebook, viewable without a network.

    python tools/slides.py [--out build/slides] [--reveal-prefix URL] [NOTEBOOK ...]

Without NOTEBOOK, every lesson of kind ``period`` in ``notebooks/lessons.toml`` is
converted (without that file: ``01_`` .. ``06_``). Open ``build/slides/<stem>.slides.html``
in a browser; press F for full screen, S for the speaker view.

* **Offline**: reveal.js comes from the npm package pinned in ``tools/reveal/package.json``
  (installed with ``npm ci --prefix tools/reveal`` when missing) and the files a deck needs are
  copied to ``<out>/reveal.js/``; copy the whole output folder to the projector computer.
  ``--reveal-prefix URL`` loads reveal.js from that address instead (nothing is copied).
* **Slides, not a notebook**: code is hidden; slide breaks come from the cells' slideshow
  metadata (``tools/notebooks.py`` sets it from the ``## `` headings). A section too long for
  one 1280x720 screen continues on vertical sub-slides (at most one chart, table or long
  paragraph group per slide), and sentences that tell the reader to run cells, press keys or
  use menus and buttons are left out (they make no sense on a projected slide).

The conversion itself is :func:`handouts.write_slides` (tools/handouts.py).
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import nbformat

from handouts import period_lessons, resolve_notebooks, write_slides

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
REVEAL_NPM = ROOT / "tools" / "reveal"
REVEAL_PACKAGE = REVEAL_NPM / "node_modules" / "reveal.js"
#: What a deck loads from reveal.js (the white theme's fonts ship in dist/theme/fonts).
REVEAL_FILES = (
    "LICENSE",
    "dist/reveal.js",
    "dist/reveal.css",
    "dist/reset.css",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro",
    "plugin/notes/notes.js",
)
LOCAL_PREFIX = "reveal.js"

#: Sentences that refer to the notebook interface: running cells, keys, menus, buttons.
INTERFACE = re.compile(
    r"\b(?:click\w*|menus?|toolbar|buttons?|shift\s*\+\s*enter|code cells?|run all"
    r"|press(?:es)?\s+[*_\"'“]*(?:enter|check|run|return)\b"
    r"|run (?:the|this|each|these|both|all)(?: next| following| two| three)?(?: code)? cells?"
    r"|run (?:the|this|your) notebook"
    r"|(?:the|this|next|following|previous|first|second) (?:two |three )?cells?\b)",
    re.IGNORECASE,
)


def _sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?:])\s+(?=[A-Z*_(\[“\"])", paragraph)


def strip_interface_text(markdown: str) -> str:
    """``markdown`` without the sentences that refer to notebook cells, keys, menus or buttons.

    Works paragraph by paragraph (a list item or block quote line is its own paragraph);
    headings and HTML comments are kept as they are; emptied paragraphs disappear.
    """
    blocks = re.split(r"\n\s*\n", markdown)
    kept_blocks = []
    for block in blocks:
        lines = block.split("\n")
        if lines[0].lstrip().startswith(("#", "<!--")):
            kept_blocks.append(block)
            continue
        items, current = [], []
        for line in lines:  # split list items and quote lines into their own paragraphs
            if re.match(r"\s*(?:[-*+]|\d+\.)\s", line) and current:
                items.append(current)
                current = []
            current.append(line)
        items.append(current)
        kept_items = []
        for item in items:
            text = " ".join(part.strip() for part in item)
            prefix = re.match(r"^(?:>\s*)?(?:[-*+]\s+|\d+\.\s+)?", text).group(0)
            kept = [s for s in _sentences(text[len(prefix) :]) if not INTERFACE.search(s)]
            if kept and "".join(kept).strip():
                kept_items.append(prefix + " ".join(kept))
        if kept_items:
            kept_blocks.append("\n".join(kept_items))
    return "\n\n".join(kept_blocks)


#: Height budget of one slide in px of reveal.js's 960x700 slide (a margin kept for safety).
SLIDE_PX = 520
#: Charts are shown at most this high on a slide (CSS added to every deck).
CHART_MAX_PX = 400
EXTRA_CSS = (
    f"<style>.reveal .jp-RenderedImage img {{ max-height: {CHART_MAX_PX}px; }}"
    " .reveal .slides section { overflow-wrap: anywhere; }"
    " .reveal table { font-size: 0.75em; }</style>"
)
#: Text metrics measured in Chromium on a deck: Markdown at 20 px (26 px lines, about 90
#: characters), the widgets' static HTML at 17 px (24.65 px lines, about 105 characters).
MD_LINE_PX, MD_CHARS = 26, 88
HTML_LINE_PX, HTML_CHARS, HTML_CARD_CHARS = 25, 100, 40


def _text_px(text: str, chars: int, line_px: float) -> float:
    return (
        sum(max(1, -(-len(line) // chars)) for line in text.splitlines() if line.strip()) * line_px
    )


def _markdown_px(source: str) -> float:
    px = 0.0
    for block in re.split(r"\n\s*\n", source):
        block = re.sub(r"<!--.*?-->", "", block, flags=re.S).strip()
        if not block:
            continue
        if block.startswith("#"):
            px += 62 if block.startswith(("# ", "## ")) else 48
            block = "\n".join(block.splitlines()[1:])
            if not block.strip():
                continue
        px += _text_px(block, MD_CHARS, MD_LINE_PX) + 20
    return px


def _png_px(data) -> float:
    import base64
    import struct

    try:
        head = base64.b64decode("".join(data)[:64])
        width, height = struct.unpack(">II", head[16:24])
    except (ValueError, struct.error):
        return CHART_MAX_PX
    return min(CHART_MAX_PX, height * min(1.0, 900 / max(1, width))) + 10


def _html_px(html: str) -> float:
    rows = html.count("<tr")
    if rows:
        return rows * 34 + 20
    blocks = len(re.findall(r"<(?:p|li|h\d|div|dd)\b", html))
    terms = len(re.findall(r"<dt\b", html))  # a term column wraps "Who wrote it" onto two lines
    text = re.sub(r"<style.*?</style>|<[^>]+>", "\n", html, flags=re.S)
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    # Cards side by side (flex) wrap their text in narrow columns; count them as stacked.
    chars = HTML_CARD_CHARS if "flex:" in html else HTML_CHARS
    return _text_px(text, chars, HTML_LINE_PX) + blocks * 8 + terms * HTML_LINE_PX + 10


def _output_px(output) -> float:
    data = output.get("data", {})
    if "image/png" in data:
        return _png_px(data["image/png"])
    if "image/svg+xml" in data:
        return CHART_MAX_PX
    if "text/html" in data:
        return _html_px("".join(data["text/html"]))
    if "text/markdown" in data:
        return _markdown_px("".join(data["text/markdown"]))
    if output.get("output_type") == "stream":
        return _text_px("".join(output.get("text", "")), 100, 22)
    if "text/plain" in data:
        return _text_px("".join(data["text/plain"]), 100, 22)
    return 0.0


def _cell_px(cell) -> float:
    """A rough height of a cell on a slide, in px of reveal.js's 960x700 slide."""
    if cell.cell_type == "markdown":
        return _markdown_px(cell.source)
    return sum(_output_px(output) for output in cell.get("outputs", []))


def _strip_interface_html(html: str) -> str:
    """Widget views' static HTML without phrases and paragraphs about buttons, menus, running."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for string in list(soup.find_all(string=True)):
        if INTERFACE.search(string):
            cleaned = re.sub(
                r"\s*\([^()]*\)",
                lambda m: "" if INTERFACE.search(m.group(0)) else m.group(0),
                string,
            )
            string.replace_with(cleaned)
    for tag in soup.find_all(["p", "li"]):
        if not tag.decomposed and INTERFACE.search(tag.get_text(" ")):
            tag.decompose()
    return str(soup)


def _open_tag(tag, **extra) -> str:
    attrs = {**tag.attrs, **extra}
    text = "".join(f' {k}="{" ".join(v) if isinstance(v, list) else v}"' for k, v in attrs.items())
    return f"<{tag.name}{text}>"


def _atoms(tag, budget: float) -> list[str]:
    """The children of ``tag`` as HTML strings small enough to pack: list items one by one,
    and a child block that is too big alone split the same way inside its own tag."""
    from bs4 import Tag

    atoms = []
    for child in tag.children:
        if not isinstance(child, Tag):
            if str(child).strip():
                atoms.append(str(child))
            continue
        if child.name in {"ul", "ol"}:
            for number, item in enumerate(child.find_all("li", recursive=False), start=1):
                extra = {"start": str(number)} if child.name == "ol" else {}
                atoms.append(f"{_open_tag(child, **extra)}{item}</{child.name}>")
        elif child.name == "dl" and _html_px(str(child)) > budget:
            pairs, current = [], []
            for part in child.find_all(["dt", "dd"], recursive=False):
                if part.name == "dt" and current:
                    pairs.append(current)
                    current = []
                current.append(str(part))
            pairs.append(current)
            atoms.extend(f"{_open_tag(child)}{''.join(pair)}</dl>" for pair in pairs if pair)
        elif (
            _html_px(str(child)) > budget
            and len(child.find_all(recursive=False)) > 1
            and child.name != "table"
        ):
            atoms.extend(_pack(_atoms(child, budget), _open_tag(child), f"</{child.name}>", budget))
        else:
            atoms.append(str(child))
    # A heading stays with what follows it.
    glued: list[str] = []
    for atom in atoms:
        if glued and re.fullmatch(r"\s*<h\d\b.*</h\d>\s*", glued[-1], re.S):
            glued[-1] += atom
        else:
            glued.append(atom)
    return glued


def _split_html(html: str) -> list[str]:
    """A long HTML output as several within the slide budget, split between its blocks and list
    items (the wrapper elements are repeated around each piece); tables are left whole."""
    from bs4 import BeautifulSoup, Tag

    soup = BeautifulSoup(html, "html.parser")
    tops = [c for c in soup.contents if isinstance(c, Tag) or str(c).strip()]
    if len(tops) != 1 or not isinstance(tops[0], Tag) or tops[0].name == "table":
        return [html]
    wrapper = tops[0]
    budget = SLIDE_PX - 60
    return _pack(_atoms(wrapper, budget), _open_tag(wrapper), f"</{wrapper.name}>", budget)


def _pack(atoms: list[str], opening: str, closing: str, budget: float) -> list[str]:
    """Consecutive atoms grouped within ``budget`` px, each group inside ``opening``/``closing``."""
    pieces, current = [], []
    for atom in atoms:
        if current and _html_px(opening + "".join([*current, atom]) + closing) > budget:
            pieces.append(current)
            current = []
        current.append(atom)
    pieces.append(current)
    return [opening + "".join(piece) + closing for piece in pieces if piece]


def _clean_outputs(cell) -> list:
    """The cell's outputs with interface text removed and long HTML split (one output each)."""
    outputs = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "text/markdown" in data:
            data["text/markdown"] = strip_interface_text("".join(data["text/markdown"]))
        if "text/html" in data:
            html = _strip_interface_html("".join(data["text/html"]))
            if not re.sub(r"<style.*?</style>|<[^>]+>", "", html, flags=re.S).strip():
                continue
            for piece in _split_html(html) if _html_px(html) > SLIDE_PX - 60 else [html]:
                part = copy.deepcopy(output)
                part["data"]["text/html"] = piece
                part["data"].pop("text/plain", None)
                outputs.append(part)
            continue
        outputs.append(output)
    return outputs


def deck_notebook(nb):
    """A copy of ``nb`` ready for slides: interface sentences removed, long sections split.

    Every cell that starts a ``slide`` keeps that type. Code cells are cut into one cell per
    output (long HTML outputs into several), Markdown cells too long for a slide into whole
    paragraphs; then, inside a section, a piece that would push the current slide past
    :data:`SLIDE_PX` starts a ``subslide`` (a vertical continuation of the same slide).
    """
    nb = copy.deepcopy(nb)
    pieces = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = strip_interface_text(cell.source)
            if not cell.source.strip():
                continue
            pieces.extend(_split_markdown(cell) if _cell_px(cell) > SLIDE_PX else [cell])
        elif cell.cell_type == "code":
            outputs = _clean_outputs(cell)
            kind = cell.get("metadata", {}).get("slideshow")
            for number, output in enumerate(outputs):
                part = copy.deepcopy(cell)
                part.outputs = [output]
                part["id"] = f"{cell.get('id', 'cell')}-{number}"
                if number:
                    part.metadata.pop("slideshow", None)
                elif kind:
                    part.metadata["slideshow"] = kind
                pieces.append(part)
            if not outputs and kind:
                cell.outputs = []
                pieces.append(cell)
        else:
            pieces.append(cell)
    used = 0.0
    for piece in pieces:
        meta = piece.setdefault("metadata", {})
        kind = meta.get("slideshow", {}).get("slide_type")
        height = _cell_px(piece)
        if kind in {"slide", "subslide"}:
            used = height
        elif used and used + height > SLIDE_PX:
            meta["slideshow"] = {"slide_type": "subslide"}
            used = height
        else:
            used += height
    nb.cells = pieces
    return nb


def _split_markdown(cell) -> list:
    """One long Markdown cell as several cells of whole paragraphs within the slide budget."""
    parts, current = [], []
    for block in re.split(r"\n\s*\n", cell.source):
        if current and _markdown_px("\n\n".join([*current, block])) > SLIDE_PX:
            parts.append(current)
            current = []
        current.append(block)
    parts.append(current)
    out = []
    for number, blocks in enumerate(parts):
        piece = copy.deepcopy(cell)
        piece.source = "\n\n".join(blocks)
        piece["id"] = f"{cell.get('id', 'cell')}-{number}"
        if number:
            piece.setdefault("metadata", {})["slideshow"] = {"slide_type": "subslide"}
        out.append(piece)
    return out


def vendor_reveal(out: Path) -> Path:
    """Copy the reveal.js files a deck needs to ``out/reveal.js`` (npm ci first if needed)."""
    if not REVEAL_PACKAGE.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit(
                "slides: npm is missing: install Debian's nodejs and npm, or pass --reveal-prefix "
                "URL"
            )
        subprocess.run(
            [npm, "ci", "--prefix", str(REVEAL_NPM), "--no-audit", "--no-fund"], check=True
        )
    target = out / LOCAL_PREFIX
    for name in REVEAL_FILES:
        source, dest = REVEAL_PACKAGE / name, target / name
        if not source.exists():
            raise SystemExit(f"slides: {source} is missing: run `npm ci --prefix tools/reveal`")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest, dirs_exist_ok=True)
        else:
            shutil.copy2(source, dest)
    return target


def resolve(names: list[str]) -> list:
    """The notebooks named on the command line (the period lessons when none is named)."""
    return resolve_notebooks(
        names, NOTEBOOKS, period_lessons(NOTEBOOKS) if not names else [], "slides"
    )


def build_deck(notebook: Path, out: Path, prefix: str) -> Path:
    """Write ``out/<stem>.slides.html`` from :func:`deck_notebook` of ``notebook``."""
    nb = deck_notebook(nbformat.read(str(notebook), as_version=4))
    with tempfile.TemporaryDirectory(prefix="slides-") as tmp:
        copy_path = Path(tmp) / notebook.name
        nbformat.write(nb, str(copy_path))
        deck = write_slides(copy_path, out, prefix)
    html = deck.read_text(encoding="utf-8")
    deck.write_text(html.replace("</head>", EXTRA_CSS + "\n</head>", 1), encoding="utf-8")
    return deck


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        default=str(ROOT / "build" / "slides"),
        help="output folder (default: build/slides)",
    )
    parser.add_argument(
        "--reveal-prefix",
        default=None,
        help="load reveal.js from this URL instead of the copy written beside the decks",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="notebook files or stems (default: the period notebooks)",
    )
    args = parser.parse_args(argv)
    chosen = resolve(args.notebooks)
    if not chosen:
        print(f"slides: no period notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    prefix = args.reveal_prefix or LOCAL_PREFIX
    if not args.reveal_prefix:
        vendor_reveal(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = [build_deck(Path(getattr(item, "path", item)), out, prefix) for item in chosen]
    for warning in caught:
        print(f"slides: warning: {warning.message}", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
