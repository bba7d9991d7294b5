"""Per-course tables as pandas DataFrames, built from the bound course (``mentorcore._core.Course``).

:class:`mentorcore.Course` has one method per table (``course.grants_frame()`` and so on); the
builders live here, apart from the course, so each table's columns and dtypes are in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import _core
from ._courses import core_courses
from .events import Attendance, Location, NonBillableReason, PauseReason, Phase, event_types
from .relationship import AssessmentMethod, DataCategory, GoalStatus, SharingBasis, Stage, StepDoer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["handovers_frame"]


def _dates(epoch_days: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    return np.asarray(epoch_days, dtype="int64").astype("datetime64[D]").astype("datetime64[ns]")


def _categorical(codes: np.ndarray[Any, Any], enum: Any) -> pd.Categorical:
    import pandas as pd

    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int8), categories=pd.Index([m.name for m in enum]))


def consents_frame(core: _core.Course) -> pd.DataFrame:
    """One row per consent: ``consent``, ``recipient``, ``recipient_role``, ``purposes``,
    ``data_categories``, ``valid_from``, ``valid_to``, ``form``, ``given_on``, ``withdrawn_on``."""
    import pandas as pd

    rows = []
    for cid, recipient, role, purposes, categories, start, end, form, given, withdrawn in core.consents():
        rows.append((cid, recipient, None if role is None else role.name, purposes,
                     [c.name for c in categories], start, end, form.name, given, withdrawn))
    frame: pd.DataFrame = pd.DataFrame(rows, columns=["consent", "recipient", "recipient_role", "purposes",
                                                      "data_categories", "valid_from", "valid_to", "form",
                                                      "given_on", "withdrawn_on"])
    for column in ("valid_from", "valid_to", "given_on", "withdrawn_on"):
        frame[column] = pd.to_datetime(pd.Series(frame[column], dtype=object))
    return frame

def assessments_frame(core: _core.Course) -> pd.DataFrame:
    """One row per stage assessment: ``date``, ``behaviour``, ``stage``, ``method``,
    ``assessor``, ``score``, ``importance``, ``confidence``, ``readiness``, ``ruler_min``, ``ruler_max``."""
    import pandas as pd

    rows = [{"date": day, **fields} for day, fields in core.stage_assessments()]
    columns = ["date", "behaviour", "stage", "method", "assessor", "score", "importance", "confidence",
               "readiness", "ruler_min", "ruler_max"]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["stage"] = pd.Categorical([s.name for s in frame["stage"]], categories=[s.name for s in Stage])
    frame["method"] = pd.Categorical([m.name for m in frame["method"]],
                                     categories=[m.name for m in AssessmentMethod])
    for column in ("score", "importance", "confidence", "readiness"):
        frame[column] = frame[column].astype("float64")
    return frame

def ratings_frame(core: _core.Course, instrument: str | None = None) -> pd.DataFrame:
    """One row per rating, scored: ``date``, ``instrument``, ``rated_by``, ``age_band``,
    ``session``, ``total``, ``cutoff``, ``below_cutoff``, ``clinical``, ``change_from_baseline``,
    ``reliably_improved``, ``reliably_deteriorated``, ``recovered``, ``change_from_previous``;
    for one `instrument`, also one column per subscale."""
    import pandas as pd

    rows = []
    for day, name, rater, band, session, score, baseline, previous in core.ratings(instrument or ""):
        row: dict[str, Any] = {
            "date": day, "instrument": name, "rated_by": rater.name, "age_band": band, "session": session,
            "total": score["total"], "cutoff": score["cutoff"], "below_cutoff": score["below_cutoff"],
            "clinical": score["clinical"],
            "change_from_baseline": None if baseline is None else baseline["change"],
            "reliably_improved": None if baseline is None else baseline["reliably_improved"],
            "reliably_deteriorated": None if baseline is None else baseline["reliably_deteriorated"],
            "recovered": None if baseline is None else baseline["recovered"],
            "change_from_previous": None if previous is None else previous["change"],
        }
        if instrument:
            row.update(score["subscales"])
        rows.append(row)
    columns = ["date", "instrument", "rated_by", "age_band", "session", "total", "cutoff", "below_cutoff",
               "clinical", "change_from_baseline", "reliably_improved", "reliably_deteriorated", "recovered",
               "change_from_previous"]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns if not rows else None)
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("cutoff", "change_from_baseline", "change_from_previous"):
        frame[column] = frame[column].astype("float64")
    return frame

def talk_frame(core: _core.Course) -> pd.DataFrame:
    """Change-talk counts per session: ``date``, the DARN-CAT counts, ``sustain``, ``change_talk`` (their sum)."""
    import pandas as pd

    rows = [{"date": day, **fields} for day, fields in core.talk_counts()]
    kinds = ["desire", "ability", "reasons", "need", "commitment", "activation", "taking_steps"]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=["date", *kinds, "sustain"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["change_talk"] = frame[kinds].sum(axis=1).astype("int64")
    return frame

def goals_frame(core: _core.Course) -> pd.DataFrame:
    """One row per goal: ``goal``, ``text``, ``status``, ``set_on``, ``status_changed_on``."""
    import pandas as pd

    rows = [(g, text, status.name, set_on, changed) for g, text, status, set_on, changed in core.goals()]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=["goal", "text", "status", "set_on", "status_changed_on"])
    frame["status"] = pd.Categorical(frame["status"], categories=[s.name for s in GoalStatus])
    for column in ("set_on", "status_changed_on"):
        frame[column] = pd.to_datetime(pd.Series(frame[column], dtype=object))
    return frame

def steps_frame(core: _core.Course) -> pd.DataFrame:
    """One row per action step: ``step``, ``goal``, ``text``, ``planned_on``, ``due``,
    ``done_on``, ``done_by``."""
    import pandas as pd

    rows = [(*rest, None if done_by is None else done_by.name) for *rest, done_by in core.steps()]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=["step", "goal", "text", "planned_on", "due", "done_on",
                                                      "done_by"])
    frame["done_by"] = pd.Categorical(frame["done_by"], categories=[d.name for d in StepDoer])
    for column in ("planned_on", "due", "done_on"):
        frame[column] = pd.to_datetime(pd.Series(frame[column], dtype=object))
    return frame

def empowerment_frame(core: _core.Course) -> pd.DataFrame:
    """Steps done per month of course by who did them: ``month_of_course``, ``done_alone``,
    ``done_with_support``, ``done_by_mentor`` (numerators) and ``done`` (the denominator)."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(
        core.empowerment_by_month(),
        columns=["month_of_course", "done_alone", "done_with_support", "done_by_mentor", "done"],
    )
    return frame

def knowledge_frame(core: _core.Course, *, include_retired: bool = False) -> pd.DataFrame:
    """The knowledge profile, one row per item: ``item``, ``category``, ``text``,
    ``data_category``, ``sharing_basis``, ``basis_reference``, ``recorded_on``, ``recorded_by``,
    ``revised_on``, ``revisions``, ``retired_on``, ``retired_reason``. For the profile as it
    stood on a date use ``course.as_of(date).knowledge_frame()``."""
    import pandas as pd

    columns = ["item", "category", "text", "data_category", "sharing_basis", "basis_reference", "recorded_on",
               "recorded_by", "revised_on", "revisions", "retired_on", "retired_reason"]
    frame: pd.DataFrame = pd.DataFrame(core.knowledge_profile(include_retired), columns=columns)
    frame["data_category"] = pd.Categorical([d.name for d in frame["data_category"]],
                                            categories=[d.name for d in DataCategory])
    frame["sharing_basis"] = pd.Categorical([b.name for b in frame["sharing_basis"]],
                                            categories=[b.name for b in SharingBasis])
    for column in ("recorded_on", "revised_on", "retired_on"):
        frame[column] = pd.to_datetime(pd.Series(frame[column], dtype=object))
    return frame


def events_frame(core: _core.Course) -> pd.DataFrame:
    """One row per event: ``seq``, ``date``, ``type``, ``recorded_by`` and one column per
    field name (None where an event type has no such field; enums as their names)."""
    import pandas as pd

    columns = core.event_columns()
    n = len(columns["type"])
    data: dict[str, Any] = {
        "seq": np.arange(n, dtype=np.int64),
        "date": _dates(columns.pop("epoch_day")),
        "type": pd.Categorical(columns.pop("type"), categories=list(event_types())),
        "recorded_by": columns.pop("recorded_by"),
    }
    data.update(columns)
    frame: pd.DataFrame = pd.DataFrame(data)
    return frame

def contacts_frame(core: _core.Course) -> pd.DataFrame:
    """One row per contact: ``date``, ``mentor``, ``location``, ``attendance``,
    ``planned_minutes``, ``actual_minutes``, ``billable``, ``non_billable_reason``."""
    import pandas as pd

    c = core.contact_columns()
    frame: pd.DataFrame = pd.DataFrame(
        {
            "date": _dates(c["epoch_day"]),
            "mentor": c["mentor"],
            "location": _categorical(c["location"], Location),
            "attendance": _categorical(c["attendance"], Attendance),
            "planned_minutes": c["planned_minutes"],
            "actual_minutes": c["actual_minutes"],
            "billable": c["billable"],
            "non_billable_reason": _categorical(c["non_billable_reason"], NonBillableReason),
        }
    )
    return frame

def phases_frame(core: _core.Course) -> pd.DataFrame:
    """One row per phase period: ``phase``, ``start``, ``end`` (exclusive, NaT while open), ``reason``."""
    import pandas as pd

    rows = core.phase_periods()
    frame: pd.DataFrame = pd.DataFrame(
        {
            "phase": pd.Categorical([r[0].name for r in rows], categories=[p.name for p in Phase]),
            "start": pd.to_datetime([r[1] for r in rows]),
            "end": pd.to_datetime(pd.Series([r[2] for r in rows], dtype=object)),
            "reason": [r[3] for r in rows],
        }
    )
    return frame

def pauses_frame(core: _core.Course) -> pd.DataFrame:
    """One row per pause: ``reason``, ``start``, ``end`` (the day it ended, exclusive; NaT while open)."""
    import pandas as pd

    rows = core.pause_periods()
    frame: pd.DataFrame = pd.DataFrame(
        {
            "reason": pd.Categorical([r[0].name for r in rows], categories=[p.name for p in PauseReason]),
            "start": pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object)),
            "end": pd.to_datetime(pd.Series([r[2] for r in rows], dtype=object)),
        }
    )
    return frame

def grants_frame(core: _core.Course) -> pd.DataFrame:
    """One row per grant with hours granted, delivered (billable contacts) and utilisation."""
    import pandas as pd

    names = ["grant", "predecessor", "legal_basis", "start", "end", "hours_per_week", "hours_granted",
             "hours_delivered", "utilisation"]
    frame: pd.DataFrame = pd.DataFrame(core.grant_usage(), columns=names)
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame

def weekly_usage_frame(core: _core.Course) -> pd.DataFrame:
    """Hours granted and delivered per ISO week (``week_start`` is the Monday), and
    ``utilisation`` = delivered / granted (NaN in a week no grant covers)."""
    import pandas as pd

    c = core.weekly_usage_columns()
    frame: pd.DataFrame = pd.DataFrame(
        {
            "week_start": _dates(c["epoch_day"]),
            "iso_year": c["iso_year"],
            "iso_week": c["iso_week"],
            "hours_granted": c["hours_granted"],
            "hours_delivered": c["hours_delivered"],
        }
    )
    granted = frame["hours_granted"].to_numpy()
    delivered = frame["hours_delivered"].to_numpy()
    frame["utilisation"] = np.divide(delivered, granted, out=np.full(len(frame), np.nan), where=granted > 0)
    return frame

def attendance_frame(core: _core.Course) -> pd.DataFrame:
    """Contacts by location: ``location``, ``contacts`` (the denominator) and one count column
    per attendance value (the numerators)."""
    import pandas as pd

    rows = []
    for where, contacts, counts in core.attendance_by_location():
        row: dict[str, Any] = {"location": where.name, "contacts": contacts}
        row.update({a.name: n for a, n in counts.items()})
        rows.append(row)
    frame: pd.DataFrame = pd.DataFrame(rows, columns=["location", "contacts", *(a.name for a in Attendance)])
    return frame

def home_visits_frame(core: _core.Course) -> pd.DataFrame:
    """Home visits among attended in-person contacts by month of course (Danish months from
    the start): ``month_of_course``, ``home_visits``, ``in_person_contacts``."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(
        core.home_visit_share_by_month(), columns=["month_of_course", "home_visits", "in_person_contacts"]
    )
    return frame


def handovers_frame(courses: object) -> pd.DataFrame:
    """All handovers of `courses`, one row each, with their measures.

    Columns: ``course``, ``handover``, ``date``, ``sender``, ``sender_role``, ``receiver``,
    ``receiver_role``, ``handover_type``, ``planned``, ``severity``, ``state``, ``settled_on``,
    ``carried``, ``withheld``, ``dropped`` (counts), ``completeness``, ``days_to_first_contact``,
    ``no_shows_within_30_days``, ``mentor_changes`` (of the course), ``rating_changes`` (dict
    instrument: change).
    """
    import pandas as pd

    rows = []
    for course in core_courses(courses):
        changes = course.mentor_changes()
        for h in course.handovers():
            rows.append({
                "course": course.id, "handover": h["handover"], "date": h["date"], "sender": h["from"],
                "sender_role": h["from_role"].name, "receiver": h["to"], "receiver_role": h["to_role"].name,
                "handover_type": h["handover_type"].name, "planned": h["planned"], "severity": h["severity"].name,
                "state": h["state"].name, "settled_on": h["settled_on"], "carried": len(h["carried"]),
                "withheld": len(h["withheld"]), "dropped": len(h["dropped"]), "completeness": h["completeness"],
                "days_to_first_contact": h["days_to_first_contact"],
                "no_shows_within_30_days": h["no_shows_within_30_days"], "mentor_changes": changes,
                "rating_changes": {name: change for name, (_, _, change) in h["ratings"].items()},
            })
    columns = [
        "course", "handover", "date", "sender", "sender_role", "receiver", "receiver_role", "handover_type",
        "planned", "severity", "state", "settled_on", "carried", "withheld", "dropped", "completeness",
        "days_to_first_contact", "no_shows_within_30_days", "mentor_changes", "rating_changes",
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["settled_on"] = pd.to_datetime(pd.Series(frame["settled_on"], dtype=object))
    frame["days_to_first_contact"] = frame["days_to_first_contact"].astype("Int64")
    return frame


