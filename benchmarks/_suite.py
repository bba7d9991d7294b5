"""What the suite runs (benchmarks/run.py) and how far each case goes, shared with the tables
(benchmarks/tables.py), which say what a case not run at a size would have taken."""

from __future__ import annotations

BENCHES = ("read_events", "cohort", "survival", "kpis", "synthetic", "dask", "micro")
"""The benchmarks by short name (--only), in the order they run."""

MEMORY = "memory"
TIME = "time"
MAX_COURSES: dict[str, dict[str, tuple[int, str]]] = {
    # bench: {case: (largest size, why: TIME = over 10 minutes a run, MEMORY = over the
    # machine's 24 GiB)}; "*" is every case of the bench.
    "read_events": {
        # Peak RSS at 10,000 courses (2026-11-29): json + pandas 4.4 GB, orjson + pandas 3.9 GB,
        # polars 2.3 GB, DuckDB 1.2 GB; ten times that at 100,000 is more than the machine has,
        # but for DuckDB, whose 22 MB/s on the 24.6 GB log of a million would take 19 minutes.
        "json + pandas": (10_000, MEMORY),
        "orjson + pandas": (10_000, MEMORY),
        "polars read_ndjson": (10_000, MEMORY),
        "duckdb read_json": (100_000, TIME),
    },
    "cohort": {
        # A million course objects: about 28 GB.
        "read_events + Cohort.from_courses": (100_000, MEMORY),
        "read_events + per-course contacts_frame": (100_000, TIME),
    },
    "synthetic": {
        # The scratch log of a million courses is 23 GB beside the cached one (and the courses
        # that write_events and the dicts that json and orjson start from do not fit).
        "*": (100_000, MEMORY),
        "json.dumps (from dicts)": (10_000, MEMORY),
        "orjson.dumps (from dicts)": (10_000, MEMORY),
    },
    # Eight byte ranges of 3 GB copied to temporary files, three ways: over 10 minutes.
    "dask": {"*": (100_000, TIME)},
    # The whole log and its courses in memory.
    "micro": {"*": (100_000, MEMORY)},
}

RUNS = {1_000: 5, 10_000: 3, 100_000: 3, 1_000_000: 3}
"""Timed runs per case at each size (3 at any other size)."""


def max_courses(bench: str, case: str) -> tuple[int, str] | None:
    limits = MAX_COURSES.get(bench, {})
    return limits.get(case) or limits.get("*")
