"""python -m mentorcore."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
    # Well formed, so no usage error: the core refuses it once the command runs.
    assert main(["deadline", "2200-12-20", "100"]) == 1
    assert (
        "mentorcore: error: days = 100: counting that many working days leaves the supported "
        "calendar 1900-2200" in capsys.readouterr().err
    )


def test_bad_date_is_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore", "deadline", "2024-02-30", "3"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "not a date in the form YYYY-MM-DD: '2024-02-30'" in result.stderr


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentorcore", *args], capture_output=True, text=True
    )


def test_generate_into_an_existing_directory_fails_first_in_one_line(tmp_path: Path) -> None:
    # Issue #12: it generated every course, then failed with a traceback.
    result = _run_cli("generate", "--courses", "100000", "-o", str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mentorcore: error: path = ")
    assert "is a directory" in lines[0]
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_validate_with_deeply_nested_reference_data_is_one_line(tmp_path: Path) -> None:
    # Issue #12: 100,000 nested arrays in the reference file killed the process.
    deep = tmp_path / "deep.json"
    deep.write_text(
        '{"format":"mentorcore-reference/1","entries":' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    log = tmp_path / "log.jsonl"
    log.write_text("")
    result = _run_cli("validate", "--reference", str(deep), str(log))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "deep.json:1: nested deeper than 64 levels" in lines[0]


def test_a_closed_standard_output_is_one_line_not_a_traceback() -> None:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mentorcore", "holidays", "2024"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "mentorcore: error: standard output is closed"


@pytest.mark.parametrize("courses", ["0", "100000001", "99999999999999999999"])
def test_a_course_count_out_of_range_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], courses: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["generate", "--courses", courses, "-o", str(tmp_path / "log.jsonl")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "argument --courses: must be " in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["generate", "--courses", "5", "--seed", "-1"], "argument --seed: must be 0 or more: -1"),
        (["generate", "--courses", "5", "--seed", str(2**64)], "argument --seed: must be at most"),
        (["generate", "--courses", "5", "--threads", "5000"], "argument --threads: must be at"),
        (["generate", "--courses", "5", "--threads", "two"], "not a whole number: 'two'"),
        (["holidays", "1899"], "argument year: must be 1,900 or more: 1899"),
        (["holidays", "2300"], "argument year: must be at most 2,200: 2300"),
        (["deadline", "2024-01-08", str(2**40)], "argument days: must be at most"),
    ],
)
def test_a_number_out_of_range_is_a_usage_error_naming_the_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    # Found by adversarial testing: --seed, --threads, a year and a count of days were plain
    # ints, so that a number out of range ran the command and failed in it (exit 1) or in the
    # core, rather than as a mistake in the command line (exit 2, naming the argument).
    with pytest.raises(SystemExit) as caught:
        main([*args, "-o", str(tmp_path / "log.jsonl")] if args[0] == "generate" else args)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert named in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
