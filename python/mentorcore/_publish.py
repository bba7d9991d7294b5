"""CohortSummary.publishable: the summary with small cells suppressed, safe to share.

Which cells are counts of people or events (suppressed below the threshold, with secondary
suppression over the relations between them) and which are sums that belong to a count (minutes,
days, hours, items, score points: withheld together with their count) is stated table by table
below. Tables whose counts are tied to each other (a grant is in exactly one utilisation bin, and
the grants under 80 percent are the bins below 80; attended contacts add up over locations, and
over the months of course with those outside them, to the intensity table's count; the started
courses are the same number in three tables) are suppressed as one problem, so a cell withheld in
one is not given away by another.
docs/kpis.md, "Suppression", states the rule and the guarantee.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._kpis import survival_kpi_values
from ._summary_counts import HOME_VISIT_MONTHS, STATUS_MONTHS, UTILISATION_BINS
from ._suppression import suppress_table
from ._validate import invalid

Mask = npt.NDArray[np.bool_]


def _names(enum: Any) -> list[str]:
    return [member.name for member in sorted(enum, key=lambda m: int(m.value))]


# Per table: the relations "total = sum of parts" between its count cells, and for every sum cell
# the count cell it belongs to. Cells named in neither are counts without a relation.
def _structure(
    cells: dict[str, tuple[str, ...]],
) -> dict[str, tuple[list[tuple[str, list[str]]], dict[str, str]]]:
    reasons = _names(_core.ClosureReason)
    statuses = [*_names(_core.FollowupStatus), "none"]
    attendance = _names(_core.Attendance)
    locations = _names(_core.Location)
    structure: dict[str, tuple[list[tuple[str, list[str]]], dict[str, str]]] = {
        "exits": ([("courses", ["open", "closed"]), ("closed", reasons)], {}),
        "statuses": (
            [(f"{m}m:eligible", [f"{m}m:{s}" for s in statuses]) for m in STATUS_MONTHS],
            {},
        ),
        "contacts": (
            [(f"{loc}:contacts", [f"{loc}:{a}" for a in attendance]) for loc in locations],
            {},
        ),
        "intensity": ([], {"course_days": "courses", "minutes": "attended"}),
        "home_visits": ([], {}),
        "milestones": ([], {f"{m}:days": f"{m}:reached" for m in _names(_core.Milestone)}),
        "grants": (
            [],
            {"hours_granted_cents": "grants", "hours_delivered_cents": "grants"},
        ),
        "utilisation": ([], {}),
        "handovers": (
            [],
            {
                "carried": "handovers",
                "withheld": "handovers",
                "dropped": "handovers",
                "days_to_first_contact": "first_contact_known",
            },
        ),
        # The no-shows and the mentor changes are counts of events, suppressed as counts.
        "continuity": (
            [("courses", ["with_handover", "without_handover"])],
            {
                "course_days": "courses",
                "without_days_to_first_contact": "without_first_contact_known",
            },
        ),
        "stages": ([], {}),
        "ratings": (
            [],
            {
                f"{cell.rsplit(':', 1)[0]}:change_cents": f"{cell.rsplit(':', 1)[0]}:followed"
                for cell in cells["ratings"]
            },
        ),
    }
    return structure


def _home_visits(kind: str) -> list[str]:
    """The home-visit cells of `kind` (attended, home): every month of course, and outside them
    (before the start, or no start), which together count each attended contact once."""
    months = [f"home_visits.{kind}:{m:02d}" for m in range(1, HOME_VISIT_MONTHS + 1)]
    return [*months, f"home_visits.{kind}:outside"]


def _bins(first: int, end: int) -> list[str]:
    """The utilisation bins `first` to `end` - 1 (10 percentage points each)."""
    return [f"utilisation.{10 * b:03d}" for b in range(first, end)]


# Tables suppressed together, and the relations between their cells across tables
# ("table.cell" = sum of "table.cell"s).
_BLOCKS: list[tuple[list[str], list[tuple[str, list[str]]]]] = [
    (["exits"], []),
    (["statuses"], []),
    (
        ["contacts", "intensity", "home_visits", "milestones", "continuity"],
        [
            ("intensity.attended", [f"contacts.{loc}:attended" for loc in _names(_core.Location)]),
            ("intensity.attended", _home_visits("attended")),
            ("contacts.home:attended", _home_visits("home")),
            ("intensity.courses", ["milestones.started"]),
            ("intensity.courses", ["continuity.courses"]),
        ],
    ),
    (
        ["grants", "utilisation"],
        # Every ended grant is in one bin; under 80 percent used (whole percent, rounded down)
        # is the bins below 80. Stated as parts of a part, the same relations as "grants = all
        # bins" beside "under_80 = the bins below 80", which secondary suppression protects with
        # far fewer cells withheld (by provider, of 1,000 synthetic courses: 64 against 164).
        [
            ("grants.grants", ["grants.under_80", *_bins(8, UTILISATION_BINS)]),
            ("grants.under_80", _bins(0, 8)),
        ],
    ),
    (["handovers"], []),
    (["stages"], []),
    (["ratings"], []),
]


def _suppress_block(
    summary: Any,
    tables: Sequence[str],
    across: Sequence[tuple[str, list[str]]],
    structure: dict[str, tuple[list[tuple[str, list[str]]], dict[str, str]]],
    min_count: int,
) -> tuple[dict[str, Mask], dict[str, Mask]]:
    """The suppression masks of the tables of one block, suppressed as one problem: of every
    group's cells, and of the totals over the groups (the all-courses row)."""
    offsets: dict[str, int] = {}
    columns: list[npt.NDArray[np.int64]] = []
    owner: dict[int, int] = {}  # sum column -> its count column
    relations: list[tuple[int, list[int]]] = []
    counted: list[int] = []  # columns in the problem (sums are left out)
    position = 0
    for table in tables:
        offsets[table] = position
        cells = summary.cells[table]
        columns.append(summary.counts[table])
        within, sums = structure[table]
        for total, parts in within:
            relations.append(
                (position + cells.index(total), [position + cells.index(p) for p in parts])
            )
        for j, cell in enumerate(cells):
            if cell in sums:
                owner[position + j] = position + cells.index(sums[cell])
            else:
                counted.append(position + j)
        position += len(cells)

    def column(name: str) -> int:
        table, cell = name.split(".", 1)
        return offsets[table] + list(summary.cells[table]).index(cell)

    for total, parts in across:
        relations.append((column(total), [column(p) for p in parts]))
    everything = np.concatenate(columns, axis=1) if columns else np.zeros((0, 0), dtype=np.int64)
    # The problem holds the count columns only, renumbered.
    index = {c: i for i, c in enumerate(counted)}
    problem = everything[:, counted]
    mask = suppress_table(
        problem, [(index[t], [index[p] for p in parts]) for t, parts in relations], min_count
    )
    full = np.zeros(everything.shape, dtype=bool)
    full[:, counted] = mask.cells
    totals = np.zeros(everything.shape[1], dtype=bool)
    totals[counted] = mask.totals
    for sum_column, count_column in owner.items():
        full[:, sum_column] = full[:, count_column]
        totals[sum_column] = totals[count_column]

    def part(table: str) -> slice:
        return slice(offsets[table], offsets[table] + len(summary.cells[table]))

    return (
        {table: full[:, part(table)] for table in tables},
        {table: totals[part(table)] for table in tables},
    )


def publishable(summary: Any, min_count: object) -> Any:
    """See CohortSummary.publishable."""
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise invalid("min_count", min_count, "expected a whole number of 1 or more")
    if summary.suppressed is not None:
        raise invalid(
            "summary", f"publishable(min_count={summary.min_count})", "is already publishable"
        )
    structure = _structure(summary.cells)
    masks: dict[str, Mask] = {}
    totals: dict[str, Mask] = {}
    for tables, across in _BLOCKS:
        cells, total_cells = _suppress_block(summary, tables, across, structure, min_count)
        masks.update(cells)
        totals.update(total_cells)
    published = _published(summary, summary, masks, min_count)
    if summary.by:
        # The all-courses row was part of the same problem: its own mask keeps the grouped
        # figures and the all-courses figures from giving each other away.
        whole = summary.total()
        row_masks = {name: mask[np.newaxis, :] for name, mask in totals.items()}
        if not whole.groups:
            row_masks = {name: mask[:0] for name, mask in row_masks.items()}
        published.published_total = _published(whole, summary, row_masks, min_count)
    return published


def _published(summary: Any, grouped: Any, masks: dict[str, Mask], min_count: int) -> Any:
    # The withheld values do not travel: they are zero in the publishable summary.
    counts = {name: np.where(masks[name], 0, table) for name, table in summary.counts.items()}
    empty_survival = {name: table[:0] for name, table in summary.survival_tables.items()}
    # The summary's own class (summary.py imports this module, not the reverse).
    return type(grouped)(
        summary.as_of,
        summary.by,
        summary.groups,
        summary.cells,
        counts,
        empty_survival,
        suppressed=masks,
        min_count=min_count,
        published_survival=survival_kpi_values(summary, min_count),
    )
