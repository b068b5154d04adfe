"""How big the charts' text is on the screen where a class reads it.

A notebook shows a chart's PNG at its own size, shrunk to the width of the
output area when it is wider. Measured in JupyterLab 4 in Chromium: the output
area is 848 CSS pixels wide at 1280×900 with the file browser open (as a
student first sees it) and 844 at 1024×768 with it closed; 1100 at 1280×900
with it closed. Text of ``s`` points on a figure ``W`` pixels wide at 100 dpi
is ``s × 100/96 × min(1, 844/W)`` points on screen (96 CSS pixels an inch):
14 pt on a 1300-pixel figure is about 9 pt. The charts of this package are made
:data:`FIGURE_WIDTH_IN` inches wide so that the smallest text of
:mod:`cambodia_russia.style` (14 pt) is still at least :data:`MIN_FONT_PT`
points on a :data:`DISPLAY_WIDTH_PX`-pixel output area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = [
    "DISPLAY_WIDTH_PX",
    "MIN_FONT_PT",
    "CSS_PX_PER_INCH",
    "FIGURE_WIDTH_IN",
    "readable_figure",
    "whole_title",
]

#: Width of a notebook's output area in CSS pixels: the narrower of 1280×900 with the file
#: browser open (848) and 1024×768 with it closed (844), JupyterLab 4.
DISPLAY_WIDTH_PX = 844
#: The smallest text size a chart may show on that screen, in points.
MIN_FONT_PT = 12
#: CSS pixels per inch (a CSS point is 1/72 inch, so 12 pt = 16 CSS pixels).
CSS_PX_PER_INCH = 96
#: Width of every chart in inches: 1000 pixels at the package's 100 dpi.
FIGURE_WIDTH_IN = 10.0


def readable_figure(size: str = "wide", height: float | None = None) -> Figure:
    """A new figure like :func:`.base.new_figure`, but :data:`FIGURE_WIDTH_IN` inches wide."""
    from .base import new_figure

    figure = new_figure(size, height)
    figure.set_size_inches(FIGURE_WIDTH_IN, figure.get_figheight())
    return figure


def whole_title(figure: Figure, title: str) -> Any:
    """Put ``title`` at the top of ``figure`` with :func:`.base.set_title`, never cut.

    :func:`.base.set_title` wraps a title into two lines and cuts the rest
    with "…". When that would happen here, the title's font is made smaller,
    one point at a time (down to two points above the base font), until the
    whole title fits in two lines.
    """
    from .. import style
    from .base import fit_lines, set_title

    artist = set_title(figure, title)
    wanted = " ".join(title.split())
    room = figure.get_figwidth() * figure.dpi * 0.955
    size = style.TITLE_FONT_SIZE
    while " ".join(artist.get_text().split()) != wanted and size > style.BASE_FONT_SIZE + 2:
        size -= 1
        artist.set_fontsize(size)
        artist.set_text(fit_lines(title, room, size, 2, weight="bold"))
    return artist
