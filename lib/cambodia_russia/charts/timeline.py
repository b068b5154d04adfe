"""Timeline of events: period bands behind, events as labelled markers in lanes.

No false precision: an event dated to the day or month is a marker at its day (mid-month); one
known to the year (dashed when approximate, "c. 1956") or lasting longer is a box over the days
it may cover. Labels are whole titles on one or two lines, in lanes: events that open or close
a period first, then contested ones, then the others; the footnote says how many have room.
The figure ends a few pixels below its legend or footnote: its height comes from the layout.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import hashlib
import html
import math
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

_SIZE = style.BASE_FONT_SIZE  # labels, period names, years and legend
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
# The layout, in pixels from the top of a figure 1000 px wide; its height ends below the
# last item drawn (legend or footnote), so no empty band is left at the bottom.
_AXES_X = (0.025, 0.95)  # the axes' left edge and width (figure fractions)
_TITLE_TOP_PX = 20.0  # where set_title puts it on a figure 800 px high
_AXES_TOP_PX = 104.0  # below a title of two lines
_AXES_H_PX = 508.0
_LEGEND_TOP_PX = 652.0  # below the years
_NOTE_GAP_PX = 2.0  # between the legend and the footnote
_MARGIN_PX = 6.0  # below the last item
_DOT = {"linestyle": "none", "markersize": _MARKER_SIZE, "markeredgecolor": style.TEXT_COLOR}


def _period_table(periods: pd.DataFrame) -> list[dict[str, Any]]:
    """Collection periods in order: id, name, years, colour and key event ids."""
    colors = style.period_colors(periods, "collection")
    rows = periods.set_index(periods["id"].astype(str))
    table = []
    for pid in style.period_order(periods, "collection"):
        row = rows.loc[pid]
        start, end = as_int(row["start_year"]), as_int(row["end_year"])
        table.append(
            {
                "id": pid,
                "name": text(row["name"]) or pid,
                "start_year": start,
                "end_year": end,
                "years": year_range(start, end),
                "color": colors[pid],
                "key_events": {text(row.get("opens_with")), text(row.get("closes_with"))} - {""},
            }
        )
    return table


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


@functools.lru_cache(maxsize=4096)
def _label(title: str) -> tuple[str, float, str, float]:
    """The label on one line and its width, then as drawn beside a marker and its width: on
    one line up to :data:`_ONE_LINE_PX`, else in the narrowest two lines. Nothing is cut."""
    one = " ".join(title.split())
    wrapped = one
    if text_width_px(one, _SIZE) > _ONE_LINE_PX:
        tries = (wrap(one, width) for width in range(max(1, (len(one) + 1) // 2), len(one)))
        wrapped = next((lines for lines in tries if lines.count("\n") < 2), one)
    width = max(text_width_px(line, _SIZE) for line in wrapped.split("\n"))
    return one, text_width_px(one, _SIZE), wrapped, width


def _fits(lane: list[tuple[float, float]], left: float, right: float, gap: float) -> bool:
    """Whether ``left``..``right`` stays ``gap`` away from every stretch taken in ``lane``."""
    i = bisect.bisect_left(lane, (left,))
    return (not i or lane[i - 1][1] + gap <= left) and (i == len(lane) or right + gap <= lane[i][0])


def _free(lane: list[tuple[float, float]], width: float) -> float:
    """The widest stretch of ``lane`` left free, in pixels."""
    edges = [0.0, *(x for stretch in lane for x in stretch), width]
    return max(edges[k + 1] - edges[k] for k in range(0, len(edges), 2))


def _assign_lanes(geometry, labels, n_lanes: int, width: float, priority, compact_lanes: int = 0):
    """Give every event a lane so that no two labels or marks in one lane touch.

    ``geometry`` is (left, right, marker right, is_span) in pixels per event, ``labels`` the
    :func:`_label` of each. Labels first, in ``priority`` order: inside a box wide enough,
    right of the item, else left of it. Then the unlabelled events, left to right, go into any
    lane where their marker alone fits, the rest into ``compact_lanes`` rows below (marks may
    overlap there). Returns (lanes, label per event as (x, text, ha) or None, overflow).
    """
    left, right, mark_r, is_span = geometry
    lo, hi = [max(x, 0.0) for x in left], [min(x, width) for x in right]
    lanes, placed = [0] * len(left), [None] * len(left)
    room: list[list[tuple[float, float]]] = [[] for _ in range(n_lanes)]
    widest, narrowest = width, min((label[3] for label in labels), default=0.0)
    for i in priority:
        if widest < narrowest:
            break  # no label fits anywhere any more
        one, one_w, wrapped, w = labels[i]
        lo_i, hi_i = lo[i], hi[i]
        inside = is_span[i] and hi_i - mark_r[i] - 2 * _PAD_PX >= one_w + 2.0
        after, before = hi_i + _PAD_PX + w + 2.0, lo_i - _PAD_PX - w - 2.0
        candidates = (
            (inside, mark_r[i] + _PAD_PX, lo_i, hi_i, "left", one),
            (after <= width - 2.0, hi_i + _PAD_PX, lo_i, after, "left", wrapped),
            (before >= 2.0, lo_i - _PAD_PX, before, hi_i, "right", wrapped),
        )
        for ok, x, occ_l, occ_r, ha, label in candidates:
            if ok and occ_r - occ_l + _GAP_PX <= widest:
                k = next(
                    (k for k, lane in enumerate(room) if _fits(lane, occ_l, occ_r, _GAP_PX)), None
                )
                if k is not None:
                    lanes[i], placed[i] = k, (x, label, ha)
                    bisect.insort(room[k], (occ_l, occ_r))
                    widest = max(_free(lane, width) for lane in room)
                    break
    waiting = sorted((i for i in range(len(left)) if placed[i] is None), key=lambda i: (left[i], i))
    for k, lane in enumerate(room):
        reach, rest, p = -1e12, [], 0  # lane[p]: the first label that may reach the event
        for i in waiting:
            while p < len(lane) and lane[p][1] + 4.0 <= lo[i]:
                p += 1
            if lo[i] >= reach + 4.0 and (p == len(lane) or hi[i] + 4.0 <= lane[p][0]):
                lanes[i], reach = k, max(reach, hi[i])
            else:
                rest.append(i)
        waiting = rest
    ends = [-1e12] * max(compact_lanes, 1)
    for i in waiting:
        k = next((k for k, end in enumerate(ends) if end + 4.0 <= lo[i]), ends.index(min(ends)))
        lanes[i], ends[k] = n_lanes + k, max(ends[k], hi[i])
    return lanes, placed, bool(waiting)


def _leaders(per_period: Counter, periods: dict) -> tuple[list[str], int]:
    """The periods with the most events (chronological among ties) and their count."""
    top, order = max(per_period.values()), list(periods)
    leaders = [p for p, c in per_period.items() if c == top]
    return sorted(leaders, key=lambda p: order.index(p) if p in order else len(order)), top


def _title(n, per_period: Counter, per_category: Counter, periods: dict, first, last) -> str:
    """A sentence stating what the selection shows, computed from counts."""
    # Compare periods only when no period holds 60 % of the selection.
    if len(per_period) > 1 and max(per_period.values()) * 5 < n * 3:
        leaders, top = _leaders(per_period, periods)
        spans = [periods[p]["years"] if p in periods else p for p in leaders]
        if len(leaders) > 1:
            return f"{join_words(spans)} have the most events in the collection ({top} each of {n})"
        named = f"{periods[leaders[0]]['name']} ({spans[0]})" if leaders[0] in periods else spans[0]
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


def _alt_text(n, first, last, per_category, categories, per_period, periods: dict) -> str:
    """The description: how many events of each category, and the busiest period."""
    parts = [f"{per_category[c]} {c}" for c in categories if per_category.get(c)]
    span = f"in {first}" if first == last else f"from {first} to {last}"
    sentence = f"Timeline of {plural(n, 'event')} {span}: {join_words(parts)}."
    leaders, top = _leaders(per_period, periods)
    names = [
        f"{periods[p]['name']} ({periods[p]['years']})" if p in periods else p for p in leaders
    ]
    if len(per_period) == 1:
        return sentence + f" All of them belong to the period {names[0]}."
    if len(leaders) == 1:
        return sentence + f" The period with the most events is {names[0]}, with {top}."
    return sentence + f" The periods with the most events are {join_words(names)}, with {top} each."


@functools.lru_cache(maxsize=32)
def _marker_path(marker: str, size_px: float) -> str:
    """A matplotlib marker's outline as SVG path data, ``size_px`` across, centred on 0,0."""
    from matplotlib.markers import MarkerStyle

    shape = MarkerStyle(marker)
    path = shape.get_path().transformed(shape.get_transform().scale(size_px))
    polygons = path.to_polygons()
    return "".join("M" + "L".join(f"{x:.2f},{-y:.2f}" for x, y in p) + "Z" for p in polygons)


class Timeline:
    """One timeline figure, drawn again in place for every selection.

    The figure and its axes are made once; :meth:`draw` replaces what a selection changes.
    Each draw also writes the same picture as SVG (:meth:`svg`) from the positions it
    computed, for the live views: matplotlib's SVG writer would measure every text again.
    """

    def __init__(self, periods: pd.DataFrame):
        with style.apply_style():
            self.figure = readable_figure("wide", height=8.0)
            self.ax = ax = self.figure.add_axes((_AXES_X[0], 0.0, _AXES_X[1], 1.0))
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.tick_params(axis="x", length=6)
            ax.grid(axis="x", color="#BFBFBF", linewidth=0.8, zorder=1)
            ax.set_axisbelow(True)
        self.periods = _period_table(periods)
        self.by_id = {p["id"]: p for p in self.periods}
        self.key_ids = set().union(*(p["key_events"] for p in self.periods))
        self._fig_w = self.figure.get_figwidth() * self.figure.dpi
        self._resize(self.figure.get_figheight() * self.figure.dpi)
        self.width_px, self.height_px = _AXES_X[1] * self._fig_w, _AXES_H_PX
        self._left, self._top = _AXES_X[0] * self._fig_w, _AXES_TOP_PX
        self._drawn: list[Any] = []
        self._svg: list[str] = []

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

    def _axes_text(self, x_px, y_px, label, ha="center", bold=False, spacing=1.2, **kw) -> None:
        """A text on the axes (x, y in pixels from the axes' top left corner), also in the SVG."""
        x, weight = self._x_lo + x_px / self._ppd, "bold" if bold else "normal"
        kw.update(ha=ha, va="center", fontsize=_SIZE, fontweight=weight, linespacing=spacing)
        self._add(self.ax.text(x, y_px, label, color=style.TEXT_COLOR, **kw))
        anchor = {"left": "start", "right": "end"}.get(ha, "middle")
        self._text(self._left + x_px, self._top + y_px, label, _SIZE, anchor, bold, spacing)

    def _resize(self, height_px: float) -> None:
        """Make the figure ``height_px`` high, the axes where the layout puts them."""
        dpi = self.figure.dpi
        self.figure.set_size_inches(self.figure.get_figwidth(), height_px / dpi)
        self._fig_h = height_px
        bottom = 1.0 - (_AXES_TOP_PX + _AXES_H_PX) / height_px
        self.ax.set_position((_AXES_X[0], bottom, _AXES_X[1], _AXES_H_PX / height_px))

    def _figure_text(self, artist, top_px: float) -> None:
        """A text of the figure (title, footnote) with its top ``top_px`` below the figure's
        top, also in the SVG."""
        artist.set_verticalalignment("top")
        artist.set_y(1.0 - top_px / self._fig_h)
        x, y = artist.get_position()
        label, size, bold = (
            artist.get_text(),
            artist.get_fontsize(),
            artist.get_fontweight() == "bold",
        )
        x, y, va, color = (
            x * self._fig_w,
            (1 - y) * self._fig_h,
            artist.get_va(),
            artist.get_color(),
        )
        self._text(x, y, label, size, "start", bold, va=va, color=color)
        self._add(artist)

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
        d = _marker_path(marker, _MARKER_SIZE * self.figure.dpi / 72.0)
        self._svg.append(
            f'<defs><path id="{key}" d="{d}" fill="{color}" stroke="{style.TEXT_COLOR}" '
            'stroke-width="1.1"/></defs>'
        )
        return key

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
        # The SVG holds every text, position, colour and the size: it keys the picture.
        mark_drawn(self.figure, hashlib.blake2b(self.svg().encode(), digest_size=20).hexdigest())
        return chart

    def _draw(self, events, start_year, end_year, categories, title, selected) -> Chart:
        import matplotlib.dates as mdates
        import numpy as np
        from matplotlib.collections import PolyCollection
        from matplotlib.colors import to_hex
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch
        from matplotlib.ticker import NullLocator

        def day(year: int, month_day: str = "01-01") -> float:
            return mdates.date2num(np.datetime64(f"{year:04d}-{month_day}"))

        figure, ax, n = self.figure, self.ax, len(selected)
        # An open period ends with the latest year in the events, not the clock's.
        current_year = int(events["end"].max().year) if len(events) else _dt.date.today().year
        start, end = selected["start"].min(), selected["end"].max()
        years = (int(start.year), int(end.year)) if n else (current_year, current_year)
        first_year = years[0] if start_year is None else int(start_year)
        last_year = max(years[1] if end_year is None else int(end_year), first_year)
        x_lo, x_hi = day(first_year), day(last_year + 1)
        pad = max((x_hi - x_lo) * 0.01, 20.0)
        x_lo -= pad if start_year is None else 0.0
        x_hi += pad if end_year is None else 0.0
        ax_w, ax_h, left, top = self.width_px, self.height_px, self._left, self._top
        px_per_day = ax_w / (x_hi - x_lo)
        self._x_lo, self._ppd = x_lo, px_per_day

        def fx(days):  # data x (days) to SVG pixels
            return left + (days - x_lo) * px_per_day

        ax.set_axis_on()  # an empty selection turns it off
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
            self._add(ax.texts[-1])
            self._resize(math.ceil(top + ax_h + _MARGIN_PX))
            self._text(self._fig_w / 2, self._top + ax_h / 2, message, style.TITLE_FONT_SIZE)
            self._figure_text(whole_title(figure, title or message), _TITLE_TOP_PX)
            return Chart(figure, message + ": the timeline is empty.")

        # ---- period bands: a year shared by two periods is split in its middle ----
        starts_by_year = {p["start_year"] for p in self.periods}
        ends_by_year = {p["end_year"] for p in self.periods if p["end_year"] is not None}
        shown = []
        for period in self.periods:
            p_start, p_end = period["start_year"], period["end_year"]
            if p_start is None:
                continue
            b0 = day(p_start, "07-02" if p_start in ends_by_year else "01-01")
            if p_end is None:
                b1 = day(max(current_year, last_year) + 1)
            else:
                b1 = day(p_end, "07-02") if p_end in starts_by_year else day(p_end + 1)
            if b1 <= x_lo or b0 >= x_hi:
                continue
            v0, v1 = max(b0, x_lo), min(b1, x_hi)
            fill = style.lighten(period["color"], BAND_LIGHTNESS)
            gid = f"period:{period['id']}"
            self._add(ax.axvspan(v0, v1, zorder=0, edgecolor="none", facecolor=fill, gid=gid))
            self._rect(fx(v0), top, fx(v1), top + ax_h, fill)
            shown.append((period, v0, v1, (b1 - b0) * px_per_day))

        grid_at = len(self._svg)  # the grid goes over the bands, under the rest
        # ---- geometry of every event, in pixels from the left of the axes ----
        starts = mdates.date2num(selected["start"].to_numpy(dtype="datetime64[ns]"))
        ends = mdates.date2num(selected["end"].to_numpy(dtype="datetime64[ns]")) + 1.0

        def flags(column: str):  # a yes/no column, all "no" where the table has none
            if column not in selected:
                return np.zeros(n, bool)
            return selected[column].fillna(False).astype(bool).to_numpy()

        precision = selected["precision"].astype(str).to_numpy()
        approx, contested = flags("approximate"), flags("contested")
        has_end = np.zeros(n, bool)
        if "end_year" in selected:
            has_end = selected["end_year"].notna().to_numpy()
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
        titles = selected["title"].astype(str).tolist()
        labels = [_label(("c. " if a else "") + t) for a, t in zip(approx, titles, strict=False)]
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
            y = ax_h - compact_px
            self._add(ax.axhline(y, color=style.NEUTRAL, linewidth=1.0, linestyle=":", zorder=1))
            self._line(left, top + y, left + ax_w, top + y, style.NEUTRAL, 1.4, True)
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
        handles: list[Any] = []
        for cat in present:
            color, marker = cat_styles[cat]
            fill = style.lighten(color, BOX_LIGHTNESS)
            span_idx = np.flatnonzero((cats == cat) & is_span)
            if len(span_idx):
                x0, x1, yc = starts[span_idx], ends[span_idx], lane_y[span_idx]
                y_corners = np.stack([yc - box_half] * 2 + [yc + box_half] * 2, 1)
                boxes = PolyCollection(
                    np.stack([np.stack([x0, x1, x1, x0], 1), y_corners], 2),
                    facecolors=fill,
                    edgecolors=color,
                    linewidths=1.6,
                    linestyles=["--" if approx[j] else "-" for j in span_idx],
                    zorder=2,
                    gid=f"spans:{cat}",
                )
                boxes.event_ids = tuple(ids[span_idx].tolist())  # type: ignore[attr-defined]
                self._add(ax.add_collection(boxes, autolim=False))
                for j in span_idx:
                    a, b, y = fx(starts[j]), fx(ends[j]), top + lane_y[j]
                    self._rect(a, y - box_half, b, y + box_half, fill, color, approx[j])
            idx = np.flatnonzero(cats == cat)
            xs, ys, gid = mark_x[idx], lane_y[idx], f"events:{cat}"
            dot = {"marker": marker, "markerfacecolor": color, **_DOT}
            handles.append(Line2D([], [], label=cat, **dot))  # the legend's entry
            # clip_on=False: a marker on the edge is drawn whole
            points = Line2D(xs, ys, markeredgewidth=0.8, zorder=3, gid=gid, clip_on=False, **dot)
            points.event_ids = tuple(ids[idx].tolist())  # type: ignore[attr-defined]
            self._add(ax.add_artist(points))
            key = self._marker(f"m{len(marks)}", marker, color)
            marks.extend(
                f'<use xlink:href="#{key}" x="{x:.1f}" y="{y:.1f}"/>'
                for x, y in zip(fx(xs), top + ys, strict=False)
            )
        self._svg += marks  # every marker over every box, as in the figure
        for i, (x_px, label, ha) in ((i, p) for i, p in enumerate(placed) if p is not None):
            gid = f"label:{ids[i]}"
            self._axes_text(
                x_px, lane_y[i], label, ha, spacing=1.1, zorder=4, gid=gid, clip_on=False
            )
        self._header(shown)

        # ---- the year axis (the SVG's grid, axis line, ticks and years) ----
        base = next((b for b in (1, 2, 5, 10, 20, 50) if (x_hi - x_lo) / 365.25 / b <= 12), 100)
        ax.xaxis.set_major_locator(mdates.YearLocator(base))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        months = (x_hi - x_lo) / 365.25 <= 3
        ax.xaxis.set_minor_locator(mdates.MonthLocator() if months else NullLocator())
        bottom, tick_px = top + ax_h, 6 * figure.dpi / 72
        ticks = [t for t in ax.xaxis.get_major_locator()() if x_lo <= t <= x_hi]
        grid = "".join(f"M{fx(t):.1f},{top:.1f}V{bottom:.1f}" for t in ticks)
        self._svg.insert(grid_at, f'<path d="{grid}" stroke="#BFBFBF" stroke-width="1.1"/>')
        self._line(left, bottom, left + ax_w, bottom, "#4D4D4D", 1.4)
        for t in ticks:
            self._line(fx(t), bottom, fx(t), bottom + tick_px, "#4D4D4D")
            year = ax.xaxis.get_major_formatter()(t)
            self._text(fx(t), bottom + tick_px + 5, year, style.BASE_FONT_SIZE, va="top")

        for drawn, face, dash, label in (
            (is_span.any(), style.LIGHT_NEUTRAL, "solid", "box = known to the year"),
            (approx.any(), "white", "--", "dashed = approximate date"),
        ):
            if drawn:
                handles.append(Patch(facecolor=face, edgecolor=style.NEUTRAL, ls=dash, label=label))
        n_labels = sum(place is not None for place in placed)
        note = None
        if n_labels < n:
            note = add_footnote(
                figure,
                f"Labels for {n_labels} of {n} events: those that open or close a period first, "
                "then contested ones. Find the others in the timeline explorer.",
            )
        # The height from the layout, without drawing: matplotlib's legend rows are 1.5 lines
        # of text apart with 0.3 of a line below; a footnote's lines are 1.2 lines apart.
        px, rows = points_to_px(_SIZE), -(-len(handles) // 3)
        end = _LEGEND_TOP_PX + (1.5 * rows + 0.3) * px
        note_top = end + _NOTE_GAP_PX
        if note is not None:
            lines = note.get_text().count("\n") + 1
            end = note_top + 1.2 * lines * points_to_px(note.get_fontsize())
        self._resize(math.ceil(end + _MARGIN_PX))
        legend = figure.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.02, 1.0 - _LEGEND_TOP_PX / self._fig_h),
            ncol=3,
            frameon=False,
            handletextpad=0.4,
            columnspacing=1.0,
            borderaxespad=0.0,
        )
        self._add(legend)
        # The legend in the SVG: three columns, as matplotlib lays them out (the first
        # columns one entry longer when the entries do not share out evenly).
        x, y0, taken = 0.02 * self._fig_w, _LEGEND_TOP_PX, 0
        for k in range(3):
            size = len(handles) // 3 + (k < len(handles) % 3)
            column, taken = handles[taken : taken + size], taken + size
            for row, handle in enumerate(column):
                y = y0 + (row + 0.5) * px * 1.5
                if isinstance(handle, Patch):
                    face, edge = to_hex(handle.get_facecolor()), to_hex(handle.get_edgecolor())
                    dash = handle.get_linestyle() == "--"
                    self._rect(x, y - px * 0.35, x + 2 * px, y + px * 0.35, face, edge, dash)
                else:
                    key = self._marker(
                        f"legend{k}_{row}", handle.get_marker(), handle.get_markerfacecolor()
                    )
                    self._svg.append(f'<use xlink:href="#{key}" x="{x + px:.1f}" y="{y:.1f}"/>')
                self._text(x + 2.4 * px, y, handle.get_label(), _SIZE, "start")
            widths = [text_width_px(handle.get_label(), _SIZE) for handle in column]
            x += 2.4 * px + max(widths, default=0.0) + px

        per_period = Counter(selected["period"].astype(str).tolist())
        per_category = Counter(cats.tolist())
        first = max(years[0], first_year)
        last = min(years[1], int(end_year) if end_year is not None else years[1])
        if not title:
            title = _title(n, per_period, per_category, self.by_id, first, last)
        self._figure_text(whole_title(figure, title), _TITLE_TOP_PX)
        alt = _alt_text(n, first, last, per_category, present, per_period, self.by_id)
        if note is not None:
            self._figure_text(note, note_top)
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
        rows, row_end = (_HEADER_PX * 0.28, _HEADER_PX * 0.72), -1e12
        for period, b0, b1, full_px in shown:
            band_px = (b1 - b0) * self._ppd - 18.0
            if band_px + 18.0 < min(0.3 * full_px, 120.0):
                continue  # only a sliver of this period is in view
            centre = ((b0 + b1) / 2.0 - self._x_lo) * self._ppd
            lines = [period["name"]]
            if text_width_px(lines[0], _SIZE, weight="bold") > band_px:
                lines = wrap(lines[0], max(8, len(lines[0]) // 2 + 4)).split("\n")
                too_wide = any(
                    text_width_px(line, _SIZE, weight="bold") > band_px for line in lines
                )
                lines = [] if len(lines) != 2 or too_wide else lines
            if lines:
                y = rows[0] if len(lines) == 1 else sum(rows) / 2
                gid = f"period-name:{period['id']}"
                self._axes_text(
                    centre, y, "\n".join(lines), bold=True, spacing=1.25, gid=gid, clip_on=True
                )
            if len(lines) == 2:
                row_end = centre + band_px / 2.0
                continue
            width = text_width_px(period["years"], _SIZE) + 4.0
            x = min(max(centre, width / 2.0 + 2.0), self.width_px - width / 2.0 - 2.0)
            if x - width / 2.0 >= row_end + 12.0:
                gid = f"period-years:{period['id']}"
                self._axes_text(x, rows[1], period["years"], gid=gid, clip_on=True)
                row_end = x + width / 2.0


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
