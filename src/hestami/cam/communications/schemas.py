"""Wire types of communications: `communication/template/v1/*`, `communication/mass/v1/*`,
`communication/preference/v1/*`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from hestami.core.pagination import PageRequest
from hestami.core.schemas import ById, Input, Name, Record, Text

TemplateChannel = Literal["EMAIL", "SMS", "LETTER"]
Category = Literal[
    "GENERAL", "NEWSLETTER", "ANNOUNCEMENT", "EVENT", "MAINTENANCE", "DELINQUENCY", "MEETING", "EMERGENCY"
]
Audience = Literal["ALL_OWNERS", "PROPERTY", "DELINQUENT", "BOARD", "VENDORS", "CUSTOM"]
MassStatus = Literal["DRAFT", "SCHEDULED", "SENDING", "SENT", "CANCELLED"]
DeliveryStatus = Literal["PENDING", "SENT", "SKIPPED"]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100_000)]
Subject = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
VariableName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
"""A variable's name: lower case, digits and underscores, starting with a letter."""
ValueName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
"""A key of `values`: checked against the template's variables (UNKNOWN_VARIABLE), not by a pattern (a map whose
keys have one is no closed object in the JSON schema)."""
VariableValue = Annotated[str, StringConstraints(max_length=2000)]

__all__ = ["ById"]


class CreateTemplate(Input):
    name: Name
    channel: TemplateChannel
    category: Category = "GENERAL"
    association_id: uuid.UUID | None = None
    description: Text | None = None
    subject: Subject | None = None
    body: Body
    custom_variables: list[VariableName] = Field(default_factory=list, max_length=30)


class ReviseTemplate(Input):
    """A new version of the text (the earlier ones stay, and what was sent names its version)."""

    id: uuid.UUID
    subject: Subject | None = None
    body: Body
    custom_variables: list[VariableName] = Field(default_factory=list, max_length=30)


class UpdateTemplate(Input):
    id: uuid.UUID
    name: Name | None = None
    category: Category | None = None
    description: Text | None = None


class ListTemplates(PageRequest):
    association_id: uuid.UUID | None = None
    channel: TemplateChannel | None = None
    category: Category | None = None
    include_archived: bool = False


class PreviewTemplate(Input):
    """Renders a version with the sample data (or the values given, over the sample)."""

    id: uuid.UUID
    version: int | None = Field(default=None, ge=1, le=100_000)
    values: dict[ValueName, VariableValue] = Field(default_factory=dict, max_length=40)


class CheckTemplate(Input):
    """Validates a text before it is saved: its syntax and that every variable it uses is known."""

    channel: TemplateChannel
    subject: Subject | None = None
    body: Body
    custom_variables: list[VariableName] = Field(default_factory=list, max_length=30)


class TemplateVersionOut(Record):
    template_id: uuid.UUID
    version: int
    subject: str | None
    body: str
    variables: list[str]
    created_by: uuid.UUID | None


class TemplateOut(Record):
    association_id: uuid.UUID | None
    name: str
    channel: str
    category: str
    description: str | None
    current_version: int
    archived_at: datetime | None
    subject: str | None = None
    body: str | None = None
    custom_variables: list[str] = []
    variables_used: list[str] = []


class TemplatesOut(BaseModel):
    items: list[TemplateOut]
    next_cursor: str | None


class TemplateVersionsOut(BaseModel):
    items: list[TemplateVersionOut]


class VariableOut(BaseModel):
    name: str
    description: str
    sample: Any


class CheckOut(BaseModel):
    variables_used: list[str]
    known_variables: list[VariableOut]


class PreviewOut(BaseModel):
    template_id: uuid.UUID
    version: int
    channel: str
    subject: str | None
    body: str
    values: dict[str, Any]


class AudienceSpec(Input):
    """Who receives it. PROPERTY needs `property_id`; DELINQUENT `min_days_past_due` (default 30); CUSTOM
    `party_ids`."""

    kind: Audience
    property_id: uuid.UUID | None = None
    min_days_past_due: int | None = Field(default=None, ge=1, le=3650)
    party_ids: list[uuid.UUID] | None = Field(default=None, min_length=1, max_length=1000)


class CreateMass(Input):
    association_id: uuid.UUID
    template_id: uuid.UUID
    title: Name
    audience: AudienceSpec
    category: Category | None = None
    values: dict[ValueName, VariableValue] = Field(default_factory=dict, max_length=40)


class UpdateMass(Input):
    """A draft's audience, title or values (the template version is the template's current one again)."""

    id: uuid.UUID
    title: Name | None = None
    audience: AudienceSpec | None = None
    values: dict[ValueName, VariableValue] | None = Field(default=None, max_length=40)


class SendMass(Input):
    """Sends a draft now, or at `scheduled_for` (in the future)."""

    id: uuid.UUID
    scheduled_for: datetime | None = None


class CancelMass(Input):
    id: uuid.UUID


class ListMass(PageRequest):
    association_id: uuid.UUID | None = None
    status: MassStatus | None = None


class ListDeliveries(PageRequest):
    id: uuid.UUID
    status: DeliveryStatus | None = None


class MassOut(Record):
    association_id: uuid.UUID
    template_id: uuid.UUID
    template_version: int
    channel: str
    category: str
    title: str
    audience: str
    audience_params: dict[str, Any]
    variables: dict[str, Any]
    status: str
    scheduled_for: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    cancelled_at: datetime | None
    total: int | None
    sent: int
    skipped: int
    created_by: uuid.UUID | None


class MassListOut(BaseModel):
    items: list[MassOut]
    next_cursor: str | None


class ProgressOut(BaseModel):
    id: uuid.UUID
    status: str
    total: int | None
    sent: int
    skipped: int
    pending: int
    percent: float


class DeliveryOut(Record):
    mass_communication_id: uuid.UUID
    party_id: uuid.UUID | None
    user_id: uuid.UUID | None
    name: str
    channel: str
    address: str | None
    unit_ids: list[uuid.UUID]
    status: str
    skip_reason: str | None
    message_id: uuid.UUID | None
    sent_at: datetime | None


class DeliveriesOut(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class ByParty(Input):
    party_id: uuid.UUID


class SetPreferences(Input):
    party_id: uuid.UUID
    email: bool = True
    sms: bool = True
    mail: bool = True
    opted_out_categories: list[Category] = Field(default_factory=list, max_length=8)


class PreferencesOut(BaseModel):
    party_id: uuid.UUID
    email: bool
    sms: bool
    mail: bool
    opted_out_categories: list[str]
    updated_at: datetime | None
