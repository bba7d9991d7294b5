"""mentorcore.to_ocel and to_xes: read back with pm4py, a process model discovered, and no free
text or CPR number in either; plus `python -m mentorcore export`."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import pytest

import mentorcore as mc
from exports_helpers import free_texts, has_cpr_number, municipality, strings
from mentorcore.cli import main


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return municipality(60, seed=12)


@pytest.fixture(scope="module")
def written(
    courses: list[mc.Course], tmp_path_factory: pytest.TempPathFactory
) -> tuple[pathlib.Path, pathlib.Path]:
    folder = tmp_path_factory.mktemp("pm")
    mc.to_ocel(courses, folder / "log.jsonocel")
    mc.to_xes(iter(courses), folder / "log.xes")
    return folder / "log.jsonocel", folder / "log.xes"


def test_pm4py_reads_the_ocel_log(
    courses: list[mc.Course], written: tuple[pathlib.Path, pathlib.Path]
) -> None:
    pm4py = pytest.importorskip("pm4py")
    ocel = pm4py.read_ocel2_json(str(written[0]))
    assert len(ocel.events) == sum(len(c.events) for c in courses)
    kinds = set(ocel.objects["ocel:type"])
    assert kinds == {"course", "grant", "contact", "handover", "goal"}
    assert set(ocel.events["ocel:activity"]) == {e.type for c in courses for e in c.events}
    contacts = sum(len(c.contacts_frame()) for c in courses)
    assert (ocel.objects["ocel:type"] == "contact").sum() == contacts


def test_pm4py_reads_the_xes_log_and_discovers_a_model(
    courses: list[mc.Course], written: tuple[pathlib.Path, pathlib.Path]
) -> None:
    pm4py = pytest.importorskip("pm4py")
    with warnings.catch_warnings():
        # pm4py suggests an optional faster reader; its own XML reader is the one tested.
        warnings.filterwarnings("ignore", "Install the optional requirement", UserWarning)
        log = pm4py.read_xes(str(written[1]), show_progress_bar=False)
    assert log["case:concept:name"].nunique() == len(courses)
    assert len(log) == sum(len(c.events) for c in courses)
    # One trace per course, its events in the course's order.
    every = courses[-1]
    trace = log[log["case:concept:name"] == every.id]
    assert list(trace["concept:name"]) == [e.type for e in every.events]
    assert trace["time:timestamp"].is_monotonic_increasing
    net, initial, final = pm4py.discover_petri_net_inductive(log)
    labels = {t.label for t in net.transitions if t.label}
    assert {"course_ordered", "phase_changed", "contact_logged", "closed"} <= labels
    assert initial and final


def test_no_free_text_and_no_cpr_number_in_either(
    courses: list[mc.Course], written: tuple[pathlib.Path, pathlib.Path]
) -> None:
    texts = free_texts(courses)
    citizens = {c.citizen for c in courses}
    ocel_text = written[0].read_text(encoding="utf-8")
    values = set(strings(json.loads(ocel_text)))
    assert not values & texts
    assert not values & citizens
    root = ET.parse(written[1]).getroot()
    xes_values = {e.get("value") for e in root.iter() if e.get("value") is not None}
    assert not xes_values & texts
    assert not xes_values & citizens
    for raw in (ocel_text, written[1].read_text(encoding="utf-8")):
        assert not has_cpr_number(raw)
        assert not [t for t in texts if len(t) >= 12 and t in raw]


def test_inputs_a_course_an_event_log_but_not_a_cohort(
    courses: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    log = tmp_path / "log.jsonl"
    mc.write_events(courses[:5], log)
    mc.to_xes(log, tmp_path / "a.xes")
    mc.to_xes(courses[:5], tmp_path / "b.xes")
    assert (tmp_path / "a.xes").read_bytes() == (tmp_path / "b.xes").read_bytes()
    mc.to_ocel(courses[0], tmp_path / "one.json")
    assert len(json.loads((tmp_path / "one.json").read_text())["events"]) == len(courses[0].events)
    with pytest.raises(mc.Error, match="Cohort"):
        mc.to_ocel(mc.Cohort.from_courses(courses[:5]), tmp_path / "c.json")
    # A bad item half way leaves no file behind (and no temporary one).
    with pytest.raises(mc.Error, match="Course"):
        mc.to_xes([courses[0], "K-1"], tmp_path / "d.xes")
    with pytest.raises(mc.Error, match="Course"):
        mc.to_ocel([courses[0], "K-1"], tmp_path / "d.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xes", "b.xes", "log.jsonl", "one.json"]


def test_the_export_command(
    courses: list[mc.Course], tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.jsonl"
    mc.write_events(courses[:8], log)
    assert main(["export", "--fhir", str(log), "-o", str(tmp_path / "fhir")]) == 0
    written = sorted(p.name for p in (tmp_path / "fhir").iterdir())
    assert written == sorted(f"{c.id}.json" for c in courses[:8])
    bundle = json.loads((tmp_path / "fhir" / f"{courses[0].id}.json").read_text())
    assert bundle == mc.to_fhir(courses[0])
    assert "8 FHIR bundles" in capsys.readouterr().out
    assert main(["export", "--ocel", str(log), "-o", str(tmp_path / "log.json")]) == 0
    assert main(["export", "--xes", str(log), "-o", str(tmp_path / "log.xes")]) == 0
    assert (tmp_path / "log.xes").read_bytes().startswith(b"<?xml")
    assert main(["export", "--xes", str(tmp_path / "missing.jsonl"), "-o", "x.xes"]) == 1


@pytest.mark.parametrize("write", [mc.to_ocel, mc.to_xes])
def test_a_path_that_cannot_be_written_is_a_mentorcore_error_naming_it_redacted(
    courses: list[mc.Course], tmp_path: pathlib.Path, write: Any
) -> None:
    # Found by adversarial testing: FileNotFoundError and IsADirectoryError escaped, and their
    # messages repeated a CPR-shaped file name.
    missing_folder = tmp_path / "missing" / "010190-1234.x"
    with pytest.raises(mc.InvalidValueError, match="cannot be written") as raised:
        write(courses[:2], missing_folder)
    assert raised.value.field == "path"
    assert not has_cpr_number(str(raised.value))
    with pytest.raises(mc.InvalidValueError, match="is a directory") as raised:
        write(courses[:2], tmp_path)
    assert raised.value.field == "path"
    with pytest.raises(mc.InvalidValueError, match="path = None"):
        write(courses[:2], None)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("form", ["--fhir", "--ocel", "--xes"])
def test_the_export_command_reports_an_unwritable_output_in_one_line(
    courses: list[mc.Course], tmp_path: pathlib.Path, form: str
) -> None:
    log = tmp_path / "log.jsonl"
    mc.write_events(courses[:2], log)
    if form == "--fhir":
        # It writes into a directory, created if missing: a file, or a path through one, fails.
        a_file = tmp_path / "010190-1234.x"
        a_file.write_text("")
        targets = [a_file, a_file / "fhir"]
    else:
        targets = [tmp_path / "missing" / "010190-1234.x", tmp_path]
    for target in targets:
        result = subprocess.run(
            [sys.executable, "-m", "mentorcore", "export", form, str(log), "-o", str(target)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("mentorcore: error: path = ")
        assert not has_cpr_number(result.stderr)
    # Nothing was written: only the log and the file made above are there.
    made = {"log.jsonl", "010190-1234.x"} if form == "--fhir" else {"log.jsonl"}
    assert {p.name for p in tmp_path.iterdir()} == made
