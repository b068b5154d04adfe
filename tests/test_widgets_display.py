"""Showing a widget costs one drawing of its view: the live Output starts with the static view
already built for readers without a kernel (the notebooks' time budget, docs/benchmarks.md)."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cambodia_russia.widgets import TimelineExplorer
from widget_fixtures import capture_display, make_tables


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return make_tables(tmp_path_factory.mktemp("widget_data"))


def test_display_draws_the_explorer_chart_once_and_the_live_output_shows_the_same_view(
    tables, monkeypatch
):
    draws = []
    draw = FigureCanvasAgg.draw

    def counted(canvas, *args, **kwargs):
        draws.append(canvas.figure)
        return draw(canvas, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    capture = capture_display(monkeypatch)
    explorer = TimelineExplorer(tables)
    explorer.display()
    assert draws == [explorer.figure]
    static = [obj for obj in capture.objects if "text/html" in obj]
    live = [output["data"] for output in explorer.output.outputs]
    assert live == static
    assert static[0]["text/html"].startswith('<img src="data:image/png;base64,')


def test_every_widget_carries_the_css_from_one_shared_model(tables):
    from cambodia_russia.widgets import Reveal, _common

    first, second = Reveal("Answer **one**."), Reveal("Answer two.")
    boxes = [first.box, second.box, TimelineExplorer(tables).box]
    styles = {id(box.children[0]) for box in boxes}
    assert len(styles) == 1  # one model, shown in each widget's view
    css, aria = boxes[0].children[0].children
    assert css.value == _common._STYLE_CSS and aria is _common.aria_widget()
    boxes[0].children[0].close()  # closed (e.g. Widget.close_all): the next widget gets a new one
    assert Reveal("Answer three.").box.children[0].comm is not None
