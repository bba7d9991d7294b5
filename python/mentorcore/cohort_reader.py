"""Reading a cohort straight from event logs, without making a Course per course.

:func:`read_cohort` streams one or more event-log files (plain or gzip) into a
:class:`~mentorcore.Cohort`: every course passes the same validation, with the same errors, as
:func:`~mentorcore.read_events`, becomes rows as soon as its last line has been read, and is
dropped. Several files, or one large plain file, are read on all cores; the cohort is the same,
row for row, as ``Cohort.from_courses(read_events(...))`` (docs/cohort.md, "Reading a cohort from
event logs").
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from typing import Any, Literal, NamedTuple, Union, overload

from . import _core
from ._render import count_text, records_html, records_text, short_list
from ._validate import as_threads, file_name, invalid
from .cohort import Cohort
from .interchange import _key
from .reference import ReferenceData

__all__ = ["CohortReadResult", "CohortRejectedLine", "read_cohort"]

PathLike = Union[str, "os.PathLike[str]"]

# Inputs smaller than this read too fast for a progress bar to help.
_PROGRESS_BYTES = 8 << 20


class CohortRejectedLine(NamedTuple):
    """A line that was not loaded, the file it is in, and why."""

    file: str
    line: int
    course: str
    """The course the line belongs to ('' if it could not be told)."""
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _CohortReadResultFields(NamedTuple):
    cohort: Cohort
    """The courses whose every line was valid, in order of first line, file after file."""
    rejected: list[CohortRejectedLine]


class CohortReadResult(_CohortReadResultFields):
    """What ``read_cohort(..., on_error="collect")`` returns: ``(cohort, rejected)``, and the
    files' data-quality figure :attr:`redacted_texts`, as :class:`~mentorcore.ReadResult` does
    for :func:`~mentorcore.read_events`."""

    redacted_texts: int = 0
    """How many texts had a CPR-shaped number replaced by "[redacted: possible CPR number]"
    (docs/errors.md). Not a tuple item, so ``cohort, rejected = result`` unpacks."""

    def __new__(
        cls, cohort: Cohort, rejected: list[CohortRejectedLine], redacted_texts: int = 0
    ) -> CohortReadResult:
        self = super().__new__(cls, cohort, rejected)
        self.redacted_texts = redacted_texts
        return self

    def _rejected_rows(self) -> list[list[str]]:
        return [[r.file, str(r.line), r.course, r.message] for r in self.rejected[:20]]

    def __repr__(self) -> str:
        lines = short_list(f"{r.file}:{r.line}" for r in self.rejected)
        redacted = f", redacted_texts={self.redacted_texts}" if self.redacted_texts else ""
        return (
            f"CohortReadResult(cohort={self.cohort!r}, "
            f"rejected=<{count_text(len(self.rejected), 'line')}{': ' + lines if lines else ''}>"
            f"{redacted})"
        )

    def __str__(self) -> str:
        text = repr(self.cohort)
        if self.redacted_texts:
            text += f"\n{count_text(self.redacted_texts, 'text')} with a CPR-shaped number replaced"
        if not self.rejected:
            return text + "\nno line rejected"
        rejected = records_text(
            count_text(len(self.rejected), "line") + " rejected",
            ("file", "line", "course", "message"),
            self._rejected_rows(),
            len(self.rejected),
        )
        return f"{text}\n{rejected}"

    def _repr_html_(self) -> str:
        rejected = records_html(
            count_text(len(self.rejected), "line") + " rejected",
            ("file", "line", "course", "message"),
            self._rejected_rows(),
            "mentorcore-rejected",
            len(self.rejected),
        )
        return self.cohort._repr_html_() + rejected


def _paths(paths: object) -> list[str]:
    items: Sequence[object]
    if isinstance(paths, (str, os.PathLike)):
        items = [paths]
    elif isinstance(paths, (list, tuple)):
        items = paths
    else:
        raise invalid("paths", paths, "expected a path or a list of paths")
    result = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise invalid("paths", item, "expected a path (str or os.PathLike)")
        path = os.fspath(item)
        if not isinstance(path, str):
            raise invalid("paths", item, "expected a str path")
        result.append(file_name(path, "paths"))
    return result


def _input_bytes(paths: list[str]) -> int:
    """The bytes of the regular files among `paths` (a pipe's size is not known)."""
    total = 0
    for path in paths:
        try:
            about = os.stat(path)
        except OSError:
            continue  # the reader names the path in its error
        if stat.S_ISREG(about.st_mode):
            total += about.st_size
    return total


@overload
def read_cohort(
    paths: PathLike | Sequence[PathLike],
    *,
    reference: ReferenceData | None = ...,
    pseudonym_key: str | bytes | None = ...,
    on_error: Literal["raise"] = ...,
    threads: int | None = ...,
) -> Cohort: ...


@overload
def read_cohort(
    paths: PathLike | Sequence[PathLike],
    *,
    reference: ReferenceData | None = ...,
    pseudonym_key: str | bytes | None = ...,
    on_error: Literal["collect"],
    threads: int | None = ...,
) -> CohortReadResult: ...


def read_cohort(
    paths: PathLike | Sequence[PathLike],
    *,
    reference: ReferenceData | None = None,
    pseudonym_key: str | bytes | None = None,
    on_error: str = "raise",
    threads: int | None = None,
) -> Cohort | CohortReadResult:
    """Reads event-log files (plain or gzip, or a pipe such as ``/dev/fd/N``) into a cohort.

    `paths` is one path or a list of them; a course's lines must all be in one file. The other
    arguments mean what they mean for :func:`~mentorcore.read_events`: `reference` adds codes
    and instruments (a log's header adds its own), `pseudonym_key` (or
    ``MENTORCORE_PSEUDONYM_KEY``) is needed if a log carries CPR numbers, and `on_error`
    chooses between raising :class:`mentorcore.ParseError` on the first bad line
    (``"raise"``, the default; nothing is returned) and returning a :class:`CohortReadResult`
    with the courses whose lines were all valid and every rejected line (``"collect"``).
    `threads` is how many threads read (None: one per core); the cohort does not depend on it.

    The result is ``Cohort.from_courses(...)`` over what ``read_events`` gives for each file in
    turn, row for row, but no ``Course`` is kept. A single regular file whose courses' lines
    follow one another is read once (a large one in parts on several threads; a gzip one in
    pieces of its text, cut by a thread that inflates it); other files are read twice (once to
    find where each course ends), a pipe once, keeping its courses until it ends. A path that
    does not exist or is a directory, or a course found in two files, raises
    :class:`mentorcore.ParseError` before anything is read. A progress bar shows on the terminal
    when the files hold more than 8 MiB; Ctrl-C stops the read.
    """
    if on_error not in ("raise", "collect"):
        raise invalid("on_error", on_error, 'expected "raise" or "collect"')
    if reference is not None and not isinstance(reference, ReferenceData):
        raise invalid("reference", reference, "expected a ReferenceData or None")
    files = _paths(paths)
    count = as_threads(threads)
    key = _key(pseudonym_key)
    collect = on_error == "collect"
    bar: Any = None
    progress = None
    if _input_bytes(files) > _PROGRESS_BYTES:
        from tqdm import tqdm

        # disable=None: no bar unless stderr is a terminal.
        bar = tqdm(total=0, unit="B", unit_scale=True, desc="reading", disable=None)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

    try:
        outcome = _core.read_cohort(files, reference, key, collect, count, progress)
    finally:
        if bar is not None:
            bar.close()
    cohort = Cohort(outcome.cohort)
    if not collect:
        return cohort
    rejected = [CohortRejectedLine(r.file, r.line, r.course, r.message) for r in outcome.rejected]
    return CohortReadResult(cohort, rejected, outcome.redacted_texts)
