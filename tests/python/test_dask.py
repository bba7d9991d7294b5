"""mentorcore.dask.summarise: the summary of an event log computed partition by partition on Dask
(files, byte ranges between courses, a Dask DataFrame) equals the single-process summary."""

from __future__ import annotations

import datetime
import itertools
import json
import pathlib
import pickle
import random
import re
import sys
from typing import Any

import pandas as pd
import pytest

import mentorcore as mc

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
dd = pytest.importorskip("dask.dataframe")

import mentorcore.dask as md  # noqa: E402 - after the skips: needs dask

AS_OF = datetime.date(2025, 6, 30)
BY = ["municipality", "provider"]


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return list(mc.synthetic.generate(240, seed=16, threads=1))


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory, courses: list[mc.Course]) -> pathlib.Path:
    """A folder with the whole log and the same courses in three files."""
    folder = tmp_path_factory.mktemp("dask")
    mc.write_events(courses, folder / "whole.jsonl")
    for part in range(3):
        mc.write_events(courses[part * 80 : (part + 1) * 80], folder / f"part-{part}.jsonl")
    # Small logs for the frames: pandas' JSON reader is slow.
    for part in range(2):
        mc.write_events(courses[part * 30 : (part + 1) * 30], folder / f"small-{part}.jsonl")
    return folder


def _parts(logs: pathlib.Path) -> list[pathlib.Path]:
    return [logs / f"part-{part}.jsonl" for part in range(3)]


@pytest.fixture(scope="module")
def expected(logs: pathlib.Path) -> dict[str, mc.CohortSummary]:
    cohort = mc.read_cohort(logs / "whole.jsonl")
    return {
        "none": cohort.summary(as_of=AS_OF),
        "by": cohort.summary(as_of=AS_OF, by=BY),
    }


@pytest.fixture(scope="module")
def events(logs: pathlib.Path) -> pd.DataFrame:
    """The first third of the log as a pandas frame of events, as dask.dataframe.read_json
    gives it."""
    frame: pd.DataFrame = dd.read_json(
        str(logs / "small-0.jsonl"), lines=True, precise_float=True
    ).compute()
    return frame


@pytest.fixture(scope="module")
def expected_part(logs: pathlib.Path) -> mc.CohortSummary:
    return mc.read_cohort(logs / "small-0.jsonl").summary(as_of=AS_OF, by=BY)


@pytest.fixture(scope="module")
def cluster() -> object:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        worker_dashboard_address=":0",
    ) as local:
        yield local


def _interleaved(path: pathlib.Path, target: pathlib.Path) -> None:
    """The log's lines with the courses shuffled together (each course's in order), as a
    date-sorted log has them; the header stays first."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header, events = lines[:1], lines[1:]
    assert json.loads(header[0])["type"] == "header"
    own: dict[str, list[str]] = {}
    for line in events:
        own.setdefault(json.loads(line)["course"], []).append(line)
    order = [name for name, its in own.items() for _ in its]
    random.Random(3).shuffle(order)
    taken = {name: iter(its) for name, its in own.items()}
    target.write_text("\n".join(header + [next(taken[name]) for name in order]) + "\n")


# ---------------------------------------------------------------------------------------------
# The same summary as one process


def test_on_a_local_cluster_files_and_byte_ranges_give_the_single_process_summary(
    cluster: object, logs: pathlib.Path, expected: dict[str, mc.CohortSummary]
) -> None:
    with distributed.Client(cluster) as client:
        assert distributed.get_client() is client
        whole = logs / "whole.jsonl"
        assert md.summarise(_parts(logs), as_of=AS_OF) == expected["none"]
        assert md.summarise(_parts(logs), as_of=AS_OF, by=BY) == expected["by"]
        # About 26 byte ranges of 200 kB: more than one level of the tree.
        assert len(md._file_parts([str(whole)], 200_000)) > md.SPLIT_EVERY
        result = md.summarise(whole, as_of=AS_OF, by=BY, blocksize=200_000)
        assert result == expected["by"]
        assert isinstance(result, mc.CohortSummary)
        assert result.kpis().equals(expected["by"].kpis())
        # The partitions ran on the workers, in their processes.
        assert len(client.scheduler_info()["workers"]) == 2


def test_errors_from_the_workers_keep_their_class_and_attributes(
    cluster: object, tmp_path: pathlib.Path, logs: pathlib.Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    line = _with_a_bad_date(logs, bad)
    mixed = tmp_path / "by-date.jsonl"
    _interleaved(logs / "whole.jsonl", mixed)
    with distributed.Client(cluster):
        with pytest.raises(mc.ParseError) as caught:
            md.summarise(bad, as_of=AS_OF, blocksize=300_000)
        assert (caught.value.source, caught.value.line, caught.value.field) == (
            str(bad),
            line,
            "date",
        )
        with pytest.raises(mc.InvalidValueError) as split:
            md.summarise(mixed, as_of=AS_OF, blocksize=300_000)
        assert split.value.field == "blocksize"
        assert split.value.value == "300000"


def test_on_the_local_scheduler_the_same(
    logs: pathlib.Path, expected: dict[str, mc.CohortSummary]
) -> None:
    with pytest.raises(ValueError):
        distributed.get_client()  # no client: Dask's local scheduler runs it
    whole = logs / "whole.jsonl"
    assert md.summarise(str(whole), as_of=AS_OF) == expected["none"]
    assert md.summarise(_parts(logs), as_of=AS_OF, by=BY) == expected["by"]
    # `by` is checked once, on the client: an iterator of names is not used up by the check.
    assert md.summarise(_parts(logs), as_of=AS_OF, by=iter(BY)) == expected["by"]
    for blocksize in (100_000, "1 MiB"):
        assert md.summarise(whole, as_of=AS_OF, by=BY, blocksize=blocksize) == expected["by"]


def test_merge_order_does_not_matter(
    logs: pathlib.Path, expected: dict[str, mc.CohortSummary]
) -> None:
    pieces = [mc.read_cohort(path).summary(as_of=AS_OF, by=BY) for path in _parts(logs)]
    for a, b, c in itertools.permutations(pieces):
        assert (a + b) + c == expected["by"]
        assert a + (b + c) == expected["by"]
    assert md.summarise(_parts(logs)[::-1], as_of=AS_OF, by=BY) == expected["by"]
    # The tree's own combine step, in any order of its inputs.
    how = md._How("files", None)
    options = md._Options(AS_OF, BY, None, None, b"0" * 16)
    parts = [
        md._summarise_file(md._FilePart(index, str(path), 0, None), options)
        for index, path in enumerate(_parts(logs))
    ]
    for order in itertools.permutations(parts):
        assert md._finish(md._combine(how, *order)) == expected["by"]


def test_an_empty_list_of_files_is_the_empty_summary() -> None:
    assert md.summarise([], as_of=AS_OF) == mc.Cohort.from_courses([]).summary(as_of=AS_OF)


# ---------------------------------------------------------------------------------------------
# Byte ranges


def test_byte_ranges_tile_the_file_and_hold_every_course_whole(logs: pathlib.Path) -> None:
    whole = logs / "whole.jsonl"
    data = whole.read_bytes()
    size = len(data)
    courses_of_line = [json.loads(line).get("course") for line in data.splitlines()]
    starts = [0]
    for line in data.splitlines(keepends=True)[:-1]:
        starts.append(starts[-1] + len(line))
    with open(whole, "rb") as log:
        for blocksize in (20_000, 300_000):
            cuts = [md._course_boundary(log, offset, size) for offset in range(0, size, blocksize)]
            cuts.append(size)
            assert cuts[0] == 0 and cuts == sorted(cuts)
            seen: set[str] = set()
            for start, stop in itertools.pairwise(cuts):
                if start == stop:
                    continue
                assert start in starts  # at a line start
                inside = {
                    courses_of_line[at] for at, first in enumerate(starts) if start <= first < stop
                }
                inside.discard(None)  # the header
                assert not inside & seen, blocksize
                seen |= inside
            assert len(seen) == 240


def _with_a_bad_date(logs: pathlib.Path, bad: pathlib.Path) -> int:
    """Writes the whole log to `bad` with a date that does not exist, three quarters in; its
    line number."""
    lines = (logs / "whole.jsonl").read_text(encoding="utf-8").splitlines()
    # Ratings need the header's instruments: a range without it would reject them.
    assert any('"type":"rating_recorded"' in line for line in lines[len(lines) // 2 :])
    at = len(lines) * 3 // 4
    record = json.loads(lines[at])
    record["date"] = "2024-02-30"
    lines[at] = json.dumps(record)
    bad.write_text("\n".join(lines) + "\n")
    return at + 1


def test_a_byte_range_gets_the_header_and_reports_lines_of_the_whole_file(
    tmp_path: pathlib.Path, logs: pathlib.Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    line = _with_a_bad_date(logs, bad)
    with pytest.raises(mc.ParseError) as caught:
        md.summarise(bad, as_of=AS_OF, blocksize=100_000)
    assert caught.value.source == str(bad)
    assert caught.value.line == line
    assert caught.value.field == "date"
    assert str(caught.value).startswith(f"{bad}:{line}: ")
    assert "2024-02-30" in str(caught.value)
    assert "mentorcore-dask" not in str(caught.value)  # not the temporary file
    with pytest.raises(mc.ParseError) as whole_file:
        md.summarise(bad, as_of=AS_OF)
    assert str(whole_file.value) == str(caught.value)


def test_a_gzip_log_is_one_partition(tmp_path: pathlib.Path, courses: list[mc.Course]) -> None:
    path = tmp_path / "log.jsonl.gz"
    mc.write_events(courses[:40], path)
    assert md._file_parts([str(path)], 1) == [md._FilePart(0, str(path), 0, None)]
    expected = mc.read_cohort(path).summary(as_of=AS_OF, by="municipality")
    assert md.summarise(path, as_of=AS_OF, by="municipality", blocksize=1) == expected


# ---------------------------------------------------------------------------------------------
# A course in two partitions


def test_an_interleaved_log_cannot_be_split_into_byte_ranges(
    tmp_path: pathlib.Path, logs: pathlib.Path, expected: dict[str, mc.CohortSummary]
) -> None:
    mixed = tmp_path / "by-date.jsonl"
    _interleaved(logs / "whole.jsonl", mixed)
    assert md.summarise(mixed, as_of=AS_OF, by=BY) == expected["by"]  # one partition: fine
    with pytest.raises(mc.InvalidValueError) as caught:
        md.summarise(mixed, as_of=AS_OF, by=BY, blocksize=200_000)
    message = str(caught.value)
    assert caught.value.field == "blocksize"
    assert "interleaves its courses" in message
    assert "blocksize=None" in message
    assert f"{mixed} bytes " in message
    assert "C-0" not in message  # no course id


@pytest.mark.parametrize("blocksize", [None, 1000])
def test_a_course_in_two_files_is_an_error(
    tmp_path: pathlib.Path, logs: pathlib.Path, blocksize: int | None
) -> None:
    lines = (logs / "part-1.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[1])["course"]
    own = [line for line in lines[1:] if json.loads(line)["course"] == first]
    head, tail = tmp_path / "head.jsonl", tmp_path / "tail.jsonl"
    head.write_text("\n".join([lines[0], *own[:5]]) + "\n")
    tail.write_text("\n".join([lines[0], *own[5:]]) + "\n")
    with pytest.raises(mc.ParseError) as caught:
        md.summarise([head, tail], as_of=AS_OF, blocksize=blocksize)
    assert caught.value.field == "course"
    assert caught.value.source == str(tail)
    assert "in two files" in str(caught.value)
    assert str(head) in str(caught.value) and str(tail) in str(caught.value)
    assert first not in str(caught.value)


def test_partitions_send_hashes_of_course_ids_not_the_ids(logs: pathlib.Path) -> None:
    options = md._Options(AS_OF, None, None, None, b"k" * 16)
    part = md._summarise_file(md._FilePart(0, str(logs / "part-0.jsonl"), 0, None), options)
    assert part.courses.dtype.name == "int64" and len(part.courses) == 80
    assert list(part.courses) == sorted(part.courses)
    sent = pickle.dumps(part)
    assert b"C-0" not in sent and b"P-" not in sent  # no course id, no citizen key
    other = md._Options(AS_OF, None, None, None, b"j" * 16)
    again = md._summarise_file(md._FilePart(0, str(logs / "part-0.jsonl"), 0, None), other)
    assert not set(part.courses) & set(again.courses)  # keyed: a new key per call


# ---------------------------------------------------------------------------------------------
# A Dask DataFrame of events


def test_a_dataframe_of_events_gives_the_same_summary(
    logs: pathlib.Path, events: pd.DataFrame, expected_part: mc.CohortSummary
) -> None:
    # As read_json gives it by default: dates as timestamps, whole numbers as floats where a
    # column has gaps, lists and the header's document as the text of their Python repr.
    frame = dd.read_json(str(logs / "small-0.jsonl"), lines=True)
    assert frame.npartitions == 1
    assert md.summarise(frame, as_of=AS_OF, by=BY) == expected_part
    same = dd.from_pandas(events, npartitions=1, sort=False)
    assert md.summarise(same, as_of=AS_OF, by=BY) == expected_part


def test_a_frame_of_several_logs_reads_each_partition_with_its_header(
    logs: pathlib.Path,
) -> None:
    # Two logs, each with its header row first, one partition each.
    small = [logs / "small-0.jsonl", logs / "small-1.jsonl"]
    frames = [dd.read_json(str(path), lines=True, precise_float=True) for path in small]
    both = dd.concat(frames)
    assert both.npartitions == 2
    expected_both = mc.read_cohort(small).summary(as_of=AS_OF, by=BY)
    assert md.summarise(both, as_of=AS_OF, by=BY) == expected_both


def test_a_course_split_between_frame_partitions_is_an_error(
    cluster: object, logs: pathlib.Path
) -> None:
    # Read by Dask on the workers (from_pandas would send the data in the graph).
    frame = dd.read_json(str(logs / "small-0.jsonl"), lines=True, precise_float=True)
    split = frame.repartition(npartitions=3)
    with distributed.Client(cluster), pytest.raises(mc.InvalidValueError) as caught:
        md.summarise(split, as_of=AS_OF, by=BY)
    assert re.search(
        r"a course has rows in partition (0|1) and in partition (1|2);", str(caught.value)
    )
    assert "repartition by course" in str(caught.value)


def test_a_frame_repartitioned_by_course_as_docs_scaling_shows(
    events: pd.DataFrame, expected_part: mc.CohortSummary
) -> None:
    split = dd.from_pandas(events, npartitions=3, sort=False)
    with pytest.raises(mc.InvalidValueError, match="repartition by course"):
        md.summarise(split, as_of=AS_OF, by=BY)
    # The recipe of docs/scaling.md: drop the header, number the rows, shuffle, restore order.
    rows: Any = split[split["type"] != "header"]
    rows = rows.assign(line=1)
    rows = rows.assign(line=rows["line"].cumsum())
    by_course = rows.shuffle(on="course").map_partitions(
        lambda part: part.sort_values(["course", "line"], kind="stable").drop(columns="line")
    )
    result = md.summarise(by_course, as_of=AS_OF, by=BY, reference=mc.synthetic.reference())
    assert result == expected_part


def test_a_header_row_after_the_first_partition_is_an_error(events: pd.DataFrame) -> None:
    moved = events.iloc[[*range(1, len(events)), 0]]
    with pytest.raises(mc.InvalidValueError, match=r"^source = .* of partition 1 is a header row"):
        md.summarise(dd.from_pandas(moved, npartitions=2, sort=False), as_of=AS_OF)


def test_a_bad_row_is_named_by_partition_and_row(events: pd.DataFrame) -> None:
    frame = events.copy()
    frame.loc[10, "recorded_by"] = "not an id!"
    with pytest.raises(mc.ParseError) as caught:
        md.summarise(dd.from_pandas(frame, npartitions=1, sort=False), as_of=AS_OF)
    assert caught.value.source == "<dask DataFrame partition 0>"
    assert caught.value.line == 11  # row 10 of the partition, counted from 1 as a line
    assert caught.value.field == "recorded_by"


def test_a_frame_with_digits_turned_into_numbers_is_an_error() -> None:
    frame = pd.DataFrame(
        {
            "schema": ["mentorcore/2"],
            "course": [123],
            "type": ["course_ordered"],
            "date": ["2024-01-02"],
        }
    )
    with pytest.raises(mc.InvalidValueError, match="dtype=False"):
        md.summarise(dd.from_pandas(frame, npartitions=1), as_of=AS_OF)


@pytest.mark.parametrize("convert_string", [True, False])
def test_a_frame_read_with_dtype_false_as_docs_scaling_advises(
    logs: pathlib.Path, expected_part: mc.CohortSummary, convert_string: bool
) -> None:
    # Found by adversarial testing: with Dask's string conversion on (its default), the flags
    # of read_json(..., dtype=False) arrive as the texts "True" and "False", and were refused.
    with dask.config.set({"dataframe.convert-string": convert_string}):
        frame = dd.read_json(str(logs / "small-0.jsonl"), lines=True, blocksize=None, dtype=False)
        assert md.summarise(frame, as_of=AS_OF, by=BY) == expected_part


def test_a_flag_as_text_is_turned_back_only_from_true_or_false_in_a_string_column(
    events: pd.DataFrame, expected_part: mc.CohortSummary
) -> None:
    def summarise(frame: pd.DataFrame) -> mc.CohortSummary:
        return md.summarise(dd.from_pandas(frame, npartitions=1, sort=False), as_of=AS_OF, by=BY)

    texts = events.copy()  # read_json's default: flags as 1.0, 0.0 and NaN for the gaps
    present = texts["billable"].notna()
    texts["billable"] = texts["billable"].map({1: "True", 0: "False"}).astype("string")
    assert summarise(texts) == expected_part
    row = int(present.to_numpy().nonzero()[0][0])
    for other in ("true", "1", "yes", ""):
        bad = texts.copy()
        bad.iloc[row, bad.columns.get_loc("billable")] = other
        with pytest.raises(mc.ParseError) as caught:
            summarise(bad)
        assert caught.value.field == "billable"
    # Text in a column of Python objects is not Dask's conversion: refused as in a log. (With
    # the conversion on, Dask makes such a column a string column, and the two cannot be told.)
    objects = texts.copy()
    objects["billable"] = objects["billable"].astype(object)
    with (
        dask.config.set({"dataframe.convert-string": False}),
        pytest.raises(mc.ParseError) as caught,
    ):
        summarise(objects)
    assert caught.value.field == "billable"


def test_a_frame_with_a_column_name_twice_is_an_error_naming_it(events: pd.DataFrame) -> None:
    # Found by adversarial testing: a plain ValueError from pandas ("The truth value of a
    # Series is ambiguous") for two columns named "type".
    for renamed, twice in (("recorded_by", "type"), ("citizen", "mentor")):
        frame = events.copy()
        frame.columns = [twice if name == renamed else name for name in frame.columns]
        with pytest.raises(mc.InvalidValueError, match=rf"^source = '{twice}': .* two columns"):
            md.summarise(dd.from_pandas(frame, npartitions=1, sort=False), as_of=AS_OF)
        # A partition that reaches a worker so is refused there the same way.
        with pytest.raises(mc.InvalidValueError, match=rf"^source = '{twice}'"):
            md._summarise_frame(frame, 0, b"", md._Options(AS_OF, (), None, None, b"k" * 16))


# ---------------------------------------------------------------------------------------------
# Bad input


def test_bad_arguments_raise_errors_naming_them(tmp_path: pathlib.Path, logs: pathlib.Path) -> None:
    whole = logs / "whole.jsonl"
    with pytest.raises(mc.InvalidValueError, match=r"^as_of = None: required"):
        md.summarise(whole)
    with pytest.raises(mc.InvalidValueError, match="as_of"):
        md.summarise(whole, as_of="2025-06-30")  # type: ignore[arg-type]
    with pytest.raises(mc.InvalidValueError, match="as_of"):
        md.summarise(whole, as_of=datetime.datetime(2025, 6, 30, 12))
    with pytest.raises(mc.InvalidValueError, match=r"^by = 'citizen'"):
        md.summarise(whole, as_of=AS_OF, by="citizen")
    with pytest.raises(mc.InvalidValueError, match=r"^source = 42"):
        md.summarise(42, as_of=AS_OF)
    with pytest.raises(mc.InvalidValueError, match=r"^source\[1\] = 7"):
        md.summarise([whole, 7], as_of=AS_OF)
    for blocksize in (0, -5, 1.5, True, "lots"):
        with pytest.raises(mc.InvalidValueError, match=r"^blocksize"):
            md.summarise(whole, as_of=AS_OF, blocksize=blocksize)  # type: ignore[arg-type]
    with pytest.raises(mc.InvalidValueError, match=r"^reference"):
        md.summarise(whole, as_of=AS_OF, reference="builtin")  # type: ignore[arg-type]
    with pytest.raises(mc.InvalidValueError, match=r"^pseudonym_key"):
        md.summarise(whole, as_of=AS_OF, pseudonym_key=5)  # type: ignore[arg-type]
    frame = dd.read_json(str(logs / "small-0.jsonl"), lines=True)
    with pytest.raises(mc.InvalidValueError, match=r"^blocksize"):
        md.summarise(frame, as_of=AS_OF, blocksize=1000)


@pytest.mark.parametrize("blocksize", [None, 1000])
def test_a_missing_file_is_a_parse_error_naming_it(
    tmp_path: pathlib.Path, blocksize: int | None
) -> None:
    missing = tmp_path / "missing.jsonl"
    with pytest.raises(mc.ParseError) as caught:
        md.summarise([missing], as_of=AS_OF, blocksize=blocksize)
    assert str(caught.value) == f"{missing}:0: cannot open the file: No such file or directory"
    assert caught.value.source == str(missing) and caught.value.line == 0


@pytest.mark.parametrize("blocksize", [None, 1000])
def test_a_directory_is_the_parse_error_read_cohort_gives(
    tmp_path: pathlib.Path, blocksize: int | None
) -> None:
    with pytest.raises(mc.ParseError) as expected:
        mc.read_cohort(tmp_path)
    with pytest.raises(mc.ParseError) as caught:
        md.summarise(tmp_path, as_of=AS_OF, blocksize=blocksize)
    assert str(caught.value) == str(expected.value)
    assert (caught.value.source, caught.value.line) == (str(tmp_path), 0)


def test_a_cpr_shaped_number_in_a_path_is_redacted(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "0101901234.jsonl"
    with pytest.raises(mc.ParseError) as caught:
        md.summarise(missing, as_of=AS_OF, blocksize=1000)
    assert "0101901234" not in str(caught.value)
    assert "0101901234" not in caught.value.source
    assert "[redacted: possible CPR number]" in str(caught.value)


def test_without_dask_the_message_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, logs: pathlib.Path
) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)  # import dask now raises ImportError
    with pytest.raises(ImportError, match=r"mentorcore\[dask\]"):
        md.summarise(logs / "whole.jsonl", as_of=AS_OF)
    with pytest.raises(ImportError, match=r"mentorcore\[dask\]"):
        md.summarise(logs / "whole.jsonl", as_of=AS_OF, blocksize="1 MiB")


def test_lists_written_as_python_text_are_read_one_thread_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Found as a failure of test_a_header_row_after_the_first_partition_is_an_error in CI: on
    # CPython 3.11.7, ast.literal_eval in two of Dask's threads at once can raise "SystemError:
    # AST constructor recursion depth mismatch" (python/cpython#106905). The calls take turns;
    # a literal_eval that waits inside shows whether another one ever runs beside it.
    import ast
    import threading
    import time

    from mentorcore import _dask_frames

    inside = 0
    most = 0
    count = threading.Lock()
    literal_eval = ast.literal_eval

    def slow_literal_eval(text: str) -> object:
        nonlocal inside, most
        with count:
            inside += 1
            most = max(most, inside)
        time.sleep(0.01)
        with count:
            inside -= 1
        return literal_eval(text)

    monkeypatch.setattr(_dask_frames.ast, "literal_eval", slow_literal_eval)
    results: list[object] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                _dask_frames._nested("['ordinary', 'health']", "data_categories")
            )
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [["ordinary", "health"]] * 4
    assert most == 1
