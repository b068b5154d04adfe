"""Answer boxes: students type their answers to a lesson's exercises and save them, one
Markdown file per student and lesson (``answers/<lesson>-<name>.md`` beside the notebook,
written atomically); typing the same name again loads it. The teacher reads the files."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, make

#: The folder, beside the notebook, that holds the answer files.
FOLDER = "answers"
_HEADING = re.compile(r"^## Exercise (\d+):.*$", re.M)


def answer_path(folder: str | os.PathLike, lesson: str, name: str) -> Path:
    """``<folder>/<lesson>-<name>.md``; the name keeps letters, digits and marks of any script
    and can never leave the folder. ``ValueError`` for a name with none."""
    slug = "".join(c if unicodedata.category(c)[0] in "LNM" else "_" for c in str(name).strip())
    slug = re.sub(r"_+", "_", slug).strip("_")[:60]
    if not slug:
        raise ValueError("Type your name first: it is part of the answer file's name.")
    return Path(folder) / f"{lesson}-{slug}.md"


def answers_markdown(
    lesson: str, name: str, answers: Mapping[int, str], titles: Mapping[int, str]
) -> str:
    """The file's text: a title, the name, then one "## Exercise N: title" section each."""
    parts = [f"# Answers: {lesson}\nName: {' '.join(str(name).split())}\n"]
    for number in sorted(titles):
        text = str(answers.get(number, "")).strip("\n")
        # a line of the answer that looks like a section heading is kept apart from them
        text = re.sub(r"^(?=\\*## Exercise \d+:)", "\\\\", text, flags=re.M)
        parts.append(f"## Exercise {number}: {' '.join(str(titles[number]).split())}\n\n{text}\n")
    return "\n".join(parts)


def parse_answers(markdown: str) -> dict[int, str]:
    """The answers of a file written by :func:`answers_markdown`, by exercise number."""
    found = list(_HEADING.finditer(markdown))
    ends = [match.start() for match in found[1:]] + [len(markdown)]
    return {
        int(match.group(1)): re.sub(
            r"^\\(?=\\*## Exercise \d+:)", "", markdown[match.end() : end].strip("\n"), flags=re.M
        )
        for match, end in zip(found, ends, strict=True)
    }


def save_answers(
    folder, lesson: str, name: str, answers: Mapping[int, str], titles: Mapping[int, str]
) -> Path:
    """Write the file atomically (a temporary file, then a rename) and return its path."""
    path = answer_path(folder, lesson, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".saving-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(answers_markdown(lesson, name, answers, titles))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def load_answers(folder, lesson: str, name: str) -> dict[int, str]:
    """The saved answers of this student and lesson, or ``{}`` if there is no file yet."""
    path = answer_path(folder, lesson, name)
    return parse_answers(path.read_text(encoding="utf-8")) if path.exists() else {}


class AnswerBoxes(_common.LiveView):
    """A name box, one answer box per exercise of ``lesson``, and a Save button. For tests:
    ``name``, ``boxes`` (number → Textarea), ``save``, ``output``, ``folder``, ``path``."""

    live_note = "Answer boxes: run the notebook to type and save your answers."
    fills_output = False  # messages only; the note below is for readers without a kernel

    def __init__(
        self, lesson: str, tables, folder: str | os.PathLike = FOLDER, name: str | None = None
    ):
        import ipywidgets as w

        from cambodia_russia.lessons import exercise_rows

        rows = exercise_rows(tables, lesson)
        if rows.empty:
            raise ValueError(f"exercises.csv has no exercise for the notebook {lesson!r}")
        self.lesson, self.folder, self.path = lesson, Path(folder), None
        self.titles = {int(r.number): str(r.title) for r in rows.itertuples()}
        name = os.environ.get("JUPYTERHUB_USER", "") if name is None else name
        wide = {"description_width": "initial"}
        self.name = make(
            w.Text, None, wide, value=name, description="Your name", continuous_update=False
        )
        self.boxes = {
            number: make(
                w.Textarea,
                {"width": "95%", "height": "8em"},
                wide,
                description=f"Exercise {number}",
                placeholder=f"Your answer to exercise {number}: {title}",
            )
            for number, title in self.titles.items()
        }
        self.save = make(
            w.Button,
            {"width": "auto"},
            description="Save my answers",
            icon="save",
            tooltip=f"Writes {FOLDER}/{lesson}-<your name>.md beside this notebook",
        )
        self.output = make(w.Output)
        self.box = _common.widget_box(w, self.name, *self.boxes.values(), self.save, self.output)
        self.name.observe(lambda change: self._load(change["new"]), names="value")
        self.save.on_click(self._on_save)
        if name.strip():
            self._load(name)

    def _message(self, text: str) -> None:
        self._update([_common.html_bundle(f"<p>{esc(text)}</p>", text)])

    def _load(self, name: str) -> None:
        try:
            path = answer_path(self.folder, self.lesson, name)
        except ValueError as error:
            return self._message(str(error))
        saved = load_answers(self.folder, self.lesson, name)
        for number, box in self.boxes.items():
            box.value = saved.get(number, "")
        if saved:
            self._message(f"Loaded your saved answers from {path}.")

    def _on_save(self, _button=None) -> None:
        answers = {number: box.value for number, box in self.boxes.items()}
        try:
            self.path = save_answers(
                self.folder, self.lesson, self.name.value, answers, self.titles
            )
        except (ValueError, OSError) as error:
            return self._message(f"Not saved: {error}")
        self._message(
            f"Saved to {self.path}. Your teacher reads this file; save again after every change."
        )

    def static_bundles(self) -> list[dict[str, str]]:
        numbers = ", ".join(str(n) for n in self.titles)
        text = (
            f"Answer boxes for exercises {numbers}: run the notebook, type your name and your "
            f"answers, then press 'Save my answers'."
        )
        return [_common.html_bundle(f"<p><em>{esc(text)}</em></p>", text)]
