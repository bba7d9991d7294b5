"""Cohort.from_frames: pandas DataFrames with the columns ``Cohort.frame`` returns, turned into the
exact column arrays of the C++ cohort with array operations (no Python call per row).

What is checked here is only what the conversion needs: table and column names, each column's
dtype and length, that a value converts (an enum name, a date without a time of day, a whole
number that fits), and that each row of a child table names a course of the courses table.
Everything about the values themselves (codes within their dictionary, flags 0 or 1, dates within
the calendar, ids by the id rules, unique course ids) is checked once, in C++, by
``assemble_cohort``, the gate a saved file goes through too.

Rows are numbered as the caller's frames number them (0-based positions, ``frame.iloc[row]``),
also where a child table's rows were regrouped by course on the way in.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._validate import describe, invalid, out_of_range

_INT_RANGES = {
    "int16": (-(2**15), 2**15 - 1),
    # The smallest int32 is the missing marker, which the core reads as missing in any int32
    # column: given in a column that is never missing, it was counted as nothing (a handover's
    # carried items as 0), so it is out of range there too.
    "int32": (-(2**31) + 1, 2**31 - 1),
    "optional_int32": (-(2**31) + 1, 2**31 - 1),
}
_DTYPES = {
    "day": np.int32,
    "category": np.int8,
    "code": np.int32,
    "int16": np.int16,
    "int32": np.int32,
    "optional_int32": np.int32,
    "float64": np.float64,
    "float32": np.float32,
    "flag": np.uint8,
}

Schema = list[tuple[str, str, list[str] | None, str | None]]


@cache
def _schemas() -> dict[str, Schema]:
    """Per table, (column, type, enum names, dictionary) for every column, ``course`` first."""
    empty = _core.Cohort.from_courses([])
    result: dict[str, Schema] = {}
    for table in _core.Cohort.table_names():
        schema = [tuple(entry) for entry in empty.schema(table)]
        if not schema or schema[0][0] != "course":
            # A child table grouped by course stores no course column; its frame shows one.
            schema.insert(0, ("course", "code", None, "course"))
        result[table] = schema  # type: ignore[assignment]
    return result


def _first(mask: np.ndarray) -> int | None:
    found = np.flatnonzero(mask)
    return int(found[0]) if found.size else None


def _columns(table: str, given: object) -> dict[str, Any]:
    """The columns of one table as given: a DataFrame, or a mapping of names to array-likes."""
    if isinstance(given, pd.DataFrame):
        if not given.columns.is_unique:
            duplicated = given.columns[given.columns.duplicated()][0]
            raise invalid(f"{table}.{duplicated}", str(duplicated), "the frame has it twice")
        return {str(name): given[name] for name in given.columns}
    if isinstance(given, Mapping):
        return {str(name): values for name, values in given.items()}
    raise invalid(
        f"frames[{table!r}]",
        given,
        f"expected a pandas DataFrame (or a mapping of column names to arrays), "
        f"got {type(given).__name__}",
    )


def _series(table: str, column: str, values: object) -> pd.Series:
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    if isinstance(values, (np.ndarray, pd.api.extensions.ExtensionArray, list, tuple, pd.Index)):
        array = np.asarray(values) if isinstance(values, (list, tuple)) else values
        if getattr(array, "ndim", 1) != 1:
            raise invalid(f"{table}.{column}", values, "expected one dimension")
        return pd.Series(array, copy=False)
    raise invalid(
        f"{table}.{column}",
        values,
        f"expected a column (a Series or an array), got {type(values).__name__}",
    )


def _wrong_dtype(field: str, series: pd.Series, expected: str) -> Exception:
    return invalid(field, str(series.dtype), f"expected {expected}, got dtype {series.dtype}")


def _strings(field: str, series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The column as a Series whose non-missing values are str, and its missing-value mask."""
    values = series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype) else series
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind not in ("string", "empty"):
        raise _wrong_dtype(field, series, f"strings (or a Categorical of strings), found {kind}")
    return series, series.isna().to_numpy()


def _lookup(series: pd.Series, strings: pd.Index) -> np.ndarray:
    """The position in `strings` of each value of `series` (-1 for a missing or unknown one)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        # Look up each category once, then take the categories' positions by code.
        positions = strings.get_indexer(series.cat.categories)
        codes = series.cat.codes.to_numpy()
        if positions.size == 0:
            return np.full(codes.shape, -1, dtype=np.int64)
        return np.where(codes >= 0, positions[np.maximum(codes, 0)], -1)
    return np.asarray(strings.get_indexer(pd.Index(series, copy=False)))


def _enum_codes(field: str, series: pd.Series, names: list[str]) -> np.ndarray:
    series, missing = _strings(field, series)
    codes = _lookup(series, pd.Index(names, dtype=object)).astype(np.int8)
    row = _first((codes < 0) & ~missing)
    if row is not None:
        raise invalid(
            field, series.iloc[row], f"row {row}: not one of {', '.join(names)} (nor missing)"
        )
    return codes


def _days(field: str, series: pd.Series) -> np.ndarray:
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        raise _wrong_dtype(field, series, "dates without a time zone (datetime64)")
    if dtype.kind == "M":
        stamps = series.to_numpy()
    elif dtype.kind == "O" and pd.api.types.infer_dtype(series, skipna=True) in ("date", "empty"):
        stamps = np.array(series.to_numpy(), dtype="datetime64[D]")
    else:
        raise _wrong_dtype(field, series, "dates (datetime64, or datetime.date objects)")
    missing = np.isnat(stamps)
    days = stamps.astype("datetime64[D]")
    row = _first((days.astype(stamps.dtype) != stamps) & ~missing)
    if row is not None:
        raise invalid(field, series.iloc[row], f"row {row}: a date with a time of day; dates only")
    numbers = days.astype(np.int64)
    low, high = _INT_RANGES["optional_int32"]
    row = _first(((numbers < low) | (numbers > high)) & ~missing)
    if row is not None:
        raise out_of_range(field, series.iloc[row], f"row {row}: far outside the calendar")
    numbers[missing] = _core.MISSING_DAY
    return numbers.astype(np.int32)


def _whole_numbers(field: str, series: pd.Series, kind: str) -> np.ndarray:
    dtype = series.dtype
    if dtype.kind not in "iu" or pd.api.types.is_bool_dtype(dtype):
        raise _wrong_dtype(field, series, "whole numbers (an integer dtype)")
    missing = series.isna().to_numpy()
    if missing.any() and kind != "optional_int32":
        row = _first(missing)
        raise invalid(field, "NA", f"row {row}: missing, and this column is never missing")
    low, high = _INT_RANGES[kind]
    if dtype.kind == "u":  # checked as given: above 2**63 - 1 it would wrap to a negative int64
        unsigned = series.to_numpy(dtype=np.uint64, na_value=0)
        row = _first((unsigned > np.uint64(high)) & ~missing)
        if row is not None:
            raise out_of_range(field, int(unsigned[row]), f"row {row}: outside {low}..{high}")
    numbers = series.to_numpy(dtype=np.int64, na_value=0)
    row = _first(((numbers < low) | (numbers > high)) & ~missing)
    if row is not None:
        raise out_of_range(field, int(numbers[row]), f"row {row}: outside {low}..{high}")
    if kind == "optional_int32":
        numbers[missing] = _core.MISSING_NUMBER
    return numbers.astype(_DTYPES[kind])


def _real_numbers(field: str, series: pd.Series, kind: str) -> np.ndarray:
    dtype = series.dtype
    if dtype.kind not in "fiu" or pd.api.types.is_bool_dtype(dtype):
        raise _wrong_dtype(field, series, "numbers (a float dtype; NaN where missing)")
    return series.to_numpy(dtype=_DTYPES[kind], na_value=np.nan)


def _flags(field: str, series: pd.Series) -> np.ndarray:
    dtype = series.dtype
    if not pd.api.types.is_bool_dtype(dtype) and dtype.kind not in "iu":
        raise _wrong_dtype(field, series, "yes/no values (bool)")
    missing = series.isna().to_numpy()
    row = _first(missing)
    if row is not None:
        raise invalid(field, "NA", f"row {row}: missing, and a flag is never missing")
    numbers = series.to_numpy(dtype=np.int64)
    row = _first((numbers < 0) | (numbers > 1))
    if row is not None:
        raise invalid(field, int(numbers[row]), f"row {row}: a flag is 0 or 1")
    return numbers.astype(np.uint8)


class _Dictionaries:
    """The strings of each dictionary, in the order the frames first show them: a Categorical's
    categories in their order (so the frames of a cohort give back its dictionaries), then a
    plain column's values in order of appearance."""

    def __init__(self) -> None:
        self._parts: dict[str, list[np.ndarray]] = {}
        self._final: dict[str, pd.Index] = {}

    def add(self, kind: str, series: pd.Series) -> None:
        if isinstance(series.dtype, pd.CategoricalDtype):
            strings = np.asarray(series.cat.categories, dtype=object)
        else:
            strings = pd.unique(series.dropna().to_numpy(dtype=object))
        self._parts.setdefault(kind, []).append(np.asarray(strings, dtype=object))

    def set(self, kind: str, strings: np.ndarray) -> None:
        self._final[kind] = pd.Index(strings, dtype=object)

    def index(self, kind: str) -> pd.Index:
        if kind not in self._final:
            parts = self._parts.get(kind, [])
            strings = pd.unique(np.concatenate(parts)) if parts else np.array([], dtype=object)
            self._final[kind] = pd.Index(strings, dtype=object)
        return self._final[kind]

    def lists(self) -> dict[str, list[str]]:
        for kind in self._parts:
            self.index(kind)
        return {kind: [str(text) for text in strings] for kind, strings in self._final.items()}


def _codes(field: str, series: pd.Series, dictionary: pd.Index) -> np.ndarray:
    # Every string of the column is in its dictionary (built from the columns), so only missing
    # values come out as -1.
    return _lookup(series, dictionary).astype(np.int32)


def _table_columns(frames: Mapping[str, object]) -> dict[str, dict[str, pd.Series]]:
    """Each given table's columns as Series, all present, known and of one length."""
    schemas = _schemas()
    result: dict[str, dict[str, pd.Series]] = {}
    for table in schemas:
        if table not in frames:
            continue
        given = _columns(table, frames[table])
        names = [entry[0] for entry in schemas[table]]
        for column in given:
            if column not in names:
                raise invalid(
                    f"{table}.{column}",
                    column,
                    f"no such column; the columns are {', '.join(names)}",
                )
        for column in names:
            if column not in given:
                raise invalid(f"{table}.{column}", "missing", "the table needs this column")
        series = {column: _series(table, column, given[column]) for column in names}
        rows = len(series["course"])
        for column, values in series.items():
            if len(values) != rows:
                raise invalid(
                    f"{table}.{column}",
                    f"{len(values)} values",
                    f"the table's course column has {rows} rows",
                )
        result[table] = series
    return result


def cohort_from_frames(frames: object) -> _core.Cohort:
    """The core cohort of `frames` (see Cohort.from_frames)."""
    if not isinstance(frames, Mapping):
        raise invalid(
            "frames",
            frames,
            "expected a mapping of table names to DataFrames, e.g. {'courses': df}",
        )
    schemas = _schemas()
    for table in frames:
        if table not in schemas:
            raise invalid("table", table, f"no such table; the tables are {', '.join(schemas)}")
    if "courses" not in frames:
        raise invalid("frames", describe(sorted(map(str, frames))), "the courses table is required")
    columns = _table_columns(frames)

    dictionaries = _Dictionaries()
    course_ids, missing = _strings("courses.course", columns["courses"]["course"])
    row = _first(missing)
    if row is not None:
        raise invalid("courses.course", "missing", f"row {row}: every course has an id")
    ids = course_ids.to_numpy(dtype=object)
    repeated = pd.Index(ids).duplicated()
    row = _first(repeated)
    if row is not None:
        first = int(np.flatnonzero(ids == ids[row])[0])
        raise invalid("courses.course", ids[row], f"row {row}: the same course as row {first}")
    dictionaries.set("course", ids)
    courses = len(ids)

    # Every code column's strings first, so that each dictionary is complete before any column is
    # coded against it.
    for table, series in columns.items():
        for column, kind, _, dictionary in schemas[table]:
            if kind == "code" and dictionary != "course":
                field = f"{table}.{column}"
                dictionaries.add(str(dictionary), _strings(field, series[column])[0])

    tables: dict[str, dict[str, np.ndarray]] = {}
    offsets: dict[str, np.ndarray] = {}
    source_rows: dict[str, np.ndarray] = {}
    for table, series in columns.items():
        order: np.ndarray | None = None
        if table != "courses":
            field = f"{table}.course"
            course, missing = _strings(field, series["course"])
            codes = _codes(field, course, dictionaries.index("course"))
            row = _first(codes < 0)
            if row is not None:
                if missing[row]:
                    raise invalid(field, "missing", f"row {row}: every row belongs to a course")
                raise invalid(
                    field, course.iloc[row], f"row {row}: not a course of the courses table"
                )
            counts = np.bincount(codes, minlength=courses)
            offsets[table] = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
            if codes.size and (np.diff(codes) < 0).any():
                # Grouped by course, keeping each course's rows in their order.
                order = np.argsort(codes, kind="stable")
                source_rows[table] = order.astype(np.int64)
        arrays: dict[str, np.ndarray] = {}
        for column, kind, names, dictionary in schemas[table]:
            field = f"{table}.{column}"
            values = series[column]
            if table != "courses" and column == "course":
                continue  # the offsets say it
            if kind == "code":
                converted = (
                    np.arange(courses, dtype=np.int32)
                    if dictionary == "course"
                    else _codes(field, values, dictionaries.index(str(dictionary)))
                )
            elif kind == "category":
                converted = _enum_codes(field, values, [str(name) for name in names or ()])
            elif kind == "day":
                converted = _days(field, values)
            elif kind in _INT_RANGES:
                converted = _whole_numbers(field, values, kind)
            elif kind in ("float64", "float32"):
                converted = _real_numbers(field, values, kind)
            elif kind == "flag":
                converted = _flags(field, values)
            else:  # pragma: no cover - a column type this module does not know yet
                raise invalid(field, kind, "a column type Cohort.from_frames cannot convert")
            arrays[column] = converted if order is None else converted[order]
        tables[table] = arrays
    return _core.cohort_from_parts(dictionaries.lists(), tables, offsets, source_rows)
