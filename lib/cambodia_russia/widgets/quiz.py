"""Quiz: the questions of one notebook, checked with immediate feedback.

Two kinds of question (``quiz.csv``, column ``kind``):

* ``choice`` — one right option among several (RadioButtons with nothing preselected);
* ``order`` — put 3–5 events in the order they happened (up / down buttons). The right
  order is computed from the events' dates, never stored.

:func:`check_choice` and :func:`check_order` are pure and return a :class:`Feedback`;
:class:`Quiz` wires them to the controls and keeps ``.feedback`` and ``.score``.
Feedback never relies on colour alone: it starts with the words "Correct ✓" or
"Not quite ✗".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, fold, text_or_empty

#: The keys, as shown above the questions.
KEYS = (
    "Tab and Shift+Tab move between the questions and buttons, the arrow keys choose an answer, "
    "Enter or Space presses a button."
)

CORRECT = "Correct \u2713"
NOT_QUITE = "Not quite \u2717"
NO_ANSWER = "No answer yet"


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer.

    ``correct``: whether the answer is right; ``headline``: "Correct ✓", "Not quite ✗" or
    "No answer yet"; ``detail``: what was right or wrong (the right answer, or the right
    order with dates); ``explanation`` and ``sources`` (``(source_id, locator)`` pairs):
    from the question's row.
    """

    correct: bool
    headline: str
    detail: str
    explanation: str
    sources: tuple = ()

    @property
    def answered(self) -> bool:
        """False when the check was pressed before anything was chosen."""
        return self.headline != NO_ANSWER


def _get(row: Any, name: str) -> Any:
    """A field of a quiz row given as a pandas Series, a dict or a namedtuple."""
    if hasattr(row, "_fields"):
        return getattr(row, name)
    return row[name]


def check_choice(row, answer: str | None) -> Feedback:
    """Check the answer to a ``choice`` question.

    ``row`` is a row of the typed quiz table; ``answer`` the option chosen (``None``
    when nothing is chosen yet). The answer is right when it equals the row's ``answer``.
    """
    explanation = text_or_empty(_get(row, "explanation"))
    sources = tuple(_get(row, "sources") or ())
    right = text_or_empty(_get(row, "answer"))
    if answer is None or answer == "":
        return Feedback(False, NO_ANSWER, "Choose one of the answers, then press Check.", "", ())
    if str(answer) == right:
        return Feedback(True, CORRECT, f"The answer is: {right}.", explanation, sources)
    return Feedback(
        False, NOT_QUITE, f"You chose: {answer}. The right answer is: {right}.", explanation, sources
    )


def right_order(events, event_ids: Sequence[str]) -> list[str]:
    """The event ids sorted by date (first day covered, then last day, then id)."""
    wanted = [str(e) for e in event_ids]
    rows = events[events["id"].astype(str).isin(wanted)]
    found = set(rows["id"].astype(str))
    missing = [e for e in wanted if e not in found]
    if missing:
        raise KeyError(f"unknown event id(s): {', '.join(missing)}")
    keyed = sorted(
        zip(rows["start"], rows["end"], rows["id"].astype(str), strict=True),
        key=lambda item: (item[0], item[1], item[2]),
    )
    return [eid for _start, _end, eid in keyed]


def check_order(row, events, ordered_ids: Sequence[str]) -> Feedback:
    """Check the answer to an ``order`` question.

    ``row`` is a row of the typed quiz table (its ``options`` are event ids), ``events``
    the typed events table and ``ordered_ids`` the student's order, earliest first. The
    right order comes from the events' dates. Raises ``ValueError`` when ``ordered_ids``
    is not an arrangement of the question's events.
    """
    options = [str(o) for o in _get(row, "options")]
    given = [str(e) for e in ordered_ids]
    if sorted(given) != sorted(options):
        raise ValueError(f"expected an order of {options}, got {given}")
    right = right_order(events, options)
    labels = dict(zip(events["id"].astype(str), events["date_label"], strict=True))
    titles = dict(zip(events["id"].astype(str), events["title"], strict=True))
    listing = "; ".join(
        f"{i}. {text_or_empty(labels[e])}: {text_or_empty(titles[e])}" for i, e in enumerate(right, 1)
    )
    explanation = text_or_empty(_get(row, "explanation"))
    sources = tuple(_get(row, "sources") or ())
    if given == right:
        return Feedback(True, CORRECT, f"The order is: {listing}.", explanation, sources)
    in_place = sum(g == r for g, r in zip(given, right, strict=True))
    return Feedback(
        False,
        NOT_QUITE,
        f"{in_place} of {len(right)} in the right place. The right order is: {listing}.",
        explanation,
        sources,
    )


def display_order(row, events) -> list[str]:
    """The order in which an ``order`` question first shows its events.

    A shuffle that is the same on every run and unrelated to the answer (ids often start
    with the year, so sorting by id would give the answer away): events are sorted by a
    SHA-256 hash of the question id, a counter and the event id; the counter goes up
    until no event stands in its right place (or 50 tries, keeping the best).
    """
    import hashlib

    qid = str(_get(row, "id"))
    options = [str(o) for o in _get(row, "options")]
    right = right_order(events, options)
    best: list[str] = list(options)
    best_in_place = len(options) + 1
    for salt in range(50):
        shown = sorted(
            options,
            key=lambda e: hashlib.sha256(f"{qid}:{salt}:{e}".encode()).hexdigest(),
        )
        in_place = sum(a == b for a, b in zip(shown, right, strict=True))
        if in_place < best_in_place:
            best, best_in_place = shown, in_place
        if in_place == 0:
            break
    return best


def feedback_html(feedback: Feedback, source_names: Mapping[str, str]) -> str:
    """Feedback as HTML: the headline in words with its symbol, the detail, the
    explanation and the sources (all escaped). A coloured border repeats, but never
    replaces, the words."""
    if not feedback.answered:
        return (
            f'<p style="font-size:{_common.FONT_SIZE}"><strong>{esc(feedback.headline)}:</strong> '
            f"{esc(feedback.detail)}</p>"
        )
    colour = "#009E73" if feedback.correct else "#D55E00"
    parts = [
        f'<div class="cr-feedback" style="font-size:{_common.FONT_SIZE};line-height:1.45;'
        f'border-left:0.4em solid {colour};padding:0.1em 0 0.1em 0.8em;margin:0.4em 0">',
        f"<p><strong>{esc(feedback.headline)}</strong> {esc(feedback.detail)}</p>",
    ]
    if feedback.explanation:
        parts.append(f"<p>{esc(feedback.explanation)}</p>")
    if feedback.sources:
        parts.append(
            f'<p style="font-size:0.9em">Sources: {_common.citation_html(feedback.sources, source_names)}</p>'
        )
    parts.append("</div>")
    return "".join(parts)


def questions_html(rows, events) -> str:
    """The questions as a numbered list, without answers (the static view of a quiz)."""
    titles = dict(zip(events["id"].astype(str), events["title"], strict=True))
    parts = [
        f'<div class="cr-quiz-questions" style="font-size:{_common.FONT_SIZE};line-height:1.45">',
        "<p><strong>Quiz</strong> (run the notebook to check your answers)</p><ol>",
    ]
    for row in rows.itertuples(index=False):
        parts.append(f'<li style="margin-bottom:0.6em">{esc(row.question)}')
        if str(row.kind) == "order":
            parts.append("<br>Put these events in order, earliest first:<ul>")
            parts.extend(f"<li>{esc(titles.get(e, e))}</li>" for e in display_order(row, events))
        else:
            parts.append("<ul>")
            parts.extend(f"<li>{esc(option)}</li>" for option in row.options)
        parts.append("</ul></li>")
    parts.append("</ol></div>")
    return "".join(parts)


class Quiz(_common.LiveView):
    """The quiz questions of one notebook with Check buttons and immediate feedback.

    ``notebook`` is the notebook's file stem (the ``notebook`` column of ``quiz.csv``);
    ``tables`` defaults to the shipped data. Attributes for tests: ``rows`` (the questions),
    ``controls`` (question id → RadioButtons, or the list of up/down rows for ``order``),
    ``orders`` (question id → the current order of event ids), ``checks`` (question id →
    Check button), ``feedback`` (question id → last checked :class:`Feedback`),
    ``feedback_views`` (question id → the HTML widget showing it), ``score``, ``total``,
    ``score_text`` ("Score: 2 of 7 ..."), ``html`` (the static question list), ``output``
    (the score line), ``box``.
    """

    live_note = "Quiz: run the notebook to answer the questions and check your answers."

    def __init__(self, notebook: str, tables=None):
        import ipywidgets as w

        if tables is None:
            from cambodia_russia.tables import load_all

            tables = load_all()
        self.tables = tables
        self.notebook = str(notebook)
        quiz = tables.quiz
        self.rows = quiz[quiz["notebook"].astype(str) == self.notebook]
        if len(self.rows) == 0:
            raise ValueError(f"quiz.csv has no questions for notebook {self.notebook!r}")
        self._names = _common.source_names(tables.sources)
        self._titles = dict(zip(tables.events["id"].astype(str), tables.events["title"], strict=True))
        self.total = len(self.rows)
        self.feedback: dict[str, Feedback] = {}
        self.controls: dict[str, Any] = {}
        self.orders: dict[str, list[str]] = {}
        self.checks: dict[str, Any] = {}
        self.feedback_views: dict[str, Any] = {}
        self.html = questions_html(self.rows, tables.events)

        blocks = []
        for number, row in enumerate(self.rows.itertuples(index=False), start=1):
            blocks.append(self._question_block(w, number, row))
        self.output = w.Output()
        self.output.add_class(_common.LIVE_CLASS)  # the score is announced when it changes
        keys = w.HTML(_common.keys_html(KEYS))
        self.box = w.VBox([_common.style_widget(), keys, *blocks, self.output])
        self.box.add_class(_common.CSS_CLASS)
        self._show_score()

    # -- building ---------------------------------------------------------------

    def _question_block(self, w, number: int, row):
        qid = str(row.id)
        question = w.HTML(
            f'<p style="font-size:{_common.FONT_SIZE};margin:0.6em 0 0.2em 0">'
            f"<strong>{number}.</strong> {esc(row.question)}</p>"
        )
        check = w.Button(
            description="Check",
            icon="check",
            layout=w.Layout(width="auto", min_width="8em", align_self="flex-start"),
        )
        check.style.font_size = _common.FONT_SIZE
        question.add_class(_common.QUESTION_CLASS)
        feedback = w.HTML("")
        feedback.add_class(_common.LIVE_CLASS)  # announced when it changes
        self.checks[qid] = check
        self.feedback_views[qid] = feedback
        if str(row.kind) == "order":
            self.orders[qid] = display_order(row, self.tables.events)
            hint = w.HTML(
                f'<p style="font-size:{_common.FONT_SIZE};margin:0">'
                "Use the arrows to put the events in order, earliest at the top.</p>"
            )
            lines = [self._order_line(w, qid, position) for position in range(len(self.orders[qid]))]
            self.controls[qid] = lines
            self._refresh_order(qid)
            body = w.VBox([hint, *[line["box"] for line in lines]])
            check.on_click(lambda _b, row=row: self.check(str(row.id)))
        else:
            radio = w.RadioButtons(
                options=[str(o) for o in row.options],
                value=None,
                layout=w.Layout(width="auto", max_width="60em"),
            )
            radio.add_class(_common.CHOICE_CLASS)  # one named radio group, labelled by the question
            self.controls[qid] = radio
            radio.observe(lambda _change, qid=qid: self._answer_changed(qid), names="value")
            body = radio
            check.on_click(lambda _b, qid=qid: self.check(qid))
        return w.VBox([question, body, check, feedback], layout=w.Layout(margin="0 0 1em 0"))

    def _order_line(self, w, qid: str, position: int) -> dict[str, Any]:
        """One line of an order question: Up and Down buttons and the event's title."""
        # Width from the text (never cut to "Do…" when zoomed), never shrunk by the row.
        size = {"width": "auto", "min_width": "6em", "flex": "0 0 auto"}
        up = w.Button(icon="arrow-up", tooltip="Move up", description="Up", layout=w.Layout(**size))
        down = w.Button(icon="arrow-down", tooltip="Move down", description="Down", layout=w.Layout(**size))
        for b in (up, down):
            b.style.font_size = _common.FONT_SIZE
        text = w.HTML("")
        up.on_click(lambda _b: self.move(qid, position, -1))
        down.on_click(lambda _b: self.move(qid, position, +1))
        for child in (up, down):
            child.layout.margin = "0.15em 0.5em 0.15em 0"
        text.layout.flex = "1 1 12em"  # the title wraps instead of squeezing the buttons
        box = w.HBox([up, down, text], layout=w.Layout(align_items="center", flex_flow="row wrap"))
        return {"up": up, "down": down, "text": text, "box": box}

    def _refresh_order(self, qid: str) -> None:
        order = self.orders[qid]
        for position, line in enumerate(self.controls[qid]):
            title = self._titles.get(order[position], order[position])
            line["text"].value = (
                f'<span style="font-size:{_common.FONT_SIZE}">{position + 1}. {esc(title)}</span>'
            )
            line["up"].disabled = position == 0
            line["down"].disabled = position == len(order) - 1

    # -- actions ----------------------------------------------------------------

    def move(self, qid: str, position: int, delta: int) -> None:
        """Move the event at ``position`` (0-based) of an order question up (-1) or down (+1)."""
        order = self.orders[qid]
        target = position + delta
        if not 0 <= target < len(order):
            return
        order[position], order[target] = order[target], order[position]
        self._refresh_order(qid)
        self._answer_changed(qid)

    def check(self, qid: str) -> Feedback:
        """Check the current answer of one question, show and keep the feedback."""
        row = self.rows[self.rows["id"].astype(str) == qid].iloc[0]
        if str(row["kind"]) == "order":
            result = check_order(row, self.tables.events, self.orders[qid])
        else:
            result = check_choice(row, self.controls[qid].value)
        if result.answered:
            self.feedback[qid] = result
        else:
            self.feedback.pop(qid, None)
        self.feedback_views[qid].value = feedback_html(result, self._names)
        self._show_score()
        self._live_changed()
        return result

    def _answer_changed(self, qid: str) -> None:
        """A changed answer has not been checked yet: hide the old feedback."""
        if qid in self.feedback or self.feedback_views[qid].value:
            self.feedback.pop(qid, None)
            self.feedback_views[qid].value = ""
            self._show_score()

    @property
    def score(self) -> int:
        """How many questions are answered correctly (as last checked)."""
        return sum(f.correct for f in self.feedback.values())

    def _show_score(self) -> None:
        checked = len(self.feedback)
        line = f"Score: {self.score} of {self.total}"
        if checked < self.total:
            line += f" ({checked} of {self.total} questions checked)"
        _common.set_outputs(
            self.output,
            [_common.html_bundle(
                f'<p style="font-size:{_common.FONT_SIZE}"><strong>{esc(line)}</strong></p>'
            )],
        )
        self.score_text = line

    def live_bundles(self) -> None:
        """The live Output keeps the score line."""
        return None

    def static_bundles(self) -> list[dict[str, str]]:
        """The questions as a numbered list, without answers."""
        return [_common.html_bundle(self.html)]
