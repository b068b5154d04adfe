"""Timeline explorer: filter the events by period, category, person, source or words.

Pure functions do the work (:func:`filter_events`, :func:`source_options`,
:func:`event_list_html`, :func:`period_year_range`); :class:`TimelineExplorer` wires them
to its controls, then ONE Output with the chart and the list of matching events.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from cambodia_russia.charts.base import figure_png, year_range
from cambodia_russia.charts.readable import DISPLAY_WIDTH_PX
from cambodia_russia.widgets import _common, reader
from cambodia_russia.widgets._common import esc, fold, text_or_empty

#: At most this many events are listed under the chart (the chart shows them all).
MAX_LISTED = 50
#: Value of the "everything" choice in each Dropdown.
ALL = ""
#: How many drawn states (description and SVG, no figures) the explorer keeps for reuse.
CHART_CACHE_SIZE = 32
#: The Output keeps at least this height, so the page does not jump between updates.
OUTPUT_MIN_HEIGHT = "1150px"
#: The live event list scrolls inside a box of this height.
LIST_MAX_HEIGHT = "20em"

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The folded words of ``text`` (case and accents ignored): what the search matches."""
    return _WORD.findall(fold(text or ""))


class EventIndex:
    """Lookups over one events table, built once so that each filtering is cheap: for
    each word, person and cited source, the row positions that have it."""

    def __init__(self, events, people=None):
        import numpy as np

        names: dict[str, str] = {}
        if people is not None:
            for row in people.itertuples(index=False):
                parts = [
                    row.name,
                    *(getattr(row, "variants", ()) or ()),
                    getattr(row, "native_name", ""),
                ]
                names[str(row.id)] = " ".join(text_or_empty(p) for p in parts)
        by_word: dict[str, set[int]] = {}
        by_person: dict[str, list[int]] = {}
        by_source: dict[str, list[int]] = {}
        labels = events["date_label"] if "date_label" in events.columns else [""] * len(events)
        columns = zip(
            events["title"],
            events["description"],
            labels,
            events["people"],
            events["sources"],
            strict=False,
        )
        for position, (title, description, label, event_people, citations) in enumerate(columns):
            parts = [text_or_empty(title), text_or_empty(description), text_or_empty(label)]
            for pid in event_people or ():
                parts.append(names.get(str(pid), str(pid)))
                by_person.setdefault(str(pid), []).append(position)
            for source_id in dict.fromkeys(str(sid) for sid, _locator in citations or ()):
                by_source.setdefault(source_id, []).append(position)
            for word in words(" ".join(parts)):
                by_word.setdefault(word, set()).add(position)
        self.size = len(events)

        def to_array(positions):
            return np.fromiter(sorted(positions), dtype=np.intp)

        self.by_word = {k: to_array(v) for k, v in by_word.items()}
        self.by_person = {k: to_array(v) for k, v in by_person.items()}
        self.by_source = {k: to_array(v) for k, v in by_source.items()}
        self.periods = events["period"].astype(str).to_numpy()
        self.categories = events["category"].astype(str).to_numpy()

    def mask(self, period=None, category=None, person=None, source=None, text=None):
        """Boolean numpy array: which rows match every given criterion."""
        import numpy as np

        keep = np.ones(self.size, dtype=bool)
        if category is not None and not isinstance(category, str):
            category = [str(c) for c in category]
        if _given(period):
            keep &= self.periods == str(period)
        if _given(category):
            keep &= np.isin(self.categories, [category] if isinstance(category, str) else category)
        for lookup, key in ((self.by_person, person), (self.by_source, source)):
            if _given(key):
                keep &= self._rows(lookup.get(str(key)))
        for word in words(text or ""):
            keep &= self._rows(self.by_word.get(word))
        return keep

    def _rows(self, positions):
        import numpy as np

        found = np.zeros(self.size, dtype=bool)
        if positions is not None:
            found[positions] = True
        return found


def _given(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and (not isinstance(value, Iterable) or len(list(value)) > 0)


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
    """Dropdown choices for the sources that events cite, grouped: the core texts first,
    then by kind (archival document, book or memoir, news report...). Each reads "author
    or outlet, year (kind)", so typing a name in the open list finds it; where two would
    read the same, the source's short name is added."""
    cited = set(cited)
    rows = []
    for row in sources.itertuples(index=False):
        if str(row.id) not in cited:
            continue
        core = not _common.is_missing(row.core) and bool(row.core)
        kind = "core text" if core else text_or_empty(row.kind) or "other"
        who = (
            text_or_empty(row.author)
            or text_or_empty(row.outlet)
            or text_or_empty(row.short_name)
            or str(row.id)
        )
        label = f"{who}, {text_or_empty(row.year) or 'undated'}"
        rows.append(
            [
                not core,
                fold(kind),
                label,
                kind,
                text_or_empty(row.short_name) or str(row.id),
                str(row.id),
            ]
        )
    labels = [r[2] for r in rows]
    for r in rows:
        r[2] += f" ({r[3]}{'; ' + r[4] if labels.count(r[2]) > 1 else ''})"
    rows.sort(key=lambda r: (r[0], r[1], fold(r[2]), r[5]))
    return [(r[2], r[5]) for r in rows]


def event_list_html(
    rows,
    source_names: dict[str, str],
    total: int,
    limit: int = MAX_LISTED,
    digest: Mapping[tuple[str, int], Any] | None = None,
) -> str:
    """HTML list of events: date, title, description, sources, category (all escaped).

    With ``digest`` (:func:`cambodia_russia.widgets.reader.digest_index`), each event
    also says what its cited core-text paragraphs contain.
    """
    shown = len(rows)
    parts = [
        f'<div class="cr-event-list" style="font-size:{_common.FONT_SIZE};line-height:1.45">',
        f"<p><strong>{esc(match_count(shown, total))}</strong></p>",
    ]
    if shown == 0:
        parts.append(
            "<p>No events match these choices. Choose &ldquo;All periods&rdquo;, another "
            "person or source, or clear the search box.</p></div>"
        )
        return "".join(parts)
    parts.append('<ul style="list-style:none;padding-left:0;margin-left:0">')
    for row in rows.head(limit).itertuples(index=False):
        notes = [f"Category: {esc(row.category)}", f"Verification: {esc(row.verification)}"]
        contested = getattr(row, "contested", False)
        if not _common.is_missing(contested) and bool(contested):
            notes.append("Contested: the sources disagree")
        parts.append(
            f'<li style="margin:0 0 0.8em 0"><strong>{esc(row.date_label)}</strong> &mdash; '
            f"<strong>{esc(row.title)}</strong><br>{esc(row.description)}<br>"
            f'<span style="font-size:0.9em">Sources: {_common.citation_html(row.sources, source_names)} '
            f"&middot; {' &middot; '.join(notes)}</span>"
            f"{reader.cited_digest_html(row.sources, source_names, digest) if digest else ''}</li>"
        )
    parts.append("</ul>")
    if shown > limit:
        parts.append(
            f"<p>The list shows the first {limit} of {shown} matching events (the chart shows "
            "them all). Choose a period, category or person to narrow it down.</p>"
        )
    return "".join(parts) + "</div>"


def match_count(shown: int, total: int) -> str:
    """``3 of 136 events match`` (or ``All 136 events``)."""
    return f"All {total} events" if shown == total else f"{shown} of {total} events match"


def period_year_range(periods, period_id: str | None, events=None) -> tuple[int, int]:
    """Years the chart shows for a collection period (``None`` = all periods).

    An open period and "all periods" end with the latest year in the data (events and
    periods), never with today's date, so the same data always gives the same chart.
    """
    collection = periods[periods["scheme"].astype(str) == "collection"]
    collection = collection if len(collection) else periods
    years = [int(y) for column in ("start_year", "end_year") for y in collection[column].dropna()]
    if events is not None and len(events):
        years.append(int(events["year"].max()))
        if "end_year" in events.columns and events["end_year"].notna().any():
            years.append(int(events["end_year"].max()))
    latest = max(years)
    if not _given(period_id):
        return int(collection["start_year"].min()), latest
    match = periods[periods["id"].astype(str) == str(period_id)]
    if len(match) == 0:
        raise KeyError(f"unknown period {period_id!r}")
    row = match.iloc[0]
    end = latest if _common.is_missing(row["end_year"]) else int(row["end_year"])
    return int(row["start_year"]), max(int(row["start_year"]), end)


class TimelineExplorer(_common.LiveView):
    """Filter the timeline by period, category, person, source and words.

    ``tables`` is a :class:`cambodia_russia.tables.Tables` (default: the shipped data);
    ``period`` the collection period id shown first (default: all periods).

    Kept for tests and notebooks: the controls ``period``, ``category``, ``person``,
    ``source``, ``search``, ``reset``; ``status`` (how many events match); ``output``
    (the one Output); ``box``; ``rows`` (the matching events); ``chart`` and ``figure``
    (``None`` when nothing matches); ``year_range``; ``html`` (the list); ``svg``.

    Speed: the lookups are built once; one :class:`~cambodia_russia.charts.timeline.Timeline`
    figure is drawn again in place for each new state, and writes the live view's SVG
    itself (no renderer round trip); the description and SVG of the last
    :data:`CHART_CACHE_SIZE` states are kept, so a state seen before costs no drawing.
    The search applies on Enter or when the box is left.
    """

    live_note = (
        "Timeline explorer: run the notebook to filter the events by period, category, "
        "person, source or words."
    )

    def __init__(self, tables=None, period: str | None = None):
        import ipywidgets as w

        from cambodia_russia.charts.timeline import Timeline

        if tables is None:
            from cambodia_russia.tables import load_all

            tables = load_all()
        self.tables, events = tables, tables.events
        self._names = _common.source_names(tables.sources)
        self._digest = reader.digest_index(tables.digest)
        self._index = EventIndex(events, tables.people)
        self._timeline = Timeline(tables.periods)
        self._charts: OrderedDict = OrderedDict()  # (years, row ids) -> [alt text, SVG]
        self._chart = self._key = None
        self._updating = False
        self._years: dict[str | None, tuple[int, int]] = {}

        collection = tables.periods[tables.periods["scheme"].astype(str) == "collection"]
        periods = [("All periods", ALL)] + [
            (f"{r.name} ({year_range(r.start_year, r.end_year)})", str(r.id))
            for r in collection.sort_values(["order", "id"]).itertuples(index=False)
        ]
        if period is not None and str(period) not in {v for _, v in periods}:
            raise KeyError(f"unknown collection period {period!r}")
        dtype_categories = getattr(events["category"].dtype, "categories", None)
        used = set(events["category"].astype(str))
        order = [str(c) for c in dtype_categories] if dtype_categories is not None else sorted(used)
        categories = [("All categories", ALL)] + [
            (c[:1].upper() + c[1:], c) for c in order if c in used
        ]
        people = sorted(
            (
                (text_or_empty(name) or str(pid), str(pid))
                for pid, name in zip(tables.people["id"], tables.people["name"], strict=False)
                if str(pid) in self._index.by_person
            ),
            key=lambda item: (fold(item[0]), item[1]),
        )

        wide = w.Layout(width="auto", min_width="18em", max_width="36em", margin="0 1.5em 0.4em 0")
        style = {"description_width": "initial"}

        def dropdown(name, options, value=ALL):
            return w.Dropdown(
                options=options, value=value, description=name, layout=wide, style=style
            )

        self.period = dropdown("Period", periods, str(period or ALL))
        self.category = dropdown("Category", categories)
        self.person = dropdown("Person", [("Anyone", ALL)] + people)
        self.source = dropdown(
            "Source", [("Any source", ALL)] + source_options(tables.sources, self._index.by_source)
        )
        self.search = w.Text(
            value="",
            placeholder="whole words, e.g. Moscow 1956, then Enter",
            continuous_update=False,
            description="Search",
            layout=wide,
            style=style,
        )
        self.reset = w.Button(
            description="Show everything", icon="undo", layout=w.Layout(width="auto")
        )
        self.reset.style.font_size = _common.FONT_SIZE
        self.status = w.HTML()
        self.status.add_class(_common.LIVE_CLASS)
        self.output = w.Output(layout=w.Layout(min_height=OUTPUT_MIN_HEIGHT))
        controls = w.Box(
            [self.period, self.category, self.person, self.source, self.search, self.reset],
            layout=w.Layout(display="flex", flex_flow="row wrap", align_items="center"),
        )
        self.box = w.VBox([_common.style_widget(), controls, self.status, self.output])
        self.box.add_class(_common.CSS_CLASS)

        self._redraw()
        for control in (self.period, self.category, self.person, self.source, self.search):
            control.observe(self._on_change, names="value")
        self.reset.on_click(self._on_reset)

    def _redraw(self) -> None:
        """Filter, then prepare the chart and the list from the controls' current values."""
        tables, period = self.tables, self.period.value or None
        self.rows = filter_events(
            tables.events,
            period=period,
            category=self.category.value or None,
            person=self.person.value or None,
            source=self.source.value or None,
            text=self.search.value or None,
            index=self._index,
        )
        if period not in self._years:
            self._years[period] = period_year_range(tables.periods, period, tables.events)
        self.year_range = self._years[period]
        self._chart, self._key = None, None
        if len(self.rows):
            self._key = (self.year_range, tuple(self.rows["id"].tolist()))
            if self._key in self._charts:
                self._charts.move_to_end(self._key)
            else:
                self._charts[self._key] = [self._draw().alt_text, self._timeline.svg()]
                while len(self._charts) > CHART_CACHE_SIZE:
                    self._charts.popitem(last=False)
        total = len(tables.events)
        self.status.value = f'<p style="margin:0.2em 0"><strong>{esc(match_count(len(self.rows), total))}</strong></p>'
        self.html = event_list_html(self.rows, self._names, total=total, digest=self._digest)

    def _draw(self):
        """Draw the current rows and years into the explorer's one figure."""
        start, end = self.year_range
        self._chart = self._timeline.draw(self.tables.events, start, end, selected=self.rows)
        return self._chart

    @property
    def chart(self):
        """The chart (figure and alt text) of the current rows; ``None`` when nothing
        matches. A state served from the cache is drawn only when asked for here."""
        if self._key is not None and self._chart is None:
            self._draw()
        return self._chart if self._key is not None else None

    @property
    def figure(self):
        """The matplotlib figure of :attr:`chart` (``None`` when nothing matches)."""
        return None if self.chart is None else self.chart.figure

    @property
    def alt_text(self) -> str:
        """The chart's description ("" when nothing matches), without drawing again."""
        return "" if self._key is None else self._charts[self._key][0]

    @property
    def svg(self) -> str:
        """The current chart as the live view shows it (SVG text; "" without a chart)."""
        return "" if self._key is None else self._charts[self._key][1]

    def _bundles(self, static: bool = False) -> list[dict[str, str]]:
        bundles = []
        if self._key is not None:
            if static:
                image = _common.png_bundle(figure_png(self.figure, DISPLAY_WIDTH_PX), self.alt_text)
            else:  # as wide as the static PNG, never wider: under one screen, text >= 12 pt
                image = _common.svg_bundle(self.svg, self.alt_text)
                image["text/html"] = (
                    f'<div style="max-width:{DISPLAY_WIDTH_PX}px">{image["text/html"]}</div>'
                )
            bundles += [image, _common.html_bundle(_common.alt_text_html(self.alt_text))]
        if static:  # printed or read without a kernel: the whole list
            return bundles + [_common.html_bundle(self.html)]
        # Live: the list scrolls in a box of its own (reachable by Tab, scrolled by the arrow
        # keys), so the lesson stays short on screen and the page never jumps.
        box = (
            f'<div role="region" aria-label="Events listed" tabindex="0" '
            f'style="max-height:{LIST_MAX_HEIGHT};overflow-y:auto">{self.html}</div>'
        )
        return bundles + [_common.html_bundle(box)]

    def static_bundles(self) -> list[dict[str, str]]:
        """Chart (PNG) and event list of the current state, for readers without a kernel."""
        return self._bundles(static=True)

    def live_bundles(self) -> list[dict[str, str]]:
        """What the live Output shows from the start: the SVG chart and the list in its
        scrolling box, as after any change (not the static view's whole list, which made
        the cell six screens tall after Run All)."""
        return self._bundles()

    def update(self) -> None:
        """Recompute from the controls and show the result in the Output."""
        self._redraw()
        _common.set_outputs(self.output, self._bundles())
        self._live_changed()

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self.update()

    def _on_reset(self, _button=None) -> None:
        self._updating = True
        try:
            for control in (self.period, self.category, self.person, self.source, self.search):
                control.value = ALL
        finally:
            self._updating = False
        self.update()
