"""Charts for the notebooks. Each function returns a :class:`Chart` (figure, alt_text).

=======================  ==========================================================
``timeline_chart``       events on a time axis, collection periods behind
``periodisation_chart``  every periodisation scheme as a row of bars
``indicator_chart``      figures by year, one series per statistical system
``un_votes_chart``       tallies of UN votes, Cambodia's vote marked
``show``                 display a chart in a notebook, with its description
``show_figure``          display any matplotlib figure that way (instead of plt.show)
=======================  ==========================================================

Every function takes the typed tables it draws (``tables = load_all()``, see
:mod:`cambodia_russia.tables`, the one place that reads files) and never loads data
itself. Importing this package imports neither matplotlib nor pandas.
"""

from __future__ import annotations

from .._lazy import lazy_names

_WHERE = {
    **dict.fromkeys(["Chart", "show", "show_figure", "figure_png"], "base"),
    "timeline_chart": "timeline",
    "periodisation_chart": "periods",
    "indicator_chart": "indicators",
    "indicator_table": "indicators",
    "un_votes_chart": "votes",
}
__all__ = list(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
