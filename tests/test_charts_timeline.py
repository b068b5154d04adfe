"""Tests for the timeline chart: what is drawn where, labels, title and description."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from collections import OrderedDict

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba

import chart_fixtures as fx
from cambodia_russia import style
from cambodia_russia.charts import Chart, base, figure_png, show, timeline_chart
from cambodia_russia.charts.base import points_to_px
from cambodia_russia.charts.readable import DISPLAY_WIDTH_PX, FIGURE_WIDTH_IN
from cambodia_russia.charts.timeline import BAND_LIGHTNESS, select_events
from data_helpers import fixture_rows, load_fixture


def day(text: str) -> float:
    return float(mdates.date2num(np.datetime64(text)))


def markers_by_id(figure) -> dict[str, tuple[float, float, str]]:
    """{event id: (x, y, marker)} over every category's marker line."""
    found = {}
    for line in fx.artists(figure, "events:"):
        xs, ys = line.get_xdata(), line.get_ydata()
        for event_id, x, y in zip(line.event_ids, xs, ys, strict=False):
            found[event_id] = (float(x), float(y), line.get_marker())
    return found


def boxes_by_id(figure) -> dict[str, tuple[float, float, str]]:
    """{event id: (left x, right x, linestyle)} over every category's boxes."""
    found = {}
    for collection in fx.artists(figure, "spans:"):
        styles = collection.get_linestyles()
        for k, (event_id, path) in enumerate(
            zip(collection.event_ids, collection.get_paths(), strict=False)
        ):
            xs = path.vertices[:, 0]
            found[event_id] = (float(xs.min()), float(xs.max()), styles[k % len(styles)])
    return found


def label_extents(figure):
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in fx.artists(figure, "label:")]


def assert_labels_do_not_overlap(figure) -> int:
    lanes: dict[float, list] = {}
    for text, box in label_extents(figure):
        lanes.setdefault(round(text.get_position()[1], 6), []).append(box)
    for boxes in lanes.values():
        boxes.sort(key=lambda b: b.x0)
        for a, b in zip(boxes, boxes[1:], strict=False):
            assert a.x1 <= b.x0, f"labels overlap: {a} and {b}"
    return sum(len(b) for b in lanes.values())


# --------------------------------------------------------------------------
# what is drawn
# --------------------------------------------------------------------------


def test_one_marker_per_selected_event() -> None:
    events = fx.make_events()
    chart = timeline_chart(events, fx.make_periods())
    assert isinstance(chart, Chart)
    assert sorted(markers_by_id(chart.figure)) == sorted(events["id"])


def test_year_precision_event_is_a_box_over_the_whole_year() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    left, right, linestyle = boxes_by_id(chart.figure)["relations_1979"]
    assert left == day("1979-01-01")
    assert right == day("1979-12-31") + 1.0  # to the end of 31 December
    x, _, _ = markers_by_id(chart.figure)["relations_1979"]
    assert x != day("1979-01-01")
    assert left < x < right


def test_no_year_event_is_a_point_on_1_january() -> None:
    events = fx.make_events([fx.event(f"y{y}", y, title=f"Year {y}") for y in range(1960, 1966)])
    chart = timeline_chart(events, fx.make_periods())
    boxes = boxes_by_id(chart.figure)
    markers = markers_by_id(chart.figure)
    for y in range(1960, 1966):
        assert boxes[f"y{y}"][:2] == (day(f"{y}-01-01"), day(f"{y + 1}-01-01"))
        assert markers[f"y{y}"][0] != day(f"{y}-01-01")


def test_day_precision_event_is_a_point_at_its_date() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    assert "relations_1956" not in boxes_by_id(chart.figure)
    x, _, marker = markers_by_id(chart.figure)["relations_1956"]
    assert x == day("1956-05-13")
    assert marker == style.CATEGORY_STYLES["diplomacy"].marker


def test_month_precision_event_is_a_point_inside_its_month() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    assert "agreements_1957" not in boxes_by_id(chart.figure)
    x, _, _ = markers_by_id(chart.figure)["agreements_1957"]
    assert day("1957-05-01") < x < day("1957-06-01")


def test_multi_year_and_approximate_events_are_boxes() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    boxes = boxes_by_id(chart.figure)
    left, right, solid = boxes["lon_nol_ties_1970_1973"]
    assert (left, right) == (day("1970-01-01"), day("1974-01-01"))
    approx_left, approx_right, dashed = boxes["first_visit_1956"]
    assert (approx_left, approx_right) == (day("1956-01-01"), day("1957-01-01"))
    assert dashed[1] is not None and solid[1] is None  # dashed outline only for "c. 1956"


def test_number_of_boxes_equals_year_and_span_events() -> None:
    events = fx.make_events()
    chart = timeline_chart(events, fx.make_periods())
    expected = events.loc[
        (events["precision"] == "year") | events["approximate"] | events["end_year"].notna(), "id"
    ]
    assert sorted(boxes_by_id(chart.figure)) == sorted(expected)


def test_markers_and_colours_follow_the_category() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    for line in fx.artists(chart.figure, "events:"):
        category = line.get_gid().split(":", 1)[1]
        color, marker = style.CATEGORY_STYLES[category]
        assert line.get_marker() == marker
        assert to_rgba(line.get_markerfacecolor()) == to_rgba(color)


def test_period_bands_use_the_period_colours() -> None:
    periods = fx.make_periods()
    chart = timeline_chart(fx.make_events(), periods)
    bands = fx.gid_map(chart.figure, "period:")
    assert set(bands) == set(fx.collection_period_ids())
    for period_id, band in bands.items():
        expected = style.lighten(style.period_color(period_id, periods), BAND_LIGHTNESS)
        assert to_rgba(band.get_facecolor()) == to_rgba(expected)


def test_a_new_period_gets_a_band_and_its_colour() -> None:
    later = fx.period("later_2040", "collection", 7, "Later", 2040, 2045)
    future = fx.event("future", 2041, period="later_2040", title="Something later")
    tables = load_fixture(
        periods=fixture_rows("periods") + [later], events=fixture_rows("events") + [future]
    )
    periods = tables.periods
    chart = timeline_chart(tables.events, periods, 2039, 2046)
    assert list(markers_by_id(chart.figure)) == ["future"]
    band = fx.gid_map(chart.figure, "period:")["later_2040"]
    expected = style.lighten(style.period_color("later_2040", periods), BAND_LIGHTNESS)
    assert to_rgba(band.get_facecolor()) == to_rgba(expected)
    assert "later_2040" in fx.gid_map(chart.figure, "period-name:")


# --------------------------------------------------------------------------
# labels
# --------------------------------------------------------------------------


def test_every_event_is_labelled_when_there_is_room() -> None:
    events = fx.make_events()
    chart = timeline_chart(events, fx.make_periods())
    labels = fx.gid_map(chart.figure, "label:")
    assert sorted(labels) == sorted(events["id"])
    assert " ".join(labels["coup_1970"].get_text().split()) == "Sihanouk deposed while in Moscow"
    assert labels["first_visit_1956"].get_text().startswith("c. ")


def test_labels_in_one_lane_never_overlap() -> None:
    chart = timeline_chart(fx.many_events(120), fx.make_periods())
    assert assert_labels_do_not_overlap(chart.figure) > 20


def test_labels_do_not_overlap_when_zoomed_in() -> None:
    chart = timeline_chart(fx.many_events(120), fx.make_periods(), 1975, 1992)
    assert_labels_do_not_overlap(chart.figure)


def test_labels_stay_inside_the_figure() -> None:
    chart = timeline_chart(fx.many_events(80), fx.make_periods())
    width = chart.figure.get_figwidth() * chart.figure.dpi
    for _, box in label_extents(chart.figure):
        assert box.x0 >= 0 and box.x1 <= width


def test_long_titles_are_wrapped_whole() -> None:
    long_title = "A very long headline that goes on and on well past what fits on a projected chart"
    chart = timeline_chart(
        fx.make_events([fx.event("long", 1960, 5, 1, title=long_title)]), fx.make_periods()
    )
    (label,) = fx.artists(chart.figure, "label:")
    assert label.get_text().count("\n") == 1
    assert " ".join(label.get_text().split()) == long_title


def test_crowded_ranges_label_some_events_and_say_so() -> None:
    events = fx.many_events(400)
    chart = timeline_chart(events, fx.make_periods())
    n_labels = len(fx.artists(chart.figure, "label:"))
    assert 0 < n_labels < 400
    assert len(markers_by_id(chart.figure)) == 400  # every event is still drawn
    assert f"Labels are shown for {n_labels} of the 400 events" in chart.alt_text
    (note,) = fx.artists(chart.figure, "footnote")
    assert f"{n_labels} of 400" in note.get_text()
    assert_labels_do_not_overlap(chart.figure)


# --------------------------------------------------------------------------
# selection, title, description
# --------------------------------------------------------------------------


def test_year_range_and_categories_select_events() -> None:
    events = fx.make_events()
    chart = timeline_chart(events, fx.make_periods(), 1979, 1991)
    assert sorted(markers_by_id(chart.figure)) == sorted(
        ["phnom_penh_1979", "relations_1979", "gorbachev_1988", "paris_1991"]
    )
    chart = timeline_chart(
        events, fx.make_periods(), categories=["aid and economy", "military and security"]
    )
    assert sorted(markers_by_id(chart.figure)) == ["agreements_1957", "phnom_penh_1979"]
    chart = timeline_chart(events, fx.make_periods(), categories="international context")
    assert sorted(markers_by_id(chart.figure)) == ["constitution_1993", "paris_1991"]


def test_a_span_touching_the_range_is_kept() -> None:
    selected = set(select_events(fx.make_events(), 1972, 1975)["id"])
    assert "lon_nol_ties_1970_1973" in selected  # 1970-1973
    assert "coup_1970" not in selected


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="unknown event categories"):
        timeline_chart(fx.make_events(), fx.make_periods(), categories=["sports"])
    with pytest.raises(ValueError, match="after end_year"):
        timeline_chart(fx.make_events(), fx.make_periods(), 2000, 1990)


def test_alt_text_counts() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    assert chart.alt_text.startswith(
        "Timeline of 14 events from 1955 to 2022: 9 diplomacy, 1 aid and economy, "
        "1 military and security, 1 politics inside Cambodia and 2 international context."
    )
    assert (
        "The period with the most events is Sihanouk and the Soviet Union (1955–1970), with 4."
        in chart.alt_text
    )


def test_title_is_derived_from_the_data() -> None:
    events = fx.make_events()
    title = fx.title_text(timeline_chart(events, fx.make_periods()).figure)
    assert title == (
        "Sihanouk and the Soviet Union (1955–1970) has the most events in the collection: 4 of 14"
    )
    more = fx.make_events(
        fixture_rows("events")
        + [fx.event(f"r{y}", y, title=f"Renewal {y}") for y in range(1995, 2001)]
    )
    title = fx.title_text(timeline_chart(more, fx.make_periods()).figure)
    assert title == "A slow renewal (1993–2021) has the most events in the collection: 8 of 20"


def test_title_for_one_period_names_the_leading_category() -> None:
    events = fx.make_events(
        [
            fx.event(f"d{i}", 1960 + i, 1, 1, category="diplomacy", title=f"Visit {i}")
            for i in range(3)
        ]
        + [fx.event("a1", 1965, 6, 1, category="aid and economy", title="Aid")]
    )
    title = fx.title_text(timeline_chart(events, fx.make_periods(), 1955, 1970).figure)
    assert title == "Most events of 1960–1965 in this selection (3 of 4) concern diplomacy"


def test_custom_title() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods(), title="My own title")
    assert fx.title_text(chart.figure) == "My own title"


def test_inputs_are_not_modified() -> None:
    events, periods = fx.make_events(), fx.make_periods()
    events = events.iloc[::-1]  # unsorted input
    events_before, periods_before = events.copy(deep=True), periods.copy(deep=True)
    timeline_chart(events, periods, 1960, 2000, categories=["diplomacy", "aid and economy"])
    pd.testing.assert_frame_equal(events, events_before)
    pd.testing.assert_frame_equal(periods, periods_before)


def test_empty_selection_gives_a_clear_figure() -> None:
    chart = timeline_chart(fx.make_events(), fx.make_periods(), 1800, 1850)
    assert fx.title_text(chart.figure) == "No events in 1800–1850"
    assert chart.alt_text.startswith("No events in 1800–1850")
    (message,) = fx.artists(chart.figure, "message")
    assert message.get_text() == "No events in 1800–1850"
    chart = timeline_chart(
        fx.make_events(), fx.make_periods(), 1956, 1957, categories=["military and security"]
    )
    assert "No events of the categories military and security in 1956–1957" in chart.alt_text
    empty = fx.make_events([])
    assert timeline_chart(empty, fx.make_periods()).alt_text.startswith("No events")


# --------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------


def test_png_is_deterministic_and_fixed_size() -> None:
    figure = timeline_chart(fx.make_events(), fx.make_periods()).figure
    first = figure_png(figure)
    second = figure_png(timeline_chart(fx.make_events(), fx.make_periods()).figure)
    assert first == second
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(first[16:20], "big"), int.from_bytes(first[20:24], "big")
    assert (width, height) == (
        round(FIGURE_WIDTH_IN * style.DPI),
        round(figure.get_figheight() * style.DPI),
    )


def _ink_rows(png: bytes) -> tuple[int, np.ndarray]:
    """The PNG's height and, per row, whether anything but white is drawn on it."""
    import io

    from PIL import Image

    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return grey.shape[0], (grey < 250).any(axis=1)


def _widest_blank_band(inked: np.ndarray) -> int:
    """The most white rows in a row among ``inked`` (row flags), the end included."""
    rows = np.flatnonzero(np.concatenate([[True], inked, [True]]))
    return int(np.diff(rows).max()) - 1


@pytest.mark.parametrize(
    ("case", "legend_rows", "footnote"),
    [
        ("one category, all labelled", 1, False),
        ("one event", 1, False),
        ("two legend rows", 2, True),
        ("a whole period", 3, True),
    ],
)
def test_the_figure_ends_below_its_legend_or_footnote(case, legend_rows, footnote) -> None:
    """Seen in class: one category left an empty band of 100 px at the bottom of the picture.
    Below the year axis, the legend and the footnote follow each other with no band wider
    than a line of text, and the picture ends a few pixels below the last of them."""
    from cambodia_russia.tables import load_events, load_periods

    events, periods = load_events(), load_periods()
    chart = {
        "one category, all labelled": lambda: timeline_chart(
            fx.make_events(), fx.make_periods(), categories="diplomacy"
        ),
        "one event": lambda: timeline_chart(
            events, periods, 1970, 1979, categories="military and security"
        ),
        "two legend rows": lambda: timeline_chart(
            events[events["period"] == "crossroads_1991_1993"], periods, 1991, 1993
        ),
        "a whole period": lambda: timeline_chart(
            events[events["period"] == "renewal_1993_2021"], periods, 1993, 2021
        ),
    }[case]()
    figure = chart.figure
    assert -(-len(figure.legends[0].legend_handles) // 3) == legend_rows
    assert len(fx.artists(figure, "footnote")) == footnote
    height, inked = _ink_rows(figure_png(figure, DISPLAY_WIDTH_PX))
    scale = DISPLAY_WIDTH_PX / (figure.get_figwidth() * figure.dpi)
    assert height - 1 - np.flatnonzero(inked)[-1] <= 12, "an empty band at the bottom"
    axis_row = round((1.0 - figure.axes[0].get_position().y0) * height)
    line_px = points_to_px(style.BASE_FONT_SIZE) * scale
    assert _widest_blank_band(inked[axis_row:]) <= line_px, "an empty band below the axis"


@pytest.fixture
def png_draws(monkeypatch: pytest.MonkeyPatch) -> list:
    """The figures the Agg canvas draws from now on (one per PNG made), with an empty
    PNG cache."""
    monkeypatch.setattr(base, "_PNGS", OrderedDict())
    drawn: list = []
    real = FigureCanvasAgg.draw
    monkeypatch.setattr(
        FigureCanvasAgg,
        "draw",
        lambda canvas, *a, **k: drawn.append(canvas.figure) or real(canvas, *a, **k),
    )
    return drawn


def test_the_same_timeline_twice_is_one_png_equal_to_an_uncached_one(png_draws) -> None:
    first = timeline_chart(fx.make_events(), fx.make_periods(), 1955, 1970)
    png = figure_png(first.figure, DISPLAY_WIDTH_PX)
    second = timeline_chart(fx.make_events(), fx.make_periods(), 1955, 1970)
    assert second.figure is not first.figure
    assert figure_png(second.figure, DISPLAY_WIDTH_PX) == png
    assert figure_png(first.figure, DISPLAY_WIDTH_PX) == png  # shown twice
    assert png_draws == [first.figure]
    uncached = base._draw_png(second.figure, DISPLAY_WIDTH_PX, base.PNG_COLORS)
    assert uncached == png and len(png_draws) == 2
    # Another width is another picture.
    assert figure_png(second.figure) != png and len(png_draws) == 3


def test_changed_data_draws_a_new_png(png_draws) -> None:
    events, periods = fx.make_events(), fx.make_periods()
    png = figure_png(timeline_chart(events, periods, 1955, 1970).figure, DISPLAY_WIDTH_PX)
    retitled = events.copy()
    retitled.loc[retitled["id"] == "agreements_1957", "title"] = "The first agreements are signed"
    renamed = periods.copy()
    renamed.loc[renamed["id"] == "sihanouk_1955_1970", "name"] = "Neutral Cambodia"
    later = events.copy()
    later.loc[later["id"] == "coup_1970", "start"] = pd.Timestamp(1970, 4, 18)
    pngs = [png]
    for chart in (
        timeline_chart(retitled, periods, 1955, 1970),
        timeline_chart(events, renamed, 1955, 1970),
        timeline_chart(later, periods, 1955, 1970),
        timeline_chart(events, periods, 1955, 1970, title="Another title"),
        timeline_chart(events, periods, 1955, 1971),
    ):
        pngs.append(figure_png(chart.figure, DISPLAY_WIDTH_PX))
        assert pngs[-1] == base._draw_png(chart.figure, DISPLAY_WIDTH_PX, base.PNG_COLORS)
    assert len(png_draws) == 6 + 5  # every picture drawn, then each drawn again uncached
    assert len(set(pngs)) == 6


def test_a_figure_changed_after_drawing_is_drawn_again(png_draws) -> None:
    events, periods = fx.make_events(), fx.make_periods()
    png = figure_png(timeline_chart(events, periods).figure, DISPLAY_WIDTH_PX)
    chart = timeline_chart(events, periods)
    chart.figure.axes[0].texts[0].set_text("Edited")
    edited = figure_png(chart.figure, DISPLAY_WIDTH_PX)
    assert edited != png and len(png_draws) == 2
    assert figure_png(timeline_chart(events, periods).figure, DISPLAY_WIDTH_PX) == png
    assert len(png_draws) == 2


def test_the_png_cache_is_bounded(png_draws) -> None:
    events, periods = fx.make_events(), fx.make_periods()
    for end in range(1960, 1960 + base.PNG_CACHE_SIZE + 3):
        figure_png(timeline_chart(events, periods, 1955, end).figure, DISPLAY_WIDTH_PX)
    assert len(base._PNGS) == base.PNG_CACHE_SIZE


def test_show_displays_png_with_alt_then_escaped_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import base64
    import html.parser

    import IPython.display

    shown: list = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    chart = timeline_chart(fx.make_events(), fx.make_periods())
    alt = "A <b>bold</b> claim & a *star* costing $200 million, not $20"
    show(chart._replace(alt_text=alt))
    (bundle, kw), (markdown, _) = shown
    assert kw == {"raw": True}
    assert set(bundle) == {"text/html", "text/plain"}  # no bare image/png: it would have no alt
    assert bundle["text/plain"] == alt

    class Images(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag == "img"
            self.attrs = dict(attrs)

    parser = Images()
    parser.feed(bundle["text/html"])
    assert parser.attrs["alt"] == alt  # the description is on the image itself
    png = base64.b64decode(parser.attrs["src"].removeprefix("data:image/png;base64,"))
    assert png == figure_png(chart.figure, DISPLAY_WIDTH_PX)
    size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
    assert (
        int(parser.attrs["width"]),
        int(parser.attrs["height"]),
    ) == size  # space reserved before load
    assert "max-width:100%" in parser.attrs["style"]
    assert isinstance(markdown, IPython.display.Markdown)
    assert markdown.data == (
        '<div class="mathjax_ignore tex2jax_ignore">\n\n'
        r"**Chart description:** A &lt;b&gt;bold&lt;/b&gt; claim &amp; a \*star\* costing \$200 million, not \$20"
        "\n\n</div>"
    )
    shown.clear()
    chart._ipython_display_()
    assert len(shown) == 2


# --------------------------------------------------------------------------
# the shipped data
# --------------------------------------------------------------------------


def test_shipped_data_overview_and_every_period() -> None:
    from cambodia_russia.tables import load_events, load_periods

    events, periods = load_events(), load_periods()
    chart = timeline_chart(events, periods)
    assert chart.alt_text.startswith(f"Timeline of {len(events)} events")
    assert len(markers_by_id(chart.figure)) == len(events)
    assert_labels_do_not_overlap(chart.figure)
    collection = periods[periods["scheme"] == "collection"]
    for row in collection.itertuples():
        end = int(row.end_year) if not pd.isna(row.end_year) else None
        chart = timeline_chart(events, periods, int(row.start_year), end)
        expected = select_events(events, int(row.start_year), end)
        assert len(markers_by_id(chart.figure)) == len(expected)
        assert_labels_do_not_overlap(chart.figure)


# --------------------------------------------------------------------------
# the live view's SVG, written from the same drawing
# --------------------------------------------------------------------------


def _svg_lines(svg: str) -> list[list[str]]:
    """Each SVG text as its list of lines (one tspan a line)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg.split("?>", 1)[1])
    return [
        [tspan.text or "" for tspan in text]
        for text in root.iter("{http://www.w3.org/2000/svg}text")
    ]


def test_the_svg_shows_the_labels_markers_and_boxes_of_the_figure() -> None:
    from cambodia_russia.charts.timeline import Timeline

    timeline = Timeline(fx.make_periods())
    chart = timeline.draw(fx.many_events(120))
    svg = timeline.svg()
    lines = _svg_lines(svg)
    figure_texts = [
        t for t in chart.figure.axes[0].texts + chart.figure.texts if t.get_text().strip()
    ]
    for text in figure_texts:  # every label, period name, title and footnote, line by line
        assert text.get_text().split("\n") in lines, text.get_text()
    ax = chart.figure.axes[0]
    lo, hi = ax.get_xlim()
    years = [
        t.get_text()
        for x, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False)
        if lo <= x <= hi
    ]
    assert years and all([year] in lines for year in years)  # the years under the axis
    legend = chart.figure.legends[0]
    for entry in legend.get_texts():
        assert [entry.get_text()] in lines
    n_markers = len(markers_by_id(chart.figure))
    n_categories = sum(1 for e in legend.get_texts() if e.get_text() in style.CATEGORY_STYLES)
    assert (
        svg.count("<use ") == n_markers + n_categories
    )  # one marker per event, one per legend entry
    assert svg.count('stroke-dasharray="6,3"') >= sum(
        1 for *_, ls in boxes_by_id(chart.figure).values() if ls[1]
    )


def test_the_svg_shows_data_text_as_text() -> None:
    from cambodia_russia.charts.timeline import Timeline

    script = '<script>alert("x")</script> & <b>bold</b>'
    timeline = Timeline(fx.make_periods())
    timeline.draw(fx.make_events([fx.event("x", 1960, 5, 1, title=script)]))
    svg = timeline.svg()
    assert "<script>" not in svg and "<b>" not in svg
    assert [" ".join(lines) for lines in _svg_lines(svg)].count(script) == 1  # seen as written


def test_one_timeline_drawn_again_keeps_no_old_artists() -> None:
    from cambodia_russia.charts.timeline import Timeline

    timeline = Timeline(fx.make_periods())
    first = timeline.draw(fx.many_events(120))
    again = timeline.draw(fx.make_events(), 1979, 1991)
    assert again.figure is first.figure
    assert sorted(markers_by_id(again.figure)) == sorted(
        ["phnom_penh_1979", "relations_1979", "gorbachev_1988", "paris_1991"]
    )
    assert len(fx.artists(again.figure, "label:")) == 4 and len(again.figure.legends) == 1
    assert again.figure.axes[0].get_xlim() == pytest.approx((day("1979-01-01"), day("1992-01-01")))
    assert "Events in" not in timeline.svg() and timeline.svg().count("<use ") < 20


def test_the_svg_is_the_figure_s_size_with_its_texts_at_the_same_heights() -> None:
    """The live view reserves the picture's room from the SVG's size: it is the figure's,
    which ends below its legend or footnote, and every text of the figure below the axes
    (years, legend, footnote) and the title is at the same height in both."""
    import re
    import xml.etree.ElementTree as ET

    from cambodia_russia.charts.timeline import Timeline

    timeline = Timeline(fx.make_periods())
    heights = []
    for events, categories in ((fx.many_events(120), None), (fx.make_events(), "diplomacy")):
        chart = timeline.draw(events, categories=categories)
        figure, svg = chart.figure, timeline.svg()
        width, height = map(int, re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg).groups())
        assert (width, height) == (
            round(figure.get_figwidth() * figure.dpi),
            round(figure.get_figheight() * figure.dpi),
        )
        heights.append(height)
        baselines = {}  # first line of each SVG text -> the y of its lines
        for node in ET.fromstring(svg.split("?>", 1)[1]).iter("{http://www.w3.org/2000/svg}text"):
            baselines.setdefault(node[0].text, []).append([float(t.get("y")) for t in node])
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        ax = figure.axes[0]
        lo, hi = ax.get_xlim()
        texts = [
            *figure.texts,
            *figure.legends[0].get_texts(),
            *(
                t
                for x, t in zip(ax.get_xticks(), ax.get_xticklabels(), strict=False)
                if lo <= x <= hi
            ),
        ]
        assert len(fx.artists(figure, "footnote")) == (categories is None)
        lowest = 0.0
        for text in texts:
            box = text.get_window_extent(renderer)
            top, bottom = height - box.y1, height - box.y0
            (ys,) = [
                ys for ys in baselines[text.get_text().split("\n")[0]] if top <= ys[0] <= bottom
            ]
            assert len(ys) == text.get_text().count("\n") + 1 and top <= ys[-1] <= bottom
            lowest = max(lowest, bottom)
        assert height - 20 <= lowest <= height  # the last text ends just above the bottom
    assert heights[1] < heights[0]  # one category: one legend row and no footnote
