"""Cohort.survival: the durations and outcomes it builds from columns equal the ones read off
each Course object by the definitions in docs/kpis.md, and the estimates are those of
mentorcore.aalen_johansen and kaplan_meier on them."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

import mentorcore as mc

AS_OF = datetime.date(2025, 6, 30)
WORK_TYPES = {"ordinary_job", "flex_job", "wage_subsidy"}


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return mc.synthetic.generate(600, seed=5)


def time_to_work_by_course(course: mc.Course) -> tuple[float, int] | None:
    """docs/kpis.md, "Time to work or education", one course at a time."""
    origin = course.course_started_on
    if origin is None or origin > AS_OF:
        return None
    first = course.first_job_or_education_start
    if first is not None and first <= AS_OF:
        kind = str(course.starts_frame()["start_type"].iloc[0])
        return max((first - origin).days, 0), 1 if kind in WORK_TYPES else 2
    closed = course.closed_on
    if closed is not None and closed <= AS_OF:
        reason = course.closure_reason.name if course.closure_reason else "other"
        outcome = {"job": 1, "flex_job": 1, "education": 2, "dropped_out": 3}.get(reason, 4)
        return (closed - origin).days, outcome
    return (AS_OF - origin).days, 0


def test_time_to_work_or_education_follows_its_definition(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses)
    estimate = cohort.survival("time_to_work_or_education", as_of=AS_OF)
    assert isinstance(estimate, mc.AalenJohansen)
    rows = [row for row in map(time_to_work_by_course, courses) if row is not None]
    durations = np.array([duration for duration, _ in rows], dtype=float)
    causes = np.array([cause for _, cause in rows])
    assert {1, 2, 4} <= set(causes)  # the synthetic municipality has these outcomes
    expected = mc.aalen_johansen(durations, causes, outcomes=4)
    pd.testing.assert_frame_equal(estimate.to_frame(), expected.to_frame())
    frame = estimate.to_frame()
    assert list(frame.columns[:3]) == ["time", "at_risk", "cif_1"]
    assert "cif_4" in frame.columns


def test_retention_is_censored_at_the_end_of_follow_up(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses)
    estimate = cohort.survival("retention", as_of=AS_OF)
    assert isinstance(estimate, mc.KaplanMeier)
    frame = estimate.to_frame()
    starts = cohort.frame("courses")["first_start"]
    assert frame["at_risk"].iloc[0] == int((starts <= pd.Timestamp(AS_OF)).sum())
    assert 0 < frame["observed"].sum() < frame["at_risk"].iloc[0]
    # Twelve months after a closure nothing is known any more: no time beyond the longest
    # follow-up (the closure + 12 months, or the observation date).
    assert frame["time"].max() <= (AS_OF - datetime.date(2022, 1, 1)).days
    three, twelve = estimate.at([91, 365])
    assert 0 < twelve <= three < 1


def test_grouped_estimates_and_bad_arguments(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses)
    by_municipality = cohort.survival("retention", by="municipality")
    assert isinstance(by_municipality, dict)
    municipalities = set(cohort.frame("courses")["municipality"])
    assert set(by_municipality) <= municipalities
    total = sum(int(km.to_frame()["observed"].sum()) for km in by_municipality.values())
    whole = cohort.survival("retention")
    assert isinstance(whole, mc.KaplanMeier)
    assert total == int(whole.to_frame()["observed"].sum())
    years = cohort.survival("time_to_work_or_education", by="start_year", start="ordered")
    assert all(isinstance(year, int) for year in years if year is not None)
    with pytest.raises(mc.Error, match="outcome = 'retained': expected one of"):
        cohort.survival("retained")
    with pytest.raises(mc.Error, match="by = 'region': expected one of municipality"):
        cohort.survival("retention", by="region")
    with pytest.raises(mc.Error, match="as_of"):
        cohort.survival("retention", as_of="2025-01-01")  # type: ignore[arg-type]
