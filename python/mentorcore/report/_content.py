"""What the report says, section by section, as plain values for the template: every KPI and
table from the publishable summaries, every label from the language's catalogue."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _core
from .._kpis import DEFINITIONS
from .._summary_counts import HOME_VISIT_MONTHS
from . import _figures
from ._i18n import DASH, N_, Language

# The labels of the parts of KPI names (the closure reasons, milestones, ...).
LABELS = {
    "job": N_("ordinary job"),
    "flex_job": N_("flex job"),
    "education": N_("education"),
    "other_measure": N_("another measure"),
    "pension": N_("pension"),
    "moved": N_("moved away"),
    "sick": N_("sick"),
    "dropped_out": N_("dropped out"),
    "grant_expired": N_("grant ran out"),
    "deceased": N_("deceased"),
    "other": N_("other reason"),
    "first_office_visit": N_("first visit at the provider's office"),
    "first_own_appointment_alone": N_("first appointment attended alone"),
    "work_trial_start": N_("work trial started"),
    "job_or_education_start": N_("job or education started"),
    "precontemplation": N_("precontemplation"),
    "contemplation": N_("contemplation"),
    "preparation": N_("preparation"),
    "action": N_("action"),
    "maintenance": N_("maintenance"),
    "termination": N_("termination"),
    "outcome_scale": N_("outcome scale"),
    "session_scale": N_("session scale"),
    "municipality": N_("municipality"),
    "target_group": N_("target group"),
    "provider": N_("provider"),
    "mentor": N_("mentor"),
    "caseworker": N_("caseworker"),
    "start_year": N_("year of start"),
}

# The statuses after a course (the Jobindsats measure).
STATUS_LABELS = {
    "in_work": N_("in work"),
    "in_education": N_("in education"),
    "on_benefit": N_("on benefit"),
    "self_supporting": N_("self-supporting"),
    "other": N_("other status"),
    "none": N_("no status recorded"),
}

# How each figure is censored (docs/kpis.md), by KPI family.
CENSORING = {
    "exits_closed": N_("Open courses are not counted."),
    "exits_all": N_("Open courses count in the denominator only."),
    "time_to_work_or_education": N_(
        "Courses still open with no start on the day of the data are censored that day;"
        " dropout and other exits compete with work and education (Aalen-Johansen)."
    ),
    "retention": N_(
        "Spells still going on are censored on the day of the data, closed courses 12 months"
        " after closure; a completed education is censored on its end day (Kaplan-Meier)."
    ),
    "milestone_reached": N_("Not adjusted for censoring: a share of the courses as they stand."),
    "milestone_days": N_("Only courses that reached the milestone."),
    "home_visit_share": N_("Contacts after the day of the data are not counted."),
    "hours_utilisation": N_("Only grants that ended by the day of the data."),
    "grants_under_80": N_("Only grants that ended by the day of the data."),
    "stage_forward": N_("Reassessments after the day of the data are not counted."),
    "stage_relapse": N_("Reassessments after the day of the data are not counted."),
    "rating_alert_share": N_("Ratings after the day of the data are not counted."),
    "reliably_improved": N_("Courses with fewer than two ratings are left out."),
    "contacts_per_week": N_("Weeks up to closure or the day of the data."),
    "minutes_per_week": N_("Weeks up to closure or the day of the data."),
    "status": N_(
        "Only courses closed at least that many calendar months before the day of the data."
    ),
    "handovers_acknowledged": N_("Handovers after the day of the data are not counted."),
    "handover_items": N_("Handovers after the day of the data are not counted."),
    "handover_items_dropped": N_("Handovers after the day of the data are not counted."),
    "days_to_first_contact": N_("Handovers or courses with no attended contact are left out."),
    "no_shows_30d": N_("Contacts after the day of the data are not counted."),
}

# The reasons a line can be rejected for, told apart by the start of the reader's message:
# the report counts lines per reason and never shows the message itself.
REJECTION_REASONS = {
    "malformed_json": N_("not valid JSON"),
    "unknown_event_type": N_("unknown event type"),
    "course_rejected": N_("another line of the course was rejected"),
    "invalid": N_("a field with a wrong value or an event breaking a rule"),
}

# The KPI families the report shows, in its order: the definitions section defines these.
SHOWN_FAMILIES = (
    "exits_closed",
    "status",
    "time_to_work_or_education",
    "retention",
    "milestone_reached",
    "milestone_days",
    "home_visit_share",
    "hours_utilisation",
    "grants_under_80",
    "contacts_per_week",
    "minutes_per_week",
    "stage_forward",
    "stage_relapse",
    "rating_alert_share",
    "reliably_improved",
    "handovers_acknowledged",
    "handover_items",
    "handover_items_dropped",
    "days_to_first_contact",
    "no_shows_30d",
)

HEADLINE_KPIS = (
    "exits_closed.job",
    "exits_closed.education",
    "time_to_work_or_education.work_or_education_12m",
    "time_to_work_or_education.median_days",
    "retention.6m",
    "hours_utilisation",
    "contacts_per_week",
)


def rejection_reason(message: str) -> str:
    """The reason (a key of REJECTION_REASONS) of a rejected line's message."""
    if message.startswith("malformed JSON"):
        return "malformed_json"
    if message.endswith("unknown event type"):
        return "unknown_event_type"
    if message.startswith("course ") and " was rejected at line " in message:
        return "course_rejected"
    return "invalid"


@dataclass
class DataQuality:
    """What was read: files, lines (None where unknown, e.g. a pipe), courses, and the rejected
    lines counted by reason (never their text or course)."""

    files: int | None = None
    lines: int | None = None
    courses: int | None = None
    rejected: Counter[str] = field(default_factory=Counter)
    redacted_texts: int = 0

    @classmethod
    def from_read_result(
        cls, result: Any, files: int | None = None, lines: int | None = None
    ) -> DataQuality:
        rejected = Counter(rejection_reason(line.message) for line in result.rejected)
        if files is None:
            files = len({line.file for line in result.rejected}) or None
        return cls(files, lines, len(result.cohort), rejected, result.redacted_texts)


def _kind(kpi: str) -> str:
    family = kpi.split(".", 1)[0]
    if kpi.endswith("median_days"):
        return "days"
    return DEFINITIONS[family].kind if family in DEFINITIONS else "mean"


class KpiTable:
    """The KPI rows of a publishable summary, looked up by KPI and group."""

    def __init__(self, summary: Any) -> None:
        frame = summary.kpis()
        self.by = summary.by
        self.rows: dict[tuple[str, tuple[Any, ...]], dict[str, Any]] = {}
        for record in frame.to_dict("records"):
            key = tuple(record[c] for c in summary.by)
            self.rows[(record["kpi"], key)] = record
        self.kpis = list(dict.fromkeys(frame["kpi"]))

    def get(self, kpi: str, group: tuple[Any, ...] = ()) -> dict[str, Any] | None:
        return self.rows.get((kpi, group))


# The KPIs that can be read off each survival curve the report draws (docs/report.md,
# "Suppression"): the cumulative incidence of each outcome for all courses (work and education
# together give work or education and its median), of work or education for each group, and the
# retention curve. A curve is left out when any of them is withheld.
_TTW = "time_to_work_or_education."
_WORK_OR_EDUCATION = (
    f"{_TTW}work_or_education_6m",
    f"{_TTW}work_or_education_12m",
    f"{_TTW}median_days",
)
OUTCOME_KPIS = {
    1: (f"{_TTW}work_6m", f"{_TTW}work_12m", *_WORK_OR_EDUCATION),
    2: (f"{_TTW}education_6m", f"{_TTW}education_12m", *_WORK_OR_EDUCATION),
    3: (f"{_TTW}dropout_6m", f"{_TTW}dropout_12m"),
}
GROUP_CURVE_KPIS = _WORK_OR_EDUCATION
RETENTION_CURVE_KPIS = ("retention.3m", "retention.6m", "retention.12m")


def withheld(kpis: KpiTable | None, names: Sequence[str], group: tuple[Any, ...] = ()) -> bool:
    """Whether any of the KPIs `names` is withheld (or absent) for `group` in the publishable
    table: a curve they can be read off would show it."""
    if kpis is None:
        return bool(names)
    for name in names:
        row = kpis.get(name, group)
        if row is None or row.get("suppressed"):
            return True
    return False


def at_risk_shown(counts: Sequence[int], min_count: int) -> list[bool]:
    """Which of the falling at-risk counts under the retention curve are shown: each one 0 or at
    least `min_count`, and so far from the last one shown (0 or at least `min_count` apart) that
    their difference, the people who ended or were censored between, is no small cell either.
    (Where no one is censored, 30 at the start and 27 at day 91 would tell a withheld 3.)"""
    shown = []
    last: int | None = None
    for count in counts:
        show = count == 0 or count >= min_count
        if show and last is not None:
            show = last - count == 0 or last - count >= min_count
        shown.append(show)
        if show:
            last = count
    return shown


def label(language: Language, key: str) -> str:
    return language.gettext(LABELS[key]) if key in LABELS else key.replace("_", " ")


def group_label(language: Language, key: tuple[Any, ...]) -> str:
    return ", ".join(language.gettext("(not recorded)") if v is None else str(v) for v in key)


def value_text(language: Language, kpi: str, row: dict[str, Any] | None) -> str:
    if row is None or row.get("suppressed"):
        return DASH
    kind = _kind(kpi)
    if kind in ("proportion", "survival"):
        return language.percent(row["value"])
    if kind == "days":
        if row["value"] == float("inf"):
            return language.gettext("not reached")
        return language.decimal(row["value"], 0)
    two = kpi.endswith("_per_week") or kpi == "hours_utilisation"
    return language.decimal(row["value"], 2 if two else 1)


def kpi_row(language: Language, kpi: str, title: str, row: dict[str, Any] | None) -> dict[str, Any]:
    """A KPI as the report shows it: title, value, numerator and denominator, interval."""
    interval = ""
    suppressed = row is None or bool(row.get("suppressed"))
    if row is not None and not suppressed and _kind(kpi) in ("proportion", "survival"):
        lower, upper = row["ci_lower"], row["ci_upper"]
        if lower == lower and upper == upper:  # not NaN
            interval = f"{language.percent(lower)} {DASH} {language.percent(upper)}"
    numerator = DASH if row is None else language.count(row["numerator"])
    if row is not None and _kind(kpi) in ("survival", "days"):
        numerator = DASH if kpi.endswith("median_days") else numerator
    if row is not None and _kind(kpi) in ("rate", "mean") and kpi != "hours_utilisation":
        numerator = language.count(row["numerator"])
    return {
        "id": kpi,
        "title": title,
        "value": value_text(language, kpi, row),
        "numerator": numerator,
        "denominator": DASH if row is None else language.count(row["denominator"]),
        "interval": interval,
        "suppressed": suppressed,
    }


def _missing(value: Any) -> bool:
    """Whether a table's value is withheld or missing (pandas' NA, NaN, None)."""
    import pandas as pd

    return bool(pd.isna(value))


def _table_value(frame: Any, column: str, row: int = 0) -> int | None:
    value = frame[column].iloc[row]
    return None if _missing(value) else int(value)


def _survival_groups(full: Any, name: str) -> list[tuple[Any, Any]]:
    estimates = full.survival(name)
    return list(estimates.items()) if isinstance(estimates, dict) else []


def build(
    *,
    language: Language,
    title: str,
    full_all: Any,
    full_by: Any | None,
    published_all: Any,
    published_by: Any | None,
    first_day: datetime.date | None,
    min_count: int,
    quality: DataQuality | None,
) -> dict[str, Any]:
    """The template's context."""
    _ = language.gettext
    kpis = KpiTable(published_all)
    kpis_by = None if published_by is None else KpiTable(published_by)
    exits = published_all.table("exits")
    milestones = published_all.table("milestones")

    def row(kpi: str, title: str) -> dict[str, Any]:
        return kpi_row(language, kpi, title, kpis.get(kpi))

    context: dict[str, Any] = {
        "language": language.code,
        "title": title,
        "as_of": language.date(published_all.as_of),
        "first_day": None if first_day is None else language.date(first_day),
        "min_count": language.count(min_count),
        "by": None if full_by is None else ", ".join(label(language, c) for c in full_by.by),
        "courses": language.count(_table_value(exits, "courses")),
        "started": language.count(_table_value(milestones, "started")),
        "closed": language.count(_table_value(exits, "closed")),
        "open": language.count(_table_value(exits, "open")),
    }
    context["headline"] = [
        row("exits_closed.job", _("Closed courses ending in an ordinary job")),
        row("exits_closed.education", _("Closed courses ending in education")),
        row(
            "time_to_work_or_education.work_or_education_12m",
            _("Started in work or education within 12 months of the start"),
        ),
        row("time_to_work_or_education.median_days", _("Median days to work or education")),
        row("retention.6m", _("Still in work or education 6 months after the first start")),
        row("hours_utilisation", _("Hours delivered per hour granted")),
        row("contacts_per_week", _("Attended contacts per week of course")),
    ]
    # Outcomes by destination.
    context["outcomes"] = [
        row(kpi, label(language, kpi.split(".", 1)[1]))
        for kpi in kpis.kpis
        if kpi.startswith("exits_closed.")
    ]
    context["statuses"] = [
        row(kpi, _(STATUS_LABELS.get(kpi.split(".")[2], kpi.split(".")[2])))
        for kpi in kpis.kpis
        if kpi.startswith("status.12m.")
    ]
    # Time to work or education.
    everyone = None
    groups = []
    try:
        everyone = full_all.survival("time_to_work_or_education")
        if full_by is not None:
            groups = [
                (k if isinstance(k, tuple) else (k,), e)
                for k, e in _survival_groups(full_by, "time_to_work_or_education")
            ]
    except ValueError:  # no course has started yet: nothing to draw
        everyone, groups = None, []
    # Secondary suppression: a curve that a withheld figure could be read off is not drawn
    # (the figure is withheld to protect another cell, but its own curve may be large enough).
    curves = everyone is not None and _figures.subjects(everyone) >= min_count
    outcomes = [
        k for k in _figures.OUTCOMES if not (curves and withheld(kpis, OUTCOME_KPIS.get(k, ())))
    ]
    large = [(key, e) for key, e in groups if _figures.subjects(e) >= min_count]
    drawn = [(key, e) for key, e in large if not withheld(kpis_by, GROUP_CURVE_KPIS, key)]
    labelled = [(group_label(language, key), e) for key, e in drawn]
    context["ttw_figures"] = _figures.cumulative_incidence(
        everyone, labelled, min_count, language, outcomes
    )
    context["ttw_small_groups"] = len(groups) - len(large)
    context["ttw_withheld_groups"] = len(large) - len(drawn)
    context["ttw_withheld_outcomes"] = ", ".join(
        language.gettext(name) for k, name in _figures.OUTCOMES.items() if k not in outcomes
    )
    context["ttw_groups_capped"] = len(drawn) > _figures.MAX_GROUPS
    context["max_groups"] = _figures.MAX_GROUPS
    context["ttw"] = [
        row(f"time_to_work_or_education.{outcome}_{months}m", title)
        for months in (6, 12)
        for outcome, title in (
            ("work_or_education", _("work or education")),
            ("work", _("work")),
            ("education", _("education")),
            ("dropout", _("dropped out")),
        )
    ]
    for item, months in zip(context["ttw"], [6] * 4 + [12] * 4, strict=True):
        item["title"] = _("%(what)s within %(months)s months") % {
            "what": item["title"],
            "months": months,
        }
    # Retention.
    km = None
    try:
        km = full_all.survival("retention")
    except ValueError:  # nobody started work or education
        km = None
    context["retention_withheld"] = (
        km is not None
        and _figures.subjects(km) >= min_count
        and withheld(kpis, RETENTION_CURVE_KPIS)
    )
    context["retention_figure"] = (
        None
        if km is None or context["retention_withheld"]
        else _figures.retention(km, min_count, language)
    )
    at_risk = []
    if km is not None and not context["retention_withheld"]:
        times = [0, 91, 182, 365, 730]
        table = km.at_risk_table(times)
        counts = [int(table["at_risk_start"].iloc[0]), *table["at_risk_end"]]
        for day, count, show in zip(times, counts, at_risk_shown(counts, min_count), strict=True):
            shown = language.count(count) if show else DASH
            at_risk.append({"day": language.count(day), "at_risk": shown})
    context["at_risk"] = at_risk
    context["retention"] = [
        row(f"retention.{m}m", _("%(months)s months after the first start") % {"months": m})
        for m in (3, 6, 12)
    ]
    # Independence.
    context["milestones"] = [
        {
            **row(f"milestone_reached.{m}", label(language, m)),
            "days": value_text(language, f"milestone_days.{m}", kpis.get(f"milestone_days.{m}")),
        }
        for m in (
            "first_office_visit",
            "first_own_appointment_alone",
            "work_trial_start",
            "job_or_education_start",
        )
    ]
    shares = []
    for month in range(1, HOME_VISIT_MONTHS + 1):
        found = kpis.get(f"home_visit_share.{month:02d}")
        shares.append(
            float("nan") if found is None or found.get("suppressed") else float(found["value"])
        )
    context["home_figure"] = _figures.home_visits(shares, language)
    context["home_rows"] = [
        row(f"home_visit_share.{m:02d}", _("month %(month)s") % {"month": m}) for m in (1, 3, 6, 12)
    ]
    # Hours.
    context["hours"] = [
        row("hours_utilisation", _("Hours delivered per hour granted")),
        row("grants_under_80", _("Grants delivered under 80 percent")),
        row("contacts_per_week", _("Attended contacts per week of course")),
        row("minutes_per_week", _("Minutes of contact per week of course")),
    ]
    bins = published_all.table("utilisation").iloc[0, len(published_all.by) :]
    context["utilisation_figure"] = _figures.utilisation(
        [float("nan") if _missing(v) else float(v) for v in bins],
        language,
    )
    # Motivation.
    context["stage_figure"] = _stage_figure(published_all, language)
    context["stages"] = [
        row("stage_forward", _("Reassessments at a later stage")),
        row("stage_relapse", _("Reassessments at an earlier stage")),
    ]
    context["ratings"] = [
        row(kpi, f"{_(title)}: {label(language, kpi.split('.', 1)[1])}")
        for kpi in kpis.kpis
        for prefix, title in (
            ("rating_alert_share.", N_("Ratings with an alert")),
            ("reliably_improved.", N_("Reliably improved")),
        )
        if kpi.startswith(prefix)
    ]
    # Handovers.
    context["handovers"] = [
        row("handovers_acknowledged", _("Handovers acknowledged by the next mentor")),
        row("handover_items_dropped", _("Knowledge items dropped at handover")),
        row("handover_items.carried", _("Items carried per handover")),
        row("handover_items.withheld", _("Items withheld per handover")),
        row("handover_items.dropped", _("Items dropped per handover")),
    ]
    context["handover_comparison"] = [
        {
            "title": title,
            "after": row(f"{family}.after_handover", title),
            "without": row(f"{family}.without_handover", title),
        }
        for family, title in (
            ("days_to_first_contact", _("Days to the first attended contact")),
            ("no_shows_30d", _("No-shows in the first 30 days")),
        )
    ]
    context["handover_figure"] = _handover_figure(published_all, published_by, language)
    # Comparison by group.
    context["comparison"] = None
    if published_by is not None:
        context["comparison"] = _comparison(published_by, language, min_count)
    # Data quality.
    context["quality"] = None
    if quality is not None:
        context["quality"] = {
            "files": None if quality.files is None else language.count(quality.files),
            "lines": None if quality.lines is None else language.count(quality.lines),
            # A count of courses is a count of people: withheld when small, as in the headline.
            "courses": (
                language.count(quality.courses)
                if quality.courses == 0 or (quality.courses or 0) >= min_count
                else DASH
            ),
            "rejected_total": language.count(sum(quality.rejected.values())),
            "rejected": [
                {"reason": _(REJECTION_REASONS[r]), "lines": language.count(quality.rejected[r])}
                for r in REJECTION_REASONS
                if quality.rejected[r]
            ],
            "redacted": language.count(quality.redacted_texts),
        }
    context["definitions"] = _definitions(language, SHOWN_FAMILIES)
    return context


def _stage_figure(summary: Any, language: Language) -> str | None:
    stages = [m.name for m in sorted(_core.Stage, key=lambda m: int(m.value))]
    cells = summary.cells["stages"]
    if not cells:
        return None
    counts = summary.counts["stages"].sum(axis=0)
    withheld_cells = summary.suppressed["stages"].any(axis=0)
    matrix = np.zeros((len(stages), len(stages)), dtype=np.int64)
    withheld = np.zeros(matrix.shape, dtype=bool)
    for j, cell in enumerate(cells):
        before, after = cell.split(":", 1)[1].split(">")
        i, k = stages.index(before), stages.index(after)
        matrix[i, k] += counts[j]
        withheld[i, k] |= bool(withheld_cells[j])
    names = [label(language, stage) for stage in stages]
    return _figures.stage_transitions(matrix, withheld, names, language)


def _handover_figure(published_all: Any, published_by: Any | None, language: Language) -> str:
    source = published_by if published_by is not None else published_all
    kpis = KpiTable(source)
    groups = list(source.groups)
    if len(groups) > _figures.MAX_GROUPS:
        # The groups with the most handovers (a withheld count counts as none).
        handovers = source.table("handovers")["handovers"]
        made = [0 if _missing(v) else int(v) for v in handovers]
        order = sorted(range(len(groups)), key=lambda g: -made[g])[: _figures.MAX_GROUPS]
        groups = [groups[g] for g in sorted(order)]
    labels = [group_label(language, g) for g in groups] if source.by else [language.gettext("all")]
    per_kind: dict[str, Sequence[float]] = {}
    for kind, name in (
        ("carried", N_("carried")),
        ("withheld", N_("withheld")),
        ("dropped", N_("dropped")),
    ):
        values = []
        for g in groups:
            found = kpis.get(f"handover_items.{kind}", g)
            ok = (
                found is not None
                and not found.get("suppressed")
                and found["value"] == found["value"]
            )
            values.append(float(found["value"]) if ok and found is not None else float("nan"))
        per_kind[language.gettext(name)] = values
    return _figures.handover_items(labels, per_kind, language)


def _comparison(published_by: Any, language: Language, min_count: int) -> dict[str, Any]:
    kpis = KpiTable(published_by)
    exits = published_by.table("exits")
    _ = language.gettext
    columns = [
        _("courses"),
        _("ordinary job (closed)"),
        _("education (closed)"),
        _("work or education within 12 months"),
        _("median days to work or education"),
        _("retention 6 months"),
        _("hours delivered per hour granted"),
        _("contacts per week"),
    ]
    rows = []
    withheld = False
    for position, group in enumerate(published_by.groups):
        courses = _table_value(exits, "courses", position)
        cells = [DASH if courses is None else language.count(courses)]
        withheld |= courses is None
        for kpi in HEADLINE_KPIS:
            found = kpis.get(kpi, group)
            text = value_text(language, kpi, found)
            withheld |= text == DASH
            cells.append(text)
        rows.append({"group": group_label(language, group), "cells": cells})
    return {"columns": columns, "rows": rows, "withheld": withheld}


def _definitions(language: Language, shown: Sequence[str]) -> list[dict[str, str]]:
    _ = language.gettext
    result = []
    for family in shown:
        if family not in DEFINITIONS:
            continue
        definition = DEFINITIONS[family]
        result.append(
            {
                "id": family,
                "title": _(definition.title),
                "numerator": _(definition.numerator),
                "denominator": _(definition.denominator),
                "censoring": _(CENSORING[family]) if family in CENSORING else DASH,
            }
        )
    return result
