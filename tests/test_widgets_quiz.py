"""Quiz, check_choice and check_order, driven without a kernel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from cambodia_russia.widgets import Feedback, Quiz, _common, check_choice, check_order  # noqa: E402
from cambodia_russia.widgets._common import source_names  # noqa: E402
from cambodia_russia.widgets.quiz import (  # noqa: E402
    CORRECT,
    NOT_QUITE,
    display_order,
    feedback_html,
    questions_html,
    right_order,
)
from data_helpers import fixture_rows, load_fixture
from widget_fixtures import capture_display, live_model_id  # noqa: E402

NOTEBOOK = "01_sihanouk_1955_1970"
RIGHT = ["relations_1956", "agreements_1957", "coup_1970"]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("widget_data"))


def question(tables, qid):
    return tables.quiz[tables.quiz["id"] == qid].iloc[0]


# --- pure functions ----------------------------------------------------------------


def test_check_choice(tables):
    row = question(tables, "q01_relations_year")
    right = check_choice(row, "1956")
    assert isinstance(right, Feedback)
    assert right.correct and right.headline == CORRECT == "Correct ✓"
    assert right.explanation.startswith("Notes were exchanged in 1956")
    assert right.sources == (("kin_phea_2021", "para 5"), ("X04", ""))
    wrong = check_choice(row, "1955")
    assert not wrong.correct and wrong.headline == NOT_QUITE == "Not quite ✗"
    assert wrong.detail == "You chose: 1955. The right answer is: 1956."
    nothing = check_choice(row, None)
    assert not nothing.correct and not nothing.answered and nothing.explanation == ""


def test_right_order_comes_from_the_dates(tables):
    row = question(tables, "first_years_order")
    assert right_order(tables.events, row["options"]) == RIGHT
    with pytest.raises(KeyError):
        right_order(tables.events, ["relations_1956", "no_such_event"])


def test_check_order(tables):
    row = question(tables, "first_years_order")
    right = check_order(row, tables.events, RIGHT)
    assert right.correct and right.headline == CORRECT
    assert "1. 13 May 1956: Diplomatic relations established; 2. May 1957" in right.detail
    wrong = check_order(row, tables.events, ["agreements_1957", "relations_1956", "coup_1970"])
    assert not wrong.correct and wrong.headline == NOT_QUITE
    assert wrong.detail.startswith("1 of 3 in the right place.")
    with pytest.raises(ValueError):
        check_order(row, tables.events, ["relations_1956", "coup_1970"])


def test_display_order_is_a_fixed_shuffle_with_nothing_in_place(tables):
    row = question(tables, "first_years_order")
    shown = display_order(row, tables.events)
    assert sorted(shown) == sorted(RIGHT)
    assert all(a != b for a, b in zip(shown, RIGHT, strict=False))
    assert display_order(row, tables.events) == shown  # the same every time


def test_feedback_html_uses_words_and_symbols(tables):
    names = source_names(tables.sources)
    row = question(tables, "q01_relations_year")
    right = feedback_html(check_choice(row, "1956"), names)
    assert "<strong>Correct ✓</strong>" in right
    assert "Notes were exchanged in 1956" in right
    assert "Sources: Kin Phea (2021), para 5; Great Soviet Encyclopedia" in right
    wrong = feedback_html(check_choice(row, "1970"), names)
    assert "<strong>Not quite ✗</strong>" in wrong and "The right answer is: 1956." in wrong
    assert "No answer yet" in feedback_html(check_choice(row, None), names)


def test_questions_html_has_no_answers(tables):
    rows = tables.quiz[tables.quiz["notebook"] == NOTEBOOK]
    html = questions_html(rows, tables.events)
    assert html.count("<li style=") == 2  # two numbered questions
    assert "<ol>" in html
    assert "In which year did Cambodia and the Soviet Union establish diplomatic relations?" in html
    assert "<li>1955</li><li>1956</li><li>1957</li><li>1970</li>" in html
    assert (
        "Notes were exchanged" not in html and "Correct" not in html and "13 May 1956" not in html
    )
    listed = [
        html.index(title)
        for title in ("Diplomatic relations established", "First agreements", "Sihanouk deposed")
    ]
    assert listed != sorted(listed)  # the events are not shown in the right order


def test_question_text_is_escaped(tmp_path):
    quiz = fixture_rows("quiz")
    (year,) = [q for q in quiz if q["id"] == "q01_relations_year"]
    year["question"] = "<script>alert(1)</script> Which year?"
    year["options"] = "<b>1955</b>; 1956; 1957; 1970"
    tables = load_fixture(tmp_path, quiz=quiz)
    html = questions_html(tables.quiz, tables.events)
    assert "<script>" not in html and "<b>1955</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Which year?" in html
    quiz_widget = Quiz(NOTEBOOK, tables)
    # the second question (after the CSS, the keys line and the first question)
    question = quiz_widget.box.children[3].children[0].value
    assert (
        "<script>" not in question
        and "&lt;script&gt;alert(1)&lt;/script&gt; Which year?" in question
    )


# --- the widget ------------------------------------------------------------------------


def test_questions_of_one_notebook(tables):
    quiz = Quiz(NOTEBOOK, tables)
    assert list(quiz.rows["id"]) == ["first_years_order", "q01_relations_year"]  # file order
    assert quiz.total == 2 and quiz.score == 0 and quiz.feedback == {}
    radio = quiz.controls["q01_relations_year"]
    assert radio.value is None  # nothing preselected
    assert list(radio.options) == ["1955", "1956", "1957", "1970"]
    assert "Score: 0 of 2" in quiz.output.outputs[0]["data"]["text/html"]
    with pytest.raises(ValueError):
        Quiz("99_no_such_notebook", tables)


def test_choice_question_feedback_and_score(tables):
    quiz = Quiz(NOTEBOOK, tables)
    qid = "q01_relations_year"
    quiz.checks[qid].click()  # nothing chosen yet
    assert quiz.feedback == {} and "No answer yet" in quiz.feedback_views[qid].value
    quiz.controls[qid].value = "1955"
    quiz.checks[qid].click()
    assert quiz.feedback[qid].headline == NOT_QUITE and quiz.score == 0
    assert "Not quite ✗" in quiz.feedback_views[qid].value
    quiz.controls[qid].value = "1956"  # a new answer hides the old feedback
    assert qid not in quiz.feedback and quiz.feedback_views[qid].value == ""
    quiz.checks[qid].click()
    assert quiz.feedback[qid].correct and quiz.score == 1
    assert "Correct ✓" in quiz.feedback_views[qid].value
    assert "Score: 1 of 2 (1 of 2 questions checked)" in quiz.output.outputs[0]["data"]["text/html"]


def test_order_question_with_up_and_down(tables):
    quiz = Quiz(NOTEBOOK, tables)
    qid = "first_years_order"
    lines = quiz.controls[qid]
    start = list(quiz.orders[qid])
    assert start == display_order(question(tables, qid), tables.events)
    assert lines[0]["up"].disabled and lines[-1]["down"].disabled
    assert not lines[0]["down"].disabled
    titles = dict(zip(tables.events["id"], tables.events["title"], strict=False))
    assert titles[start[0]] in lines[0]["text"].value and lines[0]["text"].value.count("1. ") == 1
    lines[0]["down"].click()
    assert quiz.orders[qid] == [start[1], start[0], start[2]]
    assert titles[start[1]] in lines[0]["text"].value
    lines[0]["up"].click()  # disabled in the browser; does nothing if called
    assert quiz.orders[qid] == [start[1], start[0], start[2]]
    quiz.checks[qid].click()
    assert quiz.feedback[qid].correct == (quiz.orders[qid] == RIGHT)
    # Put them in the right order with the buttons, then check.
    for target, event_id in enumerate(RIGHT):
        while quiz.orders[qid].index(event_id) > target:
            lines[quiz.orders[qid].index(event_id)]["up"].click()
    assert quiz.orders[qid] == RIGHT
    assert qid not in quiz.feedback  # moving hid the old feedback
    quiz.checks[qid].click()
    assert quiz.feedback[qid].correct and quiz.score == 1
    assert "Correct ✓" in quiz.feedback_views[qid].value


def test_display_shows_the_questions_then_the_controls(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    quiz = Quiz(NOTEBOOK, tables)
    quiz.display()
    first, last = capture.objects
    assert first["text/html"] == _common.output_html(quiz.html)
    assert "Notes were exchanged" not in first["text/html"] + first["text/plain"]
    assert "In which year did Cambodia" in first["text/plain"]
    assert live_model_id(last) == quiz.box.model_id
    assert "run the notebook" in last["text/plain"]
    quiz.controls["q01_relations_year"].value = "1956"
    quiz.checks["q01_relations_year"].click()
    assert capture.handles[0].updates == [{"text/plain": ""}]


def test_shipped_data_every_notebook():
    quiz = Quiz("00_start_here")
    notebooks = sorted(set(quiz.tables.quiz["notebook"]))
    for notebook in notebooks:
        quiz = Quiz(notebook, quiz.tables)
        for row in quiz.rows.itertuples(index=False):
            qid = str(row.id)
            if str(row.kind) == "order":
                order = right_order(quiz.tables.events, row.options)
                assert quiz.orders[qid] != order
                quiz.orders[qid][:] = order
            else:
                quiz.controls[qid].value = str(row.answer)
            assert quiz.check(qid).correct
        assert quiz.score == quiz.total


def test_order_buttons_are_never_cut_and_keys_are_shown(tables):
    """At 200% zoom a fixed 7em "Down" button showed "Do…": the buttons take the width of
    their text and never shrink; the title wraps instead."""
    quiz = Quiz(NOTEBOOK, tables)
    order_lines = [
        line for lines in quiz.controls.values() if isinstance(lines, list) for line in lines
    ]
    assert order_lines
    for line in order_lines:
        for button in (line["up"], line["down"]):
            assert button.layout.width == "auto" and button.layout.flex == "0 0 auto"
            assert button.style.font_size == _common.FONT_SIZE
        assert line["text"].layout.flex == "1 1 12em"  # the title takes the rest, and wraps
        assert line["box"].layout.flex_flow == "row wrap"
    for check in quiz.checks.values():
        assert check.style.font_size == _common.FONT_SIZE and check.layout.min_width == "8em"
    assert "Keyboard: Tab and Shift+Tab" in quiz.box.children[1].value


def test_radio_groups_feedback_and_score_carry_their_aria_classes(tables):
    """The classes the ARIA front end (``_common.aria_widget``) reads; the browser test
    checks the attributes it sets."""
    quiz = Quiz(NOTEBOOK, tables)
    assert any(type(child).__name__ == "AriaSemantics" for child in quiz.box.children[0].children)
    for qid, control in quiz.controls.items():
        block = next(
            b
            for b in quiz.box.children
            if getattr(b, "children", None) and quiz.checks[qid] in b.children
        )
        question = block.children[0]
        assert _common.QUESTION_CLASS in question._dom_classes
        if not isinstance(control, list):
            assert _common.CHOICE_CLASS in control._dom_classes and block.children[1] is control
        assert _common.LIVE_CLASS in quiz.feedback_views[qid]._dom_classes
    assert _common.LIVE_CLASS in quiz.output._dom_classes  # the score
