"""Reading a CohortSummary back from its bytes, checking everything a file could get wrong.

Format 2 (CohortSummary.to_bytes): the line ``mentorcore-summary``, a JSON header line, a NumPy
.npz archive of the arrays, and the CRC-32 (zlib.crc32) of everything before it as 4 bytes,
big-endian. The checksum is there for corruption (a flipped bit on a disk or in a transfer, a
truncated file): every error burst of up to 32 bits, so every single flipped bit, changes it. It
does not protect against tampering: anyone can compute a CRC-32 of bytes they made; a summary
from an untrusted sender needs a signature or an authenticated channel. Behind it the header is
read strictly (no unknown or missing entry, every value of its type and range) and so are the
arrays, since a summary written by other code, or edited with its checksum recomputed, gets no
further than what this module checks. Format 1 (no checksum, no home-visit "outside" cells) is
refused with a message saying which format this mentorcore reads.
"""

from __future__ import annotations

import datetime
import io
import itertools
import json
import zlib
from typing import Any

import numpy as np

from . import _core
from ._kpis import SURVIVAL_KPIS
from ._summary_counts import FIXED_TABLES, GROUP_COLUMNS, SURVIVAL_TABLES, sort_key
from ._validate import in_calendar, invalid, out_of_range

_STAGES = frozenset(member.name for member in _core.Stage)
_RATING_MEASURES = frozenset(_core.SUMMARY_RATING_MEASURES)
# The grouping columns whose values are numbers, with their ranges (a municipality code has
# three digits; a start year is in the calendar); the others hold ids and names.
_NUMBER_COLUMNS = {"municipality": (101, 999), "start_year": (1900, 2200)}
# The entries of a header, every one required.
HEADER_KEYS = ("format", "as_of", "by", "groups", "cells", "survival", "min_count")
# publishable() takes a min_count the core holds in 32 bits.
_MAX_MIN_COUNT = 2**31 - 1
CHECKSUM_BYTES = 4


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
            if isinstance(value, int) and column in _NUMBER_COLUMNS:
                low, high = _NUMBER_COLUMNS[column]
                if not low <= value <= high:
                    raise _wrong(f"group {column}", value, f"expected {low}-{high} or null")
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


def _format_error(cls: Any, version: object) -> Exception:
    reads = f"this mentorcore reads format {cls.FORMAT_VERSION}"
    if type(version) is int and version == 1:
        return _wrong(
            "format",
            version,
            f"{reads}: format 1 (an earlier mentorcore, without the checksum and the home-visit"
            " table's outside cells) cannot be converted; summarise the cohort again",
        )
    if isinstance(version, int) and not isinstance(version, bool) and version > cls.FORMAT_VERSION:
        return _wrong("format", version, f"{reads}; upgrade it")
    return _wrong("format", version, reads)


def _peek_format(data: bytes, magic: bytes) -> object:
    """The header's format entry, if the header can be read at all (else None)."""
    end = data.find(b"\n", len(magic))
    try:
        header = json.loads(data[len(magic) : end if end >= 0 else len(data)])
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
        return None
    return header.get("format") if isinstance(header, dict) else None


def _checked_body(cls: Any, data: bytes, magic: bytes) -> bytes:
    """`data` without its checksum, if the checksum is the CRC-32 of the rest. Else an error:
    the format, if the header names another one (format 1 has no checksum), or corruption."""
    body, stored = data[:-CHECKSUM_BYTES], data[-CHECKSUM_BYTES:]
    actual = zlib.crc32(body)
    if len(body) > len(magic) and actual == int.from_bytes(stored, "big"):
        return body
    version = _peek_format(data, magic)
    if version is not None and version != cls.FORMAT_VERSION:
        raise _format_error(cls, version)
    raise _wrong(
        "checksum",
        stored.hex(),
        f"truncated or corrupted: the CRC-32 of the {len(body):,} bytes before it is {actual:08x}",
    )


def _header(cls: Any, body: bytes, magic: bytes) -> tuple[dict[str, Any], bytes]:
    """The header, with exactly the entries of HEADER_KEYS, and the archive after it."""
    end = body.find(b"\n", len(magic))
    if end < 0:
        raise _wrong("header", body[len(magic) : len(magic) + 40], "unreadable: no end of line")
    text = body[len(magic) : end]
    try:
        header = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, nested too deep
        raise _wrong("header", text[:40], "unreadable") from None
    if not isinstance(header, dict):
        raise _wrong("header", type(header).__name__, "expected a JSON object")
    version = header.get("format")
    if type(version) is not int or version != cls.FORMAT_VERSION:
        raise _format_error(cls, version)
    for key in header:
        if key not in HEADER_KEYS:
            raise _wrong("header", key, f"an unknown entry; a header has {', '.join(HEADER_KEYS)}")
    for key in HEADER_KEYS:
        if key not in header:
            raise _wrong("header", key, "missing")
    return header, body[end + 1 :]


def _as_of(value: object) -> datetime.date:
    """The day of the summary: a date written YYYY-MM-DD, in the supported calendar."""
    try:
        day = datetime.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        day = None
    if day is None or day.isoformat() != value:
        raise _wrong("as_of", value, "expected a date written YYYY-MM-DD")
    return in_calendar(day, "summary as_of")


def _min_count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _wrong("min_count", value, "expected a whole number of 0 or more")
    if value > _MAX_MIN_COUNT:
        raise out_of_range("summary min_count", value, f"expected at most {_MAX_MIN_COUNT:,}")
    return value


def _strings(value: object, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _wrong(what, value, "expected a list of strings")
    return value


def _names(value: object, what: str) -> dict[str, list[str]]:
    if not isinstance(value, dict):
        raise _wrong(what, type(value).__name__, "expected a JSON object of lists of strings")
    return {str(name): _strings(names, f"{what}.{name}") for name, names in value.items()}


def _archive(data: bytes, expected: set[str]) -> dict[str, Any]:
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except Exception as error:  # bad input: whatever zipfile or NumPy's .npy reader raised
        raise _wrong("bytes", type(error).__name__, f"truncated or corrupted ({error})") from None
    for name in sorted(arrays):
        if name not in expected:
            raise _wrong("arrays", name, "not an array of this summary")
    return arrays


def summary_from_bytes(cls: Any, data: object, magic: bytes) -> Any:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise invalid("data", type(data).__name__, "expected the bytes of CohortSummary.to_bytes")
    data = bytes(data)
    if not data.startswith(magic):
        raise _wrong("bytes", data[:20], "not a mentorcore summary (CohortSummary.to_bytes)")
    header, rest = _header(cls, _checked_body(cls, data, magic), magic)
    as_of = _as_of(header["as_of"])
    min_count = _min_count(header["min_count"])
    by = tuple(_strings(header["by"], "by"))
    groups_value = header["groups"]
    if not isinstance(groups_value, list) or not all(isinstance(k, list) for k in groups_value):
        raise _wrong("groups", groups_value, "expected a list of lists")
    groups = [tuple(_key_value(v) for v in key) for key in groups_value]
    cells = {name: tuple(value) for name, value in _names(header["cells"], "cells").items()}
    outcomes = {
        name: tuple(value) for name, value in _names(header["survival"], "survival").items()
    }
    expected = {f"count.{name}" for name in cells} | {f"survival.{name}" for name in outcomes}
    expected.add("published_total")  # checked below, with what it must be
    if min_count:
        expected |= {f"suppressed.{name}" for name in cells} | {"published_survival"}
    arrays = _archive(rest, expected)
    if any(name not in GROUP_COLUMNS for name in by) or len(set(by)) != len(by):
        raise _wrong("by", list(by), f"expected distinct names of {', '.join(GROUP_COLUMNS)}")
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
        if len(table) and min_count:
            raise _wrong("survival table", name, "a publishable summary keeps no per-day counts")
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
            if table[mask].any():
                raise _wrong("suppressed", name, "a withheld cell holds a count (they travel as 0)")
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
