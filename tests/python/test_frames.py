"""Every per-course frame and handovers_frame share one set of dtypes and carry the course id."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

import mentorcore as mc
from conftest import build_every_event_type_course

FRAMES = [
    "consents_frame",
    "assessments_frame",
    "ratings_frame",
    "talk_frame",
    "goals_frame",
    "steps_frame",
    "empowerment_frame",
    "knowledge_frame",
    "events_frame",
    "contacts_frame",
    "phases_frame",
    "pauses_frame",
    "grants_frame",
    "weekly_usage_frame",
    "attendance_frame",
    "home_visits_frame",
    "starts_frame",
    "statuses_frame",
]

DATES = {
    "date",
    "valid_from",
    "valid_to",
    "given_on",
    "withdrawn_on",
    "set_on",
    "status_changed_on",
    "planned_on",
    "due",
    "done_on",
    "recorded_on",
    "revised_on",
    "retired_on",
    "start",
    "end",
    "week_start",
    "settled_on",
    "counted_to",
    "closed_on",
}
ENUMS = {
    "recipient_role",
    "form",
    "stage",
    "method",
    "rated_by",
    "status",
    "done_by",
    "data_category",
    "sharing_basis",
    "type",
    "location",
    "attendance",
    "non_billable_reason",
    "phase",
    "reason",
    "sender_role",
    "receiver_role",
    "handover_type",
    "severity",
    "state",
    "start_type",
    "cause",
    "source",
}


def _check_dtypes(frame: pd.DataFrame, enums: set[str] = ENUMS) -> None:
    for name, dtype in frame.dtypes.items():
        if name in DATES:
            assert dtype == "datetime64[ns]", name
        elif name in enums and not (name == "reason" and "phase" in frame.columns):
            assert isinstance(dtype, pd.CategoricalDtype), name
        elif pd.api.types.is_integer_dtype(dtype):
            assert str(dtype) in {"int64", "Int64"}, name


@pytest.mark.parametrize("name", FRAMES)
def test_per_course_frames_carry_the_course_id_and_share_dtypes(name: str) -> None:
    course = build_every_event_type_course()
    frame = getattr(course, name)()
    assert len(frame) > 0, name
    assert frame.columns[0] == "course" and set(frame["course"]) == {"K-ALL"}
    # The events frame has one column per field name, whatever the event type: its enums are names.
    _check_dtypes(frame, {"type"} if name == "events_frame" else ENUMS)


def test_handovers_frame_has_the_same_dtypes() -> None:
    frame = mc.handovers_frame(
        [build_every_event_type_course("K-A"), build_every_event_type_course("K-B")]
    )
    assert list(frame["course"]) == ["K-A"] * 3 + ["K-B"] * 3
    _check_dtypes(frame)
    assert str(frame["days_to_first_contact"].dtype) == "Int64"
    assert frame["date"].dtype == build_every_event_type_course().contacts_frame()["date"].dtype


def test_frames_of_many_courses_concatenate_without_changing_dtypes() -> None:
    courses = mc.synthetic.generate(20, seed=5)
    frames = [c.contacts_frame() for c in courses]
    combined = pd.concat(frames, ignore_index=True)
    assert combined["date"].dtype == "datetime64[ns]"
    assert isinstance(combined["location"].dtype, pd.CategoricalDtype)
    assert combined["course"].nunique() == 20


def test_missing_values_are_typed_missing_values() -> None:
    course = build_every_event_type_course()
    ratings = course.ratings_frame()
    assert str(ratings["below_cutoff"].dtype) == "boolean"
    assert (
        pd.isna(ratings["change_from_baseline"].iloc[0])
        and ratings["change_from_baseline"].dtype == "float64"
    )
    assert str(ratings["reliably_improved"].dtype) == "boolean" and pd.isna(
        ratings["reliably_improved"].iloc[0]
    )
    assert pd.isna(course.phases_frame()["end"].iloc[-1])
    steps = course.steps_frame()
    assert steps["due"].iloc[0] == pd.Timestamp(datetime.date(2024, 8, 9))


def test_frame_arguments_are_checked(full_course: mc.Course) -> None:
    # Issue #12: these escaped as TypeError from the binding layer.
    with pytest.raises(mc.InvalidValueError) as caught:
        full_course.ratings_frame("\ud800")
    assert caught.value.field == "instrument"
    with pytest.raises(mc.InvalidValueError) as caught:
        full_course.knowledge_frame(include_retired="yes")  # type: ignore[arg-type]
    assert caught.value.field == "include_retired"
