"""Text and HTML faces of mentorcore objects, kept apart from the objects and tested against
golden files. Every result type has three: ``__repr__`` (mechanical: the type and its values),
``__str__`` (a readable text table) and ``_repr_html_`` (the same table for Jupyter)."""

from __future__ import annotations

import datetime
import enum
import html
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import _core
from ._format import number_text

MAX_ROWS = 20
"""Rows a text or HTML table of many items shows before it says how many more there are."""


def value_text(value: object) -> str:
    """A value as a reader wants it: enums by name, dates in ISO form, numbers without noise."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _table_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return lines


def _table_html(
    header: Sequence[str], rows: Sequence[Sequence[str]], css: str, caption: str = ""
) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    return f'<table class="{css}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def record_text(record: Any) -> str:
    """A record (a NamedTuple) as "Type" and one "field  value" line per field."""
    rows = [(name, value_text(getattr(record, name))) for name in record._fields]
    return records_text(type(record).__name__, ("", ""), rows)


def record_html(record: Any) -> str:
    """A record as a two-column HTML table captioned with its type."""
    rows = [(name, value_text(getattr(record, name))) for name in record._fields]
    return _table_html(("field", "value"), rows, "mentorcore-record", type(record).__name__)


def records_text(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], total: int | None = None
) -> str:
    """A titled table of at most MAX_ROWS rows, then how many more
    (of `total`, default len(rows))."""
    shown = [list(r) for r in rows[:MAX_ROWS]]
    more = (len(rows) if total is None else total) - len(shown)
    table = _table_text(header, shown)
    if not any(header):  # a list of "name  value" lines: no header line
        table = table[1:]
    lines = [title, *("  " + line for line in table)]
    if more > 0:
        lines.append(f"  ... {more:,} more")
    return "\n".join(lines)


def records_html(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    css: str,
    total: int | None = None,
) -> str:
    """The same table as records_text, in HTML."""
    shown = [list(r) for r in rows[:MAX_ROWS]]
    more = (len(rows) if total is None else total) - len(shown)
    tail = f"<p>&hellip; {more:,} more</p>" if more > 0 else ""
    return f'<div class="{css}">' + _table_html(header, shown, css, title) + tail + "</div>"


def count_text(n: int, noun: str, plural: str = "") -> str:
    """ "1 course", "1,000 courses" ("1 entry", "2 entries" with `plural`)."""
    return f"{n:,} " + (noun if n == 1 else plural or noun + "s")


def short_list(items: Iterable[str], limit: int = 3) -> str:
    """ "a, b, c, ... (12 in all)" for a long list."""
    listed = list(items)
    if len(listed) <= limit + 1:
        return ", ".join(listed)
    return ", ".join(listed[:limit]) + f", ... ({len(listed):,} in all)"


def transitions_rows(transitions: np.ndarray[Any, Any]) -> tuple[list[str], list[list[str]]]:
    """A stage trajectory's transition counts labelled by stage: only the stages that occur."""
    stages = [s.name for s in _core.Stage]
    counts = np.asarray(transitions)
    used = [i for i in range(len(stages)) if counts[i, :].any() or counts[:, i].any()]
    header = ["from \\ to", *(stages[j] for j in used)]
    rows = [[stages[i], *(str(int(counts[i, j])) for j in used)] for i in used]
    return header, rows


def _timeline_steps(course: _core.Course) -> list[tuple[str, str, str, str]]:
    """(phase, start, end, reason) per phase period, dates as ISO text ('' while open)."""
    c = course.phase_columns()
    return [
        (
            _core.Phase(int(code)).name,
            value_text(start.item()),
            "" if np.isnat(end) else value_text(end.item()),
            reason,
        )
        for code, start, end, reason in zip(
            c["phase"], c["start"], c["end"], c["reason"], strict=True
        )
    ]


def _counts(course: _core.Course) -> tuple[int, int, int]:
    contacts = course.contact_columns()
    attended = int(np.count_nonzero(np.asarray(contacts["attendance"]) == 0))
    return len(contacts["mentor"]), attended, len(course.grant_columns()["grant"])


def hours_text(course: _core.Course) -> str:
    """ "45.7 of 60.0 hours delivered": billable hours delivered of the hours granted up to the
    course's observation date (a grant counts only while the course is open), then, where the
    grants planned more (a course closed before its grant ended, or observed before), "(104.4
    planned)"."""
    usage = course.grant_columns()
    granted = float(np.sum(usage["hours_granted"]))
    delivered = float(np.sum(usage["hours_delivered"]))
    planned = float(np.sum(usage["hours_planned"]))
    text = f"{delivered:.1f} of {granted:.1f} hours delivered"
    if f"{planned:.1f}" != f"{granted:.1f}":
        text += f" ({planned:.1f} planned)"
    return text


def course_repr(course: _core.Course) -> str:
    """One line: identity, then the phase timeline, then counts."""
    timeline = " -> ".join(f"{phase} {start}" for phase, start, _, _ in _timeline_steps(course))
    if course.closure_reason is not None:
        timeline += f" ({course.closure_reason.name})"
    if course.is_paused:
        timeline += " [paused]"
    contacts, attended, grants = _counts(course)
    return (
        f"<Course {course.id} citizen={course.citizen} "
        f"municipality={course.municipality}: {timeline}; "
        f"{contacts} contacts ({attended} attended), {grants} grants, {len(course.events)} events>"
    )


def course_text(course: _core.Course) -> str:
    """The course's phases as a table, with counts, hours and milestones."""
    contacts, attended, grants = _counts(course)
    status = course.phase.name + (" (paused)" if course.is_paused else "")
    milestones = (
        ", ".join(f"{m.milestone.name} {m.date.isoformat()}" for m in course.milestones())
        or "none yet"
    )
    title = (
        f"Course {course.id} (citizen {course.citizen}, "
        f"municipality {course.municipality}), now {status}"
    )
    table = records_text(
        title, ("phase", "from", "until", "reason"), [list(s) for s in _timeline_steps(course)]
    )
    return (
        f"{table}\n  {contacts} contacts ({attended} attended); {grants} grants: "
        f"{hours_text(course)}; milestones: {milestones}"
    )


def course_html(course: _core.Course) -> str:
    """A compact timeline table for Jupyter."""
    e = html.escape
    contacts, attended, grants = _counts(course)
    rows = []
    for phase, start, end, reason in _timeline_steps(course):
        rows.append(
            f"<tr><td><b>{e(phase)}</b></td><td>{e(start)}</td>"
            f"<td>{e(end) or '&hellip;'}</td><td>{e(reason)}</td></tr>"
        )
    status = course.phase.name + (" (paused)" if course.is_paused else "")
    milestones = (
        ", ".join(f"{m.milestone.name} {m.date.isoformat()}" for m in course.milestones())
        or "none yet"
    )
    extra = ""
    trajectories = course.stage_trajectories()
    if trajectories:
        stages = ", ".join(
            f"{e(t.behaviour)}: {t.current.name} since {t.since.isoformat()}" for t in trajectories
        )
        extra += f"<p>stages: {stages}</p>"
    latest = course.latest_rating_totals()
    if len(latest["instrument"]):
        ratings = ", ".join(
            f"{e(name)} {number_text(float(total))} ({value_text(day.item())})"
            for name, day, total in zip(
                latest["instrument"], latest["date"], latest["total"], strict=True
            )
        )
        extra += f"<p>latest ratings: {ratings}</p>"
    return (
        '<div class="mentorcore-course">'
        f"<p><b>Course {e(course.id)}</b> &middot; citizen {e(course.citizen)} &middot; "
        f"municipality {course.municipality} &middot; now <b>{e(status)}</b></p>"
        "<table><thead><tr><th>phase</th><th>from</th><th>until</th><th>reason</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p>{contacts} contacts ({attended} attended) &middot; {grants} grants: "
        f"{e(hours_text(course))} &middot; milestones: {e(milestones)}</p>"
        f"{extra}"
        "</div>"
    )


def handover_html(markdown: str) -> str:
    """A handover's Markdown as HTML for Jupyter: headings, list items and paragraphs (the only
    constructs handover_markdown produces), every text escaped."""
    e = html.escape
    parts = ['<div class="mentorcore-handover">']
    in_list = False
    for line in markdown.splitlines():
        is_item = line.startswith("- ")
        if in_list and not is_item:
            parts.append("</ul>")
            in_list = False
        if not line.strip():
            continue
        if line.startswith("### "):
            parts.append(f"<h4>{e(line[4:])}</h4>")
        elif line.startswith("## "):
            parts.append(f"<h3>{e(line[3:])}</h3>")
        elif line.startswith("# "):
            parts.append(f"<h2>{e(line[2:])}</h2>")
        elif is_item:
            if not in_list:
                parts.append("<ul>")
                in_list = True
            item = line[2:]
            if item.startswith("[ ] "):
                item = "&#9744; " + e(item[4:])
            else:
                item = e(item)
            parts.append(f"<li>{item}</li>")
        else:
            parts.append(f"<p>{e(line)}</p>")
    if in_list:
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _field_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_field_text(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_field_text(v)}" for k, v in value.items()) + "}"
    # Texts were redacted on the way in; a number (in an Event not yet in a course) may not be.
    return _core.redact_personal_numbers(value_text(value))


def event_text(event: _core.Event) -> str:
    """ "2024-01-15 contact_logged by mentor-4" and its fields, one per line."""
    rows = [(name, _field_text(value)) for name, value in event.fields.items()]
    return records_text(
        f"{value_text(event.date)} {event.type} by {event.recorded_by}", ("", ""), rows
    )


def event_html(event: _core.Event) -> str:
    rows = [(name, _field_text(value)) for name, value in event.fields.items()]
    title = f"{value_text(event.date)} {event.type} by {event.recorded_by}"
    return records_html(title, ("field", "value"), rows, "mentorcore-event")


def _reference_summary(reference: _core.ReferenceData) -> tuple[str, list[list[str]]]:
    kinds = [k.name for k in _core.ReferenceKind]
    codes = reference.entry_columns()["kind"]
    counts = [int(np.count_nonzero(np.asarray(codes) == i)) for i in range(len(kinds))]
    names = [i.name for i in reference.instruments]
    title = f"reference data: {count_text(len(reference), 'entry', 'entries')}"
    rows = [[kind, str(n)] for kind, n in zip(kinds, counts, strict=True)]
    rows.append(["instruments", short_list(names) or "none"])
    return title, rows


def reference_repr(reference: _core.ReferenceData) -> str:
    """ReferenceData(<entries by kind>, instruments=[...])."""
    _, rows = _reference_summary(reference)
    by_kind = ", ".join(f"{kind}={n}" for kind, n in rows[:-1])
    instruments = short_list(i.name for i in reference.instruments)
    return f"ReferenceData({by_kind}, instruments=[{instruments}])"


def reference_text(reference: _core.ReferenceData) -> str:
    title, rows = _reference_summary(reference)
    return records_text(title, ("", ""), rows)


def reference_html(reference: _core.ReferenceData) -> str:
    title, rows = _reference_summary(reference)
    return records_html(title, ("table", "entries"), rows, "mentorcore-reference")


def _instrument_rows(instrument: _core.Instrument) -> list[list[str]]:
    low, high = instrument.total_range
    items = instrument.items
    ranges = sorted({f"{number_text(a)}-{number_text(b)}" for a, b in items})
    rows = [
        ["version", instrument.version or "(none)"],
        ["items", f"{len(items)}, answered {' or '.join(ranges)}"],
        [
            "total",
            f"{number_text(low)}-{number_text(high)} ({instrument.aggregation.name}), "
            f"{'higher' if instrument.higher_is_better else 'lower'} is better",
        ],
        ["subscales", ", ".join(instrument.subscales) or "none"],
        [
            "cut-offs",
            ", ".join(f"{band} {number_text(v)}" for band, v in instrument.cutoffs.items())
            or "none",
        ],
        ["reliable change", number_text(instrument.reliable_change)],
        ["alerts", ", ".join(a["rule"] for a in instrument.alerts) or "none"],
    ]
    return rows


def instrument_text(instrument: _core.Instrument) -> str:
    return records_text(f"Instrument {instrument.name}", ("", ""), _instrument_rows(instrument))


def instrument_html(instrument: _core.Instrument) -> str:
    return records_html(
        f"Instrument {instrument.name}",
        ("", ""),
        _instrument_rows(instrument),
        "mentorcore-instrument",
    )


def holiday_text(holiday: _core.calendar.Holiday) -> str:
    """ "2024-03-31 Påskedag (easter_sunday)"."""
    return f"{value_text(holiday.date)} {holiday.name} ({holiday.kind.name})"


def holiday_html(holiday: _core.calendar.Holiday) -> str:
    rows = [["date", value_text(holiday.date)], ["name", holiday.name], ["kind", holiday.kind.name]]
    return records_html("Holiday", ("", ""), rows, "mentorcore-holiday")


def _policy_rows(policy: _core.calendar.DeadlinePolicy) -> list[list[str]]:
    return [
        ["5 June (Constitution Day)", "closed" if policy.constitution_day_closed else "open"],
        ["24 December", "closed" if policy.christmas_eve_closed else "open"],
        ["31 December", "closed" if policy.new_years_eve_closed else "open"],
        ["own closing days", short_list(value_text(d) for d in policy.closing_days) or "none"],
    ]


def policy_text(policy: _core.calendar.DeadlinePolicy) -> str:
    """Which days the policy closes besides weekends and public holidays."""
    return records_text(
        "Deadline policy: weekends and public holidays closed, and", ("", ""), _policy_rows(policy)
    )


def policy_html(policy: _core.calendar.DeadlinePolicy) -> str:
    return records_html(
        "Deadline policy: weekends and public holidays closed, and",
        ("day", ""),
        _policy_rows(policy),
        "mentorcore-policy",
    )
