"""``calendar``: the coming year's public holidays and a worked deadline example."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from .. import __version__
from .. import calendar as cal
from ._common import day_text, iso_date, policy_text, print_deadline, print_holidays


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "calendar", help="the coming year's holidays and a worked deadline"
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        default=datetime.date.today(),
        help="the day to start from (YYYY-MM-DD)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    today: datetime.date = args.today
    end = cal.add_months(today, 12) - datetime.timedelta(days=1)
    print(f"mentorcore {__version__}: the Danish working-day calendar\n")
    print(f"Public holidays in the coming year ({today.isoformat()} to {end.isoformat()}):")
    print_holidays(today, end)
    print("\nA worked deadline: a status report is due 10 working days after referral.")
    referral = datetime.date(today.year, 12, 18)
    if referral < today:
        referral = datetime.date(today.year + 1, 12, 18)
    due = print_deadline(referral, 10, holidays_only=False)
    lenient = cal.add_working_days(referral, 10, cal.DeadlinePolicy.public_holidays_only())
    print(f"  (with {policy_text(True)}: {day_text(lenient)}; {(due - lenient).days} days earlier)")
    grant_end = cal.add_months(referral, 6)
    print(f"\nA grant starting {day_text(referral)} may run at most until {day_text(grant_end)}")
    print("(6 months, counted as Danish months: same day of month, clamped to month end).")
    week = cal.iso_week(due)
    print(f"The report is due in ISO week {week.week} of {week.year}.")
    return 0
