"""The KPI peers of the benchmark (benchmarks/kpi_peers.py: pandas, polars, DuckDB) give
mentorcore's numerators and denominators, the "equal results asserted before timing" of issue 18.

The peers live in benchmarks/ (they are benchmark code, not part of the package) and are imported
from there by path; the benchmark imports the same module, so what is tested is what is timed.
"""

from __future__ import annotations

import datetime
import sys
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
    None,  # the cohort's last date
)
ENGINES = ("pandas", "polars", "duckdb")


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    return mc.Cohort.from_courses(mc.synthetic.generate(300, seed=5))


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


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
@pytest.mark.parametrize("engine", ENGINES)
def test_peer_equals_mentorcore_by_municipality(
    cohort: mc.Cohort, tables: dict[str, Any], engine: str, as_of: datetime.date | None
) -> None:
    day = _as_of(cohort, as_of)
    reference = cohort.kpis(as_of=day, by="municipality")
    peer = _peer(engine)(cohort, day, "municipality", tables=tables)
    assert list(peer.columns) == ["kpi", "municipality", "numerator", "denominator"]
    assert kpi_peers.compare(peer, reference, "municipality") == []
    # Every family is there, with something counted (the comparison is not vacuous).
    families = peer["kpi"].str.split(".", n=1).str[0]
    assert set(families) == set(kpi_peers.FAMILIES)
    counted = peer[peer["denominator"] > 0]
    assert set(counted["kpi"].str.split(".", n=1).str[0]) == set(kpi_peers.FAMILIES)


@pytest.mark.parametrize("engine", ENGINES)
def test_peer_keeps_a_missing_group(cohort: mc.Cohort, tables: dict[str, Any], engine: str) -> None:
    # Some courses name no provider (no grant names one): mentorcore makes them a group (None).
    day = _as_of(cohort, None)
    assert cohort.frame("courses")["provider"].isna().any()
    reference = cohort.kpis(as_of=day, by="provider")
    peer = _peer(engine)(cohort, day, "provider", tables=tables)
    assert kpi_peers.compare(peer, reference, "provider") == []
    assert peer["provider"].isna().any()


def test_compare_finds_a_difference(cohort: mc.Cohort, tables: dict[str, Any]) -> None:
    day = _as_of(cohort, None)
    reference = cohort.kpis(as_of=day, by="municipality")
    peer = kpi_peers.pandas_kpis(cohort, day, "municipality", tables=tables)
    wrong = peer.copy()
    row = wrong.index[(wrong["kpi"] == "exits_closed.job") & (wrong["numerator"] > 0)][0]
    wrong.loc[row, "numerator"] -= 1
    extra = pd.DataFrame(
        {"kpi": ["no_such.kpi"], "municipality": [101], "numerator": [1.0], "denominator": [1.0]}
    )
    problems = kpi_peers.compare(pd.concat([wrong, extra]), reference, "municipality")
    assert len(problems) == 2
    assert problems[0].startswith("no_such.kpi municipality=101: not a KPI row")
    assert problems[1].startswith("exits_closed.job municipality=")
    # A missing row is 0 / 0: leaving out a row with a count is a difference.
    assert kpi_peers.compare(peer.drop(index=row), reference, "municipality") != []
