"""Usage on a job visit: the quantity leaves the technician's active truck (a USAGE movement at the item's average
cost) and its cost is posted to the job (one job-cost row per usage), in the caller's transaction; refused without
changing anything when the truck has too little (INSUFFICIENT_STOCK) or the serial numbers are not on it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from hestami.contractor.inventory import kinds, repository, rules
from hestami.contractor.inventory.errors import InventoryReason, rule
from hestami.contractor.inventory.refs import StockUse
from hestami.contractor.inventory.schemas import JobCostOut, JobCostsOut
from hestami.contractor.inventory.services import access, stock
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook.pricing import cents
from hestami.core import records
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")


async def use_on_visit(
    ctx: RequestContext, *, job_id: uuid.UUID, visit_id: uuid.UUID, technician_id: uuid.UUID, code: str,
    quantity: Decimal, lot_number: str | None = None, serial_numbers: Sequence[str] = (),
    material_entry_id: uuid.UUID | None = None,
) -> StockUse | None:  # fmt: skip
    await access.require_contractor(ctx)
    item = await repository.item_by_code(ctx.session, code)
    if item is None or not item.active:
        return None
    truck = await repository.truck_of(ctx.session, technician_id)
    if truck is None:
        raise rule(InventoryReason.NO_TRUCK, f"{code} is stocked, and the technician has no active truck to take it "
                   "from.", item_code=code, technician_id=str(technician_id))  # fmt: skip
    if ctx.principal is not None:
        await records.authorize_record(ctx, kinds.LOCATION, truck, "use")
    rules.check_tracking(item.tracking, item.code, quantity, lot_number, serial_numbers)
    move = stock.Move(
        item, truck, "USAGE", -quantity, item.average_cost, lot_number, tuple(serial_numbers), job_id=job_id,
        visit_id=visit_id, material_entry_id=material_entry_id,
    )  # fmt: skip
    moved = await stock.apply(ctx, move)
    await repository.add_job_cost(ctx.session, {
        "organization_id": ctx.require_org(), "job_id": job_id, "visit_id": visit_id, "movement_id": moved.id,
        "item_id": item.id, "code": item.code, "quantity": quantity, "unit_cost": item.average_cost,
        "amount": cents(quantity * item.average_cost), "material_entry_id": material_entry_id,
    })  # fmt: skip
    return StockUse(moved.id, item.id, item.code, truck.id, quantity, item.average_cost, moved.on_hand_after)


async def job_costs(ctx: RequestContext, job_id: uuid.UUID) -> JobCostsOut:
    """The job's material costs from stock, oldest first, with their total."""
    job = await jobs.load_job(ctx, job_id)
    await records.authorize_new(ctx, kinds.JOB_COST, "view")
    found = await repository.job_costs(ctx.session, job.id)
    items = [records.output(JobCostOut, c) for c in found]
    return JobCostsOut(job_id=job.id, items=items, total=sum((c.amount for c in found), ZERO))
