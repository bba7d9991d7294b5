"""The KPI peers of the benchmark (benchmarks/kpi_peers/: pandas, polars, DuckDB) give
mentorcore's numerators and denominators, the "equal results asserted before timing" of issue 18.

The peers live in benchmarks/ (they are benchmark code, not part of the package) and are imported
from there by path; the benchmark imports the same module, so what is tested is what is timed.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import mentorcore as mc

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import kpi_peers

AS_OF = (
    datetime.date(2023, 3, 31),  # early: most courses open, few statuses due
    datetime.date(2024, 2, 29),  # a leap day: calendar months after closure end on the 29th
    # A course closed on 29 February 2024 is due its 1-month status on 31 March, not on the 29th
    # (a month's last day stays a month's last day): test_month_end_rule_is_tested.
    datetime.date(2024, 3, 30),
    None,  # the cohort's last date
)
MONTH_END_CLOSURE = datetime.date(2024, 2, 29)
ENGINES = ("pandas", "polars", "duckdb")


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    return mc.Cohort.from_courses(mc.synthetic.generate(300, seed=35))


@pytest.fixture(scope="module")
def tables(cohort: mc.Cohort) -> dict[str, Any]:
    return kpi_peers.arrow_tables(cohort)


def _peer(engine: str) -> Any:
    if engine in ("polars", "duckdb"):
        pytest.importorskip(engine)
    return kpi_peers.PEERS[engine]


def _as_of(cohort: mc.Cohort, as_of: datetime.date | None) -> datetime.date:
    if as_of is not None:
        return as_of
    span = cohort.date_range
    assert span is not None
    return span[1]


@pytest.fixture(scope="module")
def reference(cohort: mc.Cohort) -> Callable[[datetime.date, Any], pd.DataFrame]:
    """mentorcore's KPI frame per as_of and grouping, computed once for the three engines."""
    frames: dict[tuple[datetime.date, Any], pd.DataFrame] = {}

    def kpis(day: datetime.date, by: Any) -> pd.DataFrame:
        if (day, by) not in frames:
            frames[day, by] = cohort.kpis(as_of=day, by=list(by) if isinstance(by, tuple) else by)
        return frames[day, by]

    return kpis


GROUPINGS = (
    # (by, as_of, the group column that has a missing value (None) as a group of its own)
    *(("municipality", as_of, None) for as_of in AS_OF),
    ("start_year", AS_OF[0], "start_year"),  # courses not started by as_of have no start year
    ("start_year", None, "start_year"),
    (("municipality", "provider"), AS_OF[0], None),
    (("municipality", "provider"), None, "provider"),
    ("provider", None, "provider"),  # some courses name no provider (no grant names one)
    ("mentor", None, "mentor"),
    ("caseworker", None, None),
    ("target_group", None, None),
)


@pytest.mark.parametrize(("by", "as_of", "missing"), GROUPINGS, ids=str)
@pytest.mark.parametrize("engine", ENGINES)
def test_peer_equals_mentorcore(
    cohort: mc.Cohort,
    tables: dict[str, Any],
    reference: Callable[[datetime.date, Any], pd.DataFrame],
    engine: str,
    by: str | tuple[str, ...],
    as_of: datetime.date | None,
    missing: str | None,
) -> None:
    day = _as_of(cohort, as_of)
    names = [by] if isinstance(by, str) else list(by)
    peer = _peer(engine)(cohort, day, by, tables=tables)
    assert list(peer.columns) == ["kpi", *names, "numerator", "denominator"]
    assert kpi_peers.compare(peer, reference(day, by), by) == []
    if missing is not None:
        # The missing group is there, so the comparison covers it.
        assert peer[missing].isna().any()
    # Every family is there, with something counted (the comparison is not vacuous).
    families = peer["kpi"].str.split(".", n=1).str[0]
    assert set(families) == set(kpi_peers.FAMILIES)
    counted = families[peer["denominator"] > 0]
    assert set(counted) == set(kpi_peers.FAMILIES)


def test_month_end_rule_is_tested(
    cohort: mc.Cohort, reference: Callable[[datetime.date, Any], pd.DataFrame]
) -> None:
    # The cohort has a course closed on a month's last day that falls due in a longer month:
    # on 30 March 2024 it is not yet due its 1-month status by the core's rule, although
    # "the same day a month later" (29 March) has passed. So the as_of of 30 March tells the
    # rules apart, and the peers are compared there.
    closed = cohort.frame("courses")["closed"]
    assert (closed == pd.Timestamp(MONTH_END_CLOSURE)).any()
    day = AS_OF[2]
    naive = (closed + pd.DateOffset(months=1) <= pd.Timestamp(day)).sum()
    kpis = reference(day, "municipality")
    due = kpis[kpis["kpi"] == "status.1m.none"]["denominator"].sum()
    assert due == naive - (closed == pd.Timestamp(MONTH_END_CLOSURE)).sum()


def test_compare_finds_a_difference(
    cohort: mc.Cohort,
    tables: dict[str, Any],
    reference: Callable[[datetime.date, Any], pd.DataFrame],
) -> None:
    day = _as_of(cohort, None)
    kpis = reference(day, "municipality")
    peer = kpi_peers.pandas_kpis(cohort, day, "municipality", tables=tables)
    wrong = peer.copy()
    row = wrong.index[(wrong["kpi"] == "exits_closed.job") & (wrong["numerator"] > 0)][0]
    wrong.loc[row, "numerator"] -= 1
    extra = pd.DataFrame(
        {"kpi": ["no_such.kpi"], "municipality": [101], "numerator": [1.0], "denominator": [1.0]}
    )
    problems = kpi_peers.compare(pd.concat([wrong, extra]), kpis, "municipality")
    assert len(problems) == 2
    assert problems[0].startswith("no_such.kpi municipality=101: not a KPI row")
    assert problems[1].startswith("exits_closed.job municipality=")
    # A missing row is 0 / 0: leaving out a row with a count is a difference.
    assert kpi_peers.compare(peer.drop(index=row), kpis, "municipality") != []
