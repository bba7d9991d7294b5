"""mentorcore.to_fhir and from_fhir: FHIR R4 bundles, validated with fhir.resources' R4B models,
the round trip for what FHIR carries, and nothing personal outside a handover's Task."""

from __future__ import annotations

import copy
import datetime
import importlib
import itertools
import json
import random
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

import mentorcore as mc
from conftest import build_every_event_type_course
from exports_helpers import CPR, free_texts, has_cpr_number, municipality, strings
from mentorcore.fhir import FHIR_BASE, NOT_CARRIED

D = datetime.date
CS = FHIR_BASE + "/CodeSystem/"


@pytest.fixture(scope="module")
def courses() -> list[mc.Course]:
    return municipality(40)


@pytest.fixture(scope="module")
def bundles(courses: list[mc.Course]) -> list[dict[str, Any]]:
    return [mc.to_fhir(course) for course in courses]


def resources(bundle: dict[str, Any], kind: str | None = None) -> list[dict[str, Any]]:
    found = [entry["resource"] for entry in bundle["entry"]]
    return [r for r in found if kind is None or r["resourceType"] == kind]


def codes(concept: dict[str, Any]) -> list[str]:
    return [coding["code"] for coding in concept["coding"]]


def test_every_resource_parses_with_the_r4b_models(bundles: list[dict[str, Any]]) -> None:
    models: dict[str, Any] = {}
    bundle_model = importlib.import_module("fhir.resources.R4B.bundle").Bundle
    parsed = 0
    for bundle in bundles:
        bundle_model.model_validate(bundle)
        for resource in resources(bundle):
            kind = resource["resourceType"]
            if kind not in models:
                module = importlib.import_module(f"fhir.resources.R4B.{kind.lower()}")
                models[kind] = getattr(module, kind)
            models[kind].model_validate(resource)
            parsed += 1
    assert set(models) == {
        "EpisodeOfCare",
        "Encounter",
        "Observation",
        "Goal",
        "Consent",
        "Task",
    }
    assert parsed > 1000


def test_the_course_of_every_event_type_maps_table_by_table() -> None:
    course = build_every_event_type_course()
    bundle = mc.to_fhir(course)
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "collection"
    (episode,) = resources(bundle, "EpisodeOfCare")
    assert episode["identifier"][0]["value"] == "K-ALL"
    assert episode["patient"] == {
        "identifier": {"system": FHIR_BASE + "/sid/citizen-key", "value": "P-8d2f"}
    }
    history = [
        (h["status"], h["extension"][0]["valueCoding"]["code"]) for h in episode["statusHistory"]
    ]
    assert history == [
        ("planned", "referred"),
        ("active", "pre_employment"),
        ("onhold", "pre_employment"),
        ("active", "pre_employment"),
        ("active", "clarification"),
        ("active", "work_trial"),
        ("active", "retention"),
        ("finished", "closed"),
        ("active", "retention"),
    ]
    # Each period ends where the next begins; the last one is open.
    periods = [h["period"] for h in episode["statusHistory"]]
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(periods))
    assert "end" not in periods[-1]
    assert episode["status"] == "active"

    encounters = resources(bundle, "Encounter")
    assert len(encounters) == len(course.contacts_frame())
    no_show = encounters[2]
    assert no_show["status"] == "cancelled"
    assert no_show["class"]["code"] == "HH"
    assert codes(no_show["location"][0]["physicalType"]) == ["home"]

    observations = resources(bundle, "Observation")
    by_code = {}
    for o in observations:
        by_code.setdefault(o["code"]["coding"][0]["code"], []).append(o)
    assert len(by_code["outcome"]) == 2
    rating = by_code["outcome"][0]
    assert rating["code"]["coding"][0]["system"] == CS + "instrument"
    assert rating["valueQuantity"]["value"] == pytest.approx(10.5)
    assert codes(by_code["stage-of-change"][0]["valueCodeableConcept"]) == ["action"]
    assert {"start", "start-ended", "clarification-outcome", "status-after-closure"} <= set(by_code)

    (goal,) = resources(bundle, "Goal")
    assert goal["lifecycleStatus"] == "active"
    (consent,) = resources(bundle, "Consent")
    assert consent["status"] == "inactive"  # withdrawn on 2024-08-05
    assert consent["provision"]["period"] == {"start": "2024-08-01", "end": "2025-08-01"}
    assert [codes(c) for c in consent["category"]] == [["ordinary"], ["confidential"]]

    tasks = {t["identifier"][0]["value"]: t for t in resources(bundle, "Task")}
    assert {k: t["status"] for k, t in tasks.items()} == {
        "H1": "accepted",
        "H2": "rejected",
        "H3": "cancelled",
    }
    h1 = tasks["H1"]
    sections = [codes(i["type"])[0] for i in h1["input"]]
    assert sections == [
        "summary-note",
        "action",
        "action",
        "contingency",
        "commitment",
        "open-appointment",
        "knowledge-item",
        "knowledge-item",
    ]
    knowledge = [i["valueString"] for i in h1["input"] if codes(i["type"]) == ["knowledge-item"]]
    # k1 as revised before the handover; both are carried (consent, and a legal basis).
    assert knowledge == ["Angst i butikker", "Guitar"]
    assert h1["output"][0]["valueString"] == "Modtaget"
    assert tasks["H2"]["statusReason"] == {"text": "Nej"}


def test_only_the_items_consent_allowed_leave_in_a_task() -> None:
    course = mc.Course.order(
        D(2024, 1, 8),
        recorded_by="cw",
        course="K-W",
        citizen="P-1",
        municipality=101,
        target_group="kontanthjaelp_aktivitetsparat",
        caseworker="cw",
    )
    course.change_phase(D(2024, 1, 9), "pre_employment", reason="start", recorded_by="m1")
    for item, category in (("k-ord", "ordinary"), ("k-health", "health")):
        course.record_knowledge(
            D(2024, 1, 10),
            item,
            "fear",
            f"secret {item}",
            data_category=category,
            sharing_basis="consent",
            basis_reference="C-1",
            recorded_by="m1",
        )
    course.give_consent(
        D(2024, 1, 11),
        "C-1",
        purposes=["continuity"],
        data_categories=["ordinary"],
        valid_from=D(2024, 1, 11),
        recipient_role="mentor",
        recorded_by="cw",
    )
    course.make_handover(
        D(2024, 1, 12),
        "H1",
        sender="m1",
        sender_role="mentor",
        receiver="m2",
        receiver_role="mentor",
        handover_type="warm",
        purpose="continuity",
        severity="stable",
        knowledge_items=["k-ord", "k-health"],
        recorded_by="m1",
    )
    assert [k.item for k in course.handovers[0].withheld] == ["k-health"]
    text = json.dumps(mc.to_fhir(course), ensure_ascii=False)
    assert "secret k-ord" in text
    assert "secret k-health" not in text


def test_the_round_trip_keeps_what_fhir_carries(
    courses: list[mc.Course], bundles: list[dict[str, Any]]
) -> None:
    for course, bundle in zip(courses, bundles, strict=True):
        rebuilt = mc.from_fhir(bundle, reference=course.reference)
        assert mc.to_fhir(rebuilt) == bundle
        # The documented fields survive as they were.
        assert rebuilt.id == course.id
        assert rebuilt.citizen == course.citizen
        assert rebuilt.phase == course.phase
        assert rebuilt.ordered_on == course.ordered_on
        assert rebuilt.closed_on == course.closed_on
        assert rebuilt.closure_reason == course.closure_reason
        assert rebuilt.contacts_frame().equals(course.contacts_frame())
        # Phases with their dates (a phase change's reason is free text, and is not carried).
        assert (
            rebuilt.phases_frame()
            .drop(columns="reason")
            .equals(course.phases_frame().drop(columns="reason"))
        )
        assert rebuilt.pauses_frame().equals(course.pauses_frame())
        assert rebuilt.statuses_frame().equals(course.statuses_frame())
        # The employer is free text; decimals are written to six places.
        pd.testing.assert_frame_equal(
            rebuilt.starts_frame().drop(columns="employer_or_institution"),
            course.starts_frame().drop(columns="employer_or_institution"),
        )
        pd.testing.assert_frame_equal(rebuilt.assessments_frame(), course.assessments_frame())
        pd.testing.assert_frame_equal(rebuilt.ratings_frame(), course.ratings_frame())
        kept = {
            "course_ordered",
            "contact_logged",
            "paused",
            "resumed",
            "closed",
            "talk_counted",
            "status_recorded",
            "milestone_recorded",
            "consent_given",
            "consent_withdrawn",
            "handover_rejected",
            "handover_revoked",
            "handover_acknowledged",
        }
        original = [e for e in course.events if e.type in kept]
        assert [e for e in rebuilt.events if e.type in kept] == original
        assert [(h.id, h.state, h.settled_on) for h in rebuilt.handovers] == [
            (h.id, h.state, h.settled_on) for h in course.handovers
        ]
        # (Their texts as they stood on the handover day: a later revision is not carried.)
        assert [sorted(k.item for k in h.carried) for h in rebuilt.handovers] == [
            sorted(k.item for k in h.carried) for h in course.handovers
        ]
        # What is not carried is said so, not made up.
        for event in rebuilt.events:
            if event.type in ("phase_changed", "reopened"):
                assert event.to_dict()["reason"] == NOT_CARRIED


def test_from_fhir_reads_a_bundle_from_json_in_any_entry_order() -> None:
    course = build_every_event_type_course()
    bundle = json.loads(json.dumps(mc.to_fhir(course)))
    bundle["entry"].reverse()
    rebuilt = mc.from_fhir(bundle, reference=course.reference)
    bundle["entry"].reverse()
    assert mc.to_fhir(rebuilt) == bundle


def test_as_of_exports_the_course_as_it_stood() -> None:
    course = build_every_event_type_course()
    day = D(2024, 3, 10)
    assert mc.to_fhir(course, as_of=day) == mc.to_fhir(course.as_of(day))
    (episode,) = resources(mc.to_fhir(course, as_of=day), "EpisodeOfCare")
    assert episode["status"] == "active"
    assert resources(mc.to_fhir(course, as_of=day), "Task") == []


def test_bad_input_raises_mentorcore_errors() -> None:
    with pytest.raises(mc.Error, match="course"):
        mc.to_fhir("K-1")  # type: ignore[arg-type]
    with pytest.raises(mc.Error, match="as_of"):
        mc.to_fhir(build_every_event_type_course(), as_of="2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(mc.Error, match="bundle"):
        mc.from_fhir({"resourceType": "Patient"})
    with pytest.raises(mc.Error, match="bundle"):
        mc.from_fhir({"resourceType": "Bundle", "entry": []})
    # Its ratings need the instruments of the course's reference data.
    with pytest.raises(mc.RuleViolationError, match="not defined in the course's reference"):
        mc.from_fhir(mc.to_fhir(build_every_event_type_course()))
    bundle = mc.to_fhir(build_every_event_type_course())
    del resources(bundle, "EpisodeOfCare")[0]["statusHistory"]
    with pytest.raises(mc.Error, match=r"not a bundle written by mentorcore\.to_fhir"):
        mc.from_fhir(bundle)


def test_nothing_personal_leaves_outside_a_handovers_task(
    courses: list[mc.Course], bundles: list[dict[str, Any]]
) -> None:
    texts = free_texts(courses)
    assert len(texts) > 100
    in_tasks = 0
    for course, bundle in zip(courses, bundles, strict=True):
        dumped = json.dumps(bundle, ensure_ascii=False)
        assert not has_cpr_number(dumped)
        assert CPR not in dumped and f"{CPR[:6]}-{CPR[6:]}" not in dumped
        for resource in resources(bundle):
            values = set(strings(resource))
            if resource["resourceType"] == "Task":
                in_tasks += len(values & texts)
                # Knowledge items: exactly the ones the handover carried.
                handover = next(
                    h for h in course.handovers if h.id == resource["identifier"][0]["value"]
                )
                items = [
                    i["extension"][0]["valueString"]
                    for i in resource.get("input", [])
                    if codes(i["type"]) == ["knowledge-item"]
                ]
                assert sorted(items) == sorted(k.item for k in handover.carried)
            else:
                assert not values & texts, resource["resourceType"]
    assert in_tasks > 0


def test_a_malformed_entry_names_where_the_bundle_is_wrong() -> None:
    # Found by adversarial testing: an entry of None, or a resource that is a string or a list,
    # raised AttributeError.
    course = mc.synthetic.generate(1, seed=1, threads=1)[0]
    cases = [
        (lambda b: b["entry"].__setitem__(0, None), r"bundle.entry\[0\] = 'NoneType'"),
        (
            lambda b: b["entry"][1].__setitem__("resource", "x"),
            r"bundle.entry\[1\].resource = 'str'",
        ),
        (
            lambda b: b["entry"][1].__setitem__("resource", []),
            r"bundle.entry\[1\].resource = 'list'",
        ),
        (lambda b: b.__setitem__("entry", {}), "bundle.entry = 'dict'"),
    ]
    for mutate, message in cases:
        bundle = mc.to_fhir(course)
        mutate(bundle)
        with pytest.raises(mc.InvalidValueError, match=message):
            mc.from_fhir(bundle, reference=mc.synthetic.reference())


def test_any_node_of_a_bundle_replaced_gives_a_course_or_a_mentorcore_error() -> None:
    course = max(mc.synthetic.generate(20, seed=4, threads=1), key=lambda c: len(c.events))
    original = mc.to_fhir(course)
    reference = mc.synthetic.reference()

    def paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        yield path
        if isinstance(node, (dict, list)):
            for key, child in node.items() if isinstance(node, dict) else enumerate(node):
                yield from paths(child, (*path, key))

    every = [p for p in paths(original) if p]
    rng = random.Random(8)
    for path in rng.sample(every, 400):
        bundle = copy.deepcopy(original)
        parent = bundle
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = rng.choice([None, "x", [], [None], {}, 0, -1, 1.5, True])
        try:
            mc.from_fhir(bundle, reference=reference)
        except mc.Error:
            pass
