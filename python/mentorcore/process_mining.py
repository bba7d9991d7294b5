"""Courses as event logs for process mining: :func:`to_ocel` (OCEL 2.0 JSON) and
:func:`to_xes` (XES, one trace per course).

Both carry every event of every course with its type, day and who recorded it, and the fields
that are codes, numbers, dates, yes/no or ids; no free text ever (no reasons, notes, goal texts,
knowledge items, handover sections), and no citizen key. A timestamp is the event's day at
00:00 UTC plus one second per earlier event of the course on the same day, so that tools which
sort by time keep the course's order. ``docs/exports.md`` lists the attributes.

Input is a :class:`mentorcore.Course`, an iterable of them (read once, one course at a time),
or the path of an event log. A :class:`mentorcore.Cohort` is refused: it keeps the courses'
tables, not their events (no consents, knowledge, talk counts or who recorded what).
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import functools
import html
import json
import os
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ._fhir_codes import decimal
from ._validate import file_to_write, invalid, unwritable
from .cohort import Cohort
from .course import Course
from .interchange import read_events

__all__ = ["to_ocel", "to_xes"]

# Per event type, the fields exported as attributes: codes, numbers, dates, yes/no and ids.
# Every other field (the free texts, the citizen key, lists) is left out on purpose.
EVENT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "course_ordered": ("municipality", "target_group", "assessment_category", "caseworker"),
    "grant_made": ("grant", "mentor", "hours_per_week", "start", "end", "legal_basis",
                   "predecessor", "provider"),
    "phase_changed": ("to",),
    "start_recorded": ("start_type", "hours_per_week"),
    "clarification_concluded": ("outcome",),
    "contact_logged": ("mentor", "location", "attendance", "planned_minutes", "actual_minutes",
                       "billable", "non_billable_reason"),
    "milestone_recorded": ("milestone",),
    "paused": ("reason",),
    "resumed": (),
    "closed": ("reason",),
    "reopened": (),
    "start_ended": ("cause",),
    "status_recorded": ("status", "source"),
    "stage_assessed": ("behaviour", "stage", "method", "assessor", "score", "importance",
                       "confidence", "readiness", "ruler_min", "ruler_max"),
    "talk_counted": ("desire", "ability", "reasons", "need", "commitment", "activation",
                     "taking_steps", "sustain"),
    "rating_recorded": ("instrument", "rated_by", "age_band"),
    "goal_set": ("goal",),
    "goal_updated": ("goal", "status"),
    "step_planned": ("step", "goal", "due"),
    "step_done": ("step", "done_by"),
    "success_logged": (),
    "knowledge_recorded": ("item", "data_category", "sharing_basis"),
    "knowledge_revised": ("item", "data_category", "sharing_basis"),
    "knowledge_retired": ("item",),
    "consent_given": ("consent", "recipient", "recipient_role", "valid_from", "valid_to", "form"),
    "consent_withdrawn": ("consent",),
    "handover_made": ("handover", "from", "from_role", "to", "to_role", "handover_type",
                      "planned", "purpose", "severity"),
    "handover_acknowledged": ("handover",),
    "handover_rejected": ("handover",),
    "handover_revoked": ("handover",),
}  # fmt: skip

_HANDOVER_SETTLED = {
    "handover_acknowledged": "acknowledged",
    "handover_rejected": "rejected",
    "handover_revoked": "revoked",
}

# The OCEL object types, their attributes and types.
OBJECT_TYPES: dict[str, dict[str, str]] = {
    "course": {"municipality": "integer", "target_group": "string", "phase": "string"},
    "grant": {"hours_per_week": "float", "start": "time", "end": "time", "legal_basis": "string",
              "provider": "string"},
    "contact": {"location": "string", "attendance": "string", "actual_minutes": "integer"},
    "handover": {"handover_type": "string", "severity": "string", "purpose": "string",
                 "state": "string"},
    "goal": {"status": "string"},
}  # fmt: skip


def _stamp(day: datetime.date, second: int) -> str:
    if second < 60:
        return f"{_iso(day)}T00:00:{second:02d}Z"
    moment = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)
    return (moment + datetime.timedelta(seconds=second)).isoformat().replace("+00:00", "Z")


@functools.lru_cache(maxsize=1 << 14)
def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _value(value: object) -> object:
    kind = type(value)
    if kind is str or kind is int or kind is bool:
        return value
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, datetime.date):
        return _stamp(value, 0)
    return value


def _attribute_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) and not isinstance(value, enum.Enum):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, datetime.date):
        return "time"
    return "string"


@contextlib.contextmanager
def _whole_file(path: str | os.PathLike[str]) -> Iterator[IO[str]]:
    """A text file written in full or not at all: a temporary file beside `path`, renamed onto
    it when the block ends, removed if the block raises (a bad course half way). A directory, a
    missing folder or a failed write raise an InvalidValueError naming ``path``."""
    target = file_to_write(path)
    folder, name = os.path.split(os.path.abspath(target))
    # Opened like any new file (not mkstemp's owner-only mode), so the log gets the usual mode.
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            yield out
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):  # it may never have been created
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise unwritable(target, error) from None
        raise


def _courses(source: object) -> Iterator[Course]:
    """One course at a time from a Course, an iterable of them, or an event-log path."""
    if isinstance(source, Course):
        yield source
        return
    if isinstance(source, Cohort):
        raise invalid(
            "cohort_or_courses",
            "a Cohort",
            "a Cohort keeps the courses' tables, not their events: pass the courses, or the "
            "path of the event log the cohort was read from",
        )
    if isinstance(source, (str, os.PathLike)):
        courses = read_events(source)
        assert isinstance(courses, list)
        yield from courses
        return
    if not isinstance(source, Iterable):
        raise invalid("cohort_or_courses", source, "expected Courses or an event-log path")
    for course in source:
        if not isinstance(course, Course):
            raise invalid("cohort_or_courses", course, "expected every item to be a Course")
        yield course


def _events(course: Course) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(index, timestamp, fields) for each event of the course, the timestamp made unique
    within a day by the event's rank among that day's events."""
    day: datetime.date | None = None
    rank = 0
    for index, event in enumerate(course.events):
        fields = event.to_dict()
        if event.date == day:
            rank += 1
        else:
            day, rank = event.date, 0
        yield index, _stamp(event.date, rank), fields


def _attributes(fields: dict[str, Any]) -> list[tuple[str, object]]:
    return [
        (name, fields[name])
        for name in EVENT_ATTRIBUTES.get(fields["type"], ())
        if fields.get(name) is not None
    ]


# ---- OCEL 2.0 ---------------------------------------------------------------------------------

# One encoder for every object (json.dumps with options builds a new one per call).
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
# A str as a JSON string, quotes included.
_string = json.encoder.encode_basestring


@functools.lru_cache(maxsize=1 << 16, typed=True)
def _ocel_attribute(name: str, value: object) -> str:
    """An event attribute as JSON, once per name and value (typed: True, 1 and an enum apart)."""
    return _encode({"name": name, "value": _value(value)})


def _event_attribute_types() -> list[dict[str, Any]]:
    """Each event type with its attributes' types, by field name (the same name has the same
    type in every event type)."""
    numbers = {
        "municipality": "integer",
        "hours_per_week": "float",
        "planned_minutes": "integer",
        "actual_minutes": "integer",
        "score": "float",
        "importance": "float",
        "confidence": "float",
        "readiness": "float",
        "ruler_min": "integer",
        "ruler_max": "integer",
        "billable": "boolean",
        "planned": "boolean",
        "start": "time",
        "end": "time",
        "due": "time",
        "valid_from": "time",
        "valid_to": "time",
    }
    numbers.update(dict.fromkeys(EVENT_ATTRIBUTES["talk_counted"], "integer"))
    return [
        {
            "name": type_,
            "attributes": [
                {"name": name, "type": numbers.get(name, "string")}
                for name in ("recorded_by", *names)
            ],
        }
        for type_, names in EVENT_ATTRIBUTES.items()
    ]


def to_ocel(cohort_or_courses: object, path: str | os.PathLike[str]) -> None:
    """Writes the courses as one OCEL 2.0 JSON log at `path`.

    Objects: ``course``, ``grant``, ``contact``, ``handover`` and ``goal``; events: every event of
    every course, of its own type, linked to its course and to the grant, contact, handover or
    goal it concerns (a contact also to the grant covering its day). `cohort_or_courses` is a
    Course, an iterable of Courses, or the path of an event log. No free text is written. The
    file is written in full or not at all."""
    objects: list[str] = []
    with _whole_file(path) as out:
        out.write('{"objectTypes": ')
        json.dump(
            [
                {
                    "name": name,
                    "attributes": [{"name": a, "type": t} for a, t in attributes.items()],
                }
                for name, attributes in OBJECT_TYPES.items()
            ],
            out,
        )
        out.write(', "eventTypes": ')
        json.dump(_event_attribute_types(), out)
        out.write(', "events": [')
        first = True
        for course in _courses(cohort_or_courses):
            for line in _ocel_course(course, objects):
                out.write(line if first else ", " + line)
                first = False
        out.write('], "objects": [')
        out.write(", ".join(objects))
        out.write("]}\n")


def _ocel_course(course: Course, objects: list[str]) -> Iterator[str]:
    cid = course.id
    course_object: dict[str, Any] = {
        "id": cid,
        "type": "course",
        "attributes": [],
        "relationships": [],
    }
    phase, closed_in = "referred", "referred"
    owned: dict[str, dict[str, Any]] = {}
    grants: list[tuple[datetime.date, datetime.date, str]] = []
    contacts = 0

    def new_object(kind: str, key: str, time: str, **attributes: object) -> str:
        oid = f"{cid}/{kind}/{key}"
        owned[oid] = {
            "id": oid,
            "type": kind,
            "attributes": [
                {"name": name, "time": time, "value": _value(value)}
                for name, value in attributes.items()
                if value is not None
            ],
            "relationships": [{"objectId": cid, "qualifier": "course"}],
        }
        return oid

    def set_attribute(oid: str, time: str, name: str, value: object) -> None:
        target = course_object if oid == cid else owned[oid]
        target["attributes"].append({"name": name, "time": time, "value": _value(value)})

    for index, time, fields in _events(course):
        t = fields["type"]
        links = [{"objectId": cid, "qualifier": "course"}]
        if t == "course_ordered":
            set_attribute(cid, time, "municipality", fields["municipality"])
            set_attribute(cid, time, "target_group", fields["target_group"])
            set_attribute(cid, time, "phase", "referred")
        elif t == "phase_changed":
            phase = fields["to"].name
            set_attribute(cid, time, "phase", phase)
        elif t == "closed":
            phase, closed_in = "closed", phase
            set_attribute(cid, time, "phase", "closed")
        elif t == "reopened":
            # A reopened course returns to the phase it was closed in.
            phase = closed_in
            set_attribute(cid, time, "phase", phase)
        elif t == "grant_made":
            oid = new_object(
                "grant",
                fields["grant"],
                time,
                hours_per_week=fields["hours_per_week"],
                start=fields["start"],
                end=fields["end"],
                legal_basis=fields["legal_basis"],
                provider=fields["provider"],
            )
            if fields["predecessor"]:
                owned[oid]["relationships"].append(
                    {"objectId": f"{cid}/grant/{fields['predecessor']}", "qualifier": "extends"}
                )
            grants.append((fields["start"], fields["end"], oid))
            links.append({"objectId": oid, "qualifier": "grant"})
        elif t == "contact_logged":
            contacts += 1
            oid = new_object(
                "contact",
                str(contacts),
                time,
                location=fields["location"],
                attendance=fields["attendance"],
                actual_minutes=fields["actual_minutes"],
            )
            links.append({"objectId": oid, "qualifier": "contact"})
            day = datetime.date.fromisoformat(time[:10])
            for start, end, grant in grants:
                if start <= day <= end:
                    links.append({"objectId": grant, "qualifier": "within grant"})
        elif t in ("goal_set", "goal_updated", "step_planned"):
            oid = f"{cid}/goal/{fields['goal']}"
            if t == "goal_set":
                new_object("goal", fields["goal"], time, status="active")
            elif t == "goal_updated":
                set_attribute(oid, time, "status", fields["status"])
            links.append({"objectId": oid, "qualifier": "goal"})
        elif t == "handover_made":
            oid = new_object(
                "handover",
                fields["handover"],
                time,
                handover_type=fields["handover_type"],
                severity=fields["severity"],
                purpose=fields["purpose"],
                state="made",
            )
            links.append({"objectId": oid, "qualifier": "handover"})
        elif t in _HANDOVER_SETTLED:
            oid = f"{cid}/handover/{fields['handover']}"
            set_attribute(oid, time, "state", _HANDOVER_SETTLED[t])
            links.append({"objectId": oid, "qualifier": "handover"})
        # Written as text from cached pieces: the attributes repeat (codes, staff ids), and
        # encoding one dict per event was most of the time.
        attributes = ", ".join(
            [
                _ocel_attribute("recorded_by", fields["recorded_by"]),
                *(_ocel_attribute(n, v) for n, v in _attributes(fields)),
            ]
        )
        relationships = ", ".join(
            f'{{"objectId": {_string(link["objectId"])}, "qualifier": "{link["qualifier"]}"}}'
            for link in links
        )
        yield (
            f'{{"id": {_string(f"{cid}#{index}")}, "type": "{t}", "time": "{time}", '
            f'"attributes": [{attributes}], "relationships": [{relationships}]}}'
        )
    objects.append(_encode(course_object))
    objects.extend(_encode(o) for o in owned.values())


# ---- XES --------------------------------------------------------------------------------------

_XES_HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>
  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>
  <global scope="trace">
    <string key="concept:name" value="__INVALID__"/>
  </global>
  <global scope="event">
    <string key="concept:name" value="__INVALID__"/>
    <date key="time:timestamp" value="1970-01-01T00:00:00Z"/>
  </global>
  <classifier name="Activity" keys="concept:name"/>
  <string key="concept:name" value="mentorcore courses"/>
"""


# Keys and values repeat (codes, staff ids, numbers): each element is escaped once. typed=True
# keeps True, 1 and 1.0 (and an enum and its number) apart.
@functools.lru_cache(maxsize=1 << 16, typed=True)
def _xes_attribute(key: str, value: object) -> str:
    kind = _attribute_type(value)
    tag = {"boolean": "boolean", "integer": "int", "float": "float", "time": "date"}.get(
        kind, "string"
    )
    text = str(value).lower() if kind == "boolean" else _value(value)
    return f'<{tag} key="{html.escape(key)}" value="{html.escape(str(text))}"/>'


def to_xes(cohort_or_courses: object, path: str | os.PathLike[str]) -> None:
    """Writes the courses as one XES log at `path`: a trace per course (``concept:name`` the
    course id, with its municipality and target group), an event per course event
    (``concept:name`` the event type, ``time:timestamp``, ``org:resource`` who recorded it, and
    the attributes of :func:`to_ocel`'s events). `cohort_or_courses` is a Course, an iterable of
    Courses, or the path of an event log. No free text is written. The file is written in full or
    not at all."""
    with _whole_file(path) as out:
        out.write(_XES_HEADER)
        for course in _courses(cohort_or_courses):
            _xes_trace(course, out)
        out.write("</log>\n")


def _xes_trace(course: Course, out: IO[str]) -> None:
    parts = ["  <trace>\n    ", _xes_attribute("concept:name", course.id)]
    for index, time, fields in _events(course):
        if index == 0:
            for name in ("municipality", "target_group"):
                parts += ["\n    ", _xes_attribute(name, fields[name])]
        parts.append("\n    <event>")
        parts += [
            _xes_attribute("concept:name", fields["type"]),
            f'<date key="time:timestamp" value="{time}"/>',
            _xes_attribute("org:resource", fields["recorded_by"]),
        ]
        parts += [_xes_attribute(name, value) for name, value in _attributes(fields)]
        parts.append("</event>")
    parts.append("\n  </trace>\n")
    out.write("".join(parts))
