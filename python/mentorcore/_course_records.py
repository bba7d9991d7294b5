"""The small records a course reports: :class:`CourseWarning` and :class:`MilestoneReached`.

Defined here, below ``course.py``, and re-exported from :mod:`mentorcore.course`, where they were
defined before and where pickles name them: ``__module__`` stays ``mentorcore.course``.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from . import _core
from ._render import record_html, value_text
from .events import Milestone

__all__ = ["CourseWarning", "MilestoneReached"]


class CourseWarning(NamedTuple):
    """Something that needs attention but breaks no rule."""

    code: str
    """retention_exceeded, retention_shorter_than_planned or no_active_grant."""
    date: datetime.date
    message: str

    @classmethod
    def _from_core(cls, w: _core.WarningRecord) -> CourseWarning:
        return cls(w.code, w.date, w.message)

    def __str__(self) -> str:
        return f"{value_text(self.date)} {self.code}: {self.message}"

    def _repr_html_(self) -> str:
        return record_html(self)


class MilestoneReached(NamedTuple):
    """An independence milestone and when it was reached."""

    milestone: Milestone
    date: datetime.date
    derived: bool
    """True if derived from the history (a contact, a phase change, a start),
    not recorded by hand."""

    @classmethod
    def _from_core(cls, m: _core.MilestoneRecord) -> MilestoneReached:
        return cls(m.milestone, m.date, m.derived)

    def __str__(self) -> str:
        how = "derived from the history" if self.derived else "recorded"
        return f"{self.milestone.name} on {value_text(self.date)} ({how})"

    def _repr_html_(self) -> str:
        return record_html(self)


# Pickles (and reprs of the classes) name them where they were defined before, and are still
# importable from: mentorcore.course.
CourseWarning.__module__ = "mentorcore.course"
MilestoneReached.__module__ = "mentorcore.course"
