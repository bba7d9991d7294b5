"""mentorcore.outcome: one outcome vocabulary and the table that maps the others onto it."""

from __future__ import annotations

import doctest
import enum
import pathlib

import pandas as pd
import pytest

import mentorcore as mc


def test_the_enums_are_public_python_enums() -> None:
    for cls in (mc.Outcome, mc.StartEndCause, mc.FollowupStatus, mc.StatusSource):
        assert issubclass(cls, enum.Enum) and cls.__module__ == "mentorcore"
    assert [o.name for o in mc.Outcome] == [
        "job",
        "flex_job",
        "subsidised_job",
        "education",
        "other_measure",
        "pension",
        "no_outcome",
    ]
    assert [s.name for s in mc.StatusSource] == ["register", "citizen_contact", "employer"]


def test_outcome_of_each_vocabulary_by_member_and_by_name() -> None:
    assert mc.outcome_of(mc.StartType.ordinary_job) is mc.Outcome.job
    assert mc.outcome_of(mc.StartType.wage_subsidy) is mc.Outcome.subsidised_job
    assert mc.outcome_of(mc.ClarificationOutcome.pension) is mc.Outcome.pension
    assert mc.outcome_of(mc.ClosureReason.job) is mc.Outcome.job
    assert mc.outcome_of(mc.ClosureReason.dropped_out) is mc.Outcome.no_outcome
    # A name two vocabularies share means the same outcome in each.
    assert mc.outcome_of("education") is mc.Outcome.education
    assert mc.outcome_of("wage_subsidy") is mc.Outcome.subsidised_job
    assert mc.outcome_of("deceased") is mc.Outcome.no_outcome


@pytest.mark.parametrize(
    "value", ["in_work", "subsidised_job", "", 3, None, mc.FollowupStatus.in_work, mc.Outcome.job]
)
def test_outcome_of_anything_else_is_an_error_naming_the_value(value: object) -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.outcome_of(value)  # type: ignore[arg-type]
    assert caught.value.field == "value"


def test_an_unknown_name_lists_the_known_ones_once() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.outcome_of("hired")
    message = str(caught.value)
    assert "'hired'" in message and "ordinary_job" in message and "grant_expired" in message
    listed = message.split("expected one of: ")[1].split(", ")
    assert len(listed) == len(set(listed)) and "job" in listed


def test_followup_status_and_work_or_education_of_an_outcome() -> None:
    expected = {
        "job": ("in_work", True),
        "flex_job": ("in_work", True),
        "subsidised_job": ("in_work", True),
        "education": ("in_education", True),
        "other_measure": ("on_benefit", False),
        "pension": ("other", False),
        "no_outcome": ("other", False),
    }
    for outcome in mc.Outcome:
        status, work = expected[outcome.name]
        assert mc.followup_status_of(outcome) is mc.FollowupStatus[status]
        assert mc.is_work_or_education(outcome.name) is work
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.followup_status_of("in_work")
    assert caught.value.field == "outcome"


def test_the_outcome_table_lists_every_value_once_in_vocabulary_order() -> None:
    table = mc.outcome_table()
    assert list(table.columns) == [
        "vocabulary",
        "value",
        "outcome",
        "followup_status",
        "work_or_education",
    ]
    vocabularies = {
        "start_type": mc.StartType,
        "clarification_outcome": mc.ClarificationOutcome,
        "closure_reason": mc.ClosureReason,
        "followup_status": mc.FollowupStatus,
    }
    assert list(table["vocabulary"].cat.categories) == list(vocabularies)
    expected_rows = [(name, m.name) for name, cls in vocabularies.items() for m in cls]
    assert list(zip(table["vocabulary"], table["value"], strict=True)) == expected_rows
    assert list(table["outcome"].cat.categories) == [o.name for o in mc.Outcome]
    assert list(table["followup_status"].cat.categories) == [s.name for s in mc.FollowupStatus]
    assert table["work_or_education"].dtype == bool
    assert pd.api.types.is_string_dtype(table["value"])


def test_the_outcome_table_agrees_with_outcome_of() -> None:
    table = mc.outcome_table()
    for row in table.itertuples(index=False):
        if row.vocabulary == "followup_status":
            # A status covers several outcomes: none is named, the status is the value itself.
            assert pd.isna(row.outcome)
            assert row.followup_status == row.value
            assert row.work_or_education == (row.value in ("in_work", "in_education"))
            continue
        enum_type = {
            "start_type": mc.StartType,
            "clarification_outcome": mc.ClarificationOutcome,
            "closure_reason": mc.ClosureReason,
        }[row.vocabulary]
        outcome = mc.outcome_of(enum_type[row.value])
        assert row.outcome == outcome.name
        assert row.followup_status == mc.followup_status_of(outcome).name
        assert row.work_or_education == mc.is_work_or_education(outcome)
    # Every closure for a job, a flex job or an education is a start in work or education.
    closures = table[table["vocabulary"] == "closure_reason"].set_index("value")
    assert closures.loc[["job", "flex_job", "education"], "work_or_education"].all()
    assert not closures.loc[["moved", "sick", "other"], "work_or_education"].any()


def test_module_docstring_examples() -> None:
    result = doctest.testmod(mc.outcome, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 3


def test_the_table_in_the_data_model_doc_is_this_table() -> None:
    doc = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "data-model.md").read_text(
        encoding="utf-8"
    )
    block = doc.split("<!-- BEGIN OUTCOME TABLE -->")[1].split("<!-- END OUTCOME TABLE -->")[0]
    rows = [
        tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in block.strip().splitlines()[2:]  # below the header and its rule
    ]
    table = mc.outcome_table()
    # The doc lists the three vocabularies that map to an outcome; a followup_status maps to
    # itself.
    mapped = table[table["vocabulary"] != "followup_status"]
    assert rows == [
        (r.vocabulary, r.value, r.outcome, r.followup_status)
        for r in mapped.itertuples(index=False)
    ]
