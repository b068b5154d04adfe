"""Where the data lives: the ``path`` argument of :func:`data_dir` (every loader and
``check`` passes its ``data_dir`` on), else the ``CAMBODIA_RUSSIA_DATA`` environment
variable, else :func:`default_data_dir`. The schema is the data folder's own
``datapackage.json`` when it has one, else the shipped one (see :func:`schema_path`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "data_dir",
    "default_data_dir",
    "repo_root",
    "schema_path",
]

#: Environment variable that overrides the default data folder.
ENV_VAR = "CAMBODIA_RUSSIA_DATA"
#: File name of the Frictionless Data Package descriptor (the schema).
SCHEMA_FILE = "datapackage.json"


def repo_root() -> Path:
    """The repository's root folder (the one holding ``data/``, ``lib/``, ``notebooks/``)."""
    return Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """The repository's ``data/`` folder (an editable install), else, for a package
    installed without its repository (a hub image), the nearest ``data/`` with a
    ``datapackage.json`` in or above the working folder (``../data`` from ``notebooks/``)."""
    own = repo_root() / "data"
    if (own / SCHEMA_FILE).is_file():
        return own
    here = Path.cwd().resolve()
    found = (d / "data" for d in (here, *here.parents) if (d / "data" / SCHEMA_FILE).is_file())
    return next(found, own)


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, as an absolute path: ``path`` if given, then the variable
    ``CAMBODIA_RUSSIA_DATA``, then :func:`default_data_dir`. It may not exist: the
    functions that read it report a missing folder themselves."""
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or default_data_dir()
    return Path(path).expanduser().resolve()


def schema_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """The ``datapackage.json`` used to check ``folder``: its own when it has one (of any
    kind: the check reports a link or FIFO rather than silently using another schema),
    otherwise the shipped ``<repo>/data/datapackage.json``."""
    local = data_dir(folder) / SCHEMA_FILE
    return local if os.path.lexists(local) else default_data_dir() / SCHEMA_FILE
