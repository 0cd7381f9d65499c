"""All of communications' SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.communications.models import (
    CommunicationTemplate,
    ContactPreference,
    Delivery,
    MassCommunication,
    TemplateVersion,
)
from hestami.core.ids import new_id
from hestami.core.repository import hold_lock


async def lock_template_name(session: AsyncSession, organization_id: uuid.UUID, name: str) -> None:
    await hold_lock(session, f"communication_template_name:{organization_id}:{name.strip().lower()}")


async def template_named(session: AsyncSession, name: str) -> CommunicationTemplate | None:
    statement = select(CommunicationTemplate).where(
        func.lower(CommunicationTemplate.name) == name.strip().lower(), CommunicationTemplate.archived_at.is_(None)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def template_version(session: AsyncSession, template_id: uuid.UUID, version: int) -> TemplateVersion | None:
    statement = select(TemplateVersion).where(
        TemplateVersion.template_id == template_id, TemplateVersion.version == version
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def template_versions(session: AsyncSession, template_id: uuid.UUID) -> list[TemplateVersion]:
    statement = (
        select(TemplateVersion).where(TemplateVersion.template_id == template_id).order_by(TemplateVersion.version)
    )
    return list((await session.execute(statement)).scalars())


async def current_versions(
    session: AsyncSession, templates: Sequence[CommunicationTemplate]
) -> dict[uuid.UUID, TemplateVersion]:
    """The current version of each template, in one query."""
    if not templates:
        return {}
    pairs = [(t.id, t.current_version) for t in templates]
    statement = select(TemplateVersion).where(
        func.row(TemplateVersion.template_id, TemplateVersion.version).in_([func.row(a, b) for a, b in pairs])
    )
    return {v.template_id: v for v in (await session.execute(statement)).scalars()}


async def preferences(session: AsyncSession, party_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ContactPreference]:
    if not party_ids:
        return {}
    statement = select(ContactPreference).where(ContactPreference.party_id.in_(list(party_ids)))
    return {p.party_id: p for p in (await session.execute(statement)).scalars()}


async def save_preferences(
    session: AsyncSession, organization_id: uuid.UUID, party_id: uuid.UUID, values: dict[str, Any]
) -> ContactPreference:
    """Inserts or replaces a party's preferences (one row per party: the unique constraint holds it)."""
    statement = (
        pg_insert(ContactPreference)
        .values(id=new_id(), organization_id=organization_id, party_id=party_id, **values)
        .on_conflict_do_update(constraint="uq_contact_preferences_party", set_={**values, "updated_at": func.now()})
        .returning(ContactPreference)
        .execution_options(populate_existing=True)
    )
    return (await session.execute(statement)).scalar_one()


async def mass_exists(session: AsyncSession, mass_id: uuid.UUID) -> bool:
    statement = select(MassCommunication.id).where(MassCommunication.id == mass_id)
    return (await session.execute(statement)).first() is not None


async def add_deliveries(session: AsyncSession, organization_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    """The audience's deliveries; a row that exists (same mass communication and recipient) is left as it is."""
    if not rows:
        return
    values = [{"id": new_id(), "organization_id": organization_id, **row} for row in rows]
    await session.execute(
        pg_insert(Delivery).values(values).on_conflict_do_nothing(constraint="uq_mass_deliveries_recipient")
    )


async def has_deliveries(session: AsyncSession, mass_id: uuid.UUID) -> bool:
    statement = select(Delivery.id).where(Delivery.mass_communication_id == mass_id).limit(1)
    return (await session.execute(statement)).first() is not None


async def pending_deliveries(session: AsyncSession, mass_id: uuid.UUID, limit: int) -> list[Delivery]:
    """The next pending deliveries, locked (one sender at a time per row)."""
    statement = (
        select(Delivery)
        .where(Delivery.mass_communication_id == mass_id, Delivery.status == "PENDING")
        .order_by(Delivery.id)
        .limit(limit)
        .with_for_update(key_share=True)
    )
    return list((await session.execute(statement)).scalars())


async def mark_sent(session: AsyncSession, sent: dict[uuid.UUID, uuid.UUID], at: datetime) -> None:
    """Each delivery id → the id of its outbox message (one bulk UPDATE by primary key)."""
    if sent:
        rows = [{"id": d, "status": "SENT", "message_id": m, "sent_at": at, "updated_at": at} for d, m in sent.items()]
        await session.execute(update(Delivery), rows)


async def mark_failed(session: AsyncSession, delivery_ids: list[uuid.UUID], reason: str) -> None:
    if delivery_ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(delivery_ids))
            .values(status="SKIPPED", skip_reason=reason, updated_at=func.now())
        )


async def skip_pending(session: AsyncSession, mass_id: uuid.UUID, reason: str) -> int:
    result = await session.execute(
        update(Delivery)
        .where(Delivery.mass_communication_id == mass_id, Delivery.status == "PENDING")
        .values(status="SKIPPED", skip_reason=reason, updated_at=func.now())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delivery_counts(session: AsyncSession, mass_id: uuid.UUID) -> dict[str, int]:
    statement = (
        select(Delivery.status, func.count()).where(Delivery.mass_communication_id == mass_id).group_by(Delivery.status)
    )
    return {status: int(count) for status, count in (await session.execute(statement)).all()}


def deliveries_of(mass_id: uuid.UUID, status: str | None) -> Any:
    statement = select(Delivery).where(Delivery.mass_communication_id == mass_id)
    return statement if status is None else statement.where(Delivery.status == status)
