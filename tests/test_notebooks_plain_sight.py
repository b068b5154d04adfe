"""Each period notebook shows its data work once in plain sight (issue 16).

A short code cell selects rows with pandas and draws them with matplotlib, the lines a student
can change; the Markdown cell before it says what to try. matplotlib is imported at the top.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("0[1-6]_*.ipynb"))
SELECTION = re.compile(r"(\w+)\s*=\s*[\w.]+\[[^\n]*\]")  # name = frame[...]
PLOT = re.compile(r"\bax\.(plot|bar|barh|scatter|hist)\(")


def plain_cells(notebook: Path) -> list[tuple[str, str]]:
    """(lead-in Markdown, code) of each cell that selects with pandas and draws with matplotlib."""
    cells = nbformat.read(notebook, as_version=4).cells
    return [
        (cells[i - 1].source if i and cells[i - 1].cell_type == "markdown" else "", cell.source)
        for i, cell in enumerate(cells)
        if cell.cell_type == "code"
        and SELECTION.search(cell.source)
        and PLOT.search(cell.source)
        and "plt.subplots(" in cell.source
    ]


def test_there_are_six_period_notebooks() -> None:
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_period_notebook_shows_a_pandas_selection_and_a_matplotlib_chart(notebook: Path) -> None:
    found = plain_cells(notebook)
    assert found, f"{notebook.name}: no cell with a pandas selection and an ax.plot/bar call"
    lead, code = found[0]
    assert len(code.splitlines()) <= 12, (
        f"{notebook.name}: the plain-sight cell is longer than 12 lines"
    )
    assert "Try it" in lead and "`" in lead, (
        f"{notebook.name}: the cell before does not say what to try"
    )
    assert 'show_figure(fig, f"' in code, (
        f"{notebook.name}: the chart needs a description from the data"
    )
    first_code = next(
        c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"
    )
    assert "import matplotlib.pyplot as plt" in first_code.source
