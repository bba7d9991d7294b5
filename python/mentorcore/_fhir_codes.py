"""The code systems, URIs and small builders that :mod:`mentorcore.fhir` writes and reads.

Shared by the export (``fhir.py``) and the import (``_fhir_read.py``), so that both spell every
system and code once."""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Mapping
from typing import Any

from .events import Event

FHIR_BASE = "https://mentorcore.dk/fhir"
"""The root of mentorcore's FHIR URIs: ``/CodeSystem/<name>`` for its vocabularies,
``/sid/<name>`` for identifier systems, ``/StructureDefinition/<name>`` for extensions."""

_CS = FHIR_BASE + "/CodeSystem/"
_SID = FHIR_BASE + "/sid/"
_EXT = FHIR_BASE + "/StructureDefinition/"
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, FHIR_BASE)

# What from_fhir writes into a required text that FHIR does not carry (a phase change's reason,
# a goal's text, ...): the rebuilt course must be valid, and must not pretend to know the text.
NOT_CARRIED = "(not carried by the FHIR export)"

_UCUM = "http://unitsofmeasure.org"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# Where a contact took place, as the Encounter's class (v3 ActCode, required in R4).
_ENCOUNTER_CLASS = {
    "home": ("HH", "home health"),
    "provider_office": ("AMB", "ambulatory"),
    "phone": ("VR", "virtual"),
    "video": ("VR", "virtual"),
    "message": ("VR", "virtual"),
}
_FIELD_CLASS = ("FLD", "field")

_GOAL_STATUS = {"active": "active", "achieved": "completed", "abandoned": "cancelled"}
_TASK_STATUS = {
    "made": "requested",
    "acknowledged": "accepted",
    "rejected": "rejected",
    "revoked": "cancelled",
}
_SETTLED = {
    "handover_acknowledged": "acknowledged",
    "handover_rejected": "rejected",
    "handover_revoked": "revoked",
}

# Observation codes (CodeSystem observation) and the event each comes from.
_OBSERVATION_CODES = {
    "stage_assessed": "stage-of-change",
    "talk_counted": "change-talk",
    "start_recorded": "start",
    "start_ended": "start-ended",
    "clarification_concluded": "clarification-outcome",
    "status_recorded": "status-after-closure",
    "milestone_recorded": "milestone",
}
# The coded value of each of those Observations: (field, code system).
_OBSERVATION_VALUE = {
    "stage_assessed": ("stage", "stage"),
    "start_recorded": ("start_type", "start-type"),
    "start_ended": ("cause", "start-end-cause"),
    "clarification_concluded": ("outcome", "clarification-outcome"),
    "status_recorded": ("status", "followup-status"),
    "milestone_recorded": ("milestone", "milestone"),
}
_TALK_FIELDS = (
    "desire",
    "ability",
    "reasons",
    "need",
    "commitment",
    "activation",
    "taking_steps",
    "sustain",
)
_STAGE_NUMBERS = ("score", "importance", "confidence", "readiness")


# ---- small builders ---------------------------------------------------------------------------


def _name(value: object) -> str:
    return value.name if isinstance(value, enum.Enum) else str(value)


def _coding(system: str, code: object) -> dict[str, Any]:
    return {"system": _CS + system, "code": _name(code)}


def _concept(system: str, code: object) -> dict[str, Any]:
    return {"coding": [_coding(system, code)]}


def _identifier(system: str, value: object) -> dict[str, Any]:
    return {"system": _SID + system, "value": str(value)}


def _staff(staff: str) -> dict[str, Any]:
    return {"identifier": _identifier("staff", staff)}


def _ext(name: str, kind: str, value: object) -> dict[str, Any]:
    return {"url": _EXT + name, kind: value}


def _ext_coding(name: str, system: str, code: object) -> dict[str, Any]:
    return _ext(name, "valueCoding", _coding(system, code))


def decimal(value: float) -> float:
    """A decimal as the exports write it: to six places. A float's last binary digits
    (13.030000000000001) are noise, and a long run of them looks like a CPR number to every
    scanner downstream."""
    return round(float(value), 6)


def _day(day: datetime.date) -> str:
    return day.isoformat()


def _component(code: str, kind: str, value: object) -> dict[str, Any]:
    return {"code": _concept("observation-component", code), kind: value}


class _Numbering:
    """Numbers the exported events of one course in order, and writes their extension."""

    def __init__(self) -> None:
        self.next = 0

    def event(self, event: Event, code: str | None = None) -> dict[str, Any]:
        parts = [
            {"url": "index", "valueInteger": self.next},
            {"url": "type", "valueCode": event.type},
            {"url": "date", "valueDate": _day(event.date)},
            {"url": "recordedBy", "valueString": event.recorded_by},
        ]
        if code is not None:
            parts.append({"url": "code", "valueCode": code})
        self.next += 1
        return {"url": _EXT + "event", "extension": parts}


_KNOWLEDGE_KEYS = ("item", "category", "text", "data_category", "sharing_basis", "basis_reference")


def _snapshot(item: Mapping[str, Any]) -> dict[str, Any]:
    """A knowledge item as it stands now (a copy: later revisions must not change it)."""
    return {key: item[key] for key in _KNOWLEDGE_KEYS}


# ---- to_fhir ----------------------------------------------------------------------------------
