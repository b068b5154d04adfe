"""Notebook tooling (tools/authoring.py, tools/notebooks.py) and the real notebooks.

The first tests run check() on the collection itself. The others build small notebooks
with nbformat in tmp_path, each folder with its own lessons.toml, and exercise sync
and check on them (execute: test_authoring_safety.py).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import authoring

ROOT = Path(__file__).resolve().parents[1]
v4 = nbformat.v4

# Every problem names the notebook and a cell number; registry problems name lessons.toml.
PROBLEM_RE = re.compile(r"^(\S+\.ipynb, cell \d+|lessons\.toml(, lesson \d+)?( \([^)]*\))?): \S")


# --------------------------------------------------------------------------- the real collection


def test_real_registry_describes_every_lesson():
    """lessons.toml: the start page first, then lessons whose overview, objectives and time a
    header can show (the order and periods are cross-checked with data/periods.csv by
    ``authoring.check``)."""
    registry = authoring.load_registry()
    assert registry.lessons[0].kind == "start"
    assert [lesson.kind for lesson in registry.lessons].count("period") >= 1
    for lesson in registry.lessons:
        sentences = len(re.findall(r"[.!?](\s|$)", lesson.overview))
        assert 1 <= sentences <= 3, f"{lesson.file}: overview should have 2–3 sentences"
        assert lesson.objectives and lesson.time > 0


def test_real_notebooks_pass_check():
    registry = authoring.load_registry()
    missing = [lesson.file for lesson in registry.lessons if not registry.path_of(lesson).exists()]
    if missing:
        pytest.skip(
            f"{len(missing)} of {len(registry.lessons)} notebooks in lessons.toml do not exist "
            "yet: " + ", ".join(missing)
        )
    problems = authoring.check()
    malformed = [p for p in problems if not PROBLEM_RE.match(p)]
    assert not malformed, "problem messages must name the notebook and cell:\n" + "\n".join(
        malformed
    )
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


STORED = sorted([*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "teacher").glob("*.ipynb")])


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.name)
def test_stored_notebooks_hold_no_widget_state_and_show_a_first_view(path):
    """A stored notebook carries no widget state (hundreds of KiB of random ids); what a
    reader sees before running it is the static first view each widget cell stores."""
    nb = nbformat.read(path, as_version=4)
    rerun = f"run: python tools/notebooks.py execute {path.name}"
    assert "widgets" not in nb.metadata, f"{path.name} stores widget state ({rerun})"
    for number, cell in enumerate(nb.cells, start=1):
        data = [output.get("data", {}) for output in cell.get("outputs", [])]
        views = [d[authoring.WIDGET_VIEW_MIME] for d in data if authoring.WIDGET_VIEW_MIME in d]
        if not views:
            continue
        assert all(view.get("model_id") == "" for view in views), (
            f"{path.name}, cell {number}: {rerun}"
        )
        assert any("text/html" in d or "image/png" in d for d in data), (
            f"{path.name}, cell {number} shows a live widget but no static first view"
        )


def test_the_notebooks_folder_is_at_most_3_mb():
    folder = ROOT / "notebooks"
    files = [
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    size = sum(p.stat().st_size for p in files)
    biggest = sorted(files, key=lambda p: p.stat().st_size)[-3:]
    assert size <= 3 * 1024 * 1024, (
        f"notebooks/ holds {size / 2**20:.1f} MiB; the largest: "
        + ", ".join(f"{p.name} ({p.stat().st_size // 1024} KiB)" for p in reversed(biggest))
    )


# --------------------------------------------------------------------------- helpers

REGISTRY = """
[[lesson]]
file = "00_start.ipynb"
title = "Start here"
short = "Start"
period = ""
overview = "How to use the collection. It ends with a map."
objectives = ["Run a cell", "Find a notebook | with a pipe"]
prerequisites = []
time = 15
kind = "start"

[[lesson]]
file = "01_first.ipynb"
title = "First period, 1955–1970"
short = "First"
period = "first"
overview = "The first period. Visits and agreements."
objectives = ["Explain the neutrality policy", "Date the first agreements"]
prerequisites = ["00_start.ipynb", "Curiosity"]
time = 50
kind = "period"

[[lesson]]
file = "02_guide.ipynb"
title = "Teacher guide"
short = "Guide"
period = ""
overview = "Notes for teachers."
objectives = ["Plan lessons"]
prerequisites = []
time = 30
kind = "guide"
"""

ANATOMY = [
    "Key points",
    "Summary",
    "Discussion questions",
    "Exercises",
    "Self-check quiz",
    "References",
]


def md(text: str, **metadata):
    return v4.new_markdown_cell(text, metadata=metadata)


def code(text: str, count=None, outputs=(), tags=()):
    cell = v4.new_code_cell(text, execution_count=count, outputs=list(outputs))
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def stream(text: str, name: str = "stdout"):
    return v4.new_output("stream", name=name, text=text)


def widget_output():
    return v4.new_output(
        "display_data",
        data={
            "text/plain": "IntSlider(value=0)",
            authoring.WIDGET_VIEW_MIME: {
                "model_id": "0" * 32,
                "version_major": 2,
                "version_minor": 0,
            },
        },
    )


def write(path: Path, cells) -> Path:
    nb = v4.new_notebook()
    nb.cells = list(cells)
    nbformat.write(nb, str(path))
    return path


def period_cells(extra=()):
    """Authored cells of a complete period notebook, executed (counts 1 and 2)."""
    return [
        md("## Key points\n\n- one\n- two"),
        code("x = 1", count=1),
        *extra,
        md("### A detail\n\nSee the [exercises](#Exercises)."),
        code("print(x)", count=2, outputs=[stream("1\n")]),
        *[md(f"## {heading}\n\nText.") for heading in ANATOMY[1:]],
    ]


def build_collection(folder: Path) -> Path:
    """``folder`` with lessons.toml and three synced, complete notebooks."""
    folder.mkdir()
    (folder / "lessons.toml").write_text(REGISTRY, encoding="utf-8")
    write(folder / "00_start.ipynb", [md("Welcome."), md("", cambodia_russia={"generated": "map"})])
    write(folder / "01_first.ipynb", period_cells())
    write(folder / "02_guide.ipynb", [md("## Planning\n\nNotes.")])
    for name in ("00_start.ipynb", "01_first.ipynb", "02_guide.ipynb"):
        authoring.sync(folder / name)
    return folder


@pytest.fixture(scope="module")
def synced(tmp_path_factory) -> Path:
    """The synced collection, built once: each sync writes atomically, with fsync."""
    return build_collection(tmp_path_factory.mktemp("synced") / "notebooks")


@pytest.fixture
def collection(synced, tmp_path):
    """tmp_path/notebooks: a fresh copy of the synced collection, for this test alone."""
    return Path(shutil.copytree(synced, tmp_path / "notebooks"))


def problems_of(folder: Path, name: str | None = None) -> list[str]:
    paths = [folder / name] if name else sorted(folder.glob("*.ipynb"))
    problems = authoring.check(paths)
    for problem in problems:
        assert PROBLEM_RE.match(problem), f"malformed problem message: {problem}"
    return problems


def edit(path: Path, change) -> None:
    nb = nbformat.read(str(path), as_version=4)
    change(nb)
    nbformat.write(nb, str(path))


def cell_number(path: Path, predicate) -> int:
    nb = nbformat.read(str(path), as_version=4)
    return next(i for i, cell in enumerate(nb.cells, start=1) if predicate(cell))


# --------------------------------------------------------------------------- sync


def test_a_synced_complete_collection_has_no_problems(collection):
    assert problems_of(collection) == []


def test_sync_twice_second_returns_false_and_leaves_the_file_alone(tmp_path):
    (tmp_path / "lessons.toml").write_text(REGISTRY, encoding="utf-8")
    path = write(tmp_path / "01_first.ipynb", period_cells())
    assert authoring.sync(path) is True
    before = path.read_bytes()
    assert authoring.sync(path) is False
    assert path.read_bytes() == before


def test_sync_adds_header_first_and_footer_last_and_keeps_authored_cells(tmp_path):
    (tmp_path / "lessons.toml").write_text(REGISTRY, encoding="utf-8")
    authored = period_cells()
    path = write(tmp_path / "01_first.ipynb", authored)
    authoring.sync(path)
    nb = nbformat.read(str(path), as_version=4)
    kinds = [cell.metadata.get("cambodia_russia", {}).get("generated") for cell in nb.cells]
    assert kinds == ["header"] + [None] * len(authored) + ["footer"]
    assert [(c.cell_type, c.source) for c in nb.cells[1:-1]] == [
        (c.cell_type, c.source) for c in authored
    ]
    assert nb.cells[2].outputs == [] and nb.cells[4].outputs == authored[3].outputs
    header, footer = nb.cells[0].source, nb.cells[-1].source
    assert header.startswith("# First period, 1955–1970\n")
    nav = header.splitlines()[2]
    assert (
        nav
        == "[Start](00_start.ipynb) · [← 00 Start](00_start.ipynb) · [02 Guide →](02_guide.ipynb)"
    )
    for heading in (
        "## Overview",
        "## Learning objectives",
        "## Prerequisites",
        "## Time to learn",
    ):
        assert heading in header
    assert "- Date the first agreements" in header
    assert "- [00 Start here](00_start.ipynb)" in header and "- Curiosity" in header
    assert "About 50 minutes." in header
    assert footer.startswith("## What's next")
    assert "[02 Teacher guide](02_guide.ipynb)" in footer
    assert "(00_start.ipynb#Map-of-the-collection)" in footer
    assert nb.metadata.kernelspec == authoring.KERNELSPEC


def test_sync_fills_the_map_of_the_start_notebook(collection):
    nb = nbformat.read(str(collection / "00_start.ipynb"), as_version=4)
    assert nb.cells[1].source == "Welcome."
    map_cell = nb.cells[2]
    assert map_cell.metadata["cambodia_russia"]["generated"] == "map"
    lines = map_cell.source.splitlines()
    assert lines[0] == "## Map of the collection"
    assert lines[2] == "| No. | Notebook | Time | Learning objectives |"
    assert lines[4] == (
        "| 00 | [Start here](00_start.ipynb) | 15 min | • Run a cell<br>• Find a notebook \\| "
        "with a pipe |"
    )
    assert lines[5].startswith("| 01 | [First period, 1955–1970](01_first.ipynb) | 50 min |")
    assert lines[6].startswith("| 02 | [Teacher guide](02_guide.ipynb) | 30 min |")
    assert "about 1 h 5 min for the 2 notebooks for students (00–01)" in map_cell.source
    assert "plus 30 min for the Teacher guide (02)" in map_cell.source
    # the start notebook's own footer links to its map by anchor
    assert "(#Map-of-the-collection)" in nb.cells[-1].source


def test_a_hand_edited_header_is_reported_and_restored(collection):
    path = collection / "01_first.ipynb"
    original = nbformat.read(str(path), as_version=4).cells[0].source

    def vandalise(nb):
        nb.cells[0].source = nb.cells[0].source.replace("About 50 minutes.", "About 5 minutes.")

    edit(path, vandalise)
    problems = problems_of(collection, "01_first.ipynb")
    assert any(p.startswith("01_first.ipynb, cell 1: the generated header") for p in problems), (
        problems
    )
    with pytest.raises(
        authoring.EditedCellError, match="01_first.ipynb, cell 1: the generated header"
    ):
        authoring.sync(path)  # a hand edit is never overwritten silently
    assert authoring.sync(path, force=True) is True
    assert nbformat.read(str(path), as_version=4).cells[0].source == original
    assert problems_of(collection, "01_first.ipynb") == []


def test_a_moved_or_duplicated_header_is_reported_and_fixed(collection):
    path = collection / "01_first.ipynb"

    def duplicate(nb):
        copy = nbformat.from_dict(dict(nb.cells[0]))
        copy["id"] = "copied-header"
        nb.cells.insert(3, copy)

    edit(path, duplicate)
    problems = problems_of(collection, "01_first.ipynb")
    assert any("cell 4: the generated header cell must appear once" in p for p in problems), (
        problems
    )
    authoring.sync(path)
    nb = nbformat.read(str(path), as_version=4)
    assert [c.metadata.get("cambodia_russia", {}).get("generated") for c in nb.cells].count(
        "header"
    ) == 1
    assert problems_of(collection, "01_first.ipynb") == []


def test_slide_metadata_makes_one_slide_per_section(collection):
    nb = nbformat.read(str(collection / "01_first.ipynb"), as_version=4)
    types = {
        cell.source.split("\n")[0]: cell.metadata["slideshow"]["slide_type"] for cell in nb.cells
    }
    assert types["# First period, 1955–1970"] == "slide"  # the header
    assert types["## Key points"] == "slide"
    assert types["## Summary"] == "slide"
    assert types["### A detail"] == "subslide"
    assert types["x = 1"] == "-"
    assert types["## What's next"] == "slide"  # the footer
    guide = nbformat.read(str(collection / "02_guide.ipynb"), as_version=4)
    assert guide.cells[1].metadata["slideshow"] == {"slide_type": "slide"}

    def flatten(nb):
        nb.cells[1].metadata["slideshow"] = {"slide_type": "-"}

    edit(collection / "01_first.ipynb", flatten)
    problems = problems_of(collection, "01_first.ipynb")
    expected = "01_first.ipynb, cell 2: slide type is '-', expected 'slide'"
    assert any(p.startswith(expected) for p in problems), problems


def test_slide_type_rules():
    assert authoring.slide_type(md("## Section")) == "slide"
    assert authoring.slide_type(md("\n## Section after a blank line")) == "slide"
    assert authoring.slide_type(md("### Part")) == "subslide"
    assert authoring.slide_type(md("#### Small")) == "-"
    assert authoring.slide_type(md("Text with ## inside")) == "-"
    assert authoring.slide_type(code("## a comment")) == "-"
    assert authoring.slide_type(code("w", tags=["nbval-ignore-output"])) == "-"
    assert authoring.slide_type(md("# Title", cambodia_russia={"generated": "header"})) == "slide"


def test_sync_refuses_a_notebook_missing_from_the_registry(collection):
    stray = write(collection / "03_stray.ipynb", [md("## Stray")])
    with pytest.raises(authoring.RegistryError, match="not listed"):
        authoring.sync(stray)


# --------------------------------------------------------------------------- links and anchors


def test_heading_anchor_follows_jupyterlab():
    assert authoring.heading_anchor("Key points") == "Key-points"
    assert authoring.heading_anchor("What's next") == "What's-next"
    assert authoring.heading_anchor("1. The coup, 18 March 1970") == "1.-The-coup,-18-March-1970"
    text = [
        text
        for _, text in authoring.headings("## Key *points* and `code` <b>bold</b> ![img](x.png)")
    ]
    assert text == ["Key points and code bold "]
    assert authoring.headings("```\n## not a heading\n```\nTitle\n=====") == [(1, "Title")]


def test_a_broken_link_is_reported_with_notebook_and_cell(collection):
    path = collection / "01_first.ipynb"

    def add_links(nb):
        nb.cells[1].source += (
            "\n\nSee [the next lesson](02_missing.ipynb), [the table](../data/events.csv) "
            "and [the web](https://example.org/x.ipynb)."
        )

    edit(path, add_links)
    problems = problems_of(collection, "01_first.ipynb")
    assert (
        problems[0] == "01_first.ipynb, cell 2: link '02_missing.ipynb' points to a missing file "
        "(02_missing.ipynb)"
    )
    assert problems[1] == (
        "01_first.ipynb, cell 2: link '../data/events.csv' points to a missing file "
        "(../data/events.csv)"
    )
    assert len(problems) == 2  # web links are not checked
    (collection.parent / "data").mkdir(exist_ok=True)
    (collection.parent / "data" / "events.csv").write_text("id\n", encoding="utf-8")
    assert problems_of(collection, "01_first.ipynb") == [problems[0]]


def test_a_missing_anchor_is_reported(collection):
    path = collection / "01_first.ipynb"
    good = "[map](00_start.ipynb#Map-of-the-collection) [own](#Self-check-quiz) [lab](#What's-next)"
    bad = (
        "[a](00_start.ipynb#Map) [b](#self-check-quiz) [c](#Discussion%20questions) "
        "[d](#First-period,-1955–1970)"
    )

    def add_links(nb):
        nb.cells[1].source += f"\n\n{good}\n\n{bad}"

    edit(path, add_links)
    problems = problems_of(collection, "01_first.ipynb")
    assert len(problems) == 4, problems
    assert problems[0] == (
        "01_first.ipynb, cell 2: link '00_start.ipynb#Map': no heading with anchor 'Map' in "
        "00_start.ipynb"
    )
    assert "anchors keep the heading's case: use 'Self-check-quiz'" in problems[1]
    assert "anchor = heading text with each space replaced by '-'" in problems[2]
    assert "non-ASCII or encoded" in problems[3]


def test_links_in_raw_html_and_images_are_checked(collection):
    def add(nb):
        nb.cells[1].source += '\n\n<a href="nowhere.ipynb">x</a>\n\n![chart](img/missing.png)'

    edit(collection / "01_first.ipynb", add)
    problems = problems_of(collection, "01_first.ipynb")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "link 'nowhere.ipynb' points to a missing file (nowhere.ipynb)",
        "link 'img/missing.png' points to a missing file (img/missing.png)",
    ]


# --------------------------------------------------------------------------- tags and outputs


def test_a_wrongly_placed_ignore_output_tag_is_reported(collection):
    path = collection / "01_first.ipynb"

    def tag(nb):
        nb.cells[2].metadata["tags"] = ["nbval-ignore-output"]  # code cell, no widget
        nb.cells[1].metadata["tags"] = ["nbval-ignore-output"]  # markdown cell

    edit(path, tag)
    problems = problems_of(collection, "01_first.ipynb")
    assert any(
        p.startswith("01_first.ipynb, cell 3: has the 'nbval-ignore-output' tag but")
        for p in problems
    )
    assert any(
        p.startswith("01_first.ipynb, cell 2: the 'nbval-ignore-output' tag belongs only")
        for p in problems
    )
    assert len(problems) == 2


def test_a_widget_cell_without_the_tag_is_reported_and_with_it_passes(collection):
    path = write(
        collection / "01_first.ipynb",
        period_cells([code("show()", count=2, outputs=[widget_output()])]),
    )

    def renumber(nb):
        counts = iter(range(1, 100))
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.execution_count = next(counts)

    edit(path, renumber)
    authoring.sync(path)
    widget_cell = cell_number(path, lambda c: c.source == "show()")
    problems = authoring.check([path])
    assert problems == [
        f"01_first.ipynb, cell {widget_cell}: shows a live widget but lacks the "
        "'nbval-ignore-output' "
        "cell tag (nbval cannot compare widget outputs)"
    ]

    def tag(nb):
        nb.cells[widget_cell - 1].metadata["tags"] = ["nbval-ignore-output"]

    edit(path, tag)
    assert authoring.check([path]) == []


def test_stored_outputs_are_checked(collection):
    path = collection / "01_first.ipynb"

    def spoil(nb):
        nb.cells[2].execution_count = 3  # x = 1 ran third ...
        nb.cells[4].execution_count = 2
        nb.cells[4].outputs = [
            stream("/tmp/ipykernel_1/2.py:1: FutureWarning: old\n", name="stderr"),
            v4.new_output(
                "error", ename="NameError", evalue="name 'y' is not defined", traceback=[]
            ),
        ]

    edit(path, spoil)
    problems = problems_of(collection, "01_first.ipynb")
    assert problems[0].startswith("01_first.ipynb, cell 3: execution count is 3, expected 1")
    assert (
        "01_first.ipynb, cell 5: stderr output with a warning or error: "
        "/tmp/ipykernel_1/2.py:1: FutureWarning: old"
    ) in problems
    assert "01_first.ipynb, cell 5: error output (NameError: name 'y' is not defined)" in problems


def test_harmless_stderr_and_unexecuted_or_empty_cells(collection):
    path = collection / "01_first.ipynb"

    def change(nb):
        nb.cells[4].outputs = [
            stream("Matplotlib is building the font cache; this may take a moment.\n", "stderr")
        ]

    edit(path, change)
    assert problems_of(collection, "01_first.ipynb") == []

    def add_empty(nb):
        nb.cells.insert(3, code("   "))

    edit(path, add_empty)
    authoring.sync(path)  # gives the new cell its slide metadata
    problems = problems_of(collection, "01_first.ipynb")
    assert problems == ["01_first.ipynb, cell 4: empty code cell (it is never executed): delete it"]


# --------------------------------------------------------------------------- anatomy and registry


def test_missing_lesson_headings_are_reported(collection):
    path = collection / "01_first.ipynb"

    def drop(nb):
        nb.cells = [c for c in nb.cells if not c.source.startswith("## Summary")]
        for cell in nb.cells:
            if cell.source.startswith("## Exercises"):
                cell.source = cell.source.replace("## Exercises", "### Exercises")

    edit(path, drop)
    authoring.sync(path)  # slide types follow the edit; the anatomy problems remain
    footer = cell_number(path, lambda c: c.source.startswith("## What's next"))
    problems = problems_of(collection, "01_first.ipynb")
    assert problems == [
        f"01_first.ipynb, cell {footer}: no '## Summary' heading in the notebook's own cells "
        "(every period notebook needs it, before the footer)",
        f"01_first.ipynb, cell {footer}: no '## Exercises' heading in the notebook's own cells "
        "(every period notebook needs it, before the footer)",
    ]


def test_registry_and_folder_must_agree(collection):
    (collection / "02_guide.ipynb").unlink()
    write(collection / "03_extra.ipynb", [md("## Extra")])
    problems = problems_of(collection)
    assert (
        f"lessons.toml, lesson 3: 02_guide.ipynb does not exist in {collection.resolve()}"
        in problems
    )
    assert "03_extra.ipynb, cell 1: the notebook is not listed in lessons.toml" in problems
    # the links to the deleted guide are reported where they are
    assert any(
        p.startswith("01_first.ipynb, cell 1: link '02_guide.ipynb' points to a missing file")
        for p in problems
    ), problems


def test_the_start_notebook_needs_a_map_cell(collection):
    path = collection / "00_start.ipynb"
    edit(path, lambda nb: nb.cells.pop(2))
    problems = problems_of(collection, "00_start.ipynb")
    assert len(problems) == 2
    assert problems[0].startswith("00_start.ipynb, cell 1: the start notebook has no map cell")
    # the footer's link to the map now has no target either
    assert problems[1] == (
        "00_start.ipynb, cell 3: link '#Map-of-the-collection': no heading with anchor "
        "'Map-of-the-collection' in 00_start.ipynb"
    )


def test_invalid_registry_is_reported(tmp_path):
    (tmp_path / "lessons.toml").write_text(
        REGISTRY.replace('kind = "guide"', 'kind = "appendix"').replace("time = 50", "time = -5"),
        encoding="utf-8",
    )
    with pytest.raises(authoring.RegistryError) as error:
        authoring.load_registry(tmp_path)
    assert error.value.problems == [
        "lessons.toml, lesson 2 (01_first.ipynb): 'time' must be a positive whole number of "
        "minutes",
        "lessons.toml, lesson 3 (02_guide.ipynb): 'kind' must be one of start, period, sources, "
        "lab, guide",
    ]
    write(tmp_path / "01_first.ipynb", [md("x")])
    assert authoring.check([tmp_path / "01_first.ipynb"]) == error.value.problems


def test_registry_cross_checks_data_periods(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "lessons.toml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "periods.csv").write_text(
        "id,scheme,notebook\nfirst,collection,01_other\nmosyakov_1,mosyakov,\n", encoding="utf-8"
    )
    with pytest.raises(authoring.RegistryError, match="data/periods.csv gives notebook '01_other'"):
        authoring.load_registry(folder)


# --------------------------------------------------------------------------- the CLI


def _cli():
    """tools/notebooks.py loaded as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("notebooks_cli", ROOT / "tools" / "notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_check_sync_and_exit_status(collection, capsys):
    cli = _cli()
    paths = [str(p) for p in sorted(collection.glob("*.ipynb"))]
    assert cli.main(["check", *paths]) == 0
    target = str(collection / "01_first.ipynb")
    edit(collection / "01_first.ipynb", lambda nb: nb.cells.pop(0))
    capsys.readouterr()
    assert cli.main(["check", target]) == 1
    out = capsys.readouterr().out
    assert "01_first.ipynb, cell 1: the generated header cell is missing" in out
    assert cli.main(["sync", target]) == 0
    assert capsys.readouterr().out.strip() == "updated 01_first.ipynb"
    assert cli.main(["sync", target]) == 0
    assert capsys.readouterr().out.strip() == "unchanged 01_first.ipynb"
    with pytest.raises(SystemExit):
        cli.main(["sync", str(collection / "99_missing.ipynb")])


def test_cli_runs_as_a_script_and_exits_1_on_problems(collection):
    edit(collection / "01_first.ipynb", lambda nb: nb.cells.pop(0))
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "notebooks.py"),
            "check",
            str(collection / "01_first.ipynb"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("01_first.ipynb, cell 1: the generated header cell is missing")
