"""Cohort.from_frames: the frames of a cohort give the cohort back, frames from elsewhere are
converted with array operations, and every wrong table, column, dtype, length or value is a
mentorcore.Error naming the table, the column and the row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorcore as mc
from conftest import build_every_event_type_course, build_full_course


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    courses = list(mc.synthetic.generate(40, seed=9, threads=1))
    courses += [build_full_course(), build_every_event_type_course()]
    return mc.Cohort.from_courses(courses)


@pytest.fixture()
def frames(cohort: mc.Cohort) -> dict[str, pd.DataFrame]:
    return {table: cohort.frame(table) for table in cohort.tables}


def test_the_frames_of_a_cohort_give_it_back(
    cohort: mc.Cohort, frames: dict[str, pd.DataFrame]
) -> None:
    for table in cohort.tables:
        assert len(frames[table]) > 0, table
    again = mc.Cohort.from_frames(frames)
    assert again == cohort
    for table in cohort.tables:
        pd.testing.assert_frame_equal(again.frame(table), frames[table])


def test_rows_in_any_order_are_grouped_by_course_keeping_their_order(
    cohort: mc.Cohort, frames: dict[str, pd.DataFrame]
) -> None:
    # Shuffle whole courses' contacts among each other, keeping each course's own order.
    contacts = frames["contacts"]
    order = np.argsort(-contacts["course"].cat.codes.to_numpy(), kind="stable")
    frames["contacts"] = contacts.iloc[order].reset_index(drop=True)
    assert mc.Cohort.from_frames(frames) == cohort


def test_tables_other_than_courses_are_optional(frames: dict[str, pd.DataFrame]) -> None:
    only = mc.Cohort.from_frames({"courses": frames["courses"], "contacts": frames["contacts"]})
    assert len(only) == len(frames["courses"])
    assert only.rows("contacts") == len(frames["contacts"])
    assert only.rows("grants") == 0
    assert list(only.frame("grants").columns) == list(frames["grants"].columns)


def _plain_frames() -> dict[str, Any]:
    """Frames as an analyst might make them, with plain strings and numpy dtypes."""
    courses = pd.DataFrame(
        {
            "course": ["A-1", "A-2"],
            "citizen": ["P-1", "P-2"],
            "municipality": np.array([101, 751], dtype=np.int64),
            "target_group": ["youth", "youth"],
            "provider": [None, "prov-1"],
            "caseworker": ["cw-1", "cw-1"],
            "mentor": ["m-1", None],
            "ordered": pd.to_datetime(["2024-01-02", "2024-02-03"]),
            "started": pd.to_datetime(["2024-01-10", None]),
            "closed": pd.to_datetime([None, None]),
            "closure_reason": [None, None],
            "phase": ["clarification", "referred"],
            "first_start": pd.to_datetime([None, None]),
            "first_start_type": [None, None],
            "first_start_end": pd.to_datetime([None, None]),
            "first_start_end_cause": [None, None],
            "status_1m": [None, None],
            "status_3m": [None, None],
            "status_6m": [None, None],
            "status_12m": [None, None],
            "days_paused": [0, 0],
            "mentor_changes": [0, 0],
            "last_event": pd.to_datetime(["2024-03-01", "2024-02-03"]),
        }
    )
    contacts = pd.DataFrame(
        {
            "course": ["A-2", "A-1", "A-1"],
            "date": pd.to_datetime(["2024-02-05", "2024-01-11", "2024-01-12"]),
            "mentor": ["m-2", "m-1", "m-1"],
            "location": ["home", "provider_office", "home"],
            "attendance": ["attended", "attended", "no_show"],
            "planned_minutes": [60, 45, 30],
            "actual_minutes": [55, 45, 0],
            "billable": [True, True, False],
        }
    )
    return {"courses": courses, "contacts": contacts}


def test_plain_frames_are_converted_and_grouped() -> None:
    made = mc.Cohort.from_frames(_plain_frames())
    assert len(made) == 2
    assert made.dictionary("course") == ["A-1", "A-2"]
    assert made.dictionary("staff") == ["cw-1", "m-1", "m-2"]
    contacts = made.frame("contacts")
    assert list(contacts["course"]) == ["A-1", "A-1", "A-2"]
    assert list(contacts["mentor"]) == ["m-1", "m-1", "m-2"]
    assert list(contacts["actual_minutes"]) == [45, 0, 55]
    assert list(contacts["billable"]) == [True, False, True]
    courses = made.frame("courses")
    assert pd.isna(courses["provider"][0])
    assert courses["provider"][1] == "prov-1"
    assert courses["ordered"][1] == pd.Timestamp("2024-02-03")
    assert pd.isna(courses["started"][1])


def _refused(frames: Any) -> mc.InvalidValueError:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.Cohort.from_frames(frames)
    return caught.value


def test_an_unknown_or_missing_table_or_column_is_named() -> None:
    frames = _plain_frames()
    assert "no such table" in str(_refused({**frames, "visits": frames["contacts"]}))
    assert "courses table is required" in str(_refused({"contacts": frames["contacts"]}))
    extra = frames["contacts"].assign(colour="red")
    error = _refused({**frames, "contacts": extra})
    assert error.field == "contacts.colour"
    assert "no such column" in str(error)
    error = _refused({**frames, "contacts": frames["contacts"].drop(columns="location")})
    assert error.field == "contacts.location"
    assert "missing" in str(error)
    assert _refused([frames["courses"]]).field == "frames"


def test_a_wrong_dtype_is_named() -> None:
    frames = _plain_frames()
    wrong = frames["contacts"].assign(date=["2024-02-05", "2024-01-11", "2024-01-12"])
    error = _refused({**frames, "contacts": wrong})
    assert error.field == "contacts.date"
    assert "expected dates" in str(error)
    floats = frames["contacts"].assign(planned_minutes=[60.0, 45.5, 30.0])
    assert _refused({**frames, "contacts": floats}).field == "contacts.planned_minutes"
    numbers = frames["contacts"].assign(location=[1, 2, 3])
    assert _refused({**frames, "contacts": numbers}).field == "contacts.location"
    timed = frames["contacts"].assign(date=pd.to_datetime(["2024-02-05 12:00", None, None]))
    assert "time of day" in str(_refused({**frames, "contacts": timed}))


def test_a_wrong_length_is_named() -> None:
    frames = _plain_frames()
    columns = {name: frames["contacts"][name].to_numpy() for name in frames["contacts"]}
    columns["billable"] = columns["billable"][:2]
    error = _refused({**frames, "contacts": columns})
    assert error.field == "contacts.billable"
    assert "2 values" in str(error)


def test_a_bad_value_is_named_with_its_row() -> None:
    frames = _plain_frames()
    bad_enum = frames["contacts"].assign(location=["home", "workplace", "moon"])
    error = _refused({**frames, "contacts": bad_enum})
    assert error.field == "contacts.location"
    assert "row 2" in str(error)
    assert "'moon'" in str(error)
    unknown = frames["contacts"].assign(course=["A-2", "A-9", "A-1"])
    error = _refused({**frames, "contacts": unknown})
    assert error.field == "contacts.course"
    assert "row 1: not a course of the courses table" in str(error)
    assert "'A-9'" in str(error)
    twice = frames["courses"].assign(course=["A-1", "A-1"])
    assert "row 1: the same course as row 0" in str(_refused({**frames, "courses": twice}))
    flag = frames["contacts"].assign(billable=[1, 2, 0])
    error = _refused({**frames, "contacts": flag})
    assert error.field == "contacts.billable"
    assert "row 1" in str(error)
    far = frames["courses"].assign(ordered=pd.to_datetime(["1850-01-01", "2024-02-03"]))
    error = _refused({**frames, "courses": far})
    assert error.field == "courses.ordered"
    assert "row 0" in str(error)


def test_a_negative_quantity_is_named_with_its_row(frames: dict[str, pd.DataFrame]) -> None:
    # No course holds negative minutes or hours; counted as they stand, -500 minutes made the
    # minutes KPI show 0.
    contacts = frames["contacts"].copy()
    contacts.loc[contacts.index[3], "actual_minutes"] = -500
    error = _refused({**frames, "contacts": contacts})
    assert error.field == "contacts.actual_minutes"
    assert "row 3: may not be negative" in str(error)
    assert error.value == "-500"
    grants = frames["grants"].copy()
    grants.loc[grants.index[1], "hours_per_week"] = -3.0
    error = _refused({**frames, "grants": grants})
    assert error.field == "grants.hours_per_week"
    assert "row 1: may not be negative" in str(error)


def test_a_contact_without_its_place_is_refused_with_its_row() -> None:
    # Found by adversarial testing: a contact without a location was accepted and counted as
    # attended but in no place, so that the publishable summary refused its own tables.
    frames = _plain_frames()
    contacts = frames["contacts"].assign(location=["home", None, "home"])
    error = _refused({**frames, "contacts": contacts})
    assert error.field == "contacts.location"
    assert "never missing" in str(error)
    # The row as given: the frame's row 1 (course A-1), though the rows are grouped by course.
    assert "row 1:" in str(error)


def test_an_unsigned_value_past_the_range_is_named_as_given(
    frames: dict[str, pd.DataFrame],
) -> None:
    # Found by adversarial testing: a uint64 column was cast to int64 before its range was
    # checked, so 2**64 - 3 was stored as -3 without an error.
    ratings = frames["ratings"].copy()
    ratings["session"] = np.full(len(ratings), 2**64 - 3, dtype=np.uint64)
    error = _refused({**frames, "ratings": ratings})
    assert error.field == "ratings.session"
    assert "row 0: outside -32768..32767" in str(error)
    assert error.value != "-3"  # the value as given (redacted: 20 digits could hide a CPR number)


def test_the_missing_marker_is_refused_where_a_column_is_never_missing(
    frames: dict[str, pd.DataFrame],
) -> None:
    # The smallest int32 is read as missing by the core: as a handover's carried items it was
    # counted as 0 items, silently.
    handovers = frames["handovers"].copy()
    handovers["carried"] = np.full(len(handovers), -(2**31), dtype=np.int64)
    error = _refused({**frames, "handovers": handovers})
    assert error.field == "handovers.carried"
    assert "row 0: outside" in str(error)


def test_a_bad_value_in_a_regrouped_table_names_the_callers_row() -> None:
    # The contacts are regrouped (A-1's rows first, the frame's row 0 last); the core's check of
    # the calendar still names the frame's row.
    frames = _plain_frames()
    contacts = frames["contacts"].assign(
        date=pd.to_datetime(["1850-02-05", "2024-01-11", "2024-01-12"])
    )
    error = _refused({**frames, "contacts": contacts})
    assert error.field == "contacts.date"
    assert "row 0:" in str(error)


def test_a_bad_code_is_refused_by_the_core(cohort: mc.Cohort) -> None:
    # A code outside its dictionary cannot come from a frame; the core's own check names it.
    arrays = dict(cohort.arrays("courses"))
    arrays["mentor"] = arrays["mentor"].copy()
    arrays["mentor"][3] = len(cohort.dictionary("staff")) + 5
    kinds = ["course", "citizen", "staff", "provider", "target_group"]
    dictionaries = {kind: cohort.dictionary(kind) for kind in kinds}
    with pytest.raises(mc.InvalidValueError) as caught:
        mc._core.cohort_from_parts(dictionaries, {"courses": arrays}, {}, {})
    assert caught.value.field == "courses.mentor"
    assert "row 3" in str(caught.value)
