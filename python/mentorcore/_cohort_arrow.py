"""One table of a cohort for Arrow consumers (what :meth:`mentorcore.Cohort.arrow` returns).

The object implements the Arrow PyCapsule interface: ``__arrow_c_schema__`` and
``__arrow_c_stream__`` hand out the Arrow C Data and C Stream Interface structures that the
compiled core fills (``bindings/register_arrow.cpp``), so pyarrow, polars, DuckDB and any other
Arrow consumer read the table without mentorcore importing any of them. ``docs/cohort.md``
(section "Arrow") gives the types, what is copied and how long the memory lives.
"""

from __future__ import annotations

from . import _core

__all__: list[str] = []


class CohortArrowTable:
    """Table `table` of a cohort, as Arrow consumers read it (Arrow PyCapsule interface).

    ``pyarrow.table(x)``, ``polars.DataFrame(x)`` and ``duckdb.sql("select ... from x")`` read
    it; each call of :meth:`__arrow_c_stream__` is a new stream, so it can be read again.
    """

    __slots__ = ("_core", "_table")

    def __init__(self, core: _core.Cohort, table: str) -> None:
        core.rows(table)  # an unknown table is an error now, naming the tables
        self._core = core
        self._table = table

    @property
    def table(self) -> str:
        """The name of the table."""
        return self._table

    def __arrow_c_schema__(self) -> object:
        """The table's schema (a struct of its columns) in a PyCapsule named "arrow_schema"."""
        return self._core.arrow_schema(self._table)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """A stream of the table's rows in a PyCapsule named "arrow_array_stream": one struct
        array whose numeric buffers are the cohort's own columns. `requested_schema` must be None
        or a capsule of the table's own schema: the export converts nothing (cast after reading);
        anything else is a :class:`mentorcore.Error`."""
        return self._core.arrow_stream(self._table, requested_schema)

    def __repr__(self) -> str:
        return (
            f"<mentorcore Arrow table {self._table!r}: {self._core.rows(self._table)} rows, "
            f"{len(self._core.schema(self._table))} columns>"
        )
