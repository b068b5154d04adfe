"""Exit codes of ``python -m cambodia_russia check``: 0 clean, 1 problems found, 2 usage or
internal error (issue 13), and a broken descriptor reported in one line."""

from __future__ import annotations

import json
import subprocess
import sys

from cambodia_russia.__main__ import main
from data_helpers import DATA, VALID, copy_valid


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cambodia_russia", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_internal_error_exits_2_not_1(tmp_path, monkeypatch, capsys):
    """A crash of the checker must not look like "problems found"."""
    from cambodia_russia import schema

    def broken(folder):
        raise RuntimeError("boom \x1b[31m")

    monkeypatch.setattr(schema, "validate", broken)
    assert main(["check", str(VALID)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        "Error: the check itself failed (RuntimeError: boom \\x1b[31m). "
        "Please report this with the data folder."
    )


def test_usage_error_exits_2(capsys):
    assert main(["check", "--no-such-option"]) == 2
    assert "unrecognized arguments" in capsys.readouterr().err


def test_help_documents_the_three_exit_codes():
    for args in (["--help"], ["check", "--help"]):
        result = run(*args)
        assert result.returncode == 0
        text = " ".join(result.stdout.split())
        assert "0 the data is valid" in text or "status 0" in text, args
        assert "status 2" in text or "2 usage error" in text, args
    text = " ".join(run("--help").stdout.split())
    assert "1 problems were found" in text and "internal error" in text


def test_a_descriptor_that_crashed_the_loader_gives_one_line(tmp_path):
    folder = copy_valid(tmp_path)
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][2]["schema"]["fields"][3] = ["name", "day"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = run("check", str(folder))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'datapackage.json, row 1, column (file): got "resources[2].schema.fields[3]: expected '
        'an object, got a list"; expected a valid datapackage.json (the schema of the tables)'
    ]
    assert "Traceback" not in result.stderr
