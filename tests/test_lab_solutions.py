"""Every worked solution of the data lab is run, and must pass the lab's own check.

The solutions live in the data (``lab_solutions.csv`` for the six steps, the ```python
blocks of the data lab's exercises in ``exercises.csv``), never in the notebook. A solution
that stops solving its step, on the shipped data or on other data, fails here.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import matplotlib
import nbformat
import pandas as pd
import pytest

import cambodia_russia as cr
from cambodia_russia import lab, lessons
from data_helpers import REPO, VALID

matplotlib.use("Agg")  # step 4's solution draws a chart

LAB_NOTEBOOK = REPO / "notebooks" / "08_data_lab.ipynb"
SOLUTIONS = lessons.lab_solution_rows()
FENCE = re.compile(r"```python\n(.*?)```", re.S)


def run(code: str, **names) -> dict:
    """Run ``code`` as a notebook cell would, in a fresh namespace holding ``names``."""
    namespace = dict(names)
    exec(compile(code, "<solution>", "exec"), namespace)  # noqa: S102 - our own data, under test
    import matplotlib.pyplot as plt

    plt.close("all")
    return namespace


def test_every_step_has_exactly_one_solution_and_the_notebook_asks_for_each():
    assert sorted(SOLUTIONS) == sorted(lab.STEPS)
    nb = nbformat.read(LAB_NOTEBOOK, as_version=4)
    asked = [
        m
        for c in nb.cells
        if c.cell_type == "code"
        for m in re.findall(r'^solution\("(step\d+)"\)$', c.source, re.M)
    ]
    assert asked == list(lab.STEPS)


@pytest.fixture(scope="module")
def loaded() -> dict:
    """The tables of the shipped data (None) and of the mini dataset, each loaded once; a test
    works on its own copy, so what one solution changes never reaches another."""
    return {folder: cr.load_all(folder) for folder in (None, VALID)}


@pytest.mark.parametrize("step", sorted(lab.STEPS))
@pytest.mark.parametrize("folder", [None, VALID], ids=["shipped", "mini"])
def test_each_lab_solution_passes_the_labs_check(step, folder, loaded):
    tables = loaded[folder].copy()
    row = SOLUTIONS[step]
    namespace = run(row["code"], tables=tables)
    assert row["variable"] in namespace, (
        f"lab_solutions.csv, {step}, column code: it never stores {row['variable']!r}"
    )
    answer = namespace[row["variable"]]
    feedback = lab.check(step, answer, tables)
    assert feedback.correct, f"lab_solutions.csv, {step}: {feedback}"


def lab_exercises():
    exercises = cr.load_exercises()
    return exercises[exercises["notebook"] == "08_data_lab"]


@pytest.mark.parametrize("exercise_id", list(lab_exercises()["id"]))
def test_each_data_lab_exercise_solution_runs_and_passes_its_check(exercise_id, loaded):
    solution = lessons.solution_markdown(exercise_id)
    blocks = FENCE.findall(solution)
    assert blocks, f"exercises.csv, {exercise_id}, column solution: no ```python block"
    namespace = run("\n".join(blocks), cr=cr, events=loaded[None].copy().events)
    if exercise_id in lab.EXERCISE_CHECKS:
        assert "answer" in namespace, (
            f"exercises.csv, {exercise_id}, column solution: no `answer =`"
        )
        feedback = lab.check(exercise_id, namespace["answer"])
        assert feedback.correct, f"exercises.csv, {exercise_id}: {feedback}"


def fake_tables(counts: dict[str, int]):
    periods = [p for p, n in counts.items() for _ in range(n)]
    return SimpleNamespace(events=pd.DataFrame({"period": pd.Categorical(periods)}))


def test_busiest_periods_lists_every_tie():
    tied = fake_tables({"a": 3, "b": 5, "c": 5, "d": 1})
    assert lab.busiest_periods(tied.events) == ["b", "c"]
    assert lab.busiest_periods(tied.events, fewest=True) == ["d"]
    assert lab.expected_answer("ex08_events_per_period", tied) == ["b", "c"]


def test_events_per_period_check_handles_ties_and_single_winners():
    tied = fake_tables({"a": 3, "b": 5, "c": 5, "d": 1})
    ok = lab.check("ex08_events_per_period", ["c", "b"], tied)
    assert ok.correct and "b and c share the top place with 5 events each" in ok.message
    half = lab.check("ex08_events_per_period", "b", tied)
    assert half.status == "wrong" and "c has just as many: a tie" in half.message
    assert lab.check("ex08_events_per_period", ["d"], tied).message.startswith(
        "those are the periods with the fewest"
    )
    counts = tied.events.groupby("period", observed=True).size()
    assert "counts of every period" in lab.check("ex08_events_per_period", counts, tied).message
    assert lab.check("ex08_events_per_period", counts[counts == counts.max()], tied).correct
    assert lab.check("ex08_events_per_period", None, tied).status == "unanswered"

    single = fake_tables({"a": 3, "b": 6, "c": 5})
    assert lab.check("ex08_events_per_period", "b", single).message == "b has the most events (6)."
    assert not lab.check("ex08_events_per_period", ["b", "c"], single)


def test_the_shipped_data_has_a_tie_and_the_check_follows_the_data():
    """The bug of issue 14: the solution named one busiest period where two tie."""
    events = cr.load_events()
    counts = events.groupby("period", observed=True).size()
    top = sorted(counts[counts == counts.max()].index)
    assert lab.busiest_periods(events) == top
    assert lab.check("ex08_events_per_period", top).correct
    if len(top) > 1:
        assert not lab.check("ex08_events_per_period", top[0])
