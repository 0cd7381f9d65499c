"""The demo's procurement (`demo_data.py`), through procurement's own services as Evergreen's manager: three suppliers
with their items (each item's preferred supplier), a purchase order sent and partly received into the Austin North
warehouse, one received and closed; then, as Terry Tech, a flapper kit recorded on one of his open visits through
the field's procedure (`fieldTech/v1/recordMaterial`, found in the procedure registry: the field is procurement's
sibling, not a domain it imports), which takes his truck to its reorder point; the seeder waits (bounded) for
`inventory_workflow_v1` to draft the kit's line. Runs after the inventory (order 53); not again once Evergreen has
a supplier."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from hestami.contractor.dispatch import api as dispatch
from hestami.contractor.dispatch import rules as dispatch_rules
from hestami.contractor.dispatch.demo_data import ZONE, demo_day
from hestami.contractor.inventory import api as inventory
from hestami.contractor.inventory import procedures as inventory_procedures
from hestami.contractor.inventory.schemas import ListLocations
from hestami.contractor.job import api as jobs
from hestami.contractor.procurement import repository
from hestami.contractor.procurement.demo_data import (
    CLOSED_ORDER,
    EVERGREEN,
    PARTLY_RECEIVED,
    REORDER_DEMO_CODE,
    REORDER_DEMO_TECH_LOGIN,
    REORDER_DEMO_TRUCK,
    REORDER_WAIT_SECONDS,
    SUPPLIERS,
    DemoOrder,
)
from hestami.contractor.procurement.schemas import (
    ClosePurchaseOrder,
    CreatePurchaseOrder,
    CreateSupplier,
    LineIn,
    ListReorders,
    Receive,
    ReceiveLineIn,
    SendPurchaseOrder,
    SetSupplierItem,
)
from hestami.contractor.procurement.services import orders, receiving, replenishment, suppliers
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

OPEN_JOBS = frozenset({"SCHEDULED", "DISPATCHED", "IN_PROGRESS"})
RECORD_MATERIAL = "fieldTech/v1/recordMaterial"


async def _locations(ctx: RequestContext) -> dict[str, uuid.UUID]:
    found: dict[str, uuid.UUID] = {}
    cursor = None
    while True:
        page = await inventory_procedures.list_locations(ctx, ListLocations(limit=200, cursor=cursor))
        found.update({x.name: x.id for x in page.items})
        if page.next_cursor is None:
            return found
        cursor = page.next_cursor


async def _suppliers(ctx: RequestContext) -> tuple[dict[str, uuid.UUID], int]:
    made, offered = {}, 0
    for spec in SUPPLIERS:
        supplier = await suppliers.create(ctx, CreateSupplier(
            name=spec.name, contact_name=spec.contact_name, email=spec.email, phone=spec.phone,
            terms_days=spec.terms_days, lead_time_days=spec.lead_time_days, vendor_reference=spec.vendor_reference,
        ))  # fmt: skip
        made[spec.name] = supplier.id
        for code, cost, preferred in spec.items:
            item = await inventory.item_of_code(ctx, code)
            if item is not None:
                await suppliers.set_item(ctx, SetSupplierItem(
                    supplier_id=supplier.id, item_id=item.id, cost=Decimal(cost), preferred=preferred,
                    supplier_part_number=f"{spec.vendor_reference.split('-')[0]}-{code}",
                ))  # fmt: skip
                offered += 1
    return made, offered


async def _order(ctx: RequestContext, spec: DemoOrder, supplier_id: uuid.UUID, location_id: uuid.UUID) -> str:
    items = {code: await inventory.item_of_code(ctx, code) for code, _, _ in spec.lines}
    lines = [LineIn(item_id=item.id, quantity=q) for (code, q, _), item in zip(spec.lines, items.values(), strict=True)
             if item is not None]  # fmt: skip
    made = await orders.create(ctx, CreatePurchaseOrder(supplier_id=supplier_id, location_id=location_id, lines=lines))
    ordered_on = date.today() - timedelta(days=spec.ordered_days_ago)
    sent = await orders.send(ctx, SendPurchaseOrder(id=made.id, ordered_on=ordered_on))
    received = {line.item_code: line.id for line in sent.lines}
    wanted = [ReceiveLineIn(line_id=received[code], quantity=got) for code, _, got in spec.lines if code in received]
    done = await receiving.receive(ctx, Receive(purchase_order_id=made.id, received_on=ordered_on + timedelta(days=3),
                                                reference=f"Packing slip {sent.number}", lines=wanted))  # fmt: skip
    status = done.purchase_order.status
    if spec.close:
        status = (await orders.close(ctx, ClosePurchaseOrder(id=made.id))).status
    return f"  {sent.number} {spec.supplier}: {sent.total} into {spec.warehouse}, {status}"


async def _open_visit(ctx: RequestContext, technician_user: uuid.UUID) -> uuid.UUID | None:
    """One of the technician's visits of the dispatch day, assigned, its job open."""
    starts, ends = dispatch_rules.day_bounds(demo_day(datetime.now(ZONE).date()), ZONE.key)
    for visit in await jobs.visits_on(ctx, starts, ends):
        if visit.job_status not in OPEN_JOBS:
            continue
        assignment = await dispatch.assignment_of_visit(ctx, visit.id)
        if assignment is not None and (assignment.status, assignment.technician_user_id) == (
            "ASSIGNED",
            technician_user,
        ):
            return visit.id
    return None


async def _reorder_from_visit(cast: DemoCast, keeper: str, truck: uuid.UUID | None) -> str:
    tech = REORDER_DEMO_TECH_LOGIN
    if tech not in cast.users or truck is None:
        return f"  no {tech}@ login or no {REORDER_DEMO_TRUCK}: no reorder from a visit"
    async with cast.acting(keeper, EVERGREEN) as ctx:
        visit_id = await _open_visit(ctx, cast.users[tech])
    if visit_id is None:
        return f"  {tech}@ has no open visit on the dispatch day: no reorder from a visit"
    procedure = cast.runtime.registry.get(RECORD_MATERIAL)
    assert procedure is not None
    try:
        async with cast.acting(tech, EVERGREEN) as ctx:
            data = procedure.input_model.model_validate({"visit_id": visit_id, "code": REORDER_DEMO_CODE,
                                                         "quantity": "1"})  # fmt: skip
            await procedure.handler(ctx, data)
    except HestamiError as refused:
        return f"  {tech}@ could not use a {REORDER_DEMO_CODE} on a visit ({refused.message}): no reorder"
    return await _drafted(cast, keeper, tech, truck)


async def _drafted(cast: DemoCast, keeper: str, tech: str, truck: uuid.UUID) -> str:
    deadline = time.monotonic() + REORDER_WAIT_SECONDS
    while time.monotonic() < deadline:
        async with cast.acting(keeper, EVERGREEN) as ctx:
            wanted = ListReorders(status="DRAFTED", location_id=truck, limit=200)
            found = await replenishment.list_reorders(ctx, wanted)
            kit = next((x for x in found.items if x.item_code == REORDER_DEMO_CODE), None)
            if kit is not None and kit.purchase_order_id is not None:
                order = await orders.get(ctx, kit.purchase_order_id)
                return (f"  {tech}@ used a {REORDER_DEMO_CODE} on a visit: {REORDER_DEMO_TRUCK} reached its reorder "
                        f"point; {order.number} to its supplier (DRAFT, replenishment) has the line")  # fmt: skip
        await asyncio.sleep(0.25)
    return f"  {tech}@ used a {REORDER_DEMO_CODE}; no line drafted after {REORDER_WAIT_SECONDS:.0f}s"


@demo_seed("procurement", order=54)
async def seed_procurement(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or EVERGREEN not in cast.orgs:
        return ["demo procurement: skipped, Evergreen Plumbing & HVAC is missing"]
    keeper = await cast.keeper(EVERGREEN)
    async with cast.acting(keeper, EVERGREEN) as ctx:
        try:
            await profile.require_contractor(ctx)
        except HestamiError:
            return ["demo procurement: skipped, Evergreen Plumbing & HVAC has no contractor profile"]
        if await repository.any_supplier(ctx.session):
            return ["demo procurement (Evergreen Plumbing & HVAC): already loaded"]
        places = await _locations(ctx)
        if any(spec.warehouse not in places for spec in (PARTLY_RECEIVED, CLOSED_ORDER)):
            return ["demo procurement: skipped, the inventory demo's warehouses are missing"]
        made, offered = await _suppliers(ctx)
    lines = [f"demo procurement (Evergreen Plumbing & HVAC): {len(made)} suppliers, {offered} supplier items"]
    for spec in (CLOSED_ORDER, PARTLY_RECEIVED):
        async with cast.acting(keeper, EVERGREEN) as ctx:
            lines.append(await _order(ctx, spec, made[spec.supplier], places[spec.warehouse]))
    lines.append(await _reorder_from_visit(cast, keeper, places.get(REORDER_DEMO_TRUCK)))
    return lines
