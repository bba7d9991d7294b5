"""The KPI peer in idiomatic pandas: boolean masks, merges on the course and groupby."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from . import _common as rules

_COLUMNS = {
    "courses": [
        "course",
        "ordered",
        "started",
        "closed",
        "closure_reason",
        *(f"status_{months}m" for months in rules.STATUS_MONTHS),
    ],
    "contacts": ["course", "date", "location", "attendance", "actual_minutes"],
    "milestones": ["course", "date", "milestone"],
    "grants": ["course", "end_in_force", "planned_end", "hours_granted", "hours_delivered"],
    "handovers": [
        "course",
        "date",
        "state",
        "settled",
        "sender_role",
        "receiver_role",
        *rules.ITEMS,
        "days_to_first_contact",
        "no_shows_within_30_days",
    ],
    "assessments": ["course", "date", "behaviour", "stage"],
    "ratings": [
        "course",
        "date",
        "instrument",
        "alert",
        "change_from_baseline",
        "reliably_improved",
    ],
}
"""The columns the pandas peer reads of each table (and the group columns of the courses)."""


class _Emitter:
    """Collects the rows of the KPI families: numerators and denominators are Series indexed by
    the group columns `keys` (and, for a family with details, a last level ``detail``)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.parts: list[pd.DataFrame] = []

    def __call__(
        self,
        kpi: str,
        numerator: pd.Series,
        denominator: pd.Series,
        details: Sequence[str] | None = None,
    ) -> None:
        """Rows of one family: `numerator` per group (or per group and detail), `denominator`
        per group or per group and detail; every detail of `details` for every group (else the
        details of the denominator)."""
        if details is None and "detail" not in numerator.index.names:
            num, den = numerator.align(denominator, join="outer", fill_value=0)
            frame = pd.DataFrame({"numerator": num, "denominator": den}).reset_index()
            frame["kpi"] = kpi
        else:
            num_wide = numerator.unstack("detail", fill_value=0)
            if "detail" in denominator.index.names:
                den_wide = denominator.unstack("detail", fill_value=0)
            else:
                den_wide = pd.DataFrame({d: denominator for d in details or ()})
            if details is not None:
                num_wide = num_wide.reindex(columns=list(details), fill_value=0)
                den_wide = den_wide.reindex(columns=list(details), fill_value=0)
            num_wide, den_wide = num_wide.align(den_wide, join="outer", fill_value=0)
            num_wide.columns.name = den_wide.columns.name = "detail"
            frame = pd.DataFrame(
                {
                    "numerator": num_wide.stack(future_stack=True),
                    "denominator": den_wide.stack(future_stack=True),
                }
            ).reset_index()
            frame["kpi"] = kpi + "." + frame["detail"].astype(str)
        self.parts.append(frame[["kpi", *self.keys, "numerator", "denominator"]])


def pandas_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str | Sequence[str] = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in idiomatic pandas: boolean masks, merges on the course and groupby."""
    names, keys, arrow = rules.prepare(cohort, by, tables)
    # Only the columns the KPIs read (the other engines prune columns by themselves).
    needed = {**_COLUMNS, "courses": _COLUMNS["courses"] + [n for n in names if n != "start_year"]}
    read = {
        name: arrow[name].select(columns).to_pandas(date_as_object=False)
        for name, columns in needed.items()
    }
    cut = pd.Timestamp(as_of)
    emit = _Emitter(keys)

    def per(frame: pd.DataFrame, detail: str | pd.Series | None = None) -> Any:
        """`frame` grouped by the groups (and by the column or Series `detail`, as ``detail``)."""
        by: list[Any] = list(keys)
        if detail is not None:
            by.append((frame[detail] if isinstance(detail, str) else detail).rename("detail"))
        return frame.groupby(by, observed=True, dropna=False)

    def dated(table: str, courses: pd.DataFrame) -> pd.DataFrame:
        """The rows of `table` dated by as_of, with their course's columns from `courses`."""
        rows = read[table]
        return rows[rows["date"] <= cut].merge(courses, on="course")

    courses = read["courses"]
    courses = courses[courses["ordered"] <= cut].copy()
    courses["is_closed"] = courses["closed"] <= cut
    courses["is_started"] = courses["started"] <= cut
    courses["start_year"] = courses["started"].dt.year.where(courses["is_started"]).astype("Int64")
    # The groups under names of their own (a child table may have a column named like one).
    for key, name in zip(keys, names, strict=True):
        courses[key] = courses[name]
    end = courses["closed"].where(courses["is_closed"], cut)
    courses["course_days"] = (
        (end - courses["started"]).dt.days.clip(lower=0).where(courses["is_started"], 0)
    )
    per_course = per(courses)
    groups = courses[["course", *keys]]
    started_at = courses[["course", *keys, "started"]]

    # Exits and the status after closure.
    closed = courses[courses["is_closed"]]
    reasons = rules.categories(arrow["courses"], "closure_reason")
    exits = per(closed, "closure_reason").size()
    emit("exits_closed", exits, per_course["is_closed"].sum(), reasons)
    emit("exits_all", exits, per_course.size(), reasons)
    statuses = [*rules.categories(arrow["courses"], "status_1m"), "none"]
    for months in rules.STATUS_MONTHS:
        # Calendar months, a month's last day kept at month end (29 Feb + 1 month = 31 Mar).
        day_kept = closed["closed"] + pd.DateOffset(months=months)
        month_end = closed["closed"] + pd.offsets.MonthEnd(months)
        due_on = month_end.where(closed["closed"].dt.is_month_end, day_kept)
        due = closed[due_on <= cut]
        status = due[f"status_{months}m"].cat.add_categories("none").fillna("none")
        emit(
            f"status.{months}m",
            per(due, status).size(),
            per(due).size(),
            statuses,
        )

    # Contacts: attendance by location, intensity, home visits by month of course.
    contacts = dated("contacts", started_at)
    contacts["day"] = (contacts["date"] - contacts["started"]).dt.days
    locations = rules.categories(arrow["contacts"], "location")
    planned = per(contacts, "location").size()
    attended = contacts[contacts["attendance"] == "attended"]
    for kpi, attendance in (("attendance", "attended"), ("no_show", "no_show")):
        these = contacts[contacts["attendance"] == attendance]
        emit(kpi, per(these, "location").size(), planned, locations)
    weeks = per_course["course_days"].sum() / rules.DAYS_PER_WEEK
    emit("contacts_per_week", per(attended).size(), weeks)
    minutes = attended.assign(minutes=attended["actual_minutes"].clip(lower=0))
    emit("minutes_per_week", per(minutes)["minutes"].sum(), weeks)
    in_course = attended[attended["day"] >= 0]
    month = (in_course["day"] // 30).clip(upper=rules.HOME_VISIT_MONTHS - 1).to_numpy()
    labels = [f"{m:02d}" for m in range(1, rules.HOME_VISIT_MONTHS + 1)]
    month_label = pd.Series(
        pd.Categorical.from_codes(month, categories=labels), index=in_course.index
    )
    emit(
        "home_visit_share",
        per(in_course[in_course["location"] == "home"], month_label).size(),
        per(in_course, month_label).size(),
    )

    # Milestones among courses started by as_of, each once per course at its first date.
    milestones = dated("milestones", started_at)
    milestones = (
        milestones[milestones["started"] <= cut]
        .sort_values("date", kind="stable")
        .drop_duplicates(["course", "milestone"])
    )
    milestones["days"] = (milestones["date"] - milestones["started"]).dt.days.clip(lower=0)
    reached = per(milestones, "milestone")
    emit(
        "milestone_reached",
        reached.size(),
        per_course["is_started"].sum(),
        rules.categories(arrow["milestones"], "milestone"),
    )
    emit("milestone_days", reached["days"].sum(), reached.size())

    # Grants ended by as_of, in hundredths of an hour.
    grants = read["grants"].merge(groups, on="course")
    grants["end"] = grants["end_in_force"].fillna(grants["planned_end"])
    for column in ("hours_granted", "hours_delivered"):
        hours = grants[column].astype("float64").fillna(0.0)
        grants[column + "_cents"] = (hours * 100).round().astype("int64")
    ended = grants[(grants["end"] <= cut) & (grants["hours_granted_cents"] > 0)]
    ended = ended.assign(
        under_80=ended["hours_delivered_cents"] * 100 // ended["hours_granted_cents"] < 80
    )
    per_grant = per(ended)
    emit(
        "hours_utilisation",
        per_grant["hours_delivered_cents"].sum() / 100,
        per_grant["hours_granted_cents"].sum() / 100,
    )
    emit("grants_under_80", per_grant["under_80"].sum(), per_grant.size())

    # Stages of change: consecutive assessments of one behaviour in one course.
    assessments = read["assessments"]
    assessments = assessments[assessments["date"] <= cut]
    assessments = assessments.sort_values(["course", "behaviour", "date"], kind="stable")
    stage = assessments["stage"].cat.codes.astype("int64").where(assessments["stage"].notna())
    previous = stage.groupby(
        [assessments["course"], assessments["behaviour"]], observed=True
    ).shift()
    pairs = assessments.assign(stage=stage, previous=previous)
    pairs = pairs[pairs["stage"].notna() & pairs["previous"].notna()].merge(groups, on="course")
    pairs["forward"] = pairs["stage"] > pairs["previous"]
    pairs["relapse"] = pairs["stage"] < pairs["previous"]
    per_pair, per_behaviour = per(pairs), per(pairs, "behaviour")
    for kpi, moved in (("stage_forward", "forward"), ("stage_relapse", "relapse")):
        emit(kpi, per_pair[moved].sum(), per_pair.size())
        emit(kpi, per_behaviour[moved].sum(), per_behaviour.size())

    # Ratings: alerts per rating; change and reliable improvement at each course's last rating.
    ratings = dated("ratings", groups)
    per_rating = per(ratings, "instrument")
    emit("rating_alert_share", per_rating["alert"].sum(), per_rating.size())
    last = ratings.sort_values(["course", "instrument", "date"], kind="stable").drop_duplicates(
        ["course", "instrument"], keep="last"
    )
    followed = last[last["change_from_baseline"].notna()]
    followed = followed.assign(
        change_cents=(followed["change_from_baseline"].astype("float64") * 100).round()
    )
    per_followed = per(followed, "instrument")
    emit("rating_change", per_followed["change_cents"].sum() / 100, per_followed.size())
    emit("reliably_improved", per_followed["reliably_improved"].sum(), per_followed.size())

    # Handovers and continuity, as known on as_of.
    handovers = dated("handovers", groups)
    handovers["acknowledged"] = (handovers["state"] == "acknowledged") & (
        handovers["settled"] <= cut
    )
    handovers["mentor_change"] = (
        handovers["acknowledged"]
        & (handovers["sender_role"] == "mentor")
        & (handovers["receiver_role"] == "mentor")
    )
    # The first contact took place by as_of: date + days <= as_of.
    days = handovers["days_to_first_contact"]
    handovers["first_known"] = (days >= 0) & (days <= (cut - handovers["date"]).dt.days)
    handovers["followed"] = handovers["date"] + pd.Timedelta(days=rules.NO_SHOW_WINDOW) <= cut
    for kind in (*rules.ITEMS, "no_shows_within_30_days"):
        handovers[kind] = handovers[kind].clip(lower=0)
    per_handover = per(handovers)
    emit(
        "mentor_changes_per_course_year",
        per_handover["mentor_change"].sum(),
        per_course["course_days"].sum() / rules.DAYS_PER_YEAR,
    )
    count = per_handover.size()
    emit("handovers_acknowledged", per_handover["acknowledged"].sum(), count)
    items = per_handover[list(rules.ITEMS)].sum()
    emit("handover_items", items.rename_axis(columns="detail").stack(), count, rules.ITEMS)
    emit("handover_items_dropped", items["dropped"], items.sum(axis=1))
    known = per(handovers[handovers["first_known"]])
    emit("days_to_first_contact.after_handover", known["days_to_first_contact"].sum(), known.size())
    due = per(handovers[handovers["followed"]])
    emit("no_shows_30d.after_handover", due["no_shows_within_30_days"].sum(), due.size())

    without = courses[courses["is_started"] & ~courses["course"].isin(handovers["course"])]
    mine = contacts[contacts["course"].isin(without["course"]) & (contacts["day"] >= 0)]
    first = per(mine[mine["attendance"] == "attended"], "course")["day"].min()
    first_by_group = first.groupby(level=keys, observed=True, dropna=False)
    emit("days_to_first_contact.without_handover", first_by_group.sum(), first_by_group.size())
    followed_courses = without[without["started"] + pd.Timedelta(days=rules.NO_SHOW_WINDOW) <= cut]
    early = mine[
        mine["course"].isin(followed_courses["course"])
        & (mine["attendance"] == "no_show")
        & (mine["day"] < rules.NO_SHOW_WINDOW)
    ]
    emit("no_shows_30d.without_handover", per(early).size(), per(followed_courses).size())
    return rules.finish(pd.concat(emit.parts, ignore_index=True), names)
