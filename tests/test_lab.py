"""The data lab's checks (cambodia_russia.lab): right answers in several forms are accepted,
wrong answers and None get hints, and the right answer always comes from the data."""

from __future__ import annotations

import shutil

import pytest

import cambodia_russia as cr
from cambodia_russia import lab
from cambodia_russia.lab import (
    Feedback,
    check,
    expected_answer,
    trade_rows,
    ukraine_votes,
    visit_events,
)
from data_helpers import DATA, VALID, read_rows, real_data_missing, write_rows

pytestmark = pytest.mark.skipif(
    bool(real_data_missing()), reason="the shipped data is not complete yet"
)


@pytest.fixture(scope="module")
def tables():
    return cr.load_all()


@pytest.fixture(scope="module")
def mini():
    """The small valid dataset of tests/fixture_data (other numbers than the shipped data)."""
    return cr.load_all(VALID)


# --------------------------------------------------------------------------- student answers
# Each function is what a student would type, given the tables.


def people_rows(t):
    return t.people.shape[0]


def categories(t):
    events = t.events
    return events[events["period"] == lab.CATEGORY_PERIOD].groupby("category", observed=True).size()


def year_only(t):
    events = t.events
    return ((events["period"] == lab.PRECISION_PERIOD) & (events["precision"] == "year")).sum()


def visits_per_decade(t):
    events = t.events
    diplomacy = events[events["category"] == "diplomacy"]
    named = diplomacy["title"].str.contains("visit", case=False) | diplomacy[
        "description"
    ].str.contains("visit", case=False)
    return (diplomacy.loc[named, "year"] // 10 * 10).value_counts()


def systems(t):
    ind = t.indicators
    keep = ind["indicator"].isin(["trade_turnover", "exports", "imports"]) & ind["year"].between(
        2020, 2022
    )
    return ind.loc[keep, "system"].value_counts()


def shares(t):
    votes = t.un_votes
    ga = votes[votes["symbol"].str.startswith("A/RES/ES-11", na=False)]
    return ga["yes"] / (ga["yes"] + ga["no"] + ga["abstain"])


STUDENT = {
    "step1": people_rows,
    "step2": categories,
    "step3": year_only,
    "step4": visits_per_decade,
    "step5": systems,
    "step6": shares,
}


# --------------------------------------------------------------------------- right answers


@pytest.mark.parametrize("step", list(lab.STEPS))
def test_the_students_right_answer_is_accepted(tables, step):
    feedback = check(step, STUDENT[step](tables), tables)
    assert feedback.correct, str(feedback)
    assert str(feedback).startswith("✓ Correct")
    assert bool(feedback)


@pytest.mark.parametrize("step", list(lab.STEPS))
def test_right_answers_are_accepted_on_other_data_too(mini, step):
    feedback = check(step, STUDENT[step](mini), mini)
    assert feedback.correct, str(feedback)


def test_counts_are_accepted_as_series_dict_or_frame(tables):
    series = categories(tables)
    events = tables.events
    in_period = events[events["period"] == lab.CATEGORY_PERIOD]
    for answer in (
        series,
        series.to_dict(),
        series.to_frame(),
        series.reset_index(name="n"),
        in_period["category"].value_counts(),  # keeps the zero counts of a categorical
        series.sort_values(),  # order does not matter
    ):
        assert check("step2", answer, tables).correct, type(answer)


def test_decades_may_be_ints_or_labels(tables):
    counts = visits_per_decade(tables)
    assert check("step4", counts.to_dict(), tables).correct
    labelled = {f"{int(decade)}s": int(n) for decade, n in counts.items()}
    assert check("step4", labelled, tables).correct
    full = counts.reindex(range(1950, 2030, 10), fill_value=0)  # zero decades kept for a chart
    assert check("step4", full, tables).correct


def test_shares_may_be_fractions_percentages_or_keyed_by_symbol(tables):
    values = shares(tables)
    votes = ukraine_votes(tables.un_votes)
    by_symbol = dict(zip(votes["symbol"], (values * 100).round(0), strict=True))
    for answer in (values, values.round(2), by_symbol, values.set_axis(votes["id"])):
        assert check("step6", answer, tables).correct, answer


def test_a_shape_is_accepted_for_step1_and_step_ids_are_flexible(tables):
    assert check("step1", tables.people.shape, tables).correct
    assert check(1, people_rows(tables), tables).correct
    assert check("Step 1", people_rows(tables), tables).correct
    with pytest.raises(ValueError, match="step1"):
        check("step9", 1, tables)


# --------------------------------------------------------------------------- None and wrong answers


@pytest.mark.parametrize("step", list(lab.STEPS))
def test_none_gets_a_friendly_not_answered_message_with_a_hint(tables, step):
    feedback = check(step, None, tables)
    assert feedback.status == "unanswered" and not feedback.correct
    text = str(feedback)
    assert text.startswith("✗ Not answered yet")
    assert "replace None" in text and "Hint:" in text and lab.STEPS[step].hint in text
    html = feedback._repr_html_()
    assert "✗ Not answered yet" in html  # a symbol and words, not colour alone


@pytest.mark.parametrize(
    ("step", "make_wrong", "hint"),
    [
        ("step1", lambda t: t.people.shape[1], "number of columns"),
        ("step1", lambda t: t.people, "whole table"),
        ("step1", lambda t: "36", "whole number"),
        ("step2", lambda t: t.events["category"].value_counts(), "all periods"),
        ("step2", lambda t: t.events.groupby("period", observed=True).size(), "per period"),
        (
            "step2",
            lambda t: t.events[t.events["period"] == "rupture_1970_1979"][
                "category"
            ].value_counts(),
            "rupture_1970_1979",
        ),
        ("step3", lambda t: int((t.events["precision"] == "year").sum()), "every period"),
        (
            "step3",
            lambda t: int((t.events["period"] == lab.PRECISION_PERIOD).sum()),
            "precision",
        ),
        ("step4", lambda t: visits_per_decade(t).rename(lambda d: d // 10), "last digit"),
        (
            "step4",
            lambda t: (
                t.events.loc[
                    (t.events["category"] == "diplomacy")
                    & t.events["title"].str.contains("visit", case=False),
                    "year",
                ]
                // 10
                * 10
            ).value_counts(),
            "only the titles",
        ),
        (
            "step4",
            lambda t: (
                t.events.loc[t.events["category"] == "diplomacy", "year"] // 10 * 10
            ).value_counts(),
            "all diplomacy events",
        ),
        ("step4", lambda t: visit_events(t.events)["year"].value_counts(), "per year"),
        (
            "step5",
            lambda t: t.indicators.loc[
                t.indicators["year"].between(2020, 2022), "system"
            ].value_counts(),
            "trade indicators",
        ),
        ("step5", lambda t: list(trade_rows(t.indicators)["system"].unique()), "expected counts"),
        (
            "step6",
            lambda t: (
                lambda ga: ga["yes"] / (ga["yes"] + ga["no"] + ga["abstain"] + ga["absent"])
            )(ukraine_votes(t.un_votes)),
            "absent",
        ),
        ("step6", lambda t: ukraine_votes(t.un_votes)["yes"] / 193, "193"),
        (
            "step6",
            lambda t: t.un_votes["yes"] / (t.un_votes["yes"] + t.un_votes["no"]),
            "A/RES/ES-11",
        ),
        ("step6", lambda t: shares(t).iloc[:2], "leaves out"),
    ],
)
def test_wrong_answers_get_a_specific_hint(tables, step, make_wrong, hint):
    feedback = check(step, make_wrong(tables), tables)
    assert feedback.status == "wrong", str(feedback)
    text = str(feedback)
    assert text.startswith("✗ Not yet: ")
    assert hint in text, text
    assert "✗ Not yet" in feedback._repr_html_()


def test_feedback_html_escapes_and_shows_symbol_and_words():
    feedback = Feedback("step1", "wrong", "use <b>len</b> & try again")
    html = feedback._repr_html_()
    assert "<b>len</b>" not in html and "&lt;b&gt;len&lt;/b&gt; &amp; try again" in html
    assert "✗ Not yet" in html and 'role="status"' in html
    assert repr(feedback) == "✗ Not yet: use <b>len</b> & try again"
    assert str(Feedback("step1", "correct", "36 rows.")) == "✓ Correct: 36 rows."


# --------------------------------------------------------------------------- computed from the data


def test_the_right_answer_follows_the_data_not_a_stored_number(tables, mini):
    # The fixture copies the shipped votes of ES-11; one tally differs here, so every step's
    # answer must come out different from the shipped data's.
    votes = mini.un_votes.copy()
    votes.loc[votes.index[0], "yes"] = votes.loc[votes.index[0], "yes"] - 1
    mini = mini.replace(un_votes=votes)
    for step in lab.STEPS:
        assert expected_answer(step, tables) != expected_answer(step, mini), step
    # the shipped data's right answer to step 1 is wrong for the mini dataset, and back
    assert check("step1", len(tables.people), mini).status == "wrong"
    assert check("step1", len(mini.people), mini).correct
    assert check("step1", len(mini.people), tables).status == "wrong"


def test_without_tables_the_check_reads_the_folder_in_the_environment(monkeypatch, mini):
    monkeypatch.setenv("CAMBODIA_RUSSIA_DATA", str(VALID))
    assert check("step1", len(mini.people)).correct
    assert check("step3", int(year_only(mini))).correct
    monkeypatch.delenv("CAMBODIA_RUSSIA_DATA")
    assert check("step1", len(mini.people)).status == "wrong"


def test_adding_a_row_changes_the_expected_answer(tmp_path, tables):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    rows = read_rows(folder, "events")
    header = rows[0]
    new = dict.fromkeys(header, "")
    new.update(
        id="test_extra_visit",
        year="1987",
        approximate="false",
        title="A test visit to Moscow",
        description="A row added by a test to see the answer change.",
        category="diplomacy",
        period=lab.CATEGORY_PERIOD,
        sources="X31",
        verification="verified",
        contested="false",
    )
    write_rows(folder, "events", [*rows, [new[column] for column in header]])
    edited = cr.load_all(folder)

    before, after = expected_answer("step2", tables), expected_answer("step2", edited)
    assert after["diplomacy"] == before["diplomacy"] + 1
    assert expected_answer("step4", edited)[1980] == expected_answer("step4", tables)[1980] + 1
    # yesterday's right answer is now wrong, and the hint says so
    assert check("step2", categories(tables), edited).status == "wrong"
    assert check("step2", categories(edited), edited).correct
    assert check("step4", visits_per_decade(edited), edited).correct


def test_the_selections_match_the_steps_wording(tables):
    visits = visit_events(tables.events)
    assert set(visits["category"].astype(str)) == {"diplomacy"}
    text = (visits["title"] + " " + visits["description"]).str.lower()
    assert text.str.contains("visit").all()
    trade = trade_rows(tables.indicators)
    assert set(trade["indicator"]) <= set(lab.TRADE_INDICATORS)
    assert trade["year"].between(*lab.TRADE_YEARS).all()
    votes = ukraine_votes(tables.un_votes)
    assert votes["symbol"].str.startswith(lab.VOTE_SYMBOL_PREFIX).all()
    assert list(votes["date"]) == sorted(votes["date"])
    assert isinstance(expected_answer("step6", tables), dict)
    assert all(isinstance(v, float) for v in expected_answer("step6", tables).values())
    assert sum(expected_answer("step5", tables).values()) == len(trade)


def test_wrong_answers_name_what_differs_but_never_the_right_values(tables):
    import re

    rows = expected_answer("step1", tables)
    assert not re.search(rf"\b{rows}\b", check("step1", rows + 5, tables).message)
    counts = expected_answer("step2", tables)
    off = {**counts, "diplomacy": counts["diplomacy"] + 1}
    message = check("step2", off, tables).message
    assert "diplomacy" in message and not re.search(rf"\b{counts['diplomacy']}\b", message)
    assert "leaves out diplomacy" in check("step2", {**counts, "diplomacy": 0}, tables).message
    right = expected_answer("step6", tables)
    first = next(iter(right))
    message = check("step6", {**right, first: right[first] - 0.1}, tables).message
    assert first in message and "%" not in message and str(round(right[first], 2)) not in message
