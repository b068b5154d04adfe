"""The notebooks' interactive widgets: each shows a static view of its state first (a notebook
read without a kernel is never blank), then the live controls. Names load lazily: importing
this package loads neither ipywidgets, pandas nor matplotlib."""

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
