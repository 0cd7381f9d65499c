"""Procurement (issue 24, P2.8): suppliers, purchase orders, receipts, and replenishment from reorder points
(`inventory_workflow_v1`): `procurement/v1/*`.

Only a contractor on the platform buys stock (any other organization: BUSINESS_RULE_VIOLATION, NOT_A_CONTRACTOR).
Its ADMIN and MANAGER members keep suppliers and purchase orders; its DISPATCHER members read them and receive
deliveries; its VENDOR members (the office staff) read them; technicians see none. Another organization's
supplier, purchase order, line, item or location is NOT_FOUND exactly like a random id."""

from __future__ import annotations

from hestami.contractor.procurement import workflows as workflows  # inventory_workflow_v1; its hook registers
from hestami.contractor.procurement.schemas import (
    AddLine,
    ById,
    ByPurchaseOrder,
    CancelPurchaseOrder,
    ClosePurchaseOrder,
    CreatePurchaseOrder,
    CreateSupplier,
    ListPurchaseOrders,
    ListReorders,
    ListSupplierItems,
    ListSuppliers,
    PurchaseOrderDetailOut,
    PurchaseOrderOut,
    ReceiptsOut,
    Receive,
    ReceiveOut,
    ReorderOut,
    SendPurchaseOrder,
    SetSupplierItem,
    SupplierItemOut,
    SupplierItemsOut,
    SupplierOut,
    UpdateLine,
    UpdateSupplier,
)
from hestami.contractor.procurement.services import orders, receiving, replenishment, suppliers
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

procurement = ProcedureRouter("procurement", tags=("procurement",))
ROUTERS: tuple[ProcedureRouter, ...] = (procurement,)


@procurement.mutation("createSupplier")
async def create_supplier(ctx: RequestContext, data: CreateSupplier) -> SupplierOut:
    """A supplier (ADMIN, MANAGER): its name unique in your organization, any case (CONFLICT, SUPPLIER_NAME_TAKEN),
    contact, payment terms (`terms_days`, net), lead time (`lead_time_days`: a sent order's `expected_on`;
    PROCUREMENT_DEFAULT_LEAD_DAYS when null), and optionally how your books know it: `vendor_reference`, and
    `vendor_organization_id` when the supplier is on the platform (a SERVICE_PROVIDER organization; any other id is
    NOT_FOUND)."""
    return await suppliers.create(ctx, data)


@procurement.mutation("updateSupplier")
async def update_supplier(ctx: RequestContext, data: UpdateSupplier) -> SupplierOut:
    """Change a supplier (only the fields sent; a null clears an optional one); `active: false` retires it (no new
    orders, not chosen for replenishment)."""
    return await suppliers.update(ctx, data)


@procurement.query("getSupplier")
async def get_supplier(ctx: RequestContext, data: ById) -> SupplierOut:
    """One supplier."""
    return await suppliers.get(ctx, data.id)


@procurement.query("listSuppliers")
async def list_suppliers(ctx: RequestContext, data: ListSuppliers) -> Page[SupplierOut]:
    """The suppliers, oldest first, optionally only the `active` (or retired) ones."""
    return await suppliers.list_suppliers(ctx, data)


@procurement.mutation("setSupplierItem")
async def set_supplier_item(ctx: RequestContext, data: SetSupplierItem) -> SupplierItemOut:
    """What the supplier sells of an inventory item (`item_id`), at `cost`, with its part number: added, or changed
    when the supplier has it already. `preferred: true` makes the supplier the item's preferred one (the item's
    other supplier loses it): the one `inventory_workflow_v1` orders from."""
    return await suppliers.set_item(ctx, data)


@procurement.query("listSupplierItems")
async def list_supplier_items(ctx: RequestContext, data: ListSupplierItems) -> SupplierItemsOut:
    """A supplier's items (`supplier_id`), or an item's suppliers (`item_id`), by item code."""
    return await suppliers.list_items(ctx, data)


@procurement.mutation("createPurchaseOrder")
async def create_purchase_order(ctx: RequestContext, data: CreatePurchaseOrder) -> PurchaseOrderDetailOut:
    """A DRAFT purchase order (ADMIN, MANAGER) to an active supplier (SUPPLIER_INACTIVE), shipped to an active
    inventory location (LOCATION_INACTIVE), numbered PO-000001 per organization without gaps, with its first
    `lines`: inventory items with a quantity and a `unit_cost` (default: the supplier's cost for the item; without
    one, UNIT_COST_REQUIRED)."""
    return await orders.create(ctx, data)


@procurement.mutation("addLine")
async def add_line(ctx: RequestContext, data: AddLine) -> PurchaseOrderDetailOut:
    """A line on a DRAFT purchase order (NOT_EDITABLE once sent); the total follows."""
    return await orders.add_line(ctx, data)


@procurement.mutation("updateLine")
async def update_line(ctx: RequestContext, data: UpdateLine) -> PurchaseOrderDetailOut:
    """Change a DRAFT's line (`quantity`, `unit_cost`: only the fields sent); the totals follow."""
    return await orders.update_line(ctx, data)


@procurement.mutation("removeLine")
async def remove_line(ctx: RequestContext, data: ById) -> PurchaseOrderDetailOut:
    """Remove a DRAFT's line."""
    return await orders.remove_line(ctx, data.id)


@procurement.mutation("send")
async def send(ctx: RequestContext, data: SendPurchaseOrder) -> PurchaseOrderDetailOut:
    """DRAFT → SENT: ordered on `ordered_on` (default today), expected after the supplier's lead time. Refused
    without lines (EMPTY_ORDER) or to a retired supplier. The order as sent (its lines, part numbers and costs) is
    recorded to the supplier, once: an EMAIL to its address (MAIL to its name without one), in
    `notification/v1/list` with the order's id (template `procurement.purchase_order_sent`)."""
    return await orders.send(ctx, data)


@procurement.mutation("cancel")
async def cancel(ctx: RequestContext, data: CancelPurchaseOrder) -> PurchaseOrderDetailOut:
    """DRAFT or SENT (nothing received) → CANCELLED, with a `reason`."""
    return await orders.cancel(ctx, data)


@procurement.mutation("close")
async def close(ctx: RequestContext, data: ClosePurchaseOrder) -> PurchaseOrderDetailOut:
    """RECEIVED → CLOSED; a PARTIALLY_RECEIVED order may be closed short (the rest will not come)."""
    return await orders.close(ctx, data)


@procurement.query("getPurchaseOrder")
async def get_purchase_order(ctx: RequestContext, data: ById) -> PurchaseOrderDetailOut:
    """One purchase order with its lines (ordered and received) and its status history (who moved it)."""
    return await orders.get(ctx, data.id)


@procurement.query("listPurchaseOrders")
async def list_purchase_orders(ctx: RequestContext, data: ListPurchaseOrders) -> Page[PurchaseOrderOut]:
    """The purchase orders, oldest first, filtered by `status`, `supplier_id`, `location_id` or `replenishment`
    (drafted by `inventory_workflow_v1`)."""
    return await orders.list_orders(ctx, data)


@procurement.mutation("receive")
async def receive(ctx: RequestContext, data: Receive) -> ReceiveOut:
    """A delivery against a SENT or PARTIALLY_RECEIVED order (NOT_RECEIVABLE otherwise; ADMIN, MANAGER,
    DISPATCHER): per line, a quantity (with its lot or serial numbers when the item tracks them) into the order's
    ship-to location, or `location_id`. Each goes into stock through the inventory at the line's unit cost (a
    movement; the item's average cost follows). More than a line still expects is refused (OVER_RECEIPT, with
    `ordered`, `received`, `requested`) and nothing changes; two receipts of the same line at once are taken one
    after the other. The order moves PARTIALLY_RECEIVED, or RECEIVED once every line is complete."""
    return await receiving.receive(ctx, data)


@procurement.query("listReceipts")
async def list_receipts(ctx: RequestContext, data: ByPurchaseOrder) -> ReceiptsOut:
    """The order's receipts with their lines and the inventory movement of each, oldest first."""
    return await receiving.list_receipts(ctx, data.purchase_order_id)


@procurement.query("listReorders")
async def list_reorders(ctx: RequestContext, data: ListReorders) -> Page[ReorderOut]:
    """The reorder-point crossings `inventory_workflow_v1` handled, oldest first: PENDING (being drafted), DRAFTED
    (a line on the preferred supplier's open replenishment draft for the location: `purchase_order_id`, `line_id`),
    NO_SUPPLIER (the item has no preferred active supplier: nothing was ordered) or NOTHING_TO_ORDER (a zero reorder
    quantity: the level is at its maximum). Filter by `status`, `item_id`, `location_id`."""
    return await replenishment.list_reorders(ctx, data)
