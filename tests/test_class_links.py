"""The README's ready-made class links come from tools/links.py and open real notebooks.

The README block must be exactly what ``python tools/links.py --write-readme`` writes;
every nbgitpuller link pulls the configured repository into the folder the tested hub uses
and opens a notebook that exists; every Binder link opens the same notebook; another
repository or branch changes every link. The README's hub figures are the measured ones
in docs/hub.md.
"""

from __future__ import annotations

import json
import re
import runpy
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
links = runpy.run_path(str(ROOT / "tools" / "links.py"), run_name="links_under_test")
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINK = re.compile(r"\[open on (the hub|Binder)\]\(([^)]+)\)")


def lesson_files() -> list[str]:
    with (ROOT / "notebooks" / "lessons.toml").open("rb") as file:
        return [lesson["file"] for lesson in tomllib.load(file)["lesson"]]


def readme_block() -> str:
    return README[README.index(links["BEGIN"]) + len(links["BEGIN"]) : README.index(links["END"])]


def test_the_readme_holds_exactly_what_the_script_writes():
    assert readme_block() == "\n" + links["markdown"](), (
        "README.md's class links are out of date: run python tools/links.py --write-readme"
    )


def test_every_notebook_has_a_hub_link_and_a_binder_link_that_open_it():
    repo = links["repository_url"]()
    found = LINK.findall(readme_block())
    hub_links = [url for kind, url in found if kind == "the hub"]
    binder_links = [url for kind, url in found if kind == "Binder"]
    files = lesson_files()
    assert len(hub_links) == len(binder_links) == len(files)
    for file, hub, binder in zip(files, hub_links, binder_links, strict=True):
        parsed = urlparse(hub)
        assert parsed.path == "/hub/user-redirect/git-pull"
        query = {key: value[0] for key, value in parse_qs(parsed.query).items()}
        assert query["repo"] == repo and query["branch"] == "main"
        target = query["targetpath"]
        assert query["urlpath"] == f"lab/tree/{target}/notebooks/{file}"
        assert (ROOT / "notebooks" / file).exists()
        binder_path = unquote(urlparse(binder).query.removeprefix("urlpath="))
        assert binder_path == f"lab/tree/notebooks/{file}"
        assert binder.startswith(
            "https://mybinder.org/v2/gh/" + urlparse(repo).path.strip("/") + "/main?"
        )


def test_another_repository_and_branch_change_every_link():
    table = links["markdown"](
        "https://hub.school.example", "https://github.com/a-teacher/edition", "student"
    )
    found = LINK.findall(table)
    assert len(found) == 2 * len(lesson_files())
    for kind, url in found:
        assert "cambodia-russia-notebooks%2Fcambodia-russia-notebooks" not in url
        if kind == "the hub":
            query = {key: value[0] for key, value in parse_qs(urlparse(url).query).items()}
            assert url.startswith("https://hub.school.example/hub/")
            assert (query["repo"], query["branch"]) == (
                "https://github.com/a-teacher/edition",
                "student",
            )
        else:
            assert url.startswith("https://mybinder.org/v2/gh/a-teacher/edition/student?")
    no_github = links["markdown"](
        "https://hub.school.example", "https://git.school.example/edition.git", "main"
    )
    assert "mybinder" not in no_github and no_github.count("open on the hub") == len(lesson_files())


def test_the_readme_hub_figures_are_the_measured_ones():
    hub_md = (ROOT / "docs" / "hub.md").read_text(encoding="utf-8")
    figures = json.loads(
        hub_md.split("<!-- hub-figures -->")[1].split("```json")[1].split("```")[0]
    )
    memory, sizing = figures["measured"]["memory_mb"], figures["sizing"]
    section = " ".join(
        README[README.index("### The hub route") : README.index("### Ready-made links")].split()
    )
    assert f"**{memory['per_user_p50']} MB per student**" in section
    assert f"about {memory['hub_proxy_culler']} MB for the hub" in section
    assert (
        f"guarantee of {sizing['guarantee_mb']} MB and a limit of {sizing['limit_mb']} MB"
        in section
    )
    assert f"holds about {sizing['students_single_machine']['16GB']} students" in section
