"""The KPIs on a small hand-built cohort: every expected number is worked out by hand below, from
the rows written out here (docs/kpis.md defines each KPI)."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import mentorcore as mc

AS_OF = datetime.date(2025, 1, 1)
NAT = pd.NaT


def _dates(*values: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), dtype="datetime64[s]")


def _courses() -> pd.DataFrame:
    # A: 101, started 2024-01-10, first start in an ordinary job 2024-07-01, closed to a job
    #    2024-07-08 (180 days of course), in work 1 and 3 months after closure.
    # B: 101, started 2024-03-01, still open at AS_OF (306 days of course).
    # C: 461, started 2024-01-15, dropped out 2024-04-15 (91 days), on benefit after 1 month,
    #    no status recorded after 3 and 6 months.
    # D: 461, ordered after AS_OF: not in any KPI.
    return pd.DataFrame(
        {
            "course": ["A", "B", "C", "D"],
            "citizen": ["P-a", "P-b", "P-c", "P-d"],
            "municipality": np.array([101, 101, 461, 461], dtype=np.int16),
            "target_group": ["ressourceforloeb"] * 4,
            "provider": ["lev-1", "lev-1", "lev-2", "lev-2"],
            "caseworker": ["cw-1"] * 4,
            "mentor": ["m-1", "m-2", "m-3", "m-3"],
            "ordered": _dates("2024-01-01", "2024-02-01", "2024-01-01", "2025-06-01"),
            "started": _dates("2024-01-10", "2024-03-01", "2024-01-15", None),
            "closed": _dates("2024-07-08", None, "2024-04-15", None),
            "closure_reason": ["job", None, "dropped_out", None],
            "phase": ["closed", "clarification", "closed", "referred"],
            "first_start": _dates("2024-07-01", None, None, None),
            "first_start_type": ["ordinary_job", None, None, None],
            "first_start_end": _dates(None, None, None, None),
            "first_start_end_cause": [None, None, None, None],
            "status_1m": ["in_work", None, "on_benefit", None],
            "status_3m": ["in_work", None, None, None],
            "status_6m": [None, None, None, None],
            "status_12m": [None, None, None, None],
            "days_paused": np.zeros(4, dtype=np.int32),
            "mentor_changes": np.array([1, 0, 2, 0], dtype=np.int32),
            "last_event": _dates("2024-07-08", "2024-12-20", "2024-04-15", "2025-06-01"),
        }
    )


def _contacts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "course": ["A", "A", "A", "B", "C"],
            "date": _dates("2024-01-12", "2024-01-20", "2024-02-20", "2024-03-05", "2024-01-16"),
            "mentor": ["m-1", "m-1", "m-1", "m-2", "m-3"],
            "location": ["home", "home", "provider_office", "home", "phone"],
            "attendance": ["attended", "no_show", "attended", "attended", "cancelled_by_provider"],
            "planned_minutes": np.array([60, 60, 45, 30, 20], dtype=np.int16),
            "actual_minutes": np.array([60, 0, 45, 30, 0], dtype=np.int16),
            "billable": [True, False, True, True, False],
        }
    )


def _grants() -> pd.DataFrame:
    # A's grant: 100 hours granted, 70 delivered (70 %); C's: 10 granted, 9 delivered (90 %).
    return pd.DataFrame(
        {
            "course": ["A", "C"],
            "grant": ["g-a", "g-c"],
            "provider": ["lev-1", "lev-2"],
            "legal_basis": ["LAB 31b", "LAB 31b"],
            "start": _dates("2024-01-10", "2024-01-15"),
            "planned_end": _dates("2024-07-10", "2024-07-15"),
            "end_in_force": _dates("2024-07-08", "2024-04-15"),
            "hours_per_week": np.array([4, 1], dtype=np.float32),
            "hours_granted": np.array([100, 10], dtype=np.float32),
            "hours_delivered": np.array([70, 9], dtype=np.float32),
        }
    )


def _assessments() -> pd.DataFrame:
    # A, looks_for_work: contemplation -> preparation -> action (two moves forward);
    # C, looks_for_work: preparation -> contemplation (one relapse).
    return pd.DataFrame(
        {
            "course": ["A", "A", "A", "C", "C"],
            "date": _dates("2024-01-12", "2024-02-20", "2024-04-01", "2024-01-16", "2024-03-01"),
            "behaviour": ["looks_for_work"] * 5,
            "stage": ["contemplation", "preparation", "action", "preparation", "contemplation"],
            "method": ["clinical_judgement"] * 5,
            "assessor": ["m-1", "m-1", "m-1", "m-3", "m-3"],
        }
    )


def _ratings() -> pd.DataFrame:
    # A's session scale: the first rating raised an alert (below the cut-off), the second did
    # not and is 5 points up from the first, not a reliable improvement. C: one outcome-scale
    # rating with an alert, and nothing to compare it with.
    return pd.DataFrame(
        {
            "course": ["A", "A", "C"],
            "date": _dates("2024-01-12", "2024-02-20", "2024-01-16"),
            "instrument": ["session_scale", "session_scale", "outcome_scale"],
            "rater": ["citizen"] * 3,
            "session": np.array([1, 2, 1], dtype=np.int16),
            "score": np.array([30, 35, 12], dtype=np.float32),
            "cutoff": ["clinical", "non_clinical", "clinical"],
            "change_from_baseline": np.array([np.nan, 5, np.nan], dtype=np.float32),
            "reliably_improved": [False, False, False],
            "alert": [True, False, True],
        }
    )


def _handovers() -> pd.DataFrame:
    # B was handed over on 2024-06-01 and acknowledged: 4 items carried, 1 withheld, 1 dropped,
    # first contact after 5 days, one no-show in the 30 days after.
    return pd.DataFrame(
        {
            "course": ["B"],
            "handover": ["h-b"],
            "date": _dates("2024-06-01"),
            "type": ["warm"],
            "sender_role": ["mentor"],
            "receiver_role": ["mentor"],
            "state": ["acknowledged"],
            "settled": _dates("2024-06-03"),
            "carried": np.array([4], dtype=np.int32),
            "withheld": np.array([1], dtype=np.int32),
            "dropped": np.array([1], dtype=np.int32),
            "days_to_first_contact": pd.array([5], dtype="Int32"),
            "no_shows_within_30_days": np.array([1], dtype=np.int32),
        }
    )


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    try:
        return mc.Cohort.from_frames(
            {
                "courses": _courses(),
                "contacts": _contacts(),
                "grants": _grants(),
                "assessments": _assessments(),
                "ratings": _ratings(),
                "handovers": _handovers(),
            }
        )
    except mc.Error as error:  # pragma: no cover - says which hand-built value the core refused
        pytest.fail(f"the hand-built cohort is refused: {error}")


@pytest.fixture(scope="module")
def kpis(cohort: mc.Cohort) -> pd.DataFrame:
    return cohort.kpis(as_of=AS_OF, by="municipality")


def _row(kpis: pd.DataFrame, kpi: str, municipality: int) -> pd.Series:
    rows = kpis[(kpis.kpi == kpi) & (kpis.municipality == municipality)]
    assert len(rows) == 1, kpi
    return rows.iloc[0]


def _check(
    kpis: pd.DataFrame,
    kpi: str,
    municipality: int,
    numerator: float,
    denominator: float,
    value: float,
) -> pd.Series:
    row = _row(kpis, kpi, municipality)
    assert (row.numerator, row.denominator) == pytest.approx((numerator, denominator), nan_ok=True)
    if np.isnan(value):
        assert np.isnan(row.value)
    else:
        assert row.value == pytest.approx(value, rel=1e-12)
    return row


def test_the_frame_has_the_columns_the_issue_names(kpis: pd.DataFrame) -> None:
    assert list(kpis.columns) == [
        "kpi",
        "municipality",
        "numerator",
        "denominator",
        "value",
        "ci_lower",
        "ci_upper",
    ]
    assert set(kpis.municipality) == {101, 461}  # D is ordered after as_of: no group of its own


def test_exits_among_closed_and_all_courses(kpis: pd.DataFrame) -> None:
    _check(kpis, "exits_closed.job", 101, 1, 1, 1.0)
    _check(kpis, "exits_all.job", 101, 1, 2, 0.5)
    _check(kpis, "exits_closed.dropped_out", 461, 1, 1, 1.0)
    _check(kpis, "exits_all.dropped_out", 461, 1, 1, 1.0)  # D is not counted
    _check(kpis, "exits_closed.pension", 101, 0, 1, 0.0)


def test_proportions_have_wilson_intervals_as_statsmodels(kpis: pd.DataFrame) -> None:
    row = _check(kpis, "exits_all.job", 101, 1, 2, 0.5)
    lower, upper = proportion_confint(1, 2, alpha=0.05, method="wilson")
    assert (row.ci_lower, row.ci_upper) == pytest.approx((lower, upper), abs=1e-12)
    row = _check(kpis, "attendance.home", 101, 2, 3, 2 / 3)
    lower, upper = proportion_confint(2, 3, alpha=0.05, method="wilson")
    assert (row.ci_lower, row.ci_upper) == pytest.approx((lower, upper), abs=1e-12)


def test_status_after_closure_counts_only_courses_followed_that_long(kpis: pd.DataFrame) -> None:
    # A closed 2024-07-08: 1 and 3 months are before AS_OF, 6 months (2025-01-08) is not.
    _check(kpis, "status.1m.in_work", 101, 1, 1, 1.0)
    _check(kpis, "status.3m.in_work", 101, 1, 1, 1.0)
    _check(kpis, "status.6m.in_work", 101, 0, 0, np.nan)
    # C closed 2024-04-15: 1, 3 and 6 months are followed; only the first has a status.
    _check(kpis, "status.1m.on_benefit", 461, 1, 1, 1.0)
    _check(kpis, "status.3m.none", 461, 1, 1, 1.0)
    _check(kpis, "status.6m.none", 461, 1, 1, 1.0)
    _check(kpis, "status.12m.none", 461, 0, 0, np.nan)


def test_attendance_no_shows_and_intensity(kpis: pd.DataFrame) -> None:
    _check(kpis, "no_show.home", 101, 1, 3, 1 / 3)
    _check(kpis, "attendance.provider_office", 101, 1, 1, 1.0)
    _check(kpis, "attendance.phone", 461, 0, 1, 0.0)
    # 3 attended contacts and 135 minutes in 180 + 306 = 486 days of course.
    _check(kpis, "contacts_per_week", 101, 3, 486 / 7, 3 * 7 / 486)
    _check(kpis, "minutes_per_week", 101, 135, 486 / 7, 135 * 7 / 486)
    _check(kpis, "contacts_per_week", 461, 0, 91 / 7, 0.0)


def test_home_visit_share_by_month_of_course(kpis: pd.DataFrame) -> None:
    # Month 1 (days 0-29): A on day 2 and B on day 4, both at home; month 2: A on day 41 at the
    # provider's office.
    _check(kpis, "home_visit_share.01", 101, 2, 2, 1.0)
    _check(kpis, "home_visit_share.02", 101, 0, 1, 0.0)
    _check(kpis, "home_visit_share.03", 101, 0, 0, np.nan)


def test_hours_delivered_against_granted(kpis: pd.DataFrame) -> None:
    _check(kpis, "hours_utilisation", 101, 70, 100, 0.7)
    _check(kpis, "grants_under_80", 101, 1, 1, 1.0)
    _check(kpis, "hours_utilisation", 461, 9, 10, 0.9)
    _check(kpis, "grants_under_80", 461, 0, 1, 0.0)


def test_stage_transitions_forward_and_back(kpis: pd.DataFrame) -> None:
    _check(kpis, "stage_forward.looks_for_work", 101, 2, 2, 1.0)
    _check(kpis, "stage_relapse.looks_for_work", 101, 0, 2, 0.0)
    _check(kpis, "stage_relapse.looks_for_work", 461, 1, 1, 1.0)
    _check(kpis, "stage_forward", 461, 0, 1, 0.0)


def test_rating_alerts_and_change_from_baseline(kpis: pd.DataFrame) -> None:
    _check(kpis, "rating_alert_share.session_scale", 101, 1, 2, 0.5)
    _check(kpis, "rating_change.session_scale", 101, 5, 1, 5.0)
    _check(kpis, "reliably_improved.session_scale", 101, 0, 1, 0.0)
    _check(kpis, "rating_alert_share.outcome_scale", 461, 1, 1, 1.0)
    # C's only rating has no baseline to change from: no course in the denominator.
    _check(kpis, "rating_change.outcome_scale", 461, 0, 0, np.nan)


def test_handovers_and_continuity(kpis: pd.DataFrame) -> None:
    _check(kpis, "handovers_acknowledged", 101, 1, 1, 1.0)
    _check(kpis, "handover_items.carried", 101, 4, 1, 4.0)
    _check(kpis, "handover_items_dropped", 101, 1, 6, 1 / 6)
    _check(kpis, "days_to_first_contact.after_handover", 101, 5, 1, 5.0)
    _check(kpis, "no_shows_30d.after_handover", 101, 1, 1, 1.0)
    # A has no handover: its first attended contact is on day 2 of its course, and its one
    # no-show (day 10) is within 30 days of the start.
    _check(kpis, "days_to_first_contact.without_handover", 101, 2, 1, 2.0)
    _check(kpis, "no_shows_30d.without_handover", 101, 1, 1, 1.0)
    # Mentor changes are the acknowledged mentor-to-mentor handovers settled by as_of: B's one,
    # in 486 days of course (the courses table's whole-history mentor_changes column is not
    # used: it would count changes after as_of); C had none in its 91 days.
    _check(kpis, "mentor_changes_per_course_year", 101, 1, 486 / 365.25, 365.25 / 486)
    _check(kpis, "mentor_changes_per_course_year", 461, 0, 91 / 365.25, 0.0)


def test_time_to_work_or_education_and_retention(kpis: pd.DataFrame) -> None:
    # 101: A starts work on day 173 of 2 at risk, B is censored on day 306: F = 1/2 from day 173.
    _check(kpis, "time_to_work_or_education.work_or_education_6m", 101, 1, 2, 0.5)
    _check(kpis, "time_to_work_or_education.work_6m", 101, 1, 2, 0.5)
    _check(kpis, "time_to_work_or_education.education_12m", 101, 0, 2, 0.0)
    row = _check(kpis, "time_to_work_or_education.median_days", 101, np.nan, 2, 173.0)
    # 461: C drops out on day 91: dropout 1 by 6 months, no work or education.
    _check(kpis, "time_to_work_or_education.dropout_6m", 461, 1, 1, 1.0)
    _check(kpis, "time_to_work_or_education.work_or_education_12m", 461, 0, 1, 0.0)
    assert np.isinf(_row(kpis, "time_to_work_or_education.median_days", 461).value)
    # A's job (2024-07-01) has not ended by AS_OF: retained at 3 and 6 months; 12 months is
    # beyond the 184 days it was followed, so S stays 1 there too (no event).
    _check(kpis, "retention.3m", 101, 0, 1, 1.0)
    _check(kpis, "retention.12m", 101, 0, 1, 1.0)
    assert row.ci_lower <= 173.0


def test_the_survival_kpis_are_cohort_survival_read_at_the_day(cohort: mc.Cohort) -> None:
    kpis = cohort.kpis(as_of=AS_OF)
    aj = cohort.survival("time_to_work_or_education", as_of=AS_OF)
    work = kpis[kpis.kpi == "time_to_work_or_education.work_6m"].iloc[0]
    assert work.value == aj.at([182], 1)[0]


def test_kpis_equal_the_summary_kpis(cohort: mc.Cohort) -> None:
    summary = cohort.summary(as_of=AS_OF, by=["municipality", "provider"])
    pd.testing.assert_frame_equal(
        summary.kpis(), cohort.kpis(as_of=AS_OF, by=["municipality", "provider"])
    )


def test_every_kpi_family_has_a_definition(kpis: pd.DataFrame) -> None:
    definitions = mc.kpi_definitions()
    families = set(kpis.kpi.str.split(".").str[0])
    assert families <= set(definitions.kpi)
    assert set(definitions.columns) >= {"kpi", "kind", "title", "numerator", "denominator"}


def test_each_family_is_a_method_of_the_cohort(cohort: mc.Cohort, kpis: pd.DataFrame) -> None:
    from mentorcore._cohort_kpis import KPI_METHODS

    seen: set[str] = set()
    for method, families in KPI_METHODS.items():
        rows = getattr(cohort, method)(as_of=AS_OF, by="municipality")
        assert set(rows.kpi.str.split(".").str[0]) == set(families), method
        expected = kpis[kpis.kpi.str.split(".").str[0].isin(families)].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, expected)
        seen |= set(families)
    assert seen == set(kpis.kpi.str.split(".").str[0])  # every KPI belongs to one method


def test_transition_matrix(cohort: mc.Cohort) -> None:
    matrix = cohort.summary(as_of=AS_OF, by="municipality").transition_matrix("looks_for_work")
    assert matrix.loc["contemplation", "preparation"] == 1
    assert matrix.loc["preparation", "action"] == 1
    assert matrix.loc["preparation", "contemplation"] == 1
    assert int(matrix.to_numpy().sum()) == 3
    assert list(matrix.index) == [s.name for s in sorted(mc.Stage, key=lambda s: int(s.value))]


def test_nothing_known_only_after_as_of_counts(cohort: mc.Cohort) -> None:
    # On 2024-06-02 B's handover (made 2024-06-01) is not yet acknowledged (settled 2024-06-03),
    # its first contact (day 5) has not happened, and its 30 days have not passed.
    early = cohort.kpis(as_of=datetime.date(2024, 6, 2), by="municipality")
    _check(early, "handovers_acknowledged", 101, 0, 1, 0.0)
    _check(early, "days_to_first_contact.after_handover", 101, 0, 0, np.nan)
    _check(early, "no_shows_30d.after_handover", 101, 0, 0, np.nan)
    _check(early, "mentor_changes_per_course_year", 101, 0, (144 + 93) / 365.25, 0.0)
    # Grouped by start year on 2024-02-15, B (started 2024-03-01) has no start year yet.
    by_year = cohort.summary(as_of=datetime.date(2024, 2, 15), by="start_year")
    assert by_year.groups == ((2024,), (None,))
