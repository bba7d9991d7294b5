"""Reference data: the dated codes (legal bases, target groups, assessment categories) and the
rating instruments a course's events are checked against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import _core
from ._render import reference_html, reference_repr, reference_text
from ._validate import invalid
from .frames import reference_frame

if TYPE_CHECKING:
    import pandas as pd

ReferenceData = _core.ReferenceData
ReferenceKind = _core.ReferenceKind

ReferenceData.__repr__ = reference_repr  # type: ignore[assignment]
ReferenceData.__str__ = reference_text  # type: ignore[assignment]
ReferenceData._repr_html_ = reference_html  # type: ignore[attr-defined]

for _public in (ReferenceData, ReferenceKind):
    _public.__module__ = "mentorcore"

__all__ = ["ReferenceData", "ReferenceKind", "reference_data_frame"]


def reference_data_frame(reference: ReferenceData | None = None) -> pd.DataFrame:
    """The entries of `reference` (the built-in set by default), one row each: ``kind``,
    ``code``, ``label``, ``valid_from``, ``valid_to`` (NaT while open), ``max_grant_months``,
    ``source``."""
    if reference is None:
        reference = ReferenceData.builtin()
    elif not isinstance(reference, ReferenceData):
        raise invalid("reference", reference, "expected a ReferenceData or None")
    return reference_frame(reference)
