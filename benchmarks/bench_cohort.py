"""The cohort: building it from an event log, its memory, and loading a saved one.

    python benchmarks/bench_cohort.py [COURSES] [RUNS] [NATIONAL]
    # defaults: 20000 courses, 3 runs, and a 200000-course log for the peak memory

On a synthetic municipality of COURSES courses written as a plain event log:

  mentorcore.read_cohort, 1 thread and 2     the streaming reader: every line validated, every
                                             course replayed through the domain rules, turned
                                             into rows and dropped
  read_events + Cohort.from_courses          the same result through course objects
  read_events + per-course frames            what an analyst did before the cohort: loop over
                                             the courses and concatenate their contacts frames
                                             (one table of sixteen; the peer of issue 14)
  load_cohort                                the saved cohort (cohort.save) read back

then the cohort's bytes per contact, and the peak memory (maximum resident set size of a fresh
process) of reading a NATIONAL-course log into a cohort, beside that of read_events holding the
same courses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pandas as pd

import mentorcore as mc
from _timing import best_and_median


def peak_memory_mib(code: str) -> float:
    """The peak resident set size, in MiB, of a fresh Python running `code`: VmHWM, which starts
    afresh at exec (ru_maxrss would keep this process's peak, inherited through fork)."""
    script = (
        f"{code}\nimport re\n"
        "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return int(result.stdout.split()[-1]) / 1024  # VmHWM is in kB


def main() -> None:
    courses = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    national = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
    with tempfile.TemporaryDirectory() as scratch:
        log = os.path.join(scratch, "events.jsonl")
        summary = mc.synthetic.write(log, courses)
        megabytes = summary.bytes / 1e6
        print(
            f"{courses:,} synthetic courses, {summary.events:,} events, {megabytes:.0f} MB "
            f"(plain JSON Lines); best and median of {runs} runs\n"
        )
        print("| building | threads | best s | median s | MB/s (best) |")
        print("|---|---|---|---|---|")
        for threads in (1, 2):
            best, median = best_and_median(
                lambda threads=threads: mc.read_cohort(log, threads=threads), runs
            )
            print(
                f"| mentorcore.read_cohort | {threads} | {best:.2f} | {median:.2f} | "
                f"{megabytes / best:.0f} |"
            )

        def through_courses() -> None:
            mc.Cohort.from_courses(mc.read_events(log))

        best, median = best_and_median(through_courses, runs)
        print(
            f"| read_events + Cohort.from_courses | 1 | {best:.2f} | {median:.2f} | "
            f"{megabytes / best:.0f} |"
        )

        def per_course_frames() -> None:
            pd.concat([course.contacts_frame() for course in mc.read_events(log)])

        best, median = best_and_median(per_course_frames, 1)
        print(
            f"| read_events + per-course contacts_frame, concatenated (1 run) | 1 | {best:.2f} "
            f"| {median:.2f} | {megabytes / best:.0f} |"
        )

        cohort = mc.read_cohort(log)
        saved = os.path.join(scratch, "cohort.mcc")
        cohort.save(saved)
        best, median = best_and_median(lambda: mc.load_cohort(saved), runs)
        print(
            f"| load_cohort ({os.path.getsize(saved) / 1e6:.0f} MB file) | 1 | {best:.3f} | "
            f"{median:.3f} | |"
        )
        contacts = cohort.rows("contacts")
        print(
            f"\nbytes per contact: {cohort.memory_bytes / contacts:.1f} "
            f"({cohort.memory_bytes:,} bytes, {contacts:,} contacts)"
        )

        big = os.path.join(scratch, "national.jsonl")
        big_summary = mc.synthetic.write(big, national)
        print(
            f"\n{national:,} courses, {big_summary.events:,} events, "
            f"{big_summary.bytes / 1e6:.0f} MB: peak memory (max RSS of a fresh process)\n"
        )
        print("| reading | peak MiB |")
        print("|---|---|")
        base = peak_memory_mib("import mentorcore")
        print(f"| import mentorcore only | {base:.0f} |")
        code = f"import mentorcore as mc\nc = mc.read_cohort({big!r})"
        print(f"| read_cohort (2 threads) | {peak_memory_mib(code):.0f} |")
        code = f"import mentorcore as mc\nc = mc.read_cohort({big!r}, threads=1)"
        print(f"| read_cohort (1 thread) | {peak_memory_mib(code):.0f} |")
        code = f"import mentorcore as mc\nc = mc.read_events({big!r})"
        print(f"| read_events (course objects) | {peak_memory_mib(code):.0f} |")


if __name__ == "__main__":
    main()
