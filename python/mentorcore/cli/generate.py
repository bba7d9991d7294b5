"""``generate``: write a synthetic municipality's event log."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ._common import add_synthetic_options, path_text, write_synthetic


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "generate",
        help="write a synthetic municipality's event log",
        description="Writes the event log of a synthetic municipality (docs/synthetic.md), "
        "generated on all cores, with a progress bar. The same seed gives the same bytes, "
        "whatever the number of threads. Its header line declares the rating scales the courses "
        "use, so mentorcore.read_events(path) reads it back with no other argument.",
    )
    add_synthetic_options(parser, default_courses=None)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="the event log to write; gzip-compressed if it ends in .gz. "
        "Written in full or not at all",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    summary = write_synthetic(args, args.output)
    seconds = time.perf_counter() - start
    print(
        f"{path_text(args.output)}: {summary.courses:,} courses, {summary.events:,} events, "
        f"{summary.bytes / 1e6:,.1f} MB in {seconds:.1f} s (seed {args.seed})"
    )
    print("Read it back with mentorcore.read_events(path),")
    print(f"or check it with: python -m mentorcore validate {path_text(args.output)}")
    return 0
