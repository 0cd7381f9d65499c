"""Domain 1 tables (migration 0004_add_association)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, SmallInteger, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class Address:
    address_line1: Mapped[str | None] = mapped_column(Text)
    address_line2: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(Text)
    postal_code: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str] = mapped_column(Text, default="US")


class SoftDeleted:
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Association(TenantRecord, SoftDeleted, Base):
    __tablename__ = "associations"

    name: Mapped[str] = mapped_column(Text)
    legal_name: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    fiscal_year_start_month: Mapped[int] = mapped_column(SmallInteger, default=1)
    timezone: Mapped[str] = mapped_column(Text, default="America/New_York")
    late_fee_type: Mapped[str] = mapped_column(Text, default="NONE")
    late_fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    late_fee_percent: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))
    late_fee_grace_days: Mapped[int] = mapped_column(SmallInteger, default=15)
    governing_documents: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    work_order_sla_hours: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


class AssociationStatusChange(TenantRecord, Base):
    __tablename__ = "association_status_history"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Property(TenantRecord, Address, SoftDeleted, Base):
    __tablename__ = "properties"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    property_type: Mapped[str] = mapped_column(Text)
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    year_built: Mapped[int | None] = mapped_column(SmallInteger)
    total_units: Mapped[int | None] = mapped_column(Integer)


class Unit(TenantRecord, Address, SoftDeleted, Base):
    __tablename__ = "units"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    property_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_number: Mapped[str] = mapped_column(Text)
    unit_type: Mapped[str] = mapped_column(Text)
    square_feet: Mapped[int | None] = mapped_column(Integer)
    bedrooms: Mapped[int | None] = mapped_column(SmallInteger)
    bathrooms: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    voting_weight: Mapped[Decimal] = mapped_column(Numeric(9, 4), default=Decimal(1))
    assessment_share: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))


class CommonArea(TenantRecord, SoftDeleted, Base):
    __tablename__ = "common_areas"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    property_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    area_type: Mapped[str] = mapped_column(Text)
    capacity: Mapped[int | None] = mapped_column(Integer)
    reservable: Mapped[bool] = mapped_column(Boolean, default=False)
    rules: Mapped[str | None] = mapped_column(Text)


class Reservation(TenantRecord, Base):
    __tablename__ = "reservations"

    common_area_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    reserved_by_user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    guest_count: Mapped[int | None] = mapped_column(Integer)


class Party(TenantRecord, Address, SoftDeleted, Base):
    __tablename__ = "parties"

    party_type: Mapped[str] = mapped_column(Text)
    first_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    organization_name: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    notes: Mapped[str | None] = mapped_column(Text)

    @property
    def display_name(self) -> str:
        if self.party_type == "ORGANIZATION":
            return self.organization_name or ""
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Ownership(TenantRecord, Base):
    __tablename__ = "ownerships"

    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    party_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    ownership_type: Mapped[str] = mapped_column(Text)
    percentage: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    is_primary_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class Tenancy(TenantRecord, Base):
    __tablename__ = "tenancies"

    unit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    party_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    monthly_rent: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    notes: Mapped[str | None] = mapped_column(Text)


class ManagementContract(TenantRecord, Base):
    __tablename__ = "management_contracts"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    management_company_name: Mapped[str] = mapped_column(Text)
    management_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    fee_basis: Mapped[str] = mapped_column(Text)
    fee_amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    service_levels: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    status: Mapped[str] = mapped_column(Text)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class ManagerAssignment(TenantRecord, Base):
    __tablename__ = "manager_assignments"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    user_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    assignment_type: Mapped[str] = mapped_column(Text)
    max_units: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
