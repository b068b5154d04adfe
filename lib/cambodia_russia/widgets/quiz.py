"""Quiz: a notebook's questions with immediate feedback.

``choice`` questions have one right option (RadioButtons, nothing preselected); ``order``
questions put 3–5 events in order (Up / Down), the right order computed from their dates.
:func:`check_choice` and :func:`check_order` are pure; feedback starts with words, never
colour alone ("Correct ✓", "Not quite ✗").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, text_or_empty

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
    """The result of checking one answer: ``headline`` ("Correct ✓", "Not quite ✗", "No
    answer yet"), ``detail`` (the right answer or order), the row's ``explanation`` and
    ``sources``."""

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
    return getattr(row, name) if hasattr(row, "_fields") else row[name]


def _result(row, correct: bool, detail: str) -> Feedback:
    explanation, sources = (
        text_or_empty(_get(row, "explanation")),
        tuple(_get(row, "sources") or ()),
    )
    return Feedback(correct, CORRECT if correct else NOT_QUITE, detail, explanation, sources)


def check_choice(row, answer: str | None) -> Feedback:
    """Check the option chosen (``None``: nothing yet) for a ``choice`` question ``row``."""
    right = text_or_empty(_get(row, "answer"))
    if answer is None or answer == "":
        return Feedback(False, NO_ANSWER, "Choose one of the answers, then press Check.", "", ())
    if str(answer) == right:
        return _result(row, True, f"The answer is: {right}.")
    return _result(row, False, f"You chose: {answer}. The right answer is: {right}.")


def right_order(events, event_ids: Sequence[str]) -> list[str]:
    """The event ids sorted by date (first day covered, then last day, then id)."""
    wanted = [str(e) for e in event_ids]
    rows = events[events["id"].astype(str).isin(wanted)]
    found = set(rows["id"].astype(str))
    missing = [e for e in wanted if e not in found]
    if missing:
        raise KeyError(f"unknown event id(s): {', '.join(missing)}")
    return [
        eid
        for *_dates, eid in sorted(
            zip(rows["start"], rows["end"], rows["id"].astype(str), strict=True)
        )
    ]


def check_order(row, events, ordered_ids: Sequence[str]) -> Feedback:
    """Check the student's order (event ids, earliest first) for an ``order`` question
    ``row``. ``ValueError`` when it is not an arrangement of the question's events."""
    options = [str(o) for o in _get(row, "options")]
    given = [str(e) for e in ordered_ids]
    if sorted(given) != sorted(options):
        raise ValueError(f"expected an order of {options}, got {given}")
    right = right_order(events, options)
    labels = dict(zip(events["id"].astype(str), events["date_label"], strict=True))
    titles = dict(zip(events["id"].astype(str), events["title"], strict=True))
    listing = "; ".join(
        f"{i}. {text_or_empty(labels[e])}: {text_or_empty(titles[e])}"
        for i, e in enumerate(right, 1)
    )
    if given == right:
        return _result(row, True, f"The order is: {listing}.")
    in_place = sum(g == r for g, r in zip(given, right, strict=True))
    return _result(
        row, False, f"{in_place} of {len(right)} in the right place. The right order is: {listing}."
    )


def display_order(row, events) -> list[str]:
    """The order an ``order`` question first shows: a shuffle, the same on every run
    (a hash of question id, counter and event id; ids start with the year, so sorting
    would give the answer away), tried until no event stands in its right place."""
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
    """Feedback as escaped HTML; a coloured border repeats, never replaces, the words."""
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
    """The quiz of one notebook (its file stem in ``quiz.csv``) with Check buttons.

    For tests, by question id: ``controls`` (RadioButtons, or the Up/Down lines),
    ``orders`` (current order), ``checks`` (buttons), ``feedback`` (last checked),
    ``feedback_views``; and ``rows``, ``score``, ``total``, ``score_text``, ``html``, ``output``.
    """

    live_note = "Quiz: run the notebook to answer the questions and check your answers."

    def __init__(self, notebook: str, tables=None):
        import ipywidgets as w

        self.tables = tables = _common.load_tables(tables)
        self.notebook = str(notebook)
        quiz = tables.quiz
        self.rows = quiz[quiz["notebook"].astype(str) == self.notebook]
        if len(self.rows) == 0:
            raise ValueError(f"quiz.csv has no questions for notebook {self.notebook!r}")
        self._names = _common.source_names(tables.sources)
        self._titles = dict(
            zip(tables.events["id"].astype(str), tables.events["title"], strict=True)
        )
        self.total = len(self.rows)
        self.feedback: dict[str, Feedback] = {}
        self.controls, self.orders, self.checks, self.feedback_views = {}, {}, {}, {}
        self.html = questions_html(self.rows, tables.events)
        # Parts that look alike share one layout and one style (ipywidgets allows it): a quiz
        # opens about half as many models in the kernel and the browser.
        self._shared = {
            "plain": w.Layout(),
            "button": w.ButtonStyle(font_size=_common.FONT_SIZE),
            "check": w.Layout(width="auto", min_width="8em", align_self="flex-start"),
            "choices": w.Layout(width="auto", max_width="60em"),
            "block": w.Layout(margin="0 0 1em 0"),
            "order_button": w.Layout(
                width="auto", min_width="6em", flex="0 0 auto", margin="0.15em 0.5em 0.15em 0"
            ),
            "order_line": w.Layout(align_items="center", flex_flow="row wrap"),
            "order_text": w.Layout(flex="1 1 12em"),  # the title wraps, the buttons keep width
        }

        blocks = [
            self._question_block(w, n, row)
            for n, row in enumerate(self.rows.itertuples(index=False), 1)
        ]
        self.output = w.Output()
        self.output.add_class(_common.LIVE_CLASS)  # the score is announced when it changes
        self.box = _common.widget_box(w, w.HTML(_common.keys_html(KEYS)), *blocks, self.output)
        self._show_score()

    def _question_block(self, w, number: int, row):
        qid = str(row.id)
        shared = self._shared
        html = {"layout": shared["plain"]}
        question = w.HTML(
            f'<p style="font-size:{_common.FONT_SIZE};margin:0.6em 0 0.2em 0">'
            f"<strong>{number}.</strong> {esc(row.question)}</p>",
            **html,
        )
        check = w.Button(
            description="Check", icon="check", layout=shared["check"], style=shared["button"]
        )
        check.on_click(lambda _b: self.check(qid))
        question.add_class(_common.QUESTION_CLASS)
        feedback = self.feedback_views[qid] = w.HTML("", **html)
        feedback.add_class(_common.LIVE_CLASS)  # announced when it changes
        self.checks[qid] = check
        if str(row.kind) == "order":
            self.orders[qid] = display_order(row, self.tables.events)
            hint = w.HTML(
                f'<p style="font-size:{_common.FONT_SIZE};margin:0">'
                "Use the arrows to put the events in order, earliest at the top.</p>",
                **html,
            )
            lines = self.controls[qid] = [
                self._order_line(w, qid, i) for i in range(len(self.orders[qid]))
            ]
            self._refresh_order(qid)
            body = w.VBox([hint, *[line["box"] for line in lines]], layout=shared["plain"])
        else:
            body = self.controls[qid] = w.RadioButtons(
                options=[str(o) for o in row.options],
                value=None,
                layout=shared["choices"],
            )
            body.add_class(_common.CHOICE_CLASS)  # one named radio group, labelled by the question
            body.observe(lambda _change: self._answer_changed(qid), names="value")
        return w.VBox([question, body, check, feedback], layout=shared["block"])

    def _order_line(self, w, qid: str, position: int) -> dict[str, Any]:
        """One line of an order question: Up and Down buttons and the event's title."""
        # Width from the text (never cut to "Do…" when zoomed), never shrunk by the row.
        shared = self._shared
        up, down = (
            w.Button(
                icon=f"arrow-{d.lower()}",
                tooltip=f"Move {d.lower()}",
                description=d,
                layout=shared["order_button"],
                style=shared["button"],
            )
            for d in ("Up", "Down")
        )
        for b, delta in ((up, -1), (down, +1)):
            b.on_click(lambda _b, delta=delta: self.move(qid, position, delta))
        text = w.HTML("", layout=shared["order_text"])
        box = w.HBox([up, down, text], layout=shared["order_line"])
        return {"up": up, "down": down, "text": text, "box": box}

    def _refresh_order(self, qid: str) -> None:
        order = self.orders[qid]
        for position, line in enumerate(self.controls[qid]):
            title = self._titles.get(order[position], order[position])
            line[
                "text"
            ].value = (
                f'<span style="font-size:{_common.FONT_SIZE}">{position + 1}. {esc(title)}</span>'
            )
            line["up"].disabled = position == 0
            line["down"].disabled = position == len(order) - 1

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
        score = f'<p style="font-size:{_common.FONT_SIZE}"><strong>{esc(line)}</strong></p>'
        _common.set_outputs(self.output, [_common.html_bundle(score)])
        self.score_text = line

    def live_bundles(self) -> None:
        return None  # the live Output keeps the score line

    def static_bundles(self) -> list[dict[str, str]]:
        """The questions as a numbered list, without answers."""
        return [_common.html_bundle(self.html)]
