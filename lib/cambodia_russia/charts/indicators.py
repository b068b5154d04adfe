"""Indicator chart: figures by year, one series per statistical system.

Figures on trade, tourism or students come from systems (customs, a ministry, UN COMTRADE, a
speech) that count different things: the chart keeps them apart and draws each figure's
bound honestly (:data:`cambodia_russia.style.BOUND_STYLES`): exact = filled circle, about =
hollow circle "≈60", more than = upward triangle and arrow ">200", less than / up to =
downward triangle and arrow "<800" / "≤40". A figure for several years is a bar over them.
Every figure is drawn at its value: equal values whose marks would hide each other are set
side by side (never up or down) with their labels stacked; nothing is clipped at the axes.
"""

from __future__ import annotations

import re
from typing import Any

from .. import style
from .base import (
    Chart,
    add_footnote,
    as_int,
    draw_message,
    join_words,
    plural,
    require,
    source_ids,
    text,
    text_width_px,
    wrap,
    year_range,
)
from .readable import readable_figure, whole_title

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
_ARROW_POINTS = 26.0
_NOT_STATED = "not stated"
_DODGE_POINTS, _STACK_POINTS = 18.0, 20.0  # equal figures: markers side by side, labels stacked
_VALUE_LABEL_PX = 80.0  # room taken by a value label such as ">8,000"
_X_MARGIN_PX = 50.0  # room left and right of the first and last year
_LEGEND_X = (0.02, 0.62)  # left edges of the series and marker legends (figure fractions)
_LEGEND_HANDLE_PX = 100.0  # a legend entry's line sample and padding
_BOUND_WORDS = {
    "about": "about ",
    "more than": "more than ",
    "less than": "less than ",
    "up to": "up to ",
}


def format_value(value: float) -> str:
    """A number as students read it: ``8,000``, ``110.7``, ``13.65``."""
    return f"{int(value):,}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(value: float, bound: str, unit: str = "") -> str:
    """A value with its bound in words: ``more than 200 million USD``."""
    return f"{_BOUND_WORDS.get(bound, '')}{format_value(value)} {unit}".strip()


def _listed(value: Any) -> list[str] | None:
    return None if value is None else [value] if isinstance(value, str) else list(map(str, value))


def select_indicators(
    indicators: Any,
    indicator: str | None = "trade_turnover",
    direction: Any = None,
    systems: Any = None,
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


def _end(row: Any) -> int | None:
    return as_int(getattr(row, "end_year", None))


def _years(row: Any) -> str:
    return str(int(row.year)) if _end(row) is None else year_range(int(row.year), _end(row))


def indicator_table(
    indicators: Any, indicator: str | None = None, direction: Any = None, systems: Any = None
) -> Any:
    """A tidy table to show next to the chart, one row per figure by indicator and year:
    Indicator, Years, Figure (bound in words), Direction, Statistical system, Sources, Note."""
    import pandas as pd

    rows = select_indicators(
        require(indicators, "indicators", "indicator_table"), indicator, direction, systems
    )
    rows = rows.sort_values(["indicator", "year", "id"], kind="stable")
    columns = ["Indicator", "Years", "Figure", "Direction", "Statistical system", "Sources", "Note"]
    records = [
        (
            text(r.label),
            _years(r),
            format_figure(float(r.value), text(r.bound), text(r.unit)),
            text(r.direction),
            text(r.system),
            ", ".join(source_ids(r.sources)),
            text(getattr(r, "note", "")),
        )
        for r in rows.itertuples(index=False)
    ]
    return pd.DataFrame.from_records(records, columns=columns)


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
    indicators: Any,
    indicator: str = "trade_turnover",
    direction: Any = None,
    systems: Any = None,
    title: str | None = None,
) -> Chart:
    """Draw one indicator's figures of ``indicators`` (``tables.indicators``, not modified) by
    year, one series per statistical system (and direction, when several directions remain).

    ``direction`` and ``systems`` keep only those values (one or a list); ``title`` replaces the
    computed one (the range of the figures). The description lists every figure with its bound.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    require(indicators, "indicators", "indicator_chart")
    rows = select_indicators(indicators, indicator, direction, systems)
    all_systems = sorted(
        {text(s) or _NOT_STATED for s in indicators["system"]},
        key=lambda name: (name == _NOT_STATED, name.lower()),
    )
    with style.apply_style():
        figure = readable_figure("wide")
        ax = figure.add_axes(_AXES_RECT)
        if len(rows) == 0:
            return _empty(figure, ax, indicators, indicator, direction, systems, title)

        labels = {text(v) for v in rows["label"]} - {""}
        label = (
            labels.pop()
            if len(labels) == 1
            else indicator.replace("_", " ").capitalize()
            if indicator
            else "Figures"
        )
        units = list(dict.fromkeys(text(u) for u in rows["unit"]))
        split = rows["direction"].astype(str).nunique() > 1
        series: dict[str, list[Any]] = {}
        for row in rows.itertuples(index=False):
            system = text(row.system) or _NOT_STATED
            key = f"{system} ({text(row.direction)})" if split else system
            series.setdefault(key, []).append(row)
        y_max = max(float(rows["value"].astype(float).max()) * 1.28, 0.0) or 1.0
        years = [int(y) for y in rows["year"]] + [
            e for y in rows["end_year"] if (e := as_int(y)) is not None
        ]
        first, last = min(years), max(years)
        axes_px = _AXES_RECT[2] * figure.get_figwidth() * figure.dpi
        margin = max(1.0, _X_MARGIN_PX * (last - first) / max(axes_px - 2 * _X_MARGIN_PX, 1.0))
        x_lo, x_hi = first - margin, last + margin
        px_per_year = axes_px / (x_hi - x_lo)
        dodge = _dodge(rows, px_per_year, y_max)
        used: set[int] = set()
        handles: list[Any] = []
        for key, members in series.items():
            system = key.split(" (")[0] if split else key  # a system keeps its colour
            index = all_systems.index(system) if system in all_systems else len(all_systems)
            while index in used:
                index += 1
            used.add(index)
            color, _marker, linestyle = style.series_style(index)
            points = [m for m in members if _end(m) is None]
            # Points join only within a named system (else they are separate statements), and
            # only over consecutive years: a gap in the data stays a gap.
            if len(points) > 1 and not key.startswith(_NOT_STATED):
                xs: list[float] = []
                ys: list[float] = []
                for m in points:
                    if xs and int(m.year) - xs[-1] > 1:
                        xs, ys = xs + [float("nan")], ys + [float("nan")]
                    xs, ys = xs + [int(m.year)], ys + [float(m.value)]
                ax.add_line(
                    Line2D(
                        xs,
                        ys,
                        color=color,
                        linestyle=linestyle,
                        linewidth=2.2,
                        zorder=2,
                        gid=f"series:{key}",
                    )
                )
            for m in members:
                _draw_figure(ax, m, color, dodge.get(str(m.id), 0))
            shown = legend_label(
                key.replace(_NOT_STATED, "no statistical system named", 1)
                if key.startswith(_NOT_STATED)
                else key
            )
            if shown not in [h.get_label() for h in handles]:  # one entry per meaning
                handles.append(
                    Line2D([], [], color=color, linestyle=linestyle, linewidth=2.5, label=shown)
                )

        # Whole years, values from zero (heights compare honestly), no tick label at the edge.
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(0, y_max)
        step = next(s for s in (1, 2, 5, 10, 20) if (last - first + 3) / s <= 12)
        ticks = np.arange(
            int(np.ceil(x_lo / step) * step), x_hi - _X_MARGIN_PX / 2 / px_per_year, step
        )
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_value(round(v, 2))))
        ax.annotate(
            " / ".join(units),
            xy=(0, 1),
            xycoords="axes fraction",
            xytext=(-4, 12),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=style.LABEL_FONT_SIZE,
            color=style.TEXT_COLOR,
            gid="unit",
        )
        tick_w = max(
            text_width_px(format_value(round(float(v), 2)), style.BASE_FONT_SIZE)
            for v in ax.yaxis.get_major_locator().tick_values(*ax.get_ylim())
        )
        left = (tick_w + 22.0) / (figure.get_figwidth() * figure.dpi)  # room for the tick labels
        ax.set_position([left, _AXES_RECT[1], _AXES_RECT[0] + _AXES_RECT[2] - left, _AXES_RECT[3]])
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
        ax.set_axisbelow(True)
        bounds = [text(b) or "exact" for b in rows["bound"]]
        _legends(figure, handles, [b for b in style.BOUND_STYLES if b in bounds])

        shown_systems = list(
            dict.fromkeys(text(m.system) or _NOT_STATED for m in rows.itertuples(index=False))
        )
        notes = (
            [
                "Different statistical systems count different things: compare figures within "
                "a series, not across series."
            ]
            if len(shown_systems) > 1
            else []
        )
        if len(units) > 1:
            notes.append(f"Careful: the figures use different units ({', '.join(units)}).")
        if len(years) > len(rows):
            notes.append("A bar marks one figure covering several years.")
        if dodge:
            notes.append("Figures with the same value overlap: their markers are set side by side.")
        if notes:
            add_footnote(figure, " ".join(notes))
        whole_title(figure, title or _title(label, rows, units, shown_systems))
        return Chart(figure, _alt_text(label, rows, units, series, shown_systems))


def _empty(
    figure: Any,
    ax: Any,
    indicators: Any,
    indicator: str,
    direction: Any,
    systems: Any,
    title: str | None,
) -> Chart:
    """The chart of an empty selection: a message naming it (and the known indicators)."""
    extras = [
        f"{what} {join_words(_listed(value) or [])}"
        for what, value in (("direction", direction), ("system", systems))
        if value is not None
    ]
    message = f"No figures for {indicator!r}" + (" with " + " and ".join(extras) if extras else "")
    draw_message(ax, message)
    whole_title(figure, title or message)
    known = sorted({text(k) for k in indicators["indicator"]} - {""})
    if known and indicator not in known:
        return Chart(figure, f"{message}. Known indicators: {', '.join(known)}.")
    return Chart(figure, message + ".")


def _draw_figure(ax: Any, m: Any, color: str, dodge: int) -> None:
    """One figure at its value: its bound's marker (set ``dodge`` steps right when it would hide
    an equal figure), an arrow for a one-sided bound, a bar over several years, and the value
    (above a bar's start; above a point, or below it when its arrow points up; stacked)."""
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    bound = text(m.bound) or "exact"
    b, end, y = style.bound_style(bound), _end(m), float(m.value)
    x = (int(m.year) + end) / 2.0 if end is not None else int(m.year)
    where = ax.transData  # moved sideways only, never up or down
    if dodge:
        where += ScaledTranslation(dodge * _DODGE_POINTS / 72.0, 0, ax.figure.dpi_scale_trans)
    if end is not None:
        ends = [int(m.year) - 0.5, end + 0.5]  # whole years
        ax.add_line(
            Line2D(
                ends,
                [y, y],
                color=color,
                linewidth=5.0,
                solid_capstyle="butt",
                alpha=0.75,
                zorder=2,
                gid=f"span:{m.id}",
                clip_on=False,
            )
        )
        ax.add_line(
            Line2D(
                ends,
                [y, y],
                linestyle="none",
                marker="|",
                markersize=18,
                markeredgewidth=2.5,
                color=color,
                zorder=2,
                clip_on=False,
            )
        )
    ax.add_line(
        Line2D(
            [x],
            [y],
            linestyle="none",
            marker=b.marker,
            markersize=_MARKER,
            markerfacecolor=color if b.filled else "white",
            markeredgecolor=color,
            markeredgewidth=2.2,
            zorder=4,
            gid=f"figure:{m.id}:{bound}",
            transform=where,
            clip_on=False,
        )
    )
    if bound in ("more than", "less than", "up to"):
        sign = 1.0 if bound == "more than" else -1.0
        ax.annotate(
            "",
            xy=(x, y),
            xytext=(0, sign * _ARROW_POINTS),
            textcoords="offset points",
            xycoords=where,
            zorder=3,
            gid=f"arrow:{m.id}:{'up' if sign > 0 else 'down'}",
            arrowprops=dict(
                arrowstyle="<|-",
                color=color,
                linewidth=2.0,
                mutation_scale=18,
                shrinkA=0,
                shrinkB=_MARKER / 2 + 1,
            ),
            annotation_clip=False,
        )
    stack = dodge * _STACK_POINTS
    if end is not None:
        at, anchor, offset, ha, va = (
            ax.transData,
            (int(m.year) - 0.5, y),
            (4, 6 + stack),
            "left",
            "bottom",
        )
    elif bound == "more than":
        at, anchor, offset, ha, va = where, (x, y), (0, -12 - stack), "center", "top"
    else:
        at, anchor, offset, ha, va = where, (x, y), (0, 12 + stack), "center", "bottom"
    ax.annotate(
        b.symbol + format_value(y),
        xy=anchor,
        xycoords=at,
        xytext=offset,
        textcoords="offset points",
        annotation_clip=False,
        fontsize=style.BASE_FONT_SIZE,
        color=style.TEXT_COLOR,
        ha=ha,
        va=va,
        zorder=5,
        gid=f"value:{m.id}",
        bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.0),
    )


def _legends(figure: Any, handles: list[Any], bounds: list[str]) -> None:
    """Under the plot: the series at the left (entries wrapped, never cut), the markers of the
    bounds present at the right."""
    from matplotlib.lines import Line2D

    n, fig_px = len(handles), figure.get_figwidth() * figure.dpi
    common = dict(
        loc="upper left", alignment="left", frameon=False, labelspacing=0.35, borderaxespad=0.0
    )
    legend = figure.legend(
        handles=handles,
        bbox_to_anchor=(_LEGEND_X[0], 0.285),
        title="Statistical system" + ("s" if n > 1 else ""),
        handlelength=3.0,
        ncol=1 if n <= 4 else 2,
        **common,
    )
    room = (_LEGEND_X[1] - _LEGEND_X[0]) * fig_px - _LEGEND_HANDLE_PX
    room = room if n <= 4 else room / 2 - _LEGEND_HANDLE_PX
    for entry in legend.get_texts():
        label = " ".join(entry.get_text().split())
        options = (wrap(label, width) for width in range(len(label), 0, -1))
        fits = (
            w
            for w in options
            if all(text_width_px(line, style.BASE_FONT_SIZE) <= room for line in w.split("\n"))
        )
        entry.set_text(next(fits, wrap(label, 1)))
    marks = [style.bound_style(b) for b in bounds]
    figure.legend(
        handles=[
            Line2D(
                [],
                [],
                linestyle="none",
                marker=b.marker,
                markersize=_MARKER,
                markerfacecolor=style.NEUTRAL if b.filled else "white",
                markeredgecolor=style.NEUTRAL,
                markeredgewidth=2.0,
                label=b.meaning,
            )
            for b in marks
        ],
        bbox_to_anchor=(_LEGEND_X[1], 0.285),
        title="Markers",
        ncol=1 if len(marks) <= 4 else 2,
        **common,
    )


def _dodge(rows: Any, px_per_year: float, y_max: float) -> dict[str, int]:
    """Figures to set aside, by how many steps: only equal values whose marks (points, or bars
    and their value labels) overlap; the later one moves a step right. No mark leaves its value."""
    mark_years, label_years = 2.0 * _MARKER / px_per_year, _VALUE_LABEL_PX / px_per_year
    placed: list[tuple[list[tuple[float, float]], float, int]] = []  # marks (x0, x1), value, step
    result: dict[str, int] = {}
    for row in rows.itertuples(index=False):
        end = _end(row)
        x = (int(row.year) + end) / 2.0 if end is not None else float(row.year)
        marks = [(x - mark_years, x + mark_years)]
        if end is not None:  # the value label at the start of the bar
            marks.append((int(row.year) - 0.5, int(row.year) - 0.5 + label_years))
        value = float(row.value)
        taken = {
            step
            for (others, v, step) in placed
            if abs(v - value) <= 0.002 * y_max
            and any(a < d and c < b for a, b in marks for c, d in others)
        }
        step = next(k for k in range(len(placed) + 1) if k not in taken)
        placed.append((marks, value, step))
        if step:
            result[str(row.id)] = step
    return result


def _title(label: str, rows: Any, units: list[str], systems: list[str]) -> str:
    unit = units[0] if len(units) == 1 else ""
    values = rows["value"].astype(float).tolist()
    bounds = [text(b) or "exact" for b in rows["bound"]]
    years = [_years(r) for r in rows.itertuples(index=False)]
    if len(rows) == 1:
        return f"{label}: {format_figure(values[0], bounds[0], unit)} in {years[0]} ({systems[0]})"
    lo, hi = values.index(min(values)), values.index(max(values))
    n, top = len(rows), format_figure(values[hi], bounds[hi], unit)
    if values[lo] == values[hi]:
        if len(set(bounds)) == 1:
            return f"{label}: all {n} figures say {top}"
        exact = format_figure(values[hi], "exact", unit)
        return f"{label}: all {n} figures give {exact} ({join_words(dict.fromkeys(bounds))})"
    span = f"from {format_figure(values[lo], bounds[lo])} ({years[lo]}) to {top} ({years[hi]})"
    if len(systems) > 1:
        return f"{label}: {n} figures from different statistical systems, {span}"
    return f"{label}: figures range {span}"


def _alt_text(
    label: str, rows: Any, units: list[str], series: dict[str, list[Any]], systems: list[str]
) -> str:
    years = [int(y) for y in rows["year"]] + [
        e for y in rows["end_year"] if (e := as_int(y)) is not None
    ]
    first, last = min(years), max(years)
    when = f"in {first}" if first == last else f"from {first} to {last}"
    head = (
        f"{label} ({' / '.join(units)}): {plural(len(rows), 'figure')} {when} in "
        f"{plural(len(series), 'series', 'series')}."
    )
    parts = [
        f"{key}: "
        + "; ".join(
            f"{_years(m)}: {format_figure(float(m.value), text(m.bound) or 'exact')}"
            for m in members
        )
        + "."
        for key, members in series.items()
    ]
    tail = (
        " The statistical systems count different things, so the series are not directly "
        "comparable."
        if len(systems) > 1
        else ""
    )
    return head + " " + " ".join(parts) + tail
