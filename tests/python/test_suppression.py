"""Small-cell suppression (mentorcore._suppression): hand-computed tables, and a property test
that no withheld value can be recovered, with scipy's linear programming as the independent
judge: for every withheld value, its smallest and largest value consistent with the relations,
non-negativity and every published value must differ by at least 1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

import mentorcore as mc
from mentorcore._suppression import TableMask, suppress, suppress_table

Relations = list[tuple[int, list[int]]]


def _extremes(
    values: npt.NDArray[np.int64], relations: Relations, withheld: npt.NDArray[np.bool_], cell: int
) -> tuple[float, float]:
    """The smallest and largest values[cell] over the real solutions that agree with everything
    published (the largest is inf when unbounded)."""
    n = values.size
    rows = np.zeros((len(relations), n))
    for row, (total, parts) in enumerate(relations):
        rows[row, total] = 1.0
        rows[row, parts] = -1.0
    bounds = [
        (0.0, None) if withheld[i] else (float(values[i]), float(values[i])) for i in range(n)
    ]
    objective = np.zeros(n)
    objective[cell] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        result = linprog(
            sign * objective,
            A_eq=rows if relations else None,
            b_eq=np.zeros(len(relations)) if relations else None,
            bounds=bounds,
            method="highs",
        )
        if result.status == 3:  # unbounded: only the maximum can be
            ends.append(float("inf"))
            continue
        assert result.status == 0, result.message
        ends.append(float(sign * result.fun))
    return ends[0], ends[1]


def _range_of(
    values: npt.NDArray[np.int64], relations: Relations, withheld: npt.NDArray[np.bool_], cell: int
) -> float:
    low, high = _extremes(values, relations, withheld, cell)
    return high - low


def _assert_safe(
    values: npt.ArrayLike, relations: Relations, withheld: npt.ArrayLike, *, network: bool = False
) -> None:
    """No withheld value is 0 or can be recovered; in a `network` table each can also move by 1
    both ways (the guarantee docs/kpis.md gives for such tables)."""
    values = np.asarray(values, np.int64)
    withheld = np.asarray(withheld, bool)
    for cell in np.flatnonzero(withheld):
        assert values[cell] > 0, f"a withheld zero at {cell}"
        low, high = _extremes(values, relations, withheld, int(cell))
        assert high - low >= 1 - 1e-9, f"cell {cell}"
        if network:
            assert low <= values[cell] - 1 + 1e-9, f"cell {cell}"
            assert high >= values[cell] + 1 - 1e-9, f"cell {cell}"


def _flat_table(
    counts: npt.NDArray[np.int64], within: Sequence[tuple[int, Sequence[int]]]
) -> tuple[npt.NDArray[np.int64], Relations]:
    """The groups x cells table with its total row as one flat problem, written out here
    independently of suppress_table."""
    n_groups, n_cells = counts.shape
    values = np.concatenate([counts.ravel(), counts.sum(axis=0)])
    relations: Relations = []
    for row in range(n_groups + 1):
        for total, parts in within:
            relations.append((row * n_cells + total, [row * n_cells + p for p in parts]))
    for cell in range(n_cells):
        relations.append((n_groups * n_cells + cell, [g * n_cells + cell for g in range(n_groups)]))
    return values, relations


def _two_way(cells: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], Relations]:
    """A rows x columns table with row totals, column totals and the grand total, flat: the
    cells row by row, then the row totals, the column totals and the grand total."""
    n_rows, n_columns = cells.shape
    row_total = cells.size
    column_total = row_total + n_rows
    grand = column_total + n_columns
    values = np.concatenate([cells.ravel(), cells.sum(axis=1), cells.sum(axis=0), [cells.sum()]])
    relations: Relations = [
        (row_total + r, [r * n_columns + c for c in range(n_columns)]) for r in range(n_rows)
    ]
    relations += [
        (column_total + c, [r * n_columns + c for r in range(n_rows)]) for c in range(n_columns)
    ]
    relations += [
        (grand, list(range(row_total, column_total))),
        (grand, list(range(column_total, grand))),
    ]
    return values.astype(np.int64), relations


# ---------------------------------------------------------------------------------------------
# Hand-computed


def test_one_small_part_of_a_total_takes_the_smallest_other_part() -> None:
    # 20 = 2 + 8 + 10: the 2 is small; alone it would be 20 - 8 - 10, so the 8 goes too.
    values = np.array([20, 2, 8, 10])
    withheld = suppress(values, [(0, [1, 2, 3])], 5)
    assert withheld.tolist() == [False, True, True, False]
    _assert_safe(values, [(0, [1, 2, 3])], withheld)


def test_a_small_part_with_only_zeros_beside_it_takes_the_total() -> None:
    # 3 = 3 + 0 + 0: the zeros are published, so the total goes with the 3.
    values = np.array([3, 3, 0, 0])
    withheld = suppress(values, [(0, [1, 2, 3])], 5)
    assert withheld.tolist() == [True, True, False, False]
    values = np.array([9, 3, 0, 6])
    withheld = suppress(values, [(0, [1, 2, 3])], 5)
    assert withheld.tolist() == [False, True, False, True]


def test_ties_take_the_lowest_index() -> None:
    values = np.array([22, 2, 10, 10])
    assert suppress(values, [(0, [1, 2, 3])], 5).tolist() == [False, True, True, False]


def test_zeros_are_published_and_large_values_need_nothing() -> None:
    values = np.array([25, 0, 5, 20, 0])
    assert not suppress(values, [(0, [1, 2, 3, 4])], 5).any()
    counts = np.array([[10, 0, 10], [12, 5, 7], [6, 6, 0]])
    mask = suppress_table(counts, [(0, [1, 2])], 5)
    assert not mask.cells.any()
    assert not mask.totals.any()


def test_min_count_1_withholds_nothing() -> None:
    values = np.array([3, 1, 2])
    assert not suppress(values, [(0, [1, 2])], 1).any()


def test_a_small_cell_takes_a_second_in_its_group_and_in_its_column() -> None:
    # Groups x (denominator, three destinations); the denominator is the sum of the three.
    counts = np.array(
        [
            [20, 2, 8, 10],
            [30, 10, 10, 10],
            [25, 6, 9, 10],
        ]
    )
    mask = suppress_table(counts, [(0, [1, 2, 3])], 5)
    # The 2 is small. Group 0: the smallest other is the 8. Column 1 (total 18): the 6 of
    # group 2. Column 2 (total 27) now has the 8 alone: the 9 of group 2. Group 2 then has two.
    assert isinstance(mask, TableMask)
    assert mask.cells.tolist() == [
        [False, True, True, False],
        [False, False, False, False],
        [False, True, True, False],
    ]
    assert mask.totals.tolist() == [False] * 4
    values, relations = _flat_table(counts, [(0, [1, 2, 3])])
    _assert_safe(values, relations, np.concatenate([mask.cells.ravel(), mask.totals]))


def test_a_small_column_total_is_withheld_with_its_cells() -> None:
    # Destination 1 has 1 + 1 = 2 in all: the total row's 2 is small itself.
    counts = np.array([[20, 1, 19], [30, 1, 29]])
    mask = suppress_table(counts, [(0, [1, 2])], 5)
    assert mask.cells.tolist() == [[False, True, True], [False, True, True]]
    # Total row: 50 = 2 + 48; the 2 is small, and the 48 goes with it.
    assert mask.totals.tolist() == [False, True, True]
    values, relations = _flat_table(counts, [(0, [1, 2])])
    _assert_safe(values, relations, np.concatenate([mask.cells.ravel(), mask.totals]))


def test_one_group_withholds_the_totals_with_the_row() -> None:
    mask = suppress_table(np.array([[12, 3, 9]]), [(0, [1, 2])], 5)
    assert mask.cells.tolist() == [[False, True, True]]
    assert mask.totals.tolist() == [False, True, True]


def test_the_audit_catches_a_cell_that_joins_two_withheld_rectangles() -> None:
    # Every row and column has two or more small cells, so no relation has exactly one withheld
    # member; but the cell (1, 2) joins two closed rectangles and is a bridge: the row totals of
    # rows 0-1 minus the column totals of columns 0-1 give it exactly. The audit withholds the
    # smallest published member of its row or column: the 6 at (0, 2).
    cells = np.full((4, 4), 50)
    small = [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]
    for r, c in small:
        cells[r, c] = 2
    cells[0, 2] = 6
    values, relations = _two_way(cells)
    withheld = np.zeros(values.size, bool)
    for r, c in small:
        withheld[r * 4 + c] = True
    # Without the audit, this pattern would be published: check that it is indeed unsafe.
    assert _range_of(values, relations, withheld, 1 * 4 + 2) == pytest.approx(0.0)
    mask = suppress(values, relations, 3)
    expected = withheld.copy()
    expected[0 * 4 + 2] = True
    assert mask.tolist() == expected.tolist()
    _assert_safe(values, relations, mask)


def test_parts_of_a_part() -> None:
    # 0 = 1 + 2 + 3 and 1 = 4 + 5: the 2 in cell 4 takes the 7 in cell 5; cell 1 (9) is then a
    # total with two withheld parts and stays published.
    values = np.array([30, 9, 10, 11, 2, 7])
    relations: Relations = [(0, [1, 2, 3]), (1, [4, 5])]
    mask = suppress(values, relations, 5)
    assert mask.tolist() == [False, False, False, False, True, True]
    _assert_safe(values, relations, mask)


def test_a_withheld_subtotal_is_protected_across_groups() -> None:
    counts = np.array(
        [
            [30, 9, 10, 11, 2, 7],
            [40, 15, 12, 13, 8, 7],
            [35, 12, 11, 12, 6, 6],
        ]
    )
    within = [(0, [1, 2, 3]), (1, [4, 5])]
    mask = suppress_table(counts, within, 5)
    assert mask.cells[0, 4]
    values, relations = _flat_table(counts, within)
    _assert_safe(values, relations, np.concatenate([mask.cells.ravel(), mask.totals]))


def test_a_table_of_no_groups_withholds_nothing() -> None:
    mask = suppress_table(np.zeros((0, 4), np.int64), [(0, [1, 2, 3])], 5)
    assert mask.cells.shape == (0, 4)
    assert mask.totals.tolist() == [False] * 4


def test_a_value_in_no_relation_is_withheld_alone() -> None:
    assert suppress(np.array([3, 10]), [], 5).tolist() == [True, False]
    assert suppress(np.zeros(0, np.int64), [], 5).tolist() == []


# ---------------------------------------------------------------------------------------------
# Property: nothing withheld can be recovered


@st.composite
def _tables(draw: st.DrawFn) -> tuple[npt.NDArray[np.int64], list[tuple[int, list[int]]], int]:
    n_groups = draw(st.integers(2, 5))
    n_parts = draw(st.integers(2, 5))
    hierarchical = draw(st.booleans()) and n_parts >= 3
    parts = draw(
        st.lists(
            st.lists(st.integers(0, 30), min_size=n_parts, max_size=n_parts),
            min_size=n_groups,
            max_size=n_groups,
        )
    )
    leaves = np.array(parts, np.int64)
    if hierarchical:
        # Cell 1 is the subtotal of the last two leaves: 0 = 1 + 2..(k-2), 1 = (k-1) + k.
        sub = leaves[:, -2:].sum(axis=1, keepdims=True)
        counts = np.concatenate([leaves.sum(axis=1, keepdims=True), sub, leaves], axis=1)
        k = counts.shape[1] - 1
        within = [(0, [1, *range(2, k - 1)]), (1, [k - 1, k])]
    else:
        counts = np.concatenate([leaves.sum(axis=1, keepdims=True), leaves], axis=1)
        within = [(0, list(range(1, n_parts + 1)))]
    return counts, within, draw(st.integers(3, 5))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables())
def test_no_withheld_value_can_be_recovered(
    table: tuple[npt.NDArray[np.int64], list[tuple[int, list[int]]], int],
) -> None:
    counts, within, min_count = table
    mask = suppress_table(counts, within, min_count)
    primary = (counts > 0) & (counts < min_count)
    assert (mask.cells | ~primary).all()
    totals = counts.sum(axis=0)
    assert (mask.totals | ~((totals > 0) & (totals < min_count))).all()
    if not primary.any() and not ((totals > 0) & (totals < min_count)).any():
        assert not mask.cells.any() and not mask.totals.any()
    values, relations = _flat_table(counts, within)
    withheld = np.concatenate([mask.cells.ravel(), mask.totals])
    _assert_safe(values, relations, withheld, network=len(within) == 1)
    # The same problem given flat to suppress() withholds the same values.
    assert suppress(values, relations, min_count).tolist() == withheld.tolist()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=3, max_size=6).flatmap(
        lambda row: st.tuples(
            st.just(row),
            st.lists(
                st.lists(st.integers(0, 12), min_size=len(row), max_size=len(row)),
                min_size=2,
                max_size=4,
            ),
        )
    ),
    st.integers(2, 6),
)
def test_no_withheld_value_of_a_two_way_table_can_be_recovered(
    rows: tuple[list[int], list[list[int]]], min_count: int
) -> None:
    cells = np.array([rows[0], *rows[1]], np.int64)
    values, relations = _two_way(cells)
    mask = suppress(values, relations, min_count)
    assert (mask | ~((values > 0) & (values < min_count))).all()
    _assert_safe(values, relations, mask, network=True)


# ---------------------------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize("min_count", [0, -3])
def test_min_count_below_1_is_refused(min_count: int) -> None:
    with pytest.raises(mc.OutOfRangeError, match=rf"min_count = {min_count}") as error:
        suppress(np.array([1]), [], min_count)
    assert error.value.field == "min_count"


@pytest.mark.parametrize("min_count", [5.0, "5", True, None])
def test_min_count_not_an_integer_is_refused(min_count: object) -> None:
    with pytest.raises(mc.InvalidValueError, match="min_count") as error:
        suppress(np.array([1]), [], min_count)  # type: ignore[arg-type]
    assert error.value.field == "min_count"
    with pytest.raises(mc.InvalidValueError, match="min_count"):
        suppress_table(np.array([[1]]), [], min_count)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (np.array([3, -1]), "values[1]"),
        (np.array([1.0, 2.0]), "values"),
        (np.array([True, False]), "values"),
        (np.array([[1, 2]]), "values"),
        ("12", "values"),
    ],
)
def test_bad_values_are_refused(values: object, field: str) -> None:
    with pytest.raises(mc.InvalidValueError) as error:
        suppress(values, [], 5)  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize(
    ("relations", "error_type", "field", "message"),
    [
        ([(0, [1, 5])], mc.OutOfRangeError, "relations[0][1][1]", "not an index of 3"),
        ([(-1, [1])], mc.OutOfRangeError, "relations[0][0]", "not an index of 3"),
        ([(0, [1, 2]), (0, [1])], mc.InvalidValueError, "relations[1]", "does not hold"),
        ([(0, [])], mc.InvalidValueError, "relations[0][1]", "at least one part"),
        ([(0, [0, 1])], mc.InvalidValueError, "relations[0]", "among its parts"),
        ([(0, [1, 1])], mc.InvalidValueError, "relations[0][1]", "twice"),
        ([(0, 1)], mc.InvalidValueError, "relations[0][1]", "expected a list"),
        ([(0,)], mc.InvalidValueError, "relations[0]", "pair"),
        ([(0, [1.5])], mc.InvalidValueError, "relations[0][1][0]", "integer"),
        (None, mc.InvalidValueError, "relations", "expected a list"),
    ],
)
def test_bad_relations_are_refused(
    relations: object, error_type: type[mc.Error], field: str, message: str
) -> None:
    with pytest.raises(error_type, match=message) as error:
        suppress(np.array([9, 4, 5]), relations, 5)  # type: ignore[arg-type]
    assert error.value.field == field  # type: ignore[attr-defined]


def test_a_relation_that_does_not_hold_in_one_group_is_refused() -> None:
    counts = np.array([[9, 4, 5], [9, 4, 4]])
    with pytest.raises(mc.InvalidValueError, match=r"does not hold in group 1") as error:
        suppress_table(counts, [(0, [1, 2])], 5)
    assert error.value.field == "groups_of_cells[0]"


def test_bad_tables_are_refused() -> None:
    with pytest.raises(mc.InvalidValueError, match="2-D") as error:
        suppress_table(np.array([1, 2]), [], 5)
    assert error.value.field == "counts"
    with pytest.raises(mc.InvalidValueError) as error:
        suppress_table(np.array([[1, -2]]), [], 5)
    assert error.value.field == "counts[0, 1]"
    with pytest.raises(mc.InvalidValueError) as error:
        suppress_table(np.array([[1.0, 2.0]]), [], 5)
    assert error.value.field == "counts"
    with pytest.raises(mc.OutOfRangeError) as error:
        suppress_table(np.array([[1, 2]]), [(0, [2])], 5)
    assert error.value.field == "groups_of_cells[0][1][0]"
