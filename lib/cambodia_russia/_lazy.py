"""Lazy public names for a package (PEP 562): a name's submodule is imported the first time
the name is used, so importing the package stays cheap (no pandas, matplotlib, ipywidgets).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``where`` maps each public name
    to its submodule; ``namespace`` (the package's ``globals()``) keeps imported names."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(f"{package}.{where[name]}")
        namespace[name] = getattr(module, name)
        return namespace[name]

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(where))

    return __getattr__, __dir__
