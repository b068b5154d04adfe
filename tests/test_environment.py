"""The pinned environments agree: the two locks, Binder's environment.yml, the running kernel."""

from __future__ import annotations

import importlib.util
import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements" / "runtime.lock"
DEV_LOCK = ROOT / "requirements" / "dev.lock"
ENVIRONMENT = ROOT / "environment.yml"

# What the notebooks need at run time, and what only the tests and tools need.
RUNTIME_CORE = [
    "jupyterlab",
    "ipywidgets",
    "pandas",
    "matplotlib",
    "numpy",
    "ipykernel",
    "nbformat",
]
DEV_CORE = ["nbval", "pytest", "hypothesis", "playwright", "jupyter-repo2docker"]


def _load_lock_module():
    spec = importlib.util.spec_from_file_location("lock_tool", ROOT / "tools" / "lock.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lock = _load_lock_module()


def _pins(path: Path) -> dict[str, str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        assert not line or re.fullmatch(r"[A-Za-z0-9_.\-]+==[^\s;]+", line), (
            f"{path.name}: {line!r} is not an exact pin (name==version)"
        )
    return lock.read_pins(path)


def test_runtime_lock_holds_what_notebooks_need_and_no_test_tool():
    runtime = _pins(RUNTIME_LOCK)
    missing = [name for name in RUNTIME_CORE if lock.normalise(name) not in runtime]
    assert not missing, f"runtime.lock lacks {missing}"
    leaked = [name for name in DEV_CORE if lock.normalise(name) in runtime]
    assert not leaked, f"test tools in the runtime lock (make lab would install them): {leaked}"


def test_dev_lock_adds_the_test_tools_without_repinning_the_runtime():
    runtime, dev = _pins(RUNTIME_LOCK), _pins(DEV_LOCK)
    assert all(lock.normalise(name) in dev for name in DEV_CORE)
    both = sorted(set(runtime) & set(dev))
    assert not both, f"pinned in both locks: {both}"


def test_environment_yml_installs_exactly_the_runtime_lock():
    """Binder runs the versions the tests ran: environment.yml is generated from the lock."""
    pins = [_pins(RUNTIME_LOCK)[key] for key in sorted(_pins(RUNTIME_LOCK))]
    expected = lock.environment_yml(pins)
    assert ENVIRONMENT.read_text(encoding="utf-8") == expected, (
        "environment.yml differs from requirements/runtime.lock: run `make lock`"
    )


def test_environment_yml_python_is_supported():
    match = re.search(r"-\s*python\s*=\s*(3\.\d+)", ENVIRONMENT.read_text(encoding="utf-8"))
    assert match and match.group(1) in {"3.11", "3.12"}


def test_running_environment_matches_the_locks():
    """Stored notebook outputs are only reproducible with the locked versions."""
    pins = {**_pins(RUNTIME_LOCK), **_pins(DEV_LOCK)}
    wrong = []
    for _key, pin in sorted(pins.items()):
        name, _, version = pin.partition("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} not installed (lock: {version})")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} (lock: {version})")
    assert not wrong, "installed versions differ from the locks: " + ", ".join(wrong)


def test_every_import_of_the_package_is_declared():
    """The package imports only what pyproject.toml declares (or the standard library)."""
    import ast
    import sys
    import tomllib

    declared = {
        lock.normalise(re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0])
        for dep in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    }
    distributions = metadata.packages_distributions()
    undeclared = set()
    for path in (ROOT / "lib" / "cambodia_russia").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "cambodia_russia":
                    continue
                dists = {lock.normalise(d) for d in distributions.get(top, [top])}
                if not dists & declared:
                    undeclared.add(f"{path.relative_to(ROOT)}: {top}")
    assert not undeclared, "imports not declared in pyproject.toml dependencies: " + ", ".join(
        sorted(undeclared)
    )


def test_package_is_installed_editable_from_this_checkout():
    import cambodia_russia

    assert Path(cambodia_russia.__file__).resolve().is_relative_to(ROOT / "lib")
