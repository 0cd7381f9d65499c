"""All of the contractor profile's SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.profile.models import Branch, ContractorProfile, Insurance, License
from hestami.core.lookup import lookup_scope
from hestami.core.repository import hold_lock


async def lock_profile(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Until the transaction ends, no one else writes this organization's profile or its compliance."""
    await hold_lock(session, f"contractor_profile:{organization_id}")


async def profile_of(session: AsyncSession, organization_id: uuid.UUID) -> ContractorProfile | None:
    found = await session.execute(select(ContractorProfile).where(ContractorProfile.organization_id == organization_id))
    return found.scalar_one_or_none()


async def profiles_of(session: AsyncSession, organization_ids: Sequence[uuid.UUID]) -> list[ContractorProfile]:
    """The profiles among `organization_ids` the session may read (its own, linked ones)."""
    if not organization_ids:
        return []
    rows = await session.execute(
        select(ContractorProfile).where(ContractorProfile.organization_id.in_(list(organization_ids)))
    )
    return list(rows.scalars())


async def is_listed(session: AsyncSession, organization_id: uuid.UUID) -> bool:
    """Whether the organization has a contractor profile, read through the lookup scope (`core.lookup`)."""
    async with lookup_scope(session, organization_id):
        found = await session.execute(
            select(ContractorProfile.id).where(ContractorProfile.organization_id == organization_id)
        )
        return found.scalar_one_or_none() is not None


async def licenses_of(session: AsyncSession, organization_ids: Sequence[uuid.UUID]) -> list[License]:
    rows = await session.execute(
        select(License)
        .where(License.organization_id.in_(list(organization_ids)), License.deleted_at.is_(None))
        .order_by(License.expires_on, License.id)
    )
    return list(rows.scalars())


async def insurances_of(session: AsyncSession, organization_ids: Sequence[uuid.UUID]) -> list[Insurance]:
    rows = await session.execute(
        select(Insurance)
        .where(Insurance.organization_id.in_(list(organization_ids)), Insurance.deleted_at.is_(None))
        .order_by(Insurance.expires_on, Insurance.id)
    )
    return list(rows.scalars())


async def branch_named(session: AsyncSession, name: str) -> Branch | None:
    found = await session.execute(select(Branch).where(func.lower(Branch.name) == name.strip().lower()))
    return found.scalar_one_or_none()


async def primary_branches(session: AsyncSession, organization_id: uuid.UUID) -> list[Branch]:
    rows = await session.execute(
        select(Branch).where(
            Branch.organization_id == organization_id, Branch.primary_branch.is_(True), Branch.status == "ACTIVE"
        )
    )
    return list(rows.scalars())


async def contractor_organizations(session: AsyncSession) -> list[uuid.UUID]:
    """Every organization with a contractor profile (the SECURITY DEFINER function of migration 0034)."""
    rows = await session.execute(text("SELECT organization_id FROM app_contractor_organizations()"))
    return [row[0] for row in rows]
