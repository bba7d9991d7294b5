"""mentorcore.interchange: the event log."""

from __future__ import annotations

import datetime
import gzip
import importlib.util
import io
import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import jsonschema
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc
from conftest import (
    CW,
    MENTOR,
    D,
    build_every_event_type_course,
    build_full_course,
    scales_reference,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
ORDER = (
    '{"schema":"mentorcore/1","course":"K-1","type":"course_ordered","date":"2024-01-08",'
    '"recorded_by":"cw-17","citizen":"P-1","municipality":101,"target_group":"sygedagpenge",'
    '"caseworker":"cw-17"}\n'
)


def lines_of(courses: list[mc.Course]) -> bytes:
    buffer = io.BytesIO()
    mc.write_events(courses, buffer)
    return buffer.getvalue()


def test_every_event_type_round_trips_and_writing_is_deterministic() -> None:
    courses = [build_every_event_type_course(), build_every_event_type_course("K-TWO")]
    assert {e.type for e in courses[0].events} == set(mc.event_types())
    data = lines_of(courses)
    back = mc.read_events(io.BytesIO(data), reference=scales_reference())
    assert back == courses
    assert lines_of(back) == data
    assert lines_of(courses) == data


def test_written_lines_validate_against_the_checked_in_schema() -> None:
    schema = json.loads((ROOT / "docs" / "event-schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for line in lines_of([build_every_event_type_course()]).decode("utf-8").splitlines():
        validator.validate(json.loads(line))
    bad = json.loads(ORDER)
    bad["municipality"] = "101"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


LOGS = pathlib.Path(__file__).parent / "data" / "logs"


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("v0.1.0-full_course.jsonl", lambda: build_full_course(provider=None)),
        ("v0.1.0-every_event_type.jsonl", lambda: build_every_event_type_course(schema=1)),
    ],
)
def test_a_log_written_as_mentorcore_1_reads_unchanged(name: str, build: Any) -> None:
    # Written by version 0.1.0 (data/logs/; never rewrite them): they read with no argument into
    # the courses they held, and write back as mentorcore/2 with nothing else changed but the
    # grants' provider, which they did not record (null).
    old = (LOGS / name).read_bytes()
    assert old.count(b'"schema":"mentorcore/1"') == len(old.splitlines())
    courses = mc.read_events(LOGS / name)
    assert courses == [build()]
    assert all(c.provider_on(c.ordered_on) is None for c in courses)
    assert all(pd.isna(c.grants_frame()["provider"]).all() for c in courses)
    rewritten = lines_of(courses)
    assert (
        rewritten.replace(b'"mentorcore/2"', b'"mentorcore/1"').replace(b',"provider":null', b"")
        == old
    )


def test_a_mentorcore_1_line_cannot_hold_what_mentorcore_2_added() -> None:
    ended = (
        '{"schema":"mentorcore/1","course":"K-1","type":"start_ended","date":"2024-02-01",'
        '"recorded_by":"m","cause":"quit"}\n'
    )
    with pytest.raises(mc.ParseError) as caught:
        mc.read_events(io.BytesIO((ORDER + ended).encode()))
    assert (caught.value.line, caught.value.field) == (2, "type")
    assert "new in mentorcore/2" in str(caught.value)
    # The same line as mentorcore/2 reads, and is checked against the course: no start to end.
    result = mc.read_events(
        io.BytesIO((ORDER + ended.replace("mentorcore/1", "mentorcore/2")).encode()),
        on_error="collect",
    )
    assert "no start in work or education" in result.rejected[0].message


def test_schema_file_and_doc_tables_match_the_code() -> None:
    spec = importlib.util.spec_from_file_location(
        "event_schema_docs", ROOT / "tools" / "event_schema_docs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    schema_text, markdown = module.generated()
    assert (ROOT / "docs" / "event-schema.json").read_text(encoding="utf-8") == schema_text, (
        "run tools/event_schema_docs.py"
    )
    assert (ROOT / "docs" / "event-schema.md").read_text(encoding="utf-8") == markdown, (
        "run tools/event_schema_docs.py"
    )
    assert mc.event_schema() == json.loads(schema_text)


def test_paths_gzip_and_text_files(tmp_path: pathlib.Path) -> None:
    courses = [build_full_course()]
    plain, packed = tmp_path / "events.jsonl", tmp_path / "events.jsonl.gz"
    mc.write_events(courses, plain)
    mc.write_events(courses, packed)
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert mc.read_events(plain) == courses == mc.read_events(packed)
    with open(plain, encoding="utf-8") as text:
        assert mc.read_events(text) == courses
    out = io.StringIO()
    mc.write_events(courses[0], out)
    assert out.getvalue().encode("utf-8") == plain.read_bytes()


def test_errors_name_file_line_and_field(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(
        ORDER
        + ORDER.replace('"course_ordered","date":"2024-01-08"', '"paused","date":"2024-02-30"'),
        encoding="utf-8",
    )
    with pytest.raises(mc.ParseError) as caught:
        mc.read_events(path)
    assert (caught.value.source, caught.value.line, caught.value.field) == (str(path), 2, "date")
    assert str(caught.value) == f'{path}:2: date = "2024-02-30": not a calendar date'
    with pytest.raises(mc.ParseError, match="cannot open the file"):
        mc.read_events(tmp_path / "missing.jsonl")
    with pytest.raises(mc.InvalidValueError, match="on_error"):
        mc.read_events(path, on_error="ignore")


def test_collect_mode() -> None:
    data = (
        ORDER
        + ORDER.replace("K-1", "K-2")
        + '{"schema":"mentorcore/1","course":"K-2","type":"resumed","date":"2024-02-01",'
        '"recorded_by":"m"}\n'
    )
    result = mc.read_events(io.BytesIO(data.encode()), on_error="collect")
    assert [c.id for c in result.courses] == ["K-1"]
    assert result.rejected == [
        mc.RejectedLine(
            3, "K-2", "course K-2, event #1 resumed on 2024-02-01: the course is not paused"
        )
    ]


def test_cpr_is_pseudonymised_and_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    data = ORDER.replace('"citizen":"P-1"', '"cpr":"010190-1234"').encode()
    with pytest.raises(mc.ParseError) as caught:
        mc.read_events(io.BytesIO(data))
    assert "pseudonymisation key" in str(caught.value) and "1234" not in str(caught.value)
    (course,) = mc.read_events(io.BytesIO(data), pseudonym_key="a secret of 16+ bytes")
    assert course.citizen == mc.pseudonymise("0101901234", "a secret of 16+ bytes")
    assert "1234" not in lines_of([course]).decode()
    monkeypatch.setenv("MENTORCORE_PSEUDONYM_KEY", "a secret of 16+ bytes")
    assert mc.read_events(io.BytesIO(data))[0].citizen == course.citizen
    with pytest.raises(mc.ParseError) as invalid_cpr:
        mc.read_events(io.BytesIO(data.replace(b"010190", b"310290")))
    assert "not a CPR number" in str(invalid_cpr.value) and "310290" not in str(invalid_cpr.value)


@pytest.mark.parametrize(
    "key",
    [b"\xff\xfe not UTF-8 but 16+ bytes", "lone surrogate \udcff of 16+ bytes"],
    ids=["bytes", "str"],
)
def test_a_key_that_is_not_utf8_is_an_error_naming_it(key: str | bytes) -> None:
    # Issue #12: a RuntimeError from the binding layer.
    data = ORDER.replace('"citizen":"P-1"', '"cpr":"010190-1234"').encode()
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.read_events(io.BytesIO(data), pseudonym_key=key)
    assert caught.value.field == "pseudonym_key"
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.pseudonymise("0101901234", key)
    assert caught.value.field == "pseudonym_key"
    assert "1234" not in str(caught.value)


def test_a_file_name_that_is_not_utf8_reads_and_writes(tmp_path: pathlib.Path) -> None:
    # Python holds the byte 0xff of such a name as the lone surrogate \udcff; it used to be a
    # TypeError from the binding layer.
    path = tmp_path / "log-\udcff.jsonl"
    course = build_full_course()
    mc.write_events([course], path)
    assert (tmp_path / "log-\udcff.jsonl").exists()
    assert mc.read_events(path) == [course]
    with pytest.raises(mc.ParseError):
        mc.ReferenceData.from_json_file(str(path))


def test_a_cpr_with_a_lone_surrogate_is_an_error_that_does_not_echo_it() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.pseudonymise("010190-1234\ud800", "a secret of 16+ bytes")
    assert caught.value.field == "cpr"
    assert "1234" not in str(caught.value)


def test_validate_command(tmp_path: pathlib.Path) -> None:
    good, bad = tmp_path / "good.jsonl", tmp_path / "bad.jsonl"
    mc.write_events([build_full_course()], good)
    bad.write_text(
        ORDER
        + "{oops\n"
        + ORDER.replace("K-1", "K-2").replace('"municipality":101', '"municipality":1'),
        encoding="utf-8",
    )

    def run(*files: pathlib.Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mentorcore", "validate", *map(str, files)],
            capture_output=True,
            text=True,
        )

    ok = run(good)
    assert (
        ok.returncode == 0 and ok.stdout == "" and "1 courses, 19 events, no problems" in ok.stderr
    )
    failed = run(good, bad)
    assert failed.returncode == 1
    assert failed.stdout.splitlines() == [
        f"{bad}:2: malformed JSON: The JSON document has an improper structure: "
        "missing or superfluous commas, braces, missing keys, etc.; its course cannot be told, "
        "so the courses of the lines around it are left out: K-1 and K-2",
        f"{bad}:3: municipality = 1: a municipality code has three digits, 101-999",
    ]


# ---- property: generated courses round-trip --------------------------------------------------


def _random_action(c: mc.Course, kind: int, day: datetime.date, value: int, seed: int) -> None:
    """Records action `kind` (0-9) on `day`; `value` picks the details."""
    match kind:
        case 0:
            c.change_phase(
                day,
                ["pre_employment", "clarification", "work_trial"][value % 3],
                reason=f"r{value}",
                recorded_by=MENTOR,
            )
        case 1:
            c.log_contact(
                day,
                mentor=MENTOR,
                location=["home", "phone", "workplace"][value % 3],
                planned_minutes=30 + value,
                actual_minutes=30 + value,
                recorded_by=MENTOR,
            )
        case 2:
            c.record_rating(day, "outcome", [value * 0.5, 1, 2, 3], recorded_by=MENTOR)
        case 3:
            c.assess_stage(
                day,
                f"b{value % 2}",
                mc.Stage(value),
                method="clinical_judgement",
                assessor=MENTOR,
                recorded_by=MENTOR,
            )
        case 4:
            c.record_knowledge(
                day,
                f"k{seed}-{len(c.events)}",
                "resource",
                f"tekst {value} æøå",
                data_category="ordinary",
                sharing_basis="necessary_for_task",
                recorded_by=MENTOR,
            )
        case 5:
            c.pause(day, "holiday", recorded_by=MENTOR)
        case 6:
            c.resume(day, recorded_by=MENTOR)
        case 7:
            c.log_success(day, f"success {value}", recorded_by=MENTOR)
        case 8:
            c.count_talk(day, desire=value, recorded_by=MENTOR)
        case 9:
            if value:
                c.close(day, "moved", recorded_by=CW)
            else:
                c.reopen(day, reason="x", recorded_by=CW)
        case _:
            raise AssertionError(f"no action {kind}")


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 9), st.integers(0, 4)), min_size=1, max_size=30
    ),
    seed=st.integers(0, 10_000),
)
def test_generated_courses_round_trip(steps: list[tuple[int, int, int]], seed: int) -> None:
    c = mc.Course.order(
        D(2024, 1, 1),
        recorded_by=CW,
        course=f"K-{seed}",
        citizen=f"P-{seed}",
        municipality=147,
        target_group="sygedagpenge",
        caseworker=CW,
        reference=scales_reference(),
    )
    day = D(2024, 1, 1)
    for shift, kind, value in steps:  # (days forward, which action, a value for it)
        day += datetime.timedelta(days=shift)
        try:
            _random_action(c, kind, day, value, seed)
        except mc.RuleViolationError:
            pass
    data = lines_of([c])
    back = mc.read_events(io.BytesIO(data), reference=scales_reference())
    assert back == [c]
    assert lines_of(back) == data


# ---- issue #12: logs read back as written, whole courses, bounded memory, files --------------


def _validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentorcore", "validate", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("name", ["town.jsonl", "town.jsonl.gz"])
def test_a_synthetic_municipality_reads_back_as_written(tmp_path: pathlib.Path, name: str) -> None:
    courses = mc.synthetic.generate(120, seed=7, threads=2)
    written, generated = tmp_path / name, tmp_path / f"generated-{name}"
    mc.write_events(courses, written)
    summary = mc.synthetic.write(generated, 120, seed=7, threads=2)

    # The same text either way (synthetic.write compresses in blocks, gzip members), and both
    # start with the header that declares the scales.
    def text_of(path: pathlib.Path) -> bytes:
        return gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()

    text = text_of(written)
    assert text == text_of(generated)
    assert summary.bytes == generated.stat().st_size
    header = json.loads(text.split(b"\n", 1)[0])
    assert (header["schema"], header["type"]) == ("mentorcore/2", "header")
    assert {i["name"] for i in header["reference"]["instruments"]} == {
        "outcome_scale",
        "session_scale",
    }
    for path in (written, generated):
        assert mc.read_events(path) == courses
        assert mc.read_events(path, reference=mc.synthetic.reference()) == courses
        result = _validate(str(path))
        assert (result.returncode, result.stdout) == (0, ""), result.stdout
        assert f"120 courses, {sum(len(c.events) for c in courses)} events" in result.stderr
    with open(written, "rb") as stream:
        assert mc.read_events(stream) == courses


def test_the_header_validates_against_the_schema_and_plain_logs_have_none() -> None:
    validator = jsonschema.Draft202012Validator(mc.event_schema())
    data = lines_of([build_every_event_type_course()]).decode("utf-8")
    header = json.loads(data.splitlines()[0])
    assert header["type"] == "header"
    validator.validate(header)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**header, "extra": 1})
    # Courses on the built-in reference data: no header, the bytes as before, written as
    # mentorcore/2 (ORDER, the input these tests read, says mentorcore/1).
    written = ORDER[:40].replace('"mentorcore/1"', '"mentorcore/2"')
    assert lines_of([build_full_course()]).startswith(written.encode())


def test_the_same_course_twice_is_refused_before_writing(tmp_path: pathlib.Path) -> None:
    course = build_full_course()
    target = tmp_path / "twice.jsonl"
    with pytest.raises(mc.InvalidValueError, match="appears twice") as caught:
        mc.write_events([course, course], target)
    assert caught.value.field == "courses"
    assert not target.exists() and list(tmp_path.iterdir()) == []
    buffer = io.BytesIO()
    with pytest.raises(mc.InvalidValueError):
        mc.write_events([course, course], buffer)
    assert buffer.getvalue() == b""


_K2 = ORDER.replace("K-1", "K-2")
_PHASE = (
    '{"schema":"mentorcore/1","course":"K-1","type":"phase_changed","date":"2024-02-01",'
    '"recorded_by":"m","to":"clarification","reason":"x"}\n'
)


@pytest.mark.parametrize(
    "number", ["060", "NaN", "Infinity", "1e400", "123456789012345678901234567890", "0x3c"]
)
def test_collect_mode_leaves_out_the_course_of_a_line_that_is_not_json(number: str) -> None:
    bad = _PHASE.replace('"reason":"x"', f'"reason":"x","n":{number}')
    data = (ORDER + _K2 + bad + _PHASE.replace("2024-02-01", "2024-03-01")).encode()
    result = mc.read_events(io.BytesIO(data), on_error="collect")
    assert [c.id for c in result.courses] == ["K-2"]
    assert [(r.line, r.course) for r in result.rejected] == [(3, "K-1"), (4, "K-1")]
    message = result.rejected[0].message
    if number in ("1e400", "123456789012345678901234567890"):
        # Valid JSON that no 64-bit integer or double holds: the key is named, the digits not.
        assert message.startswith("n = ") and "a number out of range" in message
        assert "12345678901" not in message
    else:
        assert message.startswith("malformed JSON")


def test_collect_mode_says_when_a_line_names_no_course(tmp_path: pathlib.Path) -> None:
    data = (ORDER + "{oops\n" + _K2).encode()
    result = mc.read_events(io.BytesIO(data), on_error="collect")
    assert result.courses == []
    rejected, later = result.rejected
    assert later == mc.RejectedLine(3, "K-2", "course K-2 was rejected at line 2")
    assert rejected.course == ""
    assert rejected.message.endswith(
        "its course cannot be told, so the courses of the lines around it are left out: K-1 and K-2"
    )
    path = tmp_path / "oops.jsonl"
    path.write_bytes(data)
    assert _validate(str(path)).stdout.count(f"{path}:2: malformed JSON") == 1


def test_a_log_being_appended_to_never_gives_a_course_missing_an_event(
    tmp_path: pathlib.Path,
) -> None:
    courses = [build_full_course(), build_every_event_type_course()]
    data = lines_of(courses)
    by_id = {c.id: c for c in courses}
    ends = [i for i, byte in enumerate(data) if byte == ord("\n")]
    path = tmp_path / "growing.jsonl"
    # Every cut inside one of the last lines of each course: the course being written is left
    # out, whatever part of its line has arrived, and every course read is whole so far.
    for end in ends[-4:] + ends[17:19]:
        start = data.rfind(b"\n", 0, end) + 1
        for cut in range(start + 1, end):
            path.write_bytes(data[:cut])
            result = mc.read_events(path, on_error="collect")
            assert result.rejected and "cut short" in result.rejected[-1].message
            for course in result.courses:
                full = by_id[course.id].events
                assert course.events == full[: len(course.events)]
                assert data[start:cut].find(f'"course":"{course.id}"'.encode()) == -1


def test_hostile_inputs_give_a_clean_error_in_bounded_memory(tmp_path: pathlib.Path) -> None:
    # 256 MB of line ends in 256 concatenated gzip members (about 250 kB), and a gzip "bomb" of
    # zero bytes: both are read a piece at a time. The peak memory of a fresh process reading
    # them is checked loosely (the reader used to hold the whole text and 8 bytes per line).
    newlines, zeros = tmp_path / "newlines.jsonl.gz", tmp_path / "zeros.jsonl.gz"
    newlines.write_bytes(gzip.compress(b"\n" * (1 << 20)) * 256)
    zeros.write_bytes(gzip.compress(b"\0" * (64 << 20)))
    script = (
        "import resource, sys, mentorcore as mc\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "assert mc.read_events(sys.argv[1]) == []\n"
        "try:\n"
        "    mc.read_events(sys.argv[2])\n"
        "except mc.ParseError as e:\n"
        "    print(e)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print((after - before) // 1024)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(newlines), str(zeros)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    message, grown_mb = run.stdout.splitlines()
    assert message.startswith(f"{zeros}:1: the line is longer than {8 << 20} bytes")
    assert int(grown_mb) < 200
    # Plain files of zero bytes or of zeros: a clean error naming the file and the line.
    for content in (b"\0" * (8 << 20), b"0" * (8 << 20)):
        path = tmp_path / "eight-mb.jsonl"
        path.write_bytes(content)
        with pytest.raises(mc.ParseError, match=r"eight-mb.jsonl:1: malformed JSON"):
            mc.read_events(path)
    result = _validate(str(zeros))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{zeros}:1: the line is longer than {8 << 20} bytes, the most an event-log line may "
        "have (is this an event log?)"
    ]


def test_pipes_devices_and_proc_files(tmp_path: pathlib.Path) -> None:
    courses = [build_full_course()]
    path = tmp_path / "log.jsonl"
    mc.write_events(courses, path)
    # Process substitution gives a pipe (/dev/fd/N): it reads like the file.
    bash = subprocess.run(
        ["bash", "-c", f'"{sys.executable}" -m mentorcore validate <(gzip -c "{path}")'],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bash.returncode == 0 and "1 courses, 19 events, no problems" in bash.stderr
    read, write = os.pipe()
    with os.fdopen(write, "wb") as sink:
        sink.write(path.read_bytes())
    assert mc.read_events(f"/dev/fd/{read}") == courses
    os.close(read)
    # Not empty logs: /dev/zero is an endless line; /proc files have content but report size 0.
    with pytest.raises(mc.ParseError, match="/dev/zero:1: the line is longer than"):
        mc.read_events("/dev/zero")
    with pytest.raises(mc.ParseError, match="/proc/self/status:1: malformed JSON"):
        mc.read_events("/proc/self/status")
    # The same endless line as an open stream: read a chunk at a time and stopped at the limit,
    # where one read() would never return.
    with open("/dev/zero", "rb") as endless:
        with pytest.raises(mc.ParseError, match="/dev/zero:1: the line is longer than"):
            mc.read_events(endless)
    two_lines_then_endless = io.BytesIO(b"\n\n" + b"x" * (mc._core.MAX_EVENT_LINE_BYTES + 1))
    with pytest.raises(mc.ParseError, match="<stream>:3: the line is longer than"):
        mc.read_events(two_lines_then_endless)
    with pytest.raises(mc.ParseError, match="cannot read the file: Is a directory"):
        mc.read_events(tmp_path)
    with pytest.raises(mc.ParseError, match="cannot open the file: No such file or directory"):
        mc.read_events(tmp_path / "missing.jsonl")


def test_two_threads_writing_one_path_each_write_their_own_file(tmp_path: pathlib.Path) -> None:
    import threading

    target = tmp_path / "shared.jsonl"
    summaries: dict[int, mc.synthetic.LogSummary] = {}
    errors: list[BaseException] = []

    def write(seed: int, n: int) -> None:
        try:
            summaries[seed] = mc.synthetic.write(target, n, seed=seed, threads=1)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    for _ in range(3):
        threads = [
            threading.Thread(target=write, args=(1, 300)),
            threading.Thread(target=write, args=(2, 500)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        # The file is one call's whole output, and that call's summary is true of it.
        courses = mc.read_events(target)
        seed = 1 if len(courses) == 300 else 2
        assert courses == mc.synthetic.generate(len(courses), seed=seed)
        summary = summaries[seed]
        assert (summary.courses, summary.bytes) == (len(courses), target.stat().st_size)
        assert summary.events == sum(len(c.events) for c in courses)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.jsonl"]
