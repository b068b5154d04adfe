"""Interactive widgets for the notebooks.

* :class:`TimelineExplorer` — filter the events by period, category, person, source, words;
* :class:`PeriodStepper` — one card per period, with Previous / Next;
* :class:`SourceComparer` — each source's account of a disputed topic, side by side;
* :class:`Quiz` — a notebook's quiz questions with immediate feedback;
* :class:`Reveal` — a model answer hidden until asked for;
* :class:`SourceReader` — what a cited paragraph of a core text says (the digest).

Displaying any of them first shows a static view of its current state (so a notebook read
without a kernel is never blank), then the live controls. The names are imported lazily:
``import cambodia_russia.widgets`` loads neither ipywidgets, pandas nor matplotlib.
"""

from __future__ import annotations

from .._lazy import lazy_names

_NAMES = {
    "TimelineExplorer": "explorer",
    "filter_events": "explorer",
    "PeriodStepper": "stepper",
    "period_card": "stepper",
    "SourceComparer": "comparer",
    "compare_html": "comparer",
    "Quiz": "quiz",
    "Feedback": "quiz",
    "check_choice": "quiz",
    "check_order": "quiz",
    "Reveal": "reveal",
    "SourceReader": "reader",
    "digest_html": "reader",
}

__all__ = sorted(_NAMES)


__getattr__, __dir__ = lazy_names(__name__, _NAMES, globals())
