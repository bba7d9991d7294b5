"""Command line: ``python -m mentorcore <command>``.

Commands:
  demo       the coming year's public holidays and a worked deadline example
  holidays   the public holidays of a year
  deadline   count working days from a date, showing every day on the way
  validate   check an event log: one FILE:LINE: message per problem, exit 1 if any
  schema     print the JSON Schema of an event-log line
"""

from __future__ import annotations

import argparse
import datetime
import sys
from collections.abc import Sequence

from . import Error, __version__
from . import calendar as cal

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _day(day: datetime.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


def _iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


def _policy(holidays_only: bool) -> cal.DeadlinePolicy:
    return cal.DeadlinePolicy.public_holidays_only() if holidays_only else cal.DeadlinePolicy()


def _policy_text(holidays_only: bool) -> str:
    if holidays_only:
        return "only weekends and public holidays closed"
    return "the common deadline rule: weekends, public holidays, 5 June, 24 and 31 December closed"


def print_holidays(start: datetime.date, end: datetime.date) -> None:
    frame = cal.days_frame(start, end)
    named = frame[frame["holiday"].notna()]
    for date, name in zip(named["date"].dt.date, named["holiday"]):
        print(f"  {_day(date)}  {name}")


def print_deadline(start: datetime.date, days: int, holidays_only: bool) -> datetime.date:
    policy = _policy(holidays_only)
    due = cal.add_working_days(start, days, policy)
    print(f"{days} working days after {_day(start)} ({_policy_text(holidays_only)}):")
    step = 1 if days >= 0 else -1
    count = 0
    day = start
    while day != due:
        day += datetime.timedelta(days=step)
        reason = cal.non_working_reason(day, policy)
        if reason is None:
            count += 1
            print(f"  {_day(day)}  working day {count}")
        else:
            print(f"  {_day(day)}  closed: {reason}")
    print(f"  => due {_day(due)}")
    return due


def cmd_demo(args: argparse.Namespace) -> int:
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
    print(f"  (with {_policy_text(True)}: {_day(lenient)}; {(due - lenient).days} days earlier)")
    grant_end = cal.add_months(referral, 6)
    print(f"\nA grant starting {_day(referral)} may run at most until {_day(grant_end)}")
    print("(6 months, counted as Danish months: same day of month, clamped to month end).")
    week = cal.iso_week(due)
    print(f"The report is due in ISO week {week.week} of {week.year}.")
    return 0


def cmd_holidays(args: argparse.Namespace) -> int:
    year: int = args.year
    listed = cal.holidays(year)
    print(f"Danish public holidays {year}:")
    for holiday in listed:
        print(f"  {_day(holiday.date)}  {holiday.name}")
    return 0


def cmd_deadline(args: argparse.Namespace) -> int:
    print_deadline(args.start, args.days, args.holidays_only)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from .course import ReferenceData
    from .interchange import read_events

    reference = None
    if args.reference:
        reference = ReferenceData.builtin().extended(ReferenceData.from_json_file(args.reference))
    problems = 0
    for path in args.files:
        try:
            result = read_events(path, reference=reference, on_error="collect")
        except Error as error:  # the file as a whole: cannot be opened, corrupt gzip
            print(error)
            problems += 1
            continue
        for line, _course, message in result.rejected:
            print(f"{path}:{line}: {message}")
        problems += len(result.rejected)
        if not result.rejected:
            events = sum(len(course.events) for course in result.courses)
            print(f"{path}: {len(result.courses)} courses, {events} events, no problems", file=sys.stderr)
    return 1 if problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    from . import _core

    sys.stdout.write(_core.event_json_schema())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mentorcore", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"mentorcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="the coming year's holidays and a worked deadline")
    demo.add_argument(
        "--today", type=_iso_date, default=datetime.date.today(), help="the day to start from (YYYY-MM-DD)"
    )
    demo.set_defaults(run=cmd_demo)

    holidays = commands.add_parser("holidays", help="the Danish public holidays of a year")
    holidays.add_argument("year", type=int, nargs="?", default=datetime.date.today().year)
    holidays.set_defaults(run=cmd_holidays)

    deadline = commands.add_parser("deadline", help="count working days from a date")
    deadline.add_argument("start", type=_iso_date, help="the day to count from (YYYY-MM-DD)")
    deadline.add_argument("days", type=int, help="working days to count (negative counts back)")
    deadline.add_argument(
        "--holidays-only",
        action="store_true",
        help="close only weekends and public holidays (not 5 June, 24 and 31 December)",
    )
    deadline.set_defaults(run=cmd_deadline)

    validate = commands.add_parser(
        "validate", help="check event logs: FILE:LINE: message per problem, exit 1 if any, 0 if none"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="event log (.jsonl or .jsonl.gz)")
    validate.add_argument("--reference", metavar="JSON", help="extra reference data (codes, instruments)")
    validate.set_defaults(run=cmd_validate)

    schema = commands.add_parser("schema", help="print the JSON Schema of an event-log line")
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except Error as error:
        print(f"mentorcore: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
