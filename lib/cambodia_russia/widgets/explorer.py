"""Timeline explorer: filter the events by period, category, person, source or words.

The pure function :func:`filter_events` does the filtering; :class:`TimelineExplorer`
wires it to controls, redraws the timeline chart and the list of matching events in one
Output, and keeps ``.rows``, ``.figure``, ``.chart`` and ``.html`` for tests. Under each
listed event, the digest (:mod:`cambodia_russia.widgets.reader`) says what its cited
core-text paragraphs contain.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from cambodia_russia.widgets import _common, reader
from cambodia_russia.widgets._common import esc, fold, text_or_empty

#: At most this many events are listed under the chart (the chart shows them all).
MAX_LISTED = 50

#: Value of the "everything" choice in each Dropdown.
ALL = ""

#: How many drawn charts (their SVG and description) the explorer keeps for reuse.
CHART_CACHE_SIZE = 32


# --- pure functions ----------------------------------------------------------------


class EventIndex:
    """Lookups over one events table, built once so that each filtering is cheap.

    Holds, by row position: the folded search text (title, description, date, people's
    names, variants and native names), the people and the cited source ids.
    """

    def __init__(self, events, people=None):
        import numpy as np

        names: dict[str, str] = {}
        if people is not None:
            for pid, name, variants, native in zip(
                people["id"],
                people["name"],
                people["variants"] if "variants" in people.columns else [()] * len(people),
                people["native_name"] if "native_name" in people.columns else [""] * len(people),
                strict=True,
            ):
                words = [text_or_empty(name), *(text_or_empty(v) for v in (variants or ()))]
                words.append(text_or_empty(native))
                names[str(pid)] = " ".join(w for w in words if w)

        haystacks = []
        by_person: dict[str, list[int]] = {}
        by_source: dict[str, list[int]] = {}
        columns = zip(
            events["title"],
            events["description"],
            events["date_label"] if "date_label" in events.columns else [""] * len(events),
            events["people"],
            events["sources"],
            strict=True,
        )
        for position, (title, description, label, event_people, citations) in enumerate(columns):
            event_people = tuple(event_people or ())
            parts = [text_or_empty(title), text_or_empty(description), text_or_empty(label)]
            for pid in event_people:
                parts.append(names.get(str(pid), str(pid)))
                by_person.setdefault(str(pid), []).append(position)
            for source_id, _locator in citations or ():
                positions = by_source.setdefault(str(source_id), [])
                if not positions or positions[-1] != position:
                    positions.append(position)
            haystacks.append(fold(" \n ".join(parts)))

        self.size = len(events)
        self.haystacks = haystacks
        self.by_person = {k: np.asarray(v, dtype=np.intp) for k, v in by_person.items()}
        self.by_source = {k: np.asarray(v, dtype=np.intp) for k, v in by_source.items()}
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
            if isinstance(category, str):
                keep &= self.categories == category
            else:
                keep &= np.isin(self.categories, category)
        if _given(person):
            keep &= _positions_mask(self.by_person.get(str(person)), self.size)
        if _given(source):
            keep &= _positions_mask(self.by_source.get(str(source)), self.size)
        words = fold(text or "").split()
        if words:
            hay = self.haystacks
            keep &= np.fromiter(
                (bool(k) and all(w in hay[i] for w in words) for i, k in enumerate(keep)),
                dtype=bool,
                count=self.size,
            )
        return keep


def _given(value) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, Iterable):
        return len(list(value)) > 0
    return True


def _positions_mask(positions, size):
    import numpy as np

    keep = np.zeros(size, dtype=bool)
    if positions is not None:
        keep[positions] = True
    return keep


def filter_events(
    events,
    people=None,
    period: str | None = None,
    category: str | Iterable[str] | None = None,
    person: str | None = None,
    source: str | None = None,
    text: str | None = None,
    index: EventIndex | None = None,
):
    """Return the events matching every given criterion (``None`` or ``""`` = any).

    ``events`` and ``people`` are the typed tables. ``period`` is a collection period id
    (the event's ``period`` column), ``category`` one category or several, ``person`` a
    person id, ``source`` a source id cited by the event. ``text`` matches, case- and
    accent-insensitively, every word of it in the title, description, date label or the
    names (standard spelling, variants, native script) of the people involved. Rows keep
    their order and index. ``index`` is an :class:`EventIndex` of the same ``events``,
    passed by callers that filter the same table many times.
    """
    if index is None:
        index = EventIndex(events, people)
    keep = index.mask(period=period, category=category, person=person, source=source, text=text)
    return events.iloc[keep.nonzero()[0]]


def event_list_html(
    rows,
    source_names: dict[str, str],
    total: int,
    limit: int = MAX_LISTED,
    digest: Mapping[tuple[str, int], Any] | None = None,
) -> str:
    """HTML list of events: date, title, category, description, sources (all escaped).

    With ``digest`` (:func:`cambodia_russia.widgets.reader.digest_index` of the digest
    table), each event also lists what its cited core-text paragraphs say, one line per
    paragraph ("Mosyakov (2021), para 12: ..."), in a block the student can open.
    """
    shown = len(rows)
    count = f"{shown} of {total} events" if shown != total else f"All {total} events"
    parts = [f'<div class="cr-event-list" style="font-size:{_common.FONT_SIZE};line-height:1.45">']
    parts.append(f"<p><strong>{esc(count)}</strong></p>")
    if shown == 0:
        parts.append(
            "<p>No events match these choices. Choose &ldquo;All periods&rdquo;, another "
            "person or source, or clear the search box.</p></div>"
        )
        return "".join(parts)
    parts.append('<ul style="list-style:none;padding-left:0;margin-left:0">')
    for row in rows.head(limit).itertuples(index=False):
        notes = [f"Category: {esc(row.category)}", f"Verification: {esc(row.verification)}"]
        if _true(getattr(row, "contested", False)):
            notes.append("Contested: the sources disagree")
        parts.append(
            '<li style="margin:0 0 0.8em 0">'
            f"<strong>{esc(row.date_label)}</strong> &mdash; <strong>{esc(row.title)}</strong><br>"
            f"{esc(row.description)}<br>"
            f'<span style="font-size:0.9em">Sources: '
            f"{_common.citation_html(row.sources, source_names)} &middot; {' &middot; '.join(notes)}"
            "</span>"
            f"{reader.cited_digest_html(row.sources, source_names, digest) if digest else ''}"
            "</li>"
        )
    parts.append("</ul>")
    if shown > limit:
        parts.append(
            f"<p>The list shows the first {limit} of {shown} matching events (the chart shows "
            "them all). Choose a period, category or person to narrow it down.</p>"
        )
    parts.append("</div>")
    return "".join(parts)


def _true(value) -> bool:
    return not _common.is_missing(value) and bool(value)


def period_year_range(periods, period_id: str | None, events=None) -> tuple[int, int]:
    """Years the chart shows for a collection period (``None`` = all periods).

    An open period (no ``end_year``) and "all periods" end with the latest year in the
    data (events' ``year``/``end_year`` and the periods' own years), never with today's
    date, so the same data always gives the same chart.
    """
    collection = periods[periods["scheme"].astype(str) == "collection"]
    if len(collection) == 0:
        collection = periods
    latest = _latest_year(collection, events)
    if _given(period_id):
        match = periods[periods["id"].astype(str) == str(period_id)]
        if len(match) == 0:
            raise KeyError(f"unknown period {period_id!r}")
        row = match.iloc[0]
        start = int(row["start_year"])
        end = latest if _common.is_missing(row["end_year"]) else int(row["end_year"])
        return start, max(start, end)
    return int(collection["start_year"].min()), latest


def _latest_year(periods, events) -> int:
    years = [int(y) for y in periods["start_year"].dropna()]
    years += [int(y) for y in periods["end_year"].dropna()]
    if events is not None and len(events):
        years.append(int(events["year"].max()))
        if "end_year" in events.columns and events["end_year"].notna().any():
            years.append(int(events["end_year"].max()))
    return max(years)


# --- the widget --------------------------------------------------------------------


class TimelineExplorer(_common.LiveView):
    """Filter the timeline by period, category, person, source and words.

    ``tables`` is a :class:`cambodia_russia.tables.Tables` (default: the shipped data);
    ``period`` the collection period id shown first (default: all periods).

    Attributes kept for tests and notebooks: ``period``, ``category``, ``person``,
    ``source``, ``search`` (the controls), ``output`` (the one Output), ``box`` (controls
    and Output), ``rows`` (the matching events), ``chart`` and ``figure`` (the last chart,
    ``None`` when nothing matches), ``year_range`` (the chart's years), ``html`` (the
    event list), ``svg`` (the chart as the live view shows it).

    Speed: the lookups (people, sources, search text) are built once; the SVG and
    description of a chart already drawn for the same rows and years are reused
    (:data:`CHART_CACHE_SIZE` of them are kept; no old figures are kept, which would make
    Python's garbage collector pause); the live view is an SVG whose text the browser
    draws. The search box applies when Enter is pressed or the box is left, so typing
    does not queue up redraws.
    """

    live_note = (
        "Timeline explorer: run the notebook to filter the events by period, category, "
        "person, source or words."
    )

    def __init__(self, tables=None, period: str | None = None):
        import ipywidgets as w

        if tables is None:
            from cambodia_russia.tables import load_all

            tables = load_all()
        self.tables = tables
        events = tables.events
        self._names = _common.source_names(tables.sources)
        self._digest = reader.digest_index(tables.digest)
        self._index = EventIndex(events, tables.people)
        self._year_ranges: dict[str, tuple[int, int]] = {}
        self._updating = False
        self._chart = None
        self._key = None
        #: (years, row ids) → [alt text, SVG or None]: what the live view needs, no figures.
        self._charts: OrderedDict = OrderedDict()

        collection = tables.periods[tables.periods["scheme"].astype(str) == "collection"]
        collection = collection.sort_values(["order", "id"])
        period_options = [("All periods", ALL)] + [
            (f"{row.name} ({_common.year_range_label(row.start_year, row.end_year)})", str(row.id))
            for row in collection.itertuples(index=False)
        ]
        if period is not None and str(period) not in {v for _, v in period_options}:
            raise KeyError(f"unknown collection period {period!r}")

        used = set(events["category"].astype(str))
        category_options = [("All categories", ALL)] + [
            (str(c)[:1].upper() + str(c)[1:], str(c))
            for c in _category_order(events)
            if str(c) in used
        ]

        people = tables.people
        used_people = set(self._index.by_person)
        person_rows = sorted(
            (
                (text_or_empty(name) or str(pid), str(pid))
                for pid, name in zip(people["id"], people["name"], strict=True)
                if str(pid) in used_people
            ),
            key=lambda item: (fold(item[0]), item[1]),
        )
        person_options = [("Anyone", ALL)] + person_rows

        source_options = [("Any source", ALL)] + _source_options(
            tables.sources, set(self._index.by_source)
        )

        wide = w.Layout(width="auto", min_width="18em", max_width="32em")
        style = {"description_width": "initial"}
        self.period = w.Dropdown(
            options=period_options, value=str(period or ALL), description="Period", layout=wide, style=style
        )
        self.category = w.Dropdown(
            options=category_options, value=ALL, description="Category", layout=wide, style=style
        )
        self.person = w.Dropdown(
            options=person_options, value=ALL, description="Person", layout=wide, style=style
        )
        self.source = w.Dropdown(
            options=source_options, value=ALL, description="Source", layout=wide, style=style
        )
        self.search = w.Text(
            value="",
            placeholder="a name, a word or a year, then Enter",
            continuous_update=False,
            description="Search",
            layout=wide,
            style=style,
        )
        self.reset = w.Button(description="Show everything", icon="undo", layout=w.Layout(width="auto"))
        self.reset.style.font_size = _common.FONT_SIZE
        self.output = w.Output()
        children = [self.period, self.category, self.person, self.source, self.search, self.reset]
        for child in children:
            child.layout.margin = "0 1.5em 0.4em 0"
        controls = w.Box(
            children, layout=w.Layout(display="flex", flex_flow="row wrap", align_items="center")
        )
        self.box = w.VBox([_common.style_widget(), controls, self.output])
        self.box.add_class(_common.CSS_CLASS)

        self._redraw()
        for control in (self.period, self.category, self.person, self.source, self.search):
            control.observe(self._on_change, names="value")
        self.reset.on_click(self._on_reset)

    # -- state ----------------------------------------------------------------------

    def _redraw(self) -> None:
        """Filter, then redraw the chart and the list from the controls' current values."""
        tables = self.tables
        period = self.period.value or None
        self.rows = filter_events(
            tables.events,
            tables.people,
            period=period,
            category=self.category.value or None,
            person=self.person.value or None,
            source=self.source.value or None,
            text=self.search.value or None,
            index=self._index,
        )
        key = period or ALL
        if key not in self._year_ranges:
            self._year_ranges[key] = period_year_range(tables.periods, period, tables.events)
        self.year_range = self._year_ranges[key]
        self._chart = None
        if len(self.rows):
            self._key = (self.year_range, tuple(self.rows["id"].astype(str)))
            entry = self._charts.get(self._key)
            if entry is None:
                chart = self._draw()
                self._charts[self._key] = [chart.alt_text, None]  # SVG written when shown
                while len(self._charts) > CHART_CACHE_SIZE:
                    self._charts.popitem(last=False)
            else:
                self._charts.move_to_end(self._key)
        else:
            self._key = None
        self.html = event_list_html(
            self.rows, self._names, total=len(tables.events), digest=self._digest
        )

    def _draw(self):
        """Draw the timeline of the current rows and years (kept as the current chart)."""
        from cambodia_russia.charts.timeline import timeline_chart

        start, end = self.year_range
        chart = timeline_chart(events=self.rows, periods=self.tables.periods, start_year=start, end_year=end)
        _common.close_figure(chart.figure)
        self._chart = chart
        return chart

    @property
    def chart(self):
        """The timeline chart (figure and alt text) of the current rows; ``None`` when no
        event matches. A state shown before is served from the cache without drawing;
        its figure is drawn again only when asked for here."""
        if self._key is None:
            return None
        if self._chart is None:
            self._draw()
        return self._chart

    @property
    def figure(self):
        """The matplotlib figure of :attr:`chart` (``None`` when no event matches)."""
        chart = self.chart
        return None if chart is None else chart.figure

    @property
    def alt_text(self) -> str:
        """The chart's description ("" when no event matches), without drawing again."""
        return "" if self._key is None else self._charts[self._key][0]

    @property
    def svg(self) -> str:
        """The current chart as the live view shows it (SVG text; "" without a chart)."""
        if self._key is None:
            return ""
        entry = self._charts[self._key]
        if entry[1] is None:
            entry[1] = _common.figure_svg(self.figure, items=len(self.rows))
        return entry[1]

    def _bundles(self, static: bool = False) -> list[dict[str, str]]:
        bundles = []
        if self._key is not None:
            alt = self.alt_text
            if static:
                bundles.append(_common.png_bundle(_common.figure_png(self.figure), alt))
            else:
                bundles.append(_common.svg_bundle(self.svg, alt))
            bundles.append(_common.html_bundle(_common.alt_text_html(alt)))
        bundles.append(_common.html_bundle(self.html))
        return bundles

    def static_bundles(self) -> list[dict[str, str]]:
        """Chart (as PNG) and event list of the current state (the default one, unless
        code changed a control before displaying the explorer)."""
        return self._bundles(static=True)

    def update(self) -> None:
        """Recompute from the controls and show the result in the Output."""
        self._redraw()
        _common.set_outputs(self.output, self._bundles())
        self._live_changed()

    # -- callbacks ------------------------------------------------------------------

    def _on_change(self, change: dict[str, Any]) -> None:
        if not self._updating:
            self.update()

    def _on_reset(self, _button=None) -> None:
        self._updating = True
        try:
            self.period.value = ALL
            self.category.value = ALL
            self.person.value = ALL
            self.source.value = ALL
            self.search.value = ""
        finally:
            self._updating = False
        self.update()


def _category_order(events):
    dtype = events["category"].dtype
    categories = getattr(dtype, "categories", None)
    if categories is not None:
        return [str(c) for c in categories]
    return sorted({str(c) for c in events["category"]})


def _source_options(sources, cited: set[str]) -> list[tuple[str, str]]:
    """Dropdown choices for the cited sources: the three core texts first, then by name."""
    rows = []
    for sid, name, core in zip(sources["id"], sources["short_name"], sources["core"], strict=True):
        if str(sid) not in cited:
            continue
        is_core = not _common.is_missing(core) and bool(core)
        label = text_or_empty(name) or str(sid)
        rows.append((0 if is_core else 1, fold(label), str(sid), label))
    rows.sort()
    labels = [label for *_, label in rows]
    return [
        (label if labels.count(label) == 1 else f"{label} [{sid}]", sid)
        for _core, _key, sid, label in rows
    ]
