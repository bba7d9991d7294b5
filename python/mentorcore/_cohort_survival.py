"""Cohort.survival: the durations, outcomes and censoring of the time-to-event questions, built
from a cohort's columns with array operations and handed to the estimators of
mentorcore.survival. docs/kpis.md states each definition and its censoring rule."""

from __future__ import annotations

import datetime
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from . import _core
from ._validate import as_date, invalid
from .survival import (
    TIME_TO_WORK_OUTCOMES,
    AalenJohansen,
    KaplanMeier,
    aalen_johansen,
    kaplan_meier,
)


class _Columns(Protocol):
    """What this module reads of a Cohort (cohort.py imports this module, not the reverse)."""

    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None: ...
    def arrays(self, table: str) -> dict[str, np.ndarray]: ...
    def dictionary(self, kind: str) -> list[str]: ...


__all__ = ["cohort_survival"]

SURVIVAL_OUTCOMES = ("time_to_work_or_education", "retention")
"""The questions Cohort.survival answers."""

_GROUPS = ("municipality", "target_group", "provider", "mentor", "caseworker", "start_year")
_EPOCH = np.datetime64("1970-01-01", "D")
# Months of follow-up after a closure: ends of starts are recorded for 12 months
# (course_follow_up_months in the core).
_FOLLOW_UP_MONTHS = 12


def _names(enum: Any) -> dict[str, int]:
    return {member.name: int(member.value) for member in enum}


def _codes(values: npt.NDArray[np.int8], names: dict[str, int], wanted: tuple[str, ...]) -> Any:
    """Whether each enum code (int8, -1 for missing) is one of `wanted`: a 256-entry lookup."""
    lookup = np.zeros(256, dtype=bool)
    lookup[[names[name] for name in wanted]] = True
    return lookup[values.view(np.uint8)]


def _add_months(days: npt.NDArray[np.int32], months: int) -> npt.NDArray[np.int64]:
    """Day numbers `months` calendar months later by the core's add_months (the Danish rule):
    the day of month kept, clamped to the last day of a shorter month, and a month's last day
    kept at month end (2024-02-29 + 1 month = 2024-03-31)."""
    return _core.add_months_to_days(days, months).astype(np.int64)


def _time_to_work(
    courses: dict[str, Any], as_of: int, origin: str
) -> tuple[Any, npt.NDArray[np.float64], npt.NDArray[np.int32]]:
    start_types = _names(_core.StartType)
    reasons = _names(_core.ClosureReason)
    begin = courses[origin].astype(np.int64)
    keep = (courses[origin] != _core.MISSING_DAY) & (begin <= as_of)
    first = courses["first_start"].astype(np.int64)
    closed = courses["closed"].astype(np.int64)
    has_start = (courses["first_start"] != _core.MISSING_DAY) & (first <= as_of)
    has_closure = (courses["closed"] != _core.MISSING_DAY) & (closed <= as_of)
    # A start before the origin (the order came after the job) counts at the origin.
    end = np.full(begin.shape, as_of, dtype=np.int64)
    outcome = np.zeros(begin.shape, dtype=np.int32)
    started_work = has_start & _codes(
        courses["first_start_type"], start_types, ("ordinary_job", "flex_job", "wage_subsidy")
    )
    started_education = has_start & _codes(courses["first_start_type"], start_types, ("education",))
    # Without a recorded start, the closure says where the course went.
    closure = courses["closure_reason"]
    ended = has_closure & ~has_start
    closed_to_work = ended & _codes(closure, reasons, ("job", "flex_job"))
    closed_to_education = ended & _codes(closure, reasons, ("education",))
    dropped_out = ended & _codes(closure, reasons, ("dropped_out",))
    other_exit = ended & ~(closed_to_work | closed_to_education | dropped_out)
    end[has_start] = first[has_start]
    end[ended] = closed[ended]
    outcome[started_work | closed_to_work] = 1
    outcome[started_education | closed_to_education] = 2
    outcome[dropped_out] = 3
    outcome[other_exit] = 4
    durations = np.maximum(end - begin, 0).astype(np.float64)
    return keep, durations, outcome


def _retention(
    courses: dict[str, Any], as_of: int
) -> tuple[Any, npt.NDArray[np.float64], npt.NDArray[np.int32]]:
    causes = _names(_core.StartEndCause)
    first = courses["first_start"].astype(np.int64)
    keep = (courses["first_start"] != _core.MISSING_DAY) & (first <= as_of)
    end = courses["first_start_end"].astype(np.int64)
    has_end = (courses["first_start_end"] != _core.MISSING_DAY) & (end <= as_of)
    # Observation of a start stops at the observation date, and for a closed course 12 months
    # after its closure (the follow-up window of the event log).
    closed = courses["closed"]
    watched_until = np.full(first.shape, as_of, dtype=np.int64)
    is_closed = closed != _core.MISSING_DAY
    if is_closed.any():
        follow_up_end = _add_months(closed[is_closed], _FOLLOW_UP_MONTHS)
        watched_until[is_closed] = np.minimum(follow_up_end, as_of)
    has_end &= end <= watched_until
    lost = has_end & ~_codes(courses["first_start_end_cause"], causes, ("completed",))
    stop = np.where(has_end, end, watched_until)
    durations = np.maximum(stop - first, 0).astype(np.float64)
    return keep, durations, lost.astype(np.int32)


def _group_keys(cohort: _Columns, courses: dict[str, Any], by: str) -> list[Any]:
    if by not in _GROUPS:
        raise invalid("by", by, f"expected one of {', '.join(_GROUPS)}")
    if by == "start_year":
        started = courses["started"]
        years = (_EPOCH + started.astype(np.int64)).astype("datetime64[Y]").astype(int) + 1970
        missing = started == _core.MISSING_DAY
        return [None if gap else int(year) for gap, year in zip(missing, years, strict=True)]
    if by == "municipality":
        return [int(code) for code in courses["municipality"]]
    kind = "staff" if by in ("mentor", "caseworker") else by
    strings = cohort.dictionary(kind)
    return [None if code < 0 else strings[code] for code in courses[by]]


def cohort_survival(
    cohort: _Columns,
    outcome: str,
    *,
    start: str = "started",
    as_of: datetime.date | None = None,
    by: str | None = None,
    alpha: float = 0.05,
) -> KaplanMeier | AalenJohansen | dict[Any, KaplanMeier | AalenJohansen]:
    """See Cohort.survival."""
    if outcome not in SURVIVAL_OUTCOMES:
        raise invalid("outcome", outcome, f"expected one of {', '.join(SURVIVAL_OUTCOMES)}")
    if start not in ("started", "ordered"):
        raise invalid("start", start, 'expected "started" or "ordered"')
    span = cohort.date_range
    if as_of is None:
        if span is None:
            raise invalid("as_of", None, "an empty cohort has no last date: give as_of")
        as_of = span[1]
    day = (as_date(as_of, "as_of") - datetime.date(1970, 1, 1)).days
    courses = cohort.arrays("courses")
    if outcome == "retention":
        keep, durations, outcomes = _retention(courses, day)
    else:
        keep, durations, outcomes = _time_to_work(courses, day, start)

    def estimate(rows: Any) -> KaplanMeier | AalenJohansen:
        if outcome == "retention":
            return kaplan_meier(durations[rows], outcomes[rows], alpha=alpha)
        return aalen_johansen(
            durations[rows], outcomes[rows], alpha=alpha, outcomes=len(TIME_TO_WORK_OUTCOMES)
        )

    if by is None:
        return estimate(keep)
    keys = np.asarray(_group_keys(cohort, courses, by), dtype=object)
    result: dict[Any, KaplanMeier | AalenJohansen] = {}
    present = {key for key, kept in zip(keys, keep, strict=True) if kept}
    for key in sorted(present, key=lambda k: (k is None, str(k))):
        result[key] = estimate(keep & (keys == key))
    return result
