"""mentorcore.Journal: courses kept in SQLite, with an audit trail of every read."""

from __future__ import annotations

import datetime
import os
import pathlib
import sqlite3
import subprocess
import sys
import threading

import pandas as pd
import pytest

import mentorcore as mc
from conftest import CW, MENTOR, D, build_full_course

KEY = "a secret of 16+ bytes"
CPR = "010190-1234"
WHO = {"actor": "cw-17", "purpose": "handover to new mentor"}

ORDER_LINE = (
    '{"schema":"mentorcore/2","course":"K-9","type":"course_ordered","date":"2024-01-08",'
    '"recorded_by":"cw-17","citizen":"P-1","municipality":101,"target_group":"sygedagpenge",'
    '"caseworker":"cw-17"}\n'
)
PAUSE_LINE = (
    '{"schema":"mentorcore/2","course":"K-9","type":"paused","date":"2024-02-01",'
    '"recorded_by":"mentor-4","reason":"illness"}\n'
)


@pytest.fixture(scope="module")
def municipality() -> list[mc.Course]:
    return list(mc.synthetic.generate(40, seed=19, threads=1))


@pytest.fixture(scope="module")
def log(municipality: list[mc.Course], tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("log") / "municipality.jsonl"
    mc.write_events(municipality, path)
    return path


@pytest.fixture(scope="module")
def filled(log: pathlib.Path, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """A journal holding the synthetic municipality; tests copy it before changing it."""
    path = tmp_path_factory.mktemp("journal") / "filled.journal"
    with mc.Journal(path, reference=mc.synthetic.reference()) as journal:
        journal.import_log(log)
    return path


def _copy(source: pathlib.Path, tmp_path: pathlib.Path) -> pathlib.Path:
    target = tmp_path / "copy.journal"
    with mc.Journal(source, create=False) as journal:
        journal.backup(target)
    return target


def _order(course: str = "K-1") -> mc.Event:
    return mc.Course.order(
        D(2024, 1, 8),
        recorded_by=CW,
        course=course,
        citizen="P-8d2f",
        municipality=101,
        target_group="kontanthjaelp_aktivitetsparat",
        caseworker=CW,
    ).events[0]


def _start(day: datetime.date) -> mc.Event:
    return mc.Event("phase_changed", day, MENTOR, to="pre_employment", reason="first meeting")


def _contact(day: datetime.date) -> mc.Event:
    return mc.Event(
        "contact_logged",
        day,
        MENTOR,
        mentor=MENTOR,
        location="home",
        attendance="attended",
        planned_minutes=60,
        actual_minutes=60,
        billable=True,
    )


# ---- round trip --------------------------------------------------------------------------------


def test_a_municipality_round_trips_byte_for_byte(
    filled: pathlib.Path, log: pathlib.Path, municipality: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        assert journal.course_ids() == [c.id for c in municipality]
        assert len(journal) == 40
        assert municipality[3].id in journal and "K-none" not in journal
        assert journal.event_count(municipality[3].id) == len(municipality[3].events)
        out = tmp_path / "out.jsonl"
        journal.export_log(out, **WHO)
        assert out.read_bytes() == log.read_bytes()
        some = [municipality[7].id, municipality[2].id]
        journal.export_log(tmp_path / "some.jsonl", **WHO, courses=some)
        expected = tmp_path / "expected.jsonl"
        mc.write_events([municipality[2], municipality[7]], expected)  # journal order
        assert (tmp_path / "some.jsonl").read_bytes() == expected.read_bytes()
        streamed = journal.courses(**WHO)
        first = next(streamed)
        assert type(first) is mc.Course
        assert [first, *streamed] == municipality


def test_import_reports_what_it_stored(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j", reference=mc.synthetic.reference()) as journal:
        result = journal.import_log(log)
        assert isinstance(result, mc.JournalImport)
        assert result.courses == 40
        assert result.events == sum(len(c.events) for c in mc.read_events(log))
        assert result.redacted_texts == 0
        with pytest.raises(mc.JournalError) as again:
            journal.import_log(log)  # every course is already there: nothing more is stored
        assert again.value.fault == "duplicate"
        assert len(journal) == 40


def test_a_course_built_in_python_goes_in_and_comes_back_equal(tmp_path: pathlib.Path) -> None:
    course = build_full_course()
    with mc.Journal(tmp_path / "j") as journal:
        assert journal.append_many((course.id, e) for e in course.events) == len(course.events)
        back = journal.course(course.id, **WHO)
        assert back == course
        assert journal.course_as_of(course.id, D(2024, 3, 1), **WHO) == course.as_of(D(2024, 3, 1))
        assert journal.course_as_of(course.id, D(2024, 2, 25), **WHO).is_paused
        with pytest.raises(mc.InvalidValueError):
            journal.course_as_of(course.id, D(2023, 1, 1), **WHO)  # before the order
        with pytest.raises(mc.InvalidValueError) as moment:
            journal.course_as_of(course.id, datetime.datetime(2024, 3, 1, 12), **WHO)
        assert moment.value.field == "date"
        # As Course.as_of: a view past the calendar would not load from its pickle.
        assert journal.course_as_of(course.id, D(2200, 12, 31), **WHO).observed_on.year == 2200
        with pytest.raises(
            mc.OutOfRangeError, match="date = '2201-01-01': outside the supported calendar"
        ):
            journal.course_as_of(course.id, D(2201, 1, 1), **WHO)


def test_cohort_equals_the_cohort_of_the_same_courses(
    filled: pathlib.Path, municipality: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        cohort = journal.cohort(actor="analyst-1", purpose="yearly KPI report")
    assert isinstance(cohort, mc.Cohort)
    assert cohort == mc.Cohort.from_courses(municipality)


# ---- appending ---------------------------------------------------------------------------------


def test_append_validates_against_the_stored_course(tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j") as journal:
        assert journal.append("K-1", _order()) == 0
        assert journal.append("K-1", _start(D(2024, 1, 15))) == 1
        assert journal.append("K-1", _contact(D(2024, 1, 15))) == 2
        with pytest.raises(mc.RuleViolationError) as early:
            journal.append("K-1", _contact(D(2023, 12, 1)))  # before the order
        assert early.value.course == "K-1"
        assert journal.event_count("K-1") == 3
        with pytest.raises(mc.JournalError) as unknown:
            journal.append("K-2", _contact(D(2024, 1, 15)))
        assert unknown.value.fault == "unknown_course"
        assert unknown.value.file == str(tmp_path / "j")
        assert str(tmp_path / "j") in str(unknown.value)
        with pytest.raises(mc.JournalError) as duplicate:
            journal.append("K-1", _order())
        assert duplicate.value.fault == "duplicate"
        with pytest.raises(mc.InvalidValueError) as not_an_event:
            journal.append("K-1", {"type": "paused"})  # type: ignore[arg-type]
        assert not_an_event.value.field == "event"
        assert journal.event_count("K-1") == 3
        assert journal.course_ids() == ["K-1"]


def test_append_many_is_all_or_nothing(tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j") as journal:
        batch = [
            ("K-1", _order()),
            ("K-1", _start(D(2024, 1, 15))),
            ("K-1", _contact(D(2024, 1, 15))),
            ("K-1", _contact(D(2023, 1, 1))),
        ]
        with pytest.raises(mc.RuleViolationError):
            journal.append_many(batch)
        assert len(journal) == 0 and "K-1" not in journal
        with pytest.raises(mc.InvalidValueError) as bad_pair:
            journal.append_many([("K-1", _order()), ("K-1",)])  # type: ignore[list-item]
        assert bad_pair.value.field == "events[1]"
        assert len(journal) == 0
        assert journal.append_many(batch[:3]) == 3
        assert journal.event_count("K-1") == 3


def test_append_lines_names_the_field_and_stores_nothing_on_failure(tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j") as journal:
        bad = PAUSE_LINE.replace('"illness"', '"nonsense"')
        with pytest.raises(mc.ParseError) as caught:
            journal.append_lines(ORDER_LINE + bad, source="case-system")
        assert caught.value.field == "reason"
        assert caught.value.line == 2
        assert "case-system" in str(caught.value)
        assert len(journal) == 0
        assert journal.append_lines(ORDER_LINE + PAUSE_LINE) == 2
        assert journal.course("K-9", **WHO).is_paused
        assert journal.append_lines(b"") == 0


def test_a_cpr_is_pseudonymised_on_the_way_in_and_never_echoed(tmp_path: pathlib.Path) -> None:
    line = ORDER_LINE.replace('"citizen":"P-1"', f'"cpr":"{CPR}"')
    with mc.Journal(tmp_path / "j") as journal:
        with pytest.raises(mc.Error) as no_key:
            journal.append_lines(line)
        assert "1234" not in str(no_key.value)
        assert len(journal) == 0
    with mc.Journal(tmp_path / "j", pseudonym_key=KEY) as journal:
        journal.append_lines(line)
        assert journal.course("K-9", **WHO).citizen == mc.pseudonymise(CPR, KEY)
    assert b"1234" not in (tmp_path / "j").read_bytes()


# ---- the audit trail ---------------------------------------------------------------------------


def test_every_read_is_audited(
    filled: pathlib.Path, municipality: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    path = _copy(filled, tmp_path)
    as_of = municipality[1].ordered_on + datetime.timedelta(days=30)
    before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)
    with mc.Journal(path, create=False) as journal:
        ids = journal.course_ids()
        assert journal.audit().empty
        journal.course(ids[0], actor="mentor-4", purpose="weekly contact")
        journal.course_as_of(ids[1], as_of, actor="cw-17", purpose="complaint")
        for _ in journal.courses(actor="analyst-1", purpose="data quality"):
            break
        journal.export_log(
            tmp_path / "one.jsonl", actor="cw-17", purpose="transfer", courses=[ids[2]]
        )
        journal.cohort(actor="analyst-1", purpose="yearly KPI report")
        trail = journal.audit()
    assert list(trail.columns) == list(mc.AUDIT_COLUMNS)
    assert str(trail["sequence"].dtype) == "int64"
    assert str(trail["at"].dtype) == "datetime64[ns, UTC]"
    assert list(trail["sequence"]) == [1, 2, 3, 4, 5]
    assert list(trail["action"]) == [
        "read_course",
        "read_course_as_of",
        "read_courses",
        "export_log",
        "read_cohort",
    ]
    assert list(trail["actor"]) == ["mentor-4", "cw-17", "analyst-1", "cw-17", "analyst-1"]
    assert list(trail["purpose"]) == [
        "weekly contact",
        "complaint",
        "data quality",
        "transfer",
        "yearly KPI report",
    ]
    assert [list(c) for c in trail["courses"]] == [[ids[0]], [ids[1]], [], [ids[2]], []]
    assert trail["scope"][1] == as_of.isoformat()
    assert "one.jsonl" in trail["scope"][3]
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1)
    assert all(before <= at <= now for at in trail["at"])


def test_audit_filters(filled: pathlib.Path, tmp_path: pathlib.Path) -> None:
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        ids = journal.course_ids()
        journal.course(ids[0], actor="mentor-4", purpose="a")
        journal.course(ids[1], actor="cw-17", purpose="b")
        journal.cohort(actor="analyst-1", purpose="c")
        assert list(journal.audit(actor="cw-17")["purpose"]) == ["b"]
        # A course's entries include the reads of every course.
        assert list(journal.audit(course=ids[0])["purpose"]) == ["a", "c"]
        assert list(journal.audit(action="read_cohort")["purpose"]) == ["c"]
        trail = journal.audit()
        second = trail["at"][1].to_pydatetime()
        # Entries made within one millisecond share their time.
        expected = [
            p for p, at in zip(trail["purpose"], trail["at"], strict=True) if at >= trail["at"][1]
        ]
        assert list(journal.audit(since=second)["purpose"]) == expected
        assert expected[-2:] == ["b", "c"]
        at = trail["at"]
        assert list(journal.audit(until=at[0].to_pydatetime())["purpose"]) == []
        assert len(journal.audit(since=D(2000, 1, 1), until=D(2200, 1, 1))) == 3
        with pytest.raises(mc.InvalidValueError) as naive:
            journal.audit(since=datetime.datetime(2026, 1, 1))
        assert naive.value.field == "since"
        with pytest.raises(mc.InvalidValueError) as action:
            journal.audit(action="read_everything")
        assert action.value.field == "action"


@pytest.mark.parametrize("purpose", ["", None, 7])
def test_a_read_without_a_purpose_is_refused(
    filled: pathlib.Path, tmp_path: pathlib.Path, purpose: object
) -> None:
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        first = journal.course_ids()[0]
        with pytest.raises(mc.InvalidValueError) as caught:
            journal.course(first, actor="cw-17", purpose=purpose)  # type: ignore[arg-type]
        assert caught.value.field == "purpose"
        with pytest.raises(mc.InvalidValueError):
            journal.cohort(actor="cw-17", purpose=purpose)  # type: ignore[arg-type]
        with pytest.raises(mc.InvalidValueError):
            journal.export_log(tmp_path / "x.jsonl", actor="cw-17", purpose=purpose)  # type: ignore[arg-type]
        with pytest.raises(mc.InvalidValueError) as no_actor:
            journal.course(first, actor="", purpose="why")
        assert no_actor.value.field == "actor"
        with pytest.raises(TypeError):
            journal.course(first, actor="cw-17")  # type: ignore[call-arg]
        assert journal.audit().empty
    assert not (tmp_path / "x.jsonl").exists()


def test_no_cpr_reaches_an_error_or_the_audit_trail(
    filled: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    folder = tmp_path / CPR
    folder.mkdir()
    journal_path = folder / "j.journal"
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        first = journal.course_ids()[0]
        journal.course(first, actor="cw-17", purpose=f"asked by {CPR}")
        with pytest.raises(mc.Error) as by_id:
            journal.course(CPR, **WHO)
        with pytest.raises(mc.Error) as by_actor:
            journal.course(first, actor=CPR, purpose="x")
        journal.export_log(journal_path.with_name(f"export {CPR}.jsonl"), **WHO)
        trail = journal.audit()
    for error in (by_id.value, by_actor.value):
        assert "1234" not in str(error) and "1234" not in repr(error.args)
    assert "1234" not in trail.to_string()
    assert "[redacted: possible CPR number]" in trail["purpose"][0]
    with pytest.raises(mc.JournalError) as missing:
        mc.Journal(journal_path, create=False)
    assert "1234" not in str(missing.value) and "1234" not in missing.value.file


# ---- faults ------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_journal(tmp_path: pathlib.Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 100)
    with pytest.raises(mc.JournalError) as caught:
        mc.Journal(text)
    assert caught.value.fault == "not_a_journal"
    assert caught.value.file == str(text)
    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("create table customers (id integer)")
    db.commit()
    db.close()
    with pytest.raises(mc.JournalError) as database:
        mc.Journal(other)
    assert database.value.fault == "not_a_journal"
    assert text.read_text() == "not a database\n" * 100


def test_a_missing_journal_is_not_created_when_asked_not_to(tmp_path: pathlib.Path) -> None:
    with pytest.raises(mc.JournalError) as caught:
        mc.Journal(tmp_path / "missing.journal", create=False)
    assert "missing.journal" in str(caught.value)
    assert not (tmp_path / "missing.journal").exists()


def test_a_journal_from_a_newer_schema(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "j"
    mc.Journal(path).close()
    db = sqlite3.connect(path)
    db.execute(f"pragma user_version = {mc.JOURNAL_SCHEMA_VERSION + 1}")
    db.commit()
    db.close()
    with pytest.raises(mc.JournalError) as caught:
        mc.Journal(path)
    assert caught.value.fault == "newer_schema"


def test_a_read_only_journal_refuses_writes(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "j"
    with mc.Journal(path) as journal:
        journal.append("K-1", _order())
    with mc.Journal(path, read_only=True) as journal:
        with pytest.raises(mc.JournalError) as caught:
            journal.append("K-1", _start(D(2024, 1, 15)))
        assert caught.value.fault == "read_only"
        with pytest.raises(mc.JournalError) as reading:
            journal.course("K-1", **WHO)  # a read writes to the audit trail
        assert reading.value.fault == "read_only"
        with pytest.raises(mc.JournalError):
            journal.append_lines(ORDER_LINE)
        assert journal.course_ids() == ["K-1"]
        assert journal.event_count("K-1") == 1


def test_a_full_journal_stores_nothing_more(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "j"
    with mc.Journal(path, max_bytes=64 * 1024, reference=mc.synthetic.reference()) as journal:
        with pytest.raises(mc.JournalError) as caught:
            journal.import_log(log)  # far more than 64 KiB
        assert caught.value.fault == "full"
        assert len(journal) == 0
        journal.append("K-1", _order())
        assert journal.course_ids() == ["K-1"]


# Holds the journal's write lock from another process until a line arrives on its stdin. It must
# be another process: Python's sqlite3 module carries its own copy of SQLite, and two copies in
# one process cannot see each other's locks (SQLite's "multiple copies" caveat, docs/embedding.md).
_HOLD_WRITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("begin immediate")
print("locked", flush=True)
sys.stdin.readline()
db.execute("rollback")
"""


def test_a_second_writer_waits_then_gets_busy(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "j"
    with mc.Journal(path) as journal:
        journal.append("K-1", _order())
    with subprocess.Popen(
        [sys.executable, "-c", _HOLD_WRITE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as other:
        assert other.stdin is not None and other.stdout is not None
        try:
            assert other.stdout.readline().strip() == "locked"
            with mc.Journal(path, busy_timeout=0.1) as journal:
                with pytest.raises(mc.JournalError) as caught:
                    journal.append("K-1", _start(D(2024, 1, 15)))
                assert caught.value.fault == "busy"
                assert journal.event_count("K-1") == 1
                other.stdin.write("\n")
                other.stdin.flush()
                assert other.wait(timeout=60) == 0
                assert journal.append("K-1", _start(D(2024, 1, 15))) == 1
        finally:
            if other.poll() is None:
                other.kill()


def test_the_open_options_are_checked(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "j"
    bad = [
        ({"sync": "sometimes"}, "sync"),
        ({"busy_timeout": "5"}, "busy_timeout"),
        ({"busy_timeout": -1}, "busy_timeout"),
        ({"busy_timeout": float("nan")}, "busy_timeout"),
        ({"max_bytes": -1}, "max_bytes"),
        ({"max_bytes": 1.5}, "max_bytes"),
        ({"create": "yes"}, "create"),
        ({"reference": "builtin"}, "reference"),
        ({"pseudonym_key": 12}, "pseudonym_key"),
        ({"pseudonym_key": "short"}, None),
    ]
    for options, field in bad:
        with pytest.raises(mc.InvalidValueError) as caught:
            mc.Journal(path, **options)  # type: ignore[arg-type]
        if field is not None:
            assert caught.value.field == field, options
    with pytest.raises(mc.InvalidValueError):
        mc.Journal(42)  # type: ignore[arg-type]
    with mc.Journal(path, sync="normal", busy_timeout=datetime.timedelta(milliseconds=250)):
        pass


def test_close_ends_the_journal_and_its_iterators(
    filled: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    journal = mc.Journal(_copy(filled, tmp_path), create=False)
    assert not journal.closed and "40 courses" in repr(journal)
    stream = journal.courses(**WHO)
    next(stream)
    journal.close()
    assert journal.closed and "closed" in repr(journal)
    with pytest.raises(mc.Error, match="closed"):
        next(stream)
    with pytest.raises(mc.Error, match="closed"):
        journal.course_ids()
    journal.close()  # twice is fine
    with mc.Journal(filled, create=False) as again:
        pass
    assert again.closed


def test_threads_may_share_a_journal(tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j") as journal:
        errors: list[BaseException] = []

        def work(number: int) -> None:
            try:
                course = f"K-{number}"
                journal.append(course, _order(course))
                journal.append(course, _start(D(2024, 2, 1)))
                for day in range(1, 20):
                    journal.append(course, _contact(D(2024, 2, day)))
                journal.course(course, **WHO)
            except BaseException as error:  # reported below
                errors.append(error)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert sorted(journal.course_ids()) == ["K-0", "K-1", "K-2", "K-3"]
        assert len(journal.audit()) == 4


def test_backup_is_a_journal_with_the_same_courses_and_trail(
    filled: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        journal.course(journal.course_ids()[0], **WHO)
        journal.backup(tmp_path / "backup.journal")
        ids, trail = journal.course_ids(), journal.audit()
    with mc.Journal(tmp_path / "backup.journal", create=False) as copy:
        assert copy.course_ids() == ids
        pd.testing.assert_frame_equal(copy.audit(), trail)


def test_a_failed_backup_leaves_the_file_at_its_path_as_it_was(
    filled: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("precious notes\n")
    with mc.Journal(_copy(filled, tmp_path), create=False) as journal:
        with pytest.raises(mc.JournalError) as caught:
            journal.backup(notes)
        assert caught.value.fault == "not_a_journal"
        with pytest.raises(mc.JournalError) as nowhere:
            journal.backup(tmp_path / "no-such-dir" / "copy.journal")
        assert nowhere.value.fault == "io"
    assert notes.read_text() == "precious notes\n"


def test_a_failed_export_records_nothing_and_leaves_its_file(
    filled: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    path = _copy(filled, tmp_path)
    with mc.Journal(path, create=False) as journal:
        with pytest.raises(mc.JournalError) as nowhere:
            journal.export_log(tmp_path / "no-such-dir" / "out.jsonl", **WHO)
        assert nowhere.value.fault == "io"
        assert "No such file or directory" in str(nowhere.value)
        for own in (path, pathlib.Path(f"{path}-wal")):
            with pytest.raises(mc.InvalidValueError) as itself:
                journal.export_log(own, **WHO)
            assert itself.value.field == "path"
            with pytest.raises(mc.InvalidValueError):
                journal.backup(own)
        with pytest.raises(mc.InvalidValueError) as not_utf8:
            journal.export_log(tmp_path / os.fsdecode(b"e\xff.jsonl"), **WHO)
        assert not_utf8.value.field == "path"
        assert journal.audit().empty
        assert len(journal.course_ids()) == 40


# ---- documentation -----------------------------------------------------------------------------


def test_the_examples_in_the_docs_run() -> None:
    import doctest
    import re

    page = pathlib.Path(__file__).resolve().parents[2] / "docs" / "embedding.md"
    section = page.read_text(encoding="utf-8").split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```pycon\n(.*?)```", section, re.S)
    assert blocks
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for number, block in enumerate(blocks):
        test = doctest.DocTestParser().get_doctest(block, {}, f"block {number}", str(page), 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    result = doctest.testmod(mc.journal, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 3


def test_the_course_iterator_sees_the_journal_as_it_was(tmp_path: pathlib.Path) -> None:
    with mc.Journal(tmp_path / "j") as journal:
        journal.append_many([("K-1", _order("K-1")), ("K-2", _order("K-2"))])
        stream = journal.courses(**WHO)
        journal.append("K-3", _order("K-3"))
        journal.append("K-1", _start(D(2024, 1, 15)))
        seen = list(stream)
        assert [c.id for c in seen] == ["K-1", "K-2"]
        assert len(seen[0].events) == 1
        assert list(stream) == []  # ended
        assert [c.id for c in journal.courses(**WHO)] == ["K-1", "K-2", "K-3"]
