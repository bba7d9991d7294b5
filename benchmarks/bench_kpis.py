"""The KPI suite (issue 18): mentorcore beside idiomatic pandas, polars (lazy API) and DuckDB SQL
on the same cohort, with equal results asserted before anything is timed.

    python benchmarks/bench_kpis.py --courses N [--runs R] [--json FILE]
                                    [--peers pandas,polars,duckdb] [--case NAME] [--parts P]
    # defaults: 3 runs, every peer, every case, 8 parts

The input is the cached synthetic country of N courses (benchmarks/_data.py: generated once under
build/bench/N/, or $MENTORCORE_BENCH_CACHE/N/), as of its last date, grouped by municipality.

Cases:

  mentorcore             cohort.summary(as_of=..., by="municipality", threads=1).kpis(): the
                         whole suite, every count, survival estimate and interval, on one
                         thread; "mentorcore threads=2" the same on two
  pandas, polars, duckdb the count-based KPI families in each engine (benchmarks/kpi_peers/),
                         from the cohort's tables handed over through Arrow; polars and DuckDB
                         use their default thread pools (every core). They compute less than
                         mentorcore does: no survival KPI, no value or interval
  merge P parts          the sum of the summaries of P disjoint parts of the cohort (the
                         reduction of a Dask run), asserted equal to the whole one's first
  publishable(5)         suppression with the exact audit

Each peer's numerators and denominators are checked against mentorcore's KPI frame
(kpi_peers.compare) before it is timed; a difference stops the run. The table gives the best,
median and spread (slowest - fastest) of R runs and each case's best over mentorcore's best.
`--json FILE` appends a Result record per case (benchmarks/_timing.py). Its peak_rss_bytes is the
peak RSS during the case's timed runs, over what was resident before them (the cohort, the
reference KPI frame): the peak is reset before each case (/proc/self/clear_refs). `--case NAME`
runs one case only, so that a driver can run each case in a process of its own, where nothing
that another case left behind is resident.

The old form ``bench_kpis.py COURSES [RUNS [PARTS]]`` still works.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

import _data
import kpi_peers
import mentorcore as mc
from _timing import Result, Timing, measure, peak_rss_bytes, write_results

BY = "municipality"
PEER_NAMES = tuple(kpi_peers.PEERS)


@dataclass
class Case:
    name: str
    threads: int
    run: Callable[[], object]
    check: Callable[[], object]  # asserts equal results; called once before the timed runs
    note: str = ""


def reset_peak_rss() -> None:
    """Lowers this process's peak RSS (VmHWM) to its current RSS (Linux 4.0 and later), so that
    peak_rss_bytes() afterwards is the peak of what runs from now on, over what is resident."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass  # the peak then covers everything before too (said in the record's note)


def peer_threads(engine: str) -> int:
    """The number of threads the engine computes with (its default pool)."""
    if engine == "polars":
        import polars as pl

        return int(pl.thread_pool_size())
    if engine == "duckdb":
        import duckdb

        with duckdb.connect() as con:
            row = con.execute("select current_setting('threads')").fetchone()
        assert row is not None
        return int(row[0])
    return 1


def cases(cohort: mc.Cohort, as_of: datetime.date, peers: list[str], parts: int) -> list[Case]:
    """Every case of the benchmark, in the order of the table; each checks its result lazily,
    so that `--case` computes only what its case needs."""
    memo: dict[str, Any] = {}

    def summary() -> mc.CohortSummary:
        if "summary" not in memo:
            memo["summary"] = cohort.summary(as_of=as_of, by=BY)
        return memo["summary"]

    def reference() -> pd.DataFrame:
        if "kpis" not in memo:
            memo["kpis"] = summary().kpis()
        return memo["kpis"]

    def suite(threads: int) -> Case:
        def run() -> pd.DataFrame:
            return cohort.summary(as_of=as_of, by=BY, threads=threads).kpis()

        def check() -> None:
            # The counts do not depend on the number of threads: the same frame, bit for bit.
            if not run().equals(reference()):
                raise SystemExit(f"mentorcore on {threads} threads: a different KPI frame")

        name = "mentorcore" if threads == 1 else f"mentorcore threads={threads}"
        return Case(name, threads, run, check, "the whole suite")

    listed = [suite(1), suite(2)]

    def peer_case(engine: str) -> Case:
        peer = kpi_peers.PEERS[engine]

        def run() -> object:
            return peer(cohort, as_of, BY)

        def check() -> None:
            problems = kpi_peers.compare(run(), reference(), BY)
            if problems:
                shown = "\n  ".join(problems[:20])
                raise SystemExit(
                    f"{engine}: {len(problems)} numerators or denominators differ from "
                    f"mentorcore's:\n  {shown}"
                )

        return Case(engine, peer_threads(engine), run, check, "count-based families only")

    listed += [peer_case(engine) for engine in peers]

    def part_summaries() -> list[mc.CohortSummary]:
        if "parts" not in memo:
            # Disjoint parts that cover the cohort: the target groups dealt out to `parts` parts.
            groups = cohort.dictionary("target_group")
            memo["parts"] = [
                cohort.select(target_group=groups[i::parts]).summary(as_of=as_of, by=BY)
                for i in range(parts)
            ]
        return memo["parts"]

    def same_merge() -> None:
        if sum(part_summaries()) != summary():
            raise SystemExit(f"the sum of {parts} part summaries differs from the whole one")

    listed += [
        Case(f"merge {parts} parts", 1, lambda: sum(part_summaries()), same_merge),
        # Its check only computes the summary, so that no timed run does.
        Case("publishable(5)", 1, lambda: summary().publishable(5), summary),
    ]
    return listed


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("legacy", nargs="*", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--courses", type=int, help="the size of the cohort (courses)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default 3)")
    parser.add_argument("--json", help="append a result record per case to this JSON Lines file")
    parser.add_argument(
        "--peers",
        default=",".join(PEER_NAMES),
        help=f"the peers to run, comma-separated (default {','.join(PEER_NAMES)})",
    )
    parser.add_argument("--case", help="run only the case of this name")
    parser.add_argument("--parts", type=int, default=8, help="parts of the merge case (default 8)")
    args = parser.parse_args(argv)
    if len(args.legacy) > 3:
        parser.error("expected at most COURSES RUNS PARTS")
    legacy = dict(zip(("courses", "runs", "parts"), args.legacy, strict=False))
    for name, value in legacy.items():
        setattr(args, name, value)
    if args.courses is None:
        parser.error("--courses is required")
    args.peers = [name for name in args.peers.split(",") if name]
    unknown = [name for name in args.peers if name not in PEER_NAMES]
    if unknown:
        parser.error(f"--peers: unknown {', '.join(unknown)} (expected {', '.join(PEER_NAMES)})")
    return args


def main(argv: list[str]) -> None:
    args = arguments(argv)
    cohort = _data.cohort(args.courses)
    span = cohort.date_range
    assert span is not None
    as_of = span[1]
    contacts = cohort.rows("contacts")
    chosen = cases(cohort, as_of, args.peers, args.parts)
    if args.case is not None:
        chosen = [case for case in chosen if case.name == args.case]
        if not chosen:
            names = ", ".join(case.name for case in cases(cohort, as_of, args.peers, args.parts))
            raise SystemExit(f"--case {args.case!r}: expected one of {names}")
    print(
        f"{args.courses:,} courses, {contacts:,} contacts, as of {as_of}, by {BY}, {args.runs} runs"
    )

    # Equal results first: nothing is timed until every chosen case agrees with mentorcore.
    for case in chosen:
        case.check()
    gc.collect()

    results: list[Result] = []
    for case in chosen:
        gc.collect()
        reset_peak_rss()
        timing: Timing = measure(case.run, args.runs)
        peak = peak_rss_bytes()
        gc.collect()
        note = case.note
        if len(chosen) > 1:
            note = "; ".join(filter(None, [note, "peak RSS in a process that ran other cases"]))
        results.append(
            Result(
                bench="kpis",
                case=case.name,
                courses=args.courses,
                threads=case.threads,
                timing=timing,
                contacts=contacts,
                peak_rss_bytes=peak,
                note=note,
                extra={"as_of": as_of.isoformat(), "by": BY, "runs": args.runs},
            )
        )

    # mentorcore's best per thread count, and over both (the ratio in the table).
    ours = {r.threads: r.timing.best for r in results if r.case.startswith("mentorcore")}
    mentorcore_best = min(ours.values()) if ours else None
    print()
    print("| case | threads | best s | median s | spread s | x mentorcore | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        ratio = "-"
        if mentorcore_best and not result.case.startswith(("merge", "publishable")):
            result.extra["ratio_to_mentorcore"] = result.timing.best / mentorcore_best
            for threads, best in ours.items():
                result.extra[f"ratio_to_mentorcore_{threads}_threads"] = result.timing.best / best
            ratio = f"{result.extra['ratio_to_mentorcore']:.1f}"
        rss = (result.peak_rss_bytes or 0) / 2**20
        print(
            f"| {result.case} | {result.threads} | {result.timing.best:.3f} "
            f"| {result.timing.median:.3f} | {result.timing.spread:.3f} | {ratio} | {rss:,.0f} |"
        )
    for result in results:
        if result.note:
            print(f"{result.case}: {result.note}")
    write_results(results, args.json)


if __name__ == "__main__":
    main(sys.argv[1:])
