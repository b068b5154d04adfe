"""Helpers for the Cambodia – Soviet Union / Russian Federation teaching notebooks.

Load the checked, typed tables, draw the charts and build the widgets::

    import cambodia_russia as cr

    events = cr.load_events()            # a pandas DataFrame, checked and typed
    cr.show(cr.timeline_chart(events, cr.load_periods()))  # a chart with its description
    cr.TimelineExplorer()                # a widget to filter the events
    cr.SourceReader(source="mosyakov_2021", paragraph=12)  # what a cited paragraph says

Teachers who edit the CSV files check them with ``python -m cambodia_russia check``.

The public names are imported lazily (PEP 562): ``import cambodia_russia`` does not import
pandas, matplotlib or ipywidgets; each name is imported the first time it is used.
"""

from __future__ import annotations

from ._lazy import lazy_names

__version__ = "0.1.0"

# public name -> submodule that defines it
_LAZY: dict[str, str] = {
    "data_dir": "paths",
    "check": "schema",
    "DataError": "schema",
    "Problem": "schema",
    "Tables": "tables",
    "load_all": "tables",
    "load_sources": "tables",
    "load_periods": "tables",
    "load_events": "tables",
    "load_people": "tables",
    "load_topics": "tables",
    "load_claims": "tables",
    "load_indicators": "tables",
    "load_un_votes": "tables",
    "load_glossary": "tables",
    "load_lab_solutions": "tables",
    "load_quiz": "tables",
    "load_exercises": "tables",
    "load_digest": "tables",
    "show": "charts",
    "show_figure": "charts",
    "timeline_chart": "charts",
    "periodisation_chart": "charts",
    "indicator_chart": "charts",
    "un_votes_chart": "charts",
    "TimelineExplorer": "widgets",
    "PeriodStepper": "widgets",
    "SourceComparer": "widgets",
    "Quiz": "widgets",
    "Reveal": "widgets",
    "SourceReader": "widgets",
    "Exercises": "lessons",
    "References": "lessons",
}

__all__ = ["__version__", *_LAZY]

__getattr__, __dir__ = lazy_names(__name__, _LAZY, globals())
