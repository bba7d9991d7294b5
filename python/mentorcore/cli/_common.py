"""What several commands share: argument types, day formatting, the synthetic options and the
progress bar."""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from collections.abc import Callable
from typing import Any, TextIO

from .. import calendar as cal
from .. import synthetic
from .._core import redact_personal_numbers
from .._validate import _INT32_MAX

_WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class RedactedLines(io.TextIOBase):
    """A text stream that writes each line through `redact_personal_numbers` as a whole, so
    that pieces printed apart cannot join into a CPR number on the screen (a file named
    ``010190`` with a bad line 1234 printed as ``010190:1234: ...``). A line ends at a newline
    or a carriage return (progress bars); what is left at `flush` goes out as it is."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        end = max(self._pending.rfind("\n"), self._pending.rfind("\r")) + 1
        if end:
            done, self._pending = self._pending[:end], self._pending[end:]
            self._stream.write(redact_personal_numbers(done))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, ""
            self._stream.write(redact_personal_numbers(pending))
        self._stream.flush()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding


def path_text(path: object) -> str:
    """A file name as the commands print it: redacted, as a name can hold a CPR number."""
    return redact_personal_numbers(str(path))


def day_text(day: datetime.date) -> str:
    """ "Mon 2024-01-08"."""
    return f"{_WEEKDAYS[day.weekday()]} {day.isoformat()}"


def iso_date(text: str) -> datetime.date:
    """An argparse type: a date in the form YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"not a date in the form YYYY-MM-DD: {text!r}")
        ) from None


def _whole_number(text: str, least: int, most: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"not a whole number: {text!r}")
        ) from None
    if value < least:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"must be {least:,} or more: {value}")
        )
    if value > most:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"must be at most {most:,}: {value}")
        )
    return value


def positive(text: str, most: int = _INT32_MAX) -> int:
    """An argparse type: a whole number from 1 to `most` (by default the largest the compiled
    core takes, a 32-bit integer), so that a number out of range is a usage error too."""
    return _whole_number(text, 1, most)


def whole_number(least: int, most: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `least` to `most`. Out of range it is a usage
    error (exit 2, naming the option), not an error of the command once it runs (exit 1)."""

    def convert(text: str) -> int:
        return _whole_number(text, least, most)

    return convert


def _courses(text: str) -> int:
    """An argparse type: a number of synthetic courses, 1 to synthetic.MAX_COURSES."""
    return positive(text, synthetic.MAX_COURSES)


def municipality(text: str) -> int:
    """An argparse type: a three-digit municipality code."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"not a municipality code: {text!r}")
        ) from None
    if not 101 <= value <= 999:
        # Redacted: `--municipality 0101901234` is someone's CPR number typed in the wrong place.
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(f"a municipality code has three digits, 101-999: {value}")
        )
    return value


def policy(holidays_only: bool) -> cal.DeadlinePolicy:
    return cal.DeadlinePolicy.public_holidays_only() if holidays_only else cal.DeadlinePolicy()


def policy_text(holidays_only: bool) -> str:
    if holidays_only:
        return "only weekends and public holidays closed"
    return "the common deadline rule: weekends, public holidays, 5 June, 24 and 31 December closed"


def print_holidays(start: datetime.date, end: datetime.date) -> None:
    frame = cal.days_frame(start, end)
    named = frame[frame["holiday"].notna()]
    for date, name in zip(named["date"].dt.date, named["holiday"], strict=True):
        print(f"  {day_text(date)}  {name}")


def print_deadline(start: datetime.date, days: int, holidays_only: bool) -> datetime.date:
    """Counts `days` working days from `start`, printing every day on the way;
    returns the due day."""
    chosen = policy(holidays_only)
    due = cal.add_working_days(start, days, chosen)
    print(f"{days} working days after {day_text(start)} ({policy_text(holidays_only)}):")
    step = 1 if days >= 0 else -1
    count = 0
    day = start
    while day != due:
        day += datetime.timedelta(days=step)
        reason = cal.non_working_reason(day, chosen)
        if reason is None:
            count += 1
            print(f"  {day_text(day)}  working day {count}")
        else:
            print(f"  {day_text(day)}  closed: {reason}")
    print(f"  => due {day_text(due)}")
    return due


def _progress_bar(total: int, label: str) -> tuple[Any, Callable[[int], None]]:
    from tqdm import tqdm

    bar = tqdm(
        total=total, unit=" courses", unit_scale=True, desc=label, file=sys.stderr, disable=None
    )
    done = 0

    def update(courses: int) -> None:
        nonlocal done
        bar.update(courses - done)
        done = courses

    return bar, update


def write_synthetic(args: argparse.Namespace, path: str) -> synthetic.LogSummary:
    """Writes the synthetic municipality the options describe, with a progress bar."""
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


def add_synthetic_options(parser: argparse.ArgumentParser, default_courses: int | None) -> None:
    """The options of `generate` and `demo`."""
    if default_courses is None:
        parser.add_argument(
            "--courses",
            type=_courses,
            required=True,
            metavar="N",
            help="how many courses to generate",
        )
    else:
        parser.add_argument(
            "--courses",
            type=_courses,
            default=default_courses,
            metavar="N",
            help=f"how many courses to generate (default {default_courses:,})",
        )
    parser.add_argument(
        "--seed",
        type=whole_number(0, 2**64 - 1),
        default=1,
        metavar="S",
        help="random seed, 0 to 2**64-1 (default 1); "
        "the same seed gives the same courses and bytes",
    )
    parser.add_argument(
        "--first-order",
        type=iso_date,
        default=synthetic.FIRST_ORDER,
        metavar="DATE",
        help="earliest order date, 2020-01-01 or later "
        f"(default {synthetic.FIRST_ORDER.isoformat()})",
    )
    parser.add_argument(
        "--last-order",
        type=iso_date,
        default=synthetic.LAST_ORDER,
        metavar="DATE",
        help=f"latest order date (default {synthetic.LAST_ORDER.isoformat()})",
    )
    parser.add_argument(
        "--observation",
        type=iso_date,
        default=None,
        metavar="DATE",
        help="observation date: nothing later is recorded, so courses running then stay open "
        "(censored); not before --last-order (default: --last-order)",
    )
    parser.add_argument(
        "--municipality",
        dest="municipalities",
        type=municipality,
        action="append",
        metavar="CODE",
        help="a municipality code (101-999) to draw referrals from, with equal weights; "
        "repeat for more (default: København, Aarhus, Aalborg, Odense and Esbjerg, "
        "weighted by population)",
    )
    parser.add_argument(
        "--threads",
        type=whole_number(0, synthetic.MAX_THREADS),
        default=0,
        metavar="T",
        help="worker threads (default 0: one per core); the output does not depend on it",
    )
