"""Procurement's SQL beyond the common record steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.contractor.procurement.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatusChange,
    Receipt,
    ReceiptLine,
    Reorder,
    Supplier,
    SupplierItem,
)
from hestami.core.repository import hold_lock


async def next_number(session: AsyncSession, organization_id: uuid.UUID) -> int:
    """The organization's next purchase order number, gapless: an advisory lock per organization serializes the
    takers until their transactions end."""
    await hold_lock(session, f"procurement_po_number:{organization_id}")
    last = await session.scalar(
        select(func.max(PurchaseOrder.number)).where(PurchaseOrder.organization_id == organization_id)
    )
    return int(last or 0) + 1


async def hold_item_preference(session: AsyncSession, item_id: uuid.UUID) -> None:
    """One change of an item's preferred supplier at a time (the partial unique index stands behind it)."""
    await hold_lock(session, f"procurement_preferred_supplier:{item_id}")


async def hold_replenishment(session: AsyncSession, supplier_id: uuid.UUID, location_id: uuid.UUID) -> None:
    """One reorder at a time finds or makes a supplier's open draft for a location (the partial unique index on
    open replenishment drafts stands behind it)."""
    await hold_lock(session, f"procurement_replenishment:{supplier_id}:{location_id}")


async def supplier_names(session: AsyncSession, supplier_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    statement = select(Supplier.id, Supplier.name).where(Supplier.id.in_(list(set(supplier_ids))))
    return {row.id: row.name for row in (await session.execute(statement)).all()}


async def supplier_named(session: AsyncSession, name: str) -> Supplier | None:
    statement = select(Supplier).where(func.lower(Supplier.name) == name.lower())
    return (await session.execute(statement)).scalar_one_or_none()


async def supplier_item(session: AsyncSession, supplier_id: uuid.UUID, item_id: uuid.UUID) -> SupplierItem | None:
    statement = select(SupplierItem).where(SupplierItem.supplier_id == supplier_id, SupplierItem.item_id == item_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def supplier_items(
    session: AsyncSession, *, supplier_id: uuid.UUID | None, item_id: uuid.UUID | None
) -> list[SupplierItem]:
    statement = select(SupplierItem).order_by(SupplierItem.item_code, SupplierItem.id)
    if supplier_id is not None:
        statement = statement.where(SupplierItem.supplier_id == supplier_id)
    if item_id is not None:
        statement = statement.where(SupplierItem.item_id == item_id)
    return list((await session.execute(statement)).scalars())


async def preferred_of(session: AsyncSession, item_id: uuid.UUID) -> tuple[SupplierItem, Supplier] | None:
    """The item's preferred supplier item with its supplier, when that supplier is active."""
    statement = (
        select(SupplierItem, Supplier)
        .join(
            Supplier,
            (Supplier.organization_id == SupplierItem.organization_id) & (Supplier.id == SupplierItem.supplier_id),
        )
        .where(SupplierItem.item_id == item_id, SupplierItem.preferred.is_(True), Supplier.active.is_(True))
    )
    row = (await session.execute(statement)).first()
    return (row[0], row[1]) if row is not None else None


async def unset_preferred(session: AsyncSession, item_id: uuid.UUID, keep: uuid.UUID) -> list[SupplierItem]:
    statement = select(SupplierItem).where(
        SupplierItem.item_id == item_id, SupplierItem.preferred.is_(True), SupplierItem.id != keep
    )
    found = list((await session.execute(statement)).scalars())
    for other in found:
        other.preferred = False
    await session.flush()
    return found


async def open_replenishment(
    session: AsyncSession, supplier_id: uuid.UUID, location_id: uuid.UUID
) -> PurchaseOrder | None:
    """The supplier's open replenishment draft for the location, locked."""
    statement = (
        select(PurchaseOrder)
        .where(
            PurchaseOrder.supplier_id == supplier_id,
            PurchaseOrder.location_id == location_id,
            PurchaseOrder.replenishment.is_(True),
            PurchaseOrder.status == "DRAFT",
        )
        .with_for_update(key_share=True)
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def lines(session: AsyncSession, order_id: uuid.UUID, *, lock: bool = False) -> list[PurchaseOrderLine]:
    statement = (
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == order_id)
        .order_by(PurchaseOrderLine.position)
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return list((await session.execute(statement)).scalars())


async def line(session: AsyncSession, line_id: uuid.UUID, *, lock: bool = False) -> PurchaseOrderLine | None:
    statement = select(PurchaseOrderLine).where(PurchaseOrderLine.id == line_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def line_of_crossing(session: AsyncSession, crossing_id: uuid.UUID) -> PurchaseOrderLine | None:
    statement = select(PurchaseOrderLine).where(PurchaseOrderLine.crossing_id == crossing_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def add_crossing_line(session: AsyncSession, values: dict[str, object]) -> None:
    """Inserts a reorder's line unless its crossing has one already (the unique index on `crossing_id`)."""
    await session.execute(
        pg_insert(PurchaseOrderLine)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["organization_id", "crossing_id"], index_where=PurchaseOrderLine.crossing_id.isnot(None)
        )
    )


async def next_position(session: AsyncSession, order_id: uuid.UUID) -> int:
    """The caller holds the order's row lock: lines are numbered one at a time."""
    last = await session.scalar(
        select(func.max(PurchaseOrderLine.position)).where(PurchaseOrderLine.purchase_order_id == order_id)
    )
    return int(last or 0) + 1


async def history(session: AsyncSession, order_id: uuid.UUID) -> list[PurchaseOrderStatusChange]:
    statement = (
        select(PurchaseOrderStatusChange)
        .where(PurchaseOrderStatusChange.purchase_order_id == order_id)
        .order_by(PurchaseOrderStatusChange.created_at, PurchaseOrderStatusChange.id)
    )
    return list((await session.execute(statement)).scalars())


async def receipts(session: AsyncSession, order_id: uuid.UUID) -> list[tuple[Receipt, list[ReceiptLine]]]:
    """The order's receipts with their lines, oldest first."""
    found = list(
        (
            await session.execute(
                select(Receipt).where(Receipt.purchase_order_id == order_id).order_by(Receipt.created_at, Receipt.id)
            )
        ).scalars()
    )
    if not found:
        return []
    statement = (
        select(ReceiptLine)
        .where(ReceiptLine.receipt_id.in_([r.id for r in found]))
        .order_by(ReceiptLine.created_at, ReceiptLine.id)
    )
    by_receipt: dict[uuid.UUID, list[ReceiptLine]] = {r.id: [] for r in found}
    for row in (await session.execute(statement)).scalars():
        by_receipt[row.receipt_id].append(row)
    return [(r, by_receipt[r.id]) for r in found]


async def has_receipts(session: AsyncSession, order_id: uuid.UUID) -> bool:
    found = await session.scalar(select(Receipt.id).where(Receipt.purchase_order_id == order_id).limit(1))
    return found is not None


async def reorder_of(session: AsyncSession, crossing_id: uuid.UUID, *, lock: bool = False) -> Reorder | None:
    statement = select(Reorder).where(Reorder.crossing_id == crossing_id)
    if lock:
        statement = statement.with_for_update(key_share=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def add_reorder(session: AsyncSession, values: dict[str, object]) -> None:
    """Records a crossing once (the unique index on `crossing_id`: a hook called twice adds nothing)."""
    await session.execute(
        pg_insert(Reorder).values(**values).on_conflict_do_nothing(index_elements=["organization_id", "crossing_id"])
    )


async def any_supplier(session: AsyncSession) -> bool:
    return (await session.scalar(select(Supplier.id).limit(1))) is not None
