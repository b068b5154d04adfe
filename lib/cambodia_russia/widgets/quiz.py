"""Quiz: one right option (``choice``) or 3–5 events to put in date order (``order``), with
feedback in words, never colour alone; :func:`check_choice` and :func:`check_order` are pure."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import FONT_SIZE, esc, make, text_or_empty

KEYS = (
    "Tab and Shift+Tab move between the questions and buttons, the arrow keys choose an answer, "
    "Enter or Space presses a button."
)
CORRECT = "Correct \u2713"
NOT_QUITE = "Not quite \u2717"
NO_ANSWER = "No answer yet"
BUTTON_STYLE = {"font_size": FONT_SIZE}
CHECK_LAYOUT = {"width": "auto", "min_width": "8em", "align_self": "flex-start"}
ORDER_BUTTON_LAYOUT = {
    "width": "auto",
    "min_width": "6em",
    "flex": "0 0 auto",
    "margin": "0.15em 0.5em 0.15em 0",
}


@dataclass(frozen=True)
class Feedback:
    """The result of checking one answer (``detail``: the right answer or order)."""

    correct: bool
    headline: str
    detail: str
    explanation: str = ""
    sources: tuple = ()
    answered: bool = True  # False: Check was pressed before anything was chosen


def _result(row, correct: bool, detail: str) -> Feedback:
    explanation, sources = text_or_empty(row.explanation), tuple(row.sources or ())
    return Feedback(correct, CORRECT if correct else NOT_QUITE, detail, explanation, sources)


def _by_id(events, column: str) -> dict:
    return dict(zip(events["id"].astype(str), events[column], strict=True))


def _line(markup: str, style: str = "") -> str:
    return f'<p style="font-size:{FONT_SIZE}{style}">{markup}</p>'


def check_choice(row, answer: str | None) -> Feedback:
    """Check the option chosen (``None``: nothing yet) for a ``choice`` question ``row``."""
    if not answer:
        return Feedback(
            False, NO_ANSWER, "Choose one of the answers, then press Check.", answered=False
        )
    right = text_or_empty(row.answer)
    if str(answer) == right:
        return _result(row, True, f"The answer is: {right}.")
    return _result(row, False, f"You chose: {answer}. The right answer is: {right}.")


def right_order(events, event_ids: Sequence[str]) -> list[str]:
    """The event ids sorted by date (first day covered, then last day, then id)."""
    wanted = [str(e) for e in event_ids]
    rows = events[events["id"].astype(str).isin(wanted)]
    ids = rows["id"].astype(str)
    missing = [e for e in wanted if e not in set(ids)]
    if missing:
        raise KeyError(f"unknown event id(s): {', '.join(missing)}")
    return [eid for *_dates, eid in sorted(zip(rows["start"], rows["end"], ids, strict=True))]


def check_order(row, events, ordered_ids: Sequence[str]) -> Feedback:
    """Check the student's order (event ids, earliest first) for an ``order`` question
    ``row``. ``ValueError`` when it is not an arrangement of the question's events."""
    options = [str(o) for o in row.options]
    given = [str(e) for e in ordered_ids]
    if sorted(given) != sorted(options):
        raise ValueError(f"expected an order of {options}, got {given}")
    right = right_order(events, options)
    labels, titles = _by_id(events, "date_label"), _by_id(events, "title")
    listing = "; ".join(
        f"{i}. {text_or_empty(labels[e])}: {text_or_empty(titles[e])}"
        for i, e in enumerate(right, 1)
    )
    if given == right:
        return _result(row, True, f"The order is: {listing}.")
    in_place = sum(g == r for g, r in zip(given, right, strict=True))
    detail = f"{in_place} of {len(right)} in the right place. The right order is: {listing}."
    return _result(row, False, detail)


def display_order(row, events) -> list[str]:
    """The order an ``order`` question first shows: a shuffle fixed by a hash (ids start with
    the year, so sorting would give the answer away), with the fewest events in place."""
    options = [str(o) for o in row.options]
    right = right_order(events, options)
    shuffles = [
        sorted(options, key=lambda e, s=salt: hashlib.sha256(f"{row.id}:{s}:{e}".encode()).digest())
        for salt in range(50)
    ]
    return min(shuffles, key=lambda shown: sum(a == b for a, b in zip(shown, right, strict=True)))


def feedback_html(feedback: Feedback, source_names: Mapping[str, str]) -> str:
    """Feedback as escaped HTML; a coloured border repeats, never replaces, the words."""
    if not feedback.answered:
        return _line(f"<strong>{esc(feedback.headline)}:</strong> {esc(feedback.detail)}")
    colour = "#009E73" if feedback.correct else "#D55E00"
    parts = [
        f'<div class="cr-feedback" style="font-size:{FONT_SIZE};line-height:1.45;'
        f'border-left:0.4em solid {colour};padding:0.1em 0 0.1em 0.8em;margin:0.4em 0">',
        f"<p><strong>{esc(feedback.headline)}</strong> {esc(feedback.detail)}</p>",
    ]
    if feedback.explanation:
        parts.append(f"<p>{esc(feedback.explanation)}</p>")
    if feedback.sources:
        sources = _common.citation_html(feedback.sources, source_names)
        parts.append(f'<p style="font-size:0.9em">Sources: {sources}</p>')
    return "".join(parts) + "</div>"


def questions_html(rows, events) -> str:
    """The questions as a numbered list, without answers (the static view of a quiz)."""
    titles = _by_id(events, "title")
    parts = [
        f'<div class="cr-quiz-questions" style="font-size:{FONT_SIZE};line-height:1.45">',
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
    return "".join(parts) + "</ol></div>"


class Quiz(_common.LiveView):
    """The quiz of one notebook (its file stem in ``quiz.csv``). By question id: ``controls``
    (RadioButtons, or the Up/Down lines), ``orders``, ``checks``, ``feedback``, ``feedback_views``."""

    live_note = "Quiz: run the notebook to answer the questions and check your answers."
    fills_output = False  # the live Output keeps the score line

    def __init__(self, notebook: str, tables=None):
        import ipywidgets as w

        from cambodia_russia.tables import ensure_tables

        self.tables = tables = ensure_tables(tables)
        self.rows = _common.rows_where(tables.quiz, "notebook", notebook)
        if len(self.rows) == 0:
            raise ValueError(f"quiz.csv has no questions for notebook {str(notebook)!r}")
        self._names = _common.source_names(tables.sources)
        self._titles = _by_id(tables.events, "title")
        self.total = len(self.rows)
        self.feedback: dict[str, Feedback] = {}
        self.controls, self.orders, self.checks, self.feedback_views = {}, {}, {}, {}
        self.html = questions_html(self.rows, tables.events)
        rows = enumerate(self.rows.itertuples(index=False), 1)
        blocks = [self._question_block(w, number, row) for number, row in rows]
        self.output = make(w.Output)
        self.output.add_class(_common.LIVE_CLASS)  # the score is announced when it changes
        self.box = _common.widget_box(w, _common.keys_line(w, KEYS), *blocks, self.output)
        self._show_score()

    def _question_block(self, w, number: int, row):
        qid = str(row.id)
        question = make(
            w.HTML,
            value=_line(
                f"<strong>{number}.</strong> {esc(row.question)}", ";margin:0.6em 0 0.2em 0"
            ),
        )
        question.add_class(_common.QUESTION_CLASS)
        check = self.checks[qid] = make(
            w.Button, CHECK_LAYOUT, BUTTON_STYLE, description="Check", icon="check"
        )
        check.on_click(lambda _b: self.check(qid))
        feedback = self.feedback_views[qid] = make(w.HTML)
        feedback.add_class(_common.LIVE_CLASS)
        if str(row.kind) == "order":
            self.orders[qid] = display_order(row, self.tables.events)
            hint = "Use the arrows to put the events in order, earliest at the top."
            lines = self.controls[qid] = [
                self._order_line(w, qid, i) for i in range(len(row.options))
            ]
            children = [
                make(w.HTML, value=_line(hint, ";margin:0")),
                *[line["box"] for line in lines],
            ]
            body = make(w.VBox, children=children)
        else:
            body = self.controls[qid] = make(
                w.RadioButtons,
                {"width": "auto", "max_width": "60em"},
                options=[str(o) for o in row.options],
                value=None,
            )
            body.add_class(_common.CHOICE_CLASS)  # one radio group, labelled by the question
            body.observe(lambda _change: self._answer_changed(qid), names="value")
        return make(w.VBox, {"margin": "0 0 1em 0"}, children=[question, body, check, feedback])

    def _order_line(self, w, qid: str, position: int) -> dict:
        """One line of an order question: Up and Down buttons, then the event's title."""
        line = {"text": make(w.HTML, {"flex": "1 1 12em"}, value=self._order_text(qid, position))}
        last = len(self.orders[qid]) - 1
        for name, delta, end in (("Up", -1, 0), ("Down", +1, last)):
            button = line[name.lower()] = make(
                w.Button,
                ORDER_BUTTON_LAYOUT,
                BUTTON_STYLE,
                description=name,
                icon=f"arrow-{name.lower()}",
                tooltip=f"Move {name.lower()}",
                disabled=position == end,
            )
            button.on_click(lambda _b, delta=delta: self.move(qid, position, delta))
        children = [line["up"], line["down"], line["text"]]
        line["box"] = make(
            w.HBox, {"align_items": "center", "flex_flow": "row wrap"}, children=children
        )
        return line

    def _order_text(self, qid: str, position: int) -> str:
        eid = self.orders[qid][position]
        text = f"{position + 1}. {esc(self._titles.get(eid, eid))}"
        return f'<span style="font-size:{FONT_SIZE}">{text}</span>'

    def move(self, qid: str, position: int, delta: int) -> None:
        """Move the event at ``position`` (0-based) of an order question up (-1) or down (+1)."""
        order = self.orders[qid]
        target = position + delta
        if 0 <= target < len(order):
            order[position], order[target] = order[target], order[position]
            for index in (position, target):
                self.controls[qid][index]["text"].value = self._order_text(qid, index)
            self._answer_changed(qid)

    def check(self, qid: str) -> Feedback:
        """Check the current answer of one question, show and keep the feedback."""
        row = self.rows[self.rows["id"].astype(str) == qid].iloc[0]
        if qid in self.orders:
            result = check_order(row, self.tables.events, self.orders[qid])
        else:
            result = check_choice(row, self.controls[qid].value)
        self.feedback.pop(qid, None)
        if result.answered:
            self.feedback[qid] = result
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
        line = f"Score: {self.score} of {self.total}"
        if len(self.feedback) < self.total:
            line += f" ({len(self.feedback)} of {self.total} questions checked)"
        score = _common.html_bundle(_line(f"<strong>{esc(line)}</strong>"))
        _common.set_outputs(self.output, [score])
