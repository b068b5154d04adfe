"""Write one short student worksheet per lesson: HTML with print CSS, and its A4 PDF.

    python tools/worksheets.py [--out build/worksheets] [--html-only] [LESSON ...]
    (or: make worksheets)

The full printable notebook (``make handouts``) runs to dozens of pages; a worksheet is what
a student takes to the desk, at most four A4 pages:

* the lesson's title, a line for the student's name and the objectives from
  ``notebooks/lessons.toml``;
* the lesson's key chart, drawn by the package's chart functions (see :func:`key_chart`),
  as an ``<img>`` whose ``alt`` is the chart's description, which is printed below it too;
* every exercise of the lesson from ``data/exercises.csv`` (prompt only, never the model
  answer), each followed by ruled lines for the answer;
* the lesson's multiple-choice self-check questions from ``data/quiz.csv`` with a box before
  each option (no answer marked, no explanation);
* the sources the prompts name, so a student can find them without the notebook.

LESSON is a notebook file name or stem (``01_sihanouk_1955_1970``); without any, every lesson
in ``lessons.toml`` gets a worksheet. Each worksheet is ``<stem>.html`` (self-contained: the
chart is a ``data:`` URI) and ``<stem>.pdf``, printed by Debian's Chromium in headless mode
(``/usr/bin/chromium``, or ``$CHROMIUM``); ``--html-only`` skips the PDFs. An ``index.html``
lists them.

Text from the data is untrusted (anyone may edit a CSV file in a spreadsheet): it reaches the
page only through :func:`_text` (plain text, HTML-escaped) or :func:`_markdown` (the exercise
prompts, rendered by :func:`cambodia_russia.safe_markdown.render`, which leaves no raw HTML).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cambodia_russia as cr
from cambodia_russia import safe_markdown
from cambodia_russia.charts import figure_png

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "notebooks" / "lessons.toml"
DEFAULT_OUT = ROOT / "build" / "worksheets"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
#: Debian's chromium, headless and offline: the one list of its flags (the browser tests and
#: the handout tests use it too).
BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
CHROMIUM_ARGS = (*BROWSER_ARGS, "--no-pdf-header-footer")

#: PDFs printed at once: a headless Chromium spends most of a print starting up and waiting
#: (about 1.3 s wall for 0.5 CPU-s), so a few side by side finish sooner on any machine.
PRINT_AT_ONCE = 4

#: Ruled answer lines after each exercise.
ANSWER_LINES = 8
#: Lesson kinds that get a worksheet (the teacher guide is not a lesson for students).
STUDENT_KINDS = ("start", "period", "sources", "lab")
#: Source ids a prompt may name: a core text (``mosyakov_2021``) or an outside reference (X04).
_SOURCE_ID = re.compile(r"\b(X\d{2,3}|[a-z][a-z_]*_\d{4})\b")


class WorksheetError(RuntimeError):
    """The registry or a lesson cannot make a worksheet; the message names file and entry."""


@dataclass(frozen=True)
class Lesson:
    """One ``[[lesson]]`` of notebooks/lessons.toml, as far as a worksheet needs it."""

    stem: str
    title: str
    kind: str
    period: str
    objectives: tuple[str, ...]
    minutes: int


def load_lessons(registry: Path = REGISTRY) -> list[Lesson]:
    """The student lessons of the registry, in teaching order."""
    try:
        with registry.open("rb") as handle:
            entries = tomllib.load(handle).get("lesson", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise WorksheetError(f"{registry}: {exc}") from exc
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"{registry.name}, lesson {number} ({entry.get('file', 'no file')})"
        for key in ("file", "title", "kind", "objectives"):
            if key not in entry:
                raise WorksheetError(f"{where}: missing key {key!r}")
        if entry["kind"] not in STUDENT_KINDS:
            continue
        objectives = entry["objectives"]
        if (
            not isinstance(objectives, list)
            or not objectives
            or not all(isinstance(o, str) for o in objectives)
        ):
            raise WorksheetError(f"{where}: 'objectives' must be a non-empty list of texts")
        found.append(
            Lesson(
                Path(entry["file"]).stem,
                entry["title"],
                entry["kind"],
                entry.get("period", ""),
                tuple(objectives),
                int(entry.get("time", 0)),
            )
        )
    return found


# --------------------------------------------------------------------------- untrusted text


def _text(value: object) -> str:
    """Data as plain text in HTML: escaped, whitespace collapsed."""
    return html.escape(" ".join(str(value).split()), quote=True)


def _markdown(value: object) -> str:
    """An exercise prompt (Markdown from the data) as HTML that cannot run anything."""
    return safe_markdown.render(str(value))


# --------------------------------------------------------------------------- the parts


def key_chart(lesson: Lesson, tables) -> cr.charts.Chart:
    """The chart a worksheet shows: the one the lesson opens with.

    A period lesson: the timeline of its period; the start page: the whole timeline; reading
    the sources: every periodisation side by side; the data lab: trade by statistical system
    (its exercises ask about counts and votes, which the other charts would give away).
    """
    if lesson.kind == "period":
        rows = tables.periods[tables.periods["id"] == lesson.period]
        if rows.empty:
            raise WorksheetError(
                f"lessons.toml, {lesson.stem}: period {lesson.period!r} is not in periods.csv"
            )
        period = rows.iloc[0]
        events = tables.events[tables.events["period"] == lesson.period]
        years = [
            None if _missing(period[key]) else int(period[key])
            for key in ("start_year", "end_year")
        ]
        return cr.timeline_chart(
            events, tables.periods, *years
        )  # an open period ends with its events
    if lesson.kind == "start":
        return cr.timeline_chart(tables.events, tables.periods)
    if lesson.kind == "sources":
        return cr.periodisation_chart(tables.periods, current_year=tables.events["end"].max().year)
    return cr.indicator_chart(tables.indicators, indicator="trade_turnover")


def _missing(value: object) -> bool:
    return value is None or str(value) in {"", "nan", "NaN", "<NA>", "NaT"}


def _chart_html(chart) -> str:
    import base64

    import matplotlib.pyplot as plt

    png = figure_png(chart.figure)
    plt.close(chart.figure)
    data = base64.b64encode(png).decode("ascii")
    return (
        '<figure class="chart">'
        f'<img src="data:image/png;base64,{data}" alt="{_text(chart.alt_text)}">'
        f"<figcaption><strong>What the chart shows:</strong> {_text(chart.alt_text)}</figcaption>"
        "</figure>"
    )


def _lines(n: int) -> str:
    return '<div class="lines" aria-hidden="true">' + '<div class="line"></div>' * n + "</div>"


def _exercises_html(rows) -> str:
    if rows.empty:
        return ""
    parts = ['<section class="exercises"><h2>Exercises</h2>']
    for row in rows.itertuples():
        parts.append(
            f'<section class="exercise"><h3>Exercise {_text(row.number)}: {_text(row.title)}</h3>'
            f'<div class="prompt">{_markdown(row.prompt)}</div>'
            f'<p class="answer-label">Your answer:</p>{_lines(ANSWER_LINES)}</section>'
        )
    parts.append("</section>")
    return "".join(parts)


def _quiz_html(rows) -> str:
    """The lesson's multiple-choice questions, boxes before the options, nothing marked."""
    rows = rows[rows["kind"] == "choice"]
    if rows.empty:
        return ""
    parts = [
        '<section class="quiz"><h2>Check yourself</h2><p class="hint">Tick one box for each '
        "question, then check your answers with the quiz in the notebook.</p><ol>"
    ]
    for row in rows.itertuples():
        options = "".join(f"<li>{_text(option)}</li>" for option in row.options)
        parts.append(
            f'<li class="question">{_text(row.question)}<ul class="options">{options}</ul></li>'
        )
    parts.append("</ol></section>")
    return "".join(parts)


def _sources_html(prompts: list[str], sources) -> str:
    """The sources the prompts name, in the order they are first named."""
    named: list[str] = []
    for prompt in prompts:
        for found in _SOURCE_ID.findall(prompt):
            if found not in named:
                named.append(found)
    rows = sources.set_index("id")
    items = []
    for source_id in named:
        if source_id not in rows.index:
            continue
        row = rows.loc[source_id]
        author = (
            row["author"] if isinstance(row["author"], str) and row["author"] else row["outlet"]
        )
        items.append(
            f"<li><strong>{_text(source_id)}</strong>: {_text(author)}, <cite>{_text(row['title'])}</cite>"
            f" ({'n.d.' if _missing(row['year']) else _text(row['year'])})</li>"
        )
    if not items:
        return ""
    return (
        f'<section class="sources"><h2>Sources named above</h2><ul>{"".join(items)}</ul></section>'
    )


CSS = """
@page { size: A4; margin: 14mm 15mm 14mm 15mm; }
html { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.4;
       color: #000; background: #fff; }
body { margin: 0; }
header { border-bottom: 1.5px solid #000; margin-bottom: 0.6em; }
.banner { font-size: 8.5pt; color: #333; margin: 0; }
h1 { font-size: 16pt; line-height: 1.2; margin: 0.2em 0 0.3em 0; }
h2 { font-size: 12.5pt; margin: 0.9em 0 0.3em 0; break-after: avoid; }
h3 { font-size: 11pt; margin: 0.8em 0 0.2em 0; break-after: avoid; }
.who { display: flex; gap: 2em; margin: 0.3em 0 0.5em 0; }
.who span { flex: 1; border-bottom: 1px solid #000; padding-top: 1em; font-size: 9pt; }
ul, ol { margin: 0.2em 0; padding-left: 1.4em; }
.objectives li { margin: 0.1em 0; }
figure.chart { margin: 0.5em 0; break-inside: avoid; }
figure.chart img { display: block; width: 100%; max-height: 105mm; object-fit: contain; }
figcaption { font-size: 8.5pt; color: #222; margin-top: 0.3em; }
.exercise h3, .prompt { break-inside: avoid; }
.prompt p { margin: 0.25em 0; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.88em; overflow-wrap: anywhere; }
a { color: #000; text-decoration: none; }
a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; overflow-wrap: anywhere; }
.answer-label { font-size: 9pt; color: #333; margin: 0.4em 0 0 0; }
.line { height: 8mm; border-bottom: 1px solid #777; }
.quiz .hint { font-size: 9pt; margin: 0.1em 0 0.3em 0; }
.quiz li.question { margin: 0.45em 0; break-inside: avoid; }
.options { list-style: none; padding-left: 0.4em; margin: 0.15em 0; }
.options li::before { content: "\\2610\\00a0"; font-size: 1.15em; }
.sources { font-size: 8.5pt; }
.sources h2 { font-size: 10.5pt; }
@media screen { body { max-width: 180mm; margin: 1em auto; } }
"""


def worksheet_html(lesson: Lesson, tables) -> str:
    """The whole worksheet of ``lesson`` as one self-contained HTML page."""
    exercises = tables.exercises[tables.exercises["notebook"] == lesson.stem].sort_values("number")
    quiz = tables.quiz[tables.quiz["notebook"] == lesson.stem]
    objectives = "".join(f"<li>{_text(o)}</li>" for o in lesson.objectives)
    minutes = f" · about {lesson.minutes} minutes in the notebook" if lesson.minutes else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Worksheet: {_text(lesson.title)}</title><style>{CSS}</style></head><body>"
        '<header><p class="banner">Student worksheet · Cambodia and the Soviet Union / Russian Federation, '
        f"1955 to today · lesson <code>{_text(lesson.stem)}.ipynb</code>{minutes}</p>"
        f"<h1>{_text(lesson.title)}</h1>"
        '<div class="who"><span>Name</span><span>Class</span><span>Date</span></div></header>'
        f'<main><section class="objectives"><h2>In this lesson you will</h2><ul>{objectives}</ul></section>'
        f"<section><h2>Key chart</h2>{_chart_html(key_chart(lesson, tables))}</section>"
        f"{_exercises_html(exercises)}{_quiz_html(quiz)}"
        f"{_sources_html(list(exercises['prompt']), tables.sources)}</main></body></html>\n"
    )


def print_pdf(page: Path, pdf: Path) -> None:
    """Print ``page`` to ``pdf`` (A4, from the page's ``@page`` rule) with headless Chromium."""
    if not CHROMIUM.exists():
        raise WorksheetError(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium), "
            "or use --html-only"
        )
    with tempfile.TemporaryDirectory(prefix="worksheet-chromium-") as profile:
        done = subprocess.run(
            [
                str(CHROMIUM),
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={pdf}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    if done.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        raise WorksheetError(f"chromium could not print {page.name}: {done.stderr.strip()[-800:]}")


def _index_html(lessons: list[Lesson], pdfs: bool) -> str:
    items = "".join(
        f'<li><a href="{_text(x.stem)}.{"pdf" if pdfs else "html"}">{_text(x.title)}</a></li>'
        for x in lessons
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Student worksheets</title>'
        f"<style>{CSS}</style></head><body><h1>Student worksheets</h1><ol>{items}</ol></body></html>\n"
    )


def build(
    out: Path = DEFAULT_OUT,
    names: list[str] | None = None,
    *,
    pdf: bool = True,
    registry: Path = REGISTRY,
    data_dir=None,
) -> list[Path]:
    """Write the worksheets of the lessons ``names`` (all when empty) into ``out``; return the files."""
    lessons = load_lessons(registry)
    if names:
        wanted = {Path(name).stem for name in names}
        unknown = sorted(wanted - {x.stem for x in lessons})
        if unknown:
            raise WorksheetError(f"no lesson {', '.join(unknown)} in {registry.name}")
        lessons = [x for x in lessons if x.stem in wanted]
    tables = cr.load_all(data_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in lessons:
        page = out / f"{lesson.stem}.html"
        page.write_text(worksheet_html(lesson, tables), encoding="utf-8")
        written.append(page)
        if pdf:
            written.append(out / f"{lesson.stem}.pdf")
    if pdf:
        pages = [(p.with_suffix(".html").resolve(), p) for p in written if p.suffix == ".pdf"]
        with ThreadPoolExecutor(PRINT_AT_ONCE) as pool:
            list(pool.map(lambda job: print_pdf(*job), pages))  # raises the first failure
    if not names:
        (out / "index.html").write_text(_index_html(lessons, pdf), encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/worksheets.py", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--out", default=str(DEFAULT_OUT), help="output folder (default: build/worksheets)"
    )
    parser.add_argument(
        "--html-only", action="store_true", help="write the HTML pages only, no PDF"
    )
    parser.add_argument(
        "lessons", nargs="*", metavar="LESSON", help="notebook files or stems (default: all)"
    )
    args = parser.parse_args(argv)
    try:
        for path in build(Path(args.out), args.lessons, pdf=not args.html_only):
            print(path)
    except (WorksheetError, cr.DataError) as exc:
        print(f"worksheets: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
