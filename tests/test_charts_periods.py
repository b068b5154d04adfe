"""Tests for the periodisation chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import chart_fixtures as fx
from cambodia_russia import style
from cambodia_russia.charts import periodisation_chart
from cambodia_russia.charts.periods import BAR_LIGHTNESS, scheme_summary
from data_helpers import fixture_rows


def bars(figure) -> dict:
    return fx.gid_map(figure, "period:")


def bar_x(rect) -> tuple[float, float]:
    return rect.get_x(), rect.get_x() + rect.get_width()


def test_one_bar_per_period_one_row_per_scheme() -> None:
    periods = fx.make_periods()
    chart = periodisation_chart(periods, current_year=2025)
    drawn = bars(chart.figure)
    assert sorted(drawn) == sorted(periods["id"])
    rows = {}
    for period_id, rect in drawn.items():
        scheme = periods.loc[periods["id"] == period_id, "scheme"].iloc[0]
        rows.setdefault(scheme, set()).add(round(rect.get_y(), 6))
    assert all(len(ys) == 1 for ys in rows.values())  # a scheme stays on one row
    assert len({ys.pop() for ys in rows.values()}) == 3  # three different rows
    assert set(fx.gid_map(chart.figure, "scheme:")) == {"collection", "mosyakov", "kin_phea"}


def test_bar_ends_follow_the_years() -> None:
    chart = periodisation_chart(fx.make_periods(), current_year=2025)
    drawn = bars(chart.figure)
    # 1955-1970, next period starts in 1970: they meet in the middle of 1970.
    assert bar_x(drawn["sihanouk_1955_1970"]) == (1955.0, 1970.5)
    assert bar_x(drawn["rupture_1970_1979"]) == (1970.5, 1979.5)
    assert bar_x(drawn["kin_phea_1"])[0] == 1956.0
    # A closed period whose end year starts no other period runs to the end of that year.
    assert bar_x(drawn["renewal_1993_2021"]) == (1993.5, 2022.0)


def test_collection_bars_use_the_period_colours() -> None:
    periods = fx.make_periods()
    chart = periodisation_chart(periods, current_year=2025)
    drawn = bars(chart.figure)
    for period_id in fx.collection_period_ids():
        color = style.period_color(period_id, periods)
        assert to_rgba(drawn[period_id].get_facecolor()) == to_rgba(
            style.lighten(color, BAR_LIGHTNESS)
        )
        if period_id != "ukraine_2022_2024":
            assert to_rgba(drawn[period_id].get_edgecolor()) == to_rgba(color)


def test_open_periods_fade_to_the_current_year_with_an_arrow() -> None:
    chart = periodisation_chart(fx.make_periods(), current_year=2025)
    for period_id in ("ukraine_2022_2024", "mosyakov_5", "kin_phea_5"):
        fades = [a for a in fx.artists(chart.figure, f"open:{period_id}")]
        assert len(fades) > 1
        assert max(f.get_x() + f.get_width() for f in fades) == pytest.approx(2026.0)
        alphas = [f.get_alpha() for f in sorted(fades, key=lambda f: f.get_x())]
        assert alphas == sorted(alphas, reverse=True)
        assert fx.artists(chart.figure, f"open-arrow:{period_id}")
    assert not fx.artists(chart.figure, "open:renewal_1993_2021")
    assert "drawn to 2025" in fx.artists(chart.figure, "footnote")[0].get_text()
    assert "Open-ended periods are drawn up to 2025." in chart.alt_text


def test_every_period_is_named() -> None:
    periods = fx.make_periods()
    chart = periodisation_chart(periods, current_year=2025)
    names = fx.gid_map(chart.figure, "period-name:")
    assert sorted(names) == sorted(periods["id"])
    assert (
        names["sihanouk_1955_1970"]
        .get_text()
        .replace("\n", " ")
        .startswith("Sihanouk and the Soviet Union")
    )


def test_title_says_where_the_schemes_agree_and_differ() -> None:
    periods = fx.make_periods()
    title = fx.title_text(periodisation_chart(periods, current_year=2025).figure)
    assert title == (
        "All 3 schemes break in 1970, 1979 and 1991 "
        "but differ on the start (1955 or 1956) and on 1993, 2016 and 2022"
    )
    changed = periods.copy()
    changed.loc[changed["id"] == "mosyakov_1", "start_year"] = 1956
    changed.loc[changed["id"] == "sihanouk_1955_1970", "start_year"] = 1956
    title = fx.title_text(periodisation_chart(changed, current_year=2025).figure)
    assert "the start" not in title
    assert title.startswith("All 3 schemes break in 1970, 1979 and 1991")


def test_one_scheme_alone() -> None:
    periods = fx.make_periods([r for r in fixture_rows("periods") if r["scheme"] == "collection"])
    chart = periodisation_chart(periods, current_year=2025)
    assert fx.title_text(chart.figure) == "This collection divides 1955–today into 6 periods"
    assert not fx.artists(chart.figure, "scheme:mosyakov")


@pytest.mark.parametrize("categorical", [True, False])
def test_a_new_scheme_gets_its_own_row(categorical: bool) -> None:
    # The loader would refuse a scheme outside the schema's enum (a teacher adds it there
    # too), so the new rows go into a pandas copy of the loaded table.
    loaded = fx.make_periods()
    teacher = loaded.loc[loaded["scheme"] == "kin_phea"].head(2).astype({"scheme": str})
    teacher["id"] = ["teacher_1", "teacher_2"]
    teacher["scheme"] = "teacher"
    teacher["name"] = ["Before", "After"]
    teacher["start_year"] = pd.array([1955, 1991], dtype="Int64")
    teacher["end_year"] = pd.array([1991, None], dtype="Int64")
    periods = pd.concat([loaded, teacher], ignore_index=True)
    schemes = [*loaded["scheme"].cat.categories, "teacher"]
    periods["scheme"] = pd.Categorical(periods["scheme"].astype(str), categories=schemes)
    if not categorical:
        periods["scheme"] = periods["scheme"].astype(str)
    chart = periodisation_chart(periods, current_year=2025, scheme_labels={"teacher": "Our class"})
    assert "teacher_2" in bars(chart.figure)
    assert fx.gid_map(chart.figure, "scheme:")["teacher"].get_text() == "Our class"
    assert "Our class: 2 periods (Before 1955–1991; After 1991–today)" in chart.alt_text
    assert "4 ways of dividing" in chart.alt_text


def test_alt_text_lists_every_scheme() -> None:
    chart = periodisation_chart(fx.make_periods(), current_year=2025)
    assert chart.alt_text.startswith("3 ways of dividing the history into periods")
    assert "Kin Phea (2021): 5 periods (Very special relations 1956–1970;" in chart.alt_text
    assert "Every scheme starts a new period in 1970, 1979 and 1991." in chart.alt_text


def test_scheme_summary_orders_by_scheme_then_order() -> None:
    summary = scheme_summary(fx.make_periods().iloc[::-1])
    assert list(summary) == ["collection", "mosyakov", "kin_phea"]
    assert [p["id"] for p in summary["mosyakov"]] == [f"mosyakov_{i}" for i in range(1, 6)]
    assert summary["collection"][-1]["end_year"] is None


def test_inputs_are_not_modified() -> None:
    periods = fx.make_periods().iloc[::-1]
    before = periods.copy(deep=True)
    periodisation_chart(periods, current_year=2025)
    pd.testing.assert_frame_equal(periods, before)


def test_empty_table_gives_a_clear_figure() -> None:
    chart = periodisation_chart(fx.make_periods().iloc[0:0], current_year=2025)
    assert fx.title_text(chart.figure) == "No periods to show"
    assert chart.alt_text == "No periods to show: the periods table is empty."


def test_shipped_data() -> None:
    from cambodia_russia.tables import load_periods

    periods = load_periods()
    chart = periodisation_chart(periods, current_year=2025)
    assert sorted(bars(chart.figure)) == sorted(periods["id"])
    assert sorted(fx.gid_map(chart.figure, "period-name:")) == sorted(periods["id"])
    for name in periods["name"]:
        assert name in chart.alt_text


def test_open_periods_need_an_end_year_from_the_caller_not_the_clock() -> None:
    """A stored chart must not change on 1 January: where "to today" ends comes from the caller."""
    with pytest.raises(ValueError, match="current_year="):
        periodisation_chart(fx.make_periods())
    closed = fx.make_periods().dropna(subset=["end_year"])
    assert "drawn up to" not in periodisation_chart(closed).alt_text
    assert "drawn up to 2031" in periodisation_chart(fx.make_periods(), current_year=2031).alt_text
