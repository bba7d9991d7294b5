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


_ORDER = (
    '{"schema":"mentorcore/2","course":"K-1","type":"course_ordered","date":"2024-01-08",'
    '"recorded_by":"cw-1","citizen":"P-abc","caseworker":"cw-1",'
)
_GROUP = '"target_group":"kontanthjaelp_aktivitetsparat"'


@pytest.mark.parametrize(
    ("fields", "field", "shown"),
    [
        ('"municipality":101,"target_group":"nope"', "target_group", '"nope"'),
        (f'"municipality":101,{_GROUP},"retention_min_months":0', "retention_min_months", "0-6"),
        (f'"municipality":101,{_GROUP},"retention_max_months":30', "retention_max_months", "3-30"),
        (f'"municipality":18446744073709551717,{_GROUP}', "municipality", "a number out of range"),
        (f'"municipality":1e999,{_GROUP}', "municipality", "municipality = 1e999: a number out"),
    ],
)
def test_a_log_line_error_names_its_field(
    tmp_path: Path, fields: str, field: str, shown: str
) -> None:
    log = tmp_path / "f.jsonl"
    log.write_text(_ORDER + fields + "}\n", encoding="utf-8")
    for read in (mc.read_cohort, mc.read_events):
        with pytest.raises(mc.ParseError) as caught:
            read(str(log))
        assert caught.value.field == field, str(caught.value)
        assert shown in str(caught.value)
        assert "4467440737" not in str(caught.value)
