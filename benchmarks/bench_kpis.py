"""The KPI suite of a cohort: the summary, the KPI frame, merging, publishing, beside pandas.

    python benchmarks/bench_kpis.py [COURSES] [RUNS] [PARTS]
    # defaults: 20000 courses, 3 runs, 8 parts

On a synthetic municipality of COURSES courses, already a cohort:

  Cohort.summary(by="municipality")     every count table and the per-day survival tables
  CohortSummary.kpis()                  the long KPI frame from the counts (every estimate)
  sum of PARTS part summaries           the merge a Dask reduction does, exact
  CohortSummary.publishable(5)          suppression with the exact audit
  pandas groupby on Cohort.frame        the peer for one KPI family: exits by destination among
                                        closed courses per municipality, from the courses frame
                                        as an analyst would write it (no interval, no censoring)

and the size of a summary's bytes (what crosses the network on Dask).
"""

from __future__ import annotations

import datetime
import sys

import pandas as pd

import mentorcore as mc
from _timing import best_and_median


def exits_with_pandas(courses: pd.DataFrame, as_of: datetime.date) -> pd.DataFrame:
    cutoff = pd.Timestamp(as_of)
    scope = courses[courses["ordered"] <= cutoff]
    closed = scope[scope["closed"].notna() & (scope["closed"] <= cutoff)]
    counts = closed.groupby(["municipality", "closure_reason"], observed=False).size()
    totals = closed.groupby("municipality").size()
    return (counts / totals.reindex(counts.index, level=0)).rename("value").reset_index()


def main() -> None:
    courses = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    parts = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    generated = mc.synthetic.generate(courses, seed=2026)
    cohort = mc.Cohort.from_courses(generated)
    pieces = [mc.Cohort.from_courses(generated[i::parts]) for i in range(parts)]
    del generated
    span = cohort.date_range
    assert span is not None
    as_of = span[1]
    print(f"{courses:,} courses, {cohort.rows('contacts'):,} contacts, as of {as_of}")

    summary = cohort.summary(as_of=as_of, by="municipality")
    part_summaries = [p.summary(as_of=as_of, by="municipality") for p in pieces]
    assert sum(part_summaries) == summary  # exact before anything is timed
    frame = cohort.frame("courses")
    theirs = exits_with_pandas(frame, as_of)
    ours = summary.kpis()
    job = ours[ours.kpi == "exits_closed.job"].set_index("municipality")["value"]
    mine = theirs[theirs.closure_reason == "job"].set_index("municipality")["value"]
    assert (job - mine.reindex(job.index)).abs().max() < 1e-12

    rows = [
        ("Cohort.summary(by=municipality)", lambda: cohort.summary(as_of=as_of, by="municipality")),
        ("CohortSummary.kpis()", summary.kpis),
        (f"sum of {parts} part summaries", lambda: sum(part_summaries)),
        ("CohortSummary.publishable(5)", lambda: summary.publishable(5)),
        ("pandas: exits by destination only", lambda: exits_with_pandas(frame, as_of)),
    ]
    print(f"{'step':<40}{'best s':>10}{'median s':>10}")
    for name, run in rows:
        best, median = best_and_median(run, runs)
        print(f"{name:<40}{best:>10.3f}{median:>10.3f}")
    print(f"KPI rows: {len(ours):,}; summary bytes: {len(summary.to_bytes()):,}")


if __name__ == "__main__":
    main()
