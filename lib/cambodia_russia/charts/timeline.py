"""Timeline of events: period bands behind, events as labelled markers in lanes.

Dates are never drawn with a false precision: an event dated to the day is a marker at
that day, one dated to a month a marker in the middle of the month; an event known only
to the year (or approximately, "c. 1956", dashed), and one lasting several days or
years, is a box over every day it may cover, with the category marker inside.

Labels sit in lanes, each tall enough for two lines. A label is the event's whole title,
wrapped on word boundaries, never cut. Key events (those that open or close a period,
``opens_with`` / ``closes_with``) are labelled first, then contested events, then the
others, in date order; each takes the first lane where its marker and label fit. Widths
come from the font's character widths (no renderer round trips). Events without room keep
their marker; the footnote and description say how many are labelled.

:class:`Timeline` keeps one figure and draws each selection into it again (the explorer
keeps one); :func:`timeline_chart` is a new Timeline drawn once.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import html
import textwrap
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import style
from .base import (
    Chart,
    add_footnote,
    as_int,
    categories_of,
    draw_message,
    join_words,
    mark_drawn,
    plural,
    points_to_px,
    require,
    text,
    text_width_px,
    wrap,
    year_range,
)
from .readable import readable_figure, whole_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["BAND_LIGHTNESS", "Timeline", "select_events", "timeline_chart"]

_LABEL_SIZE = style.BASE_FONT_SIZE
_MARKER_SIZE = 11.0  # points
_LANE_PX = 46.0  # one labelled lane: two lines of 14 pt text are 43 px tall
_ONE_LINE_PX = 220.0  # labels up to this wide stay on one line
_COMPACT_PX = 24.0  # one row of unlabelled events
_HEADER_PX = 62.0  # period names above the lanes
_GAP_PX = 12.0  # between two labelled items in one lane
_PAD_PX = 7.0  # between a marker and its label
_COMPACT_LANES = 2  # rows for unlabelled events when labels do not all fit
BAND_LIGHTNESS = 0.78  #: period colours mixed with white for the bands
BOX_LIGHTNESS = 0.65  #: category colours mixed with white inside boxes
_HEIGHT_IN = 8.0
_AXES_RECT = (0.025, 0.235, 0.95, 0.635)  # left, bottom, width, height (figure fractions)
_LEGEND_TOP = 0.185
#: The columns of the events table that a drawing shows or uses.
_DRAWN_COLUMNS = (
    "id",
    "title",
    "start",
    "end",
    "precision",
    "approximate",
    "end_year",
    "category",
    "contested",
    "period",
)


def _period_table(periods: pd.DataFrame) -> list[dict[str, Any]]:
    """Collection periods in order: id, name, years, colour and key event ids."""
    colors = style.period_colors(periods, "collection")
    rows = periods.set_index(periods["id"].astype(str))
    result = []
    for pid in style.period_order(periods, "collection"):
        row = rows.loc[pid]
        keys = {text(row.get("opens_with")), text(row.get("closes_with"))} - {""}
        result.append(
            {
                "id": pid,
                "name": text(row["name"]) or pid,
                "start_year": as_int(row["start_year"]),
                "end_year": as_int(row["end_year"]),
                "color": colors[pid],
                "key_events": keys,
            }
        )
    return result


def select_events(
    events: pd.DataFrame,
    start_year: int | None = None,
    end_year: int | None = None,
    categories: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The events drawn by :func:`timeline_chart`, in date order (a new frame).

    Keeps events whose dates touch ``start_year``..``end_year`` (inclusive) and whose
    category is one of ``categories`` (a name or a list; None = all). Raises
    ``ValueError`` for an unknown category or an empty year range.
    """
    import pandas as pd

    if start_year is not None and end_year is not None and start_year > end_year:
        raise ValueError(f"start_year {start_year} is after end_year {end_year}")
    mask = pd.Series(True, index=events.index)
    if categories is not None:
        wanted = [categories] if isinstance(categories, str) else [str(c) for c in categories]
        known = set(categories_of(events["category"])) | set(style.CATEGORY_STYLES)
        unknown = [c for c in wanted if c not in known]
        if unknown:
            raise ValueError(f"unknown event categories {unknown}; known: {sorted(known)}")
        mask &= events["category"].astype(str).isin(wanted)
    if start_year is not None:
        mask &= events["end"] >= pd.Timestamp(int(start_year), 1, 1)
    if end_year is not None:
        mask &= events["start"] <= pd.Timestamp(int(end_year), 12, 31)
    return events.loc[mask].sort_values(["start", "id"], kind="stable")


def _wrap_label(label: str) -> tuple[str, float]:
    """The whole label on one line (up to :data:`_ONE_LINE_PX`) or in the narrowest two
    lines, and its width in pixels. Nothing is cut."""
    clean = " ".join(label.split())
    best = clean
    if text_width_px(clean, _LABEL_SIZE) > _ONE_LINE_PX:
        for width in range(max(1, (len(clean) + 1) // 2), len(clean)):
            lines = textwrap.wrap(
                clean, width=width, break_long_words=False, break_on_hyphens=False
            )
            if len(lines) <= 2:
                best = "\n".join(lines)
                break
    return best, max(text_width_px(line, _LABEL_SIZE) for line in best.split("\n"))


class _Lanes:
    """Occupied stretches (sorted, disjoint) of each lane, in pixels."""

    def __init__(self, count: int, width: float):
        self.starts: list[list[float]] = [[] for _ in range(count)]
        self.ends: list[list[float]] = [[] for _ in range(count)]
        self.width = width
        self.widest = width  # the widest free stretch of any lane

    def free(self, left: float, right: float, gap: float) -> int | None:
        if right - left + gap > self.widest:
            return None
        for k, starts in enumerate(self.starts):
            i = bisect.bisect_left(starts, left)
            if (not i or self.ends[k][i - 1] + gap <= left) and (
                i == len(starts) or right + gap <= starts[i]
            ):
                return k
        return None

    def take(self, k: int, left: float, right: float) -> None:
        i = bisect.bisect_left(self.starts[k], left)
        self.starts[k].insert(i, left)
        self.ends[k].insert(i, right)
        self.widest = max(
            max(b - a for a, b in zip([0.0, *ends], [*starts, self.width], strict=False))
            for starts, ends in zip(self.starts, self.ends, strict=False)
        )


def _assign_lanes(
    geometry, labels, label_lanes: int, width: float, priority, compact_lanes: int = 0
):
    """Give every event a lane so that no two labels or marks in one lane touch.

    ``geometry`` is (left, right, marker right, is_span) in pixels per event, ``labels``
    (one-line text, one-line width, wrapped text, wrapped width) per event. Labels first,
    in ``priority`` order: inside a box wide enough, right of the item, else left of it.
    Then the unlabelled events, left to right, go into any lane where their marker alone
    fits, the rest into ``compact_lanes`` rows below (marks may overlap there).
    Returns (lanes, label per event as (x, text, ha) or None, overflow).
    """
    import numpy as np

    left, right, mark_r, is_span = geometry
    n = len(left)
    lanes, placed = [0] * n, [None] * n
    room = _Lanes(label_lanes, width)
    narrowest = min((lab[3] for lab in labels), default=0.0)
    for i in priority:
        if room.widest < narrowest:
            break  # no label fits anywhere any more
        lo, hi = max(left[i], 0.0), min(right[i], width)
        one, one_w, wrapped, w = labels[i]
        candidates = []
        if is_span[i] and hi - mark_r[i] - 2 * _PAD_PX >= one_w + 2.0:
            candidates.append((mark_r[i] + _PAD_PX, lo, hi, "left", one))
        if hi + _PAD_PX + w + 2.0 <= width - 2.0:
            candidates.append((hi + _PAD_PX, lo, hi + _PAD_PX + w + 2.0, "left", wrapped))
        if lo - _PAD_PX - w - 2.0 >= 2.0:
            candidates.append((lo - _PAD_PX, lo - _PAD_PX - w - 2.0, hi, "right", wrapped))
        for x, occ_l, occ_r, ha, label in candidates:
            k = room.free(occ_l, occ_r, _GAP_PX)
            if k is not None:
                lanes[i], placed[i] = k, (x, label, ha)
                room.take(k, occ_l, occ_r)
                break
    # Unlabelled events, lane by lane, left to right (first fit, as one pass would do).
    waiting = sorted((i for i in range(n) if placed[i] is None), key=lambda i: (left[i], i))
    lo_all = np.maximum(np.asarray(left, float), 0.0)
    hi_all = np.minimum(np.asarray(right, float), width)
    for k in range(label_lanes):
        if not waiting:
            break
        starts, ends = np.asarray(room.starts[k]), np.asarray(room.ends[k])
        idx = np.asarray(waiting)
        j = np.searchsorted(starts, hi_all[idx] + 4.0) - 1
        clear = (
            (j < 0) | (ends[np.maximum(j, 0)] + 4.0 <= lo_all[idx])
            if len(starts)
            else np.ones(len(idx), bool)
        )
        reach, rest = -1e12, []
        for i, ok in zip(waiting, clear.tolist(), strict=False):
            if ok and lo_all[i] >= reach + 4.0:
                lanes[i] = k
                reach = max(reach, hi_all[i])
            else:
                rest.append(i)
        waiting = rest
    ends = [-1e12] * max(compact_lanes, 1)
    for i in waiting:
        free = [k for k, end in enumerate(ends) if end + 4.0 <= lo_all[i]]
        k = free[0] if free else min(range(len(ends)), key=ends.__getitem__)
        lanes[i] = label_lanes + k
        ends[k] = max(ends[k], hi_all[i])
    return lanes, placed, bool(waiting)


def _title(
    n, per_period: Counter, per_category: Counter, periods: dict, first: int, last: int
) -> str:
    """A sentence stating what the selection shows, computed from counts."""
    # Compare periods only when no period holds 60 % of the selection.
    if len(per_period) > 1 and max(per_period.values()) * 5 < n * 3:
        leaders, top = _leaders(per_period, periods)
        spans = [
            year_range(periods[p]["start_year"], periods[p]["end_year"]) if p in periods else p
            for p in leaders
        ]
        if len(leaders) > 1:
            return f"{join_words(spans)} have the most events in the collection ({top} each of {n})"
        leader = periods.get(leaders[0])
        named = f"{leader['name']} ({spans[0]})" if leader else spans[0]
        named = spans[0] if len(named) > 48 else named
        if top * 2 > n:
            return f"Most events in the collection ({top} of {n}) fall in {named}"
        return f"{named} has the most events in the collection: {top} of {n}"
    span = year_range(first, last)
    category, count = per_category.most_common(1)[0]
    if n == 1:
        return f"One event of {span} in this selection, about {category}"
    if count == n:
        return f"All {plural(n, 'event')} of {span} in this selection concern {category}"
    if count * 2 > n:
        return f"Most events of {span} in this selection ({count} of {n}) concern {category}"
    return f"{category.capitalize()} is the most frequent kind of event in {span}: {count} of {n}"


def _leaders(per_period: Counter, periods: dict) -> tuple[list[str], int]:
    """The periods with the most events (chronological among ties) and their count."""
    top = max(per_period.values())
    order = list(periods)
    leaders = [p for p, c in per_period.items() if c == top]
    return sorted(leaders, key=lambda p: order.index(p) if p in order else len(order)), top


def _alt_text(
    n, first, last, per_category: Counter, categories, per_period: Counter, periods: dict
) -> str:
    parts = [f"{per_category[c]} {c}" for c in categories if per_category.get(c)]
    span = f"in {first}" if first == last else f"from {first} to {last}"
    sentence = f"Timeline of {plural(n, 'event')} {span}: {join_words(parts)}."
    leaders, top = _leaders(per_period, periods)
    names = [
        f"{periods[p]['name']} ({year_range(periods[p]['start_year'], periods[p]['end_year'])})"
        if p in periods
        else p
        for p in leaders
    ]
    if len(per_period) == 1:
        return sentence + f" All of them belong to the period {names[0]}."
    if len(leaders) == 1:
        return sentence + f" The period with the most events is {names[0]}, with {top}."
    return sentence + f" The periods with the most events are {join_words(names)}, with {top} each."


class Timeline:
    """One timeline figure, drawn again in place for every selection.

    The figure, its axes, ticks and formatter are made once; :meth:`draw` replaces only
    what a selection changes (bands, boxes, markers, labels, legend, title, footnote).
    The period table and each event's wrapped label (they depend only on the data) are
    computed once per Timeline. Each draw also writes the same picture as SVG
    (:meth:`svg`) straight from the positions it computed, for the live views: asking
    matplotlib to write an SVG measures every text again with the font engine (about
    1.5 ms per label with matplotlib 3.11), which is most of the cost of a redraw.
    """

    def __init__(self, periods: pd.DataFrame):
        with style.apply_style():
            self.figure = readable_figure("wide", height=_HEIGHT_IN)
            self.ax = self.figure.add_axes(_AXES_RECT)
        self.periods = _period_table(periods)
        self.by_id = {p["id"]: p for p in self.periods}
        self.key_ids = set().union(*(p["key_events"] for p in self.periods))
        self._periods_key = repr(
            [{**p, "key_events": sorted(p["key_events"])} for p in self.periods]
        )
        self.width_px = _AXES_RECT[2] * self.figure.get_figwidth() * self.figure.dpi
        self.height_px = _AXES_RECT[3] * self.figure.get_figheight() * self.figure.dpi
        self._labels: dict[str, tuple[str, float, str, float]] = {}
        self._drawn: list[Any] = []
        self._svg: list[str] = []
        self._shapes: dict[str, str] = {}  # marker -> SVG path
        self._fig_w = self.figure.get_figwidth() * self.figure.dpi
        self._fig_h = self.figure.get_figheight() * self.figure.dpi
        self._left = _AXES_RECT[0] * self._fig_w
        self._top = (1.0 - _AXES_RECT[1] - _AXES_RECT[3]) * self._fig_h

    def svg(self) -> str:
        """The last drawing as SVG text (text as text, the browser draws the letters)."""
        w, h = round(self._fig_w), round(self._fig_h)
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'font-family="DejaVu Sans, Verdana, sans-serif" fill="{style.TEXT_COLOR}">'
            f'<rect width="{w}" height="{h}" fill="#ffffff"/>{"".join(self._svg)}</svg>'
        )

    def _text(
        self, x, y, label, size, anchor="middle", bold=False, spacing=1.2, va="center", color=None
    ) -> None:
        """Add a text to the SVG: ``x``, ``y`` in figure pixels, ``va`` center/top/bottom."""
        lines = label.split("\n")
        px = size * self.figure.dpi / 72.0
        pitch = px * spacing * 1.05
        block = pitch * (len(lines) - 1) + px
        top = {"center": y - block / 2, "top": y, "bottom": y - block}[va]
        tspans = "".join(
            f'<tspan x="{x:.1f}" y="{top + 0.8 * px + k * pitch:.1f}">{html.escape(line)}</tspan>'
            for k, line in enumerate(lines)
        )
        weight = ' font-weight="bold"' if bold else ""
        fill = f' fill="{color}"' if color else ""
        self._svg.append(
            f'<text font-size="{px:.1f}" text-anchor="{anchor}"{weight}{fill}>{tspans}</text>'
        )

    def _axes_text(
        self, x_px, y_px, label, size, ha="center", bold=False, spacing=1.2, **kw
    ) -> None:
        """A text on the axes (x, y in pixels from the axes' top left corner), also in the SVG."""
        self._add(
            self.ax.text(
                self._x_lo + x_px / self._ppd,
                y_px,
                label,
                ha=ha,
                va="center",
                fontsize=size,
                fontweight="bold" if bold else "normal",
                linespacing=spacing,
                color=style.TEXT_COLOR,
                **kw,
            )
        )
        anchor = {"left": "start", "right": "end"}.get(ha, "middle")
        self._text(self._left + x_px, self._top + y_px, label, size, anchor, bold, spacing)

    def _rect(self, x0, y0, x1, y1, fill, stroke="none", dashed=False) -> None:
        dash = ' stroke-dasharray="6,3"' if dashed else ""
        self._svg.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{max(x1 - x0, 0.0):.1f}" height="{y1 - y0:.1f}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2.2"{dash}/>'
        )

    def _line(self, x0, y0, x1, y1, color, width=1.1, dotted=False) -> None:
        dash = ' stroke-dasharray="1.5,2.5"' if dotted else ""
        self._svg.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{color}" '
            f'stroke-width="{width}"{dash}/>'
        )

    def _marker(self, key: str, marker: str, color: str) -> str:
        """Define a category's marker shape in the SVG; returns its id."""
        from matplotlib.markers import MarkerStyle

        d = self._shapes.get(marker)
        if d is None:
            shape = MarkerStyle(marker)
            path = shape.get_path().transformed(
                shape.get_transform().scale(_MARKER_SIZE * self.figure.dpi / 72.0)
            )
            d = self._shapes[marker] = "".join(
                "M" + "L".join(f"{x:.2f},{-y:.2f}" for x, y in poly) + "Z"
                for poly in path.to_polygons()
            )
        self._svg.append(
            f'<defs><path id="{key}" d="{d}" fill="{color}" stroke="{style.TEXT_COLOR}" '
            'stroke-width="1.1"/></defs>'
        )
        return key

    def _label(self, label: str) -> tuple[str, float, str, float]:
        found = self._labels.get(label)
        if found is None:
            one = " ".join(label.split())
            found = self._labels[label] = (
                one,
                text_width_px(one, _LABEL_SIZE),
                *_wrap_label(label),
            )
        return found

    def _add(self, artist):
        self._drawn.append(artist)
        return artist

    def draw(
        self, events, start_year=None, end_year=None, categories=None, title=None, selected=None
    ) -> Chart:
        """Draw ``events`` (see :func:`timeline_chart`) into this figure; returns the Chart.
        ``selected`` (the events already chosen and in date order) skips the selection."""
        with style.apply_style():
            for artist in self._drawn:
                artist.remove()
            self._drawn.clear()
            self._svg.clear()
            if selected is None:
                selected = select_events(events, start_year, end_year, categories)
            chart = self._draw(events, start_year, end_year, categories, title, selected)
        mark_drawn(
            self.figure, self._drawn_key(events, start_year, end_year, categories, title, selected)
        )
        return chart

    def _drawn_key(self, events, start_year, end_year, categories, title, selected) -> str:
        """A digest of everything the drawing depends on: the drawn columns of the selected
        events (in order), the arguments, the axis range and period bands drawn, the periods
        and the figure's size; not the whole table, so a chart of one period's events shares
        its PNG with the explorer's chart of that period (:func:`.base.mark_drawn`)."""
        import hashlib

        import pandas as pd

        columns = [c for c in _DRAWN_COLUMNS if c in selected.columns]
        rows = pd.util.hash_pandas_object(selected[columns], index=False).to_numpy()
        if categories is not None and not isinstance(categories, str):
            categories = tuple(str(c) for c in categories)
        context = (
            columns,
            start_year,
            end_year,
            categories,
            title,
            categories_of(events["category"]),
            self._x_lo,
            self._ppd,
            self._bands,
            self._periods_key,
            tuple(self.figure.get_size_inches()),
            self.figure.dpi,
        )
        digest = hashlib.blake2b(repr(context).encode(), digest_size=20)
        digest.update(rows.tobytes())
        return digest.hexdigest()

    def _draw(self, events, start_year, end_year, categories, title, selected) -> Chart:
        import matplotlib.dates as mdates
        import numpy as np
        from matplotlib.collections import PolyCollection
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch, Rectangle

        figure, ax = self.figure, self.ax
        if selected is None:
            selected = select_events(events, start_year, end_year, categories)
        n = len(selected)
        # An open period ends with the latest year in the events, not the clock's.
        current_year = int(events["end"].max().year) if len(events) else _dt.date.today().year
        first_year = (
            int(start_year)
            if start_year is not None
            else (int(selected["start"].min().year) if n else current_year)
        )
        last_year = (
            int(end_year)
            if end_year is not None
            else (int(selected["end"].max().year) if n else current_year)
        )
        last_year = max(last_year, first_year)
        x_lo = mdates.date2num(np.datetime64(f"{first_year:04d}-01-01"))
        x_hi = mdates.date2num(np.datetime64(f"{last_year + 1:04d}-01-01"))
        pad = max((x_hi - x_lo) * 0.01, 20.0)
        x_lo -= pad if start_year is None else 0.0
        x_hi += pad if end_year is None else 0.0
        ax_w, ax_h = self.width_px, self.height_px
        px_per_day = ax_w / (x_hi - x_lo)
        left, top = self._left, self._top
        self._x_lo, self._ppd, self._bands = x_lo, px_per_day, []

        def fx(days):  # data x (days) to SVG pixels
            return left + (days - x_lo) * px_per_day

        ax.spines["bottom"].set_visible(True)  # an empty selection hides it
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(ax_h, 0.0)

        if n == 0:
            where = (
                "to show"
                if start_year is None and end_year is None
                else f"in up to {end_year}"
                if start_year is None
                else f"in from {start_year}"
                if end_year is None
                else f"in {year_range(int(start_year), int(end_year))}"
            )
            what = "No events"
            if categories is not None:
                wanted = [categories] if isinstance(categories, str) else list(categories)
                what = (
                    f"No events of the categories {join_words(wanted)}"
                    if wanted
                    else "No categories chosen"
                )
            message = f"{what} {where}"
            draw_message(ax, message)
            self._drawn += [ax.texts[-1], whole_title(figure, title or message)]
            self._text(self._fig_w / 2, self._top + ax_h / 2, message, style.TITLE_FONT_SIZE)
            self._title(self._drawn[-1])
            return Chart(figure, message + ": the timeline is empty.")

        # ---- period bands: a year shared by two periods is split in its middle ----
        starts_by_year = {p["start_year"] for p in self.periods}
        ends_by_year = {p["end_year"] for p in self.periods if p["end_year"] is not None}
        shown = []
        for period in self.periods:
            p_start = period["start_year"]
            if p_start is None:
                continue
            p_end = (
                period["end_year"]
                if period["end_year"] is not None
                else max(current_year, last_year)
            )
            mid_start = p_start in ends_by_year
            mid_end = period["end_year"] is not None and p_end in starts_by_year
            b0 = mdates.date2num(
                np.datetime64(f"{p_start:04d}-{'07-02' if mid_start else '01-01'}")
            )
            b1 = mdates.date2num(
                np.datetime64(f"{p_end:04d}-07-02" if mid_end else f"{p_end + 1:04d}-01-01")
            )
            if b1 <= x_lo or b0 >= x_hi:
                continue
            v0, v1 = max(b0, x_lo), min(b1, x_hi)
            self._add(
                ax.add_artist(
                    Rectangle(
                        (v0, 0.0),
                        v1 - v0,
                        1.0,
                        transform=ax.get_xaxis_transform(),
                        zorder=0,
                        edgecolor="none",
                        facecolor=style.lighten(period["color"], BAND_LIGHTNESS),
                        gid=f"period:{period['id']}",
                    )
                )
            )
            self._rect(
                fx(v0), top, fx(v1), top + ax_h, style.lighten(period["color"], BAND_LIGHTNESS)
            )
            shown.append((period, v0, v1, (b1 - b0) * px_per_day))
        self._bands = [(period["id"], v0, v1, full_px) for period, v0, v1, full_px in shown]

        grid_at = len(self._svg)  # the grid goes over the bands, under the rest
        # ---- geometry of every event, in pixels from the left of the axes ----
        starts = mdates.date2num(selected["start"].to_numpy(dtype="datetime64[ns]"))
        ends = mdates.date2num(selected["end"].to_numpy(dtype="datetime64[ns]")) + 1.0
        precision = selected["precision"].astype(str).to_numpy()
        approx = selected["approximate"].fillna(False).astype(bool).to_numpy()
        has_end = (
            selected["end_year"].notna().to_numpy() if "end_year" in selected else np.zeros(n, bool)
        )
        cats = selected["category"].astype(str).to_numpy()
        ids = selected["id"].astype(str).to_numpy()
        is_span = (precision == "year") | approx | has_end
        marker_r = points_to_px(_MARKER_SIZE) / 2.0 + 1.0
        vis_l, vis_r = np.maximum(starts, x_lo), np.minimum(ends, x_hi)
        mark_x = np.where(precision == "day", starts, (starts + ends) / 2.0)
        mark_x = np.where(is_span, (vis_l + vis_r) / 2.0, mark_x)
        # Long boxes: the marker at the start of the visible part, the label may go inside.
        long_span = is_span & ((vis_r - vis_l) * px_per_day > 6 * marker_r)
        mark_x = np.where(long_span, vis_l + (marker_r + 3.0) / px_per_day, mark_x)
        r_days = marker_r / px_per_day
        item_l = np.minimum(np.where(is_span, vis_l, mark_x), mark_x - r_days)
        item_r = np.maximum(np.where(is_span, vis_r, mark_x), mark_x + r_days)
        geometry = (
            ((item_l - x_lo) * px_per_day).tolist(),
            ((item_r - x_lo) * px_per_day).tolist(),
            ((mark_x - x_lo) * px_per_day + marker_r).tolist(),
            is_span.tolist(),
        )
        labels = [
            self._label(("c. " if a else "") + t)
            for a, t in zip(approx.tolist(), selected["title"].astype(str).tolist(), strict=False)
        ]
        contested = (
            selected["contested"].fillna(False).astype(bool).to_numpy()
            if "contested" in selected
            else np.zeros(n, bool)
        )
        rank = [0 if ids[i] in self.key_ids else 1 if contested[i] else 2 for i in range(n)]
        priority = sorted(range(n), key=lambda i: (rank[i], i))
        lanes_px = ax_h - _HEADER_PX
        max_lanes = max(2, int(lanes_px // _LANE_PX))
        lanes, placed, overflow = _assign_lanes(geometry, labels, max_lanes, ax_w, priority)
        compact_px = 0.0
        if overflow:  # keep rows at the bottom for the events without a label
            compact_px = _COMPACT_LANES * _COMPACT_PX
            max_lanes = max(1, int((lanes_px - compact_px) // _LANE_PX))
            lanes, placed, overflow = _assign_lanes(
                geometry, labels, max_lanes, ax_w, priority, _COMPACT_LANES
            )
            self._add(
                ax.axhline(
                    ax_h - compact_px, color=style.NEUTRAL, linewidth=1.0, linestyle=":", zorder=1
                )
            )
            self._line(
                left,
                top + ax_h - compact_px,
                left + ax_w,
                top + ax_h - compact_px,
                style.NEUTRAL,
                1.4,
                True,
            )
        pitch = (lanes_px - compact_px) / max_lanes
        lane_arr = np.asarray(lanes)
        lane_y = np.where(
            lane_arr < max_lanes,
            _HEADER_PX + (lane_arr + 0.5) * pitch,
            ax_h - compact_px + (lane_arr - max_lanes + 0.5) * _COMPACT_PX,
        )

        # ---- boxes and markers, one artist of each per category ----
        known = categories_of(events["category"])
        cat_styles = style.category_styles(known + sorted(set(cats) - set(known)))
        box_half = points_to_px(_MARKER_SIZE) / 2.0 + 3.0
        present = [c for c in cat_styles if c in set(cats)]
        marks: list[str] = []
        for cat in present:
            color, marker = cat_styles[cat]
            in_cat = cats == cat
            span_idx = np.flatnonzero(in_cat & is_span)
            if len(span_idx):
                x0, x1, yc = starts[span_idx], ends[span_idx], lane_y[span_idx]
                verts = np.stack(
                    [
                        np.stack([x0, x1, x1, x0], 1),
                        np.stack([yc - box_half] * 2 + [yc + box_half] * 2, 1),
                    ],
                    2,
                )
                boxes = PolyCollection(
                    verts,
                    facecolors=style.lighten(color, BOX_LIGHTNESS),
                    edgecolors=color,
                    linewidths=1.6,
                    linestyles=["--" if approx[j] else "-" for j in span_idx],
                    zorder=2,
                    gid=f"spans:{cat}",
                )
                boxes.event_ids = tuple(ids[span_idx].tolist())  # type: ignore[attr-defined]
                self._add(ax.add_collection(boxes, autolim=False))
                for j, a, b, y in zip(
                    span_idx.tolist(),
                    fx(x0).tolist(),
                    fx(x1).tolist(),
                    (top + yc).tolist(),
                    strict=False,
                ):
                    self._rect(
                        a,
                        y - box_half,
                        b,
                        y + box_half,
                        style.lighten(color, BOX_LIGHTNESS),
                        color,
                        approx[j],
                    )
            idx = np.flatnonzero(in_cat)
            points = Line2D(
                mark_x[idx],
                lane_y[idx],
                linestyle="none",
                marker=marker,
                markersize=_MARKER_SIZE,
                markerfacecolor=color,
                markeredgecolor=style.TEXT_COLOR,
                markeredgewidth=0.8,
                zorder=3,
                gid=f"events:{cat}",
                clip_on=False,
            )  # a marker on the edge is drawn whole
            points.event_ids = tuple(ids[idx].tolist())  # type: ignore[attr-defined]
            self._add(ax.add_artist(points))
            key = self._marker(f"m{len(marks)}", marker, color)
            marks.extend(
                f'<use xlink:href="#{key}" x="{x:.1f}" y="{y:.1f}"/>'
                for x, y in zip(
                    fx(mark_x[idx]).tolist(), (top + lane_y[idx]).tolist(), strict=False
                )
            )
        self._svg += marks  # every marker over every box, as in the figure
        n_labels = 0
        for i, place in enumerate(placed):
            if place is not None:
                n_labels += 1
                x_px, label, ha = place
                self._axes_text(
                    x_px,
                    lane_y[i],
                    label,
                    _LABEL_SIZE,
                    ha,
                    spacing=1.1,
                    zorder=4,
                    gid=f"label:{ids[i]}",
                    clip_on=False,
                )
        self._header(shown)

        base = next((b for b in (1, 2, 5, 10, 20, 50) if (x_hi - x_lo) / 365.25 / b <= 12), 100)
        ax.xaxis.set_major_locator(mdates.YearLocator(base))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(
            mdates.MonthLocator() if (x_hi - x_lo) / 365.25 <= 3 else _no_ticks()
        )
        ax.grid(axis="x", color="#BFBFBF", linewidth=0.8, zorder=1)
        ax.set_axisbelow(True)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", length=6)
        bottom = top + ax_h
        tick_px = 6 * figure.dpi / 72
        ticks = [t for t in ax.xaxis.get_major_locator()() if x_lo <= t <= x_hi]
        grid = "".join(f"M{fx(t):.1f},{top:.1f}V{bottom:.1f}" for t in ticks)
        self._svg.insert(grid_at, f'<path d="{grid}" stroke="#BFBFBF" stroke-width="1.1"/>')
        self._line(left, bottom, left + ax_w, bottom, "#4D4D4D", 1.4)
        for t in ticks:
            self._line(fx(t), bottom, fx(t), bottom + tick_px, "#4D4D4D")
            self._text(
                fx(t),
                bottom + tick_px + 5,
                ax.xaxis.get_major_formatter()(t),
                style.BASE_FONT_SIZE,
                va="top",
            )

        handles = [
            Line2D(
                [],
                [],
                linestyle="none",
                marker=cat_styles[c].marker,
                markersize=_MARKER_SIZE,
                markerfacecolor=cat_styles[c].color,
                markeredgecolor=style.TEXT_COLOR,
                label=c,
            )
            for c in present
        ]
        if is_span.any():
            handles.append(
                Patch(
                    facecolor=style.LIGHT_NEUTRAL,
                    edgecolor=style.NEUTRAL,
                    label="box = known to the year",
                )
            )
        if approx.any():
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=style.NEUTRAL,
                    linestyle="--",
                    label="dashed = approximate date",
                )
            )
        self._add(
            figure.legend(
                handles=handles,
                loc="upper left",
                bbox_to_anchor=(0.02, _LEGEND_TOP),
                ncol=3,
                frameon=False,
                handletextpad=0.4,
                columnspacing=1.0,
                borderaxespad=0.0,
            )
        )
        self._legend(
            [(cat_styles[c], c) for c in present]
            + [(h, h.get_label()) for h in handles[len(present) :]]
        )

        per_period = Counter(selected["period"].astype(str).tolist())
        per_category = Counter(cats.tolist())
        first = max(
            int(selected["start"].min().year), int(start_year) if start_year is not None else -9999
        )
        last = min(int(selected["end"].max().year), int(end_year) if end_year is not None else 9999)
        self._title(
            self._add(
                whole_title(
                    figure, title or _title(n, per_period, per_category, self.by_id, first, last)
                )
            )
        )
        alt = _alt_text(n, first, last, per_category, present, per_period, self.by_id)
        if n_labels < n:
            note = self._add(
                add_footnote(
                    figure,
                    f"Labels for {n_labels} of {n} events: those that open or close a period first, then "
                    "contested ones. Find the others in the timeline explorer.",
                    y=0.008,
                )
            )
            self._text(
                0.02 * self._fig_w,
                self._fig_h * (1 - 0.008),
                note.get_text(),
                note.get_fontsize(),
                "start",
                va="bottom",
                color="#404040",
            )
            alt += (
                f" Labels are shown for {n_labels} of the {n} events, those that open or close a period "
                "first, then contested ones; the others are unlabelled markers, listed in the timeline explorer."
            )
        if is_span.any():
            alt += " Events dated only to a year are drawn as boxes covering the whole year."
        return Chart(figure, alt)

    def _header(self, shown) -> None:
        """Each visible period's name (and years) at the top of its band, in two rows.

        A name that fits goes in row 1 with the years below; a longer one is wrapped over
        both rows; a name is never shortened: where it does not fit, only the years are
        written, which may reach past the band if they touch nothing else.
        """
        size = style.BASE_FONT_SIZE
        rows = (_HEADER_PX * 0.28, _HEADER_PX * 0.72)
        row_end = -1e12
        for period, b0, b1, full_px in shown:
            band_px = (b1 - b0) * self._ppd - 18.0
            if band_px + 18.0 < min(0.3 * full_px, 120.0):
                continue  # only a sliver of this period is in view
            centre = ((b0 + b1) / 2.0 - self._x_lo) * self._ppd
            name, years_too = period["name"], True
            if text_width_px(name, size, weight="bold") <= band_px:
                name_text, y_name = name, rows[0]
            else:
                two = wrap(name, max(8, len(name) // 2 + 4)).split("\n")
                fits = len(two) == 2 and all(
                    text_width_px(line, size, weight="bold") <= band_px for line in two
                )
                name_text, y_name, years_too = (
                    ("\n".join(two), sum(rows) / 2, False) if fits else (None, 0, True)
                )
            if name_text is not None:
                self._axes_text(
                    centre,
                    y_name,
                    name_text,
                    size,
                    bold=True,
                    spacing=1.25,
                    gid=f"period-name:{period['id']}",
                    clip_on=True,
                )
            if not years_too:
                row_end = centre + band_px / 2.0
                continue
            years = year_range(period["start_year"], period["end_year"])
            width = text_width_px(years, size) + 4.0
            x = min(max(centre, width / 2.0 + 2.0), self.width_px - width / 2.0 - 2.0)
            if x - width / 2.0 >= row_end + 12.0:
                self._axes_text(
                    x, rows[1], years, size, gid=f"period-years:{period['id']}", clip_on=True
                )
                row_end = x + width / 2.0

    def _title(self, artist) -> None:
        self._text(
            0.02 * self._fig_w,
            0.025 * self._fig_h,
            artist.get_text(),
            artist.get_fontsize(),
            "start",
            bold=True,
            va="top",
        )

    def _legend(self, entries) -> None:
        """The legend in the SVG: three columns under the axes, as matplotlib lays it out."""
        size = style.BASE_FONT_SIZE
        px = size * self.figure.dpi / 72
        widths = [text_width_px(label, size) for _, label in entries]
        rows = -(-len(entries) // 3)
        x, y0 = 0.02 * self._fig_w, (1 - _LEGEND_TOP) * self._fig_h
        for k in range(3):
            column = widths[k * rows : (k + 1) * rows]
            for row, (entry, label) in enumerate(entries[k * rows : (k + 1) * rows]):
                y = y0 + (row + 0.5) * px * 1.5
                if isinstance(entry, style.CategoryStyle):
                    key = self._marker(f"legend{k}_{row}", entry.marker, entry.color)
                    self._svg.append(f'<use xlink:href="#{key}" x="{x + px:.1f}" y="{y:.1f}"/>')
                else:
                    self._rect(
                        x,
                        y - px * 0.35,
                        x + 2 * px,
                        y + px * 0.35,
                        _hex(entry.get_facecolor()),
                        _hex(entry.get_edgecolor()),
                        entry.get_linestyle() == "--",
                    )
                self._text(x + 2.4 * px, y, label, size, "start")
            x += 2.4 * px + max(column, default=0.0) + px


def _hex(color) -> str:
    from matplotlib.colors import to_hex

    return to_hex(color)


def _no_ticks():
    from matplotlib.ticker import NullLocator

    return NullLocator()


def timeline_chart(
    events: pd.DataFrame,
    periods: pd.DataFrame,
    start_year: int | None = None,
    end_year: int | None = None,
    categories: str | Iterable[str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw the events on a time axis, with the collection's periods behind.

    ``events`` and ``periods`` are the typed tables (not modified; a chart never loads
    data). ``start_year``/``end_year`` limit the years shown (inclusive; default:
    the range of the events), ``categories`` one category or a list (default: all),
    ``title`` replaces the computed one. Returns the figure and a description with the
    number of events, the range, the count per category and the busiest period.
    """
    require(events, "events", "timeline_chart")
    require(periods, "periods", "timeline_chart")
    return Timeline(periods).draw(events, start_year, end_year, categories, title)
