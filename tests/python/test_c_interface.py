"""The C interface, libmentorcore_c, driven through ctypes exactly as a case system in C# (P/Invoke)
or Java (JNA, Panama) drives it: declared signatures, status codes, out-parameters, the calling
thread's message, buffers released with mc_free and handles closed. The events go in and come out
as event-log lines, written here by mentorcore's own Python writer.

The library is the one named by MENTORCORE_C_LIBRARY (tools/dev test sets it to the staged
install, build/stage/lib/libmentorcore_c.so, so the test never skips there); without the variable
the staged install or the dev build tree (build/cpp/src/c/) is used, and the test is skipped only
if neither has been built.
"""

from __future__ import annotations

import ctypes
import datetime
import io
import json
import os
import pathlib
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import mentorcore as mc

ROOT = pathlib.Path(__file__).resolve().parents[2]
CPR = "0101901234"  # ten digits whose first six are a real date: what a case system holds
CPR_SHAPES = (CPR, "010190-1234")
KEY = b"a municipality's secret key, 32+"

# The status and fault codes, with the fixed values of mentorcore/c/mentorcore.h.
MC_OK = 0
MC_ERROR_ARGUMENT = 1
MC_ERROR_INVALID_VALUE = 2
MC_ERROR_PARSE = 3
MC_ERROR_RULE_VIOLATION = 4
MC_ERROR_NOT_FOUND = 5
MC_ERROR_DUPLICATE = 6
MC_ERROR_JOURNAL = 8
MC_FAULT_NONE = 0
MC_FAULT_NOT_A_JOURNAL = 1
MC_FAULT_READ_ONLY = 3
MC_FAULT_UNKNOWN_COURSE = 8
MC_FAULT_DUPLICATE = 9


def _library_path() -> pathlib.Path | None:
    named = os.environ.get("MENTORCORE_C_LIBRARY")
    if named:
        return pathlib.Path(named)  # set: it must be there (a missing file fails, never skips)
    staged = sorted((ROOT / "build" / "stage").glob("lib*/libmentorcore_c.so"))
    built = ROOT / "build" / "cpp" / "src" / "c" / "libmentorcore_c.so"
    for candidate in [*staged, built]:
        if candidate.exists():
            return candidate
    return None


LIBRARY_PATH = _library_path()
pytestmark = pytest.mark.skipif(
    LIBRARY_PATH is None,
    reason="libmentorcore_c is not built: MENTORCORE_C_LIBRARY is unset and neither "
    "build/stage/lib/libmentorcore_c.so nor build/cpp/src/c/libmentorcore_c.so exists "
    "(tools/dev test builds and sets it)",
)


class JournalOptions(ctypes.Structure):
    """mc_journal_options, field for field (a C# [StructLayout(Sequential)] struct)."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("create", ctypes.c_int),
        ("read_only", ctypes.c_int),
        ("sync", ctypes.c_int),
        ("busy_timeout_ms", ctypes.c_uint32),
        ("max_bytes", ctypes.c_uint64),
        ("reference_json", ctypes.c_char_p),
        ("pseudonym_key", ctypes.c_char_p),
        ("pseudonym_key_len", ctypes.c_size_t),
    ]


class AuditFilter(ctypes.Structure):
    """mc_audit_filter."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("actor", ctypes.c_char_p),
        ("course", ctypes.c_char_p),
        ("action", ctypes.c_char_p),
        ("from_", ctypes.c_char_p),
        ("until", ctypes.c_char_p),
    ]


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Every signature, as a P/Invoke or JNA declaration would give it. Handles are opaque
    pointers (c_void_p); `char**` out-parameters are pointers to c_void_p, so that the buffer
    can be handed back to mc_free."""
    p = ctypes.c_void_p
    s = ctypes.c_char_p
    size = ctypes.c_size_t
    out_p = ctypes.POINTER(ctypes.c_void_p)
    out_size = ctypes.POINTER(ctypes.c_size_t)
    out_s = ctypes.POINTER(ctypes.c_char_p)
    status = ctypes.c_int
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "mc_abi_version": (ctypes.c_int, []),
        "mc_version_string": (s, []),
        "mc_last_error_message": (s, []),
        "mc_last_fault": (ctypes.c_int, []),
        "mc_status_name": (s, [ctypes.c_int]),
        "mc_fault_name": (s, [ctypes.c_int]),
        "mc_free": (None, [p]),
        "mc_journal_options_init": (None, [ctypes.POINTER(JournalOptions)]),
        "mc_journal_open": (status, [s, ctypes.POINTER(JournalOptions), out_p]),
        "mc_journal_close": (None, [p]),
        "mc_journal_append_lines": (status, [p, s, size, out_size]),
        "mc_journal_import_log": (status, [p, s, out_size, out_size, out_size]),
        "mc_journal_course": (status, [p, s, s, s, out_p]),
        "mc_journal_course_as_of": (status, [p, s, s, s, s, out_p]),
        "mc_journal_export_log": (status, [p, s, s, s, ctypes.POINTER(s), size]),
        "mc_journal_summary": (status, [p, s, s, s, out_p]),
        "mc_journal_course_ids": (status, [p, out_p, out_size]),
        "mc_journal_event_count": (status, [p, s, out_size]),
        "mc_audit_filter_init": (None, [ctypes.POINTER(AuditFilter)]),
        "mc_journal_audit_json": (status, [p, ctypes.POINTER(AuditFilter), out_p, out_size]),
        "mc_journal_backup": (status, [p, s]),
        "mc_course_free": (None, [p]),
        "mc_course_id": (status, [p, out_s]),
        "mc_course_phase": (status, [p, out_s]),
        "mc_course_event_count": (status, [p, out_size]),
        "mc_course_events_json": (status, [p, out_p, out_size]),
        "mc_summary_free": (None, [p]),
        "mc_summary_course_count": (status, [p, out_size]),
        "mc_summary_count": (status, [p, s, s, ctypes.POINTER(ctypes.c_int64)]),
        "mc_summary_json": (status, [p, out_p, out_size]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    return lib


@pytest.fixture(scope="module")
def lib() -> ctypes.CDLL:
    assert LIBRARY_PATH is not None
    assert LIBRARY_PATH.exists(), f"MENTORCORE_C_LIBRARY names {LIBRARY_PATH}, which is missing"
    return _declare(ctypes.CDLL(str(LIBRARY_PATH)))


def _b(text: str | None) -> bytes | None:
    return None if text is None else text.encode()


def message(lib: ctypes.CDLL) -> str:
    text: bytes = lib.mc_last_error_message()
    return text.decode()


def ok(lib: ctypes.CDLL, status: int) -> None:
    assert status == MC_OK, f"{lib.mc_status_name(status).decode()}: {message(lib)}"
    assert message(lib) == ""
    assert lib.mc_last_fault() == MC_FAULT_NONE


def refused(lib: ctypes.CDLL, status: int, expected: int, *needles: str) -> str:
    """Checks a failure's status, that its message names each needle, and that no CPR number
    is in it; returns the message."""
    text = message(lib)
    name = lib.mc_status_name(status).decode()
    assert status == expected, f"{name}: {text}"
    for needle in needles:
        assert needle in text, text
    for shape in CPR_SHAPES:
        assert shape not in text, text
    return text


def take_buffer(lib: ctypes.CDLL, buffer: ctypes.c_void_p, length: ctypes.c_size_t) -> str:
    """Copies a buffer the library handed over, then releases it with mc_free."""
    assert buffer.value is not None
    data = ctypes.string_at(buffer.value, length.value)
    assert ctypes.string_at(buffer.value, length.value + 1)[-1:] == b"\0"
    lib.mc_free(buffer)
    return data.decode()


def log_lines(courses: object) -> str:
    """The event-log lines of `courses` as mentorcore writes them, without the header line
    (the journal holds the reference data instead: JournalOptions.reference_json)."""
    buffer = io.BytesIO()
    mc.write_events(courses, buffer)
    lines = buffer.getvalue().decode().splitlines(keepends=True)
    return "".join(line for line in lines if json.loads(line)["type"] != "header")


def written(courses: object) -> str:
    buffer = io.BytesIO()
    mc.write_events(courses, buffer)
    return buffer.getvalue().decode()


class Journal:
    """A journal handle, as a case system's wrapper class would hold one."""

    def __init__(self, lib: ctypes.CDLL, handle: ctypes.c_void_p) -> None:
        self.lib = lib
        self.handle = handle

    def append(self, lines: str) -> tuple[int, int]:
        data = lines.encode()
        stored = ctypes.c_size_t(12345)
        status = self.lib.mc_journal_append_lines(
            self.handle, data, len(data), ctypes.byref(stored)
        )
        return status, stored.value

    def course(
        self, id: str, actor: str | None, purpose: str | None, day: str | None = None
    ) -> tuple[int, ctypes.c_void_p]:
        out = ctypes.c_void_p()
        if day is None:
            status = self.lib.mc_journal_course(
                self.handle, _b(id), _b(actor), _b(purpose), ctypes.byref(out)
            )
        else:
            status = self.lib.mc_journal_course_as_of(
                self.handle, _b(id), _b(day), _b(actor), _b(purpose), ctypes.byref(out)
            )
        return status, out

    def events_of(self, id: str, day: str | None = None) -> str:
        status, course = self.course(id, "cw-17", "test of the C interface", day)
        ok(self.lib, status)
        try:
            return course_lines(self.lib, course)
        finally:
            self.lib.mc_course_free(course)

    def event_count(self, id: str) -> int:
        count = ctypes.c_size_t()
        ok(self.lib, self.lib.mc_journal_event_count(self.handle, _b(id), ctypes.byref(count)))
        return count.value

    def audit(self, **filters: str) -> list[dict[str, Any]]:
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        audit_filter = AuditFilter()
        self.lib.mc_audit_filter_init(ctypes.byref(audit_filter))
        for name, value in filters.items():
            setattr(audit_filter, name, value.encode())
        ok(
            self.lib,
            self.lib.mc_journal_audit_json(
                self.handle, ctypes.byref(audit_filter), ctypes.byref(out), ctypes.byref(length)
            ),
        )
        text = take_buffer(self.lib, out, length)
        assert text == "" or text.endswith("\n")
        return [json.loads(line) for line in text.splitlines()]


def course_lines(lib: ctypes.CDLL, course: ctypes.c_void_p) -> str:
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    ok(lib, lib.mc_course_events_json(course, ctypes.byref(out), ctypes.byref(length)))
    return take_buffer(lib, out, length)


def open_journal(
    lib: ctypes.CDLL, path: pathlib.Path, *, key: bytes | None = None, read_only: bool = False
) -> tuple[int, ctypes.c_void_p]:
    options = JournalOptions()
    lib.mc_journal_options_init(ctypes.byref(options))
    assert options.struct_size == ctypes.sizeof(JournalOptions)
    assert (options.create, options.busy_timeout_ms, options.max_bytes) == (1, 5000, 0)
    # The synthetic courses rate on two scales beyond the built-in reference data.
    reference = mc.synthetic.reference().to_json().encode()
    options.reference_json = reference
    options.read_only = int(read_only)
    if key is not None:
        options.pseudonym_key = key
        options.pseudonym_key_len = len(key)
    handle = ctypes.c_void_p()
    status = lib.mc_journal_open(str(path).encode(), ctypes.byref(options), ctypes.byref(handle))
    return status, handle


@pytest.fixture
def journal(lib: ctypes.CDLL, tmp_path: pathlib.Path) -> Iterator[Journal]:
    status, handle = open_journal(lib, tmp_path / "journal.db")
    ok(lib, status)
    assert handle.value is not None
    yield Journal(lib, handle)
    lib.mc_journal_close(handle)


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return list(mc.synthetic.generate(6, seed=19))


def test_versions(lib: ctypes.CDLL) -> None:
    assert lib.mc_abi_version() == 1
    assert lib.mc_version_string().decode() == mc.__version__
    assert lib.mc_status_name(MC_ERROR_PARSE) == b"MC_ERROR_PARSE"
    assert lib.mc_status_name(999) == b"unknown status"
    assert lib.mc_fault_name(MC_FAULT_UNKNOWN_COURSE) == b"unknown_course"


def test_append_then_read_as_of_a_day(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course]
) -> None:
    lines = log_lines(courses)
    status, stored = journal.append(lines)
    ok(lib, status)
    assert stored == sum(len(c.events) for c in courses) == lines.count("\n")

    ids = ctypes.c_void_p()
    length = ctypes.c_size_t()
    ok(lib, lib.mc_journal_course_ids(journal.handle, ctypes.byref(ids), ctypes.byref(length)))
    assert json.loads(take_buffer(lib, ids, length)) == [c.id for c in courses]

    course = courses[1]
    # A day in the middle of the course: the course as it stood then, byte for byte what the
    # Python writer writes for Course.as_of.
    day = course.ordered_on + (course.events[-1].date - course.ordered_on) / 2
    status, handle = journal.course(course.id, "cw-17", "handover to new mentor", day.isoformat())
    ok(lib, status)
    try:
        then = course.as_of(day)
        assert course_lines(lib, handle) == written(then)
        count = ctypes.c_size_t()
        ok(lib, lib.mc_course_event_count(handle, ctypes.byref(count)))
        assert count.value == len(then.events) < len(course.events)
        text = ctypes.c_char_p()
        ok(lib, lib.mc_course_id(handle, ctypes.byref(text)))
        assert text.value == course.id.encode()
        ok(lib, lib.mc_course_phase(handle, ctypes.byref(text)))
        assert text.value == then.phase.name.encode()
    finally:
        lib.mc_course_free(handle)
    assert journal.events_of(course.id) == written(course)

    entries = journal.audit()
    assert [(e["sequence"], e["actor"], e["action"], e["courses"]) for e in entries] == [
        (1, "cw-17", "read_course_as_of", [course.id]),
        (2, "cw-17", "read_course", [course.id]),
    ]
    assert entries[0]["purpose"] == "handover to new mentor"
    assert entries[0]["scope"] == day.isoformat()
    assert entries[0]["at"].endswith("Z")
    assert datetime.datetime.fromisoformat(entries[0]["at"].replace("Z", "+00:00")).tzinfo
    assert journal.audit(action="read_course") == entries[1:]
    assert journal.audit(course=courses[0].id) == []
    assert journal.audit(actor="cw-17") == entries

    status, handle = journal.course(course.id, "cw-17", "review", "2019-12-31")
    refused(lib, status, MC_ERROR_INVALID_VALUE, "2019-12-31")
    assert handle.value is None


def test_invalid_events_are_refused_and_nothing_is_stored(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course]
) -> None:
    course = courses[0]
    lines = log_lines(course).splitlines(keepends=True)
    ok(lib, journal.append("".join(lines[:-1]))[0])
    stored = journal.event_count(course.id)
    assert stored == len(course.events) - 1

    def refuse(text: str, expected: int, *needles: str) -> int:
        """Appends `text`, checks the refusal, and returns the fault (read before the next
        call of the library replaces it)."""
        status, count = journal.append(text)
        assert count == 12345, "out-parameters are written only on success"
        refused(lib, status, expected, *needles)
        fault: int = lib.mc_last_fault()
        assert journal.event_count(course.id) == stored
        return fault

    last = json.loads(lines[-1])
    # A value that is not one of the field's: a parse error naming the line and the field.
    bad = {**last, "date": "2099-02-30"}
    refuse(json.dumps(bad) + "\n", MC_ERROR_PARSE, "<lines>:1", "date")
    # A batch is all or nothing: a good last line and a bad one store neither.
    refuse(lines[-1] + "{not json\n", MC_ERROR_PARSE, "<lines>:2")
    # The course's rules: its last event dated back to the order comes before events stored.
    # The event-log reader reports a line its course rejects as a parse error of the line, with
    # the course, the event and the rule (MC_ERROR_RULE_VIOLATION is kept for a rule violation
    # that reaches the interface as such).
    assert last["type"] != "course_ordered"
    early = {**last, "date": course.ordered_on.isoformat()}
    status, count = journal.append(json.dumps(early) + "\n")
    assert count == 12345
    assert status in (MC_ERROR_PARSE, MC_ERROR_RULE_VIOLATION), message(lib)
    assert f"course {course.id}, event #" in message(lib)
    assert "dates out of order" in message(lib)
    assert journal.event_count(course.id) == stored
    # A course that is not in the journal, and an order of one that is.
    other = json.loads(lines[1])
    other["course"] = "K-404"
    assert refuse(json.dumps(other) + "\n", MC_ERROR_NOT_FOUND, "K-404") == MC_FAULT_UNKNOWN_COURSE
    assert refuse(lines[0], MC_ERROR_DUPLICATE, course.id) == MC_FAULT_DUPLICATE
    assert lib.mc_fault_name(MC_FAULT_DUPLICATE) == b"duplicate"
    # An empty text stores nothing and is not an error.
    assert journal.append("") == (MC_OK, 0)
    ok(lib, journal.append(lines[-1])[0])
    assert journal.event_count(course.id) == len(course.events)


def test_cpr_numbers_never_reach_a_message_or_the_journal(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    course = courses[2]
    lines = log_lines(course).splitlines(keepends=True)
    order = json.loads(lines[0])

    # A "cpr" field without a pseudonymisation key: refused, and the message withholds it.
    with_cpr = {k: v for k, v in order.items() if k != "citizen"} | {"cpr": CPR}
    status, _ = journal.append(json.dumps(with_cpr) + "\n")
    refused(lib, status, MC_ERROR_PARSE, "cpr")
    # A CPR number as a course id, and in a free text of a line that is refused.
    status, _ = journal.append(json.dumps({**order, "course": CPR}) + "\n")
    refused(lib, status, MC_ERROR_PARSE)
    bad_text = {**order, "target_group": f"see {CPR_SHAPES[1]}"}
    status, _ = journal.append(json.dumps(bad_text) + "\n")
    refused(lib, status, MC_ERROR_PARSE, "target_group")
    assert journal.event_count(course.id) == 0

    # A CPR number in a free text of a valid line: stored redacted.
    ok(lib, journal.append("".join(lines))[0])
    texts = [json.loads(line) for line in lines]
    with_text = next(
        (e for e in texts[1:] if isinstance(e.get("reason"), str)),
        None,
    )
    assert with_text is not None
    # Re-entered as a new course whose phase change gives its reason with a CPR number.
    copy = [dict(e, course="K-cpr") for e in texts]
    copy[texts.index(with_text)]["reason"] = f"called the citizen, {CPR_SHAPES[1]}"
    ok(lib, journal.append("".join(json.dumps(e) + "\n" for e in copy))[0])
    stored = journal.events_of("K-cpr")
    assert "[redacted: possible CPR number]" in stored
    assert all(shape not in stored for shape in CPR_SHAPES)

    # A purpose that names a citizen by CPR number is redacted in the audit trail too.
    status, handle = journal.course(course.id, "cw-17", f"complaint from {CPR}")
    ok(lib, status)
    lib.mc_course_free(handle)
    audit = json.dumps(journal.audit())
    assert all(shape not in audit for shape in CPR_SHAPES)

    # With the key, the order's CPR number becomes the citizen key before it is stored.
    status, keyed = open_journal(lib, tmp_path / "keyed.db", key=KEY)
    ok(lib, status)
    try:
        with_key = Journal(lib, keyed)
        ok(lib, with_key.append(json.dumps(with_cpr) + "\n")[0])
        stored = with_key.events_of(course.id)
        assert all(shape not in stored for shape in CPR_SHAPES)
        assert json.loads(stored.splitlines()[-1])["citizen"] == mc.pseudonymise(CPR, KEY)
    finally:
        lib.mc_journal_close(keyed)
    status, _ = open_journal(lib, tmp_path / "short-key.db", key=b"short")
    assert "short" not in refused(lib, status, MC_ERROR_INVALID_VALUE, "pseudonym_key")


def test_a_read_needs_an_actor_and_a_purpose(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course]
) -> None:
    ok(lib, journal.append(log_lines(courses[0]))[0])
    id = courses[0].id
    for actor, purpose, expected, field in [
        ("cw-17", "", MC_ERROR_INVALID_VALUE, "purpose"),
        ("cw-17", None, MC_ERROR_ARGUMENT, "purpose"),
        ("", "review", MC_ERROR_INVALID_VALUE, "actor"),
        (None, "review", MC_ERROR_ARGUMENT, "actor"),
        ("not a staff id!", "review", MC_ERROR_INVALID_VALUE, "actor"),
    ]:
        for day in (None, "2025-12-31"):
            status, handle = journal.course(id, actor, purpose, day)
            refused(lib, status, expected, field)
            assert handle.value is None
    summary = ctypes.c_void_p()
    status = lib.mc_journal_summary(
        journal.handle, b"analyst", b"", b"2025-12-31", ctypes.byref(summary)
    )
    refused(lib, status, MC_ERROR_INVALID_VALUE, "purpose")
    export = b"/nonexistent/never-written.jsonl"
    status = lib.mc_journal_export_log(journal.handle, export, b"analyst", b"", None, 0)
    refused(lib, status, MC_ERROR_INVALID_VALUE, "purpose")
    # Nothing was read, so nothing was recorded.
    assert journal.audit() == []
    status, handle = journal.course("K-404", "cw-17", "review")
    refused(lib, status, MC_ERROR_NOT_FOUND, "K-404")
    assert lib.mc_last_fault() == MC_FAULT_UNKNOWN_COURSE


def test_null_arguments_name_the_argument(lib: ctypes.CDLL, journal: Journal) -> None:
    handle = ctypes.c_void_p()
    refused(lib, lib.mc_journal_open(None, None, ctypes.byref(handle)), MC_ERROR_ARGUMENT, "path")
    refused(lib, lib.mc_journal_open(b"x.db", None, None), MC_ERROR_ARGUMENT, "out")
    status = lib.mc_journal_append_lines(None, b"", 0, None)
    refused(lib, status, MC_ERROR_ARGUMENT, "journal")
    status = lib.mc_journal_append_lines(journal.handle, None, 3, None)
    refused(lib, status, MC_ERROR_ARGUMENT, "lines")
    refused(
        lib,
        lib.mc_journal_course(journal.handle, None, b"a", b"b", ctypes.byref(handle)),
        MC_ERROR_ARGUMENT,
        "id",
    )
    refused(lib, lib.mc_course_event_count(None, None), MC_ERROR_ARGUMENT, "course")
    options = JournalOptions()
    lib.mc_journal_options_init(ctypes.byref(options))
    options.struct_size = 8
    status = lib.mc_journal_open(b"x.db", ctypes.byref(options), ctypes.byref(handle))
    refused(lib, status, MC_ERROR_ARGUMENT, "struct_size")
    # Releasing NULL is allowed, as free(NULL) is.
    lib.mc_free(None)
    lib.mc_journal_close(None)
    lib.mc_course_free(None)
    lib.mc_summary_free(None)


def test_export_is_the_event_log_and_imports(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course], tmp_path: pathlib.Path
) -> None:
    ok(lib, journal.append(log_lines(courses))[0])
    everything = tmp_path / "all.jsonl"
    ok(
        lib,
        lib.mc_journal_export_log(
            journal.handle, str(everything).encode(), b"dpo-1", b"yearly copy", None, 0
        ),
    )
    assert everything.read_text() == written(courses)

    chosen = (ctypes.c_char_p * 2)(courses[3].id.encode(), courses[1].id.encode())
    some = tmp_path / "some.jsonl.gz"
    ok(
        lib,
        lib.mc_journal_export_log(
            journal.handle, str(some).encode(), b"dpo-1", b"to the provider", chosen, 2
        ),
    )
    read_back = mc.read_events(some, reference=mc.synthetic.reference())
    assert written(read_back) == written([courses[1], courses[3]])
    missing = (ctypes.c_char_p * 1)(b"K-404")
    status = lib.mc_journal_export_log(
        journal.handle, str(tmp_path / "none.jsonl").encode(), b"dpo-1", b"x", missing, 1
    )
    refused(lib, status, MC_ERROR_NOT_FOUND, "K-404")
    assert not (tmp_path / "none.jsonl").exists()

    entries = journal.audit(action="export_log")
    assert [e["courses"] for e in entries] == [[], [courses[1].id, courses[3].id]]
    assert [e["actor"] for e in entries] == ["dpo-1", "dpo-1"]

    status, second = open_journal(lib, tmp_path / "second.db")
    ok(lib, status)
    try:
        numbers = [ctypes.c_size_t() for _ in range(3)]
        ok(
            lib,
            lib.mc_journal_import_log(
                second, str(everything).encode(), *(ctypes.byref(n) for n in numbers)
            ),
        )
        assert [n.value for n in numbers] == [
            len(courses),
            sum(len(c.events) for c in courses),
            0,
        ]
        status = lib.mc_journal_import_log(second, str(some).encode(), None, None, None)
        refused(lib, status, MC_ERROR_DUPLICATE, courses[1].id)
        copy = tmp_path / "copy.db"
        ok(lib, lib.mc_journal_backup(second, str(copy).encode()))
    finally:
        lib.mc_journal_close(second)
    status, third = open_journal(lib, copy)
    ok(lib, status)
    assert Journal(lib, third).events_of(courses[4].id) == written(courses[4])
    lib.mc_journal_close(third)


def test_summary_counts_the_courses_ordered_by_a_day(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course]
) -> None:
    ok(lib, journal.append(log_lines(courses))[0])
    day = sorted(c.ordered_on for c in courses)[3]
    summary = ctypes.c_void_p()
    ok(
        lib,
        lib.mc_journal_summary(
            journal.handle,
            b"analyst-2",
            b"monthly figures",
            day.isoformat().encode(),
            ctypes.byref(summary),
        ),
    )
    try:
        ordered = [c for c in courses if c.ordered_on <= day]
        closed = [c for c in ordered if c.closed_on is not None and c.closed_on <= day]
        count = ctypes.c_size_t()
        ok(lib, lib.mc_summary_course_count(summary, ctypes.byref(count)))
        assert count.value == len(ordered) == 4
        cell = ctypes.c_int64()
        ok(lib, lib.mc_summary_count(summary, b"exits", b"courses", ctypes.byref(cell)))
        assert cell.value == len(ordered)
        ok(lib, lib.mc_summary_count(summary, b"exits", b"closed", ctypes.byref(cell)))
        assert cell.value == len(closed)
        status = lib.mc_summary_count(summary, b"exitz", b"closed", ctypes.byref(cell))
        refused(lib, status, MC_ERROR_INVALID_VALUE, "table")
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        ok(lib, lib.mc_summary_json(summary, ctypes.byref(out), ctypes.byref(length)))
        document = json.loads(take_buffer(lib, out, length))
    finally:
        lib.mc_summary_free(summary)
    assert document["as_of"] == day.isoformat()
    assert document["courses"] == len(ordered)
    tables = document["tables"]
    assert list(tables)[:2] == ["exits", "statuses"]
    assert {"stages", "ratings"} <= set(tables)
    assert tables["exits"]["open"] + tables["exits"]["closed"] == len(ordered)
    contacts = sum(
        1 for c in ordered for e in c.events if e.type == "contact_logged" and e.date <= day
    )
    assert sum(v for k, v in tables["contacts"].items() if k.endswith(":contacts")) == contacts
    (entry,) = journal.audit(action="read_cohort")
    assert (entry["actor"], entry["purpose"], entry["courses"]) == (
        "analyst-2",
        "monthly figures",
        [],
    )


def test_faults_of_the_file(lib: ctypes.CDLL, tmp_path: pathlib.Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a journal\n" * 100)
    status, handle = open_journal(lib, notes)
    refused(lib, status, MC_ERROR_JOURNAL, "notes.txt")
    assert lib.mc_last_fault() == MC_FAULT_NOT_A_JOURNAL
    assert lib.mc_fault_name(lib.mc_last_fault()) == b"not_a_journal"
    assert handle.value is None

    path = tmp_path / "journal.db"
    (course,) = mc.synthetic.generate(1, seed=2)
    status, handle = open_journal(lib, path)
    ok(lib, status)
    ok(lib, Journal(lib, handle).append(log_lines(course))[0])
    lib.mc_journal_close(handle)
    status, handle = open_journal(lib, path, read_only=True)
    ok(lib, status)
    try:
        read_only = Journal(lib, handle)
        order = log_lines(mc.synthetic.generate(2, seed=2)[1]).splitlines()[0]
        status, _ = read_only.append(order + "\n")
        refused(lib, status, MC_ERROR_JOURNAL, "journal.db")
        assert lib.mc_last_fault() == MC_FAULT_READ_ONLY
        # A read must record itself, which a read-only journal cannot: refused; the audit
        # trail, for an auditor, still answers.
        status, course_handle = read_only.course(course.id, "cw-17", "review")
        refused(lib, status, MC_ERROR_JOURNAL, "journal.db")
        assert lib.mc_last_fault() == MC_FAULT_READ_ONLY
        assert course_handle.value is None
        assert read_only.audit() == []
        assert read_only.event_count(course.id) == len(course.events)
    finally:
        lib.mc_journal_close(handle)


def test_messages_are_per_thread(lib: ctypes.CDLL, journal: Journal) -> None:
    status, _ = journal.append("{not json\n")
    refused(lib, status, MC_ERROR_PARSE)
    mine = message(lib)
    seen: list[tuple[str, str]] = []

    def elsewhere() -> None:
        before = message(lib)
        handle = ctypes.c_void_p()
        lib.mc_journal_course(journal.handle, b"K-1", b"cw-17", b"", ctypes.byref(handle))
        seen.append((before, message(lib)))

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    ((before, theirs),) = seen
    assert before == ""
    assert "purpose" in theirs
    assert message(lib) == mine


def test_one_handle_shared_by_threads(
    lib: ctypes.CDLL, journal: Journal, courses: list[mc.Course]
) -> None:
    """ctypes releases the GIL around each call, so the threads call the library at once: the
    library serialises them on the handle, and every read is there once in the audit trail."""
    ok(lib, journal.append(log_lines(courses))[0])
    expected = {c.id: written(c) for c in courses}
    failures: list[str] = []

    def reader(worker: int) -> None:
        for turn in range(10):
            course = courses[(worker + turn) % len(courses)]
            out = ctypes.c_void_p()
            status = lib.mc_journal_course(
                journal.handle,
                course.id.encode(),
                f"worker-{worker}".encode(),
                b"load test",
                ctypes.byref(out),
            )
            if status != MC_OK:
                failures.append(message(lib))
                continue
            try:
                buffer = ctypes.c_void_p()
                length = ctypes.c_size_t()
                if lib.mc_course_events_json(out, ctypes.byref(buffer), ctypes.byref(length)):
                    failures.append(message(lib))
                elif take_buffer(lib, buffer, length) != expected[course.id]:
                    failures.append(f"{course.id}: other lines than written")
            finally:
                lib.mc_course_free(out)

    threads = [threading.Thread(target=reader, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    entries = journal.audit(action="read_course")
    assert len(entries) == 40
    assert [e["sequence"] for e in entries] == sorted(e["sequence"] for e in entries)
    assert {e["actor"] for e in entries} == {f"worker-{w}" for w in range(4)}
