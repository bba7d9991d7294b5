"""mentorcore.Course: a course is its history."""

from __future__ import annotations

import datetime
import enum
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc
from conftest import CW, MENTOR, D, build_full_course, contact


def test_state_derives_from_events(full_course: mc.Course) -> None:
    c = full_course
    assert (c.id, c.citizen, c.municipality) == ("K-1", "P-8d2f", 101)
    assert c.phase is mc.Phase.closed
    assert c.closure_reason is mc.ClosureReason.job
    assert (c.ordered_on, c.started_on, c.closed_on) == (
        D(2024, 1, 8),
        D(2024, 1, 15),
        D(2024, 12, 2),
    )
    assert len(c.events) == 19
    assert all(isinstance(e.date, datetime.date) for e in c.events)
    assert c.events[2].type == "phase_changed" and c.events[2].to is mc.Phase.pre_employment


def test_replay_and_as_of(full_course: mc.Course) -> None:
    assert mc.Course.replay(full_course.events) == full_course
    march = full_course.as_of(D(2024, 3, 10))
    assert march.phase is mc.Phase.clarification
    assert march == mc.Course.replay(full_course.events[:12])
    assert march != full_course
    assert full_course.as_of(D(2024, 2, 25)).is_paused
    with pytest.raises(mc.InvalidValueError, match="before the course was ordered on 2024-01-08"):
        full_course.as_of(D(2024, 1, 7))


def test_enums_are_python_enums() -> None:
    for cls in (
        mc.Phase,
        mc.Location,
        mc.Attendance,
        mc.ClosureReason,
        mc.PauseReason,
        mc.StartType,
        mc.Milestone,
        mc.NonBillableReason,
        mc.ClarificationOutcome,
    ):
        assert issubclass(cls, enum.Enum)
        assert cls.__module__ == "mentorcore"
    assert mc.Phase["retention"] is mc.Phase.retention
    assert [p.name for p in mc.Phase] == [
        "referred",
        "pre_employment",
        "clarification",
        "work_trial",
        "retention",
        "closed",
    ]


def test_views(full_course: mc.Course) -> None:
    c = full_course
    assert c.phase_on(D(2024, 4, 2)) is mc.Phase.work_trial
    days = c.days_per_phase(D(2024, 12, 2))
    assert days[mc.Phase.pre_employment] == 39  # 49 days less the 10-day admission
    assert days[mc.Phase.retention] == 182
    assert [(m.milestone.name, m.date, m.derived) for m in c.milestones()] == [
        ("first_office_visit", D(2024, 2, 5), True),
        ("work_trial_start", D(2024, 4, 2), True),
        ("job_or_education_start", D(2024, 6, 3), True),
    ]
    assert c.next_report_due(D(2024, 1, 16)) == D(2024, 1, 29)
    assert c.next_report_due(D(2024, 12, 3)) == D(2024, 12, 16)
    assert c.next_report_due(D(2024, 6, 1), report_every_months=1) == D(2024, 6, 17)
    assert c.next_report_due(
        D(2024, 1, 16),
        first_report_working_days=10,
        deadlines=mc.calendar.DeadlinePolicy.public_holidays_only(),
    ) == D(2024, 1, 29)
    open_course = mc.Course.replay(c.events[:-1])
    assert [w.code for w in open_course.warnings(D(2025, 1, 20))] == [
        "retention_exceeded",
        "no_active_grant",
    ]


def test_frames(full_course: mc.Course) -> None:
    contacts = full_course.contacts_frame()
    assert list(contacts.columns) == [
        "course",
        "date",
        "mentor",
        "location",
        "attendance",
        "planned_minutes",
        "actual_minutes",
        "billable",
        "non_billable_reason",
    ]
    assert set(contacts["course"]) == {"K-1"}
    assert len(contacts) == 8
    assert contacts["date"].dtype == np.dtype("datetime64[ns]")
    assert contacts["location"].value_counts()["home"] == 3
    assert contacts.loc[contacts["attendance"] == "no_show", "non_billable_reason"].tolist() == [
        "citizen_absent"
    ]

    events = full_course.events_frame()
    assert list(events.columns[:5]) == ["course", "seq", "date", "type", "recorded_by"]
    assert len(events) == 19
    assert events.loc[events["type"] == "phase_changed", "to"].tolist() == [
        "pre_employment",
        "clarification",
        "work_trial",
        "retention",
    ]

    grants = full_course.grants_frame()
    assert grants["grant"].tolist() == ["G1", "G2"]
    assert grants.loc[0, "hours_granted"] == pytest.approx(52.0)
    assert grants.loc[0, "hours_delivered"] == pytest.approx(6.5)
    assert grants.loc[1, "predecessor"] == "G1"

    phases = full_course.phases_frame()
    assert phases["phase"].tolist() == [
        "referred",
        "pre_employment",
        "clarification",
        "work_trial",
        "retention",
        "closed",
    ]
    assert pd.isna(phases["end"].iloc[-1])

    weekly = full_course.weekly_usage_frame()
    assert weekly["hours_delivered"].sum() == pytest.approx(7.0)
    assert weekly["utilisation"].iloc[0] == pytest.approx(0.5)  # 1 of 2 hours in the first week
    assert weekly["week_start"].iloc[0] == pd.Timestamp("2024-01-15")

    attendance = full_course.attendance_frame()
    home = attendance.set_index("location").loc["home"]
    assert (home["contacts"], home["attended"], home["no_show"]) == (3, 2, 1)

    months = full_course.home_visits_frame()
    assert months.iloc[0].tolist() == ["K-1", 0, 2, 3]


def test_rejections_name_the_rule_and_leave_the_course_unchanged(full_course: mc.Course) -> None:
    before = mc.Course.replay(full_course.events)
    with pytest.raises(mc.RuleViolationError) as caught:
        contact(full_course, D(2024, 12, 3), "home")
    error = caught.value
    assert isinstance(error, ValueError)
    assert (
        error.course == "K-1" and error.event_index == 19 and error.event_type == "contact_logged"
    )
    assert error.date == "2024-12-03"
    assert "closed on 2024-12-02 (job); only reopened may follow" in error.rule
    assert str(error).startswith("course K-1, event #19 contact_logged on 2024-12-03:")
    assert full_course == before


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: c.change_phase(D(2024, 1, 20), "referred", reason="x", recorded_by=MENTOR),
            "cannot return to referred",
        ),
        (
            lambda c: c.change_phase(D(2024, 1, 20), "retention", reason="x", recorded_by=MENTOR),
            "retention needs a recorded start",
        ),
        (
            lambda c: c.change_phase(
                D(2024, 1, 1), "clarification", reason="x", recorded_by=MENTOR
            ),
            "dates out of order",
        ),
        (lambda c: c.resume(D(2024, 1, 20), recorded_by=MENTOR), "not paused"),
        (
            lambda c: c.make_grant(
                D(2024, 1, 20),
                grant="G2",
                goal="g",
                mentor=MENTOR,
                mentor_contact="c",
                tasks="t",
                hours_per_week=2,
                start=D(2024, 8, 1),
                end=D(2025, 2, 2),
                legal_basis="LAB-167",
                recorded_by=CW,
            ),
            "more than 6 months after start",
        ),
        (
            lambda c: c.make_grant(
                D(2024, 1, 20),
                grant="G2",
                goal="",
                mentor=MENTOR,
                mentor_contact="c",
                tasks="t",
                hours_per_week=2,
                start=D(2024, 8, 1),
                end=D(2025, 1, 31),
                legal_basis="LAB-167",
                recorded_by=CW,
            ),
            "goal is required",
        ),
        (
            lambda c: c.make_grant(
                D(2024, 1, 20),
                grant="G2",
                goal="g",
                mentor=MENTOR,
                mentor_contact="c",
                tasks="t",
                hours_per_week=2,
                start=D(2024, 8, 1),
                end=D(2025, 1, 31),
                legal_basis="LAB2003-78",
                recorded_by=CW,
            ),
            "not valid on 2024-08-01",
        ),
    ],
)
def test_rule_violations(call, message: str) -> None:  # type: ignore[no-untyped-def]
    c = mc.Course.replay(build_full_course().events[:4])
    before = mc.Course.replay(c.events)
    with pytest.raises(mc.RuleViolationError, match=message):
        call(c)
    assert c == before


@pytest.mark.parametrize(
    ("call", "field", "message"),
    [
        (
            lambda c: c.log_contact(
                "2024-02-01",
                mentor=MENTOR,
                location="home",
                planned_minutes=60,
                actual_minutes=60,
                recorded_by=MENTOR,
            ),
            "date",
            "expected a datetime.date, got str",
        ),
        (
            lambda c: c.log_contact(
                D(2024, 2, 1),
                mentor=MENTOR,
                location="garden",
                planned_minutes=60,
                actual_minutes=60,
                recorded_by=MENTOR,
            ),
            "location",
            "unknown value",
        ),
        (
            lambda c: c.log_contact(
                D(2024, 2, 1),
                mentor=MENTOR,
                location="home",
                planned_minutes=60.5,
                actual_minutes=60,
                recorded_by=MENTOR,
            ),
            "planned_minutes",
            "expected an integer",
        ),
        (
            lambda c: c.log_contact(
                D(2024, 2, 1),
                mentor=MENTOR,
                location="home",
                planned_minutes=60,
                actual_minutes=60,
                billable="yes",
                recorded_by=MENTOR,
            ),
            "billable",
            "True or False",
        ),
        (
            lambda c: c.log_contact(
                D(2024, 2, 1),
                mentor="Anne Hansen",
                location="home",
                planned_minutes=60,
                actual_minutes=60,
                recorded_by=MENTOR,
            ),
            "mentor",
            "identifiers use only",
        ),
        (
            lambda c: c.change_phase(
                D(2024, 2, 1), mc.Location.home, reason="x", recorded_by=MENTOR
            ),
            "to",
            "expected a phase",
        ),
        (lambda c: c.append("contact"), "event", "expected an Event"),
    ],
)
def test_bad_input_names_the_field(call, field: str, message: str) -> None:  # type: ignore[no-untyped-def]
    c = mc.Course.replay(build_full_course().events[:4])
    before = mc.Course.replay(c.events)
    with pytest.raises(mc.InvalidValueError) as caught:
        call(c)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert c == before


def test_a_cpr_number_is_refused_as_citizen_key_and_never_echoed() -> None:
    for cpr in ("0101901234", "010190-1234"):
        with pytest.raises(mc.InvalidValueError) as caught:
            mc.Course.order(
                D(2024, 1, 8),
                recorded_by=CW,
                course="K-9",
                citizen=cpr,
                municipality=101,
                target_group="sygedagpenge",
                caseworker=CW,
            )
        assert "1234" not in str(caught.value)
        assert "CPR" in str(caught.value)


def test_events_round_trip_through_dicts_and_pickle(full_course: mc.Course) -> None:
    for event in full_course.events:
        assert mc.Event.from_dict(event.to_dict()) == event
        assert pickle.loads(pickle.dumps(event)) == event
    restored = pickle.loads(pickle.dumps(full_course))
    assert restored == full_course
    assert restored.days_per_phase(D(2024, 12, 2)) == full_course.days_per_phase(D(2024, 12, 2))


def test_pickle_keeps_custom_reference_data() -> None:
    local = mc.ReferenceData.from_json(
        '{"format": "mentorcore-reference/1", '
        '"entries": [{"kind": "target_group", "code": "lokal", '
        '"label": "Lokal målgruppe", "valid_from": "2024-01-01", "valid_to": null}]}',
        "local.json",
    )
    reference = mc.ReferenceData.builtin().extended(local)
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-2",
        citizen="P-2",
        municipality=101,
        target_group="lokal",
        caseworker=CW,
        reference=reference,
    )
    restored = pickle.loads(pickle.dumps(c))
    assert restored == c
    assert restored.reference.is_valid("target_group", "lokal", D(2024, 6, 1))
    with pytest.raises(mc.RuleViolationError, match="not a known target_group"):
        mc.Course.replay(c.events)  # the built-in set does not know the local code


def test_bad_pickle_state_is_an_error() -> None:
    course = mc.Course.__new__(mc.Course)
    with pytest.raises(mc.InvalidValueError, match="not a pickled Course of format version 1"):
        course.__setstate__((99, [], None))


def test_event_construction_errors() -> None:
    with pytest.raises(mc.InvalidValueError, match="unknown event type"):
        mc.Event("contact", D(2024, 1, 1), MENTOR)
    with pytest.raises(mc.InvalidValueError, match="not a field of resumed"):
        mc.Event("resumed", D(2024, 1, 1), MENTOR, reason="x")
    with pytest.raises(mc.InvalidValueError, match="required field of paused"):
        mc.Event("paused", D(2024, 1, 1), MENTOR)
    with pytest.raises(AttributeError):
        _ = mc.Event("resumed", D(2024, 1, 1), MENTOR).reason
    assert set(mc.event_types()) >= {"course_ordered", "contact_logged", "closed", "reopened"}


# ---- property test: random event streams --------------------------------------------------------

_PHASES = [p.name for p in mc.Phase]
_LOCATIONS = [loc.name for loc in mc.Location]
_ATTENDANCE = [a.name for a in mc.Attendance]

step = st.tuples(st.integers(-3, 9), st.integers(0, 8), st.integers(0, 8), st.integers(0, 5))


def _random_action(c: mc.Course, kind: int, day: datetime.date, a: int, b: int) -> None:
    """Records action `kind` on `day`: 0-6 a phase, pause, closure, start or grant event, anything
    higher a contact. `a` and `b` pick the details."""
    match kind:
        case 0:
            c.change_phase(day, _PHASES[a % 6], reason="r", recorded_by=MENTOR)
        case 1:
            c.pause(day, "illness", recorded_by=MENTOR)
        case 2:
            c.resume(day, recorded_by=MENTOR)
        case 3:
            c.close(day, "moved", recorded_by=CW)
        case 4:
            c.reopen(day, reason="back", recorded_by=CW)
        case 5:
            c.record_start(
                day,
                start_type="education",
                employer_or_institution="VUC",
                hours_per_week=20,
                recorded_by=MENTOR,
            )
        case 6:
            c.make_grant(
                day,
                grant=f"G{a}",
                goal="g",
                mentor=MENTOR,
                mentor_contact="c",
                tasks="t",
                hours_per_week=1.5,
                start=day,
                end=mc.calendar.add_months(day, b),
                legal_basis="LAB-167",
                recorded_by=CW,
            )
        case _:
            attended = _ATTENDANCE[b] == "attended"
            c.log_contact(
                day,
                mentor=MENTOR,
                location=_LOCATIONS[a],
                attendance=_ATTENDANCE[b],
                planned_minutes=45,
                actual_minutes=45 if attended else 0,
                billable=attended,
                non_billable_reason=None if attended else "citizen_absent",
                recorded_by=MENTOR,
            )


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(step, min_size=1, max_size=40))
def test_random_streams_accepted_replay_equal_rejected_change_nothing(
    steps: list[tuple[int, int, int, int]],
) -> None:
    c = mc.Course.order(
        D(2024, 1, 1),
        recorded_by=CW,
        course="K-P",
        citizen="P-P",
        municipality=101,
        target_group="sygedagpenge",
        caseworker=CW,
    )
    day = D(2024, 1, 1)
    for shift, kind, a, b in steps:
        day += datetime.timedelta(days=shift)
        before = mc.Course.replay(c.events)
        try:
            _random_action(c, kind, day, a, b)
        except mc.RuleViolationError:
            assert c == before
            assert c.phase == before.phase
    replayed = mc.Course.replay(c.events)
    assert replayed == c
    assert replayed.days_per_phase(day) == c.days_per_phase(day)
    assert pickle.loads(pickle.dumps(c)) == c


def test_pauses_frame(full_course: mc.Course) -> None:
    pauses = full_course.pauses_frame()
    assert pauses["reason"].tolist() == ["admission"]
    assert pauses["start"].tolist() == [pd.Timestamp("2024-02-20")]
    assert pauses["end"].tolist() == [pd.Timestamp("2024-03-01")]
    open_pause = full_course.as_of(D(2024, 2, 25)).pauses_frame()
    assert pd.isna(open_pause["end"].iloc[0])


def test_phase_rules_and_locations_from_python() -> None:
    assert mc.phase_change_allowed("referred", mc.Phase.retention)
    assert not mc.phase_change_allowed("clarification", "referred")
    assert not mc.phase_change_allowed(mc.Phase.closed, "clarification")
    assert mc.in_person("home") and not mc.in_person(mc.Location.phone)
    with pytest.raises(mc.InvalidValueError, match='from = "nowhere"'):
        mc.phase_change_allowed("nowhere", "retention")


def test_reference_data_frame_and_extension() -> None:
    frame = mc.reference_data_frame()
    assert set(frame["kind"]) == {"legal_basis", "target_group", "assessment_category"}
    lab = frame[frame["code"] == "LAB-167"].iloc[0]
    assert lab["valid_from"] == pd.Timestamp("2020-01-01") and pd.isna(lab["valid_to"])
    assert lab["max_grant_months"] == 6
    builtin = mc.ReferenceData.builtin()
    assert mc.ReferenceData.from_json(builtin.to_json()) == builtin
    with pytest.raises(mc.ParseError) as caught:
        mc.ReferenceData.from_json(
            '{"format": "mentorcore-reference/1", "entries": [\n'
            '  {"kind": "legal_basis", "code": "X", "label": "x", "valid_from": "2024-13-01"}]}',
            "local.json",
        )
    assert (caught.value.source, caught.value.line, caught.value.field) == (
        "local.json",
        2,
        "entries[0].valid_from",
    )
    with pytest.raises(mc.ParseError, match="cannot open"):
        mc.ReferenceData.from_json_file("/nonexistent.json")
