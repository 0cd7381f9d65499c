"""Domain 7 tables of communications (migration 0021_add_communications)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class CommunicationTemplate(TenantRecord, Base):
    """A named message (email, SMS or letter) whose text lives in its versions."""

    __tablename__ = "communication_templates"

    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    current_version: Mapped[int] = mapped_column(Integer)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TemplateVersion(TenantRecord, Base):
    __tablename__ = "communication_template_versions"

    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[str]] = mapped_column(ARRAY(Text))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class ContactPreference(TenantRecord, Base):
    __tablename__ = "contact_preferences"

    party_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    email: Mapped[bool] = mapped_column(Boolean)
    sms: Mapped[bool] = mapped_column(Boolean)
    mail: Mapped[bool] = mapped_column(Boolean)
    opted_out_categories: Mapped[list[str]] = mapped_column(ARRAY(Text))


class MassCommunication(TenantRecord, Base):
    """One message to an audience, sent by `massCommunicationSend_v1`."""

    __tablename__ = "mass_communications"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template_version: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)
    audience_params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    variables: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(Text)
    scheduled_for: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    total: Mapped[int | None] = mapped_column(Integer)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Delivery(TenantRecord, Base):
    """One person's copy of a mass communication."""

    __tablename__ = "mass_communication_deliveries"

    mass_communication_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    recipient_key: Mapped[str] = mapped_column(Text)
    party_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    unit_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    personal_values: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    """What the template says of this person alone (their balance and days past due)."""
    status: Mapped[str] = mapped_column(Text)
    skip_reason: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
