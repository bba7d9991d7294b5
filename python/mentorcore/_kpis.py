"""The KPI frame of a CohortSummary: every KPI per group, with numerator, denominator, value and
interval, computed only from the summary's whole-number counts (so a merged summary gives the
same frame, bit for bit, as the whole cohort). docs/kpis.md defines every KPI."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt

from . import _core
from ._summary_counts import HOME_VISIT_MONTHS, STATUS_MONTHS, SURVIVAL_TABLES

if TYPE_CHECKING:
    import pandas as pd


class CohortSummary(Protocol):
    """What this module reads of a summary (summary.py imports this module, not the reverse)."""

    by: tuple[str, ...]
    groups: tuple[tuple[Any, ...], ...]
    cells: dict[str, tuple[str, ...]]
    counts: dict[str, npt.NDArray[np.int64]]
    survival_tables: dict[str, npt.NDArray[np.int64]]


__all__ = ["KPI_COLUMNS", "kpi_definitions", "kpi_frame", "wilson_interval"]

KPI_COLUMNS = ("kpi", "numerator", "denominator", "value", "ci_lower", "ci_upper")
"""The columns of the KPI frame besides the group columns (which come after ``kpi``)."""

Floats = npt.NDArray[np.float64]
_ALPHA = 0.05
_Z = 1.959963984540054  # the standard normal quantile at 1 - alpha/2, alpha = 0.05
# Days at which "by N months" is read from a survival curve (as Cohort.survival documents).
SURVIVAL_DAYS = {3: 91, 6: 182, 12: 365}
_DAYS_PER_WEEK = 7.0
_DAYS_PER_YEAR = 365.25


class Definition(NamedTuple):
    kpi: str
    kind: str  # proportion, rate, mean, survival
    title: str
    numerator: str
    denominator: str


_DEFINITIONS: list[Definition] = [
    Definition(
        "exits_closed",
        "proportion",
        "Exits by destination among closed courses",
        "courses closed by as_of with this closure reason",
        "courses closed by as_of",
    ),
    Definition(
        "exits_all",
        "proportion",
        "Exits by destination among all courses",
        "courses closed by as_of with this closure reason",
        "courses ordered by as_of",
    ),
    Definition(
        "time_to_work_or_education",
        "survival",
        "Share started in work or education (or dropped out) by 6 and 12 months of course,"
        " and the median time to work or education (Aalen-Johansen)",
        "courses with the outcome observed by then",
        "courses started by as_of",
    ),
    Definition(
        "retention",
        "survival",
        "Share still in work or education 3, 6 and 12 months after the first start (Kaplan-Meier)",
        "spells ended (not completed) by then",
        "courses with a first start by as_of",
    ),
    Definition(
        "status",
        "proportion",
        "Status 1, 3, 6 and 12 months after closure (the Jobindsats measure)",
        "closed courses with this status recorded for the month",
        "courses closed at least that many months before as_of",
    ),
    Definition(
        "attendance",
        "proportion",
        "Attended contacts by location",
        "contacts attended",
        "contacts planned at the location by as_of",
    ),
    Definition(
        "no_show",
        "proportion",
        "No-shows by location",
        "contacts the citizen did not show up to",
        "contacts planned at the location",
    ),
    Definition(
        "contacts_per_week",
        "rate",
        "Attended contacts per week of course",
        "attended contacts by as_of",
        "weeks of course up to closure or as_of",
    ),
    Definition(
        "minutes_per_week",
        "rate",
        "Minutes of attended contact per week of course",
        "minutes of attended contacts",
        "weeks of course up to closure or as_of",
    ),
    Definition(
        "home_visit_share",
        "proportion",
        "Share of attended contacts held in the citizen's home, by month of course",
        "attended contacts at home in the month",
        "attended contacts in the month",
    ),
    Definition(
        "milestone_reached",
        "proportion",
        "Share of started courses reaching a milestone",
        "courses that reached it by as_of",
        "courses started by as_of",
    ),
    Definition(
        "milestone_days",
        "mean",
        "Days from the course's start to a milestone",
        "sum of the days to it",
        "courses that reached it",
    ),
    Definition(
        "hours_utilisation",
        "rate",
        "Hours delivered against hours granted",
        "hours delivered",
        "hours granted, grants ended by as_of",
    ),
    Definition(
        "grants_under_80",
        "proportion",
        "Share of grants delivered under 80 percent",
        "grants with delivered < 80% of granted",
        "grants ended by as_of",
    ),
    Definition(
        "stage_forward",
        "proportion",
        "Share of stage-of-change reassessments that moved forward",
        "reassessments at a later stage than the one before",
        "reassessments of a behaviour in a course",
    ),
    Definition(
        "stage_relapse",
        "proportion",
        "Share of stage-of-change reassessments that moved back",
        "reassessments at an earlier stage",
        "reassessments of a behaviour in a course",
    ),
    Definition(
        "rating_alert_share",
        "proportion",
        "Share of ratings (sessions) that raised an alert of their instrument",
        "ratings with an alert",
        "ratings by as_of",
    ),
    Definition(
        "rating_change",
        "mean",
        "Change from the baseline at the last rating",
        "sum of the changes (points)",
        "courses with two or more ratings",
    ),
    Definition(
        "reliably_improved",
        "proportion",
        "Share improved by the reliable-change index at the last rating",
        "courses reliably improved",
        "courses with two or more ratings",
    ),
    Definition(
        "mentor_changes_per_course_year",
        "rate",
        "Mentor changes per course-year",
        "mentor changes",
        "years of course up to closure or as_of",
    ),
    Definition(
        "handovers_acknowledged",
        "proportion",
        "Share of handovers acknowledged",
        "handovers acknowledged by the receiver",
        "handovers by as_of",
    ),
    Definition(
        "handover_items",
        "mean",
        "Knowledge items per handover: carried, withheld, dropped",
        "items",
        "handovers by as_of",
    ),
    Definition(
        "handover_items_dropped",
        "proportion",
        "Share of knowledge items dropped",
        "items dropped",
        "items carried, withheld or dropped",
    ),
    Definition(
        "days_to_first_contact",
        "mean",
        "Days to the first attended contact: after a handover, and from the start of"
        " courses without a handover",
        "sum of the days",
        "handovers (courses) with a first contact",
    ),
    Definition(
        "no_shows_30d",
        "mean",
        "No-shows in the 30 days after a handover, and after the start of courses without one",
        "no-shows",
        "handovers (courses without a handover)",
    ),
]
DEFINITIONS = {d.kpi: d for d in _DEFINITIONS}


def kpi_definitions() -> pd.DataFrame:
    """One row per KPI family (the part of ``kpi`` before the first dot): kind, title, and what
    its numerator and denominator count. docs/kpis.md has the full definitions."""
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(_DEFINITIONS, columns=list(Definition._fields))
    return frame


def wilson_interval(successes: Floats, trials: Floats, z: float = _Z) -> tuple[Floats, Floats]:
    """Wilson's score interval for x successes of n (NaN where n = 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / trials
        z2 = z * z
        centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
        half = z / (1 + z2 / trials) * np.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials))
    return centre - half, centre + half


class _Rows:
    """The KPI rows of one summary, gathered KPI by KPI, every KPI a row per group."""

    def __init__(self, summary: CohortSummary) -> None:
        self.summary = summary
        self.n = len(summary.groups)
        self.names: list[str] = []
        self.columns: dict[str, list[Floats]] = {c: [] for c in KPI_COLUMNS[1:]}
        # A publishable summary: its withheld cells read as NaN, which every numerator,
        # denominator and value computed from them carries into the frame.
        self.masks = getattr(summary, "suppressed", None)
        self.suppressed: list[npt.NDArray[np.bool_]] = []

    def table(self, table: str) -> Floats:
        values = self.summary.counts[table].astype(np.float64)
        if self.masks is not None:
            values[self.masks[table]] = np.nan
        return values

    def cell(self, table: str, cell: str) -> Floats:
        cells = self.summary.cells[table]
        if cell not in cells:
            return np.zeros(self.n)
        return self.table(table)[:, cells.index(cell)]

    def add(
        self,
        kpi: str,
        numerator: Floats,
        denominator: Floats,
        value: Floats,
        lower: Floats | None = None,
        upper: Floats | None = None,
        suppressed: npt.NDArray[np.bool_] | None = None,
    ) -> None:
        nan = np.full(self.n, np.nan)
        self.names.append(kpi)
        withheld = np.isnan(numerator) | np.isnan(denominator)
        if suppressed is not None:
            withheld = suppressed
        self.suppressed.append(np.asarray(withheld, dtype=bool))
        for column, values in zip(
            KPI_COLUMNS[1:],
            (
                numerator,
                denominator,
                value,
                nan if lower is None else lower,
                nan if upper is None else upper,
            ),
            strict=True,
        ):
            self.columns[column].append(np.asarray(values, dtype=np.float64))

    def proportion(self, kpi: str, numerator: Floats, denominator: Floats) -> None:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(denominator > 0, numerator / denominator, np.nan)
        lower, upper = wilson_interval(numerator, denominator)
        self.add(kpi, numerator, denominator, value, lower, upper)

    def ratio(self, kpi: str, numerator: Floats, denominator: Floats) -> None:
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(denominator > 0, numerator / denominator, np.nan)
        self.add(kpi, numerator, denominator, value)


def _enum_names(enum: Any) -> list[str]:
    return [member.name for member in sorted(enum, key=lambda m: int(m.value))]


def _course_kpis(rows: _Rows) -> None:
    closed = rows.cell("exits", "closed")
    courses = rows.cell("exits", "courses")
    reasons = _enum_names(_core.ClosureReason)
    for reason in reasons:
        rows.proportion(f"exits_closed.{reason}", rows.cell("exits", reason), closed)
    for reason in reasons:
        rows.proportion(f"exits_all.{reason}", rows.cell("exits", reason), courses)
    for months in STATUS_MONTHS:
        eligible = rows.cell("statuses", f"{months}m:eligible")
        for status in [*_enum_names(_core.FollowupStatus), "none"]:
            rows.proportion(
                f"status.{months}m.{status}", rows.cell("statuses", f"{months}m:{status}"), eligible
            )


def _contact_kpis(rows: _Rows) -> None:
    locations = _enum_names(_core.Location)
    for location in locations:
        planned = rows.cell("contacts", f"{location}:contacts")
        rows.proportion(
            f"attendance.{location}", rows.cell("contacts", f"{location}:attended"), planned
        )
    for location in locations:
        planned = rows.cell("contacts", f"{location}:contacts")
        rows.proportion(
            f"no_show.{location}", rows.cell("contacts", f"{location}:no_show"), planned
        )
    weeks = rows.cell("intensity", "course_days") / _DAYS_PER_WEEK
    rows.ratio("contacts_per_week", rows.cell("intensity", "attended"), weeks)
    rows.ratio("minutes_per_week", rows.cell("intensity", "minutes"), weeks)
    for month in range(1, HOME_VISIT_MONTHS + 1):
        rows.proportion(
            f"home_visit_share.{month:02d}",
            rows.cell("home_visits", f"home:{month:02d}"),
            rows.cell("home_visits", f"attended:{month:02d}"),
        )
    started = rows.cell("milestones", "started")
    milestones = _enum_names(_core.Milestone)
    for name in milestones:
        rows.proportion(
            f"milestone_reached.{name}", rows.cell("milestones", f"{name}:reached"), started
        )
    for name in milestones:
        rows.ratio(
            f"milestone_days.{name}",
            rows.cell("milestones", f"{name}:days"),
            rows.cell("milestones", f"{name}:reached"),
        )
    rows.ratio(
        "hours_utilisation",
        rows.cell("grants", "hours_delivered_cents") / 100,
        rows.cell("grants", "hours_granted_cents") / 100,
    )
    rows.proportion(
        "grants_under_80", rows.cell("grants", "under_80"), rows.cell("grants", "grants")
    )


def _stage_kpis(rows: _Rows) -> None:
    stages = _enum_names(_core.Stage)
    cells = rows.summary.cells["stages"]
    table = rows.table("stages")
    behaviours = sorted({cell.split(":", 1)[0] for cell in cells})
    forward_all = np.zeros(rows.n)
    back_all = np.zeros(rows.n)
    total_all = np.zeros(rows.n)
    per_behaviour = []
    for behaviour in behaviours:
        forward = np.zeros(rows.n)
        back = np.zeros(rows.n)
        total = np.zeros(rows.n)
        for j, cell in enumerate(cells):
            name, move = cell.split(":", 1)
            if name != behaviour:
                continue
            before, after = (stages.index(s) for s in move.split(">"))
            total += table[:, j]
            if after > before:
                forward += table[:, j]
            elif after < before:
                back += table[:, j]
        per_behaviour.append((behaviour, forward, back, total))
        forward_all += forward
        back_all += back
        total_all += total
    rows.proportion("stage_forward", forward_all, total_all)
    for behaviour, forward, _, total in per_behaviour:
        rows.proportion(f"stage_forward.{behaviour}", forward, total)
    rows.proportion("stage_relapse", back_all, total_all)
    for behaviour, _, back, total in per_behaviour:
        rows.proportion(f"stage_relapse.{behaviour}", back, total)


def _rating_kpis(rows: _Rows) -> None:
    instruments = sorted({cell.rsplit(":", 1)[0] for cell in rows.summary.cells["ratings"]})
    for name in instruments:
        rows.proportion(
            f"rating_alert_share.{name}",
            rows.cell("ratings", f"{name}:alerts"),
            rows.cell("ratings", f"{name}:ratings"),
        )
    for name in instruments:
        rows.ratio(
            f"rating_change.{name}",
            rows.cell("ratings", f"{name}:change_cents") / 100,
            rows.cell("ratings", f"{name}:followed"),
        )
    for name in instruments:
        rows.proportion(
            f"reliably_improved.{name}",
            rows.cell("ratings", f"{name}:reliably_improved"),
            rows.cell("ratings", f"{name}:followed"),
        )


def _handover_kpis(rows: _Rows) -> None:
    rows.ratio(
        "mentor_changes_per_course_year",
        rows.cell("continuity", "mentor_changes"),
        rows.cell("continuity", "course_days") / _DAYS_PER_YEAR,
    )
    handovers = rows.cell("handovers", "handovers")
    rows.proportion("handovers_acknowledged", rows.cell("handovers", "acknowledged"), handovers)
    items = {kind: rows.cell("handovers", kind) for kind in ("carried", "withheld", "dropped")}
    for kind, count in items.items():
        rows.ratio(f"handover_items.{kind}", count, handovers)
    rows.proportion(
        "handover_items_dropped", items["dropped"], sum(items.values(), np.zeros(rows.n))
    )
    rows.ratio(
        "days_to_first_contact.after_handover",
        rows.cell("handovers", "days_to_first_contact"),
        rows.cell("handovers", "first_contact_known"),
    )
    rows.ratio(
        "days_to_first_contact.without_handover",
        rows.cell("continuity", "without_days_to_first_contact"),
        rows.cell("continuity", "without_first_contact_known"),
    )
    rows.ratio(
        "no_shows_30d.after_handover",
        rows.cell("handovers", "no_shows_30d"),
        rows.cell("handovers", "followed_30d"),
    )
    rows.ratio(
        "no_shows_30d.without_handover",
        rows.cell("continuity", "without_no_shows_30d"),
        rows.cell("continuity", "without_followed_30d"),
    )


def survival_counts(table: npt.NDArray[np.int64], group: int) -> dict[str, Any]:
    """The counts of one group in a survival table, as the estimators take them."""
    mine = table[table[:, 0] == group]
    return {
        "time": mine[:, 1].astype(np.float64),
        "entered": mine[:, 2].copy(),
        "censored": mine[:, 3].copy(),
        "events": mine[:, 4:].T.copy(),
        "initial": int(mine[:, 3:].sum()),
    }


def _step_at(times: Floats, values: Floats, t: float, before: float) -> float:
    i = int(np.searchsorted(times, t, side="right")) - 1
    return before if i < 0 else float(values[i])


def _first_reaching(times: Floats, values: Floats, level: float) -> float:
    reached = np.flatnonzero(values >= level)
    return float(times[reached[0]]) if len(reached) else math.inf


_TTW = SURVIVAL_TABLES["time_to_work_or_education"]
SURVIVAL_KPIS = (
    *(
        f"time_to_work_or_education.{o}_{h}m"
        for h in (6, 12)
        for o in ("work_or_education", *_TTW[:3])
    ),
    "time_to_work_or_education.median_days",
    *(f"retention.{h}m" for h in SURVIVAL_DAYS),
)
"""The survival KPIs, in the order of the frame."""


def survival_results(summary: CohortSummary) -> dict[str, list[Floats]]:
    """Per survival KPI: numerator, denominator, value, ci_lower and ci_upper of every group,
    from the per-day tables (NaN for a group nobody in the question belongs to)."""
    n = len(summary.groups)
    outcomes = _TTW
    results: dict[str, list[Floats]] = {
        kpi: [np.full(n, np.nan) for _ in range(5)] for kpi in SURVIVAL_KPIS
    }

    def put(kpi: str, group: int, values: tuple[float, float, float, float, float]) -> None:
        for array, value in zip(results[kpi], values, strict=True):
            array[group] = value

    for group in range(n):
        aj = estimate_from_counts(summary, "time_to_work_or_education", group)
        if aj is not None:
            times, subjects, events = aj["time"], float(aj["initial"]), aj["events"]
            for horizon in (6, 12):
                day = SURVIVAL_DAYS[horizon]
                seen = times <= day
                for k, outcome in enumerate(outcomes[:3]):
                    put(
                        f"time_to_work_or_education.{outcome}_{horizon}m",
                        group,
                        (
                            float(events[k][seen].sum()),
                            subjects,
                            _step_at(times, aj["incidence"][k], day, 0.0),
                            _step_at(times, aj["ci_lower"][k], day, 0.0),
                            _step_at(times, aj["ci_upper"][k], day, 0.0),
                        ),
                    )
                combined = aj["combined"]
                put(
                    f"time_to_work_or_education.work_or_education_{horizon}m",
                    group,
                    (
                        float(events[0][seen].sum() + events[1][seen].sum()),
                        subjects,
                        _step_at(times, combined["incidence"], day, 0.0),
                        _step_at(times, combined["ci_lower"], day, 0.0),
                        _step_at(times, combined["ci_upper"], day, 0.0),
                    ),
                )
            combined = aj["combined"]
            put(
                "time_to_work_or_education.median_days",
                group,
                (
                    np.nan,
                    subjects,
                    _first_reaching(times, combined["incidence"], 0.5),
                    _first_reaching(times, combined["ci_upper"], 0.5),
                    _first_reaching(times, combined["ci_lower"], 0.5),
                ),
            )
        km = estimate_from_counts(summary, "retention", group)
        if km is not None:
            times = km["time"]
            for horizon, day in SURVIVAL_DAYS.items():
                seen = times <= day
                put(
                    f"retention.{horizon}m",
                    group,
                    (
                        float(km["events"][0][seen].sum()),
                        float(km["initial"]),
                        _step_at(times, km["survival"], day, 1.0),
                        _step_at(times, km["ci_lower"], day, 1.0),
                        _step_at(times, km["ci_upper"], day, 1.0),
                    ),
                )
    return results


def survival_kpi_values(summary: CohortSummary, min_count: int) -> npt.NDArray[np.float64]:
    """The survival KPIs as a publishable summary keeps them: (KPI, group, numerator,
    denominator, value, ci_lower, ci_upper, suppressed), everything NaN and suppressed 1 where
    the group has fewer than `min_count` subjects or between 1 and `min_count` - 1 outcomes."""
    results = survival_results(summary)
    table = np.full((len(SURVIVAL_KPIS), len(summary.groups), 6), np.nan)
    for i, kpi in enumerate(SURVIVAL_KPIS):
        numerator, denominator = results[kpi][0], results[kpi][1]
        small = (denominator < min_count) | ((numerator > 0) & (numerator < min_count))
        small |= np.isnan(denominator)
        for k in range(5):
            table[i, :, k] = np.where(small, np.nan, results[kpi][k])
        table[i, :, 5] = small
    return table


def _survival_kpis(rows: _Rows) -> None:
    published = getattr(rows.summary, "published_survival", None)
    if published is not None:
        for i, kpi in enumerate(SURVIVAL_KPIS):
            values = published[i]
            rows.add(
                kpi,
                values[:, 0],
                values[:, 1],
                values[:, 2],
                values[:, 3],
                values[:, 4],
                suppressed=values[:, 5] > 0,
            )
        return
    results = survival_results(rows.summary)
    for kpi in SURVIVAL_KPIS:
        numerator, denominator, value, lower, upper = results[kpi]
        rows.add(kpi, numerator, denominator, value, lower, upper)


def estimate_from_counts(summary: CohortSummary, name: str, group: int) -> dict[str, Any] | None:
    """The estimator's curves for one group of a survival table (None when nobody is in it)."""
    counts = survival_counts(summary.survival_tables[name], group)
    if counts["initial"] == 0:
        return None
    times, entered, censored, events = (
        counts[k] for k in ("time", "entered", "censored", "events")
    )
    if name == "retention":
        km = _core.kaplan_meier_from_counts(
            times, entered, events[0], censored, counts["initial"], _ALPHA
        )
        return {**dict(km), **counts}
    aj = dict(
        _core.aalen_johansen_from_counts(
            times, entered, censored, events, counts["initial"], _ALPHA, "delta"
        )
    )
    # Work or education as one outcome, beside dropout and the other exits: its own
    # Aalen-Johansen from the same counts, which gives the combined share its interval.
    merged = np.vstack([events[0] + events[1], events[2], events[3]])
    combined: dict[str, Any] = dict(
        _core.aalen_johansen_from_counts(
            times, entered, censored, merged, counts["initial"], _ALPHA, "delta"
        )
    )
    return {
        **counts,
        "incidence": aj["incidence"],
        "ci_lower": aj["ci_lower"],
        "ci_upper": aj["ci_upper"],
        "combined": {k: combined[k][0] for k in ("incidence", "ci_lower", "ci_upper")},
    }


def kpi_frame(summary: CohortSummary) -> pd.DataFrame:
    """The long KPI frame of `summary` (see CohortSummary.kpis)."""
    import pandas as pd

    rows = _Rows(summary)
    _course_kpis(rows)
    _survival_kpis(rows)
    _contact_kpis(rows)
    _stage_kpis(rows)
    _rating_kpis(rows)
    _handover_kpis(rows)
    n = rows.n
    frame: pd.DataFrame = pd.DataFrame({"kpi": np.repeat(np.asarray(rows.names, dtype=object), n)})
    for j, column in enumerate(summary.by):
        values = [key[j] for key in summary.groups]
        frame[column] = pd.Series(values * len(rows.names), dtype=object)
    for column, arrays in rows.columns.items():
        frame[column] = np.concatenate(arrays) if arrays else np.zeros(0)
    if rows.masks is not None:
        withheld = np.concatenate(rows.suppressed) if rows.suppressed else np.zeros(0, dtype=bool)
        # The value and its interval would give a withheld numerator or denominator back.
        for column in ("value", "ci_lower", "ci_upper"):
            frame.loc[withheld, column] = np.nan
        frame["suppressed"] = withheld
    return frame
