"""mentorcore.synthetic: the synthetic municipality, and `python -m mentorcore generate/demo`."""

from __future__ import annotations

import datetime
import gzip
import io
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc
from mentorcore.__main__ import main

# The realised rates of seed 1 (5,000 courses) must stay inside these bounds. They are the
# calibration targets of docs/synthetic.md; a change to the generator that moves a rate out of
# its band must update the page (and these bounds) on purpose.
RATE_BOUNDS: dict[str, tuple[float, float]] = {
    "courses.open_at_observation": (0.10, 0.25),
    "closure.job": (0.09, 0.17),
    "closure.flex_job": (0.03, 0.08),
    "closure.education": (0.08, 0.15),
    "closure.other_measure": (0.13, 0.24),
    "closure.dropped_out": (0.11, 0.21),
    "closure.grant_expired": (0.10, 0.19),
    "closure.deceased": (0.0, 0.015),
    "course.longer_than_6_months": (0.40, 0.70),
    "course.started_work_or_education": (0.25, 0.45),
    "phase.skipped_pre_employment": (0.10, 0.25),
    "phase.back_from_work_trial": (0.07, 0.20),
    "course.paused": (0.08, 0.20),
    "grant.extended": (0.40, 0.65),
    "contacts.per_started_course": (35, 55),
    "contacts.attended": (0.75, 0.88),
    "contacts.no_show": (0.04, 0.10),
    "contacts.cancelled_by_citizen_late": (0.015, 0.04),
    "home_visits.months_0_2": (0.30, 0.50),
    "home_visits.months_6_on": (0.02, 0.12),
    "steps.done_alone.months_0_2": (0.12, 0.32),
    "steps.done_alone.months_6_on": (0.50, 0.80),
    "stage.relapses_per_reassessment": (0.06, 0.14),
    "ratings.session_below_cutoff": (0.04, 0.14),
    "course.mentor_changed": (0.15, 0.30),
    "handover.warm": (0.20, 0.30),
    "handover.unplanned": (0.11, 0.19),
    "handover.rejected": (0.03, 0.07),
    "handover.revoked": (0.015, 0.045),
    "handover.acknowledged_after_10_days": (0.12, 0.22),
    "handover.with_items_withheld": (0.08, 0.20),
    "handover_items.withheld": (0.10, 0.25),
    "handover_items.dropped.warm": (0.02, 0.09),
    "handover_items.dropped.unplanned": (0.40, 0.60),
    "handover.warm_between_mentors.first_contact_within_3_days": (0.85, 1.0),
    "start.ended_while_open": (0.18, 0.35),
    "start.ended_after_closure": (0.25, 0.45),
    "start.education_dropped": (0.20, 0.45),
    "start.education_completed": (0.04, 0.16),
    "start.retained_12_months": (0.40, 0.65),
    "followup.closed_with_status": (0.93, 1.0),
    "followup.from_register": (0.80, 0.95),
    "followup.in_work_or_education_12_months": (0.25, 0.45),
}


@pytest.fixture(scope="module")
def municipality() -> list[mc.Course]:
    return mc.synthetic.generate(5000, seed=1)


def test_realised_rates_stay_within_the_documented_bounds(municipality: list[mc.Course]) -> None:
    rates = mc.synthetic.rates(municipality).set_index("measure")
    assert list(mc.synthetic.rates(municipality[:10]).columns) == [
        "measure",
        "numerator",
        "denominator",
        "rate",
    ]
    outside = {
        measure: round(float(rates.at[measure, "rate"]), 4)
        for measure, (low, high) in RATE_BOUNDS.items()
        if not low <= rates.at[measure, "rate"] <= high
    }
    assert outside == {}


def test_municipalities_differ_by_their_stated_effects(municipality: list[mc.Course]) -> None:
    # docs/synthetic.md, "Effects": Aarhus (751) is job-first, intensive and hands over warmly;
    # København (101) is less job-oriented and Odense (461) rarely hands over warmly.
    import pandas as pd

    by_code: dict[int, list[mc.Course]] = {}
    for course in municipality:
        by_code.setdefault(course.municipality, []).append(course)
    frame = pd.concat(
        mc.synthetic.rates(courses).assign(municipality=code) for code, courses in by_code.items()
    ).pivot(index="measure", columns="municipality", values="rate")
    assert frame.at["closure.job", 751] > frame.at["closure.job", 101] + 0.02
    assert frame.at["handover.warm", 751] > frame.at["handover.warm", 461] + 0.05
    assert (
        frame.at["contacts.per_started_course", 751]
        > frame.at["contacts.per_started_course", 561] * 1.1
    )
    # The rates add up: numerators and denominators of the parts sum to the whole's.
    parts = pd.concat(mc.synthetic.rates(courses) for courses in by_code.values())
    whole = mc.synthetic.rates(municipality).set_index("measure")
    summed = parts.groupby("measure")[["numerator", "denominator"]].sum()
    assert (summed["denominator"] - whole["denominator"]).abs().max() < 1e-6


def test_an_analyst_sees_providers_retention_statuses_and_grants_that_stop_at_closure(
    municipality: list[mc.Course],
) -> None:
    # Per-course frames cost about a millisecond each: parts of the municipality keep this fast.
    import pandas as pd

    closed = [course for course in municipality[:600] if course.closed_on is not None]
    grants = pd.concat((course.grants_frame() for course in closed), ignore_index=True)
    closed_on = pd.Series({c.id: pd.Timestamp(c.closed_on) for c in closed}, name="closed_on")
    grants = grants.join(closed_on, on="course")
    assert (grants["counted_to"].isna() | (grants["counted_to"] <= grants["closed_on"])).all()
    assert (grants["hours_granted"] <= grants["hours_planned"] + 1e-9).all()
    assert grants["provider"].str.fullmatch(r"lev-\d{3}-[123]").all()

    # Providers: the job-first provider 2 ends more courses in a job than the usual 1, and 1 more
    # than the light-touch 3.
    started_and_closed = [
        c for c in municipality if c.closed_on is not None and c.course_started_on is not None
    ]
    ended = pd.DataFrame(
        {
            "provider": [c.provider_on(c.course_started_on)[-1] for c in started_and_closed],
            "job": [c.closure_reason.name == "job" for c in started_and_closed],
        }
    )
    by_provider = ended.groupby("provider")["job"].mean()
    assert by_provider["2"] > by_provider["1"] > by_provider["3"]

    # Retention 12 months after the start, over the starts observed that long.
    starts = pd.concat(
        course.starts_frame().assign(seen_to=pd.Timestamp(course.events[-1].date))
        for course in municipality[:2500]
        if course.first_job_or_education_start is not None
    ).reset_index(drop=True)
    starts["year_on"] = starts["start"] + pd.DateOffset(months=12)
    observed = starts[starts["seen_to"] >= starts["year_on"]]
    retained = (
        observed["superseded"] | observed["end"].isna() | (observed["end"] >= observed["year_on"])
    )
    assert len(observed) > 250 and 0.4 < retained.mean() < 0.65
    dropped = starts[starts["cause"] == "education_dropped"]
    assert len(dropped) > 25 and (dropped["start_type"] == "education").all()

    # The Jobindsats-style status 12 months after closure, mostly from the registers.
    statuses = pd.concat(course.statuses_frame() for course in closed)
    at_12_months = statuses[statuses["days_after_closure"] >= 330]
    assert len(at_12_months) > 150
    assert (at_12_months["source"] == "register").mean() > 0.8
    assert set(at_12_months["status"]) == {
        "in_work",
        "in_education",
        "on_benefit",
        "self_supporting",
        "other",
    }


def test_every_event_type_appears_and_courses_are_censored(municipality: list[mc.Course]) -> None:
    types = {event.type for course in municipality for event in course.events}
    assert types == set(mc.event_types())
    assert any(course.closed_on is None for course in municipality)
    assert all(course.events[-1].date <= datetime.date(2025, 12, 31) for course in municipality)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**64 - 1))
def test_every_course_replays_and_round_trips_through_the_event_log(seed: int) -> None:
    courses = mc.synthetic.generate(40, seed=seed, threads=2)
    reference = mc.synthetic.reference()
    for course in courses:
        assert mc.Course.replay(course.events, reference) == course
    buffer = io.BytesIO()
    mc.write_events(courses, buffer)
    back = mc.read_events(io.BytesIO(buffer.getvalue()), reference=reference)
    assert back == courses
    again = io.BytesIO()
    mc.write_events(back, again)
    assert again.getvalue() == buffer.getvalue()


def test_same_seed_same_courses_and_bytes_whatever_the_threads(tmp_path: Path) -> None:
    one = mc.synthetic.generate(700, seed=42, threads=1)
    assert one == mc.synthetic.generate(700, seed=42, threads=2)
    assert one != mc.synthetic.generate(700, seed=43, threads=1)
    for name in ["a.jsonl", "a.jsonl.gz"]:
        first = mc.synthetic.write(tmp_path / f"1-{name}", 700, seed=42, threads=1)
        second = mc.synthetic.write(tmp_path / f"2-{name}", 700, seed=42, threads=3)
        assert first == second
        assert first.courses == 700
        assert first.bytes == (tmp_path / f"1-{name}").stat().st_size
        assert (tmp_path / f"1-{name}").read_bytes() == (tmp_path / f"2-{name}").read_bytes()
        assert mc.read_events(tmp_path / f"1-{name}", reference=mc.synthetic.reference()) == one
    plain = (tmp_path / "1-a.jsonl").read_bytes()
    assert gzip.decompress((tmp_path / "1-a.jsonl.gz").read_bytes()) == plain


def test_options_shape_the_municipality() -> None:
    courses = mc.synthetic.generate(
        300,
        seed=5,
        first_order=datetime.date(2023, 1, 1),
        last_order=datetime.date(2023, 6, 30),
        observation=datetime.date(2023, 12, 31),
        municipalities=[147, 157],
    )
    assert {course.municipality for course in courses} == {147, 157}
    assert all(
        datetime.date(2023, 1, 1) <= course.ordered_on <= datetime.date(2023, 6, 30)
        for course in courses
    )
    assert max(course.events[-1].date for course in courses) <= datetime.date(2023, 12, 31)
    assert (
        sum(course.closed_on is None for course in courses) > 50
    )  # censored at the observation date


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n_courses": 0}, "n_courses"),
        ({"n_courses": 2.5}, "n_courses"),
        ({"n_courses": True}, "n_courses"),
        ({"seed": -1}, "seed"),
        ({"seed": "1"}, "seed"),
        ({"first_order": "2022-01-01"}, "first_order"),
        ({"first_order": datetime.date(2019, 1, 1)}, "first_order"),
        ({"last_order": datetime.datetime(2025, 1, 1)}, "last_order"),
        ({"observation": datetime.date(2020, 1, 1)}, "observation"),
        ({"municipalities": [100]}, "municipalities[0]"),
        ({"municipalities": []}, "municipalities"),
        ({"municipalities": "101"}, "municipalities"),
        ({"threads": -1}, "threads"),
    ],
)
def test_bad_options_name_the_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"n_courses": 10, "seed": 1, **kwargs}
    with pytest.raises(mc.Error) as raised:
        mc.synthetic.generate(**arguments)  # type: ignore[arg-type]
    assert str(raised.value).startswith(field + " = ")


def test_write_reports_progress_and_leaves_nothing_when_interrupted(tmp_path: Path) -> None:
    seen: list[int] = []
    summary = mc.synthetic.write(tmp_path / "ok.jsonl", 1500, seed=2, progress=seen.append)
    assert seen[-1] == summary.courses == 1500
    assert seen == sorted(seen)

    def fail(done: int) -> None:
        raise KeyboardInterrupt

    target = tmp_path / "stopped.jsonl"
    with pytest.raises(KeyboardInterrupt):
        mc.synthetic.write(target, 3000, seed=2, progress=fail)
    assert list(tmp_path.iterdir()) == [tmp_path / "ok.jsonl"]
    with pytest.raises(mc.Error, match="progress"):
        mc.synthetic.write(target, 10, progress=42)  # type: ignore[arg-type]


def test_rates_validate_their_input() -> None:
    with pytest.raises(mc.Error, match=r"courses\[1\]"):
        mc.synthetic.rates([mc.synthetic.generate(1)[0], "x"])  # type: ignore[list-item]
    empty = mc.synthetic.rates([])
    assert empty["denominator"].eq(0).all() and empty["rate"].isna().all()
    assert not math.isnan(
        mc.synthetic.rates(mc.synthetic.generate(50))
        .set_index("measure")
        .at["courses.closed", "rate"]
    )


def test_generate_command_writes_a_valid_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "events.jsonl.gz"
    assert (
        main(
            [
                "generate",
                "--courses",
                "300",
                "--seed",
                "9",
                "-o",
                str(target),
                "--municipality",
                "461",
            ]
        )
        == 0
    )
    assert "300 courses" in capsys.readouterr().out
    courses = mc.read_events(target, reference=mc.synthetic.reference())
    assert len(courses) == 300 and {course.municipality for course in courses} == {461}
    assert main(["validate", "--synthetic", str(target)]) == 0
    # The log's header declares the rating scales: no option is needed to read it.
    assert main(["validate", str(target)]) == 0


def test_generate_help_explains_every_option() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore", "generate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in [
        "--courses",
        "--seed",
        "--first-order",
        "--last-order",
        "--observation",
        "--municipality",
        "--threads",
        "--output",
        "censored",
        ".gz",
    ]:
        assert option in result.stdout


def test_demo_writes_the_log_and_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.html"
    arguments = ["demo", "--courses", "400", "--output", str(tmp_path / "demo.jsonl")]
    assert main([*arguments, "--report", str(report), "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "Read back into a cohort" in out and "400 courses" in out
    assert "municipality 461" in out
    assert "headline KPIs (small counts withheld)" in out
    assert "lev-461-1" in out and "lev-461-2" in out  # Odense's two providers, a column each
    assert "closed to an ordinary job" in out and "handovers acknowledged" in out
    assert f"The report: {report}" in out
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_demo_of_a_few_courses_withholds_their_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every provider's course count is below the threshold: printed as "-", not a traceback.
    arguments = ["demo", "--courses", "3", "--threads", "1", "--output", str(tmp_path / "d.jsonl")]
    assert main([*arguments, "--report", str(tmp_path / "r.html")]) == 0
    courses_line = next(
        line for line in capsys.readouterr().out.splitlines() if line.startswith("courses ")
    )
    assert set(courses_line.split()[1:]) == {"-"}
