"""SQL shapes every domain repository needs, kept in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hestami.core.models import TenantRecord

C = TypeVar("C", bound=TenantRecord)


async def children_by_parent(
    session: AsyncSession, model: type[C], parent: InstrumentedAttribute[Any], parent_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[C]]:
    """The rows of `model` of each parent (by its `parent` column), in the order they were written, in one
    query for a whole page of parents. Every parent id is a key; parents without rows get an empty list."""
    grouped: dict[uuid.UUID, list[C]] = {parent_id: [] for parent_id in parent_ids}
    if not parent_ids:
        return grouped
    rows = await session.execute(select(model).where(parent.in_(set(parent_ids))).order_by(model.created_at, model.id))
    for row in rows.scalars():
        grouped[getattr(row, parent.key)].append(row)
    return grouped
