"""Notebook authoring tools: generated cells, in-place execution and checks.

The notebooks in ``notebooks/`` are the source: teachers edit them in JupyterLab. This
module only maintains the cells it generates from ``notebooks/lessons.toml`` and
re-executes notebooks so that their stored outputs stay true.

Generated cells are Markdown cells marked in their metadata with
``cell.metadata["cambodia_russia"] = {"generated": KIND}``:

``header``
    The first cell: title, a one-line navigation bar, "Overview", "Learning objectives",
    "Prerequisites" and "Time to learn".
``footer``
    The last cell: "What's next" (naming and linking the next notebook), previous/next
    links and a link to the map of all notebooks.
``map``
    Only in the start notebook (kind ``"start"``), wherever a cell with this marker
    already is: a table of all notebooks with their time and objectives, and the total time.

Each marker also keeps the SHA-256 of the text last generated (``"sha256"``): :func:`sync`
refuses to overwrite a generated cell whose text matches neither that hash nor the new
text (a person edited it) and raises :class:`EditedCellError` naming notebook and cell,
unless ``force=True``. Notebooks are written atomically (a temporary file in the same
folder, then ``os.replace``) and only when their text changed; :func:`execute` saves no
widget state (:func:`without_widget_state`), so re-running an unchanged notebook changes
no byte. Paths come from the arguments; ``tools/notebooks.py`` passes
those of its own working copy.

Public functions:

* :func:`load_registry` reads ``lessons.toml`` into a :class:`Registry`.
* :func:`sync` inserts or refreshes the generated cells, the slide metadata and the
  kernelspec of one notebook (idempotent; returns whether the file changed).
* :func:`execute` runs one notebook top to bottom in place with nbclient and saves it.
* :func:`check` lists problems (stale generated cells, broken links and anchors, missing
  lesson anatomy, bad stored outputs, misplaced ``nbval-ignore-output`` tags).
* :func:`heading_anchor` is JupyterLab's rule for the anchor of a Markdown heading.

By default a notebook's registry is the ``lessons.toml`` beside it, so a folder of
throwaway notebooks with its own ``lessons.toml`` works the same way as ``notebooks/``.

Anchor rule (JupyterLab 4.6: ``createHeaderId`` in ``@jupyterlab/rendermime`` and
``Notebook.setFragment``; checked in Chromium): a rendered Markdown heading gets the id
``heading.textContent.replace(/ /g, "-")`` (stored in ``data-jupyter-id``). So the
anchor is the heading's visible text with every space replaced by ``-``; case and
punctuation are kept and Markdown formatting disappears (``## Key *points*`` ->
``Key-points``; ``## What's next`` -> ``What's-next``). Matching is exact:
``#key-points`` finds nothing. nbconvert's HTML export uses the same rule. Browsers
percent-encode non-ASCII characters of a link's fragment (``–`` becomes ``%E2%80%93``)
and JupyterLab compares the encoded text, so such links never find their heading:
:func:`check` accepts only ASCII anchors. Known JupyterLab 4.6 limitation: a link
``other.ipynb#Key-points`` scrolls to the heading when ``other.ipynb`` is already open;
when the click opens it, it opens at the top. Links inside one notebook (``#Key-points``)
always scroll.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import os
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat

__all__ = [
    "GENERATED_KEY",
    "IGNORE_OUTPUT_TAG",
    "KERNELSPEC",
    "KINDS",
    "Lesson",
    "MAP_HEADING",
    "NOTEBOOKS_DIR",
    "REGISTRY_FILE",
    "EditedCellError",
    "Registry",
    "RegistryError",
    "WIDGET_VIEW_MIME",
    "HASH_KEY",
    "check",
    "edited_cells",
    "execute",
    "footer_source",
    "header_source",
    "heading_anchor",
    "headings",
    "without_widget_state",
    "load_registry",
    "map_source",
    "notebook_paths",
    "slide_type",
    "sync",
    "synced",
]

#: The folder of the collection's notebooks (``<repo>/notebooks``).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
#: File name of the registry, looked for beside each notebook.
REGISTRY_FILE = "lessons.toml"
#: Metadata key of the marker of generated cells.
GENERATED_KEY = "cambodia_russia"
#: Key of the SHA-256 of the generated text in a generated cell's marker.
HASH_KEY = "sha256"
#: Kinds of generated cells.
GENERATED_KINDS = ("header", "footer", "map")
#: Notebook kinds allowed in lessons.toml.
KINDS = ("start", "period", "sources", "lab", "guide")
#: Kinds whose notebooks must have the full lesson anatomy.
LESSON_KINDS = ("period", "sources", "lab")
#: The kernelspec written into every notebook.
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
#: Cell tag that tells nbval not to compare a cell's outputs (live widgets only).
IGNORE_OUTPUT_TAG = "nbval-ignore-output"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
#: Heading of the generated map cell (its anchor is ``Map-of-the-collection``).
MAP_HEADING = "Map of the collection"
#: Headings the generated header provides.
HEADER_HEADINGS = ("Overview", "Learning objectives", "Prerequisites", "Time to learn")
#: Level-2 headings every period/sources/lab notebook must have in its own cells.
AUTHORED_HEADINGS = (
    "Key points",
    "Summary",
    "Discussion questions",
    "Exercises",
    "Self-check quiz",
    "References",
)
FOOTER_HEADING = "What's next"
#: Seconds allowed per cell by :func:`execute`.
CELL_TIMEOUT = 120

_GENERATED_NOTE = (
    "<!-- Generated from notebooks/lessons.toml by `python tools/notebooks.py sync`. "
    "Edit lessons.toml, not this cell: sync rewrites it. -->"
)
_FILE_RE = re.compile(r"(\d\d)_[a-z0-9_]+\.ipynb")
_ID_RE = re.compile(r"[a-z0-9_]*")
_SCHEME_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_HTML_URL_RE = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


# --------------------------------------------------------------------------- registry


class RegistryError(ValueError):
    """lessons.toml is missing or invalid; ``.problems`` holds one message per problem."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = Path(path)
        self.problems = list(problems)
        super().__init__(
            f"Invalid registry {path}: {len(self.problems)} problem(s)\n" + "\n".join(self.problems)
        )


@dataclass(frozen=True)
class Lesson:
    """One notebook of the collection, as listed in lessons.toml."""

    file: str
    title: str
    short: str
    period: str
    overview: str
    objectives: tuple[str, ...]
    prerequisites: tuple[str, ...]
    time: int
    kind: str

    @property
    def number(self) -> str:
        """The two-digit number at the start of the file name, e.g. ``"01"``."""
        return self.file[:2]

    @property
    def stem(self) -> str:
        """The file name without ``.ipynb``."""
        return self.file.removesuffix(".ipynb")

    @property
    def label(self) -> str:
        """Number and full title, e.g. ``"01 Sihanouk's neutrality ..."``."""
        return f"{self.number} {self.title}"

    @property
    def short_label(self) -> str:
        """Number and short title, as used in the navigation bar."""
        return f"{self.number} {self.short}"


@dataclass(frozen=True)
class Registry:
    """The ordered list of notebooks read from one lessons.toml."""

    path: Path
    lessons: tuple[Lesson, ...]

    @property
    def directory(self) -> Path:
        """The folder holding lessons.toml and the notebooks."""
        return self.path.parent

    def get(self, file: str) -> Lesson | None:
        """The lesson whose notebook file name is ``file``, or None."""
        for lesson in self.lessons:
            if lesson.file == file:
                return lesson
        return None

    def index(self, lesson: Lesson) -> int:
        """Position of ``lesson`` in the registry (0-based)."""
        return self.lessons.index(lesson)

    def previous(self, lesson: Lesson) -> Lesson | None:
        """The lesson before ``lesson``, or None for the first one."""
        i = self.index(lesson)
        return self.lessons[i - 1] if i > 0 else None

    def next(self, lesson: Lesson) -> Lesson | None:
        """The lesson after ``lesson``, or None for the last one."""
        i = self.index(lesson)
        return self.lessons[i + 1] if i + 1 < len(self.lessons) else None

    @property
    def start(self) -> Lesson:
        """The start notebook (kind ``"start"``), home of the map."""
        for lesson in self.lessons:
            if lesson.kind == "start":
                return lesson
        raise RegistryError(self.path, [f'{self.path.name}: no lesson of kind "start"'])

    def path_of(self, lesson: Lesson) -> Path:
        """Where the notebook of ``lesson`` lives."""
        return self.directory / lesson.file


def _registry_problems(path: Path, data: dict) -> list[str]:
    """Every problem in the parsed content of a lessons.toml (empty list if valid)."""
    name = path.name
    problems: list[str] = []
    unknown_top = sorted(set(data) - {"lesson"})
    if unknown_top:
        problems.append(f"{name}: unknown top-level key(s) {', '.join(unknown_top)}")
    tables = data.get("lesson")
    if not isinstance(tables, list) or not tables:
        return problems + [f"{name}: no [[lesson]] tables"]
    text_keys = ("file", "title", "short", "period", "overview", "kind")
    list_keys = ("objectives", "prerequisites")
    files = [t.get("file") for t in tables if isinstance(t, dict)]
    for i, table in enumerate(tables, start=1):
        where = f"{name}, lesson {i}"
        if isinstance(table.get("file"), str):
            where += f" ({table['file']})"
        for key in sorted(set(table) - set(text_keys) - set(list_keys) - {"time"}):
            problems.append(f"{where}: unknown key {key!r}")
        for key in text_keys:
            value = table.get(key)
            if not isinstance(value, str):
                problems.append(f"{where}: {key!r} must be a string")
            elif key != "period" and not value.strip():
                problems.append(f"{where}: {key!r} is empty")
        for key in list_keys:
            value = table.get(key)
            if not isinstance(value, list) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                problems.append(f"{where}: {key!r} must be a list of non-empty strings")
        if isinstance(table.get("objectives"), list) and not table["objectives"]:
            problems.append(f"{where}: 'objectives' is empty")
        time = table.get("time")
        if not isinstance(time, int) or isinstance(time, bool) or time <= 0:
            problems.append(f"{where}: 'time' must be a positive whole number of minutes")
        file = table.get("file")
        if isinstance(file, str):
            match = _FILE_RE.fullmatch(file)
            if not match:
                problems.append(
                    f"{where}: 'file' must look like NN_name.ipynb (lowercase, digits, _)"
                )
            elif int(match.group(1)) != i - 1:
                problems.append(
                    f"{where}: file number {match.group(1)} does not match its position {i - 1:02d}"
                )
            if files.count(file) > 1:
                problems.append(f"{where}: file listed more than once")
        kind = table.get("kind")
        if isinstance(kind, str) and kind not in KINDS:
            problems.append(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        period = table.get("period")
        if isinstance(period, str):
            if not _ID_RE.fullmatch(period):
                problems.append(f"{where}: 'period' must be a period id ([a-z0-9_]) or empty")
            if kind == "period" and not period:
                problems.append(f"{where}: a notebook of kind \"period\" needs a 'period'")
        for item in table.get("prerequisites") or []:
            if isinstance(item, str) and item.endswith(".ipynb") and item not in files:
                problems.append(f"{where}: prerequisite {item} is not a notebook of this registry")
    kinds = [t.get("kind") for t in tables]
    if kinds.count("start") != 1:
        problems.append(
            f'{name}: exactly one lesson must have kind "start" (found {kinds.count("start")})'
        )
    problems += _period_problems(path, tables)
    return problems


def _period_problems(path: Path, tables: list) -> list[str]:
    """Cross-check 'period' against ../data/periods.csv when that file exists."""
    periods_csv = path.parent.parent / "data" / "periods.csv"
    if not periods_csv.is_file():
        return []
    try:
        with periods_csv.open(encoding="utf-8", newline="") as handle:
            rows = [r for r in csv.DictReader(handle) if r.get("scheme") == "collection"]
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        return [f"{path.name}: cannot read {periods_csv}: {error}"]
    notebook_of = {r.get("id", ""): r.get("notebook", "") for r in rows}
    problems = []
    for i, table in enumerate(tables, start=1):
        period, file = table.get("period"), table.get("file")
        if not isinstance(period, str) or not period or not isinstance(file, str):
            continue
        where = f"{path.name}, lesson {i} ({file})"
        if period not in notebook_of:
            problems.append(
                f"{where}: period {period!r} is not a collection period in data/periods.csv"
            )
        elif notebook_of[period] and notebook_of[period] != file.removesuffix(".ipynb"):
            problems.append(
                f"{where}: data/periods.csv gives notebook {notebook_of[period]!r} for period "
                f"{period!r}"
            )
    return problems


def load_registry(path: str | Path | None = None) -> Registry:
    """Read and validate a lessons.toml (default: ``notebooks/lessons.toml`` of the repo).

    ``path`` may also be the folder holding lessons.toml. Raises :class:`RegistryError`
    (a ValueError) listing every problem when the file is missing or invalid.
    """
    path = Path(path) if path is not None else NOTEBOOKS_DIR / REGISTRY_FILE
    if path.is_dir():
        path = path / REGISTRY_FILE
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise RegistryError(path, [f"{path.name}: file not found ({path})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(path, [f"{path.name}: not valid TOML: {error}"]) from None
    problems = _registry_problems(path, data)
    if problems:
        raise RegistryError(path, problems)
    lessons = tuple(
        Lesson(
            file=t["file"],
            title=t["title"].strip(),
            short=t["short"].strip(),
            period=t["period"].strip(),
            overview=" ".join(t["overview"].split()),
            objectives=tuple(" ".join(o.split()) for o in t["objectives"]),
            prerequisites=tuple(" ".join(p.split()) for p in t["prerequisites"]),
            time=t["time"],
            kind=t["kind"],
        )
        for t in data["lesson"]
    )
    return Registry(path=path.resolve(), lessons=lessons)


def _registry_for(path: Path, registry: Registry | None) -> Registry:
    return registry if registry is not None else load_registry(path.parent / REGISTRY_FILE)


def _lesson_for(path: Path, registry: Registry) -> Lesson:
    lesson = registry.get(path.name)
    if lesson is None:
        raise RegistryError(registry.path, [f"{path.name} is not listed in {registry.path}"])
    return lesson


def notebook_paths(registry: Registry | None = None, existing_only: bool = True) -> list[Path]:
    """Paths of the registry's notebooks in lessons.toml order (existing files only by default)."""
    registry = registry if registry is not None else load_registry()
    paths = [registry.path_of(lesson) for lesson in registry.lessons]
    return [p for p in paths if p.exists()] if existing_only else paths


# --------------------------------------------------------------------------- markdown


def _markdown_parser():
    from markdown_it import MarkdownIt  # local import: only the checks need it

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline_text(children) -> str:
    """Text content of rendered inline Markdown, as a browser's ``textContent`` gives it."""
    parts = []
    for token in children or []:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type == "softbreak":
            parts.append("\n")
        # images (<img> has no text), raw HTML tags and hard breaks add no text
    return "".join(parts)


def headings(markdown: str) -> list[tuple[int, str]]:
    """The headings of a Markdown text as ``(level, visible text)`` pairs, in order."""
    tokens = _markdown_parser().parse(markdown)
    found = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and i + 1 < len(tokens):
            found.append((int(token.tag[1]), _inline_text(tokens[i + 1].children)))
    return found


def heading_anchor(text: str) -> str:
    """JupyterLab's anchor for a heading whose visible text is ``text``.

    Every space becomes ``-``; case and punctuation are kept (``"What's next"`` ->
    ``"What's-next"``). See the module docstring for the details of the rule.
    """
    return text.replace(" ", "-")


def _links(markdown: str) -> list[str]:
    """Link and image targets in Markdown (also href/src of raw HTML), decoded."""
    targets = []
    for token in _markdown_parser().parse(markdown):
        if token.type in ("html_block",):
            targets += [a or b for a, b in _HTML_URL_RE.findall(token.content)]
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(unquote(child.attrGet("href") or ""))
            elif child.type == "image":
                targets.append(unquote(child.attrGet("src") or ""))
            elif child.type == "html_inline":
                targets += [a or b for a, b in _HTML_URL_RE.findall(child.content)]
    return targets


# --------------------------------------------------------------------------- generated cells


def _minutes_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("s" if hours > 1 else ""))
    if rest or not hours:
        parts.append(f"{rest} minute" + ("s" if rest != 1 else ""))
    return " ".join(parts)


def _minutes_short(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _link(text: str, target: str) -> str:
    return f"[{text}]({target})"


def _map_link(registry: Registry, lesson: Lesson) -> str:
    anchor = "#" + heading_anchor(MAP_HEADING)
    start = registry.start
    return anchor if lesson == start else start.file + anchor


def _nav_bar(registry: Registry, lesson: Lesson) -> str:
    parts = [_link("Start", registry.start.file)]
    previous, following = registry.previous(lesson), registry.next(lesson)
    if previous is not None:
        parts.append(_link(f"← {previous.short_label}", previous.file))
    if following is not None:
        parts.append(_link(f"{following.short_label} →", following.file))
    return " · ".join(parts)


def _prerequisite(registry: Registry, item: str) -> str:
    other = registry.get(item)
    return _link(other.label, other.file) if other is not None else item


def header_source(registry: Registry, lesson: Lesson) -> str:
    """Markdown of the generated header cell of ``lesson``."""
    lines = [
        f"# {lesson.title}",
        "",
        _nav_bar(registry, lesson),
        "",
        "## Overview",
        "",
        lesson.overview,
    ]
    lines += [
        "",
        "## Learning objectives",
        "",
        "By the end of this notebook you will be able to:",
        "",
    ]
    lines += [f"- {objective}" for objective in lesson.objectives]
    lines += ["", "## Prerequisites", ""]
    if lesson.prerequisites:
        lines += [f"- {_prerequisite(registry, item)}" for item in lesson.prerequisites]
    else:
        lines.append("None: you can start here.")
    lines += [
        "",
        "## Time to learn",
        "",
        f"About {_minutes_words(lesson.time)}.",
        "",
        _GENERATED_NOTE,
    ]
    return "\n".join(lines)


def footer_source(registry: Registry, lesson: Lesson) -> str:
    """Markdown of the generated footer cell ("What's next") of ``lesson``."""
    following = registry.next(lesson)
    map_link = _map_link(registry, lesson)
    if following is None:
        text = (
            "This is the last notebook of the collection. Use the "
            f"{_link('map of all notebooks', map_link)} to go back to any lesson."
        )
    elif following.kind == "guide":
        text = (
            "That was the last lesson: use the "
            f"{_link('map of all notebooks', map_link)} "
            "to revisit any of them, and keep "
            f"**{_link(following.label, following.file)}** open to look up any word of the lessons."
        )
    else:
        text = f"Continue with **{_link(following.label, following.file)}**. {following.overview}"
    links = []
    previous = registry.previous(lesson)
    if previous is not None:
        links.append(_link(f"← {previous.short_label}", previous.file))
    links.append(_link("Map of all notebooks", map_link))
    if following is not None:
        links.append(_link(f"{following.short_label} →", following.file))
    return "\n".join([f"## {FOOTER_HEADING}", "", text, "", " · ".join(links), "", _GENERATED_NOTE])


def _table_text(text: str) -> str:
    return text.replace("|", "\\|")


def map_source(registry: Registry) -> str:
    """Markdown of the generated map cell: all notebooks, their time and objectives, total time."""
    lines = [
        f"## {MAP_HEADING}",
        "",
        "| No. | Notebook | Time | Learning objectives |",
        "|:---|:---|---:|:---|",
    ]
    for lesson in registry.lessons:
        objectives = "<br>".join(f"• {_table_text(o)}" for o in lesson.objectives)
        lines.append(
            f"| {lesson.number} | {_link(_table_text(lesson.title), lesson.file)} "
            f"| {_minutes_short(lesson.time)} | {objectives} |"
        )
    lessons = [lesson for lesson in registry.lessons if lesson.kind != "guide"]
    guides = [lesson for lesson in registry.lessons if lesson.kind == "guide"]
    total = (
        f"**Total time:** about {_minutes_short(sum(lesson.time for lesson in lessons))} for the "
        f"{len(lessons)} notebooks for students ({lessons[0].number}–{lessons[-1].number})"
    )
    if guides:
        names = " and ".join(f"{g.title} ({g.number})" for g in guides)
        total += f", plus {_minutes_short(sum(g.time for g in guides))} for the {names}"
    lines += ["", total + ".", "", _GENERATED_NOTE]
    return "\n".join(lines)


def _generated_kind(cell) -> str | None:
    marker = cell.get("metadata", {}).get(GENERATED_KEY)
    if isinstance(marker, dict):
        kind = marker.get("generated")
        return kind if isinstance(kind, str) else None
    return None


def slide_type(cell) -> str:
    """reveal.js slide type of a cell.

    The header and Markdown cells starting with ``## `` are "slide", cells starting with
    ``### `` are "subslide", every other cell (code cells included) is "-".
    """
    if _generated_kind(cell) == "header":
        return "slide"
    if cell.get("cell_type") == "markdown":
        text = _source(cell).lstrip()
        if text.startswith("## "):
            return "slide"
        if text.startswith("### "):
            return "subslide"
    return "-"


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _generated_cell(kind: str, source: str, cell_id: str):
    """A generated cell; its marker keeps the SHA-256 of the text written, so that a later
    :func:`sync` can tell a hand edit from text that is merely out of date."""
    return nbformat.v4.new_markdown_cell(
        source=source,
        id=cell_id,
        metadata={
            GENERATED_KEY: {"generated": kind, HASH_KEY: _text_hash(source)},
            "editable": False,
            "deletable": False,
        },
    )


class EditedCellError(RuntimeError):
    """:func:`sync` found a generated cell that a person edited and stopped (nothing was
    written). ``cells`` lists ``(cell number, kind)``; the message names notebook and cells.
    """

    def __init__(self, path: Path, cells: list[tuple[int, str]]):
        self.path = Path(path)
        self.cells = cells
        where = "; ".join(
            f"{self.path.name}, cell {number}: the generated {kind} cell was edited by hand"
            for number, kind in cells
        )
        super().__init__(
            f"{where}. Nothing was written. Put the text in lessons.toml or in a cell of its "
            f"own, or run `python tools/notebooks.py sync --force {self.path.name}` to "
            f"replace the edit with the generated text."
        )


def edited_cells(nb, registry: Registry, lesson: Lesson) -> list[tuple[int, str]]:
    """Generated cells of ``nb`` a person has edited: ``(cell number, kind)`` pairs.

    A cell is edited when its text differs both from the text :func:`sync` would write
    and from the text last generated (its SHA-256 is kept in the cell's marker). A cell
    without a stored hash (written before hashes were kept) counts as edited when its
    non-empty text differs from the new text: without the hash an edit cannot be told
    from an outdated text, and keeping an edit matters more.
    """
    fresh = {
        "header": header_source(registry, lesson),
        "footer": footer_source(registry, lesson),
        "map": map_source(registry) if lesson.kind == "start" else None,
    }
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        kind = _generated_kind(cell)
        if kind not in fresh or fresh[kind] is None:
            continue
        text = _source(cell)
        stored = cell["metadata"][GENERATED_KEY].get(HASH_KEY)
        if text == fresh[kind] or (stored is None and not text.strip()):
            continue
        if stored is None or _text_hash(text) != stored:
            found.append((number, kind))
    return found


def _without_hashes(nb):
    """A copy of ``nb`` whose generated-cell markers lack the stored hash (for comparing)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        marker = cell.get("metadata", {}).get(GENERATED_KEY)
        if isinstance(marker, dict):
            marker.pop(HASH_KEY, None)
    return nb


def _ensure_ids(nb) -> None:
    """Give every cell a unique id (nbformat 4.5); upgrades older 4.x notebooks."""
    if nb.get("nbformat_minor", 0) < 5:
        nb["nbformat_minor"] = 5
    seen: set[str] = set()
    for cell in nb.cells:
        cell_id = cell.get("id")
        if not isinstance(cell_id, str) or not cell_id or cell_id in seen:
            cell_id = nbformat.v4.nbbase.random_cell_id()
            while cell_id in seen:
                cell_id = nbformat.v4.nbbase.random_cell_id()
            cell["id"] = cell_id
        seen.add(cell_id)


def _free_id(wanted: str, cells) -> str:
    used = {c.get("id") for c in cells}
    if wanted not in used:
        return wanted
    cell_id = nbformat.v4.nbbase.random_cell_id()
    while cell_id in used:
        cell_id = nbformat.v4.nbbase.random_cell_id()
    return cell_id


def synced(nb, registry: Registry, lesson: Lesson):
    """A copy of notebook ``nb`` with generated cells, slide metadata and kernelspec up to date."""
    nb = copy.deepcopy(nb)
    _ensure_ids(nb)
    old_headers = [c for c in nb.cells if _generated_kind(c) == "header"]
    old_footers = [c for c in nb.cells if _generated_kind(c) == "footer"]
    body = [c for c in nb.cells if _generated_kind(c) not in ("header", "footer")]
    header_id = old_headers[0]["id"] if old_headers else _free_id("cr-header", body)
    header = _generated_cell("header", header_source(registry, lesson), header_id)
    footer_id = old_footers[0]["id"] if old_footers else _free_id("cr-footer", body + [header])
    footer = _generated_cell("footer", footer_source(registry, lesson), footer_id)
    if lesson.kind == "start":
        body = [
            _generated_cell("map", map_source(registry), c["id"])
            if _generated_kind(c) == "map"
            else c
            for c in body
        ]
    nb.cells = [header, *body, footer]
    for cell in nb.cells:
        cell.setdefault("metadata", nbformat.NotebookNode())
        cell["metadata"]["slideshow"] = nbformat.NotebookNode({"slide_type": slide_type(cell)})
    nb.metadata["kernelspec"] = nbformat.NotebookNode(dict(KERNELSPEC))
    return nbformat.from_dict(nb)


def _read(path: Path):
    return nbformat.read(str(path), as_version=4)


def _write(path: Path, nb) -> bool:
    """Save ``nb`` atomically if its text differs from the file's; returns whether it wrote.

    The text goes to a temporary file in the same folder, which then replaces the notebook
    (``os.replace``): an interrupted run never leaves half a notebook. The file keeps its
    permissions.
    """
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def sync(path: str | Path, registry: Registry | None = None, force: bool = False) -> bool:
    """Bring the generated cells, slide metadata and kernelspec of one notebook up to date.

    Inserts the header (first cell) and footer (last cell) when missing, rewrites marked
    cells whose content differs, fills the map cell of the start notebook and never
    changes the source or outputs of other cells. Writes the file (atomically) only when
    something changed; returns True in that case. Idempotent: a second call returns False.
    ``registry`` defaults to the lessons.toml beside the notebook.

    A generated cell a person edited (:func:`edited_cells`) raises
    :class:`EditedCellError` and nothing is written, unless ``force`` is true.
    """
    path = Path(path)
    registry = _registry_for(path, registry)
    lesson = _lesson_for(path, registry)
    nb = _read(path)
    if not force:
        edited = edited_cells(nb, registry, lesson)
        if edited:
            raise EditedCellError(path, edited)
    new = synced(nb, registry, lesson)
    if new == nb:
        return False
    return _write(path, new)


# --------------------------------------------------------------------------- execution


def _current_env_kernel_manager():
    """A kernel manager for kernel "python3" that runs this interpreter's ipykernel."""
    import ipykernel.kernelspec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class _CurrentEnvSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            if kernel_name == KERNELSPEC["name"]:
                spec = ipykernel.kernelspec.get_kernel_dict()
                spec["argv"][0] = sys.executable
                return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES, **spec)
            return super().get_kernel_spec(kernel_name)

    return AsyncKernelManager(
        kernel_name=KERNELSPEC["name"], kernel_spec_manager=_CurrentEnvSpecs()
    )


def execute(path: str | Path, timeout: int = CELL_TIMEOUT):
    """Run one notebook top to bottom in place and save it; returns the executed notebook.

    Uses nbclient with the ipykernel of the current interpreter (kernel name "python3"),
    the notebook's folder as working directory, ``timeout`` seconds per cell, no timing
    metadata and no widget state (:func:`without_widget_state`). ``MPLBACKEND`` is removed
    from the kernel's environment and IPython's profile folder is a fresh temporary one, so
    a user's settings cannot change the stored outputs. The file is written (atomically)
    only when its text changed. A failing cell raises
    ``nbclient.exceptions.CellExecutionError`` and the file is left unchanged.
    """
    from nbclient import NotebookClient

    path = Path(path).resolve()
    nb = _read(path)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    with tempfile.TemporaryDirectory(prefix="cambodia-russia-ipython-") as ipython_dir:
        env["IPYTHONDIR"] = ipython_dir
        client = NotebookClient(
            nb,
            km=_current_env_kernel_manager(),
            timeout=timeout,
            kernel_name=KERNELSPEC["name"],
            record_timing=False,
            # True, then stripped: nbclient 0.11 raises KeyError with False and an Output widget
            store_widget_state=True,
            allow_errors=False,
            resources={"metadata": {"path": str(path.parent)}},
        )
        # cleanup_kc: shut the kernel down afterwards although the client did not create its manager
        client.execute(cleanup_kc=True, env=env, cwd=str(path.parent))
    nb.metadata["kernelspec"] = nbformat.NotebookNode(dict(KERNELSPEC))
    nb = without_widget_state(nb)
    _write(path, nb)
    return nb


def without_widget_state(nb):
    """``nb`` without stored widget state, and its live widget views left empty.

    The state (``metadata.widgets``) holds every widget's models: 150-250 KiB a notebook,
    with random ids that change on every run. What a reader sees without a kernel is the
    widgets' static first view, an ordinary HTML output of the same cell, which stays. A
    widget view keeps its place (so the cell is known to show a live widget) with an empty
    ``model_id``, which JupyterLab hides instead of printing "Error displaying widget".
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW_MIME)
            if isinstance(view, dict):
                view["model_id"] = ""
    return nb


# --------------------------------------------------------------------------- checks


def _where(name: str, cell: int) -> str:
    return f"{name}, cell {cell}"


class _Anchors:
    """Heading anchors of link targets, read once per check run."""

    def __init__(self):
        self._cache: dict[Path, set[str] | None] = {}

    def of(self, path: Path) -> set[str] | None:
        path = path.resolve()
        if path not in self._cache:
            self._cache[path] = self._read(path)
        return self._cache[path]

    @staticmethod
    def _read(path: Path) -> set[str] | None:
        try:
            if path.suffix == ".ipynb":
                nb = _read(path)
                texts = [_source(c) for c in nb.cells if c.get("cell_type") == "markdown"]
            else:
                texts = [path.read_text(encoding="utf-8")]
        except Exception:  # unreadable target: reported by its own check
            return None
        return {heading_anchor(text) for md in texts for _, text in headings(md)}


def _link_problems(name: str, directory: Path, nb, anchors: _Anchors, own: set[str]) -> list[str]:
    problems = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "markdown":
            continue
        for target in _links(_source(cell)):
            where = _where(name, number)
            if not target or _SCHEME_RE.match(target) or target.startswith("//"):
                continue  # web, mailto and data links are not checked here
            parts = urlsplit(target)
            file_part, anchor = parts.path, parts.fragment
            if target.startswith("/"):
                problems.append(
                    f"{where}: link {target!r} is absolute; use a path relative to the notebook"
                )
                continue
            if file_part:
                resolved = directory / file_part
                if not resolved.exists():
                    problems.append(
                        f"{where}: link {target!r} points to a missing file ({file_part})"
                    )
                    continue
            else:
                resolved = None
            if not anchor:
                continue
            if anchor != anchor.encode("ascii", "ignore").decode() or "%" in anchor:
                problems.append(
                    f"{where}: link {target!r} has an anchor with non-ASCII or encoded characters; "
                    "browsers percent-encode them and JupyterLab then finds no heading"
                )
                continue
            if resolved is None:
                available = own
            elif resolved.suffix in (".ipynb", ".md") and resolved.is_file():
                available = anchors.of(resolved)
            else:
                continue  # anchors into other files (CSV, HTML) are not checked
            if available is not None and anchor not in available:
                hint = _anchor_hint(anchor, available)
                problems.append(
                    f"{where}: link {target!r}: no heading with anchor {anchor!r} in "
                    f"{file_part or name}{hint}"
                )
    return problems


def _anchor_hint(anchor: str, available: set[str]) -> str:
    lowered = {a.lower(): a for a in available}
    if anchor.lower() in lowered:
        return f" (anchors keep the heading's case: use {lowered[anchor.lower()]!r})"
    if anchor.replace("-", " ").lower() in {a.replace("-", " ").lower() for a in available}:
        return " (anchor = heading text with each space replaced by '-')"
    return ""


def _generated_problems(name: str, nb, registry: Registry, lesson: Lesson) -> list[str]:
    expected = _without_hashes(synced(nb, registry, lesson))
    nb = _without_hashes(nb)  # a missing or stale hash alone is not a problem
    if expected == nb:
        return []
    fix = f"run: python tools/notebooks.py sync {name}"
    problems = []
    cells = nb.cells
    kinds = [_generated_kind(c) for c in cells]
    for kind, position, source in (
        ("header", 1, header_source(registry, lesson)),
        ("footer", len(cells), footer_source(registry, lesson)),
    ):
        places = [i for i, k in enumerate(kinds, start=1) if k == kind]
        if not places:
            place = "before this first cell" if kind == "header" else "after this last cell"
            problems.append(
                f"{_where(name, max(position, 1))}: the generated {kind} cell is missing; "
                f"it goes {place} ({fix})"
            )
            continue
        for i in places:
            if i != position or len(places) > 1:
                problems.append(
                    f"{_where(name, i)}: the generated {kind} cell must appear once, "
                    f"as cell {position} ({fix})"
                )
            elif _source(cells[i - 1]) != source:
                problems.append(
                    f"{_where(name, i)}: the generated {kind} is out of date or was edited by hand "
                    f"(edit lessons.toml instead; {fix})"
                )
    if lesson.kind == "start":
        expected_map = map_source(registry)
        for i, kind in enumerate(kinds, start=1):
            if kind == "map" and _source(cells[i - 1]) != expected_map:
                problems.append(f"{_where(name, i)}: the generated map is out of date ({fix})")
    wrong = [
        (i, cell.get("metadata", {}).get("slideshow", {}).get("slide_type"), slide_type(cell))
        for i, cell in enumerate(cells, start=1)
    ]
    wrong = [(i, got, wanted) for i, got, wanted in wrong if got != wanted]
    if wrong:
        i, got, wanted = wrong[0]
        others = f"; also cells {', '.join(str(w[0]) for w in wrong[1:])}" if len(wrong) > 1 else ""
        problems.append(
            f"{_where(name, i)}: slide type is {got!r}, expected {wanted!r}{others} ({fix})"
        )
    if nb.metadata.get("kernelspec") != KERNELSPEC:
        problems.append(
            f"{_where(name, 1)}: notebook metadata kernelspec must be {KERNELSPEC} ({fix})"
        )
    if not problems:
        first = next(
            (
                i
                for i, (a, b) in enumerate(zip(cells, expected.cells, strict=False), start=1)
                if a != b
            ),
            min(len(cells), len(expected.cells)) or 1,
        )
        problems.append(
            f"{_where(name, first)}: generated cells or their metadata are not current ({fix})"
        )
    return problems


def _structure_problems(name: str, nb, lesson: Lesson | None) -> list[str]:
    problems = []
    cells = nb.cells
    kinds = [_generated_kind(c) for c in cells]
    for i, (cell, kind) in enumerate(zip(cells, kinds, strict=True), start=1):
        if GENERATED_KEY in cell.get("metadata", {}) and kind not in GENERATED_KINDS:
            problems.append(
                f"{_where(name, i)}: unknown generated-cell marker "
                f"{cell['metadata'][GENERATED_KEY]!r} "
                f"(expected generated = {', '.join(GENERATED_KINDS)})"
            )
    if lesson is None:
        return problems
    maps = [i for i, k in enumerate(kinds, start=1) if k == "map"]
    if lesson.kind == "start" and not maps:
        problems.append(
            f"{_where(name, 1)}: the start notebook has no map cell; add an empty Markdown cell "
            f'with metadata {{"{GENERATED_KEY}": {{"generated": "map"}}}} '
            "where the map belongs, then sync"
        )
    if lesson.kind != "start":
        for i in maps:
            problems.append(
                f"{_where(name, i)}: a map cell belongs only in the start notebook; delete it"
            )
    if lesson.kind in LESSON_KINDS:
        found_any = set()
        found_authored = set()
        for cell, kind in zip(cells, kinds, strict=True):
            if cell.get("cell_type") != "markdown":
                continue
            for level, text in headings(_source(cell)):
                found_any.add(text.strip())
                if kind is None and level == 2:
                    found_authored.add(text.strip())
        footer = len(cells) or 1  # the footer, or where it will go
        has_header, has_footer = "header" in kinds, "footer" in kinds
        for heading in HEADER_HEADINGS if has_header else ():
            if heading not in found_any:
                problems.append(
                    f"{_where(name, 1)}: no {heading!r} heading (it comes from the generated "
                    "header; sync)"
                )
        for heading in AUTHORED_HEADINGS:
            if heading not in found_authored:
                problems.append(
                    f"{_where(name, footer)}: no '## {heading}' heading in the notebook's own "
                    "cells "
                    f"(every {lesson.kind} notebook needs it, before the footer)"
                )
        if has_footer and FOOTER_HEADING not in found_any:
            problems.append(
                f"{_where(name, footer)}: no {FOOTER_HEADING!r} heading "
                "(it comes from the generated footer; sync)"
            )
    return problems


def _output_problems(name: str, nb) -> list[str]:
    problems = []
    expected_count = 0
    count_reported = False
    for i, cell in enumerate(nb.cells, start=1):
        where = _where(name, i)
        tags = cell.get("metadata", {}).get("tags", []) or []
        tagged = IGNORE_OUTPUT_TAG in tags
        if cell.get("cell_type") != "code":
            if tagged:
                problems.append(
                    f"{where}: the {IGNORE_OUTPUT_TAG!r} tag belongs only on code cells that show "
                    "a live widget"
                )
            continue
        expected_count += 1
        count = cell.get("execution_count")
        if not count_reported and count != expected_count:
            count_reported = True
            if not _source(cell).strip():
                problems.append(f"{where}: empty code cell (it is never executed): delete it")
            else:
                problems.append(
                    f"{where}: execution count is {count}, expected {expected_count}: stored "
                    "outputs must "
                    "come from one run top to bottom (run: python tools/notebooks.py execute "
                    f"{name})"
                )
        has_widget = False
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error":
                problems.append(
                    f"{where}: error output ({output.get('ename')}: {output.get('evalue')})"
                )
            elif kind == "stream" and output.get("name") == "stderr":
                text = "".join(output.get("text", ""))
                if "Warning" in text or "Error" in text:
                    line = next(
                        (ln for ln in text.splitlines() if "Warning" in ln or "Error" in ln), text
                    )
                    problems.append(
                        f"{where}: stderr output with a warning or error: {line.strip()[:160]}"
                    )
            elif kind in ("display_data", "execute_result"):
                if WIDGET_VIEW_MIME in output.get("data", {}):
                    has_widget = True
                if kind == "execute_result" and output.get("execution_count") != count:
                    problems.append(f"{where}: result's execution count differs from the cell's")
        if has_widget and not tagged:
            problems.append(
                f"{where}: shows a live widget but lacks the {IGNORE_OUTPUT_TAG!r} cell tag "
                "(nbval cannot compare widget outputs)"
            )
        elif tagged and not has_widget:
            problems.append(
                f"{where}: has the {IGNORE_OUTPUT_TAG!r} tag but its stored outputs show no live "
                "widget "
                "(keep the tag only on cells that display a widget)"
            )
    return problems


def _check_notebook(path: Path, registry: Registry | None, anchors: _Anchors) -> list[str]:
    name = path.name
    try:
        nb = _read(path)
    except Exception as error:  # unreadable JSON, wrong format
        return [f"{_where(name, 1)}: cannot read the notebook: {error}"]
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as error:
        problems.append(f"{_where(name, 1)}: not a valid notebook: {str(error).splitlines()[0]}")
    lesson = registry.get(name) if registry is not None else None
    if registry is not None and lesson is None:
        problems.append(f"{_where(name, 1)}: the notebook is not listed in {REGISTRY_FILE}")
    if lesson is not None:
        problems += _generated_problems(name, nb, registry, lesson)
    problems += _structure_problems(name, nb, lesson)
    own = {
        heading_anchor(text)
        for cell in nb.cells
        if cell.get("cell_type") == "markdown"
        for _, text in headings(_source(cell))
    }
    problems += _link_problems(name, path.parent, nb, anchors, own)
    problems += _output_problems(name, nb)
    return problems


def _directory_problems(directory: Path, registry: Registry) -> list[str]:
    problems = []
    for i, lesson in enumerate(registry.lessons, start=1):
        if not (directory / lesson.file).is_file():
            problems.append(
                f"{REGISTRY_FILE}, lesson {i}: {lesson.file} does not exist in {directory}"
            )
    listed = {lesson.file for lesson in registry.lessons}
    for path in sorted(directory.glob("*.ipynb")):
        if path.name not in listed:
            problems.append(
                f"{_where(path.name, 1)}: the notebook is not listed in {REGISTRY_FILE}"
            )
    return problems


def check(paths: Iterable[str | Path] | None = None, registry: Registry | None = None) -> list[str]:
    """Problems with notebooks, one message each, naming the notebook and the cell number.

    ``paths`` defaults to every notebook of the repo's lessons.toml (and any other
    notebook beside it). Checked: generated cells current (sync would change nothing);
    relative links and ``#anchors`` resolve (JupyterLab's anchor rule); every lesson of
    lessons.toml exists and every notebook is listed; the lesson anatomy of period,
    sources and lab notebooks; stored outputs (execution counts 1..n in order, no error
    output, no stderr with "Warning" or "Error"); and the ``nbval-ignore-output`` tag on
    exactly the code cells whose stored outputs show a live widget. Registry problems
    start with "lessons.toml". ``registry`` defaults to the lessons.toml beside each notebook.
    """
    if paths is None:
        reg = registry if registry is not None else load_registry()
        listed = notebook_paths(reg)
        extra = [p for p in sorted(reg.directory.glob("*.ipynb")) if p not in listed]
        paths = listed + extra
    problems: list[str] = []
    anchors = _Anchors()
    registries: dict[Path, Registry | None] = {}
    for raw in paths:
        path = Path(raw).resolve()
        directory = path.parent
        if directory not in registries:
            try:
                found = (
                    registry if registry is not None else load_registry(directory / REGISTRY_FILE)
                )
                registries[directory] = found
            except RegistryError as error:
                registries[directory] = None
                problems += error.problems
            else:
                problems += _directory_problems(directory, registries[directory])
        if not path.is_file():
            if not any(path.name in p and p.startswith(REGISTRY_FILE) for p in problems):
                problems.append(f"{_where(path.name, 1)}: the notebook does not exist")
            continue
        problems += _check_notebook(path, registries[directory], anchors)
    return problems
