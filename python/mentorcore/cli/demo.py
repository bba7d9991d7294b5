"""``demo``: a synthetic municipality, generated, written, read back and summarised."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from .. import __version__, synthetic
from ..report import LANGUAGES
from ._common import add_synthetic_options, path_text, write_synthetic

# The demo's municipality: Odense buys from two providers (docs/synthetic.md, "Effects").
_DEMO_MUNICIPALITY = 461


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "demo",
        help="a synthetic municipality: generate, write, read back, report",
        description="Generates a synthetic municipality (by default Odense, 461, with its two "
        "providers), writes its event log, reads it back into a cohort (re-validating every "
        "event), writes the report grouped by provider, and prints the headline KPIs. Needs pip "
        "install 'mentorcore[report]'.",
    )
    add_synthetic_options(parser, default_courses=20_000)
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="keep the event log here (default: a temporary file)"
    )
    parser.add_argument(
        "--report",
        metavar="FILE",
        default="mentorcore-demo-report.html",
        help="write the report here (default: mentorcore-demo-report.html)",
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        default="da",
        help="the report's language (default: da)",
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


# The headline KPIs the demo prints (the report has all of them).
_HEADLINES = (
    ("exits_closed.job", "closed to an ordinary job", "share"),
    ("exits_closed.education", "closed to education", "share"),
    ("time_to_work_or_education.work_or_education_12m", "work or education by 12 months", "share"),
    ("retention.6m", "still in work or education 6 months on", "share"),
    ("home_visit_share.01", "contacts at home, month 1", "share"),
    ("home_visit_share.06", "contacts at home, month 6", "share"),
    ("hours_utilisation", "hours delivered per hour granted", "ratio"),
    ("handovers_acknowledged", "handovers acknowledged", "share"),
)


def _count_cell(count: Any) -> str:
    """A count of the publishable summary, or "-" where it is withheld (NA)."""
    try:
        return f"{int(count):>14,}"
    except (TypeError, ValueError):  # pandas.NA: withheld as a small count
        return f"{'-':>14}"


def print_headlines(summary: Any) -> None:
    """The headline KPIs of a publishable summary grouped by provider, a column per provider."""
    kpis = summary.kpis()
    groups = ["(none)" if key[0] is None else str(key[0]) for key in summary.groups]
    print(f"\n{'headline KPIs (small counts withheld)':<44}" + "".join(f"{g:>14}" for g in groups))
    courses = summary.table("exits")["courses"]
    print(f"{'courses':<44}" + "".join(_count_cell(n) for n in courses))
    for kpi, label, kind in _HEADLINES:
        rows = kpis[kpis.kpi == kpi]
        cells = []
        for value, withheld in zip(rows["value"], rows["suppressed"], strict=True):
            if withheld or value != value:
                cells.append(f"{'-':>14}")
            elif kind == "share":
                cells.append(f"{100 * value:>13.1f}%")
            else:
                cells.append(f"{value:>14.2f}")
        print(f"{label:<44}" + "".join(cells))


def run(args: argparse.Namespace) -> int:
    from ..cohort_reader import read_cohort
    from ..report import _require, write
    from ..report._content import DataQuality

    started = time.perf_counter()
    print(f"mentorcore {__version__}: a synthetic municipality, its event log and its report\n")
    observation = args.observation or args.last_order
    municipalities = args.municipalities or [_DEMO_MUNICIPALITY]
    args.municipalities = municipalities
    print(
        f"{args.courses:,} courses (seed {args.seed}) in municipality "
        f"{', '.join(str(m) for m in municipalities)}, ordered {args.first_order.isoformat()} to "
        f"{args.last_order.isoformat()}, observed on {observation.isoformat()}"
    )
    try:
        _require()
    except ImportError as error:
        print(f"mentorcore: error: {error}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        path = args.output or os.path.join(scratch, "events.jsonl.gz")
        start = time.perf_counter()
        log = write_synthetic(args, path)
        print(
            f"Generated and wrote {path}: {log.events:,} events, "
            f"{log.bytes / 1e6:,.1f} MB in {time.perf_counter() - start:.1f} s"
        )
        print("Reading the log back into a cohort ...", flush=True)
        start = time.perf_counter()
        result = read_cohort(path, reference=synthetic.reference(), on_error="collect")
        cohort = result.cohort
        print(
            f"Read back into a cohort in {time.perf_counter() - start:.1f} s: {len(cohort):,} "
            f"courses, {cohort.rows('contacts'):,} contacts, every event re-validated "
            f"({len(result.rejected)} lines rejected)"
        )
    report_path = args.report
    print("Writing the report (KPIs, suppression, figures) ...", flush=True)
    start = time.perf_counter()
    write(
        cohort,
        report_path,
        as_of=observation,
        by="provider",
        min_count=5,
        title=None,
        language=args.language,
        quality=DataQuality.from_read_result(result, files=1),
    )
    print(f"Wrote the report ({args.language}) in {time.perf_counter() - start:.1f} s")
    print_headlines(cohort.summary(as_of=observation, by="provider").publishable(min_count=5))
    print(f"\nThe report: {path_text(report_path)}")
    print(f"Demo finished in {time.perf_counter() - started:.0f} s")
    return 0
