"""No CPR-shaped number in any output (issue 12, point 4), and one length limit for every text.

CPR numbers are planted (with and without a dash, with spaces, with a no-break space, as the
nine digits of a leading-zero date, as integers) in every field of every event type, and every
output is searched: errors, reprs, str, HTML, Markdown, frames, written logs, pickles, what
reading back gives, and the command line. Every planted number ends in 5678, which nothing else
in these courses holds, so finding "5678" anywhere is a leak.
"""

from __future__ import annotations

import datetime
import io
import json
import pickle
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mentorcore as mc
from conftest import CW, MENTOR, build_every_event_type_course, scales_reference
from mentorcore.__main__ import main
from mentorcore._core import redact_personal_numbers

D = datetime.date
LEAK = "5678"
LEAK_FULLWIDTH = "\uff15\uff16\uff17\uff18"  # 5678 in fullwidth digits
LEAK_ARABIC = "\u0665\u0666\u0667\u0668"  # 5678 in Arabic-Indic digits
LEAK_PERSIAN = "\u06f5\u06f6\u06f7\u06f8"  # 5678 in Extended Arabic-Indic digits
LEAKS = (LEAK, LEAK_FULLWIDTH, LEAK_ARABIC, LEAK_PERSIAN)
MARKER = "[redacted: possible CPR number]"
TEXT_FORMS = [
    "0101905678",
    "010190-5678",
    "010190 5678",
    "01 01 90 56 78",
    "0101 90 5678",
    "010190\u00a05678",
    "101905678",
    "10190-5678",
    # What word processors and mail programs make of a typed number: en dash, minus sign, the
    # invisible soft hyphen and zero-width space; and separators typed by hand.
    "010190\u20135678",
    "010190 \u2212 5678",
    "01019\u00ad05678",
    "010190\u200b5678",
    "010190/5678",
    "010190:5678",
    # Control characters, which a terminal drops, showing the digits joined.
    "010190\n5678",
    "010190\r\n5678",
    "010190\x1f5678",
    "010190\u20285678",
    # Any ASCII punctuation joins; ids may hold ':' and '.'.
    "01:01:90:56:78",
    "0101:90:5678",
    "01.01.90:5678",
    # Any Unicode space, dash or punctuation, runs of up to five, fullwidth digits, and day and
    # month without their leading zeros.
    "010190\u30005678",
    "010190\u2e3a5678",
    "010190 --- 5678",
    "010190\u00a0\u00a0\u00a0\u00a05678",
    "\uff10\uff11\uff10\uff11\uff19\uff10-\uff15\uff16\uff17\uff18",
    "1-1-90-5678",
    "1.1.90-5678",
    # The digits of other scripts, and separators percent-encoded as in a URL.
    "\u0660\u0661\u0660\u0661\u0669\u0660-\u0665\u0666\u0667\u0668",
    "\u06f0\u06f1\u06f0\u06f1\u06f9\u06f0\u06f5\u06f6\u06f7\u06f8",
    "010190%2D5678",
    "01%2F01%2F90-5678",
]
INT_FORMS = [101905678, 1012905678, 3112995678]


def _clean(text: object, where: str) -> None:
    for leak in LEAKS:
        assert leak not in str(text), f"a planted CPR number reached {where}: {str(text)[:300]!r}"


def _order(**planted: Any) -> mc.Course:
    """Course.order with valid arguments but for `planted`: the value under test in one of them."""
    arguments: dict[str, Any] = {
        "recorded_by": CW,
        "course": "K-1",
        "citizen": "P-1",
        "municipality": 101,
        "target_group": "sygedagpenge",
        "caseworker": CW,
    }
    return mc.Course.order(D(2024, 1, 8), **{**arguments, **planted})


def _error_clean(error: BaseException, where: str) -> None:
    _clean(str(error), where)
    for attribute in ("field", "value", "reason", "source", "course", "rule"):
        _clean(getattr(error, attribute, ""), f"{where} .{attribute}")


def _outputs(course: mc.Course) -> Iterator[tuple[str, object]]:
    """Every face of a course and of everything it holds."""
    yield "Course repr", repr(course)
    yield "Course str", str(course)
    yield "Course html", course._repr_html_()
    for event in course.events:
        yield "Event repr", repr(event)
        yield "Event str", str(event)
        yield "Event html", event._repr_html_()
        yield "Event.to_dict", repr(event.to_dict())
        yield "Event pickle", pickle.dumps(event)
    for name in dir(course):
        if name.endswith("_frame"):
            frame = getattr(course, name)()
            yield f"Course.{name}", frame.to_csv()
    yield (
        "knowledge_frame(include_retired=True)",
        course.knowledge_frame(include_retired=True).to_csv(),
    )
    yield "handovers_frame", mc.handovers_frame([course]).to_csv()
    for handover in course.handovers:
        yield "Handover repr", repr(handover)
        yield "Handover str", str(handover)
        yield "Handover html", handover._repr_html_()
        yield "Handover Markdown", handover.to_markdown()
    yield "successes", repr(course.successes())
    yield "milestones", repr(course.milestones())
    yield "stage_trajectories", repr(course.stage_trajectories())
    yield "warnings", repr(course.warnings(D(2024, 12, 1)))
    yield "alerts", repr(course.alerts(D(2024, 12, 1)))
    yield "Course pickle", pickle.dumps(course)
    buffer = io.BytesIO()
    mc.write_events(course, buffer)
    yield "written log", buffer.getvalue()
    back = mc.read_events(
        io.BytesIO(buffer.getvalue()), reference=course.reference, on_error="collect"
    )
    yield "ReadResult repr", repr(back)
    yield "ReadResult str", str(back)
    yield "ReadResult html", back._repr_html_()
    yield "read back", repr([e.to_dict() for c in back.courses for e in c.events])


def _planted_values(value: object, form: object) -> Iterator[object]:
    """`value` with a CPR-shaped number in it, every way the field's type allows."""
    if isinstance(value, bool):
        return
    if isinstance(value, str):
        yield f"{value} cpr {form}"
        yield str(form)
    elif isinstance(value, (int, float)):
        yield from INT_FORMS
    elif isinstance(value, list):
        for index, item in enumerate(value):
            for planted in _planted_values(item, form):
                yield [*value[:index], planted, *value[index + 1 :]]
    elif isinstance(value, dict):
        for key, item in value.items():
            for planted in _planted_values(item, form):
                yield {**value, key: planted}


def test_a_cpr_number_planted_in_any_field_reaches_no_output() -> None:
    original = build_every_event_type_course()
    events = original.events
    reference = scales_reference()
    accepted = refused = 0
    redacted_fields: set[tuple[str, str]] = set()
    for index, event in enumerate(events):
        as_dict = event.to_dict()
        for field, value in as_dict.items():
            if field in ("type", "date"):
                continue
            form = TEXT_FORMS[(index + len(field)) % len(TEXT_FORMS)]
            for planted in _planted_values(value, form):
                where = f"{event.type}.{field} = {planted!r}"
                try:
                    changed = mc.Event.from_dict({**as_dict, field: planted})
                    _clean(repr(changed), where + " (Event repr)")
                    _clean(str(changed), where + " (Event str)")
                    _clean(changed._repr_html_(), where + " (Event html)")
                    course = mc.Course.replay(
                        [*events[:index], changed, *events[index + 1 :]], reference
                    )
                except mc.Error as error:  # refused: an id, a code, a number out of range
                    _error_clean(error, where + " (error)")
                    refused += 1
                    continue
                accepted += 1
                if MARKER in repr(changed.to_dict()):
                    redacted_fields.add((event.type, field))
                if isinstance(value, (int, float)):
                    # A number in a numeric field that the course accepts (a score, a count)
                    # is data, not text: only the faces above are redacted for it.
                    continue
                for face, text in _outputs(course):
                    if isinstance(text, bytes):
                        for leak in LEAKS:
                            assert leak.encode() not in text, f"{where}: {face}"
                    else:
                        _clean(text, f"{where}: {face}")
    # The planting reached every text field (30 of them, in lists and records too), and each
    # was accepted with the number replaced.
    assert len(redacted_fields) >= 27, sorted(redacted_fields)
    assert accepted > 60
    assert refused > 20


def test_a_cpr_number_in_the_python_api_arguments_reaches_no_error() -> None:
    padded = "x" * 70 + "0101905678"
    calls: list[Any] = [
        lambda: mc.calendar.holidays([2024, padded]),  # type: ignore[list-item]
        lambda: mc.calendar.holidays(101905678),
        lambda: _order(course=[1, 2, padded]),
        lambda: _order(citizen="0101905678", municipality=101905678),
        lambda: _order(target_group="x" * 40 + "010190-5678"),
        lambda: mc.pseudonymise(101905678, "a municipality's secret key"),  # type: ignore[arg-type]
        lambda: mc.pseudonymise("0101905678x", "a municipality's secret key"),
        lambda: mc.read_events(io.BytesIO(b"not json\n"), on_error="raise"),
    ]
    for call in calls:
        with pytest.raises(mc.Error) as caught:
            call()
        _error_clean(caught.value, repr(call))


def test_pseudonymise_withholds_a_cpr_given_as_an_integer() -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.pseudonymise(101905678, "a municipality's secret key")  # type: ignore[arg-type]
    assert caught.value.field == "cpr"
    assert "5678" not in caught.value.value
    assert "expected a str, got int" in str(caught.value)


def test_a_cpr_number_in_a_stream_name_or_a_path_is_redacted(tmp_path: Path) -> None:
    stream = io.BytesIO(b"not json\n")
    stream.name = "/data/010190-5678.jsonl"
    with pytest.raises(mc.ParseError) as caught:
        mc.read_events(stream)
    assert caught.value.source == f"/data/{MARKER}.jsonl"
    _error_clean(caught.value, "stream name")
    with pytest.raises(mc.ParseError) as missing:
        mc.read_events(str(tmp_path / "0101905678.jsonl"))
    _error_clean(missing.value, "path")


CONTROLS = ["\r", "\n", "\x00", "\t", "\x1f", "\x7f", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("control", CONTROLS)
def test_a_cpr_split_by_a_control_character_is_redacted_and_the_error_is_one_line(
    control: str,
) -> None:
    line = {
        "schema": "mentorcore/2",
        "course": "K-1",
        "type": "course_ordered",
        "date": "2024-01-08",
        "recorded_by": "cw-1",
        "citizen": "P-1",
        "municipality": 101,
        "target_group": f"010190{control}5678",
        "caseworker": "cw-1",
    }
    data = (json.dumps(line) + "\n").encode()
    with pytest.raises(mc.Error) as caught:
        mc.read_events(io.BytesIO(data))
    _error_clean(caught.value, f"target_group split by {control!r}")
    for text in (str(caught.value), getattr(caught.value, "rule", "")):
        assert not any(c in text for c in CONTROLS), repr(text)
    assert MARKER in str(caught.value)
    # The Python API shows a value as its repr, with the control character escaped.
    with pytest.raises(mc.Error) as api:
        _order(target_group=("x" * 40 + f"010190{control}5678", 1))
    _error_clean(api.value, f"Course.order target_group split by {control!r}")


ORDINARY_TEXTS = [
    "kl. 10:30",
    "2024-01-01 10:30",
    "kl. 10:30-11:45, 12:00-13:15",
    "kl. 10.30-11.45; 12.00-13.15",
    "tlf 12 34 56 78",
    "tlf +45 31 12 45 67",
    "1.234.567 kr",
    "1.1.2024 kl. 10:30",
    "1/3-2024 - 31/3-2024",
    "1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
    "50%",
    "100% 20 30",
    "kl. 10%3A30",
    "2024%2D01%2D01%202024%2D02%2D01",
    "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661 kl. \u0661\u0660:\u0663\u0660",
]


@pytest.mark.parametrize("text", ORDINARY_TEXTS)
def test_times_phone_numbers_and_amounts_are_not_redacted(text: str) -> None:
    assert redact_personal_numbers(text) == text


def _decimal_digit_zeros() -> list[int]:
    """The zero of every block of ten decimal digits (General Category Nd) that Python knows."""
    return [
        code
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) == "Nd" and unicodedata.decimal(chr(code)) == 0
    ]


def test_a_cpr_number_in_the_digits_of_any_script_is_redacted() -> None:
    zeros = _decimal_digit_zeros()
    assert 0x0660 in zeros and 0x0966 in zeros and 0x1D7CE in zeros and len(zeros) >= 60
    for zero in zeros:
        for shape in ("0101905678", "010190-5678", "01 01 90 56 78", "1-1-90-5678"):
            planted = "".join(chr(zero + int(c)) if c.isdigit() else c for c in shape)
            assert redact_personal_numbers(f"cpr {planted} given") == f"cpr {MARKER} given", (
                hex(zero),
                planted,
            )


@pytest.mark.parametrize(
    "planted",
    [
        "010190%2D5678",
        "010190%2d5678",
        "010190%205678",
        "01%2F01%2F90-5678",
        "01%3A01%3A90%3A56%3A78",
        "010190%0A5678",
        "010190%E2%80%935678",
        "010190%C2%A05678",
        # as written, a stray `%` before digits that also read as an encoding
        "01019%05678",
    ],
)
def test_a_cpr_number_with_percent_encoded_separators_is_redacted(planted: str) -> None:
    assert redact_personal_numbers(f"?cpr={planted}&x=1") == f"?cpr={MARKER}&x=1"
    with pytest.raises(mc.Error) as caught:
        _order(target_group=planted)
    _error_clean(caught.value, planted)


def _log_with_a_planted_text() -> bytes:
    course = build_every_event_type_course()
    last = course.events[-1].date
    course.log_success(last, "tlf 12 34 56 78, cpr 010190-5678", recorded_by=MENTOR)
    buffer = io.BytesIO()
    mc.write_events(course, buffer)
    data = buffer.getvalue()
    assert LEAK.encode() not in data  # stored redacted already
    # A log written by another system, with the number still in it.
    return data.replace(MARKER.encode(), b"010190-5678")


def test_reading_counts_the_redacted_texts() -> None:
    data = _log_with_a_planted_text()
    assert data.count(b"010190-5678") == 1
    result = mc.read_events(io.BytesIO(data), reference=scales_reference(), on_error="collect")
    assert result.redacted_texts == 1
    courses, rejected = result  # still a pair
    assert not rejected and len(courses) == 1
    assert courses[0].successes()[-1][1] == f"tlf 12 34 56 78, cpr {MARKER}"
    assert "redacted_texts=1" in repr(result)
    assert "1 text with a CPR-shaped number replaced" in str(result)
    assert "1 text with a CPR-shaped number replaced" in result._repr_html_()
    restored = pickle.loads(pickle.dumps(result))
    assert restored.redacted_texts == 1
    clean = mc.read_events(
        io.BytesIO(data.replace(b"010190-5678", b"x")),
        reference=scales_reference(),
        on_error="collect",
    )
    assert clean.redacted_texts == 0
    assert "redacted" not in repr(clean)


def test_collect_mode_names_a_cpr_shaped_course_redacted() -> None:
    line = (
        b'{"schema":"mentorcore/1","course":"010190-5678","type":"course_ordered",'
        b'"date":"2024-01-08","recorded_by":"cw-17","citizen":"P-1","municipality":101,'
        b'"target_group":"sygedagpenge","caseworker":"cw-17"}\n'
    )
    result = mc.read_events(io.BytesIO(line), on_error="collect")
    assert [r.course for r in result.rejected] == [MARKER]
    for face in (repr(result), str(result), result._repr_html_(), repr(result.rejected)):
        _clean(face, "ReadResult")
    json_number = line.replace(b'"citizen":"P-1"', b'"cpr":101905678').replace(
        b'"course":"010190-5678"', b'"course":"K-1"'
    )
    with pytest.raises(mc.ParseError) as caught:
        mc.read_events(io.BytesIO(json_number), pseudonym_key="a municipality's secret key")
    assert "cpr = [withheld]" in str(caught.value)
    _error_clean(caught.value, "JSON number cpr")


def test_every_text_has_the_same_length_limit() -> None:
    course = build_every_event_type_course()
    events = course.events
    longest = "x" * 4000
    too_long = longest + "y"
    texts = 0
    for index, event in enumerate(events):
        as_dict = event.to_dict()
        for field, value in as_dict.items():
            if not isinstance(value, str) or field in ("type", "recorded_by"):
                continue
            try:
                mc.Event.from_dict({**as_dict, field: "a text"})
            except mc.Error:
                continue  # an id or an enum (neither allows a space): not a text
            with pytest.raises(mc.InvalidValueError) as caught:
                mc.Event.from_dict({**as_dict, field: too_long})
            assert caught.value.field == field
            assert "longer than 4000 bytes" in str(caught.value)
            assert mc.Event.from_dict({**as_dict, field: longest}).to_dict()[field] == longest
            texts += 1
        del index
    assert texts >= 20
    with pytest.raises(mc.InvalidValueError) as nested:
        course.make_handover(
            D(2024, 8, 10),
            "H9",
            sender=MENTOR,
            sender_role="mentor",
            receiver="mentor-9",
            receiver_role="mentor",
            handover_type="warm",
            purpose="continuity",
            severity="watch",
            actions=[{"task": "Ring", "owner": "x"}, {"task": too_long, "owner": "x"}],
            recorded_by=MENTOR,
        )
    assert nested.value.field == "actions[1].task"
    assert len(course.events) == len(events)  # unchanged


def test_the_command_line_prints_no_cpr_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["generate", "--courses", "1", "--municipality", "0101905678", "-o", "x.jsonl"],
        ["generate", "--courses", "1", "--municipality", "010190-5678", "-o", "x.jsonl"],
        ["generate", "--courses", "0101905678", "-o", "x.jsonl"],
        ["generate", "--courses", "1", "--seed", "0101905678x", "-o", "x.jsonl"],
        ["deadline", "0101905678", "3"],
        ["holidays", "0101905678"],
        ["holidays", "101905678"],
        ["validate", "0101905678", "--no-such-option-0101905678"],
        ["holidays", "1012905678"],
    ):
        try:
            status = main(argv)
        except SystemExit as exit_:  # argparse refused an argument
            status = int(exit_.code or 0)
        assert status in (1, 2), argv
        captured = capsys.readouterr()
        _clean(captured.out + captured.err, f"python -m mentorcore {' '.join(argv)}")

    named = tmp_path / "010190-5678.jsonl"
    named.write_bytes(_log_with_a_planted_text())
    assert main(["validate", str(named)]) == 0  # the log carries its instruments in its header
    captured = capsys.readouterr()
    _clean(captured.out + captured.err, "validate with a CPR-shaped file name")
    assert MARKER in captured.out + captured.err  # the file is named, redacted

    reference = tmp_path / "scales.json"
    scales = mc.ReferenceData().with_instruments(scales_reference().instruments)
    reference.write_text(scales.to_json(), encoding="utf-8")
    assert main(["validate", "--reference", str(reference), str(named)]) == 0
    captured = capsys.readouterr()
    _clean(captured.out + captured.err, "validate")
    assert "1 text with a CPR-shaped number replaced" in captured.err

    written = tmp_path / "0101905678.jsonl"
    assert main(["generate", "--courses", "2", "-o", str(written), "--threads", "1"]) == 0
    captured = capsys.readouterr()
    _clean(captured.out + captured.err, "generate with a CPR-shaped file name")


def test_pieces_printed_apart_do_not_join_into_a_cpr_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file named 010190 whose line 1234 is bad: "010190:1234: ..." is a CPR number, though
    # the name and the line number are harmless apart. Every printed line is redacted whole.
    monkeypatch.chdir(tmp_path)
    Path("010190").write_text("\n" * 1233 + '{"not json\n', encoding="utf-8")
    assert main(["validate", "010190"]) == 1
    captured = capsys.readouterr()
    assert "010190:1234" not in captured.out + captured.err
    assert "[redacted: possible CPR number]: malformed JSON" in captured.out


def test_the_command_line_redacts_each_line_whole_and_passes_the_rest_on() -> None:
    from mentorcore.cli._common import RedactedLines

    out = io.StringIO()
    stream = RedactedLines(out)
    stream.write("file 010190")
    assert out.getvalue() == ""  # held until its line ends
    stream.write(":1234 bad\nprogress 50 %\r")
    assert out.getvalue() == "file [redacted: possible CPR number] bad\nprogress 50 %\r"
    stream.write("the end")
    stream.flush()
    assert out.getvalue().endswith("\rthe end")
