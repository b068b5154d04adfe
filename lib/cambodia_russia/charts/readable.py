"""How big the charts' text is on the screen where a class reads it.

JupyterLab 4 in Chromium shows a notebook's output area 848 CSS pixels wide at 1280×900 (file
browser open) and 844 at 1024×768, shrinking a wider PNG to fit: ``s`` points on a figure ``W``
pixels wide at 100 dpi show as ``s × 100/96 × min(1, 844/W)`` points. Charts are 1000 px wide, so
their smallest text (14 pt) shows at 12.3 pt; :func:`.base.show` stores the PNG at 844 px.
"""

from __future__ import annotations

from .. import style
from .base import new_figure as readable_figure
from .base import set_title as whole_title

__all__ = ["readable_figure", "whole_title", "DISPLAY_WIDTH_PX", "MIN_FONT_PT", "FIGURE_WIDTH_IN"]

DISPLAY_WIDTH_PX = 844  # the narrower of the two screens above
MIN_FONT_PT = 12
CSS_PX_PER_INCH = 96
FIGURE_WIDTH_IN = style.FIGSIZE["wide"][0]
