"""Text and HTML faces of mentorcore objects (kept apart from the objects, and tested against
golden output)."""

from __future__ import annotations

import html

from . import _core


def _timeline_steps(course: _core.Course) -> list[tuple[str, str, str, str]]:
    """(phase, start, end, reason) per phase period, dates as ISO text ('' while open)."""
    steps = []
    for phase, start, end, reason in course.phase_periods():
        steps.append((phase.name, start.isoformat(), end.isoformat() if end else "", reason))
    return steps


def _counts(course: _core.Course) -> tuple[int, int, int]:
    contacts = course.contact_columns()
    attended = int((contacts["attendance"] == 0).sum())
    return len(contacts["mentor"]), attended, len(course.grant_usage())


def course_repr(course: _core.Course) -> str:
    """One line: identity, then the phase timeline, then counts."""
    timeline = " -> ".join(f"{phase} {start}" for phase, start, _, _ in _timeline_steps(course))
    if course.closure_reason is not None:
        timeline += f" ({course.closure_reason.name})"
    if course.is_paused:
        timeline += " [paused]"
    contacts, attended, grants = _counts(course)
    return (
        f"<Course {course.id} citizen={course.citizen} municipality={course.municipality}: {timeline}; "
        f"{contacts} contacts ({attended} attended), {grants} grants, {len(course.events)} events>"
    )


def course_html(course: _core.Course) -> str:
    """A compact timeline table for Jupyter."""
    e = html.escape
    contacts, attended, grants = _counts(course)
    rows = []
    for phase, start, end, reason in _timeline_steps(course):
        rows.append(
            f"<tr><td><b>{e(phase)}</b></td><td>{e(start)}</td><td>{e(end) or '&hellip;'}</td><td>{e(reason)}</td></tr>"
        )
    usage = course.grant_usage()
    granted = sum(row[6] for row in usage)
    delivered = sum(row[7] for row in usage)
    status = course.phase.name + (" (paused)" if course.is_paused else "")
    milestones = ", ".join(f"{which.name} {on.isoformat()}" for which, on, _ in course.milestones()) or "none yet"
    extra = ""
    trajectories = course.stage_trajectories()
    if trajectories:
        stages = ", ".join(f"{e(behaviour)}: {current.name} since {since.isoformat()}"
                           for behaviour, current, since, *_ in trajectories)
        extra += f"<p>stages: {stages}</p>"
    latest: dict[str, tuple[str, float]] = {}
    for day, name, *_, score, _baseline, _previous in course.ratings():
        latest[name] = (day.isoformat(), score["total"])
    if latest:
        ratings = ", ".join(f"{e(name)} {total:g} ({day})" for name, (day, total) in latest.items())
        extra += f"<p>latest ratings: {ratings}</p>"
    return (
        '<div class="mentorcore-course">'
        f"<p><b>Course {e(course.id)}</b> &middot; citizen {e(course.citizen)} &middot; "
        f"municipality {course.municipality} &middot; now <b>{e(status)}</b></p>"
        '<table><thead><tr><th>phase</th><th>from</th><th>until</th><th>reason</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<p>{contacts} contacts ({attended} attended) &middot; {grants} grants: "
        f"{delivered:.1f} of {granted:.1f} hours delivered &middot; milestones: {e(milestones)}</p>"
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
