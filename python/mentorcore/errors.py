"""The errors mentorcore raises on bad input: :class:`Error` (a :class:`ValueError`) and its
subclasses, defined in the compiled core so C++ and Python raise the same classes."""

from __future__ import annotations

from ._core import (
    Error,
    InvalidValueError,
    JournalError,
    OutOfRangeError,
    ParseError,
    RuleViolationError,
)

__all__ = [
    "Error",
    "InvalidValueError",
    "JournalError",
    "OutOfRangeError",
    "ParseError",
    "RuleViolationError",
]
