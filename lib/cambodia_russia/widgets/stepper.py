"""Period stepper: the collection's periods one card at a time (:func:`period_card`, pure),
with Previous / Next and a "Period 2 of 6" label (:class:`PeriodStepper`)."""

from __future__ import annotations

import functools
import re
from collections import Counter

from cambodia_russia import style
from cambodia_russia.charts.base import is_missing, year_range
from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import FONT_SIZE, esc, fold, make, text_or_empty

KEYS = "Tab to Previous or Next, then press Enter or Space."
KEY_EVENTS = KEY_PEOPLE = 6  # at most this many of each on a card
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def key_events(events, period_id: str, limit: int = KEY_EVENTS):
    """Up to ``limit`` events of a period by date: the first, the last and others at even
    steps between, so the card covers the whole period."""
    rows = events[events["period"].astype(str) == str(period_id)]
    if len(rows) <= limit or limit <= 1:
        return rows.iloc[:limit]
    step = (len(rows) - 1) / (limit - 1)
    return rows.iloc[sorted({round(i * step) for i in range(limit)})]


def key_people(events, people, period_id: str, limit: int = KEY_PEOPLE):
    """``(id, name, role)`` of the people in most of a period's events (then by name), with
    the role that fits the period's years (:func:`role_in_years`)."""
    rows = events[events["period"].astype(str) == str(period_id)]
    counts = Counter(str(pid) for ids in rows["people"] for pid in ids or ())
    info = {
        str(pid): (text_or_empty(name) or str(pid), text_or_empty(roles))
        for pid, name, roles in zip(people["id"], people["name"], people["roles"], strict=True)
    }
    found = sorted(
        ((pid, *info.get(pid, (pid, ""))) for pid in counts),
        key=lambda p: (-counts[p[0]], fold(p[1]), p[0]),
    )
    years = (rows["start"].min().year, rows["end"].max().year) if len(rows) else (0, 9999)
    return [(pid, name, role_in_years(roles, *years)) for pid, name, roles in found[:limit]]


def role_in_years(roles: str, start: int, end: int) -> str:
    """The one of the ``;``-separated ``roles`` that best fits ``start``–``end``: most years
    of overlap (a role "from 1979" lasts until the next role starts, or ``end``), then a closed
    range, then the earlier role; with no overlap, the first role without years, or the first."""
    parts = [p.strip() for p in roles.split(";") if p.strip()]
    years = [[int(y) for y in _YEAR.findall(part)] for part in parts]
    fits = []
    for index, (part, found) in enumerate(zip(parts, years, strict=True)):
        if not found:
            continue
        first, last = found[0], found[-1]
        is_open = len(found) == 1 and bool(re.search(r"\b(from|since)\s+\d{4}", part))
        if is_open:
            later = [y[0] for y in years[index + 1 :] if y and y[0] > first]
            last = min(later) - 1 if later else max(end, first)
        overlap = min(last, end) - max(first, start) + 1
        if overlap > 0:
            fits.append(((overlap, not is_open, -index), part))
    if fits:
        return max(fits)[1]
    no_years = [part for part, found in zip(parts, years, strict=True) if not found]
    return (no_years or parts or [""])[0]


def _event_text(events, event_id: str) -> str:
    """Escaped "date — title" of an event id (``opens_with``/``closes_with``); "" if empty."""
    if not event_id:
        return ""
    row = events[events["id"].astype(str) == event_id].iloc[0]
    return f"{esc(row['date_label'])} &mdash; {esc(row['title'])}"


def period_card(tables, period_id: str) -> str:
    """The card of one period: name, years, summary, the events that open and close it, key
    events, key people and sources. Escaped. ``KeyError`` for an unknown period."""
    periods, events = tables.periods, tables.events
    period = _common.row_by_id(periods, period_id, "period")
    names = _common.source_names(tables.sources)
    years = year_range(period["start_year"], period["end_year"])
    parts = [
        f'<div class="cr-period-card" style="font-size:{FONT_SIZE};line-height:1.5;'
        f"border-left:0.5em solid {style.period_color(str(period_id), periods)};"
        'padding:0.2em 0 0.2em 1em;max-width:60em">',
        f'<h3 style="margin-top:0.2em">{esc(period["name"])} ({esc(years)})</h3>',
        f"<p>{esc(period['summary'])}</p><dl>",
    ]
    opens = _event_text(events, text_or_empty(period.get("opens_with")))
    closes = _event_text(events, text_or_empty(period.get("closes_with")))
    if not closes and is_missing(period["end_year"]):
        closes = "Still open: this period reaches today."
    for label, text in (("Opens with", opens), ("Closes with", closes)):
        if text:
            parts.append(f"<dt><strong>{label}</strong></dt><dd>{text}</dd>")
    parts.append("</dl>")
    rows = events[events["period"].astype(str) == str(period_id)]
    chosen, total = key_events(rows, period_id), len(rows)
    if len(chosen):
        heading = "Key events"
        if len(chosen) < total:
            heading += f" ({len(chosen)} of {total}; the timeline explorer lists them all)"
        parts.append(f"<h4>{esc(heading)}</h4><ul>")
        for row in chosen.itertuples(index=False):
            cited = _common.citation_html(row.sources, names)
            parts.append(
                f"<li><strong>{esc(row.date_label)}</strong> &mdash; {esc(row.title)} "
                f'<span style="font-size:0.9em">({cited})</span></li>'
            )
        parts.append("</ul>")
    people = key_people(rows, tables.people, period_id)
    if people:
        parts.append("<h4>Key people</h4><ul>")
        for _pid, name, role in people:
            parts.append(
                f"<li><strong>{esc(name)}</strong>{' &mdash; ' if role else ''}{esc(role)}</li>"
            )
        parts.append("</ul>")
    sources = _common.citation_html(period["sources"], names)
    parts.append(f"<p><strong>Sources for this card:</strong> {sources}</p>")
    notebook = esc(text_or_empty(period.get("notebook")))
    if notebook:
        link = f'<a href="{notebook}.ipynb" style="{_common.LINK_STYLE}">{notebook}.ipynb</a>'
        parts.append(f"<p>Lesson notebook: {link}</p>")
    return "".join(parts) + "</div>"


class PeriodStepper(_common.LiveView):
    """Step through the collection's periods from ``start`` (default: the first) with
    ``previous`` and ``next``; ``label`` says "Period 2 of 6", ``html`` is the card."""

    live_note = (
        "Period stepper: run the notebook to step through the periods with Previous and Next."
    )

    def __init__(self, tables=None, start: str | None = None):
        import ipywidgets as w

        from cambodia_russia.tables import ensure_tables

        self.tables = tables = ensure_tables(tables)
        self.period_ids = style.period_order(tables.periods, "collection")
        if not self.period_ids:
            raise ValueError("the periods table has no collection periods")
        if start is not None and str(start) not in self.period_ids:
            raise KeyError(f"unknown collection period {start!r}")
        self._card = functools.cache(functools.partial(period_card, tables))
        button = ({"width": "auto", "min_width": "9em"}, {"font_size": FONT_SIZE})
        self.previous = make(w.Button, *button, description="Previous", icon="arrow-left")
        self.next = make(w.Button, *button, description="Next", icon="arrow-right")
        bold = {"font_size": FONT_SIZE, "font_weight": "bold"}
        self.label = make(w.Label, {"margin": "0 1em"}, bold)
        self.label.add_class(_common.LIVE_CLASS)  # "Period 3 of 6" is announced
        self.output = make(w.Output)
        bar = make(
            w.HBox, {"align_items": "center"}, children=[self.previous, self.label, self.next]
        )
        self.box = _common.widget_box(w, bar, _common.keys_line(w, KEYS), self.output)
        self._go(0 if start is None else self.period_ids.index(str(start)))
        self.previous.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))

    def _go(self, index: int) -> None:
        self.index, self.period_id = index, self.period_ids[index]
        self.html = self._card(self.period_id)
        self.label.value = f"Period {index + 1} of {len(self.period_ids)}"
        self.previous.disabled = index == 0
        self.next.disabled = index == len(self.period_ids) - 1

    def step(self, delta: int) -> None:
        """Move ``delta`` periods (negative: back). Focus leaves a button that becomes
        disabled for the other one (it would drop to the page)."""
        index = min(max(self.index + delta, 0), len(self.period_ids) - 1)
        if index == self.index:
            return
        self._go(index)
        if delta > 0 and self.next.disabled:
            self.previous.focus()
        elif delta < 0 and self.previous.disabled:
            self.next.focus()
        self._update(self.live_bundles())

    def live_bundles(self) -> list[dict[str, str]]:
        return [_common.html_bundle(self.html)]

    def static_bundles(self) -> list[dict[str, str]]:
        """The card of the current period, with its position ("Period 1 of 6")."""
        position = f'<p style="font-size:{FONT_SIZE}"><strong>{esc(self.label.value)}</strong></p>'
        return [_common.html_bundle(position + self.html)]
