"""python -m mentorcore journal import|export|show|audit."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

import mentorcore as mc
from mentorcore.__main__ import build_parser, main

CPR = "010190-1234"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("log") / "municipality.jsonl"
    mc.write_events(mc.synthetic.generate(12, seed=3, threads=1), path)
    return path


def test_import_show_export_and_audit(
    log: pathlib.Path, tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = str(tmp_path / "courses.journal")
    assert main(["journal", "import", journal, str(log), "--synthetic"]) == 0
    assert "12 courses" in capsys.readouterr().out
    first = mc.read_events(log)[0]

    access = ["--actor", "cw-17", "--purpose", "handover to new mentor"]
    assert main(["journal", "show", journal, first.id, *access]) == 0
    shown = capsys.readouterr().out
    assert f"Course {first.id} (citizen {first.citizen}" in shown
    assert f"{len(first.events)} events:" in shown
    assert "course_ordered" in shown

    day = first.ordered_on.isoformat()
    assert main(["journal", "show", journal, first.id, "--as-of", day, *access]) == 0
    assert f"As of {day}:" in capsys.readouterr().out

    out = tmp_path / "out.jsonl"
    assert main(["journal", "export", journal, "-o", str(out), *access]) == 0
    assert "12 courses written" in capsys.readouterr().out
    assert out.read_bytes() == log.read_bytes()

    assert main(["journal", "audit", journal]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "sequence\tat\tactor\taction\tcourses\tpurpose"
    rows = [line.split("\t") for line in lines[1:]]
    assert [row[3] for row in rows] == ["read_course", "read_course_as_of", "export_log"]
    assert all(row[2] == "cw-17" and row[5] == "handover to new mentor" for row in rows)
    assert rows[0][4] == first.id
    assert day in rows[1][4]
    assert main(["journal", "audit", journal, "--action", "export_log"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["journal", "audit", journal, "--since", "2200-01-01"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_reads_need_an_actor_and_a_purpose(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    journal = str(tmp_path / "courses.journal")
    for command in (
        ["show", journal, "C-0000001", "--actor", "cw-17"],
        ["export", journal, "-o", str(tmp_path / "x.jsonl"), "--purpose", "why"],
    ):
        with pytest.raises(SystemExit) as usage:
            main(["journal", *command])
        assert usage.value.code == 2
    assert not (tmp_path / "courses.journal").exists()


def test_faults_are_one_line_without_a_cpr(
    tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / CPR
    folder.mkdir()
    not_a_journal = folder / "notes.txt"
    not_a_journal.write_text("hello\n" * 50)
    assert main(["journal", "audit", str(not_a_journal)]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mentorcore: error: ")
    assert "not a mentorcore journal" in lines[0]
    assert "1234" not in err

    missing = folder / "missing.journal"
    show = ["journal", "show", str(missing), "K-1", "--actor", "cw-17", "--purpose", "why"]
    assert main(show) == 1
    err = capsys.readouterr().err
    assert err.startswith("mentorcore: error: ") and "1234" not in err
    assert not missing.exists()


def test_the_command_runs_as_a_module(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    journal = tmp_path / "j"
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore", "journal", "import", str(journal), str(log)],
        capture_output=True,
        text=True,
    )
    # The synthetic log declares rating scales that a journal with the built-in reference
    # data lacks: one line, exit 1, nothing stored.
    assert result.returncode == 1
    assert result.stderr.startswith("mentorcore: error: ")
    assert "reference data" in result.stderr and "Traceback" not in result.stderr
    with mc.Journal(journal, create=False) as opened:
        assert len(opened) == 0


def test_help_lists_the_journal_command() -> None:
    assert "journal" in build_parser().format_help()
