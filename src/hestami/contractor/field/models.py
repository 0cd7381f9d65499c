"""The field technician's records of a job visit (migration 0040_add_field_work)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class TimeEntry(TenantRecord, Base):
    """TRAVEL or WORK time of a technician on a visit; open (no `ended_at`) until stopped. One open entry per
    technician (a partial unique index)."""

    __tablename__ = "field_time_entries"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    technician_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    technician_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    corrected_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    correction_reason: Mapped[str | None] = mapped_column(Text)


class ChecklistStep(TenantRecord, Base):
    """One step of a visit's checklist, copied from a pricebook job template."""

    __tablename__ = "field_checklist_steps"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    template_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Media(TenantRecord, Base):
    """A photo, document, voice note or signature image of a visit: a document of the contractor under the job."""

    __tablename__ = "field_media"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    document_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    caption: Mapped[str | None] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class Transcription(TenantRecord, Base):
    """What the transcription port was asked about a voice note, and its transcript."""

    __tablename__ = "field_transcriptions"

    media_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    request: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    transcript: Mapped[str] = mapped_column(Text)


class Signature(TenantRecord, Base):
    """The customer's signature of a visit: one per visit and purpose (a document of the job, or the work
    summary)."""

    __tablename__ = "field_signatures"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    purpose: Mapped[str] = mapped_column(Text)
    signed_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    work_summary: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    media_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class MaterialEntry(TenantRecord, Base):
    """A pricebook item used on a visit (code, name and unit of the ACTIVE version when recorded); a stocked item
    taken from the technician's truck keeps its movement and unit cost (migration 0043)."""

    __tablename__ = "field_materials"

    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    item_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    version_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    movement_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """The inventory's USAGE movement when the item came from the technician's truck (issue 24), else null."""
    unit_cost: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    lot_number: Mapped[str | None] = mapped_column(Text)
    serial_numbers: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)


class SyncAction(TenantRecord, Base):
    """One offline action, applied once: keyed (organization_id, client_action_id), with its body's hash and the
    answer a replay gets. A malformed one (REJECTED) has no job, visit or time, and a type only when it named one."""

    __tablename__ = "field_sync_actions"

    client_action_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    type: Mapped[str | None] = mapped_column(Text)
    client_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    body_sha256: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
