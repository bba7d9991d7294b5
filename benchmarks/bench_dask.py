"""mentorcore.dask.summarise on the cached log of N courses, split into 8 byte ranges, beside
the single process it stands in for.

    python benchmarks/bench_dask.py --courses N [--runs R] [--json FILE] [--case NAME]

  one process        read_cohort(path, threads=1).summary(...): the single-process peer
  local scheduler    summarise(path, blocksize=size / 8) with no client (Dask's threads)
  LocalCluster 2x1   the same on a LocalCluster of 2 worker processes, 1 thread each (after one
                     warm-up call that starts the workers' imports)

Every result is checked equal to the single-process summary first. The record of the local
scheduler also carries the bytes that cross the network per partition: the pickled summary, and
the partition's whole result (the summary and an 8-byte keyed hash per course id).
"""

from __future__ import annotations

import datetime
import os
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import _data
import mentorcore as mc
from _cli import parse_args, reset_peak_rss, run_selected
from _timing import Result, measure, peak_rss_bytes

BENCH = "dask"
AS_OF = datetime.date(2025, 12, 31)
BY = ["municipality", "provider"]
PARTITIONS = 8
REFERENCE = "one process"


def one_process(path: str) -> Any:
    return mc.read_cohort(path, threads=1).summary(as_of=AS_OF, by=BY)


@contextmanager
def no_client() -> Iterator[None]:
    yield


@contextmanager
def local_cluster() -> Iterator[None]:
    import distributed

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster),
    ):
        yield


def partition_bytes(path: str, blocksize: int) -> dict[str, int]:
    """What crosses the network per partition (smallest and largest)."""
    import mentorcore.dask as md

    options = md._Options(AS_OF, BY, None, None, b"benchmark-key-16")
    results = [md._summarise_file(part, options) for part in md._file_parts([path], blocksize)]
    summaries = [len(pickle.dumps(r.summary, protocol=5)) for r in results]  # type: ignore[attr-defined]
    whole = [len(pickle.dumps(r, protocol=5)) for r in results]
    return {
        "summary_bytes_min": min(summaries),
        "summary_bytes_max": max(summaries),
        "result_bytes_min": min(whole),
        "result_bytes_max": max(whole),
    }


CASES: dict[str, tuple[int, Callable[[], Any]]] = {
    "one process": (1, no_client),
    "local scheduler": (os.cpu_count() or 1, no_client),
    "LocalCluster 2x1": (2, local_cluster),
}


def run_case(case: str, courses: int, runs: int, expected: Any) -> Result:
    import mentorcore.dask as md

    threads, context = CASES[case]
    path = str(_data.event_log(courses))
    blocksize = -(-os.path.getsize(path) // PARTITIONS)
    extra: dict[str, object] = {
        "reference": REFERENCE,
        "partitions": PARTITIONS,
        "checked": "summary equal to the single process's",
    }

    def run() -> Any:
        if case == "one process":
            return one_process(path)
        return md.summarise(path, as_of=AS_OF, by=BY, blocksize=blocksize)

    with context():
        assert run() == expected, f"{case}: the summary differs from the single process's"
        reset_peak_rss()
        timing = measure(run, runs)
    if case == "local scheduler":
        extra.update(partition_bytes(path, blocksize))
    return Result(
        bench=BENCH,
        case=case,
        courses=courses,
        threads=threads,
        timing=timing,
        input_bytes=os.path.getsize(path),
        peak_rss_bytes=peak_rss_bytes(),
        note="peak RSS of the client process only" if case == "LocalCluster 2x1" else "",
        extra=extra,
    )


def main() -> None:
    args = parse_args(__doc__, list(CASES))
    expected = one_process(str(_data.event_log(args.courses)))
    run_selected(args, list(CASES), lambda case: run_case(case, args.courses, args.runs, expected))


if __name__ == "__main__":
    main()
