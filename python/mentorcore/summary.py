"""CohortSummary: the additive integer counts behind every KPI, which merge exactly.

A summary is what a cohort says about its groups at one censoring date (``as_of``), without a
single citizen in it: per group, count tables (courses by exit, contacts by location and
attendance, hours granted and delivered, stage transitions, ...) and, for the survival questions,
per day the numbers censored and with each outcome. Every entry is a whole number, so
``a + b`` is exact, associative and commutative, and every KPI and estimate computed from a
merged summary is bit for bit the one computed from the whole cohort. That is what lets the same
code run on one laptop, partition by partition on Dask (:mod:`mentorcore.dask`), or across
municipalities that share only counts (:meth:`CohortSummary.publishable`).
"""

from __future__ import annotations

import datetime
import html
import io
import json
import zlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._summary_counts import FIXED_TABLES, GROUP_COLUMNS, SURVIVAL_TABLES, sort_key
from ._validate import as_date, in_calendar, invalid
from .errors import Error

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from .survival import AalenJohansen, KaplanMeier

from ._kpis import kpi_definitions

__all__ = ["GROUP_COLUMNS", "CohortSummary", "kpi_definitions"]

_MAGIC = b"mentorcore-summary\n"
_EPOCH = datetime.date(1970, 1, 1)

Counts = npt.NDArray[np.int64]


def group_columns(by: object) -> tuple[str, ...]:
    """`by` (None, a column name, or a list of them) as a tuple of distinct group columns."""
    if by is None:
        return ()
    names = [by] if isinstance(by, str) else by
    if not isinstance(names, Iterable):
        raise invalid(
            "by", by, f"expected a column name or a list of them: {', '.join(GROUP_COLUMNS)}"
        )
    result: list[str] = []
    for name in names:
        if name not in GROUP_COLUMNS:
            raise invalid("by", name, f"expected one of {', '.join(GROUP_COLUMNS)}")
        if name in result:
            raise invalid("by", name, "names a column twice")
        result.append(name)
    return tuple(result)


def _merge_cells(a: Sequence[str], b: Sequence[str], table: str) -> tuple[str, ...]:
    if tuple(a) == tuple(b):
        return tuple(a)
    if table in FIXED_TABLES:
        raise invalid("cells", table, "the summaries count different cells: another mentorcore?")
    return tuple(sorted(set(a) | set(b)))


def _place(
    table: Counts, cells: Sequence[str], rows: Counts, n: int, into: Sequence[str]
) -> Counts:
    """`table` (rows x cells) at row positions `rows` of an n x len(into) table of zeros."""
    result = np.zeros((n, len(into)), dtype=np.int64)
    columns = [into.index(cell) for cell in cells] if tuple(cells) != tuple(into) else None
    if columns is None:
        result[rows] = table
    else:
        result[np.ix_(rows, np.asarray(columns, dtype=np.int64))] = table
    return result


def _add_survival(a: Counts, b: Counts) -> Counts:
    """Two survival tables (group, day, entered, censored, outcomes...) with the groups already
    placed, added per group and day, sorted by group and day."""
    both = np.concatenate([a, b])
    if not len(both):
        return both
    keys, inverse = np.unique(both[:, :2], axis=0, return_inverse=True)
    result = np.zeros((len(keys), both.shape[1]), dtype=np.int64)
    result[:, :2] = keys
    np.add.at(result[:, 2:], inverse.reshape(-1), both[:, 2:])
    return result


class CohortSummary:
    """The counts behind every KPI of a cohort at `as_of`, per group of `by`.

    Made by :meth:`mentorcore.Cohort.summary`; add two with ``+`` (same ``as_of``, ``by`` and
    format); :meth:`kpis` gives the KPI frame; :meth:`publishable` the version with small cells
    suppressed that may leave the municipality; :meth:`to_bytes` / :meth:`from_bytes` and pickle
    carry it. It holds no citizen key, course id or free text: group keys are municipality
    numbers, target groups, provider and staff ids, and start years.
    """

    # 2: the CRC-32 of the bytes at their end, a strict header, the home-visit outside cells.
    FORMAT_VERSION = 2

    def __init__(
        self,
        as_of: datetime.date,
        by: tuple[str, ...],
        groups: Sequence[tuple[Any, ...]],
        cells: dict[str, tuple[str, ...]],
        counts: dict[str, Counts],
        survival: dict[str, Counts],
        suppressed: dict[str, npt.NDArray[np.bool_]] | None = None,
        min_count: int = 0,
        published_survival: npt.NDArray[np.float64] | None = None,
    ) -> None:
        self.as_of = as_of
        self.by = by
        self.groups = tuple(groups)
        self.cells = dict(cells)
        self.counts = dict(counts)
        self.survival_tables = dict(survival)
        # Set only on a publishable summary: which cells are suppressed, at which threshold.
        self.suppressed = suppressed
        self.min_count = min_count
        # Set only on a publishable summary, which keeps the survival KPIs instead of the per-day
        # tables: (KPI, group, numerator, denominator, value, ci_lower, ci_upper, suppressed).
        self.published_survival = published_survival
        # Set only on a grouped publishable summary: its all-courses row, suppressed in the same
        # problem as the groups (see total()).
        self.published_total: CohortSummary | None = None

    @classmethod
    def empty(cls, as_of: datetime.date, by: object = None) -> CohortSummary:
        """The summary of no courses: the neutral element of ``+`` for this `as_of` (a day of
        the supported calendar, 1900-2200) and `by`."""
        cells: dict[str, tuple[str, ...]] = {**FIXED_TABLES, "stages": (), "ratings": ()}
        return cls(
            in_calendar(as_date(as_of, "as_of"), "as_of"),
            group_columns(by),
            [],
            cells,
            {name: np.zeros((0, len(c)), dtype=np.int64) for name, c in cells.items()},
            {
                name: np.zeros((0, 4 + len(outcomes)), dtype=np.int64)
                for name, outcomes in SURVIVAL_TABLES.items()
            },
        )

    # --- merging ---------------------------------------------------------------------------

    def _check_mergeable(self, other: object) -> CohortSummary:
        if not isinstance(other, CohortSummary):
            raise invalid("other", type(other).__name__, "expected a CohortSummary")
        for summary in (self, other):
            if summary.suppressed is not None:
                raise invalid(
                    "summary",
                    f"publishable(min_count={summary.min_count})",
                    "a summary with suppressed cells does not add up exactly: merge the"
                    " summaries first, then make the sum publishable",
                )
        if other.as_of != self.as_of:
            raise invalid(
                "as_of", other.as_of.isoformat(), f"the other summary is as of {self.as_of}"
            )
        if other.by != self.by:
            raise invalid("by", list(other.by), f"the other summary is grouped by {list(self.by)}")
        return other

    def __add__(self, other: object) -> CohortSummary:
        other = self._check_mergeable(other)
        groups = sorted(set(self.groups) | set(other.groups), key=sort_key)
        position = {key: i for i, key in enumerate(groups)}
        rows_a = np.array([position[key] for key in self.groups], dtype=np.int64)
        rows_b = np.array([position[key] for key in other.groups], dtype=np.int64)
        cells: dict[str, tuple[str, ...]] = {}
        counts: dict[str, Counts] = {}
        for table in self.cells:
            cells[table] = _merge_cells(self.cells[table], other.cells[table], table)
            counts[table] = _place(
                self.counts[table], self.cells[table], rows_a, len(groups), cells[table]
            ) + _place(other.counts[table], other.cells[table], rows_b, len(groups), cells[table])
        survival = {}
        for name in self.survival_tables:
            a, b = self.survival_tables[name].copy(), other.survival_tables[name].copy()
            a[:, 0] = rows_a[a[:, 0]] if len(a) else a[:, 0]
            b[:, 0] = rows_b[b[:, 0]] if len(b) else b[:, 0]
            survival[name] = _add_survival(a, b)
        return CohortSummary(self.as_of, self.by, groups, cells, counts, survival)

    def __radd__(self, other: object) -> CohortSummary:
        # sum(summaries) starts from 0.
        if isinstance(other, int) and other == 0:
            return self
        return self.__add__(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CohortSummary):
            return NotImplemented
        return (
            self.as_of == other.as_of
            and self.by == other.by
            and self.groups == other.groups
            and self.cells == other.cells
            and self.min_count == other.min_count
            and all(np.array_equal(self.counts[t], other.counts[t]) for t in self.counts)
            and self.survival_tables.keys() == other.survival_tables.keys()
            and all(
                np.array_equal(self.survival_tables[t], other.survival_tables[t])
                for t in self.survival_tables
            )
            and (self.suppressed is None) == (other.suppressed is None)
            and self.published_total == other.published_total
            and (
                self.published_survival is None
                if other.published_survival is None
                else self.published_survival is not None
                and np.array_equal(
                    self.published_survival, other.published_survival, equal_nan=True
                )
            )
            and (
                self.suppressed is None
                or all(
                    np.array_equal(self.suppressed[t], other.suppressed[t])  # type: ignore[index]
                    for t in self.suppressed
                )
            )
        )

    __hash__ = None  # type: ignore[assignment]

    # --- what it says ----------------------------------------------------------------------

    def total(self) -> CohortSummary:
        """All courses as one group (``by`` empty): the counts and per-day tables added up over
        the groups, exactly as the ungrouped summary of the same courses. Of a publishable
        summary, its all-courses row as it was suppressed together with the groups, so that
        the two can be published side by side without one giving the other away."""
        if not self.by:
            return self
        if self.suppressed is not None:
            if self.published_total is None:
                raise invalid("summary", "publishable", "it carries no all-courses row")
            return self.published_total
        n = 1 if self.groups else 0
        counts = {
            name: table.sum(axis=0, keepdims=True, dtype=np.int64)[:n]
            for name, table in self.counts.items()
        }
        survival = {}
        for name, table in self.survival_tables.items():
            moved = table.copy()
            moved[:, 0] = 0
            survival[name] = _add_survival(moved, moved[:0])
        return CohortSummary(self.as_of, (), [()][:n], self.cells, counts, survival)

    @property
    def courses(self) -> int:
        """The number of courses summarised (ordered by `as_of`). Of a publishable summary,
        the all-courses row's published count; raises mentorcore.Error if that is withheld (the
        0 stored for a withheld cell is no count, and the groups' published counts leave the
        withheld ones out)."""
        whole = self.published_total if self.by else self
        if self.suppressed is not None and whole is not None and whole.groups:
            column = whole.cells["exits"].index("courses")
            if whole.suppressed is not None and whole.suppressed["exits"][0, column]:
                raise invalid(
                    "courses", "withheld", f"fewer than min_count={self.min_count} (or hiding one)"
                )
            return int(whole.counts["exits"][0, column])
        exits = self.counts["exits"]
        return int(exits[:, self.cells["exits"].index("courses")].sum()) if len(exits) else 0

    def table(self, name: str) -> pd.DataFrame:
        """One count table as a DataFrame: the group columns, then one column per cell."""
        import pandas as pd

        if name not in self.counts:
            raise invalid("table", name, f"expected one of {', '.join(self.counts)}")
        frame: pd.DataFrame = pd.DataFrame(self.counts[name], columns=list(self.cells[name]))
        if self.suppressed is not None:
            # Withheld cells are missing values (pd.NA), not the zeros they are stored as.
            frame = frame.astype("Int64").mask(self.suppressed[name])
        for j, column in enumerate(self.by):
            frame.insert(j, column, [key[j] for key in self.groups])
        return frame

    def survival(
        self, outcome: str, *, alpha: float = 0.05
    ) -> KaplanMeier | AalenJohansen | dict[Any, KaplanMeier | AalenJohansen]:
        """The estimate of ``"time_to_work_or_education"`` (an :class:`AalenJohansen` with the
        outcomes work, education, dropout, other exit) or ``"retention"`` (a
        :class:`KaplanMeier`) from the per-day counts: the same, bit for bit, as
        :meth:`mentorcore.Cohort.survival` at this `as_of` (``start="started"``). Grouped
        summaries give a dict by group (the key is the value for one group column, the tuple of
        values for several); groups nobody in the question belongs to are left out."""
        from ._kpis import survival_counts
        from .survival import aalen_johansen_from_counts, kaplan_meier_from_counts

        if outcome not in SURVIVAL_TABLES:
            raise invalid("outcome", outcome, f"expected one of {', '.join(SURVIVAL_TABLES)}")
        if self.published_survival is not None:
            raise invalid(
                "outcome", outcome, "a publishable summary keeps no per-day counts: use kpis()"
            )
        estimates: dict[Any, KaplanMeier | AalenJohansen] = {}
        for group, key in enumerate(self.groups):
            counts = survival_counts(self.survival_tables[outcome], group)
            if counts["initial"] == 0:
                continue
            args = (counts["time"], counts["entered"])
            estimate: KaplanMeier | AalenJohansen
            if outcome == "retention":
                estimate = kaplan_meier_from_counts(
                    *args, counts["events"][0], counts["censored"], counts["initial"], alpha
                )
            else:
                estimate = aalen_johansen_from_counts(
                    *args, counts["censored"], counts["events"], counts["initial"], alpha, "delta"
                )
            estimates[key[0] if len(key) == 1 else key] = estimate
        if not self.by:
            if not estimates:
                raise invalid("outcome", outcome, "nobody in the summary is in this question")
            return estimates[()]
        return estimates

    def transition_matrix(self, behaviour: str | None = None) -> pd.DataFrame:
        """Stage-of-change transitions between consecutive assessments of a behaviour in a
        course, all groups together: rows the stage before, columns the stage after (the stages
        of ``mc.Stage`` in order), for one `behaviour` or all. A publishable summary counts only
        its published cells."""
        import pandas as pd

        from . import _core

        stages = [m.name for m in sorted(_core.Stage, key=lambda m: int(m.value))]
        cells = self.cells["stages"]
        if behaviour is not None and not any(c.split(":", 1)[0] == behaviour for c in cells):
            raise invalid(
                "behaviour", behaviour, "no transitions of that behaviour in this summary"
            )
        counts = self.counts["stages"]
        if self.suppressed is not None:
            counts = np.where(self.suppressed["stages"], 0, counts)
        totals = counts.sum(axis=0)
        matrix = np.zeros((len(stages), len(stages)), dtype=np.int64)
        for j, cell in enumerate(cells):
            name, move = cell.split(":", 1)
            if behaviour is None or name == behaviour:
                before, after = move.split(">")
                matrix[stages.index(before), stages.index(after)] += totals[j]
        frame: pd.DataFrame = pd.DataFrame(
            matrix,
            index=pd.Index(stages, name="from"),
            columns=pd.Index(stages, name="to"),
        )
        return frame

    def kpis(self) -> pd.DataFrame:
        """Every KPI per group: ``kpi, <by columns>, numerator, denominator, value, ci_lower,
        ci_upper`` (and ``suppressed`` for a publishable summary). docs/kpis.md defines them;
        :func:`mentorcore.kpi_definitions` gives the same as a frame."""
        from ._kpis import kpi_frame

        return kpi_frame(self)

    def publishable(self, min_count: int = 5) -> CohortSummary:
        """This summary with every cell below `min_count` suppressed, and as many more as it
        takes that no suppressed cell can be worked out from the others and the totals. The
        per-day survival tables are dropped (they count single days); the survival KPIs stay
        where the group has at least `min_count` subjects and outcomes. docs/kpis.md,
        "Suppression"."""
        from ._publish import publishable

        published: CohortSummary = publishable(self, min_count)
        return published

    def plot_kpi(self, kpi: str, ax: Axes | None = None) -> Axes:
        """One KPI per group, as points with their intervals. Needs matplotlib."""
        from ._summary_plots import plot_kpi

        return plot_kpi(self, kpi, ax)

    def plot_home_visits(self, ax: Axes | None = None) -> Axes:
        """The share of attended contacts at home by month of course, a line per group."""
        from ._summary_plots import plot_home_visits

        return plot_home_visits(self, ax)

    def plot_stage_transitions(self, behaviour: str | None = None, ax: Axes | None = None) -> Axes:
        """The stage-of-change transition matrix as a heat map (one behaviour, or all)."""
        from ._summary_plots import plot_stage_transitions

        return plot_stage_transitions(self, behaviour, ax)

    def plot_utilisation(self, ax: Axes | None = None) -> Axes:
        """Grants by hours delivered as a percentage of granted, with the 80 percent line."""
        from ._summary_plots import plot_utilisation

        return plot_utilisation(self, ax)

    def plot_handover_loss(self, ax: Axes | None = None) -> Axes:
        """Knowledge items carried, withheld and dropped per handover, a bar per group."""
        from ._summary_plots import plot_handover_loss

        return plot_handover_loss(self, ax)

    # --- bytes and pickle ------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """The summary in mentorcore's versioned format, which :meth:`from_bytes` reads on any
        machine: a magic line, a JSON header line, a zip of NumPy arrays (.npz), and the CRC-32
        of all of it as 4 bytes (big-endian), against corruption, not tampering."""
        header = {
            "format": self.FORMAT_VERSION,
            "as_of": self.as_of.isoformat(),
            "by": list(self.by),
            "groups": [list(key) for key in self.groups],
            "cells": {name: list(cells) for name, cells in self.cells.items()},
            "survival": {name: list(SURVIVAL_TABLES[name]) for name in self.survival_tables},
            "min_count": self.min_count,
        }
        buffer = io.BytesIO()
        arrays: dict[str, Any] = {f"count.{n}": a for n, a in self.counts.items()}
        arrays.update({f"survival.{n}": a for n, a in self.survival_tables.items()})
        if self.suppressed is not None:
            arrays.update({f"suppressed.{n}": a for n, a in self.suppressed.items()})
        if self.published_survival is not None:
            arrays["published_survival"] = self.published_survival
        if self.published_total is not None:
            arrays["published_total"] = np.frombuffer(self.published_total.to_bytes(), np.uint8)
        np.savez(buffer, **arrays)
        body = _MAGIC + json.dumps(header).encode() + b"\n" + buffer.getvalue()
        return body + zlib.crc32(body).to_bytes(4, "big")

    @classmethod
    def from_bytes(cls, data: bytes) -> CohortSummary:
        """The summary that :meth:`to_bytes` wrote. Anything else is a
        :class:`mentorcore.Error` saying what is wrong: bytes whose checksum does not match
        (any flipped bit), a header entry unknown, missing or out of range, another format
        (format 1, of earlier versions, is not read: summarise the cohort again)."""
        from ._summary_bytes import summary_from_bytes

        summary: CohortSummary = summary_from_bytes(cls, data, _MAGIC)
        return summary

    def __reduce__(self) -> tuple[Any, ...]:
        return (_from_bytes, (self.to_bytes(),))

    # --- display ---------------------------------------------------------------------------

    def __repr__(self) -> str:
        grouping = f", by {', '.join(self.by)}" if self.by else ""
        published = f", publishable (min_count={self.min_count})" if self.suppressed else ""
        return (
            f"<CohortSummary as of {self.as_of}{grouping}: {len(self.groups)} group"
            f"{'' if len(self.groups) == 1 else 's'}, {self._courses_text()}{published}>"
        )

    def _courses_text(self) -> str:
        """How many courses, for the repr. Of a publishable summary the all-courses row's
        count, as the report's headline gives it, or that it is withheld (the stored 0 of a
        withheld cell is no count, and the groups' published counts leave out the withheld)."""
        try:
            return f"{self.courses:,} courses"
        except Error:
            return "course count withheld"

    def _repr_html_(self) -> str:
        frame = self.kpis()
        head = frame.head(12).to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="")
        return f"<div><strong>{html.escape(repr(self))}</strong>{head}</div>"


def _from_bytes(data: bytes) -> CohortSummary:
    return CohortSummary.from_bytes(data)
