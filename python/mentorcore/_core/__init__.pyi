import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

from . import calendar as calendar

# A table as columns: one NumPy array per column (bindings/columns.hpp says which dtype each kind
# of value has).
_Columns = dict[str, npt.NDArray[np.generic]]

# What an event field holds (docs/event-schema.md): a text, number, yes/no, date, enum member,
# a list of these (purposes, answers, categories) or of nested records (actions,
# contingencies, open appointments) as dicts.
_Scalar = str | int | float | bool | datetime.date | enum.Enum | None
_FieldValue = _Scalar | list[str] | list[float] | list[enum.Enum] | list[dict[str, _Scalar]]

class _Score(TypedDict):
    total: float
    subscales: dict[str, float]
    cutoff: float | None
    below_cutoff: bool | None
    clinical: bool | None

class _Change(TypedDict):
    change: float
    reliably_improved: bool
    reliably_deteriorated: bool
    recovered: bool

class _AlertRule(TypedDict):
    rule: str
    points: float
    sessions: int

__version__: str

class Error(ValueError): ...

class InvalidValueError(Error):
    field: str
    value: str
    reason: str

class OutOfRangeError(InvalidValueError): ...

class RuleViolationError(Error):
    course: str
    event_index: int
    event_type: str
    date: str
    rule: str
    field: str

class ParseError(Error):
    source: str
    line: int
    field: str

class JournalError(Error):
    fault: str
    file: str

def redact_personal_numbers(text: str) -> str: ...
def number_text(value: float) -> str: ...
def event_types() -> dict[str, list[tuple[str, bool]]]: ...
def phase_change_allowed(from_phase: Phase | str, to_phase: Phase | str) -> bool: ...
def in_person(location: Location | str) -> bool: ...
def outcome_of(value: StartType | ClarificationOutcome | ClosureReason | str) -> Outcome: ...
def followup_status_of(outcome: Outcome | str) -> FollowupStatus: ...
def is_work_or_education(outcome: Outcome | str) -> bool: ...

class Phase(enum.Enum):
    referred = 0
    pre_employment = 1
    clarification = 2
    work_trial = 3
    retention = 4
    closed = 5

class PauseReason(enum.Enum):
    illness = 0
    admission = 1
    holiday = 2
    other = 3

class StartType(enum.Enum):
    ordinary_job = 0
    flex_job = 1
    education = 2
    wage_subsidy = 3

class ClarificationOutcome(enum.Enum):
    job = 0
    education = 1
    flex_job = 2
    pension = 3
    other_measure = 4

class ClosureReason(enum.Enum):
    job = 0
    flex_job = 1
    education = 2
    other_measure = 3
    pension = 4
    moved = 5
    sick = 6
    dropped_out = 7
    grant_expired = 8
    deceased = 9
    other = 10

class StartEndCause(enum.Enum):
    dismissed = 0
    quit = 1
    contract_ended = 2
    trial_period_failed = 3
    education_dropped = 4
    completed = 5
    other = 6

class FollowupStatus(enum.Enum):
    in_work = 0
    in_education = 1
    on_benefit = 2
    self_supporting = 3
    other = 4

class StatusSource(enum.Enum):
    register = 0
    citizen_contact = 1
    employer = 2

class Outcome(enum.Enum):
    job = 0
    flex_job = 1
    subsidised_job = 2
    education = 3
    other_measure = 4
    pension = 5
    no_outcome = 6

class Milestone(enum.Enum):
    first_office_visit = 0
    first_own_appointment_alone = 1
    work_trial_start = 2
    job_or_education_start = 3

class Location(enum.Enum):
    home = 0
    provider_office = 1
    workplace = 2
    education_site = 3
    public_place = 4
    escort_to_appointment = 5
    phone = 6
    video = 7
    message = 8

class Attendance(enum.Enum):
    attended = 0
    no_show = 1
    cancelled_by_citizen_in_time = 2
    cancelled_by_citizen_late = 3
    cancelled_by_provider = 4
    rescheduled = 5

class NonBillableReason(enum.Enum):
    transport = 0
    mentor_sick = 1
    admin = 2
    citizen_absent = 3
    other = 4

class ReferenceKind(enum.Enum):
    legal_basis = 0
    target_group = 1
    assessment_category = 2

class Event:
    def __init__(
        self, type: str, date: datetime.date, recorded_by: str, **fields: object
    ) -> None: ...
    @staticmethod
    def from_dict(data: Mapping[str, object]) -> Event: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def fields(self) -> dict[str, _FieldValue]: ...
    def to_dict(self) -> dict[str, _FieldValue]: ...
    def __getattr__(self, name: str) -> _FieldValue: ...

class ReferenceData:
    def __init__(self) -> None: ...
    @staticmethod
    def builtin() -> ReferenceData: ...
    @staticmethod
    def from_json(text: str, source: str = ...) -> ReferenceData: ...
    @staticmethod
    def from_json_file(path: str) -> ReferenceData: ...
    def extended(self, more: ReferenceData) -> ReferenceData: ...
    def entries(
        self,
    ) -> list[
        tuple[ReferenceKind, str, str, datetime.date, datetime.date | None, int | None, str]
    ]: ...
    def is_valid(self, kind: ReferenceKind | str, code: str, date: datetime.date) -> bool: ...
    def entry_columns(self) -> _Columns: ...
    def to_json(self) -> str: ...
    def with_instruments(self, instruments: Iterable[Instrument]) -> ReferenceData: ...
    @property
    def instruments(self) -> list[Instrument]: ...
    def __len__(self) -> int: ...

class Course:
    def __init__(self, order: Event, reference: ReferenceData | None = None) -> None: ...
    @staticmethod
    def replay(events: Iterable[Event], reference: ReferenceData | None = None) -> Course: ...
    def append(self, event: Event) -> None: ...
    def as_of(self, date: datetime.date) -> Course: ...
    @property
    def events(self) -> list[Event]: ...
    @property
    def reference(self) -> ReferenceData: ...
    @property
    def id(self) -> str: ...
    @property
    def citizen(self) -> str: ...
    @property
    def municipality(self) -> int: ...
    @property
    def phase(self) -> Phase: ...
    @property
    def ordered_on(self) -> datetime.date: ...
    @property
    def started_on(self) -> datetime.date | None: ...
    @property
    def course_started_on(self) -> datetime.date | None: ...
    @property
    def first_job_or_education_start(self) -> datetime.date | None: ...
    @property
    def observed_on(self) -> datetime.date: ...
    @property
    def follow_up_ends_on(self) -> datetime.date | None: ...
    def provider_on(self, date: datetime.date) -> str | None: ...
    @property
    def closed_on(self) -> datetime.date | None: ...
    @property
    def closure_reason(self) -> ClosureReason | None: ...
    @property
    def is_paused(self) -> bool: ...
    def phase_on(self, date: datetime.date) -> Phase: ...
    def days_per_phase(self, as_of: datetime.date) -> dict[Phase, int]: ...
    def weekly_usage_columns(self, as_of: datetime.date | None = None) -> _Columns: ...
    def event_columns(self) -> dict[str, npt.NDArray[np.generic] | list[object]]: ...
    def contact_columns(self) -> dict[str, npt.NDArray[np.generic] | list[str]]: ...
    def consent_columns(self) -> _Columns: ...
    def assessment_columns(self) -> _Columns: ...
    def rating_columns(self, instrument: str = "") -> _Columns: ...
    def talk_columns(self) -> _Columns: ...
    def goal_columns(self) -> _Columns: ...
    def step_columns(self) -> _Columns: ...
    def empowerment_columns(self) -> _Columns: ...
    def knowledge_columns(self, include_retired: bool = False) -> _Columns: ...
    def phase_columns(self) -> _Columns: ...
    def pause_columns(self) -> _Columns: ...
    def grant_columns(self, as_of: datetime.date | None = None) -> _Columns: ...
    def start_columns(self) -> _Columns: ...
    def status_columns(self) -> _Columns: ...
    def attendance_columns(self) -> _Columns: ...
    def home_visit_columns(self) -> _Columns: ...
    def latest_rating_totals(self) -> _Columns: ...
    def milestones(self) -> list[MilestoneRecord]: ...
    def next_report_due(
        self,
        as_of: datetime.date,
        first_report_working_days: int,
        report_every_months: int,
        final_report_working_days: int,
        deadlines: calendar.DeadlinePolicy,
    ) -> datetime.date | None: ...
    def warnings(self, as_of: datetime.date) -> list[WarningRecord]: ...
    def stage_trajectories(self) -> list[TrajectoryRecord]: ...
    def successes(self) -> list[tuple[datetime.date, str]]: ...
    def knowledge_profile(self, include_retired: bool = False) -> list[KnowledgeItemRecord]: ...
    def alerts(
        self, as_of: datetime.date, no_contact_working_days: int, deadlines: calendar.DeadlinePolicy
    ) -> list[AlertRecord]: ...
    def handovers(self) -> list[HandoverRecord]: ...
    def handover_markdown(self, index: int) -> str: ...
    def handover_completeness(
        self, index: int, checklist: list[HandoverSection | str]
    ) -> float: ...
    def responsible(self) -> tuple[str, PartyRole]: ...
    def mentor_changes(self) -> int: ...
    def __eq__(self, other: object) -> bool: ...

class MilestoneRecord:
    @property
    def milestone(self) -> Milestone: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def derived(self) -> bool: ...

class WarningRecord:
    @property
    def code(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def message(self) -> str: ...

class UricaRecord:
    @property
    def precontemplation(self) -> float: ...
    @property
    def contemplation(self) -> float: ...
    @property
    def action(self) -> float: ...
    @property
    def maintenance(self) -> float: ...
    @property
    def readiness(self) -> float: ...
    @property
    def stage(self) -> Stage: ...

class TrajectoryRecord:
    @property
    def behaviour(self) -> str: ...
    @property
    def current(self) -> Stage: ...
    @property
    def since(self) -> datetime.date: ...
    @property
    def last_assessed(self) -> datetime.date: ...
    @property
    def assessments(self) -> int: ...
    @property
    def forward_moves(self) -> int: ...
    @property
    def relapses(self) -> int: ...
    @property
    def transitions(self) -> npt.NDArray[np.int64]: ...

class AlertRecord:
    @property
    def code(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def subject(self) -> str: ...
    @property
    def message(self) -> str: ...

class KnowledgeItemRecord:
    @property
    def item(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def data_category(self) -> DataCategory: ...
    @property
    def sharing_basis(self) -> SharingBasis: ...
    @property
    def basis_reference(self) -> str: ...
    @property
    def recorded_on(self) -> datetime.date: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def revised_on(self) -> datetime.date | None: ...
    @property
    def revisions(self) -> int: ...
    @property
    def retired_on(self) -> datetime.date | None: ...
    @property
    def retired_reason(self) -> str: ...

class RatingAcrossHandover:
    @property
    def instrument(self) -> str: ...
    @property
    def before(self) -> float: ...
    @property
    def after(self) -> float: ...
    @property
    def change(self) -> float: ...

class HandoverRecord:
    @property
    def id(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def sender(self) -> str: ...
    @property
    def sender_role(self) -> PartyRole: ...
    @property
    def receiver(self) -> str: ...
    @property
    def receiver_role(self) -> PartyRole: ...
    @property
    def handover_type(self) -> HandoverType: ...
    @property
    def planned(self) -> bool: ...
    @property
    def purpose(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary_note(self) -> str: ...
    @property
    def actions(self) -> list[dict[str, str | datetime.date | None]]: ...
    @property
    def contingencies(self) -> list[dict[str, str]]: ...
    @property
    def commitments(self) -> list[str]: ...
    @property
    def open_appointments(self) -> list[dict[str, str | datetime.date]]: ...
    @property
    def state(self) -> HandoverState: ...
    @property
    def settled_on(self) -> datetime.date | None: ...
    @property
    def read_back(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def carried(self) -> list[str]: ...
    @property
    def withheld(self) -> list[str]: ...
    @property
    def dropped(self) -> list[str]: ...
    @property
    def withheld_by_category(self) -> dict[DataCategory, int]: ...
    @property
    def completeness(self) -> float: ...
    @property
    def days_to_first_contact(self) -> int | None: ...
    @property
    def no_shows_within_30_days(self) -> int: ...
    @property
    def ratings(self) -> list[RatingAcrossHandover]: ...

def handover_columns(courses: Iterable[Course]) -> _Columns: ...

class Stage(enum.Enum):
    precontemplation = 0
    contemplation = 1
    preparation = 2
    action = 3
    maintenance = 4
    termination = 5

class AssessmentMethod(enum.Enum):
    clinical_judgement = 0
    ruler = 1
    urica_32 = 2
    urica_24 = 3
    other = 4

class Rater(enum.Enum):
    citizen = 0
    mentor = 1
    caseworker = 2
    other = 3

class GoalStatus(enum.Enum):
    active = 0
    achieved = 1
    abandoned = 2

class StepDoer(enum.Enum):
    citizen_alone = 0
    citizen_with_support = 1
    mentor_on_behalf = 2

class DataCategory(enum.Enum):
    ordinary = 0
    confidential = 1
    health = 2
    criminal = 3
    serious_social_problems = 4

class SharingBasis(enum.Enum):
    consent = 0
    law = 1
    necessary_for_task = 2

class AlertRule(enum.Enum):
    below_cutoff = 0
    drop_from_previous = 1
    no_reliable_improvement = 2

class Aggregation(enum.Enum):
    sum = 0
    mean = 1

STANDARD_KNOWLEDGE_CATEGORIES: tuple[str, ...]

def urica_score(
    answers: Iterable[int], group_means: dict[Stage | str, float] | None = None
) -> UricaRecord: ...

class Instrument:
    def __init__(
        self,
        name: str,
        *,
        version: str = "",
        items: Iterable[tuple[float, float]],
        subscales: dict[str, list[int]] | None = None,
        cutoffs: dict[str, float] | None = None,
        reliable_change: float = 0.0,
        higher_is_better: bool = True,
        alerts: Iterable[Mapping[str, str | float]] | None = None,
        aggregation: Aggregation | str = "sum",
    ) -> None: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def items(self) -> list[tuple[float, float]]: ...
    @property
    def subscales(self) -> dict[str, list[int]]: ...
    @property
    def cutoffs(self) -> dict[str, float]: ...
    @property
    def reliable_change(self) -> float: ...
    @property
    def higher_is_better(self) -> bool: ...
    @property
    def aggregation(self) -> Aggregation: ...
    @property
    def alerts(self) -> list[_AlertRule]: ...
    @property
    def total_range(self) -> tuple[float, float]: ...
    def score(self, answers: Iterable[float], age_band: str | None = None) -> _Score: ...
    def change(
        self, earlier: Iterable[float], current: Iterable[float], age_band: str | None = None
    ) -> _Change: ...

class PartyRole(enum.Enum):
    mentor = 0
    caseworker = 1
    provider = 2
    employer_mentor = 3
    education_mentor = 4

class HandoverType(enum.Enum):
    warm = 0
    verbal_and_written = 1
    written_only = 2
    unplanned = 3

class Severity(enum.Enum):
    stable = 0
    watch = 1
    unstable = 2

class ConsentForm(enum.Enum):
    written = 0
    oral = 1
    digital = 2

class HandoverState(enum.Enum):
    made = 0
    acknowledged = 1
    rejected = 2
    revoked = 3

class HandoverSection(enum.Enum):
    actions = 0
    contingencies = 1
    relational_knowledge = 2
    commitments = 3
    open_appointments = 4
    read_back = 5

EVENT_SCHEMA: str
MAX_EVENT_LINE_BYTES: int

class RejectedLineRecord:
    @property
    def line(self) -> int: ...
    @property
    def course(self) -> str: ...
    @property
    def message(self) -> str: ...

class ReadOutcome:
    @property
    def courses(self) -> list[Course]: ...
    @property
    def rejected(self) -> list[RejectedLineRecord]: ...
    @property
    def redacted_texts(self) -> int: ...

def read_events_bytes(
    data: bytes,
    source: str,
    reference: ReferenceData | None,
    pseudonym_key: str | None,
    collect: bool,
) -> ReadOutcome: ...
def read_events_file(
    path: str, reference: ReferenceData | None, pseudonym_key: str | None, collect: bool
) -> ReadOutcome: ...

class CohortRejectedLineRecord:
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def course(self) -> str: ...
    @property
    def message(self) -> str: ...

class CohortReadOutcome:
    @property
    def cohort(self) -> Cohort: ...
    @property
    def rejected(self) -> list[CohortRejectedLineRecord]: ...
    @property
    def redacted_texts(self) -> int: ...

def read_cohort(
    paths: list[str],
    reference: ReferenceData | None,
    pseudonym_key: str | None,
    collect: bool,
    threads: int,
    progress: Callable[[int, int], None] | None,
) -> CohortReadOutcome: ...
def write_events_bytes(courses: list[Course]) -> bytes: ...
def write_events_file(courses: list[Course], path: str) -> None: ...
def event_json_schema() -> str: ...
def pseudonymise(pseudonym_key: str, cpr: str) -> str: ...
def synthetic_reference() -> ReferenceData: ...
def synthetic_generate(
    courses: int,
    seed: int,
    first_order: datetime.date,
    last_order: datetime.date,
    observation: datetime.date | None,
    municipalities: list[int],
    threads: int,
) -> list[Course]: ...
def synthetic_write(
    path: str,
    courses: int,
    seed: int,
    first_order: datetime.date,
    last_order: datetime.date,
    observation: datetime.date | None,
    municipalities: list[int],
    threads: int,
    progress: Callable[[int], object] | None,
) -> LogSummaryRecord: ...

class LogSummaryRecord:
    @property
    def courses(self) -> int: ...
    @property
    def events(self) -> int: ...
    @property
    def bytes(self) -> int: ...

def realised_rates(courses: Iterable[Course]) -> _Columns: ...

MISSING_DAY: int
MISSING_NUMBER: int

class Cohort:
    @staticmethod
    def from_courses(courses: Iterable[Course]) -> Cohort: ...
    @staticmethod
    def table_names() -> list[str]: ...
    def __len__(self) -> int: ...
    @property
    def memory_bytes(self) -> int: ...
    @property
    def date_range(self) -> tuple[datetime.date, datetime.date] | None: ...
    def rows(self, table: str) -> int: ...
    def columns(self, table: str) -> _Columns: ...
    def schema(self, table: str) -> list[tuple[str, str, list[str] | None, str | None]]: ...
    def dictionary(self, kind: str) -> list[str]: ...
    def select(self, keep: npt.NDArray[np.uint8]) -> Cohort: ...
    def arrow_schema(self, table: str) -> object: ...
    def arrow_stream(self, table: str, requested_schema: object | None = None) -> object: ...
    @staticmethod
    def arrow_nodes_alive() -> int: ...

SUMMARY_TABLES: list[str]
SUMMARY_RATING_MEASURES: list[str]

def summary_cells(table: str) -> list[str]: ...
def add_months_to_days(days: npt.NDArray[np.int32], months: int) -> npt.NDArray[np.int32]: ...
def count_summary(
    cohort: Cohort,
    as_of: int,
    groups: npt.NDArray[np.int32],
    group_count: int,
    threads: int,
) -> dict[str, Any]: ...
def kaplan_meier(
    durations: npt.NDArray[np.float64],
    observed: npt.NDArray[np.int32],
    entry: npt.NDArray[np.float64] | None,
    weights: npt.NDArray[np.float64] | None,
    alpha: float,
    threads: int,
) -> dict[str, object]: ...
def kaplan_meier_from_counts(
    time: npt.NDArray[np.float64],
    entered: npt.NDArray[np.int64],
    events: npt.NDArray[np.int64],
    censored: npt.NDArray[np.int64],
    initial: int,
    alpha: float,
) -> dict[str, object]: ...
def aalen_johansen(
    durations: npt.NDArray[np.float64],
    causes: npt.NDArray[np.int32],
    entry: npt.NDArray[np.float64] | None,
    weights: npt.NDArray[np.float64] | None,
    alpha: float,
    variance: str,
    outcomes: int,
    threads: int,
) -> dict[str, object]: ...
def aalen_johansen_from_counts(
    time: npt.NDArray[np.float64],
    entered: npt.NDArray[np.int64],
    censored: npt.NDArray[np.int64],
    events_by_outcome: npt.NDArray[np.int64],
    initial: int,
    alpha: float,
    variance: str,
) -> dict[str, object]: ...

COHORT_FILE_VERSION: int

def save_cohort(cohort: Cohort, path: str) -> None: ...
def load_cohort(path: str) -> Cohort: ...
def cohort_to_bytes(cohort: Cohort) -> bytes: ...
def cohort_from_bytes(data: bytes, source: str = "<bytes>") -> Cohort: ...
def cohorts_equal(a: Cohort, b: Cohort) -> bool: ...
def cohort_from_parts(
    dictionaries: Mapping[str, list[str]],
    tables: Mapping[str, Mapping[str, npt.NDArray[np.generic]]],
    offsets: Mapping[str, npt.NDArray[np.int32]],
    source_rows: Mapping[str, npt.NDArray[np.int64]],
) -> Cohort: ...

JOURNAL_SCHEMA_VERSION: int
JOURNAL_FAULTS: list[str]
AUDIT_ACTIONS: list[str]

class _AuditRow(TypedDict):
    sequence: int
    at: str
    actor: str
    action: str
    purpose: str
    courses: list[str]
    scope: str

class JournalImportRecord:
    @property
    def courses(self) -> int: ...
    @property
    def events(self) -> int: ...
    @property
    def redacted_texts(self) -> int: ...

class JournalCourseStream:
    def next(self) -> Course | None: ...
    def close(self) -> None: ...

class Journal:
    def __init__(
        self,
        path: str,
        create: bool,
        read_only: bool,
        sync: str,
        busy_timeout_ms: int,
        max_bytes: int,
        reference: ReferenceData | None,
        pseudonym_key: str | None,
    ) -> None: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    @property
    def reference(self) -> ReferenceData: ...
    def append(self, course: str, event: Event) -> int: ...
    def append_many(self, events: list[tuple[str, Event]]) -> int: ...
    def append_lines(self, lines: bytes, source: str) -> int: ...
    def import_log(self, path: str) -> JournalImportRecord: ...
    def course(self, course: str, actor: str, purpose: str) -> Course: ...
    def course_as_of(
        self, course: str, date: datetime.date, actor: str, purpose: str
    ) -> Course: ...
    def courses(self, actor: str, purpose: str) -> JournalCourseStream: ...
    def export_log(
        self, path: str, actor: str, purpose: str, courses: list[str] | None
    ) -> None: ...
    def cohort(self, actor: str, purpose: str) -> Cohort: ...
    def course_ids(self) -> list[str]: ...
    def contains(self, course: str) -> bool: ...
    def event_count(self, course: str) -> int: ...
    def audit(
        self,
        actor: str | None,
        course: str | None,
        action: str | None,
        since: str | None,
        until: str | None,
    ) -> list[_AuditRow]: ...
    def backup(self, path: str) -> None: ...
