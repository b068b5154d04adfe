"""The teacher guide's lesson plans name only what their notebooks really hold.

The plans are the Markdown tables under each ``### Lesson plan (...)`` heading of
``teacher/teacher_guide.ipynb`` (one home: the guide; this test reads them as a teacher
would). The guide's section *How the plans name things* states the conventions this test
checks, row by row:

* *italic text* is a heading of the notebook (``##`` or ``###``), word for word; a ``###``
  heading is named together with its ``##`` section, so a teacher never has to scroll
  away from the section the row is about;
* ``comparer *Question?*`` is a ``###`` heading followed by a ``SourceComparer`` cell, and
  ``first comparer`` … ``fourth comparer`` the n-th ``SourceComparer`` of a named section;
* ``chart``, ``stepper``, ``explorer``, ``quiz``, ``table`` in the *Project or do* column
  are a code cell of that kind in one of the row's named sections;
* ``Exercise N`` is exercise N of the notebook in ``data/exercises.csv``;
  ``*Discussion questions* N`` item N of that section; ``*Your turn* N`` the N-th
  *Your turn* heading;
* a row that links another notebook (``[…](../notebooks/NN_….ipynb)``) names things of
  that notebook.

And per plan: the minutes run from 0 without gaps to the plan's length, every plan gives
time to log in, the quiz row gives at least a minute a question (two for an ordering
question), a plan for a lesson on 1975–1979 tells students in advance, and a plan that sets
an exercise sets the one the notebook's assessment uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import authoring

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "teacher" / "teacher_guide.ipynb"
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"

HEADING = re.compile(r"^(#{2,3}) (.+?)\s*$", re.M)
ITALIC = re.compile(r"(?<![*\w])\*([^*\n]+?)\*(?![*\w])")
LINK = re.compile(r"\]\((?:\.\./notebooks/)?(\d\d_[a-z0-9_]+\.ipynb)[^)]*\)")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
#: Words of a row that name a kind of cell, and what the cell's code contains.
WIDGETS = {
    "chart": re.compile(r"_chart\(|plt\.subplots"),
    "stepper": re.compile(r"\bPeriodStepper\("),
    "explorer": re.compile(r"\bTimelineExplorer\("),
    "comparer": re.compile(r"\bSourceComparer\("),
    "quiz": re.compile(r"\bQuiz\("),
    "table": re.compile(r"\[\s*\[|\.loc\[|set_index\("),
}


# --------------------------------------------------------------------------- the notebook side


@dataclass
class Section:
    """A heading of a notebook and the cells up to the next heading of its level or above."""

    level: int
    title: str
    parent: str | None
    code: list[str] = field(default_factory=list)
    markdown: list[str] = field(default_factory=list)


@dataclass
class Notebook:
    name: str
    sections: dict[str, Section]

    def cells_of(self, title: str) -> list[str]:
        """The code of a section, its subsections included."""
        section = self.sections[title]
        code = list(section.code)
        if section.level == 2:
            for sub in self.sections.values():
                if sub.parent == title:
                    code += sub.code
        return code

    def markdown_of(self, title: str) -> str:
        return "\n".join(self.sections[title].markdown)


def read_notebook(name: str) -> Notebook:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    sections: dict[str, Section] = {}
    current: Section | None = None
    parent: str | None = None
    for cell in nb.cells:
        if "cr-header" in cell.metadata.get("tags", []) or cell.get("id") == "cr-header":
            continue
        if cell.cell_type == "code":
            if current is not None:
                current.code.append(cell.source)
            continue
        pieces = HEADING.split(cell.source)
        if current is not None:
            current.markdown.append(pieces[0])
        for hashes, title, text in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True):
            level = len(hashes)
            if level == 2:
                parent = title
            current = Section(level, title, parent if level == 3 else None)
            current.markdown.append(text)
            sections.setdefault(title, current)
    return Notebook(name, sections)


# --------------------------------------------------------------------------- the guide side


@dataclass
class Row:
    start: int | None  # None for a "before" row
    end: int | None
    text: str
    project: str = ""  # the "Project or do" column: what the teacher shows


@dataclass
class Plan:
    notebook: str
    title: str
    length: int
    rows: list[Row]

    def label(self) -> str:
        return f"{self.notebook}, {self.title}"


def _guide_cells() -> list[str]:
    return [c.source for c in nbformat.read(GUIDE, as_version=4).cells if c.cell_type == "markdown"]


def _notebook_of_heading(title: str, files: list[str]) -> str | None:
    match = re.match(r"(\d\d) ", title)
    if not match:
        return None
    return next((f for f in files if f.startswith(match.group(1) + "_")), None)


def read_plans() -> list[Plan]:
    files = [lesson.file for lesson in authoring.load_registry().lessons]
    plans: list[Plan] = []
    notebook = None
    for source in _guide_cells():
        for match in HEADING.finditer(source):
            level, title = len(match.group(1)), match.group(2)
            if level == 2:
                notebook = _notebook_of_heading(title, files)
            elif title.startswith("Lesson plan"):
                assert notebook, f"guide: '{title}' is not under a notebook's section"
                length = re.search(r"(\d+)[ -]minute", title)
                assert length, f"guide, {notebook}: '{title}' does not say its length in minutes"
                rows = []
                for line in source[match.end() :].splitlines():
                    cells = [c.strip() for c in line.strip().strip("|").split("|")]
                    if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= set(":- "):
                        continue
                    if cells[0] == "Minutes":
                        continue
                    times = re.fullmatch(r"(\d+)[–-](\d+)", cells[0])
                    rows.append(
                        Row(
                            int(times.group(1)) if times else None,
                            int(times.group(2)) if times else None,
                            " | ".join(cells[1:]),
                            cells[1],
                        )
                    )
                plans.append(Plan(notebook, title, int(length.group(1)), rows))
    return plans


PLANS = read_plans()
NOTEBOOK_CACHE: dict[str, Notebook] = {}


def notebook(name: str) -> Notebook:
    if name not in NOTEBOOK_CACHE:
        NOTEBOOK_CACHE[name] = read_notebook(name)
    return NOTEBOOK_CACHE[name]


def plan_id(plan: Plan) -> str:
    return f"{plan.notebook[:2]}-{plan.length}-{re.sub(r'[^a-z0-9]+', '-', plan.title.lower())}"


@pytest.fixture(scope="module")
def exercises() -> pd.DataFrame:
    return pd.read_csv(DATA / "exercises.csv", dtype=str)


@pytest.fixture(scope="module")
def quiz() -> pd.DataFrame:
    return pd.read_csv(DATA / "quiz.csv", dtype=str)


# --------------------------------------------------------------------------- what a row names


def names_in_row(row: Row, nb: Notebook) -> list[str]:
    """Problems with what one row names in ``nb``; empty when everything is there."""
    problems = []
    text = row.text
    named = [t for t in ITALIC.findall(text)]
    sections = [t for t in named if t in nb.sections]
    # the numbered parts: *Discussion questions* 3, *Your turn* 2
    for title, numbers in re.findall(r"\*([^*]+)\*((?:\s*(?:\d+|and|or|,))+)", text):
        numbers = [int(n) for n in re.findall(r"\d+", numbers)]
        if title == "Discussion questions" and title in nb.sections:
            items = re.findall(r"^\s*(\d+)\. ", nb.markdown_of(title), re.M)
            for n in numbers:
                if str(n) not in items:
                    problems.append(f"*{title}* {n}: the section has items {items}")
        if title == "Your turn":
            count = sum(1 for s in _all_headings(nb) if s == "Your turn")
            for n in numbers:
                if n > count:
                    problems.append(f"*Your turn* {n}: the notebook has {count}")
    for title in named:
        if title in {"Your turn"} or title.startswith("Exercise"):
            continue
        if title not in nb.sections:
            problems.append(f"*{title}* is not a heading of {nb.name}")
            continue
        section = nb.sections[title]
        if section.level == 3 and section.parent not in sections and section.parent:
            problems.append(f"*{title}* is under *{section.parent}*, which the row does not name")
    # comparers named by their question
    for title in re.findall(r"comparers? \*([^*]+)\*", text):
        if title in nb.sections and not any(
            WIDGETS["comparer"].search(c) for c in nb.sections[title].code
        ):
            problems.append(f"comparer *{title}*: no SourceComparer under that heading")
    # comparers named by position
    for word in re.findall(r"\b(first|second|third|fourth|fifth) comparer", text):
        found = [c for s in sections for c in nb.cells_of(s) if WIDGETS["comparer"].search(c)]
        if len(found) < ORDINALS[word]:
            problems.append(f"the {word} comparer: the row's sections {sections} have {len(found)}")
    # kinds of cells
    for word, pattern in WIDGETS.items():
        if re.search(rf"\b{word}s?\b", row.project or text, re.I) and word != "comparer":
            if not any(pattern.search(c) for s in sections for c in nb.cells_of(s)):
                problems.append(f"'{word}': no such cell in the row's sections {sections}")
    return problems


def _all_headings(nb: Notebook) -> list[str]:
    source = "\n".join(
        c.source
        for c in nbformat.read(NOTEBOOKS / nb.name, as_version=4).cells
        if c.cell_type == "markdown"
    )
    return [m.group(2) for m in HEADING.finditer(source)]


# --------------------------------------------------------------------------- tests


def test_the_guide_has_plans_for_every_notebook():
    # the glossary (kind "guide") is looked up during lessons, not taught as one
    files = [lesson.file for lesson in authoring.load_registry().lessons if lesson.kind != "guide"]
    planned = {plan.notebook for plan in PLANS}
    assert set(files) <= planned, f"notebooks without a plan: {sorted(set(files) - planned)}"
    for name in files:
        lengths = {plan.length for plan in PLANS if plan.notebook == name}
        assert {45, 90} <= lengths, f"{name}: plans of {sorted(lengths)} minutes, want 45 and 90"


@pytest.mark.parametrize("plan", PLANS, ids=plan_id)
def test_everything_a_plan_names_is_in_its_notebook_under_that_section(plan, exercises):
    problems = []
    for row in plan.rows:
        links = set(LINK.findall(row.text))
        target = links.pop() if len(links) == 1 else plan.notebook
        nb = notebook(target)
        for problem in names_in_row(row, nb):
            problems.append(f"row {row.start}–{row.end}: {problem}")
        for number in re.findall(r"\bExercises? (\d+)", row.text):
            stem = Path(target).stem
            mine = exercises[exercises["notebook"] == stem]
            if number not in set(mine["number"]):
                problems.append(
                    f"row {row.start}–{row.end}: Exercise {number} is not an exercise of {stem}"
                )
            elif not any("Exercises(" in c for c in nb.cells_of("Exercises")):
                problems.append(f"row {row.start}–{row.end}: {target} shows no Exercises")
    assert not problems, f"{plan.label()}:\n" + "\n".join(problems)


@pytest.mark.parametrize("plan", PLANS, ids=plan_id)
def test_minutes_run_without_gaps_and_leave_time_to_log_in(plan):
    timed = [row for row in plan.rows if row.start is not None]
    assert timed, f"{plan.label()}: no timed rows"
    assert timed[0].start == 0, f"{plan.label()}: starts at minute {timed[0].start}"
    for before, after in zip(timed, timed[1:], strict=False):
        assert before.end == after.start, f"{plan.label()}: a gap or overlap at minute {before.end}"
        assert before.start < before.end
    assert timed[-1].end == plan.length, (
        f"{plan.label()}: ends at {timed[-1].end}, not {plan.length}"
    )
    login = [row for row in timed if re.search(r"\blog in\b", row.text, re.I)]
    assert login, f"{plan.label()}: no time to log in"
    assert login[0].start == 0 and login[0].end - login[0].start >= 2, (
        f"{plan.label()}: logging in needs the first two minutes or more"
    )


@pytest.mark.parametrize("plan", PLANS, ids=plan_id)
def test_the_quiz_gets_a_minute_a_question(plan, quiz):
    mine = quiz[quiz["notebook"] == Path(plan.notebook).stem]
    for row in plan.rows:
        if "*Self-check quiz*" in row.text and row.start is not None:
            needed = len(mine) + (mine["kind"] == "order").sum()
            have = row.end - row.start
            trimmed = re.search(r"questions (\d+) to (\d+)", row.text)
            if trimmed:  # the row says which questions to use: choice questions, a minute each
                chosen = mine.iloc[int(trimmed.group(1)) - 1 : int(trimmed.group(2))]
                needed = len(chosen) + (chosen["kind"] == "order").sum()
            assert have >= needed, (
                f"{plan.label()}: {have} minutes for {len(mine)} questions "
                f"({(mine['kind'] == 'order').sum()} ordering): give {needed} or name the questions to use"
            )


def _covers_1975_1979(name: str) -> bool:
    lesson = next(each for each in authoring.load_registry().lessons if each.file == name)
    if lesson.kind == "start":
        return True  # the whole timeline
    periods = pd.read_csv(DATA / "periods.csv", dtype=str)
    row = periods[periods["id"] == lesson.period]
    if row.empty:
        return False
    start, end = row["start_year"].iloc[0], row["end_year"].iloc[0]
    return int(start) <= 1979 and (pd.isna(end) or int(end) >= 1975)


@pytest.mark.parametrize("plan", [p for p in PLANS if _covers_1975_1979(p.notebook)], ids=plan_id)
def test_lessons_on_the_khmer_rouge_years_tell_students_in_advance(plan):
    assert any(re.search(r"tell students in advance", row.text, re.I) for row in plan.rows), (
        f"{plan.label()}: no row that tells students in advance about the Khmer Rouge years"
    )


def test_plans_set_the_exercise_the_assessment_uses():
    cells = _guide_cells()
    files = [lesson.file for lesson in authoring.load_registry().lessons]
    notebook_name = None
    problems = []
    for source in cells:
        for match in HEADING.finditer(source):
            if len(match.group(1)) == 2:
                notebook_name = _notebook_of_heading(match.group(2), files)
            elif match.group(2) == "Assessment" and notebook_name:
                wanted = set(re.findall(r"\bExercise (\d+)", source))
                for plan in (p for p in PLANS if p.notebook == notebook_name):
                    set_here = {
                        n for row in plan.rows for n in re.findall(r"\bExercises? (\d+)", row.text)
                    }
                    if wanted and set_here and not wanted & set_here:
                        problems.append(
                            f"{plan.label()}: sets Exercise {sorted(set_here)}, the assessment uses {sorted(wanted)}"
                        )
    assert not problems, "\n".join(problems)


def test_a_plan_that_names_a_missing_section_fails():
    """The checker itself: a made-up heading, a comparer away from its section, a widget."""
    nb = notebook("03_prk_1979_1991.ipynb")
    assert names_in_row(Row(0, 5, "*No such heading*."), nb)
    assert names_in_row(
        Row(0, 5, "*Soviet aid and study in the USSR*; comparer *How should the 1980s be judged?*"),
        nb,
    )
    assert not names_in_row(
        Row(0, 5, "*Compare the sources*: comparer *How should the 1980s be judged?*"), nb
    )
    assert names_in_row(Row(0, 5, "*The period at a glance*: the stepper."), nb)
    assert names_in_row(Row(0, 5, "*Discussion questions* 9."), nb)
    assert not names_in_row(Row(0, 5, "*Discussion questions* 2 and 5."), nb)
