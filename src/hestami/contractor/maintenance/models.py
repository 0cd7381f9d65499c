"""Maintenance agreements, their included services, terms, renewals, history, generated visits, SLA records,
billing periods and notices (migration 0045_add_maintenance_agreements). Money columns are NUMERIC(18, 2)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, Text, Time
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.models import Base, TenantRecord


class Agreement(TenantRecord, Base):
    """A maintenance agreement (membership) of the contractor with a customer, or with an HOA (its organization and
    association as plain ids: another tenant's records), in its current term."""

    __tablename__ = "maintenance_agreements"

    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    plan: Mapped[str | None] = mapped_column(Text)
    trade: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text, default="DRAFT")
    customer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    hoa_organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    association_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    work_order_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    address: Mapped[str | None] = mapped_column(Text)
    zip_code: Mapped[str | None] = mapped_column(Text)
    branch_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    term_number: Mapped[int] = mapped_column(Integer, default=1)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    term_months: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    billing_frequency: Mapped[str] = mapped_column(Text)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=True)
    renewal_price_change_percent: Mapped[Decimal] = mapped_column(Numeric(7, 4), default=Decimal("0"))
    job_template_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    schedule_rrule: Mapped[str] = mapped_column(Text)
    window_start: Mapped[time] = mapped_column(Time)
    window_end: Mapped[time] = mapped_column(Time)
    visit_duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    sla_days_late_allowed: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    clock_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    clock_day_seconds: Mapped[float | None] = mapped_column(Float)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    lapsed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))

    @property
    def display_number(self) -> str:
        return f"AGR-{self.number:06d}"


class AgreementService(TenantRecord, Base):
    """A service included in every visit: a pricebook item code and its quantity per visit."""

    __tablename__ = "maintenance_agreement_services"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 4))


class AgreementTerm(TenantRecord, Base):
    __tablename__ = "maintenance_agreement_terms"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    term_number: Mapped[int] = mapped_column(Integer)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    price: Mapped[Decimal] = mapped_column(Numeric(18, 2))


class ContractRenewal(TenantRecord, Base):
    """A term renewed into the next: by whom (None: the workflow's auto-renewal) and when (`created_at`)."""

    __tablename__ = "maintenance_contract_renewals"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    renewed_term_number: Mapped[int] = mapped_column(Integer)
    new_term_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    price_before: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    price_after: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    renewed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class AgreementHistory(TenantRecord, Base):
    __tablename__ = "maintenance_agreement_history"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str] = mapped_column(Text)
    term_number: Mapped[int] = mapped_column(Integer)
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)


class ScheduledVisit(TenantRecord, Base):
    """One occurrence of the agreement's schedule, generated as a job with one visit (once per date)."""

    __tablename__ = "maintenance_scheduled_visits"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    term_number: Mapped[int] = mapped_column(Integer)
    occurs_on: Mapped[date] = mapped_column(Date)
    job_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    window_end: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SlaRecord(TenantRecord, Base):
    """A generated visit's outcome against the agreement's SLA, recorded once."""

    __tablename__ = "maintenance_sla_records"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    scheduled_visit_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    outcome: Mapped[str] = mapped_column(Text)
    due_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    days_late: Mapped[int] = mapped_column(Integer, default=0)


class BillingPeriod(TenantRecord, Base):
    """A billing period of a term, billed once (its invoice)."""

    __tablename__ = "maintenance_billing_periods"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    term_number: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    invoice_number: Mapped[str | None] = mapped_column(Text)


class Notice(TenantRecord, Base):
    """A notice to the customer or HOA (RENEWAL_DUE, RENEWED, LAPSED, CANCELLED), once per kind and term."""

    __tablename__ = "maintenance_notices"

    agreement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(Text)
    term_number: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[str | None] = mapped_column(Text)
