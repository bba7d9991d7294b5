"""mentorcore's summary counts (C++, mentorcore/analytics/summary.hpp) equal the NumPy oracle's
(tests/python/summary_oracle.py), table by table, cell by cell, for every grouping and for days
early, late and on a leap day; and they do not depend on the thread count."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest

import mentorcore as mc
import summary_oracle
from mentorcore import _summary_counts
from mentorcore._cohort_survival import _add_months

EPOCH = datetime.date(1970, 1, 1)
AS_OF = (
    datetime.date(2022, 6, 30),  # early: few courses ordered, most open
    datetime.date(2024, 2, 29),  # a leap day: statuses due on month ends
    None,  # the cohort's last date
)
GROUPINGS: tuple[tuple[str, ...], ...] = (
    (),
    ("municipality",),
    ("start_year",),
    ("target_group",),
    ("mentor",),
    ("caseworker",),
    ("municipality", "provider"),
)


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    return mc.Cohort.from_courses(mc.synthetic.generate(400, seed=5))


def _day(cohort: mc.Cohort, as_of: datetime.date | None) -> int:
    if as_of is None:
        span = cohort.date_range
        assert span is not None
        as_of = span[1]
    return (as_of - EPOCH).days


def _assert_same(ours: Any, theirs: Any) -> None:
    keys, cells, counts, survival = ours
    want_keys, want_cells, want_counts, want_survival = theirs
    assert keys == want_keys
    assert cells == want_cells
    assert set(counts) == set(want_counts)
    for table, expected in want_counts.items():
        np.testing.assert_array_equal(counts[table], expected, err_msg=table)
    for table, expected in want_survival.items():
        np.testing.assert_array_equal(survival[table], expected, err_msg=table)


def test_fixed_cells_are_the_oracles() -> None:
    assert _summary_counts.FIXED_TABLES == summary_oracle.FIXED_TABLES


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "+".join(by) or "all")
def test_counts_equal_the_numpy_oracle(
    cohort: mc.Cohort, by: tuple[str, ...], as_of: datetime.date | None
) -> None:
    day = _day(cohort, as_of)
    _assert_same(
        _summary_counts.count_tables(cohort, by, day),
        summary_oracle.count_tables(cohort, by, day),
    )


def test_counts_of_contacts_outside_the_months_of_course(cohort: mc.Cohort) -> None:
    # Contacts dated before their course's start, and courses without a start (a cohort from
    # frames or a file can hold both): the home-visit table's "outside" cells.
    frames = {table: cohort.frame(table) for table in cohort.tables}
    courses, contacts = frames["courses"].copy(), frames["contacts"].copy()
    courses.loc[courses.index[::7], "started"] = pd.NaT
    contacts.loc[contacts.index[::5], "date"] -= pd.Timedelta(days=400)
    frames["courses"], frames["contacts"] = courses, contacts
    changed = mc.Cohort.from_frames(frames)
    day = _day(changed, None)
    ours = _summary_counts.count_tables(changed, ("municipality",), day)
    cells, counts = ours[1], ours[2]
    outside = counts["home_visits"][:, cells["home_visits"].index("attended:outside")]
    assert (outside > 0).all()
    _assert_same(ours, summary_oracle.count_tables(changed, ("municipality",), day))


def test_counts_of_a_selection(cohort: mc.Cohort) -> None:
    # Two municipalities: dictionaries that keep only the strings still used, in a new order.
    part = cohort.select(municipality=[461, 851])
    day = _day(part, datetime.date(2023, 1, 31))
    by = ("municipality", "start_year")
    _assert_same(
        _summary_counts.count_tables(part, by, day), summary_oracle.count_tables(part, by, day)
    )


def test_counts_do_not_depend_on_the_thread_count(cohort: mc.Cohort) -> None:
    day = _day(cohort, None)
    one = _summary_counts.count_tables(cohort, ("provider",), day, threads=1)
    for threads in (2, 5):
        _assert_same(_summary_counts.count_tables(cohort, ("provider",), day, threads), one)


def test_summary_threads_argument(cohort: mc.Cohort) -> None:
    assert cohort.summary(by="municipality", threads=1) == cohort.summary(by="municipality")
    with pytest.raises(mc.Error, match="threads"):
        cohort.summary(threads=0)


def test_an_empty_cohort_counts_nothing() -> None:
    empty = mc.Cohort.from_courses([])
    keys, cells, counts, survival = _summary_counts.count_tables(empty, ("municipality",), 19000)
    assert keys == []
    assert all(table.shape[0] == 0 for table in counts.values())
    assert cells["stages"] == () and cells["ratings"] == ()
    assert all(table.shape[0] == 0 for table in survival.values())


def test_add_months_is_the_cores_danish_rule() -> None:
    days = np.arange(
        (datetime.date(2023, 1, 1) - EPOCH).days, (datetime.date(2025, 1, 1) - EPOCH).days
    )
    for months in (-1, 1, 3, 6, 12, 13):
        expected = [
            (mc.calendar.add_months(EPOCH + datetime.timedelta(days=int(d)), months) - EPOCH).days
            for d in days
        ]
        np.testing.assert_array_equal(_add_months(days.astype(np.int32), months), expected)
        np.testing.assert_array_equal(summary_oracle._add_months(days, months), expected)


def test_groups_past_the_dense_limit_are_numbered_by_sorting(
    cohort: mc.Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_summary_counts, "_DENSE_GROUP_CODES", 0)
    day = _day(cohort, None)
    by = ("mentor", "start_year")
    _assert_same(
        _summary_counts.count_tables(cohort, by, day), summary_oracle.count_tables(cohort, by, day)
    )
