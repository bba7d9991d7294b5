"""The additive integer counts behind every KPI, per group of courses, at a day.

The count tables are counted in C++ (``mentorcore/analytics/summary.hpp``: one pass over the
courses and their rows, on every core, the GIL released); this module makes each course's group
from the grouping columns, names the cells that depend on the data (behaviours, instruments) and
counts the per-day survival tables from the courses table. Every count is a whole number
(minutes, hundredths of an hour or of a score point, days), so the counts of parts of a cohort
add up to the counts of the whole exactly, which is what makes a merged CohortSummary
bit-for-bit equal to the whole one. docs/kpis.md defines each table and the KPIs computed from it
(python/mentorcore/_kpis.py); tests/python/summary_oracle.py counts the same tables with NumPy,
independently, as the test oracle.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._cohort_survival import _EPOCH, _retention, _time_to_work

__all__ = [
    "FIXED_TABLES",
    "GROUP_COLUMNS",
    "HOME_VISIT_MONTHS",
    "STATUS_MONTHS",
    "SURVIVAL_TABLES",
    "UTILISATION_BINS",
    "count_tables",
    "group_courses",
    "sort_key",
]

GROUP_COLUMNS = ("municipality", "target_group", "provider", "mentor", "caseworker", "start_year")
"""The course attributes a summary can be grouped by (the course's own, as the courses table
records them)."""

_MISSING = _core.MISSING_DAY
# The months after closure at which the Jobindsats status is taken.
STATUS_MONTHS = (1, 3, 6, 12)
# Months of course for the home-visit share: month m is days 30(m-1) to 30m - 1 of the course;
# the last bucket holds everything later.
HOME_VISIT_MONTHS = 24
# Utilisation histogram: bins of 10 percentage points from 0, the last one "150 and more".
UTILISATION_BINS = 16

Array = npt.NDArray[Any]
# Groupings with at most this many combinations of values are numbered with one bincount.
_DENSE_GROUP_CODES = 1 << 22

FIXED_TABLES: dict[str, tuple[str, ...]] = {
    table: tuple(_core.summary_cells(table)) for table in _core.SUMMARY_TABLES
}
"""The count tables whose cells are the same for every cohort, in a fixed order."""

DYNAMIC_TABLES = ("stages", "ratings")
"""Count tables whose cells are named after the data (behaviours, instruments), sorted by name."""

SURVIVAL_TABLES: dict[str, tuple[str, ...]] = {
    "time_to_work_or_education": ("work", "education", "dropout", "other_exit"),
    "retention": ("ended",),
}
"""Per group and per day: entered, censored and each outcome's count."""

_STAGES = [member.name for member in sorted(_core.Stage, key=lambda m: int(m.value))]


def sort_key(key: tuple[Any, ...]) -> tuple[tuple[int, Any], ...]:
    """The order of group keys: by value, column by column, a missing value (None) last."""
    return tuple((1, 0) if value is None else (0, value) for value in key)


def _dated(day: Array, as_of: int) -> Array:
    dated: Array = (day != _MISSING) & (day.astype(np.int64) <= as_of)
    return dated


def _ranked_column(
    cohort: Any, courses: dict[str, Array], name: str, as_of: int
) -> tuple[Array, list[Any]]:
    """Each course's rank in the sorted values of the grouping column `name`, and those values,
    a missing value (None) ranked last."""
    if name in ("start_year", "municipality"):
        if name == "start_year":
            started = courses["started"].astype(np.int64)
            values = (_EPOCH + started).astype("datetime64[Y]").astype(np.int64) + 1970
            # A course not started by as_of has no start year yet.
            missing = ~_dated(courses["started"], as_of)
        else:
            values = courses["municipality"].astype(np.int64)
            missing = np.zeros(len(values), dtype=bool)
        distinct = np.unique(values[~missing])
        ranks = np.searchsorted(distinct, values)
        ranks[missing] = len(distinct)
        return ranks, [int(value) for value in distinct] + [None]
    kind = "staff" if name in ("mentor", "caseworker") else name
    strings = cohort.dictionary(kind)
    order = sorted(range(len(strings)), key=strings.__getitem__)
    rank_of_code = np.empty(len(strings) + 1, dtype=np.int64)
    rank_of_code[order] = np.arange(len(strings))
    rank_of_code[-1] = len(strings)  # code -1 (missing) indexes the last entry: ranked last
    return rank_of_code[courses[name].astype(np.int64)], [strings[i] for i in order] + [None]


def group_courses(
    cohort: Any, courses: dict[str, Array], by: Sequence[str], in_scope: Array, as_of: int
) -> tuple[list[tuple[Any, ...]], Array]:
    """The sorted group keys of the courses in scope, and each course's group index (-1 when out
    of scope)."""
    index = np.full(len(in_scope), -1, dtype=np.int32)
    if not in_scope.any():
        return [], index
    if not by:
        index[in_scope] = 0
        return [()], index
    ranked = [_ranked_column(cohort, courses, name, as_of) for name in by]
    rows = np.flatnonzero(in_scope)
    # Ranks sort as the values do, so the distinct combinations of ranks, sorted, are the groups
    # in order.
    radices = [len(values) for _, values in ranked]
    if math.prod(radices) <= _DENSE_GROUP_CODES:
        # One code per combination, counted without sorting.
        combined = np.zeros(len(rows), dtype=np.int64)
        for (ranks, _), radix in zip(ranked, radices, strict=True):
            combined = combined * radix + ranks[rows]
        present = np.bincount(combined, minlength=math.prod(radices)) > 0
        index[rows] = (np.cumsum(present) - 1)[combined]
        distinct = np.stack(np.unravel_index(np.flatnonzero(present), radices), axis=1)
    else:
        columns = np.stack([ranks[rows] for ranks, _ in ranked], axis=1)
        distinct, inverse = np.unique(columns, axis=0, return_inverse=True)
        index[rows] = inverse.reshape(-1)
    keys = [
        tuple(values[int(rank)] for rank, (_, values) in zip(row, ranked, strict=True))
        for row in distinct
    ]
    return keys, index


def _survival(durations: Array, outcomes: Array, rows: Array, n: int, k: int) -> Array:
    """Per group and whole day: group, day, entered (0: no late entry), censored, then the
    count of each outcome 1..k; rows sorted by group and day, days without anyone left out."""
    keep = rows >= 0
    group = rows[keep].astype(np.int64)
    day = durations[keep].astype(np.int64)
    outcome = outcomes[keep].astype(np.int64)
    if not len(group):
        return np.zeros((0, 4 + k), dtype=np.int64)
    span = int(day.max()) + 1
    cell = (group * span + day) * (k + 1) + outcome
    counts = np.bincount(cell, minlength=n * span * (k + 1)).reshape(n * span, k + 1)
    present = np.flatnonzero(counts.sum(axis=1))
    table = np.zeros((len(present), 4 + k), dtype=np.int64)
    table[:, 0], table[:, 1] = np.divmod(present, span)
    table[:, 3] = counts[present, 0]
    table[:, 4:] = counts[present, 1:]
    return table


def _by_label(labels: list[str], table: Array) -> tuple[tuple[str, ...], Array]:
    order = sorted(range(len(labels)), key=labels.__getitem__)
    return tuple(labels[i] for i in order), np.ascontiguousarray(table[:, order])


def _stage_cells(cohort: Any, stages: tuple[Array, ...]) -> tuple[tuple[str, ...], Array]:
    behaviours, before, after, table = stages
    names = cohort.dictionary("behaviour")
    labels = [
        f"{names[int(b)]}:{_STAGES[int(f)]}>{_STAGES[int(t)]}"
        for b, f, t in zip(behaviours, before, after, strict=True)
    ]
    return _by_label(labels, table)


def _rating_cells(cohort: Any, ratings: tuple[Array, Array]) -> tuple[tuple[str, ...], Array]:
    instruments, table = ratings
    names = cohort.dictionary("instrument")
    labels = [
        f"{names[int(code)]}:{measure}"
        for code in instruments
        for measure in _core.SUMMARY_RATING_MEASURES
    ]
    return _by_label(labels, table)


def count_tables(
    cohort: Any, by: Sequence[str], as_of: int, threads: int = 0
) -> tuple[list[tuple[Any, ...]], dict[str, tuple[str, ...]], dict[str, Array], dict[str, Array]]:
    """The group keys, the cells and counts of every count table, and the survival tables of
    `cohort` at day number `as_of`, grouped by the columns `by`, counted on `threads` threads
    (0: every core)."""
    courses = cohort.arrays("courses")
    in_scope = _dated(courses["ordered"], as_of)
    keys, group = group_courses(cohort, courses, by, in_scope, as_of)
    n = len(keys)
    counted = _core.count_summary(cohort._core, as_of, group, n, threads)
    cells: dict[str, tuple[str, ...]] = dict(FIXED_TABLES)
    counts: dict[str, Array] = {table: counted[table] for table in FIXED_TABLES}
    cells["stages"], counts["stages"] = _stage_cells(cohort, counted["stages"])
    cells["ratings"], counts["ratings"] = _rating_cells(cohort, counted["ratings"])

    keep, durations, outcomes = _time_to_work(courses, as_of, "started")
    survival = {
        "time_to_work_or_education": _survival(durations, outcomes, np.where(keep, group, -1), n, 4)
    }
    keep, durations, outcomes = _retention(courses, as_of)
    survival["retention"] = _survival(durations, outcomes, np.where(keep, group, -1), n, 1)
    return keys, cells, counts, survival
