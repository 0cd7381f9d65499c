"""Inputs and outputs of the jobs' procedures (`job/v1/*`, `customer/v1/*`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text, Trimmed
from hestami.identity.schemas import Email

Status = Literal[
    "LEAD", "TICKET", "ESTIMATE_REQUIRED", "JOB_CREATED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "ON_HOLD",
    "COMPLETED", "INVOICED", "PAID", "WARRANTY", "CLOSED", "CANCELLED",
]  # fmt: skip
Source = Literal["DIRECT", "WORK_ORDER", "VIOLATION", "ARC_REQUEST", "UNIT", "AGREEMENT"]
Priority = Literal["EMERGENCY", "HIGH", "MEDIUM", "LOW"]
VisitStatus = Literal["UNSCHEDULED", "SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED", "CANCELLED"]
CheckpointKind = Literal["QA", "WARRANTY"]
CheckpointStatus = Literal["PENDING", "PASSED", "FAILED"]
Trade = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_ /&-]*$"),
    AfterValidator(lambda trade: trade.upper()),
    Field(description="The trade of the work, e.g. PLUMBING, HVAC (kept in capitals, like technicians' skills)."),
]
ZipCode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{5}$")]
Phone = Annotated[Trimmed, Field(min_length=1, max_length=40)]
Address = Annotated[Trimmed, Field(min_length=1, max_length=500)]
EARLIEST, LATEST = 2000, 2100


def _in_range(moment: datetime) -> datetime:
    if not EARLIEST <= moment.year <= LATEST:
        raise ValueError(f"A time between the years {EARLIEST} and {LATEST}.")
    return moment


def _day_in_range(day: date) -> date:
    if not EARLIEST <= day.year <= LATEST:
        raise ValueError(f"A day between the years {EARLIEST} and {LATEST}.")
    return day


Moment = Annotated[AwareDatetime, AfterValidator(_in_range)]
Day = Annotated[date, AfterValidator(_day_in_range)]
Minutes = Annotated[int, Field(ge=5, le=1440, description="Expected time on site, 5 minutes to 24 hours.")]


# --- customers ---------------------------------------------------------------------------------------------------


class CreateCustomer(Input):
    name: Name
    email: Email | None = None
    phone: Phone | None = None
    address: Address | None = None
    zip_code: ZipCode | None = None
    notes: Text | None = None


class UpdateCustomer(Input):
    id: uuid.UUID
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: Address | None = None
    zip_code: ZipCode | None = None
    notes: Text | None = None


class ListCustomers(PageRequest):
    name: Trimmed | None = Field(default=None, min_length=1, max_length=200, description="A part of the name.")


class CustomerOut(Record):
    name: str
    email: str | None
    phone: str | None
    address: str | None
    zip_code: str | None
    notes: str | None


# --- jobs --------------------------------------------------------------------------------------------------------


class CreateJob(Input):
    customer_id: uuid.UUID | None = Field(default=None, description="A customer of yours; none for a walk-in job.")
    title: Name
    description: Text | None = None
    trade: Trade
    priority: Priority = "MEDIUM"
    address: Address | None = Field(default=None, description="Where the work is (default: the customer's).")
    zip_code: ZipCode | None = Field(default=None, description="Default: the customer's.")
    branch_id: uuid.UUID | None = None
    status: Literal["LEAD", "TICKET"] = "TICKET"


class UpdateJob(Input):
    id: uuid.UUID
    customer_id: uuid.UUID | None = None
    title: Name | None = None
    description: Text | None = None
    trade: Trade | None = None
    priority: Priority | None = None
    address: Address | None = None
    zip_code: ZipCode | None = None
    branch_id: uuid.UUID | None = None


class ListJobs(PageRequest):
    status: Status | None = None
    customer_id: uuid.UUID | None = None
    branch_id: uuid.UUID | None = None
    trade: Trade | None = None
    source: Source | None = None
    work_order_id: uuid.UUID | None = None


class TransitionJob(Input):
    id: uuid.UUID
    to: Status
    note: Trimmed | None = Field(default=None, max_length=2000)


class ConvertJob(Input):
    id: uuid.UUID
    note: Trimmed | None = Field(default=None, max_length=2000)


class CancelJob(Input):
    id: uuid.UUID
    reason: Trimmed = Field(min_length=1, max_length=2000)


class JobOut(Record):
    number: str
    source: Source
    customer_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    origin_reference: str | None
    title: str
    description: str | None
    trade: str
    priority: Priority
    status: Status
    address: str | None
    zip_code: str | None
    branch_id: uuid.UUID | None
    sla_due_at: datetime | None
    sla_breached: bool
    completed_at: datetime | None


class StatusChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class HistoryOut(BaseModel):
    items: list[StatusChangeOut]


# --- visits ------------------------------------------------------------------------------------------------------


def _ordered(start: datetime | None, end: datetime | None) -> None:
    if (start is None) != (end is None):
        raise ValueError("Give both window_start and window_end, or neither.")
    if start is not None and end is not None and end <= start:
        raise ValueError("The window ends after it starts.")


class AddVisit(Input):
    job_id: uuid.UUID
    window_start: Moment | None = Field(default=None, description="The arrival window's start (with an offset).")
    window_end: Moment | None = None
    duration_minutes: Minutes = 60
    pinned: bool = Field(default=False, description="Route optimization keeps a pinned visit where it is.")
    notes: Text | None = None

    @model_validator(mode="after")
    def _window(self) -> Self:
        _ordered(self.window_start, self.window_end)
        return self


class UpdateVisit(Input):
    id: uuid.UUID
    window_start: Moment | None = None
    window_end: Moment | None = None
    duration_minutes: Minutes | None = None
    pinned: bool | None = None
    notes: Text | None = None

    @model_validator(mode="after")
    def _window(self) -> Self:
        if "window_start" in self.model_fields_set or "window_end" in self.model_fields_set:
            if {"window_start", "window_end"} - self.model_fields_set:
                raise ValueError("Change window_start and window_end together.")
            _ordered(self.window_start, self.window_end)
        return self


class VisitOut(Record):
    job_id: uuid.UUID
    sequence: int
    status: VisitStatus
    window_start: datetime | None
    window_end: datetime | None
    duration_minutes: int
    pinned: bool
    notes: str | None


# --- notes and attachments ---------------------------------------------------------------------------------------


class AddNote(Input):
    job_id: uuid.UUID
    body: Trimmed = Field(min_length=1, max_length=5000)
    internal: bool = Field(default=True, description="The contractor's own: never shown outside it.")


class ByJob(Input):
    job_id: uuid.UUID


class NoteOut(Record):
    job_id: uuid.UUID
    author_user_id: uuid.UUID | None
    body: str
    internal: bool


class NotesOut(BaseModel):
    items: list[NoteOut]


class AddAttachment(Input):
    id: uuid.UUID = Field(description="The job.")
    file_name: Trimmed = Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_type: str = Field(
        pattern=r"^[a-z]+/[a-z0-9.+-]+$", description="Informative: the stored type is read from the bytes."
    )
    content_base64: Trimmed = Field(min_length=1, max_length=7_000_000, description="At most 5 MB once decoded.")


class AttachmentRef(Input):
    id: uuid.UUID = Field(description="The job.")
    attachment_id: uuid.UUID


class AttachmentOut(Record):
    job_id: uuid.UUID
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None


class AttachmentsOut(BaseModel):
    items: list[AttachmentOut]


# --- checkpoints -------------------------------------------------------------------------------------------------


class AddCheckpoint(Input):
    job_id: uuid.UUID
    kind: CheckpointKind
    title: Name
    due_on: Day | None = None


class CompleteCheckpoint(Input):
    id: uuid.UUID
    passed: bool
    notes: Text | None = None


class CheckpointOut(Record):
    job_id: uuid.UUID
    kind: CheckpointKind
    title: str
    due_on: date | None
    status: CheckpointStatus
    result_notes: str | None
    completed_at: datetime | None


class JobDetailOut(JobOut):
    """A job with its visits (by sequence), checkpoints and the notes the caller may see (oldest first)."""

    visits: list[VisitOut]
    checkpoints: list[CheckpointOut]
    notes: list[NoteOut]
