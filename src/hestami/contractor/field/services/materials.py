"""Materials used on a visit: a pricebook item of the ACTIVE version (UNKNOWN_ITEM otherwise) and a quantity, its
code, name and unit kept as they were. `use` is the one entry point: a stocked item is taken from the assigned
technician's truck through the inventory (issue 24) in the same transaction, and the entry keeps the usage's
movement and unit cost; when the inventory refuses (INSUFFICIENT_STOCK, NO_TRUCK, a lot or serial number rule)
nothing is recorded. An item the organization does not stock is recorded as before."""

from __future__ import annotations

import uuid

from hestami.contractor.field import kinds, repository
from hestami.contractor.field.errors import FieldReason, rule
from hestami.contractor.field.models import MaterialEntry
from hestami.contractor.field.schemas import MaterialOut, MaterialPayload, MaterialsOut, OfJob
from hestami.contractor.field.services import worksite
from hestami.contractor.field.services.worksite import Worksite
from hestami.contractor.inventory import api as inventory
from hestami.contractor.pricebook import api as pricebook
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.ids import new_id


async def use(ctx: RequestContext, site: Worksite, data: MaterialPayload) -> MaterialEntry:
    """Records the use of an item on the visit, taken from the assigned technician's truck when it is stocked."""
    item = (await pricebook.items_of_codes(ctx, [data.code])).get(data.code)
    if item is None:
        raise rule(FieldReason.UNKNOWN_ITEM, f"No item {data.code} in the active pricebook.", item_code=data.code)
    entry_id = new_id()
    taken = await inventory.use_on_visit(
        ctx, job_id=site.job.id, visit_id=site.visit.id, technician_id=site.assignment.technician_id, code=item.code,
        quantity=data.quantity, lot_number=data.lot_number, serial_numbers=data.serial_numbers,
        material_entry_id=entry_id,
    )  # fmt: skip
    entry = MaterialEntry(
        id=entry_id, job_id=site.job.id, visit_id=site.visit.id, code=item.code, name=item.name, unit=item.unit,
        quantity=data.quantity, item_id=item.id, version_id=item.version_id, recorded_by=ctx.user_id,
        movement_id=taken.movement_id if taken else None, unit_cost=taken.unit_cost if taken else None,
        lot_number=data.lot_number, serial_numbers=list(data.serial_numbers),
    )  # fmt: skip
    return await records.insert(ctx, kinds.MATERIAL, entry)


async def record(
    ctx: RequestContext, visit_id: uuid.UUID, data: MaterialPayload, job_id: uuid.UUID | None = None
) -> MaterialOut:
    site = await worksite.for_recording(ctx, visit_id, job_id)
    return records.output(MaterialOut, await use(ctx, site, data))


async def list_materials(ctx: RequestContext, data: OfJob) -> MaterialsOut:
    job = await worksite.for_reading(ctx, data.job_id, data.visit_id)
    found = await repository.materials(ctx.session, job.id, data.visit_id)
    return MaterialsOut(items=[records.output(MaterialOut, m) for m in found])
