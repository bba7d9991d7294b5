"""python -m mentorcore."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mentorcore.__main__ import main


def test_calendar_prints_holidays_and_the_worked_deadline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calendar", "--today", "2026-11-22"]) == 0
    out = capsys.readouterr().out
    assert "Public holidays in the coming year (2026-11-22 to 2027-11-21)" in out
    assert "Fri 2026-12-25  Juledag" in out
    assert "Thu 2027-05-06  Kristi himmelfartsdag" in out
    assert "Thu 2026-12-24  closed: Juleaftensdag" in out
    assert "Sat 2026-12-26  closed: 2. juledag" in out
    assert "=> due Thu 2027-01-07" in out
    assert "may run at most until Fri 2027-06-18" in out


def test_holidays_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["holidays", "2023"]) == 0
    out = capsys.readouterr().out
    assert "Fri 2023-05-05  Store bededag" in out
    assert out.count("\n") == 12


def test_deadline_command_backwards(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "2027-01-07", "-10"]) == 0
    assert "=> due Fri 2026-12-18" in capsys.readouterr().out


def test_bad_input_exits_1_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["holidays", "2300"]) == 1
    assert (
        "mentorcore: error: year = 2300: outside the supported calendar 1900-2200"
        in capsys.readouterr().err
    )


def test_bad_date_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore", "deadline", "2024-02-30", "3"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "not a date in the form YYYY-MM-DD: '2024-02-30'" in result.stderr
