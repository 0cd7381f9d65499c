"""The cross-association views: management's portfolio dashboard and manager workload, and a service provider's
work across the organizations it serves. Each is one Cerbos decision on the caller's organization (`portfolio`),
then one query per measure over every association (never one per association), read through the domains' apis."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from decimal import Decimal

from hestami.cam.accounting import api as accounting
from hestami.cam.association import api as association
from hestami.cam.compliance import api as compliance
from hestami.cam.reporting.portfolio.schemas import (
    AssociationLine,
    DashboardOut,
    ManagerLine,
    PortfolioIn,
    ProviderWorkLine,
    ProviderWorkOut,
    WorkloadOut,
)
from hestami.cam.work_order import api as work_orders
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext

PORTFOLIO = "portfolio"
ZERO = Decimal("0.00")


async def _authorized(ctx: RequestContext, action: str) -> uuid.UUID:
    """The caller's organization, once the `portfolio` policy allows `action` on it (FORBIDDEN otherwise)."""
    org = ctx.require_org()
    await authorize(ctx, action, Resource(PORTFOLIO, str(org), {"organization_id": str(org), "association_id": None}))
    return org


async def dashboard(ctx: RequestContext, data: PortfolioIn) -> DashboardOut:
    """One line per live association of the caller's organization (its own scope: nothing of any other)."""
    org = await _authorized(ctx, "dashboard")
    as_of = data.as_of or date.today()
    found = await association.associations_of_organization(ctx)
    ids = [a.id for a in found]
    units = await association.unit_counts(ctx, ids)
    owing = await accounting.delinquency_by_association(ctx, ids, as_of, 30)
    work = await work_orders.open_work_by_association(ctx, ids)
    due = await compliance.due_by_association(ctx, ids, as_of, 30)
    cash = await accounting.cash_by_fund(ctx, ids, as_of)
    lines = [
        AssociationLine(
            association_id=a.id,
            name=a.name,
            units=units.get(a.id, 0),
            delinquent_units=owing.get(a.id, (0, ZERO))[0],
            past_due_30=owing.get(a.id, (0, ZERO))[1],
            open_work_orders=work.get(a.id, (0, 0))[0],
            sla_breaches=work.get(a.id, (0, 0))[1],
            compliance_due_30=due.get(a.id, (0, 0))[0],
            compliance_overdue=due.get(a.id, (0, 0))[1],
            operating_cash=cash.get((a.id, "OPERATING"), ZERO),
            reserve_cash=cash.get((a.id, "RESERVE"), ZERO),
        )
        for a in found
    ]
    return DashboardOut(organization_id=org, as_of=as_of, associations=lines, totals=_totals(org, lines))


def _totals(org: uuid.UUID, lines: list[AssociationLine]) -> AssociationLine | None:
    if not lines:
        return None
    summed = {
        name: sum((getattr(line, name) for line in lines), start=type(getattr(lines[0], name))(0))
        for name in AssociationLine.model_fields
        if name not in ("association_id", "name")
    }
    return AssociationLine(association_id=org, name="Total", **summed)


async def workload(ctx: RequestContext, data: PortfolioIn) -> WorkloadOut:
    """Each manager with current assignments: their associations, the units in them and their open work orders."""
    org = await _authorized(ctx, "workload")
    as_of = data.as_of or date.today()
    managers = await association.manager_workload(ctx, as_of)
    assigned = sorted({a for m in managers for a in m.association_ids})
    work = await work_orders.open_work_by_association(ctx, assigned)
    lines = [
        ManagerLine(
            user_id=m.user_id,
            email=m.email,
            associations=list(m.association_ids),
            units=m.units,
            open_work_orders=sum(work.get(a, (0, 0))[0] for a in m.association_ids),
        )
        for m in managers
    ]
    return WorkloadOut(organization_id=org, as_of=as_of, managers=lines)


async def provider_work(ctx: RequestContext) -> ProviderWorkOut:
    """The caller's organization (a service provider): the work orders of every organization it serves that are
    assigned to it or that it was asked to bid on, with its bids and invoices."""
    org = await _authorized(ctx, "provider_work")
    items = [ProviderWorkLine(**asdict(item)) for item in await work_orders.provider_work(ctx)]
    return ProviderWorkOut(
        provider_organization_id=org,
        work_orders=items,
        assigned_open=sum(1 for i in items if i.assigned and i.status not in work_orders.NOT_OPEN),
        invoiced_total=sum((i.invoice_amount or ZERO for i in items if i.invoice_number), start=ZERO),
        paid_total=sum((i.invoice_amount or ZERO for i in items if i.invoice_paid_on), start=ZERO),
    )
