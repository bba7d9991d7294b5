"""mentorcore.Course: a course is its history."""

from __future__ import annotations

import datetime
import enum
import pickle
from collections.abc import Callable, Iterator
from typing import Any

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
    assert (
        "closed on 2024-12-02 (job); only reopened, start_ended and status_recorded may follow"
        in error.rule
    )
    assert str(error).startswith("course K-1, event #19 contact_logged on 2024-12-03:")
    assert full_course == before


def _second_grant(**changes: Any) -> Callable[[mc.Course], Any]:
    """A call that makes grant G2 of a started course, valid but for `changes`."""
    arguments: dict[str, Any] = {
        "grant": "G2",
        "goal": "g",
        "mentor": MENTOR,
        "mentor_contact": "c",
        "tasks": "t",
        "hours_per_week": 2,
        "start": D(2024, 8, 1),
        "end": D(2025, 1, 31),
        "legal_basis": "LAB-167",
        "recorded_by": CW,
    }
    arguments.update(changes)
    return lambda c: c.make_grant(D(2024, 1, 20), **arguments)


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
            _second_grant(end=D(2025, 2, 2)),
            "more than 6 months after start",
        ),
        (
            _second_grant(goal=""),
            "goal is required",
        ),
        (
            _second_grant(legal_basis="LAB2003-78"),
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


# ---- issue #12: no crash and only mentorcore.Error from any argument ---------------------------


class _IndexRaises:
    """An object whose __index__ raises: the binding used to use the NULL result and crash."""

    def __index__(self) -> int:
        raise RuntimeError("no index")


class _FloatRaises:
    def __float__(self) -> float:
        raise RuntimeError("no float")


# Each killed the process with SIGSEGV (numpy arrays, a raising __index__) or escaped as a
# RuntimeError / OverflowError (2**64) before issue #12.
BAD_INTEGERS = {
    "numpy 1-d array": np.array([60, 30]),
    "numpy 0-d float array": np.array(60.5),
    "__index__ raises": _IndexRaises(),
    "2**64": 2**64,
    "-(2**64)": -(2**64),
    "2**100000": 2**100000,  # its repr is refused by Python (int max str digits)
}


def _started_course() -> mc.Course:
    return mc.Course.replay(build_full_course().events[:4])


def _integer_calls() -> dict[str, tuple[object, str]]:
    day = D(2024, 2, 1)
    return {
        "log_contact": (
            lambda c, bad: c.log_contact(
                day,
                mentor=MENTOR,
                location="home",
                planned_minutes=bad,
                actual_minutes=60,
                recorded_by=MENTOR,
            ),
            "planned_minutes",
        ),
        "Course.order": (
            lambda c, bad: mc.Course.order(
                D(2024, 1, 8),
                recorded_by=CW,
                course="K-9",
                citizen="P-9",
                municipality=bad,
                target_group="sygedagpenge",
                caseworker=CW,
            ),
            "municipality",
        ),
        "count_talk": (lambda c, bad: c.count_talk(day, desire=bad, recorded_by=MENTOR), "desire"),
        "assess_stage": (
            lambda c, bad: c.assess_stage(
                day,
                "looks_for_work",
                "action",
                method="ruler",
                assessor=MENTOR,
                recorded_by=MENTOR,
                ruler_min=bad,
            ),
            "ruler_min",
        ),
        "Event": (
            lambda c, bad: mc.Event(
                "talk_counted",
                day,
                MENTOR,
                desire=bad,
                ability=0,
                reasons=0,
                need=0,
                commitment=0,
                activation=0,
                taking_steps=0,
                sustain=0,
            ),
            "desire",
        ),
        "next_report_due": (
            lambda c, bad: c.next_report_due(day, first_report_working_days=bad),
            "first_report_working_days",
        ),
        "alerts": (
            lambda c, bad: c.alerts(day, no_contact_working_days=bad),
            "no_contact_working_days",
        ),
    }


@pytest.mark.parametrize("bad", list(BAD_INTEGERS.values()), ids=list(BAD_INTEGERS))
@pytest.mark.parametrize("where", list(_integer_calls()))
def test_a_bad_integer_is_an_error_naming_the_argument(where: str, bad: object) -> None:
    call, field = _integer_calls()[where]
    c = _started_course()
    before = mc.Course.replay(c.events)
    with pytest.raises(mc.InvalidValueError) as caught:
        call(c, bad)  # type: ignore[operator]
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field} = ")
    if isinstance(bad, int):
        assert isinstance(caught.value, mc.OutOfRangeError)
    assert c == before


def test_integers_that_are_integers_still_work() -> None:
    c = _started_course()
    c.count_talk(D(2024, 2, 1), desire=np.int64(2), ability=np.array(3), recorded_by=MENTOR)
    assert (c.events[-1].desire, c.events[-1].ability) == (2, 3)


@pytest.mark.parametrize(
    "bad", [np.array([1.0, 2.0]), _FloatRaises(), 10**400], ids=["array", "raises", "10**400"]
)
def test_a_bad_number_is_an_error_naming_the_argument(bad: object) -> None:
    c = _started_course()
    with pytest.raises(mc.InvalidValueError) as caught:
        c.record_start(
            D(2024, 2, 1),
            start_type="ordinary_job",
            employer_or_institution="Bageriet",
            hours_per_week=bad,  # type: ignore[arg-type]
            recorded_by=MENTOR,
        )
    assert caught.value.field == "hours_per_week"


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("mentor", {"mentor": "mentor-\ud800"}),
        ("recorded_by", {"recorded_by": "m\udcff"}),
        ("location", {"location": "home\ud800"}),
    ],
)
def test_a_lone_surrogate_is_an_error_naming_the_argument(
    field: str, kwargs: dict[str, str]
) -> None:
    c = _started_course()
    arguments: dict[str, object] = dict(
        mentor=MENTOR, location="home", planned_minutes=60, actual_minutes=60, recorded_by=MENTOR
    )
    arguments.update(kwargs)
    with pytest.raises(mc.InvalidValueError) as caught:
        c.log_contact(D(2024, 2, 1), **arguments)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert "lone surrogate" in str(caught.value)


def test_a_lone_surrogate_in_free_text_and_ids() -> None:
    c = _started_course()
    with pytest.raises(mc.InvalidValueError) as caught:
        c.change_phase(D(2024, 2, 1), "clarification", reason="\ud83d", recorded_by=MENTOR)
    assert caught.value.field == "reason"
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.Course.order(
            D(2024, 1, 8),
            recorded_by=CW,
            course="K-\ud800",
            citizen="P-9",
            municipality=101,
            target_group="sygedagpenge",
            caseworker=CW,
        )
    assert caught.value.field == "course"


def test_none_where_a_list_is_expected() -> None:
    c = _started_course()
    day = D(2024, 2, 1)
    with pytest.raises(mc.InvalidValueError) as caught:
        c.give_consent(
            day,
            "C-1",
            purposes=None,  # type: ignore[arg-type]
            data_categories=["ordinary"],
            valid_from=day,
            recipient_role="mentor",
            recorded_by=CW,
        )
    assert caught.value.field == "purposes"
    with pytest.raises(mc.InvalidValueError) as caught:
        c.make_handover(
            day,
            "H1",
            sender=MENTOR,
            sender_role="mentor",
            receiver="mentor-9",
            receiver_role="mentor",
            handover_type="warm",
            purpose="continuity",
            severity="watch",
            recorded_by=MENTOR,
            knowledge_items=None,  # type: ignore[arg-type]
        )
    assert caught.value.field == "knowledge_items"

    def failing() -> Iterator[str]:
        yield "continuity"
        raise RuntimeError("the generator fails")

    with pytest.raises(mc.InvalidValueError) as caught:
        c.give_consent(
            day,
            "C-1",
            purposes=failing(),  # type: ignore[arg-type]
            data_categories=["ordinary"],
            valid_from=day,
            recipient_role="mentor",
            recorded_by=CW,
        )
    assert caught.value.field == "purposes"
    # Generators and tuples are lists too.
    c.give_consent(
        day,
        "C-1",
        purposes=(p for p in ["continuity"]),
        data_categories=("ordinary",),
        valid_from=day,
        recipient_role="mentor",
        recorded_by=CW,
    )
    assert c.events[-1].purposes == ["continuity"]


def test_an_object_whose_repr_raises_is_still_described() -> None:
    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    with pytest.raises(mc.InvalidValueError, match="<Unprintable object>"):
        _started_course().count_talk(D(2024, 2, 1), desire=Unprintable(), recorded_by=MENTOR)


def _ordered() -> dict[str, object]:
    return dict(_started_course().events[0].to_dict())


# Hand-made Course pickle states (issue #12: one with a raising __index__ crashed the process,
# others escaped as TypeError).
BAD_COURSE_STATES = {
    "None": None,
    "list, not tuple": [1, [], None],
    "version 2**64": (2**64, [], None),
    "version True": (True, [], None),
    "version is an array": (np.array([1, 1]), [], None),
    "events None": (1, None, None),
    "events not dicts": (1, [1, 2], None),
    "events a generator": (1, (e for e in [_ordered()]), None),
    "no events": (1, [], None),
    "event without a date": (1, [{"type": "course_ordered", "recorded_by": CW}], None),
    "raising __index__": (1, [dict(_ordered(), municipality=_IndexRaises())], None),
    "numpy array": (1, [dict(_ordered(), retention_min_months=np.array([3, 4]))], None),
    "2**64": (1, [dict(_ordered(), retention_max_months=2**64)], None),
    "surrogate": (1, [dict(_ordered(), course="K-\ud800")], None),
    "surrogate key": (1, [dict(_ordered(), **{"\ud800": 1})], None),
    "int key": (1, [{**_ordered(), 5: 1}], None),
    "reference not text": (1, [_ordered()], 5),
    "reference not JSON": (1, [_ordered()], "{"),
    "reference a surrogate": (1, [_ordered()], "\ud800"),
}


@pytest.mark.parametrize("state", list(BAD_COURSE_STATES.values()), ids=list(BAD_COURSE_STATES))
def test_a_malformed_course_pickle_state_is_an_error(state: object) -> None:
    course = mc.Course.__new__(mc.Course)
    with pytest.raises(mc.Error):
        course.__setstate__(state)


@pytest.mark.parametrize(
    "state",
    [None, [1, {}], (2**64, {}), (1, None), (1, {"type": "resumed"}), (1, {5: 1}), (1,)],
    ids=repr,
)
def test_a_malformed_event_pickle_state_is_an_error(state: object) -> None:
    with pytest.raises(mc.Error):
        mc.Event.__new__(mc.Event).__setstate__(state)  # type: ignore[misc]


def test_event_from_dict_wants_a_dict() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.Event.from_dict([("type", "resumed")])  # type: ignore[arg-type]
    assert caught.value.field == "data"


def test_an_iterable_that_raises_is_an_error_naming_the_argument() -> None:
    events = _started_course().events

    def failing(items: list[object]) -> Iterator[object]:
        yield from items
        raise RuntimeError("the iterator fails")

    with pytest.raises(mc.InvalidValueError) as caught:
        mc.Course.replay(failing(events))  # type: ignore[arg-type]
    assert caught.value.field == "events"
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.handovers_frame(failing([_started_course()]))
    assert caught.value.field == "courses"
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.ReferenceData.builtin().with_instruments(failing([]))
    assert caught.value.field == "instruments"
