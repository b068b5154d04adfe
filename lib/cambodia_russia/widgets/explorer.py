"""Timeline explorer: filter the events by period, category, person, source or words, and see
the matching events on a chart and in a list."""

from __future__ import annotations

import base64
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from cambodia_russia.charts.base import figure_png, is_missing, year_range
from cambodia_russia.charts.readable import DISPLAY_WIDTH_PX
from cambodia_russia.widgets import _common, reader
from cambodia_russia.widgets._common import FONT_SIZE, esc, fold, html_bundle, make, text_or_empty

#: At most this many events are listed under the chart (the chart shows them all).
MAX_LISTED = 50
#: Value of the "everything" choice in each Dropdown.
ALL = ""
#: How many drawn states (description and SVG) the explorer keeps for reuse.
CHART_CACHE_SIZE = 32
#: The live event list scrolls inside a box of this height.
LIST_MAX_HEIGHT = "20em"


def words(text: str) -> list[str]:
    """The folded words of ``text`` (case and accents ignored): what the search matches."""
    return re.findall(r"\w+", fold(text or ""))


def _key(value) -> str:
    """A criterion as text; ``""`` (any) for ``None`` or blanks."""
    return "" if value is None or not str(value).strip() else str(value)


class EventIndex:
    """Each event's period, category, people, cited sources and folded words, gathered once,
    so that filtering one table many times is cheap."""

    def __init__(self, events, people=None):
        names = {}
        for row in () if people is None else people.itertuples(index=False):
            variants = getattr(row, "variants", ()) or ()
            parts = [row.name, *variants, getattr(row, "native_name", "")]
            names[str(row.id)] = " ".join(text_or_empty(part) for part in parts)
        labels = events["date_label"] if "date_label" in events.columns else [""] * len(events)
        columns = ("period", "category", "people", "sources", "title", "description")
        self.rows = []
        for period, category, pids, cites, *texts in zip(
            *(events[c] for c in columns), labels, strict=True
        ):
            pids = [str(pid) for pid in pids or ()]
            text = " ".join([*map(text_or_empty, texts), *(names.get(pid, pid) for pid in pids)])
            sources = {str(sid) for sid, _locator in cites or ()}
            self.rows.append((str(period), str(category), set(pids), sources, set(words(text))))

    def mask(self, period=None, category=None, person=None, source=None, text=None):
        """Boolean numpy array: which rows match every given criterion."""
        import numpy as np

        if category is None or isinstance(category, str):
            category = [category]
        categories = {_key(c) for c in category} - {""}
        period, person, source = _key(period), _key(person), _key(source)
        wanted = set(words(text or ""))
        keep = [
            (not period or p == period)
            and (not categories or c in categories)
            and (not person or person in people)
            and (not source or source in sources)
            and wanted <= found
            for p, c, people, sources, found in self.rows
        ]
        return np.array(keep, dtype=bool)


def filter_events(
    events,
    people=None,
    period=None,
    category=None,
    person=None,
    source=None,
    text=None,
    index: EventIndex | None = None,
):
    """The events matching every given criterion (``None`` or ``""`` = any), in order.

    ``period`` is a collection period id, ``category`` one category or several,
    ``person`` a person id, ``source`` a source id cited by the event. ``text`` matches
    every word of it as a whole word (case and accents ignored; "sen" does not match
    "Senate") in the title, description, date label or the names (standard, variants,
    native script) of the people involved. ``index`` is an :class:`EventIndex` of the
    same ``events``, for callers that filter one table many times.
    """
    index = index or EventIndex(events, people)
    keep = index.mask(period=period, category=category, person=person, source=source, text=text)
    return events.iloc[keep.nonzero()[0]]


def source_options(sources, cited: Iterable[str]) -> list[tuple[str, str]]:
    """Dropdown choices for the sources that events cite: the core texts first, then grouped
    by kind. Each reads "author or outlet, year (kind)", so typing a name in the open list
    finds it; where two would read the same, the source's short name is added."""
    cited, rows = set(cited), []
    for row in sources.itertuples(index=False):
        if str(row.id) in cited:
            core = not is_missing(row.core) and bool(row.core)
            kind = "core text" if core else text_or_empty(row.kind) or "other"
            short = text_or_empty(row.short_name) or str(row.id)
            who = text_or_empty(row.author) or text_or_empty(row.outlet) or short
            label = f"{who}, {text_or_empty(row.year) or 'undated'}"
            rows.append((not core, fold(kind), label, kind, short, str(row.id)))
    twice = {label for label, n in Counter(r[2] for r in rows).items() if n > 1}
    options = [
        (late, kind_key, f"{label} ({kind}{'; ' + short if label in twice else ''})", sid)
        for late, kind_key, label, kind, short, sid in rows
    ]
    options.sort(key=lambda r: (r[0], r[1], fold(r[2]), r[3]))
    return [(label, sid) for *_, label, sid in options]


def match_count(shown: int, total: int) -> str:
    """``3 of 136 events match`` (or ``All 136 events``)."""
    return f"All {total} events" if shown == total else f"{shown} of {total} events match"


def event_list_html(
    rows,
    source_names: dict[str, str],
    total: int,
    limit: int = MAX_LISTED,
    digest: Mapping[tuple[str, int], Any] | None = None,
) -> str:
    """HTML list of events: date, title, description, sources, category (all escaped). With
    ``digest`` (:func:`~cambodia_russia.widgets.reader.digest_index`), each event also says
    what its cited core-text paragraphs contain."""
    items = []
    for row in rows.head(limit).itertuples(index=False):
        notes = [f"Category: {esc(row.category)}", f"Verification: {esc(row.verification)}"]
        contested = getattr(row, "contested", False)
        if not is_missing(contested) and bool(contested):
            notes.append("Contested: the sources disagree")
        cited = reader.cited_digest_html(row.sources, source_names, digest) if digest else ""
        items.append(
            f'<li style="margin:0 0 0.8em 0"><strong>{esc(row.date_label)}</strong> &mdash; '
            f"<strong>{esc(row.title)}</strong><br>{esc(row.description)}<br>"
            f'<span style="font-size:0.9em">Sources: {_common.citation_html(row.sources, source_names)} '
            f"&middot; {' &middot; '.join(notes)}</span>{cited}</li>"
        )
    listing = (
        f'<ul style="list-style:none;padding-left:0;margin-left:0">{"".join(items)}</ul>'
        if items
        else "<p>No events match these choices. Choose &ldquo;All periods&rdquo;, another "
        "person or source, or clear the search box.</p>"
    )
    if len(rows) > limit:
        listing += (
            f"<p>The list shows the first {limit} of {len(rows)} matching events (the chart shows "
            "them all). Choose a period, category or person to narrow it down.</p>"
        )
    return (
        f'<div class="cr-event-list" style="font-size:{FONT_SIZE};line-height:1.45">'
        f"<p><strong>{esc(match_count(len(rows), total))}</strong></p>{listing}</div>"
    )


def _collection(periods):
    collection = periods[periods["scheme"].astype(str) == "collection"]
    return collection if len(collection) else periods


def period_year_range(periods, period_id: str | None, events=None) -> tuple[int, int]:
    """Years the chart shows for a collection period (``None`` = all periods). An open period
    and "all periods" end with the latest year in the data (events and periods), never with
    today's date, so the same data always gives the same chart."""
    collection = _collection(periods)
    years = [int(y) for column in ("start_year", "end_year") for y in collection[column].dropna()]
    for column in ("year", "end_year") if events is not None else ():
        if column in events.columns and events[column].notna().any():
            years.append(int(events[column].max()))
    if not _key(period_id):
        return int(collection["start_year"].min()), max(years)
    start, end = _common.row_by_id(periods, period_id, "period")[["start_year", "end_year"]]
    return int(start), max(int(start), max(years) if is_missing(end) else int(end))


class TimelineExplorer(_common.LiveView):
    """Filter the timeline by period, category, person, source and words: the controls, a
    line saying how many events match, then ONE Output with the chart and the event list.

    ``tables``: a :class:`cambodia_russia.tables.Tables` (default: the shipped data);
    ``period``: the collection period shown first (default: all periods). For tests and
    notebooks: the controls ``period``, ``category``, ``person``, ``source``, ``search``
    (applies on Enter), ``reset``; ``status``, ``output``, ``box``; ``rows`` (the matching
    events), ``year_range``, ``html`` (the list); the chart's ``svg`` and ``alt_text`` (""
    when nothing matches), kept for the last :data:`CHART_CACHE_SIZE` states; ``chart``
    and ``figure`` (``None`` when nothing matches), one figure drawn again in place.
    """

    live_note = (
        "Timeline explorer: run the notebook to filter the events by period, category, "
        "person, source or words."
    )

    def __init__(self, tables=None, period: str | None = None):
        import ipywidgets as w

        from cambodia_russia.charts.timeline import Timeline
        from cambodia_russia.tables import ensure_tables

        self.tables = tables = ensure_tables(tables)
        self._names = _common.source_names(tables.sources)
        self._digest = reader.digest_index(tables.digest)
        self._index = EventIndex(tables.events, tables.people)
        self._timeline = Timeline(tables.periods)
        self._charts: dict = {}  # (years, row ids) -> (alt text, SVG), oldest first
        self._updating = False

        periods = [("All periods", ALL)] + [
            (f"{r.name} ({year_range(r.start_year, r.end_year)})", str(r.id))
            for r in _collection(tables.periods).sort_values(["order", "id"]).itertuples()
        ]
        if period is not None and str(period) not in {v for _, v in periods}:
            raise KeyError(f"unknown collection period {period!r}")
        used = set(tables.events["category"].astype(str))
        order = map(str, tables.events["category"].cat.categories)  # the schema's order
        categories = [(c[:1].upper() + c[1:], c) for c in order if c in used]
        in_events = set().union(*(r[2] for r in self._index.rows))
        people = sorted(
            (
                (text_or_empty(name) or str(pid), str(pid))
                for pid, name in zip(tables.people["id"], tables.people["name"], strict=False)
                if str(pid) in in_events
            ),
            key=lambda item: (fold(item[0]), item[1]),
        )
        cited = set().union(*(r[3] for r in self._index.rows))

        wide = {
            "width": "auto",
            "min_width": "18em",
            "max_width": "36em",
            "margin": "0 1.5em 0.4em 0",
        }

        def control(kind, name, **values):
            return make(kind, wide, {"description_width": "initial"}, description=name, **values)

        sources = source_options(tables.sources, cited)
        self.period = control(w.Dropdown, "Period", options=periods, value=str(period or ALL))
        self.category = control(
            w.Dropdown, "Category", options=[("All categories", ALL), *categories]
        )
        self.person = control(w.Dropdown, "Person", options=[("Anyone", ALL), *people])
        self.source = control(w.Dropdown, "Source", options=[("Any source", ALL), *sources])
        tip = "whole words, e.g. Moscow 1956, then Enter"
        self.search = control(w.Text, "Search", placeholder=tip, continuous_update=False)
        self.reset = make(
            w.Button,
            {"width": "auto"},
            {"font_size": FONT_SIZE},
            description="Show everything",
            icon="undo",
        )
        self.status = make(w.HTML)
        self.status.add_class(_common.LIVE_CLASS)
        self.output = make(w.Output)
        self._filters = (self.period, self.category, self.person, self.source, self.search)
        row = {"display": "flex", "flex_flow": "row wrap", "align_items": "center"}
        controls = make(w.Box, row, children=[*self._filters, self.reset])
        self.box = _common.widget_box(w, controls, self.status, self.output)
        self._redraw()
        for control in self._filters:
            control.observe(self._on_change, names="value")
        self.reset.on_click(self._on_reset)

    def _redraw(self) -> None:
        """Filter, then prepare the chart and the list from the controls' current values."""
        tables, values = self.tables, [control.value or None for control in self._filters]
        self.rows = filter_events(tables.events, None, *values, index=self._index)
        self.year_range = period_year_range(tables.periods, values[0], tables.events)
        self._chart, self.alt_text, self.svg = None, "", ""
        self._key = (self.year_range, tuple(self.rows["id"])) if len(self.rows) else None
        if self._key is not None:
            drawn = self._charts.pop(self._key, None)
            if drawn is None:
                drawn = (self._draw().alt_text, self._timeline.svg())
            self.alt_text, self.svg = self._charts[self._key] = drawn
            if len(self._charts) > CHART_CACHE_SIZE:
                del self._charts[next(iter(self._charts))]
        count = esc(match_count(len(self.rows), len(tables.events)))
        self.status.value = f'<p style="margin:0.2em 0"><strong>{count}</strong></p>'
        self.html = event_list_html(self.rows, self._names, len(tables.events), digest=self._digest)

    def _draw(self):
        start, end = self.year_range
        self._chart = self._timeline.draw(self.tables.events, start, end, selected=self.rows)
        return self._chart

    @property
    def chart(self):
        """The chart (figure and alt text) of the current rows, ``None`` when nothing matches.
        A state served from the cache is drawn only when asked for here."""
        if self._key is not None and self._chart is None:
            self._draw()
        return self._chart

    @property
    def figure(self):
        """The matplotlib figure of :attr:`chart` (``None`` when nothing matches)."""
        return None if self.chart is None else self.chart.figure

    def _bundles(self, static: bool) -> list[dict[str, str]]:
        bundles, alt = [], esc(self.alt_text)
        if self._key is not None and static:
            png = figure_png(self.figure, DISPLAY_WIDTH_PX)
            bundles.append(_common.png_bundle(png, self.alt_text))
        elif self._key is not None:  # as wide as the PNG, never wider: text >= 12 pt
            # width and height: the browser keeps the picture's room before it is drawn
            width, height = re.search(r'width="(\d+)" height="(\d+)"', self.svg).groups()
            data = base64.b64encode(self.svg.encode("utf-8")).decode("ascii")
            image = (
                f'<div style="max-width:{DISPLAY_WIDTH_PX}px"><img src="data:image/svg+xml;base64,'
                f'{data}" alt="{alt}" width="{width}" height="{height}" '
                'style="width:100%;max-width:100%;height:auto"></div>'
            )
            bundles.append({"text/html": image, "text/plain": self.alt_text})
        if self._key is not None:
            description = f"<strong>Chart description:</strong> {alt}"
            bundles.append(html_bundle(f'<p style="font-size:{FONT_SIZE}">{description}</p>'))
        if static:  # printed or read without a kernel: the whole list
            return [*bundles, html_bundle(self.html)]
        # Live, the list scrolls in a box of its own (reached by Tab, scrolled by the arrow
        # keys): the lesson stays short on screen.
        listing = (
            f'<div role="region" aria-label="Events listed" tabindex="0" '
            f'style="max-height:{LIST_MAX_HEIGHT};overflow-y:auto">{self.html}</div>'
        )
        return [*bundles, html_bundle(listing)]

    def static_bundles(self) -> list[dict[str, str]]:
        """Chart (PNG) and whole event list of the current state, for readers without a kernel."""
        return self._bundles(static=True)

    def live_bundles(self) -> list[dict[str, str]]:
        """The live view, from the start: the SVG chart and the list in its scroll box."""
        return self._bundles(static=False)

    def update(self) -> None:
        """Recompute from the controls and show the result in the Output."""
        self._redraw()
        self._update(self.live_bundles())

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self.update()

    def _on_reset(self, _button=None) -> None:
        self._updating = True
        try:
            for control in self._filters:
                control.value = ALL
        finally:
            self._updating = False
        self.update()
