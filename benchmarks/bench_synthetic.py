"""The synthetic municipality: generation speed, and writing an event log beside the peers.

    python benchmarks/bench_synthetic.py [COURSES] [RUNS]        # default 20000 courses, 3 runs
    python -m mentorcore generate --courses 1000000 -o FILE      # the national-scale run

Generation: `mentorcore.synthetic.write` on 1 thread and on every core. Each course is simulated
and built through course.append (every event validated), then formatted and written.

Writing the same courses' events as JSON Lines, one core each:
  mentorcore.write_events   the courses, through the field tables (src/event_writer.cpp)
  json.dumps                the same events as Python dicts (records read back from the log)
  orjson.dumps              the same with orjson
The peers start from ready-made dicts, so they skip the conversion from courses that
mentorcore's writer includes.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile

import mentorcore as mc
from _timing import best_and_median


def main() -> None:
    courses = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "events.jsonl")
        print(f"Generating {courses:,} courses, seed 1, {runs} runs each (best / median)\n")
        print(
            "| generator | threads | best s | median s | courses/s (best) | MB/s written (best) |"
        )
        print("|---|---|---|---|---|---|")
        for threads in sorted({1, cores}):
            summary = mc.synthetic.write(path, courses, threads=threads)
            best, median = best_and_median(
                lambda threads=threads: mc.synthetic.write(path, courses, threads=threads), runs
            )
            print(
                f"| synthetic.write (.jsonl) | {threads} | {best:.2f} | {median:.2f} | "
                f"{courses / best:,.0f} | {summary.bytes / 1e6 / best:.0f} |"
            )
        events = summary.events
        size = summary.bytes

        generated = mc.synthetic.generate(courses)
        with open(path, "rb") as file:
            records = [json.loads(line) for line in file]

        def with_mentorcore() -> None:
            mc.write_events(generated, io.BytesIO())

        def with_json() -> None:
            out = io.StringIO()
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")

        def with_orjson() -> None:
            import orjson

            out = io.BytesIO()
            for record in records:
                out.write(orjson.dumps(record))
                out.write(b"\n")

        print(f"\nWriting {events:,} events ({size / 1e6:.0f} MB) as JSON Lines, one core\n")
        print("| writer | best s | median s | MB/s (best) |")
        print("|---|---|---|---|")
        for name, run in [
            ("mentorcore.write_events (from courses)", with_mentorcore),
            ("json.dumps (from dicts)", with_json),
            ("orjson.dumps (from dicts)", with_orjson),
        ]:
            best, median = best_and_median(run, runs)
            print(f"| {name} | {best:.2f} | {median:.2f} | {size / 1e6 / best:.0f} |")


if __name__ == "__main__":
    main()
