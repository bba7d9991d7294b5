"""Cohort summaries on Dask: :meth:`Cohort.summary` partition by partition, merged exactly.

:func:`summarise` reads each partition of an event log (a file, a byte range of a file that
starts and ends between courses, or a partition of a Dask DataFrame of events) into a cohort on
a Dask worker, summarises it there, and adds the summaries up as a tree (eight at a time, as
dask-histogram does). Summaries hold integer counts, so the result is the summary of the whole
cohort, bit for bit, whatever the partitioning and the order of the additions. Only summaries
(tens to hundreds of kilobytes) and keyed hashes of the course ids cross the network.
docs/scaling.md says how to run it on a cluster and what it costs.

Dask is an optional dependency (``pip install "mentorcore[dask]"``): it is imported only when
:func:`summarise` is called.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import numbers
import operator
import os
import re
import secrets
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple, cast

import numpy as np

from ._core import Error, ParseError, redact_personal_numbers
from ._dask_frames import check_columns, frame_header, frame_records, json_line
from ._validate import as_date, file_name, invalid
from .cohort import Cohort
from .cohort_reader import read_cohort
from .interchange import _key
from .reference import ReferenceData

if TYPE_CHECKING:
    import pandas as pd

    from .summary import CohortSummary

__all__ = ["SPLIT_EVERY", "summarise"]

SPLIT_EVERY = 8
"""How many partial summaries each step of the reduction adds (dask-histogram's default)."""

# The longest line an event log may have (mentorcore::max_event_line_bytes): the boundary scan
# reads no more than this of one line, as the reader refuses anything longer.
_MAX_LINE = 8 << 20
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_COURSE_FIELD = re.compile(rb'"course"\s*:\s*"((?:[^"\\]|\\.)*)"')
_EXTRA = (
    'mentorcore.dask needs dask and distributed: pip install "mentorcore[dask]" '
    "(dask[dataframe] and distributed)"
)


def _import_dask() -> Any:
    try:
        import dask
    except ImportError as exc:
        raise ImportError(_EXTRA) from exc
    return dask


# ---------------------------------------------------------------------------------------------
# What one partition gives, and how partial results add up


def _parse_error(source: str, line: int, field: str, reason: str) -> ParseError:
    """A ParseError reading "<source>:<line>: <reason>", redacted as the core's errors are
    (a file name may hold a CPR-shaped number)."""
    source = redact_personal_numbers(source)
    error = ParseError(redact_personal_numbers(f"{source}:{line}: {reason}"))
    error.source, error.line, error.field = source, line, field
    return error


class _Options(NamedTuple):
    """What every partition needs: the same for all of them."""

    as_of: datetime.date
    by: Any
    reference: ReferenceData | None
    pseudonym_key: str | None
    salt: bytes
    """A random key drawn per call, so that the course hashes say nothing outside it."""


class _How(NamedTuple):
    """How the source was partitioned, for the message when a course is in two partitions."""

    kind: str  # "files", "ranges" or "frame"
    blocksize: int | None


class _Part(NamedTuple):
    """A partition's summary, or the sum of several, with the courses it holds."""

    summary: Any
    courses: np.ndarray
    """The keyed hashes of its course ids (int64, sorted): never the ids themselves."""
    owners: np.ndarray
    """For each hash, the index of the partition it came from (int32)."""
    labels: dict[int, tuple[str, str]]
    """What each partition is, for error messages: its file (or frame partition), and its byte
    range ("" for a whole file)."""
    failure: tuple[int, ParseError] | None
    """The first bad line of the partition with the lowest number, and that number; raised at
    the end."""


class _Read(NamedTuple):
    """What reading one partition gave."""

    cohort: Cohort
    courses: list[str]
    """Every course the partition has lines of, the rejected ones too."""
    error: ParseError | None
    """What read_cohort(..., on_error="raise") raises for it."""


def _course_hashes(courses: list[str], salt: bytes) -> np.ndarray:
    digests = b"".join(
        hashlib.blake2b(course.encode("utf-8"), digest_size=8, key=salt).digest()
        for course in courses
    )
    return np.unique(np.frombuffer(digests, dtype="<i8").astype(np.int64))


def _part(read: _Read, index: int, label: tuple[str, str], options: _Options) -> _Part:
    # One thread, as the read: Dask runs a task per core.
    summary = read.cohort.summary(as_of=options.as_of, by=options.by, threads=1)
    courses = _course_hashes(read.courses, options.salt)
    owners = np.full(len(courses), index, dtype=np.int32)
    failure = None if read.error is None else (index, read.error)
    return _Part(summary, courses, owners, {index: label}, failure)


def _split_course(how: _How, one: tuple[str, str], other: tuple[str, str]) -> Error:
    first, second = "".join(one), "".join(other)
    if how.kind == "ranges" and one[0] == other[0]:
        return invalid(
            "blocksize",
            how.blocksize,
            f"a course has lines in {first} and in {second}: the log interleaves its courses "
            "(a date-sorted log does), so it cannot be split into byte ranges between courses. "
            "Use blocksize=None (one partition per file), or a log written course after course "
            "(mentorcore.write_events and synthetic.write write them so)",
        )
    if how.kind in ("files", "ranges"):
        # Which course is not known here: the partitions send hashes of the ids, not the ids.
        return _parse_error(
            other[0],
            0,
            "course",
            f"a course has lines in two files, {one[0]} and {other[0]}; a course's lines must "
            "all be in one file",
        )
    return invalid(
        "source",
        "<dask DataFrame>",
        f"a course has rows in {first} and in {second}; every course's rows must be in one "
        "partition, in their order: repartition by course and restore the order within each "
        "course (docs/scaling.md shows how), or read one partition per file",
    )


def _combine(how: _How, *parts: _Part) -> _Part:
    """The sum of `parts`, after checking that no course is in two of them."""
    courses = np.concatenate([part.courses for part in parts])
    owners = np.concatenate([part.owners for part in parts])
    order = np.argsort(courses, kind="stable")
    courses, owners = courses[order], owners[order]
    labels: dict[int, tuple[str, str]] = {}
    for part in parts:
        labels.update(part.labels)
    twice = np.flatnonzero(courses[1:] == courses[:-1])
    if twice.size:
        at = int(twice[0])
        first, second = sorted((int(owners[at]), int(owners[at + 1])))
        raise _split_course(how, labels[first], labels[second])
    summary = functools.reduce(operator.add, (part.summary for part in parts))
    failures = [part.failure for part in parts if part.failure is not None]
    failure = min(failures, key=operator.itemgetter(0), default=None)
    return _Part(summary, courses, owners, labels, failure)


def _finish(part: _Part) -> Any:
    # A bad line is raised only here, once every partition has been checked against the
    # others: a course cut in two by the partitioning would otherwise be reported as its
    # second piece's first line ("a course history starts with course_ordered").
    if part.failure is not None:
        raise part.failure[1]
    return part.summary


def _tree(parts: list[Any], how: _How) -> Any:
    """The delayed sum of the delayed `parts`, SPLIT_EVERY at a time, as a tree."""
    dask = _import_dask()
    level = parts
    depth = 0
    token = secrets.token_hex(6)
    while len(level) > 1:
        level = [
            dask.delayed(_combine, pure=False)(
                how,
                *level[at : at + SPLIT_EVERY],
                dask_key_name=f"mentorcore-add-{depth}-{at // SPLIT_EVERY}-{token}",
            )
            for at in range(0, len(level), SPLIT_EVERY)
        ]
        depth += 1
    return dask.delayed(_finish, pure=False)(level[0])


# ---------------------------------------------------------------------------------------------
# Files and byte ranges


class _FilePart(NamedTuple):
    """One partition of the event-log files: a whole file, or the courses that start in
    [start, stop) bytes (moved forward to the first line of a new course)."""

    partition: int
    path: str
    start: int
    stop: int | None
    """None: the whole file."""


def _read(path: str, options: _Options) -> _Read:
    """The partition in the file `path`, read as read_cohort reads it, with its courses."""
    # One thread: Dask runs the partitions in parallel. Collect mode, so that the courses of
    # rejected lines are known too (the check that no course is in two partitions needs them).
    cohort, rejected = read_cohort(
        path,
        reference=options.reference,
        pseudonym_key=options.pseudonym_key,
        on_error="collect",
        threads=1,
    )
    courses = cohort.dictionary("course")
    if not rejected:
        return _Read(cohort, courses, None)
    courses += [line.course for line in rejected if line.course]
    try:  # the error the default mode raises, with its field, to raise at the end
        read_cohort(
            path, reference=options.reference, pseudonym_key=options.pseudonym_key, threads=1
        )
    except ParseError as error:
        return _Read(cohort, courses, error)
    first = rejected[0]  # not reached: both modes reject the same lines
    return _Read(cohort, courses, _parse_error(first.file, first.line, "", first.message))


def _line_key(line: bytes, position: int) -> object:
    """What a line belongs to: its course id, the header, or (if it cannot be told) itself.
    None for a blank line."""
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if isinstance(record, dict):
        if isinstance(record.get("course"), str):
            return ("course", record["course"])
        if record.get("type") == "header":
            return ("header",)
    else:
        found = _COURSE_FIELD.search(line)
        if found:
            return ("course", found.group(1).decode("utf-8", "replace"))
    # Not a line of any course: the reader rejects it; split there as anywhere else.
    return ("line", position)


def _line_before(log: IO[bytes], position: int) -> tuple[bytes, int] | None:
    """The last line that is not blank ending before `position` (a line start), and where it
    starts; None if there is none."""
    width = 1 << 16
    while True:
        begin = max(0, position - width)
        log.seek(begin)
        data = log.read(position - begin).rstrip(b" \t\r\n")
        if data:
            cut = data.rfind(b"\n")
            if cut >= 0:
                return data[cut + 1 :], begin + cut + 1
            if begin == 0 or width > 2 * _MAX_LINE:
                return data, begin
        elif begin == 0:
            return None
        width *= 2


def _line_start(log: IO[bytes], offset: int, size: int) -> int:
    """The first line start at or after `offset` (0 < offset < size)."""
    position = offset - 1
    log.seek(position)
    while position < size:
        chunk = log.read(_CHUNK)
        if not chunk:
            break
        found = chunk.find(b"\n")
        if found >= 0:
            return position + found + 1
        position += len(chunk)
    return size


def _course_boundary(log: IO[bytes], offset: int, size: int) -> int:
    """The first line at or after `offset` whose course differs from the line before it.

    Two neighbouring byte ranges compute the same boundary from the same offset, so the ranges
    tile the file, and a course whose lines are contiguous is in exactly one of them."""
    if offset <= 0:
        return 0
    if offset >= size:
        return size
    position = _line_start(log, offset, size)
    if position >= size:
        return size
    before = _line_before(log, position)
    previous = None if before is None else _line_key(*before)
    log.seek(position)
    while position < size:
        line = log.readline(_MAX_LINE + 1)
        if not line:
            break
        key = _line_key(line, position)
        if key is not None and key != previous:
            return position
        position += len(line)
    return size


def _header_line(log: IO[bytes]) -> bytes:
    """The log's header line (with its line end), or b"" when it has none."""
    log.seek(0)
    while True:
        line = log.readline(_MAX_LINE + 1)
        if not line:
            return b""
        if line.strip():
            break
    if _line_key(line, 0) != ("header",):
        return b""
    return line if line.endswith(b"\n") else line + b"\n"


def _copy(log: IO[bytes], out: IO[bytes], start: int, stop: int) -> None:
    log.seek(start)
    left = stop - start
    while left > 0:
        chunk = log.read(min(_CHUNK, left))
        if not chunk:
            break
        out.write(chunk)
        left -= len(chunk)


def _lines_before(log: IO[bytes], offset: int) -> int:
    log.seek(0)
    count = 0
    left = offset
    while left > 0:
        chunk = log.read(min(_CHUNK, left))
        if not chunk:
            break
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count


def _relocated(error: ParseError, piece: str, source: str, line: int) -> ParseError:
    """`error`, raised reading the temporary file `piece`, told of `source` and `line`."""
    message = str(error)
    prefix = f"{piece}:{error.line}: "
    rest = message[len(prefix) :] if message.startswith(prefix) else message
    return _parse_error(source, line, str(error.field), rest.replace(piece, source))


def _summarise_file(part: _FilePart, options: _Options) -> _Part:
    """Runs on a worker: the summary of one partition of the files."""
    if part.stop is None:
        return _part(_read(part.path, options), part.partition, (part.path, ""), options)
    # A range is copied to a file of its own, after the log's header line (the reader takes
    # paths, and a header may only be a file's first line).
    with open(part.path, "rb") as log:
        size = os.fstat(log.fileno()).st_size
        start = _course_boundary(log, part.start, size)
        stop = max(start, _course_boundary(log, part.stop, size))
        header = _header_line(log) if start > 0 else b""
        label = (part.path, f" bytes {start}-{stop}")
        with tempfile.TemporaryDirectory(prefix="mentorcore-dask-") as folder:
            piece = os.path.join(folder, f"bytes-{start}-{stop}.jsonl")
            with open(piece, "wb") as out:
                out.write(header)
                _copy(log, out, start, stop)

            def located(error: ParseError) -> ParseError:
                line = int(error.line)  # of the piece: the header's line, then the range's
                if line > (1 if header else 0):
                    line += _lines_before(log, start) - (1 if header else 0)
                return _relocated(error, piece, part.path, line)

            try:
                read = _read(piece, options)
            except ParseError as error:
                raise located(error) from None
            if read.error is not None:
                read = read._replace(error=located(read.error))
    return _part(read, part.partition, label, options)


def _splittable(path: str) -> int:
    """The size of `path` if it can be split into byte ranges (a plain regular file), else 0.
    The errors are read_cohort's for a path that cannot be read."""
    try:
        about = os.stat(path)
        if stat.S_ISDIR(about.st_mode):
            raise _parse_error(
                path, 0, "", "cannot read the file: it is a directory, not an event log"
            )
        if not stat.S_ISREG(about.st_mode):
            return 0
        with open(path, "rb") as log:
            if log.read(2) == _GZIP_MAGIC:
                return 0  # a gzip stream cannot be entered in the middle
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise _parse_error(path, 0, "", f"cannot open the file: {reason}") from None
    return about.st_size


def _file_parts(paths: list[str], blocksize: int | None) -> list[_FilePart]:
    parts: list[_FilePart] = []
    for path in paths:
        size = 0 if blocksize is None else _splittable(path)
        if blocksize is None or size <= blocksize:
            parts.append(_FilePart(len(parts), path, 0, None))
            continue
        for start in range(0, size, blocksize):
            parts.append(_FilePart(len(parts), path, start, start + blocksize))
    return parts


# ---------------------------------------------------------------------------------------------
# A Dask DataFrame of events


def _summarise_frame(frame: pd.DataFrame, index: int, header: bytes, options: _Options) -> _Part:
    """Runs on a worker: the summary of one partition of an events frame.

    A partition whose first row is a header row (each file's, when read_json reads one
    partition per file) is read with it; any other partition with the first partition's."""
    records, headers = frame_records(frame)
    label = f"partition {index}"
    own = bool(headers) and headers[0]
    if own:
        header = json_line(records[0])
    if any(headers[1:]):
        row = headers.index(True, 1)
        raise invalid(
            "source",
            "<dask DataFrame>",
            f"row {row} of {label} is a header row (type 'header'); a header may only be the "
            "first row of a partition, where dask.dataframe.read_json puts a log's first line. "
            'Drop header rows before repartitioning (df[df["type"] != "header"]) and pass the '
            "reference data they declare as reference= (for a synthetic log, "
            "mentorcore.synthetic.reference())",
        )
    with tempfile.TemporaryDirectory(prefix="mentorcore-dask-") as folder:
        piece = os.path.join(folder, f"partition-{index}.jsonl")
        with open(piece, "wb") as out:
            out.write(header)
            for record in records[1:] if own else records:
                out.write(json_line(record))
        source = f"<dask DataFrame {label}>"
        try:
            read = _read(piece, options)
        except ParseError as error:
            raise _relocated(error, piece, source, 1 if own else 0) from None
        if read.error is not None:
            # The line of the temporary file as the row of the partition, counted from 1 as
            # a line is (0: the first partition's header, which this partition borrowed).
            line = read.error.line
            if header and line <= 1:
                line = 1 if own else 0
            elif line > 0:
                line = line - (1 if header and not own else 0)
            read = read._replace(error=_relocated(read.error, piece, source, line))
    return _part(read, index, (label, ""), options)


# ---------------------------------------------------------------------------------------------
# The call


def _blocksize(blocksize: object) -> int | None:
    if blocksize is None:
        return None
    if isinstance(blocksize, str):
        from dask.utils import parse_bytes

        try:
            parsed = parse_bytes(blocksize)
        except (ValueError, TypeError):
            raise invalid(
                "blocksize", blocksize, "expected bytes, e.g. 64000000 or '64 MiB'"
            ) from None
        return _blocksize(parsed)
    if isinstance(blocksize, bool) or not isinstance(blocksize, numbers.Integral):
        raise invalid("blocksize", blocksize, "expected a number of bytes (int), a str, or None")
    if blocksize < 1:
        raise invalid("blocksize", blocksize, "expected at least 1 byte")
    return int(blocksize)


def _paths(source: object) -> list[str] | None:
    """The paths `source` names, or None if it is not a path or a list of paths."""
    if isinstance(source, (str, os.PathLike)):
        items: Sequence[object] = [source]
    elif isinstance(source, (list, tuple)):
        items = source
    else:
        return None
    paths = []
    for at, item in enumerate(items):
        if not isinstance(item, (str, os.PathLike)):
            raise invalid(f"source[{at}]", item, "expected a path (str or os.PathLike)")
        path = os.fspath(item)
        text = path if isinstance(path, str) else os.fsdecode(path)
        paths.append(file_name(text, f"source[{at}]"))
    return paths


def _client() -> Any:
    """The current Dask distributed client, or None."""
    if "distributed" not in sys.modules:
        return None  # no client can exist unless distributed has been imported
    try:
        from distributed import get_client

        return get_client()
    except (ImportError, ValueError):
        return None


def summarise(
    source: object,
    *,
    as_of: datetime.date | None = None,
    by: str | Iterable[str] | None = None,
    reference: ReferenceData | None = None,
    pseudonym_key: str | bytes | None = None,
    blocksize: int | str | None = None,
) -> CohortSummary:
    """The summary of every course in `source`, computed partition by partition on Dask.

    `source` is an event-log path or a list of them (plain or gzip; one partition per file),
    or a ``dask.dataframe.DataFrame`` of events (one row per event, one column per field, as
    ``dask.dataframe.read_json(path, lines=True)`` gives; one partition per partition).
    `blocksize` (bytes, or a str such as ``"64 MiB"``) splits plain files into byte ranges of
    about that size, each moved forward to the first line of a new course, so that every
    course is summarised whole in one partition; it needs each course's lines to be together
    (as mentorcore writes logs).

    Each partition is read with :func:`mentorcore.read_cohort` (`reference` and
    `pseudonym_key` mean what they mean there) and summarised with
    ``cohort.summary(as_of=as_of, by=by)`` on a worker; the summaries are added as a tree,
    :data:`SPLIT_EVERY` at a time. `as_of` is required: a partition's last date is not the
    data's. A course found in two partitions (in two files, in an interleaved log split by
    `blocksize`, or in two frame partitions) raises :class:`mentorcore.Error` naming the two
    partitions, as the result would count it twice. A bad line raises the
    :class:`mentorcore.ParseError` that ``read_cohort`` raises, naming the file and its line
    in the whole file, once every partition has been read (so that a course cut in two by the
    partitioning is reported as that).

    The work runs on the current ``distributed`` client when there is one, else on Dask's
    local scheduler. The result equals ``read_cohort(paths).summary(as_of=as_of, by=by)``.
    """
    if as_of is None:
        raise invalid(
            "as_of",
            as_of,
            "required: give the censoring date (a datetime.date); each partition's last date "
            "differs, so the default of Cohort.summary cannot be used",
        )
    day = as_date(as_of, "as_of")
    if reference is not None and not isinstance(reference, ReferenceData):
        raise invalid("reference", reference, "expected a ReferenceData or None")
    key = _key(pseudonym_key)
    dask = _import_dask()
    size = _blocksize(blocksize)
    # The summary of no course checks `by` (and `as_of`) here, before any work is sent out, and
    # is the sum of no partition. Its `by` is the checked tuple of column names.
    empty = Cohort.from_courses([]).summary(as_of=day, by=by)
    options = _Options(day, tuple(empty.by), reference, key, secrets.token_bytes(16))
    paths = _paths(source)
    if paths is not None:
        parts = _file_parts(paths, size)
        if not parts:
            return empty
        how = _How("files" if size is None else "ranges", size)
        summaries = [
            dask.delayed(_summarise_file, pure=False)(
                part,
                options,
                dask_key_name=f"mentorcore-summarise-{part.partition}-{secrets.token_hex(6)}",
            )
            for part in parts
        ]
    else:
        import dask.dataframe as dd

        if not isinstance(source, dd.DataFrame):
            raise invalid(
                "source",
                source,
                "expected an event-log path, a list of paths, or a dask.dataframe.DataFrame of "
                "events",
            )
        if size is not None:
            raise invalid(
                "blocksize", blocksize, "applies to paths: a DataFrame is partitioned already"
            )
        check_columns(source.columns)
        frames = cast(Any, source).to_delayed()
        if not frames:
            return empty
        header = dask.delayed(frame_header, pure=False)(frames[0])
        how = _How("frame", None)
        summaries = [
            dask.delayed(_summarise_frame, pure=False)(frame, index, header, options)
            for index, frame in enumerate(frames)
        ]
    result = _tree(summaries, how)
    client = _client()
    if client is not None:
        return client.compute(result, sync=True)  # type: ignore[no-any-return]
    (summary,) = dask.compute(result)
    return summary  # type: ignore[no-any-return]
