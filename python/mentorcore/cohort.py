"""The cohort: every course of a municipality, or of the country, as column tables.

A :class:`Cohort` holds one table per kind of row (``courses``, ``phases``, ``pauses``,
``grants``, ``contacts``, ``starts``, ``statuses``, ``assessments``, ``ratings``, ``goals``,
``steps``, ``milestones``, ``handovers``) as columns in the compiled core. ``docs/cohort.md``
defines every column. Three ways out:

- :meth:`Cohort.arrays` gives NumPy arrays that *are* the core's columns (no copy, read-only):
  dates as ``int32`` days since 1970-01-01 (``MISSING_DAY`` where missing), enums and strings as
  integer codes (-1 where missing), with :meth:`Cohort.schema` saying which is which;
- :meth:`Cohort.frame` gives a pandas DataFrame: dates ``datetime64[s]`` (NaT where missing),
  enums and strings ``Categorical`` (the strings of the cohort's dictionaries as categories),
  whole numbers that can be missing nullable ``Int32``, yes/no ``bool``;
- :meth:`Cohort.arrow` gives an object that Arrow consumers (pyarrow, polars, DuckDB) read
  through the Arrow PyCapsule interface, sharing the numeric columns without a copy;
- every table's first column is ``course``, so tables join on it. The other tables are stored
  grouped by course, without a course code per row, so their ``course`` column is the one that
  :meth:`Cohort.arrays` computes (a copy) rather than views.

A cohort goes back in through :meth:`Cohort.from_frames` (DataFrames with those columns, from
anywhere), and saves to a file of its own versioned format (:meth:`Cohort.save`,
:func:`load_cohort`); a pickle carries the same bytes.
"""

from __future__ import annotations

import datetime
import html
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _core
from ._cohort_arrow import CohortArrowTable
from ._cohort_kpis import CohortKpis
from ._courses import core_courses
from ._validate import as_date, as_int, as_list, as_threads, file_name, in_calendar, invalid

if TYPE_CHECKING:
    import pandas as pd

    from .summary import CohortSummary
    from .survival import AalenJohansen, KaplanMeier

__all__ = ["MISSING_DAY", "Cohort", "load_cohort"]

MISSING_DAY: int = _core.MISSING_DAY
"""The day number of a missing date in :meth:`Cohort.arrays`."""

_SECONDS_PER_DAY = 86_400


def _path(path: object, field: str = "path") -> str:
    """`path` (a str or an os.PathLike) as a str; anything else is an InvalidValueError."""
    if isinstance(path, (str, os.PathLike)):
        text = os.fspath(path)
        return file_name(text if isinstance(text, str) else os.fsdecode(text), field)
    raise invalid(field, path, f"expected a path (str or os.PathLike), got {type(path).__name__}")


def load_cohort(path: str | os.PathLike[str]) -> Cohort:
    """The cohort saved at `path` by :meth:`Cohort.save`.

    A file that is missing, a directory, empty, not a saved cohort, of a newer format version or
    saved with another table layout, truncated or corrupted raises :class:`mentorcore.ParseError`
    naming the path and what is wrong (for corruption, the table and column).
    """
    return Cohort(_core.load_cohort(_path(path)))


_EPOCH = datetime.date(1970, 1, 1)


def _name(value: object, field: str, what: str, names: Iterable[str]) -> str:
    """`value` if it is a str (the core says whether it names one of `names`); else an
    InvalidValueError naming `field` and listing `names` (read only then; each once), where
    pybind11 gave a TypeError naming no argument."""
    if not isinstance(value, str):
        listed = ", ".join(dict.fromkeys(names))
        raise invalid(field, value, f"expected the name of a {what} (a str), one of {listed}")
    return value


def _day_number(day: datetime.date) -> int:
    return (day - _EPOCH).days


def _values(criterion: object, field: str) -> list[Any]:
    """One value or an iterable of values (a str is one value) as a list."""
    if isinstance(criterion, (str, bytes)) or not isinstance(criterion, Iterable):
        return [criterion]
    return as_list(criterion, field)


class Cohort(CohortKpis):
    """Every course as column tables (see the module documentation).

    Build one with :meth:`from_courses`; a cohort does not change once built.
    """

    __slots__ = ("_core",)

    def __init__(self, core: _core.Cohort) -> None:
        self._core = core

    @classmethod
    def from_courses(cls, courses: Iterable[Any]) -> Cohort:
        """The cohort of `courses` (a Course, a list of them, or what ``read_events`` returns),
        in their order. Two courses with one id are an error naming the id."""
        return cls(_core.Cohort.from_courses(core_courses(courses)))

    @classmethod
    def from_frames(cls, frames: Mapping[str, Any]) -> Cohort:
        """The cohort of `frames`, a mapping of table names to pandas DataFrames with the columns
        :meth:`frame` returns (or to mappings of column names to arrays).

        The ``courses`` table is required, the others are optional (empty when left out). Each
        child table's rows are grouped by their ``course`` column, keeping their order within a
        course; a course that is not in the courses table is an error naming the table, the row
        and the id. Dates are ``datetime64`` (any unit, no time of day; NaT where missing), enums
        and strings ``Categorical`` or plain strings, numbers that can be missing nullable
        integers, flags ``bool``. A dictionary lists a Categorical's categories in their order,
        so ``Cohort.from_frames({t: c.frame(t) for t in c.tables}) == c``. Every value is checked
        as a saved file's are; a fault raises :class:`mentorcore.InvalidValueError` naming the
        table, the column and the row (0-based, as ``frame.iloc`` counts).
        """
        # Imported here, not with the module: it imports pandas, which would cost every
        # `import mentorcore` (the command line's included) seconds it may never need.
        from ._cohort_frames import cohort_from_frames

        return cls(cohort_from_frames(frames))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the cohort to `path` in mentorcore's versioned cohort format, whole or not at
        all (read it back with :func:`mentorcore.load_cohort`)."""
        _core.save_cohort(self._core, _path(path))

    def __getstate__(self) -> bytes:
        # The bytes of a saved file: versioned, checked on the way back in.
        return _core.cohort_to_bytes(self._core)

    def __setstate__(self, state: object) -> None:
        if not isinstance(state, bytes):
            raise invalid("pickle", state, "expected the bytes of a saved cohort")
        self._core = _core.cohort_from_bytes(state, "<pickle>")

    def __eq__(self, other: object) -> bool:
        """Two cohorts are equal when every table and dictionary is (NaN equals NaN)."""
        if not isinstance(other, Cohort):
            return NotImplemented
        return bool(_core.cohorts_equal(self._core, other._core))

    # Equal by value, so not hashable (as a DataFrame is not): hashing every row is no use.
    __hash__ = None  # type: ignore[assignment]

    @property
    def tables(self) -> list[str]:
        """The names of the tables, courses first."""
        return list(_core.Cohort.table_names())

    def __len__(self) -> int:
        """The number of courses."""
        return len(self._core)

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the tables and their dictionaries."""
        return int(self._core.memory_bytes)

    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None:
        """The first order and the last event of any course (None when empty)."""
        return self._core.date_range

    def _table(self, table: object) -> str:
        return _name(table, "table", "table", self.tables)

    def rows(self, table: str) -> int:
        """The number of rows of `table`."""
        return int(self._core.rows(self._table(table)))

    def schema(self, table: str) -> list[tuple[str, str, list[str] | None, str | None]]:
        """Per column of `table`: its name, its type (``day``, ``category``, ``code``, ``int16``,
        ``int32``, ``optional_int32``, ``float32``, ``float64``, ``flag``), the names of an enum
        column's values, and the dictionary a code column refers to (see :meth:`dictionary`)."""
        return list(self._core.schema(self._table(table)))

    def dictionary(self, kind: str) -> list[str]:
        """The strings of one dictionary (``course``, ``citizen``, ``staff``, ``provider``, ...),
        in code order: code ``i`` in a column stands for ``dictionary(kind)[i]``."""
        # The names of the dictionaries, listed only in an error: those code columns refer to.
        kinds = (str(c[3]) for t in self.tables for c in self._core.schema(t) if c[3])
        return list(self._core.dictionary(_name(kind, "kind", "dictionary", kinds)))

    def arrays(self, table: str) -> dict[str, np.ndarray]:
        """The columns of `table` as read-only NumPy arrays that view the cohort's memory."""
        return dict(self._core.columns(self._table(table)))

    def arrow(self, table: str) -> CohortArrowTable:
        """`table` for Arrow consumers: an object with ``__arrow_c_schema__`` and
        ``__arrow_c_stream__`` (the Arrow PyCapsule interface), so that ``pyarrow.table(x)``,
        ``polars.DataFrame(x)`` and ``duckdb.sql("select ... from x")`` read it. Dates are
        ``date32``, enums and strings dictionary-encoded with utf8 values, flags ``bool``;
        numeric buffers are the cohort's own memory, kept alive by whatever holds them
        (docs/cohort.md, section "Arrow"). An unknown table is a :class:`mentorcore.Error`."""
        return CohortArrowTable(self._core, self._table(table))

    def frame(self, table: str) -> pd.DataFrame:
        """`table` as a pandas DataFrame (dtypes as the module documentation says)."""
        import pandas as pd

        table = self._table(table)
        columns = self._core.columns(table)
        data: dict[str, Any] = {}
        for name, kind, categories, dictionary in self._core.schema(table):
            values = columns[name]
            if kind == "day":
                days = values.astype(np.int64)
                missing = values == _core.MISSING_DAY
                seconds = days * _SECONDS_PER_DAY
                seconds[missing] = np.iinfo(np.int64).min  # NaT
                data[name] = seconds.view("datetime64[s]")
            elif kind == "category":
                labels = [str(label) for label in categories or ()]
                data[name] = pd.Categorical.from_codes(
                    np.asarray(values, dtype=np.int8), categories=pd.Index(labels)
                )
            elif kind == "code":
                strings = [str(text) for text in self._core.dictionary(str(dictionary))]
                data[name] = pd.Categorical.from_codes(
                    np.asarray(values, dtype=np.int32), categories=pd.Index(strings)
                )
            elif kind == "optional_int32":
                data[name] = pd.arrays.IntegerArray(
                    np.array(values, dtype=np.int32), values == _core.MISSING_NUMBER
                )
            elif kind == "flag":
                data[name] = values.astype(bool)
            else:
                data[name] = values
        result: pd.DataFrame = pd.DataFrame(data, copy=False)
        return result

    def select(
        self,
        *,
        municipality: int | Iterable[int] | None = None,
        target_group: str | Iterable[str] | None = None,
        provider: str | Iterable[str] | None = None,
        started_between: tuple[datetime.date, datetime.date] | None = None,
    ) -> Cohort:
        """The courses that match every criterion given, with all their rows, without re-reading.

        `municipality` (codes), `target_group` (reference-data codes) and `provider` are each one
        value or a list of values; a course matches if its value is one of them (a value no course
        has matches none). `started_between=(first, last)` keeps the courses that started on a
        day from `first` to `last`, both included (a course not yet started has no start, and is
        left out). The selection's dictionaries keep only the strings its rows use, so the
        categories of its frames are the ones that occur in it.
        """
        courses = self._core.columns("courses")
        keep = np.ones(len(self), dtype=bool)
        if municipality is not None:
            values = _values(municipality, "municipality")
            codes = [as_int(value, "municipality") for value in values]
            keep &= np.isin(courses["municipality"], np.asarray(codes, dtype=np.int64))
        for field, criterion in (("target_group", target_group), ("provider", provider)):
            if criterion is None:
                continue
            wanted = set()
            for value in _values(criterion, field):
                if not isinstance(value, str):
                    raise invalid(field, value, f"expected a str, got {type(value).__name__}")
                wanted.add(value)
            strings = self._core.dictionary(field)
            codes = [code for code, text in enumerate(strings) if text in wanted]
            keep &= np.isin(courses[field], np.asarray(codes, dtype=np.int32))
        if started_between is not None:
            if not isinstance(started_between, tuple) or len(started_between) != 2:
                raise invalid(
                    "started_between", started_between, "expected a pair (first, last) of dates"
                )
            first = as_date(started_between[0], "started_between[0]")
            last = as_date(started_between[1], "started_between[1]")
            if last < first:
                raise invalid(
                    "started_between", started_between, "the last day is before the first"
                )
            started = np.asarray(courses["started"], dtype=np.int32)
            keep &= (started != _core.MISSING_DAY) & (started >= _day_number(first))
            keep &= started <= _day_number(last)
        return Cohort(self._core.select(keep.view(np.uint8)))

    def survival(
        self,
        outcome: str,
        *,
        start: str = "started",
        as_of: datetime.date | None = None,
        by: str | None = None,
        alpha: float = 0.05,
    ) -> KaplanMeier | AalenJohansen | dict[Any, KaplanMeier | AalenJohansen]:
        """A time-to-event question of the courses, estimated with censoring handled
        (``docs/kpis.md`` defines each):

        - ``"time_to_work_or_education"``: from the course's start (``start="ordered"``: from
          the order) to its first start in work or education, as an :class:`AalenJohansen` with
          the competing outcomes 1 work, 2 education, 3 dropout and 4 other exit
          (``TIME_TO_WORK_OUTCOMES``); a course still running at `as_of` is censored then;
        - ``"retention"``: from the first start in work or education until the spell it opened
          ends (other than by completing an education), as a :class:`KaplanMeier`; censored at
          `as_of`, and for a closed course 12 months after its closure, when follow-up ends.

        `as_of` (default: the last date in the cohort) is the day the data was drawn: nothing
        after it is used. `by` (``municipality``, ``target_group``, ``provider``, ``mentor``,
        ``caseworker`` or ``start_year``) returns a dict of one estimate per group.
        """
        from ._cohort_survival import cohort_survival

        return cohort_survival(self, outcome, start=start, as_of=as_of, by=by, alpha=alpha)

    def summary(
        self, *, as_of: datetime.date | None = None, by: object = None, threads: int | None = None
    ) -> CohortSummary:
        """The additive counts behind every KPI of the courses ordered by `as_of` (default: the
        last date in the cohort; a day of the supported calendar, 1900-2200), per group of `by`
        (None for all courses as one group, a column of ``mentorcore.GROUP_COLUMNS``, or a list
        of them): a :class:`CohortSummary`, which adds up exactly with the summaries of other
        cohorts at the same `as_of` and `by`, and gives the same :meth:`kpis`. The counting runs
        on `threads` threads (None: every core); the result does not depend on it."""
        from ._summary_counts import count_tables
        from .summary import CohortSummary, group_columns

        columns = group_columns(by)
        if as_of is None:
            span = self.date_range
            if span is None:
                raise invalid("as_of", None, "an empty cohort has no last date: give as_of")
            as_of = span[1]
        # Within the calendar, as every date of a cohort: so the summary's bytes read back.
        day = _day_number(in_calendar(as_date(as_of, "as_of"), "as_of"))
        workers = as_threads(threads)
        groups, cells, counts, survival = count_tables(self, columns, day, workers)
        return CohortSummary(as_of, columns, groups, cells, counts, survival)

    def kpis(self, *, as_of: datetime.date | None = None, by: object = None) -> pd.DataFrame:
        """Every KPI per group, in one long frame: ``kpi, <by columns>, numerator, denominator,
        value, ci_lower, ci_upper`` (Wilson intervals for proportions, the estimator's for the
        survival KPIs). The same as ``self.summary(as_of=as_of, by=by).kpis()``; docs/kpis.md
        defines every KPI, :func:`mentorcore.kpi_definitions` lists them."""
        return self.summary(as_of=as_of, by=by).kpis()

    def _summary(self) -> list[tuple[str, int]]:
        return [(table, self.rows(table)) for table in self.tables]

    def __repr__(self) -> str:
        span = self.date_range
        dates = f" {span[0].isoformat()}..{span[1].isoformat()}" if span else ""
        return (
            f"<Cohort {len(self)} courses{dates}, {self.rows('contacts')} contacts, "
            f"{self.memory_bytes / 2**20:.1f} MiB>"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(table)}</td><td style='text-align:right'>{count:,}</td></tr>"
            for table, count in self._summary()
        )
        return (
            f"<div><strong>{html.escape(repr(self))}</strong>"
            f"<table><thead><tr><th>table</th><th>rows</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
