"""SQL shapes every domain repository needs, kept in one place."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import Table, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hestami.core.models import Base, TenantRecord

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


async def insert_rows(
    session: AsyncSession,
    model: type[Base],
    columns: Mapping[str, Sequence[Any]],
    same: Mapping[str, Any],
    *,
    database_ids: bool = False,
) -> None:
    """Inserts many rows of one table in one statement, `INSERT ... SELECT FROM unnest(<an array per column>)`:
    `columns` holds each varying column's values (one per row, all of one length), `same` the values every row
    shares; `created_at` and `updated_at` are the database's, every other column left out is NULL (or its
    server default). `database_ids`: the database makes each row's id (`uuidv7()`, like `new_id`), for rows
    nobody needs to name when inserting. Nothing is read back and nothing enters the session.

    For batches (a period's journal entries, lines and charges), where an ORM object per row, flushed with
    RETURNING, costs many times what the database does, and a statement per row the database's own
    per-statement work. The arrays go in psycopg's binary format (`%b`), several times cheaper to make than
    the text format SQLAlchemy's placeholders ask for; the statement still goes through the engine (its events
    and spans see it)."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"columns of unequal lengths: {sorted(lengths)}")
    if not lengths.pop():
        return
    connection = await session.connection()
    table = cast(Table, model.__table__)
    quote = connection.dialect.identifier_preparer.quote

    def sql_type(name: str) -> str:
        return str(table.c[name].type.compile(dialect=connection.dialect))

    names = [quote(name) for name in [*columns, *same]]
    values = [f"v.{quote(name)}" for name in columns] + [f"%(s_{name})s::{sql_type(name)}" for name in same]
    if database_ids:
        names, values = [*names, "id"], [*values, "uuidv7()"]
    arrays = ", ".join(f"%(v_{name})b::{sql_type(name)}[]" for name in columns)
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(names)}) SELECT {', '.join(values)} "
        f"FROM unnest({arrays}) AS v({', '.join(quote(name) for name in columns)})"
    )
    parameters = {f"v_{name}": list(v) for name, v in columns.items()} | {f"s_{name}": v for name, v in same.items()}
    await connection.exec_driver_sql(statement, parameters)
