"""mentorcore.dask.summarise: the cost per partition and what crosses the network.

    python benchmarks/bench_dask.py [N_COURSES] [PARTITIONS]
    # defaults: 20000 courses, 8 partitions

Writes a synthetic log of N_COURSES courses (plain, course after course) and splits it into
PARTITIONS byte ranges (blocksize = the file's size / PARTITIONS), then measures:

  one process          read_cohort(path, threads=1).summary(...): the single-process peer
  one partition        what a worker does for one byte range: find its course boundaries,
                       copy it after the header to a temporary file, read_cohort, summary,
                       hash the course ids (mentorcore.dask._summarise_file)
  local scheduler      summarise(path, blocksize=...) with no client (Dask's threads)
  LocalCluster         the same on a LocalCluster of 2 worker processes, 1 thread each

and the bytes that cross the network per partition: the pickled summary, and the partition's
whole result (the summary and the 8-byte keyed hash of each course id with a 4-byte partition
number). Every result is checked equal to the single-process summary.
"""

from __future__ import annotations

import datetime
import os
import pickle
import sys
import tempfile
import time

import mentorcore as mc
import mentorcore.dask as md

AS_OF = datetime.date(2025, 12, 31)
BY = ["municipality", "provider"]


def timed(run: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = run()  # type: ignore[operator]
    return time.perf_counter() - start, result


def main() -> None:
    courses = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    partitions = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    import dask
    import distributed

    print(
        f"mentorcore {mc.__version__}, dask {dask.__version__}, distributed "
        f"{distributed.__version__}, {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "log.jsonl")
        mc.synthetic.write(path, courses, seed=1)
        size = os.path.getsize(path)
        blocksize = -(-size // partitions)
        print(
            f"{courses} courses, {size / 1e6:.1f} MB, {partitions} byte ranges of "
            f"{blocksize / 1e6:.2f} MB, as_of={AS_OF}, by={BY}"
        )

        seconds, cohort = timed(lambda: mc.read_cohort(path, threads=1))
        summary_seconds, expected = timed(lambda: cohort.summary(as_of=AS_OF, by=BY))  # type: ignore[attr-defined]
        print(
            f"one process:     read_cohort {seconds:.2f} s + summary {summary_seconds:.2f} s"
            f" = {seconds + summary_seconds:.2f} s"
        )

        options = md._Options(AS_OF, BY, None, None, b"benchmark-key-16")
        parts = md._file_parts([path], blocksize)
        costs, sent, summaries, results = [], [], [], []
        for part in parts:
            seconds, result = timed(lambda part=part: md._summarise_file(part, options))
            costs.append(seconds)
            results.append(result)
            sent.append(len(pickle.dumps(result, protocol=5)))
            summaries.append(len(pickle.dumps(result.summary, protocol=5)))  # type: ignore[attr-defined]
        print(
            f"one partition:   {min(costs):.2f}-{max(costs):.2f} s, sum {sum(costs):.2f} s "
            f"over {len(parts)} partitions of ~{courses // len(parts)} courses"
        )
        print(
            f"sent per partition: summary {min(summaries):,}-{max(summaries):,} bytes "
            f"pickled; with the course hashes {min(sent):,}-{max(sent):,} bytes"
        )
        # Where a partition's time goes: the middle partition, step by step.
        part = parts[len(parts) // 2]
        with open(path, "rb") as log, tempfile.TemporaryDirectory() as scratch:
            piece = os.path.join(scratch, "piece.jsonl")

            def cut() -> None:
                start = md._course_boundary(log, part.start, size)
                stop = md._course_boundary(log, part.stop or size, size)
                with open(piece, "wb") as out:
                    out.write(md._header_line(log))
                    md._copy(log, out, start, stop)

            copy_seconds, _ = timed(cut)
            read_seconds, read = timed(lambda: md._read(piece, options))
            sum_seconds, _ = timed(lambda: read.cohort.summary(as_of=AS_OF, by=BY))  # type: ignore[attr-defined]
            hash_seconds, _ = timed(lambda: md._course_hashes(read.courses, options.salt))  # type: ignore[attr-defined]
        print(
            f"  of which: boundaries and copy {copy_seconds:.3f} s, read_cohort "
            f"{read_seconds:.3f} s, summary {sum_seconds:.3f} s, course hashes "
            f"{hash_seconds:.3f} s"
        )
        how = md._How("ranges", blocksize)
        add_seconds, total = timed(lambda: md._finish(md._combine(how, *results)))
        assert total == expected
        print(
            f"adding the {len(results)} partition results (the disjointness check and +): "
            f"{add_seconds:.3f} s"
        )
        by_none = cohort.summary(as_of=AS_OF)  # type: ignore[attr-defined]
        print(
            f"whole summary pickled: {len(pickle.dumps(expected, protocol=5)):,} bytes "
            f"(by={BY}), {len(pickle.dumps(by_none, protocol=5)):,} bytes (by=None)"
        )

        seconds, local = timed(lambda: md.summarise(path, as_of=AS_OF, by=BY, blocksize=blocksize))
        assert local == expected
        print(f"local scheduler: {seconds:.2f} s")
        with (
            distributed.LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
            ) as cluster,
            distributed.Client(cluster),
        ):
            md.summarise(path, as_of=AS_OF, by=BY, blocksize=blocksize)  # warm the workers
            seconds, remote = timed(
                lambda: md.summarise(path, as_of=AS_OF, by=BY, blocksize=blocksize)
            )
        assert remote == expected
        print(f"LocalCluster 2x1: {seconds:.2f} s (after one warm-up call)")


if __name__ == "__main__":
    main()
