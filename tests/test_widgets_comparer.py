"""SourceComparer and compare_html, driven without a kernel."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from cambodia_russia.widgets import SourceComparer, _common, compare_html  # noqa: E402
from cambodia_russia.widgets.comparer import (  # noqa: E402
    DD_STYLE,
    source_accounts,
    topic_ids,
    written_text,
)
from data_helpers import fixture_rows, load_fixture
from widget_fixtures import capture_display, live_model_id  # noqa: E402


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("widget_data"))


def test_topics_in_teaching_order(tables):
    assert topic_ids(tables.topics, tables.periods) == ["start_of_relations", "coup_1970_stance"]


def test_accounts_in_the_order_they_were_written(tables):
    accounts = source_accounts(tables, "start_of_relations")
    # The encyclopedia has no year, but its date note says "1970s": it comes first.
    # Kin Phea and Mosyakov are both 2021 (then by name).
    assert [str(claim.source) for claim, _source in accounts] == [
        "X04",
        "kin_phea_2021",
        "mosyakov_2021",
    ]


def test_comparison_content(tables):
    html = compare_html(tables, "coup_1970_stance")
    assert "<h3" in html and "Moscow and the 1970 coup" in html
    assert (
        "<strong>Question:</strong> Did Moscow back the March 1970 coup against Sihanouk, or "
        "condemn it?" in html
    )
    assert "2 accounts, in the order they were written" in html
    assert "display:flex;flex-wrap:wrap" in html  # columns side by side, wrapping on narrow screens
    assert html.count('class="cr-account"') == 2
    mosyakov = html[html.index("<h4", html.index("Kin Phea (2021)")) :]
    # the heading names the source and its quality; one small line says who, when, what kind
    assert mosyakov.startswith(
        '<h4 style="margin:0.1em 0 0.2em 0">Mosyakov (2021) <span class="cr-quality"'
    )
    assert "[scholarly]</span></h4>" in mosyakov
    assert (
        "Oriental Studies, Russian Academy of Sciences · 2021 · scholarly commentary</p>"
        in mosyakov
        and ">Dmitry Mosyakov, Head of the Center for Southeast Asia" in mosyakov
    )
    assert "filed under 2021" not in mosyakov  # only the year
    assert (
        "&ldquo;the coup against Sihanouk was actually supported in Moscow&rdquo;</em> (para 7)"
        in mosyakov
    )
    assert f'<dd style="{DD_STYLE}">Moscow in effect backed the coup</dd>' in mosyakov
    kin_phea = html[html.index("Kin Phea (2021)") : html.index("Mosyakov (2021)")]
    assert "[press]" in kin_phea and "Royal Academy of Cambodia · 2021 · op-ed</p>" in kin_phea
    assert f'<dd style="{DD_STYLE}">Moscow condemned the coup</dd>' in kin_phea
    assert "&ldquo;by condemning the Lon Nol’s military coup 1970&rdquo;" in kin_phea
    assert (
        "<strong>How the accounts differ:</strong> Mosyakov writes that Moscow in effect supported the coup"
        in html
    )


def test_outside_reference_without_quote(tables):
    html = compare_html(tables, "start_of_relations")
    gse = html[html.index("Great Soviet Encyclopedia <span") :]
    gse = gse[: gse.index("</dl>")]
    assert "Quote" not in gse and "[encyclopaedia]" in gse
    assert (
        '<p class="cr-meta" style="font-size:0.85em;margin:0 0 0.3em">1970s · reference work</p>'
        in gse
    )
    assert f'<dd style="{DD_STYLE}">Relations begin on 13 May 1956</dd>' in gse


def test_unknown_topic(tables):
    with pytest.raises(KeyError):
        compare_html(tables, "no_such_topic")


@pytest.mark.parametrize(
    ("year", "note", "expected"),
    [
        (2021, "May 2021, for the 65th anniversary", "2021"),
        (2021, "filed under 2009", "2021"),
        (2024, "early in the year", "2024"),
        (None, "1970s edition", "1970s"),
        (None, "late 1980s", "1980s"),
        (None, "undated", ""),
        (None, None, ""),
    ],
)
def test_written_shows_the_year_only(year, note, expected):
    assert written_text({"year": year, "date_note": note}) == expected


def test_claim_text_is_escaped(tmp_path):
    claims = fixture_rows("claims")
    (mosyakov,) = [c for c in claims if c["id"] == "coup_mosyakov"]
    mosyakov["claim"] = "<script>alert(1)</script> Moscow & the coup"
    mosyakov["stance"] = "<img src=x onerror=alert(1)>"
    tables = load_fixture(tmp_path, claims=claims)
    html = compare_html(tables, "coup_1970_stance")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Moscow &amp; the coup" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_choosing_a_topic(tables):
    comparer = SourceComparer(tables)
    assert comparer.topic_id == "start_of_relations"
    assert [v for _, v in comparer.topic.options] == ["start_of_relations", "coup_1970_stance"]
    assert comparer.topic.options[1][0] == "Moscow and the 1970 coup"
    assert comparer.html == compare_html(tables, "start_of_relations")
    comparer.topic.value = "coup_1970_stance"
    assert comparer.topic_id == "coup_1970_stance"
    assert comparer.html == compare_html(tables, "coup_1970_stance")
    (shown,) = comparer.output.outputs
    assert shown["data"]["text/html"] == _common.output_html(comparer.html)
    assert SourceComparer(tables, topic="coup_1970_stance").html == comparer.html
    with pytest.raises(KeyError):
        SourceComparer(tables, topic="nope")


def test_display_static_comparison_then_controls(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    comparer = SourceComparer(tables, topic="coup_1970_stance")
    comparer._ipython_display_()
    first, last = capture.objects
    assert "Moscow and the 1970 coup" in first["text/html"]
    assert "Moscow and the 1970 coup" in first["text/plain"] and "<" not in first["text/plain"]
    assert live_model_id(last) == comparer.box.model_id
    assert "run the notebook" in last["text/plain"]


def test_shipped_data_every_topic():
    comparer = SourceComparer()
    for _, topic in comparer.topic.options:
        comparer.topic.value = topic
        assert "<strong>Question:</strong>" in comparer.html
        assert 'class="cr-account"' in comparer.html
