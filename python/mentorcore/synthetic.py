"""A synthetic municipality: realistic courses for tests, demos and benchmarks.

No real citizen is in them. Every course is built through the public API, so every event has
passed the model's validation; what is generated, and the published figures it is calibrated
to, are in docs/synthetic.md. The same seed gives the same courses, and the same bytes when
written, whatever the number of threads.

>>> import mentorcore as mc
>>> courses = mc.synthetic.generate(200, seed=7)
>>> len(courses), courses[0].id
(200, 'C-0000001')
"""

from __future__ import annotations

import datetime
import numbers
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from . import _core
from ._courses import core_courses
from ._render import record_html
from ._validate import as_date, as_int, file_to_write, invalid, out_of_range
from .course import Course, CourseList
from .reference import ReferenceData

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LogSummary", "generate", "rates", "reference", "write"]

FIRST_ORDER = datetime.date(2022, 1, 1)
LAST_ORDER = datetime.date(2025, 12, 31)
MAX_COURSES = 100_000_000
MAX_THREADS = 1024


class LogSummary(NamedTuple):
    """What :func:`write` wrote."""

    courses: int
    events: int
    bytes: int
    """The file's size (compressed, for .gz)."""

    def __str__(self) -> str:
        return f"{self.courses:,} courses, {self.events:,} events, {self.bytes:,} bytes"

    def _repr_html_(self) -> str:
        return record_html(self)


def reference() -> ReferenceData:
    """The reference data the synthetic courses use: the built-in codes plus two generic rating
    scales, ``outcome_scale`` and ``session_scale`` (numbers only). Pass it to
    :func:`mentorcore.read_events` to read a synthetic event log back."""
    return _core.synthetic_reference()


def _options(
    n_courses: object,
    seed: object,
    first_order: object,
    last_order: object,
    observation: object,
    municipalities: object,
    threads: object,
) -> tuple[int, int, datetime.date, datetime.date, datetime.date | None, list[int], int]:
    if isinstance(n_courses, bool) or not isinstance(n_courses, numbers.Integral):
        raise invalid(
            "n_courses", n_courses, f"expected an integer, got {type(n_courses).__name__}"
        )
    if not 1 <= int(n_courses) <= MAX_COURSES:
        raise out_of_range("n_courses", n_courses, f"expected 1 to {MAX_COURSES}")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise invalid("seed", seed, f"expected an integer, got {type(seed).__name__}")
    if not 0 <= int(seed) < 2**64:
        raise out_of_range("seed", seed, "expected 0 to 2**64 - 1")
    if (
        isinstance(threads, bool)
        or not isinstance(threads, numbers.Integral)
        or not 0 <= int(threads) <= MAX_THREADS
    ):
        raise invalid("threads", threads, f"expected an integer 0-{MAX_THREADS} (0: one per core)")
    codes: list[int] = []
    if municipalities is not None:
        if isinstance(municipalities, (str, bytes)) or not isinstance(municipalities, Iterable):
            raise invalid(
                "municipalities",
                municipalities,
                "expected an iterable of municipality codes (101-999)",
            )
        codes = [
            as_int(code, f"municipalities[{index}]") for index, code in enumerate(municipalities)
        ]
        if not codes:
            raise invalid(
                "municipalities", municipalities, "expected at least one municipality code, or None"
            )
    return (
        int(n_courses),
        int(seed),
        as_date(first_order, "first_order"),
        as_date(last_order, "last_order"),
        None if observation is None else as_date(observation, "observation"),
        codes,
        int(threads),
    )


def generate(
    n_courses: int,
    seed: int = 1,
    *,
    first_order: datetime.date = FIRST_ORDER,
    last_order: datetime.date = LAST_ORDER,
    observation: datetime.date | None = None,
    municipalities: Iterable[int] | None = None,
    threads: int = 0,
) -> list[Course]:
    """Generates `n_courses` courses.

    Orders fall uniformly between `first_order` and `last_order`; nothing after `observation`
    (default: `last_order`) is recorded, so courses still running then are open (censored), and
    the 12-month follow-up after a closure (ends of starts, statuses) stops there too.
    `municipalities` are municipality codes with equal weight (default: five large
    municipalities weighted by population); each buys from two or three providers, and
    municipalities and providers differ by the effects stated in docs/synthetic.md.
    `threads` = 0 uses every core; the courses do not depend on it. Course i of a seed is always
    the same course.

    All courses are held in memory (a course of about 80 events takes some 20 kB); for a
    national-scale data set, :func:`write` streams them to a file instead.
    """
    options = _options(
        n_courses, seed, first_order, last_order, observation, municipalities, threads
    )
    return CourseList(Course._wrap(core) for core in _core.synthetic_generate(*options))


def write(
    path: str | os.PathLike[str],
    n_courses: int,
    seed: int = 1,
    *,
    first_order: datetime.date = FIRST_ORDER,
    last_order: datetime.date = LAST_ORDER,
    observation: datetime.date | None = None,
    municipalities: Iterable[int] | None = None,
    threads: int = 0,
    progress: Callable[[int], object] | None = None,
) -> LogSummary:
    """Generates the courses as :func:`generate` does and writes their event log to `path`
    (gzip-compressed if it ends in ``.gz``), with memory bounded whatever the size.

    `progress`, if given, is called with the number of courses written so far. The file
    appears only when complete: if anything fails, or Ctrl-C interrupts, nothing is left at
    `path`. The log's first line declares the rating scales the courses use (its header), so
    ``mentorcore.read_events(path)`` reads it back with no extra argument. Two calls writing to
    one path each write a temporary file of their own: the path ends up holding one call's whole
    log (the last to finish), of which that call's summary is true.
    """
    # Checked first: the file is renamed into place only at the end, after all the work.
    target = file_to_write(path)
    if progress is not None and not callable(progress):
        raise invalid("progress", progress, "expected a callable taking the number of courses done")
    options = _options(
        n_courses, seed, first_order, last_order, observation, municipalities, threads
    )
    summary = _core.synthetic_write(target, *options, progress)
    return LogSummary(summary.courses, summary.events, summary.bytes)


def rates(courses: object) -> pd.DataFrame:
    """The realised rates that docs/synthetic.md tabulates, for any iterable of courses: one row per
    measure with ``measure``, ``numerator``, ``denominator`` and ``rate`` (numerator / denominator,
    NaN when the denominator is 0). Numerators and denominators add up across partitions."""
    import pandas as pd

    cores = core_courses(courses, single=False)
    frame: pd.DataFrame = pd.DataFrame(_core.realised_rates(cores))
    frame["rate"] = frame["numerator"] / frame["denominator"].where(frame["denominator"] > 0)
    return frame
