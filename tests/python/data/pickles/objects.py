"""The objects the pickles in this folder hold, built with the public API only.

``make_pickles.py`` wrote each ``v<version>-<name>.pkl`` from ``objects()`` with the code of
that version; ``test_pickles.py`` loads every file with today's code and compares it with a
freshly built ``objects()[name]``. Never rewrite an old file: add the next version's beside it.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import mentorcore as mc
from conftest import build_every_event_type_course, build_full_course, scales_reference

D = datetime.date


def _log_with_a_bad_line(course: mc.Course) -> bytes:
    buffer = io.BytesIO()
    mc.write_events(course, buffer)
    # The log as version 0.1.0 wrote it, without the header line that declares the rating
    # scales (read with reference= instead), so the line numbers are those of the pickles.
    text = buffer.getvalue()
    if text.startswith(b'{"schema":"mentorcore/2","type":"header"'):
        text = text.split(b"\n", 1)[1]
    # One line that cannot be read, so the ReadResult also carries a RejectedLine.
    return text + b'{"schema": "mentorcore/1", "type": "resumed", "course": "K-9"}\n'


def objects() -> dict[str, Any]:
    """name: object, for every kind of object a user may pickle."""
    # The courses as version 0.1.0 built them (mentorcore/1: no provider, no end of a start or
    # status after closure), which its pickles hold; the newer events have objects of their own.
    every = build_every_event_type_course(schema=1)
    full = build_full_course(provider=None)
    every_2 = build_every_event_type_course()
    reference = scales_reference()
    stage_course = mc.Course.replay(full.events[:3])
    for day, stage in (
        (D(2024, 1, 15), "contemplation"),
        (D(2024, 2, 1), "action"),
        (D(2024, 3, 1), "preparation"),
    ):
        stage_course.assess_stage(
            day,
            "looks_for_work",
            stage,
            method="clinical_judgement",
            assessor="mentor-4",
            recorded_by="mentor-4",
        )
    return {
        "course_full": full,
        "course_every_event_type": every,
        "course_paused_as_of": full.as_of(D(2024, 2, 25)),
        "course_every_event_type_2": every_2,
        # Observed after its last event: pickled with its observation date (format 2).
        "course_observed_as_of": every_2.as_of(D(2025, 3, 1)),
        "courses_list": [full, every],
        "events": list(every.events),
        "instrument": reference.instruments[0],
        "reference_data": reference,
        "enums": [
            mc.Phase.work_trial,
            mc.PauseReason.admission,
            mc.StartType.flex_job,
            mc.ClarificationOutcome.pension,
            mc.ClosureReason.grant_expired,
            mc.Milestone.work_trial_start,
            mc.Location.escort_to_appointment,
            mc.Attendance.rescheduled,
            mc.NonBillableReason.admin,
            mc.ReferenceKind.target_group,
            mc.Stage.maintenance,
            mc.AssessmentMethod.ruler,
            mc.Rater.mentor,
            mc.GoalStatus.achieved,
            mc.StepDoer.citizen_with_support,
            mc.DataCategory.health,
            mc.SharingBasis.consent,
            *list(mc.AlertRule)[:1],
            mc.Aggregation.sum,
            mc.PartyRole.mentor,
            mc.HandoverType.warm,
            mc.Severity.watch,
            mc.ConsentForm.written,
            mc.HandoverState.acknowledged,
            mc.HandoverSection.actions,
            *list(mc.calendar.HolidayKind)[:1],
        ],
        "enums_2": [
            mc.StartEndCause.trial_period_failed,
            mc.FollowupStatus.self_supporting,
            mc.StatusSource.citizen_contact,
            mc.Outcome.subsidised_job,
        ],
        "course_warnings": full.as_of(D(2024, 1, 20)).warnings(D(2024, 9, 1)),
        "milestones": every.milestones(),
        "alerts": every.alerts(D(2024, 12, 1)),
        "stage_trajectories": stage_course.stage_trajectories(),
        "handovers": every.handovers,
        "knowledge_items": every.handovers[0].carried,
        "urica": mc.urica_score([3] * 32),
        "read_result": mc.read_events(
            io.BytesIO(_log_with_a_bad_line(every)), reference=reference, on_error="collect"
        ),
        "deadline_policy": mc.calendar.DeadlinePolicy(
            christmas_eve_closed=False, closing_days=[D(2024, 5, 10)]
        ),
        "iso_week": mc.calendar.iso_week(D(2024, 12, 30)),
        "holidays": mc.calendar.holidays(2024),
        "log_summary": mc.synthetic.LogSummary(3, 120, 4567),
    }
