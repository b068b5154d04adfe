"""A student's answer box in real JupyterLab: type, save, reopen, the text is there.

Lesson 03 is opened in the session's JupyterLab (a temporary copy of ``notebooks/``) and
run; the student types a name and an answer, presses *Save my answers*, and the file
``answers/03_prk_1979_1991-<name>.md`` appears beside the notebook with the name, the
lesson and the text. Then the notebook is closed and its kernel shut down, the notebook
opened again (with a new kernel) and run, the student types the same name, and the answer
box shows the saved text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_jupyterlab import CLOSE_ALL_JS, holds, open_notebook, read_cells, run_all

pytestmark = pytest.mark.browser

NOTEBOOK = "03_prk_1979_1991.ipynb"
NAME = "Sok Dara"
ANSWER = "Kin Phea sees one healthy period (Kin Phea 2021, para 9); Mosyakov sees distrust."


def _answer_cell(page):
    cell = page.locator(".jp-Notebook .jp-Cell").filter(
        has=page.locator("button", has_text="Save my answers")
    )
    cell.first.wait_for(timeout=30_000)
    cell.first.evaluate("el => el.scrollIntoView({block: 'start'})")
    return cell.first


def _type_name(cell, name: str) -> None:
    box = cell.locator(".widget-text input").first
    box.fill(name)
    box.press("Enter")  # the name box commits on Enter (continuous_update=False)


def _wait_for_text(locator, text: str, what: str, timeout: float = 30) -> None:
    shows = "([el, text]) => el.innerText.includes(text)"
    if holds(locator.page, shows, [locator.element_handle(), text], timeout):
        return
    pytest.fail(
        f"{what}: {text!r} did not appear within {timeout:.0f} s; shown: {locator.inner_text()[:500]!r}"
    )


def test_type_save_reopen_and_the_answer_is_there(lab_page, lab, artifacts, browser_report):
    cells = read_cells(Path(lab.root) / NOTEBOOK)
    saved = Path(lab.root) / "answers" / "03_prk_1979_1991-Sok_Dara.md"
    saved.unlink(missing_ok=True)

    page = lab_page
    try:
        open_notebook(page, lab, NOTEBOOK, "t-answers-1")
        run_all(page, cells)
        cell = _answer_cell(page)
        _type_name(cell, NAME)
        cell.locator(".widget-textarea textarea").nth(1).fill(ANSWER)
        cell.locator("button", has_text="Save my answers").click()
        _wait_for_text(cell, "Saved to", "after pressing Save")
        page.screenshot(path=str(artifacts / "answers-1-saved.png"))
    finally:
        page.evaluate(CLOSE_ALL_JS)
        lab.delete_sessions()

    assert saved.exists(), f"no answer file at {saved}"
    text = saved.read_text(encoding="utf-8")
    assert "# Answers: 03_prk_1979_1991" in text and f"Name: {NAME}" in text
    assert ANSWER in text.split("## Exercise 2:")[1].split("## Exercise 3:")[0]

    # The notebook closed, its kernel shut down, then opened again with a new kernel.
    try:
        open_notebook(page, lab, NOTEBOOK, "t-answers-2")
        run_all(page, cells)
        cell = _answer_cell(page)
        assert cell.locator(".widget-textarea textarea").nth(1).input_value() == ""
        _type_name(cell, NAME)
        box = cell.locator(".widget-textarea textarea").nth(1).element_handle()
        if not holds(page, "([box, answer]) => box.value === answer", [box, ANSWER], 30):
            pytest.fail("the saved answer did not come back after reopening the notebook")
        _wait_for_text(cell, "Loaded your saved answers", "after typing the name again")
        page.screenshot(path=str(artifacts / "answers-2-reloaded.png"))
    finally:
        page.evaluate(CLOSE_ALL_JS)
        lab.delete_sessions()
