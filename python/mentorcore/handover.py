"""Handovers: what one mentor or caseworker hands the next, gated by consent, and what was lost.

A handover is made, then acknowledged (with the receiver's read-back), rejected, or revoked by
the sender. It carries a knowledge item only if an active consent covers its data category,
the receiver and the purpose, or the item has another legal basis. Other items it names are
*withheld*, visibly, and items the sender left out are *dropped*. See docs/handover.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple

from . import _core
from ._courses import CourseLike
from ._render import handover_html
from ._validate import invalid
from .frames import handovers_frame

PartyRole = _core.PartyRole
HandoverType = _core.HandoverType
Severity = _core.Severity
ConsentForm = _core.ConsentForm
HandoverState = _core.HandoverState
HandoverSection = _core.HandoverSection

for _public in (PartyRole, HandoverType, Severity, ConsentForm, HandoverState, HandoverSection):
    _public.__module__ = "mentorcore"

__all__ = [
    "ConsentForm",
    "Handover",
    "HandoverSection",
    "HandoverState",
    "HandoverType",
    "KnowledgeItem",
    "PartyRole",
    "Severity",
    "handovers_frame",
]


class KnowledgeItem(NamedTuple):
    """A knowledge item as it stands."""

    item: str
    category: str
    text: str
    data_category: Any
    sharing_basis: Any
    basis_reference: str
    recorded_on: datetime.date
    recorded_by: str
    revised_on: datetime.date | None
    revisions: int
    retired_on: datetime.date | None
    retired_reason: str


class Handover:
    """One handover of a course, with its measures. Obtain them from ``course.handovers``."""

    __slots__ = ("_course", "_data", "_index")

    def __init__(self, course: CourseLike, index: int, data: dict[str, Any]) -> None:
        self._course = course
        self._index = index
        self._data = data

    def _items(self, key: str) -> list[KnowledgeItem]:
        wanted = self._data[key]
        items = {row[0]: KnowledgeItem(*row) for row in self._course._core.knowledge_profile(True)}
        return [items[item] for item in wanted]

    @property
    def id(self) -> str:
        return str(self._data["handover"])

    @property
    def date(self) -> datetime.date:
        """The day the handover was made."""
        return self._data["date"]  # type: ignore[no-any-return]

    @property
    def sender(self) -> tuple[str, PartyRole]:
        return (self._data["from"], self._data["from_role"])

    @property
    def receiver(self) -> tuple[str, PartyRole]:
        return (self._data["to"], self._data["to_role"])

    @property
    def type(self) -> HandoverType:
        return self._data["handover_type"]  # type: ignore[no-any-return]

    @property
    def planned(self) -> bool:
        return bool(self._data["planned"])

    @property
    def severity(self) -> Severity:
        return self._data["severity"]  # type: ignore[no-any-return]

    @property
    def state(self) -> HandoverState:
        """made, acknowledged, rejected or revoked."""
        return self._data["state"]  # type: ignore[no-any-return]

    @property
    def settled_on(self) -> datetime.date | None:
        """The day it was acknowledged, rejected or revoked."""
        return self._data["settled_on"]  # type: ignore[no-any-return]

    @property
    def read_back(self) -> str:
        return str(self._data["read_back"])

    @property
    def carried(self) -> list[KnowledgeItem]:
        """Knowledge items the handover carries (named by the sender and covered)."""
        return self._items("carried")

    @property
    def withheld(self) -> list[KnowledgeItem]:
        """Items the sender named that no active consent covers (and no other legal basis)."""
        return self._items("withheld")

    @property
    def dropped(self) -> list[KnowledgeItem]:
        """Items in the profile on the handover date that the sender left out."""
        return self._items("dropped")

    @property
    def withheld_by_category(self) -> dict[str, int]:
        return dict(self._data["withheld_by_category"])

    @property
    def completeness(self) -> float:
        """Share of the default checklist's sections present (actions, contingencies, relational
        knowledge, commitments, open appointments, read-back), 0 to 1."""
        return float(self._data["completeness"])

    def completeness_for(self, sections: Iterable[HandoverSection | str]) -> float:
        """Completeness against your own checklist of sections."""
        if isinstance(sections, str):
            raise invalid("checklist", sections, "expected a list of sections")
        return float(self._course._core.handover_completeness(self._index, list(sections)))

    @property
    def days_to_first_contact(self) -> int | None:
        """Days from the handover to the receiver's first attended contact."""
        return self._data["days_to_first_contact"]  # type: ignore[no-any-return]

    @property
    def no_shows_within_30_days(self) -> int:
        return int(self._data["no_shows_within_30_days"])

    @property
    def ratings(self) -> dict[str, tuple[float, float, float]]:
        """Per instrument: (last total before, first total after, change)."""
        return dict(self._data["ratings"])

    @property
    def sections(self) -> dict[str, Any]:
        """The record's own sections: purpose, summary_note, actions, contingencies,
        commitments, open_appointments, reason."""
        keys = ("purpose", "summary_note", "actions", "contingencies", "commitments", "open_appointments", "reason")
        return {key: self._data[key] for key in keys}

    def to_markdown(self) -> str:
        """The handover for its receiver, sections in I-PASS order; withheld items only as counts."""
        return str(self._course._core.handover_markdown(self._index))

    def _repr_html_(self) -> str:
        return handover_html(self.to_markdown())

    def __repr__(self) -> str:
        return (
            f"<Handover {self.id} {self.date.isoformat()} {self._data['from']} -> {self._data['to']}: "
            f"{self.state.name}, carried {len(self._data['carried'])}, withheld {len(self._data['withheld'])}, "
            f"dropped {len(self._data['dropped'])}, completeness {self.completeness:.2f}>"
        )
