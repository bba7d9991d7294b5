"""Motivation, relationship ratings, goals and knowledge about the person.

Stages of change are assessed per target behaviour; URICA answers score into a readiness score and
a stage; rating instruments (FIT-style outcome and session scales, the WAI-SR, ...) are defined
by the user from numbers alone, since mentorcore ships no licensed instrument and no item wording.
See docs/measures.md for every formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from . import _core

Stage = _core.Stage
AssessmentMethod = _core.AssessmentMethod
Rater = _core.Rater
GoalStatus = _core.GoalStatus
StepDoer = _core.StepDoer
DataCategory = _core.DataCategory
SharingBasis = _core.SharingBasis
AlertRule = _core.AlertRule
Aggregation = _core.Aggregation
Instrument = _core.Instrument
STANDARD_KNOWLEDGE_CATEGORIES: tuple[str, ...] = _core.STANDARD_KNOWLEDGE_CATEGORIES

for _public in (Stage, AssessmentMethod, Rater, GoalStatus, StepDoer, DataCategory, SharingBasis, AlertRule,
                Aggregation, Instrument):
    _public.__module__ = "mentorcore"

__all__ = [
    "STANDARD_KNOWLEDGE_CATEGORIES",
    "Aggregation",
    "AlertRule",
    "AssessmentMethod",
    "CourseAlert",
    "DataCategory",
    "GoalStatus",
    "Instrument",
    "Rater",
    "SharingBasis",
    "Stage",
    "StageTrajectory",
    "StepDoer",
    "UricaResult",
    "urica_score",
]


class UricaResult(NamedTuple):
    """A scored URICA-32: subscale means (1-5), the readiness score (-2 to 14) and the stage
    whose group mean is nearest."""

    precontemplation: float
    contemplation: float
    action: float
    maintenance: float
    readiness: float
    """contemplation + action + maintenance - precontemplation."""
    stage: Stage


def urica_score(answers: Iterable[int], group_means: Mapping[Stage | str, float] | None = None) -> UricaResult:
    """Scores the 32 URICA answers (each 1-5, in form order).

    `group_means` replaces the staging means (default: precontemplation 9.3, contemplation 11.0,
    action 12.6, from the Mid-Atlantic ATTC scoring sheet; they are population-specific).
    """
    if isinstance(answers, np.ndarray):
        answers = answers.tolist()
    return UricaResult(*_core.urica_score(answers, None if group_means is None else dict(group_means)))


class StageTrajectory(NamedTuple):
    """The stages assessed for one target behaviour."""

    behaviour: str
    current: Stage
    since: datetime.date
    """The first assessment of the current stage (since the last move)."""
    last_assessed: datetime.date
    assessments: int
    forward_moves: int
    relapses: int
    """Moves back: data, not an error."""
    transitions: np.ndarray[Any, Any]
    """6 x 6 counts of consecutive assessments, [from, to] in Stage order."""

    def days_in_stage(self, as_of: datetime.date) -> int:
        """Days from `since` to `as_of`."""
        return (as_of - self.since).days


class CourseAlert(NamedTuple):
    """An alert derived from a course's events."""

    code: str
    """below_cutoff, rating_drop, no_reliable_improvement, stage_relapse or no_contact."""
    date: datetime.date
    subject: str
    """The instrument or behaviour concerned ('' for no_contact)."""
    message: str
