"""Domain 11's SQL beyond the common record steps: an association's active components and a study's snapshot."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.reserve.models import Component, StudyComponent
from hestami.core.repository import insert_rows


async def active_components(session: AsyncSession, association_id: uuid.UUID) -> list[Component]:
    """The association's components in the inventory now (not retired), oldest first."""
    statement = (
        select(Component)
        .where(Component.association_id == association_id, Component.active.is_(True))
        .order_by(Component.created_at, Component.id)
    )
    return list((await session.execute(statement)).scalars())


LIFE = ("name", "category", "quantity", "unit_of_measure", "useful_life_years", "remaining_life_years",
        "replacement_cost")  # fmt: skip


async def snapshot_components(
    session: AsyncSession, organization_id: uuid.UUID, study_id: uuid.UUID, components: list[Component]
) -> None:
    """Copies the components, as they are now, into the study (one statement)."""
    columns = {name: [getattr(c, name) for c in components] for name in LIFE}
    await insert_rows(
        session, StudyComponent, {**columns, "component_id": [c.id for c in components]},
        {"organization_id": organization_id, "study_id": study_id}, database_ids=True,
    )  # fmt: skip


async def study_components(session: AsyncSession, study_id: uuid.UUID) -> list[StudyComponent]:
    """The study's snapshot, in the order the components were recorded."""
    statement = (
        select(StudyComponent)
        .where(StudyComponent.study_id == study_id)
        .order_by(StudyComponent.created_at, StudyComponent.id)
    )
    return list((await session.execute(statement)).scalars())
