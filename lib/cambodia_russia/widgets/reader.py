"""Source reader: what a paragraph of a core text says, from ``digest.csv`` (our own words);
:func:`cited_digest_html` serves the timeline explorer. Escaped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cambodia_russia.charts.base import is_missing, split_citation
from cambodia_russia.schema import CORE_LOCATOR
from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import FONT_SIZE, esc, make, text_or_empty

KIND_LABELS = {
    "text": "In our own words",
    "heading": "Heading (not running text)",
    "caption": "Picture caption (not running text)",
    "byline": "Byline (not running text)",
    "page furniture": "Web-page furniture (not part of the text)",
}

#: What each ``quality`` of sources.csv tells a student about the weight a source can bear.
QUALITY_LABELS = {
    "primary": "a record made at the time by a party to the events",
    "scholarly": "research by scholars",
    "official": "a government, embassy, international body or court",
    "press": "a newspaper, magazine or news agency",
    "encyclopaedia": "an encyclopaedia or a copy of one: check it against its sources",
    "blog": "a blog or private website: weigh it with care",
}


def quality_html(quality) -> str:
    """The badge ``[press]`` of a source's ``quality``, its meaning as a tooltip ("" if none)."""
    value = text_or_empty(quality)
    if not value:
        return ""
    meaning = esc(QUALITY_LABELS.get(value, value))
    return (
        f'<span class="cr-quality" title="{meaning}" '
        f'style="font-size:0.85em;white-space:nowrap">[{esc(value)}]</span>'
    )


def digest_index(digest) -> dict[tuple[str, int], Any]:
    """Map ``(source id, paragraph number)`` to its row of the typed digest table."""
    rows = digest.itertuples(index=False)
    return {(str(r.source), int(r.paragraph)): r for r in rows if not is_missing(r.paragraph)}


def cited_paragraphs(citations: Iterable, index: Mapping[tuple[str, int], Any]):
    """``(source id, "para N", row)`` of each digest paragraph a ``sources`` cell cites, in
    citation order, each once (other citations are left out)."""
    found = {}
    for item in citations or ():
        source_id, locator = split_citation(item)
        match = CORE_LOCATOR.fullmatch(" ".join(text_or_empty(locator).split()))
        key = (source_id, int(match.group(1)) if match else None)
        if key in index:
            found.setdefault(key, (source_id, f"para {key[1]}", index[key]))
    return list(found.values())


def digest_text(row) -> str:
    """The digest line of one row: the summary, then the short quote if there is one."""
    summary, quote, kind = (text_or_empty(v) for v in (row.summary, row.quote, row.kind))
    if kind and kind != "text":
        return f"[{kind}] {summary}"
    return f"{summary} Quote: \u201c{quote}\u201d" if quote else summary


def cited_digest_html(
    citations: Iterable, names: Mapping[str, str], index: Mapping[tuple[str, int], Any]
) -> str:
    """What the cited paragraphs say ("Mosyakov (2021), para 12: ..."), one line each, in a
    collapsed ``<details>`` ("" when none is cited)."""
    found = cited_paragraphs(citations, index)
    if not found:
        return ""
    what = (
        "the cited paragraph says" if len(found) == 1 else f"the {len(found)} cited paragraphs say"
    )
    lines = "".join(
        f"<li><em>{_common.citation_html([(sid, locator)], names)}:</em> "
        f"{esc(digest_text(row))}</li>"
        for sid, locator, row in found
    )
    return (
        '<details class="cr-cited" style="font-size:0.9em;margin-top:0.2em">'
        f'<summary>What {esc(what)} (digest)</summary><ul style="margin:0.2em 0 0 0;'
        f'padding-left:1.2em">{lines}</ul></details>'
    )


def first_web_address(url: str) -> str:
    """The first address of a ``url`` cell (``;``-separated) if it is http(s), else ""."""
    first = text_or_empty(url).split(";")[0].strip()
    web = first.lower().startswith(("http://", "https://"))
    return first if web and not any(c.isspace() for c in first) else ""


def digest_html(tables, source: str, paragraph: int) -> str:
    """One paragraph of a core text as the digest gives it: citation, the source's kind and
    quality, the summary, the quote and a link to the original. ``KeyError`` if unknown."""
    rows = _common.rows_where(tables.digest, "source", source)
    match = rows[rows["paragraph"] == int(paragraph)]
    if len(match) == 0:
        raise KeyError(f"the digest has no paragraph {paragraph!r} of {source!r}")
    row = next(match.itertuples(index=False))
    names = _common.source_names(tables.sources)
    cite = _common.citation_html([(str(source), f"para {int(paragraph)}")], names)
    info = _common.row_by_id(tables.sources, source, "source")
    kind, quality, quote = str(row.kind), str(info["quality"]), text_or_empty(row.quote)
    parts = [
        f'<div class="cr-digest" style="font-size:{FONT_SIZE};line-height:1.45">'
        f'<h4 style="margin:0.2em 0 0.4em 0">{cite} '
        f'<span style="font-weight:normal">(of {len(rows)})</span></h4>'
        f'<p style="font-size:0.9em">Kind of source: {esc(info["kind"])} '
        f"&middot; {esc(quality)}: {esc(QUALITY_LABELS.get(quality, ''))}</p>",
        f"<p><strong>{esc(KIND_LABELS.get(kind, kind))}:</strong> {esc(row.summary)}</p>",
    ]
    if quote:
        label = "Its words" if kind == "text" else "It reads"
        parts.append(f"<p><strong>{label}:</strong> <em>&ldquo;{esc(quote)}&rdquo;</em></p>")
    url = first_web_address(info.get("url"))
    if url:
        parts.append(
            f'<p style="font-size:0.9em">Read the original: <a href="{esc(url)}" target="_blank" '
            f'rel="noopener noreferrer">{esc(info["title"])}</a> (the paragraph numbers count the '
            "collection's copy of the text, title lines included; the web page may lay it out "
            "differently).</p>"
        )
    return "".join(parts) + "</div>"


class SourceReader(_common.LiveView):
    """Choose a core text and a paragraph (default: the first text, paragraph 1); read
    what the digest says. For tests: ``source``, ``paragraph``, ``html``, ``output``."""

    live_note = "Source reader: run the notebook to choose another text or paragraph."

    def __init__(self, tables=None, source: str | None = None, paragraph: int = 1):
        import ipywidgets as w

        from cambodia_russia.tables import ensure_tables

        self.tables = tables = ensure_tables(tables)
        counts = tables.digest["source"].astype(str).value_counts().to_dict()
        names = _common.source_names(tables.sources)
        options = [(names[sid], sid) for sid in names if sid in counts]
        if not options:
            raise ValueError("the digest is empty")
        self._counts = counts
        first = str(source) if source is not None else options[0][1]
        self.html = digest_html(tables, first, int(paragraph))  # KeyError if there is none
        style = {"description_width": "initial"}
        self.source = make(
            w.Dropdown,
            {"width": "auto", "min_width": "18em", "max_width": "32em"},
            style,
            options=options,
            value=first,
            description="Text",
        )
        # A number box, not a slider: its <label> names it for screen readers (the
        # slider's handle has no accessible name), and arrow keys step it.
        self.paragraph = make(
            w.BoundedIntText,
            {"width": "12em"},
            style,
            value=int(paragraph),
            min=1,
            max=self._counts[first],
            description="Paragraph",
            continuous_update=False,
        )
        self.output = make(w.Output)
        row = {"display": "flex", "flex_flow": "row wrap", "align_items": "center"}
        controls = make(w.Box, row, children=[self.source, self.paragraph])
        self.box = _common.widget_box(w, controls, self.output)
        self.source.observe(self._on_source, names="value")
        self.paragraph.observe(lambda _change: self._show(), names="value")

    def _show(self) -> None:
        self.html = digest_html(self.tables, self.source.value, self.paragraph.value)
        self._update(self.static_bundles())

    def _on_source(self, change) -> None:
        paragraph = self.paragraph.value
        self.paragraph.max = self._counts[change["new"]]  # a shorter text moves the paragraph
        if self.paragraph.value == paragraph:  # else the paragraph's change showed it
            self._show()
