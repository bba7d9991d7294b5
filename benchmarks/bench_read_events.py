"""Reading an event log: mentorcore beside the obvious peers, on the cached log of N courses.

    python benchmarks/bench_read_events.py --courses N [--runs R] [--json FILE] [--case NAME]

What each case does (they do not do the same work, and the tables say so):
  mentorcore read_cohort     parse every line, check every field, replay each course through the
                             domain rules, and keep the cohort's column tables (1 and 2 threads)
  json + pandas              json.loads per line, then a DataFrame of the records (no validation)
  orjson + pandas            the same with orjson
  duckdb read_json           DuckDB's newline-delimited JSON reader into an Arrow table
  polars read_ndjson         polars' NDJSON reader into a DataFrame

Before a result counts, its courses and contacts are checked against the cached cohort: the peers
must find as many distinct courses and contact_logged events as mentorcore keeps. The check runs
on the first run's result, outside the timed region. The peers use every core (their default);
mentorcore is timed on 1 thread and on 2. Every case but mentorcore on 1 thread (the reference)
also times that reference between its own runs, in its process, and its ratio is to that median
(_timing.measure_beside): the VM's speed drifts between minutes by more than the effects
measured. MB/s is of the log's text (at 1,000,000 courses the cached log is gzip, and reading it
includes inflating it); per core divides by the threads.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _data
import mentorcore as mc
from _cli import parse_args, reset_peak_rss, run_selected
from _timing import Result, measure, measure_beside, peak_rss_bytes

BENCH = "read_events"
REFERENCE = "mentorcore read_cohort, 1 thread"
CORES = os.cpu_count() or 1


def with_mentorcore(threads: int) -> Callable[[str], object]:
    return lambda path: mc.read_cohort(path, threads=threads)


def cohort_counts(cohort: Any) -> tuple[int, int]:
    return cohort.rows("courses"), cohort.rows("contacts")


def with_json(path: str) -> object:
    import pandas as pd

    with open(path, "rb") as file:
        records = [json.loads(line) for line in file]
    return pd.DataFrame.from_records(records)


def with_orjson(path: str) -> object:
    import orjson
    import pandas as pd

    with open(path, "rb") as file:
        records = [orjson.loads(line) for line in file]
    return pd.DataFrame.from_records(records)


def pandas_counts(frame: Any) -> tuple[int, int]:
    return int(frame["course"].nunique()), int((frame["type"] == "contact_logged").sum())


def with_duckdb(path: str) -> object:
    import duckdb

    quoted = path.replace("'", "''")
    relation = duckdb.connect().sql(
        f"SELECT * FROM read_json('{quoted}', format='newline_delimited', union_by_name=true, "
        "sample_size=-1, maximum_object_size=104857600)"
    )
    # A relation's Arrow table, without the copy a DB-API cursor makes: to_arrow_table in
    # DuckDB 2, arrow in 1.x.
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def arrow_counts(table: Any) -> tuple[int, int]:
    import pyarrow.compute as pc

    courses = pc.count_distinct(table.column("course")).as_py()
    contacts = pc.sum(pc.equal(table.column("type"), "contact_logged")).as_py()
    return int(courses), int(contacts)


def with_polars(path: str) -> object:
    import polars as pl

    return pl.read_ndjson(path, infer_schema_length=None)


def polars_counts(frame: Any) -> tuple[int, int]:
    courses = frame.get_column("course").drop_nulls().n_unique()
    return int(courses), int((frame.get_column("type") == "contact_logged").sum())


Reader = Callable[[str], object]
Counter = Callable[[Any], tuple[int, int]]
CASES: dict[str, tuple[int, Reader, Counter]] = {
    "mentorcore read_cohort, 1 thread": (1, with_mentorcore(1), cohort_counts),
    "mentorcore read_cohort, 2 threads": (2, with_mentorcore(2), cohort_counts),
    "json + pandas": (1, with_json, pandas_counts),
    "orjson + pandas": (1, with_orjson, pandas_counts),
    "duckdb read_json": (CORES, with_duckdb, arrow_counts),
    "polars read_ndjson": (CORES, with_polars, polars_counts),
}


def text_bytes(path: str) -> int:
    """The bytes of the log's text: for a gzip log (1,000,000 courses, benchmarks/_data.py)
    counted once by inflating it and kept beside it, so that MB/s is of the text at every size."""
    if not path.endswith(".gz"):
        return os.path.getsize(path)
    kept = Path(path + ".text-bytes")
    if kept.exists() and kept.stat().st_mtime >= os.path.getmtime(path):
        return int(kept.read_text(encoding="ascii"))
    total = 0
    with gzip.open(path, "rb") as text:
        while block := text.read(1 << 24):
            total += len(block)
    kept.write_text(str(total), encoding="ascii")
    return total


def run_case(case: str, courses: int, runs: int, expected: tuple[int, int]) -> Result:
    threads, read, count = CASES[case]
    path = str(_data.event_log(courses))

    def check(result: object) -> None:
        found = count(result)
        if found != expected:
            raise AssertionError(
                f"{case}: {found[0]:,} courses and {found[1]:,} contacts, but the cohort has "
                f"{expected[0]:,} and {expected[1]:,}"
            )

    reset_peak_rss()
    extra: dict[str, object] = {}
    if case == REFERENCE:
        timing = measure(lambda: read(path), runs, check)
    else:
        # mentorcore on 1 thread is timed between this case's runs, in this process: the ratio
        # then compares the same seconds (see _timing.measure_beside). Its result is checked in
        # its own case.
        reference = CASES[REFERENCE][1]
        timing, beside = measure_beside(lambda: read(path), lambda: reference(path), runs, check)
        extra = {"reference_median_s": beside.median, "reference_runs": len(beside.times)}
    return Result(
        bench=BENCH,
        case=case,
        courses=courses,
        threads=threads,
        timing=timing,
        contacts=expected[1],
        input_bytes=text_bytes(path),
        peak_rss_bytes=peak_rss_bytes(),
        note="; ".join(
            x
            for x in (
                "" if case.startswith("mentorcore") else "parses only: validates nothing",
                "the log is gzip: reading inflates it" if path.endswith(".gz") else "",
            )
            if x
        ),
        extra={
            "reference": REFERENCE,
            "checked": "courses and contacts equal to the cohort's",
            **extra,
        },
    )


def main() -> None:
    args = parse_args(__doc__, list(CASES))
    cohort = _data.cohort(args.courses)
    expected = (cohort.rows("courses"), cohort.rows("contacts"))
    del cohort
    run_selected(args, list(CASES), lambda case: run_case(case, args.courses, args.runs, expected))


if __name__ == "__main__":
    main()
