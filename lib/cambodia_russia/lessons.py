"""Building blocks the lessons share: exercises with hidden solutions, the data lab's
model solutions asked for by id, reference lists, and the answer keys of the teacher
edition.

Everything here reads the tables (``load_all()`` by default) and never a file of its own.
Text from the data is always HTML-escaped; the Markdown of exercise prompts and solutions is
rendered by :func:`cambodia_russia.safe_markdown.render` (no raw HTML, safe links only).

Solutions are never written into a student notebook: a cell asks for one by id
(``solution("step2")``, ``solution("ex01_1955_or_1956")``) and gets a button that reveals
it. In the student edition (``make student-edition``) the solutions are left out of the
data; :func:`solution` and :class:`Exercises` then say so instead of showing a button.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from typing import Any

from .widgets._common import LINK_STYLE, esc, is_missing, no_math_markdown, output_html
from .widgets._common import text_or_empty as _text

__all__ = [
    "NOT_INCLUDED",
    "Exercises",
    "lab_solution_rows",
    "lesson_answer_key_html",
    "solution",
    "solution_markdown",
    "References",
    "answer_key_html",
    "solutions_markdown",
    "cited_source_ids",
    "citation_markdown",
    "exercise_rows",
    "linked_source_ids",
    "references_html",
    "source_anchor",
    "REFERENCES_HEADING",
]


#: data folder -> (its files' sizes and times, its tables): what :func:`_tables` last loaded.
_LOADED: dict[Any, tuple[Any, Any]] = {}


def _tables(tables, data_dir=None):
    """``tables``, else the data folder's tables, checked and loaded again only when one of
    its files changed: each ``solution("stepN")`` of the lab would otherwise read and check
    every table anew (about 40 ms each)."""
    if tables is not None:
        return tables
    from . import paths
    from .tables import load_all

    folder = paths.data_dir(data_dir)
    try:
        files = [*os.scandir(folder), paths.schema_path(folder)]
        stamp = sorted(
            (str(getattr(f, "path", f)), s.st_mtime_ns, s.st_size)
            for f, s in ((f, os.stat(f)) for f in files)
        )
    except OSError:  # no such folder: load_all says so
        return load_all(data_dir)
    seen = _LOADED.get(folder)
    if seen is None or seen[0] != stamp:
        _LOADED.clear()
        _LOADED[folder] = (stamp, load_all(folder))
    return _LOADED[folder][1]


#: What a student edition shows where a solution would be.
NOT_INCLUDED = (
    "Model solutions are not included in this edition of the collection. "
    "Ask your teacher, or compare your answer with a classmate's."
)


def lab_solution_rows(tables=None, data_dir=None) -> dict[str, dict[str, Any]]:
    """The data lab's model solutions (``lab_solutions.csv``), keyed by step id.

    Each value has ``variable``, ``code`` and ``explanation``. Empty in the student edition,
    whose ``lab_solutions.csv`` has no rows. ``tables`` defaults to ``load_all(data_dir)``.
    """
    tables = _tables(tables, data_dir)
    return {str(row["id"]): row for row in tables.lab_solutions.to_dict("records")}


def solution_markdown(solution_id: str, tables=None, data_dir=None) -> str:
    """The model solution ``solution_id`` as Markdown, or "" when this edition has none.

    ``solution_id`` is a data-lab step (``"step2"``) or an exercise id from
    ``exercises.csv``. Raises ``KeyError`` (listing the ids) for an unknown id.
    """
    key = str(solution_id).strip()
    tables = _tables(tables, data_dir)
    lab = lab_solution_rows(tables)
    if key in lab:
        row = lab[key]
        return f"```python\n{_text(row['code']).rstrip()}\n```\n\n{_text(row['explanation'])}"
    exercises = tables.exercises.set_index("id", drop=False)
    if key in exercises.index:
        return _text(exercises.loc[key, "solution"])
    from .lab import STEPS

    if key in STEPS:
        return ""  # a step of the lab, but this edition carries no solutions
    known = sorted(lab) + sorted(exercises.index)
    raise KeyError(f"no solution {key!r}; the ids are {', '.join(known)}")


class NotIncluded:
    """What :func:`solution` shows in an edition without solutions: a short note."""

    def __init__(self, solution_id: str):
        self.solution_id = solution_id

    def _repr_html_(self) -> str:
        return f"<p><em>{esc(NOT_INCLUDED)}</em></p>"

    def __repr__(self) -> str:
        return NOT_INCLUDED


def solution(solution_id: str, tables=None, data_dir=None, label: str = "Show model solution"):
    """A button that reveals the model solution ``solution_id`` when clicked.

    Returns a :class:`~cambodia_russia.Reveal` (the text stays in the kernel until the click:
    it is not in the cell's source, its output or the stored widget state), or a
    :class:`NotIncluded` note when this edition has no solutions.
    """
    markdown = solution_markdown(solution_id, tables=tables, data_dir=data_dir)
    if not markdown.strip():
        return NotIncluded(str(solution_id))
    from .widgets import Reveal

    return Reveal(markdown, label=label)


def exercise_rows(tables, notebook: str):
    """The exercises of one notebook (a DataFrame), in their number order."""
    rows = tables.exercises[tables.exercises["notebook"] == notebook]
    return rows.sort_values("number", kind="stable").reset_index(drop=True)


class Exercises:
    """The exercises of one notebook, each with a :class:`~cambodia_russia.Reveal` that
    keeps its model answer hidden until the student asks for it.

    ``Exercises("01_sihanouk_1955_1970")`` displays every prompt (safe HTML from its
    Markdown) followed by its "Show solution" button. ``.reveals`` holds the Reveal widgets,
    in order; an exercise without a solution (the student edition) has ``None`` there and
    shows :data:`NOT_INCLUDED` instead of a button.
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

    def _ipython_display_(self) -> None:
        from IPython.display import display

        for index, reveal in enumerate(self.reveals):
            bundle = {
                "text/html": output_html(self.prompt_html(index)),
                "text/plain": self.prompt_markdown(index),
            }
            display(bundle, raw=True)
            if reveal is None:
                display(NotIncluded(str(self.rows.iloc[index]["id"])))
            else:
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
            if not is_missing(last):
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


#: The heading of every lesson's reference list: the target of its citation links (JupyterLab
#: scrolls to headings, not to ids inside outputs).
REFERENCES_HEADING = "References"


def source_anchor(source_id: str) -> str:
    """The HTML id of a source's entry in a reference list (``source-X89``)."""
    return "source-" + "".join(c if c.isalnum() or c in "_-" else "_" for c in str(source_id))


def citation_markdown(source_id: str, names, locator: str = "") -> str:
    """A citation as a Markdown link with a readable label, for a lesson's prose:
    ``[Facts on File (12 January 1979)](#References)``, or with a locator
    ``[Mosyakov (2021), para 9](#References)``. The link opens the lesson's reference list,
    whose entry starts with the same label. ``names`` maps source ids to short names
    (:func:`cambodia_russia.widgets._common.source_names`); the label is the one the widgets
    show (:func:`~cambodia_russia.widgets._common.citation_text`). Pure."""
    from .widgets._common import citation_text

    label = citation_text([(str(source_id), locator)], names)
    label = "".join("\\" + c if c in "\\[]*_`<>" else c for c in label)
    return f"[{label}](#{REFERENCES_HEADING})"


def linked_source_ids(markdown: str, names) -> set[str]:
    """The ids of the sources that :func:`citation_markdown` links in ``markdown`` name
    (the inverse of its labels; short names are unique). Pure."""
    import re

    by_label = {name: sid for sid, name in names.items()}
    found = set()
    for label in re.findall(r"\[((?:[^\]\\]|\\.)+)\]\(#" + REFERENCES_HEADING + r"\)", markdown):
        label = re.sub(r"\\(.)", r"\1", label)
        match = [n for n in by_label if label == n or label.startswith(n + ", ")]
        if match:
            found.add(by_label[max(match, key=len)])
    return found


def _host(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _source_html(row) -> str:
    from .widgets.reader import quality_html

    parts = [f"<strong>{esc(row['short_name'])}</strong> {quality_html(row.get('quality'))}"]
    parts += [esc(row["author"])] if _text(row["author"]) else []
    parts.append(f"<em>{esc(row['title'])}</em>")
    where = ", ".join(p for p in (_text(row["outlet"]), _text(row["year"])) if p)
    line = ". ".join(parts + ([esc(where)] if where else [])) + "."
    for url in (
        u.strip() for u in _text(row["url"]).split(";") if u.strip()
    ):  # the host is the link text
        line += f' <a href="{esc(url)}" rel="noopener" style="{LINK_STYLE}">{esc(_host(url))}</a>'
    if _text(row["notes"]):
        line += f"<br><small>{esc(row['notes'])}</small>"
    core = " (core text)" if bool(row["core"]) else ""
    return f'<li id="{esc(source_anchor(row["id"]))}" style="margin-bottom:0.3em;break-inside:avoid">{line}{core}</li>'


def references_html(tables, source_ids: Iterable[str]) -> str:
    """One list of sources, the core texts first, each with its quality badge (explained
    once) and the id citation links point to; collapsed under a one-line summary, in
    columns when opened. Escaped."""
    from .widgets.reader import QUALITY_LABELS

    frame = tables.sources.set_index("id", drop=False)
    ids = [i for i in source_ids if i in frame.index]
    ids = sorted(ids, key=lambda i: not bool(frame.loc[i, "core"]))  # stable: core texts first
    core = sum(bool(frame.loc[i, "core"]) for i in ids)
    count = f"{len(ids)} source{'' if len(ids) == 1 else 's'} ({core} core text{'' if core == 1 else 's'})"
    legend = "; ".join(f"<em>{esc(k)}</em>, {esc(v)}" for k, v in QUALITY_LABELS.items())
    items = "".join(_source_html(frame.loc[i]) for i in ids)
    return output_html(
        '<details class="cr-references"><summary style="cursor:pointer">'
        f"<strong>References: {count}</strong> (open the list)</summary>"
        '<p style="font-size:0.9em;margin:0.3em 0">In brackets, what kind of source each is, so you '
        f"can weigh it: {legend}. Addresses as archived; the full table is <code>data/sources.csv</code>.</p>"
        f'<ol style="padding-left:1.6em;columns:2 26em;column-gap:2.5em;font-size:0.92em">{items}</ol></details>'
    )


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
        question = esc(row.question)
        if row.kind == "order":
            order = right_order(tables.events, list(row.options))
            answer = " → ".join(
                f"{esc(events.loc[i, 'title'])} ({esc(events.loc[i, 'date_label'])})" for i in order
            )
        else:
            answer = esc(row.answer)
        items.append(
            f"<li><strong>{question}</strong><br>Answer: {answer}<br>"
            f"<small>{esc(row.explanation)}</small></li>"
        )
    quiz_html = f"<ol>{''.join(items)}</ol>" if items else "<p>No quiz questions.</p>"
    return output_html(
        f'<div class="cr-answer-key"><p><strong>Quiz answers</strong></p>{quiz_html}</div>'
    )


def solutions_markdown(tables, notebook: str) -> str:
    """Every exercise of one notebook with its model answer, as Markdown (teacher guide)."""
    blocks = []
    for row in exercise_rows(tables, notebook).itertuples():
        title = html.escape(_text(row.title), quote=False)
        blocks.append(
            f"**Exercise {int(row.number)}: {title}**\n\n{_text(row.prompt)}\n\n"
            f"*Model answer.* {_text(row.solution)}"
        )
    return no_math_markdown("\n\n---\n\n".join(blocks)) if blocks else "No exercises."


#: The notebook whose steps have model solutions in ``lab_solutions.csv``.
LAB_NOTEBOOK = "08_data_lab"


def lesson_answer_key_html(tables, notebook: str) -> str:
    """The answer key of one lesson on one page (teacher edition): the quiz answers, every
    exercise with its model answer and, for the data lab, each step's model solution.

    Text from the data is escaped, and its Markdown rendered by
    :func:`cambodia_russia.safe_markdown.render`. Used by the teacher guide's *Answers* cells
    and by the printable answer keys (:func:`cambodia_russia.handouts.answer_key_page`).
    """
    from .safe_markdown import render

    parts = [answer_key_html(tables, notebook)]
    exercises = []
    for row in exercise_rows(tables, notebook).itertuples():
        title = esc(row.title)
        exercises.append(
            f'<li class="cr-key-exercise"><p><strong>Exercise {int(row.number)}: {title}</strong></p>'
            f"{render(_text(row.prompt))}<p><em>Model answer.</em></p>{render(_text(row.solution))}</li>"
        )
    if exercises:
        parts.append("<p><strong>Exercises</strong></p><ol>" + "".join(exercises) + "</ol>")
    if notebook == LAB_NOTEBOOK:
        from .lab import STEPS

        steps = []
        for step_id in lab_solution_rows(tables):
            step = STEPS.get(step_id)
            title = esc(step.title if step else step_id)
            steps.append(
                f'<li class="cr-key-step"><p><strong>{esc(step_id)}: {title}</strong></p>'
                f"{render(solution_markdown(step_id, tables=tables))}</li>"
            )
        if steps:
            parts.append(
                "<p><strong>Model solutions of the lab's steps</strong></p><ul>"
                + "".join(steps)
                + "</ul>"
            )
    return output_html('<div class="cr-lesson-key">' + "".join(parts) + "</div>")
