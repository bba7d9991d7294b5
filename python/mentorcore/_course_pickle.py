"""Pickling a course: its state is its history and, if not the built-in one, its reference data;
for a view made by :meth:`mentorcore.Course.as_of` on a day after its last event, also that day.

:meth:`mentorcore.Course.__getstate__` and ``__setstate__`` call these; the pickles name the class
``mentorcore.course.Course``. Format 1, ``(1, events, reference JSON or None)``, is what version
0.1.0 wrote and what every course whose observation date is its last event's date still pickles
as; format 2, ``(2, events, reference JSON or None, observed_on)``, adds the observation date
(:attr:`mentorcore.Course.observed_on`), which the hours granted depend on.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeAlias

from . import _core
from ._validate import in_calendar, invalid
from .events import Event
from .reference import ReferenceData

__all__: list[str] = []

_PICKLE_FORMAT = 1
_PICKLE_FORMAT_OBSERVED = 2

CourseState: TypeAlias = (
    tuple[int, list[dict[str, Any]], str | None]
    | tuple[int, list[dict[str, Any]], str | None, datetime.date]
)
"""A pickled course: format 1 or format 2 (see the module docstring)."""


def course_state(core: _core.Course) -> CourseState:
    """The pickled state of the bound course `core`."""
    reference = core.reference
    custom = None if reference == ReferenceData.builtin() else reference.to_json()
    events = core.events
    dicts = [event.to_dict() for event in events]
    observed_on = core.observed_on
    # Never before the last event (a view made by as_of and then extended can say so, but its
    # data describes the last event's day): that day is what format 1 restores.
    if observed_on <= events[-1].date:
        return (_PICKLE_FORMAT, dicts, custom)
    return (_PICKLE_FORMAT_OBSERVED, dicts, custom, observed_on)


def core_from_state(state: object) -> _core.Course:
    """The bound course a pickled state (:func:`course_state`) holds."""
    # A pickle can be hand-made: check its shape here, and let the C++ checks (Event.from_dict,
    # ReferenceData.from_json, replay, as_of) judge its contents, so any flaw is a
    # mentorcore.Error.
    if not (
        isinstance(state, tuple)
        and type(state[0] if state else None) is int
        and (
            (len(state) == 3 and state[0] == _PICKLE_FORMAT)
            or (len(state) == 4 and state[0] == _PICKLE_FORMAT_OBSERVED)
        )
    ):
        raise invalid(
            "pickle",
            state,
            f"not a pickled Course of format version {_PICKLE_FORMAT} or {_PICKLE_FORMAT_OBSERVED}",
        )
    events, custom = state[1], state[2]
    if not isinstance(events, list):
        raise invalid("pickle", events, "expected the list of the course's events (dicts)")
    if custom is not None and not isinstance(custom, str):
        raise invalid("pickle", custom, "expected the reference data as JSON text, or None")
    reference = (
        None if custom is None else ReferenceData.from_json(custom, "pickled reference data")
    )
    core = _core.Course.replay([Event.from_dict(e) for e in events], reference)
    if len(state) == 3:
        return core
    observed_on = state[3]
    if type(observed_on) is not datetime.date:
        raise invalid("pickle", observed_on, "expected the observation date (a datetime.date)")
    # Bounded as every event date is (and as Course.as_of bounds the day it is given).
    in_calendar(observed_on, "pickle", "the observation date is ")
    last = core.events[-1].date
    if observed_on < last:
        # as_of would drop the later events: a course's observation date is never before them.
        raise invalid(
            "pickle",
            observed_on,
            f"the observation date is before the course's last event ({last.isoformat()})",
        )
    return core.as_of(observed_on)
