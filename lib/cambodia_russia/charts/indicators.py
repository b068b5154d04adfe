"""Indicator chart: figures by year, one series per statistical system (they count different
things). Each figure is drawn at its value with its bound's marker (:data:`.style.BOUND_STYLES`);
equal figures whose marks would hide each other are set side by side, never up or down.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

from .. import style
from . import base

__all__ = [
    "indicator_chart",
    "indicator_table",
    "select_indicators",
    "format_value",
    "format_figure",
    "legend_label",
]

_AXES_RECT = (0.085, 0.355, 0.89, 0.46)
_MARKER = 12.0  # marker size, points
_NOT_STATED = "not stated"
_DODGE_POINTS, _STACK_POINTS = 18.0, 20.0  # equal figures: markers side by side, labels stacked
_VALUE_LABEL_PX = 80.0  # room taken by a value label such as ">8,000"
_X_MARGIN_PX = 50.0  # room left and right of the first and last year
_LEGEND_AT = ((0.02, 0.285), (0.62, 0.285))  # the series and the marker legends (figure)
_LEGEND_HANDLE_PX = 100.0  # a legend entry's line sample and padding
_FREE = dict(textcoords="offset points", annotation_clip=False)  # annotations outside the axes
_ARROW = dict(
    arrowstyle="<|-", linewidth=2.0, mutation_scale=18, shrinkA=0, shrinkB=_MARKER / 2 + 1
)
_LEGEND = dict(
    loc="upper left", alignment="left", frameon=False, labelspacing=0.35, borderaxespad=0
)
_LABEL = dict(fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR, zorder=5)


def format_value(value: float) -> str:
    """A number as students read it: ``8,000``, ``110.7``, ``13.65``."""
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(value: float, bound: str, unit: str = "") -> str:
    """A value with its bound in words: ``more than 200 million USD``."""
    words = f"{bound} " if bound in style.BOUND_STYLES and bound != "exact" else ""
    return f"{words}{format_value(value)} {unit}".strip()


class _Figure(NamedTuple):
    """One row of the indicators table, as drawn."""

    id: str
    year: int
    end: int | None  # the last year of a figure over several years
    value: float
    bound: str

    @property
    def x(self) -> float:
        return self.year if self.end is None else (self.year + self.end) / 2.0

    @property
    def years(self) -> str:
        return str(self.year) if self.end is None else base.year_range(self.year, self.end)

    @property
    def words(self) -> str:
        return format_figure(self.value, self.bound)


def _figure(row: Any) -> _Figure:
    end = base.as_int(getattr(row, "end_year", None))
    return _Figure(
        str(row.id), int(row.year), end, float(row.value), base.text(row.bound) or "exact"
    )


def _listed(value: Any) -> list[str] | None:
    return None if value is None else [value] if isinstance(value, str) else list(map(str, value))


def select_indicators(
    indicators: Any, indicator: str | None = "trade_turnover", direction: Any = None, systems=None
) -> Any:
    """The rows drawn (a new frame by year): one indicator (None = all); ``direction`` and
    ``systems`` a value or a list (None = all)."""
    mask = indicators["id"].notna()
    if indicator is not None:
        mask &= indicators["indicator"].astype(str) == indicator
    for column, wanted in (("direction", _listed(direction)), ("system", _listed(systems))):
        if wanted is not None:
            mask &= indicators[column].astype(str).isin(wanted)
    return indicators.loc[mask].sort_values(["year", "id"], kind="stable")


def indicator_table(
    indicators: Any, indicator: str | None = None, direction: Any = None, systems: Any = None
) -> Any:
    """A tidy table to show next to the chart, one row per figure by indicator and year:
    Indicator, Years, Figure (bound in words), Direction, Statistical system, Sources, Note."""
    import pandas as pd

    base.require(indicators, "indicators", "indicator_table")
    rows = select_indicators(indicators, indicator, direction, systems)
    rows = rows.sort_values(["indicator", "year", "id"], kind="stable")
    figures = [_figure(r) for r in rows.itertuples()]

    def cells(column: str) -> list[str]:
        return [base.text(v) for v in rows[column]] if column in rows else [""] * len(rows)

    return pd.DataFrame(
        {
            "Indicator": cells("label"),
            "Years": [f.years for f in figures],
            "Figure": [
                format_figure(f.value, f.bound, u)
                for f, u in zip(figures, cells("unit"), strict=True)
            ],
            "Direction": cells("direction"),
            "Statistical system": cells("system"),
            "Sources": [", ".join(base.source_ids(cited)) for cited in rows["sources"]],
            "Note": cells("note"),
        }
    )


def legend_label(label: str) -> str:
    """``label`` without a bracketed part that another bracketed part repeats, so a legend says
    each thing once: "M (whole EAEU) (trade with the whole EAEU)" -> "M (trade with the whole
    EAEU)"."""
    parts = re.findall(r"\(([^()]*)\)", label)
    for part in parts:
        if any(part != other and part.strip().lower() in other.lower() for other in parts):
            label = label.replace(f"({part})", "", 1)
    return " ".join(label.split())


def indicator_chart(
    indicators: Any, indicator: str = "trade_turnover", direction=None, systems=None, title=None
) -> base.Chart:
    """Draw one indicator's figures of ``indicators`` (``tables.indicators``, not modified) by
    year, one series per statistical system (and direction, when several directions remain).

    ``direction`` and ``systems`` keep only those values (one or a list); ``title`` replaces the
    computed one (the range of the figures). The description lists every figure with its bound.
    """
    base.require(indicators, "indicators", "indicator_chart")
    rows = select_indicators(indicators, indicator, direction, systems)
    with style.apply_style():
        figure = base.new_figure("wide")
        ax = figure.add_axes(_AXES_RECT)
        if len(rows) == 0:
            chosen = {"direction": _listed(direction), "system": _listed(systems)}
            extras = [f"{what} {base.join_words(v)}" for what, v in chosen.items() if v is not None]
            message = f"No figures for {indicator!r}"
            if extras:
                message += " with " + " and ".join(extras)
            base.draw_message(ax, message)
            base.set_title(figure, title or message)
            known = sorted({base.text(k) for k in indicators["indicator"]} - {""})
            if known and indicator not in known:
                return base.Chart(figure, f"{message}. Known indicators: {', '.join(known)}.")
            return base.Chart(figure, message + ".")

        labels = {base.text(v) for v in rows["label"]} - {""}
        fallback = indicator.replace("_", " ").capitalize() if indicator else "Figures"
        label = labels.pop() if len(labels) == 1 else fallback
        units = list(dict.fromkeys(base.text(u) for u in rows["unit"]))
        split = rows["direction"].astype(str).nunique() > 1
        figures, series = [], {}  # series: key -> (system, figures)
        for row in rows.itertuples(index=False):
            system = base.text(row.system) or _NOT_STATED
            key = f"{system} ({base.text(row.direction)})" if split else system
            figures.append(_figure(row))
            series.setdefault(key, (system, []))[1].append(figures[-1])
        years = [f.year for f in figures] + [f.end for f in figures if f.end is not None]
        first, last = min(years), max(years)
        y_max = max(max(f.value for f in figures) * 1.28, 0.0) or 1.0
        axes_px = _AXES_RECT[2] * figure.get_figwidth() * figure.dpi
        margin = max(1.0, _X_MARGIN_PX * (last - first) / max(axes_px - 2 * _X_MARGIN_PX, 1.0))
        x_lo, x_hi = first - margin, last + margin
        px_per_year = axes_px / (x_hi - x_lo)
        dodge = _dodge(figures, px_per_year, y_max)
        handles = _draw_series(ax, series, indicators, dodge)

        # Whole years, values from zero (heights compare honestly), no tick label at the edge.
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(0, y_max)
        step = next(s for s in (1, 2, 5, 10, 20) if (last - first + 3) / s <= 12)
        stop = math.ceil(x_hi - _X_MARGIN_PX / 2 / px_per_year)
        ticks = list(range(math.ceil(x_lo / step) * step, stop, step))
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.yaxis.set_major_formatter(lambda v, _pos: format_value(round(v, 2)))
        unit = dict(xycoords="axes fraction", xytext=(-4, 12), ha="left", va="bottom", gid="unit")
        size, color = style.LABEL_FONT_SIZE, style.TEXT_COLOR
        ax.annotate(" / ".join(units), (0, 1), **unit, fontsize=size, color=color, **_FREE)
        ticks = [format_value(round(float(v), 2)) for v in ax.yaxis.get_major_locator()()]
        tick_w = max(base.text_width_px(tick, style.BASE_FONT_SIZE) for tick in ticks)
        left = (tick_w + 22.0) / (figure.get_figwidth() * figure.dpi)  # room for the tick labels
        ax.set_position([left, _AXES_RECT[1], _AXES_RECT[0] + _AXES_RECT[2] - left, _AXES_RECT[3]])
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
        ax.set_axisbelow(True)
        _legends(figure, handles, {f.bound for f in figures})

        shown_systems = list(dict.fromkeys(system for system, _ in series.values()))
        notes = {
            "Different statistical systems count different things: compare figures within a "
            "series, not across series.": len(shown_systems) > 1,
            f"Careful: the figures use different units ({', '.join(units)}).": len(units) > 1,
            "A bar marks one figure covering several years.": len(years) > len(figures),
            "Figures with the same value overlap: their markers are set side by side.": bool(dodge),
        }
        if any(notes.values()):
            base.add_footnote(figure, " ".join(note for note, wanted in notes.items() if wanted))
        base.set_title(figure, title or _title(label, figures, units, shown_systems))
        when = f"in {first}" if first == last else f"from {first} to {last}"
        head = f"{label} ({' / '.join(units)}): {base.plural(len(figures), 'figure')} {when} in "
        parts = [head + base.plural(len(series), "series", "series") + "."] + [
            f"{key}: {'; '.join(f'{f.years}: {f.words}' for f in members)}."
            for key, (_, members) in series.items()
        ]
        if len(shown_systems) > 1:
            parts.append(
                "The statistical systems count different things, so the series are not directly comparable."
            )
        return base.Chart(figure, " ".join(parts))


def _draw_series(ax: Any, series: dict[str, Any], indicators: Any, dodge: dict) -> list:
    """Each series' figures, and a line through its points in consecutive years (a gap stays a
    gap) when its system is named; the legend handles, one per meaning."""
    from matplotlib.lines import Line2D

    all_systems = sorted(
        {base.text(s) or _NOT_STATED for s in indicators["system"]},
        key=lambda name: (name == _NOT_STATED, name.lower()),
    )
    used: set[int] = set()
    handles: dict[str, Any] = {}
    for key, (system, members) in series.items():
        index = all_systems.index(system)  # a system keeps its colour; a direction takes the next
        while index in used:
            index += 1
        used.add(index)
        color, _marker, linestyle = style.series_style(index)
        points: list[tuple[float, float]] = []
        for f in members:
            if f.end is None:
                if points and f.year > points[-1][0] + 1:
                    points.append((math.nan, math.nan))
                points.append((f.year, f.value))
        if len(points) > 1 and system != _NOT_STATED:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, color=color, ls=linestyle, lw=2.2, zorder=2, gid=f"series:{key}")
        for f in members:
            _draw_figure(ax, f, color, dodge.get(f.id, 0))
        shown = legend_label(re.sub(f"^{_NOT_STATED}", "no statistical system named", key))
        handles.setdefault(shown, Line2D([], [], color=color, ls=linestyle, lw=2.5, label=shown))
    return list(handles.values())


def _marker(b: Any, color: str, edge: float) -> dict[str, Any]:
    """How a bound's marker (a :class:`.style.BoundStyle`) looks, on the chart and in a legend."""
    face = color if b.filled else "white"
    return dict(ls="none", marker=b.marker, ms=_MARKER, mfc=face, mec=color, mew=edge)


def _draw_figure(ax: Any, f: _Figure, color: str, dodge: int) -> None:
    """One figure at its value: its bound's marker (set ``dodge`` steps right when it would hide
    an equal figure), an arrow for a one-sided bound, a bar over several years, and the value
    (above a bar's start; above a point, or below it when its arrow points up; stacked)."""
    from matplotlib.transforms import ScaledTranslation

    at, x, y = ax.transData, f.x, f.value  # moved sideways only, never up or down
    if dodge:
        at += ScaledTranslation(dodge * _DODGE_POINTS / 72.0, 0, ax.figure.dpi_scale_trans)
    if f.end is not None:
        ends, bar = [f.year - 0.5, f.end + 0.5], dict(color=color, zorder=2, clip_on=False)
        ax.plot(ends, [y, y], lw=5.0, solid_capstyle="butt", alpha=0.75, gid=f"span:{f.id}", **bar)
        ax.plot(ends, [y, y], ls="none", marker="|", ms=18, mew=2.5, **bar)
    look = _marker(style.bound_style(f.bound), color, 2.2)
    ax.plot([x], [y], zorder=4, gid=f"figure:{f.id}:{f.bound}", transform=at, clip_on=False, **look)
    up = f.bound == "more than"
    if up or f.bound in ("less than", "up to"):
        arrow = {**_ARROW, "color": color}
        gid = f"arrow:{f.id}:{'up' if up else 'down'}"
        ax.annotate(
            "", (x, y), (0, 26 if up else -26), at, arrowprops=arrow, zorder=3, gid=gid, **_FREE
        )
    stack = dodge * _STACK_POINTS
    if f.end is not None:
        xy, at, offset, ha, va = (f.year - 0.5, y), ax.transData, (4, 6 + stack), "left", "bottom"
    elif up:
        xy, offset, ha, va = (x, y), (0, -12 - stack), "center", "top"
    else:
        xy, offset, ha, va = (x, y), (0, 12 + stack), "center", "bottom"
    value = style.bound_style(f.bound).symbol + format_value(y)
    box = dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.0)
    ax.annotate(
        value, xy, offset, at, ha=ha, va=va, gid=f"value:{f.id}", bbox=box, **_LABEL, **_FREE
    )


def _legends(figure: Any, handles: list[Any], present: set[str]) -> None:
    """Under the plot: the series at the left (entries wrapped, never cut), the markers of the
    bounds present at the right."""
    from matplotlib.lines import Line2D

    n = len(handles)
    series = dict(title="Statistical system" + ("s" if n > 1 else ""), ncol=1 if n <= 4 else 2)
    legend = figure.legend(
        handles=handles, bbox_to_anchor=_LEGEND_AT[0], handlelength=3.0, **series, **_LEGEND
    )
    room = (_LEGEND_AT[1][0] - _LEGEND_AT[0][0]) * figure.get_figwidth() * figure.dpi
    room = room - _LEGEND_HANDLE_PX if n <= 4 else room / 2 - 1.5 * _LEGEND_HANDLE_PX
    for entry in legend.get_texts():
        entry.set_text(base.fit_lines(entry.get_text(), room, style.BASE_FONT_SIZE, None))
    bounds = [style.bound_style(b) for b in style.BOUND_STYLES if b in present]
    marks = [Line2D([], [], label=b.meaning, **_marker(b, style.NEUTRAL, 2.0)) for b in bounds]
    markers = dict(title="Markers", ncol=1 if len(marks) <= 4 else 2)
    figure.legend(handles=marks, bbox_to_anchor=_LEGEND_AT[1], **markers, **_LEGEND)


def _dodge(figures: list[_Figure], px_per_year: float, y_max: float) -> dict[str, int]:
    """Figures to set aside, by how many steps: only equal values whose marks (points, or bars
    and their value labels) overlap; the later one moves a step right."""
    mark_years, label_years = 2.0 * _MARKER / px_per_year, _VALUE_LABEL_PX / px_per_year
    placed: list[tuple[list[tuple[float, float]], float, int]] = []  # marks (x0, x1), value, step
    result: dict[str, int] = {}
    for f in figures:
        marks = [(f.x - mark_years, f.x + mark_years)]
        if f.end is not None:  # the value label at the start of the bar
            marks.append((f.year - 0.5, f.year - 0.5 + label_years))
        taken = {
            step
            for (others, value, step) in placed
            if abs(value - f.value) <= 0.002 * y_max
            and any(a < d and c < b for a, b in marks for c, d in others)
        }
        step = min(set(range(len(placed) + 1)) - taken)
        placed.append((marks, f.value, step))
        if step:
            result[f.id] = step
    return result


def _title(label: str, figures: list[_Figure], units: list[str], systems: list[str]) -> str:
    unit = units[0] if len(units) == 1 else ""
    values = [f.value for f in figures]
    lo, hi = values.index(min(values)), values.index(max(values))
    n, top = len(figures), format_figure(values[hi], figures[hi].bound, unit)
    if n == 1:
        return f"{label}: {top} in {figures[0].years} ({systems[0]})"
    if values[lo] == values[hi]:
        bounds = list(dict.fromkeys(f.bound for f in figures))
        if len(bounds) == 1:
            return f"{label}: all {n} figures say {top}"
        exact = format_figure(values[hi], "exact", unit)
        return f"{label}: all {n} figures give {exact} ({base.join_words(bounds)})"
    span = f"from {figures[lo].words} ({figures[lo].years}) to {top} ({figures[hi].years})"
    if len(systems) > 1:
        return f"{label}: {n} figures from different statistical systems, {span}"
    return f"{label}: figures range {span}"
