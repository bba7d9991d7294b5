"""Pickling a course: its state is its history and, if not the built-in one, its reference data.

:meth:`mentorcore.Course.__getstate__` and ``__setstate__`` call these; the pickles name the class
``mentorcore.course.Course``.
"""

from __future__ import annotations

from typing import Any

from . import _core
from ._validate import invalid
from .events import Event
from .reference import ReferenceData

__all__: list[str] = []

_PICKLE_FORMAT = 1


def course_state(core: _core.Course) -> tuple[int, list[dict[str, Any]], str | None]:
    """The pickled state of the bound course `core`."""
    reference = core.reference
    custom = None if reference == ReferenceData.builtin() else reference.to_json()
    return (_PICKLE_FORMAT, [event.to_dict() for event in core.events], custom)


def core_from_state(state: object) -> _core.Course:
    """The bound course a pickled state (:func:`course_state`) holds."""
    # A pickle can be hand-made: check its shape here, and let the C++ checks (Event.from_dict,
    # ReferenceData.from_json, replay) judge its contents, so any flaw is a mentorcore.Error.
    if not (
        isinstance(state, tuple)
        and len(state) == 3
        and type(state[0]) is int
        and state[0] == _PICKLE_FORMAT
    ):
        raise invalid("pickle", state, f"not a pickled Course of format version {_PICKLE_FORMAT}")
    _, events, custom = state
    if not isinstance(events, list):
        raise invalid("pickle", events, "expected the list of the course's events (dicts)")
    if custom is not None and not isinstance(custom, str):
        raise invalid("pickle", custom, "expected the reference data as JSON text, or None")
    reference = (
        None if custom is None else ReferenceData.from_json(custom, "pickled reference data")
    )
    return _core.Course.replay([Event.from_dict(e) for e in events], reference)
