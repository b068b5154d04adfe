"""Tests for cambodia_russia.style: palette, period and category styles, rc settings."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

import chart_fixtures as fx
from cambodia_russia import style
from data_helpers import fixture_rows, load_fixture

EVENT_CATEGORIES = list(load_fixture().events["category"].cat.categories)

OKABE_ITO_HEX = {
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
}


def test_collection_periods_get_palette_colours_in_scheme_order() -> None:
    periods = fx.make_periods()
    ids = fx.collection_period_ids()
    assert style.period_order(periods) == ids
    assert [style.period_color(pid, periods) for pid in ids] == list(style.PALETTE[: len(ids)])


def test_period_colours_follow_the_order_column_not_row_order() -> None:
    periods = fx.make_periods()
    shuffled = periods.sample(frac=1.0, random_state=3).reset_index(drop=True)
    assert style.period_colors(shuffled) == style.period_colors(periods)
    # Swapping two periods' order numbers swaps their colours.
    swapped = periods.copy()
    swapped.loc[swapped["id"] == "sihanouk_1955_1970", "order"] = 2
    swapped.loc[swapped["id"] == "rupture_1970_1979", "order"] = 1
    assert style.period_color("rupture_1970_1979", swapped) == style.PALETTE[0]
    assert style.period_color("sihanouk_1955_1970", swapped) == style.PALETTE[1]


def test_a_teachers_new_period_gets_the_next_colour_deterministically() -> None:
    rows = fixture_rows("periods")
    periods = fx.make_periods(
        rows + [fx.period("future_2030", "collection", 7, "A new period", 2030)]
    )
    assert style.period_color("future_2030", periods) == style.PALETTE[6]
    # The existing periods keep their colours.
    assert style.period_color("sihanouk_1955_1970", periods) == style.PALETTE[0]
    many = fx.make_periods(
        rows
        + [
            fx.period(f"extra_{i}", "collection", 6 + i, f"Extra {i}", 2030 + i)
            for i in range(1, 4)
        ]
    )
    # More periods than colours: the palette repeats, in order.
    assert style.period_color("extra_2", many) == style.PALETTE[(6 + 2 - 1) % 7]


def test_other_schemes_are_coloured_in_their_own_order() -> None:
    periods = fx.make_periods()
    assert style.period_color("mosyakov_1", periods) == style.PALETTE[0]
    assert style.period_color("kin_phea_5", periods) == style.PALETTE[4]
    assert style.period_order(periods, "kin_phea") == [f"kin_phea_{i}" for i in range(1, 6)]


def test_unknown_period_raises_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_period"):
        style.period_color("no_such_period", fx.make_periods())


def test_palette_colours_are_okabe_ito_and_distinct() -> None:
    assert len(set(style.PALETTE)) == 7 and set(style.PALETTE) <= OKABE_ITO_HEX - {"#000000"}


def test_category_styles_differ_in_colour_and_marker() -> None:
    styles = [style.CATEGORY_STYLES[c] for c in EVENT_CATEGORIES]
    assert len({s.color for s in styles}) == len(styles)
    assert len({s.marker for s in styles}) == len(styles)
    for s in styles:
        assert s.color in OKABE_ITO_HEX


def test_unknown_category_gets_a_spare_marker_deterministically() -> None:
    names = EVENT_CATEGORIES + ["sport"]
    first = style.category_styles(names)["sport"]
    assert first.marker not in {s.marker for s in style.CATEGORY_STYLES.values()}
    assert style.category_styles(["diplomacy"])["diplomacy"] == style.CATEGORY_STYLES["diplomacy"]
    two = style.category_styles(names + ["music"])
    assert two["sport"] == first
    assert two["music"].marker != first.marker


def test_series_styles_differ_in_every_channel() -> None:
    seven = [style.series_style(i) for i in range(7)]
    for channel in ("color", "marker", "linestyle"):
        values = [str(getattr(s, channel)) for s in seven]
        assert len(set(values)) == 7, channel
    assert style.series_style(7) == style.series_style(0)
    with pytest.raises(ValueError):
        style.series_style(-1)


def test_apply_style_uses_the_style_file_and_is_temporary() -> None:
    before = dict(matplotlib.rcParams)
    from_file = matplotlib.rc_params_from_file(style.STYLE_FILE, use_default_template=False)
    assert from_file["axes.spines.top"] is False  # the file is read (package data) ...
    with style.apply_style():
        for key, value in from_file.items():  # ... and applied
            assert matplotlib.rcParams[key] == value, key
        assert [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]] == list(style.PALETTE)
    assert dict(matplotlib.rcParams) == before


def test_lighten() -> None:
    assert style.lighten("#0072B2", 0.0) == "#0072B2"
    assert style.lighten("#0072B2", 1.0) == "#FFFFFF"
    assert style.lighten("#000000", 0.5) == "#808080"
    with pytest.raises(ValueError):
        style.lighten("blue", 0.5)
    with pytest.raises(ValueError):
        style.lighten("#000000", 1.5)


def test_importing_style_and_charts_does_not_import_matplotlib_or_pandas() -> None:
    code = (
        "import sys, cambodia_russia.style, cambodia_russia.charts as c; "
        "c.timeline_chart; c.un_votes_chart; c.show; "
        "print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_period_functions_accept_plain_string_columns() -> None:
    """A hand-made periods table without Categoricals works too."""
    periods = pd.DataFrame(
        {
            "id": ["b", "a"],
            "scheme": ["collection", "collection"],
            "order": [2, 1],
            "start_year": [1970, 1955],
        }
    )
    assert style.period_colors(periods) == {"a": style.PALETTE[0], "b": style.PALETTE[1]}


def test_chart_text_with_dollars_is_drawn_literally_never_as_maths() -> None:
    """Data text such as "$200 million ... $20 million" must not become mathtext.

    Without ``text.parse_math: False`` the pair ``$x$`` would be typeset as an italic
    formula and an odd ``$x^{`` would make matplotlib raise while drawing.
    """
    from cambodia_russia.charts.base import figure_png, new_figure, set_title

    label = "Trade: $x$ and more than $200 million, $x^{"
    with style.apply_style():
        assert matplotlib.rcParams["text.parse_math"] is False
        figure = new_figure()
        title = set_title(figure, label)
        ax = figure.add_subplot()
        ax.set_xlabel(label)
    assert not title.get_parse_math()
    assert not ax.xaxis.label.get_parse_math()
    assert figure_png(figure).startswith(b"\x89PNG")  # drawing does not raise
    svg = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        figure.savefig(svg, format="svg")
    assert "$x$ and more than $200 million, $x^{" in svg.getvalue()  # the text itself, as text
    assert matplotlib.rcParams["text.parse_math"] is True  # only inside apply_style
