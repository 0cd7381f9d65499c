"""The inventory's SQL beyond the common record steps. A level changes only here, by one conditional statement
(a take never goes below zero: `WHERE on_hand >= :quantity`; the CHECK on the column is the last guard)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.inventory.models import (
    JobCost,
    Movement,
    ReorderPoint,
    SerialUnit,
    StockItem,
    StockLevel,
    StockLocation,
    Transfer,
    TransferLine,
)
from hestami.core.ids import new_id

ZERO = Decimal("0")
LevelRow = tuple[StockLevel, StockItem, StockLocation]
PointRow = tuple[ReorderPoint, StockItem, StockLocation, Decimal]

TAKE = text(
    "UPDATE inventory_levels SET on_hand = on_hand - :quantity, updated_at = now() "
    "WHERE item_id = :item_id AND location_id = :location_id AND lot_number IS NOT DISTINCT FROM :lot "
    "AND on_hand >= :quantity RETURNING on_hand"
)
PUT = text(
    "INSERT INTO inventory_levels (id, organization_id, item_id, location_id, lot_number, on_hand) "
    "VALUES (:id, :org, :item_id, :location_id, :lot, :quantity) "
    "ON CONFLICT (organization_id, item_id, location_id, lot_number) DO UPDATE "
    "SET on_hand = inventory_levels.on_hand + excluded.on_hand, updated_at = now() RETURNING on_hand"
)


async def item_by_code(session: AsyncSession, code: str) -> StockItem | None:
    return (await session.execute(select(StockItem).where(StockItem.code == code))).scalar_one_or_none()


async def location_named(session: AsyncSession, name: str) -> StockLocation | None:
    statement = select(StockLocation).where(func.lower(StockLocation.name) == name.lower())
    return (await session.execute(statement)).scalar_one_or_none()


async def location_names(session: AsyncSession, location_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    statement = select(StockLocation.id, StockLocation.name).where(StockLocation.id.in_(list(set(location_ids))))
    return {row.id: row.name for row in (await session.execute(statement)).all()}


async def truck_of(session: AsyncSession, technician_id: uuid.UUID) -> StockLocation | None:
    """The technician's active truck."""
    statement = select(StockLocation).where(
        StockLocation.technician_id == technician_id, StockLocation.kind == "TRUCK", StockLocation.active
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def take(
    session: AsyncSession, item_id: uuid.UUID, location_id: uuid.UUID, lot: str | None, quantity: Decimal
) -> Decimal | None:
    """Takes `quantity` off the level when it has that much (the row stays locked until the transaction ends): the
    level after, or None when it has less (nothing changed)."""
    params = {"item_id": item_id, "location_id": location_id, "lot": lot, "quantity": quantity}
    found = (await session.execute(TAKE, params)).scalar_one_or_none()
    return Decimal(found) if found is not None else None


async def put(
    session: AsyncSession, org: uuid.UUID, item_id: uuid.UUID, location_id: uuid.UUID, lot: str | None,
    quantity: Decimal,
) -> Decimal:  # fmt: skip
    """Adds `quantity` to the level (made at zero when new): the level after."""
    params = {"id": new_id(), "org": org, "item_id": item_id, "location_id": location_id, "lot": lot,
              "quantity": quantity}  # fmt: skip
    return Decimal((await session.execute(PUT, params)).scalar_one())


async def level(session: AsyncSession, item_id: uuid.UUID, location_id: uuid.UUID, lot: str | None) -> Decimal:
    statement = select(StockLevel.on_hand).where(
        StockLevel.item_id == item_id, StockLevel.location_id == location_id,
        StockLevel.lot_number.is_not_distinct_from(lot),
    )  # fmt: skip
    return Decimal(await session.scalar(statement) or ZERO)


async def on_hand(session: AsyncSession, item_id: uuid.UUID, location_id: uuid.UUID) -> Decimal:
    """The item's stock at the location, every lot."""
    statement = select(func.sum(StockLevel.on_hand)).where(
        StockLevel.item_id == item_id, StockLevel.location_id == location_id
    )
    return Decimal(await session.scalar(statement) or ZERO)


async def in_transit(session: AsyncSession, *where: ColumnElement[bool]) -> Decimal:
    statement = (
        select(func.sum(TransferLine.quantity))
        .join(Transfer, Transfer.id == TransferLine.transfer_id)
        .where(Transfer.status == "IN_TRANSIT", *where)
    )
    return Decimal(await session.scalar(statement) or ZERO)


async def owned(session: AsyncSession, item_id: uuid.UUID) -> Decimal:
    """What the organization holds of the item: on hand everywhere plus in transit."""
    stocked = await session.scalar(select(func.sum(StockLevel.on_hand)).where(StockLevel.item_id == item_id))
    return Decimal(stocked or ZERO) + await in_transit(session, TransferLine.item_id == item_id)


async def location_stock(session: AsyncSession, location_id: uuid.UUID) -> Decimal:
    """Everything at the location, plus what is in transit from or to it."""
    stocked = await session.scalar(select(func.sum(StockLevel.on_hand)).where(StockLevel.location_id == location_id))
    moving = (Transfer.from_location_id == location_id) | (Transfer.to_location_id == location_id)
    return Decimal(stocked or ZERO) + await in_transit(session, moving)


async def add_movement(session: AsyncSession, values: dict[str, Any]) -> tuple[uuid.UUID, datetime]:
    statement = insert(Movement).values(**values).returning(Movement.id, Movement.moved_at)
    row = (await session.execute(statement)).one()
    return row[0], row[1]


async def add_job_cost(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(insert(JobCost).values(**values))


async def move_serials(
    session: AsyncSession, item_id: uuid.UUID, serials: Sequence[str], *, source: tuple[uuid.UUID | None, str],
    target: tuple[uuid.UUID | None, str],
) -> set[str]:  # fmt: skip
    """Moves the serial numbers that are at `source` (location, status) to `target`: those moved."""
    location, status = source
    statement = (
        update(SerialUnit)
        .where(
            SerialUnit.item_id == item_id, SerialUnit.serial_number.in_(list(serials)), SerialUnit.status == status,
            SerialUnit.location_id.is_not_distinct_from(location),
        )
        .values(location_id=target[0], status=target[1], updated_at=func.now())
        .returning(SerialUnit.serial_number)
    )  # fmt: skip
    return set((await session.execute(statement)).scalars())


async def stock_serials(
    session: AsyncSession, org: uuid.UUID, item_id: uuid.UUID, location_id: uuid.UUID, serials: Sequence[str]
) -> set[str]:
    """Puts the serial numbers in stock at the location (new ones, or ones used or gone before): those stocked; a
    number in stock or in transit already is left as it is."""
    rows = [{"id": new_id(), "organization_id": org, "item_id": item_id, "serial_number": s,
             "location_id": location_id, "status": "IN_STOCK"} for s in serials]  # fmt: skip
    statement = (
        upsert(SerialUnit)
        .values(rows)
        .on_conflict_do_update(
            index_elements=["organization_id", "item_id", "serial_number"],
            set_={"location_id": location_id, "status": "IN_STOCK", "updated_at": func.now()},
            where=SerialUnit.status == "USED",
        )
        .returning(SerialUnit.serial_number)
    )
    return set((await session.execute(statement)).scalars())


async def serials_at(
    session: AsyncSession, location_id: uuid.UUID, item_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[str]]:
    statement = (
        select(SerialUnit.item_id, SerialUnit.serial_number)
        .where(SerialUnit.location_id == location_id, SerialUnit.item_id.in_(list(item_ids)))
        .order_by(SerialUnit.serial_number)
    )
    found: dict[uuid.UUID, list[str]] = {}
    for item_id, serial in (await session.execute(statement)).all():
        found.setdefault(item_id, []).append(serial)
    return found


async def reorder_point(
    session: AsyncSession, item_id: uuid.UUID, location_id: uuid.UUID, *, lock: bool = False
) -> ReorderPoint | None:
    statement = select(ReorderPoint).where(ReorderPoint.item_id == item_id, ReorderPoint.location_id == location_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


def levels_statement(*where: ColumnElement[bool]) -> Select[Any]:
    """Levels with their item and location."""
    return (
        select(StockLevel, StockItem, StockLocation)
        .join(StockItem, StockItem.id == StockLevel.item_id)
        .join(StockLocation, StockLocation.id == StockLevel.location_id)
        .where(*where)
    )


async def levels(session: AsyncSession, *where: ColumnElement[bool]) -> list[LevelRow]:
    statement = levels_statement(*where).order_by(StockLocation.name, StockItem.code, StockLevel.lot_number)
    return [(lv, it, lo) for lv, it, lo in (await session.execute(statement)).all()]


async def ledger_sums(
    session: AsyncSession, at: datetime | None, *where: ColumnElement[bool]
) -> list[tuple[uuid.UUID, uuid.UUID, str | None, Decimal]]:
    """(item, location, lot, sum of the movements up to `at`) for the movements matching `where`."""
    filters = [*where] + ([Movement.moved_at <= at] if at is not None else [])
    statement = (
        select(Movement.item_id, Movement.location_id, Movement.lot_number, func.sum(Movement.quantity))
        .where(*filters)
        .group_by(Movement.item_id, Movement.location_id, Movement.lot_number)
    )
    return [(i, lo, lot, Decimal(q)) for i, lo, lot, q in (await session.execute(statement)).all()]


async def transfer_lines(
    session: AsyncSession, transfer_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[TransferLine]]:
    found: dict[uuid.UUID, list[TransferLine]] = {t: [] for t in transfer_ids}
    statement = select(TransferLine).where(TransferLine.transfer_id.in_(list(transfer_ids)))
    for line in (await session.execute(statement.order_by(TransferLine.created_at, TransferLine.id))).scalars():
        found[line.transfer_id].append(line)
    return found


async def items_by_id(session: AsyncSession, item_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, StockItem]:
    statement = select(StockItem).where(StockItem.id.in_(list(set(item_ids))))
    return {i.id: i for i in (await session.execute(statement)).scalars()}


async def job_costs(session: AsyncSession, job_id: uuid.UUID) -> list[JobCost]:
    statement = select(JobCost).where(JobCost.job_id == job_id).order_by(JobCost.created_at, JobCost.id)
    return list((await session.execute(statement)).scalars())


async def reorder_points(session: AsyncSession, *where: ColumnElement[bool]) -> list[PointRow]:
    """Reorder points with their item, location and the stock there now (all lots)."""
    statement = (
        select(ReorderPoint, StockItem, StockLocation, stock_of_point())
        .join(StockItem, StockItem.id == ReorderPoint.item_id)
        .join(StockLocation, StockLocation.id == ReorderPoint.location_id)
        .where(*where)
        .order_by(StockLocation.name, StockItem.code)
    )
    return [(p, i, lo, Decimal(s)) for p, i, lo, s in (await session.execute(statement)).all()]


def stock_of_point() -> ColumnElement[Decimal]:
    """The stock at a reorder point's location (all lots), as SQL of its row."""
    return (
        select(func.coalesce(func.sum(StockLevel.on_hand), 0))
        .where(and_(StockLevel.item_id == ReorderPoint.item_id, StockLevel.location_id == ReorderPoint.location_id))
        .scalar_subquery()
    )
