"""``deadline``: count working days from a date, showing every day on the way."""

from __future__ import annotations

import argparse
from typing import Any

from .._validate import _INT32_MAX
from ._common import iso_date, print_deadline, whole_number


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("deadline", help="count working days from a date")
    parser.add_argument("start", type=iso_date, help="the day to count from (YYYY-MM-DD)")
    parser.add_argument(
        "days",
        type=whole_number(-_INT32_MAX, _INT32_MAX),
        help="working days to count (negative counts back)",
    )
    parser.add_argument(
        "--holidays-only",
        action="store_true",
        help="close only weekends and public holidays (not 5 June, 24 and 31 December)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    print_deadline(args.start, args.days, args.holidays_only)
    return 0
