"""Periodisation chart: every scheme of periods as one row on a shared time axis.

Each scheme in the periods table (the collection's own scheme, Mosyakov's,
Kin Phea's, or any scheme a teacher adds) becomes one row of bars. Periods
run from 1 January of their first year to 31 December of their last year;
when one period ends in the year the next one starts, the two bars meet in
the middle of that year (the year belongs to both). A period without an end
year ("to today") is drawn up to the current year, fading out, with an arrow.
"""

from __future__ import annotations

import datetime as _dt
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
    new_figure,
    plural,
    set_title,
    text,
    text_width_px,
    truncate,
    wrap,
)

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

_AXES_RECT = (0.025, 0.14, 0.95, 0.70)
_BAR_HALF = 0.25  # half the bar height, in rows
_BAR_OFFSET = 0.08  # bars sit a little below the row centre, under the row title
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
        shown = [str(y) for y in differing[:5]] + (["…"] if len(differing) > 5 else [])
        parts.append(f"breaks in {join_words(shown)}")
    if common:
        head = f"All {k} schemes start a new period in {join_words([str(y) for y in common])}"
        return head + (f", but differ on {join_words(parts)}" if parts else "")
    if parts:
        return f"The {k} schemes share no break year: they differ on {join_words(parts)}"
    return f"The {k} schemes start their periods in the same years"


def latest_event_year(events: pd.DataFrame | None = None) -> int:
    """The last year any event covers: where "to today" ends in a chart. Data, not the
    clock, so stored notebook outputs stay the same from one year to the next."""
    if events is None:
        from ..tables import load_events

        events = load_events()
    if events.empty:
        return _dt.date.today().year
    return int(events["end"].max().year)


def periodisation_chart(
    periods: pd.DataFrame | None = None,
    current_year: int | None = None,
    scheme_labels: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw each periodisation scheme as a row of bars on one time axis.

    Parameters
    ----------
    periods:
        The typed periods table (:func:`cambodia_russia.tables.load_periods`;
        the shipped data when None). Not modified.
    current_year:
        Where open-ended periods ("to today") stop; default: the year of the latest
        event in the shipped data (not the clock, so a stored chart never changes on
        1 January).
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

    if periods is None:
        from ..tables import load_periods

        periods = load_periods()
    labels = dict(SCHEME_LABELS)
    labels.update(scheme_labels or {})
    if current_year is None:
        current_year = latest_event_year()
    current_year = int(current_year)
    schemes = scheme_summary(periods)

    with style.apply_style():
        figure = new_figure("wide")
        ax = figure.add_axes(_AXES_RECT)
        if not schemes:
            message = "No periods to show"
            draw_message(ax, message)
            set_title(figure, title or message)
            return Chart(figure, message + ": the periods table is empty.")

        all_rows = [r for rows in schemes.values() for r in rows]
        first = min(r["start_year"] for r in all_rows)
        last_end = max((r["end_year"] for r in all_rows if r["end_year"] is not None), default=first)
        any_open = any(r["end_year"] is None for r in all_rows)
        right = max(last_end + 1, current_year + 1 if any_open else last_end + 1)
        x_lo, x_hi = first - 1.0, right + (3.0 if any_open else 1.0)
        ax.set_xlim(x_lo, x_hi)
        n_rows = len(schemes)
        ax.set_ylim(n_rows - 0.3, -0.5)
        fig_w_px = figure.get_figwidth() * figure.dpi
        px_per_year = _AXES_RECT[2] * fig_w_px / (x_hi - x_lo)
        row_px = _AXES_RECT[3] * figure.get_figheight() * figure.dpi / (n_rows + 0.2)
        size = style.BASE_FONT_SIZE
        line_px = size * figure.dpi / 72.0 * 1.3
        max_lines_inside = max(1, int((2 * _BAR_HALF * row_px - 6) // line_px))

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
            title_y = row_index + _BAR_OFFSET - _BAR_HALF - 0.05
            ax.text(x_lo + 4.0 / px_per_year, title_y, row_title, ha="left", va="bottom",
                    fontsize=style.LABEL_FONT_SIZE, fontweight="bold", color=style.TEXT_COLOR,
                    zorder=5, gid=f"scheme:{scheme}")
            title_px = 4.0 + text_width_px(row_title, style.LABEL_FONT_SIZE, weight="bold")
            outside_end = [-1e12, title_px]  # right edge (px) of outside labels below / above
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
                y0 = row_index + _BAR_OFFSET - _BAR_HALF
                if end is None:
                    # Solid up to two years before today, then fading out.
                    solid_end = max(x0 + 0.5, x1 - 2.5)
                    bar = Rectangle((x0, y0), solid_end - x0, 2 * _BAR_HALF, facecolor=fill,
                                    edgecolor="none", zorder=2, gid=f"period:{r['id']}")
                    ax.add_artist(bar)
                    step = (x1 - solid_end) / _FADE_STEPS
                    for k in range(_FADE_STEPS):
                        ax.add_artist(
                            Rectangle(
                                (solid_end + k * step, y0), step, 2 * _BAR_HALF, facecolor=fill,
                                alpha=1.0 - (k + 1) / (_FADE_STEPS + 1), edgecolor="none", zorder=2,
                                gid=f"open:{r['id']}",
                            )
                        )
                    ax.add_artist(Line2D([x0, x1], [y0, y0], color=color, linewidth=1.6, zorder=3))
                    ax.add_artist(Line2D([x0, x1], [y0 + 2 * _BAR_HALF] * 2, color=color, linewidth=1.6, zorder=3))
                    ax.add_artist(Line2D([x0, x0], [y0, y0 + 2 * _BAR_HALF], color=color, linewidth=1.6, zorder=3))
                    ax.annotate(
                        "", xy=(x1 + 1.4, row_index + _BAR_OFFSET), xytext=(x1 - 0.2, row_index + _BAR_OFFSET),
                        arrowprops=dict(arrowstyle="-|>", color=color, linewidth=2.0, mutation_scale=22),
                        zorder=4, gid=f"open-arrow:{r['id']}",
                    )
                    open_notes.append(f"{r['name']} ({_scheme_label(scheme, labels)})")
                else:
                    bar = Rectangle((x0, y0), x1 - x0, 2 * _BAR_HALF, facecolor=fill, edgecolor=color,
                                    linewidth=1.6, zorder=2, gid=f"period:{r['id']}")
                    ax.add_artist(bar)
                years = f"{start}–{end if end is not None else 'today'}"
                _label_period(ax, r, years, x0, x1, row_index + _BAR_OFFSET, px_per_year, max_lines_inside,
                              outside_end, x_lo, x_hi, size)

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        step = 5 if (x_hi - x_lo) <= 60 else 10
        ticks = np.arange(int(np.ceil(x_lo / step) * step), x_hi + 0.01, step)
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.tick_params(axis="x", length=6)

        set_title(figure, title or _title(schemes, labels, current_year))
        notes = []
        if reference and n_rows > 1:
            notes.append("Dotted lines: this collection's breaks.")
        if open_notes:
            notes.append(f"Fading bar with arrow: still open (drawn to {current_year}).")
        notes.append("Periods that share a year meet mid-year.")
        add_footnote(figure, " ".join(notes))

        alt = _alt_text(schemes, labels, current_year)
        return Chart(figure, alt)


def _label_period(
    ax: Any,
    r: dict[str, Any],
    years: str,
    x0: float,
    x1: float,
    row: int,
    px_per_year: float,
    max_lines: int,
    outside_end: list[float],
    x_lo: float,
    x_hi: float,
    size: float,
) -> None:
    """Write a period's name and years inside its bar, or beside it if too narrow."""
    inner_px = (x1 - x0) * px_per_year - 8.0
    name = r["name"]
    years_fit = text_width_px(years, size) <= inner_px
    centre = (x0 + x1) / 2.0
    # Inside the bar: the name on as few lines as possible, then the years;
    # if that is too tall, the name alone (the bar's ends show the years).
    for lines_allowed, with_years in ((max_lines - 1, True), (max_lines, False)):
        if lines_allowed < 1 or (with_years and not years_fit):
            continue
        for width_chars in range(max(len(name), 1), 3, -1):
            candidate = wrap(name, width_chars, max_lines=lines_allowed).split("\n")
            if "…" in candidate[-1]:
                break  # narrower wrapping only needs more lines
            if all(text_width_px(line, size) <= inner_px for line in candidate):
                label = "\n".join(candidate + ([years] if with_years else []))
                ax.text(centre, row, label, ha="center", va="center", fontsize=size,
                        color=style.TEXT_COLOR, linespacing=1.2, zorder=5, gid=f"period-name:{r['id']}")
                return
    # Too narrow: a short label under the bar (or above, if the space below is taken).
    short = truncate(name, 24) + f" ({years})"
    width = text_width_px(short, size)
    centre_px = (centre - x_lo) * px_per_year
    right_px = (x_hi - x_lo) * px_per_year
    left_px = min(max(centre_px - width / 2.0, 2.0), right_px - width - 2.0)
    slots = ((row + _BAR_HALF + 0.04, "top"), (row - _BAR_HALF - 0.04, "bottom"))
    # First choice: centred under (or over) the bar; then nudged right, at most
    # half its width, past the label already there.
    for max_shift in (0.0, width / 2.0):
        for slot, (y, va) in enumerate(slots):
            left = max(left_px, outside_end[slot] + 12.0)
            if left - left_px <= max_shift and left + width <= right_px - 2.0:
                ax.text(x_lo + (left + width / 2.0) / px_per_year, y, short, ha="center", va=va,
                        fontsize=size, color=style.TEXT_COLOR, zorder=5, gid=f"period-name:{r['id']}")
                outside_end[slot] = left + width
                return
    # No room anywhere: the period's first letters inside the bar (its full
    # name is in the chart description).
    ax.text(centre, row, truncate(name, 3), ha="center", va="center", fontsize=size,
            color=style.TEXT_COLOR, zorder=5, gid=f"period-name:{r['id']}")


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
