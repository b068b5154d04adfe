"""The code is kept clean by ruff (configured in pyproject.toml): lint rules and formatting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ["lib", "tools", "tests", "conftest.py"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_finds_nothing() -> None:
    done = _ruff("check", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_code_is_formatted() -> None:
    done = _ruff("format", "--check", "--no-cache", *CODE)
    assert done.returncode == 0, "run `ruff format lib tools tests`:\n" + done.stdout
