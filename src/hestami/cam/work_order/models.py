"""Domain 6 tables (migration 0006_add_work_order)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord

MONEY = Numeric(18, 2)


class Asset(TenantRecord, Base):
    __tablename__ = "assets"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    common_area_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    manufacturer: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    serial_number: Mapped[str | None] = mapped_column(Text)
    installed_on: Mapped[date | None] = mapped_column(Date)
    warranty_expires_on: Mapped[date | None] = mapped_column(Date)
    warranty_terms: Mapped[str | None] = mapped_column(Text)
    maintenance_frequency_days: Mapped[int | None] = mapped_column(Integer)
    next_maintenance_on: Mapped[date | None] = mapped_column(Date)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MaintenanceLog(TenantRecord, Base):
    __tablename__ = "asset_maintenance_logs"

    asset_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    performed_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    cost: Mapped[Decimal | None] = mapped_column(MONEY)
    performed_by: Mapped[str | None] = mapped_column(Text)
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class ProviderRequirements(TenantRecord, Base):
    """What an association requires of the providers it gives work to (migration 0034): minimum coverage limits,
    workers' compensation, a licence. The providers' documents are the contractor pillar's."""

    __tablename__ = "provider_requirements"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    min_general_liability_per_occurrence: Mapped[Decimal | None] = mapped_column(MONEY)
    min_general_liability_aggregate: Mapped[Decimal | None] = mapped_column(MONEY)
    min_auto_per_occurrence: Mapped[Decimal | None] = mapped_column(MONEY)
    require_workers_compensation: Mapped[bool] = mapped_column(Boolean, default=False)
    require_license: Mapped[bool] = mapped_column(Boolean, default=False)


class AssociationProvider(TenantRecord, Base):
    """The explicit cross-tenant link: an association (this organization) works with a provider organization."""

    __tablename__ = "association_service_providers"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_name: Mapped[str] = mapped_column(Text)
    preferred: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_status: Mapped[str] = mapped_column(Text)
    rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    vendor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class WorkOrder(TenantRecord, Base):
    __tablename__ = "work_orders"

    reserve_component_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    number: Mapped[int] = mapped_column(Integer)
    requestor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    unit_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    common_area_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    asset_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    assigned_provider_org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    assigned_vendor_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    scheduled_start: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    scheduled_end: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sla_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sla_breached: Mapped[bool] = mapped_column(Boolean, default=False)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completion_notes: Mapped[str | None] = mapped_column(Text)
    estimated_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    actual_cost: Mapped[Decimal | None] = mapped_column(MONEY)
    ap_invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    owner_request_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """The owner request (domain 9, the portal) this work order was made from (migration 0023)."""
    violation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    arc_request_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    origin_kind: Mapped[str | None] = mapped_column(Text)
    origin_reference: Mapped[str | None] = mapped_column(Text)
    """Where the work comes from besides a request (migration 0039): a violation it remediates (REMEDIATION) or an
    approved ARC request it inspects or carries out (INSPECTION, INSTALLATION), and that record's number."""

    @property
    def display_number(self) -> str:
        return f"WO-{self.number:06d}"


class StatusChange(TenantRecord, Base):
    __tablename__ = "work_order_status_history"

    work_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class Comment(TenantRecord, Base):
    __tablename__ = "work_order_comments"

    work_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=False)


class Bid(TenantRecord, Base):
    """Owned by the association's organization; the provider named on it reads and answers it."""

    __tablename__ = "bids"

    work_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal | None] = mapped_column(MONEY)
    scope: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[date | None] = mapped_column(Date)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VendorAssignment(TenantRecord, Base):
    """`vendorAssignment_v1`'s run for one work order (migration 0027): how many bids are wanted, how long providers
    have to answer, where the run is (round, deadline) and how it ended."""

    __tablename__ = "vendor_assignments"

    association_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    work_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    trigger: Mapped[str] = mapped_column(Text)
    wanted: Mapped[int] = mapped_column(Integer)
    response_hours: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer, default=0)
    round_deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_round_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the run decided on its second round (whether or not it found anyone to ask)."""
    outcome: Mapped[str | None] = mapped_column(Text)
    started_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VendorAssignmentRequest(TenantRecord, Base):
    """One bid request a vendor assignment sent: to which provider, in which round, and its timers."""

    __tablename__ = "vendor_assignment_requests"

    assignment_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    work_order_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    bid_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    provider_name: Mapped[str] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    remind_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
