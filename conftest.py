"""Root pytest configuration shared by every test and by nbval.

* Points nbval at the committed sanitize file by absolute path, so ``pytest`` works from
  any folder.
* Keeps Jupyter's and IPython's per-user configuration out of the kernels that nbval
  starts (a teacher's own start-up files must not change stored outputs).
* Uses the non-interactive Agg backend inside the test process only (never through the
  ``MPLBACKEND`` variable, which would leak into notebook kernels).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"


def pytest_configure(config):
    if getattr(config.option, "nbval_sanitize_with", None) is None and hasattr(
        config.option, "nbval_sanitize_with"
    ):
        config.option.nbval_sanitize_with = str(SANITIZE_FILE)

    scratch = Path(tempfile.mkdtemp(prefix="cambodia-russia-tests-"))
    for var, sub in (("IPYTHONDIR", "ipython"), ("JUPYTER_CONFIG_DIR", "jupyter-config")):
        if not os.environ.get(var):
            (scratch / sub).mkdir()
            os.environ[var] = str(scratch / sub)
    os.environ.pop("MPLBACKEND", None)

    import matplotlib

    matplotlib.use("Agg")


def pytest_collection_modifyitems(session, config, items):
    """Run the JupyterLab browser suite last.

    Its session-wide Playwright (sync API) keeps an asyncio loop running in the main thread
    until the session ends; tests that start their own loop or Playwright (the hub load
    test, the offline slides test) must run before it.
    """
    browser_dir = ROOT / "tests" / "browser"
    items.sort(key=lambda item: Path(str(item.path)).is_relative_to(browser_dir))
