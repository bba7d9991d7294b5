"""The error hierarchy and the personal-data rule for messages."""

from __future__ import annotations

import datetime

import pytest

import mentorcore as mc
from mentorcore import calendar as cal


def test_hierarchy() -> None:
    assert issubclass(mc.Error, ValueError)
    assert issubclass(mc.InvalidValueError, mc.Error)
    assert issubclass(mc.OutOfRangeError, mc.InvalidValueError)
    assert mc.Error.__module__ == "mentorcore"


def test_errors_from_cpp_carry_field_and_value() -> None:
    with pytest.raises(mc.OutOfRangeError) as caught:
        cal.holidays(2300)
    assert caught.value.field == "year"
    assert caught.value.value == "2300"


def test_errors_from_python_validation_carry_field_and_value() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        cal.add_months(datetime.date(2024, 1, 1), "3")
    assert caught.value.field == "months"
    assert caught.value.value == "'3'"


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
