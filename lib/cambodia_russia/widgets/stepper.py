"""Period stepper: walk through the collection's periods one card at a time.

:func:`period_card` builds the card of one period as HTML (pure function);
:class:`PeriodStepper` adds Previous / Next buttons and a "Period 2 of 6" label.
"""

from __future__ import annotations

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, fold, text_or_empty

#: The keys, as shown under the buttons.
KEYS = "Tab to Previous or Next, then press Enter or Space."

#: At most this many events and people are shown on a card.
KEY_EVENTS = 6
KEY_PEOPLE = 6


def collection_period_ids(periods) -> list[str]:
    """Ids of the collection's periods in their order (``order``, then ``id``)."""
    rows = periods[periods["scheme"].astype(str) == "collection"]
    keyed = sorted(
        (int(order) if not _common.is_missing(order) else 10**9, str(pid))
        for pid, order in zip(rows["id"], rows["order"], strict=True)
    )
    return [pid for _, pid in keyed]


def key_events(events, period_id: str, limit: int = KEY_EVENTS):
    """Up to ``limit`` events of a period, by date, spread evenly over the period.

    When the period has more events than ``limit``, the first and the last are kept and
    the others are taken at even steps in between, so the card covers the whole period.
    """
    rows = events[events["period"].astype(str) == str(period_id)]
    if len(rows) <= limit:
        return rows
    if limit <= 1:
        return rows.iloc[:limit]
    step = (len(rows) - 1) / (limit - 1)
    positions = sorted({round(i * step) for i in range(limit)})
    return rows.iloc[positions]


def key_people(events, people, period_id: str, limit: int = KEY_PEOPLE) -> list[tuple[str, str, str]]:
    """People most often involved in a period's events: ``(id, name, role)``.

    Ordered by the number of events (most first), then by name. The role is the first
    one whose years overlap the period's events (see :func:`role_in_years`).
    """
    counts: dict[str, int] = {}
    rows = events[events["period"].astype(str) == str(period_id)]
    for event_people in rows["people"]:
        for pid in event_people or ():
            counts[str(pid)] = counts.get(str(pid), 0) + 1
    info = {
        str(pid): (text_or_empty(name) or str(pid), text_or_empty(roles))
        for pid, name, roles in zip(people["id"], people["name"], people["roles"], strict=True)
    }
    ranked = sorted(
        counts,
        key=lambda pid: (-counts[pid], fold(info.get(pid, (pid, ""))[0]), pid),
    )
    years = _event_years(rows)
    result = []
    for pid in ranked[:limit]:
        name, roles = info.get(pid, (pid, ""))
        result.append((pid, name, role_in_years(roles, *years)))
    return result


def _event_years(events) -> tuple[int, int]:
    """First and last year the events cover."""
    if len(events) == 0:
        return (0, 9999)
    return int(events["start"].min().year), int(events["end"].max().year)


def role_in_years(roles: str, start: int, end: int) -> str:
    """The person's role (one of the ``;``-separated ``roles``) that best fits ``start``–``end``.

    Years are read from the role text: "(1985–2023)", "(1993)", "(from 1979)" (open: it
    lasts until the next role listed after it starts, or to ``end``). The role overlapping
    the most years wins; on a tie a closed range beats an open one, then the earlier role
    in the list. With no overlap, the first role without years, else the first role.
    """
    import re

    parts = [p.strip() for p in roles.split(";") if p.strip()]
    years = [[int(y) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", part)] for part in parts]
    best = None
    for index, part in enumerate(parts):
        found = years[index]
        if not found:
            continue
        first, last = found[0], found[-1]
        is_open = len(found) == 1 and re.search(r"\b(from|since)\s+\d{4}", part) is not None
        if is_open:
            later = [y[0] for y in years[index + 1 :] if y and y[0] > first]
            last = min(later) - 1 if later else max(end, first)
        overlap = min(last, end) - max(first, start) + 1
        if overlap <= 0:
            continue
        key = (overlap, not is_open, -index)
        if best is None or key > best[0]:
            best = (key, part)
    if best is not None:
        return best[1]
    without_years = [p for p in parts if not re.search(r"\b(1[89]\d\d|20\d\d)\b", p)]
    if without_years:
        return without_years[0]
    return parts[0] if parts else ""


def period_card(tables, period_id: str) -> str:
    """HTML card of one period: name, years, summary, the events that open and close it,
    a few key events by date, the people most involved, and the sources. All data text
    is escaped.

    ``tables`` is a :class:`cambodia_russia.tables.Tables`; raises ``KeyError`` for an
    unknown ``period_id``.
    """
    periods = tables.periods
    match = periods[periods["id"].astype(str) == str(period_id)]
    if len(match) == 0:
        raise KeyError(f"unknown period {period_id!r}")
    period = match.iloc[0]
    names = _common.source_names(tables.sources)
    years = _common.year_range_label(period["start_year"], period["end_year"])
    colour = _period_colour(periods, str(period_id))

    parts = [
        f'<div class="cr-period-card" style="font-size:{_common.FONT_SIZE};line-height:1.5;'
        f"border-left:0.5em solid {colour};padding:0.2em 0 0.2em 1em;max-width:60em\">",
        f'<h3 style="margin-top:0.2em">{esc(period["name"])} ({esc(years)})</h3>',
        f"<p>{esc(period['summary'])}</p>",
        "<dl>",
    ]
    events = tables.events
    opens = _event_text(events, text_or_empty(period.get("opens_with")))
    closes = _event_text(events, text_or_empty(period.get("closes_with")))
    if opens:
        parts.append(f"<dt><strong>Opens with</strong></dt><dd>{opens}</dd>")
    if closes:
        parts.append(f"<dt><strong>Closes with</strong></dt><dd>{closes}</dd>")
    elif _common.is_missing(period["end_year"]):
        parts.append("<dt><strong>Closes with</strong></dt><dd>Still open: this period reaches today.</dd>")
    parts.append("</dl>")

    all_rows = events[events["period"].astype(str) == str(period_id)]
    chosen = key_events(events, period_id)
    if len(chosen):
        heading = "Key events" if len(chosen) == len(all_rows) else (
            f"Key events ({len(chosen)} of {len(all_rows)}; the timeline explorer lists them all)"
        )
        parts.append(f"<h4>{esc(heading)}</h4><ul>")
        for row in chosen.itertuples(index=False):
            parts.append(
                f"<li><strong>{esc(row.date_label)}</strong> &mdash; {esc(row.title)} "
                f'<span style="font-size:0.9em">({_common.citation_html(row.sources, names)})</span></li>'
            )
        parts.append("</ul>")

    people = key_people(events, tables.people, period_id)
    if people:
        parts.append("<h4>Key people</h4><ul>")
        for _pid, name, role in people:
            role_html = f" &mdash; {esc(role)}" if role else ""
            parts.append(f"<li><strong>{esc(name)}</strong>{role_html}</li>")
        parts.append("</ul>")

    parts.append(
        f"<p><strong>Sources for this card:</strong> {_common.citation_html(period['sources'], names)}</p>"
    )
    notebook = text_or_empty(period.get("notebook"))
    if notebook:
        parts.append(
            f'<p>Lesson notebook: <a href="{esc(notebook)}.ipynb" style="{_common.LINK_STYLE}">'
            f"{esc(notebook)}.ipynb</a></p>"
        )
    parts.append("</div>")
    return "".join(parts)


def _event_text(events, event_id: str) -> str:
    """Escaped "date — title" of an event id (``opens_with``/``closes_with``); "" if empty."""
    if not event_id:
        return ""
    match = events[events["id"].astype(str) == event_id]
    if len(match) == 0:
        return esc(event_id)
    row = match.iloc[0]
    return f"{esc(row['date_label'])} &mdash; {esc(row['title'])}"


def _period_colour(periods, period_id: str) -> str:
    from cambodia_russia import style

    try:
        return style.period_color(period_id, periods)
    except KeyError:
        return style.NEUTRAL


class PeriodStepper(_common.LiveView):
    """Step through the collection's periods with Previous / Next buttons.

    ``tables`` defaults to the shipped data; ``start`` is the id of the first period shown
    (default: the earliest). Attributes for tests: ``period_ids`` (in order), ``index``
    (0-based), ``period_id``, ``html`` (the card shown), ``previous``/``next`` (buttons),
    ``label`` ("Period 2 of 6"), ``output``, ``box``.
    """

    live_note = "Period stepper: run the notebook to step through the periods with Previous and Next."

    def __init__(self, tables=None, start: str | None = None):
        import ipywidgets as w

        if tables is None:
            from cambodia_russia.tables import load_all

            tables = load_all()
        self.tables = tables
        self.period_ids = collection_period_ids(tables.periods)
        if not self.period_ids:
            raise ValueError("the periods table has no collection periods")
        if start is None:
            index = 0
        elif str(start) in self.period_ids:
            index = self.period_ids.index(str(start))
        else:
            raise KeyError(f"unknown collection period {start!r}")
        self._cards: dict[str, str] = {}

        button = w.Layout(width="auto", min_width="9em")
        self.previous = w.Button(description="Previous", icon="arrow-left", layout=button)
        self.next = w.Button(description="Next", icon="arrow-right", layout=button)
        for b in (self.previous, self.next):
            b.style.font_size = _common.FONT_SIZE
        self.label = w.Label(value="")
        self.label.style.font_size = _common.FONT_SIZE
        self.label.style.font_weight = "bold"
        self.label.add_class(_common.LIVE_CLASS)  # "Period 3 of 6" is announced
        self.output = w.Output()
        self.label.layout.margin = "0 1em"
        bar = w.HBox([self.previous, self.label, self.next], layout=w.Layout(align_items="center"))
        keys = w.HTML(_common.keys_html(KEYS))
        self.box = w.VBox([_common.style_widget(), bar, keys, self.output])
        self.box.add_class(_common.CSS_CLASS)
        self._go(index)
        self.previous.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))

    def _go(self, index: int) -> None:
        self.index = index
        self.period_id = self.period_ids[index]
        if self.period_id not in self._cards:
            self._cards[self.period_id] = period_card(self.tables, self.period_id)
        self.html = self._cards[self.period_id]
        total = len(self.period_ids)
        self.label.value = f"Period {index + 1} of {total}"
        self.previous.disabled = index == 0
        self.next.disabled = index == total - 1

    def step(self, delta: int) -> None:
        """Move ``delta`` periods forward (negative: back), staying within the periods.

        A button that becomes disabled would drop the keyboard focus to the page: at the
        last period focus moves to Previous, at the first to Next.
        """
        index = min(max(self.index + delta, 0), len(self.period_ids) - 1)
        if index == self.index:
            return
        self._go(index)
        if delta > 0 and self.next.disabled:
            self.previous.focus()
        elif delta < 0 and self.previous.disabled:
            self.next.focus()
        _common.set_outputs(self.output, [_common.html_bundle(self.html)])
        self._live_changed()

    def live_bundles(self) -> list[dict[str, str]]:
        """The card (its position is in the bar above it)."""
        return [_common.html_bundle(self.html)]

    def static_bundles(self) -> list[dict[str, str]]:
        """The card of the current period, with its position ("Period 1 of 6")."""
        position = f'<p style="font-size:{_common.FONT_SIZE}"><strong>{esc(self.label.value)}</strong></p>'
        return [_common.html_bundle(position + self.html)]
