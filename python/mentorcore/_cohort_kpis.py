"""The KPI families as methods of the Cohort: each is ``cohort.kpis(as_of=..., by=...)`` narrowed
to its rows, so a question reads as what it asks (``cohort.retention(by="provider")``), and every
figure is the one the whole frame and a merged summary give. docs/kpis.md defines them."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from .summary import CohortSummary

__all__ = ["KPI_METHODS", "CohortKpis"]

KPI_METHODS: dict[str, tuple[str, ...]] = {
    "exits": ("exits_closed", "exits_all"),
    "time_to_work_or_education": ("time_to_work_or_education",),
    "retention": ("retention",),
    "status_after_closure": ("status",),
    "attendance": ("attendance", "no_show"),
    "intensity": ("contacts_per_week", "minutes_per_week"),
    "home_visits": ("home_visit_share",),
    "independence_ladder": ("milestone_reached", "milestone_days"),
    "grant_utilisation": ("hours_utilisation", "grants_under_80"),
    "stage_transitions": ("stage_forward", "stage_relapse"),
    "rating_alerts": ("rating_alert_share", "rating_change", "reliably_improved"),
    "continuity": (
        "mentor_changes_per_course_year",
        "handovers_acknowledged",
        "handover_items",
        "handover_items_dropped",
        "days_to_first_contact",
        "no_shows_30d",
    ),
}
"""Cohort method name: the KPI families (the part of ``kpi`` before the first dot) it returns."""


class _Summarises(Protocol):
    """What the mixin needs of the class it is mixed into: Cohort.summary."""

    def summary(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> CohortSummary: ...


class CohortKpis(_Summarises):
    """The KPI methods of :class:`mentorcore.Cohort`, a mixin over the ``summary`` that Cohort
    defines (declared by the protocol it derives from)."""

    def _family(self, method: str, as_of: datetime.date | None, by: object) -> pd.DataFrame:
        frame = self.summary(as_of=as_of, by=by).kpis()
        family = frame["kpi"].str.split(".", n=1).str[0]
        rows: pd.DataFrame = frame[family.isin(KPI_METHODS[method])].reset_index(drop=True)
        return rows

    def exits(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Exits by destination among closed courses and among all courses."""
        return self._family("exits", as_of, by)

    def time_to_work_or_education(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """Shares by 6 and 12 months (work, education, dropout, work or education) and the
        median days, from the Aalen-Johansen estimate."""
        return self._family("time_to_work_or_education", as_of, by)

    def retention(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Retention 3, 6 and 12 months after the first start (Kaplan-Meier)."""
        return self._family("retention", as_of, by)

    def status_after_closure(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """The status 1, 3, 6 and 12 months after closure (Jobindsats), "none" included."""
        return self._family("status_after_closure", as_of, by)

    def attendance(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Attendance and no-show rates by location."""
        return self._family("attendance", as_of, by)

    def intensity(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Attended contacts and minutes per week of course."""
        return self._family("intensity", as_of, by)

    def home_visits(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """The home-visit share by month of course."""
        return self._family("home_visits", as_of, by)

    def independence_ladder(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """The share reaching each milestone, and the mean days to it."""
        return self._family("independence_ladder", as_of, by)

    def grant_utilisation(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """Hours delivered against granted, and the share of grants under 80 percent."""
        return self._family("grant_utilisation", as_of, by)

    def stage_transitions(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """The share of reassessments moving forward and back, per behaviour and in all (the
        matrices: ``summary(...).transition_matrix(behaviour)``)."""
        return self._family("stage_transitions", as_of, by)

    def rating_alerts(
        self, *, as_of: datetime.date | None = None, by: object = None
    ) -> pd.DataFrame:
        """The share of ratings with an alert, and the change from the baseline, per
        instrument."""
        return self._family("rating_alerts", as_of, by)

    def continuity(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Mentor changes, handovers and what they carried, withheld and dropped, days to the
        first contact and no-shows after a handover against courses without one."""
        return self._family("continuity", as_of, by)
