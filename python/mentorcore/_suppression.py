"""Small-cell suppression for counts that leave the municipality (issue 16, "safe sharing").

A table of counts is published with every small count withheld (primary suppression) and, so that
no withheld count can be worked out from what is published, further counts withheld beside them
(secondary suppression), as Statistics Denmark's discretion rules do. The rule, the threshold, the
treatment of zeros and the guarantee are described in docs/kpis.md, section "Suppression".

Pure NumPy and the standard library: the exact audit works in Python integers, so that no rounding
can make a recoverable cell look safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from ._validate import as_int, as_list, invalid, out_of_range

__all__ = ["TableMask", "suppress", "suppress_table"]

# A relation as the audit and the heuristic use it: the indices of its members (the total first)
# and their coefficients in "total - sum(parts) = 0" (+1 for the total, -1 for each part).
_Relation = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


def suppress(
    values: npt.NDArray[np.int64],
    relations: Sequence[tuple[int, Sequence[int]]],
    min_count: int,
) -> npt.NDArray[np.bool_]:
    """Which of `values` (non-negative counts) must not be published: a bool mask, True = withheld.

    `relations` lists ``(total, parts)`` pairs of indices into `values`, each saying
    ``values[total] == sum(values[parts])``. Everything not withheld is published, and so is every
    relation: the protection holds against someone who knows the structure, that every value is a
    non-negative integer, and every published value.

    - **Primary suppression**: every value with ``0 < value < min_count``. **Zeros are published**
      (as Statistics Denmark's discretion rules do: an empty cell says nothing about a person).
    - **Secondary suppression**, to a fixed point: (1) a relation with exactly one withheld member
      gets a second one, its smallest published non-zero member (ties: the lowest index); (2) an
      exact audit then looks for a withheld value that is still determined by the published ones
      (a withheld pattern in a two-way table can pass rule 1 and still pin a cell, e.g. two
      withheld rectangles joined by one cell); for the first such value it withholds the smallest
      published non-zero member of the relations that contain it, and starts again at (1).

    **Guarantee**: for every withheld value the audit has found a second table of non-negative
    integers that satisfies every relation and agrees with every published value, in which that
    value is different (a certificate, checked in exact integer arithmetic). No withheld value can
    therefore be recovered exactly. Withheld values are never 0, so in tables whose relations form
    a network (groups x categories with group totals and category totals, and such) every withheld
    value can be moved by +1 and by -1, so even a withheld 1 is not known to be 1 or 0. What is
    not promised: that a withheld value cannot be narrowed to an interval (interval disclosure),
    nor that the fewest possible values are withheld (that is an integer program).

    Raises mentorcore.Error (naming the field) for a `min_count` that is not an integer >= 1,
    values that are not a 1-D array of non-negative integers, an index out of range, a part listed
    twice or equal to its total, and a relation that does not hold.
    """
    threshold = _as_min_count(min_count)
    counts = _as_counts(values, "values")
    rels = _as_relations(relations, counts.size, "relations")
    for number, (members, coefficients) in enumerate(rels):
        if int(counts[members] @ coefficients) != 0:
            total, parts = int(members[0]), [int(m) for m in members[1:]]
            raise invalid(
                f"relations[{number}]",
                (total, parts),
                f"does not hold: values[{total}] = {int(counts[total])} but its parts sum to "
                f"{int(counts[parts].sum())}",
            )
    return _suppress(counts, rels, threshold)


class TableMask(NamedTuple):
    """What `suppress_table` withholds: `cells` has the shape of the counts (groups x cells),
    `totals` one entry per cell, for the total over all groups."""

    cells: npt.NDArray[np.bool_]
    totals: npt.NDArray[np.bool_]


def suppress_table(
    counts: npt.NDArray[np.int64],
    groups_of_cells: Sequence[tuple[int, Sequence[int]]],
    min_count: int,
) -> TableMask:
    """`suppress` for a table of groups x cells published with a total over the groups.

    `counts` is an (n_groups, n_cells) array of non-negative integers. `groups_of_cells` gives the
    relations inside every group by cell index, e.g. ``[(0, range(1, 12))]`` when cell 0 is the
    denominator (closed courses) and cells 1-11 split it by destination; parts of a part are
    allowed (``[(0, [1, 2, 3]), (1, [4, 5])]``). Each relation must hold in every group.

    The total over the groups of every cell (the column sums) counts as published too, and obeys
    the same relations; so the problem given to `suppress` has the group rows, the total row, the
    relations inside each row and, for every cell, "total = sum over the groups". A column total
    can itself be small, or be needed for secondary suppression: then it must not be published
    either. Returns ``TableMask(cells, totals)``: `cells` (shape of `counts`) and `totals` (shape
    ``(n_cells,)``), True = withhold. With one group the totals equal that group's row and are
    withheld with it.

    Suppress every table that shares a count with another one in one call of `suppress` instead:
    a value withheld in one table and published in another is not withheld.
    """
    threshold = _as_min_count(min_count)
    table = _as_array(counts, "counts")
    if table.ndim != 2:
        raise invalid(
            "counts", f"array of shape {table.shape}", "expected a 2-D array (groups x cells)"
        )
    n_groups, n_cells = table.shape
    if table.dtype.kind in "iu" and table.size and int(table.min()) < 0:
        group, cell = (int(i) for i in np.argwhere(np.less(table, 0))[0])
        raise invalid(f"counts[{group}, {cell}]", int(table[group, cell]), "expected a count >= 0")
    flat_counts = _as_counts(table.reshape(-1), "counts")
    within = _as_relations(groups_of_cells, n_cells, "groups_of_cells")
    grid = flat_counts.reshape(n_groups, n_cells)
    column_totals = grid.sum(axis=0, dtype=np.int64)
    values = np.concatenate([flat_counts, column_totals])
    # Cell c of group g is at g * n_cells + c; the total of cell c at n_groups * n_cells + c.
    relations: list[_Relation] = []
    for row in range(n_groups + 1):
        for members, coefficients in within:
            relations.append((members + row * n_cells, coefficients))
    for cell in range(n_cells):
        members = np.concatenate(
            [[n_groups * n_cells + cell], np.arange(n_groups, dtype=np.int64) * n_cells + cell]
        ).astype(np.int64)
        coefficients = np.full(members.size, -1, np.int64)
        coefficients[0] = 1
        relations.append((members, coefficients))
    for index, (members, coefficients) in enumerate(relations[: n_groups * len(within)]):
        if int(values[members] @ coefficients) != 0:
            group, which = divmod(index, len(within))
            total = int(members[0] - group * n_cells)
            parts = [int(m - group * n_cells) for m in members[1:]]
            raise invalid(
                f"groups_of_cells[{which}]",
                (total, parts),
                f"does not hold in group {group}: counts[{group}, {total}] = "
                f"{int(values[members[0]])} but its parts sum to {int(values[members[1:]].sum())}",
            )
    mask = _suppress(values, relations, threshold)
    return TableMask(
        cells=mask[: n_groups * n_cells].reshape(n_groups, n_cells),
        totals=mask[n_groups * n_cells :].copy(),
    )


# ---------------------------------------------------------------------------------------------
# Checks


def _as_min_count(min_count: object) -> int:
    threshold = as_int(min_count, "min_count")
    if threshold < 1:
        raise out_of_range("min_count", threshold, "expected an integer >= 1")
    return threshold


def _as_array(values: object, field: str) -> npt.NDArray[np.generic]:
    try:
        return np.asarray(values)
    except Exception as error:  # bad input: whatever NumPy raised while reading it
        raise invalid(
            field, values, f"could not be read as an array ({type(error).__name__})"
        ) from None


def _as_counts(values: object, field: str) -> npt.NDArray[np.int64]:
    array = _as_array(values, field)
    if array.ndim != 1:
        raise invalid(field, f"array of shape {array.shape}", "expected a 1-D array of counts")
    if array.size == 0:
        return np.zeros(0, np.int64)
    if array.dtype == np.bool_ or array.dtype.kind not in "iu":
        raise invalid(field, f"array of {array.dtype}", "expected integer counts")
    if array.dtype.kind == "u" and array.size and int(array.max()) > np.iinfo(np.int64).max:
        index = int(np.argmax(array))
        raise out_of_range(f"{field}[{index}]", int(array[index]), "larger than an int64")
    counts = array.astype(np.int64)
    negative = np.flatnonzero(counts < 0)
    if negative.size:
        index = int(negative[0])
        raise invalid(f"{field}[{index}]", int(counts[index]), "expected a count >= 0")
    return counts


def _as_relations(relations: object, size: int, field: str) -> list[_Relation]:
    """The relations as (members, coefficients): pairs of indices below `size`."""
    checked: list[_Relation] = []
    for number, relation in enumerate(as_list(relations, field)):
        name = f"{field}[{number}]"
        pair = as_list(relation, name)
        if len(pair) != 2:
            raise invalid(name, relation, "expected a pair (total, parts)")
        total = as_int(pair[0], f"{name}[0]")
        parts = [
            as_int(part, f"{name}[1][{place}]")
            for place, part in enumerate(as_list(pair[1], f"{name}[1]"))
        ]
        for place, index in enumerate([total, *parts]):
            if not 0 <= index < size:
                where = f"{name}[0]" if place == 0 else f"{name}[1][{place - 1}]"
                raise out_of_range(where, index, f"not an index of {size} values")
        if not parts:
            raise invalid(f"{name}[1]", parts, "expected at least one part")
        if total in parts:
            raise invalid(name, (total, parts), f"lists the total {total} among its parts")
        if len(set(parts)) != len(parts):
            twice = next(p for p in parts if parts.count(p) > 1)
            raise invalid(f"{name}[1]", parts, f"lists the index {twice} twice")
        members = np.array([total, *parts], np.int64)
        coefficients = np.full(members.size, -1, np.int64)
        coefficients[0] = 1
        checked.append((members, coefficients))
    return checked


# ---------------------------------------------------------------------------------------------
# The rule


def _suppress(
    values: npt.NDArray[np.int64], relations: list[_Relation], min_count: int
) -> npt.NDArray[np.bool_]:
    mask = (values > 0) & (values < min_count)
    while True:
        _close_single_members(values, mask, relations)
        exposed = _exposed_cells(values, mask, relations)
        if not exposed:
            return mask
        mask[_cover(values, mask, relations, exposed[0])] = True


def _smallest_published(
    values: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], members: npt.NDArray[np.int64]
) -> int | None:
    """The member with the smallest published non-zero value (ties: the lowest index)."""
    candidates = np.unique(members[~mask[members] & (values[members] > 0)])
    if candidates.size == 0:
        return None
    return int(candidates[np.lexsort((candidates, values[candidates]))[0]])


def _close_single_members(
    values: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], relations: list[_Relation]
) -> None:
    """Rule 1, to a fixed point. A withheld member is never 0, so a relation with exactly one has
    a published non-zero member (the total if the withheld one is a part, else a part)."""
    changed = True
    while changed:
        changed = False
        for members, _ in relations:
            if int(np.count_nonzero(mask[members])) == 1:
                pick = _smallest_published(values, mask, members)
                if pick is None:  # pragma: no cover - impossible, see the docstring
                    raise AssertionError("a relation with one withheld member has no other")
                mask[pick] = True
                changed = True


def _cover(
    values: npt.NDArray[np.int64],
    mask: npt.NDArray[np.bool_],
    relations: list[_Relation],
    cell: int,
) -> int:
    """The value to withhold next for a determined `cell`: the smallest published non-zero member
    of the relations that contain it, else of the relations that touch its component (the
    withheld values linked to it through relations). One always exists: were every published
    member of those relations 0, doubling the component would be a certificate."""
    own = [members for members, _ in relations if cell in members]
    if own:
        pick = _smallest_published(values, mask, np.concatenate(own))
        if pick is not None:
            return pick
    component = _components(mask, relations)[0]
    root = component[cell]
    touching = [
        members
        for members, _ in relations
        if any(component.get(int(m)) == root for m in members[mask[members]])
    ]
    pick = _smallest_published(values, mask, np.concatenate(touching))
    if pick is None:  # pragma: no cover - impossible, see the docstring
        raise AssertionError("a determined cell whose component has no published member")
    return pick


# ---------------------------------------------------------------------------------------------
# The exact audit


def _components(
    mask: npt.NDArray[np.bool_], relations: list[_Relation]
) -> tuple[dict[int, int], list[int]]:
    """Union-find over the withheld cells, joined when they share a relation: cell -> root, and
    the relations with a withheld member."""
    parent = {int(cell): int(cell) for cell in np.flatnonzero(mask)}

    def find(cell: int) -> int:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    touching = []
    for number, (members, _) in enumerate(relations):
        withheld = [int(m) for m in members[mask[members]]]
        if withheld:
            touching.append(number)
            first = find(withheld[0])
            for other in withheld[1:]:
                parent[find(other)] = first
    return {cell: find(cell) for cell in parent}, touching


def _exposed_cells(
    values: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], relations: list[_Relation]
) -> list[int]:
    """The withheld cells without a certificate, in index order.

    The unknowns are the withheld values x; each relation touching them reads A x = b with b from
    published values. Another table that agrees with everything published is v + d with A d = 0
    and v + d >= 0 (integers). Per component of withheld cells, d runs over an integer basis of
    the kernel of A (fraction-free Gauss-Jordan elimination in Python integers); a basis vector d
    with v + d >= 0 or v - d >= 0 certifies every cell where d is not 0. A component whose
    published members contribute nothing (A v = 0) is certified as a whole by d = v."""
    root_of, touching = _components(mask, relations)
    cells_of: dict[int, list[int]] = {}
    for cell, root in sorted(root_of.items()):
        cells_of.setdefault(root, []).append(cell)
    rows_of: dict[int, list[int]] = {}
    for number in touching:
        members = relations[number][0]
        first = int(members[mask[members]][0])
        rows_of.setdefault(root_of[first], []).append(number)
    exposed: list[int] = []
    for root, cells in cells_of.items():
        column = {cell: place for place, cell in enumerate(cells)}
        rows = rows_of.get(root, [])
        matrix = np.zeros((len(rows), len(cells)), dtype=object)
        for place, number in enumerate(rows):
            members, coefficients = relations[number]
            for member, coefficient in zip(members, coefficients, strict=True):
                if mask[member]:
                    matrix[place, column[int(member)]] = int(coefficient)
        known = np.array([int(values[cell]) for cell in cells], dtype=object)
        certified = _certified_columns(matrix, known)
        exposed.extend(cell for cell, ok in zip(cells, certified, strict=True) if not ok)
    return sorted(exposed)


def _certified_columns(
    matrix: npt.NDArray[np.object_], known: npt.NDArray[np.object_]
) -> list[bool]:
    """Per column: is there an integer d with matrix @ d = 0, d[column] != 0 and known + d >= 0?
    (A sufficient test: the basis vectors, each in both directions, and d = known.)"""
    n_rows, n_columns = matrix.shape
    certified = [False] * n_columns
    if n_rows == 0 or all(int(x) == 0 for x in matrix @ known):
        return [True] * n_columns
    reduced = matrix.copy()
    pivots: list[int] = []
    for col in range(n_columns):
        row = len(pivots)
        if row == n_rows:
            break
        below = [r for r in range(row, n_rows) if reduced[r, col] != 0]
        if not below:
            continue
        if below[0] != row:
            reduced[[row, below[0]]] = reduced[[below[0], row]]
        pivot = reduced[row, col]
        for other in range(n_rows):
            factor = reduced[other, col]
            if other != row and factor != 0:
                reduced[other] = reduced[other] * pivot - reduced[row] * factor
                divisor = math.gcd(*(int(x) for x in reduced[other] if x != 0))
                if divisor > 1:
                    reduced[other] = reduced[other] // divisor
        pivots.append(col)
    pivot_set = set(pivots)
    for free in range(n_columns):
        if free in pivot_set:
            continue
        scale = math.lcm(
            *(abs(int(reduced[r, pc])) for r, pc in enumerate(pivots) if reduced[r, free] != 0)
        )
        direction = [0] * n_columns
        direction[free] = scale
        for r, pc in enumerate(pivots):
            direction[pc] = -int(reduced[r, free]) * scale // int(reduced[r, pc])
        divisor = math.gcd(*direction)
        direction = [x // divisor for x in direction]
        up = all(int(k) + x >= 0 for k, x in zip(known, direction, strict=True))
        down = all(int(k) - x >= 0 for k, x in zip(known, direction, strict=True))
        if up or down:
            for place, x in enumerate(direction):
                if x != 0:
                    certified[place] = True
    return certified
