"""Periodisation chart: every scheme of periods as one row on a shared time axis.

Each scheme in the periods table (the collection's own scheme, Mosyakov's,
Kin Phea's, or any scheme a teacher adds) becomes one row of bars. Periods
run from 1 January of their first year to 31 December of their last year;
when one period ends in the year the next one starts, the two bars meet in
the middle of that year (the year belongs to both). A period without an end
year ("to today") is drawn up to the current year, fading out, with an arrow.

Every period's name is written whole, wrapped on word boundaries, never cut:
inside its bar when it fits, else with its years in one of two label lanes
under the bar. The figure is
:data:`~cambodia_russia.charts.readable.FIGURE_WIDTH_IN` inches wide and as
tall as its rows need, so that its 14-point text stays at least 12 points on
a notebook's screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import style
from .base import (
    Chart,
    add_footnote,
    as_int,
    categories_of,
    draw_message,
    join_words,
    plural,
    require,
    text,
    text_width_px,
    wrap,
)
from .readable import readable_figure, whole_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["periodisation_chart", "scheme_summary", "SCHEME_LABELS", "BAR_LIGHTNESS"]

#: How the schemes of ``periods.csv`` are named for students. A scheme that is
#: not listed is shown by its id ("my_scheme" -> "My scheme").
SCHEME_LABELS: Mapping[str, str] = {
    "collection": "This collection",
    "mosyakov": "Mosyakov (2021)",
    "kin_phea": "Kin Phea (2021)",
}

# Vertical layout in pixels: room above the axes (title) and below (years, footnote),
# then per scheme row: its name, its bar, and two lanes for names written under the bar.
_TOP_PX, _BOTTOM_PX = 95.0, 105.0
_ROW_TITLE_PX = 26.0
_BAR_PX = 52.0
_LANE_PX = 48.0  # two lines of 14 pt text
_LANES = 2
_ROW_PX = _ROW_TITLE_PX + _BAR_PX + 4.0 + _LANES * _LANE_PX + 8.0
_AXES_X = (0.025, 0.95)  # left and width, in figure fractions
_FADE_STEPS = 6
#: How much the period colours are mixed with white inside the bars.
BAR_LIGHTNESS = 0.55


def _scheme_label(scheme: str, labels: Mapping[str, str]) -> str:
    return labels.get(scheme) or scheme.replace("_", " ").capitalize()


def scheme_summary(periods: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """Periods grouped by scheme, each list in the scheme's order.

    Schemes come in the order of the ``scheme`` column's categories (the
    schema's order), then any other scheme in order of appearance. Each period
    is a dict with ``id``, ``name``, ``start_year`` and ``end_year`` (None
    when open-ended).
    """
    names = {
        str(pid): (text(name) or str(pid), as_int(start), as_int(end))
        for pid, name, start, end in zip(
            periods["id"].tolist(),
            periods["name"].tolist(),
            periods["start_year"].tolist(),
            periods["end_year"].tolist(),
        )
    }
    present = {text(s) for s in periods["scheme"].tolist()}
    schemes = [s for s in categories_of(periods["scheme"]) if s in present]
    result: dict[str, list[dict[str, Any]]] = {}
    for scheme in schemes:
        rows = []
        for pid in style.period_order(periods, scheme):
            name, start, end = names[pid]
            if start is None:
                continue
            rows.append({"id": pid, "name": name, "start_year": start, "end_year": end})
        if rows:
            result[scheme] = rows
    return result


def _breaks(rows: list[dict[str, Any]]) -> set[int]:
    """Years in which a scheme starts a new period (not counting its first)."""
    return {r["start_year"] for r in rows[1:]}


def _title(schemes: dict[str, list[dict[str, Any]]], labels: Mapping[str, str], current_year: int) -> str:
    """A sentence on where the schemes agree and differ, computed from the data."""
    if len(schemes) == 1:
        scheme, rows = next(iter(schemes.items()))
        last = rows[-1]["end_year"]
        return (
            f"{_scheme_label(scheme, labels)} divides {rows[0]['start_year']}–"
            f"{last if last is not None else 'today'} into {plural(len(rows), 'period')}"
        )
    k = len(schemes)
    break_sets = [_breaks(rows) for rows in schemes.values()]
    common = sorted(set.intersection(*break_sets))
    differing = sorted(set.union(*break_sets) - set(common))
    starts = sorted({rows[0]["start_year"] for rows in schemes.values()})
    parts = []
    if len(starts) > 1:
        parts.append(f"the start ({' or '.join(str(s) for s in starts)})")
    if differing:
        shown = [str(y) for y in differing[:5]] + (["other years"] if len(differing) > 5 else [])
        parts.append(f"on {join_words(shown)}" if parts else f"breaks in {join_words(shown)}")
    if common:
        # Short enough for two title lines on the 10-inch figure.
        head = f"All {k} schemes break in {join_words([str(y) for y in common])}"
        return head + (f" but differ on {join_words(parts)}" if parts else "")
    if parts:
        return f"The {k} schemes share no break year: they differ on {join_words(parts)}"
    return f"The {k} schemes start their periods in the same years"


def periodisation_chart(
    periods: pd.DataFrame,
    current_year: int | None = None,
    scheme_labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw each periodisation scheme as a row of bars on one time axis.

    Parameters
    ----------
    periods:
        The typed periods table (``tables.periods``). Not modified.
    current_year:
        Where open-ended periods ("to today") stop, e.g. the year of the latest event
        (``tables.events["end"].max().year``); data, not the clock, so a stored chart
        never changes on 1 January. Required when a period is open-ended.
    scheme_labels:
        Names shown for the schemes (default :data:`SCHEME_LABELS`).
    title:
        Replace the computed title (which says where the schemes agree and
        where they differ).

    Returns
    -------
    Chart
        The figure and a description listing every scheme's periods.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    require(periods, "periods", "periodisation_chart")
    labels = dict(SCHEME_LABELS)
    labels.update(scheme_labels or {})
    schemes = scheme_summary(periods)
    if current_year is None:
        if any(r["end_year"] is None for rows in schemes.values() for r in rows):
            raise ValueError("periodisation_chart: a period runs to today; say where it ends with "
                             "current_year=, e.g. tables.events['end'].max().year")
        current_year = max((r["end_year"] for rows in schemes.values() for r in rows), default=0)
    current_year = int(current_year)

    with style.apply_style():
        n_rows = max(len(schemes), 1)
        axes_px = n_rows * _ROW_PX
        figure = readable_figure("wide", height=(_TOP_PX + axes_px + _BOTTOM_PX) / style.DPI)
        fig_h_px = figure.get_figheight() * figure.dpi
        ax = figure.add_axes((_AXES_X[0], _BOTTOM_PX / fig_h_px, _AXES_X[1], axes_px / fig_h_px))
        if not schemes:
            message = "No periods to show"
            draw_message(ax, message)
            whole_title(figure, title or message)
            return Chart(figure, message + ": the periods table is empty.")

        all_rows = [r for rows in schemes.values() for r in rows]
        first = min(r["start_year"] for r in all_rows)
        last_end = max((r["end_year"] for r in all_rows if r["end_year"] is not None), default=first)
        any_open = any(r["end_year"] is None for r in all_rows)
        right = max(last_end + 1, current_year + 1 if any_open else last_end + 1)
        x_lo, x_hi = first - 1.0, right + (3.0 if any_open else 1.0)
        ax.set_xlim(x_lo, x_hi)
        # y in pixels from the top of the axes.
        ax.set_ylim(axes_px, 0.0)
        fig_w_px = figure.get_figwidth() * figure.dpi
        px_per_year = _AXES_X[1] * fig_w_px / (x_hi - x_lo)
        size = style.BASE_FONT_SIZE

        # Guide lines at the collection scheme's breaks, across every row.
        reference = schemes.get("collection")
        if reference and n_rows > 1:
            for year in sorted(_breaks(reference)):
                ax.axvline(year + 0.5, color="#7F7F7F", linewidth=1.0, linestyle=(0, (2, 3)), zorder=1)

        open_notes = []
        for row_index, (scheme, rows) in enumerate(schemes.items()):
            colors = style.period_colors(periods, scheme)
            row_starts = {r["start_year"] for r in rows}
            row_ends = {r["end_year"] for r in rows if r["end_year"] is not None}
            row_title = _scheme_label(scheme, labels)
            row_top = row_index * _ROW_PX
            y0 = row_top + _ROW_TITLE_PX
            bar_h = _BAR_PX
            ax.text(x_lo + 4.0 / px_per_year, y0 - 4.0, row_title, ha="left", va="bottom",
                    fontsize=style.LABEL_FONT_SIZE, fontweight="bold", color=style.TEXT_COLOR,
                    zorder=5, gid=f"scheme:{scheme}")
            lane_ends = [-1e12] * _LANES  # right edge (px) of the names already written in each lane
            for r in rows:
                start, end = r["start_year"], r["end_year"]
                x0 = start + (0.5 if start in row_ends else 0.0)
                if end is None:
                    x1 = current_year + 1.0
                elif end in row_starts and end != start:
                    x1 = end + 0.5
                else:
                    x1 = end + 1.0
                color = colors[r["id"]]
                fill = style.lighten(color, BAR_LIGHTNESS)
                if end is None:
                    # Solid up to two years before today, then fading out.
                    solid_end = max(x0 + 0.5, x1 - 2.5)
                    bar = Rectangle((x0, y0), solid_end - x0, bar_h, facecolor=fill,
                                    edgecolor="none", zorder=2, gid=f"period:{r['id']}")
                    ax.add_artist(bar)
                    step = (x1 - solid_end) / _FADE_STEPS
                    for k in range(_FADE_STEPS):
                        ax.add_artist(
                            Rectangle(
                                (solid_end + k * step, y0), step, bar_h, facecolor=fill,
                                alpha=1.0 - (k + 1) / (_FADE_STEPS + 1), edgecolor="none", zorder=2,
                                gid=f"open:{r['id']}",
                            )
                        )
                    ax.add_artist(Line2D([x0, x1], [y0, y0], color=color, linewidth=1.6, zorder=3))
                    ax.add_artist(Line2D([x0, x1], [y0 + bar_h] * 2, color=color, linewidth=1.6, zorder=3))
                    ax.add_artist(Line2D([x0, x0], [y0, y0 + bar_h], color=color, linewidth=1.6, zorder=3))
                    ax.annotate(
                        "", xy=(x1 + 1.4, y0 + bar_h / 2), xytext=(x1 - 0.2, y0 + bar_h / 2),
                        arrowprops=dict(arrowstyle="-|>", color=color, linewidth=2.0, mutation_scale=22),
                        zorder=4, gid=f"open-arrow:{r['id']}",
                    )
                    open_notes.append(f"{r['name']} ({_scheme_label(scheme, labels)})")
                else:
                    bar = Rectangle((x0, y0), x1 - x0, bar_h, facecolor=fill, edgecolor=color,
                                    linewidth=1.6, zorder=2, gid=f"period:{r['id']}")
                    ax.add_artist(bar)
                years = f"{start}–{end if end is not None else 'today'}"
                _label_period(ax, r, years, x0, x1, y0, px_per_year, lane_ends, x_lo, x_hi, size)

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        step = 5 if (x_hi - x_lo) <= 60 else 10
        ticks = np.arange(int(np.ceil(x_lo / step) * step), x_hi + 0.01, step)
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.tick_params(axis="x", length=6)

        whole_title(figure, title or _title(schemes, labels, current_year))
        notes = []
        if reference and n_rows > 1:
            notes.append("Dotted lines: this collection's breaks.")
        if open_notes:
            notes.append(f"Fading bar with arrow: still open (drawn to {current_year}).")
        notes.append("Periods that share a year meet mid-year.")
        add_footnote(figure, " ".join(notes))

        alt = _alt_text(schemes, labels, current_year)
        return Chart(figure, alt)


def _narrowest(text_value: str, max_lines: int, size: float) -> tuple[list[str], float]:
    """The narrowest wrapping of the whole text on word boundaries into at most ``max_lines`` lines."""
    clean = " ".join(text_value.split())
    for width in range(max(1, -(-len(clean) // max_lines)), len(clean) + 1):
        lines = wrap(clean, width).split("\n")
        if len(lines) <= max_lines:
            break
    else:  # a single word
        lines = [clean]
    return lines, max(text_width_px(line, size) for line in lines)


def _label_period(
    ax: Any,
    r: dict[str, Any],
    years: str,
    x0: float,
    x1: float,
    bar_top: float,
    px_per_year: float,
    lane_ends: list[float],
    x_lo: float,
    x_hi: float,
    size: float,
) -> None:
    """Write a period's whole name: inside its bar, or with its years under the bar if too narrow.

    Inside, the name goes on one line with the years below, or on two lines
    (the bar's ends show the years). Under the bar, name and years are
    wrapped into two lines, centred under the bar (nudged right past a name
    already there, at most half their width) in the first of the lanes with
    room; when no lane has room, in the lane that ends first, further right.
    ``lane_ends`` holds the right edge (pixels) of each lane's last name.
    """
    name = r["name"]
    inner_px = (x1 - x0) * px_per_year - 8.0
    centre = (x0 + x1) / 2.0
    bar_mid = bar_top + _BAR_PX / 2.0
    common = dict(fontsize=size, color=style.TEXT_COLOR, zorder=5, gid=f"period-name:{r['id']}")
    one_line = text_width_px(name, size)
    if one_line <= inner_px and text_width_px(years, size) <= inner_px:
        ax.text(centre, bar_mid, f"{name}\n{years}", ha="center", va="center", linespacing=1.15, **common)
        return
    lines, width = _narrowest(name, 2, size)
    if width <= inner_px:
        ax.text(centre, bar_mid, "\n".join(lines), ha="center", va="center", linespacing=1.15, **common)
        return
    lines, width = _narrowest(f"{name} ({years})", 2, size)
    centre_px = (centre - x_lo) * px_per_year
    right_px = (x_hi - x_lo) * px_per_year
    left_px = min(max(centre_px - width / 2.0, 2.0), right_px - width - 2.0)
    choice = None
    for max_shift in (0.0, width / 2.0):
        for lane, end in enumerate(lane_ends):
            left = max(left_px, end + 12.0)
            if left - left_px <= max_shift and left + width <= right_px - 2.0:
                choice = (lane, left)
                break
        if choice:
            break
    if choice is None:
        lane = min(range(len(lane_ends)), key=lane_ends.__getitem__)
        choice = (lane, max(left_px, lane_ends[lane] + 12.0))
    lane, left = choice
    y = bar_top + _BAR_PX + 4.0 + lane * _LANE_PX + 2.0
    ax.text(x_lo + (left + width / 2.0) / px_per_year, y, "\n".join(lines), ha="center", va="top",
            linespacing=1.15, bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.0), **common)
    lane_ends[lane] = left + width


def _alt_text(schemes: dict[str, list[dict[str, Any]]], labels: Mapping[str, str], current_year: int) -> str:
    parts = []
    for scheme, rows in schemes.items():
        listed = [
            f"{r['name']} {r['start_year']}–{r['end_year'] if r['end_year'] is not None else 'today'}"
            for r in rows
        ]
        parts.append(f"{_scheme_label(scheme, labels)}: {plural(len(rows), 'period')} ({'; '.join(listed)})")
    k = len(schemes)
    head = (
        f"{plural(k, 'way')} of dividing the history into periods, drawn one above the other on one time axis"
        if k > 1
        else "One way of dividing the history into periods"
    )
    sentence = f"{head}. " + ". ".join(parts) + "."
    if k > 1:
        break_sets = [_breaks(rows) for rows in schemes.values()]
        common = sorted(set.intersection(*break_sets))
        if common:
            sentence += f" Every scheme starts a new period in {join_words([str(y) for y in common])}."
        else:
            sentence += " No year starts a new period in every scheme."
    if any(r["end_year"] is None for rows in schemes.values() for r in rows):
        sentence += f" Open-ended periods are drawn up to {current_year}."
    return sentence
