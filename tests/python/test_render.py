"""repr and _repr_html_ of a course, against golden files."""

from __future__ import annotations

import pathlib

from conftest import D, build_full_course

GOLDEN = pathlib.Path(__file__).parent / "golden"


def _check(name: str, text: str) -> None:
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    assert text == expected.rstrip("\n")


def test_repr_is_a_compact_timeline() -> None:
    _check("course_repr.txt", repr(build_full_course()))


def test_html_is_a_timeline_table() -> None:
    _check("course.html", build_full_course()._repr_html_())


def test_paused_course_says_so() -> None:
    course = build_full_course().as_of(D(2024, 2, 25))
    assert repr(course).endswith("[paused]; 5 contacts (4 attended), 1 grants, 9 events>")
    assert "now <b>pre_employment (paused)</b>" in course._repr_html_()


def test_html_shows_stages_and_latest_ratings() -> None:
    import mentorcore as mc

    reference = mc.ReferenceData.builtin().with_instruments(
        [mc.Instrument("session", items=[(0, 10)] * 4)]
    )
    course = mc.Course.replay(build_full_course().events[:3], reference)
    course.assess_stage(
        D(2024, 1, 15),
        "looks_for_work",
        "contemplation",
        method="clinical_judgement",
        assessor="mentor-4",
        recorded_by="mentor-4",
    )
    course.record_rating(D(2024, 1, 15), "session", [9, 9, 9, 8], recorded_by="mentor-4")
    html = course._repr_html_()
    assert "<p>stages: looks_for_work: contemplation since 2024-01-15</p>" in html
    assert "<p>latest ratings: session 35 (2024-01-15)</p>" in html
