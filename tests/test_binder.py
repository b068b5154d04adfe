"""Binder: repo2docker installs environment.yml first, then runs postBuild."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dockerfile() -> str:
    exe = Path(sys.executable).with_name("repo2docker")
    if not exe.exists():
        found = shutil.which("repo2docker")
        assert found, "repo2docker is not installed (it is in requirements-lock.txt)"
        exe = Path(found)
    result = subprocess.run(
        [str(exe), "--no-build", "--debug", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_binder_uses_the_conda_environment(dockerfile):
    assert "COPY --chown=0:0 src/environment.yml ${REPO_DIR}/environment.yml" in dockerfile
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in dockerfile


def test_binder_runs_postbuild_after_copying_the_repo(dockerfile):
    copy_all = dockerfile.index("COPY --chown=0:0 src/ ${REPO_DIR}/")
    run_post = dockerfile.index("RUN ./postBuild")
    env_update = dockerfile.index('--file "environment.yml"')
    assert env_update < copy_all < run_post


def test_postbuild_installs_the_package_editable_without_dependencies():
    text = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps --no-cache-dir -e ." in text
    assert os.access(ROOT / "postBuild", os.X_OK)


def test_no_binder_folder_hides_the_root_configuration():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
