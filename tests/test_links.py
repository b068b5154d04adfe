"""Every relative link a student or teacher can click resolves from the server root.

``make lab`` serves the repository root (``--ServerApp.root_dir``), so a link in a notebook
resolves against the notebook's folder and must stay inside the repository and name a file
that exists. Links are read from Markdown cells and from the HTML and Markdown outputs the
notebooks store (reference lists, widgets' static views), and from the Markdown guides.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(
    p
    for p in ROOT.rglob("*.ipynb")
    if ".venv" not in p.parts
    and not any(
        part.startswith(".") or part in {"build", "test-artifacts"}
        for part in p.relative_to(ROOT).parts
    )
)
GUIDES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "data" / "README.md"]


class _Hrefs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.targets.append(value)


def _html_targets(markup: str) -> list[str]:
    parser = _Hrefs()
    parser.feed(markup)
    return parser.targets


def _markdown_targets(text: str) -> list[str]:
    targets = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "html_block":
            targets += _html_targets(token.content)
        for child in token.children or []:
            if child.type == "link_open":
                targets.append(child.attrGet("href") or "")
            elif child.type == "image":
                targets.append(child.attrGet("src") or "")
            elif child.type == "html_inline":
                targets += _html_targets(child.content)
    return targets


@functools.cache  # read once for the walk's guard and once more for its own test
def _notebook_targets(path: Path) -> list[tuple[str, str]]:
    nb = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        where = f"{path.relative_to(ROOT)}, cell {number}"
        if cell.cell_type == "markdown":
            found += [(where, t) for t in _markdown_targets(cell.source)]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                found += [
                    (where + " (output)", t) for t in _html_targets("".join(data["text/html"]))
                ]
            if "text/markdown" in data:
                found += [
                    (where + " (output)", t)
                    for t in _markdown_targets("".join(data["text/markdown"]))
                ]
    return found


def _problem(base: Path, target: str) -> str | None:
    parts = urlsplit(target)
    if not target or parts.scheme or target.startswith(("//", "#")):
        return None  # web links, data: URIs and anchors in the same page
    if target.startswith("/"):
        return "is absolute: use a path relative to the file"
    resolved = (base / unquote(parts.path)).resolve()
    if not resolved.is_relative_to(ROOT):
        return "leaves the repository, which is the server root of `make lab`"
    if not resolved.exists():
        return f"points to a missing file ({resolved.relative_to(ROOT)})"
    return None


def test_the_walk_finds_links_to_check():
    """Guard against a walker that silently checks nothing."""
    relative = [t for nb in NOTEBOOKS for _, t in _notebook_targets(nb) if not urlsplit(t).scheme]
    assert len(NOTEBOOKS) >= 9 and len(relative) >= 50


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_in_a_notebook_resolves_from_the_server_root(path):
    problems = [
        f"{where}: link {target!r} {problem}"
        for where, target in _notebook_targets(path)
        if (problem := _problem(path.parent, target))
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_in_a_guide_resolves(path):
    problems = [
        f"{path.relative_to(ROOT)}: link {target!r} {problem}"
        for target in _markdown_targets(path.read_text(encoding="utf-8"))
        if (problem := _problem(path.parent, target))
    ]
    assert not problems, "\n".join(problems)


def test_make_lab_serves_the_repository_root_and_opens_the_start_page():
    """The links above resolve only if the server root is the repository (issue: dead data links)."""
    import subprocess

    dry_run = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    command = dry_run.replace("\\\n", " ")
    assert f'--ServerApp.root_dir="{ROOT}"' in command or f"--ServerApp.root_dir={ROOT}" in command
    assert "default_url=/lab/tree/notebooks/00_start_here.ipynb" in command
