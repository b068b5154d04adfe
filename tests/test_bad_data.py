"""The adversarial corpus ``tests/bad_data/cases.toml``: each case is the fixture dataset
plus one mutation, and must make ``python -m cambodia_russia check`` print exactly its
expected lines and exit with status 1, quickly, without a traceback.

``build_case`` is also used by the fuzz tests (``test_fuzz.py``) as their seed corpus.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from cambodia_russia.__main__ import main
from data_helpers import DATA, TESTS, copy_valid

CASES: list[dict[str, Any]] = tomllib.loads(
    (TESTS / "bad_data" / "cases.toml").read_text(encoding="utf-8")
)["case"]
MUTATIONS = ("set", "replace", "recode", "append", "descriptor", "symlink", "fifo", "oversize")


def _set_json(node: Any, path: str, spec: dict[str, Any]) -> None:
    *parents, last = path.split(".")
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    key: Any = int(last) if isinstance(node, list) else last
    if spec.get("delete"):
        del node[key]
    else:
        node[key] = spec["value"]


def build_case(case: dict[str, Any], tmp_path: Path) -> Path:
    """A copy of ``valid/`` in ``tmp_path`` with the case's one mutation applied."""
    folder = copy_valid(tmp_path)
    (kind,) = [k for k in MUTATIONS if k in case]
    spec = case[kind]
    if kind == "descriptor":
        descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
        _set_json(descriptor, spec["path"], spec)
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        return folder
    path = folder / spec["file"]
    if kind == "set":
        from data_helpers import set_cell

        value = spec["value"] * spec.get("repeat", 1)
        set_cell(path.stem, spec["row"], spec["column"], value)(folder)
    elif kind == "replace":
        data = path.read_bytes()
        old, new = spec["old"].encode(), spec["new"].encode()
        assert old in data, (case["name"], old)
        path.write_bytes(data.replace(old, new, 1))
    elif kind == "recode":
        text = path.read_text(encoding="utf-8")
        path.write_bytes(text.encode(spec["encoding"], errors="replace"))
    elif kind == "append":
        with open(path, "a", encoding="utf-8", newline="") as fh:
            fh.write(spec["text"])
    elif kind == "symlink":
        outside = tmp_path / f"outside_{path.name}"
        shutil.copy(path, outside)
        path.unlink()
        path.symlink_to(outside)
    elif kind == "fifo":
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    elif kind == "oversize":
        os.truncate(path, spec["size"])
    return folder


def _lines(text: str, folder: Path) -> list[str]:
    return text.replace(str(folder), "<folder>").splitlines()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case_prints_exactly_its_message(case, tmp_path, capsys):
    folder = build_case(case, tmp_path)
    started = time.perf_counter()
    status = main(["check", str(folder)])
    elapsed = time.perf_counter() - started
    out, err = capsys.readouterr()
    assert _lines(out, folder) == case["expected"]
    assert status == 1, err
    assert "Traceback" not in err
    assert elapsed < 2, f"{case['name']}: the check took {elapsed:.1f} s"
    assert "\x1b" not in out + err and "\x07" not in out + err


def test_every_case_has_one_mutation_and_a_message():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    for case in CASES:
        assert len([k for k in MUTATIONS if k in case]) == 1, case["name"]
        assert case["expected"] and "TODO" not in case["expected"], case["name"]


def test_corpus_covers_every_class_of_the_issue():
    """Issue 13 lists these classes of bad input; each needs at least one case."""
    text = " ".join(c["name"] for c in CASES)
    for word in [
        "stray quote",
        "NUL",
        "latin-1",
        "ragged",
        "died before born",
        "negative",
        "tally",
        "fields is not a list",
        "schema missing",
        "wrong type",
        "unknown type",
        "absolute path",
        "dot-dot",
        "symlink",
        "FIFO",
        "oversized",
        "pathological URL",
        "ANSI",
    ]:
        assert word in text, word


def test_the_valid_folder_itself_passes(capsys):
    from data_helpers import VALID

    assert main(["check", str(VALID)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
