"""``report``: read event logs and write the report, one self-contained HTML file."""

from __future__ import annotations

import argparse
import gzip
import os
import stat
import sys
import time
from typing import Any

from .._summary_counts import GROUP_COLUMNS
from ..report import LANGUAGES
from ._common import iso_date, path_text, positive

_CHUNK = 1 << 20
_STEPS = ("reading", "summarising", "publishing", "drawing", "writing")


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "report",
        help="read event logs and write the report (one HTML file, Danish or English)",
        description="Reads event logs into a cohort, computes the KPIs and writes the report a "
        "head of department reads: one self-contained HTML file (no script, nothing fetched), "
        "readable on a phone and printable to A4, with small counts withheld (docs/report.md). "
        "Lines that cannot be read are left out with their courses and counted in the report's "
        "data-quality section (or stop the command with --strict). Exit status: 0 written, "
        "1 a problem with the data or the files, 2 a problem with the command line. Needs "
        "pip install 'mentorcore[report]'.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="event log (.jsonl or .jsonl.gz)")
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=True,
        help="the report to write (HTML); written in full or not at all",
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the day the data is drawn: nothing later counts, what runs then is censored "
        "(default: the last date in the logs)",
    )
    parser.add_argument(
        "--by",
        choices=GROUP_COLUMNS,
        help="compare groups of courses: " + ", ".join(GROUP_COLUMNS),
    )
    parser.add_argument(
        "--reference", metavar="JSON", help="extra reference data (codes, instruments)"
    )
    parser.add_argument(
        "--min-count",
        type=positive,
        default=5,
        metavar="N",
        help="withhold counts below N, and what would give them away (default 5)",
    )
    parser.add_argument("--title", metavar="TEXT", help="the report's title")
    parser.add_argument("--language", choices=LANGUAGES, default="da", help="da (default) or en")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first line that cannot be read (default: leave its course out and "
        "count it in the data-quality section)",
    )
    parser.set_defaults(run=run)


def _usage_error(message: str) -> int:
    print(f"python -m mentorcore report: error: {message}", file=sys.stderr)
    return 2


def _output_problem(path: str) -> str | None:
    """Why `path` cannot be written, checked before any work is done; None if it can."""
    if os.path.isdir(path):
        return f"-o {path_text(path)}: is a directory"
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        return f"-o {path_text(path)}: the directory {path_text(directory)} does not exist"
    if not os.access(directory, os.W_OK | os.X_OK):
        return f"-o {path_text(path)}: the directory {path_text(directory)} is not writable"
    return None


def _count_lines(paths: list[str]) -> int | None:
    """The lines in the files (gzip ones decompressed); None if one is not a regular file (a
    pipe can be read once only) or cannot be opened (the reader names it)."""
    total = 0
    for path in paths:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return None
            with open(path, "rb") as raw:
                compressed = raw.read(2) == b"\x1f\x8b"
            with gzip.open(path, "rb") if compressed else open(path, "rb") as file:
                last = b"\n"
                while chunk := file.read(_CHUNK):
                    total += chunk.count(b"\n")
                    last = chunk[-1:]
                total += last != b"\n"
        except (OSError, EOFError):
            return None
    return total


def run(args: argparse.Namespace) -> int:
    from ..report import _require

    problem = _output_problem(args.output)
    if problem is not None:
        return _usage_error(problem)
    try:
        _require()
    except ImportError as error:
        print(f"mentorcore: error: {error}", file=sys.stderr)
        return 1
    from tqdm import tqdm

    from ..cohort_reader import read_cohort
    from ..reference import ReferenceData
    from ..report import write
    from ..report._content import DataQuality

    started = time.perf_counter()
    reference = None
    if args.reference:
        reference = ReferenceData.builtin().extended(ReferenceData.from_json_file(args.reference))
    # disable=None: no bar unless stderr is a terminal.
    bar = tqdm(total=len(_STEPS), desc="reading", file=sys.stderr, disable=None, unit=" steps")
    try:
        if args.strict:
            cohort = read_cohort(args.files, reference=reference)
            quality = DataQuality(files=len(args.files), courses=len(cohort))
        else:
            result = read_cohort(args.files, reference=reference, on_error="collect")
            cohort = result.cohort
            quality = DataQuality.from_read_result(result, files=len(args.files))
        quality.lines = _count_lines(args.files)
        if len(cohort) == 0:
            bar.close()
            print(
                f"mentorcore: error: no course could be read from {len(args.files)} file(s)"
                f" ({sum(quality.rejected.values())} lines rejected; python -m mentorcore"
                " validate lists them)",
                file=sys.stderr,
            )
            return 1
        dates = cohort.date_range
        if args.as_of is not None and dates is not None and args.as_of < dates[0]:
            bar.close()
            return _usage_error(
                f"--as-of {args.as_of.isoformat()} is before the data begins"
                f" ({dates[0].isoformat()})"
            )

        def step(name: str) -> None:
            bar.set_description(name)
            bar.update(1)

        try:
            write(
                cohort,
                args.output,
                as_of=args.as_of,
                by=args.by,
                min_count=args.min_count,
                title=args.title,
                language=args.language,
                quality=quality,
                progress=step,
            )
        except OSError as error:
            bar.close()
            reason = error.strerror or type(error).__name__
            print(
                f"mentorcore: error: -o {path_text(args.output)}: cannot be written: {reason}",
                file=sys.stderr,
            )
            return 1
        bar.update(len(_STEPS) - bar.n)
    finally:
        bar.close()
    seconds = time.perf_counter() - started
    rejected = sum(quality.rejected.values())
    if rejected:
        print(
            f"mentorcore: {rejected:,} lines rejected and left out with their courses (counted in "
            "the report's data-quality section; python -m mentorcore validate lists them)",
            file=sys.stderr,
        )
    size = os.path.getsize(args.output)
    print(
        f"{path_text(args.output)}: the report of {len(cohort):,} courses"
        f" ({args.language}), {size / 1e6:,.1f} MB in {seconds:.1f} s"
    )
    return 0
