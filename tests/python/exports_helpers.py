"""What the export tests share: a small synthetic municipality with the course that uses every
event type, and every free text of their events (the values nothing but a handover's FHIR
Task may carry)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import mentorcore as mc
from mentorcore._core import redact_personal_numbers

# The free-text fields of each event type, listed here independently of the exporters.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "grant_made": ("goal", "mentor_contact", "tasks"),
    "phase_changed": ("reason",),
    "start_recorded": ("employer_or_institution",),
    "clarification_concluded": ("note",),
    "closed": ("note",),
    "reopened": ("reason",),
    "start_ended": ("note",),
    "goal_set": ("text",),
    "goal_updated": ("text",),
    "step_planned": ("text",),
    "success_logged": ("text",),
    "knowledge_recorded": ("text",),
    "knowledge_revised": ("text",),
    "knowledge_retired": ("reason",),
    "handover_made": ("summary_note", "actions", "contingencies", "commitments",
                      "open_appointments"),
    "handover_acknowledged": ("read_back",),
    "handover_rejected": ("reason",),
    "handover_revoked": ("reason",),
}  # fmt: skip


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key not in ("owner", "due", "date"):
                yield from _texts(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _texts(inner)


def free_texts(courses: list[mc.Course]) -> set[str]:
    """Every non-empty free text typed into the courses' events."""
    found: set[str] = set()
    for course in courses:
        for event in course.events:
            fields = TEXT_FIELDS.get(event.type)
            if fields:
                values = event.to_dict()
                found.update(t for f in fields for t in _texts(values[f]) if t)
    return found


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def has_cpr_number(text: str) -> bool:
    """Whether the project's own detector finds a CPR-shaped number in `text`."""
    return redact_personal_numbers(text) != text


CPR = "0101901234"


def municipality(n: int, seed: int = 11) -> list[mc.Course]:
    """`n` synthetic courses, plus the course that uses every event type, whose first knowledge
    item carries a CPR number typed into it (stored redacted)."""
    import conftest

    courses = list(mc.synthetic.generate(n, seed=seed))
    every = conftest.build_every_event_type_course()
    events = []
    for event in every.events:
        values = event.to_dict()
        if values["type"] == "knowledge_recorded" and values["item"] == "k2":
            values["text"] = f"Guitar, ring {CPR[:6]}-{CPR[6:]}"
        events.append(mc.Event.from_dict(values))
    courses.append(mc.Course.replay(events, every.reference))
    return courses
