"""No student notebook shows an answer before the student asks for it (issue 14).

Every notebook in ``notebooks/`` is scanned as stored: cell sources, outputs, the widget
state kept in its metadata. None may contain a sentence of a model answer, the line that
computes a data-lab answer, or a marker that only an answer key shows. The teacher's
material lives in ``teacher/`` and no student notebook links to it.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from answer_leaks import find, needles, notebook_text
from cambodia_russia import lessons
from cambodia_russia.tables import load_all
from data_helpers import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
GUIDE = REPO / "teacher" / "teacher_guide.ipynb"
LEAKS = needles()
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|href=[\"']([^\"']+)")


def test_the_needles_come_from_the_data():
    assert len(LEAKS) > 100  # every exercise and every lab step contributes
    sources = {where.split(",")[1].strip() for where in LEAKS.values()}
    assert {"step1", "step6", "ex08_events_per_period", "ex01_1955_or_1956"} <= sources


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_answer_in_a_student_notebook(path):
    hits = find(notebook_text(path), LEAKS)
    assert not hits, f"{path.name} shows answers before they are asked for:\n" + "\n".join(hits)


def test_the_scan_catches_a_solution_pasted_into_a_cell_or_stored_as_widget_state(tmp_path):
    nb = nbformat.read(REPO / "notebooks" / "08_data_lab.ipynb", as_version=4)
    step2 = lessons.lab_solution_rows()["step2"]
    nb.cells.append(nbformat.v4.new_code_cell(f'Reveal("""{step2["code"]}""")'))
    pasted = tmp_path / "pasted.ipynb"
    nbformat.write(nb, pasted)
    assert any("lab_solutions.csv, step2" in hit for hit in find(notebook_text(pasted), LEAKS))

    nb = nbformat.read(REPO / "notebooks" / "01_sihanouk_1955_1970.ipynb", as_version=4)
    solution = lessons.solution_markdown("ex01_silence_1960s")
    state = {"model_id": {"state": {"outputs": [{"data": {"text/html": f"<p>{solution}</p>"}}]}}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    stored = tmp_path / "stored.ipynb"
    nbformat.write(nb, stored)
    assert any("ex01_silence_1960s" in hit for hit in find(notebook_text(stored), LEAKS))

    answer_key = tmp_path / "key.ipynb"
    answer_key.write_text(json.dumps({"cells": [{"source": 'x <div class="cr-answer-key">'}]}))
    assert find(notebook_text(answer_key), {}) == ["answer marker 'class=\"cr-answer-key\"'"]


def test_the_data_lab_asks_for_its_solutions_by_id():
    nb = nbformat.read(REPO / "notebooks" / "08_data_lab.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "Reveal(" not in code
    assert len(re.findall(r'^solution\("step\d"\)$', code, re.M)) == len(
        lessons.lab_solution_rows()
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_student_notebook_links_to_teacher_material(path):
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells, start=1):
        for match in LINK.finditer(cell.source):
            target = (match.group(1) or match.group(2)).lower()
            assert not re.search(r"teacher|answer[-_]keys", target), (
                f"{path.name}, cell {number}: link to teacher material {target!r}"
            )


def test_the_teacher_guide_is_outside_the_students_folder_and_its_links_work():
    assert GUIDE.is_file()
    assert not list((REPO / "notebooks").glob("*teacher*"))
    nb = nbformat.read(GUIDE, as_version=4)
    targets = {
        m.group(1)
        for c in nb.cells
        if c.cell_type == "markdown"
        for m in LINK.finditer(c.source)
        if m.group(1)
    }
    local = {t.split("#")[0] for t in targets if not re.match(r"[a-z]+:|#", t)}
    assert "../notebooks/00_start_here.ipynb" in local
    for target in local:
        assert (GUIDE.parent / target).exists(), f"teacher_guide.ipynb links to missing {target}"
    # and it shows the answer key of every lesson that has a quiz or exercises
    keyed = {
        m
        for c in nb.cells
        if c.cell_type == "code"
        for m in re.findall(r'lesson_answer_key_html\(tables, "([^"]+)"\)', c.source)
    }
    tables = load_all()
    assert keyed == set(tables.quiz["notebook"]) | set(tables.exercises["notebook"])


def test_the_start_page_tells_teachers_where_their_material_is():
    start = nbformat.read(REPO / "notebooks" / "00_start_here.ipynb", as_version=4)
    text = "\n".join(c.source for c in start.cells)
    assert "`teacher/teacher_guide.ipynb`" in text and "For teachers" in text
