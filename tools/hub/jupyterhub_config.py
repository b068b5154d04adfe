"""JupyterHub configuration for a class on ONE machine (make hub, make hub-load, tests/test_hub.py).

The same parts a Zero to JupyterHub deployment uses (deploy/config.yaml), minus Kubernetes:

* JupyterHub from PyPI with configurable-http-proxy from npm (tools/hub/node_modules),
* SharedPasswordAuthenticator: every student types any user name and the class password,
* SimpleLocalProcessSpawner: one single-user JupyterLab per student, started from this
  repository's .venv (runtime lock + the package), each in its own home folder,
* nbgitpuller (a server extension in the same .venv) and the idle culler as a hub service;
  each student's kernel reads the data of the collection they pulled (CAMBODIA_RUSSIA_DATA).

Everything is read from environment variables that ``tools/hub/hub.py`` sets; by hand::

    HUB_PASSWORD=... .venv/bin/jupyterhub -f tools/hub/jupyterhub_config.py

This is for a class on 127.0.0.1 or a trusted network only: SimpleLocalProcessSpawner gives the
students no isolation from each other (see docs/hub.md for a real deployment).
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


STATE = Path(_setting("HUB_STATE", str(ROOT / "build" / "hub"))).resolve()
VENV = Path(_setting("HUB_VENV", str(ROOT / ".venv"))).resolve()
IP = _setting("HUB_IP", "127.0.0.1")
PORT = int(_setting("HUB_PORT", "8000"))
HUB_PORT = int(_setting("HUB_INTERNAL_PORT", "8081"))
PROXY_API_PORT = int(_setting("HUB_PROXY_API_PORT", "8001"))
PASSWORD = os.environ.get("HUB_PASSWORD", "")
ADMIN_PASSWORD = os.environ.get("HUB_ADMIN_PASSWORD", "")
CULL_TIMEOUT = int(_setting("HUB_CULL_TIMEOUT", "3600"))
HTTP_TIMEOUT = int(_setting("HUB_HTTP_TIMEOUT", "90"))
START_TIMEOUT = int(_setting("HUB_START_TIMEOUT", "120"))
#: The folder in each home that the nbgitpuller link pulls the collection into.
COLLECTION_FOLDER = _setting("HUB_COLLECTION_FOLDER", "cambodia-russia-notebooks")

PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
SINGLEUSER = VENV / "bin" / "jupyterhub-singleuser"
if not PROXY.exists():
    sys.exit(f"hub: {PROXY} is missing: run `npm ci --prefix tools/hub` (or make hub)")
if not SINGLEUSER.exists():
    sys.exit(
        f"hub: {SINGLEUSER} is missing: run `make setup-dev` (jupyterhub is in requirements/dev.lock)"
    )
if len(PASSWORD) < 8:
    sys.exit("hub: set HUB_PASSWORD to the class password (8 characters or more)")
STATE.mkdir(parents=True, exist_ok=True)

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# The hub, its database and secrets live in the state folder (build/hub/ by default).
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True

c.ConfigurableHTTPProxy.command = [str(PROXY)]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# Any user name with the shared class password; "teacher" is the admin (own password).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = PASSWORD
c.Authenticator.allow_all = True
if ADMIN_PASSWORD:
    c.SharedPasswordAuthenticator.admin_password = ADMIN_PASSWORD
    c.Authenticator.admin_users = {"teacher"}

# One JupyterLab per student from this repository's .venv, home in the state folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "users" / "{username}")
c.Spawner.cmd = [str(SINGLEUSER)]
c.Spawner.args = ["--allow-root"] if os.geteuid() == 0 else []
c.Spawner.default_url = "/lab"
# The package in the .venv sits beside the full data (model answers included): every student's
# kernel reads the data they pulled instead, so the student edition's notebooks say "not
# included" where a model answer would be.
c.Spawner.environment = {
    "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
    "CAMBODIA_RUSSIA_DATA": lambda spawner: str(
        Path(spawner.home_dir) / COLLECTION_FOLDER / "data"
    ),
}
# The defaults (30 s / 60 s) fail when a class logs in at once on a small machine.
c.Spawner.http_timeout = HTTP_TIMEOUT
c.Spawner.start_timeout = START_TIMEOUT

# The idle culler stops servers nobody used for HUB_CULL_TIMEOUT seconds (default 1 hour),
# looking every half timeout (at most every 5 minutes, at least every second: tests/test_hub.py
# uses 4 s).
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            f"--cull-every={max(1, min(300, CULL_TIMEOUT // 2))}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
