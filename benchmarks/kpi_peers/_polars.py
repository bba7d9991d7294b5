"""The KPI peer in polars' lazy API: one plan for every family, collected once (so polars can
share the scans and joins the families have in common)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from . import _common as rules


def polars_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str | Sequence[str] = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in polars' lazy API: one plan for every family, collected once (so polars can
    share the scans and joins the families have in common)."""
    import polars as pl

    names, keys, arrow = rules.prepare(cohort, by, tables)
    lazy = {name: pl.from_arrow(arrow[name]).lazy() for name in rules.TABLES}  # type: ignore[union-attr]
    # Ties of date are broken by the position in the table.
    for name in ("assessments", "ratings"):
        lazy[name] = lazy[name].with_row_index("row")
    cut = pl.lit(as_of)
    col = pl.col
    parts: list[pl.LazyFrame] = []
    detailed = [*keys, "detail"]

    def finished(frame: pl.LazyFrame, kpi: pl.Expr) -> pl.LazyFrame:
        return frame.select(
            kpi.alias("kpi"),
            *keys,
            col("num").fill_null(0).cast(pl.Float64).alias("numerator"),
            col("den").cast(pl.Float64).alias("denominator"),
        )

    def per_detail(
        kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame, details: Sequence[str]
    ) -> None:
        """Numerator per group and detail, denominator per group: every detail for every
        group."""
        grid = denominator.join(pl.LazyFrame({"detail": list(details)}), how="cross")
        frame = grid.join(numerator, on=detailed, how="left", nulls_equal=True)
        parts.append(finished(frame, pl.lit(kpi + ".") + col("detail").cast(pl.String)))

    def by_detail(kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame) -> None:
        """Numerator and denominator per group and detail."""
        frame = denominator.join(numerator, on=detailed, how="left", nulls_equal=True)
        parts.append(finished(frame, pl.lit(kpi + ".") + col("detail").cast(pl.String)))

    def scalar(kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame) -> None:
        """Numerator and denominator per group."""
        frame = denominator.join(numerator, on=keys, how="left", nulls_equal=True)
        parts.append(finished(frame, pl.lit(kpi)))

    def count(frame: pl.LazyFrame, condition: pl.Expr | None = None, detail: bool = False) -> Any:
        value = pl.len() if condition is None else condition.sum()
        return frame.group_by(detailed if detail else keys).agg(value.alias("num"))

    def total(frame: pl.LazyFrame, value: pl.Expr, detail: bool = False) -> pl.LazyFrame:
        return frame.group_by(detailed if detail else keys).agg(value.sum().alias("num"))

    def den(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.rename({"num": "den"})

    def dated(table: str, courses: pl.LazyFrame) -> pl.LazyFrame:
        """The rows of `table` dated by as_of, with their course's columns from `courses`."""
        return lazy[table].filter(col("date") <= cut).join(courses, on="course")

    is_started = (col("started") <= cut).fill_null(False)
    group_columns = [
        pl.when(is_started).then(col("started").dt.year()).alias(key)
        if name == "start_year"
        else col(name).alias(key)
        for key, name in zip(keys, names, strict=True)
    ]
    scope = (
        lazy["courses"]
        .filter(col("ordered") <= cut)
        .with_columns(
            *group_columns,
            (col("closed") <= cut).fill_null(False).alias("is_closed"),
            is_started.alias("is_started"),
        )
        .with_columns(
            pl.when(col("is_started"))
            .then(
                (pl.when(col("is_closed")).then(col("closed")).otherwise(cut) - col("started"))
                .dt.total_days()
                .clip(lower_bound=0)
            )
            .otherwise(0)
            .alias("course_days")
        )
    )
    groups = scope.select("course", *keys)
    started_at = scope.select("course", *keys, "started")

    # Exits and the status after closure.
    closed = scope.filter(col("is_closed"))
    exits = count(
        closed.with_columns(col("closure_reason").cast(pl.String).alias("detail")), detail=True
    )
    reasons = rules.categories(arrow["courses"], "closure_reason")
    per_detail("exits_closed", exits, den(count(scope, col("is_closed"))), reasons)
    per_detail("exits_all", exits, den(count(scope)), reasons)
    statuses = [*rules.categories(arrow["courses"], "status_1m"), "none"]
    for months in rules.STATUS_MONTHS:
        # Calendar months, a month's last day kept at month end (29 Feb + 1 month = 31 Mar).
        later = col("closed").dt.offset_by(f"{months}mo")
        at_month_end = col("closed") == col("closed").dt.month_end()
        due_on = pl.when(at_month_end).then(later.dt.month_end()).otherwise(later)
        due = closed.filter(due_on <= cut).with_columns(
            col(f"status_{months}m").cast(pl.String).fill_null("none").alias("detail")
        )
        per_detail(f"status.{months}m", count(due, detail=True), den(count(due)), statuses)

    # Contacts.
    # Location and attendance stay categorical (compared with their names, cast to strings only
    # once aggregated).
    contacts = dated("contacts", started_at).with_columns(
        (col("date") - col("started")).dt.total_days().alias("day"),
    )
    at_place = contacts.filter(col("location").is_not_null()).rename({"location": "detail"})
    planned = den(count(at_place, detail=True))
    for kpi, attendance in (("attendance", "attended"), ("no_show", "no_show")):
        by_detail(kpi, count(at_place, col("attendance") == attendance, detail=True), planned)
    weeks = scope.group_by(keys).agg((col("course_days").sum() / rules.DAYS_PER_WEEK).alias("den"))
    attended = contacts.filter(col("attendance") == "attended")
    scalar("contacts_per_week", count(attended), weeks)
    scalar("minutes_per_week", total(attended, col("actual_minutes").clip(lower_bound=0)), weeks)
    in_course = attended.filter(col("day") >= 0).with_columns(
        ((col("day") // 30).clip(upper_bound=rules.HOME_VISIT_MONTHS - 1) + 1).alias("detail")
    )
    month = col("detail").cast(pl.String).str.zfill(2)  # "01" .. "24", once aggregated
    by_detail(
        "home_visit_share",
        count(in_course, col("location") == "home", detail=True).with_columns(month),
        den(count(in_course, detail=True)).with_columns(month),
    )

    # Milestones, each once per course at its first date.
    milestones = (
        dated("milestones", started_at)
        .filter(col("started") <= cut)
        .group_by("course", *keys, col("milestone").cast(pl.String).alias("detail"))
        .agg((col("date").min() - col("started").first()).dt.total_days().alias("days"))
        .with_columns(col("days").clip(lower_bound=0))
    )
    reached = count(milestones, detail=True)
    per_detail(
        "milestone_reached",
        reached,
        den(count(scope, col("is_started"))),
        rules.categories(arrow["milestones"], "milestone"),
    )
    by_detail("milestone_days", total(milestones, col("days"), detail=True), den(reached))

    # Grants.
    def cents(name: str) -> pl.Expr:
        hours = col(name).cast(pl.Float64).fill_nan(0.0)
        return (hours * 100).round(0, mode="half_to_even").cast(pl.Int64)

    grants = (
        lazy["grants"]
        .join(groups, on="course")
        .filter(pl.coalesce("end_in_force", "planned_end") <= cut)
        .select(
            *keys,
            cents("hours_granted").alias("granted"),
            cents("hours_delivered").alias("delivered"),
        )
        .filter(col("granted") > 0)
    )
    scalar(
        "hours_utilisation",
        grants.group_by(keys).agg((col("delivered").sum() / 100).alias("num")),
        grants.group_by(keys).agg((col("granted").sum() / 100).alias("den")),
    )
    scalar(
        "grants_under_80",
        count(grants, col("delivered") * 100 // col("granted") < 80),
        den(count(grants)),
    )

    # Stages of change.
    stages = rules.categories(arrow["assessments"], "stage")
    pairs = (
        lazy["assessments"]
        .filter(col("date") <= cut)
        .with_columns(
            col("behaviour").cast(pl.String).alias("detail"),
            col("stage")
            .cast(pl.String)
            .replace_strict(stages, list(range(len(stages))), default=None, return_dtype=pl.Int64)
            .alias("rank"),
        )
        .sort("course", "detail", "date", "row")
        .with_columns(col("rank").shift().over("course", "detail").alias("previous"))
        .filter(col("rank").is_not_null() & col("previous").is_not_null())
        .join(groups, on="course")
    )
    for kpi, moved in (
        ("stage_forward", col("rank") > col("previous")),
        ("stage_relapse", col("rank") < col("previous")),
    ):
        scalar(kpi, count(pairs, moved), den(count(pairs)))
        by_detail(kpi, count(pairs, moved, detail=True), den(count(pairs, detail=True)))

    # Ratings.
    ratings = dated("ratings", groups).with_columns(
        col("instrument").cast(pl.String).alias("detail")
    )
    by_detail(
        "rating_alert_share",
        count(ratings, col("alert"), detail=True),
        den(count(ratings, detail=True)),
    )
    last = (
        ratings.group_by("course", "detail")
        .agg(col(*keys, "change_from_baseline", "reliably_improved").sort_by("date", "row").last())
        .filter(col("change_from_baseline").is_not_nan())
    )
    followed = den(count(last, detail=True))
    change = (col("change_from_baseline").cast(pl.Float64) * 100).round(0, mode="half_to_even")
    by_detail(
        "rating_change",
        last.group_by(detailed).agg((change.sum() / 100).alias("num")),
        followed,
    )
    by_detail("reliably_improved", count(last, col("reliably_improved"), detail=True), followed)

    # Handovers and continuity, as known on as_of.
    acknowledged = (col("state").cast(pl.String) == "acknowledged") & (col("settled") <= cut)
    handovers = dated("handovers", groups).with_columns(
        acknowledged.fill_null(False).alias("acknowledged"),
        col(*rules.ITEMS, "no_shows_within_30_days").clip(lower_bound=0),
        (
            (col("days_to_first_contact") >= 0)
            & (col("date") + pl.duration(days=col("days_to_first_contact")) <= cut)
        )
        .fill_null(False)
        .alias("first_known"),
        (col("date") + pl.duration(days=rules.NO_SHOW_WINDOW) <= cut).alias("followed"),
    )
    mentor_change = (
        col("acknowledged")
        & (col("sender_role").cast(pl.String) == "mentor")
        & (col("receiver_role").cast(pl.String) == "mentor")
    )
    scalar(
        "mentor_changes_per_course_year",
        count(handovers, mentor_change),
        scope.group_by(keys).agg((col("course_days").sum() / rules.DAYS_PER_YEAR).alias("den")),
    )
    made = den(count(handovers))
    scalar("handovers_acknowledged", count(handovers, col("acknowledged")), made)
    items = handovers.group_by(keys).agg(col(*rules.ITEMS).sum())
    per_detail(
        "handover_items",
        items.unpivot(index=keys, variable_name="detail", value_name="num"),
        made,
        rules.ITEMS,
    )
    scalar(
        "handover_items_dropped",
        items.select(*keys, col("dropped").alias("num")),
        items.select(*keys, pl.sum_horizontal(*rules.ITEMS).alias("den")),
    )
    known = handovers.filter(col("first_known"))
    scalar(
        "days_to_first_contact.after_handover",
        total(known, col("days_to_first_contact")),
        den(count(known)),
    )
    due = handovers.filter(col("followed"))
    scalar(
        "no_shows_30d.after_handover", total(due, col("no_shows_within_30_days")), den(count(due))
    )

    without = scope.filter(col("is_started")).join(handovers, on="course", how="anti")
    mine = contacts.join(without, on="course", how="semi").filter(col("day") >= 0)
    first = (
        mine.filter(col("attendance") == "attended").group_by("course", *keys).agg(col("day").min())
    )
    scalar("days_to_first_contact.without_handover", total(first, col("day")), den(count(first)))
    followed_courses = without.filter(
        col("started") + pl.duration(days=rules.NO_SHOW_WINDOW) <= cut
    )
    early = mine.join(followed_courses, on="course", how="semi").filter(
        (col("attendance") == "no_show") & (col("day") < rules.NO_SHOW_WINDOW)
    )
    scalar("no_shows_30d.without_handover", count(early), den(count(followed_courses)))
    frame = pl.concat(parts).collect().to_pandas()
    return rules.finish(frame, names)
