"""Glossary search: type a word, see the terms whose entry (term, definition, Khmer and
Russian forms) contains it as a whole word. The static first view is the whole glossary."""

from __future__ import annotations

import re

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, fold, make, text_or_empty

#: Words offered as one-click examples under the search box.
EXAMPLES = ("veto", "Khmer Rouge", "UNTAC")

#: Columns searched and shown, with their headings; a column the table lacks is skipped.
COLUMNS = {"term": "Term", "definition": "Definition", "khmer": "Khmer", "russian": "Russian"}


def search_glossary(glossary, query: str):
    """The rows (sorted by term) in which every word of ``query`` occurs as a whole word.
    Case and accents are ignored ("etat" finds "Coup d'état"); an empty query gives every row."""
    columns = [c for c in COLUMNS if c in glossary.columns]
    haystacks = glossary[columns].map(text_or_empty).agg(" ".join, axis=1).map(fold)
    patterns = [re.compile(rf"(?<!\w){re.escape(word)}(?!\w)") for word in fold(query).split()]
    rows = glossary[haystacks.map(lambda text: all(p.search(text) for p in patterns))]
    return rows.iloc[rows["term"].map(lambda t: fold(str(t))).argsort(kind="stable")]


def _count(rows, total: int) -> str:
    return f"{len(rows)} of {total} terms" if len(rows) != total else f"All {total} terms"


def glossary_text(rows, total: int) -> str:
    """The same as :func:`glossary_html` as plain text, one term a line."""
    lines = [_count(rows, total)]
    for row in rows.itertuples():
        values = [text_or_empty(getattr(row, c)) for c in COLUMNS if c in rows.columns]
        lines.append(f"{values[0]}: " + " | ".join(v for v in values[1:] if v))
    return "\n".join(lines)


def glossary_html(rows, total: int) -> str:
    """The rows as an HTML table (every value escaped), with a count line above it."""
    if rows.empty:
        return f"<p>{_count(rows, total)}. No term contains this word: try a shorter word or another spelling.</p>"
    columns = [c for c in COLUMNS if c in rows.columns]
    head = "".join(f'<th style="text-align:left">{COLUMNS[c]}</th>' for c in columns)
    cell = '<td style="vertical-align:top">{}</td>'
    body = "".join(
        "<tr>"
        + "".join(
            cell.format(
                f"<strong>{esc(row.term)}</strong>" if c == "term" else esc(getattr(row, c))
            )
            for c in columns
        )
        + "</tr>"
        for row in rows.itertuples()
    )
    return f"<p>{_count(rows, total)}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class GlossarySearch(_common.LiveView):
    """A search box over ``tables.glossary``, example-word buttons and the matching terms.
    For tests: ``search``, ``examples``, ``output``, ``rows`` (the last result)."""

    live_note = "Glossary search: run the notebook to search the terms."

    def __init__(self, tables, query: str = ""):
        import ipywidgets as w

        self.glossary = tables.glossary
        self.search = make(
            w.Text, value=query, description="Search", placeholder="a word, for example veto"
        )
        self.examples = [
            make(w.Button, {"width": "auto"}, description=word, tooltip=f"Search for {word}")
            for word in EXAMPLES
        ]
        for button in self.examples:
            button.on_click(lambda b: setattr(self.search, "value", b.description))
        self.output = make(w.Output)
        examples = make(w.HBox, children=[make(w.Label, value="Try:"), *self.examples])
        keys = _common.keys_line(w, "type a word; the list below follows as you type")
        self.box = _common.widget_box(w, self.search, examples, keys, self.output)
        self.search.observe(self._on_search, names="value")
        self.rows = search_glossary(self.glossary, query)  # shown by the static view first

    def _on_search(self, change) -> None:
        self.rows = search_glossary(self.glossary, change["new"])
        self._update(self.static_bundles())

    def static_bundles(self) -> list[dict[str, str]]:
        """The current result (the whole glossary, unless a query was given)."""
        total = len(self.glossary)
        html, text = glossary_html(self.rows, total), glossary_text(self.rows, total)
        return [_common.html_bundle(html, text)]
