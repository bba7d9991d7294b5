"""The Danish calendar through the public Python API."""

from __future__ import annotations

import datetime
import pickle

import holidays as holidays_oracle
import numpy as np
import pandas as pd
import pytest
from dateutil.easter import easter
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc
from mentorcore import calendar as cal

D = datetime.date


def test_easter_sunday_matches_dateutil_for_every_supported_year() -> None:
    for year in range(cal.FIRST_YEAR, cal.LAST_YEAR + 1):
        assert cal.easter_sunday(year) == easter(year)


def test_holiday_dates_match_the_holidays_package_for_every_year_it_covers() -> None:
    # The holidays package stops at its end_year (2100); beyond that, Easter is checked against
    # dateutil above and the fixed offsets by the C++ tests.
    years = range(cal.FIRST_YEAR, min(cal.LAST_YEAR, holidays_oracle.DK.end_year) + 1)
    oracle = holidays_oracle.country_holidays("DK", years=years)
    ours = {h.date for year in years for h in cal.holidays(year)}
    assert ours == set(oracle.keys())


def test_holidays_of_2024_with_danish_names() -> None:
    got = [(h.date, h.name, h.kind) for h in cal.holidays(2024)]
    assert got[:5] == [
        (D(2024, 1, 1), "Nytårsdag", cal.HolidayKind.new_years_day),
        (D(2024, 3, 28), "Skærtorsdag", cal.HolidayKind.maundy_thursday),
        (D(2024, 3, 29), "Langfredag", cal.HolidayKind.good_friday),
        (D(2024, 3, 31), "Påskedag", cal.HolidayKind.easter_sunday),
        (D(2024, 4, 1), "2. påskedag", cal.HolidayKind.easter_monday),
    ]
    assert len(got) == 10


def test_great_prayer_day_until_2023_only() -> None:
    assert cal.holiday_on(D(2023, 5, 5)) is cal.HolidayKind.great_prayer_day
    assert cal.holiday_name(D(2023, 5, 5)) == "Store bededag"
    assert cal.holiday_on(D(2024, 4, 26)) is None
    assert cal.is_working_day(D(2024, 4, 26))
    assert all(h.kind is not cal.HolidayKind.great_prayer_day for h in cal.holidays(2024))
    assert len(cal.holidays(2023)) == 11


def test_sundays_are_holidays_saturdays_are_closed() -> None:
    assert cal.is_holiday(D(2024, 6, 2))
    assert cal.holiday_on(D(2024, 6, 2)) is None
    assert not cal.is_holiday(D(2024, 6, 1))
    assert cal.non_working_reason(D(2024, 6, 1)) == "Lørdag"
    assert cal.non_working_reason(D(2024, 6, 3)) is None


def test_holiday_kind_is_a_python_enum() -> None:
    import enum

    assert issubclass(cal.HolidayKind, enum.Enum)
    assert cal.HolidayKind["easter_sunday"] is cal.HolidayKind.easter_sunday
    assert len(list(cal.HolidayKind)) == 11
    assert cal.HolidayKind.__module__ == "mentorcore.calendar"


def test_holiday_objects_compare_hash_and_pickle() -> None:
    first = cal.holidays(2024)[0]
    assert first == cal.Holiday(D(2024, 1, 1), cal.HolidayKind.new_years_day)
    assert hash(first) == hash(cal.Holiday(D(2024, 1, 1), cal.HolidayKind.new_years_day))
    assert pickle.loads(pickle.dumps(first)) == first
    assert repr(first) == "Holiday(date=datetime.date(2024, 1, 1), name='Nytårsdag')"


def test_deadline_policy_defaults_close_5_june_24_and_31_december() -> None:
    for day, reason in [
        (D(2024, 6, 5), "Grundlovsdag"),
        (D(2024, 12, 24), "Juleaftensdag"),
        (D(2024, 12, 31), "Nytårsaftensdag"),
    ]:
        assert not cal.is_working_day(day)
        assert cal.non_working_reason(day) == reason
        assert cal.is_working_day(day, cal.DeadlinePolicy.public_holidays_only())
    christmas_eve_open = cal.DeadlinePolicy(christmas_eve_closed=False)
    assert cal.is_working_day(D(2024, 12, 24), christmas_eve_open)
    assert not cal.is_working_day(D(2024, 12, 31), christmas_eve_open)


def test_municipality_closing_days() -> None:
    policy = cal.DeadlinePolicy(closing_days=[D(2024, 5, 10), D(2024, 5, 10)])
    assert policy.closing_days == [D(2024, 5, 10)]
    assert cal.non_working_reason(D(2024, 5, 10), policy) == "Lukkedag"
    assert cal.is_working_day(D(2024, 5, 10))
    assert cal.add_working_days(D(2024, 5, 8), 1, policy) == D(2024, 5, 13)


def test_deadline_policy_equality_repr_and_pickle() -> None:
    policy = cal.DeadlinePolicy(new_years_eve_closed=False, closing_days=[D(2025, 5, 30)])
    restored = pickle.loads(pickle.dumps(policy))
    assert restored == policy
    assert isinstance(restored, cal.DeadlinePolicy)
    assert policy != cal.DeadlinePolicy()
    assert repr(policy) == (
        "DeadlinePolicy(constitution_day_closed=True, christmas_eve_closed=True, "
        "new_years_eve_closed=False, closing_days=[datetime.date(2025, 5, 30)])"
    )


def test_worked_deadline_over_christmas() -> None:
    assert cal.add_working_days(D(2026, 12, 18), 10) == D(2027, 1, 7)
    holidays_only = cal.DeadlinePolicy.public_holidays_only()
    assert cal.add_working_days(D(2026, 12, 18), 10, holidays_only) == D(2027, 1, 5)
    assert cal.working_days_between(D(2026, 12, 18), D(2027, 1, 7)) == 10
    assert cal.working_days_between(D(2027, 1, 7), D(2026, 12, 18)) == -10
    assert cal.next_working_day(D(2024, 3, 27)) == D(2024, 4, 2)
    assert cal.previous_working_day(D(2024, 4, 2)) == D(2024, 3, 27)
    assert cal.roll_forward(D(2024, 6, 1)) == D(2024, 6, 3)
    assert cal.roll_forward(D(2024, 6, 3)) == D(2024, 6, 3)


working_days_2000_2050 = st.dates(D(2000, 1, 1), D(2050, 12, 31)).filter(cal.is_working_day)


@settings(max_examples=300, deadline=None)
@given(day=working_days_2000_2050, n=st.integers(-400, 400))
def test_stepping_forward_and_back_returns_to_a_working_day(day: datetime.date, n: int) -> None:
    there = cal.add_working_days(day, n)
    assert cal.add_working_days(there, -n) == day
    assert cal.working_days_between(day, there) == n


@settings(max_examples=300, deadline=None)
@given(day=st.dates(D(2000, 1, 1), D(2050, 12, 31)), n=st.integers(0, 400))
def test_working_days_between_counts_what_add_working_days_steps(
    day: datetime.date, n: int
) -> None:
    there = cal.add_working_days(day, n)
    assert cal.working_days_between(day, there) == n
    assert cal.working_days_between(there, day) == -n


def test_danish_month_arithmetic() -> None:
    assert cal.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert cal.add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert cal.add_months(D(2024, 2, 29), 1) == D(2024, 3, 31)
    assert cal.add_months(D(2024, 1, 30), 2) == D(2024, 3, 30)
    assert cal.add_months(D(2024, 3, 15), 6) == D(2024, 9, 15)
    assert cal.add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


@given(day=st.dates(D(1900, 1, 1), D(2200, 12, 31)))
def test_iso_week_agrees_with_the_standard_library(day: datetime.date) -> None:
    assert tuple(cal.iso_week(day)) == tuple(day.isocalendar())


def test_year_frame_has_one_row_per_day_and_the_documented_columns() -> None:
    frame = cal.year_frame(2024, 2025)
    assert list(frame.columns) == [
        "date",
        "iso_year",
        "iso_week",
        "iso_weekday",
        "holiday",
        "is_holiday",
        "is_working_day",
    ]
    assert len(frame) == 366 + 365
    assert frame["date"].dtype == np.dtype("datetime64[ns]")
    assert frame["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert frame["date"].iloc[-1] == pd.Timestamp("2025-12-31")
    easter_row = frame[frame["date"] == pd.Timestamp("2024-03-31")].iloc[0]
    assert easter_row["holiday"] == "Påskedag"
    assert bool(easter_row["is_holiday"]) and not bool(easter_row["is_working_day"])
    # The frame agrees with the scalar functions on every day.
    for row in frame.sample(60, random_state=1).itertuples():
        day = row.date.date()
        assert row.is_working_day == cal.is_working_day(day)
        assert row.is_holiday == cal.is_holiday(day)
        assert (None if pd.isna(row.holiday) else row.holiday) == cal.holiday_name(day)


def test_year_frame_working_days_2027() -> None:
    # 2027 starts on a Friday: 261 weekdays. Named holidays on weekdays: 1 Jan, Maundy Thursday,
    # Good Friday, Easter Monday, Ascension Day, Whit Monday (Christmas falls on the weekend): 255.
    # The common rule also closes 24 and 31 December (both Fridays); 5 June is a Saturday: 253.
    frame = cal.year_frame(2027)
    assert int(frame["is_working_day"].sum()) == 253
    lenient = cal.year_frame(2027, policy=cal.DeadlinePolicy.public_holidays_only())
    assert int(lenient["is_working_day"].sum()) == 255


def test_holidays_frame() -> None:
    frame = cal.holidays_frame(2023, 2024)
    assert list(frame.columns) == ["date", "name", "kind"]
    assert len(frame) == 21
    assert frame.loc[frame["kind"] == "great_prayer_day", "date"].tolist() == [
        pd.Timestamp("2023-05-05")
    ]


def test_days_frame_range() -> None:
    frame = cal.days_frame(D(2026, 12, 20), D(2027, 1, 3))
    assert len(frame) == 15
    assert frame["is_working_day"].sum() == 6


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: cal.holidays(1899),
            mc.OutOfRangeError,
            "year = 1899: outside the supported calendar 1900-2200",
        ),
        (
            lambda: cal.holidays(2201),
            mc.OutOfRangeError,
            "year = 2201: outside the supported calendar 1900-2200",
        ),
        (
            lambda: cal.easter_sunday("2024"),
            mc.InvalidValueError,
            "year = '2024': expected an integer, got str",
        ),
        (
            lambda: cal.holidays(2024.0),
            mc.InvalidValueError,
            "year = 2024.0: expected an integer, got float",
        ),
        (
            lambda: cal.holidays(True),
            mc.InvalidValueError,
            "year = True: expected an integer, got bool",
        ),
        (
            lambda: cal.is_holiday("2024-01-01"),
            mc.InvalidValueError,
            "day = '2024-01-01': expected a datetime.date, got str",
        ),
        (
            lambda: cal.is_holiday(None),
            mc.InvalidValueError,
            "day = None: expected a datetime.date",
        ),
        (
            lambda: cal.is_working_day(datetime.datetime(2024, 1, 1, 9, 30)),
            mc.InvalidValueError,
            "pass value.date()",
        ),
        (
            lambda: cal.is_holiday(D(1899, 12, 31)),
            mc.OutOfRangeError,
            "day = 1899-12-31: outside the supported calendar",
        ),
        (lambda: cal.add_working_days(D(2024, 1, 1), 10**6), mc.OutOfRangeError, "days = 1000000"),
        (lambda: cal.add_working_days(D(2024, 1, 1), 2**40), mc.OutOfRangeError, "32-bit integer"),
        (lambda: cal.next_working_day(D(2200, 12, 31)), mc.OutOfRangeError, "day = 2200-12-31"),
        (lambda: cal.add_months(D(9999, 12, 1), 1), mc.OutOfRangeError, "months = 1"),
        (lambda: cal.add_months(D(1000, 1, 1), 1), mc.OutOfRangeError, "1400-9999"),
        (
            lambda: cal.is_working_day(D(2024, 1, 1), policy="lenient"),
            mc.InvalidValueError,
            "policy = 'lenient'",
        ),
        (
            lambda: cal.DeadlinePolicy(closing_days=[D(2024, 5, 10), "2024-05-11"]),
            mc.InvalidValueError,
            "closing_days[1] = '2024-05-11'",
        ),
        (
            lambda: cal.DeadlinePolicy(closing_days=D(2024, 5, 10)),
            mc.InvalidValueError,
            "closing_days = ",
        ),
        (
            lambda: cal.DeadlinePolicy(closing_days=[D(2300, 1, 1)]),
            mc.OutOfRangeError,
            "closing_days = 2300-01-01",
        ),
        (
            lambda: cal.DeadlinePolicy(christmas_eve_closed="no"),
            mc.InvalidValueError,
            "christmas_eve_closed = 'no'",
        ),
        (
            lambda: cal.year_frame(2025, 2024),
            mc.InvalidValueError,
            "last_year = 2024: before first_year 2025",
        ),
        (lambda: cal.year_frame(2024, 2300), mc.OutOfRangeError, "last_year = 2300"),
        (
            lambda: cal.days_frame(D(2024, 1, 2), D(2024, 1, 1)),
            mc.InvalidValueError,
            "end = 2024-01-01: before start",
        ),
    ],
)
def test_bad_input_raises_mentorcore_errors_naming_field_and_value(call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error) as caught:
        call()
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, mc.Error)


def test_numpy_integers_are_accepted() -> None:
    assert cal.easter_sunday(np.int64(2024)) == D(2024, 3, 31)
    assert cal.add_working_days(D(2024, 1, 2), np.int32(3)) == D(2024, 1, 5)


@pytest.mark.parametrize(
    "state", [(2, D(2024, 1, 1), cal.HolidayKind.new_years_day), ("1", None, None), (1,)]
)
def test_bad_pickle_state_of_a_holiday_is_an_error(state: tuple[object, ...]) -> None:
    holiday = cal.Holiday.__new__(cal.Holiday)
    with pytest.raises(mc.InvalidValueError, match="not a pickled Holiday of format version 1"):
        holiday.__setstate__(state)


@pytest.mark.parametrize(
    "state", [(1, "2024-01-01", cal.HolidayKind.new_years_day), (1, D(2024, 1, 1), 3)]
)
def test_pickled_holiday_fields_are_checked(state: tuple[object, ...]) -> None:
    holiday = cal.Holiday.__new__(cal.Holiday)
    with pytest.raises(mc.InvalidValueError, match="pickle = "):
        holiday.__setstate__(state)


def test_pickled_policy_fields_are_checked() -> None:
    policy = cal.DeadlinePolicy.__new__(cal.DeadlinePolicy)
    with pytest.raises(mc.InvalidValueError, match="pickle = "):
        policy.__setstate__((1, True, True, "yes", []))
    with pytest.raises(mc.InvalidValueError, match="pickle = "):
        policy.__setstate__((1, True, True, True, ["2024-05-10"]))


@pytest.mark.parametrize(
    "state", [None, [1, None, None], (2**64, None, None), (1, "x"), (1, 2, 3)], ids=repr
)
def test_a_malformed_holiday_pickle_state_is_an_error(state: object) -> None:
    # Issue #12: a state that is not a tuple, or a version of 2**64, escaped as a TypeError or a
    # RuntimeError from the binding layer.
    with pytest.raises(mc.Error):
        mc.calendar.Holiday.__new__(mc.calendar.Holiday).__setstate__(state)  # type: ignore[misc]
