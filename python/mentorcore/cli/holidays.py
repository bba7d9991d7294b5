"""``holidays``: the Danish public holidays of a year."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from .. import calendar as cal
from ._common import day_text, whole_number


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("holidays", help="the Danish public holidays of a year")
    parser.add_argument(
        "year",
        type=whole_number(cal.FIRST_YEAR, cal.LAST_YEAR),
        nargs="?",
        default=datetime.date.today().year,
        help=f"the year, {cal.FIRST_YEAR}-{cal.LAST_YEAR} (default: this year)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    year: int = args.year
    listed = cal.holidays(year)
    print(f"Danish public holidays {year}:")
    for holiday in listed:
        print(f"  {day_text(holiday.date)}  {holiday.name}")
    return 0
