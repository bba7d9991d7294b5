"""Shared builders for the Python tests."""

from __future__ import annotations

import datetime

import pytest

import mentorcore as mc

D = datetime.date
CW = "cw-17"
MENTOR = "mentor-4"


def contact(course: mc.Course, day: datetime.date, location: str, attendance: str = "attended", minutes: int = 60) -> None:
    attended = attendance == "attended"
    course.log_contact(
        day, mentor=MENTOR, location=location, attendance=attendance, planned_minutes=60,
        actual_minutes=minutes if attended else 0, billable=attended,
        non_billable_reason=None if attended else "citizen_absent", recorded_by=MENTOR,
    )


def build_full_course() -> mc.Course:
    """Ordered 8 Jan 2024, through every phase, closed 2 Dec 2024 (the same history as the C++ tests)."""
    c = mc.Course.order(
        D(2024, 1, 8), recorded_by=CW, course="K-1", citizen="P-8d2f", municipality=101,
        target_group="kontanthjaelp_aktivitetsparat", assessment_category="aktivitetsparat", caseworker=CW,
    )
    grant = dict(goal="Stabil hverdag og afklaring af jobmål", mentor=MENTOR, mentor_contact="mentor-4 via udbyderen",
                 tasks="Ugentlige samtaler", legal_basis="LAB-167", recorded_by=CW)
    c.make_grant(D(2024, 1, 10), grant="G1", hours_per_week=2.0, start=D(2024, 1, 15), end=D(2024, 7, 14), **grant)
    c.change_phase(D(2024, 1, 15), "pre_employment", reason="first meeting at home", recorded_by=MENTOR)
    contact(c, D(2024, 1, 15), "home")
    contact(c, D(2024, 1, 22), "home")
    contact(c, D(2024, 1, 29), "home", "no_show")
    contact(c, D(2024, 2, 5), "provider_office")
    contact(c, D(2024, 2, 19), "provider_office")
    c.pause(D(2024, 2, 20), "admission", recorded_by=MENTOR)
    c.resume(D(2024, 3, 1), recorded_by=MENTOR)
    c.change_phase(D(2024, 3, 4), mc.Phase.clarification, reason="ready to look at work", recorded_by=MENTOR)
    contact(c, D(2024, 3, 4), "provider_office", minutes=90)
    c.change_phase(D(2024, 4, 2), "work_trial", reason="work trial at a bakery", recorded_by=MENTOR)
    contact(c, D(2024, 4, 8), "workplace")
    c.record_start(D(2024, 6, 3), start_type="ordinary_job", employer_or_institution="Bageriet A/S",
                   hours_per_week=25, recorded_by=MENTOR)
    c.change_phase(D(2024, 6, 3), "retention", reason="hired 25 hours a week", recorded_by=MENTOR)
    c.make_grant(D(2024, 7, 1), grant="G2", hours_per_week=1.0, start=D(2024, 7, 15), end=D(2025, 1, 14),
                 predecessor="G1", **grant)
    contact(c, D(2024, 7, 16), "workplace", minutes=30)
    c.close(D(2024, 12, 2), "job", recorded_by=CW)
    return c


@pytest.fixture
def full_course() -> mc.Course:
    return build_full_course()
