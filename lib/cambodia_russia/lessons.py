"""Building blocks the lessons share: exercises whose model answers stay hidden until asked
for, the data lab's model solutions by id, reference lists, and the teachers' answer keys.

Everything is read from the tables (``load_all()`` by default). Text from the data is escaped
and its Markdown rendered by :func:`cambodia_russia.safe_markdown.render`. The student edition
holds no solutions: :func:`solution` and :class:`Exercises` then say so instead.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from .tables import ensure_tables
from .widgets._common import LINK_STYLE, esc, html_bundle, is_missing, output_html
from .widgets._common import text_or_empty as _text

#: What a student edition shows where a solution would be.
NOT_INCLUDED = (
    "Model solutions are not included in this edition of the collection. "
    "Ask your teacher, or compare your answer with a classmate's."
)


def lab_solution_rows(tables=None, data_dir=None) -> dict[str, dict[str, Any]]:
    """The data lab's model solutions (``lab_solutions.csv``) by step id, each with
    ``variable``, ``code`` and ``explanation``; empty in the student edition."""
    tables = ensure_tables(tables, data_dir)
    return {str(row["id"]): row for row in tables.lab_solutions.to_dict("records")}


def solution_markdown(solution_id: str, tables=None, data_dir=None) -> str:
    """The model solution of a lab step (``"step2"``) or of an exercise id as Markdown, or ""
    when this edition has none. Raises ``KeyError``, listing the ids, for an unknown id."""
    key = str(solution_id).strip()
    tables = ensure_tables(tables, data_dir)
    lab = lab_solution_rows(tables)
    exercises = dict(zip(tables.exercises["id"], tables.exercises["solution"], strict=True))
    if key in lab:
        code, explanation = _text(lab[key]["code"]).rstrip(), _text(lab[key]["explanation"])
        return f"```python\n{code}\n```\n\n{explanation}"
    if key in exercises:
        return _text(exercises[key])
    from .lab import STEPS

    if key in STEPS:
        return ""  # a step of the lab, but this edition carries no solutions
    raise KeyError(f"no solution {key!r}; the ids are {', '.join(sorted(lab) + sorted(exercises))}")


class NotIncluded:
    """What :func:`solution` shows in an edition without solutions: a short note."""

    def _repr_html_(self) -> str:
        return f"<p><em>{esc(NOT_INCLUDED)}</em></p>"

    def __repr__(self) -> str:
        return NOT_INCLUDED


def solution(solution_id: str, tables=None, data_dir=None, label: str = "Show model solution"):
    """A button that reveals the model solution ``solution_id`` when clicked: a
    :class:`~cambodia_russia.Reveal` (the text stays in the kernel until the click), or a
    :class:`NotIncluded` note when this edition has no solutions."""
    markdown = solution_markdown(solution_id, tables=tables, data_dir=data_dir)
    if not markdown.strip():
        return NotIncluded()
    from .widgets import Reveal

    return Reveal(markdown, label=label)


def exercise_rows(tables, notebook: str):
    """The exercises of one notebook (a DataFrame), in their number order."""
    rows = tables.exercises[tables.exercises["notebook"] == notebook]
    return rows.sort_values("number", kind="stable").reset_index(drop=True)


class Exercises:
    """The exercises of one notebook: each prompt (safe HTML from its Markdown) followed by a
    "Show solution" :class:`~cambodia_russia.Reveal` (in ``.reveals``, in order), or by
    :data:`NOT_INCLUDED` (``None`` in ``.reveals``) in the student edition."""

    def __init__(self, notebook: str, tables=None):
        from .widgets import Reveal

        self.notebook = notebook
        self.tables = ensure_tables(tables)
        self.rows = exercise_rows(self.tables, notebook)
        if self.rows.empty:
            raise ValueError(f"exercises.csv has no exercise for the notebook {notebook!r}")
        self.reveals = [
            Reveal(row.solution, label=f"Show solution {int(row.number)}")
            if _text(row.solution).strip()
            else None
            for row in self.rows.itertuples()
        ]

    def prompt_markdown(self, index: int) -> str:
        """The Markdown shown for exercise ``index`` (0-based): heading and task."""
        row = self.rows.iloc[index]
        title = html.escape(_text(row["title"]), quote=False)
        return f"**Exercise {int(row['number'])}: {title}**\n\n{_text(row['prompt'])}"

    def prompt_html(self, index: int) -> str:
        """The prompt of exercise ``index`` (0-based) as safe HTML."""
        from .safe_markdown import render

        return render(self.prompt_markdown(index))

    def display(self) -> None:
        """Show every exercise with its hidden solution."""
        from IPython.display import display

        for index, reveal in enumerate(self.reveals):
            display(html_bundle(self.prompt_html(index), self.prompt_markdown(index)), raw=True)
            if reveal is None:
                display(NotIncluded())
            else:
                reveal.display()

    _ipython_display_ = display


def cited_source_ids(tables, period=None, notebook=None, topics: Iterable[str] = ()) -> list[str]:
    """Ids of the sources cited by one period's events, UN votes, claims, figures and period
    row, by one notebook's quiz questions and exercises, and by the claims on ``topics`` (the
    topics a notebook compares): core texts first, then the rest by id."""
    t = tables
    cells = []  # each a list of citations: (id, locator) pairs or ids
    if period is not None:
        row = t.periods[t.periods["id"] == period]
        cells += [*t.events.loc[t.events["period"] == period, "sources"], *row["sources"]]
        cells += list(t.un_votes.loc[t.un_votes["period"] == period, "sources"])
        topics = [*topics, *t.topics.loc[t.topics["period"] == period, "id"]]
        if not row.empty:
            years = t.indicators["year"].astype("Int64")
            inside = years >= int(row["start_year"].iloc[0])
            if not is_missing(last := row["end_year"].iloc[0]):
                inside &= years <= int(last)
            cells += list(t.indicators.loc[inside.fillna(False), "sources"])
    if notebook is not None:
        cells += [
            c for f in (t.quiz, t.exercises) for c in f.loc[f["notebook"] == notebook, "sources"]
        ]
    cells.append(t.claims.loc[t.claims["topic"].isin(list(topics)), "source"])
    ids = {c[0] if isinstance(c, tuple) else str(c) for cell in cells for c in cell if c}
    core = t.sources.set_index("id")["core"]
    return sorted(ids, key=lambda i: (not bool(core.get(i, False)), i))


def source_anchor(source_id: str) -> str:
    """The HTML id of a source's entry in a reference list (``source-X89``)."""
    return "source-" + "".join(c if c.isalnum() or c in "_-" else "_" for c in str(source_id))


def _source_html(row) -> str:
    """One entry of a reference list; each address linked by its host name."""
    from .widgets.reader import quality_html

    parts = [f"<strong>{esc(row['short_name'])}</strong> {quality_html(row.get('quality'))}"]
    parts += [esc(row["author"])] if _text(row["author"]) else []
    parts.append(f"<em>{esc(row['title'])}</em>")
    where = ", ".join(p for p in (_text(row["outlet"]), _text(row["year"])) if p)
    line = ". ".join(parts + ([esc(where)] if where else [])) + "."
    for url in (u.strip() for u in _text(row["url"]).split(";") if u.strip()):
        host = re.sub(r"^www\.", "", url.split("://", 1)[-1].split("/", 1)[0])
        line += f' <a href="{esc(url)}" rel="noopener" style="{LINK_STYLE}">{esc(host)}</a>'
    if _text(row["notes"]):
        line += f"<br><small>{esc(row['notes'])}</small>"
    core = " (core text)" if bool(row["core"]) else ""
    return f'<li id="{esc(source_anchor(row["id"]))}" style="margin-bottom:0.3em;break-inside:avoid">{line}{core}</li>'


def references_html(tables, source_ids: Iterable[str]) -> str:
    """One list of sources, the core texts first, each with its quality badge (explained
    once) and the id citation links point to; collapsed under a one-line summary, in
    columns when opened. Escaped."""
    from .widgets.reader import QUALITY_LABELS

    rows = {str(row["id"]): row for row in tables.sources.to_dict("records")}
    ids = [i for i in source_ids if i in rows]
    ids = sorted(ids, key=lambda i: not bool(rows[i]["core"]))  # stable: core texts first
    core = sum(bool(rows[i]["core"]) for i in ids)
    count = f"{len(ids)} source{'' if len(ids) == 1 else 's'} ({core} core text{'' if core == 1 else 's'})"
    legend = "; ".join(f"<em>{esc(k)}</em>, {esc(v)}" for k, v in QUALITY_LABELS.items())
    items = "".join(_source_html(rows[i]) for i in ids)
    return output_html(
        '<details class="cr-references"><summary style="cursor:pointer">'
        f"<strong>References: {count}</strong> (open the list)</summary>"
        '<p style="font-size:0.9em;margin:0.3em 0">In brackets, what kind of source each is, so you '
        f"can weigh it: {legend}. Addresses as archived; the full table is <code>data/sources.csv</code>.</p>"
        f'<ol style="padding-left:1.6em;columns:2 26em;column-gap:2.5em;font-size:0.92em">{items}</ol></details>'
    )


class References:
    """The reference list of a lesson, built from ``sources.csv``: every source its period's
    data, its quiz and exercises and the ``topics`` it compares cite, plus the ``extra``
    source ids its prose cites (KeyError for an id not in sources.csv)."""

    def __init__(self, period=None, notebook=None, tables=None, topics=(), extra=()):
        self.tables = ensure_tables(tables)
        ids = cited_source_ids(self.tables, period=period, notebook=notebook, topics=topics)
        core = self.tables.sources.set_index("id")["core"]
        unknown = [i for i in extra if i not in core.index]
        if unknown:
            raise KeyError(f"not in sources.csv: {', '.join(unknown)}")
        self.source_ids = sorted(set(ids) | set(extra), key=lambda i: (not bool(core[i]), i))
        self.html = references_html(self.tables, self.source_ids)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"References({len(self.source_ids)} sources)"


#: The notebook whose steps have model solutions in ``lab_solutions.csv``.
LAB_NOTEBOOK = "08_data_lab"


def lesson_answer_key_html(tables, notebook: str) -> str:
    """The answer key of one lesson on one page (teacher guide, printable answer keys): the
    quiz answers (an order question's order worked out from the events' dates), every
    exercise with its model answer and, for the data lab, each step's model solution.
    Escaped; Markdown rendered by :func:`cambodia_russia.safe_markdown.render`."""
    from .lab import STEPS
    from .safe_markdown import render
    from .widgets.quiz import right_order

    events = tables.events.set_index("id", drop=False)
    items = []
    for row in tables.quiz[tables.quiz["notebook"] == notebook].itertuples():
        answer = esc(row.answer)
        if row.kind == "order":
            order = right_order(tables.events, list(row.options))
            answer = " → ".join(
                f"{esc(events.loc[i, 'title'])} ({esc(events.loc[i, 'date_label'])})" for i in order
            )
        items.append(
            f"<li><strong>{esc(row.question)}</strong><br>Answer: {answer}<br>"
            f"<small>{esc(row.explanation)}</small></li>"
        )
    quiz_html = f"<ol>{''.join(items)}</ol>" if items else "<p>No quiz questions.</p>"
    parts = [
        output_html(
            f'<div class="cr-answer-key"><p><strong>Quiz answers</strong></p>{quiz_html}</div>'
        )
    ]
    exercises = [
        f'<li class="cr-key-exercise"><p><strong>Exercise {int(row.number)}: {esc(row.title)}</strong></p>'
        f"{render(_text(row.prompt))}<p><em>Model answer.</em></p>{render(_text(row.solution))}</li>"
        for row in exercise_rows(tables, notebook).itertuples()
    ]
    if exercises:
        parts.append("<p><strong>Exercises</strong></p><ol>" + "".join(exercises) + "</ol>")
    steps = [
        f'<li class="cr-key-step"><p><strong>{esc(step)}: {esc(STEPS[step].title if step in STEPS else step)}</strong></p>'
        f"{render(solution_markdown(step, tables=tables))}</li>"
        for step in (lab_solution_rows(tables) if notebook == LAB_NOTEBOOK else ())
    ]
    if steps:
        parts.append(
            f"<p><strong>Model solutions of the lab's steps</strong></p><ul>{''.join(steps)}</ul>"
        )
    return output_html('<div class="cr-lesson-key">' + "".join(parts) + "</div>")
