"""Glossary search (cambodia_russia.widgets.glossary) on the real glossary.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from cambodia_russia import load_all
from cambodia_russia.widgets.glossary import (
    EXAMPLES,
    GlossarySearch,
    glossary_html,
    search_glossary,
)


@pytest.fixture(scope="module")
def tables():
    return load_all()


def terms(rows) -> list[str]:
    return list(rows["term"])


def test_whole_words_only_case_and_accents_ignored(tables):
    glossary = tables.glossary
    assert "Veto" in terms(search_glossary(glossary, "VETO"))
    assert "Coup d'état" in terms(search_glossary(glossary, "etat"))
    # "vet" is part of "veto" and "Soviet", never a whole word: no match
    assert search_glossary(glossary, "vet").empty
    # every word must occur
    both = search_glossary(glossary, "security council")
    assert "Veto" in terms(both) and all(
        "security" in r.lower() and "council" in r.lower()
        for r in (both["term"] + " " + both["definition"])
    )


def test_empty_query_lists_every_term_sorted(tables):
    rows = search_glossary(tables.glossary, "  ")
    assert len(rows) == len(tables.glossary)
    assert terms(rows) == sorted(terms(rows), key=str.casefold)


def test_html_escapes_the_data_and_counts():
    rows = pd.DataFrame({"term": ["<script>x</script>"], "definition": ["a & b"]})
    markup = glossary_html(rows, 5)
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "a &amp; b" in markup
    assert "1 of 5 terms" in markup
    assert "No term contains" in glossary_html(rows.iloc[0:0], 5)


def test_widget_static_view_then_typing_filters(tables):
    widget = GlossarySearch(tables)
    static = widget.static_bundles()[0]["text/plain"]
    assert f"All {len(tables.glossary)} terms" in static
    assert "\nVeto: The power of each of the five permanent members" in static
    assert widget.output.outputs == ()
    widget.search.value = "abstained"
    shown = widget.output.outputs[0]["data"]["text/plain"]
    assert "Abstention" in shown and "UNTAC" not in shown
    assert terms(widget.rows) == ["Abstention"]


def test_khmer_and_russian_forms_are_searched_and_shown_when_the_table_has_them():
    rows = pd.DataFrame(
        {
            "term": ["People's Republic of Kampuchea (PRK)", "Veto"],
            "definition": [
                "The state proclaimed in January 1979.",
                "A permanent member's power to block.",
            ],
            "khmer": ["សាធារណរដ្ឋប្រជាមានិតកម្ពុជា", ""],
            "russian": ["Народная Республика Кампучия", ""],
        }
    )
    found = search_glossary(rows, "кампучия")
    assert list(found["term"]) == ["People's Republic of Kampuchea (PRK)"]
    assert list(search_glossary(rows, "សាធារណរដ្ឋប្រជាមានិតកម្ពុជា")["term"]) == list(found["term"])
    markup = glossary_html(found, 2)
    assert "<th" in markup and ">Khmer</th>" in markup and ">Russian</th>" in markup
    assert "Народная Республика Кампучия" in markup


def test_each_example_button_searches_its_word_and_finds_a_term(tables):
    widget = GlossarySearch(tables)
    for button, word in zip(widget.examples, EXAMPLES, strict=True):
        button.click()
        assert widget.search.value == word and len(widget.rows) >= 1
        assert (
            f"{len(widget.rows)} of {len(tables.glossary)} terms"
            in widget.output.outputs[0]["data"]["text/plain"]
        )
