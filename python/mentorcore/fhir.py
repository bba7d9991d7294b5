"""Courses as FHIR R4 resources: :func:`to_fhir` and :func:`from_fhir`.

A course becomes one ``Bundle`` of type ``collection``: an ``EpisodeOfCare`` whose
``statusHistory`` holds the phases, pauses and closures; an ``Encounter`` per contact; an
``Observation`` per stage assessment, rating, MI talk count, start in work or education, end of
a start, clarification outcome, status after closure and milestone; a ``Goal`` per goal; a
``Consent`` per consent; a ``Task`` per handover. ``docs/exports.md`` has the mapping table by
table, the code systems, and what is lost each way.

The citizen appears only as a logical ``Patient`` reference whose identifier is the course's
pseudonymous citizen key. Free text (knowledge items, notes, read-backs, reasons) leaves only
inside the ``Task`` of a handover, and of the knowledge items only those the handover carries
(included by the sender and covered by consent or another legal basis).

Each resource also records which events of the course it was built from, in a mentorcore
extension (``event``: the event's type, date, who recorded it, and its position among the
exported events), so that :func:`from_fhir` can put the events back in their order.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from ._core import redact_personal_numbers
from ._validate import invalid
from .course import Course
from .errors import Error
from .events import Event
from .reference import ReferenceData

__all__ = ["from_fhir", "to_fhir"]

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


def to_fhir(course: Course, *, as_of: datetime.date | None = None) -> dict[str, Any]:
    """The course as a FHIR R4 ``Bundle`` of type ``collection`` (a dict ready for
    :func:`json.dump`), as it stood at the end of `as_of` when given.

    The citizen appears only by the pseudonymous key, as a logical Patient reference; free
    text appears only in the handovers' Tasks, and of the knowledge items only those the
    handover carries. See ``docs/exports.md`` for every mapping."""
    if not isinstance(course, Course):
        raise invalid("course", course, "expected a mentorcore.Course")
    if as_of is not None:
        if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
            raise invalid("as_of", as_of, "expected a datetime.date or None")
        course = course.as_of(as_of)
    return _Exporter(course).bundle()


class _Exporter:
    def __init__(self, course: Course) -> None:
        self.course = course
        self.numbering = _Numbering()
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self.citizen = ""
        self.episode_url = ""
        self.instruments = {i.name: i for i in course.reference.instruments}

    def url(self, kind: str, key: str) -> str:
        name = f"{FHIR_BASE}/{self.course.id}/{kind}/{key}"
        url = f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, name)}"
        # A UUID's hex digits can form a CPR-shaped number ("...d19078-2983..."), which any
        # scanner downstream would flag: such a name is salted until none does.
        salt = 0
        while redact_personal_numbers(url) != url:
            salt += 1
            url = f"urn:uuid:{uuid.uuid5(_UUID_NAMESPACE, f'{name}#{salt}')}"
        return url

    def add(self, kind: str, key: str, resource: dict[str, Any]) -> dict[str, Any]:
        self.entries.append((self.url(kind, key), resource))
        return resource

    def bundle(self) -> dict[str, Any]:
        course = self.course
        events = course.events
        order: dict[str, Any] = events[0].to_dict()
        self.citizen = str(order["citizen"])
        self.episode_url = self.url("EpisodeOfCare", course.id)
        history: list[dict[str, Any]] = []
        episode: dict[str, Any] = {
            "resourceType": "EpisodeOfCare",
            "extension": [
                _ext("retention-min-months", "valueInteger", order["retention_min_months"]),
                _ext("retention-max-months", "valueInteger", order["retention_max_months"]),
            ],
            "identifier": [_identifier("course", course.id)],
            "status": "planned",
            "statusHistory": history,
            "type": [_concept("target-group", order["target_group"])],
            "patient": self.patient(),
            "managingOrganization": {
                "identifier": _identifier("municipality", order["municipality"])
            },
            "period": {"start": _day(events[0].date)},
            "careManager": _staff(order["caseworker"]),
        }
        if order["assessment_category"]:
            episode["type"].append(_concept("assessment-category", order["assessment_category"]))
        self.add("EpisodeOfCare", course.id, episode)

        phase = "referred"
        started = False
        closed_from = "referred"
        knowledge: dict[str, dict[str, Any]] = {}
        # The ids each handover carries, in the handovers' order (the records, without building
        # the KnowledgeItem views of Handover.carried).
        carried = iter([list(h.carried) for h in course._core.handovers()])
        goals: dict[str, dict[str, Any]] = {}
        consents: dict[str, dict[str, Any]] = {}
        tasks: dict[str, dict[str, Any]] = {}
        contacts = 0

        def status_entry(event: Event, status: str, phase_code: str, *extra: Any) -> None:
            if history:
                history[-1]["period"]["end"] = _day(event.date)
            history.append(
                {
                    "extension": [
                        _ext_coding("phase", "phase", phase_code),
                        *extra,
                        self.numbering.event(event),
                    ],
                    "status": status,
                    "period": {"start": _day(event.date)},
                }
            )

        for event in events:
            f: dict[str, Any] = event.to_dict()
            t = event.type
            if t == "course_ordered":
                status_entry(event, "planned", "referred")
            elif t == "phase_changed":
                phase, started = _name(f["to"]), True
                status_entry(event, "active", phase)
            elif t == "paused":
                reason = _ext_coding("pause-reason", "pause-reason", f["reason"])
                status_entry(event, "onhold", phase, reason)
            elif t == "resumed":
                status_entry(event, "active", phase)
            elif t == "closed":
                closed_from = phase
                reason = _ext_coding("closure-reason", "closure-reason", f["reason"])
                status_entry(event, "finished" if started else "cancelled", "closed", reason)
                phase = "closed"
            elif t == "reopened":
                phase = closed_from
                status_entry(event, "active" if started else "planned", phase)
            elif t == "contact_logged":
                contacts += 1
                self.add("Encounter", str(contacts), self.encounter(event, f))
            elif t == "rating_recorded":
                self.add("Observation", f"rating-{self.numbering.next}", self.rating(event, f))
            elif t in _OBSERVATION_CODES:
                resource = self.observation(event, f)
                self.add("Observation", f"{t}-{self.numbering.next}", resource)
            elif t == "goal_set":
                goals[f["goal"]] = self.add("Goal", f["goal"], self.goal(event, f))
            elif t == "goal_updated":
                goal = goals[f["goal"]]
                status = _name(f["status"])
                goal["lifecycleStatus"] = _GOAL_STATUS[status]
                goal["statusDate"] = _day(event.date)
                goal["extension"][0] = _ext_coding("goal-status", "goal-status", status)
                if status == "achieved":
                    goal["achievementStatus"] = _concept("goal-status", "achieved")
                else:
                    goal.pop("achievementStatus", None)
                goal["extension"].append(self.numbering.event(event, status))
            elif t in ("knowledge_recorded", "knowledge_revised"):
                item = knowledge.setdefault(f["item"], {})
                item.update({k: v for k, v in f.items() if v is not None})
            elif t == "consent_given":
                consents[f["consent"]] = self.add("Consent", f["consent"], self.consent(event, f))
            elif t == "consent_withdrawn":
                consent = consents[f["consent"]]
                consent["status"] = "inactive"
                consent["extension"].append(self.numbering.event(event))
            elif t == "handover_made":
                # Sorted by id: the order in which the items were first recorded is not carried.
                items = [_snapshot(knowledge[item]) for item in sorted(next(carried))]
                tasks[f["handover"]] = self.add("Task", f["handover"], self.task(event, f, items))
            elif t in _SETTLED:
                self.settle(tasks[f["handover"]], event, f)
            # grant_made, step_planned, step_done, success_logged and knowledge_retired are not
            # exported (docs/exports.md says why).

        episode["status"] = history[-1]["status"]
        if phase == "closed":
            episode["period"]["end"] = history[-1]["period"]["start"]
        return {
            "resourceType": "Bundle",
            "identifier": _identifier("course", course.id),
            "type": "collection",
            "entry": [{"fullUrl": url, "resource": resource} for url, resource in self.entries],
        }

    def patient(self) -> dict[str, Any]:
        """The citizen as a logical Patient reference: the pseudonymous key, nothing else (a new
        dict each time, so that no two resources share one)."""
        return {"identifier": _identifier("citizen-key", self.citizen)}

    def context(self) -> dict[str, Any]:
        return {"reference": self.episode_url}

    def encounter(self, event: Event, f: dict[str, Any]) -> dict[str, Any]:
        location = _name(f["location"])
        attendance = _name(f["attendance"])
        code, display = _ENCOUNTER_CLASS.get(location, _FIELD_CLASS)
        extension = [
            _ext_coding("attendance", "attendance", attendance),
            _ext("planned-minutes", "valueInteger", f["planned_minutes"]),
            _ext("billable", "valueBoolean", f["billable"]),
        ]
        if f["non_billable_reason"] is not None:
            extension.append(
                _ext_coding("non-billable-reason", "non-billable-reason", f["non_billable_reason"])
            )
        extension.append(self.numbering.event(event))
        day = _day(event.date)
        return {
            "resourceType": "Encounter",
            "extension": extension,
            "status": "finished" if attendance == "attended" else "cancelled",
            "class": {"system": _ACT_CODE, "code": code, "display": display},
            "subject": self.patient(),
            "episodeOfCare": [self.context()],
            "participant": [{"individual": _staff(f["mentor"])}],
            "period": {"start": day, "end": day},
            "length": {
                "value": f["actual_minutes"],
                "unit": "min",
                "system": _UCUM,
                "code": "min",
            },
            "location": [
                {
                    "location": {"display": location},
                    "physicalType": _concept("location", location),
                }
            ],
        }

    def observation_base(self, event: Event, category: str, code: dict[str, Any]) -> dict[str, Any]:
        return {
            "resourceType": "Observation",
            "extension": [self.numbering.event(event)],
            "status": "final",
            "category": [{"coding": [{"system": _OBSERVATION_CATEGORY, "code": category}]}],
            "code": code,
            "subject": self.patient(),
            "focus": [self.context()],
            "effectiveDateTime": _day(event.date),
        }

    def observation(self, event: Event, f: dict[str, Any]) -> dict[str, Any]:
        t = event.type
        resource = self.observation_base(
            event, "social-history", _concept("observation", _OBSERVATION_CODES[t])
        )
        if t in _OBSERVATION_VALUE:
            field, system = _OBSERVATION_VALUE[t]
            resource["valueCodeableConcept"] = _concept(system, f[field])
        components: list[dict[str, Any]] = []
        if t == "stage_assessed":
            resource["performer"] = [_staff(f["assessor"])]
            components.append(
                _component(
                    "behaviour", "valueCodeableConcept", _concept("behaviour", f["behaviour"])
                )
            )
            components.append(
                _component(
                    "method", "valueCodeableConcept", _concept("assessment-method", f["method"])
                )
            )
            for name in _STAGE_NUMBERS:
                if f[name] is not None:
                    components.append(
                        _component(name, "valueQuantity", {"value": decimal(f[name])})
                    )
            components.append(_component("ruler_min", "valueInteger", f["ruler_min"]))
            components.append(_component("ruler_max", "valueInteger", f["ruler_max"]))
        elif t == "talk_counted":
            components = [_component(name, "valueInteger", f[name]) for name in _TALK_FIELDS]
        elif t == "start_recorded":
            components.append(
                _component(
                    "hours_per_week",
                    "valueQuantity",
                    {
                        "value": decimal(f["hours_per_week"]),
                        "unit": "h/wk",
                        "system": _UCUM,
                        "code": "h/wk",
                    },
                )
            )
        elif t == "status_recorded":
            components.append(
                _component("source", "valueCodeableConcept", _concept("status-source", f["source"]))
            )
        if components:
            resource["component"] = components
        return resource

    def rating(self, event: Event, f: dict[str, Any]) -> dict[str, Any]:
        instrument = f["instrument"]
        code = {"coding": [{"system": _CS + "instrument", "code": instrument}]}
        resource = self.observation_base(event, "survey", code)
        scale = self.instruments.get(instrument)
        if scale is not None:
            total = scale.score(f["answers"], f["age_band"] or None)["total"]
            resource["valueQuantity"] = {"value": decimal(total)}
        components = [
            _component(f"item-{i + 1}", "valueQuantity", {"value": decimal(answer)})
            for i, answer in enumerate(f["answers"])
        ]
        components.append(
            _component("rated_by", "valueCodeableConcept", _concept("rater", f["rated_by"]))
        )
        if f["age_band"]:
            components.append(
                _component("age_band", "valueCodeableConcept", _concept("age-band", f["age_band"]))
            )
        resource["component"] = components
        return resource

    def goal(self, event: Event, f: dict[str, Any]) -> dict[str, Any]:
        return {
            "resourceType": "Goal",
            "extension": [
                _ext_coding("goal-status", "goal-status", "active"),
                self.numbering.event(event),
            ],
            "identifier": [_identifier("goal", f["goal"])],
            "lifecycleStatus": "active",
            # The goal's text is the citizen's own words: free text, which stays in mentorcore.
            "description": {"text": f"goal {f['goal']}"},
            "subject": self.patient(),
            "startDate": _day(event.date),
        }

    def consent(self, event: Event, f: dict[str, Any]) -> dict[str, Any]:
        extension = [_ext_coding("consent-form", "consent-form", f["form"])]
        if f["recipient_role"] is not None:
            extension.append(_ext_coding("recipient-role", "party-role", f["recipient_role"]))
        extension.append(self.numbering.event(event))
        period = {"start": _day(f["valid_from"])}
        if f["valid_to"] is not None:
            period["end"] = _day(f["valid_to"])
        provision: dict[str, Any] = {"type": "permit", "period": period}
        if f["recipient"]:
            provision["actor"] = [
                {
                    "role": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                                "code": "IRCP",
                            }
                        ]
                    },
                    "reference": _staff(f["recipient"]),
                }
            ]
        provision["purpose"] = [_coding("purpose", p) for p in f["purposes"]]
        return {
            "resourceType": "Consent",
            "extension": extension,
            "identifier": [_identifier("consent", f["consent"])],
            "status": "active",
            "scope": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                        "code": "patient-privacy",
                    }
                ]
            },
            "category": [_concept("data-category", c) for c in f["data_categories"]],
            "patient": self.patient(),
            "dateTime": _day(event.date),
            "policyRule": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}
                ]
            },
            "provision": provision,
        }

    def task(self, event: Event, f: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
        inputs: list[dict[str, Any]] = []

        def section(code: str, text: str, *extension: dict[str, Any]) -> None:
            entry: dict[str, Any] = {"type": _concept("handover-section", code)}
            if extension:
                entry["extension"] = list(extension)
            entry["valueString"] = text
            inputs.append(entry)

        if f["summary_note"]:
            section("summary-note", f["summary_note"])
        for action in f["actions"] or []:
            extension = [_ext("action-owner", "valueString", action["owner"])]
            if action.get("due") is not None:
                extension.append(_ext("due", "valueDate", _day(action["due"])))
            section("action", action["task"], *extension)
        for contingency in f["contingencies"] or []:
            section(
                "contingency",
                contingency["then"],
                _ext("contingency-if", "valueString", contingency["if"]),
            )
        for commitment in f["commitments"] or []:
            section("commitment", commitment)
        for appointment in f["open_appointments"] or []:
            section(
                "open-appointment",
                appointment["what"],
                _ext("appointment-date", "valueDate", _day(appointment["date"])),
            )
        for item in items:
            extension = [
                _ext("knowledge-item", "valueString", item["item"]),
                _ext("knowledge-category", "valueString", item["category"]),
                _ext_coding("data-category", "data-category", item["data_category"]),
                _ext_coding("sharing-basis", "sharing-basis", item["sharing_basis"]),
            ]
            if item["basis_reference"]:
                extension.append(_ext("basis-reference", "valueString", item["basis_reference"]))
            section("knowledge-item", item["text"], *extension)
        day = _day(event.date)
        task: dict[str, Any] = {
            "resourceType": "Task",
            "extension": [
                _ext_coding("sender-role", "party-role", f["from_role"]),
                _ext_coding("receiver-role", "party-role", f["to_role"]),
                _ext_coding("handover-type", "handover-type", f["handover_type"]),
                _ext("planned", "valueBoolean", f["planned"]),
                _ext_coding("severity", "severity", f["severity"]),
                self.numbering.event(event),
            ],
            "identifier": [_identifier("handover", f["handover"])],
            "status": _TASK_STATUS["made"],
            "intent": "order",
            "code": _concept("task", "handover"),
            "focus": self.context(),
            "for": self.patient(),
            "executionPeriod": {"start": day},
            "authoredOn": day,
            "lastModified": day,
            "requester": _staff(f["from"]),
            "owner": _staff(f["to"]),
            "reasonCode": _concept("purpose", f["purpose"]),
        }
        if inputs:
            task["input"] = inputs
        return task

    def settle(self, task: dict[str, Any], event: Event, f: dict[str, Any]) -> None:
        state = _SETTLED[event.type]
        day = _day(event.date)
        task["status"] = _TASK_STATUS[state]
        task["executionPeriod"]["end"] = day
        task["lastModified"] = day
        task["extension"].append(self.numbering.event(event))
        if state == "acknowledged":
            task["output"] = [
                {"type": _concept("handover-section", "read-back"), "valueString": f["read_back"]}
            ]
        else:
            task["statusReason"] = {"text": f["reason"]}


# ---- from_fhir --------------------------------------------------------------------------------


def from_fhir(bundle: Mapping[str, Any], *, reference: ReferenceData | None = None) -> Course:
    """The course a bundle of :func:`to_fhir` describes, as far as FHIR carries it.

    The events come back in their order (from mentorcore's ``event`` extension on each
    resource) and are replayed, so every rule is checked again; `reference` must hold the
    rating instruments the bundle's ratings use (the built-in reference data when None).
    Required texts that the bundle does not carry (a phase change's reason, a goal's text, a
    start's employer) read ``"(not carried by the FHIR export)"``; knowledge items come back
    only as far as a handover carried them. See ``docs/exports.md`` for what is lost.
    Raises :class:`mentorcore.Error` for a bundle that is not one of mentorcore's."""
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise invalid("bundle", type(bundle).__name__, "expected a FHIR Bundle (a dict)")
    if reference is not None and not isinstance(reference, ReferenceData):
        raise invalid("reference", reference, "expected a ReferenceData or None")
    resources = [entry.get("resource", {}) for entry in bundle.get("entry", [])]
    episodes = [r for r in resources if r.get("resourceType") == "EpisodeOfCare"]
    if len(episodes) != 1:
        raise invalid("bundle", f"{len(episodes)} EpisodeOfCare", "expected exactly one")
    try:
        events = _Importer().events(episodes[0], resources)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError, StopIteration) as error:
        if isinstance(error, Error):
            raise
        raise invalid(
            "bundle", type(error).__name__, f"not a bundle written by mentorcore.to_fhir ({error})"
        ) from None
    return Course.replay(events, reference)


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
