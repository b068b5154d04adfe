"""Source comparer: what each source says about one disputed topic, side by side
(:func:`compare_html`, pure); :class:`SourceComparer` adds a topic menu."""

from __future__ import annotations

import functools
import re

from cambodia_russia import style
from cambodia_russia.charts.base import is_missing
from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import FONT_SIZE, esc, fold, make, text_or_empty
from cambodia_russia.widgets.reader import quality_html

KEYS = "Tab to the topic list, then the Up and Down arrows choose a topic (Alt+Down arrow opens the list)."
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(s?)\b")

#: The label/value grid of a card: short labels in one column (wrapping only between
#: words), values in the other; every row starts at the same two left edges.
DL_STYLE = (
    "display:grid;grid-template-columns:fit-content(6em) minmax(0,1fr);gap:0.2em 0.6em;"
    "margin:0;overflow-wrap:break-word"
)
DT_STYLE = "margin:0;font-weight:bold;overflow-wrap:normal;word-break:normal;hyphens:manual"
DD_STYLE = "margin:0;min-width:0"


def topic_ids(topics, periods) -> list[str]:
    """Topic ids in teaching order: by their period's order (no period last), then id."""
    rank = {pid: i for i, pid in enumerate(style.period_order(periods, "collection"))}
    pairs = zip(topics["id"].astype(str), topics["period"], strict=True)
    return [tid for _, tid in sorted((rank.get(text_or_empty(p), 10**9), t) for t, p in pairs)]


def written_text(source) -> str:
    """When a source was written: its year, a decade from its date note ("1970s"), or ""."""
    if not is_missing(source.get("year")):
        return str(int(source["year"]))
    found = _YEAR.search(text_or_empty(source.get("date_note")))
    return found.group(0) if found else ""


def source_accounts(tables, topic_id: str):
    """``(claim, source)`` pairs of one topic in the order the sources were written (unknown
    last), then by short name and claim id."""
    claims = _common.rows_where(tables.claims, "topic", topic_id)
    sources = tables.sources.set_index(tables.sources["id"].astype(str))
    pairs = [(claim, sources.loc[str(claim.source)]) for claim in claims.itertuples(index=False)]

    def order(pair):
        year = written_text(pair[1])[:4]
        return (int(year) if year else 10**6, fold(pair[1]["short_name"]), str(pair[0].id))

    return sorted(pairs, key=order)


def account_html(claim, source) -> str:
    """One card: name and quality badge, one line (who, year, kind), then a label/value grid."""
    heading = f"{esc(source['short_name'])} {quality_html(source['quality'])}"
    who = [text_or_empty(source[key]) for key in ("author", "author_role")]
    facts = (", ".join(filter(None, who)), written_text(source), text_or_empty(source["kind"]))
    meta = " · ".join(filter(None, facts))
    quote, where = text_or_empty(claim.quote), esc(text_or_empty(claim.locator).strip())
    if quote:
        quote = f"<em>&ldquo;{esc(quote)}&rdquo;</em>{f' ({where})' if where else ''}"
    rows = [
        ("Claim", esc(claim.claim)),
        ("Quote", quote),
        ("Where", "" if quote else where),
        ("Stance", esc(claim.stance)),
    ]
    items = "".join(
        f'<dt style="{DT_STYLE}">{label}</dt><dd style="{DD_STYLE}">{value}</dd>'
        for label, value in rows
        if value
    )
    return (
        '<div class="cr-account" style="flex:1 1 20em;min-width:min(20em,100%);max-width:36em;'
        'border:1px solid #999;border-radius:6px;padding:0.4em 0.8em;box-sizing:border-box">'
        f'<h4 style="margin:0.1em 0 0.2em 0">{heading}</h4><p class="cr-meta" '
        f'style="font-size:0.85em;margin:0 0 0.3em">{esc(meta)}</p><dl style="{DL_STYLE}">{items}</dl></div>'
    )


def compare_html(tables, topic_id: str) -> str:
    """The comparison of one topic: title, question, the accounts side by side (wrapping on
    narrow screens) and how they differ. Escaped. ``KeyError`` for an unknown topic."""
    topic = _common.row_by_id(tables.topics, topic_id, "topic")
    accounts = source_accounts(tables, topic_id)
    parts = [
        f'<div class="cr-compare" style="font-size:{FONT_SIZE};line-height:1.4;overflow-wrap:break-word">',
        f'<h3 style="margin-top:0.2em">{esc(topic["title"])}</h3>',
        f"<p><strong>Question:</strong> {esc(topic['question'])}</p>",
    ]
    if accounts:
        count = "1 account" if len(accounts) == 1 else f"{len(accounts)} accounts"
        parts.append(
            f'<p>{count}, in the order they were written:</p><div class="cr-accounts" '
            'style="display:flex;flex-wrap:wrap;gap:0.6em;align-items:stretch">'
        )
        parts.extend(account_html(claim, source) for claim, source in accounts)
        parts.append("</div>")
    else:
        parts.append("<p>No source accounts are recorded for this topic yet.</p>")
    parts.append(f"<p><strong>How the accounts differ:</strong> {esc(topic['summary'])}</p></div>")
    return "".join(parts)


class SourceComparer(_common.LiveView):
    """Choose a topic in the ``topic`` menu (``topic``: the one shown first); see each
    source's account of it side by side (``html``)."""

    live_note = "Source comparer: run the notebook to choose another topic."

    def __init__(self, tables=None, topic: str | None = None):
        import ipywidgets as w

        from cambodia_russia.tables import ensure_tables

        self.tables = tables = ensure_tables(tables)
        ids = topic_ids(tables.topics, tables.periods)
        if not ids:
            raise ValueError("the topics table is empty")
        if topic is not None and str(topic) not in ids:
            raise KeyError(f"unknown topic {topic!r}")
        titles = dict(zip(tables.topics["id"].astype(str), tables.topics["title"], strict=True))
        self._html = functools.cache(functools.partial(compare_html, tables))
        self.topic = make(
            w.Dropdown,
            {"width": "auto", "min_width": "20em", "max_width": "48em"},
            {"description_width": "initial"},
            options=[(text_or_empty(titles[tid]) or tid, tid) for tid in ids],
            value=str(topic) if topic is not None else ids[0],
            description="Topic",
        )
        self.output = make(w.Output)
        self.box = _common.widget_box(w, self.topic, _common.keys_line(w, KEYS), self.output)
        self._choose(self.topic.value)
        self.topic.observe(lambda change: self._update(self._choose(change["new"])), names="value")

    def _choose(self, topic_id: str) -> list[dict[str, str]]:
        self.topic_id = topic_id
        self.html = self._html(topic_id)
        return self.static_bundles()
