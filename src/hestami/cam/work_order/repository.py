"""Domain 6's SQL beyond the common record steps: numbering, the provider's view of work orders, a work order's
history, comments and attachments, providers' profiles and links, bids, and maintenance logs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.work_order.models import (
    AssociationProvider,
    Bid,
    Comment,
    MaintenanceLog,
    ProviderRequirements,
    StatusChange,
    VendorAssignment,
    VendorAssignmentRequest,
    WorkOrder,
)
from hestami.core.db import SET_SCOPE
from hestami.core.outbox import OutboundMessage
from hestami.core.pagination import PageRequest, SortKey, fetch_page
from hestami.core.repository import hold_lock

OPEN_BID_STATUSES = ("REQUESTED", "SUBMITTED")


# --- work orders -----------------------------------------------------------------------------------------


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next work-order number. A transaction-scoped advisory lock per organization makes
    creators take numbers one at a time, so they stay gapless and unique until the transaction ends."""
    await hold_lock(session, f"work_order_number:{organization_id}")
    last = await session.scalar(select(func.max(WorkOrder.number)).where(WorkOrder.organization_id == organization_id))
    return int(last or 0) + 1


async def work_order(session: AsyncSession, work_order_id: uuid.UUID, *, lock: bool = False) -> WorkOrder | None:
    """The work order in the session's scope (None when RLS hides it or it is not committed yet)."""
    return await session.get(WorkOrder, work_order_id, with_for_update=lock)


async def ordered_for(
    session: AsyncSession, *, violation_id: uuid.UUID | None, arc_request_id: uuid.UUID | None, kind: str
) -> WorkOrder | None:
    """The work order not CANCELLED already ordered for the violation, or for the ARC request with this kind."""
    statement = select(WorkOrder).where(WorkOrder.status != "CANCELLED", WorkOrder.origin_kind == kind)
    if violation_id is not None:
        statement = statement.where(WorkOrder.violation_id == violation_id)
    else:
        statement = statement.where(WorkOrder.arc_request_id == arc_request_id)
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def count_work_orders(session: AsyncSession, association_id: uuid.UUID) -> int:
    found = await session.scalar(
        select(func.count()).select_from(WorkOrder).where(WorkOrder.association_id == association_id)
    )
    return int(found or 0)


async def page_for_provider(
    session: AsyncSession, provider_organization_id: uuid.UUID, request: PageRequest
) -> tuple[list[tuple[WorkOrder, str | None]], str | None]:
    """One page of the other organizations' work orders RLS shows the provider (assigned to it or awaiting its
    bid), each with the status of the provider's bid on it, oldest first."""
    my_bid = (
        select(Bid.status)
        .where(
            Bid.work_order_id == WorkOrder.id,
            Bid.organization_id == WorkOrder.organization_id,
            Bid.provider_organization_id == provider_organization_id,
        )
        .scalar_subquery()
    )
    statement = select(WorkOrder, my_bid.label("bid_status")).where(
        WorkOrder.organization_id != provider_organization_id
    )
    rows, cursor = await fetch_page(session, statement, SortKey((WorkOrder.created_at, WorkOrder.id)), request)
    return [(order, bid_status) for order, bid_status in rows], cursor


async def status_history(session: AsyncSession, work_order_id: uuid.UUID) -> list[StatusChange]:
    """Every transition of the work order, oldest first."""
    rows = await session.execute(
        select(StatusChange)
        .where(StatusChange.work_order_id == work_order_id)
        .order_by(StatusChange.created_at, StatusChange.id)
    )
    return list(rows.scalars())


async def status_changes_since(
    session: AsyncSession, work_order_id: uuid.UUID, seen: list[uuid.UUID]
) -> list[StatusChange]:
    """The work order's transitions (moves from one status to another, not its creation) other than `seen`,
    oldest first."""
    statement = select(StatusChange).where(
        StatusChange.work_order_id == work_order_id, StatusChange.from_status.is_not(None)
    )
    if seen:
        statement = statement.where(StatusChange.id.not_in(seen))
    rows = await session.execute(statement.order_by(StatusChange.created_at, StatusChange.id))
    return list(rows.scalars())


async def status_change_recipients(session: AsyncSession, order: WorkOrder) -> set[str]:
    """Everyone already sent a status change of the work order."""
    rows = await session.execute(
        select(OutboundMessage.recipient)
        .where(
            OutboundMessage.organization_id == order.organization_id,
            OutboundMessage.entity_id == order.id,
            OutboundMessage.template == "work_order.status_changed",
        )
        .distinct()
    )
    return set(rows.scalars())


@asynccontextmanager
async def acting_for_organization(
    session: AsyncSession, organization_id: uuid.UUID, *, caller: tuple[uuid.UUID | None, uuid.UUID | None]
) -> AsyncIterator[None]:
    """Within the block, the transaction acts as the system (no user) in the work order's organization
    `organization_id`; the caller's scope (`caller`: organization, user) is back when the block ends.

    For what the platform records on that organization's behalf when the work order's assigned provider moves
    it from its own scope: the status-change notices (reading the recipients, inserting into the outbox). Only
    that belongs in the block. The caller's pending changes are flushed first, in the caller's scope; on an
    error the transaction is rolled back, which ends the block's scope too."""
    await session.flush()
    await session.execute(SET_SCOPE, {"org": str(organization_id), "user": ""})
    try:
        yield
    finally:  # also when the block raised and the caller goes on: never leave the transaction in this scope
        org, user = caller
        await session.execute(SET_SCOPE, {"org": str(org) if org else "", "user": str(user) if user else ""})


async def comments(session: AsyncSession, work_order_id: uuid.UUID, *, include_internal: bool) -> list[Comment]:
    statement = select(Comment).where(Comment.work_order_id == work_order_id).order_by(Comment.created_at, Comment.id)
    if not include_internal:
        statement = statement.where(Comment.internal.is_(False))
    return list((await session.execute(statement)).scalars())


# --- service providers -----------------------------------------------------------------------------------


async def requirements_of(
    session: AsyncSession, association_id: uuid.UUID, *, lock: bool = False
) -> ProviderRequirements | None:
    statement = select(ProviderRequirements).where(ProviderRequirements.association_id == association_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_requirements(session: AsyncSession, association_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else writes the association's provider requirements (`hold_lock`)."""
    await hold_lock(session, f"provider_requirements:{association_id}")


async def links_of_provider(
    session: AsyncSession, provider_organization_id: uuid.UUID, *, association_id: uuid.UUID | None = None
) -> list[AssociationProvider]:
    """Every association's link to the provider that the session may read (the provider's side reads them all), or
    only the one association's, by organization and association."""
    statement = select(AssociationProvider).where(
        AssociationProvider.provider_organization_id == provider_organization_id
    )
    if association_id is not None:
        statement = statement.where(AssociationProvider.association_id == association_id)
    order = (AssociationProvider.organization_id, AssociationProvider.association_id)
    return list((await session.execute(statement.order_by(*order))).scalars())


async def provider_link(
    session: AsyncSession,
    organization_id: uuid.UUID,
    provider_organization_id: uuid.UUID,
    *,
    association_id: uuid.UUID | None = None,
) -> AssociationProvider | None:
    """The organization's link to a provider (to one of its associations, or to that one association)."""
    statement = select(AssociationProvider).where(
        AssociationProvider.organization_id == organization_id,
        AssociationProvider.provider_organization_id == provider_organization_id,
    )
    if association_id is not None:
        statement = statement.where(AssociationProvider.association_id == association_id)
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def provider_names(
    session: AsyncSession, pairs: Sequence[tuple[uuid.UUID, uuid.UUID]]
) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    """The names the associations' links give their providers, by (association, provider organization), in one
    query."""
    if not pairs:
        return {}
    statement = select(
        AssociationProvider.association_id, AssociationProvider.provider_organization_id,
        AssociationProvider.provider_name,
    ).where(
        AssociationProvider.association_id.in_({a for a, _ in pairs}),
        AssociationProvider.provider_organization_id.in_({p for _, p in pairs}),
    )  # fmt: skip
    return {(a, p): name for a, p, name in (await session.execute(statement)).all()}


# --- bids ------------------------------------------------------------------------------------------------


async def bid(session: AsyncSession, bid_id: uuid.UUID) -> Bid | None:
    """The bid in the session's scope (the association's, or the provider's named on it), or None."""
    return await session.get(Bid, bid_id)


async def bids_on(session: AsyncSession, work_order_id: uuid.UUID) -> list[Bid]:
    return list((await session.execute(select(Bid).where(Bid.work_order_id == work_order_id))).scalars())


async def other_open_bids(session: AsyncSession, work_order_id: uuid.UUID, bid_id: uuid.UUID) -> list[Bid]:
    """The work order's bids still REQUESTED or SUBMITTED, besides `bid_id`."""
    rows = await session.execute(
        select(Bid).where(Bid.work_order_id == work_order_id, Bid.id != bid_id, Bid.status.in_(OPEN_BID_STATUSES))
    )
    return list(rows.scalars())


# --- assets ----------------------------------------------------------------------------------------------


async def maintenance_logs(session: AsyncSession, asset_id: uuid.UUID) -> list[MaintenanceLog]:
    """The asset's maintenance log, newest first."""
    rows = await session.execute(
        select(MaintenanceLog)
        .where(MaintenanceLog.asset_id == asset_id)
        .order_by(MaintenanceLog.performed_on.desc(), MaintenanceLog.id)
    )
    return list(rows.scalars())


# --- vendor assignment -----------------------------------------------------------------------------------


async def provider_candidates(
    session: AsyncSession, organization_id: uuid.UUID, association_id: uuid.UUID
) -> list[AssociationProvider]:
    """Every provider linked to the association, by name."""
    rows = await session.execute(
        select(AssociationProvider)
        .where(
            AssociationProvider.organization_id == organization_id,
            AssociationProvider.association_id == association_id,
        )
        .order_by(AssociationProvider.provider_name, AssociationProvider.id)
    )
    return list(rows.scalars())


async def vendor_assignment_of(
    session: AsyncSession, work_order_id: uuid.UUID, *, lock: bool = False
) -> VendorAssignment | None:
    """The work order's vendor assignment in the session's scope (None when it has none, or it is not committed
    yet); `lock` holds its row until the transaction ends."""
    statement = select(VendorAssignment).where(VendorAssignment.work_order_id == work_order_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def vendor_assignment_requests(
    session: AsyncSession, assignment_id: uuid.UUID, *, lock: bool = False
) -> list[tuple[VendorAssignmentRequest, Bid]]:
    """The run's bid requests with their bids, by round and rank; `lock` holds the bids' rows (against a provider
    answering while the run expires its request) until the transaction ends."""
    its_bid = and_(
        Bid.organization_id == VendorAssignmentRequest.organization_id, Bid.id == VendorAssignmentRequest.bid_id
    )
    statement = (
        select(VendorAssignmentRequest, Bid)
        .join(Bid, its_bid)
        .where(VendorAssignmentRequest.assignment_id == assignment_id)
        .order_by(VendorAssignmentRequest.round, VendorAssignmentRequest.rank, VendorAssignmentRequest.id)
    )
    if lock:
        statement = statement.with_for_update(key_share=True, of=Bid)
    return [(request, bid) for request, bid in (await session.execute(statement)).tuples()]


async def work_order_titled(session: AsyncSession, association_id: uuid.UUID, title: str) -> WorkOrder | None:
    """The association's first work order with this title (the demo's seeders look for what they seeded)."""
    found = await session.execute(
        select(WorkOrder)
        .where(WorkOrder.association_id == association_id, WorkOrder.title == title)
        .order_by(WorkOrder.number)
        .limit(1)
    )
    return found.scalar_one_or_none()


# --- reporting (issue 20): a report's facts about work orders, the portfolio's counts, a provider's view ---------


async def report_rows(
    session: AsyncSession, association_id: uuid.UUID, visible: ColumnElement[bool], *, created_before: datetime
) -> list[Row[Any]]:
    """The association's work orders created before `created_before` that `visible` admits, with the name of the
    provider assigned (from the association's link to it), oldest first: what an operational report counts."""
    provider_name = (
        select(AssociationProvider.provider_name)
        .where(
            AssociationProvider.organization_id == WorkOrder.organization_id,
            AssociationProvider.association_id == WorkOrder.association_id,
            AssociationProvider.provider_organization_id == WorkOrder.assigned_provider_org_id,
        )
        .limit(1)
        .scalar_subquery()
    )
    statement = (
        select(
            WorkOrder.status,
            WorkOrder.priority,
            WorkOrder.category,
            WorkOrder.created_at,
            WorkOrder.submitted_at,
            WorkOrder.completed_at,
            WorkOrder.sla_due_at,
            WorkOrder.sla_breached,
            WorkOrder.assigned_provider_org_id,
            provider_name.label("provider_name"),
        )
        .where(WorkOrder.association_id == association_id, WorkOrder.created_at < created_before, visible)
        .order_by(WorkOrder.created_at, WorkOrder.id)
    )
    return list((await session.execute(statement)).all())


async def open_counts_by_association(
    session: AsyncSession, association_ids: Sequence[uuid.UUID], closed_statuses: Sequence[str]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(open work orders, of them past their SLA) per association, in one query; associations without any open
    work order are absent. Open: not completed and not in `closed_statuses`."""
    if not association_ids:
        return {}
    open_ = and_(WorkOrder.status.not_in(closed_statuses), WorkOrder.completed_at.is_(None))
    breached = or_(WorkOrder.sla_breached, WorkOrder.sla_due_at < func.now())
    statement = (
        select(WorkOrder.association_id, func.count(), func.count().filter(breached))
        .where(WorkOrder.association_id.in_(set(association_ids)), open_)
        .group_by(WorkOrder.association_id)
    )
    return {a: (int(n), int(late)) for a, n, late in (await session.execute(statement)).all()}


async def provider_work(session: AsyncSession) -> list[Row[Any]]:
    """Every work order of another organization assigned to the session's organization (a service provider) or
    that it was asked to bid on, with its bid and invoice (migration 0033's SECURITY DEFINER function: it reads
    across organizations, and only rows linked to the session's own organization)."""
    return list((await session.execute(text("SELECT * FROM app_provider_work()"))).all())


async def provider_work_order(session: AsyncSession, work_order_id: uuid.UUID) -> Row[Any] | None:
    """`provider_work`'s row of one work order, or None."""
    statement = text("SELECT * FROM app_provider_work() WHERE work_order_id = :id")
    return (await session.execute(statement, {"id": work_order_id})).first()
