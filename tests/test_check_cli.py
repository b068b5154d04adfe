"""``python -m cambodia_russia check [DIR]`` and ``--help``."""

from __future__ import annotations

import json
import subprocess
import sys

from cambodia_russia.__main__ import main
from data_helpers import DATA, VALID, copy_valid, set_cell

TABLES = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def _valid_rows() -> int:
    """Data rows in the fixture folder, counted with the csv module (not the checker)."""
    import csv

    total = 0
    for path in VALID.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            total += sum(1 for _ in csv.DictReader(handle))
    return total


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cambodia_russia", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_valid_folder_prints_ok_and_exits_0():
    result = run("check", str(VALID))
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"OK: {len(TABLES)} tables, {_valid_rows()} rows checked in {VALID}\n"


def test_problems_print_one_line_each_and_exit_1(tmp_path):
    folder = copy_valid(tmp_path)
    set_cell("events", 4, "month", "13")(folder)
    set_cell("glossary", 3, "definition", "=1+1")(folder)
    result = run("check", str(folder))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'events.csv, row 4, column month: got "13"; expected a month number from 1 to 12',
        'glossary.csv, row 3, column definition: got "=1+1"; expected text that does not '
        'start with "=" (spreadsheets would run it as a formula)',
    ]
    assert result.stderr.strip() == f"2 problems in {folder}"


def test_missing_folder_exits_2_with_a_clear_message(tmp_path):
    result = run("check", str(tmp_path / "no_such_folder"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"Error: the data folder {tmp_path / 'no_such_folder'} does not exist."
    )


def test_file_instead_of_folder_exits_2(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_help_explains_the_check():
    result = run("--help")
    assert result.returncode == 0
    assert "python -m cambodia_russia check" in result.stdout
    assert "CSV UTF-8" in result.stdout
    sub = run("check", "--help")
    assert sub.returncode == 0
    assert "DIR" in sub.stdout and "exits with" in sub.stdout and "status 1" in sub.stdout


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "check" in capsys.readouterr().err


def test_default_folder_comes_from_the_environment(tmp_path, monkeypatch, capsys):
    folder = copy_valid(tmp_path)
    monkeypatch.setenv("CAMBODIA_RUSSIA_DATA", str(folder))
    assert main(["check"]) == 0
    assert capsys.readouterr().out == (
        f"OK: {len(TABLES)} tables, {_valid_rows()} rows checked in {folder}\n"
    )


def test_in_process_problem_exit(tmp_path, capsys):
    folder = copy_valid(tmp_path)
    (folder / "quiz.csv").unlink()
    assert main(["check", str(folder)]) == 1
    assert capsys.readouterr().out == (
        'quiz.csv, row 1, column (file): got ""; expected a file named quiz.csv in the data '
        "folder\n"
    )


def test_shipped_data_passes_the_command():
    result = run("check")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(f"OK: {len(TABLES)} tables, ")
