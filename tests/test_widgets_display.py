"""What showing the widgets costs a lesson (the notebooks' time budget, docs/benchmarks.md)."""

from __future__ import annotations

from cambodia_russia.widgets import Reveal, _common


def test_every_widget_carries_the_css_from_one_shared_model():
    boxes = [Reveal("Answer **one**.").box, Reveal("Answer two.").box]
    styles = {id(box.children[0]) for box in boxes}
    assert len(styles) == 1  # one model, shown in each widget's view
    css, aria = boxes[0].children[0].children
    assert css.value == _common._STYLE_CSS and aria is _common.aria_widget()
    boxes[0].children[0].close()  # closed (e.g. Widget.close_all): the next widget gets a new one
    assert Reveal("Answer three.").box.children[0].comm is not None


def test_widgets_that_look_alike_share_their_layout_and_style_models():
    first, second = Reveal("One.").button, Reveal("Two.").button
    assert first.layout is second.layout and first.style is second.style  # fewer models to send
    assert first.layout.min_width == "12em" and first.style.font_size == _common.FONT_SIZE
    first.layout.close()  # closed: the next widget gets a new one
    assert Reveal("Three.").button.layout.comm is not None
