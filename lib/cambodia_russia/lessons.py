"""Building blocks the lessons share: exercises with hidden solutions, reference lists,
and the answer keys the teacher guide prints.

Everything here reads the tables (``load_all()`` by default) and never a file of its own.
Text from the data is always HTML-escaped; only the Markdown of exercises (written by the
collection's authors and checked like every other table) is rendered as Markdown.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .style import cell_text as _text
from .widgets._common import LINK_STYLE, no_math_markdown, output_html

__all__ = [
    "Exercises",
    "References",
    "answer_key_html",
    "solutions_markdown",
    "cited_source_ids",
    "exercise_rows",
    "references_html",
]


def _tables(tables):
    if tables is None:
        from .tables import load_all

        return load_all()
    return tables


def _missing(value: Any) -> bool:
    return _text(value) == ""


def exercise_rows(tables, notebook: str):
    """The exercises of one notebook (a DataFrame), in their number order."""
    rows = tables.exercises[tables.exercises["notebook"] == notebook]
    return rows.sort_values("number", kind="stable").reset_index(drop=True)


class Exercises:
    """The exercises of one notebook, each with a :class:`~cambodia_russia.Reveal` that
    keeps its model answer hidden until the student asks for it.

    ``Exercises("01_sihanouk_1955_1970")`` displays every prompt as Markdown followed by its
    "Show solution" button. ``.reveals`` holds the Reveal widgets, in order.
    """

    def __init__(self, notebook: str, tables=None):
        from .widgets import Reveal

        self.notebook = notebook
        self.tables = _tables(tables)
        self.rows = exercise_rows(self.tables, notebook)
        if self.rows.empty:
            raise ValueError(f"exercises.csv has no exercise for the notebook {notebook!r}")
        self.reveals = [
            Reveal(row.solution, label=f"Show solution {int(row.number)}")
            for row in self.rows.itertuples()
        ]

    def prompt_markdown(self, index: int) -> str:
        """The Markdown shown for exercise ``index`` (0-based): heading and task."""
        row = self.rows.iloc[index]
        title = html.escape(_text(row["title"]), quote=False)
        return f"**Exercise {int(row['number'])}: {title}**\n\n{_text(row['prompt'])}"

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        for index, reveal in enumerate(self.reveals):
            display(Markdown(no_math_markdown(self.prompt_markdown(index))))
            reveal.display()

    def display(self) -> None:
        """Show every exercise with its hidden solution."""
        self._ipython_display_()


def cited_source_ids(
    tables,
    period: str | None = None,
    notebook: str | None = None,
    topics: Iterable[str] = (),
) -> list[str]:
    """Ids of the sources cited by one period's events, claims and UN votes, by one
    notebook's quiz questions and exercises, and by the claims on ``topics`` (the topics a
    notebook compares): core texts first, then the rest by id."""
    ids: set[str] = set()

    def add(citations: Iterable) -> None:
        for item in citations:
            if isinstance(item, tuple):
                ids.add(item[0])
            elif item:
                ids.add(str(item))

    if period is not None:
        for citations in tables.events.loc[tables.events["period"] == period, "sources"]:
            add(citations)
        for citations in tables.un_votes.loc[tables.un_votes["period"] == period, "sources"]:
            add(citations)
        topic_ids = set(tables.topics.loc[tables.topics["period"] == period, "id"])
        add(tables.claims.loc[tables.claims["topic"].isin(topic_ids), "source"])
        period_row = tables.periods[tables.periods["id"] == period]
        for citations in period_row["sources"]:
            add(citations)
        if not period_row.empty:
            first = int(period_row["start_year"].iloc[0])
            last = period_row["end_year"].iloc[0]
            years = tables.indicators["year"].astype("Int64")
            in_period = years >= first
            if not _missing(last):
                in_period &= years <= int(last)
            for citations in tables.indicators.loc[in_period.fillna(False), "sources"]:
                add(citations)
    topics = list(topics)
    if topics:
        add(tables.claims.loc[tables.claims["topic"].isin(topics), "source"])
    if notebook is not None:
        for frame in (tables.quiz, tables.exercises):
            for citations in frame.loc[frame["notebook"] == notebook, "sources"]:
                add(citations)
    core = tables.sources.set_index("id")["core"]
    return sorted(ids, key=lambda i: (not bool(core.get(i, False)), i))


def _source_html(row) -> str:
    parts = [f"<strong>{html.escape(_text(row['short_name']))}</strong>"]
    who = ", ".join(p for p in (_text(row["author"]), _text(row["author_role"])) if p)
    if who:
        parts.append(html.escape(who))
    parts.append(f"<em>{html.escape(_text(row['title']))}</em>")
    where = ", ".join(p for p in (_text(row["outlet"]), _text(row["year"])) if p)
    if where:
        parts.append(html.escape(where))
    line = ". ".join(parts) + "."
    links = [u.strip() for u in _text(row["url"]).split(";") if u.strip()]
    for url in links:  # a cell may hold several addresses separated by ";"
        line += f' <a href="{html.escape(url, quote=True)}" rel="noopener" style="{LINK_STYLE}">{html.escape(url)}</a>'
    note = _text(row["notes"])
    if note:
        line += f"<br><small>Note: {html.escape(note)}</small>"
    return f"<li>{line}</li>"


def references_html(tables, source_ids: Iterable[str]) -> str:
    """An HTML list of sources (the three core texts marked), escaped."""
    frame = tables.sources.set_index("id", drop=False)
    core = [i for i in source_ids if i in frame.index and bool(frame.loc[i, "core"])]
    other = [i for i in source_ids if i in frame.index and not bool(frame.loc[i, "core"])]
    blocks = []
    if core:
        blocks.append("<p><strong>The source texts</strong></p><ul>"
                      + "".join(_source_html(frame.loc[i]) for i in core) + "</ul>")
    if other:
        blocks.append("<p><strong>Outside references</strong> (as archived; see "
                      "<code>data/sources.csv</code>)</p><ul>"
                      + "".join(_source_html(frame.loc[i]) for i in other) + "</ul>")
    return output_html('<div class="cr-references">' + "".join(blocks) + "</div>")


class References:
    """The reference list of a lesson: every source its period's data, its quiz and
    exercises, and the topics it compares cite, built from ``sources.csv`` (never typed by
    hand). ``topics`` names the topic ids shown in the lesson's source comparers; ``extra``
    adds source ids the lesson's prose cites beyond its data (checked against sources.csv)."""

    def __init__(
        self,
        period: str | None = None,
        notebook: str | None = None,
        tables=None,
        topics: Iterable[str] = (),
        extra: Iterable[str] = (),
    ):
        self.tables = _tables(tables)
        ids = cited_source_ids(self.tables, period=period, notebook=notebook, topics=topics)
        known = set(self.tables.sources["id"])
        unknown = [i for i in extra if i not in known]
        if unknown:
            raise KeyError(f"not in sources.csv: {', '.join(unknown)}")
        core = self.tables.sources.set_index("id")["core"]
        self.source_ids = sorted(set(ids) | set(extra), key=lambda i: (not bool(core[i]), i))
        self.html = references_html(self.tables, self.source_ids)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"References({len(self.source_ids)} sources)"


def answer_key_html(tables, notebook: str) -> str:
    """Every quiz answer and exercise model answer of one notebook, for the teacher guide."""
    from .widgets.quiz import right_order

    events = tables.events.set_index("id", drop=False)
    quiz = tables.quiz[tables.quiz["notebook"] == notebook]
    items = []
    for row in quiz.itertuples():
        question = html.escape(_text(row.question))
        if row.kind == "order":
            order = right_order(tables.events, list(row.options))
            answer = " → ".join(
                f"{html.escape(_text(events.loc[i, 'title']))} "
                f"({html.escape(_text(events.loc[i, 'date_label']))})" for i in order
            )
        else:
            answer = html.escape(_text(row.answer))
        items.append(f"<li><strong>{question}</strong><br>Answer: {answer}<br>"
                     f"<small>{html.escape(_text(row.explanation))}</small></li>")
    quiz_html = f"<ol>{''.join(items)}</ol>" if items else "<p>No quiz questions.</p>"
    return output_html(f'<div class="cr-answer-key"><p><strong>Quiz answers</strong></p>{quiz_html}</div>')


def solutions_markdown(tables, notebook: str) -> str:
    """Every exercise of one notebook with its model answer, as Markdown (teacher guide)."""
    blocks = []
    for row in exercise_rows(tables, notebook).itertuples():
        title = html.escape(_text(row.title), quote=False)
        blocks.append(f"**Exercise {int(row.number)}: {title}**\n\n{_text(row.prompt)}\n\n"
                      f"*Model answer.* {_text(row.solution)}")
    return no_math_markdown("\n\n---\n\n".join(blocks)) if blocks else "No exercises."
