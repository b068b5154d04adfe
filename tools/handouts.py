"""Printable handouts and reveal.js slide decks made from the notebooks' stored outputs.

    python tools/handouts.py [--out build/handouts] [NOTEBOOK ...]
    python tools/handouts.py --answer-keys [--out build/answer-keys]

NOTEBOOK is a file (``notebooks/01_sihanouk_1955_1970.ipynb``) or a stem
(``01_sihanouk_1955_1970``); without any, every lesson in ``notebooks/`` is converted.
Open a handout in a browser and print it (A4). ``tools/slides.py`` makes the decks with
:func:`write_slides`.

Nothing is re-executed: the notebooks are converted as they were last saved (``make
notebooks`` re-runs and saves them). What a student would see on paper or on the
projector screen is the prose, the charts and the *static first view* of each widget:

* code input and prompts are hidden;
* live widget views (``application/vnd.jupyter.widget-view+json``) and any "Loading
  widget" text are dropped, and so is the notebook's stored widget state (which would
  otherwise pull the widget manager from a CDN into the page);
* warnings, errors and bare ``repr`` results (a number without the code that made it) are
  dropped;
* in a handout, the output of a cell that builds a ``Reveal`` (a model answer) is replaced
  by lined space for the student's own answer, so no solution can leak onto paper;
* charts stay PNG images embedded as ``data:`` URIs; Markdown images are embedded too. A
  handout is one self-contained HTML file with print CSS (A4, serif body, link addresses
  printed, no dark backgrounds);
* a *period* notebook's handout ends with the period's timeline as a dated table; every
  handout ends with the list of sources cited, unless the notebook already shows its own
  reference list (a ``References`` output), which is then the one printed.

For the teacher edition, :func:`build_answer_keys` writes one printable page per lesson
with its answer key (quiz answers, exercises with model answers, the data lab's solutions),
built from the data by :func:`cambodia_russia.lessons.lesson_answer_key_html` rather than
from a notebook (``python tools/handouts.py --answer-keys``, or ``make answer-keys``).

Which notebooks exist, in what order and of what kind (``period`` or not) is read from
``notebooks/lessons.toml`` when present (see :func:`lessons`), else from the file names.

nbconvert and jinja2 come with the maintainers' environment (``requirements/dev.lock``).
"""

from __future__ import annotations

import argparse
import copy
import functools
import html
import re
import sys
import tomllib
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

__all__ = [
    "HandoutWarning",
    "Lesson",
    "answer_key_page",
    "build_answer_keys",
    "build_handouts",
    "build_slides",
    "clean_notebook",
    "handout_html",
    "is_hidden_solution",
    "lessons",
    "notebook_title",
    "period_lessons",
    "slides_html",
    "sources_cited",
    "sources_html",
    "timeline_html",
    "write_handout",
    "write_slides",
]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_WIDGET_MIME_PREFIX = "application/vnd.jupyter.widget"
_LOADING = re.compile(r"Loading widget|Error displaying widget", re.IGNORECASE)
_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_PERIOD_STEM = re.compile(r"^0[1-6]_")
_REMOTE_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?(?:https?:)?//[^)]*\)")
_REMOTE_HTML_IMAGE = re.compile(r"<img\b[^>]*\bsrc=[\"']?(?:https?:)?//[^>]*>", re.IGNORECASE)
_HTML_ALT = re.compile(r"\balt=[\"']([^\"']*)[\"']", re.IGNORECASE)
_NOTEBOOK_LINK = re.compile(r"(\]\(\s*|href=[\"'])([\w.-]+)\.ipynb(?=[#)\"'\s])")

#: Keys of a ``lessons.toml`` entry that may name its notebook (file name or stem).
_NOTEBOOK_KEYS = ("notebook", "file", "path", "stem", "name", "id")


class HandoutWarning(UserWarning):
    """Something in a notebook's stored outputs was left out of a handout or deck."""


# --- which notebooks -------------------------------------------------------------------


@dataclass(frozen=True)
class Lesson:
    """One notebook of the collection: its ``path``, file ``stem`` and ``kind``.

    ``kind`` comes from ``lessons.toml`` (e.g. ``"period"``); without that file, notebooks
    whose names start with ``01_`` .. ``06_`` are ``"period"`` and the others ``""``.
    """

    path: Path
    stem: str
    kind: str = ""

    @property
    def is_period(self) -> bool:
        """True for the lessons that each teach one period of the collection."""
        return self.kind == "period"


def _resolve(notebooks_dir: Path, value: Any) -> Path | None:
    if not isinstance(value, str) or not value.strip():
        return None
    name = Path(value.strip()).name
    for candidate in (name, f"{name}.ipynb"):
        path = notebooks_dir / candidate
        if path.suffix == ".ipynb" and path.is_file():
            return path
    return None


def _kind_of(entry: dict) -> str:
    for key in ("kind", "type"):
        value = entry.get(key)
        if isinstance(value, str):
            return value.strip().lower()
    return ""


def _walk_lessons(node: Any, notebooks_dir: Path, found: list[tuple[Path, str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_lessons(item, notebooks_dir, found)
        return
    if not isinstance(node, dict):
        return
    for key in _NOTEBOOK_KEYS:
        path = _resolve(notebooks_dir, node.get(key))
        if path is not None:
            found.append((path, _kind_of(node)))
            return
    for key, value in node.items():
        path = _resolve(notebooks_dir, key) if isinstance(value, dict) else None
        if path is not None:
            found.append((path, _kind_of(value)))
        else:
            _walk_lessons(value, notebooks_dir, found)


def lessons(notebooks_dir: str | Path) -> list[Lesson]:
    """The collection's notebooks in teaching order.

    If ``notebooks_dir/lessons.toml`` exists, its entries are read in file order: any
    table (or array of tables) with a ``notebook``/``file``/``path``/``stem``/``name``/``id``
    key naming an existing notebook, or a table keyed by a notebook's stem; ``kind`` (or
    ``type``) gives the lesson's kind. Entries naming notebooks that do not exist (yet)
    are skipped. Without the file, or when it names no existing notebook, every
    ``*.ipynb`` in the folder is listed by name, and ``01_`` .. ``06_`` count as periods.
    """
    notebooks_dir = Path(notebooks_dir)
    manifest = notebooks_dir / "lessons.toml"
    if manifest.is_file():
        with manifest.open("rb") as handle:
            document = tomllib.load(handle)
        found: list[tuple[Path, str]] = []
        _walk_lessons(document, notebooks_dir, found)
        seen: set[Path] = set()
        result = []
        for path, kind in found:
            if path not in seen:
                seen.add(path)
                result.append(Lesson(path, path.stem, kind))
        if result:
            return result
    return [
        Lesson(path, path.stem, "period" if _PERIOD_STEM.match(path.name) else "")
        for path in sorted(notebooks_dir.glob("*.ipynb"))
    ]


def period_lessons(notebooks_dir: str | Path) -> list[Lesson]:
    """The lessons of kind ``period`` (see :func:`lessons`)."""
    return [lesson for lesson in lessons(notebooks_dir) if lesson.is_period]


def resolve_notebooks(names, notebooks_dir: str | Path, default: list, tool: str) -> list:
    """The notebooks named on a command line: stems of lessons in ``notebooks_dir`` or
    notebook files; ``default`` when none is named. Unknown names stop the tool with a
    message naming ``tool`` and the folder searched."""
    if not names:
        return default
    by_stem = {lesson.stem: lesson for lesson in lessons(notebooks_dir)}
    chosen = []
    for name in names:
        stem = Path(name).stem
        if stem in by_stem:
            chosen.append(by_stem[stem])
        elif Path(name).is_file():
            chosen.append(Path(name))
        else:
            raise SystemExit(f"{tool}: no notebook {name!r} (looked in {notebooks_dir})")
    return chosen


def _lesson_for(path: Path) -> Lesson:
    path = Path(path)
    for lesson in lessons(path.parent):
        if lesson.path.resolve() == path.resolve():
            return lesson
    return Lesson(path, path.stem, "period" if _PERIOD_STEM.match(path.name) else "")


# --- cleaning the stored outputs -------------------------------------------------------


def notebook_title(nb) -> str:
    """The text of the notebook's first level-1 Markdown heading (plain text)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _H1.search(cell.source)
            if match:
                return _markdown_to_plain(match.group(1))
    return ""


def _markdown_to_plain(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[*_`]", "", text)
    return html.unescape(text).strip()


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    parts = []
    for value in data.values():
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.append("".join(str(v) for v in value))
    return "\n".join(parts)


def _is_empty(data: dict) -> bool:
    return all(isinstance(v, str) and not v.strip() for v in data.values())


def _keep_output(output, warn_label: str) -> bool:
    kind = output.get("output_type")
    if kind == "error":
        warnings.warn(
            f"{warn_label}: an error output ({output.get('ename', 'error')}) was left out",
            HandoutWarning,
            stacklevel=4,
        )
        return False
    if kind == "stream":
        if output.get("name") == "stderr":
            return False
        return not _LOADING.search(_output_text(output))
    data = output.get("data", {})
    if any(key.startswith(_WIDGET_MIME_PREFIX) for key in data):
        return False  # a live widget view; its static first view is the output before it
    if not data or _is_empty(data) or _LOADING.search(_output_text(output)):
        return False  # a blanked static view, or a widget placeholder
    if kind == "execute_result" and set(data) <= {"text/plain"}:
        return False  # a bare repr means nothing without the code that made it
    return True


def _chart_alt(outputs: Sequence, index: int) -> str:
    """Alt text for the PNG at ``outputs[index]``: its text/plain, unless that is a repr,
    then the "Chart description:" line that follows it."""
    plain = outputs[index].get("data", {}).get("text/plain", "")
    if isinstance(plain, list):
        plain = "".join(plain)
    if plain and not plain.lstrip().startswith("<"):
        return plain.strip()
    for later in outputs[index + 1 : index + 3]:
        text = _markdown_to_plain(_output_text(later).replace("\\", ""))
        match = re.search(r"Chart description:\s*(.+)", text, flags=re.S)
        if match:
            return " ".join(match.group(1).split())
    return "Chart"


def _for_print(markdown: str) -> str:
    """Markdown for a printed page: remote images become their alt text (a badge or a
    picture from the web would make the handout depend on the network), and links to
    other notebooks point at their handouts (``01_x.ipynb`` -> ``01_x.html``)."""
    markdown = _REMOTE_MD_IMAGE.sub(lambda m: m.group(1), markdown)
    markdown = _REMOTE_HTML_IMAGE.sub(
        lambda m: (
            html.escape(_HTML_ALT.search(m.group(0)).group(1))
            if _HTML_ALT.search(m.group(0))
            else ""
        ),
        markdown,
    )
    return _NOTEBOOK_LINK.sub(lambda m: f"{m.group(1)}{m.group(2)}.html", markdown)


def _hidden_note_pattern() -> re.Pattern:
    """A regex matching the static view of any :class:`~cambodia_russia.widgets.Reveal`
    (the note "Solution hidden — run the notebook and click ..."), built from the widget's
    own :func:`~cambodia_russia.widgets.reveal.hidden_note_html` so the two never drift."""
    from cambodia_russia.widgets.reveal import hidden_note_html

    sample = hidden_note_html("show zzlabelzz")
    pattern = re.escape(sample)
    for part in ("show zzlabelzz", "Zzlabelzz", "zzlabelzz"):
        pattern = pattern.replace(re.escape(html.escape(part)), ".+?")
    return re.compile(pattern, re.DOTALL)


def is_hidden_solution(output, pattern: re.Pattern | None = None) -> bool:
    """True for an output that is the static view of a hidden solution (a Reveal)."""
    markup = output.get("data", {}).get("text/html", "")
    if isinstance(markup, list):
        markup = "".join(markup)
    return bool(markup) and bool((pattern or _hidden_note_pattern()).search(markup))


def clean_notebook(nb, *, for_print: bool = False, label: str = "notebook"):
    """A copy of ``nb`` (an ``nbformat`` notebook) with only what belongs on paper or a slide.

    Drops the stored widget state, live widget views, "Loading widget" placeholders,
    blanked outputs, stderr, errors (with a :class:`HandoutWarning`) and bare ``repr``
    results; gives each PNG an alt text (``metadata["handout_alt"]``); sets
    ``metadata["title"]`` from the first level-1 heading. With ``for_print=True`` the
    static view of every hidden solution (a ``Reveal``, also inside ``Exercises``) is
    replaced by lined space for the student's answer, remote images in Markdown become
    their alt text and links to other notebooks point at their handouts. Code input is
    left in place: the exporters hide it.
    """
    nb = copy.deepcopy(nb)
    hidden = _hidden_note_pattern() if for_print else None
    nb.metadata.pop("widgets", None)
    title = notebook_title(nb)
    if title:
        nb.metadata["title"] = title
    for number, cell in enumerate(nb.cells, start=1):
        cell.get("metadata", {}).pop("widgets", None)
        if cell.cell_type == "markdown" and for_print:
            cell.source = _for_print(cell.source)
        if cell.cell_type != "code":
            continue
        kept = [o for o in cell.get("outputs", []) if _keep_output(o, f"{label}, cell {number}")]
        if for_print:
            kept = [_answer_space_output() if is_hidden_solution(o, hidden) else o for o in kept]
            for output in kept:  # a closed <details> does not print: open the reference list
                markup = output.get("data", {}).get("text/html")
                if isinstance(markup, list):
                    markup = "".join(markup)
                if markup and '<details class="cr-references">' in markup:
                    output["data"]["text/html"] = markup.replace(
                        '<details class="cr-references">', '<details open class="cr-references">'
                    )
        for index, output in enumerate(kept):
            if "image/png" in output.get("data", {}):
                output.setdefault("metadata", {})["handout_alt"] = _chart_alt(kept, index)
        cell.outputs = kept
    return nb


def _answer_space_output():
    import nbformat

    markup = (
        '<div class="handout-answer" role="note" aria-label="Space for your answer">'
        "<p><strong>Your answer:</strong></p>" + '<div class="handout-line"></div>' * 5 + "</div>"
    )
    return nbformat.v4.new_output(
        "display_data", data={"text/html": markup, "text/plain": "Your answer:"}
    )


# --- data sections --------------------------------------------------------------------


def _text(value: Any) -> str:
    from cambodia_russia.widgets._common import text_or_empty

    return text_or_empty(value).strip()


def _period_row(tables, stem: str):
    periods = tables.periods
    rows = periods[
        (periods["scheme"].astype(str) == "collection") & (periods["notebook"].astype(str) == stem)
    ]
    if len(rows) == 0:
        raise ValueError(
            f"{stem} is a period notebook, but periods.csv has no collection period with notebook "
            f"= {stem}"
        )
    return rows.iloc[0]


def _ids(citations: Iterable) -> list[str]:
    from cambodia_russia.charts.base import split_citation

    return [split_citation(item)[0] for item in citations or ()]


def sources_cited(tables, stem: str, period_id: str | None = None) -> list[str]:
    """Ids of the sources a lesson's handout lists, core texts first.

    The same list as the notebook's own ``References`` (see
    :func:`cambodia_russia.lessons.cited_source_ids`): for a period, the sources of its
    row, events, claims and UN votes; for every lesson, those of its quiz and exercises.
    A lesson that is not a period also lists the three core texts.
    """
    from cambodia_russia.lessons import cited_source_ids

    cited = cited_source_ids(tables, period=period_id, notebook=stem)
    if period_id is None:
        sources = tables.sources
        core = [str(s) for s in sources.loc[sources["core"].fillna(False).astype(bool), "id"]]
        cited = core + [sid for sid in cited if sid not in core]
    known = set(tables.sources["id"].astype(str))
    return [sid for sid in cited if sid in known]


def timeline_html(tables, period_id: str) -> str:
    """The period's events as a dated table (date, event, sources), all text escaped."""
    from cambodia_russia.charts.base import year_range as year_range_label
    from cambodia_russia.widgets._common import citation_text, source_names

    periods = tables.periods
    period = periods[periods["id"].astype(str) == period_id].iloc[0]
    events = tables.events
    rows = events[events["period"].astype(str) == period_id]
    names = source_names(tables.sources)
    years = year_range_label(period["start_year"], period["end_year"])
    parts = [
        '<section class="handout-extra handout-timeline">',
        f"<h2>Timeline: {html.escape(_text(period['name']))} ({html.escape(years)})</h2>",
        f"<p>The {len(rows)} events of this period in the collection's data, in date order, "
        "with the sources each one rests on.</p>",
        '<table class="handout-table"><thead><tr><th scope="col">Date</th>'
        '<th scope="col">Event</th><th scope="col">Sources</th></tr></thead><tbody>',
    ]
    for row in rows.itertuples(index=False):
        parts.append(
            f'<tr><td class="handout-date">{html.escape(_text(row.date_label))}</td>'
            f"<td>{html.escape(_text(row.title))}</td>"
            f"<td>{html.escape(citation_text(row.sources, names))}</td></tr>"
        )
    parts.append("</tbody></table></section>")
    return "".join(parts)


def sources_html(tables, source_ids: Sequence[str], heading: str = "Sources cited") -> str:
    """A numbered list of sources: short name with its quality badge (what kind of source it
    is, explained once above the list, since paper shows no tooltip), author, title, outlet,
    year and address."""
    from cambodia_russia.widgets.reader import QUALITY_LABELS, quality_html

    sources = tables.sources.set_index(tables.sources["id"].astype(str))
    shown_kinds = {_text(sources.loc[sid].get("quality")) for sid in source_ids}
    legend = "; ".join(
        f"<em>[{html.escape(k)}]</em> {html.escape(v)}"
        for k, v in QUALITY_LABELS.items()
        if k in shown_kinds
    )
    parts = [
        '<section class="handout-extra handout-sources">',
        f"<h2>{html.escape(heading)}</h2>",
        f'<p class="handout-quality-legend">In brackets, what kind of source each is: {legend}.</p>'
        if legend
        else "",
        '<ol class="handout-source-list">',
    ]
    for sid in source_ids:
        row = sources.loc[sid]
        details = [
            _text(row.get("author")),
            f"<cite>{html.escape(_text(row.get('title')))}</cite>"
            if _text(row.get("title"))
            else "",
            _text(row.get("outlet")),
            _text(row.get("year")),
        ]
        shown = [d if d.startswith("<cite>") else html.escape(d) for d in details if d]
        link = "".join(
            f' <a class="handout-url" href="{html.escape(url, quote=True)}">'
            f"{html.escape(unquote(url))}</a>"
            for url in re.split(r"[;\s]+", _text(row.get("url")))
            if url.startswith(("http://", "https://"))
        )
        parts.append(
            f'<li id="source-{html.escape(sid, quote=True)}">'
            f"<strong>{html.escape(_text(row.get('short_name')) or sid)}</strong>"
            f" {quality_html(row.get('quality'))}"
            f" &mdash; {', '.join(shown)}.{link}</li>"
        )
    parts.append("</ol></section>")
    return "".join(parts)


def _shows_references(nb) -> bool:
    """True when the notebook's own outputs already hold its reference list."""
    return any(
        'class="cr-references"' in _output_text(output)
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def _extra_sections(tables, lesson: Lesson, nb) -> str:
    """The period's timeline (period lessons), then the sources cited, unless the notebook
    already shows its reference list (a ``References`` output): one list is enough."""
    parts = []
    period_id = None
    if lesson.is_period:
        period_id = str(_period_row(tables, lesson.stem)["id"])
        parts.append(timeline_html(tables, period_id))
    if not _shows_references(nb):
        heading = "Sources cited" if period_id else "Sources"
        parts.append(
            sources_html(tables, sources_cited(tables, lesson.stem, period_id), heading=heading)
        )
    return "".join(parts)


_SHOWN_URL = re.compile(r'<a\b([^>]*\bhref="(https?://[^"]+)"[^>]*)>\s*([^<]+?)\s*</a>')


def _mark_shown_urls(markup: str) -> str:
    """Mark links whose text is their address, so print CSS does not repeat the address."""

    def mark(match: re.Match) -> str:
        attributes, href, text = match.groups()
        if html.unescape(text) in {html.unescape(href), unquote(html.unescape(href))}:
            return f"<a{attributes} data-url-shown>{text}</a>"
        return match.group(0)

    return _SHOWN_URL.sub(mark, markup)


# --- HTML ------------------------------------------------------------------------------

HANDOUT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
:root {
  --jp-content-font-family:
    "Noto Serif", "DejaVu Serif", Georgia, Cambria, "Times New Roman", serif;
  --jp-ui-font-family: var(--jp-content-font-family);
  --jp-content-font-size1: 11.5pt;
  --jp-content-line-height: 1.5;
  --jp-content-font-color0: #000; --jp-content-font-color1: #111;
  --jp-ui-font-color0: #000; --jp-ui-font-color1: #111;
  --jp-layout-color0: #fff; --jp-layout-color1: #fff; --jp-layout-color2: #f4f4f4;
  --jp-cell-editor-background: #fff; --jp-rendermime-table-row-background: #fff;
  --jp-rendermime-table-row-hover-background: #fff;
}
* { -webkit-print-color-adjust: economy; print-color-adjust: economy; }
html, body { background: #fff !important; color: #111; }
body.jp-Notebook {
  font-family: var(--jp-content-font-family); font-size: 11.5pt; line-height: 1.5;
  max-width: 180mm; margin: 0 auto; padding: 10mm 6mm; overflow: visible; height: auto;
}
main { padding: 0; }
.handout-banner {
  font-size: 9pt; color: #444; border-bottom: 1px solid #999;
  margin: 0 0 1em 0; padding-bottom: 0.3em;
}
.jp-Cell { padding: 0; margin: 0 0 0.5em 0; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser,
.jp-mod-noInput .jp-Cell-inputWrapper { display: none; }
.jp-RenderedHTMLCommon, .jp-OutputArea-output, .jp-RenderedText {
  font-family: inherit; font-size: inherit; color: #111; padding-right: 0;
}
.jp-RenderedHTMLCommon h1 { font-size: 21pt; margin: 0 0 0.4em 0; }
.jp-RenderedHTMLCommon h2, .handout-extra h2 { font-size: 15pt; margin: 1.1em 0 0.4em 0; }
.jp-RenderedHTMLCommon h3 { font-size: 12.5pt; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; color: #000; }
p, li { orphans: 3; widows: 3; }
img, svg, tr, figure, blockquote, .jp-RenderedImage, .handout-answer, .cr-period-card li {
  break-inside: avoid; page-break-inside: avoid;
}
.jp-RenderedImage img { max-width: 100%; height: auto; }
pre, code, .jp-RenderedText pre {
  background: #fff !important; color: #111 !important; white-space: pre-wrap;
}
.jp-RenderedHTMLCommon table, .handout-table {
  border-collapse: collapse; width: 100%; font-size: 9.5pt; table-layout: auto; margin: 0.5em 0;
}
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td, .handout-table th, .handout-table td {
  border: 1px solid #888; padding: 3px 6px; text-align: left; vertical-align: top;
  background: #fff !important; color: #111;
}
thead { display: table-header-group; }
.handout-table th:nth-child(1) { width: 17%; }
.handout-table th:nth-child(2) { width: 38%; }
.handout-date { white-space: nowrap; }
.handout-extra { break-before: page; page-break-before: always; }
.handout-sources { break-before: auto; page-break-before: auto; }
.handout-source-list li { margin-bottom: 0.4em; }
.handout-url, a[data-url-shown] { word-break: break-all; }
.handout-answer { margin: 0.3em 0 1em 0; }
.handout-line { border-bottom: 1px solid #777; height: 2.1em; }
a { color: #0b3d91; }
a.anchor-link { display: none; }
.cambodia-russia-widget, [class^="cr-"] { background: #fff !important; }
@media print {
  body.jp-Notebook { max-width: none; padding: 0; }
  .handout-banner { margin-top: 0; }
  a { color: #000; text-decoration: underline; }
  a[href^="http"]:not(.handout-url):not([data-url-shown])::after {
    content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all;
  }
  a[href^="#"] { text-decoration: none; }
}
"""

_HANDOUT_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.handout_css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
<body class="jp-Notebook handout" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main>
<p class="handout-banner">{{ resources.handout_banner | escape_html }}</p>
{%- endblock body_header -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
     alt="{{ output.metadata.get('handout_alt', 'Chart') | escape_html }}">
</div>
{% endblock data_png %}
{% block body_footer %}
{{ resources.handout_extra }}
</main>
</body>
{% endblock body_footer %}
"""


def _read(notebook: str | Path):
    import nbformat

    return nbformat.read(str(notebook), as_version=4)


def handout_html(notebook: str | Path, tables=None, lesson: Lesson | None = None) -> str:
    """The handout of one notebook as a self-contained HTML page (see the module docs).

    ``tables`` defaults to :func:`cambodia_russia.tables.load_all`; ``lesson`` (its kind
    decides whether the period's timeline is added) defaults to the notebook's entry in
    its folder's :func:`lessons`.
    """
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    path = Path(notebook)
    lesson = lesson or _lesson_for(path)
    if tables is None:
        from cambodia_russia.tables import load_all

        tables = load_all()
    nb = clean_notebook(_read(path), for_print=True, label=path.name)
    extra = _extra_sections(tables, lesson, nb)
    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"handout.html.j2": _HANDOUT_TEMPLATE})],
        template_file="handout.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
    )
    title = nb.metadata.get("title") or path.stem
    resources = {
        "metadata": {"name": title, "path": str(path.parent.resolve())},
        "handout_css": HANDOUT_CSS,
        "handout_extra": extra,
        "handout_banner": f"Handout \u00b7 {title} \u00b7 from notebooks/{path.name}",
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _mark_shown_urls(body)


def write_handout(
    notebook: str | Path, out_dir: str | Path, tables=None, lesson: Lesson | None = None
) -> Path:
    """Write ``<out_dir>/<notebook stem>.html`` (see :func:`handout_html`); return its path."""
    path = Path(notebook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{path.stem}.html"
    target.write_text(handout_html(path, tables=tables, lesson=lesson), encoding="utf-8")
    return target


def build_handouts(
    notebooks: Iterable[str | Path | Lesson], out_dir: str | Path, tables=None
) -> list[Path]:
    """Write one handout per notebook (paths or :class:`Lesson` items); return the paths.

    The data is loaded once (``tables`` defaults to the shipped data).
    """
    if tables is None:
        from cambodia_russia.tables import load_all

        tables = load_all()
    written = []
    for item in notebooks:
        lesson = item if isinstance(item, Lesson) else None
        path = item.path if isinstance(item, Lesson) else Path(item)
        written.append(write_handout(path, out_dir, tables=tables, lesson=lesson))
    return written


# --- slides ----------------------------------------------------------------------------


_SLIDES_TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{#- Only reveal.js is loaded: no jQuery, require.js, MathJax, mermaid or widget manager
    from CDNs, so a deck works offline once reveal.js itself is local. -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}
<style type="text/css">
.reveal .jp-RenderedImage img { max-height: 70vh; width: auto; max-width: 100%; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
{%- set prefix = resources.reveal.url_prefix
      | default('https://unpkg.com/reveal.js@4.0.2', true) -%}
<script src="{{ prefix }}/dist/reveal.js"></script>
<script src="{{ prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true,
  progress: true,
  history: true,
  transition: {{ resources.reveal.transition | default('slide', true) | json_dumps }},
  slideNumber: {{ resources.reveal.number | default('', true) | json_dumps }},
  plugins: [RevealNotes],
  width: {{ resources.reveal.width | default('960', true) | int }},
  height: {{ resources.reveal.height | default('700', true) | int }},
});
{% if resources.reveal.scroll %}
function setScrollingSlide() {
  var limit = document.querySelector('.reveal').offsetHeight * 0.95;
  document.querySelectorAll('section.present section').forEach(function (slide) {
    if (slide.offsetHeight > limit) {
      slide.style.height = 'calc(95vh)';
      slide.style.overflowY = 'scroll';
      slide.style.marginTop = '20px';
    }
  });
}
Reveal.on('ready', setScrollingSlide);
Reveal.on('slidechanged', setScrollingSlide);
{% endif %}
</script>
{% endblock footer_js %}
"""


@functools.cache
def _slides_exporter(reveal_url_prefix: str | None):
    """One SlidesExporter per setting: compiling its templates takes about 0.3 s."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    return SlidesExporter(
        extra_loaders=[DictLoader({"deck.html.j2": _SLIDES_TEMPLATE})],
        template_file="deck.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        reveal_theme="white",  # light, and its fonts ship with reveal.js (no web fonts)
        reveal_transition="none",
        reveal_scroll=True,
        **({"reveal_url_prefix": reveal_url_prefix} if reveal_url_prefix else {}),
    )


def slides_html(notebook: str | Path, reveal_url_prefix: str | None = None) -> str:
    """A reveal.js deck of one notebook (nbconvert's SlidesExporter, code input hidden).

    Slide breaks come from the cells' ``slideshow`` metadata (set by ``tools/notebooks.py``
    from the ``## `` headings); without it, the deck is a single slide. reveal.js itself is
    loaded when the deck is opened: from nbconvert's default CDN address, or from
    ``reveal_url_prefix`` (a URL or relative path to a reveal.js 4 folder with ``dist/``
    and ``plugin/``, for a classroom without internet access).
    """
    path = Path(notebook)
    nb = clean_notebook(_read(path), for_print=False, label=path.name)
    exporter = _slides_exporter(reveal_url_prefix)
    title = nb.metadata.get("title") or path.stem
    body, _ = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": title, "path": str(path.parent.resolve())}}
    )
    return body


def write_slides(
    notebook: str | Path, out_dir: str | Path, reveal_url_prefix: str | None = None
) -> Path:
    """Write ``<out_dir>/<stem>.slides.html`` (see :func:`slides_html`); return its path."""
    path = Path(notebook)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{path.stem}.slides.html"
    target.write_text(slides_html(path, reveal_url_prefix), encoding="utf-8")
    return target


def build_slides(
    notebooks: Iterable[str | Path | Lesson],
    out_dir: str | Path,
    reveal_url_prefix: str | None = None,
) -> list[Path]:
    """Write one deck per notebook (paths or :class:`Lesson` items); return the paths."""
    return [
        write_slides(
            item.path if isinstance(item, Lesson) else Path(item), out_dir, reveal_url_prefix
        )
        for item in notebooks
    ]


# --- answer keys (teacher edition) -----------------------------------------------------

_ANSWER_KEY_CSS = """
body { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; }
.cr-answer-key ol > li, .cr-key-exercise, .cr-key-step { margin-bottom: 0.8em; }
.cr-key-exercise, .cr-key-step { break-inside: auto; }
.answer-key-nav { font-size: 9pt; }
@media print { .answer-key-nav { display: none; } }
"""


def answer_key_page(lesson: Lesson, tables=None, title: str | None = None) -> str:
    """A printable, self-contained HTML page with the answer key of one lesson.

    The key is :func:`cambodia_russia.lessons.lesson_answer_key_html` (quiz answers, every
    exercise with its model answer, the data lab's step solutions), built from the data,
    not from stored outputs; the page uses the handouts' print CSS (A4, serif, no dark
    backgrounds). ``title`` defaults to the notebook's first heading.
    """
    from cambodia_russia.lessons import lesson_answer_key_html

    if tables is None:
        from cambodia_russia.tables import load_all

        tables = load_all()
    if title is None:
        title = notebook_title(_read(lesson.path)) if lesson.path.is_file() else lesson.stem
    heading = html.escape(f"Answer key: {title}")
    body = lesson_answer_key_html(tables, lesson.stem)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{heading}</title>\n<style>{HANDOUT_CSS}{_ANSWER_KEY_CSS}</style>\n</head>\n"
        '<body class="jp-Notebook handout">\n<main class="jp-RenderedHTMLCommon">\n'
        f'<p class="handout-banner">Teacher edition · not for students · from the data of '
        f"notebooks/{html.escape(lesson.path.name)}</p>\n"
        f'<p class="answer-key-nav"><a href="index.html">All answer keys</a></p>\n'
        f"<h1>{heading}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )


def build_answer_keys(notebooks_dir: str | Path, out_dir: str | Path, tables=None) -> list[Path]:
    """Write ``<out_dir>/<stem>.html`` for every lesson that has a quiz or exercises, and an
    ``index.html`` listing them in teaching order; return the paths (index last).

    The pages are written to a temporary folder first, then moved into place, so a failed
    run never leaves half a set.
    """
    import shutil
    import tempfile

    if tables is None:
        from cambodia_russia.tables import load_all

        tables = load_all()
    asked = set(tables.quiz["notebook"].astype(str)) | set(tables.exercises["notebook"].astype(str))
    chosen = [lesson for lesson in lessons(notebooks_dir) if lesson.stem in asked]
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".answer-keys-", dir=out.parent))
    items = []
    try:
        for lesson in chosen:
            title = notebook_title(_read(lesson.path))
            (staging / f"{lesson.stem}.html").write_text(
                answer_key_page(lesson, tables, title), encoding="utf-8"
            )
            items.append(
                f'<li><a href="{html.escape(lesson.stem)}.html">{html.escape(title)}</a></li>'
            )
        (staging / "index.html").write_text(
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Answer keys</title>\n<style>{HANDOUT_CSS}</style>\n</head>\n"
            '<body class="jp-Notebook handout">\n<main class="jp-RenderedHTMLCommon">\n'
            "<h1>Answer keys, one page per lesson</h1>\n<p>Teacher edition: keep these pages "
            "away from students. Open a page and print it (A4).</p>\n"
            f"<ol>{''.join(items)}</ol>\n</main>\n</body>\n</html>\n",
            encoding="utf-8",
        )
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / f"{lesson.stem}.html" for lesson in chosen] + [out / "index.html"]


# --- command line ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def resolve(names: list[str]) -> list:
    """The lessons named on the command line (all of them when none is named)."""
    return resolve_notebooks(names, NOTEBOOKS, lessons(NOTEBOOKS) if not names else [], "handouts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", default=None, help="output folder (default: build/handouts, or build/answer-keys)"
    )
    parser.add_argument(
        "--answer-keys",
        action="store_true",
        help="write the printable answer keys (teacher edition)",
    )
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK", help="notebook files or stems (default: all)"
    )
    args = parser.parse_args(argv)
    if args.answer_keys:
        for path in build_answer_keys(NOTEBOOKS, args.out or ROOT / "build" / "answer-keys"):
            print(path)
        return 0
    args.out = args.out or str(ROOT / "build" / "handouts")
    chosen = resolve(args.notebooks)
    if not chosen:
        print(f"handouts: no notebooks found in {NOTEBOOKS}", file=sys.stderr)
        return 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = build_handouts(chosen, args.out)
    for warning in caught:
        print(f"handouts: warning: {warning.message}", file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
