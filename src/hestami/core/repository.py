"""SQL shapes every domain repository needs, kept in one place."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select, text
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


async def hold_lock(session: AsyncSession, key: str) -> None:
    """Takes a transaction-scoped advisory lock on `key`, held until the transaction ends.

    A "not twice" rule checked by reading first (is this period billed already? is there a primary account?)
    takes the lock of what it guards before the read: a concurrent caller then waits, and its read (a new
    statement, under READ COMMITTED) sees what the first one committed. Keys name what they guard, e.g.
    `assessment_billing:<type id>:<due date>`; two keys that hash alike only make their callers wait on each other.
    """
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
