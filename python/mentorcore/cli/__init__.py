"""Command line: ``python -m mentorcore <command>``.

Commands:
  demo       a synthetic municipality: generate, write, read back and summarise
  generate   write a synthetic municipality's event log
  calendar   the coming year's public holidays and a worked deadline example
  holidays   the public holidays of a year
  deadline   count working days from a date, showing every day on the way
  validate   check an event log: one FILE:LINE: message per problem, exit 1 if any
  report     read event logs and write the report (one HTML file, Danish or English)
  schema     print the JSON Schema of an event-log line
  journal    keep courses in a journal: import, export, show a course, read the audit trail
  export     an event log's courses as FHIR R4 bundles, OCEL 2.0 JSON or XES
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from .._core import redact_personal_numbers
from ..errors import Error
from . import (
    calendar,
    deadline,
    demo,
    export,
    generate,
    holidays,
    journal,
    report,
    schema,
    validate,
)
from ._common import RedactedLines

__all__ = ["build_parser", "main"]

# In the order `--help` lists them.
_COMMANDS = (
    demo,
    generate,
    calendar,
    holidays,
    deadline,
    validate,
    report,
    schema,
    journal,
    export,
)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose errors (which echo the offending argument: "invalid int value:
    '0101901234'") are redacted like every other output. Subcommand parsers are of the same
    class (``add_subparsers`` makes them with ``type(self)``)."""

    def error(self, message: str) -> NoReturn:
        super().error(redact_personal_numbers(message))


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m mentorcore``: one subcommand per module of this package."""
    parser = _Parser(prog="python -m mentorcore", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"mentorcore {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in _COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; returns its exit status (1 for a mentorcore.Error, with its message)."""
    if sys.stdout is None:  # started with stdout closed (`>&-`): nowhere to write a result
        print("mentorcore: error: standard output is closed", file=sys.stderr)
        return 1
    # Every line printed, by any command or by argparse, is redacted as a whole.
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactedLines(stdout), RedactedLines(stderr)
    try:
        return _run(argv)
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # the reader went away: nothing more can be written
            pass
        sys.stdout, sys.stderr = stdout, stderr


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = int(args.run(args))
        # Flushed here, where a closed pipe is caught, rather than at exit, where it is not.
        sys.stdout.flush()
        return status
    except Error as error:
        # One line, whatever the message holds (a file name may contain a newline).
        message = " ".join(str(error).splitlines())
        print(f"mentorcore: error: {message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of the output went away (`| head`): no traceback, and nothing more to
        # write; stdout is pointed at /dev/null so that the flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
