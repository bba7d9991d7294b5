"""One outcome vocabulary, and the one table that maps the model's outcome words onto it.

A course names where the citizen goes in four places, each with its own words: the kind of start
recorded (:class:`StartType`), the goal a clarification concluded on
(:class:`ClarificationOutcome`), the reason the course was closed (:class:`ClosureReason`) and the
status after closure (:class:`FollowupStatus`). :class:`Outcome` is the one vocabulary analyses
group by; :func:`outcome_of` maps the first three onto it, :func:`followup_status_of` maps an
outcome onto the status it is counted in after closure, and :func:`outcome_table` lists the whole
mapping (the table in ``docs/data-model.md``). The mapping itself lives in the C++ core
(``mentorcore/outcome.hpp``); this module only reads it.

>>> import mentorcore as mc
>>> mc.outcome_of(mc.StartType.wage_subsidy)
<Outcome.subsidised_job: 2>
>>> mc.outcome_of("grant_expired")
<Outcome.no_outcome: 6>
>>> mc.followup_status_of("flex_job")
<FollowupStatus.in_work: 0>
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _core
from .events import ClarificationOutcome, ClosureReason, FollowupStatus, StartType

if TYPE_CHECKING:
    import pandas as pd

Outcome = _core.Outcome
Outcome.__module__ = "mentorcore"

__all__ = [
    "Outcome",
    "followup_status_of",
    "is_work_or_education",
    "outcome_of",
    "outcome_table",
]

VOCABULARIES = ("start_type", "clarification_outcome", "closure_reason", "followup_status")
"""The vocabularies :func:`outcome_table` maps, in its row order."""


def outcome_of(value: StartType | ClarificationOutcome | ClosureReason | str) -> Outcome:
    """The :class:`Outcome` of a start type, a clarification outcome or a closure reason, given as
    the enum member or its name. A name two vocabularies share (``"job"``, ``"education"``,
    ``"flex_job"``, ``"pension"``, ``"other_measure"``) means the same outcome in each. Anything
    else raises :class:`mentorcore.InvalidValueError` naming the field ``value``."""
    return _core.outcome_of(value)


def followup_status_of(outcome: Outcome | str) -> FollowupStatus:
    """The status after closure (the Jobindsats category) a citizen with `outcome` is counted in
    while it lasts: the three kinds of job are ``in_work``, an education ``in_education``,
    another measure ``on_benefit``, a pension and no outcome ``other``."""
    return _core.followup_status_of(outcome)


def is_work_or_education(outcome: Outcome | str) -> bool:
    """Whether `outcome` is a start in work or education (a job of any kind, or an education):
    the product's main result."""
    return _core.is_work_or_education(outcome)


def outcome_table() -> pd.DataFrame:
    """Every value of the four outcome vocabularies, one row each, with what it maps to.

    Columns:

    - ``vocabulary``: the vocabulary the value belongs to, a categorical of ``start_type``,
      ``clarification_outcome``, ``closure_reason`` and ``followup_status`` (the rows come in
      this order, and in each vocabulary in its enum's order);
    - ``value``: the value's name (str), as in the event log;
    - ``outcome``: its :class:`Outcome` (:func:`outcome_of`), a categorical of the outcome names;
      missing (NaN) for a ``followup_status`` row, since a status such as ``in_work`` covers
      several outcomes;
    - ``followup_status``: the :class:`FollowupStatus` the value is counted in after closure
      (:func:`followup_status_of` of its outcome; for a ``followup_status`` row, the value
      itself), a categorical of the status names;
    - ``work_or_education``: whether the value is a start in work or education
      (:func:`is_work_or_education` of its outcome; for a ``followup_status`` row, whether it is
      ``in_work`` or ``in_education``), bool.
    """
    import numpy as np
    import pandas as pd

    vocabulary: list[str] = []
    value: list[str] = []
    outcome: list[str | None] = []
    status: list[str] = []
    work_or_education: list[bool] = []
    members: list[tuple[str, StartType | ClarificationOutcome | ClosureReason]] = [
        *(("start_type", m) for m in StartType),
        *(("clarification_outcome", m) for m in ClarificationOutcome),
        *(("closure_reason", m) for m in ClosureReason),
    ]
    for name, member in members:
        mapped = _core.outcome_of(member)
        vocabulary.append(name)
        value.append(member.name)
        outcome.append(mapped.name)
        status.append(_core.followup_status_of(mapped).name)
        work_or_education.append(_core.is_work_or_education(mapped))
    for status_member in FollowupStatus:
        vocabulary.append("followup_status")
        value.append(status_member.name)
        outcome.append(None)
        status.append(status_member.name)
        work_or_education.append(
            status_member in (FollowupStatus.in_work, FollowupStatus.in_education)
        )
    table: pd.DataFrame = pd.DataFrame(
        {
            "vocabulary": pd.Categorical(vocabulary, categories=list(VOCABULARIES)),
            "value": np.array(value, dtype=object),
            "outcome": pd.Categorical(outcome, categories=[o.name for o in Outcome]),
            "followup_status": pd.Categorical(status, categories=[s.name for s in FollowupStatus]),
            "work_or_education": np.array(work_or_education, dtype=bool),
        }
    )
    return table
