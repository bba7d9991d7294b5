"""Writes a realistic event log for the benchmarks: copies of a course with every phase, a grant
extension, a pause, 60 contacts, stage assessments, goals, knowledge, consent and a handover,
under distinct course and citizen ids. Every line is a valid event of a valid history.

    python benchmarks/make_event_log.py OUT.jsonl MEGABYTES
"""

from __future__ import annotations

import datetime
import io
import sys

import mentorcore as mc

D = datetime.date
CW, M = "cw-17", "mentor-4"


def template() -> mc.Course:
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-TEMPLATE",
        citizen="P-TEMPLATE",
        municipality=101,
        target_group="kontanthjaelp_aktivitetsparat",
        assessment_category="aktivitetsparat",
        caseworker=CW,
    )
    c.make_grant(
        D(2024, 1, 10),
        recorded_by=CW,
        grant="G1",
        goal="Stabil hverdag og afklaring af jobmål",
        mentor=M,
        mentor_contact="via udbyderens hovednummer",
        tasks="Ugentlige samtaler, følge til aftaler",
        hours_per_week=2,
        start=D(2024, 1, 15),
        end=D(2024, 7, 14),
        legal_basis="LAB-167",
    )
    c.change_phase(D(2024, 1, 15), "pre_employment", reason="første møde i hjemmet", recorded_by=M)
    c.assess_stage(
        D(2024, 1, 15),
        "looks_for_work",
        "contemplation",
        method="ruler",
        assessor=M,
        importance=7,
        confidence=4,
        recorded_by=M,
    )
    c.set_goal(D(2024, 1, 15), "g1", "Jeg vil have et arbejde med dyr", recorded_by=M)
    c.record_knowledge(
        D(2024, 1, 15),
        "k1",
        "resource",
        "God til at tegne",
        data_category="ordinary",
        sharing_basis="consent",
        basis_reference="C-1",
        recorded_by=M,
    )
    c.give_consent(
        D(2024, 1, 16),
        "C-1",
        purposes=["continuity"],
        data_categories=["ordinary", "health"],
        valid_from=D(2024, 1, 16),
        recipient_role="mentor",
        recorded_by=CW,
    )
    day = D(2024, 1, 17)
    for week in range(60):
        location = "home" if week < 15 else ("provider_office" if week < 40 else "workplace")
        attended = week % 9 != 4
        c.log_contact(
            day,
            mentor=M,
            location=location,
            attendance="attended" if attended else "no_show",
            planned_minutes=60,
            actual_minutes=55 if attended else 0,
            billable=attended,
            non_billable_reason=None if attended else "citizen_absent",
            recorded_by=M,
        )
        if week == 20:
            c.change_phase(day, "clarification", reason="klar til at se på arbejde", recorded_by=M)
        if week == 30:
            c.change_phase(day, "work_trial", reason="praktik i dyrehandel", recorded_by=M)
        day += datetime.timedelta(days=3)
    c.make_handover(
        day,
        "H1",
        sender=M,
        sender_role="mentor",
        receiver="mentor-9",
        receiver_role="mentor",
        handover_type="warm",
        purpose="continuity",
        severity="stable",
        knowledge_items=["k1"],
        actions=[{"task": "Ring til praktikstedet", "owner": "mentor-9"}],
        recorded_by=M,
    )
    c.acknowledge_handover(day, "H1", "Modtaget", recorded_by="mentor-9")
    c.record_start(
        day,
        start_type="ordinary_job",
        employer_or_institution="Dyrehandlen ApS",
        hours_per_week=25,
        recorded_by=M,
    )
    c.change_phase(day, "retention", reason="ansat 25 timer", recorded_by=M)
    c.close(day + datetime.timedelta(days=120), "job", recorded_by=CW)
    return c


def main(out: str, megabytes: float) -> None:
    buffer = io.BytesIO()
    mc.write_events([template()], buffer)
    lines = buffer.getvalue()
    target = int(megabytes * 1_000_000)
    written = 0
    with open(out, "wb") as file:
        number = 0
        while written < target:
            copy = lines.replace(b'"course":"K-TEMPLATE"', b'"course":"K-%07d"' % number)
            copy = copy.replace(b'"citizen":"P-TEMPLATE"', b'"citizen":"P-%07d"' % number)
            file.write(copy)
            written += len(copy)
            number += 1
    events = number * lines.count(b"\n")
    print(f"{out}: {written / 1e6:.1f} MB, {number} courses, {events} events")


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
