"""Timing shared by the Python benchmarks (imported by name: running ``python
benchmarks/bench_X.py`` puts this directory first on ``sys.path``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_and_median(run: Callable[[], object], runs: int) -> tuple[float, float]:
    """The fastest and the median wall time, in seconds, of `runs` calls of `run`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)
