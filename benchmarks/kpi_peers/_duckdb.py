"""The KPI peer in DuckDB SQL over the Arrow tables: the intermediate tables several families read
(the courses in scope, the contacts, handovers, ratings, milestones, grants and stage pairs with
their course's group) created once as temporary tables, then one query per family, put together
with ``union all``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from . import _common as rules


def _with_row_numbers(table: pa.Table) -> pa.Table:
    """`table` with its row number as a column `row`: SQL has no order of rows, and the stage
    pairs and the last rating break ties of date by the position in the table, as mentorcore
    does."""
    return table.append_column("row", pa.array(np.arange(table.num_rows, dtype=np.int64)))


def _sql_list(values: Sequence[str]) -> str:
    return (
        "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]::VARCHAR[]"
    )


class _Queries:
    """The families' queries over the group columns `keys`: each numerator and denominator
    query selects the group columns, ``detail`` where the family has details, and ``v``."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.g = ", ".join(keys)
        self.queries: list[str] = []

    def _on(self, left: str, right: str) -> str:
        return " and ".join(f"{left}.{k} is not distinct from {right}.{k}" for k in self.keys)

    def _select(self, kpi: str) -> str:
        columns = ", ".join(f"den.{k}" for k in self.keys)
        return (
            f"select {kpi} as kpi, {columns}, coalesce(num.v, 0)::DOUBLE as numerator,"
            " den.v::DOUBLE as denominator"
        )

    def per_detail(
        self, kpi: str, numerator: str, denominator: str, details: Sequence[str]
    ) -> None:
        """Numerator per group and detail, denominator per group: every detail for every group."""
        self.queries.append(f"""
            {self._select(f"'{kpi}.' || d.detail")}
            from ({denominator}) den
            cross join (select unnest({_sql_list(details)}) as detail) d
            left join ({numerator}) num on {self._on("num", "den")} and num.detail = d.detail""")

    def by_detail(self, kpi: str, numerator: str, denominator: str) -> None:
        """Numerator and denominator per group and detail."""
        self.queries.append(f"""
            {self._select(f"'{kpi}.' || den.detail")}
            from ({denominator}) den
            left join ({numerator}) num on {self._on("num", "den")} and num.detail = den.detail""")

    def scalar(self, kpi: str, numerator: str, denominator: str) -> None:
        """Numerator and denominator per group."""
        self.queries.append(f"""
            {self._select(f"'{kpi}'")}
            from ({denominator}) den left join ({numerator}) num on {self._on("num", "den")}""")

    def sql(self) -> str:
        return " union all ".join(f"({q})" for q in self.queries)


def duckdb_kpis(
    cohort: Any,
    as_of: datetime.date,
    by: str | Sequence[str] = "municipality",
    tables: dict[str, pa.Table] | None = None,
) -> pd.DataFrame:
    """The KPIs in DuckDB SQL over the Arrow tables registered with a connection of its own
    (DuckDB's default threads): shared temporary tables, then one query per family."""
    import duckdb

    names, keys, arrow = rules.prepare(cohort, by, tables)
    con = duckdb.connect()
    for name in rules.TABLES:
        table = arrow[name]
        if name in ("assessments", "ratings"):
            table = _with_row_numbers(table)
        con.register(name, table)
    cut = f"DATE '{as_of.isoformat()}'"
    q = _Queries(keys)
    g = q.g
    group_columns = ", ".join(
        f"case when started <= {cut} then year(started) end as {key}"
        if name == "start_year"
        else f'"{name}" as {key}'
        for key, name in zip(keys, names, strict=True)
    )
    s_g = ", ".join(f"s.{key}" for key in keys)
    con.execute(f"""
        create temp table scope as
        select course, {group_columns}, started, closed, closure_reason,
               status_1m, status_3m, status_6m, status_12m,
               coalesce(closed <= {cut}, false) as is_closed,
               coalesce(started <= {cut}, false) as is_started,
               case when started <= {cut}
                    then greatest(coalesce(case when closed <= {cut} then closed end, {cut})
                                  - started, 0)
                    else 0 end as course_days
        from courses where ordered <= {cut}""")
    con.execute(f"""
        create temp table k as
        select x.course, x.location::VARCHAR as location, x.attendance::VARCHAR as attendance,
               x.actual_minutes, {s_g}, x.date - s.started as day
        from contacts x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp table h as
        select x.course, {s_g}, greatest(x.carried, 0) as carried,
               greatest(x.withheld, 0) as withheld, greatest(x.dropped, 0) as dropped,
               x.days_to_first_contact, greatest(x.no_shows_within_30_days, 0) as no_shows,
               coalesce(x.state = 'acknowledged' and x.settled <= {cut}, false) as acknowledged,
               x.sender_role::VARCHAR as sender_role, x.receiver_role::VARCHAR as receiver_role,
               coalesce(x.days_to_first_contact >= 0
                        and x.date + x.days_to_first_contact <= {cut}, false) as first_known,
               x.date + {rules.NO_SHOW_WINDOW} <= {cut} as followed
        from handovers x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp table r as
        select x.course, x.instrument::VARCHAR as detail, x.date, x.row, x.alert,
               x.change_from_baseline, x.reliably_improved, {s_g}
        from ratings x join scope s using (course) where x.date <= {cut}""")
    con.execute(f"""
        create temp table m as
        select {g}, detail, greatest(first - started, 0) as days from (
            select x.course, {s_g}, x.milestone::VARCHAR as detail, s.started,
                   min(x.date) as first
            from milestones x join scope s using (course)
            where x.date <= {cut} and s.is_started
            group by all)""")

    def cents(column: str) -> str:
        value = f"{column}::DOUBLE"
        return f"round_even(case when isnan({value}) then 0 else {value} end * 100, 0)::BIGINT"

    con.execute(f"""
        create temp table gr as
        select * from (
            select {s_g}, {cents("x.hours_granted")} as granted,
                   {cents("x.hours_delivered")} as delivered
            from grants x join scope s using (course)
            where coalesce(x.end_in_force, x.planned_end) <= {cut})
        where granted > 0""")
    stages = rules.categories(arrow["assessments"], "stage")
    con.execute(f"""
        create temp table pairs as
        select {s_g}, p.behaviour as detail, p.rank > p.previous as forward,
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
        create temp table without_handover as
        select course, * exclude (course) from scope
        where is_started and course not in (select course from h)""")

    reasons = rules.categories(arrow["courses"], "closure_reason")
    exits = (
        f"select {g}, closure_reason::VARCHAR as detail, count(*) as v from scope"
        " where is_closed group by all"
    )
    q.per_detail(
        "exits_closed",
        exits,
        f"select {g}, count(*) filter (where is_closed) as v from scope group by all",
        reasons,
    )
    q.per_detail("exits_all", exits, f"select {g}, count(*) as v from scope group by all", reasons)
    statuses = [*rules.categories(arrow["courses"], "status_1m"), "none"]
    for months in rules.STATUS_MONTHS:
        # Calendar months, a month's last day kept at month end (29 Feb + 1 month = 31 Mar).
        later = f"closed + interval {months} month"
        due_on = f"case when closed = last_day(closed) then last_day({later}) else {later} end"
        due = f"is_closed and {due_on} <= {cut}"
        q.per_detail(
            f"status.{months}m",
            f"select {g}, coalesce(status_{months}m::VARCHAR, 'none') as detail,"
            f" count(*) as v from scope where {due} group by all",
            f"select {g}, count(*) as v from scope where {due} group by all",
            statuses,
        )
    planned = f"select {g}, location as detail, count(*) as v from k where location is not null"
    for kpi, attendance in (("attendance", "attended"), ("no_show", "no_show")):
        q.by_detail(
            kpi,
            f"{planned} and attendance = '{attendance}' group by all",
            f"{planned} group by all",
        )
    weeks = f"select {g}, sum(course_days) / {rules.DAYS_PER_WEEK} as v from scope group by all"
    attended = "from k where attendance = 'attended' group by all"
    q.scalar("contacts_per_week", f"select {g}, count(*) as v {attended}", weeks)
    q.scalar(
        "minutes_per_week", f"select {g}, sum(greatest(actual_minutes, 0)) as v {attended}", weeks
    )
    month = f"lpad((least(day // 30, {rules.HOME_VISIT_MONTHS - 1}) + 1)::VARCHAR, 2, '0')"
    in_course = (
        f"select {g}, {month} as detail, count(*) as v from k"
        " where attendance = 'attended' and day >= 0"
    )
    q.by_detail(
        "home_visit_share",
        f"{in_course} and location = 'home' group by all",
        f"{in_course} group by all",
    )
    reached = f"select {g}, detail, count(*) as v from m group by all"
    q.per_detail(
        "milestone_reached",
        reached,
        f"select {g}, count(*) filter (where is_started) as v from scope group by all",
        rules.categories(arrow["milestones"], "milestone"),
    )
    q.by_detail(
        "milestone_days", f"select {g}, detail, sum(days) as v from m group by all", reached
    )
    q.scalar(
        "hours_utilisation",
        f"select {g}, sum(delivered) / 100 as v from gr group by all",
        f"select {g}, sum(granted) / 100 as v from gr group by all",
    )
    q.scalar(
        "grants_under_80",
        f"select {g}, count(*) filter (where delivered * 100 // granted < 80) as v"
        " from gr group by all",
        f"select {g}, count(*) as v from gr group by all",
    )
    for kpi, column in (("stage_forward", "forward"), ("stage_relapse", "relapse")):
        q.scalar(
            kpi,
            f"select {g}, count(*) filter (where {column}) as v from pairs group by all",
            f"select {g}, count(*) as v from pairs group by all",
        )
        q.by_detail(
            kpi,
            f"select {g}, detail, count(*) filter (where {column}) as v from pairs group by all",
            f"select {g}, detail, count(*) as v from pairs group by all",
        )
    last = f"""
        select {g}, detail, change_from_baseline, reliably_improved from (
            select *, row_number() over (partition by course, detail
                                         order by date desc, row desc) as newest
            from r)
        where newest = 1 and not isnan(change_from_baseline)"""
    followed = f"select {g}, detail, count(*) as v from ({last}) group by all"
    q.by_detail(
        "rating_alert_share",
        f"select {g}, detail, count(*) filter (where alert) as v from r group by all",
        f"select {g}, detail, count(*) as v from r group by all",
    )
    q.by_detail(
        "rating_change",
        f"select {g}, detail, sum(round_even(change_from_baseline::DOUBLE * 100, 0)) / 100"
        f" as v from ({last}) group by all",
        followed,
    )
    q.by_detail(
        "reliably_improved",
        f"select {g}, detail, count(*) filter (where reliably_improved) as v from ({last})"
        " group by all",
        followed,
    )

    q.scalar(
        "mentor_changes_per_course_year",
        f"select {g}, count(*) filter (where acknowledged and sender_role = 'mentor'"
        " and receiver_role = 'mentor') as v from h group by all",
        f"select {g}, sum(course_days) / {rules.DAYS_PER_YEAR} as v from scope group by all",
    )
    made = f"select {g}, count(*) as v from h group by all"
    q.scalar(
        "handovers_acknowledged",
        f"select {g}, count(*) filter (where acknowledged) as v from h group by all",
        made,
    )
    items = " union all ".join(
        f"select {g}, '{kind}' as detail, sum({kind}) as v from h group by all"
        for kind in rules.ITEMS
    )
    q.per_detail("handover_items", items, made, rules.ITEMS)
    q.scalar(
        "handover_items_dropped",
        f"select {g}, sum(dropped) as v from h group by all",
        f"select {g}, sum({' + '.join(rules.ITEMS)}) as v from h group by all",
    )
    q.scalar(
        "days_to_first_contact.after_handover",
        f"select {g}, sum(days_to_first_contact) as v from h where first_known group by all",
        f"select {g}, count(*) as v from h where first_known group by all",
    )
    q.scalar(
        "no_shows_30d.after_handover",
        f"select {g}, sum(no_shows) as v from h where followed group by all",
        f"select {g}, count(*) as v from h where followed group by all",
    )
    first = f"""
        select {g}, min(day) as first from k
        where course in (select course from without_handover)
              and attendance = 'attended' and day >= 0
        group by course, {g}"""
    q.scalar(
        "days_to_first_contact.without_handover",
        f"select {g}, sum(first) as v from ({first}) group by all",
        f"select {g}, count(*) as v from ({first}) group by all",
    )
    # Of the courses without a handover, those whose first 30 days had passed by as_of.
    due_without = (
        f"(select * from without_handover where started + {rules.NO_SHOW_WINDOW} <= {cut})"
    )
    q.scalar(
        "no_shows_30d.without_handover",
        f"select {g}, count(*) as v from k where course in (select course from {due_without})"
        f" and attendance = 'no_show' and day >= 0 and day < {rules.NO_SHOW_WINDOW} group by all",
        f"select {g}, count(*) as v from {due_without} group by all",
    )
    frame = con.sql(q.sql()).df()
    con.close()
    return rules.finish(frame, names)
