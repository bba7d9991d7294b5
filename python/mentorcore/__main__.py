"""Command line: ``python -m mentorcore <command>``.

Commands:
  demo       a synthetic municipality: generate, write, read back and summarise
  generate   write a synthetic municipality's event log
  calendar   the coming year's public holidays and a worked deadline example
  holidays   the public holidays of a year
  deadline   count working days from a date, showing every day on the way
  validate   check an event log: one FILE:LINE: message per problem, exit 1 if any
  schema     print the JSON Schema of an event-log line
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from . import Error, __version__, synthetic
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


def cmd_calendar(args: argparse.Namespace) -> int:
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


def _progress_bar(total: int, label: str) -> tuple[Any, Callable[[int], None]]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit=" courses", unit_scale=True, desc=label, file=sys.stderr, disable=None)
    done = 0

    def update(courses: int) -> None:
        nonlocal done
        bar.update(courses - done)
        done = courses

    return bar, update


def _write_synthetic(args: argparse.Namespace, path: str) -> synthetic.LogSummary:
    bar, update = _progress_bar(args.courses, "generating")
    try:
        return synthetic.write(
            path,
            args.courses,
            args.seed,
            first_order=args.first_order,
            last_order=args.last_order,
            observation=args.observation,
            municipalities=args.municipalities,
            threads=args.threads,
            progress=update,
        )
    finally:
        bar.close()


def cmd_generate(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    summary = _write_synthetic(args, args.output)
    seconds = time.perf_counter() - start
    print(
        f"{args.output}: {summary.courses:,} courses, {summary.events:,} events, "
        f"{summary.bytes / 1e6:,.1f} MB in {seconds:.1f} s (seed {args.seed})"
    )
    print("Read it back with mentorcore.read_events(path, reference=mentorcore.synthetic.reference()),")
    print(f"or check it with: python -m mentorcore validate --synthetic {args.output}")
    return 0


def _share(numerator: float, denominator: float) -> str:
    if denominator == 0:
        return f"{numerator:,.0f} of 0"
    return f"{numerator:,.0f} of {denominator:,.0f} ({100 * numerator / denominator:.1f}%)"


def print_municipality_summary(courses: Sequence[Any], observation: datetime.date) -> None:
    rates = synthetic.rates(courses).set_index("measure")

    def share(measure: str) -> str:
        return _share(rates.at[measure, "numerator"], rates.at[measure, "denominator"])

    phases: dict[str, int] = {}
    for course in courses:
        phases[course.phase.name] = phases.get(course.phase.name, 0) + 1
    print(f"\nCourses by phase on {observation.isoformat()} ({len(courses):,} courses):")
    for name in ["referred", "pre_employment", "clarification", "work_trial", "retention", "closed"]:
        print(f"  {name:<28}{phases.get(name, 0):>32,}")
    print("\nClosed courses by outcome:")
    closures = rates[rates.index.str.startswith("closure.")].sort_values("numerator", ascending=False)
    for measure, row in closures.iterrows():
        print(f"  {str(measure)[8:]:<28}{_share(row['numerator'], row['denominator']):>32}")
    print(f"  still open (censored): {share('courses.open_at_observation')}")

    print("\nContacts:", f"{rates.at['contacts.per_started_course', 'numerator']:,.0f}",
          f"({rates.at['contacts.per_started_course', 'rate']:.1f} per started course)")
    for measure in ["attended", "no_show", "cancelled_by_citizen_late"]:
        print(f"  {measure.replace('_', ' '):<28}{share('contacts.' + measure):>32}")
    print(f"  {'home visits, months 0-2':<28}{share('home_visits.months_0_2'):>32}")
    print(f"  {'home visits, months 6+':<28}{share('home_visits.months_6_on'):>32}")

    handovers = rates.at["handover.acknowledged", "denominator"]
    print(f"\nHandovers: {handovers:,.0f}")
    for kind in ["warm", "verbal_and_written", "written_only", "unplanned"]:
        print(f"  {kind.replace('_', ' '):<28}{share('handover.' + kind):>32}")
    for measure in ["acknowledged", "rejected", "revoked", "acknowledged_after_10_days"]:
        print(f"  {measure.replace('_', ' '):<28}{share('handover.' + measure):>32}")
    print(f"  {'withheld something':<28}{share('handover.with_items_withheld'):>32}")
    print("  knowledge items withheld (no active consent covered them):", share("handover_items.withheld"))
    categories = rates[rates.index.str.startswith("handover_items.withheld.")]
    print("    by data category:", ", ".join(
        f"{str(measure)[24:].replace('_', ' ')} {row['numerator']:,.0f}" for measure, row in categories.iterrows()))
    print("  knowledge items dropped (left out by the sender):", share("handover_items.dropped"))


def cmd_demo(args: argparse.Namespace) -> int:
    import tempfile

    from .interchange import read_events

    print(f"mentorcore {__version__}: a synthetic municipality\n")
    observation = args.observation or args.last_order
    print(
        f"{args.courses:,} courses (seed {args.seed}), ordered {args.first_order.isoformat()} to "
        f"{args.last_order.isoformat()}, observed on {observation.isoformat()}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        path = args.output or os.path.join(scratch, "events.jsonl.gz")
        start = time.perf_counter()
        summary = _write_synthetic(args, path)
        written = time.perf_counter() - start
        print(f"Generated and wrote {path}: {summary.events:,} events, {summary.bytes / 1e6:,.1f} MB in {written:.1f} s")
        start = time.perf_counter()
        courses = read_events(path, reference=synthetic.reference())
        read = time.perf_counter() - start
        print(f"Read back in {read:.1f} s: {len(courses):,} courses, every event re-validated")
    print_municipality_summary(courses, observation)
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
    if args.synthetic:
        reference = synthetic.reference()
    if args.reference:
        base = reference or ReferenceData.builtin()
        reference = base.extended(ReferenceData.from_json_file(args.reference))
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


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def _municipality(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a municipality code: {text!r}") from None
    if not 101 <= value <= 999:
        raise argparse.ArgumentTypeError(f"a municipality code has three digits, 101-999: {value}")
    return value


def _synthetic_options(parser: argparse.ArgumentParser, default_courses: int | None) -> None:
    if default_courses is None:
        parser.add_argument("--courses", type=_positive, required=True, metavar="N", help="how many courses to generate")
    else:
        parser.add_argument(
            "--courses", type=_positive, default=default_courses, metavar="N",
            help=f"how many courses to generate (default {default_courses:,})",
        )
    parser.add_argument(
        "--seed", type=int, default=1, metavar="S",
        help="random seed, 0 to 2**64-1 (default 1); the same seed gives the same courses and bytes",
    )
    parser.add_argument(
        "--first-order", type=_iso_date, default=synthetic.FIRST_ORDER, metavar="DATE",
        help=f"earliest order date, 2020-01-01 or later (default {synthetic.FIRST_ORDER.isoformat()})",
    )
    parser.add_argument(
        "--last-order", type=_iso_date, default=synthetic.LAST_ORDER, metavar="DATE",
        help=f"latest order date (default {synthetic.LAST_ORDER.isoformat()})",
    )
    parser.add_argument(
        "--observation", type=_iso_date, default=None, metavar="DATE",
        help="observation date: nothing later is recorded, so courses running then stay open "
        "(censored); not before --last-order (default: --last-order)",
    )
    parser.add_argument(
        "--municipality", dest="municipalities", type=_municipality, action="append", metavar="CODE",
        help="a municipality code (101-999) to draw referrals from, with equal weights; repeat for more "
        "(default: København, Aarhus, Aalborg, Odense and Esbjerg, weighted by population)",
    )
    parser.add_argument(
        "--threads", type=int, default=0, metavar="T",
        help="worker threads (default 0: one per core); the output does not depend on it",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m mentorcore", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"mentorcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="a synthetic municipality: generate, write, read back, summarise",
        description="Generates a synthetic municipality, writes its event log, reads it back (re-validating "
        "every event) and prints courses by phase and outcome, contacts, and handovers with what they withheld.",
    )
    _synthetic_options(demo, default_courses=20_000)
    demo.add_argument("-o", "--output", metavar="FILE", help="keep the event log here (default: a temporary file)")
    demo.set_defaults(run=cmd_demo)

    generate = commands.add_parser(
        "generate",
        help="write a synthetic municipality's event log",
        description="Writes the event log of a synthetic municipality (docs/synthetic.md), generated on all "
        "cores, with a progress bar. The same seed gives the same bytes, whatever the number of threads. "
        "Read it back with reference=mentorcore.synthetic.reference(), which defines its rating scales.",
    )
    _synthetic_options(generate, default_courses=None)
    generate.add_argument(
        "-o", "--output", metavar="FILE", required=True,
        help="the event log to write; gzip-compressed if it ends in .gz. Written in full or not at all",
    )
    generate.set_defaults(run=cmd_generate)

    calendar = commands.add_parser("calendar", help="the coming year's holidays and a worked deadline")
    calendar.add_argument(
        "--today", type=_iso_date, default=datetime.date.today(), help="the day to start from (YYYY-MM-DD)"
    )
    calendar.set_defaults(run=cmd_calendar)

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
    validate.add_argument(
        "--synthetic", action="store_true", help="use the synthetic generator's reference data (its rating scales)"
    )
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
