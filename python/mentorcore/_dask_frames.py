"""The events of a Dask DataFrame partition turned back into event-log lines for
mentorcore.dask: ``dask.dataframe.read_json(path, lines=True)`` turns dates into timestamps,
whole numbers into floats, lists and objects into their Python repr as text, and fills absent
fields with NaN; each value is put back as the event schema (``mentorcore.event_schema``) says
the field is written."""

from __future__ import annotations

import ast
import datetime
import functools
import json
import math
import numbers
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ._validate import invalid
from .interchange import event_schema

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_columns", "frame_header", "frame_records", "json_line"]


class _Field(NamedTuple):
    kind: str  # date, string, integer, number, boolean, array, object, any
    nullable: bool
    required: bool


def _kind(spec: dict[str, Any]) -> tuple[str, bool]:
    if "anyOf" in spec:
        options = [option for option in spec["anyOf"] if option.get("type") != "null"]
        kind = _kind(options[0])[0] if len(options) == 1 else "any"
        return kind, len(options) < len(spec["anyOf"])
    reference = str(spec.get("$ref", ""))
    if reference:
        return ("date" if reference.endswith("/date") else "string"), False
    values = spec["enum"] if "enum" in spec else [spec["const"]] if "const" in spec else None
    if values is not None:
        return ("string" if all(isinstance(v, str) for v in values) else "any"), False
    declared = spec.get("type")
    return (declared if isinstance(declared, str) else "any"), False


@functools.lru_cache(maxsize=1)
def _event_fields() -> dict[str, dict[str, _Field]]:
    """Per event type (and the header), its fields: what JSON they hold, from the schema."""
    fields: dict[str, dict[str, _Field]] = {}
    for event in event_schema()["oneOf"]:
        required = set(event.get("required", ()))
        own = {}
        for name, spec in event["properties"].items():
            kind, nullable = _kind(spec)
            own[name] = _Field(kind, nullable, name in required)
        fields[event["properties"]["type"]["const"]] = own
    return fields


# A flag as the text that Dask's string conversion makes of it.
_FLAG_TEXTS: dict[object, bool] = {"True": True, "False": False}


class _Missing:
    pass


_MISSING = _Missing()


def _missing(value: object) -> bool:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _plain(value: object, field: str) -> object:
    """`value` as JSON's types (NumPy scalars and arrays, tuples as lists)."""
    if isinstance(value, (str, bool)) or value is None:
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            raise invalid(field, value, "not a finite number")
        return number
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(item, field) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item, field) for key, item in value.items()}
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    raise invalid(field, value, f"cannot be written as JSON ({type(value).__name__})")


# CPython before 3.11.8 and 3.12.1 keeps the depth of the AST it is building in state that all
# threads share (python/cpython#106905): a garbage collection inside ast.literal_eval can let
# another thread's literal_eval run meanwhile, and one of them raises "SystemError: AST
# constructor recursion depth mismatch". Dask's threaded scheduler reads partitions side by side,
# so the calls here take turns.
_LITERAL_EVAL = threading.Lock()


def _nested(text: str, field: str) -> object:
    """An array or object that arrived as text: JSON, or the Python repr that Dask's string
    conversion makes of a list or dict (``"['a', 'b']"``)."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        with _LITERAL_EVAL:
            return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise invalid(field, text, "expected a JSON array or object") from None


def _json_value(value: object, kind: str, field: str) -> object:
    """One cell of an events frame as the JSON value of its field, or _MISSING."""
    import pandas as pd

    if _missing(value):
        return _MISSING
    if kind == "date" and isinstance(value, (datetime.datetime, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None or stamp != stamp.normalize():
            raise invalid(field, value, "expected a day; the value has a time of day or zone")
        return stamp.date().isoformat()
    if kind == "integer" and isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)  # a whole number in a column that also has missing values
    if kind == "boolean" and isinstance(value, (numbers.Real, np.bool_)) and value in (0, 1):
        return bool(value)
    if kind == "string" and isinstance(value, (numbers.Number, np.number)):
        raise invalid(
            field,
            value,
            "a number where the event schema has a text: pandas turns texts of digits into "
            "numbers and drops leading zeros; read the log with "
            "dask.dataframe.read_json(path, lines=True, dtype=False)",
        )
    if kind in ("array", "object") and isinstance(value, str):
        value = _nested(value, field)
    return _plain(value, field)


def _column_values(values: pd.Series, kind: str, field: str) -> list[object]:
    """The cells of one column (none missing) as the JSON values of field `field`: whole
    columns at a time where the dtype allows, cell by cell where it does not."""
    import pandas as pd

    dtype = values.dtype
    if kind == "boolean" and isinstance(dtype, pd.StringDtype):
        # Dask's string conversion (its option dataframe.convert-string, on by default) turns a
        # column of flags that pandas holds as Python objects (read_json(..., dtype=False), or
        # a column with gaps) into their text, str(True) and str(False). Exactly those two are
        # turned back; any other text is written as it is, for the reader to refuse.
        return [_FLAG_TEXTS.get(value, value) for value in values.tolist()]
    if kind == "date" and pd.api.types.is_datetime64_any_dtype(dtype):
        timed = values[values != values.dt.normalize()]
        if getattr(dtype, "tz", None) is not None or len(timed):
            shown = timed.iloc[0] if len(timed) else values.iloc[0]
            raise invalid(field, shown, "expected a day; the value has a time of day or zone")
        return list(values.dt.strftime("%Y-%m-%d"))
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        array = values.to_numpy()
        if kind == "string" or array.dtype.kind not in "biuf":
            return [_json_value(value, kind, field) for value in array.tolist()]
        if array.dtype.kind == "f":
            if not np.isfinite(array).all():
                raise invalid(field, array[~np.isfinite(array)][0], "not a finite number")
            if kind == "integer" and (array == np.round(array)).all():
                array = array.astype(np.int64)  # whole numbers in a column with missing values
        if kind == "boolean" and array.dtype.kind != "b" and np.isin(array, (0, 1)).all():
            array = array.astype(bool)
        return list(array.tolist())
    result: list[object] = []
    for value in values.tolist():
        if type(value) is str and kind not in ("array", "object"):
            result.append(value)
        else:
            result.append(_json_value(value, kind, field))
    return result


def check_columns(columns: Iterable[object]) -> None:
    """An InvalidValueError if two columns of an events frame have one name (a field's value
    would be two columns; pandas gives a frame, not a column, for the name)."""
    seen: set[str] = set()
    for column in columns:
        name = str(column)
        if name in seen:
            raise invalid(
                "source", name, "the events frame has two columns of this name (one per field)"
            )
        seen.add(name)


def frame_records(frame: pd.DataFrame) -> tuple[list[dict[str, object]], list[bool]]:
    """The events of `frame` as JSON objects in row order, and which rows are header rows."""
    if "course" not in frame.columns and frame.index.name == "course":
        frame = frame.reset_index()
    check_columns(frame.columns)
    for column in ("course", "type"):
        if column not in frame.columns:
            raise invalid(
                "source", column, "the events frame has no such column (one column per field)"
            )
    fields = _event_fields()
    columns = [str(column) for column in frame.columns]
    present = frame.notna().to_numpy()
    groups: dict[object, list[int]] = {}
    for row, value in enumerate(frame["type"].tolist()):
        groups.setdefault(None if _missing(value) else value, []).append(row)
    records: list[dict[str, object]] = [{} for _ in range(len(frame))]
    headers = [False] * len(frame)
    for event_type, group in groups.items():
        own = fields.get(event_type, {}) if isinstance(event_type, str) else {}
        rows = np.asarray(group, dtype=np.intp)
        has = present[rows]
        for at, name in enumerate(columns):
            mask = has[:, at]
            field = own.get(name)
            if field is None:
                if not mask.any():
                    continue
                # Not a field of this type: written as it is, so that the reader rejects it.
                field = _Field("any", True, False)
            if field.required and field.nullable:
                for row in rows[~mask].tolist():
                    records[row][name] = None
            taken = rows[mask]
            if taken.size:
                values = _column_values(frame.iloc[taken, at], field.kind, name)
                for row, value in zip(taken.tolist(), values, strict=True):
                    records[row][name] = value
        if event_type == "header":
            for row in group:
                headers[row] = True
    return records, headers


def json_line(record: dict[str, object]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def frame_header(frame: pd.DataFrame) -> bytes:
    """Runs on a worker: the header line of the first partition's first row, if that is a
    header row (dask.dataframe.read_json puts a log's first line there), else b""."""
    check_columns(frame.columns)
    if "type" not in frame.columns or not len(frame) or frame["type"].iloc[0] != "header":
        return b""
    records, _ = frame_records(frame.iloc[:1])
    return json_line(records[0])
