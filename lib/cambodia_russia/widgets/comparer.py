"""Source comparer: what each source says about one disputed topic, side by side.

:func:`compare_html` builds the comparison as HTML (pure function); :class:`SourceComparer`
adds a Dropdown of topics.
"""

from __future__ import annotations

import re

from cambodia_russia.widgets import _common
from cambodia_russia.widgets._common import esc, fold, text_or_empty

#: The keys, as shown under the topic list.
KEYS = "Tab to the topic list, then the Up and Down arrows choose a topic (Alt+Down arrow opens the list)."


def topic_ids(topics, periods=None) -> list[str]:
    """Topic ids in teaching order: by their period's order (no period last), then id."""
    order: dict[str, int] = {}
    if periods is not None:
        collection = periods[periods["scheme"].astype(str) == "collection"]
        order = {
            str(pid): int(o)
            for pid, o in zip(collection["id"], collection["order"], strict=True)
            if not _common.is_missing(o)
        }
    keyed = []
    for tid, period in zip(topics["id"], topics["period"], strict=True):
        rank = order.get(text_or_empty(period), 10**9)
        keyed.append((rank, str(tid)))
    return [tid for _, tid in sorted(keyed)]


def written_year(source) -> int | None:
    """The year a source was written, for ordering: its ``year``, else the first year its
    date note names ("1970s edition" → 1970, "late 1980s" → 1980); ``None`` if neither."""
    if source is None:
        return None
    if not _common.is_missing(source["year"]):
        return int(source["year"])
    found = re.search(r"\b(1[89]\d\d|20\d\d)s?\b", text_or_empty(source.get("date_note")))
    return int(found.group(1)) if found else None


def source_accounts(tables, topic_id: str):
    """The claims on one topic joined to their sources, one row per claim.

    Sorted by the year the source was written (:func:`written_year`; unknown last), then
    short name, then the claim id, so the accounts read in the order they were written.
    """
    claims = tables.claims[tables.claims["topic"].astype(str) == str(topic_id)]
    sources = tables.sources.set_index(tables.sources["id"].astype(str))
    accounts = []
    for claim in claims.itertuples(index=False):
        sid = str(claim.source)
        source = sources.loc[sid] if sid in sources.index else None
        year = written_year(source)
        name = sid if source is None else (text_or_empty(source["short_name"]) or sid)
        accounts.append((year if year is not None else 10**6, fold(name), str(claim.id), claim, source))
    accounts.sort(key=lambda item: item[:3])
    return [(claim, source) for *_key, claim, source in accounts]


def written_text(year, date_note) -> str:
    """When a source was written: the date note when it already names the year, else
    ``year (date note)``, or whichever of the two is known."""
    year_text = text_or_empty(year)
    note = text_or_empty(date_note)
    if note and (not year_text or year_text in note):
        return note
    if note:
        return f"{year_text} ({note})"
    return year_text


#: The label/value grid of a card: labels in one column (never wider than 9em, wrapping
#: only between words), values in the other; every row starts at the same two left edges.
DL_STYLE = (
    "display:grid;grid-template-columns:fit-content(9em) minmax(0,1fr);gap:0.3em 0.8em;"
    "margin:0;overflow-wrap:break-word"
)
DT_STYLE = "margin:0;font-weight:bold;overflow-wrap:normal;word-break:normal;hyphens:manual"
DD_STYLE = "margin:0;min-width:0"


def account_html(claim, source) -> str:
    """One column of the comparison: who wrote it, when, what kind of text, the claim,
    the quote (in quotation marks, with its paragraph) and the stance. Escaped."""
    sid = str(claim.source)
    name = sid if source is None else (text_or_empty(source["short_name"]) or sid)
    rows: list[tuple[str, str]] = []
    if source is not None:
        who = ", ".join(p for p in (text_or_empty(source.get("author")), text_or_empty(source.get("author_role"))) if p)
        rows.append(("Who wrote it", esc(who)))
        rows.append(("Written", esc(written_text(source.get("year"), source.get("date_note")))))
        rows.append(("Kind of text", esc(text_or_empty(source.get("kind")))))
    rows.append(("What it says", esc(claim.claim)))
    quote = text_or_empty(getattr(claim, "quote", ""))
    locator = text_or_empty(getattr(claim, "locator", "")).strip()
    if quote:
        where = f" ({esc(locator)})" if locator else ""
        rows.append(("In its own words", f"<em>&ldquo;{esc(quote)}&rdquo;</em>{where}"))
    else:
        rows.append(("Where", esc(locator)))
    rows.append(("Stance", esc(claim.stance)))
    items = "".join(
        f'<dt style="{DT_STYLE}">{label}</dt><dd style="{DD_STYLE}">{value}</dd>' for label, value in rows if value
    )
    return (
        '<div class="cr-account" style="flex:1 1 20em;min-width:min(20em,100%);max-width:36em;'
        'border:1px solid #999;border-radius:6px;padding:0.6em 0.9em;box-sizing:border-box">'
        f'<h4 style="margin:0.2em 0 0.4em 0">{esc(name)}</h4><dl style="{DL_STYLE}">{items}</dl></div>'
    )


def compare_html(tables, topic_id: str) -> str:
    """HTML comparison of one topic: its title, the question for students, each source's
    account side by side (columns that wrap on narrow screens) and a neutral summary of
    how the accounts differ. All data text is escaped.

    Raises ``KeyError`` for an unknown ``topic_id``.
    """
    topics = tables.topics
    match = topics[topics["id"].astype(str) == str(topic_id)]
    if len(match) == 0:
        raise KeyError(f"unknown topic {topic_id!r}")
    topic = match.iloc[0]
    accounts = source_accounts(tables, topic_id)
    parts = [
        f'<div class="cr-compare" style="font-size:{_common.FONT_SIZE};line-height:1.45;overflow-wrap:break-word">',
        f'<h3 style="margin-top:0.2em">{esc(topic["title"])}</h3>',
        f"<p><strong>Question:</strong> {esc(topic['question'])}</p>",
    ]
    if accounts:
        count = "1 account" if len(accounts) == 1 else f"{len(accounts)} accounts"
        parts.append(f"<p>{esc(count)}, in the order they were written:</p>")
        parts.append(
            '<div class="cr-accounts" '
            'style="display:flex;flex-wrap:wrap;gap:0.8em;align-items:stretch">'
        )
        parts.extend(account_html(claim, source) for claim, source in accounts)
        parts.append("</div>")
    else:
        parts.append("<p>No source accounts are recorded for this topic yet.</p>")
    parts.append(f"<p><strong>How the accounts differ:</strong> {esc(topic['summary'])}</p>")
    parts.append("</div>")
    return "".join(parts)


class SourceComparer(_common.LiveView):
    """Choose a topic; see each source's account of it side by side.

    ``tables`` defaults to the shipped data; ``topic`` is the topic id shown first
    (default: the first in teaching order). Attributes for tests: ``topic`` (the
    Dropdown), ``topic_id``, ``html``, ``output``, ``box``.
    """

    live_note = "Source comparer: run the notebook to choose another topic."

    def __init__(self, tables=None, topic: str | None = None):
        import ipywidgets as w

        if tables is None:
            from cambodia_russia.tables import load_all

            tables = load_all()
        self.tables = tables
        ids = topic_ids(tables.topics, tables.periods)
        if not ids:
            raise ValueError("the topics table is empty")
        titles = dict(zip(tables.topics["id"].astype(str), tables.topics["title"], strict=True))
        options = [(text_or_empty(titles[tid]) or tid, tid) for tid in ids]
        if topic is not None and str(topic) not in ids:
            raise KeyError(f"unknown topic {topic!r}")
        self._cache: dict[str, str] = {}
        self.topic = w.Dropdown(
            options=options,
            value=str(topic) if topic is not None else ids[0],
            description="Topic",
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", min_width="20em", max_width="48em"),
        )
        self.output = w.Output()
        keys = w.HTML(_common.keys_html(KEYS))
        self.box = w.VBox([_common.style_widget(), self.topic, keys, self.output])
        self.box.add_class(_common.CSS_CLASS)
        self._show(self.topic.value)
        self.topic.observe(self._on_change, names="value")

    def _show(self, topic_id: str) -> None:
        self.topic_id = topic_id
        if topic_id not in self._cache:
            self._cache[topic_id] = compare_html(self.tables, topic_id)
        self.html = self._cache[topic_id]

    def _on_change(self, change) -> None:
        self._show(change["new"])
        _common.set_outputs(self.output, [_common.html_bundle(self.html)])
        self._live_changed()

    def static_bundles(self) -> list[dict[str, str]]:
        """The comparison for the topic shown first."""
        return [_common.html_bundle(self.html)]
