"""Ready-made class links: one nbgitpuller link and one Binder link per notebook.

    python tools/links.py                      print the links as a Markdown table
    python tools/links.py --hub https://hub.school.example --repo URL --branch student
    python tools/links.py --write-readme       put the table into README.md (between markers)

The repository URL comes from one place, ``[project.urls] Repository`` in pyproject.toml,
unless ``--repo`` gives another (a teacher's copy of the student edition, for example).
The nbgitpuller link is built by ``nbgitpuller_link`` of tools/hub/hub.py, the same function
the tested hub (``make hub``, tests/test_hub.py) hands out; the collection lands in the
folder ``cambodia-russia-notebooks`` of each student's home. Binder links work for a GitHub
repository only. ``tests/test_class_links.py`` checks that README.md holds exactly what this
script writes.
"""

from __future__ import annotations

import argparse
import runpy
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN = "<!-- class-links: written by `python tools/links.py --write-readme`, do not edit -->"
END = "<!-- /class-links -->"
#: Shown in place of the hub's address; the administrator passes the real one with --hub.
HUB_PLACEHOLDER = "https://HUB"

_hub = runpy.run_path(str(ROOT / "tools" / "hub" / "hub.py"), run_name="hub_for_links")
nbgitpuller_link = _hub["nbgitpuller_link"]


def repository_url() -> str:
    """The collection's repository, from pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]["urls"]["Repository"]


def notebooks() -> list[tuple[str, str]]:
    """``(file, short title)`` of every student notebook, in lessons.toml order."""
    with (ROOT / "notebooks" / "lessons.toml").open("rb") as file:
        return [(lesson["file"], lesson["short"]) for lesson in tomllib.load(file)["lesson"]]


def binder_link(repo: str, branch: str, path: str) -> str:
    """A mybinder.org link opening ``path`` of a GitHub repository in JupyterLab."""
    parsed = urlparse(repo)
    if parsed.netloc != "github.com":
        raise ValueError(f"Binder links need a github.com repository, not {repo}")
    owner_name = parsed.path.strip("/").removesuffix(".git")
    return f"https://mybinder.org/v2/gh/{owner_name}/{quote(branch, safe='')}?urlpath={quote('lab/tree/' + path, safe='')}"


def links(hub: str, repo: str, branch: str) -> list[dict[str, str]]:
    """One row per notebook: file, title, nbgitpuller link, Binder link ('' if not GitHub)."""
    rows = []
    for file, short in notebooks():
        path = f"notebooks/{file}"
        try:
            binder = binder_link(repo, branch, path)
        except ValueError:
            binder = ""
        rows.append(
            {
                "file": file,
                "title": short,
                "hub": nbgitpuller_link(hub, repo, branch, path),
                "binder": binder,
            }
        )
    return rows


def markdown(hub: str = HUB_PLACEHOLDER, repo: str | None = None, branch: str = "main") -> str:
    """The Markdown table of the links."""
    repo = repo or repository_url()
    lines = ["| Notebook | On the school hub (nbgitpuller) | On Binder |", "|:---|:---|:---|"]
    for row in links(hub, repo, branch):
        binder = f"[open on Binder]({row['binder']})" if row["binder"] else "-"
        lines.append(
            f"| {row['file'][:2]} {row['title']} | [open on the hub]({row['hub']}) | {binder} |"
        )
    return "\n".join(lines) + "\n"


def readme_with_links(text: str, table: str, begin: str = BEGIN, end: str = END) -> str:
    """README text with the block between the markers ``begin`` and ``end`` replaced by
    ``table`` (the generated blocks of the README: these links, the screenshots)."""
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + table + text[stop:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/links.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--hub", default=HUB_PLACEHOLDER, help="the hub's address, e.g. https://hub.school.example"
    )
    parser.add_argument(
        "--repo", default=None, help="repository to pull (default: pyproject.toml's Repository)"
    )
    parser.add_argument("--branch", default="main")
    parser.add_argument(
        "--write-readme", action="store_true", help="write the default table into README.md"
    )
    args = parser.parse_args(argv)
    table = markdown(args.hub, args.repo, args.branch)
    if args.write_readme:
        text = README.read_text(encoding="utf-8")
        README.write_text(readme_with_links(text, table), encoding="utf-8")
        print(f"updated {README.name}")
    else:
        sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
