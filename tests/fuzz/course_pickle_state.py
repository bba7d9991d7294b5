"""The Python half of fuzz_course_pickle: turns a fuzz input into a pickled Course state and
unpickles it, as ``pickle.loads`` would call ``Course.__setstate__`` with a hand-made state.

The input is JSON (so that libFuzzer's mutations stay mostly meaningful) with a few markers for
what JSON cannot hold: ``{"$date": "2024-01-08"}`` a datetime.date, ``{"$array": [...]}`` a NumPy
array, ``{"$bad_index": 0}`` an object whose ``__index__`` raises, ``{"$bytes": "..."}`` bytes,
``{"$tuple": [...]}`` a tuple. A top-level list becomes the state tuple. JSON strings may hold
lone surrogates (``"\\ud800"``), and integers of any size.

The contract: unpickling either works or raises mentorcore.Error; what works pickles and
unpickles equal, and its views (handovers, the Markdown, repr) work. Any other exception reaches
the C++ harness, which aborts: a finding.
"""

from __future__ import annotations

import datetime
import json
import pickle
from typing import Any

import numpy

import mentorcore as mc


class _BadIndex:
    def __index__(self) -> int:
        raise RuntimeError("__index__ raises")

    def __repr__(self) -> str:
        return "_BadIndex()"


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key == "$date" and isinstance(inner, str):
                try:
                    return datetime.date.fromisoformat(inner)
                except ValueError:
                    return inner
            if key == "$array":
                try:
                    return numpy.array(_decode(inner))
                except (ValueError, TypeError, OverflowError):
                    return inner
            if key == "$bad_index":
                return _BadIndex()
            if key == "$bytes" and isinstance(inner, str):
                return inner.encode("utf-8", errors="surrogateescape")
            if key == "$tuple" and isinstance(inner, list):
                return tuple(_decode(item) for item in inner)
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


def run(data: bytes) -> None:
    """Unpickles the state `data` describes; raises anything but mentorcore.Error."""
    try:
        state = _decode(json.loads(data))
    except (ValueError, RecursionError):  # not JSON, or nested past what Python decodes
        return
    if isinstance(state, list):
        state = tuple(state)
    course = mc.Course.__new__(mc.Course)
    try:
        course.__setstate__(state)
    except mc.Error:
        return
    again = pickle.loads(pickle.dumps(course))
    if again != course:
        raise AssertionError("a course read from a pickle state pickles back different")
    for handover in course.handovers:
        handover.to_markdown()
    repr(course)
