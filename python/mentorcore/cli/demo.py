"""``demo``: a synthetic municipality, generated, written, read back and summarised."""

from __future__ import annotations

import argparse
import datetime
import os
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from .. import __version__, synthetic
from ..interchange import read_events
from ._common import add_synthetic_options, write_synthetic


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "demo",
        help="a synthetic municipality: generate, write, read back, summarise",
        description="Generates a synthetic municipality, writes its event log, reads it back "
        "(re-validating every event) and prints courses by phase and outcome, contacts, and "
        "handovers with what they withheld.",
    )
    add_synthetic_options(parser, default_courses=20_000)
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="keep the event log here (default: a temporary file)"
    )
    parser.set_defaults(run=run)


def _share(numerator: float, denominator: float) -> str:
    if denominator == 0:
        return f"{numerator:,.0f} of 0"
    return f"{numerator:,.0f} of {denominator:,.0f} ({100 * numerator / denominator:.1f}%)"


def print_municipality_summary(courses: Sequence[Any], observation: datetime.date) -> None:
    """Courses by phase and outcome, contacts, and handovers with what they withheld."""
    rates = synthetic.rates(courses).set_index("measure")

    def share(measure: str) -> str:
        return _share(rates.at[measure, "numerator"], rates.at[measure, "denominator"])

    phases: dict[str, int] = {}
    for course in courses:
        phases[course.phase.name] = phases.get(course.phase.name, 0) + 1
    print(f"\nCourses by phase on {observation.isoformat()} ({len(courses):,} courses):")
    for name in [
        "referred",
        "pre_employment",
        "clarification",
        "work_trial",
        "retention",
        "closed",
    ]:
        print(f"  {name:<28}{phases.get(name, 0):>32,}")
    print("\nClosed courses by outcome:")
    closures = rates[rates.index.str.startswith("closure.")].sort_values(
        "numerator", ascending=False
    )
    for measure, row in closures.iterrows():
        print(f"  {str(measure)[8:]:<28}{_share(row['numerator'], row['denominator']):>32}")
    print(f"  still open (censored): {share('courses.open_at_observation')}")

    print(
        "\nContacts:",
        f"{rates.at['contacts.per_started_course', 'numerator']:,.0f}",
        f"({rates.at['contacts.per_started_course', 'rate']:.1f} per started course)",
    )
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
    print(
        "  knowledge items withheld (no active consent covered them):",
        share("handover_items.withheld"),
    )
    categories = rates[rates.index.str.startswith("handover_items.withheld.")]
    print(
        "    by data category:",
        ", ".join(
            f"{str(measure)[24:].replace('_', ' ')} {row['numerator']:,.0f}"
            for measure, row in categories.iterrows()
        ),
    )
    print("  knowledge items dropped (left out by the sender):", share("handover_items.dropped"))


def run(args: argparse.Namespace) -> int:
    print(f"mentorcore {__version__}: a synthetic municipality\n")
    observation = args.observation or args.last_order
    print(
        f"{args.courses:,} courses (seed {args.seed}), ordered {args.first_order.isoformat()} to "
        f"{args.last_order.isoformat()}, observed on {observation.isoformat()}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        path = args.output or os.path.join(scratch, "events.jsonl.gz")
        start = time.perf_counter()
        summary = write_synthetic(args, path)
        written = time.perf_counter() - start
        print(
            f"Generated and wrote {path}: {summary.events:,} events, "
            f"{summary.bytes / 1e6:,.1f} MB in {written:.1f} s"
        )
        start = time.perf_counter()
        courses = read_events(path, reference=synthetic.reference())
        read = time.perf_counter() - start
        print(f"Read back in {read:.1f} s: {len(courses):,} courses, every event re-validated")
    print_municipality_summary(courses, observation)
    return 0
