"""`report/portfolio/v1/*` wire types. Money is a decimal string."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel

from hestami.core.schemas import Input


class PortfolioIn(Input):
    as_of: date | None = None
    """Defaults to today."""


class AssociationLine(BaseModel):
    """One association of the management company, with each measure of the dashboard."""

    association_id: uuid.UUID
    name: str
    units: int
    delinquent_units: int
    """Units owing with a part at least 30 days past due."""
    past_due_30: Decimal
    """What those units owe that has been due at least 30 days."""
    open_work_orders: int
    sla_breaches: int
    """Open work orders past their SLA."""
    compliance_due_30: int
    """Compliance deadlines not done that fall due within 30 days."""
    compliance_overdue: int
    operating_cash: Decimal
    reserve_cash: Decimal


class DashboardOut(BaseModel):
    organization_id: uuid.UUID
    as_of: date
    associations: list[AssociationLine]
    totals: AssociationLine | None
    """Every measure summed over the associations (its id is the organization's, its name "Total")."""


class ManagerLine(BaseModel):
    user_id: uuid.UUID
    email: str | None
    associations: list[uuid.UUID]
    units: int
    open_work_orders: int


class WorkloadOut(BaseModel):
    organization_id: uuid.UUID
    as_of: date
    managers: list[ManagerLine]


class ProviderWorkLine(BaseModel):
    organization_id: uuid.UUID
    organization_name: str
    association_id: uuid.UUID
    association_name: str
    work_order_id: uuid.UUID
    number: str
    title: str
    category: str
    priority: str
    status: str
    assigned: bool
    """Assigned to the caller's organization (else it was asked to bid)."""
    scheduled_start: datetime | None
    completed_at: datetime | None
    sla_breached: bool
    bid_status: str | None
    bid_amount: Decimal | None
    invoice_number: str | None
    invoice_date: date | None
    invoice_amount: Decimal | None
    invoice_status: str | None
    invoice_paid_on: date | None


class ProviderWorkOut(BaseModel):
    provider_organization_id: uuid.UUID
    work_orders: list[ProviderWorkLine]
    assigned_open: int
    invoiced_total: Decimal
    paid_total: Decimal
