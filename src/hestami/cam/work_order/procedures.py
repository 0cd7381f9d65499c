"""Domain 6 procedures (roadmap 4.7): `asset/v1`, `workOrder/v1`, `bid/v1`, plus `serviceProvider/v1`. A provider's
users call the provider-facing ones from their own organization scope."""

from __future__ import annotations

from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.work_order.schemas import (
    AddAttachment,
    AddComment,
    AssetOut,
    AssignVendor,
    AttachmentOut,
    AttachmentRef,
    AttachmentsOut,
    BidById,
    BidOut,
    BidsOut,
    CommentOut,
    CommentsOut,
    Complete,
    ComplianceOut,
    CreateAsset,
    CreateWorkOrder,
    CreateWorkOrderInvoice,
    GetCompliance,
    LinkOut,
    LinkProvider,
    ListAssets,
    ListBids,
    ListForProvider,
    ListLinks,
    ListWorkOrders,
    LogMaintenance,
    MaintenanceHistoryIn,
    MaintenanceHistoryOut,
    MaintenanceOut,
    MatchesOut,
    ProviderWorkOrderOut,
    RequestBids,
    RequirementsIn,
    RequirementsOf,
    RequirementsOut,
    Schedule,
    StartVendorAssignment,
    StatusHistoryOut,
    SubmitBid,
    UpdateAsset,
    UpdateLink,
    UpdateStatus,
    VendorAssignmentOut,
    WorkOrderAssignmentIn,
    WorkOrderOut,
)
from hestami.cam.work_order.services import assets, assignment, bids, providers, work_orders
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc import ProcedureRouter
from hestami.core.schemas import REMOVED, ById, Removed

TAGS = ("workOrder",)
asset = ProcedureRouter("asset", tags=TAGS)
work_order = ProcedureRouter("workOrder", tags=TAGS)
bid = ProcedureRouter("bid", tags=TAGS)
service_provider = ProcedureRouter("serviceProvider", tags=TAGS)
assignment_router = ProcedureRouter("workOrder/assignment", tags=TAGS)
ROUTERS = (asset, work_order, bid, service_provider, assignment_router)


# --- assets ----------------------------------------------------------------------------------------------


@asset.mutation("create")
async def create_asset(ctx: RequestContext, data: CreateAsset) -> AssetOut:
    """Record equipment or a system on a unit or common area, with warranty and maintenance frequency."""
    return await assets.create(ctx, data)


@asset.query("get")
async def get_asset(ctx: RequestContext, data: ById) -> AssetOut:
    """One asset."""
    return await assets.get(ctx, data.id)


@asset.query("list")
async def list_assets(ctx: RequestContext, data: ListAssets) -> Page[AssetOut]:
    """Assets by association or category, or those due for maintenance by a date."""
    return await assets.list_(ctx, data)


@asset.mutation("update")
async def update_asset(ctx: RequestContext, data: UpdateAsset) -> AssetOut:
    """Change an asset (only the fields sent)."""
    return await assets.update(ctx, data)


@asset.mutation("delete")
async def delete_asset(ctx: RequestContext, data: ById) -> Removed:
    """Soft-delete an asset; its maintenance history stays."""
    await assets.delete(ctx, data.id)
    return REMOVED


@asset.mutation("logMaintenance")
async def log_maintenance(ctx: RequestContext, data: LogMaintenance) -> MaintenanceOut:
    """Record maintenance done; the next maintenance date moves by the asset's frequency. A `work_order_id` must
    name a work order of the asset's association (NOT_FOUND, or BUSINESS_RULE_VIOLATION with reason
    WRONG_ASSOCIATION)."""
    return await assets.log_maintenance(ctx, data)


@asset.query("getMaintenanceHistory")
async def get_maintenance_history(ctx: RequestContext, data: MaintenanceHistoryIn) -> MaintenanceHistoryOut:
    """An asset's maintenance log, newest first, and its next maintenance date."""
    return await assets.maintenance_history(ctx, data)


# --- service providers -----------------------------------------------------------------------------------


@service_provider.query("getCompliance")
async def get_compliance(ctx: RequestContext, data: GetCompliance) -> ComplianceOut:
    """A linked provider's compliance for the association, today: COMPLIANT, or NON_COMPLIANT with every issue
    (its own expired or missing licence and insurance, kept by the provider in its contractor profile, then the
    association's requirements it misses: INSURANCE_BELOW_MINIMUM, INSURANCE_MISSING, LICENSE_MISSING). The
    association sees the status and the reasons, not the provider's documents. Assignments and awards refuse a
    NON_COMPLIANT provider with the first issue as the reason."""
    return await providers.compliance(ctx, data)


@service_provider.query("getRequirements")
async def get_requirements(ctx: RequestContext, data: RequirementsOf) -> RequirementsOut:
    """What the association requires of the providers it gives work to (none set: no minimum)."""
    return await providers.get_requirements(ctx, data)


@service_provider.mutation("setRequirements")
async def set_requirements(ctx: RequestContext, data: RequirementsIn) -> RequirementsOut:
    """Sets the association's requirements: minimum general liability per occurrence and aggregate, minimum auto
    liability, workers' compensation, a licence. Checked whenever work is assigned or awarded, and in matching."""
    return await providers.set_requirements(ctx, data)


@service_provider.mutation("link")
async def link_provider(ctx: RequestContext, data: LinkProvider) -> LinkOut:
    """Link a service-provider organization to an association (preferred flag, approval status). The
    organization must be a SERVICE_PROVIDER (or an EXTERNAL_SERVICE_PROVIDER) with a contractor profile; any other id
    is NOT_FOUND."""
    return await providers.link_provider(ctx, data)


@service_provider.query("listLinks")
async def list_links(ctx: RequestContext, data: ListLinks) -> Page[LinkOut]:
    """The providers linked to the organization's associations."""
    return await providers.list_links(ctx, data)


@service_provider.mutation("updateLink")
async def update_link(ctx: RequestContext, data: UpdateLink) -> LinkOut:
    """Change a link's preferred flag, approval status or rating."""
    return await providers.update_link(ctx, data)


# --- work orders -----------------------------------------------------------------------------------------


@work_order.mutation("create")
async def create_work_order(ctx: RequestContext, data: CreateWorkOrder) -> WorkOrderOut:
    """A maintenance request (numbered WO-000001 per organization) in DRAFT, or SUBMITTED with `submit`,
    which starts `workOrderLifecycle_v2` and the SLA clock (EMERGENCY 4 h, HIGH 24 h, MEDIUM 72 h, LOW 7 days,
    unless the association overrides them). Owners and tenants may request for their own units."""
    return await work_orders.create(ctx, data)


@work_order.query("get")
async def get_work_order(ctx: RequestContext, data: ById) -> WorkOrderOut:
    """One work order, with its SLA due time and breached flag."""
    return await work_orders.get(ctx, data.id)


@work_order.query("list")
async def list_work_orders(ctx: RequestContext, data: ListWorkOrders) -> Page[WorkOrderOut]:
    """Work orders the caller may see (owners: their own requests and units), by association, status,
    priority or unit."""
    return await work_orders.list_(ctx, data)


@work_order.query("listForProvider")
async def list_for_provider(ctx: RequestContext, data: ListForProvider) -> Page[ProviderWorkOrderOut]:
    """For a service provider, in its own organization scope: the associations' work orders assigned to it
    or awaiting its bid, and only the fields a vendor needs."""
    return await work_orders.list_for_provider(ctx, data)


@work_order.mutation("updateStatus")
async def update_status(ctx: RequestContext, data: UpdateStatus) -> WorkOrderOut:
    """Move a work order: SUBMITTED, TRIAGED, IN_PROGRESS, ON_HOLD, CLOSED or CANCELLED (from any open
    state). ASSIGNED, SCHEDULED, COMPLETED and INVOICED have their own procedures. Other moves are
    INVALID_STATE_TRANSITION with `from`/`to`. Each move is written once to the status history."""
    return await work_orders.update_status(ctx, data)


@work_order.mutation("assignVendor")
async def assign_vendor(ctx: RequestContext, data: AssignVendor) -> WorkOrderOut:
    """TRIAGED → ASSIGNED to a linked, approved provider; an expired licence or insurance is
    BUSINESS_RULE_VIOLATION naming the document."""
    return await work_orders.assign_vendor(ctx, data)


@work_order.mutation("schedule")
async def schedule(ctx: RequestContext, data: Schedule) -> WorkOrderOut:
    """ASSIGNED → SCHEDULED with a time window."""
    return await work_orders.schedule(ctx, data)


@work_order.mutation("complete")
async def complete(ctx: RequestContext, data: Complete) -> WorkOrderOut:
    """IN_PROGRESS → COMPLETED with notes and cost (managers, or the assigned provider's VENDOR users)."""
    return await work_orders.complete(ctx, data)


@work_order.mutation("createInvoice")
async def create_invoice(ctx: RequestContext, data: CreateWorkOrderInvoice) -> WorkOrderOut:
    """COMPLETED → INVOICED: the provider's invoice enters `accounting/apInvoice` in PENDING_APPROVAL, coded
    to Repairs and Maintenance (or the account given), linked to the work order both ways."""
    return await work_orders.create_invoice(ctx, data)


@work_order.mutation("addComment")
async def add_comment(ctx: RequestContext, data: AddComment) -> CommentOut:
    """Comment on a work order; managers may mark a comment internal."""
    return await work_orders.add_comment(ctx, data)


@work_order.query("listComments")
async def list_comments(ctx: RequestContext, data: ById) -> CommentsOut:
    """A work order's comments, oldest first (internal ones for managers only)."""
    return await work_orders.list_comments(ctx, data.id)


@work_order.mutation("addAttachment")
async def add_attachment(ctx: RequestContext, data: AddAttachment) -> AttachmentOut:
    """Attach a file (base64, at most 5 MB): a photo, a drawing, a receipt. It is filed as a document of the
    work order (PHOTO for an image, else OTHER; visible to managers in `document/v1/list`), typed from its bytes
    and virus-scanned (`document/v1/upload` gives the reasons a file is refused)."""
    return await work_orders.add_attachment(ctx, data)


@work_order.query("listAttachments")
async def list_attachments(ctx: RequestContext, data: ById) -> AttachmentsOut:
    """A work order's attachments (metadata)."""
    return await work_orders.list_attachments(ctx, data.id)


@work_order.query("downloadAttachment")
async def download_attachment(ctx: RequestContext, data: AttachmentRef) -> DownloadOut:
    """A signed, time-limited link to one attachment, for whoever may see the work order (its requestor, the
    assigned provider, the board, managers); recorded in the document's access trail."""
    return await work_orders.download_attachment(ctx, data)


@work_order.query("getStatusHistory")
async def get_status_history(ctx: RequestContext, data: ById) -> StatusHistoryOut:
    """Every transition: from, to, who, note, when."""
    return await work_orders.status_history(ctx, data.id)


# --- bids ------------------------------------------------------------------------------------------------


@bid.mutation("requestBids")
async def request_bids(ctx: RequestContext, data: RequestBids) -> BidsOut:
    """Invite linked providers (approved, documents current) to bid on a SUBMITTED or TRIAGED work order."""
    return await bids.request_bids(ctx, data)


@bid.mutation("submitBid")
async def submit_bid(ctx: RequestContext, data: SubmitBid) -> BidOut:
    """An invited provider, in its own organization scope, prices the work (revisable until decided)."""
    return await bids.submit_bid(ctx, data)


@bid.query("listBids")
async def list_bids(ctx: RequestContext, data: ListBids) -> BidsOut:
    """The bids on a work order (association side), or the bids a provider was invited to (provider side)."""
    return await bids.list_bids(ctx, data)


@bid.mutation("acceptBid")
async def accept_bid(ctx: RequestContext, data: BidById) -> BidOut:
    """Accept a submitted bid: its provider is assigned (documents must be current) and the other bids are
    rejected. One bid per work order is accepted: of two acceptances at once, the second finds its bid
    rejected (BID_NOT_OPEN), as it would one after the other."""
    return await bids.accept_bid(ctx, data)


@bid.mutation("rejectBid")
async def reject_bid(ctx: RequestContext, data: BidById) -> BidOut:
    """Reject a bid."""
    return await bids.reject_bid(ctx, data)


@bid.mutation("withdrawBid")
async def withdraw_bid(ctx: RequestContext, data: BidById) -> BidOut:
    """The provider withdraws its bid."""
    return await bids.withdraw_bid(ctx, data)


# --- vendor assignment (vendorAssignment_v1) -------------------------------------------------------------


@assignment_router.query("matches")
async def assignment_matches(ctx: RequestContext, data: WorkOrderAssignmentIn) -> MatchesOut:
    """The providers linked to the work order's association that match it today, best first (preferred, then
    rating, then review count, then name), with each one's bid if it was asked already; and the linked providers
    left out with every reason: NOT_APPROVED (link PENDING or SUSPENDED), NO_PROFILE, CATEGORY_NOT_OFFERED (the
    profile does not list the work order's category), OUT_OF_SERVICE_AREA (none of its `service_zip_codes` is the
    job's postal code: the unit's, else its property's; a common area's property's; else the association's
    properties'), LICENSE_MISSING (no current licence) or INSURANCE_MISSING (no current general liability, or
    workers' compensation the association requires), LICENSE_EXPIRED, INSURANCE_EXPIRED or WORKERS_COMP_EXPIRED
    (workers' compensation may be absent, not expired), INSURANCE_BELOW_MINIMUM (the association's minimum
    limits), NOT_COMPLIANT (any other compliance issue of the provider). Management and the association's board
    (FORBIDDEN for others who see the work order)."""
    return await assignment.matches(ctx, data)


@assignment_router.mutation("requestBids")
async def assignment_request_bids(ctx: RequestContext, data: StartVendorAssignment) -> VendorAssignmentOut:
    """Start `vendorAssignment_v1` for a SUBMITTED or TRIAGED work order (BID_NOT_OPEN otherwise; managers only):
    the top `providers` matches (default 3) are asked to bid at once, each once; those who have not answered
    are reminded at half of `response_hours` (default 48) and their requests expire (bid EXPIRED) at the deadline;
    if fewer than `providers` priced the work by then, the next matches are asked once for the shortfall. One run
    per work order (workflow id `workOrder:<id>:vendorAssignment:v1`): starting it again answers the run as it is.
    A submitted EMERGENCY work order starts its own (3 providers, 2 hours)."""
    return await assignment.start(ctx, data)


@assignment_router.query("get")
async def assignment_get(ctx: RequestContext, data: WorkOrderAssignmentIn) -> VendorAssignmentOut:
    """The work order's vendor assignment: status (NOT_STARTED, RUNNING, COMPLETED, STOPPED when the work order was
    assigned or cancelled first), round and its deadline, each request (provider, rank, bid status, reminder and
    expiry times, when it was reminded, answered or expired) and the steps in order (STARTED, REQUESTED, REMINDED,
    ANSWERED, DECLINED, EXPIRED, NEXT_ROUND, NO_MATCHES, COMPLETED, STOPPED). Management and the association's
    board; NOT_FOUND for anyone else."""
    return await assignment.get(ctx, data)
