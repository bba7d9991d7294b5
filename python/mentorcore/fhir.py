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
import uuid
from collections.abc import Mapping
from typing import Any

from ._core import redact_personal_numbers
from ._fhir_codes import (
    _ACT_CODE,
    _CS,
    _ENCOUNTER_CLASS,
    _FIELD_CLASS,
    _GOAL_STATUS,
    _OBSERVATION_CATEGORY,
    _OBSERVATION_CODES,
    _OBSERVATION_VALUE,
    _SETTLED,
    _STAGE_NUMBERS,
    _TALK_FIELDS,
    _TASK_STATUS,
    _UCUM,
    _UUID_NAMESPACE,
    FHIR_BASE,
    _coding,
    _component,
    _concept,
    _day,
    _ext,
    _ext_coding,
    _identifier,
    _name,
    _Numbering,
    _snapshot,
    _staff,
    decimal,
)
from ._fhir_codes import NOT_CARRIED as NOT_CARRIED  # documented as mentorcore.fhir.NOT_CARRIED
from ._fhir_read import _Importer
from ._validate import invalid
from .course import Course
from .errors import Error
from .events import Event
from .reference import ReferenceData

__all__ = ["from_fhir", "to_fhir"]


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


def _bundle_resources(bundle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The resources of the bundle's entries, each checked to be an object, so that a malformed
    bundle is an InvalidValueError naming where it is wrong."""
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise invalid("bundle.entry", type(entries).__name__, "expected a list of entries")
    resources = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise invalid(f"bundle.entry[{index}]", type(entry).__name__, "expected an object")
        resource = entry.get("resource", {})
        if not isinstance(resource, Mapping):
            raise invalid(
                f"bundle.entry[{index}].resource", type(resource).__name__, "expected an object"
            )
        resources.append(resource)
    return resources


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
    resources = _bundle_resources(bundle)
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
