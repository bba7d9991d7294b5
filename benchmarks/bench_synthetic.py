"""The synthetic country: generation speed, and writing an event log beside the peers, at N
courses (those of benchmarks/_data.py: seed 2026).

    python benchmarks/bench_synthetic.py --courses N [--runs R] [--json FILE] [--case NAME]

Generation: `mentorcore.synthetic.write` on 1 thread and on 2, into a scratch file beside the
cache (deleted afterwards). Each course is simulated and built through course.append (every
event validated), then formatted and written; the output is checked byte for byte against the
cached log of the same seed first.

Writing the cached log's events as JSON Lines into memory, one core each:
  mentorcore.write_events   the log's courses, through the field tables (src/event_writer.cpp)
  json.dumps                the same events as Python dicts (the log's records)
  orjson.dumps              the same with orjson
The peers start from ready-made dicts, so they skip the conversion from courses that
mentorcore's writer includes. Each writer's output is first checked equal to the cached log
(mentorcore: the same bytes; json and orjson: the same records when read back).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _data
import mentorcore as mc
from _cli import parse_args, reset_peak_rss, run_selected
from _timing import Result, measure, peak_rss_bytes

BENCH = "synthetic"


def generate(threads: int) -> Callable[[int], tuple[Callable[[], object], Callable[[], None]]]:
    def prepare(courses: int) -> tuple[Callable[[], object], Callable[[], None]]:
        scratch = _data.cache_dir(courses) / f"synthetic-scratch-{os.getpid()}.jsonl"
        cached = _data.event_log(courses)

        def run() -> object:
            return mc.synthetic.write(scratch, courses, seed=_data.SEED, threads=threads)

        def check() -> None:
            run()
            assert _same_bytes(scratch, cached), "the generated log differs from the cached one"

        return run, check

    return prepare


def _same_bytes(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as left, open(b, "rb") as right:
        while True:
            block = left.read(1 << 24)
            if block != right.read(1 << 24):
                return False
            if not block:
                return True


def write_courses(courses: int) -> tuple[Callable[[], object], Callable[[], None]]:
    log = _data.event_log(courses)
    read = mc.read_events(log)

    def run() -> bytes:
        out = io.BytesIO()
        mc.write_events(read, out)
        return out.getvalue()

    def check() -> None:
        assert run() == log.read_bytes(), "write_events does not give the log's bytes back"

    return run, check


def _records(courses: int) -> list[dict[str, Any]]:
    with open(_data.event_log(courses), "rb") as file:
        return [json.loads(line) for line in file]


def dump_json(courses: int) -> tuple[Callable[[], object], Callable[[], None]]:
    records = _records(courses)

    def run() -> str:
        out = io.StringIO()
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
        return out.getvalue()

    def check() -> None:
        assert [json.loads(line) for line in run().splitlines()] == records

    return run, check


def dump_orjson(courses: int) -> tuple[Callable[[], object], Callable[[], None]]:
    import orjson

    records = _records(courses)

    def run() -> bytes:
        out = io.BytesIO()
        for record in records:
            out.write(orjson.dumps(record))
            out.write(b"\n")
        return out.getvalue()

    def check() -> None:
        assert [orjson.loads(line) for line in run().splitlines()] == records

    return run, check


Prepare = Callable[[int], tuple[Callable[[], object], Callable[[], None]]]
# case: (threads, reference case, prepare -> (the timed run, the check))
CASES: dict[str, tuple[int, str, Prepare]] = {
    "synthetic.write, 1 thread": (1, "synthetic.write, 1 thread", generate(1)),
    "synthetic.write, 2 threads": (2, "synthetic.write, 1 thread", generate(2)),
    "mentorcore.write_events (from courses)": (
        1,
        "mentorcore.write_events (from courses)",
        write_courses,
    ),
    "json.dumps (from dicts)": (1, "mentorcore.write_events (from courses)", dump_json),
    "orjson.dumps (from dicts)": (1, "mentorcore.write_events (from courses)", dump_orjson),
}


CHECKED = {  # by whether the case is a JSON peer
    False: "the same bytes as the cached log",
    True: "read back, the same records as the cached log's",
}


def run_case(case: str, courses: int, runs: int) -> Result:
    threads, reference, prepare = CASES[case]
    run, check = prepare(courses)
    try:
        check()
        reset_peak_rss()
        timing = measure(run, runs)
    finally:
        for scratch in _data.cache_dir(courses).glob(f"synthetic-scratch-{os.getpid()}.jsonl*"):
            scratch.unlink()
    return Result(
        bench=BENCH,
        case=case,
        courses=courses,
        threads=threads,
        timing=timing,
        input_bytes=os.path.getsize(_data.event_log(courses)),  # the bytes written
        peak_rss_bytes=peak_rss_bytes(),
        extra={"reference": reference, "bytes": "written", "checked": CHECKED["json" in case]},
    )


def main() -> None:
    args = parse_args(__doc__, list(CASES))
    run_selected(args, list(CASES), lambda case: run_case(case, args.courses, args.runs))


if __name__ == "__main__":
    main()
