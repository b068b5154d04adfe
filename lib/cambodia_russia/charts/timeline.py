"""Timeline of events: period bands behind, events as labelled markers in lanes.

How dates are drawn (never a false precision):

* an event dated to the day is a marker at that day;
* an event dated to a month is a marker in the middle of that month;
* an event known only to the year (or approximately, "c. 1956"), and an event
  that lasts several days or years, is a box covering every day it may cover,
  from the first day (``start``) to the end of the last day (``end``) of the
  typed events table, with the category marker inside; approximate dates
  have a dashed box.

Labels are placed in horizontal lanes, each tall enough for a label of two
lines. Every label is the event's whole title, wrapped on word boundaries,
never cut. Labels go first to the key events: those that open or close a
period of the collection (``opens_with`` / ``closes_with`` in the periods
table), then contested events, then the others, in date order within each
group; each goes into the first lane where its marker and label fit without
touching anything else. Label widths are computed from the font's character
widths (no renderer round trips). An event whose label does not fit is still
drawn as a marker, and the footnote and the description say how many events
are labelled and point to the timeline explorer for the others.

The figure is :data:`~cambodia_russia.charts.readable.FIGURE_WIDTH_IN` inches
wide so that its 14-point text stays at least 12 points on a notebook's screen.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import style
from .base import (
    Chart,
    add_footnote,
    as_int,
    categories_of,
    draw_message,
    join_words,
    plural,
    points_to_px,
    text,
    text_width_px,
    wrap,
    year_range,
)
from .readable import readable_figure, whole_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["timeline_chart", "select_events", "assign_lanes", "wrap_label", "LaneLayout", "BAND_LIGHTNESS"]

_LABEL_SIZE = style.BASE_FONT_SIZE
_MARKER_SIZE = 11.0  # points
_LABEL_LINESPACING = 1.1
_LANE_PX = 46.0  # height of one labelled lane, in pixels: two lines of 14 pt text are 43 px tall
_ONE_LINE_PX = 220.0  # labels up to this wide stay on one line
_COMPACT_PX = 24.0  # height of one row of unlabelled events
_HEADER_PX = 62.0  # room for period names above the lanes
_GAP_PX = 12.0  # free space between two labelled items in one lane
_LABEL_PAD_PX = 7.0  # between a marker and its label
_COMPACT_LANES = 2  # rows kept for unlabelled events when labels do not all fit
#: How much the period colours are mixed with white for the bands behind.
BAND_LIGHTNESS = 0.78
#: How much the category colours are mixed with white inside event boxes.
BOX_LIGHTNESS = 0.65
_HEIGHT_IN = 8.0  # figure height: room for eight labelled lanes, the legend and a footnote
# Axes rectangle in figure fractions: left, bottom, width, height.
_AXES_RECT = (0.025, 0.235, 0.95, 0.635)
_LEGEND_TOP = 0.185  # the legend hangs from here, below the year labels


def _period_table(periods: pd.DataFrame) -> list[dict[str, Any]]:
    """Collection periods in order, as plain dicts with start/end years and key event ids."""
    order = style.period_order(periods, "collection")
    colors = style.period_colors(periods, "collection")
    by_id = {
        str(pid): (name, start, end, opens, closes)
        for pid, name, start, end, opens, closes in zip(
            periods["id"].tolist(),
            periods["name"].tolist(),
            periods["start_year"].tolist(),
            periods["end_year"].tolist(),
            periods["opens_with"].tolist() if "opens_with" in periods else [None] * len(periods),
            periods["closes_with"].tolist() if "closes_with" in periods else [None] * len(periods),
        )
    }
    result = []
    for pid in order:
        name, start, end, opens, closes = by_id[pid]
        result.append(
            {
                "id": pid,
                "name": text(name) or pid,
                "start_year": as_int(start),
                "end_year": as_int(end),
                "color": colors[pid],
                "key_events": {text(opens), text(closes)} - {""},
            }
        )
    return result


def _period_years(period: dict[str, Any]) -> str:
    end = period["end_year"]
    return f"{period['start_year']}–{end}" if end is not None else f"{period['start_year']}–today"


def select_events(
    events: pd.DataFrame,
    start_year: int | None = None,
    end_year: int | None = None,
    categories: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The events drawn by :func:`timeline_chart`, in date order (a new frame).

    Keeps events whose dates touch the years ``start_year``..``end_year``
    (inclusive; an event spanning 1975–1980 is kept for 1979–1991) and whose
    category is one of ``categories`` (a name or a list of names; None = all).
    Raises ``ValueError`` for an unknown category or an empty year range.
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



class LaneLayout(NamedTuple):
    """Result of :func:`assign_lanes`.

    ``lanes[i]`` is the row of event ``i`` (0 = top); ``labels[i]`` is
    ``(x_px, text, ha)`` or None when the event has no label; rows from
    ``label_lanes`` on hold events without labels; ``overflow`` is True when
    some event found no room in the label lanes.
    """

    lanes: list[int]
    labels: list[tuple[float, str, str] | None]
    label_lanes: int
    overflow: bool


def wrap_label(text: str, font_size: float = _LABEL_SIZE) -> tuple[str, float]:
    """The whole ``text`` wrapped on word boundaries into at most two lines, and its width in pixels.

    A text up to :data:`_ONE_LINE_PX` wide stays on one line; a longer one
    takes the narrowest wrapping into two lines. Nothing is cut.
    """
    clean = " ".join(text.split())
    best = clean
    if text_width_px(clean, font_size) <= _ONE_LINE_PX:
        return clean, text_width_px(clean, font_size)
    for width in range(max(1, (len(clean) + 1) // 2), len(clean)):
        lines = textwrap.wrap(clean, width=width, break_long_words=False, break_on_hyphens=False)
        if len(lines) <= 2:
            best = "\n".join(lines)
            break
    return best, max(text_width_px(line, font_size) for line in best.split("\n"))


def assign_lanes(
    left_px: list[float],
    right_px: list[float],
    marker_right_px: list[float],
    is_span: list[bool],
    texts: list[str],
    label_lanes: int,
    width_px: float,
    compact_lanes: int = 0,
    priority: list[int] | None = None,
    font_size: float = _LABEL_SIZE,
    stop_on_overflow: bool = False,
) -> LaneLayout:
    """Give every event a lane so that no two labels or marks in one lane touch.

    Labels come first, in ``priority`` order (a permutation of the events;
    default: the given order): each event takes the first place where its
    marker (or box) and its whole label, wrapped by :func:`wrap_label`, fit
    in some lane: inside a box wide enough, right of the item, else left of
    it. An event with no such place gets no label. Then the events without
    a label, in the given (date) order, go into any lane where their marker
    alone fits; the rest into ``compact_lanes`` extra rows below (or, if
    there are none, one extra row), where marks may overlap. Label widths
    come from the font's character widths: no renderer needed. With
    ``stop_on_overflow``, an event without room in the label lanes ends the
    work (the caller then tries again with compact lanes).
    """
    n = len(left_px)
    order = list(range(n)) if priority is None else list(priority)
    taken: list[list[tuple[float, float]]] = [[] for _ in range(label_lanes)]
    lanes = [0] * n
    labels: list[tuple[float, str, str] | None] = [None] * n

    def free_lane(occ_l: float, occ_r: float, gap: float) -> int | None:
        for k, spans in enumerate(taken):
            if all(occ_r + gap <= a or b + gap <= occ_l for a, b in spans):
                return k
        return None

    right_limit = width_px - 2.0
    for i in order:
        left, right = max(left_px[i], 0.0), min(right_px[i], width_px)
        for x_text, occ_l, occ_r, ha, label in _label_candidates(
            left, right, marker_right_px[i], is_span[i], texts[i], right_limit, font_size
        ):
            k = free_lane(occ_l, occ_r, _GAP_PX)
            if k is not None:
                lanes[i], labels[i] = k, (x_text, label, ha)
                taken[k].append((occ_l, occ_r))
                break
    unplaced: list[int] = []
    for i in range(n):
        if labels[i] is not None:
            continue
        left, right = max(left_px[i], 0.0), min(right_px[i], width_px)
        k = free_lane(left, right, 4.0)
        if k is None:
            unplaced.append(i)
            if stop_on_overflow:
                return LaneLayout(lanes, labels, label_lanes, True)
        else:
            lanes[i] = k
            taken[k].append((left, right))
    compact_end = [-1e12] * max(compact_lanes, 1)
    for i in unplaced:
        left, right = max(left_px[i], 0.0), min(right_px[i], width_px)
        free = [k for k, end in enumerate(compact_end) if end + 4.0 <= left]
        k = free[0] if free else min(range(len(compact_end)), key=compact_end.__getitem__)
        lanes[i] = label_lanes + k
        compact_end[k] = max(compact_end[k], right)
    return LaneLayout(lanes, labels, label_lanes, bool(unplaced))


def _label_candidates(
    left: float,
    right: float,
    marker_right: float,
    is_span: bool,
    text: str,
    right_limit: float,
    font_size: float,
) -> Iterator[tuple[float, float, float, str, str]]:
    """Places for one event's whole label, best first: (x, occupied from, to, ha, label).

    Inside a box wide enough for the label on one line (a box is one line
    tall); right of the marker or box; left of it, wrapped by :func:`wrap_label`.
    """
    one_line = " ".join(text.split())
    inside_room = right - marker_right - 2 * _LABEL_PAD_PX
    if is_span and inside_room >= text_width_px(one_line, font_size) + 2.0:
        yield marker_right + _LABEL_PAD_PX, left, right, "left", one_line
    label, width = wrap_label(text, font_size)
    width += 2.0
    if right + _LABEL_PAD_PX + width <= right_limit:
        yield right + _LABEL_PAD_PX, left, right + _LABEL_PAD_PX + width, "left", label
    if left - _LABEL_PAD_PX - width >= 2.0:
        yield left - _LABEL_PAD_PX, left - _LABEL_PAD_PX - width, right, "right", label


def _range_label(start_year: int | None, end_year: int | None) -> str:
    if start_year is None and end_year is None:
        return "the selection"
    if start_year is None:
        return f"up to {end_year}"
    if end_year is None:
        return f"from {start_year}"
    return year_range(int(start_year), int(end_year))


def _title(
    n: int,
    per_period: Counter[str],
    per_category: Counter[str],
    periods: dict[str, dict[str, Any]],
    first: int,
    last: int,
) -> str:
    """A sentence that states what the selection shows, computed from counts."""
    # Compare periods only when the selection really spans several of them (no
    # period holds 60 % of it); otherwise (e.g. one period chosen) say which
    # kind of event leads.
    if len(per_period) > 1 and max(per_period.values()) * 5 < n * 3:
        ranked = per_period.most_common()
        top_count = ranked[0][1]
        leaders = [pid for pid, c in ranked if c == top_count]
        # Chronological order among ties.
        order = list(periods)
        leaders.sort(key=lambda pid: order.index(pid) if pid in order else len(order))
        spans = [_period_years(periods[p]) if p in periods else p for p in leaders]
        if len(leaders) > 1:
            return f"{join_words(spans)} have the most events in the collection ({top_count} each of {n})"
        leader = periods.get(leaders[0])
        named = f"{leader['name']} ({spans[0]})" if leader else spans[0]
        if len(named) > 48:
            named = spans[0]
        if top_count * 2 > n:
            return f"Most events in the collection ({top_count} of {n}) fall in {named}"
        return f"{named} has the most events in the collection: {top_count} of {n}"
    span = year_range(first, last)
    category, count = per_category.most_common(1)[0]
    if n == 1:
        return f"One event of {span} in this selection, about {category}"
    if count == n:
        return f"All {plural(n, 'event')} of {span} in this selection concern {category}"
    if count * 2 > n:
        return f"Most events of {span} in this selection ({count} of {n}) concern {category}"
    return f"{category.capitalize()} is the most frequent kind of event in {span}: {count} of {n}"


def _year_locator_base(years: float) -> int:
    for base in (1, 2, 5, 10, 20, 50):
        if years / base <= 12:
            return base
    return 100


def timeline_chart(
    events: pd.DataFrame | None = None,
    periods: pd.DataFrame | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    categories: str | Iterable[str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw the events on a time axis, with the collection's periods behind.

    Parameters
    ----------
    events, periods:
        Typed tables as returned by :func:`cambodia_russia.tables.load_events`
        and :func:`~cambodia_russia.tables.load_periods` (the shipped data when
        None). They are not modified.
    start_year, end_year:
        Show only these years (inclusive). By default the range of the events.
    categories:
        One category name or a list of them (default: all).
    title:
        Replace the computed title (which states what the data show).

    Returns
    -------
    Chart
        The figure and a one-sentence description (alt text) with the number
        of events, the range, the count per category and the busiest period.
    """
    import matplotlib.dates as mdates
    import numpy as np
    import pandas as pd
    from matplotlib.collections import PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    if events is None:
        from ..tables import load_events

        events = load_events()
    if periods is None:
        from ..tables import load_periods

        periods = load_periods()

    selected = select_events(events, start_year, end_year, categories)
    period_list = _period_table(periods)
    period_by_id = {p["id"]: p for p in period_list}
    n = len(selected)

    # ---- x range -------------------------------------------------------
    # Where an open period ("to today") ends: the latest year in the events given, not
    # the clock, so that stored charts do not change on 1 January.
    current_year = int(events["end"].max().year) if len(events) else _dt.date.today().year
    if n:
        data_first = int(selected["start"].min().year)
        data_last = int(selected["end"].max().year)
    else:
        data_first = data_last = current_year
    first_year = int(start_year) if start_year is not None else data_first
    last_year = max(int(end_year) if end_year is not None else data_last, first_year)
    x_lo = mdates.date2num(np.datetime64(f"{first_year:04d}-01-01"))
    x_hi = mdates.date2num(np.datetime64(f"{last_year + 1:04d}-01-01"))
    if start_year is None or end_year is None:
        pad = max((x_hi - x_lo) * 0.01, 20.0)
        if start_year is None:
            x_lo -= pad
        if end_year is None:
            x_hi += pad

    with style.apply_style():
        figure = readable_figure("wide", height=_HEIGHT_IN)
        ax = figure.add_axes(_AXES_RECT)
        fig_w_px = figure.get_figwidth() * figure.dpi
        fig_h_px = figure.get_figheight() * figure.dpi
        ax_w_px = _AXES_RECT[2] * fig_w_px
        ax_h_px = _AXES_RECT[3] * fig_h_px
        px_per_day = ax_w_px / (x_hi - x_lo)

        range_text = _range_label(start_year, end_year)
        if n == 0:
            what = "No events"
            if categories is not None:
                wanted = [categories] if isinstance(categories, str) else list(categories)
                what = f"No events of the categories {join_words(wanted)}" if wanted else "No categories chosen"
            message = f"{what} in {range_text}" if range_text != "the selection" else f"{what} to show"
            draw_message(ax, message)
            whole_title(figure, title or message)
            return Chart(figure, message + ": the timeline is empty.")

        # ---- period bands behind -------------------------------------
        # A year shared by two periods (one ends, the next starts) belongs to
        # both: the two bands meet in the middle of that year.
        starts_by_year = {p["start_year"] for p in period_list}
        ends_by_year = {p["end_year"] for p in period_list if p["end_year"] is not None}
        for period in period_list:
            p_start = period["start_year"]
            if p_start is None:
                continue
            p_end = period["end_year"] if period["end_year"] is not None else max(current_year, last_year)
            b0 = mdates.date2num(np.datetime64(f"{p_start:04d}-01-01"))
            b1 = mdates.date2num(np.datetime64(f"{p_end + 1:04d}-01-01"))
            if p_start in ends_by_year:
                b0 = mdates.date2num(np.datetime64(f"{p_start:04d}-07-02"))
            if period["end_year"] is not None and p_end in starts_by_year:
                b1 = mdates.date2num(np.datetime64(f"{p_end:04d}-07-02"))
            if b1 <= x_lo or b0 >= x_hi:
                continue
            period["_full_px"] = (b1 - b0) * px_per_day
            ax.add_artist(
                Rectangle(
                    (max(b0, x_lo), 0.0),
                    min(b1, x_hi) - max(b0, x_lo),
                    1.0,
                    transform=ax.get_xaxis_transform(),
                    facecolor=style.lighten(period["color"], BAND_LIGHTNESS),
                    edgecolor="none",
                    zorder=0,
                    gid=f"period:{period['id']}",
                )
            )
            period["_x"] = (max(b0, x_lo), min(b1, x_hi))

        # ---- geometry of every event ----------------------------------
        starts = mdates.date2num(selected["start"].to_numpy(dtype="datetime64[ns]"))
        ends = mdates.date2num(selected["end"].to_numpy(dtype="datetime64[ns]")) + 1.0
        precision = selected["precision"].astype(str).to_numpy()
        approx = selected["approximate"].fillna(False).astype(bool).to_numpy()
        has_end = selected["end_year"].notna().to_numpy() if "end_year" in selected else np.zeros(n, bool)
        cats = selected["category"].astype(str).to_numpy()
        titles = selected["title"].astype(str).to_numpy()
        ids = selected["id"].astype(str).to_numpy()
        period_ids = selected["period"].astype(str).to_numpy()

        is_span = (precision == "year") | approx | has_end
        marker_r_px = points_to_px(_MARKER_SIZE) / 2.0 + 1.0
        r_days = marker_r_px / px_per_day
        # The visible part of each box (boxes may start before the range shown).
        vis_l = np.maximum(starts, x_lo)
        vis_r = np.minimum(ends, x_hi)
        mark_x = np.where(precision == "day", starts, (starts + ends) / 2.0)
        mark_x = np.where(is_span, (vis_l + vis_r) / 2.0, mark_x)
        # Long boxes: the marker at the start of the visible part, the label may go inside.
        long_span = is_span & ((vis_r - vis_l) * px_per_day > 6 * marker_r_px)
        mark_x = np.where(long_span, vis_l + r_days + 3.0 / px_per_day, mark_x)
        item_l = np.minimum(np.where(is_span, vis_l, mark_x), mark_x - r_days)
        item_r = np.maximum(np.where(is_span, vis_r, mark_x), mark_x + r_days)
        # Everything in pixels from the left edge of the axes.
        l_px = ((item_l - x_lo) * px_per_day).tolist()
        r_px = ((item_r - x_lo) * px_per_day).tolist()
        mark_r_px = ((mark_x - x_lo) * px_per_day + marker_r_px).tolist()
        label_texts = [("c. " if a else "") + t for a, t in zip(approx.tolist(), titles.tolist())]

        # Key events first (they open or close a period), then contested ones, then the rest.
        key_ids = set().union(*(p["key_events"] for p in period_list)) if period_list else set()
        contested = (
            selected["contested"].fillna(False).astype(bool).to_numpy() if "contested" in selected else np.zeros(n, bool)
        )
        rank = [0 if ids[i] in key_ids else 1 if contested[i] else 2 for i in range(n)]
        priority = sorted(range(n), key=lambda i: (rank[i], i))

        lanes_px = ax_h_px - _HEADER_PX
        max_lanes = max(2, int(lanes_px // _LANE_PX))
        geometry = (l_px, r_px, mark_r_px, is_span.tolist(), label_texts)
        layout = assign_lanes(*geometry, max_lanes, ax_w_px, priority=priority, stop_on_overflow=True)
        compact_px = 0.0
        if layout.overflow:
            # Keep room at the bottom for the events that get no label, packed tightly.
            compact_px = _COMPACT_LANES * _COMPACT_PX
            max_lanes = max(1, int((lanes_px - compact_px) // _LANE_PX))
            layout = assign_lanes(
                *geometry, max_lanes, ax_w_px, compact_lanes=_COMPACT_LANES, priority=priority
            )
        lanes, labels, overflow = layout.lanes, layout.labels, layout.overflow

        n_labels = sum(1 for lab in labels if lab is not None)
        labels_full = [(i, *lab) for i, lab in enumerate(labels) if lab is not None]
        # y in pixels from the top of the axes: the header, the label lanes, the compact rows.
        lane_pitch = (lanes_px - compact_px) / max_lanes
        lane_y = np.array(
            [
                _HEADER_PX + (k + 0.5) * lane_pitch
                if k < max_lanes
                else ax_h_px - compact_px + (k - max_lanes + 0.5) * _COMPACT_PX
                for k in lanes
            ]
        )
        ax.set_ylim(ax_h_px, 0.0)
        ax.set_xlim(x_lo, x_hi)
        if overflow:
            ax.axhline(ax_h_px - compact_px, color=style.NEUTRAL, linewidth=1.0, linestyle=":", zorder=1)

        # ---- spans (boxes) --------------------------------------------
        all_categories = categories_of(events["category"])
        cat_styles = style.category_styles(all_categories + [c for c in cats if c not in all_categories])
        box_half = points_to_px(_MARKER_SIZE) / 2.0 + 3.0
        present = [c for c in cat_styles if c in set(cats)]
        for cat in present:
            color, marker = cat_styles[cat]
            in_cat = cats == cat
            span_idx = np.flatnonzero(in_cat & is_span)
            if len(span_idx):
                x0, x1, yc = starts[span_idx], ends[span_idx], lane_y[span_idx]
                verts = np.empty((len(span_idx), 4, 2))
                verts[:, 0, 0] = verts[:, 3, 0] = x0
                verts[:, 1, 0] = verts[:, 2, 0] = x1
                verts[:, 0, 1] = verts[:, 1, 1] = yc - box_half
                verts[:, 2, 1] = verts[:, 3, 1] = yc + box_half
                boxes = PolyCollection(
                    verts,
                    facecolors=style.lighten(color, BOX_LIGHTNESS),
                    edgecolors=color,
                    linewidths=1.6,
                    linestyles=["--" if approx[j] else "-" for j in span_idx],
                    zorder=2,
                    gid=f"spans:{cat}",
                )
                boxes.event_ids = tuple(ids[j] for j in span_idx)  # type: ignore[attr-defined]
                ax.add_collection(boxes, autolim=False)
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
                clip_on=False,  # a marker on the first or last day of the range is drawn whole
            )
            points.event_ids = tuple(ids[j] for j in idx)  # type: ignore[attr-defined]
            ax.add_artist(points)

        # ---- labels -----------------------------------------------------
        for i, x_px, label, ha in labels_full:
            ax.text(
                x_lo + x_px / px_per_day,
                lane_y[i],
                label,
                ha=ha,
                va="center",
                fontsize=_LABEL_SIZE,
                linespacing=_LABEL_LINESPACING,
                color=style.TEXT_COLOR,
                zorder=4,
                gid=f"label:{ids[i]}",
                clip_on=False,
            )

        # ---- period names in the header ---------------------------------
        _draw_period_header(ax, period_list, x_lo, px_per_day, ax_w_px)

        # ---- axes cosmetics --------------------------------------------
        years_shown = (x_hi - x_lo) / 365.25
        ax.xaxis.set_major_locator(mdates.YearLocator(_year_locator_base(years_shown)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        if years_shown <= 3:
            ax.xaxis.set_minor_locator(mdates.MonthLocator())
        ax.grid(axis="x", color="#BFBFBF", linewidth=0.8, zorder=1)
        ax.set_axisbelow(True)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="x", length=6)

        # ---- legend -------------------------------------------------------
        handles: list[Any] = [
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
                Patch(facecolor=style.LIGHT_NEUTRAL, edgecolor=style.NEUTRAL, label="box = known to the year")
            )
        if approx.any():
            handles.append(
                Patch(facecolor="white", edgecolor=style.NEUTRAL, linestyle="--", label="dashed = approximate date")
            )
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

        # ---- title, footnote, alt text -------------------------------------
        per_period = Counter(period_ids.tolist())
        per_category = Counter(cats.tolist())
        first_shown = int(selected["start"].min().year)
        last_shown = int(selected["end"].max().year)
        if start_year is not None:
            first_shown = max(first_shown, int(start_year))
        if end_year is not None:
            last_shown = min(last_shown, int(end_year))
        computed_title = _title(n, per_period, per_category, period_by_id, first_shown, last_shown)
        whole_title(figure, title or computed_title)

        alt = _alt_text(n, first_shown, last_shown, per_category, present, per_period, period_by_id)
        if n_labels < n:
            add_footnote(
                figure,
                f"Labels for {n_labels} of {n} events: those that open or close a period first, then "
                "contested ones. Find the others in the timeline explorer.",
                y=0.008,
            )
            alt += (
                f" Labels are shown for {n_labels} of the {n} events, those that open or close a period "
                "first, then contested ones; the others are unlabelled markers, listed in the timeline explorer."
            )
        if is_span.any():
            alt += " Events dated only to a year are drawn as boxes covering the whole year."
        return Chart(figure, alt)


def _alt_text(
    n: int,
    first: int,
    last: int,
    per_category: Counter[str],
    category_order: list[str],
    per_period: Counter[str],
    periods: dict[str, dict[str, Any]],
) -> str:
    cat_parts = [f"{per_category[c]} {c}" for c in category_order if per_category.get(c)]
    span = f"in {first}" if first == last else f"from {first} to {last}"
    sentence = f"Timeline of {plural(n, 'event')} {span}: {join_words(cat_parts)}."
    ranked = per_period.most_common()
    if ranked:
        top_count = ranked[0][1]
        leaders = [pid for pid, c in ranked if c == top_count]
        order = list(periods)
        leaders.sort(key=lambda pid: order.index(pid) if pid in order else len(order))
        names = [
            f"{periods[p]['name']} ({_period_years(periods[p])})" if p in periods else p for p in leaders
        ]
        if len(per_period) == 1:
            sentence += f" All of them belong to the period {names[0]}."
        elif len(leaders) == 1:
            sentence += f" The period with the most events is {names[0]}, with {top_count}."
        else:
            sentence += f" The periods with the most events are {join_words(names)}, with {top_count} each."
    return sentence


def _draw_period_header(
    ax: Any,
    period_list: list[dict[str, Any]],
    x_lo: float,
    px_per_day: float,
    ax_w_px: float,
) -> None:
    """Write each visible period's name (and years) at the top of its band.

    The header has two text rows. A name that fits its band goes in row 1
    with the years below; a longer name is wrapped over both rows (the years
    can then be read from the axis); a name is never shortened: where it does
    not fit, as for bands too narrow for a name, only the years are
    written in row 2, where they may reach past the band as long as they do
    not touch a neighbour's label or the edge of the chart.
    """
    size = style.BASE_FONT_SIZE
    y_rows = (_HEADER_PX * 0.28, _HEADER_PX * 0.72)
    y_middle = (y_rows[0] + y_rows[1]) / 2.0
    row_end = -1e12
    for period in period_list:
        if "_x" not in period:
            continue
        b0, b1 = period.pop("_x")
        band_px = (b1 - b0) * px_per_day - 18.0
        full_px = period.pop("_full_px", band_px)
        if band_px + 18.0 < min(0.3 * full_px, 120.0):
            continue  # only a sliver of this period is in view
        centre_px = ((b0 + b1) / 2.0 - x_lo) * px_per_day
        name = period["name"]
        years = _period_years(period)
        common = dict(ha="center", va="center", fontsize=size, color=style.TEXT_COLOR, clip_on=True)
        name_text = None
        years_too = True
        if text_width_px(name, size, weight="bold") <= band_px:
            name_text, y_name = name, y_rows[0]
        else:
            two = wrap(name, max(8, len(name) // 2 + 4)).split("\n")
            if len(two) == 2 and all(text_width_px(line, size, weight="bold") <= band_px for line in two):
                name_text, y_name, years_too = "\n".join(two), y_middle, False
        if name_text is not None:
            ax.text(
                x_lo + centre_px / px_per_day, y_name, name_text, fontweight="bold",
                linespacing=1.25, gid=f"period-name:{period['id']}", **common,
            )
        if not years_too:
            row_end = centre_px + band_px / 2.0
            continue
        width = text_width_px(years, size) + 4.0
        x_px = min(max(centre_px, width / 2.0 + 2.0), ax_w_px - width / 2.0 - 2.0)
        if x_px - width / 2.0 >= row_end + 12.0:
            ax.text(x_lo + x_px / px_per_day, y_rows[1], years, gid=f"period-years:{period['id']}", **common)
            row_end = x_px + width / 2.0
