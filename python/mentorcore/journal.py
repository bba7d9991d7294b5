"""The journal: courses kept durably in one SQLite file, with an audit trail of every read.

A case system (or a notebook) stores a course's events in a :class:`Journal` as they happen:
each append is validated against the course as stored, with the rules :meth:`Course.append`
applies, and committed in one transaction, or raises and stores nothing. Every read or export
of a course takes an ``actor`` (the member of staff or system account that reads) and a
``purpose``, and both go to the audit trail (:meth:`Journal.audit`) before any data is
returned; a read without a purpose is refused. CPR numbers never reach the file: a
``course_ordered`` line carrying one is pseudonymised on the way in, as
:func:`mentorcore.read_events` does. docs/embedding.md describes the guarantees.

>>> import datetime, tempfile, os
>>> import mentorcore as mc
>>> path = os.path.join(tempfile.mkdtemp(), "courses.journal")
>>> course = mc.Course.order(
...     datetime.date(2024, 1, 8), recorded_by="cw-17", course="K-1", citizen="P-8d2f",
...     municipality=101, target_group="kontanthjaelp_aktivitetsparat", caseworker="cw-17")
>>> with mc.Journal(path) as journal:
...     journal.append("K-1", course.events[0])
...     journal.course("K-1", actor="cw-17", purpose="handover to new mentor").id
0
'K-1'
"""

from __future__ import annotations

import datetime
import numbers
import os
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from . import _core
from ._validate import as_bool, as_date, describe, in_calendar, invalid, out_of_range
from .cohort import Cohort
from .course import Course
from .events import Event
from .interchange import _key
from .reference import ReferenceData

if TYPE_CHECKING:
    import pandas as pd

# JournalError, which this module raises, is defined with the other errors (mentorcore.errors).
__all__ = ["AUDIT_ACTIONS", "AUDIT_COLUMNS", "JOURNAL_SCHEMA_VERSION", "Journal", "JournalImport"]

JOURNAL_SCHEMA_VERSION: int = _core.JOURNAL_SCHEMA_VERSION
"""The schema version this mentorcore writes, and the newest it reads."""

AUDIT_ACTIONS: tuple[str, ...] = tuple(_core.AUDIT_ACTIONS)
"""What an audit entry's ``action`` can be: ``read_course``, ``read_course_as_of``,
``read_courses``, ``export_log``, ``read_cohort``."""

AUDIT_COLUMNS: tuple[str, ...] = (
    "sequence",
    "at",
    "actor",
    "action",
    "purpose",
    "courses",
    "scope",
)

_MAX_BUSY_SECONDS = 86_400


class JournalImport(NamedTuple):
    """What :meth:`Journal.import_log` stored."""

    courses: int
    events: int
    redacted_texts: int
    """Texts stored with a CPR-shaped number replaced (as :attr:`ReadResult.redacted_texts`)."""


def _path(value: object, field: str) -> str:
    if isinstance(value, (str, os.PathLike)):
        text = os.fspath(value)
        return text if isinstance(text, str) else os.fsdecode(text)
    raise invalid(field, value, f"expected a path (str or os.PathLike), got {type(value).__name__}")


def _busy_milliseconds(value: object) -> int:
    if isinstance(value, datetime.timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise invalid(
            "busy_timeout",
            value,
            f"expected seconds (a number) or a datetime.timedelta, got {type(value).__name__}",
        )
    else:
        seconds = float(value)
    if not 0 <= seconds <= _MAX_BUSY_SECONDS:  # also refuses NaN
        raise out_of_range("busy_timeout", value, "expected 0 to 86400 seconds (one day)")
    return round(seconds * 1000)


def _audit_time(value: object, field: str) -> str | None:
    """An audit bound as the trail writes times ("2026-11-30T09:15:02.123Z", UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise invalid(
                field,
                value,
                "a datetime needs a time zone (the trail is in UTC): "
                "e.g. value.replace(tzinfo=datetime.timezone.utc)",
            )
        utc = value.astimezone(datetime.timezone.utc)
    elif isinstance(value, datetime.date):
        utc = datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)
    else:
        raise invalid(
            field,
            value,
            f"expected a datetime.datetime with a time zone or a datetime.date, "
            f"got {type(value).__name__}",
        )
    # Four digits of year whatever the platform's strftime does with a year before 1000.
    return f"{utc.year:04d}-" + utc.strftime("%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _lines_bytes(lines: object) -> bytes:
    if isinstance(lines, str):
        return lines.encode("utf-8", errors="surrogateescape")
    if isinstance(lines, (bytes, bytearray, memoryview)):
        return bytes(lines)
    raise invalid(
        "lines", lines, f"expected event-log lines (str or bytes), got {type(lines).__name__}"
    )


class _CourseStream(Iterator[Course]):
    """The courses of :meth:`Journal.courses`, one at a time."""

    __slots__ = ("_stream",)

    def __init__(self, stream: _core.JournalCourseStream) -> None:
        self._stream: _core.JournalCourseStream | None = stream

    def __iter__(self) -> _CourseStream:
        return self

    def __next__(self) -> Course:
        if self._stream is None:
            raise StopIteration
        core = self._stream.next()
        if core is None:
            self._stream = None
            raise StopIteration
        return Course._wrap(core)

    def close(self) -> None:
        """Ends the stream early (and its read of the journal)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class Journal:
    """A journal: courses and their audit trail in one SQLite file (docs/embedding.md).

    ``Journal(path)`` opens the journal at `path`, creating it unless ``create=False``. Use it
    as a context manager (``with mc.Journal(path) as journal: ...``) or call :meth:`close`.

    Options: ``read_only=True`` opens for looking only: :meth:`course_ids`, :meth:`audit` and
    :meth:`backup` work, while every append, import and read (a read writes to the audit trail)
    raises :class:`JournalError` with ``fault == "read_only"``; ``sync`` is ``"full"`` (default: a
    commit is on disk when the call returns) or ``"normal"`` (it survives a crash of the process,
    not a power loss); ``busy_timeout`` is how long to wait for another process's write lock, in
    seconds or as a :class:`datetime.timedelta` (default 5 s), before raising
    :class:`JournalError` (``"busy"``); ``max_bytes`` caps the file's size (0: no cap), a write
    that would pass it raises ``"full"`` and stores nothing; ``reference`` is the
    :class:`ReferenceData` a new journal checks courses against (an existing journal keeps the
    one it was made with, and other reference data raises ``"reference_data"``);
    ``pseudonym_key`` (or ``MENTORCORE_PSEUDONYM_KEY``) is needed to append or import
    ``course_ordered`` lines that carry a ``cpr``, as for :func:`mentorcore.read_events`.

    Errors: :class:`JournalError` (``.fault``, ``.file``) for the file or the courses it holds (not
    a journal, a newer schema, read-only, full, busy, an unknown course, a duplicate order);
    :class:`RuleViolationError` or :class:`InvalidValueError` for an event the course rejects.
    Nothing is half-written: a failed call stores nothing.

    Not for two threads at once in C++; here every call takes the journal's lock, so threads may
    share one object (calls then run one at a time). Long calls release the GIL.
    """

    __slots__ = ("_core", "_path")

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        read_only: bool = False,
        sync: str = "full",
        busy_timeout: float | datetime.timedelta = 5.0,
        max_bytes: int = 0,
        reference: ReferenceData | None = None,
        pseudonym_key: str | bytes | None = None,
    ) -> None:
        self._core: _core.Journal | None = None
        self._path = _path(path, "path")
        if reference is not None and not isinstance(reference, ReferenceData):
            raise invalid("reference", reference, "expected a ReferenceData or None")
        if sync not in ("full", "normal"):
            raise invalid("sync", sync, 'expected "full" or "normal"')
        if isinstance(max_bytes, bool) or not isinstance(max_bytes, int):
            raise invalid("max_bytes", max_bytes, "expected a whole number of bytes (0: no limit)")
        if not 0 <= max_bytes < 2**64:
            raise out_of_range("max_bytes", max_bytes, "expected 0 to 2**64 - 1 bytes")
        self._core = _core.Journal(
            self._path,
            as_bool(create, "create"),
            as_bool(read_only, "read_only"),
            sync,
            _busy_milliseconds(busy_timeout),
            max_bytes,
            reference,
            _key(pseudonym_key),
        )

    # ---- the object ------------------------------------------------------------------------

    def _journal(self) -> _core.Journal:
        if self._core is None:  # __init__ failed part-way: treat as closed
            raise invalid("journal", self._path, "the journal is closed")
        return self._core

    @property
    def path(self) -> str:
        """The path the journal was opened with."""
        return self._path

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._core is None or self._core.closed

    @property
    def reference(self) -> ReferenceData:
        """The reference data the journal's courses are checked against (a copy)."""
        return self._journal().reference

    def close(self) -> None:
        """Closes the journal, and every course iterator made by :meth:`courses`. Calling it
        again does nothing; any other call afterwards raises :class:`mentorcore.Error`."""
        if self._core is not None:
            self._core.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else f"{len(self)} courses"
        return f"Journal({describe(self._path)}, {state})"

    # ---- writing ---------------------------------------------------------------------------

    def append(self, course: str, event: Event) -> int:
        """Validates `event` against course `course` (its id) as stored and stores it, in one
        transaction; returns the event's position in the course (0 for the order).

        `event` is an :class:`Event`, as :meth:`Course.append` takes it; the journal holds many
        courses, so the course id comes first (a ``course_ordered`` event starts the course it
        names, and `course` must be that id). Raises :class:`RuleViolationError` or
        :class:`InvalidValueError` (naming the field) if the course rejects the event,
        :class:`JournalError` with ``fault == "unknown_course"`` for a course not in the journal
        and ``"duplicate"`` for a second order of one that is; nothing is stored then."""
        if not isinstance(event, Event):
            raise invalid("event", event, f"expected an Event, got {type(event).__name__}")
        return int(self._journal().append(course, event))

    def append_many(self, events: Iterable[tuple[str, Event]]) -> int:
        """Appends ``(course, event)`` pairs in order, all or nothing: one transaction; the
        batch may start courses and continue them. Returns how many events were stored.
        A whole course built in Python goes in as
        ``journal.append_many((course.id, e) for e in course.events)``."""
        if isinstance(events, (str, bytes, dict)) or not isinstance(events, Iterable):
            raise invalid("events", events, "expected an iterable of (course, Event) pairs")
        try:
            pairs = [tuple(pair) if isinstance(pair, list) else pair for pair in events]
        except Exception as error:  # bad input: the iterator raised
            raise invalid("events", events, f"could not be read ({type(error).__name__})") from None
        return int(self._journal().append_many(pairs))

    def append_lines(self, lines: str | bytes, *, source: str = "<lines>") -> int:
        """Parses event-log lines (JSON Lines, one event per line, without a header; the format
        of docs/event-schema.md) and appends them as :meth:`append_many` does, all or nothing.
        `source` names the text in a :class:`ParseError` (``source:line: ...``). A line's
        ``cpr`` is pseudonymised (``pseudonym_key`` when opening). Returns how many events were
        stored."""
        if not isinstance(source, str):
            raise invalid("source", source, f"expected a str, got {type(source).__name__}")
        return int(self._journal().append_lines(_lines_bytes(lines), source))

    def import_log(self, path: str | os.PathLike[str]) -> JournalImport:
        """Stores every course of an event-log file (plain or gzip), all or nothing: a bad line,
        a course already in the journal, or reference data the journal does not have raises,
        and nothing is stored."""
        result = self._journal().import_log(_path(path, "path"))
        return JournalImport(result.courses, result.events, result.redacted_texts)

    # ---- reading (each call adds an entry to the audit trail first) -------------------------

    def course(self, course: str, *, actor: str, purpose: str) -> Course:
        """Course `course` as it stands. Raises :class:`JournalError` (``"unknown_course"``)
        if it is not stored."""
        return Course._wrap(self._journal().course(course, actor, purpose))

    def course_as_of(self, course: str, date: datetime.date, *, actor: str, purpose: str) -> Course:
        """Course `course` as it stood at the end of `date` (:meth:`Course.as_of`). Raises
        :class:`InvalidValueError` if `date` is before the order."""
        day = in_calendar(as_date(date, "date"), "date")  # as Course.as_of
        return Course._wrap(self._journal().course_as_of(course, day, actor, purpose))

    def courses(self, *, actor: str, purpose: str) -> Iterator[Course]:
        """Every course, in the order they were started, one at a time (memory holds one
        course). The read is audited when this is called, not when iteration starts; the
        iterator sees the journal as it was then (later appends are not in it); once the journal
        is closed, taking the next course raises :class:`mentorcore.Error`."""
        return _CourseStream(self._journal().courses(actor, purpose))

    def export_log(
        self,
        path: str | os.PathLike[str],
        *,
        actor: str,
        purpose: str,
        courses: Iterable[str] | None = None,
    ) -> None:
        """Writes the courses (all, or those whose ids are in `courses`, in journal order) to an
        event-log file, byte for byte what :func:`mentorcore.write_events` writes for the same
        courses (".gz": gzip). An id not stored raises :class:`JournalError`
        (``"unknown_course"``) before anything is written. All or nothing with its audit entry:
        a file that cannot be written raises :class:`JournalError` (``"io"``), a stored course
        that does not replay (``"corrupt"``), and the file at `path` is left as it was; the
        journal's own file (or its -wal, -shm, -journal file) raises :class:`InvalidValueError`
        naming ``path``."""
        ids: list[str] | None = None
        if courses is not None:
            if isinstance(courses, (str, bytes)) or not isinstance(courses, Iterable):
                raise invalid("courses", courses, "expected an iterable of course ids, or None")
            ids = list(courses)
        self._journal().export_log(_path(path, "path"), actor, purpose, ids)

    def cohort(self, *, actor: str, purpose: str) -> Cohort:
        """Every course as a :class:`Cohort`, the same as ``Cohort.from_courses`` over
        :meth:`courses`, without keeping the courses."""
        return Cohort(self._journal().cohort(actor, purpose))

    # ---- what the journal holds (not audited: no course data) -------------------------------

    def course_ids(self) -> list[str]:
        """The ids of the stored courses, in the order they were started."""
        return list(self._journal().course_ids())

    def event_count(self, course: str) -> int:
        """How many events course `course` has stored (0 if it is not stored)."""
        return int(self._journal().event_count(course))

    def __contains__(self, course: object) -> bool:
        if not isinstance(course, str):
            return False
        return bool(self._journal().contains(course))

    def __len__(self) -> int:
        return len(self._journal().course_ids())

    def audit(
        self,
        *,
        actor: str | None = None,
        course: str | None = None,
        action: str | None = None,
        since: datetime.datetime | datetime.date | None = None,
        until: datetime.datetime | datetime.date | None = None,
    ) -> pd.DataFrame:
        """The audit trail, oldest entry first, as a DataFrame with one row per read or export:

        - ``sequence`` (int64): 1, 2, ... in the order the entries were made;
        - ``at`` (``datetime64[ns, UTC]``): when, to the millisecond;
        - ``actor`` (str): who read;
        - ``action`` (str): one of :data:`AUDIT_ACTIONS`;
        - ``purpose`` (str): why, as the reader gave it;
        - ``courses`` (list of str): the course ids read or exported; empty when the scope was
          every course in the journal;
        - ``scope`` (str): the date of an as-of read, the file of an export, "all courses";
          empty when the courses say it all.

        Every filter given must match: `actor`; `course` (entries that include it, or whose
        scope was every course); `action`; `since` (at or after) and `until` (before), each a
        :class:`datetime.datetime` with a time zone or a :class:`datetime.date` (midnight UTC).
        Reading the trail is not itself audited: it holds ids, never course data."""
        import pandas as pd

        rows = self._audit_rows(actor, course, action, since, until)
        frame: pd.DataFrame = pd.DataFrame(
            {
                "sequence": pd.Series([r["sequence"] for r in rows], dtype="int64"),
                "at": pd.to_datetime(
                    pd.Series([r["at"] for r in rows], dtype=object), utc=True, format="ISO8601"
                ).astype("datetime64[ns, UTC]"),
                "actor": pd.Series([r["actor"] for r in rows], dtype=object),
                "action": pd.Series([r["action"] for r in rows], dtype=object),
                "purpose": pd.Series([r["purpose"] for r in rows], dtype=object),
                "courses": pd.Series([r["courses"] for r in rows], dtype=object),
                "scope": pd.Series([r["scope"] for r in rows], dtype=object),
            },
            columns=list(AUDIT_COLUMNS),
        )
        return frame

    def _audit_rows(
        self,
        actor: str | None,
        course: str | None,
        action: str | None,
        since: datetime.datetime | datetime.date | None,
        until: datetime.datetime | datetime.date | None,
    ) -> list[_core._AuditRow]:
        """The entries as the core gives them (``at`` as its ISO 8601 text): the command line
        prints these."""
        if action is not None and action not in AUDIT_ACTIONS:
            raise invalid("action", action, "expected one of " + ", ".join(AUDIT_ACTIONS))
        return self._journal().audit(
            actor, course, action, _audit_time(since, "since"), _audit_time(until, "until")
        )

    def backup(self, path: str | os.PathLike[str]) -> None:
        """Copies the journal, consistently, to `path` while other processes may be writing to
        it (SQLite's online backup): the copy is a journal with the same courses and audit
        trail. An existing file at `path` must be a journal (else :class:`JournalError`,
        ``"not_a_journal"``); on any failure the file at `path` is left as it was."""
        self._journal().backup(_path(path, "path"))


for _public in (Journal, JournalImport):
    _public.__module__ = "mentorcore"
