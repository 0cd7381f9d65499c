"""The estimates' SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.estimate.lifecycle import DECIDED
from hestami.contractor.estimate.models import (
    Estimate,
    EstimateLine,
    EstimateOption,
    EstimateStatusChange,
    Proposal,
)
from hestami.core.db import SET_SCOPE
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next estimate number; a transaction-scoped advisory lock per organization keeps numbers
    gapless and unique."""
    await hold_lock(session, f"estimate_number:{organization_id}")
    last = await session.scalar(select(func.max(Estimate.number)).where(Estimate.organization_id == organization_id))
    return int(last or 0) + 1


async def live_estimate_for_bid(session: AsyncSession, bid_id: uuid.UUID) -> Estimate | None:
    """The estimate (not VOID) answering a bid request; the caller holds the bid's advisory lock."""
    await hold_lock(session, f"estimate_for_bid:{bid_id}")
    statement = select(Estimate).where(Estimate.bid_id == bid_id, Estimate.status != "VOID")
    return (await session.execute(statement)).scalars().first()


async def undecided_for_bid(session: AsyncSession, bid_id: uuid.UUID) -> Estimate | None:
    """The estimate answering a bid request that is not decided yet (not ACCEPTED, DECLINED, EXPIRED or VOID),
    locked."""
    statement = (
        select(Estimate)
        .where(Estimate.bid_id == bid_id, Estimate.status.not_in(DECIDED))
        .with_for_update(key_share=True)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement.limit(1))).scalars().first()


async def options(session: AsyncSession, estimate_id: uuid.UUID) -> list[EstimateOption]:
    statement = select(EstimateOption).where(EstimateOption.estimate_id == estimate_id)
    return list((await session.execute(statement.order_by(EstimateOption.position))).scalars())


async def lines(session: AsyncSession, estimate_id: uuid.UUID) -> list[EstimateLine]:
    """The estimate's lines of every option, by option and position."""
    statement = select(EstimateLine).where(EstimateLine.estimate_id == estimate_id)
    return list((await session.execute(statement.order_by(EstimateLine.option_id, EstimateLine.position))).scalars())


async def option_lines(session: AsyncSession, option_id: uuid.UUID) -> list[EstimateLine]:
    statement = select(EstimateLine).where(EstimateLine.option_id == option_id).order_by(EstimateLine.position)
    return list((await session.execute(statement)).scalars())


async def remove_option(session: AsyncSession, option_id: uuid.UUID) -> None:
    await session.execute(delete(EstimateLine).where(EstimateLine.option_id == option_id))
    await session.execute(delete(EstimateOption).where(EstimateOption.id == option_id))


async def decide_options(session: AsyncSession, estimate_id: uuid.UUID, accepted: uuid.UUID | None) -> None:
    """The accepted option ACCEPTED and every other option of the estimate DECLINED (all DECLINED when None)."""
    for found in await options(session, estimate_id):
        found.status = "ACCEPTED" if found.id == accepted else "DECLINED"
        found.updated_at = func.now()
    await session.flush()


async def history(session: AsyncSession, estimate_id: uuid.UUID) -> list[EstimateStatusChange]:
    statement = (
        select(EstimateStatusChange)
        .where(EstimateStatusChange.estimate_id == estimate_id)
        .order_by(EstimateStatusChange.created_at, EstimateStatusChange.id)
    )
    return list((await session.execute(statement)).scalars())


async def latest_proposal(session: AsyncSession, estimate_id: uuid.UUID) -> Proposal | None:
    statement = (
        select(Proposal)
        .where(Proposal.estimate_id == estimate_id)
        .order_by(Proposal.sent_at.desc(), Proposal.id.desc())
        .limit(1)
    )
    return (await session.execute(statement)).scalars().first()


async def estimate(session: AsyncSession, estimate_id: uuid.UUID, *, lock: bool = False) -> Estimate | None:
    """The estimate in the session's scope (None when RLS hides it or it is not committed yet)."""
    return await session.get(Estimate, estimate_id, with_for_update=lock, populate_existing=lock)


async def accepted_for_job(
    session: AsyncSession, job_id: uuid.UUID, work_order_id: uuid.UUID | None
) -> Estimate | None:
    """The organization's ACCEPTED estimate of the job, or of the job's HOA work order."""
    found = [Estimate.job_id == job_id]
    if work_order_id is not None:
        found.append(Estimate.work_order_id == work_order_id)
    statement = select(Estimate).where(Estimate.status == "ACCEPTED", or_(*found)).order_by(Estimate.decided_at)
    return (await session.execute(statement.limit(1))).scalars().first()


async def option(session: AsyncSession, option_id: uuid.UUID) -> EstimateOption | None:
    return await session.get(EstimateOption, option_id)


@asynccontextmanager
async def acting_for_contractor(
    session: AsyncSession, organization_id: uuid.UUID, *, caller: tuple[uuid.UUID | None, uuid.UUID | None]
) -> AsyncIterator[None]:
    """Within the block, the transaction acts as the system in the contractor's organization `organization_id` (an
    HOA manager's decision on a proposal addressed to their organization writes the contractor's estimate); the
    caller's scope (`caller`: organization, user) is back when the block ends. The caller's pending changes are
    flushed first, in the caller's scope; the block flushes its own before the scope goes back."""
    await session.flush()
    await session.execute(SET_SCOPE, {"org": str(organization_id), "user": ""})
    try:
        yield
        await session.flush()
    finally:
        org, user = caller
        await session.execute(SET_SCOPE, {"org": str(org) if org else "", "user": str(user) if user else ""})


async def remove_lines(session: AsyncSession, option_id: uuid.UUID) -> None:
    await session.execute(delete(EstimateLine).where(EstimateLine.option_id == option_id))


async def accepted_for_work_order(session: AsyncSession, work_order_id: uuid.UUID) -> Estimate | None:
    """The organization's ACCEPTED estimate for an HOA work order's bid, locked."""
    statement = select(Estimate).where(Estimate.work_order_id == work_order_id, Estimate.status == "ACCEPTED")
    return (await session.execute(statement.with_for_update(key_share=True).limit(1))).scalars().first()
