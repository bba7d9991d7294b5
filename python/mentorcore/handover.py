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
from ._render import handover_html, record_html, record_text, records_text, value_text
from ._validate import as_list, invalid
from .frames import handovers_frame
from .relationship import DataCategory, SharingBasis

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
    data_category: DataCategory
    sharing_basis: SharingBasis
    basis_reference: str
    recorded_on: datetime.date
    recorded_by: str
    revised_on: datetime.date | None
    revisions: int
    retired_on: datetime.date | None
    retired_reason: str

    @classmethod
    def _from_core(cls, k: _core.KnowledgeItemRecord) -> KnowledgeItem:
        return cls(
            k.item,
            k.category,
            k.text,
            k.data_category,
            k.sharing_basis,
            k.basis_reference,
            k.recorded_on,
            k.recorded_by,
            k.revised_on,
            k.revisions,
            k.retired_on,
            k.retired_reason,
        )

    def __str__(self) -> str:
        return record_text(self)

    def _repr_html_(self) -> str:
        return record_html(self)


_PICKLE_FORMAT = 1


class Handover:
    """One handover of a course, with its measures. Obtain them from ``course.handovers``."""

    __slots__ = ("_course", "_index", "_record")

    def __init__(self, course: CourseLike, index: int, record: _core.HandoverRecord) -> None:
        self._course = course
        self._index = index
        self._record = record

    def _items(self, ids: list[str]) -> list[KnowledgeItem]:
        items = {k.item: k for k in self._course._core.knowledge_profile(True)}
        return [KnowledgeItem._from_core(items[item]) for item in ids]

    @property
    def id(self) -> str:
        return self._record.id

    @property
    def date(self) -> datetime.date:
        """The day the handover was made."""
        return self._record.date

    @property
    def sender(self) -> tuple[str, PartyRole]:
        return (self._record.sender, self._record.sender_role)

    @property
    def receiver(self) -> tuple[str, PartyRole]:
        return (self._record.receiver, self._record.receiver_role)

    @property
    def type(self) -> HandoverType:
        return self._record.handover_type

    @property
    def planned(self) -> bool:
        return self._record.planned

    @property
    def severity(self) -> Severity:
        return self._record.severity

    @property
    def state(self) -> HandoverState:
        """made, acknowledged, rejected or revoked."""
        return self._record.state

    @property
    def settled_on(self) -> datetime.date | None:
        """The day it was acknowledged, rejected or revoked."""
        return self._record.settled_on

    @property
    def read_back(self) -> str:
        return self._record.read_back

    @property
    def carried(self) -> list[KnowledgeItem]:
        """Knowledge items the handover carries (named by the sender and covered)."""
        return self._items(self._record.carried)

    @property
    def withheld(self) -> list[KnowledgeItem]:
        """Items the sender named that no active consent covers (and no other legal basis)."""
        return self._items(self._record.withheld)

    @property
    def dropped(self) -> list[KnowledgeItem]:
        """Items in the profile on the handover date that the sender left out."""
        return self._items(self._record.dropped)

    @property
    def withheld_by_category(self) -> dict[str, int]:
        return {
            category.name: count for category, count in self._record.withheld_by_category.items()
        }

    @property
    def completeness(self) -> float:
        """Share of the default checklist's sections present (actions, contingencies, relational
        knowledge, commitments, open appointments, read-back), 0 to 1."""
        return self._record.completeness

    def completeness_for(self, sections: Iterable[HandoverSection | str]) -> float:
        """Completeness against your own checklist of sections."""
        return float(
            self._course._core.handover_completeness(self._index, as_list(sections, "checklist"))
        )

    @property
    def days_to_first_contact(self) -> int | None:
        """Days from the handover to the receiver's first attended contact."""
        return self._record.days_to_first_contact

    @property
    def no_shows_within_30_days(self) -> int:
        return self._record.no_shows_within_30_days

    @property
    def ratings(self) -> dict[str, tuple[float, float, float]]:
        """Per instrument: (last total before, first total after, change)."""
        return {r.instrument: (r.before, r.after, r.change) for r in self._record.ratings}

    @property
    def sections(self) -> dict[str, Any]:
        """The record's own sections: purpose, summary_note, actions, contingencies,
        commitments, open_appointments, reason."""
        r = self._record
        return {
            "purpose": r.purpose,
            "summary_note": r.summary_note,
            "actions": r.actions,
            "contingencies": r.contingencies,
            "commitments": r.commitments,
            "open_appointments": r.open_appointments,
            "reason": r.reason,
        }

    def to_markdown(self) -> str:
        """The handover for its receiver, sections in I-PASS order;
        withheld items only as counts."""
        return str(self._course._core.handover_markdown(self._index))

    def _repr_html_(self) -> str:
        return handover_html(self.to_markdown())

    def __repr__(self) -> str:
        r = self._record
        return (
            f"<Handover {r.id} {r.date.isoformat()} {r.sender} -> {r.receiver}: "
            f"{r.state.name}, carried {len(r.carried)}, withheld {len(r.withheld)}, "
            f"dropped {len(r.dropped)}, completeness {r.completeness:.2f}>"
        )

    def __str__(self) -> str:
        r = self._record
        rows = [
            ["from", f"{r.sender} ({r.sender_role.name})"],
            ["to", f"{r.receiver} ({r.receiver_role.name})"],
            ["type", r.handover_type.name + ("" if r.planned else ", unplanned")],
            ["severity", r.severity.name],
            ["state", r.state.name + (f" on {value_text(r.settled_on)}" if r.settled_on else "")],
            ["carried", ", ".join(r.carried) or "none"],
            ["withheld", ", ".join(r.withheld) or "none"],
            ["dropped", ", ".join(r.dropped) or "none"],
            ["completeness", f"{r.completeness:.2f}"],
            [
                "first contact",
                "none yet"
                if r.days_to_first_contact is None
                else f"after {r.days_to_first_contact} days",
            ],
        ]
        return records_text(f"Handover {r.id} on {value_text(r.date)}", ("", ""), rows)

    def __getstate__(self) -> tuple[int, CourseLike, int]:
        return (_PICKLE_FORMAT, self._course, self._index)

    def __setstate__(self, state: object) -> None:
        # Before format 1 a handover pickled its slots: (None, {"_course", "_data", "_index"}).
        if (
            isinstance(state, tuple)
            and len(state) == 2
            and state[0] is None
            and isinstance(state[1], dict)
        ):
            course, index = state[1]["_course"], state[1]["_index"]
        elif isinstance(state, tuple) and len(state) == 3 and state[0] == _PICKLE_FORMAT:
            _, course, index = state
        else:
            raise invalid(
                "pickle", state, f"not a pickled Handover of format version {_PICKLE_FORMAT}"
            )
        core = getattr(course, "_core", None)
        if not isinstance(core, _core.Course):
            raise invalid("pickle", course, "expected the handover's Course")
        if type(index) is not int or not 0 <= index < len(handovers := core.handovers()):
            raise invalid("pickle", index, "expected the index of one of the course's handovers")
        self._course = course
        self._index = index
        self._record = handovers[index]
