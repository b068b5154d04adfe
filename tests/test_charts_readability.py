"""Charts readable from the back of a classroom, measured on the drawn figures.

Every chart a notebook shows is built here as the notebook builds it, drawn
with matplotlib's Agg renderer, and measured: every text is whole (no "…"),
inside the figure and at least :data:`MIN_FONT_PT` points on a
:data:`DISPLAY_WIDTH_PX`-pixel notebook output area; timeline labels are whole
titles and never overlap; the events that open or close a period are
labelled; every figure of the indicator charts is drawn at its value; no
legend says the same thing twice.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.text import Text

import chart_fixtures as fx
from cambodia_russia import tables
from cambodia_russia.charts import (
    indicator_chart,
    periodisation_chart,
    timeline_chart,
    un_votes_chart,
)
from cambodia_russia.charts.readable import CSS_PX_PER_INCH, DISPLAY_WIDTH_PX, MIN_FONT_PT
from cambodia_russia.charts.timeline import select_events

EVENTS = tables.load_events()
PERIODS = tables.load_periods()
INDICATORS = tables.load_indicators()
VOTES = tables.load_un_votes()
COLLECTION = PERIODS[PERIODS["scheme"] == "collection"]


def _period_events(period_id: str):
    """The events of one period, as the period notebooks select them."""
    return EVENTS[EVENTS["period"] == period_id]


def _eaeu_figures():
    """The indicators table as notebook 05 changes it (a system name that repeats its label)."""
    figures = INDICATORS.copy()
    whole_eaeu = figures["label"].str.contains("EAEU")
    figures.loc[whole_eaeu, "system"] = (
        figures.loc[whole_eaeu, "system"] + " (trade with the whole EAEU)"
    )
    return figures


def _timeline_cases() -> dict[str, Callable]:
    cases: dict[str, Callable] = {"timeline overview": lambda: timeline_chart(EVENTS, PERIODS)}
    for row in COLLECTION.itertuples():
        end = None if row.end_year is None or str(row.end_year) == "<NA>" else int(row.end_year)
        cases[f"timeline {row.id}"] = lambda pid=row.id, s=int(row.start_year), e=end: (
            timeline_chart(_period_events(pid), PERIODS, s, e if e is not None else 2024)
        )
    cases["timeline 2015-2017"] = lambda: timeline_chart(
        _period_events("renewal_1993_2021"), PERIODS, 2015, 2017
    )
    return cases


TIMELINES = _timeline_cases()
CHARTS: dict[str, Callable] = {
    **TIMELINES,
    "periodisation": lambda: periodisation_chart(PERIODS, current_year=2024),
    "graduates": lambda: indicator_chart(INDICATORS, indicator="graduates"),
    "trade (notebook 05)": lambda: indicator_chart(_eaeu_figures(), indicator="trade_turnover"),
    "tourists": lambda: indicator_chart(INDICATORS, indicator="tourist_arrivals"),
    "goods to Russia": lambda: indicator_chart(
        _eaeu_figures()
        .loc[
            lambda f: (
                f["indicator"].isin(["imports", "exports"])
                & (f["direction"] == "Cambodia to Russia")
            )
        ]
        .assign(indicator="goods_to_russia", label="Goods from Cambodia to Russia"),
        indicator="goods_to_russia",
    ),
    "UN votes": lambda: un_votes_chart(VOTES),
}


def _idle_tick_labels(figure) -> set[int]:
    """Tick labels matplotlib keeps but does not draw: their tick is outside the axis's view."""
    idle = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low <= tick.get_loc() <= high:
                    idle.update({id(tick.label1), id(tick.label2)})
    return idle


def drawn_texts(figure) -> list[tuple[Text, object]]:
    """Every visible, non-empty text of the drawn figure with its extent in pixels."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    idle = _idle_tick_labels(figure)
    found = []
    for artist in figure.findobj(Text):
        if not artist.get_visible() or not artist.get_text().strip() or id(artist) in idle:
            continue
        box = artist.get_window_extent(renderer=renderer)
        if box.width > 0 and box.height > 0:
            found.append((artist, box))
    return found


def screen_pt(size_pt: float, figure) -> float:
    """Points on screen: the PNG is shown at its pixel size, shrunk to the output area."""
    width_px = figure.get_figwidth() * figure.dpi
    return size_pt * figure.dpi / CSS_PX_PER_INCH * min(1.0, DISPLAY_WIDTH_PX / width_px)


def whole(text: str) -> str:
    return " ".join(text.split())


def gid_texts(figure, prefix: str) -> dict[str, Text]:
    return {
        t.get_gid()[len(prefix) :]: t
        for t in figure.findobj(Text)
        if (t.get_gid() or "").startswith(prefix)
    }


@pytest.fixture(scope="module", params=list(CHARTS))
def chart(request):
    built = CHARTS[request.param]()
    yield built
    built.figure.clear()


# --------------------------------------------------------------------------
# every chart
# --------------------------------------------------------------------------


def test_every_text_is_inside_the_figure(chart) -> None:
    figure = chart.figure
    width, height = figure.get_figwidth() * figure.dpi, figure.get_figheight() * figure.dpi
    for artist, box in drawn_texts(figure):
        assert box.x0 >= -0.5 and box.y0 >= -0.5, (
            f"{artist.get_text()!r} sticks out left/below: {box}"
        )
        assert box.x1 <= width + 0.5 and box.y1 <= height + 0.5, (
            f"{artist.get_text()!r} sticks out: {box}"
        )


def test_every_text_is_at_least_the_minimum_size_on_screen(chart) -> None:
    figure = chart.figure
    sizes = {
        artist.get_text(): screen_pt(artist.get_fontsize(), figure)
        for artist, _ in drawn_texts(figure)
    }
    smallest = min(sizes, key=sizes.get)
    assert sizes[smallest] >= MIN_FONT_PT, f"{smallest!r} is {sizes[smallest]:.1f} pt on screen"


def test_no_text_is_cut(chart) -> None:
    for artist, _ in drawn_texts(chart.figure):
        assert "…" not in artist.get_text()


def test_one_legend_entry_per_meaning(chart) -> None:
    entries = [whole(t.get_text()) for legend in chart.figure.legends for t in legend.get_texts()]
    assert len(entries) == len(set(entries)), entries
    for entry in entries:  # and no entry repeats a bracketed part inside itself
        brackets = re.findall(r"\(([^()]*)\)", entry)
        assert not any(a in b for a, b in itertools.permutations(brackets, 2)), entry


def test_minimum_size_check_fails_for_a_wide_figure() -> None:
    """The measure itself: a 14 pt text on a 13-inch figure is too small once shrunk."""
    figure = matplotlib.figure.Figure(figsize=(13, 7.3), dpi=100)
    assert screen_pt(14, figure) < MIN_FONT_PT


# --------------------------------------------------------------------------
# timeline
# --------------------------------------------------------------------------


@pytest.fixture(scope="module", params=list(TIMELINES))
def timeline(request):
    built = TIMELINES[request.param]()
    yield built
    built.figure.clear()


def test_timeline_labels_are_whole_titles_on_at_most_two_lines(timeline) -> None:
    labels = gid_texts(timeline.figure, "label:")
    assert labels
    by_id = EVENTS.set_index("id")
    for event_id, label in labels.items():
        row = by_id.loc[event_id]
        expected = ("c. " if str(row["approximate"]) == "True" else "") + whole(row["title"])
        assert whole(label.get_text()) == expected
        assert label.get_text().count("\n") <= 1


def test_timeline_labels_and_period_names_never_overlap(timeline) -> None:
    texts = [
        (artist, box)
        for artist, box in drawn_texts(timeline.figure)
        if (artist.get_gid() or "").startswith(("label:", "period-name:", "period-years:"))
    ]
    for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
        assert not box_a.overlaps(box_b), f"{a.get_text()!r} overlaps {b.get_text()!r}"


def test_timeline_names_the_events_that_open_and_close_each_period(timeline) -> None:
    labels = gid_texts(timeline.figure, "label:")
    markers = {
        event_id
        for line in timeline.figure.axes[0].get_lines()
        for event_id in getattr(line, "event_ids", ())
    }
    key = set(COLLECTION["opens_with"].dropna()) | set(COLLECTION["closes_with"].dropna())
    assert key & markers <= set(labels)


def test_timeline_labels_contested_events_before_the_others() -> None:
    """In a crowded chart, contested events are named first; the others get what room is left."""
    events = fx.many_events(400)
    contested_ids = set(events["id"].iloc[5::40])
    events["contested"] = events["id"].isin(contested_ids).astype("boolean")
    chart = timeline_chart(events, fx.make_periods())
    labels = gid_texts(chart.figure, "label:")
    assert contested_ids <= set(labels)
    assert len(labels) < len(events)


def test_timeline_says_how_many_events_are_labelled_and_where_the_others_are() -> None:
    chart = timeline_chart(EVENTS, PERIODS)
    n_labels, n = len(gid_texts(chart.figure, "label:")), len(select_events(EVENTS))
    assert n_labels < n
    (note,) = gid_texts(chart.figure, "footnote").values()
    assert f"Labels for {n_labels} of {n} events" in whole(note.get_text())
    assert "timeline explorer" in note.get_text()
    assert f"Labels are shown for {n_labels} of the {n} events" in chart.alt_text


# --------------------------------------------------------------------------
# periodisation and votes
# --------------------------------------------------------------------------


def test_period_names_are_whole_and_do_not_overlap() -> None:
    chart = periodisation_chart(PERIODS, current_year=2024)
    names = gid_texts(chart.figure, "period-name:")
    assert sorted(names) == sorted(PERIODS["id"])
    for row in PERIODS.itertuples():
        assert whole(names[row.id].get_text()).startswith(whole(row.name))
    boxes = [
        box
        for artist, box in drawn_texts(chart.figure)
        if (artist.get_gid() or "").startswith("period-name:")
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_vote_headings_hold_the_whole_resolution_title() -> None:
    chart = un_votes_chart(VOTES)
    headings = gid_texts(chart.figure, "heading:")
    for row in VOTES.itertuples():
        assert whole(headings[row.id].get_text()).endswith(whole(row.title))


# --------------------------------------------------------------------------
# indicators: values drawn where the data say
# --------------------------------------------------------------------------


@pytest.mark.parametrize("indicator", sorted(INDICATORS["indicator"].astype(str).unique()))
def test_every_figure_is_drawn_at_its_value(indicator: str) -> None:
    chart = indicator_chart(INDICATORS, indicator=indicator)
    figure = chart.figure
    figure.canvas.draw()
    ax = figure.axes[0]
    rows = INDICATORS[INDICATORS["indicator"].astype(str) == indicator].set_index("id")
    markers = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("figure:")]
    assert len(markers) == len(rows)
    height = figure.get_figheight() * figure.dpi
    for line in markers:
        _, row_id, bound = line.get_gid().split(":", 2)
        value = float(rows.loc[row_id, "value"])
        x, y = line.get_xdata()[0], line.get_ydata()[0]
        drawn_y = line.get_transform().transform((x, y))[1]
        data_y = ax.transData.transform((x, value))[1]
        assert drawn_y == pytest.approx(data_y, abs=0.01), (
            f"{row_id} ({bound} {value}) drawn off its value"
        )
        assert not line.get_clip_on(), f"{row_id} would be clipped at the axes"
        assert 0 <= drawn_y <= height


def test_graduates_about_8000_is_drawn_at_8000() -> None:
    """The case seen in class: 'about 8,000' drawn near 6,800 next to two 'more than 8,000'."""
    chart = indicator_chart(INDICATORS, indicator="graduates")
    ax = chart.figure.axes[0]
    (about,) = [line for line in ax.get_lines() if (line.get_gid() or "").endswith(":about")]
    x, y = about.get_xdata()[0], about.get_ydata()[0]
    drawn = ax.transData.inverted().transform(about.get_transform().transform((x, y)))
    assert drawn[1] == pytest.approx(8000.0)


# --------------------------------------------------------------------------
# charts take tables, never files
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "table"),
    [
        (periodisation_chart, "periods"),
        (indicator_chart, "indicators"),
        (un_votes_chart, "un_votes"),
    ],
)
def test_a_chart_without_its_table_says_how_to_load_it(draw, table: str) -> None:
    with pytest.raises(TypeError, match=rf"needs the {table} table .*load_{table}\(\)"):
        draw(None)


# --------------------------------------------------------------------------
# the PNG a notebook stores
# --------------------------------------------------------------------------


def test_chart_png_is_a_small_palette_image_at_display_width_that_keeps_what_was_drawn() -> None:
    import io

    import numpy as np
    from PIL import Image

    from cambodia_russia.charts import figure_png

    figure = timeline_chart(EVENTS, PERIODS).figure
    png = figure_png(figure, DISPLAY_WIDTH_PX)  # as show() stores it
    assert png == figure_png(figure, DISPLAY_WIDTH_PX)  # the same bytes on every run
    assert figure.dpi == 100  # the figure itself is left as it was
    image = Image.open(io.BytesIO(png))
    # As wide as the narrowest output area, so the browser shows it at its own size.
    assert image.mode == "P" and image.size[0] == DISPLAY_WIDTH_PX
    figure.set_dpi(DISPLAY_WIDTH_PX / figure.get_figwidth())  # the same drawing in full colour
    figure.canvas.draw()
    drawn = np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(int)
    error = np.abs(np.asarray(image.convert("RGB")).astype(int) - drawn).max(axis=2)
    assert (error > 40).mean() < 0.001  # colours kept: at most 1 pixel in 1,000 visibly off
    full = io.BytesIO()
    Image.fromarray(drawn.astype(np.uint8)).save(full, format="PNG")
    assert len(png) < 0.5 * len(full.getvalue())


def test_a_see_through_figure_is_stored_on_white() -> None:
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    from cambodia_russia.charts import figure_png

    figure = Figure(figsize=(4, 2), dpi=100, facecolor="none")  # a student's own figure
    ax = figure.add_axes((0, 0, 1, 1), facecolor="none")
    ax.set_axis_off()
    ax.fill([0, 0.5, 0.5, 0], [0, 0, 1, 1], color="black", alpha=0.3, linewidth=0)
    ax.set(xlim=(0, 1), ylim=(0, 1))
    image = Image.open(io.BytesIO(figure_png(figure))).convert("RGB")
    assert min(image.getpixel((300, 100))) >= 250  # white where nothing was drawn
    assert 160 <= image.getpixel((100, 100))[0] <= 200  # a light grey: 30% black on white
