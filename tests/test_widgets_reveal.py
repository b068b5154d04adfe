"""Reveal: a solution hidden until asked for, driven without a kernel."""

from __future__ import annotations

import pytest

from cambodia_russia.widgets import Reveal, _common
from cambodia_russia.widgets.reveal import hidden_note_html, hide_label
from widget_fixtures import capture_display, live_model_id

SOLUTION = "**1956.** Kin Phea (para 5) dates relations to 1956; Mosyakov's 1955 is Sihanouk's turn."


def test_hidden_until_toggled():
    reveal = Reveal(SOLUTION)
    assert not reveal.shown
    assert reveal.output.outputs == ()
    assert reveal.button.description == "Show solution"
    reveal.button.value = True
    assert reveal.shown
    (shown,) = reveal.output.outputs
    assert shown["data"]["text/markdown"] == _common.no_math_markdown(SOLUTION)  # rendered as Markdown
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
    reveal.button.value = True
    assert capture.handles[0].updates == [{"text/plain": ""}]


def test_label_is_escaped_in_the_static_note():
    html = hidden_note_html("Show <b>answer</b>")
    assert "<b>" not in html and "&lt;b&gt;answer&lt;/b&gt;" in html
