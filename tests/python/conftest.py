"""Shared builders for the Python tests."""

from __future__ import annotations

import datetime

import pytest

import mentorcore as mc

D = datetime.date
CW = "cw-17"
MENTOR = "mentor-4"


def contact(
    course: mc.Course,
    day: datetime.date,
    location: str,
    attendance: str = "attended",
    minutes: int = 60,
) -> None:
    attended = attendance == "attended"
    course.log_contact(
        day,
        mentor=MENTOR,
        location=location,
        attendance=attendance,
        planned_minutes=60,
        actual_minutes=minutes if attended else 0,
        billable=attended,
        non_billable_reason=None if attended else "citizen_absent",
        recorded_by=MENTOR,
    )


def build_full_course(*, provider: str | None = "provider-7") -> mc.Course:
    """Ordered 8 Jan 2024, through every phase, closed 2 Dec 2024
    (the same history as the C++ tests). The second grant, G2, names its `provider`;
    ``provider=None`` gives the history as version 0.1.0 built it, before grants named one."""
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-1",
        citizen="P-8d2f",
        municipality=101,
        target_group="kontanthjaelp_aktivitetsparat",
        assessment_category="aktivitetsparat",
        caseworker=CW,
    )
    grant = dict(
        goal="Stabil hverdag og afklaring af jobmål",
        mentor=MENTOR,
        mentor_contact="mentor-4 via udbyderen",
        tasks="Ugentlige samtaler",
        legal_basis="LAB-167",
        recorded_by=CW,
    )
    c.make_grant(
        D(2024, 1, 10),
        grant="G1",
        hours_per_week=2.0,
        start=D(2024, 1, 15),
        end=D(2024, 7, 14),
        **grant,
    )
    c.change_phase(
        D(2024, 1, 15), "pre_employment", reason="first meeting at home", recorded_by=MENTOR
    )
    contact(c, D(2024, 1, 15), "home")
    contact(c, D(2024, 1, 22), "home")
    contact(c, D(2024, 1, 29), "home", "no_show")
    contact(c, D(2024, 2, 5), "provider_office")
    contact(c, D(2024, 2, 19), "provider_office")
    c.pause(D(2024, 2, 20), "admission", recorded_by=MENTOR)
    c.resume(D(2024, 3, 1), recorded_by=MENTOR)
    c.change_phase(
        D(2024, 3, 4), mc.Phase.clarification, reason="ready to look at work", recorded_by=MENTOR
    )
    contact(c, D(2024, 3, 4), "provider_office", minutes=90)
    c.change_phase(D(2024, 4, 2), "work_trial", reason="work trial at a bakery", recorded_by=MENTOR)
    contact(c, D(2024, 4, 8), "workplace")
    c.record_start(
        D(2024, 6, 3),
        start_type="ordinary_job",
        employer_or_institution="Bageriet A/S",
        hours_per_week=25,
        recorded_by=MENTOR,
    )
    c.change_phase(D(2024, 6, 3), "retention", reason="hired 25 hours a week", recorded_by=MENTOR)
    c.make_grant(
        D(2024, 7, 1),
        grant="G2",
        hours_per_week=1.0,
        start=D(2024, 7, 15),
        end=D(2025, 1, 14),
        predecessor="G1",
        provider=provider,
        **grant,
    )
    contact(c, D(2024, 7, 16), "workplace", minutes=30)
    c.close(D(2024, 12, 2), "job", recorded_by=CW)
    return c


@pytest.fixture
def full_course() -> mc.Course:
    return build_full_course()


def scales_reference() -> mc.ReferenceData:
    outcome = mc.Instrument(
        "outcome", items=[(0, 10)] * 4, cutoffs={"adult": 25}, reliable_change=5
    )
    return mc.ReferenceData.builtin().with_instruments([outcome])


def build_every_event_type_course(course_id: str = "K-ALL", *, schema: int = 2) -> mc.Course:
    """A course using every event type (the full course plus motivation, goals, knowledge, consent
    and handovers, and after its closure the end of a start and a status), with optional fields
    both set and unset (the same history as the C++ tests). ``schema=1`` gives the course of
    mentorcore/1 as version 0.1.0 built it: no provider, no start_ended or status_recorded."""
    base = build_full_course(provider="provider-7" if schema >= 2 else None)
    c = mc.Course.replay([e for e in base.events if e.type != "closed"], scales_reference())
    if course_id != "K-1":
        first = c.events[0].to_dict()
        first["course"] = course_id
        c = mc.Course.replay([mc.Event.from_dict(first), *c.events[1:]], scales_reference())
    day = D(2024, 8, 1)
    c.assess_stage(
        day,
        "looks_for_work",
        "action",
        method="ruler",
        assessor=MENTOR,
        score=12.25,
        importance=9,
        confidence=6.5,
        ruler_min=1,
        recorded_by=MENTOR,
    )
    c.count_talk(day, desire=1, ability=2, sustain=3, recorded_by=MENTOR)
    c.record_rating(day, "outcome", [1.5, 2, 3, 4], age_band="adult", recorded_by=MENTOR)
    c.record_rating(day, "outcome", [5, 5, 5, 5], rated_by="mentor", recorded_by=MENTOR)
    c.set_goal(day, "g1", 'Fast "rigtigt" arbejde\nmed æ, ø og å', recorded_by=MENTOR)
    c.plan_step(day, "s1", "g1", "Ring", due=D(2024, 8, 9), recorded_by=MENTOR)
    c.complete_step(day, "s1", "citizen_with_support", recorded_by=MENTOR)
    c.update_goal(day, "g1", "active", text="Arbejde 25 timer", recorded_by=MENTOR)
    c.log_success(day, "Mødte op alene", recorded_by=MENTOR)
    c.record_knowledge(
        day,
        "k1",
        "fear",
        "Angst",
        data_category="health",
        sharing_basis="consent",
        basis_reference="C-1",
        recorded_by=MENTOR,
    )
    c.record_knowledge(
        day,
        "k2",
        "music",
        "Guitar",
        data_category="ordinary",
        sharing_basis="necessary_for_task",
        recorded_by=MENTOR,
    )
    c.revise_knowledge(
        day, "k1", text="Angst i butikker", data_category="confidential", recorded_by=MENTOR
    )
    c.give_consent(
        day,
        "C-1",
        purposes=["continuity"],
        data_categories=["ordinary", "confidential"],
        valid_from=day,
        valid_to=D(2025, 8, 1),
        recipient_role="mentor",
        recorded_by=CW,
    )
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
        summary_note="Note",
        knowledge_items=["k1", "k2"],
        actions=[
            {"task": "Ring", "owner": "mentor-9", "due": D(2024, 8, 5)},
            {"task": "Skriv", "owner": "citizen"},
        ],
        contingencies=[{"if": "udebliver", "then": "ring"}],
        commitments=["Tirsdage"],
        open_appointments=[{"date": D(2024, 8, 12), "what": "Læge"}],
        recorded_by=MENTOR,
    )
    c.acknowledge_handover(D(2024, 8, 2), "H1", "Modtaget", recorded_by="mentor-9")
    second = dict(
        sender="mentor-9",
        sender_role="mentor",
        receiver=MENTOR,
        receiver_role="mentor",
        handover_type="unplanned",
        planned=False,
        purpose="continuity",
        severity="stable",
        recorded_by="mentor-9",
    )
    c.make_handover(D(2024, 8, 3), "H2", **second)
    c.reject_handover(D(2024, 8, 3), "H2", "Nej", recorded_by=MENTOR)
    c.make_handover(D(2024, 8, 4), "H3", **second)
    c.revoke_handover(D(2024, 8, 4), "H3", "Fortrudt", recorded_by="mentor-9")
    c.withdraw_consent(D(2024, 8, 5), "C-1", recorded_by=CW)
    c.retire_knowledge(D(2024, 8, 6), "k2", "Ikke længere", recorded_by=MENTOR)
    c.record_milestone(D(2024, 8, 7), "first_own_appointment_alone", recorded_by=MENTOR)
    c.conclude_clarification(D(2024, 8, 8), "flex_job", note="fleksjob", recorded_by=MENTOR)
    c.close(D(2024, 12, 2), "job", recorded_by=CW)
    if schema >= 2:
        c.end_start(D(2024, 12, 5), "quit", note="sagde op", recorded_by=MENTOR)
        c.record_status(D(2024, 12, 6), "on_benefit", source="register", recorded_by=CW)
    c.reopen(D(2024, 12, 10), reason="job ended", recorded_by=CW)
    if schema >= 2:
        c.record_start(
            D(2024, 12, 16),
            start_type="education",
            employer_or_institution="Bageriet A/S",
            hours_per_week=25,
            recorded_by=MENTOR,
        )
        c.end_start(D(2025, 1, 10), mc.StartEndCause.education_dropped, recorded_by=MENTOR)
    return c
