"""The Danish working-day calendar.

Public holidays of 1900-2200 with their Danish names (Great Prayer Day only up to and including
2023), working days under a :class:`DeadlinePolicy`, Danish month arithmetic and ISO weeks. Every
function takes and returns :class:`datetime.date`; a year or date outside 1900-2200 raises
:class:`mentorcore.OutOfRangeError` rather than giving a wrong answer.

>>> import datetime
>>> from mentorcore import calendar
>>> calendar.easter_sunday(2024)
datetime.date(2024, 3, 31)
>>> calendar.add_working_days(datetime.date(2026, 12, 18), 10)
datetime.date(2027, 1, 7)
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from . import _core
from ._render import holiday_html, holiday_text, policy_html, policy_text, record_html
from ._validate import as_bool, as_date, as_dates, as_int, invalid, out_of_range

if TYPE_CHECKING:
    import pandas as pd

_cal = _core.calendar

FIRST_YEAR: int = _cal.FIRST_YEAR
"""The first year the holiday calendar covers (1900)."""
LAST_YEAR: int = _cal.LAST_YEAR
"""The last year the holiday calendar covers (2200)."""

HolidayKind = _cal.HolidayKind
Holiday = _cal.Holiday
HolidayKind.__module__ = __name__
Holiday.__module__ = __name__
Holiday.__str__ = holiday_text  # type: ignore[assignment]
Holiday._repr_html_ = holiday_html  # type: ignore[attr-defined]

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "DeadlinePolicy",
    "Holiday",
    "HolidayKind",
    "IsoWeek",
    "add_months",
    "add_working_days",
    "days_frame",
    "easter_sunday",
    "holiday_name",
    "holiday_on",
    "holidays",
    "holidays_frame",
    "is_holiday",
    "is_working_day",
    "iso_week",
    "next_working_day",
    "non_working_reason",
    "previous_working_day",
    "roll_forward",
    "working_days_between",
    "year_frame",
]


class DeadlinePolicy(_cal.DeadlinePolicy):
    """Which days besides weekends and public holidays are closed when counting working days.

    The default is the common Danish deadline rule: Constitution Day (5 June), Christmas Eve and
    New Year's Eve are closed. ``closing_days`` adds a municipality's own closing days, for
    example the Friday after Ascension Day.
    """

    def __init__(
        self,
        *,
        constitution_day_closed: bool = True,
        christmas_eve_closed: bool = True,
        new_years_eve_closed: bool = True,
        closing_days: Iterable[datetime.date] = (),
    ) -> None:
        super().__init__(
            constitution_day_closed=as_bool(constitution_day_closed, "constitution_day_closed"),
            christmas_eve_closed=as_bool(christmas_eve_closed, "christmas_eve_closed"),
            new_years_eve_closed=as_bool(new_years_eve_closed, "new_years_eve_closed"),
            closing_days=as_dates(closing_days, "closing_days"),
        )

    @classmethod
    def public_holidays_only(cls) -> DeadlinePolicy:
        """Only weekends and public holidays are closed."""
        return cls(
            constitution_day_closed=False, christmas_eve_closed=False, new_years_eve_closed=False
        )

    def __repr__(self) -> str:
        return (
            f"DeadlinePolicy(constitution_day_closed={self.constitution_day_closed}, "
            f"christmas_eve_closed={self.christmas_eve_closed}, "
            f"new_years_eve_closed={self.new_years_eve_closed}, "
            f"closing_days={self.closing_days!r})"
        )

    def __str__(self) -> str:
        return policy_text(self)

    def _repr_html_(self) -> str:
        return policy_html(self)


_DEFAULT_POLICY = DeadlinePolicy()


def _policy(policy: object) -> _cal.DeadlinePolicy:
    if policy is None:
        return _DEFAULT_POLICY
    if not isinstance(policy, _cal.DeadlinePolicy):
        raise invalid(
            "policy", policy, f"expected a DeadlinePolicy or None, got {type(policy).__name__}"
        )
    return policy


class IsoWeek(NamedTuple):
    """An ISO 8601 week date."""

    year: int
    """The ISO week-numbering year (differs from the calendar year around New Year)."""
    week: int
    """1-53."""
    weekday: int
    """1 = Monday ... 7 = Sunday."""

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}-{self.weekday}"

    def _repr_html_(self) -> str:
        return record_html(self)


def easter_sunday(year: int) -> datetime.date:
    """Easter Sunday of `year` (1900-2200)."""
    return _cal.easter_sunday(as_int(year, "year"))


def holidays(year: int) -> list[Holiday]:
    """The named Danish public holidays of `year` (1900-2200) in date order, each with
    ``.date``, ``.name`` (Danish) and ``.kind``. Sundays are holidays too but are not listed."""
    return _cal.holidays(as_int(year, "year"))


def holiday_on(day: datetime.date) -> HolidayKind | None:
    """The named holiday on `day`, or None."""
    return _cal.holiday_on(as_date(day, "day"))


def holiday_name(day: datetime.date) -> str | None:
    """The Danish name of the named holiday on `day`, or None."""
    kind = holiday_on(day)
    return None if kind is None else _cal.danish_name(kind)


def is_holiday(day: datetime.date) -> bool:
    """Whether `day` is a Danish public holiday: a named holiday or a Sunday."""
    return _cal.is_holiday(as_date(day, "day"))


def is_working_day(day: datetime.date, policy: DeadlinePolicy | None = None) -> bool:
    """Whether `day` is a working day: Monday-Friday, no holiday, not closed by `policy`."""
    return _cal.is_working_day(as_date(day, "day"), _policy(policy))


def non_working_reason(day: datetime.date, policy: DeadlinePolicy | None = None) -> str | None:
    """Why `day` is not a working day ("Lørdag", "Søndag", a holiday's Danish name,
    "Grundlovsdag", "Juleaftensdag", "Nytårsaftensdag", "Lukkedag"), or None if it is one."""
    return _cal.non_working_reason(as_date(day, "day"), _policy(policy))


def next_working_day(day: datetime.date, policy: DeadlinePolicy | None = None) -> datetime.date:
    """The first working day strictly after `day`."""
    return _cal.next_working_day(as_date(day, "day"), _policy(policy))


def previous_working_day(day: datetime.date, policy: DeadlinePolicy | None = None) -> datetime.date:
    """The last working day strictly before `day`."""
    return _cal.previous_working_day(as_date(day, "day"), _policy(policy))


def roll_forward(day: datetime.date, policy: DeadlinePolicy | None = None) -> datetime.date:
    """`day` if it is a working day, else the next working day (a deadline on a closed day)."""
    return _cal.roll_forward(as_date(day, "day"), _policy(policy))


def add_working_days(
    day: datetime.date, days: int, policy: DeadlinePolicy | None = None
) -> datetime.date:
    """The `days`-th working day after `day` (before it if negative; `day` itself for 0)."""
    return _cal.add_working_days(as_date(day, "day"), as_int(days, "days"), _policy(policy))


def working_days_between(
    start: datetime.date, end: datetime.date, policy: DeadlinePolicy | None = None
) -> int:
    """The working days after `start` up to and including `end` (negative if `end` < `start`);
    ``working_days_between(d, add_working_days(d, n)) == n`` for n >= 0."""
    return _cal.working_days_between(as_date(start, "start"), as_date(end, "end"), _policy(policy))


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Danish month arithmetic: same day of month, clamped to a shorter month's last day, and a
    month-end date stays at month end (2024-02-29 + 1 month = 2024-03-31)."""
    return _cal.add_months(as_date(day, "day"), as_int(months, "months"))


def iso_week(day: datetime.date) -> IsoWeek:
    """The ISO 8601 week-numbering year, week and weekday of `day`."""
    week = _cal.iso_week(as_date(day, "day"))
    return IsoWeek(week.year, week.week, week.weekday)


_HOLIDAY_NAMES = [_cal.danish_name(kind) for kind in HolidayKind]


def days_frame(
    start: datetime.date, end: datetime.date, policy: DeadlinePolicy | None = None
) -> pd.DataFrame:
    """One row per day from `start` to `end` inclusive.

    Columns: ``date`` (datetime64[ns]), ``iso_year``, ``iso_week``, ``iso_weekday`` (1 = Monday),
    ``holiday`` (Danish name of a named holiday, categorical, NaN on other days), ``is_holiday``
    (named holiday or Sunday) and ``is_working_day`` (under `policy`).
    """
    import pandas as pd

    columns = _cal.day_table(as_date(start, "start"), as_date(end, "end"), _policy(policy))
    dates = columns["epoch_day"].astype("datetime64[D]").astype("datetime64[ns]")
    holiday_codes = np.asarray(columns["holiday_code"], dtype=np.int8)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "date": dates,
            "iso_year": columns["iso_year"],
            "iso_week": columns["iso_week"],
            "iso_weekday": columns["iso_weekday"],
            "holiday": pd.Categorical.from_codes(
                holiday_codes, categories=pd.Index(_HOLIDAY_NAMES)
            ),
            "is_holiday": columns["is_holiday"],
            "is_working_day": columns["is_working_day"],
        }
    )
    return frame


def _year_range(first_year: int, last_year: int | None) -> tuple[datetime.date, datetime.date]:
    first = as_int(first_year, "first_year")
    last = first if last_year is None else as_int(last_year, "last_year")
    if last < first:
        raise invalid("last_year", last, f"before first_year {first}")
    for field, year in (("first_year", first), ("last_year", last)):
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise out_of_range(
                field, year, f"outside the supported calendar {FIRST_YEAR}-{LAST_YEAR}"
            )
    return datetime.date(first, 1, 1), datetime.date(last, 12, 31)


def year_frame(
    first_year: int, last_year: int | None = None, policy: DeadlinePolicy | None = None
) -> pd.DataFrame:
    """:func:`days_frame` for whole years: every day of `first_year` to `last_year` inclusive."""
    return days_frame(*_year_range(first_year, last_year), policy)


def holidays_frame(first_year: int, last_year: int | None = None) -> pd.DataFrame:
    """The named public holidays of `first_year` to `last_year` inclusive, one row each.

    Columns: ``date`` (datetime64[ns]), ``name`` (Danish), ``kind`` (the stable English key,
    e.g. ``"easter_sunday"``).
    """
    import pandas as pd

    start, end = _year_range(first_year, last_year)
    columns = _cal.day_table(start, end, _DEFAULT_POLICY)
    named = np.asarray(columns["holiday_code"], dtype=np.int64) >= 0
    codes = columns["holiday_code"][named]
    kinds = np.array([kind.name for kind in HolidayKind], dtype=object)
    names = np.array(_HOLIDAY_NAMES, dtype=object)
    frame: pd.DataFrame = pd.DataFrame(
        {
            "date": columns["epoch_day"][named].astype("datetime64[D]").astype("datetime64[ns]"),
            "name": names[codes],
            "kind": kinds[codes],
        }
    )
    return frame
