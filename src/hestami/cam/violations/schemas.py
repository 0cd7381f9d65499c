"""Inputs and outputs of domain 4's procedures."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById as ById
from hestami.core.schemas import Input, Name, PositiveMoney, Record, Text, Trimmed

Status = Literal[
    "OPEN", "NOTICED", "CURE_PERIOD", "ESCALATED", "HEARING_SCHEDULED", "FINED", "CURED", "DISMISSED", "CLOSED"
]
Step = Literal["COURTESY", "FIRST", "SECOND", "HEARING", "FINE"]
Delivery = Literal["MAIL", "EMAIL", "POSTED", "PORTAL"]
HearingBody = Literal["BOARD", "COMMITTEE"]
Days = int
Latitude = Decimal
Longitude = Decimal


# --- settings --------------------------------------------------------------------------------------------------


class GetViolationSettings(Input):
    association_id: uuid.UUID


class UpdateViolationSettings(Input):
    """Only the fields sent change; the rest keep their values (the defaults until first changed)."""

    association_id: uuid.UUID
    courtesy_cure_days: Days | None = Field(default=None, ge=1, le=365)
    first_notice_cure_days: Days | None = Field(default=None, ge=1, le=365)
    second_notice_cure_days: Days | None = Field(default=None, ge=1, le=365)
    hearing_notice_days: Days | None = Field(default=None, ge=1, le=365)
    appeal_days: Days | None = Field(default=None, ge=1, le=365)
    repeat_window_days: Days | None = Field(default=None, ge=1, le=3650)
    fine_cap_per_violation: PositiveMoney | None = None
    hearing_body: HearingBody | None = None
    delivery_methods: list[Delivery] | None = Field(default=None, min_length=1, max_length=4)


class ViolationSettingsOut(BaseModel):
    association_id: uuid.UUID
    courtesy_cure_days: int
    first_notice_cure_days: int
    second_notice_cure_days: int
    hearing_notice_days: int
    appeal_days: int
    repeat_window_days: int
    fine_cap_per_violation: Decimal | None
    hearing_body: str
    delivery_methods: list[str]
    customized: bool = Field(description="False while the association uses the platform's defaults.")


# --- types -----------------------------------------------------------------------------------------------------


class CreateViolationType(Input):
    association_id: uuid.UUID
    code: Trimmed = Field(min_length=1, max_length=40, pattern=r"^[A-Z0-9_]+$", description="e.g. TRASH_CANS.")
    name: Name
    category: Trimmed = Field(min_length=1, max_length=60, description="e.g. MAINTENANCE, PARKING, PETS, NOISE.")
    rule_reference: Trimmed | None = Field(default=None, max_length=200, description="e.g. CC&R 7.3, Rules 4.")
    default_cure_days: int | None = Field(default=None, ge=1, le=365)
    fine_first: PositiveMoney | None = None
    fine_repeat: PositiveMoney | None = None
    fine_daily: PositiveMoney | None = Field(default=None, description="For a violation that continues after a fine.")
    fine_cap: PositiveMoney | None = Field(default=None, description="The most one violation of this type is fined.")


class UpdateViolationType(Input):
    id: uuid.UUID
    name: Name | None = None
    category: Trimmed | None = Field(default=None, min_length=1, max_length=60)
    rule_reference: Trimmed | None = Field(default=None, max_length=200)
    default_cure_days: int | None = Field(default=None, ge=1, le=365)
    fine_first: PositiveMoney | None = None
    fine_repeat: PositiveMoney | None = None
    fine_daily: PositiveMoney | None = None
    fine_cap: PositiveMoney | None = None
    active: bool | None = None


class ListViolationTypes(PageRequest):
    association_id: uuid.UUID | None = None


class ViolationTypeOut(Record):
    association_id: uuid.UUID
    code: str
    name: str
    category: str
    rule_reference: str | None
    default_cure_days: int | None
    fine_first: Decimal | None
    fine_repeat: Decimal | None
    fine_daily: Decimal | None
    fine_cap: Decimal | None
    active: bool


# --- violations ------------------------------------------------------------------------------------------------


class CreateViolation(Input):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    violation_type_id: uuid.UUID
    description: Trimmed = Field(min_length=1, max_length=5000)
    location: Trimmed | None = Field(default=None, max_length=300)
    observed_at: datetime = Field(description="When it was seen (not in the future).")


class UpdateViolation(Input):
    id: uuid.UUID
    description: Trimmed | None = Field(default=None, min_length=1, max_length=5000)
    location: Trimmed | None = Field(default=None, max_length=300)


class ListViolations(PageRequest):
    association_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    status: Status | None = None


class Resolve(Input):
    id: uuid.UUID
    resolution: Literal["CURED", "DISMISSED"]
    note: Text | None = None


class Close(Input):
    id: uuid.UUID
    resolution: Trimmed = Field(min_length=1, max_length=2000)


class StatusChangeOut(BaseModel):
    from_status: str | None
    to_status: str
    actor_user_id: uuid.UUID | None
    note: str | None
    created_at: datetime


class ViolationOut(Record):
    association_id: uuid.UUID
    unit_id: uuid.UUID
    violation_type_id: uuid.UUID
    number: int
    reference: str = Field(description="VIO-000001, per organization.")
    description: str
    location: str | None
    observed_at: datetime
    reported_by: uuid.UUID | None
    status: str
    cure_due_at: datetime | None
    is_repeat: bool
    repeat_of_id: uuid.UUID | None
    settings: dict[str, object] = Field(description="The settings and fine schedule that applied when recorded.")
    resolution: str | None
    closed_at: datetime | None
    history: list[StatusChangeOut] | None = Field(default=None, description="On `get` only.")
    unit_number: str | None = Field(default=None, description="The unit's number as it is now.")
    violation_type_name: str | None = Field(default=None, description="The violation type's name as it is now.")


class ViolationsOut(BaseModel):
    items: list[ViolationOut]
    next_cursor: str | None


# --- evidence --------------------------------------------------------------------------------------------------


class AddEvidence(Input):
    """A file sent inline (base64, at most 10 MB) or a document already uploaded (`document_id`)."""

    id: uuid.UUID
    file_name: Trimmed | None = Field(default=None, min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_type: str | None = Field(default=None, pattern=r"^[a-z]+/[a-z0-9.+-]+$", description="Informative.")
    content_base64: Trimmed | None = Field(default=None, min_length=1, max_length=14_000_000)
    document_id: uuid.UUID | None = None
    captured_at: datetime | None = None
    latitude: Latitude | None = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Longitude | None = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)
    note: Text | None = None


class EvidenceOut(Record):
    violation_id: uuid.UUID
    document_id: uuid.UUID
    kind: str
    purpose: str
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    captured_at: datetime | None
    latitude: Decimal | None
    longitude: Decimal | None
    uploaded_by: uuid.UUID | None
    note: str | None


class EvidenceListOut(BaseModel):
    items: list[EvidenceOut]


class EvidenceRef(Input):
    id: uuid.UUID = Field(description="The violation.")
    evidence_id: uuid.UUID


# --- notices ---------------------------------------------------------------------------------------------------


class SendNotice(Input):
    id: uuid.UUID
    step: Step | None = Field(default=None, description="The next notice of the sequence unless given.")
    delivery_methods: list[Delivery] | None = Field(default=None, min_length=1, max_length=4)


class NoticeOut(Record):
    violation_id: uuid.UUID
    step: str
    delivery_methods: list[str]
    cure_due_at: datetime | None
    hearing_at: datetime | None
    amount: Decimal | None
    document_id: uuid.UUID | None
    recipients: list[str]
    sent_by: uuid.UUID | None
    sent_at: datetime


class NoticesOut(BaseModel):
    items: list[NoticeOut]


# --- hearings and fines ----------------------------------------------------------------------------------------


class ScheduleHearing(Input):
    id: uuid.UUID
    scheduled_at: datetime
    location: Trimmed | None = Field(default=None, max_length=300)


class HearingOut(Record):
    violation_id: uuid.UUID
    scheduled_at: datetime
    location: str | None
    hearing_body: str
    status: str
    outcome: str | None
    fine_amount: Decimal | None
    decision_notes: str | None
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    appeal_deadline: datetime | None
    appeal_requested_at: datetime | None
    hearing_requested: bool


class HearingsOut(BaseModel):
    items: list[HearingOut]


class RecordOutcome(Input):
    id: uuid.UUID
    outcome: Literal["FINED", "WAIVED", "DISMISSED", "CURED"]
    fine_amount: PositiveMoney | None = Field(default=None, description="FINED: the type's schedule unless given.")
    notes: Text | None = None


class AssessFine(Input):
    """A further fine on a fined violation that continues (the type's daily fine unless an amount is given)."""

    id: uuid.UUID
    amount: PositiveMoney | None = None
    reason: Trimmed = Field(min_length=1, max_length=1000)


class WaiveFine(Input):
    id: uuid.UUID
    fine_id: uuid.UUID
    reason: Trimmed = Field(min_length=1, max_length=1000)


class FineOut(Record):
    violation_id: uuid.UUID
    amount: Decimal
    charge_id: uuid.UUID
    status: str
    reason: str | None
    assessed_by: uuid.UUID | None
    waived_by: uuid.UUID | None
    waived_at: datetime | None


class FinesOut(BaseModel):
    items: list[FineOut]


# --- the owner's answer ----------------------------------------------------------------------------------------


class CurePhoto(Input):
    file_name: Trimmed = Field(min_length=1, max_length=255, pattern=r"^[^/\\\\]+$")
    content_base64: Trimmed = Field(min_length=1, max_length=14_000_000)
    captured_at: datetime | None = None
    latitude: Latitude | None = Field(default=None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Longitude | None = Field(default=None, ge=-180, le=180, max_digits=9, decimal_places=6)


class Respond(Input):
    """The unit owner's answer: CURED (with a photo of the cure), REQUEST_HEARING, APPEAL (a decided fine, within
    the appeal period) or a COMMENT."""

    id: uuid.UUID
    action: Literal["CURED", "REQUEST_HEARING", "APPEAL", "COMMENT"]
    note: Text | None = None
    photo: CurePhoto | None = None
