"""Events and the enums of a course's lifecycle.

Every change to a course is a dated, attributed :class:`Event`; its fields are named in
:func:`event_types`. The enums here are the values those fields take.
"""

from __future__ import annotations

from . import _core
from ._render import event_html, event_text

Event = _core.Event
Phase = _core.Phase
PauseReason = _core.PauseReason
StartType = _core.StartType
ClarificationOutcome = _core.ClarificationOutcome
ClosureReason = _core.ClosureReason
StartEndCause = _core.StartEndCause
FollowupStatus = _core.FollowupStatus
StatusSource = _core.StatusSource
Milestone = _core.Milestone
Location = _core.Location
Attendance = _core.Attendance
NonBillableReason = _core.NonBillableReason

# The compiled class gives the mechanical repr; the readable faces live with the others.
Event.__str__ = event_text  # type: ignore[assignment]
Event._repr_html_ = event_html  # type: ignore[attr-defined]

for _public in (
    Event,
    Phase,
    PauseReason,
    StartType,
    ClarificationOutcome,
    ClosureReason,
    StartEndCause,
    FollowupStatus,
    StatusSource,
    Milestone,
    Location,
    Attendance,
    NonBillableReason,
):
    _public.__module__ = "mentorcore"

__all__ = [
    "Attendance",
    "ClarificationOutcome",
    "ClosureReason",
    "Event",
    "FollowupStatus",
    "Location",
    "Milestone",
    "NonBillableReason",
    "PauseReason",
    "Phase",
    "StartEndCause",
    "StartType",
    "StatusSource",
    "event_types",
    "in_person",
    "phase_change_allowed",
]


def event_types() -> dict[str, list[tuple[str, bool]]]:
    """Every event type with its fields as (name, required) pairs."""
    return _core.event_types()


def phase_change_allowed(from_phase: Phase | str, to_phase: Phase | str) -> bool:
    """Whether a ``phase_changed`` event may move a course from `from_phase` to `to_phase`:
    any move between two different active phases, and from ``referred`` into one."""
    return _core.phase_change_allowed(from_phase, to_phase)


def in_person(location: Location | str) -> bool:
    """Whether a contact at `location` meets in person (not phone, video or message)."""
    return _core.in_person(location)
