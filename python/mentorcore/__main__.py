"""``python -m mentorcore`` and the ``mentorcore`` console script: the commands live in
:mod:`mentorcore.cli`, one module each."""

from __future__ import annotations

import sys

from .cli import build_parser, main
from .cli._common import print_deadline, print_holidays
from .cli.demo import print_municipality_summary

__all__ = ["build_parser", "main", "print_deadline", "print_holidays", "print_municipality_summary"]

if __name__ == "__main__":
    sys.exit(main())
