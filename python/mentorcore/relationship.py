"""Motivation, relationship ratings, goals and knowledge about the person.

Stages of change are assessed per target behaviour; URICA answers score into a readiness score and
a stage; rating instruments (FIT-style outcome and session scales, the WAI-SR, ...) are defined
by the user from numbers alone, since mentorcore ships no licensed instrument and no item wording.
See docs/measures.md for every formula.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from . import _core
from ._render import (
    instrument_html,
    instrument_text,
    record_html,
    record_text,
    records_html,
    records_text,
    transitions_rows,
    value_text,
)
from ._validate import as_mapping

if TYPE_CHECKING:
    import pandas as pd

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

Instrument.__str__ = instrument_text  # type: ignore[assignment]
Instrument._repr_html_ = instrument_html  # type: ignore[attr-defined]

for _public in (
    Stage,
    AssessmentMethod,
    Rater,
    GoalStatus,
    StepDoer,
    DataCategory,
    SharingBasis,
    AlertRule,
    Aggregation,
    Instrument,
):
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

    @classmethod
    def _from_core(cls, r: _core.UricaRecord) -> UricaResult:
        return cls(
            r.precontemplation, r.contemplation, r.action, r.maintenance, r.readiness, r.stage
        )

    def __str__(self) -> str:
        return record_text(self)

    def _repr_html_(self) -> str:
        return record_html(self)


def urica_score(
    answers: Iterable[int], group_means: Mapping[Stage | str, float] | None = None
) -> UricaResult:
    """Scores the 32 URICA answers (each 1-5, in form order).

    `group_means` replaces the staging means (default: precontemplation 9.3, contemplation 11.0,
    action 12.6, from the Mid-Atlantic ATTC scoring sheet; they are population-specific).
    """
    if isinstance(answers, np.ndarray):
        answers = answers.tolist()
    return UricaResult._from_core(
        _core.urica_score(
            answers, None if group_means is None else as_mapping(group_means, "group_means")
        )
    )


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

    @classmethod
    def _from_core(cls, t: _core.TrajectoryRecord) -> StageTrajectory:
        return cls(
            t.behaviour,
            t.current,
            t.since,
            t.last_assessed,
            t.assessments,
            t.forward_moves,
            t.relapses,
            t.transitions,
        )

    def days_in_stage(self, as_of: datetime.date) -> int:
        """Days from `since` to `as_of`."""
        return (as_of - self.since).days

    def transitions_frame(self) -> pd.DataFrame:
        """The transition counts as a 6 x 6 DataFrame labelled by stage
        (rows: from, columns: to)."""
        import pandas as pd

        names = [s.name for s in Stage]
        result: pd.DataFrame = pd.DataFrame(
            np.asarray(self.transitions, dtype=np.int64),
            index=pd.Index(names, name="from"),
            columns=pd.Index(names, name="to"),
        )
        return result

    def __repr__(self) -> str:
        moves = int(np.asarray(self.transitions).sum())
        return (
            f"StageTrajectory(behaviour={self.behaviour!r}, current={self.current!r}, "
            f"since={self.since!r}, "
            f"last_assessed={self.last_assessed!r}, assessments={self.assessments}, "
            f"forward_moves={self.forward_moves}, relapses={self.relapses}, "
            f"transitions=<6x6 counts, {moves} in all>)"
        )

    def __str__(self) -> str:
        header, rows = transitions_rows(self.transitions)
        summary = (
            f"{self.behaviour}: {self.current.name} since {value_text(self.since)} "
            f"(last assessed {value_text(self.last_assessed)}; {self.assessments} assessments, "
            f"{self.forward_moves} forward moves, {self.relapses} relapses)"
        )
        return records_text(summary, header, rows) if rows else summary

    def _repr_html_(self) -> str:
        header, rows = transitions_rows(self.transitions)
        summary = (
            f"{self.behaviour}: {self.current.name} since {value_text(self.since)}, "
            f"{self.assessments} assessments, {self.forward_moves} forward moves, "
            f"{self.relapses} relapses"
        )
        return records_html(summary, header, rows, "mentorcore-trajectory")


class CourseAlert(NamedTuple):
    """An alert derived from a course's events."""

    code: str
    """below_cutoff, rating_drop, no_reliable_improvement, stage_relapse or no_contact."""
    date: datetime.date
    subject: str
    """The instrument or behaviour concerned ('' for no_contact)."""
    message: str

    @classmethod
    def _from_core(cls, a: _core.AlertRecord) -> CourseAlert:
        return cls(a.code, a.date, a.subject, a.message)

    def __str__(self) -> str:
        subject = f" ({self.subject})" if self.subject else ""
        return f"{value_text(self.date)} {self.code}{subject}: {self.message}"

    def _repr_html_(self) -> str:
        return record_html(self)
