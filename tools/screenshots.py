"""Write one screenshot per notebook, the top screen after Run All, to docs/screenshots/.

    python tools/screenshots.py [--out docs/screenshots] [NOTEBOOK ...]

Then the README's "What you get" table is written again from notebooks/lessons.toml (between
its markers), so every lesson has its picture and no picture is listed by hand.

Uses the browser suite's JupyterLab server (tests/browser/conftest.py: a temporary copy
of notebooks/, temporary home and config folders) and its helpers to open a notebook and
run all cells, in Debian's Chromium (/usr/bin/chromium) driven by Playwright: no browser
is ever downloaded. Each picture is 1280x900, reduced to a 64-colour palette (Pillow) so it
stays small (about 100 KB) for the README.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TESTS = ROOT / "tests" / "browser"
SIZE = {"width": 1280, "height": 900}
COLOURS = 64
PICTURES = ROOT / "docs" / "screenshots"
BEGIN = "<!-- screenshots: written by `make screenshots`, do not edit -->"
END = "<!-- /screenshots -->"


def markdown() -> str:
    """The README's table of pictures, two lessons a row, in lessons.toml order."""
    import links

    cells = [
        f"![Screenshot of {title}](docs/screenshots/{Path(file).stem}.png) {file[:2]} {title}"
        for file, title in links.notebooks()
    ]
    if len(cells) % 2:
        cells.append("")
    rows = [f"| {a} | {b} |" for a, b in zip(cells[::2], cells[1::2], strict=True)]
    return "\n".join(["| | |", "|---|---|", *rows]) + "\n"


def write_readme() -> None:
    """Write the table into README.md (atomically: a temporary file, then a rename)."""
    import links

    readme = ROOT / "README.md"
    text = links.readme_with_links(readme.read_text(encoding="utf-8"), markdown(), BEGIN, END)
    temporary = readme.with_name(".README.md.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, readme)


def _load(name: str):
    """A module of the browser suite, by file (they are not an installed package)."""
    spec = importlib.util.spec_from_file_location(
        f"_screenshots_{name}", BROWSER_TESTS / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def small_png(png: bytes, colours: int = COLOURS) -> bytes:
    """``png`` quantised to a palette of ``colours`` colours (text stays sharp)."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(
        buffer, format="PNG", optimize=True
    )
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PICTURES)
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: every lesson)")
    args = parser.parse_args(argv)

    import worksheets  # the one home of Chromium's path and flags

    conftest = _load("conftest")
    lab_tests = _load("test_jupyterlab")
    names = args.notebooks or [lesson.path.name for lesson in lab_tests.LESSONS]
    if not worksheets.CHROMIUM.exists():
        print(
            f"{worksheets.CHROMIUM} not found: install Debian's chromium package", file=sys.stderr
        )
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        scratch = Path(tmp)
        server = conftest.LabServer(conftest.copy_notebooks(scratch / "notebooks"), scratch / "lab")
        server.start()
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(
                executable_path=str(worksheets.CHROMIUM), args=list(worksheets.BROWSER_ARGS)
            )
            context = browser.new_context(viewport=SIZE)
            for name in names:
                page = context.new_page()
                cells = lab_tests.read_cells(server.root / name)
                lab_tests.open_notebook(page, server, name, f"shot-{Path(name).stem}")
                lab_tests.run_all(page, cells)
                page.evaluate(
                    "() => { const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');"
                    " if (s) s.scrollTop = 0; document.activeElement && document.activeElement.blur(); }"
                )
                page.mouse.move(2, 2)
                time.sleep(0.5)
                target = args.out / f"{Path(name).stem}.png"
                target.write_bytes(small_png(page.screenshot()))
                print(f"{target}: {target.stat().st_size // 1024} KB")
                page.close()
                server.delete_sessions()
            browser.close()
        finally:
            playwright.stop()
            server.stop()
    if args.out.resolve() == PICTURES.resolve():
        write_readme()
    return 0


if __name__ == "__main__":
    sys.exit(main())
