"""mentorcore.ReferenceData: reading reference data safely (issue #12)."""

from __future__ import annotations

import datetime
import pathlib
import pickle

import pytest

import mentorcore as mc

# 100,000 nested arrays, 200 KB: this killed the process (stack overflow) before issue #12.
DEEP = '{"format":"mentorcore-reference/1","entries":' + "[" * 100_000 + "]" * 100_000 + "}"


def test_deeply_nested_reference_data_is_a_parse_error() -> None:
    with pytest.raises(mc.ParseError) as caught:
        mc.ReferenceData.from_json(DEEP, "deep.json")
    assert caught.value.source == "deep.json"
    assert caught.value.line == 1
    assert "nested deeper than 64 levels" in str(caught.value)


def test_deeply_nested_reference_data_in_a_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP)
    with pytest.raises(mc.ParseError, match="nested deeper than 64 levels"):
        mc.ReferenceData.from_json_file(str(path))


def test_a_pickle_carrying_deeply_nested_reference_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hand-made pickle: today's class, with the state swapped for the hostile document.
    monkeypatch.setattr(mc.ReferenceData, "__getstate__", lambda self: (1, DEEP))
    data = pickle.dumps(mc.ReferenceData())
    monkeypatch.undo()
    with pytest.raises(mc.ParseError, match="nested deeper than 64 levels"):
        pickle.loads(data)
    # ... and a Course pickle carrying it.
    course = mc.Course.__new__(mc.Course)
    ordered = mc.Course.order(
        datetime.date(2024, 1, 8),
        recorded_by="cw",
        course="K-1",
        citizen="P-1",
        municipality=101,
        target_group="sygedagpenge",
        caseworker="cw",
    )
    with pytest.raises(mc.ParseError, match="nested deeper than 64 levels"):
        course.__setstate__((1, [e.to_dict() for e in ordered.events], DEEP))


@pytest.mark.parametrize(
    ("text", "source", "field"),
    [
        ("\ud800", "<string>", "text"),
        ('{"format": "mentorcore-reference/1", "entries": []}', "\udcff", "source"),
        (None, "<string>", "text"),
    ],
)
def test_from_json_arguments_are_checked(text: object, source: object, field: str) -> None:
    with pytest.raises(mc.InvalidValueError) as caught:
        mc.ReferenceData.from_json(text, source)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    "state",
    [None, "x", (1,), (2**64, "{}"), (True, "{}"), [1, "{}"], (1, None), (1, "\ud800")],
    ids=repr,
)
def test_a_malformed_reference_data_pickle_state_is_an_error(state: object) -> None:
    with pytest.raises(mc.Error):
        mc.ReferenceData.__new__(mc.ReferenceData).__setstate__(state)  # type: ignore[misc]
