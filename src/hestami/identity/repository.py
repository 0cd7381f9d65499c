"""All of identity's SQL. Runs in the caller's scoped transaction; never commits."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.lookup import lookup_scope
from hestami.core.pagination import PageRequest, SortKey, fetch_page
from hestami.identity.models import EmailVerification, Membership, Organization, User

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


async def user_names(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The name (else the email) of each visible user among `user_ids`, in one query."""
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.name, User.email).where(User.id.in_(set(user_ids))))
    return {row.id: row.name or row.email for row in rows.all()}


async def organization(session: AsyncSession, organization_id: uuid.UUID) -> Organization | None:
    row = await session.execute(
        select(Organization).where(Organization.id == organization_id, Organization.deleted_at.is_(None))
    )
    return row.scalar_one_or_none()


# The associations whose board the user sits on today (as `app_enter_scope` answers them, migration 0020). Read
# through the transaction's scope: rows of another organization than the one it is scoped to are not visible.
_BOARD_SEATS = text(
    """
    SELECT COALESCE(array_agg(DISTINCT s.association_id::text), ARRAY[]::text[])
    FROM board_seats s JOIN boards b ON b.organization_id = s.organization_id AND b.id = s.board_id
    WHERE s.organization_id = :org AND s.user_id = :usr AND b.kind = 'BOARD'
      AND s.term_start <= current_date AND (s.ended_on IS NULL OR s.ended_on > current_date)
    """
)


async def access(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID
) -> tuple[list[str], str, list[str]] | None:
    """The user's roles in the organization, its slug and (for a BOARD_MEMBER) the associations of their seats."""
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
    if row is None:
        return None
    boards: list[str] = []
    if "BOARD_MEMBER" in row.roles:
        boards = list((await session.execute(_BOARD_SEATS, {"org": organization_id, "usr": user_id})).scalar_one())
    return list(row.roles), row.slug, boards


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


async def membership_of(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID, *, lock: bool = False
) -> Membership | None:
    statement = select(Membership).where(Membership.organization_id == organization_id, Membership.user_id == user_id)
    if lock:
        statement = statement.with_for_update(key_share=True).execution_options(populate_existing=True)
    return (await session.execute(statement)).scalar_one_or_none()


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


def _invitations_to(email: str) -> Any:
    """Invitations addressed to `email` (visible once the transaction names that email, `scope_email`)."""
    return select(Membership).where(Membership.status == "INVITED", Membership.invited_email == email)


async def invitations_to(session: AsyncSession, email: str, page: PageRequest) -> tuple[list[Membership], str | None]:
    return await fetch_page(session, _invitations_to(email), SortKey((Membership.created_at, Membership.id)), page)


async def invitation_count(session: AsyncSession, email: str) -> int:
    count = await session.execute(select(func.count()).select_from(_invitations_to(email).subquery()))
    return int(count.scalar_one())


async def invitation_to(
    session: AsyncSession, invitation_id: uuid.UUID, email: str, *, lock: bool = False
) -> Membership | None:
    statement = _invitations_to(email).where(Membership.id == invitation_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


@asynccontextmanager
async def in_organization(session: AsyncSession, organization_id: uuid.UUID) -> AsyncIterator[None]:
    """Acts in `organization_id` for the block, then returns to the transaction's own scope: for an invitee,
    who reads and answers an invitation of an organization they do not belong to (yet)."""
    previous = (await session.execute(text("SELECT current_setting('app.current_org_id', true)"))).scalar_one()
    await scope_organization(session, organization_id)
    try:
        yield
    finally:
        await session.execute(_SET, {"name": "app.current_org_id", "value": previous or ""})


async def member_by_email(
    session: AsyncSession, organization_id: uuid.UUID, email: str, *, verified: bool = False
) -> uuid.UUID | None:
    """The active member with this email; with `verified`, only one who has proven it."""
    statement = (
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, Membership.status == "ACTIVE", User.email == email)
    )
    if verified:
        statement = statement.where(User.email_verified_at.is_not(None))
    return (await session.execute(statement)).scalar_one_or_none()


# Whether the member holds a current seat on the association's board of directors (migration 0020).
_SEATED = text(
    """
    EXISTS (SELECT 1 FROM board_seats s JOIN boards b ON b.organization_id = s.organization_id AND b.id = s.board_id
            WHERE s.organization_id = memberships.organization_id AND s.user_id = memberships.user_id
              AND s.association_id = :association_id AND b.kind = 'BOARD'
              AND s.term_start <= current_date AND (s.ended_on IS NULL OR s.ended_on > current_date))
    """
)


async def members_with_roles(
    session: AsyncSession, organization_id: uuid.UUID, roles: list[str], association_id: uuid.UUID | None = None
) -> list[tuple[uuid.UUID, str]]:
    """(user id, email) of the active members holding any of `roles`; with `association_id`, a BOARD_MEMBER counts
    only when seated on that association's board (as their view of it does)."""
    held: Any = Membership.roles.overlap(roles)
    if association_id is not None and "BOARD_MEMBER" in roles:
        others = [role for role in roles if role != "BOARD_MEMBER"]
        board = and_(Membership.roles.contains(["BOARD_MEMBER"]), _SEATED.bindparams(association_id=association_id))
        held = or_(Membership.roles.overlap(others), board) if others else board
    rows = await session.execute(
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id, Membership.status == "ACTIVE", held)
        .order_by(User.email)
    )
    return [(row.id, row.email) for row in rows.all()]


async def organization_of_type(session: AsyncSession, organization_id: uuid.UUID, types: Sequence[str]) -> bool:
    """Whether a live organization of one of `types` has this id: the caller's own, or another one the lookup
    policy admits (one that offers services to others; see `hestami.core.lookup`)."""
    async with lookup_scope(session, organization_id):
        found = await session.execute(
            select(Organization.id).where(
                Organization.id == organization_id, Organization.type.in_(types), Organization.deleted_at.is_(None)
            )
        )
        return found.scalar_one_or_none() is not None


# --- email verification and account linking (migration 0024) ---


async def scope_token(session: AsyncSession, token_hash: str) -> None:
    """Names the one verification row this transaction may read by its token's hash (an anonymous verifyEmail)."""
    await session.execute(_SET, {"name": "app.email_token_hash", "value": token_hash})


async def verification_by_hash(
    session: AsyncSession, token_hash: str, *, lock: bool = False
) -> EmailVerification | None:
    statement = select(EmailVerification).where(EmailVerification.token_hash == token_hash)
    if lock:  # re-read under the lock, not the copy an earlier read left in the session
        statement = statement.with_for_update(key_share=True).execution_options(populate_existing=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def lock_user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The user's row (visible once the transaction names the user), held until the transaction ends: one
    verification or password change of an account at a time."""
    statement = (
        select(User).where(User.id == user_id).with_for_update(key_share=True).execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def drop_pending_verifications(
    session: AsyncSession, user_id: uuid.UUID, *, keep: uuid.UUID | None = None, expired_only: bool = False
) -> None:
    """Deletes the user's unused verification rows (all but `keep`; or only the expired ones)."""
    statement = delete(EmailVerification).where(
        EmailVerification.user_id == user_id, EmailVerification.used_at.is_(None)
    )
    if keep is not None:
        statement = statement.where(EmailVerification.id != keep)
    if expired_only:
        statement = statement.where(EmailVerification.expires_at <= func.now())
    await session.execute(statement, execution_options={"synchronize_session": False})


_PARTIES_WITH_EMAIL = text("SELECT organization_id, party_id FROM app_parties_with_email(:email)")


async def parties_with_email(session: AsyncSession, email: str) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(organization id, party id) of every live party of any organization that carries this email: the one
    cross-tenant read of account linking, through migration 0024's SECURITY DEFINER function."""
    rows = await session.execute(_PARTIES_WITH_EMAIL, {"email": email})
    return [(row.organization_id, row.party_id) for row in rows.all()]


async def add_membership(
    session: AsyncSession, organization_id: uuid.UUID, user_id: uuid.UUID, roles: Sequence[str]
) -> uuid.UUID | None:
    """A new active membership of the current organization, or None when the user is a member already (the unique
    (organization, user) key decides, so two requests at once cannot both add one)."""
    statement = (
        pg_insert(Membership)
        .values(organization_id=organization_id, user_id=user_id, roles=sorted(roles), status="ACTIVE")
        .on_conflict_do_nothing(index_elements=["organization_id", "user_id"])
        .returning(Membership.id)
    )
    return (await session.execute(statement)).scalar_one_or_none()
