"""The README's pictures: generated from lessons.toml, one real 1280x900 screenshot per lesson."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import links
import screenshots

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_table_is_the_generated_one() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[
        text.index(screenshots.BEGIN) + len(screenshots.BEGIN) : text.index(screenshots.END)
    ]
    assert block == "\n" + screenshots.markdown(), "run `make screenshots` (or edit lessons.toml)"


def test_every_lesson_has_its_picture_and_every_picture_is_shown() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[Screenshot of [^\]]+\]\((docs/screenshots/[^)]+\.png)\)", text)
    expected = [f"docs/screenshots/{Path(file).stem}.png" for file, _ in links.notebooks()]
    assert shown == expected
    on_disk = sorted(p.relative_to(ROOT).as_posix() for p in screenshots.PICTURES.glob("*.png"))
    assert on_disk == sorted(expected), "a picture without a lesson, or a lesson without one"
    for path in expected:
        data = (ROOT / path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", path
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1280, 900), path
        assert len(data) < 200_000, f"{path} is {len(data) // 1024} KB"


def test_the_table_follows_the_registry(monkeypatch) -> None:
    monkeypatch.setattr(links, "notebooks", lambda: [("00_a.ipynb", "A"), ("01_b.ipynb", "B")])
    assert screenshots.markdown().splitlines()[2] == (
        "| ![Screenshot of A](docs/screenshots/00_a.png) 00 A | "
        "![Screenshot of B](docs/screenshots/01_b.png) 01 B |"
    )


@pytest.mark.browser
def test_make_screenshots_takes_a_real_picture(tmp_path) -> None:
    """`make screenshots` for one lesson (run as a maintainer runs it, in its own process), into a scratch folder: a 1280x900 picture of the
    notebook after Run All (the README is left alone when the folder is not docs/)."""
    tool = ROOT / "tools" / "screenshots.py"
    done = subprocess.run(
        [sys.executable, str(tool), "--out", str(tmp_path), "09_glossary.ipynb"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = (tmp_path / "09_glossary.png").read_bytes()
    assert struct.unpack(">II", data[16:24]) == (1280, 900)
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("L")
    assert len(image.getcolors(256) or range(257)) > 8, "the picture is blank"
