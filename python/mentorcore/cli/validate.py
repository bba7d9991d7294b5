"""``validate``: check event logs, one FILE:LINE: message per problem, exit 1 if any."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import synthetic
from .._render import count_text
from ..errors import Error
from ..interchange import read_events
from ..reference import ReferenceData
from ._common import path_text


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check event logs: FILE:LINE: message per problem, exit 1 if any, 0 if none",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="event log (.jsonl or .jsonl.gz)")
    parser.add_argument(
        "--reference", metavar="JSON", help="extra reference data (codes, instruments)"
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="use the synthetic generator's reference data (its rating scales); needed only for "
        "logs written without a header line (by older versions)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    reference = None
    if args.synthetic:
        reference = synthetic.reference()
    if args.reference:
        base = reference or ReferenceData.builtin()
        reference = base.extended(ReferenceData.from_json_file(args.reference))
    problems = 0
    for path in args.files:
        shown = path_text(path)  # a file name can hold a CPR number too
        try:
            result = read_events(path, reference=reference, on_error="collect")
        except Error as error:  # the file as a whole: cannot be opened, corrupt gzip
            print(error)
            problems += 1
            continue
        for rejected in result.rejected:
            print(f"{shown}:{rejected.line}: {rejected.message}")
        problems += len(result.rejected)
        if result.redacted_texts:
            # Not a problem (the texts were kept, with the number replaced), but never silent.
            print(
                f"{shown}: {count_text(result.redacted_texts, 'text')} with a CPR-shaped number "
                "replaced by [redacted: possible CPR number]",
                file=sys.stderr,
            )
        if not result.rejected:
            events = sum(len(course.events) for course in result.courses)
            print(
                f"{shown}: {len(result.courses)} courses, {events} events, no problems",
                file=sys.stderr,
            )
    return 1 if problems else 0
