"""Lazy public names for a package (PEP 562), shared by the package and its subpackages.

``__getattr__, __dir__ = lazy_names(__name__, {"name": "submodule", ...}, globals())``
imports a name's submodule the first time the name is used, so that importing the package
stays cheap (no pandas, matplotlib or ipywidgets until they are needed).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``where`` maps each public name
    to the submodule (relative to ``package``) that defines it; ``namespace`` is the
    package's ``globals()``, where a name is kept once imported."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
