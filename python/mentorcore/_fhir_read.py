"""Reading a bundle of :func:`mentorcore.to_fhir` back into events (:func:`mentorcore.from_fhir`).

The events come back in their order from mentorcore's ``event`` extension on each resource;
what FHIR does not carry is filled in as ``docs/exports.md`` says."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from ._fhir_codes import (
    _CS,
    _EXT,
    _OBSERVATION_VALUE,
    _SETTLED,
    _SID,
    _STAGE_NUMBERS,
    _TALK_FIELDS,
    NOT_CARRIED,
)
from .events import Event


def _extension(element: Mapping[str, Any], name: str) -> Any:
    """The value of the element's extension `name` (the first value[x]), or None."""
    for ext in element.get("extension", []):
        if ext.get("url") == _EXT + name:
            for key, value in ext.items():
                if key.startswith("value"):
                    return value["code"] if key == "valueCoding" else value
    return None


def _code(concept: Mapping[str, Any], system: str) -> str | None:
    for coding in concept.get("coding", []):
        if coding.get("system") == _CS + system:
            return str(coding["code"])
    return None


def _component_value(resource: Mapping[str, Any], code: str) -> Any:
    for component in resource.get("component", []):
        if _code(component["code"], "observation-component") == code:
            for key, value in component.items():
                if key.startswith("value"):
                    if key == "valueQuantity":
                        return value["value"]
                    if key == "valueCodeableConcept":
                        return value["coding"][0]["code"]
                    return value
    return None


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _staff_id(reference: Mapping[str, Any]) -> str:
    return str(reference["identifier"]["value"])


def _identifier_value(resource: Mapping[str, Any], system: str) -> str:
    for identifier in resource.get("identifier", []):
        if identifier.get("system") == _SID + system:
            return str(identifier["value"])
    raise KeyError(f"identifier {system}")


class _Importer:
    def __init__(self) -> None:
        # (index, order within the index, event fields)
        self.found: list[tuple[int, int, dict[str, Any]]] = []

    def event_records(self, element: Mapping[str, Any]) -> list[dict[str, Any]]:
        records = []
        for ext in element.get("extension", []):
            if ext.get("url") == _EXT + "event":
                parts = {
                    p["url"]: next(v for k, v in p.items() if k != "url") for p in ext["extension"]
                }
                records.append(parts)
        return records

    def emit(self, record: Mapping[str, Any], fields: dict[str, Any], order: int = 0) -> None:
        fields = {
            "type": record["type"],
            "date": _date(record["date"]),
            "recorded_by": record["recordedBy"],
            **fields,
        }
        self.found.append((int(record["index"]), order, fields))

    def events(self, episode: Mapping[str, Any], resources: list[Any]) -> list[Event]:
        self.episode(episode)
        tasks: list[tuple[int, Mapping[str, Any]]] = []
        handlers: dict[str, Callable[[Mapping[str, Any]], None]] = {
            "Encounter": self.encounter,
            "Observation": self.observation,
            "Goal": self.goal,
            "Consent": self.consent,
        }
        for resource in resources:
            kind = resource.get("resourceType")
            if kind == "Task":
                tasks.append((int(self.event_records(resource)[0]["index"]), resource))
            elif kind in handlers:
                handlers[kind](resource)
        knowledge: dict[str, dict[str, Any]] = {}
        for _, task in sorted(tasks, key=lambda pair: pair[0]):
            self.task(task, knowledge)
        self.found.sort(key=lambda found: (found[0], found[1]))
        return [Event.from_dict(fields) for _, _, fields in self.found]

    def episode(self, episode: Mapping[str, Any]) -> None:
        order: dict[str, Any] = {
            "course": _identifier_value(episode, "course"),
            "citizen": episode["patient"]["identifier"]["value"],
            "municipality": int(episode["managingOrganization"]["identifier"]["value"]),
            "caseworker": _staff_id(episode["careManager"]),
            "retention_min_months": _extension(episode, "retention-min-months"),
            "retention_max_months": _extension(episode, "retention-max-months"),
            "assessment_category": None,
        }
        for concept in episode.get("type", []):
            for system, field in (
                ("target-group", "target_group"),
                ("assessment-category", "assessment_category"),
            ):
                code = _code(concept, system)
                if code is not None:
                    order[field] = code
        for entry in episode["statusHistory"]:
            record = self.event_records(entry)[0]
            t = record["type"]
            if t == "course_ordered":
                self.emit(record, order)
            elif t == "phase_changed":
                self.emit(record, {"to": _extension(entry, "phase"), "reason": NOT_CARRIED})
            elif t == "paused":
                self.emit(record, {"reason": _extension(entry, "pause-reason")})
            elif t == "resumed":
                self.emit(record, {})
            elif t == "closed":
                self.emit(record, {"reason": _extension(entry, "closure-reason")})
            elif t == "reopened":
                self.emit(record, {"reason": NOT_CARRIED})

    def encounter(self, resource: Mapping[str, Any]) -> None:
        self.emit(
            self.event_records(resource)[0],
            {
                "mentor": _staff_id(resource["participant"][0]["individual"]),
                "location": _code(resource["location"][0]["physicalType"], "location"),
                "attendance": _extension(resource, "attendance"),
                "planned_minutes": _extension(resource, "planned-minutes"),
                "actual_minutes": resource["length"]["value"],
                "billable": _extension(resource, "billable"),
                "non_billable_reason": _extension(resource, "non-billable-reason"),
            },
        )

    def observation(self, resource: Mapping[str, Any]) -> None:
        record = self.event_records(resource)[0]
        t = record["type"]
        fields: dict[str, Any] = {}
        if t == "rating_recorded":
            answers: list[Any] = []
            while (answer := _component_value(resource, f"item-{len(answers) + 1}")) is not None:
                answers.append(answer)
            fields = {
                "instrument": resource["code"]["coding"][0]["code"],
                "answers": answers,
                "rated_by": _component_value(resource, "rated_by"),
                "age_band": _component_value(resource, "age_band"),
            }
        elif t in _OBSERVATION_VALUE:
            field, system = _OBSERVATION_VALUE[t]
            fields[field] = _code(resource["valueCodeableConcept"], system)
        if t == "stage_assessed":
            fields["assessor"] = _staff_id(resource["performer"][0])
            for name in ("behaviour", "method", *_STAGE_NUMBERS, "ruler_min", "ruler_max"):
                fields[name] = _component_value(resource, name)
        elif t == "talk_counted":
            fields = {name: _component_value(resource, name) for name in _TALK_FIELDS}
        elif t == "start_recorded":
            fields["hours_per_week"] = _component_value(resource, "hours_per_week")
            fields["employer_or_institution"] = NOT_CARRIED
        elif t == "status_recorded":
            fields["source"] = _component_value(resource, "source")
        self.emit(record, fields)

    def goal(self, resource: Mapping[str, Any]) -> None:
        goal = _identifier_value(resource, "goal")
        for record in self.event_records(resource):
            if record["type"] == "goal_set":
                self.emit(record, {"goal": goal, "text": NOT_CARRIED})
            else:
                self.emit(record, {"goal": goal, "status": record["code"]})

    def consent(self, resource: Mapping[str, Any]) -> None:
        consent = _identifier_value(resource, "consent")
        given, *withdrawn = self.event_records(resource)
        provision = resource["provision"]
        actors = provision.get("actor", [])
        self.emit(
            given,
            {
                "consent": consent,
                "recipient": _staff_id(actors[0]["reference"]) if actors else None,
                "recipient_role": _extension(resource, "recipient-role"),
                "purposes": [p["code"] for p in provision.get("purpose", [])],
                "data_categories": [
                    _code(concept, "data-category") for concept in resource["category"]
                ],
                "valid_from": _date(provision["period"]["start"]),
                "valid_to": _date(provision["period"]["end"])
                if "end" in provision["period"]
                else None,
                "form": _extension(resource, "consent-form"),
            },
        )
        for record in withdrawn:
            self.emit(record, {"consent": consent})

    def task(self, resource: Mapping[str, Any], knowledge: dict[str, dict[str, Any]]) -> None:
        made, *settled = self.event_records(resource)
        handover = _identifier_value(resource, "handover")
        fields: dict[str, Any] = {
            "handover": handover,
            "from": _staff_id(resource["requester"]),
            "from_role": _extension(resource, "sender-role"),
            "to": _staff_id(resource["owner"]),
            "to_role": _extension(resource, "receiver-role"),
            "handover_type": _extension(resource, "handover-type"),
            "planned": _extension(resource, "planned"),
            "purpose": _code(resource["reasonCode"], "purpose"),
            "severity": _extension(resource, "severity"),
            "summary_note": "",
            "actions": [],
            "contingencies": [],
            "knowledge_items": [],
            "commitments": [],
            "open_appointments": [],
        }
        # Knowledge items come back as the handover carried them: recorded just before it (or
        # revised, when an earlier handover carried a different version), in the same position.
        before = 0
        for entry in resource.get("input", []):
            section = _code(entry["type"], "handover-section")
            text = entry["valueString"]
            if section == "summary-note":
                fields["summary_note"] = text
            elif section == "action":
                due = _extension(entry, "due")
                fields["actions"].append(
                    {
                        "task": text,
                        "owner": _extension(entry, "action-owner"),
                        "due": _date(due) if due else None,
                    }
                )
            elif section == "contingency":
                fields["contingencies"].append(
                    {"if": _extension(entry, "contingency-if"), "then": text}
                )
            elif section == "commitment":
                fields["commitments"].append(text)
            elif section == "open-appointment":
                day = _date(_extension(entry, "appointment-date"))
                fields["open_appointments"].append({"date": day, "what": text})
            elif section == "knowledge-item":
                item = {
                    "item": _extension(entry, "knowledge-item"),
                    "category": _extension(entry, "knowledge-category"),
                    "text": text,
                    "data_category": _extension(entry, "data-category"),
                    "sharing_basis": _extension(entry, "sharing-basis"),
                    "basis_reference": _extension(entry, "basis-reference") or "",
                }
                fields["knowledge_items"].append(item["item"])
                known = knowledge.get(item["item"])
                if known is None:
                    self.emit({**made, "type": "knowledge_recorded"}, item, order=before - 1000)
                elif known != item:
                    changed = {k: v for k, v in item.items() if k == "item" or known[k] != v}
                    self.emit({**made, "type": "knowledge_revised"}, changed, order=before - 1000)
                else:
                    continue
                knowledge[item["item"]] = item
                before += 1
        self.emit(made, fields)
        for record in settled:
            state = _SETTLED[record["type"]]
            if state == "acknowledged":
                reply = {"read_back": resource["output"][0]["valueString"]}
            else:
                reply = {"reason": resource["statusReason"]["text"]}
            self.emit(record, {"handover": handover, **reply})
