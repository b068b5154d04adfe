"""SourceReader and the digest helpers (cambodia_russia.widgets.reader), without a kernel."""

from __future__ import annotations

import pytest

import cambodia_russia
from cambodia_russia.widgets import SourceReader, _common, digest_html
from cambodia_russia.widgets.reader import (
    cited_digest_html,
    cited_paragraphs,
    digest_index,
    digest_text,
    first_web_address,
)
from data_helpers import fixture_rows, load_fixture
from widget_fixtures import capture_display, live_model_id

SCRIPT = '<script>alert("x")</script>'
MOSYAKOV_URL = "https://asean.mgimo.ru/en/news/2021/russia-cambodian-complicated-history"


def digest_row(source: str, paragraph: int, kind: str = "text", summary: str = "", quote: str = ""):
    return dict(
        id=f"{source}_p{paragraph}",
        source=source,
        paragraph=str(paragraph),
        kind=kind,
        summary=summary or f"What paragraph {paragraph} of {source} says.",
        quote=quote,
    )


DIGEST = [digest_row("mosyakov_2021", n) for n in range(1, 5)] + [
    digest_row("ppp_2024", 1, quote="It has been almost two years"),
    digest_row("ppp_2024", 2, kind="heading", summary="A subheading.", quote="UN vote"),
    digest_row("ppp_2024", 3, summary=f"{SCRIPT} The ambassador speaks."),
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    sources = fixture_rows("sources")
    for source in sources:
        if source["id"] == "mosyakov_2021":
            source["url"] = MOSYAKOV_URL
    return load_fixture(tmp_path_factory.mktemp("reader_data"), digest=DIGEST, sources=sources)


# --- pure functions --------------------------------------------------------------------


def test_only_para_n_locators_name_a_paragraph(tables):
    index = digest_index(tables.digest)
    cites = [("mosyakov_2021", loc) for loc in ("para 4", "para  3", "vote tally", "", "4")]
    found = [loc for _sid, loc, _row in cited_paragraphs(cites, index)]
    assert found == ["para 4", "para 3"]


def test_cited_paragraphs_keeps_core_paragraphs_in_the_digest_once(tables):
    index = digest_index(tables.digest)
    cites = [
        ("mosyakov_2021", "para 2"),
        ("X16", ""),
        ("mosyakov_2021", "para 2"),
        ("ppp_2024", "para 3"),
        ("mosyakov_2021", "para 99"),
        "ppp_2024: para 1",
    ]
    found = [(sid, loc) for sid, loc, _row in cited_paragraphs(cites, index)]
    assert found == [("mosyakov_2021", "para 2"), ("ppp_2024", "para 3"), ("ppp_2024", "para 1")]
    assert cited_paragraphs((), index) == []


def test_digest_text_marks_kinds_and_quotes(tables):
    index = digest_index(tables.digest)
    assert digest_text(index[("ppp_2024", 1)]) == (
        "What paragraph 1 of ppp_2024 says. Quote: \u201cIt has been almost two years\u201d"
    )
    assert digest_text(index[("ppp_2024", 2)]) == "[heading] A subheading."


def test_cited_digest_html_is_escaped(tables):
    names = _common.source_names(tables.sources)
    index = digest_index(tables.digest)
    html = cited_digest_html([("ppp_2024", "para 3")], names, index)
    assert html.startswith('<details class="cr-cited"')
    assert "What the cited paragraph says" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert "<em>The Phnom Penh Post (2024), para 3:</em>" in html
    assert cited_digest_html([("X16", "")], names, index) == ""


def test_digest_html_shows_the_paragraph_and_a_link_to_the_original(tables):
    html = digest_html(tables, "mosyakov_2021", 3)
    assert "Mosyakov (2021), para 3" in html and "(of 4)" in html
    assert "In our own words:</strong> What paragraph 3 of mosyakov_2021 says." in html
    assert f'href="{MOSYAKOV_URL}"' in html
    assert 'rel="noopener noreferrer"' in html


def test_digest_html_headings_quotes_and_escaping(tables):
    heading = digest_html(tables, "ppp_2024", 2)
    assert "Heading (not running text):</strong> A subheading." in heading
    assert "It reads:</strong> <em>&ldquo;UN vote&rdquo;</em>" in heading
    assert "Its words:</strong>" in digest_html(tables, "ppp_2024", 1)
    escaped = digest_html(tables, "ppp_2024", 3)
    assert SCRIPT not in escaped and "&lt;script&gt;alert" in escaped
    assert "<a " not in escaped  # the fixture gives this text no web address


def test_only_web_addresses_become_links():
    assert first_web_address("https://a.org/x ; http://b.org") == "https://a.org/x"
    assert first_web_address("javascript:alert(1)") == ""
    assert first_web_address("https://a.org/x y") == ""
    assert first_web_address(float("nan")) == ""


def test_digest_html_unknown_paragraph(tables):
    with pytest.raises(KeyError):
        digest_html(tables, "mosyakov_2021", 5)
    with pytest.raises(KeyError):
        digest_html(tables, "kin_phea_2021", 1)


# --- the widget ------------------------------------------------------------------------


def test_reader_default_and_choices(tables):
    reader = SourceReader(tables)
    assert [v for _, v in reader.source.options] == ["mosyakov_2021", "ppp_2024"]
    assert reader.source.options[0][0] == "Mosyakov (2021)"
    assert (reader.paragraph.value, reader.paragraph.max) == (1, 4)
    assert reader.html == digest_html(tables, "mosyakov_2021", 1)
    reader.paragraph.value = 4
    assert reader.html == digest_html(tables, "mosyakov_2021", 4)
    assert reader.output.outputs[0]["data"]["text/html"] == _common.output_html(reader.html)
    reader.source.value = "ppp_2024"  # a shorter text: the paragraph moves down
    assert (reader.paragraph.value, reader.paragraph.max) == (3, 3)
    assert reader.html == digest_html(tables, "ppp_2024", 3)
    assert len(reader.output.outputs) == 1


def test_reader_starts_where_asked_and_rejects_unknown_choices(tables):
    reader = SourceReader(tables, source="ppp_2024", paragraph=2)
    assert reader.html == digest_html(tables, "ppp_2024", 2)
    with pytest.raises(KeyError):
        SourceReader(tables, source="kin_phea_2021")
    with pytest.raises(KeyError):
        SourceReader(tables, source="ppp_2024", paragraph=4)


def test_reader_needs_a_digest(tmp_path):
    with pytest.raises(ValueError, match="digest is empty"):
        SourceReader(load_fixture(tmp_path, digest=[]))


def test_display_shows_the_static_paragraph_then_the_controls(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    reader = SourceReader(tables, source="mosyakov_2021", paragraph=2)
    reader.display()
    first, last = capture.objects
    assert first["text/html"] == _common.output_html(reader.html)
    assert "What paragraph 2 of mosyakov_2021 says." in first["text/plain"]
    assert live_model_id(last) == reader.box.model_id
    reader.paragraph.value = 3
    assert all(h.updates == [{"text/plain": ""}] for h in capture.handles)


def test_public_name():
    assert cambodia_russia.SourceReader is SourceReader
    assert "SourceReader" in cambodia_russia.__all__


def test_shipped_reader_every_paragraph():
    reader = SourceReader()
    counts = reader.tables.digest.groupby("source").size().to_dict()
    assert {v for _, v in reader.source.options} == set(counts)
    for _, sid in reader.source.options:
        reader.source.value = sid
        for number in range(1, counts[sid] + 1):
            reader.paragraph.value = number
            assert f"para {number} " in reader.html
        assert 'Read the original: <a href="https://' in reader.html


def test_digest_html_says_what_kind_of_source_the_text_is(tables):
    html = digest_html(tables, "mosyakov_2021", 1)
    assert "Kind of source: scholarly commentary &middot; scholarly: research by scholars" in html
    assert "press: a newspaper" in digest_html(tables, "ppp_2024", 1)


def test_quality_badge_is_escaped_and_explained():
    from cambodia_russia.widgets.reader import QUALITY_LABELS, quality_html

    assert quality_html("") == ""
    badge = quality_html("blog")
    assert "[blog]" in badge and QUALITY_LABELS["blog"] in badge
    assert "<script>" not in quality_html("<script>") and "&lt;script&gt;" in quality_html(
        "<script>"
    )
