"""The count-based part of the KPI suite (docs/kpis.md) written as an analyst would, three times:
idiomatic pandas, polars (lazy API) and DuckDB SQL, each over the cohort's own tables handed over
through Arrow (``cohort.arrow(name)``). These are the peers of ``cohort.kpis(...)`` in the KPI
benchmark (issue 18); ``tests/python/test_kpi_peers.py`` checks that every numerator and
denominator equals mentorcore's before anything is timed.

Each peer returns a long frame (pandas) with the columns ``kpi``, the group column, ``numerator``
and ``denominator``, one row per KPI and group. A peer leaves out rows whose numerator and
denominator are both 0 where that falls out of the query (mentorcore lists every KPI for every
group); ``compare`` treats a missing row as 0 / 0.

Not here: the survival KPIs (``time_to_work_or_education.*``, ``retention.*``); their peers are
lifelines, statsmodels and scikit-survival.

The rules are mentorcore's (python/mentorcore/_summary_counts.py), as the analyst would have to
write them to get the same numbers:

- a course is in the cohort when it was ordered on or before ``as_of``; every row of a child
  table counts for its course's group (the course's own attribute), and only when dated on or
  before ``as_of``;
- months after closure are calendar months (the end of a shorter month where the day does not
  exist); a month of course is 30 days from the start, month 24 holding everything later;
- days of course run from the start to the closure, or to ``as_of`` for a course still open
  (0 for a course not started by ``as_of``); weeks are days / 7, years days / 365.25;
- hours are counted in hundredths (rounded half to even, as ``np.rint``), a grant has ended when
  its end in force (or else its planned end) is on or before ``as_of``, and only grants with
  hours granted count; utilisation in whole percent is rounded down;
- consecutive stage assessments of one behaviour in one course are ordered by date, then by
  their position in the table; either one without a stage makes no pair;
- ties of date (two ratings of one instrument on one day, which the synthetic data has) are
  broken by the position in the table: the last rating is the last row. SQL has no order of
  rows, so the DuckDB peer gets a ``row`` column appended to those two Arrow tables;
- a handover's ``state``, ``days_to_first_contact`` and ``no_shows_within_30_days`` and a
  course's ``mentor_changes`` are taken as the tables hold them, as mentorcore takes them,
  although they can count what happened after ``as_of`` (an acknowledgement, a first contact or
  a no-show after it): a peer that recomputed them from the contacts up to ``as_of`` would
  disagree with mentorcore there.

``by`` is one column of the courses table (``municipality``, ``target_group``, ``provider``,
``mentor``, ``caseworker``); a missing value is a group of its own (None), as in mentorcore.
``start_year`` (derived, not a column) and lists of columns are not implemented.

The module lives in benchmarks/ (benchmark code, not part of the package);
tests/python/test_kpi_peers.py imports it by path, so the tested code is the timed code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["PEERS", "compare", "duckdb_kpis", "pandas_kpis", "polars_kpis"]

_HOME_VISIT_MONTHS = 24
_STATUS_MONTHS = (1, 3, 6, 12)
_NO_SHOW_WINDOW = 30
_DAYS_PER_WEEK = 7.0
_DAYS_PER_YEAR = 365.25

FAMILIES = (
    "exits_closed",
    "exits_all",
    "status",
    "attendance",
    "no_show",
    "contacts_per_week",
    "minutes_per_week",
    "home_visit_share",
    "milestone_reached",
    "milestone_days",
    "hours_utilisation",
    "grants_under_80",
    "stage_forward",
    "stage_relapse",
    "rating_alert_share",
    "rating_change",
    "reliably_improved",
    "mentor_changes_per_course_year",
    "handovers_acknowledged",
    "handover_items",
    "handover_items_dropped",
    "days_to_first_contact",
    "no_shows_30d",
)
"""The KPI families every peer computes (the part of ``kpi`` before the first dot)."""

# Families whose numerator or denominator is not a whole number of things (weeks, years, hours,
# points): compared to a relative tolerance rather than exactly.
INEXACT = (
    "contacts_per_week",
    "minutes_per_week",
    "mentor_changes_per_course_year",
    "hours_utilisation",
    "rating_change",
)

_TABLES = ("courses", "contacts", "milestones", "grants", "handovers", "assessments", "ratings")


def arrow_tables(cohort: Any) -> dict[str, pa.Table]:
    """The tables the KPIs read, as pyarrow tables viewing the cohort's columns (no copy)."""
    return {name: pa.table(cohort.arrow(name)) for name in _TABLES}


def _categories(table: pa.Table, column: str) -> list[str]:
    """The names of an enum column in the enum's order (the Arrow dictionary is the enum)."""
    chunks = table.column(column).chunks
    dictionary = chunks[0].dictionary if chunks else pa.array([], pa.string())
    return [str(name) for name in dictionary.to_pylist()]


# ---------------------------------------------------------------------------------------------
# pandas


def pandas_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in idiomatic pandas: boolean masks, merges on the course and groupby."""
    arrow = tables if tables is not None else arrow_tables(cohort)
    read = {name: arrow[name].to_pandas(date_as_object=False) for name in _TABLES}
    cut = pd.Timestamp(as_of)
    # The group under a name of its own (a child table may have a column named like it, such as
    # the grant's provider); `output` is the name it gets in the result.
    output, by = by, "_group"
    read["courses"][by] = read["courses"][output]
    out: list[pd.DataFrame] = []

    def emit(
        kpi: str, numerator: pd.Series, denominator: pd.Series, details: list[str] | None = None
    ) -> None:
        """Rows of one family: `numerator` per group (or per group and detail), `denominator`
        per group or per group and detail; every detail of `details` for every group."""
        if details is None:
            num, den = numerator.align(denominator, join="outer", fill_value=0)
            frame = pd.DataFrame(
                {"kpi": kpi, by: num.index, "numerator": num.values, "denominator": den.values}
            )
        else:
            num_wide = numerator.unstack(fill_value=0).reindex(columns=details, fill_value=0)
            if denominator.index.nlevels == 2:
                den_wide = denominator.unstack(fill_value=0).reindex(columns=details, fill_value=0)
            else:
                den_wide = pd.DataFrame({d: denominator for d in details})
            num_wide, den_wide = num_wide.align(den_wide, join="outer", fill_value=0)
            num_wide.columns.name = den_wide.columns.name = "detail"
            num_wide.index.name = den_wide.index.name = by
            long = num_wide.reset_index().melt(id_vars=by, value_name="numerator")
            long["denominator"] = den_wide.reset_index().melt(id_vars=by)["value"].to_numpy()
            long["kpi"] = kpi + "." + long["detail"].astype(str)
            frame = long[["kpi", by, "numerator", "denominator"]]
        out.append(frame)

    courses = read["courses"]
    courses = courses[courses["ordered"] <= cut].copy()
    courses["is_closed"] = courses["closed"] <= cut
    courses["is_started"] = courses["started"] <= cut
    end = courses["closed"].where(courses["is_closed"], cut)
    courses["course_days"] = (
        (end - courses["started"]).dt.days.clip(lower=0).where(courses["is_started"], 0)
    )
    per_course = courses.groupby(by, observed=True, dropna=False)
    keys = courses[["course", by, "started"]]

    # Exits and the status after closure.
    closed = courses[courses["is_closed"]]
    reasons = _categories(arrow["courses"], "closure_reason")
    exits = closed.groupby([by, "closure_reason"], observed=True, dropna=False).size()
    emit("exits_closed", exits, per_course["is_closed"].sum(), reasons)
    emit("exits_all", exits, per_course.size(), reasons)
    statuses = [*_categories(arrow["courses"], "status_1m"), "none"]
    for months in _STATUS_MONTHS:
        due = closed[closed["closed"] + pd.DateOffset(months=months) <= cut]
        status = due[f"status_{months}m"].cat.add_categories("none").fillna("none")
        emit(
            f"status.{months}m",
            due.groupby([by, status], observed=True, dropna=False).size(),
            due.groupby(by, observed=True, dropna=False).size(),
            statuses,
        )

    # Contacts: attendance by location, intensity, home visits by month of course.
    contacts = read["contacts"]
    contacts = contacts[contacts["date"] <= cut].merge(keys, on="course")
    locations = _categories(arrow["contacts"], "location")
    planned = contacts.groupby([by, "location"], observed=True, dropna=False).size()
    attended = contacts[contacts["attendance"] == "attended"]
    no_show = contacts[contacts["attendance"] == "no_show"]
    emit(
        "attendance",
        attended.groupby([by, "location"], observed=True, dropna=False).size(),
        planned,
        locations,
    )
    emit(
        "no_show",
        no_show.groupby([by, "location"], observed=True, dropna=False).size(),
        planned,
        locations,
    )
    weeks = per_course["course_days"].sum() / _DAYS_PER_WEEK
    emit("contacts_per_week", attended.groupby(by, observed=True, dropna=False).size(), weeks)
    emit(
        "minutes_per_week",
        attended["actual_minutes"]
        .clip(lower=0)
        .groupby(attended[by], observed=True, dropna=False)
        .sum(),
        weeks,
    )
    day = (attended["date"] - attended["started"]).dt.days
    in_course = attended[day >= 0]
    month = (day[day >= 0] // 30).clip(upper=_HOME_VISIT_MONTHS - 1).astype(int) + 1
    label = month.map("{:02d}".format)
    month_labels = [f"{m:02d}" for m in range(1, _HOME_VISIT_MONTHS + 1)]
    at_home = in_course["location"] == "home"
    emit(
        "home_visit_share",
        in_course[at_home]
        .groupby([in_course[by][at_home], label[at_home]], observed=True, dropna=False)
        .size(),
        in_course.groupby([by, label], observed=True, dropna=False).size(),
        month_labels,
    )

    # Milestones among courses started by as_of.
    milestones = read["milestones"]
    milestones = milestones[milestones["date"] <= cut].merge(keys, on="course")
    milestones = milestones[milestones["started"] <= cut]
    milestones["days"] = (milestones["date"] - milestones["started"]).dt.days.clip(lower=0)
    names = _categories(arrow["milestones"], "milestone")
    reached = milestones.groupby([by, "milestone"], observed=True, dropna=False)
    emit("milestone_reached", reached.size(), per_course["is_started"].sum(), names)
    emit("milestone_days", reached["days"].sum(), reached.size(), names)

    # Grants ended by as_of, in hundredths of an hour.
    grants = read["grants"].merge(keys[["course", by]], on="course")
    grants["end"] = grants["end_in_force"].fillna(grants["planned_end"])
    for column in ("hours_granted", "hours_delivered"):
        hours = grants[column].astype("float64").fillna(0.0)
        grants[column + "_cents"] = (hours * 100).round().astype("int64")
    ended = grants[(grants["end"] <= cut) & (grants["hours_granted_cents"] > 0)]
    ended = ended.assign(
        under_80=ended["hours_delivered_cents"] * 100 // ended["hours_granted_cents"] < 80
    )
    per_grant = ended.groupby(by, observed=True, dropna=False)
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
    pairs = pairs[pairs["stage"].notna() & pairs["previous"].notna()].merge(
        keys[["course", by]], on="course"
    )
    pairs["forward"] = pairs["stage"] > pairs["previous"]
    pairs["relapse"] = pairs["stage"] < pairs["previous"]
    pairs["behaviour"] = pairs["behaviour"].astype(str)
    behaviours = sorted(pairs["behaviour"].unique())
    per_pair = pairs.groupby(by, observed=True, dropna=False)
    per_behaviour = pairs.groupby([by, "behaviour"], observed=True, dropna=False)
    emit("stage_forward", per_pair["forward"].sum(), per_pair.size())
    emit("stage_forward", per_behaviour["forward"].sum(), per_behaviour.size(), behaviours)
    emit("stage_relapse", per_pair["relapse"].sum(), per_pair.size())
    emit("stage_relapse", per_behaviour["relapse"].sum(), per_behaviour.size(), behaviours)

    # Ratings: alerts per rating; change and reliable improvement at each course's last rating.
    ratings = read["ratings"]
    ratings = ratings[ratings["date"] <= cut].merge(keys[["course", by]], on="course")
    ratings["instrument"] = ratings["instrument"].astype(str)
    instruments = sorted(ratings["instrument"].unique())
    per_rating = ratings.groupby([by, "instrument"], observed=True, dropna=False)
    emit("rating_alert_share", per_rating["alert"].sum(), per_rating.size(), instruments)
    last = ratings.sort_values(["course", "instrument", "date"], kind="stable").drop_duplicates(
        ["course", "instrument"], keep="last"
    )
    followed = last[last["change_from_baseline"].notna()]
    followed = followed.assign(
        change_cents=(followed["change_from_baseline"].astype("float64") * 100).round()
    )
    per_followed = followed.groupby([by, "instrument"], observed=True, dropna=False)
    emit(
        "rating_change", per_followed["change_cents"].sum() / 100, per_followed.size(), instruments
    )
    emit(
        "reliably_improved",
        per_followed["reliably_improved"].sum(),
        per_followed.size(),
        instruments,
    )

    # Handovers and continuity.
    started = courses[courses["is_started"]]
    years = per_course["course_days"].sum() / _DAYS_PER_YEAR
    emit(
        "mentor_changes_per_course_year",
        started.groupby(by, observed=True, dropna=False)["mentor_changes"].sum(),
        years,
    )
    handovers = read["handovers"]
    handovers = handovers[handovers["date"] <= cut].merge(keys[["course", by]], on="course")
    handovers["acknowledged"] = handovers["state"] == "acknowledged"
    for kind in ("carried", "withheld", "dropped", "no_shows_within_30_days"):
        handovers[kind] = handovers[kind].clip(lower=0)
    handovers["items"] = handovers[["carried", "withheld", "dropped"]].sum(axis=1)
    per_handover = handovers.groupby(by, observed=True, dropna=False)
    count = per_handover.size()
    emit("handovers_acknowledged", per_handover["acknowledged"].sum(), count)
    items = per_handover[["carried", "withheld", "dropped"]].sum()
    items.columns.name = "kind"
    emit("handover_items", items.stack(), count, ["carried", "withheld", "dropped"])
    emit("handover_items_dropped", items["dropped"], per_handover["items"].sum())
    known = handovers[handovers["days_to_first_contact"] >= 0]
    per_known = known.groupby(by, observed=True, dropna=False)
    emit(
        "days_to_first_contact.after_handover",
        per_known["days_to_first_contact"].sum(),
        per_known.size(),
    )
    emit("no_shows_30d.after_handover", per_handover["no_shows_within_30_days"].sum(), count)

    without = started[~started["course"].isin(handovers["course"])]
    mine = contacts[contacts["course"].isin(without["course"])]
    mine = mine.assign(day=(mine["date"] - mine["started"]).dt.days)
    mine = mine[mine["day"] >= 0]
    first = (
        mine[mine["attendance"] == "attended"]
        .groupby(["course", by], observed=True, dropna=False)["day"]
        .min()
        .groupby(level=by, observed=True, dropna=False)
    )
    emit("days_to_first_contact.without_handover", first.sum(), first.size())
    early_no_shows = mine[(mine["attendance"] == "no_show") & (mine["day"] < _NO_SHOW_WINDOW)]
    emit(
        "no_shows_30d.without_handover",
        early_no_shows.groupby(by, observed=True, dropna=False).size(),
        without.groupby(by, observed=True, dropna=False).size(),
    )
    return _finish([frame.rename(columns={by: output}) for frame in out], output)


def _finish(parts: list[pd.DataFrame], by: str) -> pd.DataFrame:
    frame = pd.concat(parts, ignore_index=True)
    frame["numerator"] = frame["numerator"].astype("float64")
    frame["denominator"] = frame["denominator"].astype("float64")
    ordered: pd.DataFrame = frame.sort_values(["kpi", by], kind="stable", ignore_index=True)
    return ordered


def compare(peer: pd.DataFrame, reference: pd.DataFrame, by: str, rtol: float = 1e-9) -> list[str]:
    """The differences between a peer's rows and mentorcore's KPI frame (``cohort.kpis``) for
    the families of FAMILIES: numerators and denominators equal (to `rtol` relative for the
    families of INEXACT), a row missing from the peer counting as 0 / 0, and no row of the peer
    that mentorcore does not have. An empty list when they agree."""
    family = reference["kpi"].str.split(".", n=1).str[0]
    ours = reference[family.isin(FAMILIES)][["kpi", by, "numerator", "denominator"]]
    merged = ours.merge(
        peer[["kpi", by, "numerator", "denominator"]],
        on=["kpi", by],
        how="outer",
        suffixes=("", "_peer"),
        indicator=True,
    )
    problems = [
        f"{row.kpi} {by}={getattr(row, by)}: not a KPI row of mentorcore"
        for row in merged[merged["_merge"] == "right_only"].itertuples()
    ]
    merged = merged[merged["_merge"] != "right_only"].fillna(
        {"numerator_peer": 0.0, "denominator_peer": 0.0}
    )
    inexact = merged["kpi"].str.split(".", n=1).str[0].isin(INEXACT).to_numpy()
    for column in ("numerator", "denominator"):
        want = merged[column].to_numpy(dtype=np.float64)
        got = merged[column + "_peer"].to_numpy(dtype=np.float64)
        tolerance = np.where(inexact, rtol * np.abs(want), 0.0)
        wrong = ~(np.abs(got - want) <= tolerance)
        problems += [
            f"{kpi} {by}={group}: {column} {g!r}, mentorcore {w!r}"
            for kpi, group, g, w in zip(
                merged["kpi"][wrong], merged[by][wrong], got[wrong], want[wrong], strict=True
            )
        ]
    return problems


# ---------------------------------------------------------------------------------------------
# DuckDB


def _with_row_numbers(table: pa.Table) -> pa.Table:
    """`table` with its row number as a column `row`: SQL has no order of rows, and the stage
    pairs and the last rating break ties of date by the position in the table, as mentorcore
    does."""
    return table.append_column("row", pa.array(np.arange(table.num_rows, dtype=np.int64)))


def _sql_list(values: list[str]) -> str:
    return (
        "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::VARCHAR[]"
    )


def _sql_per_detail(kpi: str, numerator: str, denominator: str, details: list[str]) -> str:
    """Numerator per group and detail, denominator per group: every detail for every group."""
    return f"""
        select '{kpi}.' || d.detail as kpi, den.g, coalesce(num.v, 0)::DOUBLE as numerator,
               den.v::DOUBLE as denominator
        from ({denominator}) den
        cross join (select unnest({_sql_list(details)}) as detail) d
        left join ({numerator}) num
            on num.g is not distinct from den.g and num.detail = d.detail"""


def _sql_by_detail(kpi: str, numerator: str, denominator: str) -> str:
    """Numerator and denominator per group and detail (the numerator's rows among the
    denominator's)."""
    return f"""
        select '{kpi}.' || den.detail as kpi, den.g, coalesce(num.v, 0)::DOUBLE as numerator,
               den.v::DOUBLE as denominator
        from ({denominator}) den left join ({numerator}) num
            on num.g is not distinct from den.g and num.detail = den.detail"""


def _sql_scalar(kpi: str, numerator: str, denominator: str) -> str:
    """Numerator and denominator per group."""
    return f"""
        select '{kpi}' as kpi, den.g, coalesce(num.v, 0)::DOUBLE as numerator,
               den.v::DOUBLE as denominator
        from ({denominator}) den left join ({numerator}) num on num.g is not distinct from den.g"""


def duckdb_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in DuckDB SQL over the Arrow tables (views over the registered tables, one
    query per family, put together with ``union all``)."""
    import duckdb

    arrow = tables if tables is not None else arrow_tables(cohort)
    con = duckdb.connect()
    for name in _TABLES:
        table = arrow[name]
        if name in ("assessments", "ratings"):
            table = _with_row_numbers(table)
        con.register(name, table)
    cut = f"DATE '{as_of.isoformat()}'"
    con.execute(f"""
        create temp view scope as
        select course, "{by}" as g, started, closed, closure_reason, mentor_changes,
               status_1m, status_3m, status_6m, status_12m,
               coalesce(closed <= {cut}, false) as is_closed,
               coalesce(started <= {cut}, false) as is_started,
               case when started <= {cut}
                    then greatest(coalesce(case when closed <= {cut} then closed end, {cut})
                                  - started, 0)
                    else 0 end as course_days
        from courses where ordered <= {cut}""")
    con.execute(f"""
        create temp view k as
        select x.course, x.location::VARCHAR as location, x.attendance::VARCHAR as attendance,
               x.actual_minutes, s.g, x.date - s.started as day
        from contacts x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp view h as
        select x.*, s.g from handovers x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp view r as
        select x.course, x.instrument::VARCHAR as instrument, x.date, x.row, x.alert,
               x.change_from_baseline, x.reliably_improved, s.g
        from ratings x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp view m as
        select s.g, x.milestone::VARCHAR as detail, greatest(x.date - s.started, 0) as days
        from milestones x join scope s using (course)
        where x.date <= {cut} and s.is_started""")

    def cents(column: str) -> str:
        value = f"{column}::DOUBLE"
        return f"round_even(case when isnan({value}) then 0 else {value} end * 100, 0)::BIGINT"

    con.execute(f"""
        create temp view gr as
        select * from (
            select s.g, {cents("x.hours_granted")} as granted,
                   {cents("x.hours_delivered")} as delivered
            from grants x join scope s using (course)
            where coalesce(x.end_in_force, x.planned_end) <= {cut})
        where granted > 0""")
    stages = _categories(arrow["assessments"], "stage")
    con.execute(f"""
        create temp view pairs as
        select s.g, p.behaviour as detail, p.rank > p.previous as forward,
               p.rank < p.previous as relapse
        from (
            select course, behaviour::VARCHAR as behaviour, rank,
                   lag(rank) over (partition by course, behaviour order by date, row) as previous
            from (
                select *, case when stage is null then null
                          else list_position({_sql_list(stages)}, stage::VARCHAR) - 1 end as rank
                from assessments where date <= {cut})
        ) p join scope s using (course)
        where p.rank is not null and p.previous is not null""")
    con.execute("""
        create temp view without_handover as
        select course, g from scope where is_started and course not in (select course from h)""")

    reasons = _categories(arrow["courses"], "closure_reason")
    queries = [
        _sql_per_detail(
            "exits_closed",
            "select g, closure_reason::VARCHAR as detail, count(*) as v from scope"
            " where is_closed group by all",
            "select g, count(*) filter (where is_closed) as v from scope group by g",
            reasons,
        ),
        _sql_per_detail(
            "exits_all",
            "select g, closure_reason::VARCHAR as detail, count(*) as v from scope"
            " where is_closed group by all",
            "select g, count(*) as v from scope group by g",
            reasons,
        ),
    ]
    statuses = [*_categories(arrow["courses"], "status_1m"), "none"]
    for months in _STATUS_MONTHS:
        due = f"is_closed and closed + interval {months} month <= {cut}"
        queries.append(
            _sql_per_detail(
                f"status.{months}m",
                f"select g, coalesce(status_{months}m::VARCHAR, 'none') as detail,"
                f" count(*) as v from scope where {due} group by all",
                f"select g, count(*) filter (where {due}) as v from scope group by g",
                statuses,
            )
        )
    planned = (
        "select g, location as detail, count(*) as v from k where location is not null group by all"
    )
    for kpi, attendance in (("attendance", "attended"), ("no_show", "no_show")):
        queries.append(
            _sql_by_detail(
                kpi,
                f"select g, location as detail, count(*) as v from k"
                f" where location is not null and attendance = '{attendance}' group by all",
                planned,
            )
        )
    weeks = f"select g, sum(course_days) / {_DAYS_PER_WEEK} as v from scope group by g"
    queries += [
        _sql_scalar(
            "contacts_per_week",
            "select g, count(*) as v from k where attendance = 'attended' group by g",
            weeks,
        ),
        _sql_scalar(
            "minutes_per_week",
            "select g, sum(greatest(actual_minutes, 0)) as v from k"
            " where attendance = 'attended' group by g",
            weeks,
        ),
    ]
    month = f"lpad((least(day // 30, {_HOME_VISIT_MONTHS - 1}) + 1)::VARCHAR, 2, '0')"
    in_course = "attendance = 'attended' and day >= 0"
    queries.append(
        _sql_by_detail(
            "home_visit_share",
            f"select g, {month} as detail, count(*) as v from k"
            f" where {in_course} and location = 'home' group by all",
            f"select g, {month} as detail, count(*) as v from k where {in_course} group by all",
        )
    )
    reached = "select g, detail, count(*) as v from m group by all"
    queries += [
        _sql_per_detail(
            "milestone_reached",
            reached,
            "select g, count(*) filter (where is_started) as v from scope group by g",
            _categories(arrow["milestones"], "milestone"),
        ),
        _sql_by_detail(
            "milestone_days", "select g, detail, sum(days) as v from m group by all", reached
        ),
        _sql_scalar(
            "hours_utilisation",
            "select g, sum(delivered) / 100 as v from gr group by g",
            "select g, sum(granted) / 100 as v from gr group by g",
        ),
        _sql_scalar(
            "grants_under_80",
            "select g, count(*) filter (where delivered * 100 // granted < 80) as v"
            " from gr group by g",
            "select g, count(*) as v from gr group by g",
        ),
    ]
    for kpi, column in (("stage_forward", "forward"), ("stage_relapse", "relapse")):
        queries += [
            _sql_scalar(
                kpi,
                f"select g, count(*) filter (where {column}) as v from pairs group by g",
                "select g, count(*) as v from pairs group by g",
            ),
            _sql_by_detail(
                kpi,
                f"select g, detail, count(*) filter (where {column}) as v from pairs group by all",
                "select g, detail, count(*) as v from pairs group by all",
            ),
        ]
    last = """
        select g, instrument as detail, change_from_baseline, reliably_improved from (
            select *, row_number() over (partition by course, instrument
                                         order by date desc, row desc) as newest
            from r)
        where newest = 1 and not isnan(change_from_baseline)"""
    queries += [
        _sql_by_detail(
            "rating_alert_share",
            "select g, instrument as detail, count(*) filter (where alert) as v from r"
            " group by all",
            "select g, instrument as detail, count(*) as v from r group by all",
        ),
        _sql_by_detail(
            "rating_change",
            "select g, detail, sum(round_even(change_from_baseline::DOUBLE * 100, 0)) / 100"
            f" as v from ({last}) group by all",
            f"select g, detail, count(*) as v from ({last}) group by all",
        ),
        _sql_by_detail(
            "reliably_improved",
            f"select g, detail, count(*) filter (where reliably_improved) as v from ({last})"
            " group by all",
            f"select g, detail, count(*) as v from ({last}) group by all",
        ),
        _sql_scalar(
            "mentor_changes_per_course_year",
            "select g, sum(mentor_changes) as v from scope where is_started group by g",
            f"select g, sum(course_days) / {_DAYS_PER_YEAR} as v from scope group by g",
        ),
    ]
    handovers = "select g, count(*) as v from h group by g"
    items = " union all ".join(
        f"select g, '{kind}' as detail, sum(greatest({kind}, 0)) as v from h group by g"
        for kind in ("carried", "withheld", "dropped")
    )
    queries += [
        _sql_scalar(
            "handovers_acknowledged",
            "select g, count(*) filter (where state = 'acknowledged') as v from h group by g",
            handovers,
        ),
        _sql_per_detail("handover_items", items, handovers, ["carried", "withheld", "dropped"]),
        _sql_scalar(
            "handover_items_dropped",
            "select g, sum(greatest(dropped, 0)) as v from h group by g",
            "select g, sum(greatest(carried, 0) + greatest(withheld, 0) + greatest(dropped, 0))"
            " as v from h group by g",
        ),
        _sql_scalar(
            "days_to_first_contact.after_handover",
            "select g, sum(days_to_first_contact) filter (where days_to_first_contact >= 0)"
            " as v from h group by g",
            "select g, count(*) filter (where days_to_first_contact >= 0) as v from h group by g",
        ),
        _sql_scalar(
            "no_shows_30d.after_handover",
            "select g, sum(greatest(no_shows_within_30_days, 0)) as v from h group by g",
            handovers,
        ),
    ]
    first = """
        select g, min(day) as first from k
        where course in (select course from without_handover)
              and attendance = 'attended' and day >= 0
        group by course, g"""
    queries += [
        _sql_scalar(
            "days_to_first_contact.without_handover",
            f"select g, sum(first) as v from ({first}) group by g",
            f"select g, count(*) as v from ({first}) group by g",
        ),
        _sql_scalar(
            "no_shows_30d.without_handover",
            "select g, count(*) as v from k where course in (select course from without_handover)"
            f" and attendance = 'no_show' and day >= 0 and day < {_NO_SHOW_WINDOW} group by g",
            "select g, count(*) as v from without_handover group by g",
        ),
    ]
    frame = con.sql(" union all ".join(f"({q})" for q in queries)).df()
    con.close()
    return _finish([frame.rename(columns={"g": by})], by)


# ---------------------------------------------------------------------------------------------
# polars


def polars_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in polars' lazy API: one plan for every family, collected once (so polars can
    share the scans and joins the families have in common)."""
    import polars as pl

    arrow = tables if tables is not None else arrow_tables(cohort)
    lazy = {name: pl.from_arrow(arrow[name]).lazy() for name in _TABLES}  # type: ignore[union-attr]
    cut = pl.lit(as_of)
    col = pl.col
    parts: list[pl.LazyFrame] = []

    def finish(frame: pl.LazyFrame, kpi: pl.Expr) -> pl.LazyFrame:
        return frame.select(
            kpi.alias("kpi"),
            "g",
            col("num").fill_null(0).cast(pl.Float64).alias("numerator"),
            col("den").cast(pl.Float64).alias("denominator"),
        )

    def per_detail(
        kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame, details: list[str]
    ) -> None:
        grid = denominator.join(pl.LazyFrame({"detail": details}), how="cross")
        frame = grid.join(numerator, on=["g", "detail"], how="left", nulls_equal=True)
        parts.append(finish(frame, pl.lit(kpi + ".") + col("detail")))

    def by_detail(kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame) -> None:
        frame = denominator.join(numerator, on=["g", "detail"], how="left", nulls_equal=True)
        parts.append(finish(frame, pl.lit(kpi + ".") + col("detail")))

    def scalar(kpi: str, numerator: pl.LazyFrame, denominator: pl.LazyFrame) -> None:
        parts.append(
            finish(denominator.join(numerator, on="g", how="left", nulls_equal=True), pl.lit(kpi))
        )

    def count(
        frame: pl.LazyFrame, keys: list[str], condition: pl.Expr | None = None
    ) -> pl.LazyFrame:
        value = pl.len() if condition is None else condition.sum()
        return frame.group_by(keys).agg(value.alias("num"))

    def den(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.rename({"num": "den"})

    scope = (
        lazy["courses"]
        .filter(col("ordered") <= cut)
        .with_columns(
            col(by).alias("g"),
            (col("closed") <= cut).fill_null(False).alias("is_closed"),
            (col("started") <= cut).fill_null(False).alias("is_started"),
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
    keys = scope.select("course", "g", "started")

    # Exits and the status after closure.
    closed = scope.filter(col("is_closed"))
    exits = count(
        closed.with_columns(col("closure_reason").cast(pl.String).alias("detail")), ["g", "detail"]
    )
    reasons = _categories(arrow["courses"], "closure_reason")
    per_detail("exits_closed", exits, den(count(scope, ["g"], col("is_closed"))), reasons)
    per_detail("exits_all", exits, den(count(scope, ["g"])), reasons)
    statuses = [*_categories(arrow["courses"], "status_1m"), "none"]
    for months in _STATUS_MONTHS:
        due = closed.filter(col("closed").dt.offset_by(f"{months}mo") <= cut).with_columns(
            col(f"status_{months}m").cast(pl.String).fill_null("none").alias("detail")
        )
        per_detail(
            f"status.{months}m", count(due, ["g", "detail"]), den(count(due, ["g"])), statuses
        )

    # Contacts.
    contacts = (
        lazy["contacts"]
        .filter(col("date") <= cut)
        .join(keys, on="course")
        .with_columns(
            col("location").cast(pl.String),
            col("attendance").cast(pl.String),
            (col("date") - col("started")).dt.total_days().alias("day"),
        )
    )
    at_place = contacts.filter(col("location").is_not_null()).rename({"location": "detail"})
    planned = den(count(at_place, ["g", "detail"]))
    by_detail(
        "attendance", count(at_place, ["g", "detail"], col("attendance") == "attended"), planned
    )
    by_detail("no_show", count(at_place, ["g", "detail"], col("attendance") == "no_show"), planned)
    weeks = scope.group_by("g").agg((col("course_days").sum() / _DAYS_PER_WEEK).alias("den"))
    attended = contacts.filter(col("attendance") == "attended")
    scalar("contacts_per_week", count(attended, ["g"]), weeks)
    scalar(
        "minutes_per_week",
        attended.group_by("g").agg(col("actual_minutes").clip(lower_bound=0).sum().alias("num")),
        weeks,
    )
    in_course = attended.filter(col("day") >= 0).with_columns(
        ((col("day") // 30).clip(upper_bound=_HOME_VISIT_MONTHS - 1) + 1)
        .cast(pl.String)
        .str.zfill(2)
        .alias("detail")
    )
    by_detail(
        "home_visit_share",
        count(in_course, ["g", "detail"], col("location") == "home"),
        den(count(in_course, ["g", "detail"])),
    )

    # Milestones.
    milestones = (
        lazy["milestones"]
        .filter(col("date") <= cut)
        .join(keys, on="course")
        .filter(col("started") <= cut)
        .select(
            "g",
            col("milestone").cast(pl.String).alias("detail"),
            (col("date") - col("started")).dt.total_days().clip(lower_bound=0).alias("days"),
        )
    )
    reached = count(milestones, ["g", "detail"])
    per_detail(
        "milestone_reached",
        reached,
        den(count(scope, ["g"], col("is_started"))),
        _categories(arrow["milestones"], "milestone"),
    )
    by_detail(
        "milestone_days",
        milestones.group_by("g", "detail").agg(col("days").sum().alias("num")),
        den(reached),
    )

    # Grants.
    def cents(name: str) -> pl.Expr:
        hours = col(name).cast(pl.Float64).fill_nan(0.0)
        return (hours * 100).round(0, mode="half_to_even").cast(pl.Int64)

    grants = (
        lazy["grants"]
        .join(keys, on="course")
        .filter(pl.coalesce("end_in_force", "planned_end") <= cut)
        .select(
            "g",
            cents("hours_granted").alias("granted"),
            cents("hours_delivered").alias("delivered"),
        )
        .filter(col("granted") > 0)
    )
    scalar(
        "hours_utilisation",
        grants.group_by("g").agg((col("delivered").sum() / 100).alias("num")),
        grants.group_by("g").agg((col("granted").sum() / 100).alias("den")),
    )
    scalar(
        "grants_under_80",
        count(grants, ["g"], col("delivered") * 100 // col("granted") < 80),
        den(count(grants, ["g"])),
    )

    # Stages of change.
    stages = _categories(arrow["assessments"], "stage")
    pairs = (
        lazy["assessments"]
        .with_row_index("row")
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
        .join(keys, on="course")
    )
    for kpi, moved in (
        ("stage_forward", col("rank") > col("previous")),
        ("stage_relapse", col("rank") < col("previous")),
    ):
        scalar(kpi, count(pairs, ["g"], moved), den(count(pairs, ["g"])))
        by_detail(kpi, count(pairs, ["g", "detail"], moved), den(count(pairs, ["g", "detail"])))

    # Ratings.
    ratings = (
        lazy["ratings"]
        .with_row_index("row")
        .filter(col("date") <= cut)
        .join(keys, on="course")
        .with_columns(col("instrument").cast(pl.String).alias("detail"))
    )
    by_detail(
        "rating_alert_share",
        count(ratings, ["g", "detail"], col("alert")),
        den(count(ratings, ["g", "detail"])),
    )
    last = (
        ratings.group_by("course", "detail")
        .agg(col("g", "change_from_baseline", "reliably_improved").sort_by("date", "row").last())
        .filter(col("change_from_baseline").is_not_nan())
    )
    followed = den(count(last, ["g", "detail"]))
    by_detail(
        "rating_change",
        last.group_by("g", "detail").agg(
            (
                (col("change_from_baseline").cast(pl.Float64) * 100)
                .round(0, mode="half_to_even")
                .sum()
                / 100
            ).alias("num")
        ),
        followed,
    )
    by_detail("reliably_improved", count(last, ["g", "detail"], col("reliably_improved")), followed)

    # Handovers and continuity.
    scalar(
        "mentor_changes_per_course_year",
        scope.filter(col("is_started")).group_by("g").agg(col("mentor_changes").sum().alias("num")),
        scope.group_by("g").agg((col("course_days").sum() / _DAYS_PER_YEAR).alias("den")),
    )
    handovers = (
        lazy["handovers"]
        .filter(col("date") <= cut)
        .join(keys, on="course")
        .with_columns(
            col("carried", "withheld", "dropped", "no_shows_within_30_days").clip(lower_bound=0)
        )
    )
    made = den(count(handovers, ["g"]))
    scalar(
        "handovers_acknowledged",
        count(handovers, ["g"], col("state").cast(pl.String) == "acknowledged"),
        made,
    )
    items = handovers.group_by("g").agg(col("carried", "withheld", "dropped").sum())
    per_detail(
        "handover_items",
        items.unpivot(index="g", variable_name="detail", value_name="num"),
        made,
        ["carried", "withheld", "dropped"],
    )
    scalar(
        "handover_items_dropped",
        items.select("g", col("dropped").alias("num")),
        items.select("g", (col("carried") + col("withheld") + col("dropped")).alias("den")),
    )
    known = handovers.filter(col("days_to_first_contact") >= 0)
    scalar(
        "days_to_first_contact.after_handover",
        known.group_by("g").agg(col("days_to_first_contact").sum().alias("num")),
        den(count(known, ["g"])),
    )
    scalar(
        "no_shows_30d.after_handover",
        handovers.group_by("g").agg(col("no_shows_within_30_days").sum().alias("num")),
        made,
    )
    without = scope.filter(col("is_started")).join(
        handovers.select("course"), on="course", how="anti"
    )
    mine = contacts.join(without.select("course"), on="course", how="semi").filter(col("day") >= 0)
    first = (
        mine.filter(col("attendance") == "attended").group_by("course", "g").agg(col("day").min())
    )
    scalar(
        "days_to_first_contact.without_handover",
        first.group_by("g").agg(col("day").sum().alias("num")),
        den(count(first, ["g"])),
    )
    scalar(
        "no_shows_30d.without_handover",
        count(mine, ["g"], (col("attendance") == "no_show") & (col("day") < _NO_SHOW_WINDOW)),
        den(count(without, ["g"])),
    )
    frame = pl.concat(parts).collect().to_pandas()
    return _finish([frame.rename(columns={"g": by})], by)


PEERS: dict[str, Callable[..., pd.DataFrame]] = {
    "pandas": pandas_kpis,
    "polars": polars_kpis,
    "duckdb": duckdb_kpis,
}
"""The peers by engine name; each is called as ``peer(cohort, as_of, by, tables=None)``."""
