"""UN votes chart: one stacked bar per vote, Cambodia's own vote marked.

Each vote is a horizontal bar split into yes / no / abstain / absent (colour
and hatching), oldest at the top. A black star sits on the part of the bar
that holds Cambodia's vote, and a label at the right of the bar says it in
words, with co-sponsorship when known. "Not a member" and "unknown" votes
have no star, only the label.

Each bar's heading (date, body, symbol and the resolution's whole title) is
wrapped on word boundaries, never cut; a row is as tall as its heading needs.
The figure is :data:`~cambodia_russia.charts.readable.FIGURE_WIDTH_IN` inches
wide so that its 14-point text stays at least 12 points on a notebook's screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import style
from .base import (
    Chart,
    add_footnote,
    as_bool,
    as_int,
    draw_message,
    fit_lines,
    join_words,
    plural,
    require,
    text,
    text_width_px,
)
from .readable import FIGURE_WIDTH_IN, readable_figure, whole_title

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["un_votes_chart", "select_votes", "cambodia_vote_text", "TALLY_COLUMNS"]

#: The tally columns, in the order of the segments of each bar.
TALLY_COLUMNS = ("yes", "no", "abstain", "absent")

_LEFT, _WIDTH = 0.025, 0.95
_TOP_PX, _BOTTOM_PX = 110.0, 190.0  # room for the title; for the axis, footnote and legend
# Rows, in pixels: the heading's lines, then the bar, then a gap.
_LINE_PX = 22.0
_BAR_PX = 26.0
_ROW_GAP_PX = 14.0
_HEADING_LINES = 10  # at most (about 800 characters): in practice never reached, so never cut
_STAR_SIZE = 20.0
_VERBS = {
    "yes": "voted yes on",
    "no": "voted no on",
    "abstain": "abstained on",
    "absent": "was absent for",
    "not a member": "was not a member for",
    "unknown": "has no recorded vote for",
}
_WORDS = {
    "yes": "voted yes",
    "no": "voted no",
    "abstain": "abstained",
    "absent": "absent",
    "not a member": "not a member",
    "unknown": "vote not known",
}


def select_votes(un_votes: pd.DataFrame, body: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The votes drawn by :func:`un_votes_chart`: one body or several (None = all), by date."""
    rows = un_votes
    if body is not None:
        wanted = [body] if isinstance(body, str) else [str(b) for b in body]
        rows = rows.loc[rows["body"].astype(str).isin(wanted)]
    return rows.sort_values(["date", "id"], kind="stable")


def cambodia_vote_text(vote: str, sponsor: bool | None) -> str:
    """Cambodia's vote in words: ``Cambodia: voted yes, co-sponsor``."""
    words = _WORDS.get(vote, vote)
    label = f"Cambodia: {words}"
    if sponsor is True:
        label += ", co-sponsor"
    elif sponsor is False and vote in ("yes", "no", "abstain", "absent"):
        label += ", not a sponsor"
    return label


def _body_words(bodies: list[str]) -> str:
    return f"{bodies[0]} votes" if len(bodies) == 1 else "UN votes"


def _date_text(date: Any, month: Any = 1, day: Any = 1) -> str:
    """The vote's date at the precision the data gives: "2 March 2022", "January 1979", "1979"."""
    if as_int(month) is None:
        return str(date.year)
    if as_int(day) is None:
        return f"{date.strftime('%B')} {date.year}"
    return f"{date.day} {date.strftime('%B')} {date.year}"


def un_votes_chart(
    un_votes: pd.DataFrame,
    body: str | Iterable[str] | None = None,
    title: str | None = None,
) -> Chart:
    """Draw the tally of each UN vote and mark Cambodia's vote on it.

    Parameters
    ----------
    un_votes:
        The typed un_votes table (``tables.un_votes``). Not modified.
    body:
        Keep only votes of this body (e.g. ``"General Assembly"``) or bodies.
    title:
        Replace the computed title (which counts how Cambodia voted).

    Returns
    -------
    Chart
        The figure and a description with every tally and Cambodia's vote.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    rows = select_votes(require(un_votes, "un_votes", "un_votes_chart"), body)
    n = len(rows)

    with style.apply_style():
        room_px = _WIDTH * FIGURE_WIDTH_IN * style.DPI - 4.0
        several_bodies = rows["body"].astype(str).nunique() > 1 if n else False
        headings = [_heading(row, several_bodies, room_px) for row in rows.itertuples(index=False)]
        row_px = [h.count("\n") * _LINE_PX + _LINE_PX + _BAR_PX + _ROW_GAP_PX for h in headings]
        axes_px = sum(row_px) if n else 4 * _LINE_PX
        height = max(style.FIGSIZE["wide"][1], (_TOP_PX + _BOTTOM_PX + axes_px) / style.DPI)
        figure = readable_figure("wide", height=height)
        fig_h_px = height * style.DPI
        ax = figure.add_axes(
            (_LEFT, _BOTTOM_PX / fig_h_px, _WIDTH, (fig_h_px - _TOP_PX - _BOTTOM_PX) / fig_h_px)
        )
        if n == 0:
            if body is None:
                message = "No UN votes to show"
            else:
                wanted = [body] if isinstance(body, str) else list(body)
                message = f"No votes of the {join_words(wanted) or 'chosen bodies'} to show"
            draw_message(ax, message)
            whole_title(figure, title or message)
            return Chart(figure, message + ": the chart is empty.")

        records = []
        for row in rows.itertuples(index=False):
            tally = {k: as_int(getattr(row, k)) for k in TALLY_COLUMNS}
            records.append(
                {
                    "id": text(row.id),
                    "date": row.date,
                    "date_text": _date_text(row.date, row.month, row.day),
                    "body": text(row.body),
                    "symbol": text(row.symbol),
                    "title": text(row.title),
                    "tally": tally,
                    "vote": text(row.cambodia_vote) or "unknown",
                    "sponsor": as_bool(row.cambodia_sponsor),
                }
            )
        totals = [sum(v or 0 for v in r["tally"].values()) for r in records]
        x_max = max(totals) if max(totals) > 0 else 1
        label_room = max(text_width_px(cambodia_vote_text(r["vote"], r["sponsor"]), style.BASE_FONT_SIZE)
                         for r in records)
        ax_w_px = _WIDTH * figure.get_figwidth() * figure.dpi
        # Leave room at the right for the "Cambodia: ..." labels.
        x_hi = x_max * ax_w_px / max(ax_w_px - label_room - 40.0, ax_w_px * 0.4)
        px_per_unit = ax_w_px / x_hi
        ax.set_xlim(0, x_hi)
        # y in pixels from the top of the axes; rows from the top, any spare room at the bottom.
        ax.set_ylim(fig_h_px - _TOP_PX - _BOTTOM_PX, 0.0)
        row_top = 0.0
        for r, heading, r_px in zip(records, headings, row_px):
            bar_top = row_top + (heading.count("\n") + 1) * _LINE_PX + 4.0
            i = bar_top + _BAR_PX / 2.0  # the bar's centre line
            left = 0.0
            spans: dict[str, tuple[float, float]] = {}
            for kind in TALLY_COLUMNS:
                value = r["tally"][kind]
                if value is None or value <= 0:
                    continue
                ax.add_artist(
                    Rectangle(
                        (left, bar_top), value, _BAR_PX, facecolor=style.VOTE_COLORS[kind],
                        edgecolor="white", hatch=style.VOTE_HATCHES[kind], linewidth=1.0, zorder=2,
                        gid=f"tally:{r['id']}:{kind}",
                    )
                )
                spans[kind] = (left, left + value)
                label = str(value)
                if value * px_per_unit >= text_width_px(label, style.BASE_FONT_SIZE) + 10:
                    ax.text(left + 4.0 / px_per_unit, i, label, ha="left", va="center",
                            fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR, zorder=3,
                            fontweight="bold", gid=f"count:{r['id']}:{kind}",
                            bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1.5))
                left += value
            end = max((b for _, b in spans.values()), default=0.0)
            if not spans:
                note = "no tally recorded"
                ax.text(0, i, note, ha="left", va="center", fontsize=style.BASE_FONT_SIZE,
                        color=style.TEXT_COLOR, style="italic", gid=f"no-tally:{r['id']}")
                end = (text_width_px(note, style.BASE_FONT_SIZE) + 10.0) / px_per_unit
            # Heading above the bar: date, body (when several), symbol, subject.
            ax.text(0, bar_top - 4.0, heading, ha="left", va="bottom", linespacing=1.15,
                    fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR, zorder=3,
                    gid=f"heading:{r['id']}")
            row_top += r_px
            # Cambodia's vote: a star on its segment and a label at the bar's end.
            vote = r["vote"]
            if vote in spans:
                a, b = spans[vote]
                ax.add_artist(
                    Line2D([(a + b) / 2.0], [i], linestyle="none", marker="*", markersize=_STAR_SIZE,
                           markerfacecolor="black", markeredgecolor="white", markeredgewidth=1.2, zorder=5,
                           gid=f"cambodia-marker:{r['id']}:{vote}")
                )
            ax.text(end + 10.0 / px_per_unit, i, cambodia_vote_text(vote, r["sponsor"]), ha="left",
                    va="center", fontsize=style.BASE_FONT_SIZE, fontweight="bold", color=style.TEXT_COLOR,
                    zorder=5, gid=f"cambodia:{r['id']}")

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("Number of member states", loc="left")
        ax.tick_params(axis="x", length=6)
        import numpy as np

        step = next(s for s in (1, 2, 5, 10, 25, 50, 100, 250, 500) if x_max / s <= 8)
        ticks = list(np.arange(0, x_max + 0.5, step))
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.spines["bottom"].set_bounds(0, x_max)

        handles: list[Any] = [
            Patch(facecolor=style.VOTE_COLORS[k], hatch=style.VOTE_HATCHES[k], edgecolor="white",
                  label={"absent": "absent / did not vote"}.get(k, k))
            for k in TALLY_COLUMNS
        ]
        handles.append(
            Line2D([], [], linestyle="none", marker="*", markersize=_STAR_SIZE, markerfacecolor="black",
                   markeredgecolor="white", label="Cambodia's vote")
        )
        figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 8.0 / fig_h_px), ncol=3,
                      frameon=False, handlelength=2.2, handleheight=1.2, borderaxespad=0.0)

        bodies = list(dict.fromkeys(r["body"] for r in records))
        counts = Counter(r["vote"] for r in records)
        whole_title(figure, title or _title(counts, n, bodies))
        if any(r["sponsor"] is None for r in records) and any(r["sponsor"] is not None for r in records):
            add_footnote(figure, "Co-sponsorship is shown where the sources record it.", y=80.0 / fig_h_px)
        return Chart(figure, _alt_text(records, counts, bodies))


def _heading(row: Any, several_bodies: bool, room_px: float) -> str:
    """'date · body · symbol · title' for one vote, wrapped on word boundaries to ``room_px``."""
    date_text = _date_text(row.date, row.month, row.day)
    parts = (date_text, text(row.body) if several_bodies else "", text(row.symbol), text(row.title))
    return fit_lines(" · ".join(p for p in parts if p), room_px, style.BASE_FONT_SIZE, _HEADING_LINES)


def _title(counts: Counter[str], n: int, bodies: list[str]) -> str:
    """'Cambodia voted yes on 4 of 6 General Assembly votes and abstained on 2'."""
    kind = _body_words(bodies)[:-1]  # "General Assembly vote"
    order = sorted((k for k in _VERBS if counts.get(k)), key=lambda k: -counts[k])  # stable on ties
    first, *rest = order
    if n == 1:
        return f"Cambodia {_VERBS[first]} the one {kind} shown"
    if counts[first] == n:
        return f"Cambodia {_VERBS[first]} all {plural(n, kind)}"
    phrase = f"Cambodia {_VERBS[first]} {counts[first]} of {plural(n, kind)}"
    extra = [f"{_VERBS[k]} {counts[k]}" for k in rest]
    if len(extra) == 1:
        return f"{phrase} and {extra[0]}"
    return f"{phrase}, {join_words(extra)}"


def _alt_text(records: list[dict[str, Any]], counts: Counter[str], bodies: list[str]) -> str:
    n = len(records)
    first, last = records[0]["date_text"], records[-1]["date_text"]
    when = f"on {first}" if n == 1 else f"from {first} to {last}"
    head = (
        f"{plural(n, _body_words(bodies)[:-1])} {when}, each drawn as a bar split into yes, no, "
        "abstain and absent, with Cambodia's vote marked."
    )
    parts = []
    for r in records:
        tally = ", ".join(f"{v} {k}" for k, v in r["tally"].items() if v is not None) or "tally not recorded"
        name = r["symbol"] or r["title"]
        parts.append(f"{name} ({r['date_text']}): {tally}; {cambodia_vote_text(r['vote'], r['sponsor'])}.")
    summary = join_words([f"{_VERBS[k]} {counts[k]}" for k in _VERBS if counts.get(k)])
    return f"{head} {' '.join(parts)} In all, Cambodia {summary}."
