"""The event log: a versioned JSON Lines format for exchanging courses.

One JSON object per line, one event per object, each with ``"schema": "mentorcore/2"``
(docs/event-schema.md); logs written as ``"mentorcore/1"`` (before the end of a start, the
status after closure and a grant's provider) read unchanged. Reading replays every course
through the same validation as the live API, so an impossible history is rejected exactly as it
would be live. Gzip-compressed files
are read and written transparently. A ``course_ordered`` line may carry a CPR number in a
``cpr`` field: it is replaced by a pseudonymous citizen key (keyed HMAC-SHA256) and never
stored, written, logged or echoed.
"""

from __future__ import annotations

import io
import json
import os
from typing import IO, Any, Literal, NamedTuple, Union, overload

from . import _core
from ._courses import core_courses
from ._render import count_text, record_html, records_html, records_text, short_list
from ._validate import invalid
from .course import Course, CourseList
from .reference import ReferenceData

__all__ = [
    "EVENT_SCHEMA",
    "ReadResult",
    "RejectedLine",
    "event_schema",
    "pseudonymise",
    "read_events",
    "write_events",
]

EVENT_SCHEMA: str = _core.EVENT_SCHEMA
"""The schema version written (and the newest read): "mentorcore/2"; "mentorcore/1" is read
too."""

PathOrFile = Union[str, "os.PathLike[str]", IO[bytes], IO[str]]


class RejectedLine(NamedTuple):
    """A line that was not loaded, and why."""

    line: int
    course: str
    """The course the line belongs to ('' if it could not be told)."""
    message: str

    @classmethod
    def _from_core(cls, r: _core.RejectedLineRecord) -> RejectedLine:
        return cls(r.line, r.course, r.message)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def _repr_html_(self) -> str:
        return record_html(self)


class _ReadResultFields(NamedTuple):
    courses: list[Course]
    """The courses whose every line was valid, in order of first appearance."""
    rejected: list[RejectedLine]


class ReadResult(_ReadResultFields):
    """What ``read_events(..., on_error="collect")`` returns: ``(courses, rejected)``, and the
    file's data-quality figure :attr:`redacted_texts`."""

    redacted_texts: int = 0
    """How many texts on the lines read had a CPR-shaped number replaced by
    "[redacted: possible CPR number]" (docs/errors.md). Not a tuple item, so
    ``courses, rejected = result`` unpacks as before."""

    def __new__(
        cls, courses: list[Course], rejected: list[RejectedLine], redacted_texts: int = 0
    ) -> ReadResult:
        self = super().__new__(cls, courses, rejected)
        self.redacted_texts = redacted_texts
        return self

    def _redacted_text(self) -> str:
        return count_text(self.redacted_texts, "text") + " with a CPR-shaped number replaced"

    def __repr__(self) -> str:
        lines = short_list(str(r.line) for r in self.rejected)
        redacted = f", redacted_texts={self.redacted_texts}" if self.redacted_texts else ""
        return (
            f"ReadResult(courses={CourseList(self.courses)!r}, "
            f"rejected=<{count_text(len(self.rejected), 'line')}{': ' + lines if lines else ''}>"
            f"{redacted})"
        )

    def _rejected_rows(self) -> list[list[str]]:
        return [[str(r.line), r.course, r.message] for r in self.rejected[:20]]

    def __str__(self) -> str:
        courses = str(CourseList(self.courses))
        if self.redacted_texts:
            courses += "\n" + self._redacted_text()
        if not self.rejected:
            return courses + "\nno line rejected"
        rejected = records_text(
            count_text(len(self.rejected), "line") + " rejected",
            ("line", "course", "message"),
            self._rejected_rows(),
            len(self.rejected),
        )
        return f"{courses}\n{rejected}"

    def _repr_html_(self) -> str:
        rejected = records_html(
            count_text(len(self.rejected), "line") + " rejected",
            ("line", "course", "message"),
            self._rejected_rows(),
            "mentorcore-rejected",
            len(self.rejected),
        )
        redacted = f"<p>{self._redacted_text()}</p>" if self.redacted_texts else ""
        return CourseList(self.courses)._repr_html_() + redacted + rejected


def _key(pseudonym_key: str | bytes | None) -> str | None:
    if pseudonym_key is None:
        return os.environ.get("MENTORCORE_PSEUDONYM_KEY") or None
    if isinstance(pseudonym_key, bytes):
        return pseudonym_key.decode("utf-8", errors="surrogateescape")
    if not isinstance(pseudonym_key, str):
        raise invalid("pseudonym_key", type(pseudonym_key).__name__, "expected a str or bytes key")
    return pseudonym_key


def _wrap(result: _core.ReadOutcome) -> tuple[CourseList, list[RejectedLine], int]:
    return (
        CourseList(Course._wrap(core) for core in result.courses),
        [RejectedLine._from_core(r) for r in result.rejected],
        result.redacted_texts,
    )


_STREAM_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


def _read_stream(source: Any) -> bytes:
    """A stream's bytes, read a chunk at a time rather than by one ``read()``.

    Reading stops as soon as an unfinished line is longer than an event-log line may be
    (``_core.MAX_EVENT_LINE_BYTES``): an endless stream such as ``open("/dev/zero", "rb")`` would
    never return from ``read()``. The reader then reports that line as too long, with its number.
    A gzip stream is read whole (its lines cannot be seen before decompression, which the reader
    then does a chunk at a time).
    """
    chunks: list[bytes] = []
    unfinished = 0  # bytes since the last line end
    compressed: bool | None = None
    while True:
        chunk = source.read(_STREAM_CHUNK)
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", errors="surrogateescape")
        if not isinstance(chunk, bytes):
            raise invalid("source", source, "the file's read() must return bytes or str")
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        if compressed is None:
            head = b"".join(chunks)[:2]
            compressed = head == _GZIP_MAGIC if len(head) == 2 else None
        if compressed:
            continue
        end = chunk.rfind(b"\n")
        unfinished = unfinished + len(chunk) if end < 0 else len(chunk) - end - 1
        if unfinished > _core.MAX_EVENT_LINE_BYTES:
            return b"".join(chunks)


@overload
def read_events(
    source: PathOrFile,
    *,
    reference: ReferenceData | None = ...,
    pseudonym_key: str | bytes | None = ...,
    on_error: Literal["raise"] = ...,
) -> list[Course]: ...


@overload
def read_events(
    source: PathOrFile,
    *,
    reference: ReferenceData | None = ...,
    pseudonym_key: str | bytes | None = ...,
    on_error: Literal["collect"],
) -> ReadResult: ...


def read_events(
    source: PathOrFile,
    *,
    reference: ReferenceData | None = None,
    pseudonym_key: str | bytes | None = None,
    on_error: str = "raise",
) -> list[Course] | ReadResult:
    """Reads an event log from a path or an open file (plain or gzip-compressed).

    `reference` supplies the codes and instruments the courses are checked against (the
    built-in set by default); a log's header line adds the reference data it was written with,
    so a log that mentorcore wrote needs no `reference`. A path is read a piece at a time, in
    bounded memory, and may be a pipe (``/dev/fd/N``, process substitution); a line longer than
    8 MiB raises :class:`mentorcore.ParseError`. `pseudonym_key` (or the environment variable
    ``MENTORCORE_PSEUDONYM_KEY``) is needed if the log carries CPR numbers.

    ``on_error="raise"`` (default): the first bad line raises :class:`mentorcore.ParseError`
    naming the file, the line, the field and what was wrong, and nothing is loaded.
    ``on_error="collect"``: returns a :class:`ReadResult` with the courses whose lines were all
    valid and every rejected line with its reason.
    """
    if on_error not in ("raise", "collect"):
        raise invalid("on_error", on_error, 'expected "raise" or "collect"')
    if reference is not None and not isinstance(reference, ReferenceData):
        raise invalid("reference", reference, "expected a ReferenceData or None")
    collect = on_error == "collect"
    key = _key(pseudonym_key)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not isinstance(path, str):
            raise invalid("source", source, "expected a str path")
        courses, rejected, redacted = _wrap(_core.read_events_file(path, reference, key, collect))
    elif hasattr(source, "read"):
        data = _read_stream(source)
        name = str(getattr(source, "name", "<stream>"))
        courses, rejected, redacted = _wrap(
            _core.read_events_bytes(data, name, reference, key, collect)
        )
    else:
        raise invalid("source", source, "expected a path or a file object")
    return ReadResult(courses, rejected, redacted) if collect else courses


def write_events(courses: object, target: PathOrFile) -> None:
    """Writes courses to a path (gzip-compressed if it ends in ".gz") or an open file: every
    event of the first course in order, then the next. Deterministic: same courses, same bytes.
    When the courses use reference data beyond the built-in set (rating instruments, added
    codes), a first header line declares it, so that :func:`read_events` reads the log back
    equal with no extra argument.

    `courses` is a Course or an iterable of them; anything else raises
    mentorcore.InvalidValueError, and so does a course given twice (before anything is
    written)."""
    cores = core_courses(courses)
    if isinstance(target, (str, os.PathLike)):
        _core.write_events_file(cores, os.fspath(target))
    elif hasattr(target, "write"):
        data: bytes = _core.write_events_bytes(cores)
        if isinstance(target, io.TextIOBase):
            target.write(data.decode("utf-8"))
        else:
            target.write(data)  # type: ignore[arg-type]
    else:
        raise invalid("target", target, "expected a path or a file object")


def event_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event-log line, generated from the event
    field tables."""
    schema: dict[str, Any] = json.loads(_core.event_json_schema())
    return schema


def pseudonymise(cpr: str, pseudonym_key: str | bytes | None = None) -> str:
    """The pseudonymous citizen key reading would give a CPR number under `pseudonym_key` (or
    ``MENTORCORE_PSEUDONYM_KEY``). The CPR number appears in no error message."""
    key = _key(pseudonym_key)
    if key is None:
        raise invalid(
            "pseudonym_key", None, "a key is needed (argument or MENTORCORE_PSEUDONYM_KEY)"
        )
    if not isinstance(cpr, str):
        # Withheld whatever it is: a CPR number held as an int (101901234) is still one.
        raise invalid("cpr", "[withheld]", f"expected a str, got {type(cpr).__name__}")
    return str(_core.pseudonymise(key, cpr))
