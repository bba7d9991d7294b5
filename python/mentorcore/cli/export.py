"""``export``: an event log as FHIR R4 bundles, OCEL 2.0 or XES (docs/exports.md)."""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

from .._render import count_text
from .._validate import file_to_write, invalid, unwritable
from ..fhir import to_fhir
from ..interchange import read_events
from ..process_mining import to_ocel, to_xes
from ..reference import ReferenceData
from ._common import path_text


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "export",
        help="write an event log's courses as FHIR R4 bundles, OCEL 2.0 JSON or XES",
        description="Reads an event log and writes its courses in a standard format: "
        "--fhir writes one FHIR R4 Bundle per course into the directory -o (COURSE.json); "
        "--ocel and --xes write one object-centric (OCEL 2.0 JSON) or one XES event log, "
        "with no free text, to the file -o. See docs/exports.md.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--fhir", metavar="FILE", help="event log to export as FHIR bundles")
    source.add_argument("--ocel", metavar="FILE", help="event log to export as OCEL 2.0 JSON")
    source.add_argument("--xes", metavar="FILE", help="event log to export as XES")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        required=True,
        help="the directory of the bundles (--fhir, created if missing), or the file to write",
    )
    parser.add_argument(
        "--reference", metavar="JSON", help="extra reference data (codes, instruments)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    reference = None
    if args.reference:
        reference = ReferenceData.builtin().extended(ReferenceData.from_json_file(args.reference))
    source = args.fhir or args.ocel or args.xes
    # The output is checked before the log is read, so that a wrong -o costs no time.
    if not args.fhir:
        file_to_write(args.output)
    elif os.path.exists(args.output) and not os.path.isdir(args.output):
        raise invalid(
            "path", args.output, "is not a directory; --fhir writes one bundle per course into -o"
        )
    courses = read_events(source, reference=reference)
    assert isinstance(courses, list)
    if args.fhir:
        try:
            os.makedirs(args.output, exist_ok=True)
        except OSError as error:  # e.g. -o names a file
            raise unwritable(args.output, error) from None
        for course in courses:
            # Course ids hold only A-Z a-z 0-9 _ . : -, so the name stays inside the directory.
            target = os.path.join(args.output, f"{course.id}.json")
            try:
                with open(target, "w", encoding="utf-8") as out:
                    json.dump(to_fhir(course), out, ensure_ascii=False, indent=1)
                    out.write("\n")
            except OSError as error:
                raise unwritable(target, error) from None
        what = count_text(len(courses), "FHIR bundle")
    elif args.ocel:
        to_ocel(courses, args.output)
        what = f"OCEL 2.0 log of {count_text(len(courses), 'course')}"
    else:
        to_xes(courses, args.output)
        what = f"XES log of {count_text(len(courses), 'course')}"
    seconds = time.perf_counter() - start
    print(f"{path_text(args.output)}: {what} in {seconds:.1f} s")
    return 0
