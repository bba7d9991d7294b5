"""The one number formatter of the Python package: what the C++ core's messages use too
(``mentorcore::detail::number_text``), so a number reads the same in an error and in a table."""

from __future__ import annotations


def number_text(value: float) -> str:
    """`value` without trailing zeros, at most six decimals: 25 -> "25", 2.5 -> "2.5"."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
