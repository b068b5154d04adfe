"""The Zero to JupyterHub values (deploy/config.yaml) agree with the measured class figures.

docs/hub.md carries one machine-readable block (``<!-- hub-figures -->`` then a JSON fence):
what ``make hub-load N=30`` measured and the sizing derived from it by the rule in
tools/hub/hub.py (``sizing``). deploy/config.yaml must use exactly those memory numbers, the
image deploy/build-image.sh builds, and the culler and nbgitpuller the class hub was tested with.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from answer_leaks import answers_in_folder

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "config.yaml"
BUILD = ROOT / "deploy" / "build-image.sh"
DOCS = ROOT / "docs" / "hub.md"
hub = runpy.run_path(str(ROOT / "tools" / "hub" / "hub.py"), run_name="hub_under_test")


def docs_figures() -> dict:
    """The JSON block after ``<!-- hub-figures -->`` in docs/hub.md."""
    text = DOCS.read_text(encoding="utf-8")
    found = re.search(r"<!-- hub-figures -->\s*```json\n(.*?)\n```", text, re.S)
    assert found, "docs/hub.md has no <!-- hub-figures --> JSON block"
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def _mb(quantity: str) -> int:
    """A Kubernetes memory quantity in Z2JH's M/G notation, in MB."""
    number, unit = re.fullmatch(r"(\d+)([MG])", quantity).groups()
    return int(number) * (1024 if unit == "G" else 1)


def test_the_values_parse_and_use_only_chart_sections(config):
    known = {
        "hub",
        "singleuser",
        "cull",
        "prePuller",
        "scheduling",
        "proxy",
        "ingress",
        "imagePullSecret",
    }
    assert set(config) <= known, set(config) - known

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield str(key)
                yield from keys(value)

    secrets = [key for key in keys(config) if "password" in key.lower() or "secret" in key.lower()]
    assert not secrets, f"passwords belong in secrets.yaml, not deploy/config.yaml: {secrets}"


def test_the_figures_come_from_a_full_class_without_errors():
    measured = docs_figures()["measured"]
    assert (
        measured["students"] >= 30
        and measured["errors"] == 0
        and measured["ok"] == measured["students"]
    )
    assert measured["memory_mb"]["per_user_p50"] <= measured["memory_mb"]["per_user_max"]
    assert measured["first_chart_s"]["p50"] <= measured["first_chart_s"]["p95"]


def test_the_sizing_block_follows_the_rule_from_the_measured_figures():
    block = docs_figures()
    assert block["sizing"] == hub["sizing"](block["measured"])


def test_docs_text_quotes_the_block():
    block = docs_figures()
    text = DOCS.read_text(encoding="utf-8").split("<!-- hub-figures -->")[0]
    sizing = block["sizing"]
    assert f"{sizing['guarantee_mb']} MB" in text and f"{sizing['limit_mb']} MB" in text
    for gb, students in sizing["students_per_node"].items():
        assert re.search(rf"\| {gb[:-2]} GB \| {students} \|", text), (gb, students)


def test_memory_guarantee_and_limit_are_the_measured_sizing(config):
    sizing = docs_figures()["sizing"]
    memory = config["singleuser"]["memory"]
    assert _mb(memory["guarantee"]) == sizing["guarantee_mb"]
    assert _mb(memory["limit"]) == sizing["limit_mb"]
    assert sizing["guarantee_mb"] >= docs_figures()["measured"]["memory_mb"]["per_user_max"]


def test_the_image_is_the_one_build_image_builds_from_this_repository(config):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    owner_repo = project["urls"]["Repository"].removeprefix("https://github.com/").strip("/")
    image = config["singleuser"]["image"]
    assert image["name"] == f"ghcr.io/{owner_repo}"
    script = BUILD.read_text(encoding="utf-8")
    assert f'IMAGE="${{IMAGE:-{image["name"]}}}"' in script
    assert image["tag"] == "main" and '"$IMAGE:main"' in script
    # The repository lives outside the home folder the chart mounts the student's volume on.
    home = config["singleuser"]["storage"]["homeMountPath"]
    target = re.search(r"^TARGET_REPO_DIR=(\S+)$", script, re.M).group(1)
    assert not target.startswith(home)
    assert (
        config["singleuser"]["cmd"] == "jupyterhub-singleuser"
        and config["singleuser"]["defaultUrl"] == "/lab"
    )


def test_repo2docker_builds_from_the_lock_and_adds_the_tested_nbgitpuller():
    env = {**os.environ, "REPO2DOCKER": str(Path(sys.executable).parent / "repo2docker")}
    done = subprocess.run(
        [str(BUILD), "--dry-run"], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    dockerfile = done.stdout + done.stderr
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in dockerfile
    assert "./postBuild" in dockerfile
    pin = next(
        line
        for line in (ROOT / "requirements" / "dev.lock").read_text().splitlines()
        if line.startswith("nbgitpuller==")
    )
    assert f"RUN python -m pip install --no-cache-dir {pin}" in dockerfile


def test_culling_matches_the_class_hub(config):
    cull = config["cull"]
    assert cull["enabled"] is True
    hub_config = (ROOT / "tools" / "hub" / "jupyterhub_config.py").read_text(encoding="utf-8")
    default = re.search(r'_setting\("HUB_CULL_TIMEOUT", "(\d+)"\)', hub_config).group(1)
    assert cull["timeout"] == int(default)
    assert 0 < cull["every"] <= cull["timeout"] < cull["maxAge"]
    assert config["singleuser"]["startTimeout"] >= 120  # the class hub needs 120 s on 2 cores


def test_kernels_read_the_data_the_students_pulled(config):
    """As on the tested class hub: the nbgitpuller folder's data, not the full data in the image."""
    home = config["singleuser"]["storage"]["homeMountPath"]
    assert (
        config["singleuser"]["extraEnv"]["CAMBODIA_RUSSIA_DATA"] == f"{home}/{hub['TARGET']}/data"
    )
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"https://HUB/hub/user-redirect/git-pull\?\S+", readme)
    assert links and all(f"targetpath={hub['TARGET']}&" in link for link in links)
    assert "make student-edition" in readme


def test_the_image_holds_the_student_edition_without_answers(tmp_path):
    """build-image.sh hands repo2docker the student edition of the commit: run it with a
    stand-in repo2docker that copies the folder it is given, then scan that copy."""
    seen = tmp_path / "seen"
    recorder = tmp_path / "repo2docker"
    recorder.write_text(f'#!/bin/sh\nfor last; do :; done\ncp -r "$last" "{seen}"\n')
    recorder.chmod(0o755)
    env = {**os.environ, "REPO2DOCKER": str(recorder), "PYTHON": sys.executable}
    done = subprocess.run(
        [str(BUILD), "--dry-run"], capture_output=True, text=True, timeout=120, cwd=ROOT, env=env
    )
    assert done.returncode == 0, done.stderr[-3000:]
    names = {path.name for path in seen.iterdir()}
    assert {"notebooks", "data", "lib", "environment.yml", "postBuild"} <= names, names
    assert not names & {"teacher", "tests", "tools", ".git"}, names
    files = [path for path in seen.rglob("*") if path.is_file()]
    assert answers_in_folder(seen, files, ROOT / "data") == {}
