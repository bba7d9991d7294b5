"""What a course reports: its state, measures, frames and text (a mixin of
:class:`mentorcore.Course`).

Everything here reads the bound C++ course (``self._core``) and builds nothing; the builders,
``as_of`` and equality stay in ``course.py``, pickling is in ``_course_pickle.py``.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from . import _core, frames
from ._course_records import CourseWarning, MilestoneReached
from ._render import course_html, course_repr, course_text
from ._validate import invalid
from .calendar import DeadlinePolicy
from .events import ClosureReason, Event, Phase
from .handover import Handover, PartyRole
from .reference import ReferenceData
from .relationship import CourseAlert, StageTrajectory

if TYPE_CHECKING:
    import pandas as pd

__all__: list[str] = []


class _CourseViews:
    """The read-only accessors and frames of :class:`mentorcore.Course`."""

    __slots__ = ()

    _core: _core.Course

    # ---- state --------------------------------------------------------------------------------

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
    def course_started_on(self) -> datetime.date | None:
        """The day the course first left ``referred``: the start of the course, not a start in
        work or education (that is :attr:`first_job_or_education_start`)."""
        return self._core.course_started_on

    @property
    def started_on(self) -> datetime.date | None:
        """The former name of :attr:`course_started_on`, kept as an alias: the day the course
        first left ``referred``."""
        return self._core.started_on

    @property
    def first_job_or_education_start(self) -> datetime.date | None:
        """The date of the first start in work or education (:meth:`record_start`), if any."""
        return self._core.first_job_or_education_start

    @property
    def observed_on(self) -> datetime.date:
        """The last day the data describes: the day given to :meth:`as_of` for a view made by it,
        else the date of the last event. It is the default observation date of every view that
        depends on one (:meth:`grants_frame`, :meth:`weekly_usage_frame`, the notebook view)."""
        return self._core.observed_on

    @property
    def follow_up_ends_on(self) -> datetime.date | None:
        """The last day of the follow-up after closure (12 Danish months after the course
        closed), up to which :meth:`end_start` and :meth:`record_status` may be recorded; None
        while the course is open."""
        return self._core.follow_up_ends_on

    def _observed(self, as_of: datetime.date | None) -> datetime.date:
        """`as_of`, or the course's observation date when it is None."""
        return self._core.observed_on if as_of is None else as_of

    def provider_on(self, date: datetime.date) -> str | None:
        """The provider of the grant in force on `date`, if a grant covers that day and names
        its provider (grants made before providers were recorded do not)."""
        return self._core.provider_on(date)

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

    def days_per_phase(self, as_of: datetime.date | None = None) -> dict[Phase, int]:
        """Days spent in each phase up to and including `as_of` (default :attr:`observed_on`),
        paused days not counted."""
        return self._core.days_per_phase(self._observed(as_of))

    def milestones(self) -> list[MilestoneReached]:
        """The independence milestones reached, in ladder order."""
        return [MilestoneReached._from_core(m) for m in self._core.milestones()]

    def next_report_due(
        self,
        as_of: datetime.date | None = None,
        *,
        first_report_working_days: int = 10,
        report_every_months: int = 3,
        final_report_working_days: int = 10,
        deadlines: DeadlinePolicy | None = None,
    ) -> datetime.date | None:
        """The first status report due on or after `as_of` (default :attr:`observed_on`), as the
        course stood that day: a first report `first_report_working_days` after the start, then
        one every `report_every_months` Danish months from the start (rolled forward to a working
        day), and a final report `final_report_working_days` after closure."""
        if deadlines is not None and not isinstance(deadlines, DeadlinePolicy):
            raise invalid("deadlines", deadlines, "expected a DeadlinePolicy or None")
        return self._core.next_report_due(
            self._observed(as_of),
            first_report_working_days,
            report_every_months,
            final_report_working_days,
            deadlines if deadlines is not None else DeadlinePolicy(),
        )

    def warnings(self, as_of: datetime.date | None = None) -> list[CourseWarning]:
        """Warnings as of `as_of` (default :attr:`observed_on`): retention past its planned
        window, retention closed before its planned minimum, no grant covering an open course."""
        return [CourseWarning._from_core(w) for w in self._core.warnings(self._observed(as_of))]

    def stage_trajectories(self) -> list[StageTrajectory]:
        """One trajectory per target behaviour, in the order behaviours were first assessed."""
        return [StageTrajectory._from_core(t) for t in self._core.stage_trajectories()]

    def alerts(
        self,
        as_of: datetime.date | None = None,
        *,
        no_contact_working_days: int = 10,
        deadlines: DeadlinePolicy | None = None,
    ) -> list[CourseAlert]:
        """Alerts raised up to `as_of` (default :attr:`observed_on`), in date order: the
        instruments' alert rules (below_cutoff, rating_drop, no_reliable_improvement),
        stage_relapse, and no_contact (no attended contact for more than
        `no_contact_working_days` working days, on `as_of`)."""
        if deadlines is not None and not isinstance(deadlines, DeadlinePolicy):
            raise invalid("deadlines", deadlines, "expected a DeadlinePolicy or None")
        alerts = self._core.alerts(
            self._observed(as_of),
            no_contact_working_days,
            deadlines if deadlines is not None else DeadlinePolicy(),
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

    def grants_frame(self, as_of: datetime.date | None = None) -> pd.DataFrame:
        """One row per grant, observed on `as_of` (default :attr:`observed_on`): ``grant``,
        ``predecessor``, ``legal_basis``, ``start``, ``end`` (the planned end, inclusive),
        ``hours_per_week``, ``hours_granted``, ``hours_delivered`` (billable contacts from
        ``start`` to ``counted_to``), ``utilisation`` (delivered / granted), ``provider`` (None
        if the grant names none), ``counted_to`` and ``hours_planned``.

        A grant counts only while the course is open: ``counted_to`` is the earliest of ``end``,
        the course's closure and `as_of` (NaT when none of the grant is counted), and
        ``hours_granted`` is ``hours_per_week`` x the open days from ``start`` to ``counted_to``
        / 7 (days between a closure and a reopening do not count). ``hours_planned`` is the
        whole grant as planned, ``start`` to ``end``."""
        return frames.grants_frame(self._core, as_of)

    def weekly_usage_frame(self, as_of: datetime.date | None = None) -> pd.DataFrame:
        """Hours per ISO week, observed on `as_of` (default :attr:`observed_on`): ``week_start``
        (the Monday), ``iso_year``, ``iso_week``, ``hours_granted`` (while the course is open, up
        to `as_of`), ``hours_delivered``, ``utilisation`` = delivered / granted (NaN in a week
        no grant covers), ``hours_planned`` (what the grants plan for the week, as if the course
        never closed) and ``provider`` (of the grant in force most days of the week). The weeks
        run from the first grant or contact to the last day counted."""
        return frames.weekly_usage_frame(self._core, as_of)

    def starts_frame(self) -> pd.DataFrame:
        """One row per start in work or education (:meth:`record_start`), in order:
        ``start_type``, ``employer_or_institution``, ``hours_per_week``, ``start``, ``end`` (its
        last day: from :meth:`end_start`, or the day a later start took over; NaT while
        ongoing), ``cause`` (from :meth:`end_start`; missing while ongoing or when superseded)
        and ``superseded`` (a later start was recorded while this one was ongoing: a change of
        job or education, the spell in work or education continued)."""
        return frames.starts_frame(self._core)

    def statuses_frame(self) -> pd.DataFrame:
        """One row per status after closure (:meth:`record_status`), in order: ``date``,
        ``status``, ``source``, ``closed_on`` (the closure it follows) and
        ``days_after_closure``."""
        return frames.statuses_frame(self._core)

    def attendance_frame(self) -> pd.DataFrame:
        """Contacts by location: ``location``, ``contacts`` (the denominator) and one count column
        per attendance value (the numerators)."""
        return frames.attendance_frame(self._core)

    def home_visits_frame(self) -> pd.DataFrame:
        """Home visits among attended in-person contacts by month of course (Danish months from
        the start): ``month_of_course``, ``home_visits``, ``in_person_contacts``."""
        return frames.home_visits_frame(self._core)

    # ---- text faces ------------------------------------------------------------------------

    def __repr__(self) -> str:
        return course_repr(self._core)

    def __str__(self) -> str:
        return course_text(self._core)

    def _repr_html_(self) -> str:
        return course_html(self._core)
