import datetime
import enum
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import calendar as calendar

__version__: str

class Error(ValueError): ...

class InvalidValueError(Error):
    field: str
    value: str

class OutOfRangeError(InvalidValueError): ...

class RuleViolationError(Error):
    course: str
    event_index: int
    event_type: str
    date: str
    rule: str

class ParseError(Error):
    source: str
    line: int
    field: str

def redact_personal_numbers(text: str) -> str: ...
def event_types() -> dict[str, list[tuple[str, bool]]]: ...
def phase_change_allowed(from_phase: Phase | str, to_phase: Phase | str) -> bool: ...
def in_person(location: Location | str) -> bool: ...

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
    def __init__(self, type: str, date: datetime.date, recorded_by: str, **fields: Any) -> None: ...
    @staticmethod
    def from_dict(data: dict[str, Any]) -> Event: ...
    @property
    def type(self) -> str: ...
    @property
    def date(self) -> datetime.date: ...
    @property
    def recorded_by(self) -> str: ...
    @property
    def fields(self) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __getattr__(self, name: str) -> Any: ...

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
    ) -> list[tuple[ReferenceKind, str, str, datetime.date, datetime.date | None, int | None, str]]: ...
    def is_valid(self, kind: ReferenceKind | str, code: str, date: datetime.date) -> bool: ...
    def to_json(self) -> str: ...
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
    def closed_on(self) -> datetime.date | None: ...
    @property
    def closure_reason(self) -> ClosureReason | None: ...
    @property
    def is_paused(self) -> bool: ...
    def phase_on(self, date: datetime.date) -> Phase: ...
    def phase_periods(self) -> list[tuple[Phase, datetime.date, datetime.date | None, str]]: ...
    def pause_periods(self) -> list[tuple[PauseReason, datetime.date, datetime.date | None]]: ...
    def days_per_phase(self, as_of: datetime.date) -> dict[Phase, int]: ...
    def grant_usage(
        self,
    ) -> list[tuple[str, str | None, str, datetime.date, datetime.date, float, float, float, float]]: ...
    def weekly_usage_columns(self) -> dict[str, npt.NDArray[Any]]: ...
    def event_columns(self) -> dict[str, Any]: ...
    def contact_columns(self) -> dict[str, Any]: ...
    def attendance_by_location(self) -> list[tuple[Location, int, dict[Attendance, int]]]: ...
    def home_visit_share_by_month(self) -> list[tuple[int, int, int]]: ...
    def milestones(self) -> list[tuple[Milestone, datetime.date, bool]]: ...
    def next_report_due(
        self,
        as_of: datetime.date,
        first_report_working_days: int,
        report_every_months: int,
        final_report_working_days: int,
        deadlines: calendar.DeadlinePolicy,
    ) -> datetime.date | None: ...
    def warnings(self, as_of: datetime.date) -> list[tuple[str, datetime.date, str]]: ...
