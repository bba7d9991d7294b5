"""mentorcore.Cohort: columns leave C++ without a copy, and frames mean what the courses say."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

import mentorcore as mc
from conftest import build_every_event_type_course, build_full_course


@pytest.fixture(scope="module")
def two_courses() -> mc.Cohort:
    return mc.Cohort.from_courses([build_full_course(), build_every_event_type_course("K-2")])


def test_tables_and_sizes(two_courses: mc.Cohort) -> None:
    assert two_courses.tables[:5] == ["courses", "phases", "pauses", "grants", "contacts"]
    assert len(two_courses) == 2
    assert two_courses.rows("contacts") == 16
    assert two_courses.date_range == (datetime.date(2024, 1, 8), datetime.date(2025, 1, 10))
    assert "2 courses 2024-01-08..2025-01-10, 16 contacts" in repr(two_courses)
    assert "<td>contacts</td>" in two_courses._repr_html_()


def test_the_courses_frame_agrees_with_the_course(two_courses: mc.Cohort) -> None:
    course = build_full_course()
    frame = two_courses.frame("courses")
    row = frame.iloc[0]
    assert row["course"] == "K-1"
    assert row["provider"] == "provider-7"
    assert row["mentor"] == "mentor-4"
    assert row["ordered"] == pd.Timestamp(course.ordered_on)
    assert row["started"] == pd.Timestamp(course.course_started_on)
    assert row["closed"] == pd.Timestamp(course.closed_on)
    assert row["closure_reason"] == "job"
    assert row["phase"] == "closed"
    assert row["first_start"] == pd.Timestamp(course.first_job_or_education_start)
    assert pd.isna(row["first_start_end"])
    assert str(frame["ordered"].dtype) == "datetime64[s]"
    assert isinstance(frame["closure_reason"].dtype, pd.CategoricalDtype)
    assert list(frame["closure_reason"].cat.categories) == [r.name for r in mc.ClosureReason]


def test_the_contacts_and_grants_frames_agree_with_the_course_frames(
    two_courses: mc.Cohort,
) -> None:
    course = build_full_course()
    contacts = two_courses.frame("contacts")
    mine = contacts[contacts["course"] == "K-1"].reset_index(drop=True)
    theirs = course.contacts_frame()
    assert (mine["date"].to_numpy() == theirs["date"].to_numpy()).all()
    assert list(mine["location"].astype(str)) == list(theirs["location"].astype(str))
    assert list(mine["actual_minutes"]) == list(theirs["actual_minutes"])
    assert list(mine["billable"]) == list(theirs["billable"])

    grants = two_courses.frame("grants")
    k1 = grants[grants["course"] == "K-1"].reset_index(drop=True)
    expected = course.grants_frame()
    np.testing.assert_allclose(k1["hours_granted"], expected["hours_granted"])
    np.testing.assert_allclose(k1["hours_delivered"], expected["hours_delivered"])
    assert list(k1["provider"].astype(object).where(k1["provider"].notna(), None)) == [
        None,
        "provider-7",
    ]


def test_arrays_view_the_core_without_a_copy(two_courses: mc.Cohort) -> None:
    first = two_courses.arrays("contacts")
    again = two_courses.arrays("contacts")
    for name in first:
        if name != "course":  # computed from the offsets the cohort keeps instead
            assert first[name].ctypes.data == again[name].ctypes.data, name
        assert not first[name].flags.writeable
    assert list(first["course"]) == [0] * 8 + [1] * 8
    assert first["date"].dtype == np.int32
    assert first["planned_minutes"].dtype == np.int16
    with pytest.raises(ValueError):
        first["date"][0] = 0
    # The views keep the cohort alive after the last Python reference to it is gone.
    alone = mc.Cohort.from_courses([build_full_course()]).arrays("courses")
    assert alone["ordered"][0] == (datetime.date(2024, 1, 8) - datetime.date(1970, 1, 1)).days


def test_missing_values_in_arrays_and_frames(two_courses: mc.Cohort) -> None:
    handovers = two_courses.arrays("handovers")
    assert (handovers["days_to_first_contact"] == mc._core.MISSING_NUMBER).all()
    frame = two_courses.frame("handovers")
    assert str(frame["days_to_first_contact"].dtype) == "Int32"
    assert frame["days_to_first_contact"].isna().all()
    phases = two_courses.arrays("phases")
    assert phases["end"][5] == mc.MISSING_DAY  # K-1 is still closed
    assert pd.isna(two_courses.frame("phases")["end"].iloc[5])


def test_schema_and_dictionaries(two_courses: mc.Cohort) -> None:
    schema = {
        name: (kind, categories, dictionary)
        for name, kind, categories, dictionary in two_courses.schema("contacts")
    }
    assert schema["mentor"] == ("code", None, "staff")
    assert schema["location"][0] == "category"
    assert schema["location"][1] == [member.name for member in mc.Location]
    assert two_courses.dictionary("course") == ["K-1", "K-2"]
    assert "mentor-4" in two_courses.dictionary("staff")


def test_bad_input_is_an_error_naming_it(two_courses: mc.Cohort) -> None:
    with pytest.raises(mc.Error, match=r'table = "contact": no such table; the tables are courses'):
        two_courses.frame("contact")
    with pytest.raises(mc.Error, match="dictionary_kind"):
        two_courses.dictionary("mentors")
    with pytest.raises(mc.Error, match=r'course = "K-1": the course is in the cohort already'):
        mc.Cohort.from_courses([build_full_course(), build_full_course()])
    with pytest.raises(mc.Error, match=r"courses\[1\]"):
        mc.Cohort.from_courses([build_full_course(), "K-2"])


@pytest.mark.parametrize("method", ["frame", "arrays", "arrow", "rows", "schema"])
@pytest.mark.parametrize("table", [None, 5, b"courses"])
def test_a_table_that_is_not_a_str_is_an_error_listing_the_tables(
    two_courses: mc.Cohort, method: str, table: object
) -> None:
    # Found by adversarial testing: frame(None) raised pybind11's TypeError, which named no
    # argument.
    with pytest.raises(mc.InvalidValueError) as caught:
        getattr(two_courses, method)(table)
    assert caught.value.field == "table"
    assert str(caught.value) == (
        f"table = {table!r}: expected the name of a table (a str), one of "
        + ", ".join(two_courses.tables)
    )


def test_a_dictionary_kind_that_is_not_a_str_is_an_error_listing_the_kinds(
    two_courses: mc.Cohort,
) -> None:
    with pytest.raises(mc.InvalidValueError, match=r"^kind = None: expected the name") as caught:
        two_courses.dictionary(None)  # type: ignore[arg-type]
    listed = str(caught.value).split("one of ", 1)[1].split(", ")
    assert sorted(listed) == sorted(
        {kind for t in two_courses.tables for *_, kind in two_courses.schema(t) if kind}
    )
    assert {"course", "citizen", "staff", "provider"} <= set(listed)


def test_a_synthetic_municipality_has_every_table_filled_and_consistent() -> None:
    courses = mc.synthetic.generate(300, seed=7)
    cohort = mc.Cohort.from_courses(courses)
    assert len(cohort) == 300
    for table in cohort.tables:
        arrays = cohort.arrays(table)
        lengths = {len(values) for values in arrays.values()}
        assert lengths == {cohort.rows(table)}, table
        assert cohort.rows(table) > 0, table
        codes = arrays["course"]
        assert codes.min() >= 0 and codes.max() < 300, table
    contacts = cohort.frame("contacts")
    assert len(contacts) == sum(len(course.contacts_frame()) for course in courses)


_RATING_ALERTS = {"below_cutoff", "rating_drop", "no_reliable_improvement"}


def test_ratings_alert_is_one_exactly_where_the_course_lists_a_rating_alert() -> None:
    courses = list(mc.synthetic.generate(200, seed=23, threads=1))
    cohort = mc.Cohort.from_courses(courses)
    ratings = cohort.frame("ratings")
    assert str(ratings["alert"].dtype) == "bool"
    flagged = {
        (str(course), day.date(), str(instrument))
        for course, day, instrument in ratings.loc[
            ratings["alert"], ["course", "date", "instrument"]
        ].itertuples(index=False)
    }
    as_of = cohort.date_range[1]
    listed = {
        (str(course.id), alert.date, alert.subject)
        for course in courses
        for alert in course.alerts(as_of)
        if alert.code in _RATING_ALERTS
    }
    # Both kinds of instrument rule occur, and ratings without an alert too.
    assert {a.code for c in courses for a in c.alerts(as_of)} >= _RATING_ALERTS
    assert 0 < len(flagged) < len(ratings)
    assert flagged == listed


def _decoded(cohort: mc.Cohort, table: str) -> pd.DataFrame:
    """A table with its categories as plain values: two cohorts may number strings differently."""
    frame = cohort.frame(table)
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype(object)
    return frame


@pytest.fixture(scope="module")
def municipality() -> list[mc.Course]:
    return mc.synthetic.generate(400, seed=11)


def test_a_selection_equals_the_cohort_of_the_selected_courses(
    municipality: list[mc.Course],
) -> None:
    cohort = mc.Cohort.from_courses(municipality)
    courses = cohort.frame("courses")
    code = int(courses["municipality"].iloc[0])
    provider = str(courses["provider"].dropna().iloc[0])
    first, last = datetime.date(2023, 1, 1), datetime.date(2024, 6, 30)
    chosen = cohort.select(municipality=code, provider=[provider], started_between=(first, last))
    started = courses["started"]
    wanted = (
        (courses["municipality"] == code)
        & (courses["provider"] == provider)
        & (started >= pd.Timestamp(first))
        & (started <= pd.Timestamp(last))
    )
    ids = set(courses.loc[wanted.fillna(False), "course"].astype(str))
    assert 0 < len(chosen) == len(ids) < len(cohort)
    expected = mc.Cohort.from_courses([c for c in municipality if str(c.id) in ids])
    for table in cohort.tables:
        pd.testing.assert_frame_equal(_decoded(chosen, table), _decoded(expected, table))
    # Only the strings the selection uses are left, so its categories are all observed.
    assert chosen.dictionary("provider") == [provider]
    assert set(chosen.dictionary("course")) == ids


def test_selecting_by_target_group_and_nothing(municipality: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(municipality)
    groups = cohort.frame("courses")["target_group"]
    group = str(groups.iloc[0])
    assert len(cohort.select(target_group=group)) == int((groups == group).sum())
    assert len(cohort.select()) == len(cohort)
    empty = cohort.select(municipality=[], provider="no such provider")
    assert len(empty) == 0
    assert empty.rows("contacts") == 0
    assert len(empty.frame("contacts")) == 0


def test_bad_selections_are_errors_naming_the_field(two_courses: mc.Cohort) -> None:
    with pytest.raises(mc.Error, match=r"municipality = 'x': expected an integer"):
        two_courses.select(municipality="x")
    with pytest.raises(mc.Error, match=r"provider = 7: expected a str"):
        two_courses.select(provider=[7])
    with pytest.raises(mc.Error, match=r"started_between = .*: expected a pair"):
        two_courses.select(started_between=datetime.date(2024, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(mc.Error, match=r"started_between\[1\]"):
        two_courses.select(started_between=(datetime.date(2024, 1, 1), "2024-12-31"))  # type: ignore[arg-type]
    with pytest.raises(mc.Error, match=r"the last day is before the first"):
        two_courses.select(started_between=(datetime.date(2024, 2, 1), datetime.date(2024, 1, 1)))
