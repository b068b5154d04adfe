"""Where the data lives.

The data folder is chosen in this order:

1. the ``path`` argument of :func:`data_dir` (every ``load_*`` and ``check`` function
   passes its ``data_dir`` argument on);
2. the environment variable ``CAMBODIA_RUSSIA_DATA``;
3. the repository's own ``data/`` folder, found from this file
   (``lib/cambodia_russia/paths.py`` -> ``parents[2] / "data"``). This needs an
   editable install (``pip install -e .``), which is how the project is installed;
4. when the package was installed without the repository (a JupyterHub image built with
   ``pip install git+...``, students' copies pulled with nbgitpuller), the first
   ``data/`` folder with a ``datapackage.json`` in the working folder or one of its
   parents (a notebook runs in ``notebooks/``, so ``../data`` is found).

The schema (``datapackage.json``) is read from the data folder when it has one, and
otherwise from the repository's ``data/`` folder: a teacher's folder of edited CSV files
is checked against the shipped schema without copying it (see :func:`schema_path`).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "SCHEMA_FILE",
    "data_dir",
    "default_data_dir",
    "repo_root",
    "schema_path",
    "shared_sources_dir",
]

#: Environment variable that overrides the default data folder.
ENV_VAR = "CAMBODIA_RUSSIA_DATA"

#: File name of the Frictionless Data Package descriptor (the schema).
SCHEMA_FILE = "datapackage.json"


def repo_root() -> Path:
    """The repository's root folder (the one holding ``data/``, ``lib/``, ``notebooks/``)."""
    return Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    """The repository's ``data/`` folder, whatever the environment says; without a
    repository beside the package, the nearest ``data/`` above the working folder."""
    own = repo_root() / "data"
    if (own / SCHEMA_FILE).is_file():
        return own
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "data"
        if (candidate / SCHEMA_FILE).is_file():
            return candidate
    return own


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The data folder to use, as an absolute path.

    ``path`` wins if given; then the environment variable ``CAMBODIA_RUSSIA_DATA``; then
    the repository's ``data/`` folder. The folder is not required to exist here: the
    functions that read it report a missing folder themselves.
    """
    if path is None or str(path) == "":
        path = os.environ.get(ENV_VAR) or default_data_dir()
    return Path(path).expanduser().resolve()


def schema_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """The ``datapackage.json`` used to check ``folder``.

    ``folder/datapackage.json`` when it exists (whatever kind of file it is: the check
    reports a link, FIFO or folder by that name rather than silently using another
    schema), otherwise the shipped ``<repo>/data/datapackage.json``.
    """
    local = data_dir(folder) / SCHEMA_FILE
    if os.path.lexists(local):
        return local
    return default_data_dir() / SCHEMA_FILE


def shared_sources_dir() -> Path:
    """The folder of the three core source texts, next to the repository.

    ``<repo>/../shared/sources``. It exists on the machines where the collection is
    written, not in a student's copy; code that reads it must cope with its absence.
    """
    return repo_root().parent / "shared" / "sources"
