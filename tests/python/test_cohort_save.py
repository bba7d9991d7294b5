"""Saving, loading and pickling a Cohort: the same bytes, versioned, and every damaged or wrong
file a mentorcore.ParseError naming the path and what is wrong."""

from __future__ import annotations

import pathlib
import pickle
import struct
import zlib

import pytest

import mentorcore as mc
from conftest import build_every_event_type_course, build_full_course


@pytest.fixture(scope="module")
def cohort() -> mc.Cohort:
    courses = list(mc.synthetic.generate(30, seed=4, threads=1))
    courses += [build_full_course(), build_every_event_type_course()]
    return mc.Cohort.from_courses(courses)


@pytest.fixture(scope="module")
def saved(cohort: mc.Cohort, tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("cohort") / "all.cohort"
    cohort.save(path)
    return path


def test_save_and_load_give_the_cohort_back(cohort: mc.Cohort, saved: pathlib.Path) -> None:
    loaded = mc.load_cohort(saved)
    assert loaded == cohort
    assert loaded is not cohort
    for table in cohort.tables:
        assert loaded.rows(table) == cohort.rows(table)
    assert loaded.dictionary("staff") == cohort.dictionary("staff")
    assert mc.load_cohort(str(saved)) == cohort
    assert [p.name for p in saved.parent.iterdir()] == ["all.cohort"]  # no temporary file left


def test_an_empty_cohort_saves_too(tmp_path: pathlib.Path) -> None:
    empty = mc.Cohort.from_courses([])
    empty.save(tmp_path / "empty.cohort")
    assert mc.load_cohort(tmp_path / "empty.cohort") == empty
    assert len(mc.load_cohort(tmp_path / "empty.cohort")) == 0


def test_a_pickle_carries_the_bytes_of_the_file(cohort: mc.Cohort, saved: pathlib.Path) -> None:
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        again = pickle.loads(pickle.dumps(cohort, protocol=protocol))
        assert again == cohort
    assert cohort.__getstate__() == saved.read_bytes()


def test_equality_is_by_value(cohort: mc.Cohort) -> None:
    one = mc.Cohort.from_courses([build_full_course()])
    assert one == mc.Cohort.from_courses([build_full_course()])
    assert one != cohort
    assert one != "a cohort"
    with pytest.raises(TypeError):
        hash(one)


def test_a_bad_pickle_state_is_an_error() -> None:
    blank = mc.Cohort.__new__(mc.Cohort)
    with pytest.raises(mc.InvalidValueError, match="pickle"):
        blank.__setstate__("not bytes")
    with pytest.raises(mc.ParseError, match=r"<pickle>:0: not a saved mentorcore cohort"):
        blank.__setstate__(b"something else")


def _error(path: pathlib.Path) -> str:
    with pytest.raises(mc.ParseError) as caught:
        mc.load_cohort(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:0: "), message
    return message


def test_a_truncated_file_is_refused_at_every_length(
    saved: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    data = saved.read_bytes()
    cut = tmp_path / "cut.cohort"
    for size in [1, 7, 8, 11, 12, 19, 20, 100, len(data) // 2, len(data) - 5, len(data) - 1]:
        cut.write_bytes(data[:size])
        assert "incomplete" in _error(cut), size


def test_a_flipped_byte_is_found_and_named(saved: pathlib.Path, tmp_path: pathlib.Path) -> None:
    data = bytearray(saved.read_bytes())
    data[len(data) // 2] ^= 0x01
    changed = tmp_path / "changed.cohort"
    changed.write_bytes(bytes(data))
    message = _error(changed)
    assert "corrupted" in message
    # The section is named: a table and a column, or a dictionary.
    assert any(f"{table}." in message for table in mc.Cohort.from_courses([]).tables) or (
        "dictionaries." in message
    )


def test_wrong_magic_newer_version_empty_and_trailing_bytes(
    saved: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    data = saved.read_bytes()
    other = tmp_path / "other.cohort"
    other.write_bytes(b"PAR1" + data[4:])
    assert "not a saved mentorcore cohort" in _error(other)
    version = mc._core.COHORT_FILE_VERSION
    other.write_bytes(data[:8] + struct.pack("<I", version + 1) + data[12:])
    assert f"format version {version + 1} is newer than this mentorcore reads ({version})" in (
        _error(other)
    )
    # Version 1 had no ratings.alert column: refused as an older format, with what to do.
    other.write_bytes(data[:8] + struct.pack("<I", 1) + data[12:])
    assert (
        "format version 1 is an older format than this mentorcore reads (2); read the cohort "
        "again from its event log and save it again" in _error(other)
    )
    other.write_bytes(b"")
    assert "empty" in _error(other)
    other.write_bytes(data + b"\0\0")
    assert "2 bytes after the end" in _error(other)


def test_a_file_of_another_layout_is_refused_by_name(
    saved: pathlib.Path, tmp_path: pathlib.Path
) -> None:
    # Rewrite the layout section (with a valid CRC) as a build with another column would.
    data = saved.read_bytes()
    (length,) = struct.unpack_from("<Q", data, 12)
    layout = data[20 : 20 + length]
    assert b"column contacts.billable flag\n" in layout
    changed = layout.replace(b"column contacts.billable flag\n", b"column contacts.paid flag\n")
    rest = data[20 + length + 4 :]
    other = tmp_path / "layout.cohort"
    other.write_bytes(
        data[:12]
        + struct.pack("<Q", len(changed))
        + changed
        + struct.pack("<I", zlib.crc32(changed))
        + rest
    )
    message = _error(other)
    assert "another cohort layout" in message
    assert "'column contacts.paid flag' where this mentorcore has 'column contacts.billable" in (
        message
    )


def test_a_missing_file_or_a_directory_is_an_error(tmp_path: pathlib.Path) -> None:
    assert "No such file or directory" in _error(tmp_path / "none.cohort")
    assert "is a directory" in _error(tmp_path)
    with pytest.raises(mc.Error, match="is a directory"):
        mc.Cohort.from_courses([]).save(tmp_path)
    with pytest.raises(mc.InvalidValueError, match="path"):
        mc.load_cohort(42)  # type: ignore[arg-type]


def test_a_failed_save_leaves_nothing_behind(cohort: mc.Cohort, tmp_path: pathlib.Path) -> None:
    target = tmp_path / "missing-directory" / "all.cohort"
    with pytest.raises(mc.Error, match="cannot write"):
        cohort.save(target)
    assert not target.parent.exists()
