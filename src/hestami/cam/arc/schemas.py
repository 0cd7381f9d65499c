"""Inputs and outputs of domain 5's procedures."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Money, Name, Record, Text, Trimmed

Category = Literal["FENCE", "ROOF", "PAINT", "ADDITION", "SOLAR", "LANDSCAPING", "OTHER"]
Status = Literal[
    "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "APPROVED", "APPROVED_WITH_CONDITIONS", "DENIED",
    "WITHDRAWN", "EXPIRED",
]  # fmt: skip
DocumentKind = Literal["PLAN", "SPECIFICATION", "PHOTO", "PERMIT", "OTHER"]
Vote = Literal["APPROVE", "DENY", "REQUEST_CHANGES", "ABSTAIN"]


# --- settings --------------------------------------------------------------------------------------------------


class GetArcSettings(Input):
    association_id: uuid.UUID


class UpdateArcSettings(Input):
    association_id: uuid.UUID
    deemed_approval_days: int | None = Field(
        default=None, ge=1, le=365, description="Days after a complete submission; null turns deemed approval off."
    )
    approval_valid_days: int | None = Field(default=None, ge=1, le=3650, description="Work must start within these.")


class ArcSettingsOut(BaseModel):
    association_id: uuid.UUID
    deemed_approval_days: int | None
    approval_valid_days: int
    customized: bool


# --- committees ------------------------------------------------------------------------------------------------


class CreateCommittee(Input):
    association_id: uuid.UUID
    name: Name
    quorum: int = Field(ge=1, le=50, description="Reviews (abstentions included) needed before a decision.")
    approval_threshold: Decimal = Field(
        default=Decimal("50.01"), gt=0, le=100, max_digits=5, decimal_places=2,
        description="Percent of the approve/deny/request-changes votes that must approve.",
    )  # fmt: skip


class UpdateCommittee(Input):
    id: uuid.UUID
    name: Name | None = None
    quorum: int | None = Field(default=None, ge=1, le=50)
    approval_threshold: Decimal | None = Field(default=None, gt=0, le=100, max_digits=5, decimal_places=2)
    active: bool | None = None


class CommitteeMemberIn(Input):
    committee_id: uuid.UUID
    user_id: uuid.UUID = Field(description="A member of the organization.")
    role: Literal["CHAIR", "MEMBER"] = "MEMBER"


class RemoveCommitteeMember(Input):
    committee_id: uuid.UUID
    user_id: uuid.UUID


class ListCommittees(PageRequest):
    association_id: uuid.UUID | None = None


class CommitteeMemberOut(BaseModel):
    user_id: uuid.UUID
    role: str


class CommitteeOut(Record):
    association_id: uuid.UUID
    name: str
    quorum: int
    approval_threshold: Decimal
    active: bool
    members: list[CommitteeMemberOut] = Field(default_factory=list)


class CommitteesOut(BaseModel):
    items: list[CommitteeOut]
    next_cursor: str | None


# --- requests --------------------------------------------------------------------------------------------------


class CreateArcRequest(Input):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    category: Category
    title: Name | None = Field(default=None, description="A short name; the category's name by default.")
    description: Trimmed = Field(min_length=1, max_length=5000)
    estimated_cost: Money | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    contractor: Trimmed | None = Field(default=None, max_length=200)


class UpdateArcRequest(Input):
    """While DRAFT or CHANGES_REQUESTED."""

    id: uuid.UUID
    category: Category | None = None
    title: Name | None = None
    description: Trimmed | None = Field(default=None, min_length=1, max_length=5000)
    estimated_cost: Money | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    contractor: Trimmed | None = Field(default=None, max_length=200)


class RecordStart(Input):
    id: uuid.UUID
    work_started_on: date


class ListArcRequests(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    status: Status | None = None
    committee_id: uuid.UUID | None = None


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class ArcRequestOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    requested_by: uuid.UUID | None
    number: int
    reference: str = Field(description="ARC-000001, per organization.")
    category: str
    title: str
    description: str
    estimated_cost: Decimal | None
    planned_start: date | None
    planned_end: date | None
    contractor: str | None
    status: str
    committee_id: uuid.UUID | None
    round: int = Field(description="Review rounds so far: 1 at the first submission, +1 per resubmission.")
    submitted_at: datetime | None
    review_due_at: datetime | None = Field(description="When the request is deemed approved if still undecided.")
    decision: str | None
    deemed: bool
    decision_reasons: str | None
    conditions: list[str]
    decided_at: datetime | None
    decided_by: uuid.UUID | None
    approval_expires_at: datetime | None = Field(description="Work must start by then, or the approval expires.")
    work_started_on: date | None
    history: list[StatusChangeOut] | None = Field(default=None, description="On `get` only.")
    unit_number: str | None = Field(default=None, description="The unit's number as it is now.")


class ArcRequestsOut(BaseModel):
    items: list[ArcRequestOut]
    next_cursor: str | None


# --- documents and reviews -------------------------------------------------------------------------------------


class AddArcDocument(Input):
    """A new document (kind, file) or, with `document_id`, a revised version of one filed earlier."""

    id: uuid.UUID = Field(description="The request.")
    kind: DocumentKind = "PLAN"
    file_name: Trimmed = Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_base64: Trimmed = Field(min_length=1, max_length=14_000_000, description="At most 10 MB once decoded.")
    document_id: uuid.UUID | None = None


class ArcDocumentOut(BaseModel):
    document_id: uuid.UUID
    kind: str
    version_number: int
    round: int
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    added_by: uuid.UUID | None
    created_at: datetime


class ArcDocumentsOut(BaseModel):
    items: list[ArcDocumentOut]


class ArcDocumentRef(Input):
    id: uuid.UUID = Field(description="The request.")
    document_id: uuid.UUID
    version_number: int | None = Field(default=None, ge=1, le=1_000_000, description="The latest unless given.")


class AssignCommittee(Input):
    request_id: uuid.UUID
    committee_id: uuid.UUID


class SubmitReview(Input):
    request_id: uuid.UUID
    action: Vote
    comments: Text | None = None


class ReviewOut(Record):
    request_id: uuid.UUID
    round: int
    reviewer_user_id: uuid.UUID
    action: str
    comments: str | None


class ReviewsOut(BaseModel):
    items: list[ReviewOut]


class RecordDecision(Input):
    """The committee's decision follows its members' reviews of the current round: refused without quorum."""

    request_id: uuid.UUID
    reasons: Trimmed = Field(min_length=1, max_length=5000)
    conditions: list[Trimmed] = Field(default_factory=list, max_length=20)


class ListReviews(Input):
    request_id: uuid.UUID
    round: int | None = Field(default=None, ge=1, le=1000, description="The current round unless given.")
