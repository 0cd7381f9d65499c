"""Inventory (issue 24, P2.8): `inventory/v1/*`. Stocked items, locations (warehouses, technicians' trucks, branch
shelves), levels kept with a ledger of movements (receipts, usage on job visits, transfers, adjustments), reorder
points and the job costs of usage.

Only a contractor on the platform keeps inventory (any other organization: BUSINESS_RULE_VIOLATION,
NOT_A_CONTRACTOR). Its ADMIN and MANAGER members manage everything; its DISPATCHER members read and move stock
between locations (transfers); a TECHNICIAN reads the items and their own truck (its levels and movements); VENDOR
members read items and locations. Another organization's item, location or transfer is NOT_FOUND, like a random id.
Stock never goes below zero, also under concurrent usage: a refused take changes nothing."""

from __future__ import annotations

from hestami.contractor.inventory.schemas import (
    Adjust,
    AssignTruck,
    ById,
    ByJob,
    CreateItem,
    CreateLocation,
    CreateTransfer,
    ItemOut,
    JobCostsOut,
    LevelsOut,
    ListItems,
    ListLevels,
    ListLocations,
    ListMovements,
    ListReorderPoints,
    ListTransfers,
    LocationOut,
    MovementOut,
    OnHand,
    OnHandOut,
    Receive,
    ReorderPointOut,
    ReorderPointsOut,
    SetReorderPoint,
    TransferOut,
    UpdateItem,
    UpdateLocation,
)
from hestami.contractor.inventory.services import items, ledger, locations, reorder, transfers, usage
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

inventory = ProcedureRouter("inventory", tags=("inventory",))
ROUTERS: tuple[ProcedureRouter, ...] = (inventory,)


# --- items ---------------------------------------------------------------------------------------------------------


@inventory.mutation("createItem")
async def create_item(ctx: RequestContext, data: CreateItem) -> ItemOut:
    """Stock a MATERIAL or EQUIPMENT item of the ACTIVE pricebook version by its `code` (NOT_IN_PRICEBOOK,
    NOT_STOCKABLE; NO_ACTIVE_VERSION without one), once per code (CONFLICT, ALREADY_STOCKED). `tracking`: NONE
    (default), LOT (every movement names its lot) or SERIAL (one serial number per unit). Its average cost starts at
    the pricebook's cost (ADMIN, MANAGER)."""
    return await items.create(ctx, data)


@inventory.mutation("updateItem")
async def update_item(ctx: RequestContext, data: UpdateItem) -> ItemOut:
    """Change an item's `tracking` (only while none of it is held: HAS_STOCK) or `active` (an inactive item is not
    received, moved or used from stock any more) (ADMIN, MANAGER)."""
    return await items.update(ctx, data)


@inventory.query("getItem")
async def get_item(ctx: RequestContext, data: ById) -> ItemOut:
    """One stocked item with its average cost."""
    return await items.get(ctx, data.id)


@inventory.query("listItems")
async def list_items(ctx: RequestContext, data: ListItems) -> Page[ItemOut]:
    """The stocked items, oldest first, filtered by `active` or `tracking`."""
    return await items.list_items(ctx, data)


# --- locations -----------------------------------------------------------------------------------------------------


@inventory.mutation("createLocation")
async def create_location(ctx: RequestContext, data: CreateLocation) -> LocationOut:
    """A WAREHOUSE, TRUCK or SHELF, its `name` unique in the organization (any case: CONFLICT, NAME_TAKEN), of a
    `branch_id` optionally; a TRUCK may be given its technician at once (`technician_id`, see `assignTruck`)
    (ADMIN, MANAGER)."""
    return await locations.create(ctx, data)


@inventory.mutation("updateLocation")
async def update_location(ctx: RequestContext, data: UpdateLocation) -> LocationOut:
    """Rename a location, move it to a branch, or deactivate it (`active: false`) once nothing is there or on the way
    from or to it (LOCATION_NOT_EMPTY) (ADMIN, MANAGER)."""
    return await locations.update(ctx, data)


@inventory.mutation("assignTruck")
async def assign_truck(ctx: RequestContext, data: AssignTruck) -> LocationOut:
    """Give a TRUCK (NOT_A_TRUCK) to an ACTIVE technician (TECHNICIAN_INACTIVE) who drives no other active truck
    (CONFLICT, TRUCK_TAKEN), or take it off its driver (`technician_id: null`); usage on the technician's visits
    comes from it (ADMIN, MANAGER)."""
    return await locations.assign(ctx, data)


@inventory.query("getLocation")
async def get_location(ctx: RequestContext, data: ById) -> LocationOut:
    """One location (a technician sees their own truck only)."""
    return await locations.get(ctx, data.id)


@inventory.query("listLocations")
async def list_locations(ctx: RequestContext, data: ListLocations) -> Page[LocationOut]:
    """The locations the caller may view, oldest first, filtered by `kind`, `active` or `branch_id`."""
    return await locations.list_locations(ctx, data)


# --- stock ---------------------------------------------------------------------------------------------------------


@inventory.query("levels")
async def levels(ctx: RequestContext, data: ListLevels) -> LevelsOut:
    """What is on hand at a location (`location_id`) or of an item (`item_id`) at every location the caller may
    view, per lot, with the serial numbers there; by location name and item code."""
    return await ledger.levels(ctx, data)


@inventory.query("onHand")
async def on_hand(ctx: RequestContext, data: OnHand) -> OnHandOut:
    """What was on hand at `as_of` (default now) per item, location and lot: the sum of the movements up to then
    (it equals the levels for now). Filtered by `location_id` or `item_id`."""
    return await ledger.on_hand(ctx, data)


@inventory.query("listMovements")
async def list_movements(ctx: RequestContext, data: ListMovements) -> Page[MovementOut]:
    """The ledger of the locations the caller may view, oldest first: RECEIPT, USAGE, TRANSFER_OUT, TRANSFER_IN and
    ADJUSTMENT rows with their signed quantity, unit cost, lot, serial numbers, who and when, and what they came
    from (a transfer, a job visit). Filtered by `location_id`, `item_id`, `kind` or `job_id`."""
    return await ledger.movements(ctx, data)


@inventory.mutation("receive")
async def receive(ctx: RequestContext, data: Receive) -> MovementOut:
    """Stock received at a location without a purchase order (an opening count, a supplier's delivery): a RECEIPT of
    `quantity` at `unit_cost`; the item's average cost becomes (held * average + quantity * unit cost) / (held +
    quantity), in cents, where held is what the organization holds of it (on hand and in transit). A LOT item names
    its lot (LOT_REQUIRED), a SERIAL item one new serial number per unit (SERIALS_REQUIRED, SERIAL_IN_STOCK)
    (ADMIN, MANAGER)."""
    return await ledger.record_receipt(ctx, data)


@inventory.mutation("adjust")
async def adjust(ctx: RequestContext, data: Adjust) -> MovementOut:
    """Correct a level with a `reason` (DAMAGED, LOST, FOUND, COUNT, RETURN, OTHER): a signed `quantity` at the
    item's average cost; taking more than is there is refused (INSUFFICIENT_STOCK) and changes nothing (ADMIN,
    MANAGER)."""
    return await ledger.adjust(ctx, data)


# --- transfers -----------------------------------------------------------------------------------------------------


@inventory.mutation("createTransfer")
async def create_transfer(ctx: RequestContext, data: CreateTransfer) -> TransferOut:
    """Send stock from one location to another (a warehouse restocking a truck): the transfer is IN_TRANSIT and the
    `lines` leave the source at once (TRANSFER_OUT at the average cost; INSUFFICIENT_STOCK refuses the whole
    transfer). One line per item and lot (DUPLICATE_LINE) (ADMIN, MANAGER, DISPATCHER)."""
    return await transfers.create(ctx, data)


@inventory.mutation("receiveTransfer")
async def receive_transfer(ctx: RequestContext, data: ById) -> TransferOut:
    """IN_TRANSIT → RECEIVED: the lines come in at the destination (TRANSFER_IN), once (ADMIN, MANAGER,
    DISPATCHER)."""
    return await transfers.receive(ctx, data.id)


@inventory.mutation("cancelTransfer")
async def cancel_transfer(ctx: RequestContext, data: ById) -> TransferOut:
    """IN_TRANSIT → CANCELLED: the lines come back in at the source (ADMIN, MANAGER, DISPATCHER)."""
    return await transfers.cancel(ctx, data.id)


@inventory.query("getTransfer")
async def get_transfer(ctx: RequestContext, data: ById) -> TransferOut:
    """One transfer with its lines."""
    return await transfers.get(ctx, data.id)


@inventory.query("listTransfers")
async def list_transfers(ctx: RequestContext, data: ListTransfers) -> Page[TransferOut]:
    """The transfers, oldest first, filtered by `status` (IN_TRANSIT: what is on the way) or a `location_id` they
    leave or reach."""
    return await transfers.list_transfers(ctx, data)


# --- reorder points and job costs ----------------------------------------------------------------------------------


@inventory.mutation("setReorderPoint")
async def set_reorder_point(ctx: RequestContext, data: SetReorderPoint) -> ReorderPointOut:
    """The item's reorder point at a location (replacing any): when a movement takes the stock there (all lots) from
    above `reorder_point` to it or below, one crossing is recorded and procurement is told (it drafts the
    replenishment of `reorder_quantity`, or up to `max_level`); the next crossing needs the stock above the point
    again first (ADMIN, MANAGER)."""
    return await reorder.set_point(ctx, data)


@inventory.query("listReorderPoints")
async def list_reorder_points(ctx: RequestContext, data: ListReorderPoints) -> ReorderPointsOut:
    """The reorder points of the locations the caller may view with the stock there now, by location and code."""
    return await reorder.list_points(ctx, data)


@inventory.query("listBelowReorder")
async def list_below_reorder(ctx: RequestContext, data: ListReorderPoints) -> ReorderPointsOut:
    """The reorder points whose stock is at or below the point now."""
    return await reorder.list_points(ctx, data, below=True)


@inventory.query("jobCosts")
async def job_costs(ctx: RequestContext, data: ByJob) -> JobCostsOut:
    """The job's material costs taken from stock (one row per usage: quantity times the average cost when used) and
    their total (ADMIN, MANAGER)."""
    return await usage.job_costs(ctx, data.job_id)
