"""Pickles written by earlier versions load with this one and equal freshly built objects.

The files are in data/pickles/ (written by data/pickles/make_pickles.py with the version in
their name); data/pickles/objects.py builds the same objects with today's code.
"""

from __future__ import annotations

import functools
import pathlib
import pickle
import sys
from typing import Any

import numpy as np
import pytest

import mentorcore as mc

PICKLES = pathlib.Path(__file__).parent / "data" / "pickles"
sys.path.insert(0, str(PICKLES))

from objects import objects as _build  # noqa: E402

objects = functools.lru_cache(maxsize=1)(_build)

FILES = sorted(PICKLES.glob("v*.pkl"))


def _same(loaded: Any, fresh: Any) -> bool:
    """Equal as a user sees them: by value, element by element, through every record type."""
    if isinstance(fresh, mc.Handover):
        return (
            isinstance(loaded, mc.Handover)
            and repr(loaded) == repr(fresh)
            and (loaded.to_markdown() == fresh.to_markdown())
        )
    if isinstance(fresh, mc.ReadResult):
        return _same(list(loaded.courses), list(fresh.courses)) and _same(
            list(loaded.rejected), list(fresh.rejected)
        )
    if isinstance(fresh, mc.StageTrajectory):
        return (
            type(loaded) is type(fresh)
            and tuple(loaded)[:-1] == tuple(fresh)[:-1]
            and np.array_equal(loaded.transitions, fresh.transitions)
        )
    if isinstance(fresh, mc.calendar.Holiday):
        return (loaded.date, loaded.kind, loaded.name) == (fresh.date, fresh.kind, fresh.name)
    if isinstance(fresh, mc.calendar.DeadlinePolicy):
        return repr(loaded) == repr(fresh)
    if isinstance(fresh, list):
        return (
            isinstance(loaded, list)
            and len(loaded) == len(fresh)
            and all(map(_same, loaded, fresh))
        )
    return type(loaded) is type(fresh) and bool(loaded == fresh)


def test_there_are_pickles_of_the_first_version() -> None:
    names = {path.name for path in FILES}
    assert {
        "v0.1.0-course_every_event_type.pkl",
        "v0.1.0-events.pkl",
        "v0.1.0-handovers.pkl",
    } <= names


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_an_old_pickle_loads_and_equals_the_object_built_today(path: pathlib.Path) -> None:
    name = path.stem.split("-", 1)[1]
    loaded = pickle.loads(path.read_bytes())
    assert _same(loaded, objects()[name])


@pytest.mark.parametrize("name", sorted(objects()))
def test_todays_objects_round_trip(name: str) -> None:
    fresh = objects()[name]
    try:
        data = pickle.dumps(fresh)
    except TypeError:
        pytest.skip(f"{name} does not pickle")
    assert _same(pickle.loads(data), fresh)
