"""`report/portfolio/v1/*`: cross-association views. Management (ADMIN, MANAGER) of an organization reads its
portfolio dashboard and its managers' workload; a service provider's members (ADMIN, VENDOR, DISPATCHER) read the
work assigned to their organization across every organization it serves. Board members, owners and tenants are
FORBIDDEN: the portfolio spans associations a board member does not sit on, and their own association's figures are
in its reports (`report/v1/*`)."""

from __future__ import annotations

from hestami.cam.reporting.portfolio import services
from hestami.cam.reporting.portfolio.schemas import (
    DashboardOut,
    PortfolioIn,
    ProviderWorkOut,
    WorkloadOut,
)
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import Input

portfolio = ProcedureRouter("report/portfolio", tags=("report",))
ROUTERS: list[ProcedureRouter] = [portfolio]


class NoInput(Input):
    pass


@portfolio.query("dashboard")
async def dashboard(ctx: RequestContext, data: PortfolioIn) -> DashboardOut:
    """The management company's portfolio on `as_of` (today by default): one line per association of the caller's
    organization, and nothing of any other: units, delinquency (units with a part at least 30 days past due and
    that total), open work orders and SLA breaches, compliance deadlines due within 30 days and overdue, and cash
    by fund (operating, reserve); with totals. ADMIN and MANAGER only (FORBIDDEN otherwise)."""
    return await services.dashboard(ctx, data)


@portfolio.query("workload")
async def workload(ctx: RequestContext, data: PortfolioIn) -> WorkloadOut:
    """Each manager with an assignment current on `as_of`: their associations, the units in them and the open work
    orders of those associations. ADMIN and MANAGER only."""
    return await services.workload(ctx, data)


@portfolio.query("providerWork")
async def provider_work(ctx: RequestContext, data: NoInput) -> ProviderWorkOut:
    """For a service provider's member (ADMIN, VENDOR, DISPATCHER of the provider organization): every work order
    assigned to the organization, or that it was asked to bid on, in every association and management company it
    serves, with its bid and the invoice it became; and the open assigned work, invoiced and paid totals. An
    organization that serves no one gets an empty list."""
    return await services.provider_work(ctx)
