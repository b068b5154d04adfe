"""Interactive widgets for the notebooks.

* :class:`TimelineExplorer` — filter the events by period, category, person, source, words;
* :class:`PeriodStepper` — one card per period, with Previous / Next;
* :class:`SourceComparer` — each source's account of a disputed topic, side by side;
* :class:`Quiz` — a notebook's quiz questions with immediate feedback;
* :class:`Reveal` — a model answer hidden until asked for.

Displaying any of them first shows a static view of its current state (so a notebook read
without a kernel is never blank), then the live controls. The names are imported lazily:
``import cambodia_russia.widgets`` loads neither ipywidgets, pandas nor matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

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
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))
