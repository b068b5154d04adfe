"""Reveal: a solution hidden until asked for, driven without a kernel."""

from __future__ import annotations

import pytest

from cambodia_russia.widgets import Reveal, _common
from cambodia_russia.widgets.reveal import description_text, hidden_note_html, hide_label
from widget_fixtures import capture_display, live_model_id

SOLUTION = (
    "**1956.** Kin Phea (para 5) dates relations to 1956; Mosyakov's 1955 is Sihanouk's turn."
)


def test_hidden_until_toggled():
    reveal = Reveal(SOLUTION)
    assert not reveal.shown
    assert reveal.output.outputs == ()
    assert reveal.button.description == "Show solution"
    reveal.button.value = True
    assert reveal.shown
    (shown,) = reveal.output.outputs
    assert "text/markdown" not in shown["data"]  # never handed to Jupyter's own renderer
    assert "<strong>1956.</strong> Kin Phea (para 5)" in shown["data"]["text/html"]
    assert "1956. Kin Phea (para 5)" in shown["data"]["text/plain"]
    assert reveal.button.description == "Hide solution"
    reveal.button.value = False
    assert not reveal.shown and reveal.output.outputs == ()
    assert reveal.button.description == "Show solution"


def test_custom_label():
    reveal = Reveal("Look at the dates.", label="Show hint")
    assert reveal.button.description == "Show hint"
    reveal.button.value = True
    assert reveal.button.description == "Hide hint"
    assert "Hint hidden" in hidden_note_html("Show hint")
    assert hide_label("Reveal the answer") == "Reveal the answer"


def test_empty_solution_is_refused():
    with pytest.raises(ValueError):
        Reveal("   ")


def test_static_view_never_shows_the_solution(monkeypatch):
    capture = capture_display(monkeypatch)
    reveal = Reveal(SOLUTION)
    reveal.display()
    first, last = capture.objects
    assert "Solution hidden" in first["text/html"] and "Show solution" in first["text/html"]
    for text in (first["text/html"], first["text/plain"]):
        assert "1956" not in text and "Kin Phea" not in text
    assert live_model_id(last) == reveal.box.model_id
    assert "run the notebook" in last["text/plain"]
    assert reveal.output.outputs == () and "cr-after-static-1" in reveal.box._dom_classes
    assert _common.STEADY_CLASS not in reveal.output._dom_classes  # hiding gives the room back
    reveal.button.value = True
    assert capture.handles[0].updates == [{"text/plain": ""}]


def test_label_is_escaped_in_the_static_note():
    html = hidden_note_html("Show <b>answer</b>")
    assert "<b>" not in html and "&lt;b&gt;answer&lt;/b&gt;" in html


def test_button_states_its_state_in_words_and_in_its_description():
    reveal = Reveal(SOLUTION)
    assert reveal.button.tooltip == description_text("Show solution", shown=False)
    assert "hidden" in reveal.button.tooltip and "Press to show" in reveal.button.tooltip
    reveal.button.value = True
    assert reveal.button.description == "Hide solution" and reveal.button.icon == "eye-slash"
    assert "shown below" in reveal.button.tooltip and "Press to hide" in reveal.button.tooltip
    (shown,) = reveal.output.outputs
    assert 'role="region" aria-label="Solution"' in shown["data"]["text/html"]


def test_nothing_of_the_solution_is_in_the_widget_state_before_the_click():
    """What a notebook stores (the widgets' state) holds no solution text until asked."""
    reveal = Reveal("SECRET-ANSWER-42 with *Markdown*")
    states = [w.get_state() for w in (reveal.box, reveal.button, reveal.output)]
    assert "SECRET-ANSWER-42" not in repr(states)
    reveal.button.value = True
    assert "SECRET-ANSWER-42" in repr(reveal.output.get_state())


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
    ],
)
def test_untrusted_solution_text_is_shown_as_text(payload):
    reveal = Reveal(payload)
    reveal.button.value = True
    markup = reveal.output.outputs[0]["data"]["text/html"]
    assert "<script" not in markup and "<img" not in markup and 'href="javascript' not in markup
