"""`report/v1/*` inputs and outputs."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, JsonValue, model_validator

from hestami.core.pagination import PageRequest
from hestami.core.schemas import Input, Record, Trimmed

Format = Literal["JSON", "CSV", "XLSX", "PDF"]
RunStatus = Literal["QUEUED", "RUNNING", "COMPLETED", "FAILED"]
Frequency = Literal["MONTHLY", "QUARTERLY", "WEEKLY"]
Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]


class DefinitionOut(BaseModel):
    key: str
    title: str
    category: str
    scope: str
    description: str
    parameters: dict[str, Any] = Field(description="The parameters' JSON schema.")


class DefinitionsOut(BaseModel):
    items: list[DefinitionOut]


class Generate(Input):
    report: Trimmed = Field(min_length=1, max_length=100, description="A definition's key (`report/v1/definitions`).")
    parameters: dict[str, JsonValue] = Field(
        default_factory=dict,
        description="The report's parameters: validated against its definition's schema (`report/v1/definitions`), "
        "which refuses unknown fields.",
    )
    format: Format = "PDF"


class RunOut(Record):
    association_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    report: str
    title: str
    category: str
    scope: str
    parameters: dict[str, Any]
    format: str
    status: str
    requested_by: uuid.UUID
    schedule_id: uuid.UUID | None
    due_on: date | None
    rows_written: int = Field(description="Progress: rows rendered so far.")
    row_count: int | None
    size_bytes: int | None
    document_id: uuid.UUID | None
    file_name: str | None
    content_type: str | None
    error_code: str | None
    error_message: str | None
    started_at: datetime | None
    completed_at: datetime | None
    workflow_id: str


class RunsOut(BaseModel):
    items: list[RunOut]
    next_cursor: str | None


class ListRuns(PageRequest):
    association_id: uuid.UUID | None = None
    report: str | None = Field(default=None, max_length=100)
    status: RunStatus | None = None
    schedule_id: uuid.UUID | None = None


class Schedule(Generate):
    frequency: Frequency
    day_of_month: int | None = Field(default=None, ge=1, le=28, description="MONTHLY and QUARTERLY (default 1).")
    weekday: Weekday | None = Field(default=None, description="WEEKLY only (required).")
    recipients: list[uuid.UUID] = Field(
        default_factory=list, max_length=50, description="Members of the organization the finished report goes to."
    )

    @model_validator(mode="after")
    def _when(self) -> Schedule:
        if self.frequency == "WEEKLY":
            if self.weekday is None:
                raise ValueError("weekday is required for a WEEKLY schedule")
            if self.day_of_month is not None:
                raise ValueError("day_of_month is for MONTHLY and QUARTERLY schedules")
        else:
            if self.weekday is not None:
                raise ValueError("weekday is for WEEKLY schedules")
            if self.day_of_month is None:
                self.day_of_month = 1
        return self


class ScheduleOut(Record):
    association_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    report: str
    title: str
    category: str
    scope: str
    parameters: dict[str, Any]
    format: str
    frequency: str
    day_of_month: int | None
    weekday: str | None
    recipients: list[uuid.UUID]
    status: str
    created_by: uuid.UUID
    cancelled_by: uuid.UUID | None
    cancelled_at: datetime | None


class SchedulesOut(BaseModel):
    items: list[ScheduleOut]
    next_cursor: str | None


class ListSchedules(PageRequest):
    association_id: uuid.UUID | None = None
    status: Literal["ACTIVE", "CANCELLED"] | None = None
