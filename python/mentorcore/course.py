"""Courses (forløb): a course is its history of validated events.

>>> import datetime
>>> import mentorcore as mc
>>> course = mc.Course.order(
...     datetime.date(2024, 1, 8), recorded_by="cw-17", course="K-1", citizen="P-8d2f",
...     municipality=101, target_group="kontanthjaelp_aktivitetsparat", caseworker="cw-17")
>>> course.change_phase(datetime.date(2024, 1, 15), "pre_employment",
...                     reason="first meeting", recorded_by="mentor-4").phase
<Phase.pre_employment: 1>
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import numpy as np

from . import _core
from ._course_pickle import CourseState, core_from_state, course_state
from ._course_records import CourseWarning, MilestoneReached
from ._course_views import _CourseViews
from ._render import (
    MAX_ROWS,
    count_text,
    records_html,
    records_text,
    short_list,
    value_text,
)
from ._validate import as_date, as_list, in_calendar, invalid

# The `name as name` imports below are re-exports only: these names were defined or
# imported here before the package had one module per concept, and stay importable from
# mentorcore.course.
from .calendar import DeadlinePolicy as DeadlinePolicy
from .events import (
    Attendance,
    ClarificationOutcome,
    ClosureReason,
    Event,
    FollowupStatus,
    Location,
    Milestone,
    NonBillableReason,
    PauseReason,
    Phase,
    StartEndCause,
    StartType,
    StatusSource,
)
from .events import event_types as event_types
from .events import in_person as in_person
from .events import phase_change_allowed as phase_change_allowed
from .handover import ConsentForm, HandoverType, PartyRole, Severity
from .handover import Handover as Handover
from .reference import ReferenceData
from .reference import ReferenceKind as ReferenceKind
from .reference import reference_data_frame as reference_data_frame
from .relationship import (
    AssessmentMethod,
    DataCategory,
    GoalStatus,
    Rater,
    SharingBasis,
    Stage,
    StepDoer,
)
from .relationship import CourseAlert as CourseAlert
from .relationship import StageTrajectory as StageTrajectory

# Course and CourseList are defined here, CourseWarning and MilestoneReached in _course_records
# (their __module__ is still this one); the other names were defined here before the package had
# one module per concept, and stay importable from here.
__all__ = ["Course", "CourseList", "CourseWarning", "MilestoneReached"]


class CourseList(list["Course"]):
    """A list of courses (what :func:`mentorcore.read_events` and
    :func:`mentorcore.synthetic.generate` return) that prints as a short table, not one long line
    per course. It is a plain ``list`` in every other way."""

    def _rows(self) -> list[list[str]]:
        return [
            [
                c.id,
                c.phase.name,
                value_text(c.ordered_on),
                value_text(c.closed_on),
                value_text(c.closure_reason),
                str(len(c.events)),
            ]
            for c in self[:MAX_ROWS]
        ]

    _HEADER = ("course", "phase", "ordered", "closed", "closure", "events")

    def __repr__(self) -> str:
        ids = short_list(c.id for c in self)
        return f"CourseList({count_text(len(self), 'course')}{': ' + ids if ids else ''})"

    def __str__(self) -> str:
        return records_text(count_text(len(self), "course"), self._HEADER, self._rows(), len(self))

    def _repr_html_(self) -> str:
        return records_html(
            count_text(len(self), "course"),
            self._HEADER,
            self._rows(),
            "mentorcore-courses",
            len(self),
        )


class Course(_CourseViews):
    """A mentor course, built from events that are each validated against the course's state.

    Start one with :meth:`Course.order` (or from a ``course_ordered`` :class:`Event`), then add
    events with the methods below or :meth:`append`. An event that breaks a rule raises
    :class:`mentorcore.RuleViolationError` and leaves the course unchanged. Two courses are equal
    when their histories are equal.
    """

    __slots__ = ("_core",)

    def __init__(self, order: Event, reference: ReferenceData | None = None) -> None:
        if not isinstance(order, Event):
            raise invalid("order", order, "expected a course_ordered Event")
        if reference is not None and not isinstance(reference, ReferenceData):
            raise invalid("reference", reference, "expected a ReferenceData or None")
        self._core = _core.Course(order, reference)

    @classmethod
    def _wrap(cls, core: _core.Course) -> Course:
        course = cls.__new__(cls)
        course._core = core
        return course

    # ---- building ---------------------------------------------------------------------------

    @classmethod
    def order(
        cls,
        date: datetime.date,
        *,
        recorded_by: str,
        course: str,
        citizen: str,
        municipality: int,
        target_group: str,
        caseworker: str,
        assessment_category: str | None = None,
        retention_min_months: int = 3,
        retention_max_months: int = 6,
        reference: ReferenceData | None = None,
    ) -> Course:
        """A new course ordered by a municipality.
        `citizen` is a pseudonymous key, never a CPR number."""
        return cls(
            Event(
                "course_ordered",
                date,
                recorded_by,
                course=course,
                citizen=citizen,
                municipality=municipality,
                target_group=target_group,
                caseworker=caseworker,
                assessment_category=assessment_category,
                retention_min_months=retention_min_months,
                retention_max_months=retention_max_months,
            ),
            reference,
        )

    @classmethod
    def replay(cls, events: Iterable[Event], reference: ReferenceData | None = None) -> Course:
        """Rebuilds a course from its history, validating every event as it would be live."""
        if reference is not None and not isinstance(reference, ReferenceData):
            raise invalid("reference", reference, "expected a ReferenceData or None")
        return cls._wrap(_core.Course.replay(events, reference))

    def append(self, event: Event) -> Course:
        """Validates `event` and appends it; returns the course, so calls can be chained."""
        if not isinstance(event, Event):
            raise invalid("event", event, "expected an Event")
        self._core.append(event)
        return self

    def _add(self, type_: str, date: datetime.date, recorded_by: str, **fields: Any) -> Course:
        return self.append(Event(type_, date, recorded_by, **fields))

    def make_grant(
        self,
        date: datetime.date,
        *,
        recorded_by: str,
        grant: str,
        goal: str,
        mentor: str,
        mentor_contact: str,
        tasks: str,
        hours_per_week: float,
        start: datetime.date,
        end: datetime.date,
        legal_basis: str,
        predecessor: str | None = None,
        provider: str | None = None,
    ) -> Course:
        """A grant with the plan's five required fields; an extension names its `predecessor`.
        `provider` is the organisation (leverandør) delivering the course under the grant, an
        id such as ``"provider-7"``; the course's provider on a day is that of the grant in force
        (:meth:`provider_on`)."""
        return self._add(
            "grant_made",
            date,
            recorded_by,
            grant=grant,
            goal=goal,
            mentor=mentor,
            mentor_contact=mentor_contact,
            tasks=tasks,
            hours_per_week=hours_per_week,
            start=start,
            end=end,
            legal_basis=legal_basis,
            predecessor=predecessor,
            provider=provider,
        )

    def change_phase(
        self, date: datetime.date, to: Phase | str, *, reason: str, recorded_by: str
    ) -> Course:
        """Moves the course to another active phase (skips and moves back are allowed)."""
        return self._add("phase_changed", date, recorded_by, to=to, reason=reason)

    def record_start(
        self,
        date: datetime.date,
        *,
        start_type: StartType | str,
        employer_or_institution: str,
        hours_per_week: float,
        recorded_by: str,
    ) -> Course:
        """The citizen starts work or education on `date` (this opens the way to retention)."""
        return self._add(
            "start_recorded",
            date,
            recorded_by,
            start_type=start_type,
            employer_or_institution=employer_or_institution,
            hours_per_week=hours_per_week,
        )

    def conclude_clarification(
        self,
        date: datetime.date,
        outcome: ClarificationOutcome | str,
        *,
        recorded_by: str,
        note: str = "",
    ) -> Course:
        """A clarification concluded on a realistic goal."""
        return self._add("clarification_concluded", date, recorded_by, outcome=outcome, note=note)

    def log_contact(
        self,
        date: datetime.date,
        *,
        mentor: str,
        location: Location | str,
        planned_minutes: int,
        actual_minutes: int,
        recorded_by: str,
        attendance: Attendance | str = "attended",
        billable: bool = True,
        non_billable_reason: NonBillableReason | str | None = None,
    ) -> Course:
        """A contact between mentor and citizen."""
        return self._add(
            "contact_logged",
            date,
            recorded_by,
            mentor=mentor,
            location=location,
            attendance=attendance,
            planned_minutes=planned_minutes,
            actual_minutes=actual_minutes,
            billable=billable,
            non_billable_reason=non_billable_reason,
        )

    def record_milestone(
        self, date: datetime.date, milestone: Milestone | str, *, recorded_by: str
    ) -> Course:
        """An independence milestone reached on `date`."""
        return self._add("milestone_recorded", date, recorded_by, milestone=milestone)

    def pause(self, date: datetime.date, reason: PauseReason | str, *, recorded_by: str) -> Course:
        """Pauses the course; paused days do not count in durations."""
        return self._add("paused", date, recorded_by, reason=reason)

    def resume(self, date: datetime.date, *, recorded_by: str) -> Course:
        """Ends a pause."""
        return self._add("resumed", date, recorded_by)

    def close(
        self, date: datetime.date, reason: ClosureReason | str, *, recorded_by: str, note: str = ""
    ) -> Course:
        """Closes the course; only :meth:`reopen` may follow, and within the follow-up
        (:attr:`follow_up_ends_on`) :meth:`end_start` and :meth:`record_status`."""
        return self._add("closed", date, recorded_by, reason=reason, note=note)

    def end_start(
        self,
        date: datetime.date,
        cause: StartEndCause | str,
        *,
        recorded_by: str,
        note: str = "",
    ) -> Course:
        """The latest start in work or education (:meth:`record_start`) ended; `date` is its last
        day. It may be recorded while the course is open and, after closure, within the follow-up
        (up to :attr:`follow_up_ends_on`). Raises :class:`mentorcore.RuleViolationError` if no
        start is ongoing, if `cause` is ``education_dropped`` for a start that is not an
        education, or after the follow-up."""
        return self._add("start_ended", date, recorded_by, cause=cause, note=note)

    def record_status(
        self,
        date: datetime.date,
        status: FollowupStatus | str,
        *,
        source: StatusSource | str,
        recorded_by: str,
    ) -> Course:
        """The citizen's status on `date`, after the course closed (in work, in education, on
        benefit, self-supporting, other), with its `source` (``register``, ``citizen_contact``,
        ``employer``). It does not reopen the course. Raises
        :class:`mentorcore.RuleViolationError` on an open course or after the follow-up
        (:attr:`follow_up_ends_on`)."""
        return self._add("status_recorded", date, recorded_by, status=status, source=source)

    def reopen(self, date: datetime.date, *, reason: str, recorded_by: str) -> Course:
        """Reopens a closed course in the phase it was closed in; the reopening is logged."""
        return self._add("reopened", date, recorded_by, reason=reason)

    def assess_stage(
        self,
        date: datetime.date,
        behaviour: str,
        stage: Stage | str,
        *,
        method: AssessmentMethod | str,
        assessor: str,
        recorded_by: str,
        score: float | None = None,
        importance: float | None = None,
        confidence: float | None = None,
        readiness: float | None = None,
        ruler_min: int = 0,
        ruler_max: int = 10,
    ) -> Course:
        """A stage of change assessed for one target behaviour; rulers are checked against
        `ruler_min`-`ruler_max`."""
        return self._add(
            "stage_assessed",
            date,
            recorded_by,
            behaviour=behaviour,
            stage=stage,
            method=method,
            assessor=assessor,
            score=score,
            importance=importance,
            confidence=confidence,
            readiness=readiness,
            ruler_min=ruler_min,
            ruler_max=ruler_max,
        )

    def count_talk(
        self,
        date: datetime.date,
        *,
        recorded_by: str,
        desire: int = 0,
        ability: int = 0,
        reasons: int = 0,
        need: int = 0,
        commitment: int = 0,
        activation: int = 0,
        taking_steps: int = 0,
        sustain: int = 0,
    ) -> Course:
        """Change talk (DARN-CAT) and sustain talk counted in a session."""
        return self._add(
            "talk_counted",
            date,
            recorded_by,
            desire=desire,
            ability=ability,
            reasons=reasons,
            need=need,
            commitment=commitment,
            activation=activation,
            taking_steps=taking_steps,
            sustain=sustain,
        )

    def record_rating(
        self,
        date: datetime.date,
        instrument: str,
        answers: Iterable[float],
        *,
        recorded_by: str,
        rated_by: Rater | str = "citizen",
        age_band: str | None = None,
    ) -> Course:
        """A rating on an instrument defined in the course's reference data."""
        if isinstance(answers, np.ndarray):
            answers = answers.tolist()
        return self._add(
            "rating_recorded",
            date,
            recorded_by,
            instrument=instrument,
            answers=answers,
            rated_by=rated_by,
            age_band=age_band,
        )

    def set_goal(self, date: datetime.date, goal: str, text: str, *, recorded_by: str) -> Course:
        """A goal, in the citizen's own words."""
        return self._add("goal_set", date, recorded_by, goal=goal, text=text)

    def update_goal(
        self,
        date: datetime.date,
        goal: str,
        status: GoalStatus | str,
        *,
        recorded_by: str,
        text: str | None = None,
    ) -> Course:
        """A goal's status (active, achieved, abandoned) and, optionally, revised wording."""
        return self._add("goal_updated", date, recorded_by, goal=goal, status=status, text=text)

    def plan_step(
        self,
        date: datetime.date,
        step: str,
        goal: str,
        text: str,
        *,
        recorded_by: str,
        due: datetime.date | None = None,
    ) -> Course:
        """An action step towards an active goal."""
        return self._add(
            "step_planned", date, recorded_by, step=step, goal=goal, text=text, due=due
        )

    def complete_step(
        self, date: datetime.date, step: str, done_by: StepDoer | str, *, recorded_by: str
    ) -> Course:
        """A step is done: by the citizen alone, with support,
        or by the mentor on the citizen's behalf."""
        return self._add("step_done", date, recorded_by, step=step, done_by=done_by)

    def log_success(self, date: datetime.date, text: str, *, recorded_by: str) -> Course:
        """A small success."""
        return self._add("success_logged", date, recorded_by, text=text)

    def record_knowledge(
        self,
        date: datetime.date,
        item: str,
        category: str,
        text: str,
        *,
        data_category: DataCategory | str,
        sharing_basis: SharingBasis | str,
        recorded_by: str,
        basis_reference: str = "",
    ) -> Course:
        """Something learnt about the person: a standard or user-defined category, the data
        category, and the legal basis for sharing it (with the consent id or provision)."""
        return self._add(
            "knowledge_recorded",
            date,
            recorded_by,
            item=item,
            category=category,
            text=text,
            data_category=data_category,
            sharing_basis=sharing_basis,
            basis_reference=basis_reference,
        )

    def revise_knowledge(
        self,
        date: datetime.date,
        item: str,
        *,
        recorded_by: str,
        category: str | None = None,
        text: str | None = None,
        data_category: DataCategory | str | None = None,
        sharing_basis: SharingBasis | str | None = None,
        basis_reference: str | None = None,
    ) -> Course:
        """Revises a knowledge item; fields left as None keep their value, and the history stays."""
        return self._add(
            "knowledge_revised",
            date,
            recorded_by,
            item=item,
            category=category,
            text=text,
            data_category=data_category,
            sharing_basis=sharing_basis,
            basis_reference=basis_reference,
        )

    def retire_knowledge(
        self, date: datetime.date, item: str, reason: str, *, recorded_by: str
    ) -> Course:
        """A knowledge item no longer holds; it leaves the current profile, its history stays."""
        return self._add("knowledge_retired", date, recorded_by, item=item, reason=reason)

    def give_consent(
        self,
        date: datetime.date,
        consent: str,
        *,
        purposes: Iterable[str],
        data_categories: Iterable[DataCategory | str],
        valid_from: datetime.date,
        recorded_by: str,
        recipient: str | None = None,
        recipient_role: PartyRole | str | None = None,
        valid_to: datetime.date | None = None,
        form: ConsentForm | str = "written",
    ) -> Course:
        """The citizen consents to sharing with `recipient` (a person) or anyone in
        `recipient_role`, for `purposes`, covering `data_categories`,
        from `valid_from` (to `valid_to`)."""
        return self._add(
            "consent_given",
            date,
            recorded_by,
            consent=consent,
            recipient=recipient,
            recipient_role=recipient_role,
            purposes=as_list(purposes, "purposes"),
            data_categories=as_list(data_categories, "data_categories"),
            valid_from=valid_from,
            valid_to=valid_to,
            form=form,
        )

    def withdraw_consent(self, date: datetime.date, consent: str, *, recorded_by: str) -> Course:
        """Withdraws a consent from `date` on: later sharing stops,
        earlier handovers keep what they carried."""
        return self._add("consent_withdrawn", date, recorded_by, consent=consent)

    def make_handover(
        self,
        date: datetime.date,
        handover: str,
        *,
        sender: str,
        sender_role: PartyRole | str,
        receiver: str,
        receiver_role: PartyRole | str,
        handover_type: HandoverType | str,
        purpose: str,
        severity: Severity | str,
        recorded_by: str,
        planned: bool = True,
        summary_note: str = "",
        actions: Iterable[dict[str, Any]] = (),
        contingencies: Iterable[dict[str, str]] = (),
        knowledge_items: Iterable[str] = (),
        commitments: Iterable[str] = (),
        open_appointments: Iterable[dict[str, Any]] = (),
    ) -> Course:
        """A handover (I-PASS): severity, a summary assembled from the course, an action list
        (dicts with task, owner, due), contingencies (dicts with "if" and "then"), the knowledge
        items the sender includes, commitments made to the citizen, and open appointments (dicts
        with date, what)."""

        return self._add(
            "handover_made",
            date,
            recorded_by,
            handover=handover,
            **{"from": sender},
            from_role=sender_role,
            to=receiver,
            to_role=receiver_role,
            handover_type=handover_type,
            planned=planned,
            purpose=purpose,
            severity=severity,
            summary_note=summary_note,
            actions=as_list(actions, "actions"),
            contingencies=as_list(contingencies, "contingencies"),
            knowledge_items=as_list(knowledge_items, "knowledge_items"),
            commitments=as_list(commitments, "commitments"),
            open_appointments=as_list(open_appointments, "open_appointments"),
        )

    def acknowledge_handover(
        self, date: datetime.date, handover: str, read_back: str, *, recorded_by: str
    ) -> Course:
        """The receiver reads back and accepts: responsibility moves to them."""
        return self._add(
            "handover_acknowledged", date, recorded_by, handover=handover, read_back=read_back
        )

    def reject_handover(
        self, date: datetime.date, handover: str, reason: str, *, recorded_by: str
    ) -> Course:
        """The receiver does not accept the handover."""
        return self._add("handover_rejected", date, recorded_by, handover=handover, reason=reason)

    def revoke_handover(
        self, date: datetime.date, handover: str, reason: str, *, recorded_by: str
    ) -> Course:
        """The sender withdraws an open handover."""
        return self._add("handover_revoked", date, recorded_by, handover=handover, reason=reason)

    # ---- state --------------------------------------------------------------------------------

    def as_of(self, date: datetime.date) -> Course:
        """The course as it stood at the end of `date`: its events up to that day, observed on
        that day (:attr:`observed_on` is `date`, so hours granted in :meth:`grants_frame`, the
        weekly usage and the notebook view stop there). `date` is in the supported calendar
        (1900-2200), as every event date is, so that the course pickles."""
        day = in_calendar(as_date(date, "as_of"), "as_of")
        return self._wrap(self._core.as_of(day))

    # ---- Python protocol ---------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Course):
            return NotImplemented
        return bool(self._core == other._core)

    __hash__ = None  # type: ignore[assignment]

    def __getstate__(self) -> CourseState:
        return course_state(self._core)

    def __setstate__(self, state: object) -> None:
        self._core = core_from_state(state)
