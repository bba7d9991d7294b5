"""What the three peers share: the tables they read, the constants of the rules, the group
columns and the shape of their result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

HOME_VISIT_MONTHS = 24
STATUS_MONTHS = (1, 3, 6, 12)
NO_SHOW_WINDOW = 30
DAYS_PER_WEEK = 7.0
DAYS_PER_YEAR = 365.25
ITEMS = ("carried", "withheld", "dropped")

TABLES = ("courses", "contacts", "milestones", "grants", "handovers", "assessments", "ratings")
GROUP_COLUMNS = ("municipality", "target_group", "provider", "mentor", "caseworker", "start_year")


def arrow_tables(cohort: Any) -> dict[str, pa.Table]:
    """The tables the KPIs read, as pyarrow tables viewing the cohort's columns (no copy)."""
    return {name: pa.table(cohort.arrow(name)) for name in TABLES}


def categories(table: pa.Table, column: str) -> list[str]:
    """The names of an enum column in the enum's order (the Arrow dictionary is the enum)."""
    chunks = table.column(column).chunks
    dictionary = chunks[0].dictionary if chunks else pa.array([], pa.string())
    return [str(name) for name in dictionary.to_pylist()]


def group_names(by: str | Sequence[str]) -> list[str]:
    """`by` as a list of group columns (a name or a list of names of GROUP_COLUMNS)."""
    names = [by] if isinstance(by, str) else list(by)
    unknown = [name for name in names if name not in GROUP_COLUMNS]
    if not names or unknown or len(set(names)) != len(names):
        raise ValueError(f"by={by!r}: expected distinct names of {', '.join(GROUP_COLUMNS)}")
    return names


def internal_keys(names: list[str]) -> list[str]:
    """The names the peers give the group columns while they work (g0, g1, ...): a child table
    may have a column named like a group (a grant's provider, a contact's mentor)."""
    return [f"g{i}" for i in range(len(names))]


def prepare(
    cohort: Any, by: str | Sequence[str], tables: dict[str, pa.Table] | None
) -> tuple[list[str], list[str], dict[str, pa.Table]]:
    """What every peer starts from: the group columns of `by`, the names it works with for
    them, and the Arrow tables (`tables`, or the cohort's)."""
    names = group_names(by)
    return names, internal_keys(names), tables if tables is not None else arrow_tables(cohort)


def finish(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """A peer's long frame in the shape of the result: ``kpi``, the group columns under their
    own names (a missing value as None), ``numerator`` and ``denominator`` as float64, sorted."""
    frame = frame.rename(columns=dict(zip(internal_keys(names), names, strict=True)))
    for name in names:
        values = frame[name].astype(object)
        frame[name] = values.where(values.notna(), None)
    frame = frame[["kpi", *names, "numerator", "denominator"]].astype(
        {"numerator": "float64", "denominator": "float64"}
    )
    ordered: pd.DataFrame = frame.sort_values(
        ["kpi", *names], kind="stable", ignore_index=True, na_position="last"
    )
    return ordered
