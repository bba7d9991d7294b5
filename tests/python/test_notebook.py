"""Notebook manners: every result type has a mechanical __repr__, a readable __str__ and a
_repr_html_, checked against golden files (tests/python/golden/notebook/).

To accept a deliberate change of a rendering, run this file with MENTORCORE_UPDATE_GOLDEN=1 and
review the diff of the golden files.
"""

from __future__ import annotations

import datetime
import io
import os
import pathlib
from collections.abc import Callable
from typing import Any

import pytest

import mentorcore as mc
from conftest import build_every_event_type_course, build_full_course, scales_reference

D = datetime.date
GOLDEN = pathlib.Path(__file__).parent / "golden" / "notebook"
UPDATE = os.environ.get("MENTORCORE_UPDATE_GOLDEN") == "1"


def _trajectory() -> mc.StageTrajectory:
    course = mc.Course.replay(build_full_course().events[:3])
    for day, stage in (
        (D(2024, 1, 15), "contemplation"),
        (D(2024, 2, 1), "action"),
        (D(2024, 3, 1), "preparation"),
    ):
        course.assess_stage(
            day,
            "looks_for_work",
            stage,
            method="clinical_judgement",
            assessor="mentor-4",
            recorded_by="mentor-4",
        )
    return course.stage_trajectories()[0]


def _read_result() -> mc.ReadResult:
    buffer = io.BytesIO()
    mc.write_events(build_every_event_type_course(), buffer)
    data = buffer.getvalue() + b'{"schema": "mentorcore/1", "type": "resumed", "course": "K-9"}\n'
    return mc.read_events(io.BytesIO(data), reference=scales_reference(), on_error="collect")


OBJECTS: dict[str, Callable[[], Any]] = {
    "course": build_full_course,
    "course_list": lambda: mc.synthetic.generate(25, seed=3),
    "read_result": _read_result,
    "rejected_line": lambda: _read_result().rejected[0],
    "milestone_reached": lambda: build_every_event_type_course().milestones()[0],
    "course_warning": lambda: build_full_course().as_of(D(2024, 1, 20)).warnings(D(2024, 9, 1))[0],
    "course_alert": lambda: build_every_event_type_course().alerts(D(2024, 12, 1))[0],
    "stage_trajectory": _trajectory,
    "urica_result": lambda: mc.urica_score([3] * 32),
    "knowledge_item": lambda: build_every_event_type_course().handovers[0].carried[0],
    "handover": lambda: build_every_event_type_course().handovers[0],
    "log_summary": lambda: mc.synthetic.LogSummary(3, 120, 4567),
    "event": lambda: build_every_event_type_course().events[-16],
    "reference_data": scales_reference,
    "instrument": lambda: scales_reference().instruments[0],
    "holiday": lambda: mc.calendar.holidays(2024)[3],
    "deadline_policy": lambda: mc.calendar.DeadlinePolicy(
        christmas_eve_closed=False, closing_days=[D(2024, 5, 10)]
    ),
    "iso_week": lambda: mc.calendar.iso_week(D(2024, 12, 30)),
}


def _check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")
    assert text == path.read_text(encoding="utf-8").rstrip("\n")


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_repr_str_and_html_match_the_golden_files(name: str) -> None:
    value = OBJECTS[name]()
    _check(f"{name}_repr.txt", repr(value))
    _check(f"{name}_str.txt", str(value))
    _check(f"{name}.html", value._repr_html_())


@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_the_three_faces_differ_and_name_the_type(name: str) -> None:
    value = OBJECTS[name]()
    assert str(value) != repr(value)
    assert value._repr_html_().startswith("<")


def test_a_read_result_of_50_courses_prints_a_short_summary() -> None:
    buffer = io.BytesIO()
    mc.write_events(mc.synthetic.generate(50, seed=4), buffer)
    result = mc.read_events(
        io.BytesIO(buffer.getvalue()), reference=mc.synthetic.reference(), on_error="collect"
    )
    assert len(result.courses) == 50
    assert len(repr(result)) < 200
    assert repr(result).startswith("ReadResult(courses=CourseList(50 courses: C-0000001, ")
    assert str(result).count("\n") < 30  # a table of 20 courses, then how many more
    assert "... 30 more" in str(result)


def test_a_list_of_courses_is_short_and_still_a_list() -> None:
    courses = mc.synthetic.generate(1000, seed=1)
    assert isinstance(courses, list) and len(courses) == 1000
    assert (
        repr(courses)
        == "CourseList(1,000 courses: C-0000001, C-0000002, C-0000003, ... (1,000 in all))"
    )
    assert len(str(courses).splitlines()) == 1 + 1 + 20 + 1
    assert courses[:2] == [courses[0], courses[1]]


def test_stage_trajectory_keeps_tuple_access_and_labels_its_transitions() -> None:
    trajectory = _trajectory()
    behaviour, current, *_ = trajectory
    assert (behaviour, current) == ("looks_for_work", mc.Stage.preparation)
    frame = trajectory.transitions_frame()
    assert frame.loc["contemplation", "action"] == 1 and frame.loc["action", "preparation"] == 1
    assert list(frame.index) == [s.name for s in mc.Stage] == list(frame.columns)


def test_records_keep_tuple_access() -> None:
    milestone = build_every_event_type_course().milestones()[0]
    which, day, derived = milestone
    assert (which, day, derived) == (milestone.milestone, milestone.date, milestone.derived)
    alert = build_every_event_type_course().alerts(D(2024, 12, 1))[0]
    assert alert[0] == alert.code and len(alert) == 4
