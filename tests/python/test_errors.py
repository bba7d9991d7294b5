"""The error hierarchy and the personal-data rule for messages."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path

import pytest

import mentorcore as mc
from mentorcore import calendar as cal


def test_hierarchy() -> None:
    assert issubclass(mc.Error, ValueError)
    assert issubclass(mc.InvalidValueError, mc.Error)
    assert issubclass(mc.OutOfRangeError, mc.InvalidValueError)
    assert mc.Error.__module__ == "mentorcore"


def test_errors_from_cpp_carry_field_value_and_reason() -> None:
    with pytest.raises(mc.OutOfRangeError) as caught:
        cal.holidays(2300)
    assert caught.value.field == "year"
    assert caught.value.value == "2300"
    assert caught.value.reason and caught.value.reason in str(caught.value)


def test_errors_from_python_validation_carry_field_value_and_reason() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        cal.add_months(datetime.date(2024, 1, 1), "3")
    assert caught.value.field == "months"
    assert caught.value.value == "'3'"
    assert str(caught.value) == f"months = '3': {caught.value.reason}"


def test_a_nul_byte_in_a_value_does_not_cut_the_message_short() -> None:
    # Messages are C strings on their way from C++: the NUL is written out, the reason kept.
    with pytest.raises(mc.Error) as caught:
        mc.read_events(io.BytesIO(b'{"schema":"mentorcore/2","course":"K-1","type":"x\\u0000y"}\n'))
    assert "\\u0000" in str(caught.value)
    assert str(caught.value).rstrip().endswith(tuple("abcdefghijklmnopqrstuvwxyz)\"'"))


@pytest.mark.parametrize(
    "call",
    [
        lambda path: mc.read_events(path),
        lambda path: mc.read_cohort(path),
        lambda path: mc.load_cohort(path),
        lambda path: mc.Journal(path),
        lambda path: mc.synthetic.write(path, 2, threads=1),
    ],
    ids=["read_events", "read_cohort", "load_cohort", "Journal", "synthetic.write"],
)
def test_a_path_with_a_nul_byte_is_refused_and_no_file_is_touched(
    tmp_path: Path, call: Callable[[str], object]
) -> None:
    # Cut at the NUL, the system would act on another file: log.jsonl instead of log.jsonl\0.gz.
    named = str(tmp_path / "log.jsonl") + "\0.gz"
    with pytest.raises(mc.InvalidValueError) as caught:
        call(named)
    assert caught.value.field in ("path", "paths")
    assert "NUL byte" in str(caught.value) or "\\u0000" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("cpr", ["0101901234", "010190-1234", "010190 1234"])
def test_a_cpr_number_passed_by_mistake_never_appears_in_the_message(cpr: str) -> None:
    with pytest.raises(mc.Error) as caught:
        cal.is_working_day(cpr)  # type: ignore[arg-type]
    assert "1234" not in str(caught.value)
    assert "1234" not in caught.value.value
    assert "redacted" in str(caught.value)


def test_redaction_keeps_dates_and_short_numbers() -> None:
    assert (
        mc._core.redact_personal_numbers("2024-03-31 and 123456789") == "2024-03-31 and 123456789"
    )
