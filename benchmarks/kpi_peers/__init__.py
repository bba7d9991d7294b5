"""The count-based part of the KPI suite (docs/kpis.md) written as an analyst would, three times:
idiomatic pandas, polars (lazy API) and DuckDB SQL, each over the cohort's own tables handed over
through Arrow (``cohort.arrow(name)``). These are the peers of ``cohort.kpis(...)`` in the KPI
benchmark (issue 18, benchmarks/bench_kpis.py); ``tests/python/test_kpi_peers.py`` checks that
every numerator and denominator equals mentorcore's, and the benchmark asserts it again before
anything is timed.

Each peer is called as ``peer(cohort, as_of, by, tables=None)`` and returns a long frame (pandas)
with the columns ``kpi``, the group columns, ``numerator`` and ``denominator``, one row per KPI
and group. A peer leaves out rows whose numerator and denominator are both 0 where that falls out
of the query (mentorcore lists every KPI for every group); ``compare`` treats a missing row as
0 / 0.

Not here: the survival KPIs (``time_to_work_or_education.*``, ``retention.*``); their peers are
lifelines, statsmodels and scikit-survival.

The rules are docs/kpis.md's (mentorcore's reference implementation of the counts is
python/mentorcore/_summary_counts.py), as the analyst has to write them to get the same numbers:

- a course is in the cohort when it was ordered on or before ``as_of``; every row of a child
  table counts for its course's group (the course's own attribute), and only when dated on or
  before ``as_of``;
- ``by`` is a group column or a list of them: ``municipality``, ``target_group``, ``provider``,
  ``mentor``, ``caseworker`` (the courses table's columns) or ``start_year``, the year of the
  start, missing for a course not started by ``as_of``; a missing value is a group of its own
  (None), as in mentorcore;
- months after closure are calendar months by the core's rule (the day of month kept, the last
  day of a shorter month where it does not exist, and a month's last day kept at month end:
  29 February + 1 month is 31 March); a month of course is 30 days from the start, month 24
  holding everything later;
- days of course run from the start to the closure, or to ``as_of`` for a course still open
  (0 for a course not started by ``as_of``); weeks are days / 7, years days / 365.25;
- a milestone counts once per course, at its first date (by ``as_of``, of a course started by
  then);
- hours are counted in hundredths (rounded half to even, as ``np.rint``), a grant has ended when
  its end in force (or else its planned end) is on or before ``as_of``, and only grants with
  hours granted count; utilisation in whole percent is rounded down;
- consecutive stage assessments of one behaviour in one course are ordered by date, then by
  their position in the table; either one without a stage makes no pair;
- ties of date (two ratings of one instrument on one day, which the synthetic data has) are
  broken by the position in the table: the last rating is the last row. SQL has no order of
  rows, so the DuckDB peer gets a ``row`` column appended to those two Arrow tables;
- only what was known on ``as_of`` counts for a handover: it is acknowledged when its state is
  acknowledged and it was settled by ``as_of``; its first contact counts when it took place by
  then (date + days_to_first_contact <= ``as_of``); its no-shows within 30 days count, and it is
  in their denominator, when its 30 days had passed (date + 30 <= ``as_of``); a mentor change
  is an acknowledged (by ``as_of``) handover from a mentor to a mentor (the courses table's
  ``mentor_changes`` counts the whole history and is not used);
- for courses without a handover by ``as_of`` (started by then), the first attended contact from
  the start (dated by ``as_of``), and the no-shows in the first 30 days of those started 30 days
  or more before ``as_of``.

The package lives in benchmarks/ (benchmark code, not part of mentorcore);
tests/python/test_kpi_peers.py imports it by path, so the tested code is the timed code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

import mentorcore as mc

from ._common import arrow_tables, group_names
from ._duckdb import duckdb_kpis
from ._pandas import pandas_kpis
from ._polars import polars_kpis

__all__ = [
    "FAMILIES",
    "INEXACT",
    "PEERS",
    "arrow_tables",
    "compare",
    "duckdb_kpis",
    "pandas_kpis",
    "polars_kpis",
]

_DEFINITIONS = mc.kpi_definitions()
FAMILIES: tuple[str, ...] = tuple(_DEFINITIONS.loc[_DEFINITIONS["kind"] != "survival", "kpi"])
"""The KPI families every peer computes (the part of ``kpi`` before the first dot): every family
of ``mc.kpi_definitions()`` but the survival KPIs."""

INEXACT = (
    "contacts_per_week",
    "minutes_per_week",
    "mentor_changes_per_course_year",
    "hours_utilisation",
    "rating_change",
)
"""Families whose numerator or denominator is not a whole number of things (weeks, years, hours,
points): compared to a relative tolerance rather than exactly."""

PEERS: dict[str, Callable[..., pd.DataFrame]] = {
    "pandas": pandas_kpis,
    "polars": polars_kpis,
    "duckdb": duckdb_kpis,
}
"""The peers by engine name; each is called as ``peer(cohort, as_of, by, tables=None)``."""


def _keyed(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """`frame`'s kpi, group columns (as objects, a missing value None), numerator, denominator."""
    keyed = frame[["kpi", *names, "numerator", "denominator"]].copy()
    for name in names:
        values = keyed[name].astype(object)
        keyed[name] = values.where(values.notna(), None)
    return keyed


def compare(
    peer: pd.DataFrame, reference: pd.DataFrame, by: str | Sequence[str], rtol: float = 1e-9
) -> list[str]:
    """The differences between a peer's rows and mentorcore's KPI frame (``cohort.kpis``) for
    the families of FAMILIES: numerators and denominators equal (to `rtol` relative for the
    families of INEXACT), a row missing from the peer counting as 0 / 0, and no row of the peer
    that mentorcore does not have. An empty list when they agree."""
    names = group_names(by)
    family = reference["kpi"].str.split(".", n=1).str[0]
    merged = _keyed(reference[family.isin(FAMILIES)], names).merge(
        _keyed(peer, names), on=["kpi", *names], how="outer", suffixes=("", "_peer"), indicator=True
    )

    def where(row: pd.Series) -> str:
        return " ".join(f"{name}={row[name]}" for name in names)

    extra = merged[merged["_merge"] == "right_only"]
    problems = [
        f"{row.kpi} {where(row)}: not a KPI row of mentorcore" for _, row in extra.iterrows()
    ]
    merged = merged[merged["_merge"] != "right_only"].fillna(
        {"numerator_peer": 0.0, "denominator_peer": 0.0}
    )
    inexact = merged["kpi"].str.split(".", n=1).str[0].isin(INEXACT).to_numpy()
    for column in ("numerator", "denominator"):
        want = merged[column].to_numpy(dtype=np.float64)
        got = merged[column + "_peer"].to_numpy(dtype=np.float64)
        tolerance = np.where(inexact, rtol * np.abs(want), 0.0)
        wrong = ~(np.abs(got - want) <= tolerance)
        problems += [
            f"{row.kpi} {where(row)}: {column} {g!r}, mentorcore {w!r}"
            for (_, row), g, w in zip(
                merged[wrong].iterrows(), got[wrong], want[wrong], strict=True
            )
        ]
    return problems
