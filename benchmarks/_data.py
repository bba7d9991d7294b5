"""The benchmark inputs: a synthetic country of a given number of courses, generated once and kept
under ``build/bench/<courses>/`` (or ``$MENTORCORE_BENCH_CACHE/<courses>/``), so that every
benchmark and every run at a size reads the same data.

    event_log(n)    the JSON Lines event log that mentorcore.synthetic.write produces: plain text
                    up to 100,000 courses (2.5 GB), gzip above (1,000,000 courses would be
                    25 GB of text; compressed, about a tenth)
    cohort_file(n)  that log read by mentorcore.read_cohort and saved (Cohort.save)
    cohort(n)       the saved cohort loaded (mentorcore.load_cohort, a second or two at 1M)

Up to 100,000 courses the log is plain text, so the readers are timed on their parsing, not on
inflating; the national log is gzip, and reading it includes inflating it. Files
appear only when complete (written under a temporary name, then renamed), so an interrupted run
leaves nothing half-written to be trusted by the next.
"""

from __future__ import annotations

import os
from pathlib import Path

import mentorcore as mc

SEED = 2026
"""Every benchmark input is the synthetic country of this seed: course i is the same course at
every size."""

SIZES = (1_000, 10_000, 100_000, 1_000_000)
PLAIN_LOG_COURSES = 100_000
"""Logs of up to this many courses are plain text; larger ones gzip."""
"""The sizes of the scaling runs (courses)."""


def cache_dir(courses: int) -> Path:
    root = os.environ.get("MENTORCORE_BENCH_CACHE")
    base = Path(root) if root else Path(__file__).resolve().parents[1] / "build" / "bench"
    directory = base / str(courses)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def event_log(courses: int) -> Path:
    """The event log of `courses` synthetic courses (written on first use)."""
    name = "events.jsonl" if courses <= PLAIN_LOG_COURSES else "events.jsonl.gz"
    path = cache_dir(courses) / name
    if not path.exists():
        # synthetic.write renames the file into place only when it is complete.
        mc.synthetic.write(path, courses, seed=SEED)
    return path


def cohort_file(courses: int) -> Path:
    """The cohort of :func:`event_log`, saved (written on first use)."""
    path = cache_dir(courses) / "cohort.mcc"
    if not path.exists():
        partial = path.with_suffix(".partial")
        mc.read_cohort(event_log(courses)).save(partial)
        partial.replace(path)
    return path


def cohort(courses: int) -> mc.Cohort:
    """The cohort of `courses` synthetic courses, loaded from the cache. A cached file that this
    mentorcore refuses (saved by an older version in an older format) is read again from the log."""
    path = cohort_file(courses)
    try:
        return mc.load_cohort(path)
    except mc.ParseError as error:
        print(f"{path}: {error}; reading the event log again", flush=True)
        path.unlink()
        return mc.load_cohort(cohort_file(courses))
