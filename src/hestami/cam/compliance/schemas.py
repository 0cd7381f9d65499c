"""Inputs and outputs of domain 12's procedures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text, Trimmed

Kind = Literal[
    "STATUTORY_DEADLINE", "NOTICE", "VOTING", "FINANCIAL_AUDIT", "RESALE", "INSURANCE", "RESERVE_STUDY", "OTHER"
]
Role = Literal["MANAGER", "BOARD_MEMBER", "ADMIN"]
DeadlineStatus = Literal["UPCOMING", "DUE_SOON", "OVERDUE", "COMPLETED", "WAIVED"]
Rrule = Trimmed


class AdoptDefaults(Input):
    association_id: uuid.UUID
    jurisdiction: Trimmed = Field(min_length=2, max_length=10, description="A state code the library has, e.g. TX.")
    anchor_date: date | None = Field(default=None, description="Fiscal year start the rules count from; Jan 1.")


class CreateRequirement(Input):
    association_id: uuid.UUID
    code: Trimmed = Field(min_length=1, max_length=60, pattern=r"^[A-Z0-9_]+$")
    title: Name
    kind: Kind
    jurisdiction: Trimmed | None = Field(default=None, max_length=10)
    reference: Trimmed | None = Field(default=None, max_length=300, description="The statute or document section.")
    description: Text | None = None
    rrule: Rrule = Field(
        min_length=5, max_length=500, description="RFC 5545 recurrence, e.g. FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31."
    )
    anchor_date: date
    lead_days: int = Field(ge=0, le=730, description="Days before each due date the reminder goes out.")
    responsible_role: Role = "MANAGER"


class UpdateRequirement(Input):
    id: uuid.UUID
    title: Name | None = None
    reference: Trimmed | None = Field(default=None, max_length=300)
    description: Text | None = None
    rrule: Rrule | None = Field(default=None, min_length=5, max_length=500)
    anchor_date: date | None = None
    lead_days: int | None = Field(default=None, ge=0, le=730)
    responsible_role: Role | None = None
    active: bool | None = None


class ListRequirements(PageRequest):
    association_id: uuid.UUID | None = None
    active: bool | None = None


class RequirementOut(Record):
    association_id: uuid.UUID
    code: str
    title: str
    kind: str
    jurisdiction: str | None
    reference: str | None
    description: str | None
    rrule: str
    anchor_date: date
    lead_days: int
    responsible_role: str
    active: bool


class RequirementsOut(BaseModel):
    items: list[RequirementOut]
    next_cursor: str | None


class AdoptedOut(BaseModel):
    adopted: list[RequirementOut]
    skipped_codes: list[str] = Field(description="Codes the association already had.")


class GenerateDeadlines(Input):
    association_id: uuid.UUID
    through: date = Field(description="Generate the due dates from today through this date (at most 3 years).")


class GeneratedOut(BaseModel):
    created: int
    already_there: int


class ListDeadlines(PageRequest):
    association_id: uuid.UUID | None = None
    requirement_id: uuid.UUID | None = None
    status: DeadlineStatus | None = None
    due_before: date | None = None


class CompleteDeadline(Input):
    id: uuid.UUID
    evidence_document_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    notes: Text | None = None


class WaiveDeadline(Input):
    id: uuid.UUID
    notes: Trimmed = Field(min_length=1, max_length=2000, description="Why it does not apply this time.")


class DeadlineOut(Record):
    association_id: uuid.UUID
    requirement_id: uuid.UUID
    due_on: date
    remind_on: date
    status: str
    reminded_at: datetime | None
    overdue_at: datetime | None
    completed_at: datetime | None
    completed_by: uuid.UUID | None
    evidence_document_ids: list[uuid.UUID]
    notes: str | None
    title: str | None = None
    code: str | None = None


class DeadlinesOut(BaseModel):
    items: list[DeadlineOut]
    next_cursor: str | None


# --- checklists ------------------------------------------------------------------------------------------------


class ChecklistItemIn(Input):
    title: Name
    due_on: date | None = None
    assignee_user_id: uuid.UUID | None = Field(default=None, description="A member of the organization.")


class CreateChecklist(Input):
    association_id: uuid.UUID
    title: Name
    description: Text | None = None
    due_on: date | None = None
    deadline_id: uuid.UUID | None = Field(default=None, description="The deadline it prepares (same association).")
    items: list[ChecklistItemIn] = Field(default_factory=list, max_length=100)


class AddChecklistItem(ChecklistItemIn):
    id: uuid.UUID = Field(description="The checklist.")


class CompleteChecklistItem(Input):
    id: uuid.UUID = Field(description="The checklist.")
    item_id: uuid.UUID
    evidence_document_id: uuid.UUID | None = Field(default=None, description="A document of the same association.")
    notes: Text | None = None


class ListChecklists(PageRequest):
    association_id: uuid.UUID | None = None
    deadline_id: uuid.UUID | None = None
    status: Literal["OPEN", "COMPLETED"] | None = None


class ChecklistItemOut(BaseModel):
    id: uuid.UUID
    position: int
    title: str
    due_on: date | None
    assignee_user_id: uuid.UUID | None
    completed_at: datetime | None
    completed_by: uuid.UUID | None
    evidence_document_id: uuid.UUID | None
    notes: str | None


class ChecklistOut(Record):
    association_id: uuid.UUID
    title: str
    description: str | None
    due_on: date | None
    deadline_id: uuid.UUID | None
    status: str
    items: list[ChecklistItemOut] | None = Field(default=None, description="With `get` and the changes; not in lists.")


class ChecklistsOut(BaseModel):
    items: list[ChecklistOut]
    next_cursor: str | None
