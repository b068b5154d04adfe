"""What counts as a leaked answer, for the scans of student notebooks and editions.

:func:`needles` lists text that only a model answer contains, read from the data (so a new
exercise is covered without editing a test):

* every sentence of 40 characters or more of each exercise's ``solution`` (code blocks
  left out: their lines often repeat the prompt) and of each lab solution's explanation;
* the lines of the solutions' code that store the answer (``answer_2 = ...``,
  ``answer = ...``): the one line a student is asked to find.

:data:`MARKERS` are strings that only an answer key or a revealed answer shows.
:func:`strings` collects every string of a notebook (sources, outputs, stored widget state,
metadata), and :func:`find` reports which needles occur in a text.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from cambodia_russia import lessons
from cambodia_russia.tables import load_all

#: Text that only an answer key or a revealed solution contains.
MARKERS = (
    "Model answer",
    "The right answer is:",
    'class="cr-solution"',
    'class="cr-answer-key"',
    'class="cr-lesson-key"',
    "Correct \u2713",
)

_FENCE = re.compile(r"```.*?```", re.S)
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")


def _normal(text: str) -> str:
    return " ".join(html.unescape(text).split())


def _answer_lines(code: str, variable: str) -> list[str]:
    lines = []
    for line in code.splitlines():
        line = line.split("#", 1)[0].strip()
        if re.match(rf"{re.escape(variable)}\s*=", line):
            lines.append(_normal(line))
    return lines


def _sentences(markdown: str) -> list[str]:
    prose = _FENCE.sub(" ", markdown)
    pieces = (_normal(p) for p in _SENTENCE.split(prose))
    # The tail of a bracketed citation ("Borovik's article, 2021).") names sources, not an
    # answer: the same sources are cited in what students read.
    # A piece of fewer than eight words between semicolons is a list of citations, not an answer.
    return [
        s
        for s in pieces
        if len(s) >= 40
        and len(s.split()) >= 8
        and not (s.rstrip(".").endswith(")") and "(" not in s)
    ]


def needles(data_dir=None) -> dict[str, str]:
    """Leak text → where it comes from (``exercises.csv, ex01_...``), from the shipped data."""
    found: dict[str, str] = {}
    tables = load_all(data_dir)
    for row in tables.exercises.itertuples():
        where = f"exercises.csv, {row.id}, solution"
        for sentence in _sentences(str(row.solution)):
            found.setdefault(sentence, where)
        for block in re.findall(r"```python\n(.*?)```", str(row.solution), re.S):
            for line in _answer_lines(block, "answer"):
                found.setdefault(line, where)
    for step, row in lessons.lab_solution_rows(data_dir=data_dir).items():
        where = f"lab_solutions.csv, {step}"
        for line in _answer_lines(str(row["code"]), str(row["variable"])):
            found.setdefault(line, f"{where}, code")
        for sentence in _sentences(str(row["explanation"])):
            found.setdefault(sentence, f"{where}, explanation")
    return found


def strings(node) -> list[str]:
    """Every string in a parsed JSON document (a notebook: sources, outputs, widget state)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in (*strings(key), *strings(value))]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def notebook_text(path: Path) -> str:
    """All text of a notebook file, whitespace collapsed and HTML entities decoded."""
    return _normal("\n".join(strings(json.loads(path.read_text(encoding="utf-8")))))


def find(text: str, leaks: dict[str, str], markers=MARKERS) -> list[str]:
    """The needles and markers found in ``text`` (already normalised), described."""
    hits = [f"{where}: {needle[:70]!r}" for needle, where in leaks.items() if needle in text]
    hits += [f"answer marker {marker!r}" for marker in markers if marker in text]
    return hits


def answers_in_folder(folder: Path, files: list[Path], data_dir) -> dict[str, list[str]]:
    """Answers found in ``files`` of ``folder`` (a notebook by its strings, other text files
    whole; binary files skipped): relative path → hits. Python code may name the markers (it
    draws the answer keys), so only leaked answer text counts there."""
    leaks = needles(data_dir)
    found = {}
    for path in files:
        if path.suffix == ".ipynb":
            text = notebook_text(path)
        else:
            try:
                text = " ".join(path.read_text(encoding="utf-8").split())
            except UnicodeDecodeError:
                continue
        hits = find(text, leaks, () if path.suffix == ".py" else MARKERS)
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found
