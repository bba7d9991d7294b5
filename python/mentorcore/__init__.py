"""mentorcore: the reference library for municipal mentor support.

Models Danish mentor courses (mentorforløb) for analysts and case systems. The compiled core is
C++ (``mentorcore._core``); this package is the public Python face: dates are
``datetime.date``, tables are pandas DataFrames, and every error on bad input is a
:class:`mentorcore.Error`, a :class:`ValueError`.
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as exc:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        "mentorcore's compiled extension mentorcore._core could not be imported. It is built when "
        "the package is installed: run `pip install .` in the mentorcore source tree (or "
        "`tools/dev build`), and import mentorcore from outside that tree's python/ folder."
    ) from exc

from . import calendar, synthetic
from ._core import Error, InvalidValueError, OutOfRangeError, ParseError, RuleViolationError
from .relationship import (
    STANDARD_KNOWLEDGE_CATEGORIES,
    Aggregation,
    AlertRule,
    AssessmentMethod,
    CourseAlert,
    DataCategory,
    GoalStatus,
    Instrument,
    Rater,
    SharingBasis,
    Stage,
    StageTrajectory,
    StepDoer,
    UricaResult,
    urica_score,
)
from .handover import (
    ConsentForm,
    Handover,
    HandoverSection,
    HandoverState,
    HandoverType,
    KnowledgeItem,
    PartyRole,
    Severity,
    handovers_frame,
)
from .interchange import (
    EVENT_SCHEMA,
    ReadResult,
    RejectedLine,
    event_schema,
    pseudonymise,
    read_events,
    write_events,
)
from .course import (
    Attendance,
    ClarificationOutcome,
    ClosureReason,
    Course,
    CourseWarning,
    Event,
    Location,
    Milestone,
    MilestoneReached,
    NonBillableReason,
    PauseReason,
    Phase,
    ReferenceData,
    ReferenceKind,
    StartType,
    event_types,
    in_person,
    phase_change_allowed,
    reference_data_frame,
)

__version__: str = _core.__version__

__all__ = [
    "EVENT_SCHEMA",
    "ReadResult",
    "RejectedLine",
    "event_schema",
    "pseudonymise",
    "read_events",
    "write_events",
    "ConsentForm",
    "Handover",
    "HandoverSection",
    "HandoverState",
    "HandoverType",
    "KnowledgeItem",
    "PartyRole",
    "Severity",
    "handovers_frame",
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
    "Attendance",
    "ClarificationOutcome",
    "ClosureReason",
    "Course",
    "CourseWarning",
    "Error",
    "Event",
    "InvalidValueError",
    "Location",
    "Milestone",
    "MilestoneReached",
    "NonBillableReason",
    "OutOfRangeError",
    "ParseError",
    "PauseReason",
    "Phase",
    "ReferenceData",
    "ReferenceKind",
    "RuleViolationError",
    "StartType",
    "__version__",
    "calendar",
    "event_types",
    "in_person",
    "phase_change_allowed",
    "reference_data_frame",
    "synthetic",
]
