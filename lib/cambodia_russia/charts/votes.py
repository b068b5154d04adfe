"""UN votes chart: one stacked bar per vote (yes / no / abstain / absent), oldest at the top.

A black star sits on the segment holding Cambodia's vote and a label at the bar's end says it
in words, with co-sponsorship when known ("not a member" and "unknown": label only). Each
bar's heading (date, body, symbol, whole title) is wrapped, never cut; rows are as tall as
their headings.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

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

__all__ = ["un_votes_chart", "select_votes", "cambodia_vote_text", "TALLY_COLUMNS"]

TALLY_COLUMNS = ("yes", "no", "abstain", "absent")  # the segments of each bar, in order
_LEFT, _WIDTH = 0.025, 0.95
_TOP_PX, _BOTTOM_PX = 110.0, 190.0  # title; axis, footnote and legend
_LINE_PX, _BAR_PX, _GAP_PX = 22.0, 26.0, 14.0  # a heading line, a bar, the gap after a row
_STAR = dict(
    linestyle="none", marker="*", markersize=20.0, markerfacecolor="black", markeredgecolor="white"
)
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


def select_votes(un_votes: Any, body: Any = None) -> Any:
    """The votes drawn: one body or a list of bodies (None = all), by date."""
    if body is not None:
        wanted = [body] if isinstance(body, str) else list(body)
        un_votes = un_votes.loc[un_votes["body"].astype(str).isin(wanted)]
    return un_votes.sort_values(["date", "id"], kind="stable")


def cambodia_vote_text(vote: str, sponsor: bool | None) -> str:
    """``Cambodia: voted yes, co-sponsor``."""
    label = f"Cambodia: {_WORDS.get(vote, vote)}"
    if sponsor is True:
        return label + ", co-sponsor"
    return label + (", not a sponsor" if sponsor is False and vote in TALLY_COLUMNS else "")


def _date_text(date: Any, month: Any = 1, day: Any = 1) -> str:
    """The date at the data's precision: "2 March 2022", "January 1979", "1979"."""
    if as_int(month) is None:
        return str(date.year)
    return f"{'' if as_int(day) is None else f'{date.day} '}{date.strftime('%B')} {date.year}"


def un_votes_chart(un_votes: Any, body: Any = None, title: str | None = None) -> Chart:
    """Draw the tally of each UN vote of ``un_votes`` (``tables.un_votes``, not modified) and
    mark Cambodia's vote; ``body`` keeps one body or several; ``title`` replaces the computed
    one (how Cambodia voted). The description gives every tally and Cambodia's vote."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = select_votes(require(un_votes, "un_votes", "un_votes_chart"), body)
    several = rows["body"].astype(str).nunique() > 1
    records = [_record(r, several) for r in rows.itertuples(index=False)]
    rows_px = [(r["heading"].count("\n") + 1) * _LINE_PX + _BAR_PX + _GAP_PX for r in records]
    with style.apply_style():
        fig_h = max(
            style.FIGSIZE["wide"][1] * style.DPI,
            _TOP_PX + _BOTTOM_PX + (sum(rows_px) or 4 * _LINE_PX),
        )
        figure = readable_figure("wide", height=fig_h / style.DPI)
        ax_h = fig_h - _TOP_PX - _BOTTOM_PX
        ax = figure.add_axes((_LEFT, _BOTTOM_PX / fig_h, _WIDTH, ax_h / fig_h))
        if not records:
            wanted = [body] if isinstance(body, str) else list(body or [])
            message = (
                "No UN votes to show"
                if body is None
                else f"No votes of the {join_words(wanted) or 'chosen bodies'} to show"
            )
            draw_message(ax, message)
            whole_title(figure, title or message)
            return Chart(figure, message + ": the chart is empty.")

        x_max = max(max(sum(v or 0 for v in r["tally"].values()) for r in records), 1)
        ax_px = _WIDTH * figure.get_figwidth() * figure.dpi
        label_px = max(text_width_px(r["label"], style.BASE_FONT_SIZE) for r in records)
        x_hi = x_max * ax_px / max(ax_px - label_px - 40.0, ax_px * 0.4)  # room for the labels
        ax.set_xlim(0, x_hi)
        ax.set_ylim(ax_h, 0.0)  # pixels from the top
        top = 0.0
        for r, r_px in zip(records, rows_px, strict=True):
            _draw_row(ax, r, top, x_hi / ax_px)
            top += r_px

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("Number of member states", loc="left")
        ax.tick_params(axis="x", length=6)
        step = next(s for s in (1, 2, 5, 10, 25, 50, 100, 250, 500) if x_max / s <= 8)
        ticks = list(np.arange(0, x_max + 0.5, step))
        ax.set_xticks(ticks, [str(int(t)) for t in ticks])
        ax.spines["bottom"].set_bounds(0, x_max)
        handles: list[Any] = [
            Patch(
                facecolor=style.VOTE_COLORS[k],
                hatch=style.VOTE_HATCHES[k],
                edgecolor="white",
                label="absent / did not vote" if k == "absent" else k,
            )
            for k in TALLY_COLUMNS
        ]
        handles.append(Line2D([], [], label="Cambodia's vote", **_STAR))
        figure.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.02, 8.0 / fig_h),
            ncol=3,
            frameon=False,
            handlelength=2.2,
            handleheight=1.2,
            borderaxespad=0.0,
        )
        bodies = list(dict.fromkeys(r["body"] for r in records))
        counts = Counter(r["vote"] for r in records)
        whole_title(figure, title or _title(counts, len(records), bodies))
        if len({r["sponsor"] is None for r in records}) > 1:
            add_footnote(
                figure, "Co-sponsorship is shown where the sources record it.", y=80.0 / fig_h
            )
        return Chart(figure, _alt_text(records, counts, bodies))


def _record(r: Any, several: bool) -> dict[str, Any]:
    """One vote as plain values, with its heading (date, body when several, symbol, title)
    wrapped on word boundaries to the figure's width."""
    date = _date_text(r.date, r.month, r.day)
    parts = (date, text(r.body) if several else "", text(r.symbol), text(r.title))
    room_px = _WIDTH * FIGURE_WIDTH_IN * style.DPI - 4.0
    vote, sponsor = text(r.cambodia_vote) or "unknown", as_bool(r.cambodia_sponsor)
    return {
        "id": text(r.id),
        "date_text": date,
        "body": text(r.body),
        "symbol": text(r.symbol),
        "title": text(r.title),
        "tally": {k: as_int(getattr(r, k)) for k in TALLY_COLUMNS},
        "vote": vote,
        "sponsor": sponsor,
        "label": cambodia_vote_text(vote, sponsor),
        "heading": fit_lines(" · ".join(filter(None, parts)), room_px, style.BASE_FONT_SIZE, 10),
    }


def _draw_row(ax: Any, r: dict[str, Any], top: float, per_px: float) -> None:
    """One vote: heading, tally segments with their counts, Cambodia's star and label."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    size, ink = style.BASE_FONT_SIZE, style.TEXT_COLOR
    bar_top = top + (r["heading"].count("\n") + 1) * _LINE_PX + 4.0
    mid, left, spans = bar_top + _BAR_PX / 2.0, 0.0, {}
    for kind in TALLY_COLUMNS:
        value = r["tally"][kind]
        if not value or value <= 0:
            continue
        ax.add_artist(
            Rectangle(
                (left, bar_top),
                value,
                _BAR_PX,
                facecolor=style.VOTE_COLORS[kind],
                edgecolor="white",
                hatch=style.VOTE_HATCHES[kind],
                linewidth=1.0,
                zorder=2,
                gid=f"tally:{r['id']}:{kind}",
            )
        )
        spans[kind] = (left, left + value)
        if value / per_px >= text_width_px(str(value), size) + 10:
            ax.text(
                left + 4.0 * per_px,
                mid,
                str(value),
                ha="left",
                va="center",
                fontsize=size,
                color=ink,
                zorder=3,
                fontweight="bold",
                gid=f"count:{r['id']}:{kind}",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1.5),
            )
        left += value
    if not spans:
        ax.text(
            0,
            mid,
            "no tally recorded",
            ha="left",
            va="center",
            fontsize=size,
            color=ink,
            style="italic",
            gid=f"no-tally:{r['id']}",
        )
        left = (text_width_px("no tally recorded", size) + 10.0) * per_px
    ax.text(
        0,
        bar_top - 4.0,
        r["heading"],
        ha="left",
        va="bottom",
        linespacing=1.15,
        fontsize=size,
        color=ink,
        zorder=3,
        gid=f"heading:{r['id']}",
    )
    if r["vote"] in spans:
        a, b = spans[r["vote"]]
        ax.add_artist(
            Line2D(
                [(a + b) / 2.0],
                [mid],
                markeredgewidth=1.2,
                zorder=5,
                gid=f"cambodia-marker:{r['id']}:{r['vote']}",
                **_STAR,
            )
        )
    ax.text(
        left + 10.0 * per_px,
        mid,
        r["label"],
        ha="left",
        va="center",
        fontsize=size,
        fontweight="bold",
        color=ink,
        zorder=5,
        gid=f"cambodia:{r['id']}",
    )


def _kind(bodies: list[str]) -> str:
    return f"{bodies[0]} vote" if len(bodies) == 1 else "UN vote"


def _title(counts: Counter[str], n: int, bodies: list[str]) -> str:
    """'Cambodia voted yes on 4 of 6 General Assembly votes and abstained on 2'."""
    first, *rest = sorted((k for k in _VERBS if counts.get(k)), key=lambda k: -counts[k])
    if n == 1:
        return f"Cambodia {_VERBS[first]} the one {_kind(bodies)} shown"
    if counts[first] == n:
        return f"Cambodia {_VERBS[first]} all {plural(n, _kind(bodies))}"
    extra = [f"{_VERBS[k]} {counts[k]}" for k in rest]
    head = f"Cambodia {_VERBS[first]} {counts[first]} of {plural(n, _kind(bodies))}"
    return f"{head} and {extra[0]}" if len(extra) == 1 else f"{head}, {join_words(extra)}"


def _alt_text(records: list[dict[str, Any]], counts: Counter[str], bodies: list[str]) -> str:
    n, first, last = len(records), records[0]["date_text"], records[-1]["date_text"]
    when = f"on {first}" if n == 1 else f"from {first} to {last}"
    head = (
        f"{plural(n, _kind(bodies))} {when}, each drawn as a bar split into yes, no, abstain "
        "and absent, with Cambodia's vote marked."
    )
    tallies = [
        ", ".join(f"{v} {k}" for k, v in r["tally"].items() if v is not None)
        or "tally not recorded"
        for r in records
    ]
    parts = [
        f"{r['symbol'] or r['title']} ({r['date_text']}): {tally}; {r['label']}."
        for r, tally in zip(records, tallies, strict=True)
    ]
    summary = join_words([f"{_VERBS[k]} {counts[k]}" for k in _VERBS if counts.get(k)])
    return f"{head} {' '.join(parts)} In all, Cambodia {summary}."
