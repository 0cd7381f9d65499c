"""All of identity's SQL. Runs in the caller's scoped transaction; never commits."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.pagination import PageRequest, SortKey, fetch_page
from hestami.identity.models import Membership, Organization, User

_SET = text("SELECT set_config(:name, :value, true)")


async def scope_email(session: AsyncSession, email: str) -> None:
    """Names the one account this transaction may look up by email (login, registration, invitations)."""
    await session.execute(_SET, {"name": "app.current_email", "value": email})


async def scope_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(_SET, {"name": "app.current_user_id", "value": str(user_id)})


async def scope_organization(session: AsyncSession, organization_id: uuid.UUID) -> None:
    """Acts in this organization from here on; used where the service creates or joins one explicitly."""
    await session.execute(_SET, {"name": "app.current_org_id", "value": str(organization_id)})


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.execute(select(User).where(User.email == email))).scalar_one_or_none()


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization | None:
    row = await session.execute(
        select(Organization).where(Organization.id == organization_id, Organization.deleted_at.is_(None))
    )
    return row.scalar_one_or_none()


async def access(session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID) -> tuple[list[str], str] | None:
    row = (
        await session.execute(
            select(Membership.roles, Organization.slug)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(
                Membership.organization_id == organization_id,
                Membership.user_id == user_id,
                Membership.status == "ACTIVE",
                Organization.deleted_at.is_(None),
            )
        )
    ).one_or_none()
    return (list(row.roles), row.slug) if row else None


def _my_organizations(user_id: uuid.UUID) -> Any:
    return (
        select(Organization, Membership.roles)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user_id, Membership.status == "ACTIVE", Organization.deleted_at.is_(None))
    )


async def organizations_of(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[Organization, list[str]]]:
    rows = await session.execute(_my_organizations(user_id).order_by(Organization.name, Organization.id))
    return [(org, list(roles)) for org, roles in rows.all()]


async def organizations_page(
    session: AsyncSession, user_id: uuid.UUID, page: PageRequest
) -> tuple[list[tuple[Organization, list[str]]], str | None]:
    key = SortKey((Organization.created_at, Organization.id))
    items, cursor = await fetch_page(session, _my_organizations(user_id), key, page)
    return [(org, list(roles)) for org, roles in items], cursor


async def membership(session: AsyncSession, organization_id: uuid.UUID, member_id: uuid.UUID) -> Membership | None:
    row = await session.execute(
        select(Membership).where(Membership.organization_id == organization_id, Membership.id == member_id)
    )
    return row.scalar_one_or_none()


async def membership_of(session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
    row = await session.execute(
        select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == user_id)
    )
    return row.scalar_one_or_none()


async def invitation(session: AsyncSession, organization_id: uuid.UUID, email: str) -> Membership | None:
    row = await session.execute(
        select(Membership).where(
            Membership.organization_id == organization_id,
            Membership.status == "INVITED",
            Membership.invited_email == email,
        )
    )
    return row.scalar_one_or_none()


async def members_page(
    session: AsyncSession, organization_id: uuid.UUID, page: PageRequest
) -> tuple[list[tuple[Membership, User | None]], str | None]:
    statement = (
        select(Membership, User)
        .outerjoin(User, User.id == Membership.user_id)
        .where(Membership.organization_id == organization_id)
    )
    key = SortKey((Membership.created_at, Membership.id))
    items, cursor = await fetch_page(session, statement, key, page)
    return [(m, u) for m, u in items], cursor


async def admin_count(session: AsyncSession, organization_id: uuid.UUID) -> int:
    count = await session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organization_id == organization_id,
            Membership.status == "ACTIVE",
            Membership.roles.contains(["ADMIN"]),
        )
    )
    return int(count.scalar_one())


async def accept_invitations(session: AsyncSession, user_id: uuid.UUID, email: str) -> list[uuid.UUID]:
    """Turns invitations addressed to `email` into memberships of the new user; returns their organizations."""
    result = await session.execute(
        update(Membership)
        .where(Membership.status == "INVITED", Membership.invited_email == email)
        .values(user_id=user_id, status="ACTIVE", updated_at=func.now())
        .returning(Membership.organization_id)
    )
    return list(result.scalars())


async def member_by_email(session: AsyncSession, organization_id: uuid.UUID, email: str) -> uuid.UUID | None:
    row = await session.execute(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, Membership.status == "ACTIVE", User.email == email)
    )
    return row.scalar_one_or_none()


async def members_with_roles(
    session: AsyncSession, organization_id: uuid.UUID, roles: list[str]
) -> list[tuple[uuid.UUID, str]]:
    """(user id, email) of the active members holding any of `roles`."""
    rows = await session.execute(
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.status == "ACTIVE",
            Membership.roles.overlap(roles),
        )
        .order_by(User.email)
    )
    return [(row.id, row.email) for row in rows.all()]
