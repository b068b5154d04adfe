"""The pinned environments agree: pip lock, Binder's environment.yml, the running kernel."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements-lock.txt"
ENVIRONMENT = ROOT / "environment.yml"

# Packages whose output the notebooks show: their versions must match everywhere.
SHOWN = {"pandas": "pandas", "numpy": "numpy", "matplotlib": "matplotlib-base", "ipywidgets": "ipywidgets"}
CORE = ["jupyterlab", "ipywidgets", "pandas", "matplotlib", "nbval", "pytest"]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert match, f"requirements-lock.txt: {line!r} is not an exact pin (name==version)"
        pins[_norm(match.group(1))] = match.group(2)
    return pins


def conda_pins() -> dict[str, str]:
    pins = {}
    for line in ENVIRONMENT.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.\-]+)\s*=\s*([0-9][^\s#]*)\s*(#.*)?", line)
        if match:
            pins[_norm(match.group(1))] = match.group(2)
    return pins


def test_lock_pins_every_core_package_exactly():
    pins = lock_pins()
    for name in CORE + ["numpy", "ipykernel", "nbclient", "nbformat"]:
        assert _norm(name) in pins, f"{name} is missing from requirements-lock.txt"


@pytest.mark.parametrize("pip_name", sorted(SHOWN))
def test_environment_yml_pins_the_same_versions_as_the_lock(pip_name):
    conda_name = SHOWN[pip_name]
    conda = conda_pins()
    assert conda_name in conda, f"environment.yml does not pin {conda_name}"
    assert conda[conda_name] == lock_pins()[_norm(pip_name)], (
        f"environment.yml pins {conda_name}={conda[conda_name]} but requirements-lock.txt "
        f"pins {pip_name}=={lock_pins()[_norm(pip_name)]}"
    )


def test_environment_yml_python_is_supported():
    match = re.search(r"-\s*python\s*=\s*(3\.\d+)", ENVIRONMENT.read_text(encoding="utf-8"))
    assert match and match.group(1) in {"3.11", "3.12"}


def test_running_environment_matches_the_lock():
    """Stored notebook outputs are only reproducible with the locked versions."""
    pins = lock_pins()
    wrong = []
    for name in CORE + sorted(SHOWN):
        installed = metadata.version(name)
        if installed != pins[_norm(name)]:
            wrong.append(f"{name} {installed} (lock: {pins[_norm(name)]})")
    assert not wrong, "installed versions differ from requirements-lock.txt: " + ", ".join(wrong)


def test_package_is_installed_editable_from_this_checkout():
    import cambodia_russia

    assert Path(cambodia_russia.__file__).resolve().is_relative_to(ROOT / "lib")
