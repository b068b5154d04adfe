"""Charts for the notebooks; each function returns a :class:`Chart` (figure, alt_text).

``timeline_chart`` (events on a time axis), ``periodisation_chart`` (every periodisation scheme
as a row of bars), ``indicator_chart`` (figures by year, a series per statistical system),
``un_votes_chart`` (UN vote tallies, Cambodia's vote marked); ``show`` displays a chart with
its description, ``show_figure`` any matplotlib figure so (instead of plt.show). Charts take the
typed tables (:mod:`cambodia_russia.tables`) and never load data; importing this package
imports neither matplotlib nor pandas.
"""

from __future__ import annotations

from .._lazy import lazy_names

_WHERE = {
    **dict.fromkeys(["Chart", "show", "show_figure", "figure_png"], "base"),
    **dict.fromkeys(["indicator_chart", "indicator_table"], "indicators"),
    "timeline_chart": "timeline",
    "periodisation_chart": "periods",
    "un_votes_chart": "votes",
}
__all__ = list(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
