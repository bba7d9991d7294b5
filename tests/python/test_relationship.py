"""mentorcore.relationship and the Course's motivation, rating, goal and knowledge API."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mentorcore as mc
from conftest import CW, MENTOR, D

PC = (1, 5, 11, 13, 23, 26, 29)
C = (2, 8, 12, 15, 19, 21, 24)
A = (3, 7, 10, 14, 17, 25, 30)
M = (6, 16, 18, 22, 27, 28, 32)


def urica_answers(pc: int, c: int, a: int, m: int, unscored: int = 5) -> list[int]:
    answers = [unscored] * 32
    for items, value in ((PC, pc), (C, c), (A, a), (M, m)):
        for item in items:
            answers[item - 1] = value
    return answers


def test_urica_hand_computed() -> None:
    result = mc.urica_score(urica_answers(1, 5, 5, 4))
    assert result == mc.UricaResult(1.0, 5.0, 5.0, 4.0, 13.0, mc.Stage.action)
    assert mc.urica_score(urica_answers(2, 4, 4, 3)).stage is mc.Stage.precontemplation  # 9 -> 9.3
    assert mc.urica_score(np.array(urica_answers(2, 4, 4, 3))).readiness == 9.0
    # 3, 4, 4, 3 -> readiness 8 ... 4 - 3 + 4 + 3 = 8, nearest 9.3
    assert mc.urica_score(urica_answers(3, 4, 4, 3)).readiness == 8.0


@given(st.lists(st.integers(1, 5), min_size=32, max_size=32))
def test_urica_readiness_formula_and_range(answers: list[int]) -> None:
    result = mc.urica_score(answers)
    mean = lambda items: sum(answers[i - 1] for i in items) / 7  # noqa: E731
    assert result.readiness == pytest.approx(mean(C) + mean(A) + mean(M) - mean(PC))
    assert -2 <= result.readiness <= 14
    nearest = min(
        ((9.3, 0), (11.0, 1), (12.6, 3)),
        key=lambda pair: (abs(pair[0] - result.readiness), pair[1]),
    )
    assert result.stage.value == nearest[1]


def test_urica_errors() -> None:
    with pytest.raises(mc.InvalidValueError, match="answers = 31 answers"):
        mc.urica_score([3] * 31)
    with pytest.raises(mc.InvalidValueError, match=r"answers\[3\] = 0: URICA answers are 1-5"):
        mc.urica_score([3, 3, 3, 0] + [3] * 28)
    with pytest.raises(mc.InvalidValueError, match=r"answers\[0\] = '3'"):
        mc.urica_score(["3"] + [3] * 31)
    with pytest.raises(mc.InvalidValueError, match="group_means"):
        mc.urica_score([3] * 32, group_means={"soon": 9.0})


def test_instrument_definition_and_errors() -> None:
    wai = mc.Instrument(
        "wai_sr",
        items=[(1, 5)] * 12,
        subscales={"task": [1, 2, 10, 12], "bond": [3, 5, 7, 9], "goal": [4, 6, 8, 11]},
    )
    assert wai.total_range == (12.0, 60.0)
    assert wai.subscales["bond"] == [3, 5, 7, 9]
    assert wai.aggregation is mc.Aggregation.sum
    with pytest.raises(mc.InvalidValueError, match=r"items\[0\] = \[10, 0\]"):
        mc.Instrument("x", items=[(10, 0)])
    with pytest.raises(mc.InvalidValueError, match=r"subscales\[0\].items = 5"):
        mc.Instrument("x", items=[(0, 10)], subscales={"a": [5]})
    with pytest.raises(mc.InvalidValueError, match=r"alerts\[0\].rule = \"drop\""):
        mc.Instrument("x", items=[(0, 10)], alerts=[{"rule": "drop"}])
    with pytest.raises(mc.InvalidValueError, match="reliable_change = 'five'"):
        mc.Instrument("x", items=[(0, 10)], reliable_change="five")
    with pytest.raises(mc.InvalidValueError, match=r"answers\[1\] = 11"):
        wai.score([1, 11] + [1] * 10)


def _outcome() -> mc.Instrument:
    return mc.Instrument(
        "outcome",
        items=[(0, 10)] * 4,
        cutoffs={"adult": 25},
        reliable_change=5,
        alerts=[{"rule": "no_reliable_improvement", "sessions": 2}],
    )


@pytest.fixture
def course() -> mc.Course:
    reference = mc.ReferenceData.builtin().with_instruments([_outcome()])
    c = mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course="K-7",
        citizen="P-7",
        municipality=461,
        target_group="kontanthjaelp_aktivitetsparat",
        caseworker=CW,
        reference=reference,
    )
    c.change_phase(D(2024, 1, 15), "pre_employment", reason="start", recorded_by=MENTOR)
    return c


def test_stages_and_trajectories(course: mc.Course) -> None:
    course.assess_stage(
        D(2024, 1, 15),
        "looks_for_work",
        "contemplation",
        method="clinical_judgement",
        assessor=MENTOR,
        recorded_by=MENTOR,
    )
    course.assess_stage(
        D(2024, 1, 15),
        "attends_alone",
        mc.Stage.precontemplation,
        method="urica_32",
        assessor=MENTOR,
        score=8.6,
        recorded_by=MENTOR,
    )
    course.assess_stage(
        D(2024, 2, 1),
        "looks_for_work",
        "preparation",
        method="ruler",
        assessor=MENTOR,
        importance=9,
        confidence=6,
        readiness=7,
        ruler_min=1,
        ruler_max=10,
        recorded_by=MENTOR,
    )
    course.assess_stage(
        D(2024, 3, 1),
        "looks_for_work",
        "contemplation",
        method="clinical_judgement",
        assessor=MENTOR,
        recorded_by=MENTOR,
    )
    work, alone = course.stage_trajectories()
    assert (work.behaviour, work.current, work.forward_moves, work.relapses) == (
        "looks_for_work",
        mc.Stage.contemplation,
        1,
        1,
    )
    assert work.since == D(2024, 3, 1) and work.days_in_stage(D(2024, 3, 11)) == 10
    assert (
        work.transitions[1, 2] == 1 and work.transitions[2, 1] == 1 and work.transitions.sum() == 2
    )
    assert alone.assessments == 1
    frame = course.assessments_frame()
    assert frame["stage"].tolist() == [
        "contemplation",
        "precontemplation",
        "preparation",
        "contemplation",
    ]
    assert frame["score"].iloc[1] == 8.6 and np.isnan(frame["score"].iloc[0])
    assert frame.loc[2, "ruler_min"] == 1
    relapse = [a for a in course.alerts(D(2024, 3, 1)) if a.code == "stage_relapse"]
    assert relapse == [
        mc.CourseAlert(
            "stage_relapse",
            D(2024, 3, 1),
            "looks_for_work",
            "looks_for_work: back from preparation to contemplation",
        )
    ]


def test_ruler_bounds_are_enforced(course: mc.Course) -> None:
    with pytest.raises(
        mc.RuleViolationError, match="confidence = 11: outside the ruler scale 0-10"
    ):
        course.assess_stage(
            D(2024, 1, 20),
            "b",
            "action",
            method="ruler",
            assessor=MENTOR,
            confidence=11,
            recorded_by=MENTOR,
        )
    with pytest.raises(mc.InvalidValueError) as caught:
        course.assess_stage(
            D(2024, 1, 20), "b", "ready", method="ruler", assessor=MENTOR, recorded_by=MENTOR
        )
    assert caught.value.field == "stage"


def test_ratings_scored_with_alerts(course: mc.Course) -> None:
    course.record_rating(
        D(2024, 1, 15), "outcome", [4, 5, 5, 4], age_band="adult", recorded_by=MENTOR
    )
    course.record_rating(
        D(2024, 1, 22),
        "outcome",
        np.array([5.0, 5.0, 6.0, 5.0]),
        age_band="adult",
        rated_by="mentor",
        recorded_by=MENTOR,
    )
    frame = course.ratings_frame("outcome")
    assert frame["total"].tolist() == [18.0, 21.0]
    assert frame["rated_by"].tolist() == ["citizen", "mentor"]
    assert frame["clinical"].tolist() == [True, True]
    assert frame["change_from_baseline"].iloc[1] == 3.0
    alerts = course.alerts(D(2024, 1, 22))
    assert [a.code for a in alerts] == ["no_reliable_improvement"]
    with pytest.raises(mc.RuleViolationError, match="not defined in the course's reference data"):
        course.record_rating(D(2024, 1, 23), "srs", [1, 2, 3, 4], recorded_by=MENTOR)
    with pytest.raises(mc.InvalidValueError) as caught:
        course.record_rating(D(2024, 1, 23), "outcome", [1, 2, "3", 4], recorded_by=MENTOR)
    assert caught.value.field == "answers[2]"
    assert len(course.ratings_frame()) == 2


def test_goals_steps_successes_and_empowerment(course: mc.Course) -> None:
    course.set_goal(D(2024, 1, 15), "g1", "Jeg vil have et arbejde med dyr", recorded_by=MENTOR)
    course.plan_step(
        D(2024, 1, 15), "s1", "g1", "Ring til dyrehandlen", due=D(2024, 1, 31), recorded_by=MENTOR
    )
    course.plan_step(D(2024, 1, 15), "s2", "g1", "Skriv ansøgning", recorded_by=MENTOR)
    course.complete_step(D(2024, 1, 20), "s1", "citizen_alone", recorded_by=MENTOR)
    course.log_success(D(2024, 1, 20), "Ringede selv", recorded_by=MENTOR)
    course.update_goal(
        D(2024, 2, 1), "g1", "active", text="Arbejde med dyr, 15 timer", recorded_by=MENTOR
    )
    goals = course.goals_frame()
    assert goals.loc[0, "text"] == "Arbejde med dyr, 15 timer"
    steps = course.steps_frame()
    assert steps["done_by"].tolist()[0] == "citizen_alone" and pd.isna(steps["done_on"].iloc[1])
    assert steps["due"].iloc[0] == pd.Timestamp("2024-01-31")
    assert course.empowerment_frame().to_dict("records") == [
        {
            "course": "K-7",
            "month_of_course": 0,
            "done_alone": 1,
            "done_with_support": 0,
            "done_by_mentor": 0,
            "done": 1,
        }
    ]
    assert course.successes() == [(D(2024, 1, 20), "Ringede selv")]
    with pytest.raises(mc.RuleViolationError, match="step s9 does not exist"):
        course.complete_step(D(2024, 2, 2), "s9", "citizen_alone", recorded_by=MENTOR)
    with pytest.raises(mc.InvalidValueError) as caught:
        course.complete_step(D(2024, 2, 2), "s2", "the citizen", recorded_by=MENTOR)
    assert caught.value.field == "done_by"


def test_knowledge_profile_history_and_as_of(course: mc.Course) -> None:
    course.record_knowledge(
        D(2024, 1, 15),
        "k1",
        "resource",
        "God til at tegne",
        data_category="ordinary",
        sharing_basis="necessary_for_task",
        recorded_by=MENTOR,
    )
    course.record_knowledge(
        D(2024, 1, 16),
        "k2",
        "fear",
        "Angst i butikker",
        data_category="health",
        sharing_basis="consent",
        basis_reference="C-2024-1",
        recorded_by=MENTOR,
    )
    course.revise_knowledge(D(2024, 2, 1), "k2", text="Angst i store butikker", recorded_by=MENTOR)
    course.retire_knowledge(D(2024, 3, 1), "k1", "Tegner ikke længere", recorded_by=MENTOR)
    now = course.knowledge_frame()
    assert now["item"].tolist() == ["k2"]
    assert now.loc[0, "text"] == "Angst i store butikker" and now.loc[0, "revisions"] == 1
    assert now.loc[0, "data_category"] == "health" and now.loc[0, "basis_reference"] == "C-2024-1"
    assert len(course.knowledge_frame(include_retired=True)) == 2
    then = course.as_of(D(2024, 1, 20)).knowledge_frame()
    assert then["text"].tolist() == ["God til at tegne", "Angst i butikker"]
    assert course.knowledge_frame(include_retired=True).loc[0, "retired_on"] == pd.Timestamp(
        "2024-03-01"
    )
    with pytest.raises(
        mc.RuleViolationError, match="basis_reference is required for sharing_basis consent"
    ):
        course.record_knowledge(
            D(2024, 3, 2),
            "k3",
            "fear",
            "x",
            data_category="health",
            sharing_basis="consent",
            recorded_by=MENTOR,
        )
    assert "thought_pattern" in mc.STANDARD_KNOWLEDGE_CATEGORIES


def test_talk_counts(course: mc.Course) -> None:
    course.count_talk(
        D(2024, 1, 15), desire=2, reasons=3, commitment=1, sustain=4, recorded_by=MENTOR
    )
    frame = course.talk_frame()
    assert frame.loc[0, "change_talk"] == 6 and frame.loc[0, "sustain"] == 4
    with pytest.raises(mc.RuleViolationError, match="talk counts run 0-1000"):
        course.count_talk(D(2024, 1, 16), need=-1, recorded_by=MENTOR)


def test_everything_replays_and_pickles_with_its_instruments(course: mc.Course) -> None:
    course.record_rating(
        D(2024, 1, 15), "outcome", [4, 5, 5, 4], age_band="adult", recorded_by=MENTOR
    )
    course.record_knowledge(
        D(2024, 1, 15),
        "k1",
        "music",
        "Spiller guitar",
        data_category="ordinary",
        sharing_basis="necessary_for_task",
        recorded_by=MENTOR,
    )
    course.set_goal(D(2024, 1, 15), "g1", "Job", recorded_by=MENTOR)
    restored = pickle.loads(pickle.dumps(course))
    assert restored == course
    assert restored.ratings_frame().equals(course.ratings_frame())
    assert mc.Course.replay(course.events, course.reference) == course
    with pytest.raises(mc.RuleViolationError, match="not defined"):
        mc.Course.replay(course.events)  # the built-in reference data has no instruments


def test_instruments_pickle_with_a_format_version() -> None:
    outcome = _outcome()
    assert pickle.loads(pickle.dumps(outcome)) == outcome
    instrument = mc.Instrument.__new__(mc.Instrument)
    with pytest.raises(mc.InvalidValueError, match="not a pickled Instrument of format version 1"):
        instrument.__setstate__((2,) + (None,) * 9)
