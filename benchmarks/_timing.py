"""Timing and result records shared by the Python benchmarks (imported by name: running ``python
benchmarks/bench_X.py`` puts this directory first on ``sys.path``)."""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Timing:
    """The wall times, in seconds, of repeated runs of one case."""

    times: list[float]

    @property
    def best(self) -> float:
        return min(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> float:
        """Slowest minus fastest run, in seconds (0 for one run)."""
        return max(self.times) - min(self.times)


# A case whose runs are this short is run until SHORT_CASE_SECONDS have passed (at most
# SHORT_CASE_RUNS runs): a median of three runs of a few milliseconds on a shared machine is
# mostly noise, and more runs cost nothing.
SHORT_RUN_SECONDS = 0.05
SHORT_CASE_SECONDS = 0.5
SHORT_CASE_RUNS = 101


def _more_runs(times: list[float], runs: int) -> bool:
    """Whether a case timed `times` so far needs another run: fewer than `runs`, or all short
    (SHORT_RUN_SECONDS) and more than one asked for (the smoke run asks for one, and gets one)."""
    return len(times) < runs or (
        runs > 1
        and max(times) < SHORT_RUN_SECONDS
        and sum(times) < SHORT_CASE_SECONDS
        and len(times) < SHORT_CASE_RUNS
    )


def _time_one_run(
    run: Callable[[], object], times: list[float], check: Callable[[Any], None] | None
) -> None:
    """Times one call of `run` into `times`; the first call's result goes to `check` (if given)
    outside the timed region, and every result is dropped before the caller goes on."""
    start = time.perf_counter()
    result = run()
    times.append(time.perf_counter() - start)
    if check is not None and len(times) == 1:
        check(result)
    del result


def measure(
    run: Callable[[], object], runs: int, check: Callable[[Any], None] | None = None
) -> Timing:
    """Times `runs` calls of `run`, or more when they are short (SHORT_RUN_SECONDS) and more
    than one was asked for (the smoke run asks for one, and gets one). `check`, if given, gets the
    first run's result, outside the timed region; every result is dropped before the next run."""
    times: list[float] = []
    while _more_runs(times, runs):
        _time_one_run(run, times, check)
    return Timing(times)


# measure_beside times the case compared with for up to this long after each run of a peer (and
# at least once): enough calls of a case of milliseconds for a median, little beside a peer of
# seconds.
BESIDE_SECONDS = 0.1


def measure_beside(
    run: Callable[[], object],
    reference: Callable[[], object],
    runs: int,
    check: Callable[[Any], None] | None = None,
) -> tuple[Timing, Timing]:
    """Times `run` as :func:`measure` does and, after each of its runs, `reference` (the case it
    is compared with) for as long as that run took, at most BESIDE_SECONDS: both are timed in the
    same seconds of the same process. On a shared VM whose speed drifts by more than a factor
    between minutes, a ratio of medians taken in separate processes minutes apart measures the
    drift as much as the code; this one does not. `check`, if given, gets the first run's result,
    outside the timed region; every result is dropped before the reference runs. Returns (run's
    timing, reference's timing)."""
    times: list[float] = []
    beside: list[float] = []
    while _more_runs(times, runs):
        _time_one_run(run, times, check)
        budget = min(times[-1], BESIDE_SECONDS)
        spent = 0.0
        while spent < budget or spent == 0.0:
            start = time.perf_counter()
            reference()
            beside.append(time.perf_counter() - start)
            spent += beside[-1]
            if runs == 1:  # the smoke run: one call each
                break
    return Timing(times), Timing(beside)


def best_and_median(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """The fastest and the median wall time, in seconds, of `runs` calls of `run`."""
    timing = measure(run, runs)
    return timing.best, timing.median


def peak_rss_bytes() -> int:
    """The peak resident set size of this process so far (VmHWM), in bytes."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@dataclass
class Result:
    """One measured case, as a line of the results file (JSON Lines) that the tables and the
    plots of docs/benchmarks.md are made from."""

    bench: str  # the benchmark script's name without bench_ (e.g. "kpis")
    case: str  # what was timed (e.g. "mentorcore", "pandas", "duckdb read_json")
    courses: int
    threads: int
    timing: Timing
    contacts: int | None = None
    input_bytes: int | None = None  # for readers: the bytes read (MB/s)
    peak_rss_bytes: int | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        data = asdict(self)
        timing = data.pop("timing")
        data.update(
            times=timing["times"],
            best_s=self.timing.best,
            median_s=self.timing.median,
            spread_s=self.timing.spread,
        )
        return data


def write_results(results: list[Result], path: str | os.PathLike[str] | None) -> None:
    """Appends `results` to the JSON Lines file `path` (nothing if `path` is None)."""
    if path is None:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        for result in results:
            out.write(json.dumps(result.record(), sort_keys=True) + "\n")
