"""The contractor's identity (migration 0034_add_contractor_identity)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class ContractorProfile(TenantRecord, Base):
    """One per contractor organization; an EXTERNAL_SERVICE_PROVIDER's is its contact fields (`external`)."""

    __tablename__ = "contractor_profiles"

    legal_name: Mapped[str] = mapped_column(Text)
    dba: Mapped[str | None] = mapped_column(Text)
    external: Mapped[bool] = mapped_column(Boolean, default=False)
    trades: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    service_zip_codes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    service_radius_miles: Mapped[int | None] = mapped_column(Integer)
    operating_hours: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    description: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    compliance_status: Mapped[str] = mapped_column(Text, default="NON_COMPLIANT")
    compliance_reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    compliance_since: Mapped[date | None] = mapped_column(Date)
    compliance_checked_on: Mapped[date | None] = mapped_column(Date)


class Branch(TenantRecord, Base):
    __tablename__ = "contractor_branches"

    name: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(Text)
    zip_code: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    primary_branch: Mapped[bool] = mapped_column(Boolean, default=False)
    service_zip_codes: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    operating_hours: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    status: Mapped[str] = mapped_column(Text, default="ACTIVE")


class License(TenantRecord, Base):
    __tablename__ = "contractor_licenses"

    trade: Mapped[str] = mapped_column(Text)
    jurisdiction: Mapped[str] = mapped_column(Text)
    license_number: Mapped[str] = mapped_column(Text)
    classification: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Insurance(TenantRecord, Base):
    __tablename__ = "contractor_insurances"

    kind: Mapped[str] = mapped_column(Text)
    carrier: Mapped[str] = mapped_column(Text)
    policy_number: Mapped[str] = mapped_column(Text)
    per_occurrence_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    aggregate_limit: Mapped[Decimal | None] = mapped_column(MONEY)
    effective_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    certificate_document_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
