"""The cohort: building it through course objects, the per-course loop it replaced, loading a
saved one, and its bytes per contact, on the cached data of N courses.

    python benchmarks/bench_cohort.py --courses N [--runs R] [--json FILE] [--case NAME]

  read_events + Cohort.from_courses          the event log read into validated course objects,
                                             then the cohort built from them
  read_events + per-course contacts_frame    what an analyst did before the cohort: loop over
                                             the courses and concatenate their contacts frames
                                             (one table of sixteen; the peer of issue 14)
  load_cohort                                the saved cohort (Cohort.save) read back; its
                                             record carries the cohort's bytes per contact

Reading the log straight into a cohort (mentorcore.read_cohort, 1 and 2 threads) is timed by
bench_read_events.py, beside the other readers. Each result is checked first: the cohort built
has the cached cohort's rows in every table, the concatenated frames its contacts.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd

import _data
import mentorcore as mc
from _cli import parse_args, reset_peak_rss, run_selected
from _timing import Result, measure, peak_rss_bytes

BENCH = "cohort"
REFERENCE = "read_events + Cohort.from_courses"


def rows_of(cohort: mc.Cohort) -> dict[str, int]:
    return {table: cohort.rows(table) for table in cohort.tables}


def through_courses(log: str) -> mc.Cohort:
    return mc.Cohort.from_courses(mc.read_events(log))


def per_course_frames(log: str) -> pd.DataFrame:
    return pd.concat([course.contacts_frame() for course in mc.read_events(log)])


def check_through_courses(log: str, expected: mc.Cohort) -> None:
    built = through_courses(log)
    assert rows_of(built) == rows_of(expected), "the cohort's tables differ from the cached one's"
    assert built.memory_bytes == expected.memory_bytes


def check_per_course_frames(log: str, expected: mc.Cohort) -> None:
    frame = per_course_frames(log)
    assert len(frame) == expected.rows("contacts"), "the frames hold another number of contacts"


def check_loaded(saved: str, expected: mc.Cohort) -> None:
    assert rows_of(mc.load_cohort(saved)) == rows_of(expected)


# case: (what it reads: "log" or "saved", the check, the timed step)
CASES: dict[str, tuple[str, Callable[[str, mc.Cohort], None], Callable[[str], object]]] = {
    "read_events + Cohort.from_courses": ("log", check_through_courses, through_courses),
    "read_events + per-course contacts_frame": ("log", check_per_course_frames, per_course_frames),
    "load_cohort": ("saved", check_loaded, mc.load_cohort),
}


CHECKED = {
    "read_events + Cohort.from_courses": "rows of every table equal to the cached cohort's",
    "read_events + per-course contacts_frame": "as many rows as the cohort's contacts",
    "load_cohort": "rows of every table equal to the cached cohort's",
}


def run_case(case: str, courses: int, runs: int) -> Result:
    reads, check, step = CASES[case]
    path = str(_data.event_log(courses) if reads == "log" else _data.cohort_file(courses))
    expected = _data.cohort(courses)
    contacts = expected.rows("contacts")
    extra: dict[str, object] = {"reference": REFERENCE, "reads": reads, "checked": CHECKED[case]}
    if case == "load_cohort":
        extra.update(
            memory_bytes=expected.memory_bytes,
            bytes_per_contact=expected.memory_bytes / contacts,
            file_bytes=os.path.getsize(path),
        )
    check(path, expected)
    del expected
    reset_peak_rss()
    timing = measure(lambda: step(path), runs)
    return Result(
        bench=BENCH,
        case=case,
        courses=courses,
        threads=1,
        timing=timing,
        contacts=contacts,
        input_bytes=os.path.getsize(path),
        peak_rss_bytes=peak_rss_bytes(),
        extra=extra,
    )


def main() -> None:
    args = parse_args(__doc__, list(CASES))
    results = run_selected(args, list(CASES), lambda case: run_case(case, args.courses, args.runs))
    for result in results:
        if "bytes_per_contact" in result.extra:
            print(
                f"\nbytes per contact: {result.extra['bytes_per_contact']:.1f} "
                f"({result.extra['memory_bytes']:,} bytes, {result.contacts:,} contacts)"
            )


if __name__ == "__main__":
    main()
