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
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from . import _core, frames
from ._render import (
    MAX_ROWS,
    count_text,
    course_html,
    course_repr,
    course_text,
    record_html,
    records_html,
    records_text,
    short_list,
    value_text,
)
from ._validate import as_list, invalid
from .calendar import DeadlinePolicy
from .events import (
    Attendance,
    ClarificationOutcome,
    ClosureReason,
    Event,
    Location,
    Milestone,
    NonBillableReason,
    PauseReason,
    Phase,
    StartType,
)

# The `name as name` imports below are re-exports only: these names were defined here before the
# package had one module per concept, and stay importable from mentorcore.course.
from .events import event_types as event_types
from .events import in_person as in_person
from .events import phase_change_allowed as phase_change_allowed
from .handover import ConsentForm, Handover, HandoverType, PartyRole, Severity
from .reference import ReferenceData
from .reference import ReferenceKind as ReferenceKind
from .reference import reference_data_frame as reference_data_frame
from .relationship import (
    AssessmentMethod,
    CourseAlert,
    DataCategory,
    GoalStatus,
    Rater,
    SharingBasis,
    Stage,
    StageTrajectory,
    StepDoer,
)

if TYPE_CHECKING:
    import pandas as pd

# Course and its records are defined here; the other names were defined here before the package
# had one module per concept, and stay importable from here.
__all__ = ["Course", "CourseList", "CourseWarning", "MilestoneReached"]

_PICKLE_FORMAT = 1


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


class Course:
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
    ) -> Course:
        """A grant with the plan's five required fields; an extension names its `predecessor`."""
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
        """Closes the course; only :meth:`reopen` may follow."""
        return self._add("closed", date, recorded_by, reason=reason, note=note)

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
        """The course as it stood at the end of `date`."""
        return self._wrap(self._core.as_of(date))

    @property
    def events(self) -> list[Event]:
        """The course's history, each event with ``.date``, ``.type`` and its fields."""
        return self._core.events

    @property
    def reference(self) -> ReferenceData:
        """The reference data the course's codes are checked against (a copy)."""
        return self._core.reference

    @property
    def id(self) -> str:
        return self._core.id

    @property
    def citizen(self) -> str:
        """The citizen's pseudonymous key."""
        return self._core.citizen

    @property
    def municipality(self) -> int:
        return self._core.municipality

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return self._core.phase

    @property
    def ordered_on(self) -> datetime.date:
        return self._core.ordered_on

    @property
    def started_on(self) -> datetime.date | None:
        """The day the course first left ``referred``."""
        return self._core.started_on

    @property
    def closed_on(self) -> datetime.date | None:
        return self._core.closed_on

    @property
    def closure_reason(self) -> ClosureReason | None:
        return self._core.closure_reason

    @property
    def is_paused(self) -> bool:
        return self._core.is_paused

    def phase_on(self, date: datetime.date) -> Phase:
        """The phase on `date`, after that day's events."""
        return self._core.phase_on(date)

    def days_per_phase(self, as_of: datetime.date) -> dict[Phase, int]:
        """Days spent in each phase up to and including `as_of`, paused days not counted."""
        return self._core.days_per_phase(as_of)

    def milestones(self) -> list[MilestoneReached]:
        """The independence milestones reached, in ladder order."""
        return [MilestoneReached._from_core(m) for m in self._core.milestones()]

    def next_report_due(
        self,
        as_of: datetime.date,
        *,
        first_report_working_days: int = 10,
        report_every_months: int = 3,
        final_report_working_days: int = 10,
        deadlines: DeadlinePolicy | None = None,
    ) -> datetime.date | None:
        """The first status report due on or after `as_of`, as the course stood that day: a
        first report `first_report_working_days` after the start, then one every
        `report_every_months` Danish months from the start (rolled forward to a working day), and
        a final report `final_report_working_days` after closure."""
        if deadlines is not None and not isinstance(deadlines, DeadlinePolicy):
            raise invalid("deadlines", deadlines, "expected a DeadlinePolicy or None")
        return self._core.next_report_due(
            as_of,
            first_report_working_days,
            report_every_months,
            final_report_working_days,
            deadlines if deadlines is not None else DeadlinePolicy(),
        )

    def warnings(self, as_of: datetime.date) -> list[CourseWarning]:
        """Warnings as of `as_of`: retention past its planned window, retention closed before
        its planned minimum, no grant covering an open course."""
        return [CourseWarning._from_core(w) for w in self._core.warnings(as_of)]

    def stage_trajectories(self) -> list[StageTrajectory]:
        """One trajectory per target behaviour, in the order behaviours were first assessed."""
        return [StageTrajectory._from_core(t) for t in self._core.stage_trajectories()]

    def alerts(
        self,
        as_of: datetime.date,
        *,
        no_contact_working_days: int = 10,
        deadlines: DeadlinePolicy | None = None,
    ) -> list[CourseAlert]:
        """Alerts raised up to `as_of`, in date order: the instruments' alert rules
        (below_cutoff, rating_drop, no_reliable_improvement), stage_relapse, and no_contact (no
        attended contact for more than `no_contact_working_days` working days, on `as_of`)."""
        if deadlines is not None and not isinstance(deadlines, DeadlinePolicy):
            raise invalid("deadlines", deadlines, "expected a DeadlinePolicy or None")
        alerts = self._core.alerts(
            as_of, no_contact_working_days, deadlines if deadlines is not None else DeadlinePolicy()
        )
        return [CourseAlert._from_core(a) for a in alerts]

    @property
    def handovers(self) -> list[Handover]:
        """The course's handovers, each with its state and measures."""
        return [
            Handover(self, index, record) for index, record in enumerate(self._core.handovers())
        ]

    @property
    def responsible(self) -> tuple[str, PartyRole]:
        """Who holds the course: the ordering caseworker,
        then each acknowledged handover's receiver."""
        return self._core.responsible()

    @property
    def mentor_changes(self) -> int:
        """Acknowledged handovers from one mentor to a different mentor."""
        return int(self._core.mentor_changes())

    def successes(self) -> list[tuple[datetime.date, str]]:
        """The log of small successes."""
        return self._core.successes()

    # ---- frames -------------------------------------------------------------------------------

    def consents_frame(self) -> pd.DataFrame:
        """One row per consent: ``consent``, ``recipient``, ``recipient_role``, ``purposes``,
        ``data_categories``, ``valid_from``, ``valid_to``, ``form``, ``given_on``,
        ``withdrawn_on``."""
        return frames.consents_frame(self._core)

    def assessments_frame(self) -> pd.DataFrame:
        """One row per stage assessment: ``date``, ``behaviour``, ``stage``, ``method``,
        ``assessor``, ``score``, ``importance``, ``confidence``, ``readiness``, ``ruler_min``,
        ``ruler_max``."""
        return frames.assessments_frame(self._core)

    def ratings_frame(self, instrument: str | None = None) -> pd.DataFrame:
        """One row per rating, scored: ``date``, ``instrument``, ``rated_by``, ``age_band``,
        ``session``, ``total``, ``cutoff``, ``below_cutoff``, ``clinical``,
        ``change_from_baseline``, ``reliably_improved``, ``reliably_deteriorated``, ``recovered``,
        ``change_from_previous``; for one `instrument`, also one column per subscale."""
        return frames.ratings_frame(self._core, instrument)

    def talk_frame(self) -> pd.DataFrame:
        """Change-talk counts per session: ``date``, the DARN-CAT counts, ``sustain``,
        ``change_talk`` (their sum)."""
        return frames.talk_frame(self._core)

    def goals_frame(self) -> pd.DataFrame:
        """One row per goal: ``goal``, ``text``, ``status``, ``set_on``, ``status_changed_on``."""
        return frames.goals_frame(self._core)

    def steps_frame(self) -> pd.DataFrame:
        """One row per action step: ``step``, ``goal``, ``text``, ``planned_on``, ``due``,
        ``done_on``, ``done_by``."""
        return frames.steps_frame(self._core)

    def empowerment_frame(self) -> pd.DataFrame:
        """Steps done per month of course by who did them: ``month_of_course``, ``done_alone``,
        ``done_with_support``, ``done_by_mentor`` (numerators) and ``done`` (the denominator)."""
        return frames.empowerment_frame(self._core)

    def knowledge_frame(self, *, include_retired: bool = False) -> pd.DataFrame:
        """The knowledge profile, one row per item: ``item``, ``category``, ``text``,
        ``data_category``, ``sharing_basis``, ``basis_reference``, ``recorded_on``, ``recorded_by``,
        ``revised_on``, ``revisions``, ``retired_on``, ``retired_reason``. For the profile as it
        stood on a date use ``course.as_of(date).knowledge_frame()``."""
        return frames.knowledge_frame(self._core, include_retired=include_retired)

    def events_frame(self) -> pd.DataFrame:
        """One row per event: ``seq``, ``date``, ``type``, ``recorded_by`` and one column per
        field name (None where an event type has no such field; enums as their names)."""
        return frames.events_frame(self._core)

    def contacts_frame(self) -> pd.DataFrame:
        """One row per contact: ``date``, ``mentor``, ``location``, ``attendance``,
        ``planned_minutes``, ``actual_minutes``, ``billable``, ``non_billable_reason``."""
        return frames.contacts_frame(self._core)

    def phases_frame(self) -> pd.DataFrame:
        """One row per phase period: ``phase``, ``start``,
        ``end`` (exclusive, NaT while open), ``reason``."""
        return frames.phases_frame(self._core)

    def pauses_frame(self) -> pd.DataFrame:
        """One row per pause: ``reason``, ``start``,
        ``end`` (the day it ended, exclusive; NaT while open)."""
        return frames.pauses_frame(self._core)

    def grants_frame(self) -> pd.DataFrame:
        """One row per grant with hours granted, delivered (billable contacts) and utilisation."""
        return frames.grants_frame(self._core)

    def weekly_usage_frame(self) -> pd.DataFrame:
        """Hours granted and delivered per ISO week (``week_start`` is the Monday), and
        ``utilisation`` = delivered / granted (NaN in a week no grant covers)."""
        return frames.weekly_usage_frame(self._core)

    def attendance_frame(self) -> pd.DataFrame:
        """Contacts by location: ``location``, ``contacts`` (the denominator) and one count column
        per attendance value (the numerators)."""
        return frames.attendance_frame(self._core)

    def home_visits_frame(self) -> pd.DataFrame:
        """Home visits among attended in-person contacts by month of course (Danish months from
        the start): ``month_of_course``, ``home_visits``, ``in_person_contacts``."""
        return frames.home_visits_frame(self._core)

    # ---- Python protocol ---------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Course):
            return NotImplemented
        return bool(self._core == other._core)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return course_repr(self._core)

    def __str__(self) -> str:
        return course_text(self._core)

    def _repr_html_(self) -> str:
        return course_html(self._core)

    def __getstate__(self) -> tuple[int, list[dict[str, Any]], str | None]:
        reference = self._core.reference
        custom = None if reference == ReferenceData.builtin() else reference.to_json()
        return (_PICKLE_FORMAT, [event.to_dict() for event in self.events], custom)

    def __setstate__(self, state: object) -> None:
        # A pickle can be hand-made: check its shape here, and let the C++ checks (Event.from_dict,
        # ReferenceData.from_json, replay) judge its contents, so any flaw is a mentorcore.Error.
        if not (
            isinstance(state, tuple)
            and len(state) == 3
            and type(state[0]) is int
            and state[0] == _PICKLE_FORMAT
        ):
            raise invalid(
                "pickle", state, f"not a pickled Course of format version {_PICKLE_FORMAT}"
            )
        _, events, custom = state
        if not isinstance(events, list):
            raise invalid("pickle", events, "expected the list of the course's events (dicts)")
        if custom is not None and not isinstance(custom, str):
            raise invalid("pickle", custom, "expected the reference data as JSON text, or None")
        reference = (
            None if custom is None else ReferenceData.from_json(custom, "pickled reference data")
        )
        self._core = _core.Course.replay([Event.from_dict(e) for e in events], reference)
