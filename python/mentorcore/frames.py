"""Tables as pandas DataFrames, each built in one step from the columns the compiled core returns.

:class:`mentorcore.Course` has one method per table (``course.grants_frame()`` and so on), and
:func:`handovers_frame` takes many courses; the builders live here, so every table follows the
same rules:

- the first column is ``course``, the course's id, so frames of many courses concatenate;
- dates are ``datetime64[ns]`` (NaT where missing);
- enums are categoricals of the enum's names, in the enum's order;
- integers are ``int64``, or nullable ``Int64`` where a value can be missing; numbers that can be
  missing are ``float64`` with NaN; yes/no that can be missing is the nullable ``boolean``.
"""

from __future__ import annotations

import datetime
import enum
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _core
from ._courses import core_courses
from .events import (
    Attendance,
    FollowupStatus,
    Location,
    NonBillableReason,
    PauseReason,
    Phase,
    StartEndCause,
    StartType,
    StatusSource,
    event_types,
)
from .relationship import (
    AssessmentMethod,
    DataCategory,
    GoalStatus,
    Rater,
    SharingBasis,
    Stage,
    StepDoer,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["handovers_frame"]

DATE_DTYPE = "datetime64[ns]"
"""The dtype of every date column."""


def _column(values: Any, enum_type: type[enum.Enum] | None = None) -> Any:
    """One column from the core's NumPy array, as the module docstring says."""
    import pandas as pd

    if enum_type is not None:
        return pd.Categorical.from_codes(
            np.asarray(values, dtype=np.int8),
            categories=pd.Index([member.name for member in enum_type]),
        )
    if isinstance(values, np.ma.MaskedArray):
        data = np.ma.getdata(values)
        mask = np.ma.getmaskarray(values)
        if data.dtype == np.bool_:
            return pd.arrays.BooleanArray(data, mask)
        return pd.arrays.IntegerArray(data.astype(np.int64), mask)
    if isinstance(values, list):  # an event field's values: whatever the field holds, as objects
        return values
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return array.astype(DATE_DTYPE)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    return array


def frame(
    columns: dict[str, Any],
    *,
    course: str | None = None,
    enums: dict[str, type[enum.Enum]] | None = None,
) -> pd.DataFrame:
    """A DataFrame from the core's columns, in their order; `course` (one course's id) is put
    first as the ``course`` column, and `enums` names the enum of each code column."""
    import pandas as pd

    enums = enums or {}
    data: dict[str, Any] = {}
    if course is not None:
        n = len(next(iter(columns.values()))) if columns else 0
        data["course"] = np.full(n, course, dtype=object)
    for name, values in columns.items():
        data[name] = _column(values, enums.get(name))
    result: pd.DataFrame = pd.DataFrame(data)
    return result


def consents_frame(core: _core.Course) -> pd.DataFrame:
    return frame(
        core.consent_columns(),
        course=core.id,
        enums={"recipient_role": _core.PartyRole, "form": _core.ConsentForm},
    )


def assessments_frame(core: _core.Course) -> pd.DataFrame:
    return frame(
        core.assessment_columns(),
        course=core.id,
        enums={"stage": Stage, "method": AssessmentMethod},
    )


def ratings_frame(core: _core.Course, instrument: str | None = None) -> pd.DataFrame:
    return frame(core.rating_columns(instrument or ""), course=core.id, enums={"rated_by": Rater})


def talk_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.talk_columns(), course=core.id)


def goals_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.goal_columns(), course=core.id, enums={"status": GoalStatus})


def steps_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.step_columns(), course=core.id, enums={"done_by": StepDoer})


def empowerment_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.empowerment_columns(), course=core.id)


def knowledge_frame(core: _core.Course, *, include_retired: bool = False) -> pd.DataFrame:
    return frame(
        core.knowledge_columns(include_retired),
        course=core.id,
        enums={"data_category": DataCategory, "sharing_basis": SharingBasis},
    )


def events_frame(core: _core.Course) -> pd.DataFrame:
    import pandas as pd

    columns = core.event_columns()
    # course_ordered's field "course" is the id every row carries in the first column.
    columns.pop("course", None)
    n = len(columns["type"])
    data: dict[str, Any] = {
        "seq": np.arange(n, dtype=np.int64),
        "date": np.asarray(columns.pop("epoch_day"), dtype="int64").astype("datetime64[D]"),
        "type": np.asarray(columns.pop("type"), dtype=object),
        "recorded_by": columns.pop("recorded_by"),
    }
    for name, values in columns.items():
        days = [v for v in values if isinstance(v, datetime.date)]
        if days and len(days) == sum(v is not None for v in values):
            # A field of dates: datetime64 like every other date column, NaT where absent.
            data[name] = np.array(
                [
                    np.datetime64(v, "D")
                    if isinstance(v, datetime.date)
                    else np.datetime64("NaT", "D")
                    for v in values
                ]
            )
        else:
            data[name] = values
    result = frame(data, course=core.id)
    result["type"] = pd.Categorical(result["type"], categories=list(event_types()))
    return result


def contacts_frame(core: _core.Course) -> pd.DataFrame:
    c = core.contact_columns()
    columns = {
        "date": np.asarray(c["epoch_day"], dtype="int64").astype("datetime64[D]"),
        "mentor": np.asarray(c["mentor"], dtype=object),
        "location": c["location"],
        "attendance": c["attendance"],
        "planned_minutes": c["planned_minutes"],
        "actual_minutes": c["actual_minutes"],
        "billable": c["billable"],
        "non_billable_reason": c["non_billable_reason"],
    }
    return frame(
        columns,
        course=core.id,
        enums={
            "location": Location,
            "attendance": Attendance,
            "non_billable_reason": NonBillableReason,
        },
    )


def phases_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.phase_columns(), course=core.id, enums={"phase": Phase})


def pauses_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.pause_columns(), course=core.id, enums={"reason": PauseReason})


def grants_frame(core: _core.Course, as_of: datetime.date | None = None) -> pd.DataFrame:
    return frame(core.grant_columns(as_of), course=core.id)


def weekly_usage_frame(core: _core.Course, as_of: datetime.date | None = None) -> pd.DataFrame:
    c = core.weekly_usage_columns(as_of)
    granted = np.asarray(c["hours_granted"], dtype=np.float64)
    delivered = np.asarray(c["hours_delivered"], dtype=np.float64)
    columns = {
        "week_start": np.asarray(c["epoch_day"], dtype="int64").astype("datetime64[D]"),
        "iso_year": c["iso_year"],
        "iso_week": c["iso_week"],
        "hours_granted": granted,
        "hours_delivered": delivered,
        "utilisation": np.divide(
            delivered, granted, out=np.full(len(granted), np.nan), where=granted > 0
        ),
        "hours_planned": np.asarray(c["hours_planned"], dtype=np.float64),
        "provider": c["provider"],
    }
    return frame(columns, course=core.id)


def starts_frame(core: _core.Course) -> pd.DataFrame:
    return frame(
        core.start_columns(),
        course=core.id,
        enums={"start_type": StartType, "cause": StartEndCause},
    )


def statuses_frame(core: _core.Course) -> pd.DataFrame:
    return frame(
        core.status_columns(),
        course=core.id,
        enums={"status": FollowupStatus, "source": StatusSource},
    )


def attendance_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.attendance_columns(), course=core.id, enums={"location": Location})


def home_visits_frame(core: _core.Course) -> pd.DataFrame:
    return frame(core.home_visit_columns(), course=core.id)


def handovers_frame(courses: object) -> pd.DataFrame:
    """All handovers of `courses` (a Course or an iterable of them), one row each, with their
    measures.

    Columns: ``course``, ``handover``, ``date``, ``sender``, ``sender_role``, ``receiver``,
    ``receiver_role``, ``handover_type``, ``planned``, ``severity``, ``state``, ``settled_on``,
    ``carried``, ``withheld``, ``dropped`` (counts), ``completeness``, ``days_to_first_contact``,
    ``no_shows_within_30_days``, ``mentor_changes`` (of the course), ``rating_changes`` (dict
    instrument: change). The dtypes are those of the per-course frames.
    """
    return frame(
        _core.handover_columns(core_courses(courses)),
        enums={
            "sender_role": _core.PartyRole,
            "receiver_role": _core.PartyRole,
            "handover_type": _core.HandoverType,
            "severity": _core.Severity,
            "state": _core.HandoverState,
        },
    )


def reference_frame(reference: _core.ReferenceData) -> pd.DataFrame:
    """The entries of `reference`, one row each (see :func:`mentorcore.reference_data_frame`)."""
    return frame(reference.entry_columns(), enums={"kind": _core.ReferenceKind})
