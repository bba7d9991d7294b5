"""Cohort.arrow: the Arrow PyCapsule interface, read by pyarrow, polars and DuckDB as the
pandas frames hold it, sharing the numeric columns without a copy and keeping them alive."""

from __future__ import annotations

import datetime
import gc
import weakref
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import mentorcore as mc
from mentorcore import _core

TABLES = list(_core.Cohort.table_names())
NULLABLE = {"day", "category", "code", "optional_int32"}
FLOATS = {"float64", "float32"}
ARROW_TYPES = {
    "day": pa.date32(),
    "category": pa.dictionary(pa.int8(), pa.utf8()),
    "code": pa.dictionary(pa.int32(), pa.utf8()),
    "int16": pa.int16(),
    "int32": pa.int32(),
    "optional_int32": pa.int32(),
    "float64": pa.float64(),
    "float32": pa.float32(),
    "flag": pa.bool_(),
}
POLARS_TYPES = {
    "day": pl.Date,
    "category": pl.Categorical,
    "code": pl.Categorical,
    "int16": pl.Int16,
    "int32": pl.Int32,
    "optional_int32": pl.Int32,
    "float64": pl.Float64,
    "float32": pl.Float32,
    "flag": pl.Boolean,
}


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    return mc.Cohort.from_courses(mc.synthetic.generate(300, seed=14))


def alive() -> int:
    """Exported Arrow structures not released yet."""
    gc.collect()
    return int(_core.Cohort.arrow_nodes_alive())


def as_python(kind: str, column: pd.Series) -> list[Any]:
    """A frame's column as Python values, None where missing (what Arrow's to_pylist gives)."""
    if kind == "day":
        return [None if pd.isna(v) else v.date() for v in column]
    if kind in ("category", "code"):
        return [None if pd.isna(v) else str(v) for v in column]
    if kind == "optional_int32":
        return [None if pd.isna(v) else int(v) for v in column]
    return list(column.tolist())


def test_every_table_has_rows_in_the_synthetic_cohort(cohort: mc.Cohort) -> None:
    # The comparisons below mean something only for tables with rows.
    assert {table: cohort.rows(table) > 0 for table in TABLES} == dict.fromkeys(TABLES, True)


@pytest.mark.parametrize("table", TABLES)
def test_pyarrow_reads_each_table_as_the_frame_holds_it(cohort: mc.Cohort, table: str) -> None:
    result = pa.table(cohort.arrow(table))
    result.validate(full=True)
    frame = cohort.frame(table)
    schema = cohort.schema(table)
    assert result.column_names == list(frame.columns) == [name for name, *_ in schema]
    assert result.num_rows == len(frame) == cohort.rows(table)
    assert result.schema == pa.schema(cohort.arrow(table))
    for name, kind, _, _ in schema:
        field = result.schema.field(name)
        assert field.type == ARROW_TYPES[kind], name
        assert field.nullable == (kind in NULLABLE), name
        column = result.column(name)
        assert column.num_chunks == 1
        chunk = column.chunks[0]
        expected = frame[name]
        if kind in FLOATS:  # NaN stays a value, as in pandas
            assert chunk.null_count == 0
            np.testing.assert_array_equal(chunk.to_numpy(), expected.to_numpy())
        else:
            assert chunk.null_count == int(expected.isna().sum()), name
            assert chunk.to_pylist() == as_python(kind, expected), name
        if chunk.null_count == 0:
            assert chunk.buffers()[0] is None, name  # no bitmap when nothing is missing
        if kind in ("category", "code"):
            assert chunk.dictionary.to_pylist() == list(expected.cat.categories), name
            codes = chunk.indices.fill_null(-1).to_numpy()
            np.testing.assert_array_equal(codes, expected.cat.codes.to_numpy())


@pytest.mark.parametrize("table", TABLES)
def test_numeric_columns_are_the_cohorts_own_memory(cohort: mc.Cohort, table: str) -> None:
    result = pa.table(cohort.arrow(table))
    arrays = cohort.arrays(table)
    shared = []
    for name, kind, _, _ in cohort.schema(table):
        # Flags are bit-packed in Arrow, and a child table's course column is made from the
        # table's grouping: those two are copies.
        if kind == "flag" or (name == "course" and table != "courses"):
            continue
        values = result.column(name).chunks[0].buffers()[1]
        assert values.address == arrays[name].__array_interface__["data"][0], name
        shared.append(name)
    assert shared


def test_dictionaries_are_shared_not_copied(cohort: mc.Cohort) -> None:
    def dictionary_buffers(table: str, column: str) -> list[int]:
        chunk = pa.table(cohort.arrow(table)).column(column).chunks[0]
        return [buffer.address for buffer in chunk.dictionary.buffers()[1:]]

    # Every export of a code column points at the one string_dictionary of its kind: the staff
    # of the courses and of the contacts, the courses of every table.
    staff = dictionary_buffers("courses", "mentor")
    assert (
        staff
        == dictionary_buffers("contacts", "mentor")
        == dictionary_buffers("courses", "caseworker")
    )
    courses = dictionary_buffers("courses", "course")
    assert (
        courses
        == dictionary_buffers("contacts", "course")
        == dictionary_buffers("handovers", "course")
    )
    assert staff != courses


def test_the_columns_outlive_the_python_cohort() -> None:
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(60, seed=5))
    frame = cohort.frame("contacts")
    dates, mentors = as_python("day", frame["date"]), as_python("code", frame["mentor"])
    address = cohort.arrays("contacts")["date"].__array_interface__["data"][0]
    core = weakref.ref(cohort._core)
    before = alive()
    table = pa.table(cohort.arrow("contacts"))
    del cohort, frame  # the frame's columns view the Python Cohort too
    gc.collect()
    assert core() is None  # no Python object of the cohort is left; the C++ cohort lives on
    chunk = table.column("date").chunks[0]
    assert chunk.buffers()[1].address == address
    assert chunk.to_pylist() == dates
    assert table.column("mentor").to_pylist() == mentors
    assert alive() > before
    del table, chunk
    assert alive() == before  # the last holder gone, everything exported is released


def test_a_stream_is_read_once_and_the_table_again(cohort: mc.Cohort) -> None:
    phases = cohort.arrow("phases")
    capsule = phases.__arrow_c_stream__()

    class Once:
        def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
            return capsule

    reader = pa.RecordBatchReader.from_stream(Once())
    assert reader.read_all().num_rows == cohort.rows("phases")
    with pytest.raises(StopIteration):
        reader.read_next_batch()
    with pytest.raises(pa.ArrowInvalid, match="released"):
        pa.RecordBatchReader.from_stream(Once())  # the capsule was moved out of
    # Each call of __arrow_c_stream__ is a new stream.
    assert pa.table(phases).equals(pa.table(phases))


def test_releasing_without_consuming_frees_everything(cohort: mc.Cohort) -> None:
    contacts = cohort.arrow("contacts")
    before = alive()
    capsules = [contacts.__arrow_c_stream__() for _ in range(3)]
    capsules += [contacts.__arrow_c_schema__() for _ in range(3)]
    assert alive() > before
    del capsules
    assert alive() == before
    reader = pa.RecordBatchReader.from_stream(contacts)  # the schema taken, no batch
    del reader
    assert alive() == before
    reader = pa.RecordBatchReader.from_stream(contacts)
    batch = reader.read_next_batch()
    del reader
    assert batch.num_rows == cohort.rows("contacts")
    assert alive() > before
    del batch
    assert alive() == before


def test_requested_schema_is_none_or_the_tables_own(cohort: mc.Cohort) -> None:
    grants = cohort.arrow("grants")
    own = pa.schema(grants)
    assert pa.table(grants, schema=own).equals(pa.table(grants))
    other = pa.schema([("course", pa.utf8())])
    with pytest.raises(mc.Error, match=r"requested_schema = the table with 1 columns"):
        grants.__arrow_c_stream__(other.__arrow_c_schema__())
    changed = own.set(own.get_field_index("start"), pa.field("start", pa.timestamp("s")))
    with pytest.raises(mc.Error, match=r'column 4 \("start"\) as "tss:"'):
        pa.table(grants, schema=changed)
    with pytest.raises(mc.Error, match="PyCapsule named"):
        grants.__arrow_c_stream__("tdD")


def test_an_unknown_table_is_an_error_naming_it(cohort: mc.Cohort) -> None:
    with pytest.raises(mc.Error, match=r'table = "visits": no such table; the tables are co'):
        cohort.arrow("visits")


def test_repr(cohort: mc.Cohort) -> None:
    assert repr(cohort.arrow("contacts")) == (
        f"<mentorcore Arrow table 'contacts': {cohort.rows('contacts')} rows, "
        f"{len(cohort.schema('contacts'))} columns>"
    )


def test_an_empty_cohort_exports_empty_tables() -> None:
    empty = mc.Cohort.from_courses([])
    for table in TABLES:
        result = pa.table(empty.arrow(table))
        result.validate(full=True)
        assert result.num_rows == 0
        assert result.column_names == [name for name, *_ in empty.schema(table)]
        assert len(pl.DataFrame(empty.arrow(table))) == 0


@pytest.mark.parametrize("table", TABLES)
def test_polars_reads_each_table(cohort: mc.Cohort, table: str) -> None:
    result = pl.DataFrame(cohort.arrow(table))
    frame = cohort.frame(table)
    assert result.columns == list(frame.columns)
    assert result.height == len(frame)
    for name, kind, _, _ in cohort.schema(table):
        assert result.schema[name] == POLARS_TYPES[kind], name
        if kind in FLOATS:
            np.testing.assert_array_equal(result[name].to_numpy(), frame[name].to_numpy())
        else:
            assert result[name].to_list() == as_python(kind, frame[name]), name


def test_duckdb_groups_as_pandas_does(cohort: mc.Cohort) -> None:
    # DuckDB finds the tables among the caller's local variables, by name.
    contacts = cohort.arrow("contacts")  # noqa: F841
    courses = cohort.arrow("courses")  # noqa: F841
    result = duckdb.sql(
        "select k.location, c.municipality, count(*) as n, sum(k.actual_minutes) as minutes, "
        "min(k.date) as first "
        "from contacts k join courses c on k.course = c.course "
        "where k.billable group by all order by all"
    ).df()
    frame = cohort.frame("contacts").merge(cohort.frame("courses")[["course", "municipality"]])
    frame = frame[frame["billable"]]
    expected = (
        frame.assign(location=frame["location"].astype(str))
        .groupby(["location", "municipality"])
        .agg(n=("date", "size"), minutes=("actual_minutes", "sum"), first=("date", "min"))
        .reset_index()
        .sort_values(["location", "municipality"], ignore_index=True)
    )
    assert len(expected) > 1
    assert result["location"].astype(str).tolist() == expected["location"].tolist()
    assert result["municipality"].tolist() == expected["municipality"].tolist()
    assert result["n"].tolist() == expected["n"].tolist()
    assert result["minutes"].tolist() == expected["minutes"].tolist()
    assert [pd.Timestamp(d).date() for d in result["first"]] == [
        d.date() for d in expected["first"]
    ]


def test_duckdb_sees_the_missing_values(cohort: mc.Cohort) -> None:
    courses = cohort.arrow("courses")  # noqa: F841 - read by DuckDB by name
    handovers = cohort.arrow("handovers")  # noqa: F841
    frame = cohort.frame("courses")
    [counts] = duckdb.sql(
        "select count(*) filter (where provider is null), count(*) filter (where closed is null), "
        "count(*) filter (where closure_reason is null), count(distinct provider), max(closed), "
        "(select count(*) filter (where days_to_first_contact is null) from handovers) "
        "from courses"
    ).fetchall()
    expected = (
        int(frame["provider"].isna().sum()),  # a code
        int(frame["closed"].isna().sum()),  # a day
        int(frame["closure_reason"].isna().sum()),  # a category
        frame["provider"].nunique(),
        frame["closed"].max().date(),
        int(cohort.frame("handovers")["days_to_first_contact"].isna().sum()),  # optional_int32
    )
    assert counts == expected
    assert min(expected[:3] + expected[5:]) > 0
    assert isinstance(counts[4], datetime.date)
