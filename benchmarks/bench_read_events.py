"""Reading an event log: mentorcore beside the obvious peers, on the same file.

    tools/dev bench                      # makes benchmarks/data/events.jsonl (100 MB) and runs this
    python benchmarks/bench_read_events.py FILE [RUNS] [mentorcore]   # "mentorcore": no peers

What each contender does (they do not do the same work, and the table says so):
  mentorcore.read_events   parse every line, check every field, replay each course through the
                           domain rules, build Course objects
  json + pandas            json.loads per line, then a DataFrame of the records (no validation)
  orjson + pandas          the same with orjson
  duckdb read_json         DuckDB's newline-delimited JSON reader into a pandas DataFrame
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable

import pandas as pd

import mentorcore as mc


def with_json(path: str) -> pd.DataFrame:
    with open(path, "rb") as file:
        records = [json.loads(line) for line in file]
    return pd.DataFrame.from_records(records)


def with_orjson(path: str) -> pd.DataFrame:
    import orjson

    with open(path, "rb") as file:
        records = [orjson.loads(line) for line in file]
    return pd.DataFrame.from_records(records)


def with_duckdb(path: str) -> pd.DataFrame:
    import duckdb

    connection = duckdb.connect()
    connection.execute("SET threads = 1")  # one core, like the others
    return connection.execute(
        f"SELECT * FROM read_json('{path}', format='newline_delimited', union_by_name=true, "
        "sample_size=-1, maximum_object_size=104857600)"
    ).df()


def with_mentorcore(path: str) -> list[mc.Course]:
    return mc.read_events(path)


def rows_of(result: object) -> str:
    if isinstance(result, list):
        return f"{len(result)} courses"
    return f"{len(result)} rows"  # type: ignore[arg-type]


def measure(
    name: str, run: Callable[[str], object], path: str, runs: int
) -> tuple[str, float, float, str]:
    times = []
    rows = ""
    for _ in range(runs):
        start = time.perf_counter()
        result = run(path)
        times.append(time.perf_counter() - start)
        rows = rows_of(result)
        del result  # freed outside the timed region
    return name, min(times), statistics.median(times), rows


def main() -> None:
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    only_mentorcore = len(sys.argv) > 3 and sys.argv[3] == "mentorcore"
    size = os.path.getsize(path) / 1e6
    print(f"file: {path}, {size:.1f} MB; best and median of {runs} runs; one core")
    print("| reader | result | best s | MB/s (best) | median s |")
    print("|---|---|---|---|---|")
    contenders = (
        ("mentorcore.read_events (validated courses)", with_mentorcore),
        ("json + pandas (records, no validation)", with_json),
        ("orjson + pandas (records, no validation)", with_orjson),
        ("duckdb read_json (table, no validation)", with_duckdb),
    )
    for name, run in contenders[:1] if only_mentorcore else contenders:
        label, best, median, rows = measure(name, run, path, runs)
        print(f"| {label} | {rows} | {best:.2f} | {size / best:.0f} | {median:.2f} |")


if __name__ == "__main__":
    main()
