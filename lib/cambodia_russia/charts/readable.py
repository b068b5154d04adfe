"""How big the charts' text is on the screen where a class reads it.

A notebook shows a chart's PNG at its own size, shrunk to the output area when wider.
Measured in JupyterLab 4 in Chromium: the output area is 848 CSS pixels wide at 1280×900
with the file browser open and 844 at 1024×768 with it closed. Text of ``s`` points on a
figure ``W`` pixels wide at 100 dpi shows as ``s × 100/96 × min(1, 844/W)`` points. Charts
are :data:`FIGURE_WIDTH_IN` inches (1000 px) wide, so their smallest text (14 pt,
:mod:`cambodia_russia.style`) shows at 12.3 pt, at least :data:`MIN_FONT_PT`. The PNG a
notebook stores is drawn at that display size (:func:`.base.show`: 844 px wide).
"""

from __future__ import annotations

from typing import Any

DISPLAY_WIDTH_PX = 844  # the narrower of the two screens above
MIN_FONT_PT = 12
CSS_PX_PER_INCH = 96
FIGURE_WIDTH_IN = 10.0


def readable_figure(size: str = "wide", height: float | None = None) -> Any:
    """A new figure like :func:`.base.new_figure`, :data:`FIGURE_WIDTH_IN` inches wide."""
    from .base import new_figure

    figure = new_figure(size, height)
    figure.set_size_inches(FIGURE_WIDTH_IN, figure.get_figheight())
    return figure


def whole_title(figure: Any, title: str) -> Any:
    """The title (:func:`.base.set_title`), never cut: when two lines would not hold it, its
    font shrinks a point at a time, down to two points above the base font."""
    from .. import style
    from .base import fit_lines, set_title

    artist = set_title(figure, title)
    room = figure.get_figwidth() * figure.dpi * 0.955
    size = style.TITLE_FONT_SIZE
    wanted = " ".join(title.split())
    while " ".join(artist.get_text().split()) != wanted and size > style.BASE_FONT_SIZE + 2:
        size -= 1
        artist.set_fontsize(size)
        artist.set_text(fit_lines(title, room, size, 2, weight="bold"))
    return artist
