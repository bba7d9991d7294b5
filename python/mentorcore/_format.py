"""The one number formatter: the C++ core's (``mentorcore::detail::number_text``), so a number
reads the same in an error message and in a table or a notebook view."""

from __future__ import annotations

from . import _core


def number_text(value: float) -> str:
    """`value` without trailing zeros, at most six decimals: 25 -> "25", 2.5 -> "2.5"."""
    return _core.number_text(float(value))
