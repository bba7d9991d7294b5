"""The one place that turns "a course or an iterable of courses" into the bound C++ courses."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from . import _core
from ._validate import invalid


class CourseLike(Protocol):
    """What :class:`mentorcore.Course` is to this module: an object holding a bound course.

    Checked by what the object holds rather than by its class, so this module sits below
    ``course.py`` and every module that takes courses (frames, interchange, synthetic) can use it.
    """

    @property
    def _core(self) -> _core.Course: ...


def _bound(value: object) -> _core.Course | None:
    core = getattr(value, "_core", None)
    return core if isinstance(core, _core.Course) else None


def core_courses(
    courses: object, *, field: str = "courses", single: bool = True
) -> list[_core.Course]:
    """The bound courses of `courses`: a Course (if `single`) or an iterable of Course.

    Anything else raises mentorcore.InvalidValueError naming `field` (or ``field[i]`` for the
    first element that is not a Course)."""
    one = _bound(courses)
    if one is not None:
        if not single:
            raise invalid(field, courses, "expected an iterable of Course, got a single Course")
        return [one]
    expected = (
        "expected a Course or an iterable of Course" if single else "expected an iterable of Course"
    )
    if isinstance(courses, (str, bytes)) or not isinstance(courses, Iterable):
        raise invalid(field, courses, expected)
    try:
        items = list(courses)
    except Exception as error:  # bad input: the iterator raised
        raise invalid(
            field, courses, f"{expected}; reading it raised {type(error).__name__}"
        ) from None
    result = []
    for index, course in enumerate(items):
        core = _bound(course)
        if core is None:
            raise invalid(
                f"{field}[{index}]", course, f"expected a Course, got {type(course).__name__}"
            )
        result.append(core)
    return result
