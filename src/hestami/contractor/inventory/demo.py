"""The demo's inventory (`demo_data.py`), through the inventory's own services as Evergreen's admin: its stocked items
from the active pricebook, two warehouses of its Austin North and Austin South branches stocked by opening receipts,
a truck for each of tech1@ .. tech6@ loaded from their branch's warehouse by transfers (received), reorder points on
both warehouses and every truck; Terry Tech's truck holds one flapper kit more than its point, for the procurement
demo's visit. Runs after the technicians and pricebook (and the field work, whose materials were not stocked yet);
not again once Evergreen has its first warehouse."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hestami.contractor.inventory import repository
from hestami.contractor.inventory.demo_data import (
    EVERGREEN,
    ITEMS,
    OPENING,
    R410A_PER_TRUCK,
    REORDER_DEMO_CODE,
    REORDER_DEMO_LOAD,
    REORDER_DEMO_TECH_LOGIN,
    TRUCK_LOAD,
    TRUCK_POINTS,
    WAREHOUSE_POINTS,
    WAREHOUSES,
    DemoPoint,
    truck_name,
)
from hestami.contractor.inventory.schemas import (
    CreateItem,
    CreateLocation,
    CreateTransfer,
    Receive,
    SetReorderPoint,
    TransferLineIn,
)
from hestami.contractor.inventory.services import items, ledger, locations, reorder, transfers
from hestami.contractor.profile import api as profile
from hestami.contractor.technician import api as technicians
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

HEADER = "demo inventory (Evergreen Plumbing & HVAC):"
TECH_LOGINS = ("tech1", "tech2", "tech3", "tech4", "tech5", "tech6")


async def _points(ctx: RequestContext, location_id: uuid.UUID, ids: dict[str, uuid.UUID], points: tuple[DemoPoint,
                  ...]) -> None:  # fmt: skip
    for p in points:
        await reorder.set_point(ctx, SetReorderPoint(
            item_id=ids[p.code], location_id=location_id, reorder_point=p.reorder_point,
            reorder_quantity=p.reorder_quantity, max_level=p.max_level,
        ))  # fmt: skip


async def _warehouses(ctx: RequestContext, ids: dict[str, uuid.UUID]) -> dict[str, uuid.UUID]:
    """Each warehouse (of its branch when it exists) with its opening receipts; by branch name."""
    by_branch = {}
    for house in WAREHOUSES:
        branch = await profile.branch_named(ctx, house.branch)
        made = await locations.create(ctx, CreateLocation(name=house.name, kind="WAREHOUSE",
                                                          branch_id=branch.id if branch else None))  # fmt: skip
        for code, quantity, cost, lot, serials in house.receipts:
            await ledger.record_receipt(ctx, Receive(
                location_id=made.id, item_id=ids[code], quantity=Decimal(quantity), unit_cost=Decimal(cost),
                reference=OPENING, lot_number=lot, serial_numbers=list(serials),
            ))  # fmt: skip
        await _points(ctx, made.id, ids, WAREHOUSE_POINTS)
        by_branch[house.branch] = made.id
    return by_branch


async def _truck(ctx: RequestContext, number: int, tech: technicians.Rostered, warehouses: dict[str, uuid.UUID],
                 ids: dict[str, uuid.UUID], login: str) -> str:  # fmt: skip
    """The technician's truck, loaded from their branch's warehouse (the first one without a branch)."""
    name = truck_name(number, tech.display_name)
    truck = await locations.create(ctx, CreateLocation(name=name, kind="TRUCK", branch_id=tech.branch_id,
                                                       technician_id=tech.id))  # fmt: skip
    branch = (await profile.load_branch(ctx, tech.branch_id)).name if tech.branch_id else ""
    branch = branch if branch in warehouses else next(iter(warehouses))
    kits = REORDER_DEMO_LOAD if login == REORDER_DEMO_TECH_LOGIN else dict(TRUCK_LOAD)[REORDER_DEMO_CODE]
    load = [TransferLineIn(item_id=ids[c], quantity=Decimal(kits if c == REORDER_DEMO_CODE else q))
            for c, q in TRUCK_LOAD]  # fmt: skip
    receipts = next(h.receipts for h in WAREHOUSES if h.branch == branch)
    lot = next(r[3] for r in receipts if r[0] == "HVAC-R410A")
    load.append(TransferLineIn(item_id=ids["HVAC-R410A"], quantity=Decimal(R410A_PER_TRUCK), lot_number=lot))
    sent = await transfers.create(ctx, CreateTransfer(from_location_id=warehouses[branch], to_location_id=truck.id,
                                                      lines=load))  # fmt: skip
    await transfers.receive(ctx, sent.id)
    await _points(ctx, truck.id, ids, TRUCK_POINTS)
    return f"  {name}: {len(load)} items from the {branch} warehouse"


async def _items(ctx: RequestContext) -> dict[str, uuid.UUID]:
    ids = {}
    for spec in ITEMS:
        existing = await repository.item_by_code(ctx.session, spec.code)
        if existing is None:
            ids[spec.code] = (await items.create(ctx, CreateItem(code=spec.code, tracking=spec.tracking))).id
        else:
            ids[spec.code] = existing.id
    return ids


async def _seed(cast: DemoCast, keeper: str) -> list[str]:
    async with cast.acting(keeper, EVERGREEN) as ctx:
        if await repository.location_named(ctx.session, WAREHOUSES[0].name) is not None:
            return [f"{HEADER} already loaded"]
        ids = await _items(ctx)
        warehouses = await _warehouses(ctx, ids)
        lines = [HEADER, f"  {len(ids)} stocked items; {', '.join(h.name for h in WAREHOUSES)} stocked"]
        crew = {t.user_id: t for t in await technicians.roster(ctx)}
        for number, login in enumerate(TECH_LOGINS, start=1):
            tech = crew.get(cast.users[login]) if login in cast.users else None
            if tech is None:
                lines.append(f"  {login}@: not a technician of Evergreen, no truck")
                continue
            lines.append(await _truck(ctx, number, tech, warehouses, ids, login))
    return lines


@demo_seed("inventory", order=53)
async def seed_inventory(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or EVERGREEN not in cast.orgs:
        return [f"{HEADER} skipped, Evergreen Plumbing & HVAC is missing"]
    keeper = await cast.keeper(EVERGREEN)
    try:
        return await _seed(cast, keeper)
    except HestamiError as exc:
        return [f"{HEADER} not loaded: {exc.message}"]
