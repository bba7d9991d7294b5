"""Reading a CohortSummary back from its bytes, checking everything a file could get wrong."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from typing import Any

import numpy as np

from . import _core
from ._kpis import SURVIVAL_KPIS
from ._summary_counts import FIXED_TABLES, GROUP_COLUMNS, SURVIVAL_TABLES, sort_key
from ._validate import invalid

_STAGES = frozenset(member.name for member in _core.Stage)
_RATING_MEASURES = frozenset(_core.SUMMARY_RATING_MEASURES)
# The grouping columns whose values are numbers; the others hold ids and names.
_NUMBER_COLUMNS = ("municipality", "start_year")


def _wrong(what: str, value: object, reason: str) -> Exception:
    return invalid(f"summary {what}", value, reason)


def _key_value(value: object) -> Any:
    if (
        value is None
        or isinstance(value, str)
        or (isinstance(value, int) and not isinstance(value, bool))
    ):
        return value
    raise _wrong("group", value, "expected a string, a whole number or null")


def _check_groups(by: tuple[str, ...], groups: list[tuple[Any, ...]]) -> None:
    """Every key's values of the type of their column, the keys distinct and in order: the KPI
    frames and ``+`` rely on both."""
    if any(len(key) != len(by) for key in groups):
        raise _wrong("groups", len(groups), f"every key needs {len(by)} values")
    for key in groups:
        for column, value in zip(by, key, strict=True):
            expected = int if column in _NUMBER_COLUMNS else str
            if value is not None and not isinstance(value, expected):
                raise _wrong(f"group {column}", value, f"expected a {expected.__name__} or null")
    ordered = [sort_key(key) for key in groups]
    if any(a >= b for a, b in itertools.pairwise(ordered)):
        raise _wrong("groups", len(groups), "the keys are not distinct and in order")


def _check_data_cells(cells: dict[str, tuple[str, ...]]) -> None:
    """The cells named after the data, parsed as the KPIs parse them: a stage cell is
    ``<behaviour>:<stage>><stage>``, a rating cell ``<instrument>:<measure>`` with every measure
    of each instrument there."""
    for table in ("stages", "ratings"):
        if list(cells[table]) != sorted(set(cells[table])):
            raise _wrong(f"cells.{table}", len(cells[table]), "not distinct and in order")
    for cell in cells["stages"]:
        behaviour, _, move = cell.partition(":")
        if not behaviour or not (len(move.split(">")) == 2 and set(move.split(">")) <= _STAGES):
            raise _wrong(
                "cells.stages", cell, "expected <behaviour>:<stage>><stage>, stages of mc.Stage"
            )
    measures: dict[str, set[str]] = {}
    for cell in cells["ratings"]:
        instrument, _, measure = cell.rpartition(":")
        if not instrument or measure not in _RATING_MEASURES:
            raise _wrong(
                "cells.ratings",
                cell,
                f"expected <instrument>:<measure>, one of {', '.join(sorted(_RATING_MEASURES))}",
            )
        measures.setdefault(instrument, set()).add(measure)
    for instrument, present in measures.items():
        if present != _RATING_MEASURES:
            raise _wrong("cells.ratings", instrument, "the instrument lacks some of its measures")


def summary_from_bytes(cls: Any, data: object, magic: bytes) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise invalid("data", type(data).__name__, "expected the bytes of CohortSummary.to_bytes")
    data = bytes(data)
    if not data.startswith(magic):
        raise _wrong("bytes", data[:20], "not a mentorcore summary (CohortSummary.to_bytes)")
    end = data.find(b"\n", len(magic))
    try:
        header = json.loads(data[len(magic) : end])
        version = header["format"]
    except (ValueError, KeyError, TypeError):
        raise _wrong("header", data[len(magic) : len(magic) + 40], "unreadable") from None
    if version != cls.FORMAT_VERSION:
        raise _wrong(
            "format", version, f"this mentorcore reads format {cls.FORMAT_VERSION}; upgrade it"
        )
    try:
        as_of = datetime.date.fromisoformat(header["as_of"])
        by = tuple(header["by"])
        groups = [tuple(_key_value(v) for v in key) for key in header["groups"]]
        cells = {str(name): tuple(str(c) for c in value) for name, value in header["cells"].items()}
        outcomes = {str(name): tuple(value) for name, value in header["survival"].items()}
        min_count = header.get("min_count", 0)
    except (
        ValueError,
        KeyError,
        TypeError,
        AttributeError,  # a header entry of the wrong JSON type, e.g. a list for a dict
    ) as error:
        raise _wrong("bytes", type(error).__name__, f"truncated or corrupted ({error})") from None
    try:
        with np.load(io.BytesIO(data[end + 1 :]), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except Exception as error:  # bad input: whatever zipfile or NumPy's .npy reader raised
        raise _wrong("bytes", type(error).__name__, f"truncated or corrupted ({error})") from None
    if any(name not in GROUP_COLUMNS for name in by) or len(set(by)) != len(by):
        raise _wrong("by", list(by), f"expected distinct names of {', '.join(GROUP_COLUMNS)}")
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 0:
        raise _wrong("min_count", min_count, "expected a whole number of 0 or more")
    _check_groups(by, groups)
    if cells.keys() != {*FIXED_TABLES, "stages", "ratings"} or any(
        cells[name] != fixed for name, fixed in FIXED_TABLES.items()
    ):
        raise _wrong("cells", sorted(cells), "not the tables of this mentorcore")
    _check_data_cells(cells)
    if outcomes != {name: tuple(v) for name, v in SURVIVAL_TABLES.items()}:
        raise _wrong("survival", sorted(outcomes), "not the survival tables of this mentorcore")
    counts = {}
    for name, labels in cells.items():
        table = arrays.get(f"count.{name}")
        if table is None or table.dtype != np.int64 or table.shape != (len(groups), len(labels)):
            raise _wrong("table", name, f"expected {len(groups)} x {len(labels)} whole numbers")
        counts[name] = table
    survival = {}
    for name, names in outcomes.items():
        table = arrays.get(f"survival.{name}")
        if (
            table is None
            or table.dtype != np.int64
            or table.ndim != 2
            or table.shape[1] != 4 + len(names)
        ):
            raise _wrong(
                "survival table", name, f"expected {4 + len(names)} columns of whole numbers"
            )
        if len(table) and (table[:, 0].max() >= len(groups) or table.min() < 0):
            raise _wrong("survival table", name, "a group index or count out of range")
        survival[name] = table
    for name, table in counts.items():
        # Only the sums of changes from the baseline can be negative.
        signed = [j for j, cell in enumerate(cells[name]) if cell.endswith(":change_cents")]
        unsigned = np.delete(table, signed, axis=1)
        if (unsigned < 0).any():
            raise _wrong("table", name, "a count is negative")
    suppressed = None
    if min_count:
        suppressed = {}
        for name, table in counts.items():
            mask = arrays.get(f"suppressed.{name}")
            if mask is None or mask.dtype != np.bool_ or mask.shape != table.shape:
                raise _wrong("suppressed", name, "a publishable summary needs its suppression mask")
            suppressed[name] = mask
    published = None
    if min_count:
        published = arrays.get("published_survival")
        if published is None or published.dtype != np.float64 or published.ndim != 3:
            raise _wrong(
                "published_survival", None, "a publishable summary needs its survival KPIs"
            )
        if published.shape != (len(SURVIVAL_KPIS), len(groups), 6):
            raise _wrong("published_survival", list(published.shape), "does not fit the groups")
    summary = cls(as_of, by, groups, cells, counts, survival, suppressed, min_count, published)
    total = arrays.get("published_total")
    if min_count and by:
        if total is None or total.dtype != np.uint8:
            raise _wrong("published_total", None, "a grouped publishable summary needs it")
        summary.published_total = cls.from_bytes(total.tobytes())
        _check_total(summary, summary.published_total)
    elif total is not None:
        raise _wrong("published_total", "present", "only a grouped publishable summary has one")
    return summary


def _check_total(summary: Any, total: Any) -> None:
    """The all-courses row of a grouped publishable summary is that summary's own, as
    publishable() made it: ungrouped, as of the same day, of the same cells, suppressed at the
    same threshold, and one row if the summary has any group. total() hands it out as is."""
    expected: list[tuple[str, object, object]] = [
        ("as_of", total.as_of.isoformat(), summary.as_of.isoformat()),
        ("by", list(total.by), []),
        ("min_count", total.min_count, summary.min_count),
        ("groups", len(total.groups), 1 if summary.groups else 0),
    ]
    for field, value, wanted in expected:
        if value != wanted:
            raise _wrong(
                f"published_total.{field}", value, f"expected {wanted!r}, as the summary has it"
            )
    for name, labels in summary.cells.items():
        if total.cells[name] != labels:
            raise _wrong(
                f"published_total.cells.{name}", len(total.cells[name]), "not the summary's cells"
            )
