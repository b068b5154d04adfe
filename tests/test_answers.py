"""Answer boxes (cambodia_russia.widgets.answers): the file a student saves and reloads.

The widget runs on the real tables (the real exercises of lesson 03); saving writes a real
file in tmp_path, and a second widget (the notebook reopened) reads it back.
"""

from __future__ import annotations

import pytest

from cambodia_russia import load_all
from cambodia_russia.widgets.answers import (
    AnswerBoxes,
    answer_path,
    answers_markdown,
    load_answers,
    parse_answers,
    save_answers,
)

LESSON = "03_prk_1979_1991"


@pytest.fixture(scope="module")
def tables():
    return load_all()


def test_file_name_has_lesson_and_name_and_stays_in_its_folder(tmp_path):
    assert answer_path(tmp_path, LESSON, "Sok Dara") == tmp_path / f"{LESSON}-Sok_Dara.md"
    assert answer_path(tmp_path, LESSON, "សុខ ដារា").name == f"{LESSON}-សុខ_ដារា.md"
    assert answer_path(tmp_path, LESSON, "Иван Петров").name == f"{LESSON}-Иван_Петров.md"
    sneaky = answer_path(tmp_path, LESSON, "../../etc/passwd")
    assert sneaky.parent == tmp_path and "/" not in sneaky.name and ".." not in sneaky.name
    with pytest.raises(ValueError, match="Type your name"):
        answer_path(tmp_path, LESSON, "  / . ")


def test_markdown_round_trip_keeps_every_answer_even_a_fake_heading():
    titles = {1: "One", 2: "Two", 3: "Three"}
    answers = {
        1: "First line\n\nsecond paragraph",
        2: "## Exercise 3: not a real heading\n\\## Exercise 1: nor this",
        3: "",
    }
    text = answers_markdown(LESSON, "Sok  Dara", answers, titles)
    assert text.startswith(f"# Answers: {LESSON}\nName: Sok Dara\n")
    assert "## Exercise 2: Two" in text
    assert parse_answers(text) == answers


def test_save_is_atomic_and_load_reads_it_back(tmp_path):
    titles = {1: "One", 2: "Two"}
    path = save_answers(tmp_path / "answers", LESSON, "Sok Dara", {1: "a", 2: "b"}, titles)
    assert path.read_text(encoding="utf-8").count("## Exercise") == 2
    save_answers(tmp_path / "answers", LESSON, "Sok Dara", {1: "changed", 2: "b"}, titles)
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary left behind
    assert load_answers(tmp_path / "answers", LESSON, "Sok Dara") == {1: "changed", 2: "b"}
    assert load_answers(tmp_path / "answers", LESSON, "Somebody Else") == {}


def test_type_save_reopen_and_the_text_is_there(tables, tmp_path):
    boxes = AnswerBoxes(LESSON, tables, folder=tmp_path, name="")
    numbers = sorted(tables.exercises[tables.exercises["notebook"] == LESSON]["number"].astype(int))
    assert sorted(boxes.boxes) == numbers and len(numbers) == 3
    boxes.name.value = "Sok Dara"
    boxes.boxes[2].value = "Kin Phea sees one healthy period (para 9)."
    boxes.save.click()
    saved = tmp_path / f"{LESSON}-Sok_Dara.md"
    assert boxes.path == saved and saved.exists()
    text = saved.read_text(encoding="utf-8")
    assert "Name: Sok Dara" in text and f"# Answers: {LESSON}" in text
    assert "Kin Phea sees one healthy period (para 9)." in text
    assert "Saved to" in boxes.output.outputs[0]["data"]["text/plain"]

    reopened = AnswerBoxes(LESSON, tables, folder=tmp_path, name="")
    assert reopened.boxes[2].value == ""
    reopened.name.value = "Sok Dara"
    assert reopened.boxes[2].value == "Kin Phea sees one healthy period (para 9)."
    assert "Loaded" in reopened.output.outputs[0]["data"]["text/plain"]
    reopened.name.value = "Another Student"
    assert all(box.value == "" for box in reopened.boxes.values())


def test_hub_user_name_is_the_default_and_loads_at_once(tables, tmp_path, monkeypatch):
    save_answers(tmp_path, LESSON, "dara", {1: "from last week"}, {1: "x", 2: "y", 3: "z"})
    monkeypatch.setenv("JUPYTERHUB_USER", "dara")
    boxes = AnswerBoxes(LESSON, tables, folder=tmp_path)
    assert boxes.name.value == "dara" and boxes.boxes[1].value == "from last week"


def test_saving_without_a_name_says_what_to_do(tables, tmp_path):
    boxes = AnswerBoxes(LESSON, tables, folder=tmp_path, name="")
    boxes.boxes[1].value = "text"
    boxes.save.click()
    assert boxes.path is None and not list(tmp_path.iterdir())
    assert "Type your name first" in boxes.output.outputs[0]["data"]["text/plain"]


def test_static_view_names_the_exercises_and_no_lesson_is_refused(tables):
    bundle = AnswerBoxes(LESSON, tables, name="").static_bundles()[0]
    assert "exercises 1, 2, 3" in bundle["text/plain"]
    with pytest.raises(ValueError, match="no exercise"):
        AnswerBoxes("00_start_here", tables)


def test_the_student_edition_has_the_answer_boxes_and_they_save(tmp_path):
    """tools/edition.py copies the module and the cells; the boxes work on its data."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "edition"
    result = subprocess.run(
        [sys.executable, str(root / "tools" / "edition.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "lib" / "cambodia_russia" / "widgets" / "answers.py").exists()
    cells = json.loads((out / "notebooks" / f"{LESSON}.ipynb").read_text(encoding="utf-8"))["cells"]
    assert any("".join(c["source"]).endswith(f'AnswerBoxes("{LESSON}", tables)') for c in cells)
    boxes = AnswerBoxes(LESSON, load_all(out / "data"), folder=tmp_path / "answers", name="Dara")
    boxes.boxes[1].value = "my answer"
    boxes.save.click()
    assert load_answers(tmp_path / "answers", LESSON, "Dara")[1] == "my answer"


def test_the_live_view_never_shows_the_run_note_and_keeps_a_loaded_message(
    tables, tmp_path, monkeypatch
):
    """After Run All the static note is hidden; the live Output must not repeat it."""
    from widget_fixtures import capture_display

    save_answers(tmp_path, LESSON, "dara", {1: "from last week"}, {1: "x", 2: "y", 3: "z"})
    capture = capture_display(monkeypatch)
    AnswerBoxes(LESSON, tables, folder=tmp_path, name="").display()
    assert "run the notebook" in capture.objects[0]["text/plain"]  # the static note
    boxes = AnswerBoxes(LESSON, tables, folder=tmp_path, name="dara")
    boxes.display()
    assert [o["data"]["text/plain"] for o in boxes.output.outputs][0].startswith(
        "Loaded your saved answers"
    )
    empty = AnswerBoxes(LESSON, tables, folder=tmp_path, name="")
    empty.display()
    assert empty.output.outputs == ()
