"""UN votes chart: one stacked bar per vote (yes / no / abstain / absent), oldest at the top,
a star on Cambodia's vote and a label saying it; each heading is wrapped, never cut.
"""

from __future__ import annotations

from collections import Counter
from itertools import accumulate
from typing import Any

from .. import style
from . import base
from .readable import FIGURE_WIDTH_IN

__all__ = ["un_votes_chart", "select_votes", "cambodia_vote_text", "TALLY_COLUMNS"]

TALLY_COLUMNS = ("yes", "no", "abstain", "absent")  # the segments of each bar, in order
_LEFT, _WIDTH = 0.025, 0.95
_TOP_PX, _BOTTOM_PX = 110.0, 190.0  # title; axis, footnote and legend
_LINE_PX, _BAR_PX, _GAP_PX = 22.0, 26.0, 14.0  # a heading line, a bar, the gap after a row
_STAR = dict(ls="none", marker="*", ms=20.0, mfc="black", mec="white")
_TEXT = dict(fontsize=style.BASE_FONT_SIZE, color=style.TEXT_COLOR, ha="left", va="center")
_BOLD = dict(_TEXT, fontweight="bold")
_SEGMENTS = {  # tally segments, on the bars and in the legend
    k: dict(fc=style.VOTE_COLORS[k], ec="white", hatch=style.VOTE_HATCHES[k], lw=1.0)
    for k in TALLY_COLUMNS
}
#: Cambodia's vote in a title ("voted yes on" 4 votes) and on its bar ("voted yes").
_WORDS = {
    "yes": ("voted yes on", "voted yes"),
    "no": ("voted no on", "voted no"),
    "abstain": ("abstained on", "abstained"),
    "absent": ("was absent for", "absent"),
    "not a member": ("was not a member for", "not a member"),
    "unknown": ("has no recorded vote for", "vote not known"),
}


def select_votes(un_votes: Any, body: Any = None) -> Any:
    """The votes drawn: one body or a list of bodies (None = all), by date."""
    if body is not None:
        wanted = [body] if isinstance(body, str) else list(body)
        un_votes = un_votes.loc[un_votes["body"].astype(str).isin(wanted)]
    return un_votes.sort_values(["date", "id"], kind="stable")


def cambodia_vote_text(vote: str, sponsor: bool | None) -> str:
    """``Cambodia: voted yes, co-sponsor``."""
    label = f"Cambodia: {_WORDS.get(vote, (vote, vote))[1]}"
    if sponsor is True:
        return label + ", co-sponsor"
    return label + (", not a sponsor" if sponsor is False and vote in TALLY_COLUMNS else "")


def un_votes_chart(un_votes: Any, body: Any = None, title: str | None = None) -> base.Chart:
    """Draw the tally of each UN vote of ``un_votes`` (``tables.un_votes``, not modified) and
    mark Cambodia's vote; ``body`` keeps one body or several; ``title`` replaces the computed
    one (how Cambodia voted). The description gives every tally and Cambodia's vote."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = select_votes(base.require(un_votes, "un_votes", "un_votes_chart"), body)
    several = rows["body"].astype(str).nunique() > 1
    records = [_record(r, several) for r in rows.itertuples(index=False)]
    rows_px = [(r["heading"].count("\n") + 1) * _LINE_PX + _BAR_PX + _GAP_PX for r in records]
    with style.apply_style():
        fig_h = _TOP_PX + _BOTTOM_PX + (sum(rows_px) or 4 * _LINE_PX)
        fig_h = max(style.FIGSIZE["wide"][1] * style.DPI, fig_h)
        figure = base.new_figure("wide", height=fig_h / style.DPI)
        ax_h = fig_h - _TOP_PX - _BOTTOM_PX
        ax = figure.add_axes((_LEFT, _BOTTOM_PX / fig_h, _WIDTH, ax_h / fig_h))
        if not records:
            chosen = base.join_words([body] if isinstance(body, str) else list(body or []))
            message = f"No votes of the {chosen or 'chosen bodies'} to show"
            message = "No UN votes to show" if body is None else message
            base.draw_message(ax, message)
            base.set_title(figure, title or message)
            return base.Chart(figure, message + ": the chart is empty.")

        x_max = max(max(sum(v or 0 for v in r["tally"].values()) for r in records), 1)
        ax_px = _WIDTH * figure.get_figwidth() * figure.dpi
        label_px = max(base.text_width_px(r["label"], style.BASE_FONT_SIZE) for r in records)
        x_hi = x_max * ax_px / max(ax_px - label_px - 40.0, ax_px * 0.4)  # room for the labels
        ax.set_xlim(0, x_hi)
        ax.set_ylim(ax_h, 0.0)  # pixels from the top
        for r, top in zip(records, accumulate(rows_px[:-1], initial=0.0), strict=True):
            _draw_row(ax, r, top, x_hi / ax_px)

        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.set_xlabel("Number of member states", loc="left")
        ax.tick_params(axis="x", length=6)
        step = next(s for s in (1, 2, 5, 10, 25, 50, 100, 250, 500) if x_max / s <= 8)
        ticks = list(range(0, x_max + 1, step))
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.spines["bottom"].set_bounds(0, x_max)
        names = {"absent": "absent / did not vote"}
        handles = [Patch(**_SEGMENTS[k], label=names.get(k, k)) for k in TALLY_COLUMNS]
        handles.append(Line2D([], [], label="Cambodia's vote", **_STAR))
        anchor = (0.02, 8.0 / fig_h)
        layout = dict(ncol=3, frameon=False, handlelength=2.2, handleheight=1.2, borderaxespad=0.0)
        figure.legend(handles=handles, loc="lower left", bbox_to_anchor=anchor, **layout)
        bodies = list(dict.fromkeys(r["body"] for r in records))
        counts = Counter(r["vote"] for r in records)
        base.set_title(figure, title or _title(counts, len(records), bodies))
        if len({r["sponsor"] is None for r in records}) > 1:
            note = "Co-sponsorship is shown where the sources record it."
            base.add_footnote(figure, note, y=80.0 / fig_h)
        return base.Chart(figure, _alt_text(records, counts, bodies))


def _record(r: Any, several: bool) -> dict[str, Any]:
    """One vote as plain values, with its heading (date at the data's precision, body when
    several, symbol, title) wrapped on word boundaries to the figure's width."""
    date = str(r.date.year)  # "2 March 2022", "January 1979", "1979"
    if base.as_int(r.month) is not None:
        date = f"{r.date.strftime('%B')} {date}"
        date = date if base.as_int(r.day) is None else f"{r.date.day} {date}"
    parts = (date, base.text(r.body) if several else "", base.text(r.symbol), base.text(r.title))
    heading = " · ".join(filter(None, parts))
    room_px = _WIDTH * FIGURE_WIDTH_IN * style.DPI - 4.0
    vote, sponsor = base.text(r.cambodia_vote) or "unknown", base.as_bool(r.cambodia_sponsor)
    return {
        "id": base.text(r.id),
        "date_text": date,
        "body": base.text(r.body),
        "symbol": base.text(r.symbol),
        "title": base.text(r.title),
        "tally": {k: base.as_int(getattr(r, k)) for k in TALLY_COLUMNS},
        "vote": vote,
        "sponsor": sponsor,
        "label": cambodia_vote_text(vote, sponsor),
        "heading": base.fit_lines(heading, room_px, style.BASE_FONT_SIZE, 10),
    }


def _draw_row(ax: Any, r: dict[str, Any], top: float, per_px: float) -> None:
    """One vote: heading, tally segments with their counts, Cambodia's star and label."""
    from matplotlib.patches import Rectangle

    bar_top = top + (r["heading"].count("\n") + 1) * _LINE_PX + 4.0
    mid, left, spans = bar_top + _BAR_PX / 2.0, 0.0, {}
    for kind, value in r["tally"].items():
        if not value or value <= 0:
            continue
        gid = f"tally:{r['id']}:{kind}"
        ax.add_artist(
            Rectangle((left, bar_top), value, _BAR_PX, zorder=2, gid=gid, **_SEGMENTS[kind])
        )
        spans[kind] = (left, left + value)
        if value / per_px >= base.text_width_px(str(value), style.BASE_FONT_SIZE) + 10:
            box, gid = dict(fc="white", ec="none", alpha=0.8, pad=1.5), f"count:{r['id']}:{kind}"
            ax.text(left + 4.0 * per_px, mid, str(value), zorder=3, gid=gid, bbox=box, **_BOLD)
        left += value
    if not spans:
        ax.text(0, mid, "no tally recorded", style="italic", gid=f"no-tally:{r['id']}", **_TEXT)
        left = (base.text_width_px("no tally recorded", style.BASE_FONT_SIZE) + 10.0) * per_px
    heading = dict(_TEXT, va="bottom", linespacing=1.15, zorder=3, gid=f"heading:{r['id']}")
    ax.text(0, bar_top - 4.0, r["heading"], **heading)
    if r["vote"] in spans:
        x, gid = sum(spans[r["vote"]]) / 2.0, f"cambodia-marker:{r['id']}:{r['vote']}"
        ax.plot([x], [mid], mew=1.2, zorder=5, gid=gid, **_STAR)
    ax.text(left + 10.0 * per_px, mid, r["label"], zorder=5, gid=f"cambodia:{r['id']}", **_BOLD)


def _kind(bodies: list[str]) -> str:
    return f"{bodies[0]} vote" if len(bodies) == 1 else "UN vote"


def _title(counts: Counter[str], n: int, bodies: list[str]) -> str:
    """'Cambodia voted yes on 4 of 6 General Assembly votes and abstained on 2'."""
    verbs = {k: on for k, (on, _) in _WORDS.items()}
    first, *rest = sorted((k for k in verbs if counts.get(k)), key=lambda k: -counts[k])
    if n == 1:
        return f"Cambodia {verbs[first]} the one {_kind(bodies)} shown"
    if counts[first] == n:
        return f"Cambodia {verbs[first]} all {base.plural(n, _kind(bodies))}"
    extra = [f"{verbs[k]} {counts[k]}" for k in rest]
    head = f"Cambodia {verbs[first]} {counts[first]} of {base.plural(n, _kind(bodies))}"
    return f"{head} and {extra[0]}" if len(extra) == 1 else f"{head}, {base.join_words(extra)}"


def _alt_text(records: list[dict[str, Any]], counts: Counter[str], bodies: list[str]) -> str:
    n, first, last = len(records), records[0]["date_text"], records[-1]["date_text"]
    when = f"on {first}" if n == 1 else f"from {first} to {last}"
    head = (
        f"{base.plural(n, _kind(bodies))} {when}, each drawn as a bar split into yes, no, abstain "
        "and absent, with Cambodia's vote marked."
    )
    parts = [head]
    for r in records:
        tally = ", ".join(f"{v} {k}" for k, v in r["tally"].items() if v is not None)
        parts.append(
            f"{r['symbol'] or r['title']} ({r['date_text']}): {tally or 'tally not recorded'}; {r['label']}."
        )
    summary = base.join_words(
        [f"{on} {counts[k]}" for k, (on, _) in _WORDS.items() if counts.get(k)]
    )
    return f"{' '.join(parts)} In all, Cambodia {summary}."
