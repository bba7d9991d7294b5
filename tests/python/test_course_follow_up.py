"""A course's starts and their ends, its statuses after closure, its providers, and hours granted
that stop at the closure and at the observation date (issue #13).

The figures are computed by hand from conftest.build_full_course: grant G1, 2 hours a week from
15 Jan to 14 Jul 2024 (182 days); grant G2 (provider-7), 1 hour a week from 15 Jul 2024 to
14 Jan 2025 (184 days); the course closed on 2 Dec 2024.
"""

from __future__ import annotations

import datetime
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc
from conftest import CW, MENTOR, D, build_every_event_type_course, build_full_course

G1_PLANNED = 2.0 * 182 / 7  # 52.0
G2_PLANNED = 1.0 * 184 / 7  # 26.29
G2_TO_CLOSURE = 1.0 * 141 / 7  # 15 Jul to 2 Dec 2024: 17 + 31 + 30 + 31 + 30 + 2 days


# ---- names ------------------------------------------------------------------------------------


def test_course_started_on_and_its_alias_and_the_first_start_in_work() -> None:
    course = build_full_course()
    assert course.course_started_on == course.started_on == D(2024, 1, 15)
    assert course.first_job_or_education_start == D(2024, 6, 3)
    early = course.as_of(D(2024, 5, 1))
    assert early.course_started_on == D(2024, 1, 15)
    assert early.first_job_or_education_start is None
    ordered = mc.Course.replay(course.events[:1])
    assert ordered.course_started_on is None and ordered.started_on is None


# ---- the end of a start, the status after closure ---------------------------------------------


def test_a_start_ends_after_closure_and_a_status_follows() -> None:
    course = build_full_course()
    assert course.follow_up_ends_on == D(2025, 12, 2)
    course.end_start(D(2025, 2, 14), "dismissed", note="nedskæringer", recorded_by=MENTOR)
    course.record_status(
        D(2025, 3, 2), mc.FollowupStatus.on_benefit, source="register", recorded_by=CW
    )
    course.record_status(D(2025, 6, 2), "in_work", source=mc.StatusSource.employer, recorded_by=CW)
    # Neither reopens the course.
    assert course.phase is mc.Phase.closed and course.closed_on == D(2024, 12, 2)
    assert course.observed_on == D(2025, 6, 2)

    starts = course.starts_frame()
    assert list(starts.columns) == [
        "course",
        "start_type",
        "employer_or_institution",
        "hours_per_week",
        "start",
        "end",
        "cause",
        "superseded",
    ]
    row = starts.iloc[0]
    assert (row["start_type"], row["employer_or_institution"], row["hours_per_week"]) == (
        "ordinary_job",
        "Bageriet A/S",
        25.0,
    )
    assert (row["start"], row["end"]) == (pd.Timestamp("2024-06-03"), pd.Timestamp("2025-02-14"))
    assert (row["cause"], bool(row["superseded"])) == ("dismissed", False)

    statuses = course.statuses_frame()
    assert list(statuses.columns) == [
        "course",
        "date",
        "status",
        "source",
        "closed_on",
        "days_after_closure",
    ]
    assert statuses["status"].tolist() == ["on_benefit", "in_work"]
    assert statuses["source"].tolist() == ["register", "employer"]
    assert statuses["days_after_closure"].tolist() == [90, 182]
    assert (statuses["closed_on"] == pd.Timestamp("2024-12-02")).all()

    events = course.events_frame()
    ended = events[events["type"] == "start_ended"].iloc[0]
    assert (ended["cause"], ended["note"]) == ("dismissed", "nedskæringer")
    assert events.loc[events["type"] == "status_recorded", "source"].tolist() == [
        "register",
        "employer",
    ]


def test_a_later_start_supersedes_an_ongoing_one() -> None:
    course = mc.Course.replay(build_full_course().events[:-1])  # open, in retention
    course.record_start(
        D(2024, 9, 2),
        start_type="education",
        employer_or_institution="Erhvervsskolen",
        hours_per_week=30,
        recorded_by=MENTOR,
    )
    course.end_start(D(2024, 11, 29), "education_dropped", recorded_by=MENTOR)
    starts = course.starts_frame()
    assert starts["start_type"].tolist() == ["ordinary_job", "education"]
    assert starts["end"].tolist() == [pd.Timestamp("2024-09-02"), pd.Timestamp("2024-11-29")]
    assert starts["superseded"].tolist() == [True, False]
    assert pd.isna(starts["cause"].iloc[0]) and starts["cause"].iloc[1] == "education_dropped"
    assert list(starts["cause"].cat.categories) == [c.name for c in mc.StartEndCause]
    assert course.first_job_or_education_start == D(2024, 6, 3)
    assert course.follow_up_ends_on is None
    assert len(course.statuses_frame()) == 0


def test_the_end_of_a_start_is_checked() -> None:
    ordered = mc.Course.replay(build_full_course().events[:3])
    with pytest.raises(mc.RuleViolationError, match="no start in work or education"):
        ordered.end_start(D(2024, 2, 1), "quit", recorded_by=MENTOR)
    course = build_full_course()
    before = mc.Course.replay(course.events)
    with pytest.raises(mc.RuleViolationError, match="education_dropped: the ongoing start"):
        course.end_start(D(2024, 12, 5), "education_dropped", recorded_by=MENTOR)
    with pytest.raises(mc.RuleViolationError, match="after the follow-up"):
        course.end_start(D(2025, 12, 3), "quit", recorded_by=MENTOR)
    course.end_start(D(2025, 12, 2), "quit", recorded_by=MENTOR)  # the follow-up's last day
    with pytest.raises(mc.RuleViolationError, match="no start in work or education is ongoing"):
        course.end_start(D(2025, 12, 2), "quit", recorded_by=MENTOR)
    assert mc.Course.replay(course.events[:-1]) == before
    with pytest.raises(mc.InvalidValueError) as caught:
        course.end_start(D(2025, 1, 1), "fired", recorded_by=MENTOR)
    assert caught.value.field == "cause" and "dismissed" in str(caught.value)
    with pytest.raises(mc.InvalidValueError) as caught:
        course.end_start(D(2025, 1, 1), "quit", note=7, recorded_by=MENTOR)  # type: ignore[arg-type]
    assert caught.value.field == "note"


def test_a_status_after_closure_is_checked() -> None:
    open_course = mc.Course.replay(build_full_course().events[:-1])
    with pytest.raises(mc.RuleViolationError, match="needs a closed course"):
        open_course.record_status(D(2024, 11, 1), "in_work", source="register", recorded_by=CW)
    course = build_full_course()
    with pytest.raises(mc.RuleViolationError, match="after the follow-up"):
        course.record_status(D(2025, 12, 3), "in_work", source="register", recorded_by=CW)
    with pytest.raises(mc.InvalidValueError) as caught:
        course.record_status(D(2025, 1, 1), "employed", source="register", recorded_by=CW)
    assert caught.value.field == "status"
    with pytest.raises(mc.InvalidValueError) as caught:
        course.record_status(D(2025, 1, 1), "in_work", source="register_data", recorded_by=CW)
    assert caught.value.field == "source" and "citizen_contact" in str(caught.value)
    assert len(course.events) == 19
    # Still closed: only reopened, start_ended and status_recorded may follow.
    with pytest.raises(mc.RuleViolationError, match="only reopened, start_ended and status_rec"):
        course.pause(D(2025, 1, 1), "illness", recorded_by=MENTOR)


def test_the_new_events_as_dicts_and_pickles() -> None:
    ended = mc.Event("start_ended", D(2025, 1, 10), MENTOR, cause="contract_ended")
    assert ended.to_dict() == {
        "type": "start_ended",
        "date": D(2025, 1, 10),
        "recorded_by": MENTOR,
        "cause": mc.StartEndCause.contract_ended,
        "note": "",
    }
    status = mc.Event("status_recorded", D(2025, 1, 10), CW, status="other", source="employer")
    assert status.fields == {"status": mc.FollowupStatus.other, "source": mc.StatusSource.employer}
    for event in (ended, status):
        assert mc.Event.from_dict(event.to_dict()) == event
        assert pickle.loads(pickle.dumps(event)) == event
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.Event("status_recorded", D(2025, 1, 10), CW, status="other")
    assert caught.value.field == "source" and "required field of status_recorded" in str(
        caught.value
    )


# ---- providers --------------------------------------------------------------------------------


def test_the_provider_on_a_day_is_that_of_the_grant_in_force() -> None:
    course = build_full_course()
    assert course.provider_on(D(2024, 3, 1)) is None  # G1 names no provider
    assert course.provider_on(D(2024, 7, 14)) is None
    assert course.provider_on(D(2024, 7, 15)) == "provider-7"
    assert course.provider_on(D(2025, 1, 14)) == "provider-7"
    assert course.provider_on(D(2025, 1, 15)) is None  # no grant in force
    assert course.provider_on(D(2024, 1, 1)) is None
    providers = course.grants_frame()["provider"]
    assert pd.isna(providers.iloc[0]) and providers.iloc[1] == "provider-7"
    with pytest.raises(mc.InvalidValueError) as caught:
        course.provider_on("2024-08-01")  # type: ignore[arg-type]
    assert caught.value.field == "date"
    with pytest.raises(mc.InvalidValueError) as caught:
        course.make_grant(
            D(2024, 12, 1),
            grant="G3",
            goal="x",
            mentor=MENTOR,
            mentor_contact="x",
            tasks="x",
            hours_per_week=1,
            start=D(2025, 1, 15),
            end=D(2025, 3, 14),
            legal_basis="LAB-167",
            provider=17,  # type: ignore[arg-type]
            recorded_by=CW,
        )
    assert caught.value.field == "provider"


# ---- hours granted stop at the closure and the observation date ------------------------------


def test_hours_granted_stop_at_closure_and_planned_hours_stay_visible() -> None:
    grants = build_full_course().grants_frame()
    assert list(grants.columns) == [
        "course",
        "grant",
        "predecessor",
        "legal_basis",
        "start",
        "end",
        "hours_per_week",
        "hours_granted",
        "hours_delivered",
        "utilisation",
        "provider",
        "counted_to",
        "hours_planned",
    ]
    assert grants["counted_to"].tolist() == [pd.Timestamp("2024-07-14"), pd.Timestamp("2024-12-02")]
    assert grants["hours_granted"].tolist() == pytest.approx([G1_PLANNED, G2_TO_CLOSURE])
    assert grants["hours_planned"].tolist() == pytest.approx([G1_PLANNED, G2_PLANNED])
    assert grants["hours_delivered"].tolist() == pytest.approx([6.5, 0.5])
    assert grants["utilisation"].iloc[1] == pytest.approx(0.5 / G2_TO_CLOSURE)
    assert grants["counted_to"].dtype == "datetime64[ns]"
    assert grants["hours_planned"].dtype == "float64"


def test_hours_granted_stop_at_the_observation_date() -> None:
    course = build_full_course()
    assert course.observed_on == D(2024, 12, 2)
    assert course.grants_frame().equals(course.grants_frame(D(2024, 12, 2)))
    may = course.grants_frame(as_of=D(2024, 5, 1))
    # G1 from 15 Jan to 1 May: 17 + 29 + 31 + 30 + 1 = 108 days; the contacts up to then.
    assert may["hours_granted"].tolist() == pytest.approx([2.0 * 108 / 7, 0.0])
    assert may["hours_delivered"].tolist() == pytest.approx([6.5, 0.0])
    # G2 is not counted at all on 1 May: no day counted, its plan still shown.
    assert may["counted_to"].iloc[0] == pd.Timestamp("2024-05-01") and pd.isna(
        may["counted_to"].iloc[1]
    )
    assert may["hours_planned"].tolist() == pytest.approx([G1_PLANNED, G2_PLANNED])
    # A view made by as_of is observed on its day, so its frames stop there by default.
    view = course.as_of(D(2024, 5, 1))
    assert view.observed_on == D(2024, 5, 1)
    assert view.grants_frame()["hours_granted"].tolist() == pytest.approx([2.0 * 108 / 7])
    # A later observation date than the data is the caller's to choose: a projection.
    later = course.as_of(D(2024, 8, 1))
    assert later.grants_frame(as_of=D(2024, 8, 31))["hours_granted"].tolist() == pytest.approx(
        [G1_PLANNED, 1.0 * 48 / 7]
    )
    with pytest.raises(mc.InvalidValueError) as caught:
        course.grants_frame(as_of="2024-05-01")  # type: ignore[arg-type]
    assert caught.value.field == "as_of"


def test_closed_days_between_a_closure_and_a_reopening_do_not_count() -> None:
    course = build_full_course()
    course.reopen(D(2024, 12, 10), reason="job ended", recorded_by=CW)
    # 15 Jul to 10 Dec is 149 days, less the 7 closed days 3-9 Dec.
    assert course.grants_frame()["hours_granted"].iloc[1] == pytest.approx(142 / 7)
    # Observed after G2's planned end: 184 days less the 7 closed ones.
    late = course.grants_frame(as_of=D(2025, 3, 1))
    assert late["hours_granted"].iloc[1] == pytest.approx(177 / 7)
    assert late["counted_to"].iloc[1] == pd.Timestamp("2025-01-14")


def test_weekly_usage_stops_at_closure_with_planned_hours_beside() -> None:
    course = build_full_course()
    weekly = course.weekly_usage_frame()
    assert list(weekly.columns) == [
        "course",
        "week_start",
        "iso_year",
        "iso_week",
        "hours_granted",
        "hours_delivered",
        "utilisation",
        "hours_planned",
        "provider",
    ]
    # The weeks end with the closure's week; its Monday, the closing day, is the only one counted.
    last = weekly.iloc[-1]
    assert last["week_start"] == pd.Timestamp("2024-12-02")
    assert (last["hours_granted"], last["hours_planned"]) == pytest.approx((1 / 7, 1.0))
    assert weekly["hours_granted"].sum() == pytest.approx(G1_PLANNED + G2_TO_CLOSURE)
    assert weekly["hours_granted"].sum() == pytest.approx(
        course.grants_frame()["hours_granted"].sum()
    )
    by_week = weekly.set_index("week_start")
    assert pd.isna(by_week.loc["2024-07-08", "provider"])  # G1 all week
    assert by_week.loc["2024-07-15", "provider"] == "provider-7"
    assert weekly["hours_planned"].dtype == "float64"
    may = course.weekly_usage_frame(D(2024, 5, 1))
    assert may["week_start"].iloc[-1] == pd.Timestamp("2024-04-29")
    assert may["hours_granted"].sum() == pytest.approx(2.0 * 108 / 7)


def test_the_notebook_view_shows_trimmed_hours_and_the_plan_beside() -> None:
    course = build_full_course()
    assert "2 grants: 7.0 of 72.1 hours delivered (78.3 planned);" in str(course)
    assert "7.0 of 72.1 hours delivered (78.3 planned) &middot;" in course._repr_html_()
    may = course.as_of(D(2024, 5, 1))
    assert "1 grants: 6.5 of 30.9 hours delivered (52.0 planned);" in str(may)
    # Nothing trimmed: no second figure.
    ordered = mc.Course.replay(course.events[:1])
    assert "0 grants: 0.0 of 0.0 hours delivered; milestones" in str(ordered)


# ---- pickling ---------------------------------------------------------------------------------


def test_a_course_with_the_new_events_pickles() -> None:
    course = build_every_event_type_course()
    restored = pickle.loads(pickle.dumps(course))
    assert restored == course
    assert restored.statuses_frame().equals(course.statuses_frame())
    assert restored.starts_frame().equals(course.starts_frame())
    assert course.__getstate__()[0] == 1  # observed on its last event: the format of 0.1.0


def test_a_view_observed_after_its_last_event_keeps_its_observation_date() -> None:
    course = build_full_course()
    view = course.as_of(D(2024, 10, 1))
    state = view.__getstate__()
    assert state[0] == 2 and state[-1] == D(2024, 10, 1)
    restored = pickle.loads(pickle.dumps(view))
    assert restored == view and restored.observed_on == D(2024, 10, 1)
    assert np.allclose(
        restored.grants_frame()["hours_granted"], view.grants_frame()["hours_granted"]
    )
    # A view extended after its day pickles as the course its events make.
    extended = course.as_of(D(2024, 5, 1))
    extended.log_contact(
        D(2024, 6, 10),
        mentor=MENTOR,
        location="home",
        planned_minutes=60,
        actual_minutes=60,
        recorded_by=MENTOR,
    )
    assert extended.__getstate__()[0] == 1
    assert pickle.loads(pickle.dumps(extended)) == extended
    blank = mc.Course.__new__(mc.Course)
    with pytest.raises(mc.InvalidValueError, match="before the course's last event"):
        blank.__setstate__((2, state[1], None, D(2024, 7, 1)))
    with pytest.raises(mc.InvalidValueError, match="observation date"):
        blank.__setstate__((2, state[1], None, "2024-10-01"))
    with pytest.raises(mc.InvalidValueError, match="format version 1 or 2"):
        blank.__setstate__((2, state[1], None))


def test_an_observation_date_past_the_calendar_is_refused_by_a_pickle_and_by_as_of() -> None:
    # Found by adversarial testing: a hand-made pickle of format 2 loaded with observed_on
    # 2201-01-01 or 9999-12-31, though no event may be dated after 2200.
    course = build_full_course()
    last = course.as_of(D(2200, 12, 31))
    assert pickle.loads(pickle.dumps(last)).observed_on == D(2200, 12, 31)
    events = last.__getstate__()[1]
    blank = mc.Course.__new__(mc.Course)
    for day in (D(2201, 1, 1), datetime.date.max):
        with pytest.raises(mc.OutOfRangeError) as caught:
            blank.__setstate__((2, events, None, day))
        assert str(caught.value) == (
            f"pickle = '{day.isoformat()}': the observation date is outside the supported "
            "calendar 1900-2200"
        )
        # Course.as_of, which makes such views, refuses the day, so every view pickles.
        with pytest.raises(mc.OutOfRangeError, match=f"^as_of = '{day.isoformat()}': outside"):
            course.as_of(day)
    with pytest.raises(mc.InvalidValueError, match=r"^as_of = '2024-10-01': expected a datetime"):
        course.as_of("2024-10-01")  # type: ignore[arg-type]


# ---- the observation date is every date-dependent view's default ------------------------------


def test_views_that_depend_on_a_date_default_to_the_observation_date() -> None:
    course = build_full_course()
    day = course.observed_on
    assert course.days_per_phase() == course.days_per_phase(day)
    assert course.next_report_due() == course.next_report_due(day) == D(2024, 12, 16)
    assert course.warnings() == course.warnings(day)
    assert course.alerts() == course.alerts(day)
    view = course.as_of(D(2024, 9, 1))
    assert view.observed_on == D(2024, 9, 1)
    assert view.days_per_phase() == view.days_per_phase(D(2024, 9, 1))
    assert view.days_per_phase()[mc.Phase.retention] == 91  # 3 Jun to 1 Sep 2024, both counted
    assert view.next_report_due() == view.next_report_due(D(2024, 9, 1))


_REOPENED = build_full_course().reopen(D(2024, 12, 10), reason="job ended", recorded_by=CW)


@settings(max_examples=60, deadline=None)
@given(
    day=st.dates(min_value=D(2024, 1, 8), max_value=D(2025, 4, 30)),
    reopened=st.booleans(),
)
def test_hours_granted_never_pass_the_plan_and_the_weeks_add_up(
    day: datetime.date, reopened: bool
) -> None:
    course = _REOPENED if reopened else build_full_course()
    grants = course.grants_frame(day)
    assert (grants["hours_granted"] <= grants["hours_planned"] + 1e-9).all()
    assert (grants["hours_delivered"] >= 0).all()
    counted = grants["counted_to"].dropna()
    assert (counted <= pd.Timestamp(day)).all()
    assert (counted <= grants.loc[counted.index, "end"]).all()
    if not reopened:
        assert (counted <= pd.Timestamp("2024-12-02")).all()
    weekly = course.weekly_usage_frame(day)
    assert weekly["hours_granted"].sum() == pytest.approx(grants["hours_granted"].sum())
    assert weekly["hours_delivered"].sum() == pytest.approx(grants["hours_delivered"].sum())
