"""CohortSummary: exact merging (a property test over random splits of a synthetic
municipality), bytes and pickle, refusals with clear errors, and no personal data inside."""

from __future__ import annotations

import datetime
import io
import json
import pickle
import zlib
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mentorcore as mc

AS_OF = datetime.date(2025, 6, 30)
BY = ["municipality", "start_year"]


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return mc.synthetic.generate(600, seed=11)


@pytest.fixture(scope="module")
def whole(courses: list[mc.Course]) -> mc.CohortSummary:
    return mc.Cohort.from_courses(courses).summary(as_of=AS_OF, by=BY)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.integers(min_value=2, max_value=5),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_summaries_of_any_split_add_up_to_the_whole_bit_for_bit(
    courses: list[mc.Course], whole: mc.CohortSummary, parts: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    assignment = rng.integers(0, parts, size=len(courses))
    summaries = [
        mc.Cohort.from_courses(
            [c for c, p in zip(courses, assignment, strict=True) if p == k]
        ).summary(as_of=AS_OF, by=BY)
        if (assignment == k).any()
        else mc.CohortSummary.empty(AS_OF, BY)
        for k in range(parts)
    ]
    order = rng.permutation(parts)
    merged = summaries[order[0]]
    for k in order[1:]:
        merged = merged + summaries[k] if rng.integers(2) else summaries[k] + merged
    assert merged == whole
    # Every KPI, Kaplan-Meier and Aalen-Johansen figure from the merged counts is the same
    # float, not merely close.
    pd.testing.assert_frame_equal(merged.kpis(), whole.kpis(), check_exact=True)


def test_addition_is_associative_and_sum_works(
    courses: list[mc.Course], whole: mc.CohortSummary
) -> None:
    a, b, c = (mc.Cohort.from_courses(courses[i::3]).summary(as_of=AS_OF, by=BY) for i in range(3))
    assert (a + b) + c == a + (b + c) == sum([a, b, c]) == whole


def test_the_empty_summary_is_neutral(whole: mc.CohortSummary) -> None:
    empty = mc.CohortSummary.empty(AS_OF, BY)
    assert empty + whole == whole
    assert whole + empty == whole
    assert empty.courses == 0
    assert len(empty.kpis()) == 0


def test_bytes_and_pickle_round_trip(whole: mc.CohortSummary) -> None:
    assert mc.CohortSummary.from_bytes(whole.to_bytes()) == whole
    assert pickle.loads(pickle.dumps(whole, protocol=5)) == whole


def test_a_summary_holds_no_citizen_key_course_id_or_free_text(
    courses: list[mc.Course], whole: mc.CohortSummary
) -> None:
    data = whole.to_bytes()
    cohort = mc.Cohort.from_courses(courses)
    for citizen in set(cohort.dictionary("citizen")):
        assert citizen.encode() not in data
    for course in cohort.dictionary("course")[:50]:
        assert course.encode() not in data


def test_summaries_that_do_not_match_refuse_to_merge(
    courses: list[mc.Course], whole: mc.CohortSummary
) -> None:
    cohort = mc.Cohort.from_courses(courses[:50])
    with pytest.raises(mc.Error, match="as_of = '2025-07-01'"):
        whole + cohort.summary(as_of=datetime.date(2025, 7, 1), by=BY)
    with pytest.raises(mc.Error, match="by = \\['municipality'\\]"):
        whole + cohort.summary(as_of=AS_OF, by="municipality")
    with pytest.raises(mc.Error, match="other = 'int'"):
        whole + 3


def test_bad_bytes_get_clear_errors(whole: mc.CohortSummary) -> None:
    data = whole.to_bytes()
    with pytest.raises(mc.Error, match="not a mentorcore summary"):
        mc.CohortSummary.from_bytes(b"PK\x03\x04 something else")
    with pytest.raises(mc.Error, match="truncated or corrupted"):
        mc.CohortSummary.from_bytes(data[: len(data) // 2])
    with pytest.raises(mc.Error, match="summary format = 99: this mentorcore reads format 2; up"):
        mc.CohortSummary.from_bytes(data.replace(b'"format": 2', b'"format": 99', 1))
    with pytest.raises(mc.Error, match="data = 'str'"):
        mc.CohortSummary.from_bytes("text")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # Same length, so the header stays readable and only its names are wrong.
        (
            b":precontemplation>",
            b":precontemplatioX>",
            "summary cells.stages = '[^']*precontemplatioX",
        ),
        (b":reliably_improved", b":reliably_improveX", "summary cells.ratings = '[^']*improveX"),
        (b'"by": ["municipality"', b'"by": ["municipalitX"', "summary by = "),
        (b'"min_count": 0', b'"min_count": -0', None),
    ],
)
def test_bytes_with_unknown_names_are_refused_by_from_bytes(
    courses: list[mc.Course], old: bytes, new: bytes, message: str | None
) -> None:
    # Found by adversarial testing: an unknown stage in the header was accepted, and kpis() and
    # transition_matrix() then raised a plain ValueError from list.index.
    data = mc.Cohort.from_courses(courses[:40]).summary(by="municipality").to_bytes()
    assert old in data
    # As it comes, the checksum refuses the change; re-sealed, the header's checks must.
    with pytest.raises(mc.InvalidValueError, match="summary checksum = "):
        mc.CohortSummary.from_bytes(data.replace(old, new, 1))
    changed = _sealed(data[:-4].replace(old, new, 1))
    if message is None:  # a change that keeps the summary valid
        assert mc.CohortSummary.from_bytes(changed) == mc.CohortSummary.from_bytes(data)
        return
    with pytest.raises(mc.InvalidValueError, match=message):
        mc.CohortSummary.from_bytes(changed)


def _sealed(body: bytes) -> bytes:
    """`body` with its checksum, as format 2 ends: the CRC-32 of the bytes before it, 4 bytes
    big-endian (what a writer other than mentorcore, or an edit, would do)."""
    return body + zlib.crc32(body).to_bytes(4, "big")


def _header_edited(summary: mc.CohortSummary, edit: Any) -> bytes:
    data = summary.to_bytes()
    assert data[-4:] == zlib.crc32(data[:-4]).to_bytes(4, "big")
    magic, header, archive = data[:-4].split(b"\n", 2)
    fields = json.loads(header)
    edit(fields)
    return _sealed(magic + b"\n" + json.dumps(fields).encode() + b"\n" + archive)


def _arrays_edited(summary: mc.CohortSummary, edit: Any) -> bytes:
    magic, header, archive = summary.to_bytes()[:-4].split(b"\n", 2)
    with np.load(io.BytesIO(archive)) as loaded:
        arrays = {name: loaded[name] for name in loaded.files}
    edit(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return _sealed(magic + b"\n" + header + b"\n" + buffer.getvalue())


def test_headers_later_code_could_not_use_are_refused(courses: list[mc.Course]) -> None:
    summary = mc.Cohort.from_courses(courses[:40]).summary(by=["municipality", "mentor"])
    assert len(summary.groups) > 1 and summary.cells["ratings"]

    def set_(key: str, value: object) -> Any:
        return lambda fields: fields.__setitem__(key, value)

    def cells(table: str, edit: Any) -> Any:
        return lambda fields: fields["cells"].__setitem__(table, edit(fields["cells"][table]))

    groups = [list(key) for key in summary.groups]
    refused = [
        (set_("cells", []), "summary cells = 'list': expected a JSON object"),
        (set_("survival", "x"), "summary survival = 'str': expected a JSON object"),
        (set_("min_count", "5"), "summary min_count = '5'"),
        (set_("min_count", 2**31), "summary min_count = .*expected at most 2,147,483,647"),
        (set_("min_count", True), "summary min_count = True"),
        (set_("iin_count", 5), "summary header = 'iin_count': an unknown entry"),
        (lambda fields: fields.pop("min_count"), "summary header = 'min_count': missing"),
        (lambda fields: fields.pop("as_of"), "summary header = 'as_of': missing"),
        (set_("format", 2.0), "summary format = 2.0: this mentorcore reads format 2"),
        (set_("format", 1), "summary format = 1: .*summarise the cohort again"),
        (set_("as_of", "6025-06-30"), "summary as_of = '6025-06-30': outside the supported"),
        (set_("as_of", "1899-12-31"), "summary as_of = '1899-12-31': outside the supported"),
        (set_("as_of", "20250630"), "summary as_of = '20250630': expected a date written"),
        (set_("as_of", 20250630), "summary as_of = 20250630: expected a date written"),
        (set_("by", "municipality"), "summary by = 'municipality': expected a list of strings"),
        (set_("groups", {}), "summary groups = {}: expected a list of lists"),
        (set_("groups", [[99, k[1]] for k in groups]), "summary group municipality = 99: expected"),
        (set_("groups", groups[::-1]), "summary groups = .*not distinct and in order"),
        (set_("groups", groups[:1] * 2), "summary groups = .*not distinct and in order"),
        (set_("groups", [[str(k[0]), k[1]] for k in groups]), "summary group municipality = "),
        (cells("stages", lambda c: c[::-1]), "summary cells.stages = .*not distinct"),
        (cells("stages", lambda c: [*c, "zz_no_move"]), "summary cells.stages = 'zz_no_move'"),
        (cells("stages", lambda c: [*c, "x:action>action>action"]), "cells.stages = 'x:action>"),
        (cells("ratings", lambda c: c[1:]), "summary cells.ratings = .*lacks some"),
        (cells("ratings", lambda c: [":alerts", *c]), "summary cells.ratings = ':alerts'"),
    ]
    for edit, message in refused:
        with pytest.raises(mc.InvalidValueError, match=message):
            mc.CohortSummary.from_bytes(_header_edited(summary, edit))


def _with_total(summary: mc.CohortSummary, total: mc.CohortSummary) -> bytes:
    crafted = pickle.loads(pickle.dumps(summary))
    crafted.published_total = total
    return pickle.dumps(crafted)


def test_a_pickle_whose_all_courses_row_is_another_summary_is_refused(
    courses: list[mc.Course],
) -> None:
    # Found by adversarial testing: a crafted pickle of a grouped publishable summary whose
    # all-courses row was another summary (other as_of, other grouping, raw counts) loaded, and
    # total() handed that summary out as this one's.
    cohort = mc.Cohort.from_courses(courses[:60])
    published = cohort.summary(as_of=AS_OF, by="provider").publishable(5)
    own = published.total()
    assert pickle.loads(_with_total(published, own)) == published
    other_day = cohort.summary(as_of=datetime.date(2021, 1, 1)).publishable(5)
    refused = [
        (other_day, "summary published_total.as_of = '2021-01-01': expected '2025-06-30'"),
        (cohort.summary(as_of=AS_OF, by="mentor").publishable(5), "published_total.by = "),
        (cohort.summary(as_of=AS_OF).publishable(3), "published_total.min_count = 3: expected 5"),
        (cohort.summary(as_of=AS_OF), "published_total.min_count = 0: expected 5"),
        (
            mc.Cohort.from_courses([]).summary(as_of=AS_OF).publishable(5),
            "published_total.groups = 0: expected 1",
        ),
    ]
    for total, message in refused:
        with pytest.raises(mc.InvalidValueError, match=message):
            pickle.loads(_with_total(published, total))
    # Only a grouped publishable summary has an all-courses row.
    for summary in (cohort.summary(as_of=AS_OF, by="provider"), own):
        with pytest.raises(mc.InvalidValueError, match="summary published_total = 'present'"):
            pickle.loads(_with_total(summary, own))


def test_every_bit_flip_is_refused(courses: list[mc.Course]) -> None:
    # Found by adversarial testing: with no integrity check, one flipped bit in the header was
    # read as another summary (as_of 6025, renamed groups and cells, another min_count, and
    # "iin_count" for "min_count" a summary whose withheld cells read as real zeros).
    published = mc.Cohort.from_courses(courses[:40]).summary(by="start_year").publishable(3)
    data = published.to_bytes()
    header_end = data.index(b"\n", len(b"mentorcore-summary\n"))
    rng = np.random.default_rng(5)
    # Every bit of the header, and bits anywhere else (the archive, the checksum itself).
    flips = [(p, b) for p in range(header_end) for b in range(8)]
    flips += [(int(p), int(rng.integers(8))) for p in rng.choice(len(data), 400, replace=False)]
    for position, bit in flips:
        flipped = bytearray(data)
        flipped[position] ^= 1 << bit
        with pytest.raises(mc.Error, match=r"^summary (checksum|bytes|format) = "):
            mc.CohortSummary.from_bytes(bytes(flipped))
    with pytest.raises(mc.Error, match=r"summary checksum = .*truncated or corrupted"):
        mc.CohortSummary.from_bytes(data[:-1])


def test_the_bytes_end_in_the_crc32_of_the_rest(whole: mc.CohortSummary) -> None:
    data = whole.to_bytes()
    assert data.startswith(b'mentorcore-summary\n{"format": 2, ')
    assert data[-4:] == zlib.crc32(data[:-4]).to_bytes(4, "big")
    assert mc.CohortSummary.from_bytes(_sealed(data[:-4])) == whole


def test_format_1_is_refused_with_the_format_this_version_reads() -> None:
    # The bytes of version 0.1.0's format 1 (no checksum): a summary of no courses, as written.
    header = {
        "format": 1,
        "as_of": "2025-06-30",
        "by": [],
        "groups": [],
        "cells": {"exits": []},
        "survival": {},
        "min_count": 0,
    }
    old = b"mentorcore-summary\n" + json.dumps(header).encode() + b"\nPK\x05\x06" + bytes(18)
    with pytest.raises(mc.InvalidValueError, match="summary format = 1: this mentorcore reads for"):
        mc.CohortSummary.from_bytes(old)


def test_arrays_that_do_not_belong_are_refused(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses[:60])
    raw = cohort.summary(as_of=AS_OF, by="provider")
    published = raw.publishable(5)
    assert published.suppressed is not None and published.suppressed["exits"].any()

    def add(name: str, value: Any) -> Any:
        return lambda arrays: arrays.__setitem__(name, value)

    def reveal(arrays: dict[str, Any]) -> None:
        arrays["count.exits"] = raw.counts["exits"]  # the withheld counts, not 0

    refused = [
        (raw, add("extra", np.zeros(3)), "summary arrays = 'extra': not an array of"),
        (raw, add("suppressed.exits", np.zeros((1, 1), bool)), "arrays = 'suppressed.exits'"),
        (published, reveal, "summary suppressed = 'exits': a withheld cell holds a count"),
        (
            published,
            add("survival.retention", raw.survival_tables["retention"]),
            "summary survival table = 'retention': a publishable summary keeps no per-day",
        ),
    ]
    for summary, edit, message in refused:
        with pytest.raises(mc.InvalidValueError, match=message):
            mc.CohortSummary.from_bytes(_arrays_edited(summary, edit))
    assert mc.CohortSummary.from_bytes(_arrays_edited(published, lambda a: None)) == published


@pytest.mark.parametrize("day", [datetime.date(2201, 1, 1), datetime.date(1899, 12, 31)])
def test_a_summary_is_as_of_a_day_of_the_calendar(
    courses: list[mc.Course], day: datetime.date
) -> None:
    # So that every summary made reads back from its bytes.
    with pytest.raises(mc.OutOfRangeError, match=f"as_of = '{day}': outside the supported"):
        mc.Cohort.from_courses(courses[:5]).summary(as_of=day)
    with pytest.raises(mc.OutOfRangeError, match=f"as_of = '{day}': outside the supported"):
        mc.CohortSummary.empty(day)
    for edge in (datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)):
        summary = mc.Cohort.from_courses(courses[:5]).summary(as_of=edge).publishable(5)
        assert mc.CohortSummary.from_bytes(summary.to_bytes()) == summary


def test_bad_arguments_name_the_field(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses[:20])
    with pytest.raises(mc.Error, match="by = 'citizen'"):
        cohort.summary(by="citizen")
    with pytest.raises(mc.Error, match="by = 'mentor': names a column twice"):
        cohort.summary(by=["mentor", "mentor"])
    with pytest.raises(mc.Error, match="as_of"):
        cohort.summary(as_of="2025-01-01")  # type: ignore[arg-type]
    with pytest.raises(mc.Error, match="as_of = None"):
        mc.Cohort.from_courses([]).summary()


def test_the_default_as_of_is_the_last_date_in_the_cohort(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses[:40])
    span = cohort.date_range
    assert span is not None
    assert cohort.summary() == cohort.summary(as_of=span[1])


def test_grouping_by_every_column(courses: list[mc.Course]) -> None:
    cohort = mc.Cohort.from_courses(courses[:200])
    frame = cohort.frame("courses")
    for column in mc.GROUP_COLUMNS:
        summary = cohort.summary(as_of=AS_OF, by=column)
        assert summary.by == (column,)
        assert summary.courses == int((frame.ordered <= pd.Timestamp(AS_OF)).sum())
        assert list(summary.groups) == sorted(summary.groups, key=lambda k: (k[0] is None, k))
    table = cohort.summary(as_of=AS_OF, by=["provider", "mentor"]).table("exits")
    assert list(table.columns[:4]) == ["provider", "mentor", "courses", "open"]


def test_repr_and_notebook_display(whole: mc.CohortSummary) -> None:
    assert repr(whole).startswith("<CohortSummary as of 2025-06-30, by municipality, start_year: ")
    assert "<table" in whole._repr_html_()


@pytest.mark.parametrize("by", [None, "provider"])
def test_the_repr_of_a_publishable_summary_gives_the_published_course_count_or_withholds_it(
    courses: list[mc.Course], by: str | None
) -> None:
    # Found by adversarial testing: with every course count withheld (stored as 0) the repr
    # said "0 courses"; with some groups' withheld it gave the sum of the others.
    few = mc.Cohort.from_courses(courses[:3]).summary(as_of=AS_OF, by=by).publishable(5)
    assert few.total().table("exits")["courses"].isna().all()
    assert ", course count withheld, publishable (min_count=5)>" in repr(few)
    assert "0 courses" not in repr(few)
    assert "course count withheld" in few._repr_html_()
    with pytest.raises(mc.Error, match="courses = 'withheld'"):
        few.courses  # noqa: B018 (a property that raises)
    raw = mc.Cohort.from_courses(courses[:60]).summary(as_of=AS_OF, by=by)
    many = raw.publishable(5)
    shown = int(many.total().table("exits")["courses"].iloc[0])
    assert shown == raw.courses == many.courses > 5
    assert f", {shown} courses, publishable (min_count=5)>" in repr(many)
    nothing = mc.Cohort.from_courses([]).summary(as_of=AS_OF, by=by).publishable(5)
    assert ", 0 courses, publishable" in repr(nothing)


@pytest.mark.parametrize("outcome", ["time_to_work_or_education", "retention"])
def test_estimates_from_a_merged_summary_are_the_cohorts_bit_for_bit(
    courses: list[mc.Course], whole: mc.CohortSummary, outcome: str
) -> None:
    cohort = mc.Cohort.from_courses(courses)
    halves = [mc.Cohort.from_courses(courses[i::2]).summary(as_of=AS_OF) for i in range(2)]
    merged = halves[0] + halves[1]
    direct = cohort.survival(outcome, as_of=AS_OF)
    estimate = merged.survival(outcome)
    assert not isinstance(estimate, dict) and not isinstance(direct, dict)
    pd.testing.assert_frame_equal(estimate.to_frame(), direct.to_frame(), check_exact=True)
    # Grouped: one estimate per group, keyed as Cohort.survival keys them for one column.
    grouped = cohort.survival(outcome, as_of=AS_OF, by="municipality")
    assert isinstance(grouped, dict)
    by_municipality = cohort.summary(as_of=AS_OF, by="municipality").survival(outcome)
    assert isinstance(by_municipality, dict)
    assert by_municipality.keys() == grouped.keys()
    for key, value in grouped.items():
        pd.testing.assert_frame_equal(
            by_municipality[key].to_frame(), value.to_frame(), check_exact=True
        )
    two = whole.survival(outcome)
    assert isinstance(two, dict)
    assert all(isinstance(key, tuple) and len(key) == 2 for key in two)
    with pytest.raises(mc.Error, match="outcome = 'employment'"):
        whole.survival("employment")
