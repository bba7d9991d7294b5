"""The test oracle of the summary counts: every count table of docs/kpis.md counted with NumPy
from a cohort's columns per group, independently of the C++ counting
(mentorcore/analytics/summary.hpp) that mentorcore uses; tests/python/test_summary_counts.py
asserts the two equal. The grouping is counted independently too (pandas' factorize and a sort
of the keys, where mentorcore ranks the values). The per-day survival tables are not: they stay
in mentorcore's Python (`_summary_counts._survival` over the durations of `_cohort_survival`,
whose estimates tests/python/test_cohort_survival.py checks against the reference libraries), so
the oracle takes them, the constants and the key order from there, and the comparison checks that
the C++ side hands them the same groups.

Everything here is array operations over the cohort's tables (``np.bincount`` on group codes), no
loop over courses. Every count is a whole number (minutes, hundredths of an hour, hundredths of a
score point, days), so the counts of parts of a cohort add up to the counts of the whole exactly,
which is what makes a merged CohortSummary bit-for-bit equal to the whole one. docs/kpis.md
defines each table and the KPIs computed from it (python/mentorcore/_kpis.py).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from mentorcore import _core
from mentorcore._cohort_survival import _EPOCH, _names, _retention, _time_to_work
from mentorcore._summary_counts import (
    HOME_VISIT_MONTHS,
    STATUS_MONTHS,
    UTILISATION_BINS,
    _survival,
    sort_key,
)

__all__ = ["FIXED_TABLES", "count_tables", "group_courses"]

_MISSING = _core.MISSING_DAY
# Days after a course start or a handover in which no-shows are counted.
_NO_SHOW_WINDOW = 30

Array = npt.NDArray[Any]


def _add_months(days: Array, months: int) -> Array:
    """The Danish month rule with Python's datetime, one distinct date at a time: the day of month
    kept, clamped to a shorter month's last day, a month's last day kept at month end."""
    distinct, inverse = np.unique(days.astype(np.int64), return_inverse=True)
    epoch = datetime.date(1970, 1, 1)
    shifted = []
    for value in distinct.tolist():
        day = epoch + datetime.timedelta(days=value)
        index = day.year * 12 + day.month - 1 + months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        at_end = day.day == calendar.monthrange(day.year, day.month)[1]
        result = datetime.date(year, month + 1, last if at_end else min(day.day, last))
        shifted.append((result - epoch).days)
    return np.asarray(shifted, dtype=np.int64)[inverse.reshape(-1)]


def _enum_names(enum: Any) -> list[str]:
    return [member.name for member in sorted(enum, key=lambda m: int(m.value))]


def _status_cells() -> tuple[str, ...]:
    statuses = _enum_names(_core.FollowupStatus)
    return tuple(
        cell
        for months in STATUS_MONTHS
        for cell in (
            f"{months}m:eligible",
            *(f"{months}m:{s}" for s in statuses),
            f"{months}m:none",
        )
    )


def _contact_cells() -> tuple[str, ...]:
    attendance = _enum_names(_core.Attendance)
    return tuple(
        cell
        for location in _enum_names(_core.Location)
        for cell in (f"{location}:contacts", *(f"{location}:{a}" for a in attendance))
    )


FIXED_TABLES: dict[str, tuple[str, ...]] = {
    "exits": ("courses", "open", "closed", *_enum_names(_core.ClosureReason)),
    "statuses": _status_cells(),
    "contacts": _contact_cells(),
    "intensity": ("courses", "course_days", "attended", "minutes"),
    "home_visits": (
        *(
            f"{kind}:{m:02d}"
            for m in range(1, HOME_VISIT_MONTHS + 1)
            for kind in ("attended", "home")
        ),
        "attended:outside",
        "home:outside",
    ),
    "milestones": (
        "started",
        *(
            f"{name}:{kind}"
            for name in _enum_names(_core.Milestone)
            for kind in ("reached", "days")
        ),
    ),
    "grants": ("grants", "hours_granted_cents", "hours_delivered_cents", "under_80"),
    "utilisation": tuple(f"{10 * b:03d}" for b in range(UTILISATION_BINS)),
    "handovers": (
        "handovers",
        "acknowledged",
        "carried",
        "withheld",
        "dropped",
        "first_contact_known",
        "days_to_first_contact",
        "followed_30d",
        "no_shows_30d",
    ),
    "continuity": (
        "courses",
        "course_days",
        "mentor_changes",
        "with_handover",
        "without_handover",
        "without_first_contact_known",
        "without_days_to_first_contact",
        "without_followed_30d",
        "without_no_shows_30d",
    ),
}
"""The count tables whose cells are the same for every cohort, in a fixed order."""

_STAGES = _enum_names(_core.Stage)


def _group_key_columns(
    cohort: Any, courses: dict[str, Array], by: Sequence[str], as_of: int
) -> list[Array]:
    columns: list[Array] = []
    for name in by:
        values: Array
        if name == "start_year":
            started = courses["started"].astype(np.int64)
            years = (_EPOCH + started).astype("datetime64[Y]").astype(np.int64) + 1970
            values = years.astype(object)
            # A course not started by as_of has no start year yet.
            values[~_dated(courses["started"], as_of)] = None
        elif name == "municipality":
            values = courses["municipality"].astype(np.int64).astype(object)
        else:
            kind = "staff" if name in ("mentor", "caseworker") else name
            strings = np.asarray([*cohort.dictionary(kind), None], dtype=object)
            codes = courses[name].astype(np.int64)
            values = strings[np.where(codes < 0, len(strings) - 1, codes)]
        columns.append(np.asarray(values, dtype=object))
    return columns


def group_courses(
    cohort: Any, courses: dict[str, Array], by: Sequence[str], in_scope: Array, as_of: int
) -> tuple[list[tuple[Any, ...]], Array]:
    """The sorted group keys of the courses in scope, and each course's group index (-1 when out
    of scope)."""
    index = np.full(len(in_scope), -1, dtype=np.int64)
    if not in_scope.any():
        return [], index
    if not by:
        index[in_scope] = 0
        return [()], index
    import pandas as pd

    rows = np.flatnonzero(in_scope)
    # Factorise each column (hash-based, None kept as a value), then the combinations of codes.
    codes: list[Array] = []
    uniques: list[list[Any]] = []
    for column in _group_key_columns(cohort, courses, by, as_of):
        column_codes, values = pd.factorize(
            pd.Series(column[rows], dtype=object), use_na_sentinel=False
        )
        codes.append(np.asarray(column_codes, dtype=np.int64))
        uniques.append([None if _is_na(value) else value for value in values])
    distinct, inverse = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
    found = [tuple(uniques[j][int(code)] for j, code in enumerate(row)) for row in distinct]
    ordered = sorted(range(len(found)), key=lambda i: sort_key(found[i]))
    position = np.empty(len(found), dtype=np.int64)
    position[ordered] = np.arange(len(found))
    index[rows] = position[inverse.reshape(-1)]
    return [found[i] for i in ordered], index


def _is_na(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _count(groups: Array, n_groups: int, weights: Array | None = None) -> Array:
    """Per group, the number of rows (or the sum of `weights`, whole numbers) with group >= 0."""
    keep = groups >= 0
    if weights is None:
        return np.bincount(groups[keep], minlength=n_groups).astype(np.int64)
    # Sums of whole numbers below 2**53 are exact in float64; the check keeps it so.
    values = np.asarray(weights)[keep].astype(np.int64)
    if values.size and np.abs(values).sum() >= 2**53:
        raise OverflowError("a count of the summary would exceed 2**53")
    return np.rint(
        np.bincount(groups[keep], weights=values.astype(np.float64), minlength=n_groups)
    ).astype(np.int64)


def _table(n_groups: int, cells: Sequence[str], columns: dict[str, Array]) -> Array:
    table = np.zeros((n_groups, len(cells)), dtype=np.int64)
    for j, cell in enumerate(cells):
        if cell in columns:
            table[:, j] = columns[cell]
    return table


def _dated(day: Array, as_of: int) -> Array:
    dated: Array = (day != _MISSING) & (day.astype(np.int64) <= as_of)
    return dated


def _child_groups(table: dict[str, Array], group: Array) -> Array:
    return group[table["course"].astype(np.int64)]


def _exits(courses: dict[str, Array], group: Array, n: int, as_of: int) -> Array:
    closed = _dated(courses["closed"], as_of)
    cells = FIXED_TABLES["exits"]
    columns = {
        "courses": _count(group, n),
        "open": _count(np.where(~closed, group, -1), n),
        "closed": _count(np.where(closed, group, -1), n),
    }
    reasons = _names(_core.ClosureReason)
    for name, code in reasons.items():
        columns[name] = _count(np.where(closed & (courses["closure_reason"] == code), group, -1), n)
    return _table(n, cells, columns)


def _statuses(courses: dict[str, Array], group: Array, n: int, as_of: int) -> Array:
    closed = courses["closed"]
    is_closed = _dated(closed, as_of)
    statuses = _names(_core.FollowupStatus)
    columns: dict[str, Array] = {}
    for months in STATUS_MONTHS:
        eligible = is_closed.copy()
        if is_closed.any():
            due = _add_months(closed[is_closed], months)
            eligible[is_closed] = due <= as_of
        column = courses[f"status_{months}m"]
        columns[f"{months}m:eligible"] = _count(np.where(eligible, group, -1), n)
        for name, code in statuses.items():
            columns[f"{months}m:{name}"] = _count(
                np.where(eligible & (column == code), group, -1), n
            )
        columns[f"{months}m:none"] = _count(np.where(eligible & (column < 0), group, -1), n)
    return _table(n, FIXED_TABLES["statuses"], columns)


def _course_days(courses: dict[str, Array], as_of: int) -> Array:
    """Days of course up to as_of (start to closure or as_of), 0 for a course not started."""
    started = courses["started"].astype(np.int64)
    has_start = _dated(courses["started"], as_of)
    closed = courses["closed"].astype(np.int64)
    end = np.where(_dated(courses["closed"], as_of), closed, as_of)
    return np.where(has_start, np.maximum(end - started, 0), 0)


def _count_codes(groups: Array, codes: Array, n: int, k: int) -> Array:
    """Per group (rows) and code 0..k-1 (columns), the rows with that group and code: one
    bincount over the combined code; rows with a negative group or code count nowhere."""
    keep = (groups >= 0) & (codes >= 0) & (codes < k)
    combined = groups[keep].astype(np.int64) * k + codes[keep].astype(np.int64)
    return np.bincount(combined, minlength=n * k).reshape(n, k).astype(np.int64)


def _contacts(
    courses: dict[str, Array], contacts: dict[str, Array], group: Array, n: int, as_of: int
) -> tuple[Array, Array, Array]:
    rows = np.where(_dated(contacts["date"], as_of), _child_groups(contacts, group), -1)
    locations = _names(_core.Location)
    attendance = _names(_core.Attendance)
    location = contacts["location"].astype(np.int64)
    kind = contacts["attendance"].astype(np.int64)
    known = (location >= 0) & (kind >= 0)
    by_cell = _count_codes(
        np.where(known, rows, -1),
        location * len(attendance) + kind,
        n,
        len(locations) * len(attendance),
    ).reshape(n, len(locations), len(attendance))
    columns: dict[str, Array] = {}
    for place, code in locations.items():
        columns[f"{place}:contacts"] = _count(np.where(location == code, rows, -1), n)
        for name, value in attendance.items():
            columns[f"{place}:{name}"] = by_cell[:, code, value]
    contact_table = _table(n, FIXED_TABLES["contacts"], columns)

    attended = kind == attendance["attended"]
    started = _dated(courses["started"], as_of)
    intensity = _table(
        n,
        FIXED_TABLES["intensity"],
        {
            "courses": _count(np.where(started, group, -1), n),
            "course_days": _count(group, n, _course_days(courses, as_of)),
            "attended": _count(np.where(attended, rows, -1), n),
            "minutes": _count(
                np.where(attended, rows, -1), n, np.maximum(contacts["actual_minutes"], 0)
            ),
        },
    )

    # Month of course of each attended contact since the course's start.
    course = contacts["course"].astype(np.int64)
    start = courses["started"].astype(np.int64)[course]
    after_start = attended & (courses["started"][course] != _MISSING)
    day = contacts["date"].astype(np.int64) - start
    month = np.clip(day // 30, 0, HOME_VISIT_MONTHS - 1)
    month_rows = np.where(after_start & (day >= 0), rows, -1)
    home = location == locations["home"]
    in_month = _count_codes(month_rows, month, n, HOME_VISIT_MONTHS)
    at_home = _count_codes(np.where(home, month_rows, -1), month, n, HOME_VISIT_MONTHS)
    columns = {}
    for m in range(HOME_VISIT_MONTHS):
        columns[f"attended:{m + 1:02d}"] = in_month[:, m]
        columns[f"home:{m + 1:02d}"] = at_home[:, m]
    # The attended contacts in no month of course: before the start, or no start.
    outside_rows = np.where(attended & ~(after_start & (day >= 0)), rows, -1)
    columns["attended:outside"] = _count(outside_rows, n)
    columns["home:outside"] = _count(np.where(home, outside_rows, -1), n)
    return contact_table, intensity, _table(n, FIXED_TABLES["home_visits"], columns)


def _milestones(
    courses: dict[str, Array], milestones: dict[str, Array], group: Array, n: int, as_of: int
) -> Array:
    started = _dated(courses["started"], as_of)
    rows = np.where(_dated(milestones["date"], as_of), _child_groups(milestones, group), -1)
    course = milestones["course"].astype(np.int64)
    rows = np.where(started[course], rows, -1)
    days = np.maximum(
        milestones["date"].astype(np.int64) - courses["started"].astype(np.int64)[course], 0
    )
    # A course counts once per milestone, at the first time it reached it.
    kind = milestones["milestone"].astype(np.int64)
    order = np.lexsort((milestones["date"], kind, course))
    first = np.zeros(len(course), dtype=bool)
    kept = order[rows[order] >= 0]
    if len(kept):
        new = np.ones(len(kept), dtype=bool)
        new[1:] = (course[kept][1:] != course[kept][:-1]) | (kind[kept][1:] != kind[kept][:-1])
        first[kept[new]] = True
    rows = np.where(first, rows, -1)
    columns = {"started": _count(np.where(started, group, -1), n)}
    for name, code in _names(_core.Milestone).items():
        these = np.where(kind == code, rows, -1)
        columns[f"{name}:reached"] = _count(these, n)
        columns[f"{name}:days"] = _count(these, n, days)
    return _table(n, FIXED_TABLES["milestones"], columns)


def _cents(values: Array) -> Array:
    return np.rint(np.nan_to_num(values.astype(np.float64), nan=0.0) * 100).astype(np.int64)


def _grants(grants: dict[str, Array], group: Array, n: int, as_of: int) -> tuple[Array, Array]:
    end = np.where(
        grants["end_in_force"] != _MISSING, grants["end_in_force"], grants["planned_end"]
    )
    granted = _cents(grants["hours_granted"])
    delivered = np.maximum(_cents(grants["hours_delivered"]), 0)  # below 0 counts as none
    ended = _dated(end, as_of) & (granted > 0)
    rows = np.where(ended, _child_groups(grants, group), -1)
    # Utilisation in whole percent from the same whole numbers (exact).
    percent = np.where(granted > 0, (delivered * 100) // np.maximum(granted, 1), 0)
    table = _table(
        n,
        FIXED_TABLES["grants"],
        {
            "grants": _count(rows, n),
            "hours_granted_cents": _count(rows, n, granted),
            "hours_delivered_cents": _count(rows, n, delivered),
            "under_80": _count(np.where(percent < 80, rows, -1), n),
        },
    )
    bins = np.minimum(percent // 10, UTILISATION_BINS - 1)
    histogram = np.zeros((n, UTILISATION_BINS), dtype=np.int64)
    for b in range(UTILISATION_BINS):
        histogram[:, b] = _count(np.where(bins == b, rows, -1), n)
    return table, histogram


def _handovers(
    courses: dict[str, Array],
    handovers: dict[str, Array],
    contacts: dict[str, Array],
    group: Array,
    n: int,
    as_of: int,
) -> tuple[Array, Array]:
    rows = np.where(_dated(handovers["date"], as_of), _child_groups(handovers, group), -1)
    states = _names(_core.HandoverState)
    made = handovers["date"].astype(np.int64)
    # What is known on as_of: an acknowledgement settled by then, a first contact that took
    # place by then, and no-shows only of handovers whose 30 days had passed by then.
    acknowledged = (handovers["state"] == states["acknowledged"]) & _dated(
        handovers["settled"], as_of
    )
    days = handovers["days_to_first_contact"].astype(np.int64)
    first_known = (days >= 0) & (made + days <= as_of)
    followed = made + _NO_SHOW_WINDOW <= as_of
    roles = _names(_core.PartyRole)
    mentor_change = (
        acknowledged
        & (handovers["sender_role"] == roles["mentor"])
        & (handovers["receiver_role"] == roles["mentor"])
    )
    handover_table = _table(
        n,
        FIXED_TABLES["handovers"],
        {
            "handovers": _count(rows, n),
            "acknowledged": _count(np.where(acknowledged, rows, -1), n),
            "carried": _count(rows, n, np.maximum(handovers["carried"], 0)),
            "withheld": _count(rows, n, np.maximum(handovers["withheld"], 0)),
            "dropped": _count(rows, n, np.maximum(handovers["dropped"], 0)),
            "first_contact_known": _count(np.where(first_known, rows, -1), n),
            "days_to_first_contact": _count(
                np.where(first_known, rows, -1),
                n,
                np.maximum(handovers["days_to_first_contact"], 0),
            ),
            "followed_30d": _count(np.where(followed, rows, -1), n),
            "no_shows_30d": _count(
                np.where(followed, rows, -1), n, np.maximum(handovers["no_shows_within_30_days"], 0)
            ),
        },
    )

    # The same two measures from the course's start, for the courses without a handover.
    started = _dated(courses["started"], as_of)
    had_handover = np.zeros(len(group), dtype=bool)
    had_handover[handovers["course"][rows >= 0].astype(np.int64)] = True
    without = started & ~had_handover
    course = contacts["course"].astype(np.int64)
    day = contacts["date"].astype(np.int64) - courses["started"].astype(np.int64)[course]
    dated = _dated(contacts["date"], as_of) & without[course] & (day >= 0)
    attendance = _names(_core.Attendance)
    attended = dated & (contacts["attendance"] == attendance["attended"])
    first = np.full(len(group), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, course[attended], day[attended])
    first_known_course = without & (first != np.iinfo(np.int64).max)
    start = courses["started"].astype(np.int64)
    without_followed = without & (start + _NO_SHOW_WINDOW <= as_of)
    no_show = (
        dated
        & without_followed[course]
        & (contacts["attendance"] == attendance["no_show"])
        & (day < _NO_SHOW_WINDOW)
    )
    continuity = _table(
        n,
        FIXED_TABLES["continuity"],
        {
            "courses": _count(np.where(started, group, -1), n),
            "course_days": _count(group, n, _course_days(courses, as_of)),
            # Acknowledged mentor-to-mentor handovers settled by as_of (course::mentor_changes
            # counted as it stood on as_of).
            "mentor_changes": _count(np.where(mentor_change, rows, -1), n),
            "with_handover": _count(np.where(started & had_handover, group, -1), n),
            "without_handover": _count(np.where(without, group, -1), n),
            "without_first_contact_known": _count(np.where(first_known_course, group, -1), n),
            "without_days_to_first_contact": _count(
                np.where(first_known_course, group, -1), n, np.where(first_known_course, first, 0)
            ),
            "without_followed_30d": _count(np.where(without_followed, group, -1), n),
            "without_no_shows_30d": _count(
                np.where(no_show, _child_groups(contacts, group), -1), n
            ),
        },
    )
    return handover_table, continuity


def _stages(
    cohort: Any, assessments: dict[str, Array], group: Array, n: int, as_of: int
) -> tuple[tuple[str, ...], Array]:
    """Transitions between consecutive stage assessments of one behaviour in one course: cells
    "<behaviour>:<from>><to>"."""
    dated = _dated(assessments["date"], as_of)
    course = assessments["course"].astype(np.int64)[dated]
    behaviour = assessments["behaviour"].astype(np.int64)[dated]
    stage = assessments["stage"].astype(np.int64)[dated]
    date = assessments["date"].astype(np.int64)[dated]
    order = np.lexsort((np.arange(len(date)), date, behaviour, course))
    course, behaviour, stage = course[order], behaviour[order], stage[order]
    same = (course[1:] == course[:-1]) & (behaviour[1:] == behaviour[:-1])
    same &= (stage[1:] >= 0) & (stage[:-1] >= 0)
    # Transitions of the courses counted (a course out of scope has no cell).
    same &= group[course[1:]] >= 0
    pair_group = group[course[1:]][same]
    pair_behaviour = behaviour[1:][same]
    cell_code = (pair_behaviour * len(_STAGES) + stage[:-1][same]) * len(_STAGES) + stage[1:][same]
    present = np.unique(cell_code)
    names = cohort.dictionary("behaviour")
    labels = []
    for code in present:
        b, rest = divmod(int(code), len(_STAGES) ** 2)
        before, after = divmod(rest, len(_STAGES))
        labels.append(f"{names[b]}:{_STAGES[before]}>{_STAGES[after]}")
    return _sorted_cells(labels, pair_group, np.searchsorted(present, cell_code), n)


def _sorted_cells(
    labels: list[str], row_group: Array, row_cell: Array, n: int
) -> tuple[tuple[str, ...], Array]:
    table = np.zeros((n, len(labels)), dtype=np.int64)
    keep = row_group >= 0
    np.add.at(table, (row_group[keep], row_cell[keep]), 1)
    by_label = sorted(range(len(labels)), key=lambda i: labels[i])
    return tuple(labels[i] for i in by_label), table[:, by_label]


def _ratings(
    cohort: Any, ratings: dict[str, Array], group: Array, n: int, as_of: int
) -> tuple[tuple[str, ...], Array]:
    """Per instrument: ratings, ratings with an alert, and of each course's last rating with a
    baseline: the courses, the sum of the change from the baseline in hundredths of a point, and
    how many improved reliably. Cells "<instrument>:<measure>"."""
    dated = _dated(ratings["date"], as_of)
    rows = np.where(dated, _child_groups(ratings, group), -1)
    instrument = ratings["instrument"].astype(np.int64)
    names = cohort.dictionary("instrument")
    alert = ratings["alert"] if "alert" in ratings else None
    change = ratings["change_from_baseline"].astype(np.float64)
    # The last dated rating of each course and instrument.
    course = ratings["course"].astype(np.int64)
    order = np.lexsort((ratings["date"], instrument, course))
    kept = order[dated[order]]
    last = np.zeros(len(course), dtype=bool)
    if len(kept):
        is_last = np.ones(len(kept), dtype=bool)
        is_last[:-1] = (course[kept][1:] != course[kept][:-1]) | (
            instrument[kept][1:] != instrument[kept][:-1]
        )
        last[kept[is_last]] = True
    with_baseline = last & ~np.isnan(change)
    hundredths = np.rint(np.nan_to_num(change, nan=0.0) * 100).astype(np.int64)
    measures = ("ratings", "alerts", "followed", "change_cents", "reliably_improved")
    labels: list[str] = []
    columns: list[Array] = []
    for code in np.unique(instrument[rows >= 0]).tolist():
        mine = np.where(instrument == code, rows, -1)
        followed = np.where(with_baseline, mine, -1)
        values = {
            "ratings": _count(mine, n),
            "alerts": _count(np.where(alert == 1, mine, -1), n)
            if alert is not None
            else np.zeros(n, dtype=np.int64),
            "followed": _count(followed, n),
            "change_cents": _count(followed, n, hundredths),
            "reliably_improved": _count(
                np.where(ratings["reliably_improved"] == 1, followed, -1), n
            ),
        }
        for measure in measures:
            labels.append(f"{names[int(code)]}:{measure}")
            columns.append(values[measure])
    table = np.stack(columns, axis=1) if columns else np.zeros((n, 0), dtype=np.int64)
    by_label = sorted(range(len(labels)), key=lambda i: labels[i])
    return tuple(labels[i] for i in by_label), table[:, by_label]


def count_tables(
    cohort: Any, by: Sequence[str], as_of: int
) -> tuple[list[tuple[Any, ...]], dict[str, tuple[str, ...]], dict[str, Array], dict[str, Array]]:
    """The group keys, the cells and counts of every count table, and the survival tables of
    `cohort` at day number `as_of`, grouped by the columns `by`."""
    courses = cohort.arrays("courses")
    in_scope = _dated(courses["ordered"], as_of)
    keys, group = group_courses(cohort, courses, by, in_scope, as_of)
    n = len(keys)
    contacts = cohort.arrays("contacts")
    counts: dict[str, Array] = {"exits": _exits(courses, group, n, as_of)}
    counts["statuses"] = _statuses(courses, group, n, as_of)
    counts["contacts"], counts["intensity"], counts["home_visits"] = _contacts(
        courses, contacts, group, n, as_of
    )
    counts["milestones"] = _milestones(courses, cohort.arrays("milestones"), group, n, as_of)
    counts["grants"], counts["utilisation"] = _grants(cohort.arrays("grants"), group, n, as_of)
    counts["handovers"], counts["continuity"] = _handovers(
        courses, cohort.arrays("handovers"), contacts, group, n, as_of
    )
    cells: dict[str, tuple[str, ...]] = dict(FIXED_TABLES)
    cells["stages"], counts["stages"] = _stages(
        cohort, cohort.arrays("assessments"), group, n, as_of
    )
    cells["ratings"], counts["ratings"] = _ratings(
        cohort, cohort.arrays("ratings"), group, n, as_of
    )

    keep, durations, outcomes = _time_to_work(courses, as_of, "started")
    survival = {
        "time_to_work_or_education": _survival(durations, outcomes, np.where(keep, group, -1), n, 4)
    }
    keep, durations, outcomes = _retention(courses, as_of)
    survival["retention"] = _survival(durations, outcomes, np.where(keep, group, -1), n, 1)
    return keys, cells, counts, survival
