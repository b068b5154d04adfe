"""Tests for the UN votes chart: tallies, Cambodia's vote, title and description."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import chart_fixtures as fx
from cambodia_russia import style
from cambodia_russia.charts import un_votes_chart
from cambodia_russia.charts.readable import FIGURE_WIDTH_IN
from cambodia_russia.charts.votes import TALLY_COLUMNS, cambodia_vote_text
from data_helpers import fixture_rows


def segments(figure) -> dict[str, dict[str, object]]:
    """{vote id: {kind: rectangle}}."""
    found: dict[str, dict[str, object]] = {}
    for rect in fx.artists(figure, "tally:"):
        _, vote_id, kind = rect.get_gid().split(":")
        found.setdefault(vote_id, {})[kind] = rect
    return found


def test_one_stacked_bar_per_vote_with_the_tally() -> None:
    votes = fx.make_un_votes()
    chart = un_votes_chart(votes)
    drawn = segments(chart.figure)
    assert sorted(drawn) == sorted(votes["id"])
    for row in votes.itertuples():
        parts = drawn[row.id]
        recorded = [k for k in TALLY_COLUMNS if not pd.isna(getattr(row, k))]
        assert [k for k in TALLY_COLUMNS if k in parts] == recorded
        left = 0.0
        for kind in recorded:
            rect = parts[kind]
            assert rect.get_x() == left
            assert rect.get_width() == getattr(row, kind)
            assert to_rgba(rect.get_facecolor()) == to_rgba(style.VOTE_COLORS[kind])
            assert (rect.get_hatch() or "") == style.VOTE_HATCHES[kind]
            left += rect.get_width()
    assert "absent" not in drawn["es_11_3"]  # the number absent is not recorded
    assert "absent" in drawn["es_11_1"]


def test_votes_are_in_date_order_top_to_bottom() -> None:
    votes = fx.make_un_votes().sample(frac=1.0, random_state=1)
    drawn = segments(un_votes_chart(votes).figure)
    ys = {vote_id: parts["yes"].get_y() for vote_id, parts in drawn.items()}
    in_order = list(fx.make_un_votes().sort_values("date")["id"])
    assert sorted(ys, key=ys.get) == in_order


def test_cambodias_vote_is_marked_on_every_bar() -> None:
    votes = fx.make_un_votes()
    chart = un_votes_chart(votes)
    labels = fx.gid_map(chart.figure, "cambodia:")
    drawn = segments(chart.figure)
    stars = {a.get_gid().split(":")[1]: a for a in fx.artists(chart.figure, "cambodia-marker:")}
    assert sorted(labels) == sorted(votes["id"]) == sorted(stars)
    for row in votes.itertuples():
        vote = row.cambodia_vote
        star = stars[row.id]
        assert star.get_gid() == f"cambodia-marker:{row.id}:{vote}"
        segment = drawn[row.id][vote]
        x = star.get_xdata()[0]
        assert segment.get_x() < x < segment.get_x() + segment.get_width()
        assert star.get_marker() == "*"
        sponsor = None if pd.isna(row.cambodia_sponsor) else bool(row.cambodia_sponsor)
        assert labels[row.id].get_text() == cambodia_vote_text(vote, sponsor)
    assert labels["es_11_1"].get_text() == "Cambodia: voted yes, co-sponsor"
    assert labels["es_11_3"].get_text() == "Cambodia: abstained"  # sponsorship not recorded
    assert labels["es_11_6"].get_text() == "Cambodia: voted yes"
    not_sponsor = fx.vote("es_x", 2022, 4, 8, (93, 24, 58, 18), "abstain", sponsor=False)
    chart = un_votes_chart(fx.make_un_votes([not_sponsor]))
    label = fx.gid_map(chart.figure, "cambodia:")["es_x"]
    assert label.get_text() == "Cambodia: abstained, not a sponsor"


def test_not_a_member_and_missing_tallies() -> None:
    votes = fx.make_un_votes(
        [
            fx.vote(
                "admission",
                1955,
                12,
                14,
                (None, None, None, None),
                "not a member",
                symbol="A/RES/995(X)",
            ),
            fx.vote("unknown_vote", 1960, 1, 5, (50, 10, 5, None), "unknown"),
        ]
    )
    chart = un_votes_chart(votes)
    labels = fx.gid_map(chart.figure, "cambodia:")
    assert labels["admission"].get_text() == "Cambodia: not a member"
    assert labels["unknown_vote"].get_text() == "Cambodia: vote not known"
    assert not fx.artists(chart.figure, "cambodia-marker:")
    assert fx.artists(chart.figure, "no-tally:admission")
    assert "absent" not in segments(chart.figure)["unknown_vote"]
    assert (
        "A/RES/995(X) (14 December 1955): tally not recorded; Cambodia: not a member."
        in chart.alt_text
    )


def test_labels_do_not_overlap_the_bars_or_each_other() -> None:
    chart = un_votes_chart(fx.make_un_votes())
    chart.figure.canvas.draw()
    renderer = chart.figure.canvas.get_renderer()
    width = chart.figure.get_figwidth() * chart.figure.dpi
    for vote_id, parts in segments(chart.figure).items():
        label = fx.gid_map(chart.figure, "cambodia:")[vote_id].get_window_extent(renderer)
        bar_right = max(p.get_window_extent(renderer).x1 for p in parts.values())
        assert label.x0 > bar_right
        assert label.x1 <= width
        heading = fx.gid_map(chart.figure, "heading:")[vote_id].get_window_extent(renderer)
        bar_top = max(p.get_window_extent(renderer).y1 for p in parts.values())
        assert heading.y0 >= bar_top - 1


def test_title_counts_cambodias_votes() -> None:
    votes = fx.make_un_votes()
    assert fx.title_text(un_votes_chart(votes).figure) == (
        "Cambodia voted yes on 4 of 6 General Assembly votes and abstained on 2"
    )
    changed = votes.copy()
    changed.loc[changed["id"] == "es_11_6", "cambodia_vote"] = "absent"
    assert fx.title_text(un_votes_chart(changed).figure) == (
        "Cambodia voted yes on 3 of 6 General Assembly votes, abstained on 2 and was absent for 1"
    )
    all_yes = votes.loc[votes["cambodia_vote"] == "yes"]
    assert (
        fx.title_text(un_votes_chart(all_yes).figure)
        == "Cambodia voted yes on all 4 General Assembly votes"
    )


def test_alt_text_gives_every_tally() -> None:
    chart = un_votes_chart(fx.make_un_votes())
    assert chart.alt_text.startswith(
        "6 General Assembly votes from 2 March 2022 to 23 February 2023"
    )
    assert (
        "A/RES/ES-11/4 (12 October 2022): 143 yes, 5 no, 35 abstain, 10 absent; "
        "Cambodia: voted yes, co-sponsor" in chart.alt_text
    )
    assert chart.alt_text.endswith("In all, Cambodia voted yes on 4 and abstained on 2.")


def test_body_filter_and_empty_selection() -> None:
    votes = fx.make_un_votes(
        fixture_rows("un_votes")
        + [fx.vote("sc_1", 1992, 2, 28, (15, 0, 0, 0), "not a member", body="Security Council")]
    )
    chart = un_votes_chart(votes, body="Security Council")
    assert sorted(segments(chart.figure)) == ["sc_1"]
    both = un_votes_chart(votes)
    assert "Security Council" in fx.gid_map(both.figure, "heading:")["sc_1"].get_text()
    assert "7 UN votes" in fx.title_text(both.figure)
    empty = un_votes_chart(fx.make_un_votes(), body="Human Rights Council")
    assert fx.title_text(empty.figure) == "No votes of the Human Rights Council to show"
    assert empty.alt_text.startswith("No votes of the Human Rights Council")


def test_inputs_are_not_modified() -> None:
    votes = fx.make_un_votes().iloc[::-1]
    before = votes.copy(deep=True)
    un_votes_chart(votes, body=["General Assembly"])
    pd.testing.assert_frame_equal(votes, before)


@pytest.mark.parametrize("n", [1, 6, 14])
def test_height_grows_with_the_number_of_votes(n: int) -> None:
    rows = [fx.vote(f"v{i}", 2000 + i, 1, 1, (100, 10, 10, 10), "yes") for i in range(n)]
    chart = un_votes_chart(fx.make_un_votes(rows))
    assert chart.figure.get_figwidth() == FIGURE_WIDTH_IN
    assert chart.figure.get_figheight() >= style.FIGSIZE["wide"][1]
    if n == 14:
        assert chart.figure.get_figheight() > style.FIGSIZE["wide"][1]


def test_shipped_data() -> None:
    from cambodia_russia.tables import load_un_votes

    votes = load_un_votes()
    chart = un_votes_chart(votes)
    assert sorted(fx.gid_map(chart.figure, "cambodia:")) == sorted(votes["id"])
    for row in votes.itertuples():
        if row.cambodia_vote in TALLY_COLUMNS and not pd.isna(getattr(row, row.cambodia_vote)):
            assert fx.artists(chart.figure, f"cambodia-marker:{row.id}:{row.cambodia_vote}")
    ga = un_votes_chart(votes, body="General Assembly")
    n_ga = int((votes["body"] == "General Assembly").sum())
    assert f"of {n_ga} General Assembly votes" in fx.title_text(ga.figure)


def test_dates_are_written_at_the_precision_the_data_gives() -> None:
    """A vote known only to the month is never shown as the 1st of that month."""
    from cambodia_russia.tables import load_un_votes

    votes = load_un_votes()
    month_only = votes[votes["day"].isna() & votes["month"].notna()]
    assert not month_only.empty, "the shipped data has month-only votes (1979)"
    chart = un_votes_chart(votes)
    headings = " ".join(t.get_text() for t in fx.artists(chart.figure, "heading:"))
    for row in month_only.itertuples():
        month_year = row.date.strftime("%B %Y")
        assert month_year in headings or month_year in chart.alt_text
        assert f"1 {month_year}" not in headings and f"1 {month_year}" not in chart.alt_text
