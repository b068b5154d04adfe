"""How big the charts' text is on the screen where a class reads it.

JupyterLab 4 in Chromium shows a notebook's output area 848 CSS pixels wide at 1280×900 (file
browser open) and 844 at 1024×768, shrinking a wider PNG to fit: ``s`` points on a figure ``W``
pixels wide at 100 dpi show as ``s × 100/96 × min(1, 844/W)`` points. Charts are 1000 px wide, so
their smallest text (14 pt) shows at 12.3 pt; :func:`.base.show` stores the PNG at 844 px.
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
    """The title (:func:`.base.set_title`), never cut: while two lines would not hold it, its
    font shrinks a point at a time, down to two points above the base font."""
    from .. import style
    from .base import text_room, fit_lines, set_title

    artist, size, wanted = set_title(figure, title), style.TITLE_FONT_SIZE, " ".join(title.split())
    while " ".join(artist.get_text().split()) != wanted and size > style.BASE_FONT_SIZE + 2:
        size -= 1
        artist.set_fontsize(size)
        artist.set_text(fit_lines(title, text_room(figure), size, 2, weight="bold"))
    return artist
