"""Periodisation chart: every scheme of periods as one row of bars on a shared time axis; a
period runs from 1 January of its first year to 31 December of its last (periods sharing a year
meet mid-year), and its name is written whole, inside its bar or under it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .. import style
from . import base

__all__ = ["periodisation_chart", "scheme_summary", "SCHEME_LABELS", "BAR_LIGHTNESS"]

#: How schemes are named for students; another scheme shows its id ("my_scheme" -> "My scheme").
SCHEME_LABELS = {
    "collection": "This collection",
    "mosyakov": "Mosyakov (2021)",
    "kin_phea": "Kin Phea (2021)",
}
BAR_LIGHTNESS = 0.55  # how much the period colours are mixed with white inside the bars
# Vertical layout in pixels: above the axes (title), below (years, footnote), and per row:
# the scheme's name, its bar, and two lanes (two lines of text each) for names under the bar.
_TOP_PX, _BOTTOM_PX, _ROW_TITLE_PX, _BAR_PX, _LANE_PX, _LANES = 95.0, 105.0, 26.0, 52.0, 48.0, 2
_ROW_PX = _ROW_TITLE_PX + _BAR_PX + 4.0 + _LANES * _LANE_PX + 8.0
_AXES_X = (0.025, 0.95)  # left and width, in figure fractions
_FADE_STEPS = 6
_SCHEME = dict(fontsize=style.LABEL_FONT_SIZE, fontweight="bold", color=style.TEXT_COLOR, zorder=5)
_NAME = dict(fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR, zorder=5, linespacing=1.15)


def scheme_summary(periods: Any) -> dict[str, list[dict[str, Any]]]:
    """Periods by scheme (schema order), each list in the scheme's order, as dicts with ``id``,
    ``name``, ``start_year`` and ``end_year`` (None when open-ended); no period without a start."""
    by_id = {str(r.id): r for r in periods.itertuples(index=False)}
    result = {}
    for scheme in base.categories_of(periods["scheme"]):
        rows = [by_id[pid] for pid in style.period_order(periods, scheme)]
        rows = [
            {"id": str(r.id), "name": base.text(r.name) or str(r.id)}
            | {"start_year": base.as_int(r.start_year), "end_year": base.as_int(r.end_year)}
            for r in rows
            if base.as_int(r.start_year) is not None
        ]
        if rows:
            result[scheme] = rows
    return result


def _breaks(rows: list[dict[str, Any]]) -> set[int]:
    """Years in which a scheme starts a new period (not counting its first)."""
    return {r["start_year"] for r in rows[1:]}


def periodisation_chart(
    periods: Any, current_year: int | None = None, scheme_labels=None, title: str | None = None
) -> base.Chart:
    """Draw each periodisation scheme of ``periods`` (``tables.periods``, not modified) as a row
    of bars on one time axis.

    ``current_year`` is where periods "to today" stop, e.g. ``tables.events["end"].max().year``
    (data, not the clock, so a stored chart never changes on 1 January); it is required when a
    period is open-ended. ``scheme_labels`` renames schemes (see :data:`SCHEME_LABELS`); ``title``
    replaces the computed one. The description lists every scheme's periods.
    """
    base.require(periods, "periods", "periodisation_chart")
    labels = {**SCHEME_LABELS, **(scheme_labels or {})}
    names = {
        s: labels.get(s) or s.replace("_", " ").capitalize()
        for s in base.categories_of(periods["scheme"])
    }
    schemes = scheme_summary(periods)
    all_rows = [r for rows in schemes.values() for r in rows]
    ends = [r["end_year"] for r in all_rows if r["end_year"] is not None]
    any_open = len(ends) < len(all_rows)
    if current_year is None and any_open:
        raise ValueError(
            "periodisation_chart: a period runs to today; say where it ends with "
            "current_year=, e.g. tables.events['end'].max().year"
        )
    current_year = int(max(ends, default=0) if current_year is None else current_year)

    with style.apply_style():
        axes_px = max(len(schemes), 1) * _ROW_PX
        figure = base.new_figure("wide", height=(_TOP_PX + axes_px + _BOTTOM_PX) / style.DPI)
        fig_h = figure.get_figheight() * figure.dpi
        ax = figure.add_axes((_AXES_X[0], _BOTTOM_PX / fig_h, _AXES_X[1], axes_px / fig_h))
        if not schemes:
            base.draw_message(ax, "No periods to show")
            base.set_title(figure, title or "No periods to show")
            return base.Chart(figure, "No periods to show: the periods table is empty.")

        first = min(r["start_year"] for r in all_rows)
        x_lo = first - 1.0
        x_hi = max(max(ends, default=first) + 1, current_year + 1 if any_open else 0)
        x_hi += 3.0 if any_open else 1.0
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(axes_px, 0.0)  # pixels from the top of the axes
        px_per_year = _AXES_X[1] * figure.get_figwidth() * figure.dpi / (x_hi - x_lo)
        reference = schemes.get("collection") if len(schemes) > 1 else None
        for year in sorted(_breaks(reference or [])):  # the collection's breaks, across every row
            ax.axvline(year + 0.5, color="#7F7F7F", linewidth=1.0, linestyle=(0, (2, 3)), zorder=1)
        for row_index, (scheme, rows) in enumerate(schemes.items()):
            colors = style.period_colors(periods, scheme)
            starts = {r["start_year"] for r in rows}
            row_ends = {r["end_year"] for r in rows if r["end_year"] is not None}
            y0 = row_index * _ROW_PX + _ROW_TITLE_PX
            at = (x_lo + 4.0 / px_per_year, y0 - 4.0)
            ax.text(*at, names[scheme], ha="left", va="bottom", gid=f"scheme:{scheme}", **_SCHEME)
            lanes = [-1e12] * _LANES  # right edge (px) of the last name in each lane
            for r in rows:
                start, end = r["start_year"], r["end_year"]
                x0 = start + (0.5 if start in row_ends else 0.0)
                meets = end in starts and end != start
                x1 = current_year + 1.0 if end is None else end + (0.5 if meets else 1.0)
                _bar(ax, r["id"], x0, x1, y0, colors[r["id"]], end is None)
                _name(ax, r, (x0, x1), y0, px_per_year, lanes, (x_lo, x_hi))

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        step = 5 if (x_hi - x_lo) <= 60 else 10
        ticks = list(range(math.ceil(x_lo / step) * step, int(x_hi) + 1, step))
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.tick_params(axis="x", length=6)
        base.set_title(figure, title or _title(schemes, names))
        notes = ["Dotted lines: this collection's breaks."] if reference else []
        if any_open:
            notes.append(f"Fading bar with arrow: still open (drawn to {current_year}).")
        base.add_footnote(figure, " ".join(notes + ["Periods that share a year meet mid-year."]))
        return base.Chart(figure, _alt_text(schemes, names, current_year))


def _bar(ax: Any, pid: str, x0: float, x1: float, y0: float, color: str, is_open: bool) -> None:
    """A period's bar; an open one is solid up to two years before its end, then fades out in
    steps, with an arrow."""
    from matplotlib.patches import Rectangle

    fill, h = style.lighten(color, BAR_LIGHTNESS), _BAR_PX
    solid = max(x0 + 0.5, x1 - 2.5) if is_open else x1
    step = (x1 - solid) / _FADE_STEPS
    pieces = [(x0, solid - x0, None, f"period:{pid}")] + [
        (solid + k * step, step, 1.0 - (k + 1) / (_FADE_STEPS + 1), f"open:{pid}")
        for k in range(_FADE_STEPS if is_open else 0)
    ]
    edge = dict(ec="none") if is_open else dict(ec=color, lw=1.6)
    for left, width, alpha, gid in pieces:
        ax.add_artist(
            Rectangle((left, y0), width, h, fc=fill, alpha=alpha, zorder=2, gid=gid, **edge)
        )
    if is_open:  # the outline without its right end, and an arrow
        for xs, ys in (([x0, x1], [y0, y0]), ([x0, x1], [y0 + h] * 2), ([x0, x0], [y0, y0 + h])):
            ax.plot(xs, ys, color=color, linewidth=1.6, zorder=3)
        arrow = dict(arrowstyle="-|>", color=color, linewidth=2.0, mutation_scale=22)
        mid, gid = y0 + h / 2, f"open-arrow:{pid}"
        ax.annotate("", (x1 + 1.4, mid), (x1 - 0.2, mid), arrowprops=arrow, zorder=4, gid=gid)


def _narrowest(value: str, max_lines: int) -> tuple[list[str], float]:
    """The narrowest word wrapping of the whole text in at most ``max_lines`` lines; its width."""
    clean = " ".join(value.split())
    lines = [clean]  # a single word when no wrapping holds it
    for width in range(max(1, -(-len(clean) // max_lines)), len(clean) + 1):
        if len(wrapped := base.wrap(clean, width).split("\n")) <= max_lines:
            lines = wrapped
            break
    return lines, max(base.text_width_px(line, style.BASE_FONT_SIZE) for line in lines)


def _name(ax, r: dict, x: tuple, bar_top: float, px_per_year: float, lanes: list, view: tuple):
    """Write a period's whole name: inside its bar (with its years when they fit), else with its
    years in two lines under the bar, centred (nudged right at most half their width past a name
    already there) in the first lane with room, else in the lane that ends first."""
    size, years = style.BASE_FONT_SIZE, base.year_range(r["start_year"], r["end_year"])
    inner_px, centre = (x[1] - x[0]) * px_per_year - 8.0, (x[0] + x[1]) / 2.0
    common = dict(gid=f"period-name:{r['id']}", **_NAME)
    inside = dict(x=centre, y=bar_top + _BAR_PX / 2, ha="center", va="center", **common)
    if max(base.text_width_px(r["name"], size), base.text_width_px(years, size)) <= inner_px:
        ax.text(s=f"{r['name']}\n{years}", **inside)
        return
    lines, width = _narrowest(r["name"], 2)
    if width <= inner_px:
        ax.text(s="\n".join(lines), **inside)
        return
    lines, width = _narrowest(f"{r['name']} ({years})", 2)
    right_px = (view[1] - view[0]) * px_per_year
    want = min(max((centre - view[0]) * px_per_year - width / 2.0, 2.0), right_px - width - 2.0)
    choices = [(lane, max(want, end + 12.0)) for lane, end in enumerate(lanes)]
    fits = [
        c
        for shift in (0.0, width / 2.0)
        for c in choices
        if c[1] - want <= shift and c[1] + width <= right_px - 2.0
    ]
    lane, left = fits[0] if fits else min(choices, key=lambda c: lanes[c[0]])
    box = dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.0)
    y = bar_top + _BAR_PX + 6.0 + lane * _LANE_PX
    x_text = view[0] + (left + width / 2.0) / px_per_year
    ax.text(x_text, y, "\n".join(lines), ha="center", va="top", bbox=box, **common)
    lanes[lane] = left + width


def _title(schemes: dict[str, list[dict[str, Any]]], names: Mapping[str, str]) -> str:
    """A sentence on where the schemes agree and differ, computed from the data."""
    if len(schemes) == 1:
        scheme, rows = next(iter(schemes.items()))
        years = base.year_range(rows[0]["start_year"], rows[-1]["end_year"])
        return f"{names[scheme]} divides {years} into {base.plural(len(rows), 'period')}"
    k, break_sets = len(schemes), [_breaks(rows) for rows in schemes.values()]
    common = sorted(set.intersection(*break_sets))
    differing = sorted(set.union(*break_sets) - set(common))
    starts = sorted({rows[0]["start_year"] for rows in schemes.values()})
    parts = [f"the start ({' or '.join(map(str, starts))})"] if len(starts) > 1 else []
    if differing:
        more = ["other years"] if len(differing) > 5 else []
        shown = base.join_words([str(y) for y in differing[:5]] + more)
        parts.append(f"on {shown}" if parts else f"breaks in {shown}")
    if common:
        head = f"All {k} schemes break in {base.join_words(map(str, common))}"
        return head + (f" but differ on {base.join_words(parts)}" if parts else "")
    if parts:
        return f"The {k} schemes share no break year: they differ on {base.join_words(parts)}"
    return f"The {k} schemes start their periods in the same years"


def _alt_text(schemes: dict[str, list[dict]], names: Mapping[str, str], current_year: int) -> str:
    k = len(schemes)
    if k > 1:
        head = f"{base.plural(k, 'way')} of dividing the history into periods, drawn one above the other on one time axis"
    else:
        head = "One way of dividing the history into periods"
    parts = [head] + [
        f"{names[s]}: {base.plural(len(rows), 'period')} ("
        + "; ".join(f"{r['name']} {base.year_range(r['start_year'], r['end_year'])}" for r in rows)
        + ")"
        for s, rows in schemes.items()
    ]
    sentence = ". ".join(parts) + "."
    if k > 1:
        common = sorted(set.intersection(*[_breaks(rows) for rows in schemes.values()]))
        if common:
            sentence += f" Every scheme starts a new period in {base.join_words(map(str, common))}."
        else:
            sentence += " No year starts a new period in every scheme."
    if any(r["end_year"] is None for rows in schemes.values() for r in rows):
        sentence += f" Open-ended periods are drawn up to {current_year}."
    return sentence
