"""mentorcore.read_cohort: event-log files streamed into a Cohort equal
``Cohort.from_courses(read_events(...))``, in both modes, on one thread or several."""

from __future__ import annotations

import gzip
import json
import os
import pathlib
import random
import re
import threading

import numpy as np
import pytest

import mentorcore as mc
from mentorcore import _core


def _same_cohort(a: mc.Cohort, b: mc.Cohort) -> None:
    assert len(a) == len(b)
    kinds: set[str] = set()
    for table in a.tables:
        assert a.rows(table) == b.rows(table), table
        left, right = a.arrays(table), b.arrays(table)
        assert list(left) == list(right)
        for name, values in left.items():
            nan = values.dtype.kind == "f"
            assert np.array_equal(values, right[name], equal_nan=nan), f"{table}.{name}"
        kinds.update(d for *_, d in a.schema(table) if d is not None)
    for kind in sorted(kinds):
        assert a.dictionary(kind) == b.dictionary(kind), kind


def _lines(path: pathlib.Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _course(line: str) -> str:
    return str(json.loads(line).get("course", ""))


def _interleaved(lines: list[str], seed: int) -> list[str]:
    """The lines with the courses' lines shuffled together, each course's in order; the header
    stays first."""
    header = [line for line in lines if json.loads(line).get("type") == "header"]
    by_course: dict[str, list[str]] = {}
    for line in lines:
        if line not in header:
            by_course.setdefault(_course(line), []).append(line)
    order = [name for name, own in by_course.items() for _ in own]
    random.Random(seed).shuffle(order)
    taken = {name: iter(own) for name, own in by_course.items()}
    return header + [next(taken[name]) for name in order]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("read_cohort") / "log.jsonl"
    mc.synthetic.write(path, 30, seed=5, threads=1)
    return path


def _expected(paths: list[pathlib.Path]) -> mc.Cohort:
    return mc.Cohort.from_courses([c for path in paths for c in mc.read_events(path)])


@pytest.mark.parametrize("threads", [1, 2, None])
def test_read_cohort_equals_from_courses_of_read_events(
    log: pathlib.Path, threads: int | None
) -> None:
    expected = _expected([log])
    _same_cohort(mc.read_cohort(log, threads=threads), expected)
    result = mc.read_cohort([str(log)], on_error="collect", threads=threads)
    assert isinstance(result, mc.CohortReadResult)
    cohort, rejected = result
    assert rejected == []
    assert result.redacted_texts == 0
    _same_cohort(cohort, expected)
    assert "no line rejected" in str(result)


@pytest.mark.parametrize("threads", [1, 2])
def test_the_events_of_a_course_spread_through_the_file(
    log: pathlib.Path, tmp_path: pathlib.Path, threads: int
) -> None:
    path = tmp_path / "spread.jsonl"
    path.write_text("\n".join(_interleaved(_lines(log), 3)) + "\n", encoding="utf-8")
    _same_cohort(mc.read_cohort(path, threads=threads), _expected([path]))


@pytest.mark.parametrize("threads", [1, 2])
def test_several_files_plain_and_gzip(
    log: pathlib.Path, tmp_path: pathlib.Path, threads: int
) -> None:
    lines = _lines(log)
    header, events = lines[:1], lines[1:]
    assert json.loads(header[0])["type"] == "header"
    names = list(dict.fromkeys(_course(line) for line in events))
    first = set(names[:12])
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b.jsonl.gz"
    a.write_text("\n".join(header + [x for x in events if _course(x) in first]) + "\n")
    rest = _interleaved(header + [x for x in events if _course(x) not in first], 8)
    b.write_bytes(gzip.compress(("\n".join(rest) + "\n").encode()))
    cohort = mc.read_cohort([a, b], threads=threads)
    assert len(cohort) == 30
    _same_cohort(cohort, _expected([a, b]))


@pytest.mark.parametrize("threads", [1, 2])
def test_a_byte_order_mark_at_the_start_is_skipped_and_elsewhere_named(
    log: pathlib.Path, tmp_path: pathlib.Path, threads: int
) -> None:
    # Windows tools (Notepad, Excel) start a UTF-8 file with one; the header is the first line.
    data = log.read_bytes()
    plain = tmp_path / "bom.jsonl"
    packed = tmp_path / "bom.jsonl.gz"
    plain.write_bytes(b"\xef\xbb\xbf" + data)
    packed.write_bytes(gzip.compress(b"\xef\xbb\xbf" + data))
    expected = _expected([log])
    for path in (plain, packed):
        _same_cohort(mc.read_cohort(path, threads=threads), expected)
        assert len(mc.read_events(path)) == 30
    # Two logs joined: the second one's mark starts a line in the middle.
    joined = tmp_path / "joined.jsonl"
    first = data.split(b"\n", 2)
    joined.write_bytes(first[0] + b"\n" + first[1] + b"\n\xef\xbb\xbf" + first[2])
    with pytest.raises(mc.ParseError) as caught:
        mc.read_cohort(joined, threads=threads)
    assert caught.value.line == 3
    assert "a byte order mark (U+FEFF) starts the line" in str(caught.value)


@pytest.mark.parametrize("threads", [1, 2])
def test_collect_mode_rejects_what_read_events_rejects(
    log: pathlib.Path, tmp_path: pathlib.Path, threads: int
) -> None:
    lines = _interleaved(_lines(log), 4)
    lines.insert(40, "not an event at all")
    bad_date = json.loads(lines[100])
    bad_date["date"] = "2023-02-30"
    lines.insert(100, json.dumps(bad_date))
    lines.insert(300, lines[0])  # a second header
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    courses, rejected = mc.read_events(path, on_error="collect")
    result = mc.read_cohort(path, on_error="collect", threads=threads)
    assert [(r.line, r.course, r.message) for r in result.rejected] == [tuple(r) for r in rejected]
    assert {r.file for r in result.rejected} == {str(path)}
    assert len(rejected) >= 3
    _same_cohort(result.cohort, mc.Cohort.from_courses(courses))
    assert str(result.rejected[0]).startswith(f"{path}:{rejected[0].line}: ")
    assert "rejected" in str(result) and "rejected" in result._repr_html_()
    assert "CohortReadResult(cohort=<Cohort" in repr(result)

    with pytest.raises(mc.ParseError) as raised:
        mc.read_events(path)
    with pytest.raises(mc.ParseError, match=f"^{re.escape(str(raised.value))}$"):
        mc.read_cohort(path, threads=threads)


def test_a_pipe_is_read_once(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    data = log.read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as out:
            out.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        cohort = mc.read_cohort(fifo, threads=2)
    finally:
        writer.join()
    _same_cohort(cohort, _expected([log]))


def test_files_that_are_not_logs(log: pathlib.Path, tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(mc.ParseError, match=r"missing\.jsonl:0: cannot open the file"):
        mc.read_cohort([log, missing])
    with pytest.raises(mc.ParseError, match="it is a directory, not an event log") as e:
        mc.read_cohort(tmp_path)
    assert e.value.source == str(tmp_path)
    twice = tmp_path / "twice.jsonl"
    twice.write_bytes(log.read_bytes())
    for mode in ("raise", "collect"):
        with pytest.raises(mc.ParseError, match="is also in") as e:
            mc.read_cohort([log, twice], on_error=mode)  # type: ignore[call-overload]
        assert e.value.field == "course"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"paths": 3}, "paths"),
        ({"paths": [b"log.jsonl"]}, "paths"),
        ({"on_error": "ignore"}, "on_error"),
        ({"threads": 0}, "threads"),
        ({"threads": True}, "threads"),
        ({"threads": 1.5}, "threads"),
        ({"reference": "builtin"}, "reference"),
        ({"pseudonym_key": 12}, "pseudonym_key"),
    ],
)
def test_arguments_are_checked(log: pathlib.Path, kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"paths": log, **kwargs}
    with pytest.raises(mc.InvalidValueError) as e:
        mc.read_cohort(**arguments)  # type: ignore[arg-type]
    assert e.value.field == field


def test_a_progress_callback_that_raises_stops_the_read(log: pathlib.Path) -> None:
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))

    _core.read_cohort([str(log)], None, None, False, 2, progress)
    assert calls[-1] == (2 * log.stat().st_size, 2 * log.stat().st_size)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _core.read_cohort([str(log)], None, None, False, 2, interrupt)


def test_the_progress_bar_runs_on_large_inputs(
    log: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorcore import cohort_reader

    monkeypatch.setattr(cohort_reader, "_PROGRESS_BYTES", 0)
    _same_cohort(mc.read_cohort(log), _expected([log]))
