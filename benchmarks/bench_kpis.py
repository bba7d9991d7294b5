"""The KPI suite (issue 18): mentorcore beside idiomatic pandas, polars (lazy API) and DuckDB SQL
on the same cohort, with equal results asserted before anything is timed.

    python benchmarks/bench_kpis.py --courses N [--runs R] [--json FILE]
                                    [--peers pandas,polars,duckdb] [--case NAME] [--parts P]
    python benchmarks/bench_kpis.py --list-cases    # the case names, one a line
    # defaults: 1000 courses, 3 runs, every peer, every case, 8 parts

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
`--json FILE` appends a Result record per case (benchmarks/_timing.py) as soon as it is measured.
Its peak_rss_bytes is the peak RSS during the case's timed runs, over what was resident before
them (the cohort, the reference KPI frame). `--case NAME` runs one case only, so that a driver
(benchmarks/run.py, the options of benchmarks/_cli.py) can run each case in a process of its own,
where nothing that another case left behind is resident.
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
from _cli import reset_peak_rss
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
    checked: str = ""  # what the check asserted, for the tables (benchmarks/tables.py)


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
        return Case(name, threads, run, check, "the whole suite", "the KPI frame equal bit for bit")

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

        return Case(
            engine,
            peer_threads(engine),
            run,
            check,
            "count-based families only",
            "numerators and denominators equal to mentorcore's",
        )

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
        Case(
            f"merge {parts} parts",
            1,
            lambda: sum(part_summaries()),
            same_merge,
            checked="the sum equal to the whole cohort's summary",
        ),
        # Its check only computes the summary, so that no timed run does.
        Case("publishable(5)", 1, lambda: summary().publishable(5), summary),
    ]
    return listed


def case_names(peers: list[str], parts: int) -> list[str]:
    """The names of the cases, in the order they run (those of cases())."""
    return ["mentorcore", "mentorcore threads=2", *peers, f"merge {parts} parts", "publishable(5)"]


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--courses", type=int, default=1_000, help="the size (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default 3)")
    parser.add_argument("--json", metavar="FILE", help="append the results to FILE (JSON Lines)")
    parser.add_argument(
        "--peers",
        default=",".join(PEER_NAMES),
        help=f"the peers to run, comma-separated (default {','.join(PEER_NAMES)})",
    )
    parser.add_argument("--case", help="run this case only")
    parser.add_argument("--list-cases", action="store_true", help="print the cases and exit")
    parser.add_argument("--parts", type=int, default=8, help="parts of the merge case (default 8)")
    args = parser.parse_args(argv)
    args.peers = [name for name in args.peers.split(",") if name]
    unknown = [name for name in args.peers if name not in PEER_NAMES]
    if unknown:
        parser.error(f"--peers: unknown {', '.join(unknown)} (expected {', '.join(PEER_NAMES)})")
    names = case_names(args.peers, args.parts)
    if args.list_cases:
        print("\n".join(names))
        sys.exit(0)
    if args.courses < 1 or args.runs < 1 or args.parts < 1:
        parser.error("--courses, --runs and --parts must be at least 1")
    if args.case is not None and args.case not in names:
        parser.error(f"--case {args.case!r}: expected one of {', '.join(names)}")
    return args


def main(argv: list[str]) -> None:
    args = arguments(argv)
    cohort = _data.cohort(args.courses)
    span = cohort.date_range
    assert span is not None
    as_of = span[1]
    contacts = cohort.rows("contacts")
    chosen = cases(cohort, as_of, args.peers, args.parts)
    assert [case.name for case in chosen] == case_names(args.peers, args.parts)
    if args.case is not None:
        chosen = [case for case in chosen if case.name == args.case]
    print(
        f"{args.courses:,} courses, {contacts:,} contacts, as of {as_of}, by {BY}, {args.runs} runs"
    )

    # Equal results first: nothing is timed until every chosen case agrees with mentorcore.
    for case in chosen:
        case.check()

    results: list[Result] = []
    ours: dict[int, float] = {}  # mentorcore's best per thread count
    for case in chosen:
        gc.collect()
        reset_peak_rss()
        timing: Timing = measure(case.run, args.runs)
        peak = peak_rss_bytes()
        note = case.note
        if len(chosen) > 1:
            note = "; ".join(filter(None, [note, "peak RSS in a process that ran other cases"]))
        extra: dict[str, Any] = {"as_of": as_of.isoformat(), "by": BY, "checked": case.checked}
        if case.name != "mentorcore" and (
            case.name.startswith("mentorcore") or case.name in PEER_NAMES
        ):
            extra["reference"] = "mentorcore"  # the tables' ratio: to mentorcore on one thread
        if case.name.startswith("mentorcore"):
            ours[case.threads] = timing.best
        if ours and (case.name.startswith("mentorcore") or case.name in PEER_NAMES):
            extra["ratio_to_mentorcore"] = timing.best / min(ours.values())
            for threads, best in ours.items():
                extra[f"ratio_to_mentorcore_{threads}_threads"] = timing.best / best
        result = Result(
            bench="kpis",
            case=case.name,
            courses=args.courses,
            threads=case.threads,
            timing=timing,
            contacts=contacts,
            peak_rss_bytes=peak,
            note=note,
            extra=extra,
        )
        write_results([result], args.json)
        results.append(result)

    print()
    print("| case | threads | best s | median s | spread s | x mentorcore | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        ratio = result.extra.get("ratio_to_mentorcore")
        shown = "-" if ratio is None else f"{ratio:.1f}"
        rss = (result.peak_rss_bytes or 0) / 2**20
        print(
            f"| {result.case} | {result.threads} | {result.timing.best:.3f} "
            f"| {result.timing.median:.3f} | {result.timing.spread:.3f} | {shown} | {rss:,.0f} |"
        )
    for result in results:
        if result.note:
            print(f"{result.case}: {result.note}")


if __name__ == "__main__":
    main(sys.argv[1:])
