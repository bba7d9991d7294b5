"""Checks applied at every public entry point, so bad input raises mentorcore.Error with the
field and the value named, never a TypeError from deep inside, and never a dead kernel."""

from __future__ import annotations

import datetime
import numbers
import os
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ._core import InvalidValueError, OutOfRangeError, redact_personal_numbers
from ._core import calendar as _calendar

_INT32_MIN = -(2**31)
_INT32_MAX = 2**31 - 1


def excerpt(text: str, width: int) -> str:
    """`text` redacted and then, if longer than `width`, cut to `width` with "...". Always in
    that order: a cut first could leave nine digits of a CPR number that no rule recognises."""
    text = redact_personal_numbers(text)
    if len(text) > width:
        text = text[: width - 3] + "..."
    return text


def describe(value: object) -> str:
    """A short, redacted repr of `value` for an error message."""
    return excerpt(repr(value), 80)


def invalid(field: str, value: object, reason: str) -> InvalidValueError:
    """An InvalidValueError reading "<field> = <value>: <reason>" with .field, .value and
    .reason set, as the compiled core's errors have them."""
    return _with_details(InvalidValueError, field, value, reason)


def out_of_range(field: str, value: object, reason: str) -> OutOfRangeError:
    """As :func:`invalid`, for a value outside the range mentorcore supports."""
    return _with_details(OutOfRangeError, field, value, reason)


_Detailed = TypeVar("_Detailed", InvalidValueError, OutOfRangeError)


def _with_details(kind: type[_Detailed], field: str, value: object, reason: str) -> _Detailed:
    shown = describe(value)
    redacted_reason = redact_personal_numbers(reason)
    error = kind(f"{field} = {shown}: {redacted_reason}")
    error.field = field
    error.value = shown
    error.reason = redacted_reason
    return error


def file_name(path: str, field: str) -> str:
    """`path` if no NUL byte is in it; else an InvalidValueError naming `field`. The system
    would act on the name cut at the NUL, another file (the C++ core refuses it the same way)."""
    if "\0" in path:
        raise invalid(field, path, "holds a NUL byte, which no file name can hold")
    return path


def file_to_write(path: object) -> str:
    """`path` (a str or os.PathLike) as a str, checked before any work is done to not name a
    directory; else an InvalidValueError naming ``path``."""
    if not isinstance(path, (str, os.PathLike)):
        raise invalid("path", path, "expected a file path (str or os.PathLike)")
    target = file_name(str(os.fspath(path)), "path")
    if os.path.isdir(target):
        raise invalid("path", target, "is a directory; give the path of a file to write")
    return str(target)


def unwritable(path: str | os.PathLike[str], error: OSError) -> InvalidValueError:
    """The error for a write to `path` that failed with `error`: an InvalidValueError naming
    ``path``, redacted, with the system's reason. Raise it ``from None``: the OSError's own
    message repeats the path, and any temporary file's, unredacted."""
    reason = error.strerror or type(error).__name__
    return invalid("path", os.fspath(path), f"cannot be written: {reason}")


def as_date(value: object, field: str) -> datetime.date:
    """`value` if it is a datetime.date (and not a datetime); else an InvalidValueError."""
    if isinstance(value, datetime.datetime):
        raise invalid(
            field,
            value,
            "expected a datetime.date, got a datetime; pass value.date() to drop the time of day",
        )
    if not isinstance(value, datetime.date):
        raise invalid(field, value, f"expected a datetime.date, got {type(value).__name__}")
    return value


def in_calendar(day: datetime.date, field: str, what: str = "") -> datetime.date:
    """`day` if its year is in the supported calendar (1900-2200), as every event date must
    be; else an OutOfRangeError naming `field`, its reason starting with `what`."""
    first, last = _calendar.FIRST_YEAR, _calendar.LAST_YEAR
    if not first <= day.year <= last:
        raise out_of_range(
            field, day.isoformat(), f"{what}outside the supported calendar {first}-{last}"
        )
    return day


def as_int(value: object, field: str) -> int:
    """`value` as a 32-bit int (Python or NumPy integer, not bool); else an error."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise invalid(field, value, f"expected an integer, got {type(value).__name__}")
    number = int(value)
    if not _INT32_MIN <= number <= _INT32_MAX:
        raise out_of_range(field, number, "outside the range of a 32-bit integer")
    return number


def as_threads(threads: object) -> int:
    """A thread count: a positive int up to 4096, or None for every core (0 to the core)."""
    if threads is None:
        return 0
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise invalid("threads", threads, "expected a positive int, or None for all cores")
    if threads > 4096:
        raise invalid("threads", threads, "expected at most 4096")
    return threads


def as_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise invalid(field, value, f"expected True or False, got {type(value).__name__}")
    return value


def as_dates(values: Iterable[object], field: str) -> list[datetime.date]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise invalid(field, values, "expected an iterable of datetime.date")
    return [as_date(value, f"{field}[{index}]") for index, value in enumerate(values)]


def as_list(value: object, field: str) -> list[Any]:
    """`value` (any iterable but a str, bytes or dict) as a list; else an InvalidValueError naming
    `field`. An iterator that raises while it is read is reported the same way."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise invalid(field, value, f"expected a list, got {type(value).__name__}")
    try:
        return list(value)
    except Exception as error:  # bad input: whatever the iterator raised
        raise invalid(
            field, value, f"could not be read as a list ({type(error).__name__})"
        ) from None


def as_mapping(value: object, field: str) -> dict[Any, Any]:
    """`value` (a mapping) as a dict; else an InvalidValueError naming `field`."""
    if not isinstance(value, Mapping):
        raise invalid(field, value, f"expected a dict, got {type(value).__name__}")
    try:
        return dict(value)
    except Exception as error:  # bad input: a mapping whose items raise
        raise invalid(
            field, value, f"could not be read as a dict ({type(error).__name__})"
        ) from None
