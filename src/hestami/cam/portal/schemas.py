"""Inputs and outputs of the owner portal's procedures (`portal/profile/v1`, `portal/request/v1`,
`portal/document/v1`)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, model_validator

from hestami.cam.association.schemas import AddressIn, AddressOut
from hestami.cam.documents.content.rules import Category as DocumentCategory
from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, Record, Text, Trimmed

RequestCategory = Literal["GENERAL_INQUIRY", "MAINTENANCE", "BILLING", "NOISE_OR_NUISANCE", "COMMON_AREA", "OTHER"]
RequestStatus = Literal["SUBMITTED", "IN_REVIEW", "CONVERTED", "RESOLVED", "CLOSED", "CANCELLED"]
Priority = Literal["LOW", "MEDIUM", "HIGH", "EMERGENCY"]
MAX_ATTACHMENTS = 5

# --- profile ---------------------------------------------------------------------------------------------------


class AccountOut(BaseModel):
    user_id: uuid.UUID
    name: str
    email: str


class HoldingOut(BaseModel):
    relation: Literal["OWNER", "TENANT"]
    record_id: uuid.UUID = Field(description="The ownership or tenancy.")
    unit_id: uuid.UUID
    unit_number: str
    association_id: uuid.UUID
    start_date: date
    end_date: date | None
    percentage: Decimal | None = Field(description="An owner's share of the unit; none for a tenancy.")


class PreferencesOut(BaseModel):
    party_id: uuid.UUID
    email: bool
    sms: bool
    mail: bool
    opted_out_categories: list[str] = Field(description="Categories the person gets no messages of.")
    required_categories: list[str] = Field(description="Official notices, sent whatever the preferences say.")
    updated_at: datetime | None = Field(description="None: never set, the defaults (every channel, every category).")


class PartyProfileOut(BaseModel):
    id: uuid.UUID
    party_type: str
    display_name: str
    first_name: str | None
    last_name: str | None
    organization_name: str | None
    email: str | None
    phone: str | None
    mailing_address: AddressOut
    updated_at: datetime
    holdings: list[HoldingOut] = Field(description="The units the party owns or rents today.")
    preferences: PreferencesOut


class ProfileOut(BaseModel):
    account: AccountOut
    parties: list[PartyProfileOut] = Field(description="The caller's party records in this organization.")


class ByParty(Input):
    party_id: uuid.UUID = Field(description="One of the caller's own parties (`portal/profile/v1/get`).")


class UpdateProfile(Input):
    party_id: uuid.UUID = Field(description="One of the caller's own parties.")
    first_name: Name | None = None
    last_name: Name | None = None
    organization_name: Name | None = None
    phone: Trimmed | None = Field(default=None, max_length=40, description="null removes it.")
    mailing_address: AddressIn | None = None


class UpdatePreferences(Input):
    party_id: uuid.UUID = Field(description="One of the caller's own parties.")
    email: bool
    sms: bool
    mail: bool
    opted_out_categories: list[Annotated[str, Field(pattern=r"^[A-Z_]{1,40}$")]] = Field(
        default_factory=list, max_length=20, description="GENERAL, NEWSLETTER, ANNOUNCEMENT, EVENT or MAINTENANCE."
    )


# --- requests --------------------------------------------------------------------------------------------------


class AttachmentIn(Input):
    file_name: Trimmed = Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_base64: Trimmed = Field(min_length=1, max_length=7_000_000, description="At most 5 MB once decoded.")


class CreateRequest(Input):
    association_id: uuid.UUID
    category: RequestCategory
    subject: Name
    description: Trimmed = Field(min_length=1, max_length=5000)
    unit_id: uuid.UUID | None = Field(default=None, description="The caller's own unit (a manager: any unit).")
    common_area_id: uuid.UUID | None = Field(default=None, description="Where a common-area problem is.")
    party_id: uuid.UUID | None = Field(
        default=None, description="Managers: the owner the request is filed for (their account then follows it)."
    )
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)

    @model_validator(mode="after")
    def _located(self) -> CreateRequest:
        if self.unit_id is None and self.common_area_id is None:
            raise ValueError("name the unit (unit_id) or the common area (common_area_id) the request is about")
        return self


class RequestOut(Record):
    association_id: uuid.UUID
    number: str = Field(description="REQ-000001, per association.")
    category: RequestCategory
    subject: str
    description: str
    status: RequestStatus
    unit_id: uuid.UUID | None
    common_area_id: uuid.UUID | None
    party_id: uuid.UUID | None
    submitted_by: uuid.UUID | None
    owner_user_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    converted_at: datetime | None
    resolution: str | None
    resolved_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None


class RequestEventOut(BaseModel):
    kind: Literal["SUBMITTED", "STATUS", "COMMENT", "ATTACHMENT"]
    from_status: str | None
    to_status: str | None
    actor_user_id: uuid.UUID | None
    body: str | None
    internal: bool
    created_at: datetime


class RequestFileOut(BaseModel):
    id: uuid.UUID = Field(description="The file's document id (`downloadAttachment`'s `attachment_id`).")
    source: Literal["REQUEST", "WORK_ORDER"]
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: uuid.UUID | None
    created_at: datetime


class WorkOrderStepOut(BaseModel):
    from_status: str | None
    to_status: str
    note: str | None
    at: datetime


class FollowedWorkOrderOut(BaseModel):
    """What the owner sees of the work order their request became (no costs, no provider)."""

    id: uuid.UUID
    number: str
    title: str
    category: str
    priority: str
    status: str
    submitted_at: datetime | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    completed_at: datetime | None
    history: list[WorkOrderStepOut]
    attachments: list[RequestFileOut]


class RequestDetailOut(RequestOut):
    history: list[RequestEventOut]
    attachments: list[RequestFileOut]
    work_order: FollowedWorkOrderOut | None


class ListRequests(PageRequest):
    association_id: uuid.UUID | None = None
    status: RequestStatus | None = None
    category: RequestCategory | None = None
    unit_id: uuid.UUID | None = None
    mine: bool = Field(default=False, description="Only the requests the caller follows.")


class RequestsOut(BaseModel):
    items: list[RequestOut]
    next_cursor: str | None


class UpdateRequestStatus(Input):
    id: uuid.UUID
    status: Literal["IN_REVIEW", "RESOLVED", "CLOSED"]
    note: Trimmed | None = Field(default=None, max_length=2000, description="For RESOLVED: the answer the owner sees.")


class CancelRequest(Input):
    id: uuid.UUID
    reason: Trimmed | None = Field(default=None, max_length=2000)


class AddRequestComment(Input):
    id: uuid.UUID
    body: Trimmed = Field(min_length=1, max_length=5000)
    internal: bool = Field(default=False, description="Managers: a note the owner does not see.")


class AddRequestAttachment(AttachmentIn):
    id: uuid.UUID


class RequestAttachmentRef(Input):
    id: uuid.UUID = Field(description="The request.")
    attachment_id: uuid.UUID = Field(description="A file of the request, or of the work order it became.")


class ConvertRequest(Input):
    id: uuid.UUID
    priority: Priority = "MEDIUM"
    title: Name | None = Field(default=None, description="The request's subject unless given.")
    category: Trimmed | None = Field(
        default=None, min_length=1, max_length=100, description="The work order's category (e.g. GATE, PLUMBING)."
    )
    note: Text | None = Field(default=None, description="Added to the work order's description for the vendor.")


class ConvertedOut(BaseModel):
    request: RequestOut
    work_order: FollowedWorkOrderOut


# --- documents -------------------------------------------------------------------------------------------------


class ListPortalDocuments(PageRequest):
    association_id: uuid.UUID | None = None
    category: DocumentCategory | None = None
    query: Trimmed | None = Field(default=None, min_length=1, max_length=200, description="Full-text search.")


class DownloadPortalDocument(Input):
    id: uuid.UUID = Field(description="A document the caller may see (`portal/document/v1/list`).")


class ListDownloads(PageRequest):
    document_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = Field(default=None, description="Who downloaded.")
    since: datetime | None = None


class DownloadEntryOut(BaseModel):
    document_id: uuid.UUID
    user_id: uuid.UUID | None
    at: datetime
    outcome: Literal["DOWNLOADED", "REFUSED"]
    version_number: int | None
    file_name: str | None
    request_id: str | None


class DownloadsOut(BaseModel):
    items: list[DownloadEntryOut]
    next_cursor: str | None
