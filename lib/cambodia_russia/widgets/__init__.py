"""The notebooks' interactive widgets: each shows a static view of its state first (a notebook
read without a kernel is never blank), then the live controls. Names load lazily: importing
this package loads neither ipywidgets, pandas nor matplotlib."""

from __future__ import annotations

from .._lazy import lazy_names

_MODULES = {
    "explorer": ["TimelineExplorer", "filter_events"],
    "stepper": ["PeriodStepper", "period_card"],
    "comparer": ["SourceComparer", "compare_html"],
    "quiz": ["Quiz", "Feedback", "check_choice", "check_order"],
    "reveal": ["Reveal"],
    "reader": ["SourceReader", "digest_html"],
}
_NAMES = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_NAMES)
__getattr__, __dir__ = lazy_names(__name__, _NAMES, globals())
