"""Tests for the indicator chart and table: series, bounds, spans, notes."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import chart_fixtures as fx
from cambodia_russia import style
from cambodia_russia.charts import indicator_chart, indicator_table
from cambodia_russia.charts.indicators import format_figure, format_value, select_indicators
from data_helpers import fixture_rows

EAEU = "Cambodian Ministry of Commerce (whole EAEU)"


def figure_markers(figure) -> dict[str, tuple]:
    """{indicator row id: (line, bound)} for every drawn figure."""
    found = {}
    for line in fx.artists(figure, "figure:"):
        _, row_id, bound = line.get_gid().split(":", 2)
        found[row_id] = (line, bound)
    return found


def legend_texts(figure) -> list[str]:
    return [" ".join(t.get_text().split()) for legend in figure.legends for t in legend.get_texts()]


def test_one_marker_per_selected_row() -> None:
    indicators = fx.make_indicators()
    for key in ("trade_turnover", "exports", "aid", "scholarships", "debt"):
        chart = indicator_chart(indicators, key)
        expected = indicators.loc[indicators["indicator"] == key, "id"]
        assert sorted(figure_markers(chart.figure)) == sorted(expected), key


def test_bounds_are_drawn_honestly() -> None:
    indicators = fx.make_indicators()
    imports = indicator_chart(indicators, "imports")
    more, bound = figure_markers(imports.figure)["imports_2020_customs"]
    assert bound == "more than" and more.get_marker() == "^"
    assert fx.artists(imports.figure, "arrow:imports_2020_customs:up")
    assert fx.gid_map(imports.figure, "value:")["imports_2020_customs"].get_text() == ">200"
    chart = indicator_chart(indicators, "exports")
    markers = figure_markers(chart.figure)
    about, bound = markers["exports_2020_russian_customs"]
    assert bound == "about" and about.get_marker() == "o"
    assert to_rgba(about.get_markerfacecolor()) == to_rgba("white")  # hollow
    exact, bound = markers["exports_2022_comtrade"]
    assert bound == "exact" and to_rgba(exact.get_markerfacecolor()) == to_rgba(
        exact.get_markeredgecolor()
    )
    assert fx.gid_map(chart.figure, "value:")["exports_2020_russian_customs"].get_text() == "≈20"


def test_less_than_and_up_to_point_down() -> None:
    rows = fixture_rows("indicators")
    for row in rows:  # no shipped figure is an upper limit: make the debt one "less than"
        if row["id"] == "debt_2001_russia":
            row["bound"] = "less than"
    indicators = fx.make_indicators(rows)
    debt = indicator_chart(indicators, "debt")
    line, bound = figure_markers(debt.figure)["debt_2001_russia"]
    assert bound == "less than" and line.get_marker() == "v"
    assert fx.artists(debt.figure, "arrow:debt_2001_russia:down")
    scholarships = indicator_chart(indicators, "scholarships")
    line, bound = figure_markers(scholarships.figure)["scholarships_2024"]
    assert bound == "up to" and line.get_marker() == "v"
    assert to_rgba(line.get_markerfacecolor()) == to_rgba("white")
    assert fx.artists(scholarships.figure, "arrow:scholarships_2024:down")
    assert not fx.artists(scholarships.figure, "arrow:scholarships_2023")


def test_legend_explains_the_markers_present() -> None:
    texts = legend_texts(indicator_chart(fx.make_indicators(), "exports").figure)
    for bound in ("exact", "about"):
        assert style.bound_style(bound).meaning in texts
    for bound in ("more than", "up to"):
        assert style.bound_style(bound).meaning not in texts


def test_one_series_per_system_and_direction() -> None:
    chart = indicator_chart(fx.make_indicators(), "exports")
    texts = legend_texts(chart.figure)
    assert "Russian Federal Customs Service (Russia to Cambodia)" in texts
    assert "UN COMTRADE (Cambodia to Russia)" in texts
    assert "UN COMTRADE (Russia to Cambodia)" in texts
    # The two COMTRADE years of Cambodia's exports are joined; single figures stand alone.
    (series,) = fx.artists(chart.figure, "series:UN COMTRADE")
    assert list(series.get_xdata()) == [2021, 2022]
    chart = indicator_chart(fx.make_indicators(), "exports", direction="Cambodia to Russia")
    assert "UN COMTRADE" in legend_texts(chart.figure)


def test_gaps_between_years_are_not_bridged() -> None:
    rows = [
        fx.indicator(f"t{y}", y, 10.0 + y - 2000, system="UN COMTRADE") for y in (2001, 2002, 2010)
    ]
    chart = indicator_chart(fx.make_indicators(rows))
    (series,) = fx.artists(chart.figure, "series:")
    xs = list(series.get_xdata())
    assert xs[:2] == [2001, 2002] and math.isnan(xs[2]) and xs[3] == 2010


def test_figures_without_a_named_system_are_not_joined() -> None:
    rows = [fx.indicator(f"t{y}", y, 10.0, system="not stated") for y in (2001, 2002)]
    chart = indicator_chart(fx.make_indicators(rows))
    assert not fx.artists(chart.figure, "series:")
    assert "no statistical system named" in legend_texts(chart.figure)


def test_spans_are_bars_over_whole_years() -> None:
    chart = indicator_chart(fx.make_indicators(), "aid")
    (span,) = fx.artists(chart.figure, "span:aid_1955_1960")
    assert list(span.get_xdata()) == [1954.5, 1960.5]
    assert list(span.get_ydata()) == [12.0, 12.0]
    assert "several years" in fx.artists(chart.figure, "footnote")[0].get_text()


def test_footnote_warns_only_when_systems_differ() -> None:
    indicators = fx.make_indicators()
    chart = indicator_chart(indicators, "trade_turnover")
    (note,) = fx.artists(chart.figure, "footnote")
    assert "not across series" in " ".join(note.get_text().split())
    assert "not directly comparable" in chart.alt_text
    one = indicator_chart(indicators, "trade_turnover", systems=EAEU)
    assert not fx.artists(one.figure, "footnote")
    assert "not directly comparable" not in one.alt_text


def test_title_is_derived_from_the_data() -> None:
    indicators = fx.make_indicators()
    title = fx.title_text(indicator_chart(indicators, "trade_turnover").figure)
    assert title == (
        "Trade turnover: 4 figures from different statistical systems, "
        "from 56.98 (2019) to 239 million USD (2012)"
    )
    changed = indicators.copy()
    changed.loc[changed["id"] == "trade_turnover_2012_borovik", "value"] = 300.0
    assert "300 million USD (2012)" in fx.title_text(
        indicator_chart(changed, "trade_turnover").figure
    )
    one = indicator_chart(indicators, "trade_turnover", systems=EAEU)
    assert fx.title_text(one.figure) == (  # both rows share one label
        "Two-way trade of Cambodia with the whole EAEU: "
        "figures range from 56.98 (2019) to 67.37 million USD (2020)"
    )
    single = indicator_chart(indicators, "debt")
    assert (
        fx.title_text(single.figure)
        == "Cambodian debt owed to Russia: 800 million USD in 2001 (not stated)"
    )


def test_alt_text_lists_every_figure_with_its_bound() -> None:
    chart = indicator_chart(fx.make_indicators(), "exports")
    assert chart.alt_text.startswith(
        "Exports (million USD): 4 figures from 2020 to 2022 in 3 series."
    )
    assert "2020: about 20" in chart.alt_text
    assert "2022: 13.65" in chart.alt_text
    assert "2021: about 60" in chart.alt_text


def test_values_start_at_zero() -> None:
    chart = indicator_chart(fx.make_indicators(), "trade_turnover")
    assert chart.figure.axes[0].get_ylim()[0] == 0


def test_inputs_are_not_modified() -> None:
    indicators = fx.make_indicators().iloc[::-1]
    before = indicators.copy(deep=True)
    indicator_chart(indicators, "exports", direction=["Cambodia to Russia"])
    indicator_table(indicators)
    pd.testing.assert_frame_equal(indicators, before)


def test_empty_selection_gives_a_clear_figure() -> None:
    chart = indicator_chart(fx.make_indicators(), "oil_exports")
    assert fx.title_text(chart.figure) == "No figures for 'oil_exports'"
    assert "Known indicators: agreements, aid, debt, exports, imports," in chart.alt_text
    chart = indicator_chart(fx.make_indicators(), "exports", systems=["Nobody"])
    assert (
        fx.artists(chart.figure, "message")[0].get_text()
        == "No figures for 'exports' with system Nobody"
    )


def test_select_indicators_sorts_by_year() -> None:
    rows = select_indicators(fx.make_indicators().iloc[::-1], "trade_turnover")
    assert list(rows["year"]) == [2012, 2015, 2019, 2020]


def test_indicator_table() -> None:
    table = indicator_table(fx.make_indicators(), "exports")
    assert list(table.columns) == [
        "Indicator",
        "Years",
        "Figure",
        "Direction",
        "Statistical system",
        "Sources",
        "Note",
    ]
    assert len(table) == 4
    assert "about 20 million USD" in set(table["Figure"])
    assert set(table["Sources"]) == {"X66", "kin_phea_2021"}
    everything = indicator_table(fx.make_indicators())
    assert len(everything) == len(fixture_rows("indicators"))
    assert "1955–1960" in set(everything["Years"])


@pytest.mark.parametrize(
    ("value", "text"),
    [(8000.0, "8,000"), (110.7, "110.7"), (13.65, "13.65"), (0.5, "0.5"), (239.0, "239")],
)
def test_format_value(value: float, text: str) -> None:
    assert format_value(value) == text


def test_format_figure() -> None:
    assert format_figure(200, "more than", "million USD") == "more than 200 million USD"
    assert format_figure(60, "about") == "about 60"
    assert format_figure(40, "up to", "scholarships") == "up to 40 scholarships"


def test_shipped_data_every_indicator() -> None:
    from cambodia_russia.tables import load_indicators

    indicators = load_indicators()
    for key in sorted(set(indicators["indicator"])):
        chart = indicator_chart(indicators, key)
        expected = indicators.loc[indicators["indicator"] == key]
        markers = figure_markers(chart.figure)
        assert sorted(markers) == sorted(expected["id"]), key
        for row in expected.itertuples():
            assert markers[row.id][1] == row.bound
            assert markers[row.id][0].get_marker() == style.bound_style(row.bound).marker
    default = indicator_chart(indicators)
    assert default.alt_text.startswith("Trade turnover")
