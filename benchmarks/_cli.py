"""The command line every Python benchmark shares, so that benchmarks/run.py can run each case
in a process of its own (its peak memory is then its own):

    python benchmarks/bench_X.py --courses N [--runs R] [--json FILE] [--case NAME]
    python benchmarks/bench_X.py --list-cases       # the case names, one a line

Without --case every case runs, one after another, in this process. The results are
_timing.Result records, appended to FILE (JSON Lines) when --json is given, and printed as a
table either way.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from _timing import Result, write_results


def parse_args(doc: str | None, cases: Sequence[str]) -> argparse.Namespace:
    """The common options; prints the cases and exits for --list-cases."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--courses", type=int, default=1_000, help="the size (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per case (default 3)")
    parser.add_argument("--json", metavar="FILE", help="append the results to FILE (JSON Lines)")
    parser.add_argument("--case", choices=list(cases), help="run this case only")
    parser.add_argument("--list-cases", action="store_true", help="print the cases and exit")
    args = parser.parse_args()
    if args.list_cases:
        print("\n".join(cases))
        sys.exit(0)
    if args.courses < 1 or args.runs < 1:
        parser.error("--courses and --runs must be at least 1")
    return args


def run_selected(
    args: argparse.Namespace, cases: Sequence[str], run_case: Callable[[str], Result]
) -> list[Result]:
    """Runs the case --case names (or every case, in order), appending each result to --json as
    soon as it is measured, then prints them."""
    results = []
    for case in [args.case] if args.case else cases:
        results.append(run_case(case))
        write_results(results[-1:], args.json)
    print_results(results)
    return results


def reset_peak_rss() -> None:
    """Starts the peak resident set size (VmHWM) afresh, so that the peak a case reports is that
    of its timed runs, not of preparing and checking its input (Linux: clear_refs 5)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass  # not Linux, or not allowed: the peak then includes the preparation


def print_results(results: Sequence[Result]) -> None:
    """The results as a markdown table: median, spread, MB/s where input bytes are known."""
    print("| case | courses | threads | median s | spread s | runs | MB/s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = f"{r.input_bytes / 1e6 / r.timing.median:.0f}" if r.input_bytes else ""
        rss = f"{r.peak_rss_bytes / 2**20:.0f}" if r.peak_rss_bytes else ""
        print(
            f"| {r.case} | {r.courses:,} | {r.threads} | {r.timing.median:.3f} | "
            f"{r.timing.spread:.3f} | {len(r.timing.times)} | {rate} | {rss} |"
        )
    sys.stdout.flush()
