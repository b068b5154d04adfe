"""Helpers for the Cambodia – Soviet Union / Russian Federation teaching notebooks.

Load the checked, typed tables, draw the charts and build the widgets::

    import cambodia_russia as cr

    events = cr.load_events()            # a pandas DataFrame, checked and typed
    cr.show(cr.timeline_chart(events, cr.load_periods()))  # a chart with its description
    cr.TimelineExplorer()                # a widget to filter the events
    cr.SourceReader(source="mosyakov_2021", paragraph=12)  # what a cited paragraph says

Teachers who edit the CSV files check them with ``python -m cambodia_russia check``.
Names are imported when first used, so ``import cambodia_russia`` loads neither pandas,
matplotlib nor ipywidgets.
"""

from __future__ import annotations

from ._lazy import lazy_names

__version__ = "0.1.0"

# public name -> submodule that defines it
_LAZY: dict[str, str] = {
    "data_dir": "paths",
    **dict.fromkeys(["check", "DataError", "Problem"], "schema"),
    **dict.fromkeys(
        ["Tables", "load_all", "load_sources", "load_periods", "load_events"], "tables"
    ),
    **dict.fromkeys(["load_people", "load_topics", "load_claims", "load_indicators"], "tables"),
    **dict.fromkeys(["load_un_votes", "load_glossary", "load_lab_solutions"], "tables"),
    **dict.fromkeys(["load_quiz", "load_exercises", "load_digest"], "tables"),
    **dict.fromkeys(["show", "show_figure", "timeline_chart", "periodisation_chart"], "charts"),
    **dict.fromkeys(["indicator_chart", "un_votes_chart"], "charts"),
    **dict.fromkeys(["TimelineExplorer", "PeriodStepper", "SourceComparer"], "widgets"),
    **dict.fromkeys(["Quiz", "Reveal", "SourceReader"], "widgets"),
    **dict.fromkeys(["Exercises", "References"], "lessons"),
}

__all__ = ["__version__", *_LAZY]

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())
