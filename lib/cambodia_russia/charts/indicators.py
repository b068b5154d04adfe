"""Indicator chart: figures by year, one series per statistical system.

Figures about trade, tourism or students come from different statistical
systems (a customs service, a ministry, UN COMTRADE, an ambassador's speech)
that count different things. The chart keeps them apart and draws each
figure's bound honestly:

=============  ============================================  ==========
bound          marker                                        value label
=============  ============================================  ==========
exact          filled circle                                 ``110.7``
about          hollow circle                                 ``≈60``
more than      filled upward triangle with an upward arrow   ``>200``
less than      filled downward triangle, downward arrow      ``<800``
up to          hollow downward triangle, downward arrow      ``≤40``
=============  ============================================  ==========

A figure for several years (``end_year``) is a horizontal bar over those
years. Series are told apart by colour, line style and name.

Every figure is drawn at its value, whatever its bound. Figures with the same
value whose marks would hide each other have their markers set side by side
(a few points apart) and their value labels stacked; no mark is moved up or
down. Markers, arrows and labels are never clipped at the axes, and the
axes leave room for them. The figure is
:data:`~cambodia_russia.charts.readable.FIGURE_WIDTH_IN` inches wide so that
its 14-point text stays at least 12 points on a notebook's screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

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
    year_range,
)
from .readable import readable_figure, whole_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["indicator_chart", "indicator_table", "select_indicators", "format_value", "format_figure", "legend_label"]

_AXES_RECT = (0.085, 0.355, 0.89, 0.46)
_MARKER_SIZE = 12.0
_ARROW_POINTS = 26.0
_NOT_STATED = "not stated"
_DODGE_POINTS = 18.0  # how far apart the markers of figures with the same value are set, side by side
_STACK_POINTS = 20.0  # how far apart their value labels are stacked
_VALUE_LABEL_PX = 80.0  # room taken by a value label such as ">8,000"
_X_MARGIN_PX = 50.0  # at least this much room left and right of the first and last year
_SERIES_LEGEND_X, _BOUND_LEGEND_X = 0.02, 0.62  # left edges of the two legends (figure fractions)
_LEGEND_HANDLE_PX = 100.0  # a legend entry's line sample, padding and a gap before the next column


def format_value(value: float) -> str:
    """A number as students read it: ``8,000``, ``110.7``, ``13.65``."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(value: float, bound: str, unit: str = "") -> str:
    """A value with its bound in words: ``more than 200 million USD``."""
    words = {"exact": "", "about": "about ", "more than": "more than ", "less than": "less than ", "up to": "up to "}
    figure = words.get(bound, "") + format_value(value)
    return f"{figure} {unit}".strip()


def _wanted(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else [str(v) for v in value]


def select_indicators(
    indicators: pd.DataFrame,
    indicator: str | None = "trade_turnover",
    direction: str | Iterable[str] | None = None,
    systems: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows drawn by :func:`indicator_chart` (a new frame, sorted by year).

    ``indicator`` is an indicator key (None = every indicator); ``direction``
    and ``systems`` are a value or a list of values (None = all).
    """
    mask = indicators["id"].notna()
    if indicator is not None:
        mask &= indicators["indicator"].astype(str) == indicator
    wanted_dir = _wanted(direction)
    if wanted_dir is not None:
        mask &= indicators["direction"].astype(str).isin(wanted_dir)
    wanted_sys = _wanted(systems)
    if wanted_sys is not None:
        mask &= indicators["system"].astype(str).isin(wanted_sys)
    return indicators.loc[mask].sort_values(["year", "id"], kind="stable")


def indicator_table(
    indicators: pd.DataFrame,
    indicator: str | None = None,
    direction: str | Iterable[str] | None = None,
    systems: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """A tidy table of figures for display next to the chart.

    Columns: Indicator, Years, Figure (with its bound in words), Direction,
    Statistical system, Sources (ids), Note. One row per figure, by indicator
    and year. ``indicator=None`` lists every indicator.
    """
    import pandas as pd

    rows = select_indicators(require(indicators, "indicators", "indicator_table"), indicator, direction, systems)
    rows = rows.sort_values(["indicator", "year", "id"], kind="stable")
    records = []
    for row in rows.itertuples(index=False):
        year = as_int(row.year)
        end = as_int(getattr(row, "end_year", None))
        records.append(
            {
                "Indicator": text(row.label),
                "Years": year_range(year, end) if end is not None else str(year),
                "Figure": format_figure(float(row.value), text(row.bound), text(row.unit)),
                "Direction": text(row.direction),
                "Statistical system": text(row.system),
                "Sources": ", ".join(source_ids(row.sources)),
                "Note": text(getattr(row, "note", "")),
            }
        )
    columns = ["Indicator", "Years", "Figure", "Direction", "Statistical system", "Sources", "Note"]
    return pd.DataFrame.from_records(records, columns=columns)


def _series_key(row: Any, split_direction: bool) -> str:
    system = text(row.system) or "not stated"
    return f"{system} ({text(row.direction)})" if split_direction else system


def indicator_chart(
    indicators: pd.DataFrame,
    indicator: str = "trade_turnover",
    direction: str | Iterable[str] | None = None,
    systems: str | Iterable[str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw one indicator's figures by year, one series per statistical system.

    Parameters
    ----------
    indicators:
        The typed indicators table (``tables.indicators``). Not modified.
    indicator:
        The indicator key, e.g. ``"trade_turnover"``, ``"exports"``,
        ``"tourist_arrivals"``.
    direction, systems:
        Keep only these directions / statistical systems (a value or a list).
        When several directions remain, each (system, direction) pair is its
        own series.
    title:
        Replace the computed title (which gives the range of the figures).

    Returns
    -------
    Chart
        The figure and a description listing every figure with its bound.
    """
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.transforms import ScaledTranslation

    rows = select_indicators(require(indicators, "indicators", "indicator_chart"), indicator, direction, systems)
    all_systems = sorted(
        {text(s) or _NOT_STATED for s in indicators["system"].tolist()},
        key=lambda name: (name == _NOT_STATED, name.lower()),
    )

    with style.apply_style():
        figure = readable_figure("wide")
        ax = figure.add_axes(_AXES_RECT)
        if len(rows) == 0:
            known = sorted({text(k) for k in indicators["indicator"].tolist() if text(k)})
            message = f"No figures for {indicator!r}"
            extras = []
            if direction is not None:
                extras.append(f"direction {join_words(_wanted(direction) or [])}")
            if systems is not None:
                extras.append(f"system {join_words(_wanted(systems) or [])}")
            if extras:
                message += " with " + " and ".join(extras)
            draw_message(ax, message)
            whole_title(figure, title or message)
            alt = message + "."
            if known and indicator not in known:
                alt += f" Known indicators: {', '.join(known)}."
            return Chart(figure, alt)

        labels = {text(v) for v in rows["label"].tolist()} - {""}
        if len(labels) == 1:
            label = labels.pop()
        elif indicator is not None:
            label = indicator.replace("_", " ").capitalize()
        else:
            label = "Figures"
        units = list(dict.fromkeys(text(u) for u in rows["unit"].tolist()))
        split_direction = rows["direction"].astype(str).nunique() > 1
        series: dict[str, list[Any]] = {}
        for row in rows.itertuples(index=False):
            series.setdefault(_series_key(row, split_direction), []).append(row)
        # The colour of a system does not depend on the selection.
        def style_index(key: str) -> int:
            system = key.split(" (")[0] if split_direction else key
            base = all_systems.index(system) if system in all_systems else len(all_systems)
            return base

        used_styles: set[int] = set()
        series_handles = []
        bounds_present: list[str] = []
        values = rows["value"].astype(float).to_numpy()
        v_max = float(np.nanmax(values)) if len(values) else 1.0
        years = [int(y) for y in rows["year"].tolist()] + [
            int(y) for y in rows["end_year"].tolist() if as_int(y) is not None
        ]
        first, last = min(years), max(years)
        axes_px = _AXES_RECT[2] * figure.get_figwidth() * figure.dpi
        # At least a year, and at least _X_MARGIN_PX, on each side: no marker or label at the edge.
        margin = max(1.0, _X_MARGIN_PX * (last - first) / max(axes_px - 2 * _X_MARGIN_PX, 1.0))
        x_lo, x_hi = first - margin, last + margin
        px_per_year = axes_px / (x_hi - x_lo)
        y_max = v_max * 1.28 if v_max > 0 else 1.0
        dodge = _dodge(rows, px_per_year, y_max)

        def shifted(row_id: str) -> Any:
            """Data coordinates moved sideways (never up or down) by the row's dodge."""
            k = dodge.get(row_id, 0)
            if not k:
                return ax.transData
            return ax.transData + ScaledTranslation(k * _DODGE_POINTS / 72.0, 0, figure.dpi_scale_trans)

        for key, members in series.items():
            index = style_index(key)
            while index in used_styles:
                index += 1
            used_styles.add(index)
            color, _marker, linestyle = style.series_style(index)
            points = [m for m in members if as_int(getattr(m, "end_year", None)) is None]
            spans = [m for m in members if as_int(getattr(m, "end_year", None)) is not None]
            # Points are joined only within a named statistical system: figures
            # whose source names no system are separate statements, not a series.
            if len(points) > 1 and not key.startswith(_NOT_STATED):
                # Join consecutive years only: a gap in the data stays a gap.
                xs: list[float] = []
                ys: list[float] = []
                for m in points:
                    if xs and int(m.year) - xs[-1] > 1:
                        xs.append(float("nan"))
                        ys.append(float("nan"))
                    xs.append(int(m.year))
                    ys.append(float(m.value))
                ax.add_line(Line2D(xs, ys, color=color, linestyle=linestyle, linewidth=2.2, zorder=2,
                                   gid=f"series:{key}"))
            for m in spans:
                x0, x1 = int(m.year) - 0.5, int(m.end_year) + 0.5  # whole years
                ax.add_line(
                    Line2D([x0, x1], [float(m.value)] * 2, color=color, linestyle="-", linewidth=5.0,
                           solid_capstyle="butt", alpha=0.75, zorder=2, gid=f"span:{m.id}", clip_on=False)
                )
                ax.add_line(
                    Line2D([x0, x1], [float(m.value)] * 2, linestyle="none", marker="|", markersize=18,
                           markeredgewidth=2.5, color=color, zorder=2, clip_on=False)
                )
            for m in members:
                bound = text(m.bound) or "exact"
                if bound not in bounds_present:
                    bounds_present.append(bound)
                b = style.bound_style(bound)
                end = as_int(getattr(m, "end_year", None))
                x = (int(m.year) + end) / 2.0 if end is not None else int(m.year)
                y = float(m.value)
                where = shifted(m.id)
                ax.add_line(
                    Line2D([x], [y], linestyle="none", marker=b.marker, markersize=_MARKER_SIZE,
                           markerfacecolor=color if b.filled else "white", markeredgecolor=color,
                           markeredgewidth=2.2, zorder=4, gid=f"figure:{m.id}:{bound}", transform=where,
                           clip_on=False)
                )
                if bound in ("more than", "less than", "up to"):
                    sign = 1.0 if bound == "more than" else -1.0
                    ax.annotate(
                        "", xy=(x, y), xytext=(0, sign * _ARROW_POINTS), textcoords="offset points",
                        xycoords=where,
                        arrowprops=dict(arrowstyle="<|-", color=color, linewidth=2.0, mutation_scale=18,
                                        shrinkA=0, shrinkB=_MARKER_SIZE / 2 + 1),
                        zorder=3, gid=f"arrow:{m.id}:{'up' if sign > 0 else 'down'}", annotation_clip=False,
                    )
                # The value: above the start of a bar; above a point, or below
                # it when its arrow points up; stacked when figures overlap.
                stack = dodge.get(str(m.id), 0) * _STACK_POINTS
                if end is not None:
                    anchor, offset, ha, va = (int(m.year) - 0.5, y), (4, 6 + stack), "left", "bottom"
                    label_at = ax.transData
                elif bound == "more than":
                    anchor, offset, ha, va = (x, y), (0, -12 - stack), "center", "top"
                    label_at = where
                else:
                    anchor, offset, ha, va = (x, y), (0, 12 + stack), "center", "bottom"
                    label_at = where
                ax.annotate(
                    b.symbol + format_value(y), xy=anchor, xycoords=label_at, xytext=offset, annotation_clip=False,
                    textcoords="offset points", fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR,
                    ha=ha, va=va, zorder=5, gid=f"value:{m.id}",
                    bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.0),
                )
            shown_key = key.replace(_NOT_STATED, "no statistical system named", 1) if key.startswith(_NOT_STATED) else key
            shown_key = legend_label(shown_key)
            if shown_key not in [h.get_label() for h in series_handles]:  # one entry per meaning
                series_handles.append(
                    Line2D([], [], color=color, linestyle=linestyle, linewidth=2.5, label=shown_key)
                )

        # Axes: whole years, values from zero (so heights compare honestly).
        ax.set_xlim(x_lo, x_hi)
        ax.set_ylim(0, y_max)
        span_years = last - first + 3
        step = next(s for s in (1, 2, 5, 10, 20) if span_years / s <= 12)
        # Ticks inside the axes, none so near the right end that its label would stick out.
        ticks = np.arange(int(np.ceil(x_lo / step) * step), x_hi - _X_MARGIN_PX / 2 / px_per_year, step)
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.yaxis.set_major_formatter(_thousands())
        # The unit above the axis (horizontal, easy to read), and a left margin
        # just wide enough for the tick labels.
        ax.annotate(" / ".join(units), xy=(0, 1), xycoords="axes fraction", xytext=(-4, 12),
                    textcoords="offset points", ha="left", va="bottom", fontsize=style.LABEL_FONT_SIZE,
                    color=style.TEXT_COLOR, gid="unit")
        y_ticks = ax.yaxis.get_major_locator().tick_values(*ax.get_ylim())
        tick_w = max(text_width_px(format_value(round(float(v), 2)), style.BASE_FONT_SIZE) for v in y_ticks)
        left = (tick_w + 22.0) / (figure.get_figwidth() * figure.dpi)
        ax.set_position([left, _AXES_RECT[1], _AXES_RECT[0] + _AXES_RECT[2] - left, _AXES_RECT[3]])
        ax.grid(axis="y", color="#D9D9D9", linewidth=0.8)
        ax.set_axisbelow(True)

        # Legends under the plot: the series at the left, the markers at the right.
        n_series = len(series_handles)
        series_legend = figure.legend(
            handles=series_handles, loc="upper left", bbox_to_anchor=(_SERIES_LEGEND_X, 0.285),
            title="Statistical system" + ("s" if n_series > 1 else ""), alignment="left",
            handlelength=3.0, frameon=False, ncol=1 if n_series <= 4 else 2,
            labelspacing=0.35, borderaxespad=0.0,
        )
        room = (_BOUND_LEGEND_X - _SERIES_LEGEND_X) * figure.get_figwidth() * figure.dpi - _LEGEND_HANDLE_PX
        _wrap_legend(series_legend, room if n_series <= 4 else room / 2 - _LEGEND_HANDLE_PX)
        bound_handles = [
            Line2D([], [], linestyle="none", marker=style.bound_style(b).marker, markersize=_MARKER_SIZE,
                   markerfacecolor=style.NEUTRAL if style.bound_style(b).filled else "white",
                   markeredgecolor=style.NEUTRAL, markeredgewidth=2.0, label=style.bound_style(b).meaning)
            for b in style.BOUND_STYLES
            if b in bounds_present
        ]
        figure.legend(
            handles=bound_handles, loc="upper left", bbox_to_anchor=(_BOUND_LEGEND_X, 0.285), title="Markers",
            alignment="left", frameon=False, labelspacing=0.35, borderaxespad=0.0,
            ncol=1 if len(bound_handles) <= 4 else 2,
        )

        systems_shown = list(dict.fromkeys(text(m.system) or "not stated" for ms in series.values() for m in ms))
        notes = []
        if len(systems_shown) > 1:
            notes.append(
                "Different statistical systems count different things: "
                "compare figures within a series, not across series."
            )
        if len(units) > 1:
            notes.append(f"Careful: the figures use different units ({', '.join(units)}).")
        if any(as_int(v) is not None for v in rows["end_year"].tolist()):
            notes.append("A bar marks one figure covering several years.")
        if dodge:
            notes.append("Figures with the same value overlap: their markers are set side by side.")
        if notes:
            add_footnote(figure, " ".join(notes))

        computed = _title(label, rows, units, systems_shown)
        whole_title(figure, title or computed)
        return Chart(figure, _alt_text(label, rows, units, series, systems_shown))


def legend_label(label: str) -> str:
    """``label`` without a bracketed part whose words another bracketed part repeats.

    ``"Ministry (whole EAEU) (trade with the whole EAEU)"`` becomes
    ``"Ministry (trade with the whole EAEU)"``: a legend entry says each thing once.
    """
    parts = re.findall(r"\(([^()]*)\)", label)
    for part in parts:
        if any(part != other and part.strip().lower() in other.lower() for other in parts):
            label = label.replace(f"({part})", "", 1)
    return " ".join(label.split())


def _dodge(rows: pd.DataFrame, px_per_year: float, y_max: float) -> dict[str, int]:
    """Which figures to set aside, and by how many steps, so none hides another.

    Only figures with the same value collide: when their marks (points or
    bars) overlap, the later one's marker is set a step to the right and its
    value label a step further out, and the chart's footnote says so. No mark
    leaves its value.
    """
    mark_years = 2.0 * _MARKER_SIZE / px_per_year
    label_years = _VALUE_LABEL_PX / px_per_year
    placed: list[tuple[list[tuple[float, float]], float, int]] = []  # marks (x0, x1), value, step
    result: dict[str, int] = {}
    for row in rows.itertuples(index=False):
        end = as_int(getattr(row, "end_year", None))
        x = (int(row.year) + end) / 2.0 if end is not None else float(row.year)
        marks = [(x - mark_years, x + mark_years)]
        if end is not None:  # the value label at the start of the bar
            marks.append((int(row.year) - 0.5, int(row.year) - 0.5 + label_years))
        value = float(row.value)
        taken = {
            step
            for (others, v, step) in placed
            if abs(v - value) <= 0.002 * y_max and any(a < d and c < b for a, b in marks for c, d in others)
        }
        step = next(k for k in range(len(placed) + 1) if k not in taken)
        placed.append((marks, value, step))
        if step:
            result[str(row.id)] = step
    return result


def _thousands() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: format_value(round(v, 2)))


def _wrap_legend(legend: Any, room_px: float) -> None:
    """Wrap every legend entry on word boundaries so each line fits ``room_px`` (nothing is cut)."""
    from .base import wrap

    for entry in legend.get_texts():
        label = " ".join(entry.get_text().split())
        for width in range(len(label), 0, -1):
            wrapped = wrap(label, width)
            if all(text_width_px(line, style.BASE_FONT_SIZE) <= room_px for line in wrapped.split("\n")):
                break
        entry.set_text(wrapped)


def _title(label: str, rows: pd.DataFrame, units: list[str], systems: list[str]) -> str:
    unit = units[0] if len(units) == 1 else ""
    values = rows["value"].astype(float).tolist()
    bounds = [text(b) or "exact" for b in rows["bound"].tolist()]
    years = [
        year_range(int(y), e) if (e := as_int(end)) is not None else str(int(y))
        for y, end in zip(rows["year"].tolist(), rows["end_year"].tolist())
    ]
    if len(rows) == 1:
        return f"{label}: {format_figure(values[0], bounds[0], unit)} in {years[0]} ({systems[0]})"
    lo = min(range(len(values)), key=lambda i: values[i])
    hi = max(range(len(values)), key=lambda i: values[i])
    span = (
        f"from {format_figure(values[lo], bounds[lo])} ({years[lo]}) "
        f"to {format_figure(values[hi], bounds[hi], unit)} ({years[hi]})"
    )
    if values[lo] == values[hi]:
        if len(set(bounds)) == 1:
            return f"{label}: all {len(rows)} figures say {format_figure(values[hi], bounds[hi], unit)}"
        words = join_words([b for b in dict.fromkeys(bounds)], )
        return f"{label}: all {len(rows)} figures give {format_figure(values[hi], 'exact', unit)} ({words})"
    if len(systems) > 1:
        return f"{label}: {len(rows)} figures from different statistical systems, {span}"
    return f"{label}: figures range {span}"


def _alt_text(
    label: str, rows: pd.DataFrame, units: list[str], series: dict[str, list[Any]], systems: list[str]
) -> str:
    years = [int(y) for y in rows["year"].tolist()]
    ends = [int(y) for y in rows["end_year"].tolist() if as_int(y) is not None]
    first, last = min(years), max(years + ends)
    unit = " / ".join(units)
    when = f"in {first}" if first == last else f"from {first} to {last}"
    head = f"{label} ({unit}): {plural(len(rows), 'figure')} {when} in {plural(len(series), 'series', 'series')}."
    parts = []
    for key, members in series.items():
        figures = []
        for m in members:
            end = as_int(getattr(m, "end_year", None))
            when = year_range(int(m.year), end) if end is not None else str(int(m.year))
            figures.append(f"{when}: {format_figure(float(m.value), text(m.bound) or 'exact')}")
        parts.append(f"{key}: {'; '.join(figures)}.")
    tail = ""
    if len(systems) > 1:
        tail = " The statistical systems count different things, so the series are not directly comparable."
    return head + " " + " ".join(parts) + tail
