"""mentorcore.handover: consent-gated handovers and their measures."""

from __future__ import annotations

import datetime
import pickle

import pandas as pd
import pytest

import mentorcore as mc
from conftest import CW, MENTOR, D

NEXT = "mentor-9"


def handover_kwargs(**overrides: object) -> dict[str, object]:
    kwargs: dict[str, object] = dict(
        sender=MENTOR,
        sender_role="mentor",
        receiver=NEXT,
        receiver_role="mentor",
        handover_type="warm",
        purpose="continuity",
        severity="watch",
        recorded_by=MENTOR,
        actions=[{"task": "Ring til arbejdsgiveren", "owner": NEXT, "due": D(2024, 2, 6)}],
        contingencies=[
            {"if": "to udeblivelser", "then": "hjemmebesøg og besked til sagsbehandleren"}
        ],
        commitments=["Vi mødes på kontoret om tirsdagen"],
        open_appointments=[{"date": D(2024, 2, 10), "what": "Lægebesøg"}],
    )
    kwargs.update(overrides)
    return kwargs


@pytest.fixture
def course() -> mc.Course:
    reference = mc.ReferenceData.builtin().with_instruments(
        [mc.Instrument("session", items=[(0, 10)] * 4)]
    )
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-5",
        citizen="P-5",
        municipality=101,
        target_group="sygedagpenge",
        caseworker=CW,
        reference=reference,
    )
    c.change_phase(D(2024, 1, 15), "pre_employment", reason="start", recorded_by=MENTOR)
    items = [
        ("k-ord", "resource", "ordinary", "consent"),
        ("k-health", "fear", "health", "consent"),
        ("k-crim", "network_contact", "criminal", "law"),
        ("k-conf", "thought_pattern", "confidential", "consent"),
    ]
    for item, category, data, basis in items:
        c.record_knowledge(
            D(2024, 1, 15),
            item,
            category,
            f"om {item}",
            data_category=data,
            sharing_basis=basis,
            basis_reference="C-1" if basis == "consent" else "LAB § 10",
            recorded_by=MENTOR,
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
    c.record_rating(D(2024, 1, 20), "session", [9, 9, 9, 9], recorded_by=MENTOR)
    return c


def test_carried_withheld_dropped(course: mc.Course) -> None:
    course.make_handover(
        D(2024, 2, 1), "H1", knowledge_items=["k-ord", "k-health", "k-conf"], **handover_kwargs()
    )
    (h,) = course.handovers
    assert h.state is mc.HandoverState.made
    assert [i.item for i in h.carried] == ["k-ord", "k-health"]
    assert [i.item for i in h.withheld] == ["k-conf"]
    assert [i.item for i in h.dropped] == ["k-crim"]
    assert h.withheld_by_category == {"confidential": 1}
    assert h.completeness == pytest.approx(5 / 6)  # no read-back yet
    assert h.completeness_for(["actions", mc.HandoverSection.commitments]) == 1.0
    assert course.responsible == (CW, mc.PartyRole.caseworker)


def test_acknowledgement_moves_responsibility_and_counts_a_mentor_change(course: mc.Course) -> None:
    course.make_handover(D(2024, 2, 1), "H1", knowledge_items=["k-ord"], **handover_kwargs())
    course.acknowledge_handover(D(2024, 2, 2), "H1", "Jeg ringer fredag", recorded_by=NEXT)
    (h,) = course.handovers
    assert h.state is mc.HandoverState.acknowledged and h.settled_on == D(2024, 2, 2)
    assert h.completeness == 1.0
    assert course.responsible == (NEXT, mc.PartyRole.mentor)
    assert course.mentor_changes == 1


def test_consent_edge_cases(course: mc.Course) -> None:
    # Withdrawn on the day of the second handover: the first keeps what it carried, the second
    # withholds.
    course.make_handover(D(2024, 2, 1), "H1", knowledge_items=["k-health"], **handover_kwargs())
    course.acknowledge_handover(D(2024, 2, 2), "H1", "ok", recorded_by=NEXT)
    course.withdraw_consent(D(2024, 3, 1), "C-1", recorded_by=CW)
    course.make_handover(
        D(2024, 3, 1),
        "H2",
        knowledge_items=["k-health"],
        **handover_kwargs(sender=NEXT, receiver="mentor-12", recorded_by=NEXT),
    )
    first, second = course.handovers
    assert [i.item for i in first.carried] == ["k-health"]
    assert [i.item for i in second.withheld] == ["k-health"]
    frame = course.consents_frame()
    assert frame.loc[0, "withdrawn_on"] == pd.Timestamp("2024-03-01")


def test_a_consent_starting_on_the_handover_date_covers_it() -> None:
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-6",
        citizen="P-6",
        municipality=101,
        target_group="sygedagpenge",
        caseworker=CW,
    )
    c.record_knowledge(
        D(2024, 1, 15),
        "k",
        "fear",
        "x",
        data_category="health",
        sharing_basis="consent",
        basis_reference="C-9",
        recorded_by=MENTOR,
    )
    c.make_handover(
        D(2024, 2, 1), "H0", knowledge_items=["k"], **handover_kwargs()
    )  # no consent: art. 9 withheld
    assert [i.item for i in c.handovers[0].withheld] == ["k"]
    c.revoke_handover(D(2024, 2, 1), "H0", "wait for consent", recorded_by=MENTOR)
    c.give_consent(
        D(2024, 2, 1),
        "C-9",
        purposes=["continuity"],
        data_categories=["health"],
        valid_from=D(2024, 2, 1),
        recipient=NEXT,
        recorded_by=CW,
    )
    c.make_handover(D(2024, 2, 1), "H1", knowledge_items=["k"], **handover_kwargs())
    assert [i.item for i in c.handovers[1].carried] == ["k"]
    assert c.handovers[0].state is mc.HandoverState.revoked


def test_one_open_handover_and_who_settles_it(course: mc.Course) -> None:
    course.make_handover(D(2024, 2, 1), "H1", **handover_kwargs())
    before = mc.Course.replay(course.events, course.reference)
    with pytest.raises(mc.RuleViolationError, match="H1 made on 2024-02-01 is still open"):
        course.make_handover(D(2024, 2, 2), "H2", **handover_kwargs())
    with pytest.raises(mc.RuleViolationError, match="but the receiver is mentor-9"):
        course.acknowledge_handover(D(2024, 2, 2), "H1", "ok", recorded_by=MENTOR)
    assert course == before
    course.reject_handover(D(2024, 2, 3), "H1", "Ingen tid", recorded_by=NEXT)
    assert course.handovers[0].state is mc.HandoverState.rejected
    with pytest.raises(mc.InvalidValueError) as caught:
        course.make_handover(D(2024, 2, 4), "H2", **handover_kwargs(contingencies=[{"if": "x"}]))
    assert caught.value.field == "contingencies[0].then"
    with pytest.raises(mc.InvalidValueError, match="handover_type"):
        course.make_handover(D(2024, 2, 4), "H2", **handover_kwargs(handover_type="hot"))


def test_measures_after_the_handover(course: mc.Course) -> None:
    course.make_handover(D(2024, 2, 1), "H1", **handover_kwargs())
    course.log_contact(
        D(2024, 2, 5),
        mentor=NEXT,
        location="home",
        attendance="no_show",
        planned_minutes=60,
        actual_minutes=0,
        billable=False,
        non_billable_reason="citizen_absent",
        recorded_by=NEXT,
    )
    course.log_contact(
        D(2024, 2, 8),
        mentor=NEXT,
        location="home",
        planned_minutes=60,
        actual_minutes=60,
        recorded_by=NEXT,
    )
    course.record_rating(D(2024, 2, 8), "session", [8, 8, 8, 8], recorded_by=NEXT)
    (h,) = course.handovers
    assert h.days_to_first_contact == 7
    assert h.no_shows_within_30_days == 1
    assert h.ratings == {"session": (36.0, 32.0, -4.0)}
    frame = mc.handovers_frame(course)
    assert frame.loc[0, "days_to_first_contact"] == 7
    assert frame.loc[0, "rating_changes"] == {"session": -4.0}
    assert list(frame.columns[:4]) == ["course", "handover", "date", "sender"]


def test_markdown_and_html_for_the_receiver(course: mc.Course) -> None:
    course.make_handover(
        D(2024, 2, 1),
        "H1",
        knowledge_items=["k-ord", "k-conf"],
        summary_note="Ring ikke til 010190-1234",
        **handover_kwargs(),
    )
    course.acknowledge_handover(D(2024, 2, 2), "H1", "Modtaget", recorded_by=NEXT)
    (h,) = course.handovers
    md = h.to_markdown()
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## I: Severity",
        "## P: Summary",
        "## A: Action list",
        "## S: Situation awareness and contingencies",
        "## S: Synthesis by the receiver",
    ]
    assert "Withheld, because no active consent covers them: 1 item (confidential: 1)." in md
    assert "om k-conf" not in md
    assert "1234" not in md
    assert "- Latest ratings: session 36 (2024-01-20)" in md
    page = h._repr_html_()
    assert page.startswith('<div class="mentorcore-handover"><h2>Handover H1')
    assert "<h3>I: Severity</h3>" in page and "&#9744; Ring til arbejdsgiveren" in page
    assert "1234" not in page


def test_handovers_replay_and_pickle(course: mc.Course) -> None:
    course.make_handover(D(2024, 2, 1), "H1", knowledge_items=["k-ord"], **handover_kwargs())
    restored = pickle.loads(pickle.dumps(course))
    assert restored == course
    assert restored.handovers[0].to_markdown() == course.handovers[0].to_markdown()
    for event in course.events:
        assert mc.Event.from_dict(event.to_dict()) == event


def test_handovers_frame_over_many_courses_and_bad_input(course: mc.Course) -> None:
    other = mc.Course.replay(course.events[:2], course.reference)
    assert len(mc.handovers_frame([course, other])) == 0
    with pytest.raises(mc.InvalidValueError, match=r"courses\[1\]"):
        mc.handovers_frame([course, "K-2"])
    with pytest.raises(mc.InvalidValueError, match="courses = 'K-2'"):
        mc.handovers_frame("K-2")


def test_ten_thousand_handovers_on_one_course(course: mc.Course) -> None:
    # Issue #12: course.handovers and to_markdown() were quadratic (1,600 handovers took 5 s,
    # 8,000 did not finish). This checks the results only; quadratic code would not finish.
    n = 10_000
    course.log_contact(
        D(2024, 1, 22),
        mentor=NEXT,
        location="home",
        planned_minutes=60,
        actual_minutes=60,
        recorded_by=NEXT,
    )
    for i in range(n):
        day = D(2024, 2, 1) + datetime.timedelta(days=i // 4)
        sender, receiver = (MENTOR, NEXT) if i % 2 == 0 else (NEXT, MENTOR)
        course.make_handover(
            day,
            f"H{i}",
            knowledge_items=["k-ord", "k-conf"],
            **handover_kwargs(
                sender=sender,
                receiver=receiver,
                recorded_by=sender,
                actions=[],
                open_appointments=[],
            ),
        )
        course.acknowledge_handover(day, f"H{i}", "modtaget", recorded_by=receiver)
        if i % 400 == 0:
            course.record_rating(day, "session", [(i // 400) % 10] * 4, recorded_by=MENTOR)
    handovers = course.handovers
    assert len(handovers) == n
    assert [h.id for h in handovers[:3]] == ["H0", "H1", "H2"]
    for h in handovers:
        assert h.state == mc.HandoverState.acknowledged
        assert [k.item for k in h.carried] == ["k-ord"]
        assert [k.item for k in h.withheld] == ["k-conf"]
        assert sorted(k.item for k in h.dropped) == ["k-crim", "k-health"]
    # Ratings: 36 on 20 January, then 0 on day 0 (i = 0) and 4 on day 100 (i = 400).
    assert handovers[1].ratings == {"session": (36.0, 0.0, -36.0)}
    assert handovers[401].ratings == {"session": (0.0, 4.0, 4.0)}
    assert handovers[0].days_to_first_contact is None
    assert course.mentor_changes == n
    first, last = handovers[0].to_markdown(), handovers[-1].to_markdown()
    assert first.startswith("# Handover H0: mentor-4 (mentor) to ")
    assert last.startswith(f"# Handover H{n - 1}: ")
    assert "- resource: om k-ord (recorded 2024-01-15 by mentor-4)" in last
    assert "Withheld, because no active consent covers them: 1 item (confidential: 1)." in last
