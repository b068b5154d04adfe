"""TimelineExplorer and the shared widget helpers, driven without a kernel."""

from __future__ import annotations

import base64
import subprocess
import sys

import matplotlib

from cambodia_russia.charts.base import year_range
from cambodia_russia.charts.readable import DISPLAY_WIDTH_PX

matplotlib.use("Agg")

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from cambodia_russia.widgets import TimelineExplorer, _common, filter_events
from cambodia_russia.widgets.explorer import (
    CHART_CACHE_SIZE,
    LIST_MAX_HEIGHT,
    EventIndex,
    event_list_html,
    period_year_range,
    source_options,
)
from data_helpers import load_fixture
from widget_fixtures import (
    capture_display,
    live_model_id,
    with_event_changes,
)

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("widget_data"))


@pytest.fixture(scope="module")
def script_tables(tmp_path_factory):
    events = with_event_changes("coup_1970", title=f"{SCRIPT} Sihanouk deposed")
    return load_fixture(tmp_path_factory.mktemp("script_data"), events=events)


def ids(frame) -> list[str]:
    return list(frame["id"].astype(str))


def plotted_ids(figure) -> list[str]:
    """Ids of the events the timeline drew a marker for, sorted.

    The timeline chart names its marker artists ``events:<category>`` (gid) and keeps the
    ids of the events they show in ``event_ids``.
    """
    ax = figure.axes[0]
    found = []
    for artist in [*ax.lines, *ax.collections]:
        if (artist.get_gid() or "").startswith("events:"):
            found.extend(artist.event_ids)
    return sorted(found)


def year_edges(start: int, end: int) -> tuple[float, float]:
    return (
        mdates.date2num(np.datetime64(f"{start:04d}-01-01")),
        mdates.date2num(np.datetime64(f"{end + 1:04d}-01-01")),
    )


# --- filter_events (pure) -----------------------------------------------------------


def test_no_criteria_keeps_every_event_in_order(tables):
    rows = filter_events(tables.events, tables.people)
    assert ids(rows) == ids(tables.events)
    assert list(rows.index) == list(tables.events.index)


def test_period_keeps_only_that_period(tables):
    rows = filter_events(tables.events, tables.people, period="prk_1979_1991")
    assert ids(rows) == ["relations_1979", "phnom_penh_1979", "gorbachev_1988"]
    assert set(rows["period"]) == {"prk_1979_1991"}


def test_category_one_or_several(tables):
    one = filter_events(tables.events, category="international context")
    assert ids(one) == ["paris_1991", "constitution_1993"]
    several = filter_events(
        tables.events, category=["international context", "military and security"]
    )
    assert ids(several) == ["phnom_penh_1979", "paris_1991", "constitution_1993"]
    generated = filter_events(
        tables.events, category=(c for c in ["international context", "military and security"])
    )
    assert ids(generated) == ids(several)


def test_person_matches_any_of_the_people(tables):
    rows = filter_events(tables.events, tables.people, person="heng_samrin")
    assert ids(rows) == ["phnom_penh_1979", "gorbachev_1988"]


def test_source_matches_any_citation(tables):
    rows = filter_events(tables.events, tables.people, source="X04")
    assert ids(rows) == ["relations_1956", "agreements_1957"]
    assert ids(filter_events(tables.events, source="ppp_2024")) == ["unga_vote_2022"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("moscow", ["first_visit_1956", "coup_1970"]),  # title and description, any case
        ("MOSCOW", ["first_visit_1956", "coup_1970"]),
        ("Kheng", ["phnom_penh_1979", "gorbachev_1988"]),  # a spelling variant of Heng Samrin
        ("Горбачёв", ["gorbachev_1988"]),  # a native-script name
        ("medvedev", ["medvedev_2015"]),  # a person's standard name
        ("18 March", ["coup_1970"]),  # the date label
        ("hun sen 2016", ["sochi_2016"]),  # every word must match
        ("  lon   nol ", ["lon_nol_ties_1970_1973", "coup_1970"]),  # extra spaces do not matter
        ("no such words here", []),
        ("mosc", []),  # whole words only: not inside "Moscow"
        ("oscow", []),
        ("moscow's", ["first_visit_1956", "coup_1970"]),  # punctuation splits words
        ("HUN-SEN", ["medvedev_2015", "sochi_2016", "unga_vote_2022"]),
    ],
)
def test_text_search(tables, text, expected):
    assert ids(filter_events(tables.events, tables.people, text=text)) == expected


def test_criteria_combine(tables):
    rows = filter_events(
        tables.events,
        tables.people,
        period="renewal_1993_2021",
        category="diplomacy",
        person="hun_sen",
        text="medvedev",
    )
    assert ids(rows) == ["medvedev_2015"]


def test_a_prebuilt_index_gives_the_same_rows(tables):
    index = EventIndex(tables.events, tables.people)
    for kwargs in (
        {"period": "sihanouk_1955_1970"},
        {"text": "kheng"},
        {"source": "X16"},
        {"person": "norodom_sihanouk"},
    ):
        assert ids(filter_events(tables.events, tables.people, index=index, **kwargs)) == ids(
            filter_events(tables.events, tables.people, **kwargs)
        )


def test_period_year_range(tables):
    assert period_year_range(tables.periods, "rupture_1970_1979", tables.events) == (1970, 1979)
    # An open period ends with the latest year in the data, never with today's date.
    assert period_year_range(tables.periods, "ukraine_2022_2024", tables.events) == (2022, 2022)
    assert period_year_range(tables.periods, None, tables.events) == (1955, 2022)
    with pytest.raises(KeyError):
        period_year_range(tables.periods, "no_such_period", tables.events)


def test_event_list_html(tables):
    names = _common.source_names(tables.sources)
    rows = filter_events(tables.events, period="sihanouk_1955_1970")
    html = event_list_html(rows, names, total=len(tables.events))
    assert "4 of 14 events" in html
    assert "13 May 1956" in html and "Diplomatic relations established" in html
    assert "Kin Phea (2021), para 5; Great Soviet Encyclopedia" in html
    assert "Contested: the sources disagree" in html
    assert "Coup" not in html
    assert "No events match" in event_list_html(rows.iloc[:0], names, total=14)
    limited = event_list_html(tables.events, names, total=14, limit=2)
    assert "first 2 of 14" in limited and "Paris Peace" not in limited


# --- the widget ------------------------------------------------------------------------


def test_default_state(tables):
    ex = TimelineExplorer(tables)
    assert ids(ex.rows) == ids(tables.events)
    assert ex.year_range == (1955, 2022)
    assert plotted_ids(ex.figure) == sorted(ids(tables.events))
    assert ex.figure.axes[0].get_xlim() == pytest.approx(year_edges(1955, 2022))
    assert ex.output.outputs == ()  # filled by the first change (the static view shows the start)


def test_options_are_sorted_and_come_from_the_data(tables):
    ex = TimelineExplorer(tables)
    assert [v for _, v in ex.period.options] == [
        "",
        "sihanouk_1955_1970",
        "rupture_1970_1979",
        "prk_1979_1991",
        "crossroads_1991_1993",
        "renewal_1993_2021",
        "ukraine_2022_2024",
    ]
    assert ex.period.options[6][0] == "Votes on Ukraine (2022–today)"
    persons = [label for label, _ in ex.person.options[1:]]
    assert persons == sorted(persons)
    assert "Dmitry Medvedev" in persons
    sources = [v for _, v in ex.source.options]
    assert sources[:4] == ["", "mosyakov_2021", "kin_phea_2021", "ppp_2024"]  # core texts first
    kinds = [label.rsplit("(", 1)[1] for label, _ in ex.source.options[4:]]
    assert kinds == sorted(kinds)  # then grouped by kind
    cited = {sid for cites in tables.events["sources"] for sid, _ in cites}
    assert set(sources[1:]) == cited  # only sources that some event cites
    assert "X33" in sources and "X99" not in sources
    assert [v for _, v in ex.category.options][0] == ""


def test_source_options_are_readable_grouped_and_only_cited(tables):
    options = source_options(tables.sources, {"mosyakov_2021", "X04", "ppp_2024"})
    labels = [label for label, _ in options]
    assert [v for _, v in options] == ["mosyakov_2021", "ppp_2024", "X04"]
    assert labels[0] == "Dmitry Mosyakov, 2021 (core text)"  # author, year, kind
    outlet = tables.sources.set_index("id").loc["ppp_2024", "outlet"]
    assert labels[1] == f"{outlet}, 2024 (core text)"  # no author: the outlet
    assert labels[2].endswith(", undated (reference work)")
    assert source_options(tables.sources, set()) == []


def test_same_readable_name_twice_adds_the_short_name(tables):
    twin = tables.sources.copy()
    twin.loc[twin["id"] == "kin_phea_2021", "author"] = "Dmitry Mosyakov"
    labels = [label for label, _ in source_options(twin, {"mosyakov_2021", "kin_phea_2021"})]
    assert labels == [
        "Dmitry Mosyakov, 2021 (core text; Kin Phea (2021))",
        "Dmitry Mosyakov, 2021 (core text; Mosyakov (2021))",
    ]


def test_the_widget_says_how_many_events_match(tables):
    ex = TimelineExplorer(tables)
    assert "All 14 events" in ex.status.value
    ex.search.value = "moscow"
    assert "2 of 14 events match" in ex.status.value and "2 of 14 events match" in ex.html
    ex.search.value = "mosc"
    assert "0 of 14 events match" in ex.status.value
    assert _common.LIVE_CLASS in ex.status._dom_classes  # a screen reader hears the count


def test_controls_come_first_and_the_output_keeps_its_height(tables, monkeypatch):
    """The Output never shrinks in the browser (steady) and the chart's room is known before
    the picture is drawn (width and height), so a change moves nothing above it."""
    capture_display(monkeypatch)
    ex = TimelineExplorer(tables)
    *_, controls, status, output = ex.box.children
    assert output is ex.output and status is ex.status
    assert ex.period in controls.children and ex.search in controls.children
    ex.display()
    assert _common.STEADY_CLASS in ex.output._dom_classes
    ex.period.value = "prk_1979_1991"
    width, height = (round(v * ex.figure.dpi) for v in ex.figure.get_size_inches())
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in ex.svg
    assert f'width="{width}" height="{height}"' in ex.svg
    assert (
        f'" width="{width}" height="{height}" style="width:100%'
        in ex.output.outputs[0]["data"]["text/html"]
    )


def test_choosing_a_period_filters_and_zooms_the_chart(tables):
    ex = TimelineExplorer(tables)
    ex.period.value = "rupture_1970_1979"
    assert len(ex.rows) and set(ex.rows["period"]) == {"rupture_1970_1979"}
    assert ex.year_range == (1970, 1979)
    assert ex.figure.axes[0].get_xlim() == pytest.approx(year_edges(1970, 1979))
    assert plotted_ids(ex.figure) == sorted(ids(ex.rows))
    chart, alt, listing = ex.output.outputs
    assert ex.svg.lstrip().startswith("<?xml") and "<svg" in ex.svg
    encoded = base64.b64encode(ex.svg.encode()).decode()
    # As wide as the notebook, never wider than the static PNG (844 px: text >= 12 pt).
    assert chart["data"]["text/html"].startswith(
        f'<div style="max-width:{DISPLAY_WIDTH_PX}px"><img src="data:image/svg+xml;base64,{encoded}"'
    )
    assert "width:100%" in chart["data"]["text/html"]
    assert chart["data"]["text/plain"] == ex.chart.alt_text
    assert "Chart description:" in alt["data"]["text/html"]
    shown = listing["data"]["text/html"]
    # Live, the list scrolls in a labelled box reachable by Tab; it holds the whole list.
    assert 'role="region" aria-label="Events listed" tabindex="0"' in shown
    assert "overflow-y:auto" in shown and ex.html in shown
    assert "overflow-y" not in "".join(
        b["text/html"] for b in ex.static_bundles() if "text/html" in b
    )
    assert "Sihanouk deposed while in Moscow" in ex.html
    assert "Diplomatic relations established" not in ex.html


def test_starting_period_argument(tables):
    ex = TimelineExplorer(tables, period="prk_1979_1991")
    assert ex.period.value == "prk_1979_1991"
    assert ids(ex.rows) == ["relations_1979", "phnom_penh_1979", "gorbachev_1988"]
    with pytest.raises(KeyError):
        TimelineExplorer(tables, period="kin_phea_1")  # not a collection period


def test_other_controls_update_rows_chart_and_list(tables):
    ex = TimelineExplorer(tables)
    ex.category.value = "aid and economy"
    assert ids(ex.rows) == ["agreements_1957"]
    assert plotted_ids(ex.figure) == ["agreements_1957"]
    ex.category.value = ""
    ex.person.value = "hun_sen"
    assert ids(ex.rows) == ["medvedev_2015", "sochi_2016", "unga_vote_2022"]
    assert plotted_ids(ex.figure) == ["medvedev_2015", "sochi_2016", "unga_vote_2022"]
    ex.person.value = ""
    ex.source.value = "X16"
    assert ids(ex.rows) == ["coup_1970"]
    ex.source.value = ""
    ex.search.value = "kheng samrin"
    assert ids(ex.rows) == ["phnom_penh_1979", "gorbachev_1988"]
    assert "Khmer Rouge regime overthrown" in ex.html
    assert "2 of 14 events" in ex.html


def test_nothing_matches(tables):
    ex = TimelineExplorer(tables)
    ex.period.value = "ukraine_2022_2024"
    ex.category.value = "aid and economy"
    assert len(ex.rows) == 0
    assert ex.figure is None and ex.chart is None
    assert "No events match" in ex.html
    (listing,) = ex.output.outputs
    assert "No events match" in listing["data"]["text/html"]


def test_reset_shows_everything_with_one_redraw(tables, monkeypatch):
    ex = TimelineExplorer(tables, period="prk_1979_1991")
    ex.category.value = "diplomacy"
    ex.search.value = "relations"
    calls = []
    original = ex._redraw
    monkeypatch.setattr(ex, "_redraw", lambda: (calls.append(1), original())[1])
    ex.reset.click()
    assert (
        ex.period.value,
        ex.category.value,
        ex.person.value,
        ex.source.value,
        ex.search.value,
    ) == ("",) * 5
    assert ids(ex.rows) == ids(tables.events)
    assert len(calls) == 1


def test_same_rows_reuse_the_drawn_chart_and_one_figure(tables, monkeypatch):
    from cambodia_russia.charts.timeline import Timeline

    drawn = []
    real = Timeline.draw
    monkeypatch.setattr(
        Timeline, "draw", lambda self, *a, **k: drawn.append(1) or real(self, *a, **k)
    )
    ex = TimelineExplorer(tables)
    figure = ex.figure
    ex.search.value = "hun"
    svg = ex.svg
    assert len(drawn) == 2
    ex.search.value = "hun sen"  # same rows, same years: nothing to redraw
    assert len(drawn) == 2 and ex.svg is svg
    ex.period.value = "renewal_1993_2021"
    assert len(drawn) == 3 and ex.svg != svg
    ex.search.value = ""  # the same two events of 1993-2021: nothing to redraw
    assert len(drawn) == 3
    ex.period.value = ""
    ex.search.value = "hun"  # seen before: served from the cache
    assert len(drawn) == 3 and ex.svg is svg
    # The figure of a cached state is drawn again only when asked for.
    assert plotted_ids(ex.figure) == ["medvedev_2015", "sochi_2016", "unga_vote_2022"]
    assert len(drawn) == 4
    assert ex.figure is figure  # always the same figure, drawn again in place
    assert len(ex._charts) <= CHART_CACHE_SIZE


def test_no_figures_pile_up_in_pyplot(tables):
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    ex = TimelineExplorer(tables)
    for _, value in ex.period.options:
        ex.period.value = value
    assert set(plt.get_fignums()) == before


def test_titles_are_escaped_everywhere(script_tables):
    ex = TimelineExplorer(script_tables)
    ex.period.value = "rupture_1970_1979"
    assert SCRIPT not in ex.html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Sihanouk deposed" in ex.html
    for output in ex.output.outputs:
        assert SCRIPT not in output["data"].get("text/html", "")
    assert "<script>" not in ex.svg


def test_display_shows_the_static_view_first_then_the_controls(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    ex = TimelineExplorer(tables)
    ex.display()
    first, *middle, last = capture.objects
    assert first["text/html"].startswith('<img src="data:image/png;base64,iVBORw0KGgo')  # a PNG
    assert first["text/plain"] == ex.chart.alt_text  # what a plain-text reader gets
    assert any("Diplomatic relations established" in obj.get("text/html", "") for obj in middle)
    assert live_model_id(last) == ex.box.model_id
    assert "run the notebook" in last["text/plain"]
    # The static view is the state set in code before displaying.
    capture.objects.clear()
    ex.period.value = "prk_1979_1991"
    ex._ipython_display_()
    html = " ".join(obj.get("text/html", "") for obj in capture.objects)
    assert (
        "Khmer Rouge regime overthrown" in html and "Diplomatic relations established" not in html
    )


def test_the_live_output_shows_the_live_view_from_the_start(tables, monkeypatch):
    """After Run All (before any change) the live Output holds the SVG chart and the list in
    its scrolling box, not the static view's PNG and whole list (six screens tall)."""
    capture_display(monkeypatch)
    ex = TimelineExplorer(tables, period="prk_1979_1991")
    ex.display()
    chart, alt, listing = ex.output.outputs
    assert "data:image/svg+xml;base64," in chart["data"]["text/html"]
    assert "image/png" not in chart["data"]["text/html"]
    assert "Chart description:" in alt["data"]["text/html"]
    assert 'role="region"' in listing["data"]["text/html"]
    assert f"max-height:{LIST_MAX_HEIGHT};overflow-y:auto" in listing["data"]["text/html"]
    assert "Khmer Rouge regime overthrown" in listing["data"]["text/html"]
    ex.period.value = ""
    ex.period.value = "prk_1979_1991"
    assert [o["data"] for o in ex.output.outputs] == [chart["data"], alt["data"], listing["data"]]


def test_the_static_view_is_blanked_once_the_controls_are_used(tables, monkeypatch):
    capture = capture_display(monkeypatch)
    ex = TimelineExplorer(tables)
    ex.display()
    assert capture.handles and all(not h.updates for h in capture.handles)
    ex.period.value = "prk_1979_1991"
    assert all(h.updates == [{"text/plain": ""}] for h in capture.handles)
    ex.period.value = ""
    assert all(len(h.updates) == 1 for h in capture.handles)


def test_the_static_view_reuses_the_png_of_the_same_timeline_chart(tables, monkeypatch):
    """A notebook shows a period's timeline chart, then the explorer of that period: the
    picture is the same, so its PNG is drawn once."""
    from collections import OrderedDict

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from cambodia_russia.charts import base, figure_png, timeline_chart

    monkeypatch.setattr(base, "_PNGS", OrderedDict())
    drawn = []
    real = FigureCanvasAgg.draw
    monkeypatch.setattr(
        FigureCanvasAgg, "draw", lambda c, *a, **k: drawn.append(c) or real(c, *a, **k)
    )
    period = "sihanouk_1955_1970"
    events = tables.events[tables.events["period"].astype(str) == period]
    start, end = period_year_range(tables.periods, period, tables.events)
    png = figure_png(timeline_chart(events, tables.periods, start, end).figure, DISPLAY_WIDTH_PX)
    ex = TimelineExplorer(tables, period=period)
    image = ex.static_bundles()[0]["text/html"]
    assert base64.b64encode(png).decode("ascii") in image
    assert len(drawn) == 1
    assert base._draw_png(ex.figure, DISPLAY_WIDTH_PX, base.PNG_COLORS) == png
    ex.category.value = ex.category.options[1][1]  # another state: another picture
    assert base64.b64encode(png).decode("ascii") not in ex.static_bundles()[0]["text/html"]
    assert len(drawn) == 3


def test_shipped_data_every_period(monkeypatch):
    ex = TimelineExplorer()
    total = len(ex.tables.events)
    seen = 0
    for _, value in ex.period.options[1:]:
        ex.period.value = value
        assert set(ex.rows["period"]) == {value}
        assert plotted_ids(ex.figure) == sorted(ids(ex.rows))
        seen += len(ex.rows)
    assert seen == total


# --- shared helpers (_common) ------------------------------------------------------------


def test_esc():
    assert _common.esc(SCRIPT) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert _common.esc(None) == "" and _common.esc(pd.NA) == "" and _common.esc(float("nan")) == ""
    assert _common.esc(1970) == "1970"


def test_citation_text():
    names = {"mosyakov_2021": "Mosyakov (2021)", "X04": "Great Soviet Encyclopedia"}
    cites = (("mosyakov_2021", "para 4"), ("X04", ""), ("X99", "p. 3"))
    assert (
        _common.citation_text(cites, names)
        == "Mosyakov (2021), para 4; Great Soviet Encyclopedia; X99, p. 3"
    )
    assert _common.citation_text(("X04: tally",), names) == "Great Soviet Encyclopedia, tally"


def test_fold_and_year_labels():
    assert _common.fold("Горбачёв") == _common.fold("ГОРБАЧЕВ")
    assert _common.fold("Hun\u2013Sen’s") == "hun-sen's"
    assert year_range(2022, pd.NA) == "2022–today"
    assert year_range(1991, 1991) == "1991"
    assert year_range(1955, 1970) == "1955–1970"


def test_set_outputs_replaces_everything():
    import ipywidgets

    out = ipywidgets.Output()
    _common.set_outputs(
        out, [_common.html_bundle("<p>a</p>"), {"text/markdown": "*b*", "text/plain": "*b*"}]
    )
    assert [o["data"]["text/plain"] for o in out.outputs] == ["a", "*b*"]
    _common.set_outputs(out, [])
    assert out.outputs == ()


def test_importing_the_widgets_package_stays_cheap():
    code = (
        "import sys, cambodia_russia.widgets as w; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets') if m in sys.modules]; "
        "print(','.join(heavy)); print(w.__all__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    heavy, names = result.stdout.splitlines()
    assert heavy == ""
    assert "TimelineExplorer" in names and "Reveal" in names


# --- the digest of the cited paragraphs -----------------------------------------------


def shipped_digest_rows(*keys: tuple[str, int]) -> list[dict[str, str]]:
    """Rows of the shipped data/digest.csv, as written in the file."""
    import csv

    from data_helpers import DATA

    with open(DATA / "digest.csv", newline="", encoding="utf-8") as handle:
        rows = {(r["source"], int(r["paragraph"])): r for r in csv.DictReader(handle)}
    return [rows[key] for key in keys]


@pytest.fixture(scope="module")
def digest_tables(tmp_path_factory):
    rows = shipped_digest_rows(("mosyakov_2021", 7), ("kin_phea_2021", 8), ("kin_phea_2021", 5))
    rows[2]["summary"] = f"{SCRIPT} Kin Phea marks the anniversary."
    return load_fixture(tmp_path_factory.mktemp("digest_data"), digest=rows)


def test_event_list_shows_what_each_cited_paragraph_says(digest_tables):
    from cambodia_russia.widgets.reader import digest_index

    t = digest_tables
    names = _common.source_names(t.sources)
    index = digest_index(t.digest)
    rows = t.events[t.events["id"] == "coup_1970"]
    html = event_list_html(rows, names, total=len(t.events), digest=index)
    mosyakov, kin_phea = (
        t.digest.set_index(["source", "paragraph"]).loc[key, "summary"]
        for key in [("mosyakov_2021", 7), ("kin_phea_2021", 8)]
    )
    assert "What the 2 cited paragraphs say" in html
    assert f"<em>Mosyakov (2021), para 7:</em> {_common.esc(mosyakov)}" in html
    assert f"<em>Kin Phea (2021), para 8:</em> {_common.esc(kin_phea)}" in html
    assert html.count("<li><em>") == 2  # X16 is an outside reference: no digest line
    # Without a digest, or citing no paragraph the digest has, the list has no such block.
    assert "cr-cited" not in event_list_html(rows, names, total=len(t.events))
    later = t.events[t.events["id"] == "phnom_penh_1979"]
    assert "cr-cited" not in event_list_html(later, names, total=len(t.events), digest=index)


def test_explorer_lists_the_digest_escaped(digest_tables):
    ex = TimelineExplorer(digest_tables)
    ex.period.value = "sihanouk_1955_1970"
    assert "What the cited paragraph says" in ex.html
    assert SCRIPT not in ex.html
    assert "<em>Kin Phea (2021), para 5:</em> &lt;script&gt;" in ex.html
    for output in ex.output.outputs:
        assert SCRIPT not in output["data"].get("text/html", "")


def test_shipped_explorer_lists_a_digest_line_for_every_cited_paragraph():
    ex = TimelineExplorer()
    ex.period.value = "prk_1979_1991"
    listed = ex.rows.head(50)
    cited = {
        (sid, loc)
        for cites in listed["sources"]
        for sid, loc in cites
        if sid in {"mosyakov_2021", "kin_phea_2021", "ppp_2024"}
    }
    names = _common.source_names(ex.tables.sources)
    for sid, locator in cited:
        assert f"<em>{names[sid]}, {locator}:</em>" in ex.html
