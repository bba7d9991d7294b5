"""``journal``: keep courses in a journal (docs/embedding.md): import and export event logs,
show a course, read the audit trail."""

from __future__ import annotations

import argparse
import datetime
import sys
from typing import Any

from .. import synthetic
from .._core import redact_personal_numbers
from .._render import count_text
from ..journal import AUDIT_ACTIONS, Journal
from ..reference import ReferenceData
from ._common import iso_date, path_text

_DESCRIPTION = (
    "A journal keeps courses durably in one SQLite file: every event is validated against its "
    "course before it is stored, and every read or export of a course is recorded in an audit "
    "trail with who read it and why (--actor and --purpose, both required for show and export). "
    "CPR numbers in an imported log are pseudonymised with the key in MENTORCORE_PSEUDONYM_KEY "
    "and never stored."
)


def _utc_time(text: str) -> datetime.datetime:
    """An argparse type: a date (YYYY-MM-DD, midnight UTC) or an ISO 8601 time; a time
    without a zone is taken as UTC, the audit trail's zone."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            redact_personal_numbers(
                f"not a date (YYYY-MM-DD) or an ISO 8601 time (2026-11-30T09:15:00Z): {text!r}"
            )
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def _add_access(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--actor",
        required=True,
        metavar="ID",
        help="who reads: the staff id or system account recorded in the audit trail",
    )
    parser.add_argument(
        "--purpose",
        required=True,
        metavar="TEXT",
        help='why, in your own words, recorded in the audit trail (e.g. "handover to new mentor")',
    )


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "journal",
        help="keep courses in a journal: import, export, show a course, read the audit trail",
        description=_DESCRIPTION,
    )
    actions = parser.add_subparsers(dest="journal_command", required=True, metavar="ACTION")

    importing = actions.add_parser(
        "import",
        help="store the courses of event logs in a journal (created if missing)",
        description="Stores every course of each event log (plain or .gz) in the journal, one "
        "file per transaction: a bad line, a course already in the journal or reference data "
        "the journal does not have stores nothing of that file, and exits 1. A new journal "
        "checks courses against the built-in reference data, plus --synthetic's or "
        "--reference's; an existing one keeps its own.",
    )
    importing.add_argument("journal", metavar="JOURNAL", help="the journal file")
    importing.add_argument(
        "files", nargs="+", metavar="FILE", help="event log (.jsonl or .jsonl.gz)"
    )
    importing.add_argument(
        "--reference",
        metavar="JSON",
        help="extra reference data (codes, instruments) for a new journal",
    )
    importing.add_argument(
        "--synthetic",
        action="store_true",
        help="a new journal uses the synthetic generator's reference data (its rating scales), "
        "as logs written by `generate` need",
    )
    importing.set_defaults(run=_run_import)

    exporting = actions.add_parser(
        "export",
        help="write courses of a journal to an event log (audited)",
        description="Writes the journal's courses (all, or those given with --course) to an "
        "event log, byte for byte what mentorcore.write_events writes for them (.gz: gzip). "
        "The export is recorded in the audit trail.",
    )
    exporting.add_argument("journal", metavar="JOURNAL", help="the journal file")
    exporting.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="the event log to write"
    )
    exporting.add_argument(
        "--course",
        dest="courses",
        action="append",
        metavar="ID",
        help="a course to export; repeat for more (default: every course)",
    )
    _add_access(exporting)
    exporting.set_defaults(run=_run_export)

    showing = actions.add_parser(
        "show",
        help="print a course as it stands, or as it stood on a date (audited)",
        description="Prints one course (pseudonymous: the citizen key, never a CPR number): its "
        "phases, counts and every event. The read is recorded in the audit trail.",
    )
    showing.add_argument("journal", metavar="JOURNAL", help="the journal file")
    showing.add_argument("course", metavar="COURSE", help="the course id")
    showing.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="show the course as it stood at the end of this day (YYYY-MM-DD)",
    )
    _add_access(showing)
    showing.set_defaults(run=_run_show)

    auditing = actions.add_parser(
        "audit",
        help="print the audit trail: who read or exported which courses, when and why",
        description="Prints the audit trail, oldest entry first, one tab-separated line per "
        "read or export: sequence, time (UTC), actor, action, courses (or the scope), purpose. "
        "Every filter given must match. Reading the trail is not itself audited (it holds ids, "
        "never course data), so --actor here is a filter, not the reader.",
    )
    auditing.add_argument("journal", metavar="JOURNAL", help="the journal file")
    auditing.add_argument("--actor", metavar="ID", help="only entries of this actor")
    auditing.add_argument(
        "--course", metavar="ID", help="only entries that read this course (or every course)"
    )
    auditing.add_argument("--action", choices=AUDIT_ACTIONS, help="only entries of this action")
    auditing.add_argument(
        "--since",
        type=_utc_time,
        metavar="TIME",
        help="only entries at or after this date or ISO 8601 time (UTC unless a zone is given)",
    )
    auditing.add_argument(
        "--until",
        type=_utc_time,
        metavar="TIME",
        help="only entries before this date or ISO 8601 time (UTC unless a zone is given)",
    )
    auditing.set_defaults(run=_run_audit)


def _run_import(args: argparse.Namespace) -> int:
    reference: ReferenceData | None = None
    if args.synthetic:
        reference = synthetic.reference()
    if args.reference:
        base = reference or ReferenceData.builtin()
        reference = base.extended(ReferenceData.from_json_file(args.reference))
    with Journal(args.journal, reference=reference) as journal:
        for path in args.files:
            result = journal.import_log(path)
            print(
                f"{path_text(path)}: {count_text(result.courses, 'course')}, "
                f"{count_text(result.events, 'event')} stored in {path_text(args.journal)}"
            )
            if result.redacted_texts:
                print(
                    f"{path_text(path)}: {count_text(result.redacted_texts, 'text')} with a "
                    "CPR-shaped number replaced by [redacted: possible CPR number]",
                    file=sys.stderr,
                )
    return 0


def _run_export(args: argparse.Namespace) -> int:
    with Journal(args.journal, create=False) as journal:
        journal.export_log(
            args.output, actor=args.actor, purpose=args.purpose, courses=args.courses
        )
        count = len(args.courses) if args.courses else len(journal)
    print(f"{path_text(args.output)}: {count_text(count, 'course')} written")
    return 0


def _run_show(args: argparse.Namespace) -> int:
    with Journal(args.journal, create=False) as journal:
        if args.as_of is None:
            course = journal.course(args.course, actor=args.actor, purpose=args.purpose)
        else:
            course = journal.course_as_of(
                args.course, args.as_of, actor=args.actor, purpose=args.purpose
            )
    if args.as_of is not None:
        print(f"As of {args.as_of.isoformat()}:")
    # Both texts come from the course, whose every text had CPR-shaped numbers replaced on
    # the way in; redacted again all the same, as every output of the command line is.
    print(redact_personal_numbers(str(course)))
    print(f"{count_text(len(course.events), 'event')}:")
    for event in course.events:
        print(
            redact_personal_numbers(
                f"  {event.date.isoformat()}  {event.type}  by {event.recorded_by}"
            )
        )
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    with Journal(args.journal, create=False, read_only=True) as journal:
        rows = journal._audit_rows(args.actor, args.course, args.action, args.since, args.until)
    print("sequence\tat\tactor\taction\tcourses\tpurpose")
    for row in rows:
        what = ",".join(row["courses"])
        if row["scope"]:
            what = f"{what} ({row['scope']})" if what else row["scope"]
        line = "\t".join(
            [str(row["sequence"]), row["at"], row["actor"], row["action"], what, row["purpose"]]
        )
        # One line per entry whatever the purpose holds.
        print(redact_personal_numbers(" ".join(line.splitlines())))
    return 0
