"""What other domains may use of domain 6 (work orders): make a work order from an owner's request, and follow the
work order a request became (its number, status, status history and files).

Other domains never import `work_order.models`, `.repository` or `.kinds` (import-linter holds this). Making a work
order goes through the same path as `workOrder/v1/create` (numbering, location checks, the policy's `create` and
`submit`, the lifecycle workflow and its notices). Following one reads it as the system, with no work-order policy
check: the calling domain has authorized its own record that links to it (the owner portal lets the owner of a
request follow the work order the request became, without any right on work orders).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.work_order import directory, kinds, lifecycle, repository
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import Bid, WorkOrder
from hestami.cam.work_order.schemas import (
    AssignVendor,
    BidById,
    CreateWorkOrder,
    CreateWorkOrderInvoice,
    InvoiceLine,
    Priority,
    RequestBids,
    UpdateStatus,
    WorkOrderOut,
)
from hestami.cam.work_order.services import bids, notifications, work_orders
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.uploads import StagedFile

KIND = kinds.WORK_ORDER.name
ATTACHMENT_SCOPE = work_orders.ATTACHMENT_SCOPE


@dataclass(frozen=True, slots=True)
class NewWorkOrder:
    """A work order as another domain asks for one: where, what, how urgent. It is submitted at once."""

    association_id: uuid.UUID
    title: str
    description: str
    category: str
    priority: Priority = "MEDIUM"
    unit_id: uuid.UUID | None = None
    common_area_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class StatusStep:
    """One move of a work order: from, to, when (and its note)."""

    from_status: str | None
    to_status: str
    note: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class FollowedWorkOrder:
    """What someone who asked for the work sees of a work order: no costs, no provider, no internal comments."""

    id: uuid.UUID
    number: str
    title: str
    category: str
    priority: str
    status: str
    submitted_at: datetime | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    completed_at: datetime | None
    history: tuple[StatusStep, ...]
    attachments: tuple[documents.AttachedFile, ...]


async def _followed(ctx: RequestContext, order: WorkOrder) -> FollowedWorkOrder:
    steps = await repository.status_history(ctx.session, order.id)
    files = await documents.attached_files(ctx, ATTACHMENT_SCOPE, order.id)
    return FollowedWorkOrder(
        id=order.id, number=order.display_number, title=order.title, category=order.category,
        priority=order.priority, status=order.status, submitted_at=order.submitted_at,
        scheduled_start=order.scheduled_start, scheduled_end=order.scheduled_end, completed_at=order.completed_at,
        history=tuple(StatusStep(s.from_status, s.to_status, s.note, s.created_at) for s in steps),
        attachments=tuple(files),
    )  # fmt: skip


async def create_from_request(
    ctx: RequestContext, new: NewWorkOrder, *, owner_request_id: uuid.UUID, files: Sequence[StagedFile] = ()
) -> FollowedWorkOrder:
    """A submitted work order made from an owner request, by the caller (who must be allowed to create and submit
    work orders: a manager), through `workOrder/v1/create`'s path, linked to the request (`owner_request_id`:
    one work order per request, a unique index), with `files` filed as its attachments (each checked, typed from
    its bytes and scanned like any attachment). The caller removes the staged files."""
    data = CreateWorkOrder(
        association_id=new.association_id, title=new.title, description=new.description, category=new.category,
        priority=new.priority, unit_id=new.unit_id, common_area_id=new.common_area_id, submit=True,
    )  # fmt: skip
    created = await work_orders.create(ctx, data, owner_request_id=owner_request_id)
    order = await records.find(ctx, kinds.WORK_ORDER, created.id)
    if files:
        await records.authorize_record(ctx, kinds.WORK_ORDER, order, "attach")
    for staged in files:
        attached = await documents.attach_file(
            ctx, organization_id=order.organization_id, association_id=order.association_id,
            scope_type=ATTACHMENT_SCOPE, scope_id=order.id, staged=staged,
        )  # fmt: skip
        audit.record(ctx, "work_order.attachment_added", KIND, order.id, after={"file_name": attached.file_name})
    return await _followed(ctx, order)


WorkOrigin = work_orders.WorkOrigin


async def order_work(
    ctx: RequestContext,
    new: NewWorkOrder,
    origin: WorkOrigin,
    *,
    provider_organization_id: uuid.UUID | None = None,
    estimated_cost: Decimal | None = None,
    note: str | None = None,
) -> WorkOrderOut:
    """A work order for another domain's record (`origin`: a violation to remediate, an ARC request to inspect or
    carry out), by the caller, through `workOrder/v1/create`'s path (the policy's `create` and `submit`), submitted
    at once; with `provider_organization_id`, triaged and assigned to that provider through `assignVendor`'s path
    (`triage`, `assign`, the provider linked, approved and compliant), so the provider's job is handed off. Once per
    origin and kind until that work order is cancelled: ALREADY_ORDERED names the one there is (the caller holds
    the origin's row lock, so a second order waits and then finds it; a unique index is the database's guard)."""
    existing = await repository.ordered_for(
        ctx.session, violation_id=origin.violation_id, arc_request_id=origin.arc_request_id, kind=origin.kind
    )
    if existing is not None:
        raise rule(
            WorkOrderReason.ALREADY_ORDERED,
            f"{origin.reference} already has work order {existing.display_number} ({existing.status}).",
            work_order_id=str(existing.id), work_order_number=existing.display_number,
        )  # fmt: skip
    data = CreateWorkOrder(
        association_id=new.association_id, title=new.title, description=new.description, category=new.category,
        priority=new.priority, unit_id=new.unit_id, common_area_id=new.common_area_id,
        estimated_cost=estimated_cost, submit=True,
    )  # fmt: skip
    created = await work_orders.create(ctx, data, origin=origin)
    if provider_organization_id is None:
        return created
    await work_orders.update_status(ctx, UpdateStatus(id=created.id, status="TRIAGED", note=note))
    return await work_orders.assign_vendor(
        ctx, AssignVendor(id=created.id, provider_organization_id=provider_organization_id, note=note)
    )


async def follow(ctx: RequestContext, work_order_id: uuid.UUID) -> FollowedWorkOrder:
    """The work order (in the caller's organization: NOT_FOUND otherwise) with its status history and files, read as
    the system: no work-order policy check. Only for a work order the calling domain's own authorized record links
    to (the request it was made from)."""
    return await _followed(ctx, await records.find(ctx, kinds.WORK_ORDER, work_order_id))


async def attachment_link(ctx: RequestContext, work_order_id: uuid.UUID, attachment_id: uuid.UUID) -> DownloadOut:
    """A signed link to one of the work order's files (NOT_FOUND for a file not filed under it), recorded in the
    document's access trail; read as the system like `follow`, for a work order the caller's own record links to."""
    order = await records.find(ctx, kinds.WORK_ORDER, work_order_id)
    return await documents.attached_file_link(ctx, ATTACHMENT_SCOPE, order.id, attachment_id)


# --- reporting (issue 20) ------------------------------------------------------------------------------------

NOT_OPEN = ("DRAFT", "COMPLETED", "INVOICED", "CLOSED", "CANCELLED")
"""Statuses of work orders that are not open work: not yet submitted, or done (completed, invoiced, closed,
cancelled)."""


@dataclass(frozen=True, slots=True)
class WorkOrderFact:
    """What an operational report counts of one work order (no texts, no costs)."""

    status: str
    priority: str
    category: str
    created_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    sla_due_at: datetime | None
    sla_breached: bool
    provider_name: str | None

    @property
    def is_open(self) -> bool:
        return self.status not in NOT_OPEN and self.completed_at is None


async def report_facts(
    ctx: RequestContext, association_id: uuid.UUID, *, created_before: datetime
) -> list[WorkOrderFact]:
    """The association's work orders created before `created_before` that the caller may view (the work-order
    policy's query plan: an owner counts only their own requests), oldest first, in one query."""
    visible = await records.visible(ctx, kinds.WORK_ORDER)
    rows = await repository.report_rows(ctx.session, association_id, visible, created_before=created_before)
    return [
        WorkOrderFact(
            status=r.status,
            priority=r.priority,
            category=r.category,
            created_at=r.created_at,
            submitted_at=r.submitted_at,
            completed_at=r.completed_at,
            sla_due_at=r.sla_due_at,
            sla_breached=r.sla_breached,
            provider_name=r.provider_name or (str(r.assigned_provider_org_id) if r.assigned_provider_org_id else None),
        )
        for r in rows
    ]


async def open_work_by_association(
    ctx: RequestContext, association_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, int]]:
    """(open work orders, of them past their SLA) per association of the caller's organization, in one query;
    an association without open work is absent. No policy decision of its own: the calling domain authorized its
    own action (the portfolio dashboard is management's)."""
    return await repository.open_counts_by_association(ctx.session, association_ids, NOT_OPEN)


@dataclass(frozen=True, slots=True)
class ProviderWorkItem:
    """A work order a service provider was assigned or asked to bid on, in another organization, with the
    provider's bid and (for assigned work) the invoice it became."""

    organization_id: uuid.UUID
    organization_name: str
    association_id: uuid.UUID
    association_name: str
    work_order_id: uuid.UUID
    number: str
    title: str
    category: str
    priority: str
    status: str
    assigned: bool
    scheduled_start: datetime | None
    completed_at: datetime | None
    sla_breached: bool
    bid_status: str | None
    bid_amount: Decimal | None
    invoice_number: str | None
    invoice_date: date | None
    invoice_amount: Decimal | None
    invoice_status: str | None
    invoice_paid_on: date | None


async def provider_work(ctx: RequestContext) -> list[ProviderWorkItem]:
    """Every work order, of every organization, assigned to the caller's organization or that it was asked to bid
    on, by organization, association and number. The rows come from a SECURITY DEFINER function that takes the
    provider from the transaction's scope, so only the caller's own organization's work is ever read. No policy
    decision of its own: the calling domain authorized its own action."""
    return [_work_item(r) for r in await repository.provider_work(ctx.session)]


async def provider_work_order(ctx: RequestContext, work_order_id: uuid.UUID) -> ProviderWorkItem | None:
    """`provider_work`'s item of one work order (None when it is not the caller's organization's work)."""
    row = await repository.provider_work_order(ctx.session, work_order_id)
    return _work_item(row) if row is not None else None


def _work_item(r: Any) -> ProviderWorkItem:
    return ProviderWorkItem(
        organization_id=r.organization_id,
        organization_name=r.organization_name,
        association_id=r.association_id,
        association_name=r.association_name,
        work_order_id=r.work_order_id,
        number=f"WO-{r.work_order_number:06d}",
        title=r.title,
        category=r.category,
        priority=r.priority,
        status=r.status,
        assigned=bool(r.assigned),
        scheduled_start=r.scheduled_start,
        completed_at=r.completed_at,
        sla_breached=r.sla_breached,
        bid_status=r.bid_status,
        bid_amount=r.bid_amount,
        invoice_number=r.invoice_number,
        invoice_date=r.invoice_date,
        invoice_amount=r.invoice_amount,
        invoice_status=r.invoice_status,
        invoice_paid_on=r.invoice_paid_on,
    )


# --- the contractor pillar (issue 21) ------------------------------------------------------------------------

ProviderDirectory = directory.ProviderDirectory
ProviderFacts = directory.ProviderFacts
ComplianceIssue = directory.ComplianceIssue
Coverage = directory.Coverage
register_provider_directory = directory.register
"""The contractor pillar registers where work orders read a provider's trades, area and compliance."""


@dataclass(frozen=True, slots=True)
class LinkedAssociation:
    """An association the caller's organization (a provider) is linked to. The association's name is not the
    provider's to read: `provider_name` is the name the association gave the provider."""

    organization_id: uuid.UUID
    association_id: uuid.UUID
    provider_name: str
    approval_status: str


def _linked(link: Any) -> LinkedAssociation:
    return LinkedAssociation(link.organization_id, link.association_id, link.provider_name, link.approval_status)


async def linked_associations(ctx: RequestContext) -> list[LinkedAssociation]:
    """Every association linked to the caller's organization (a provider), from the provider's side of the links."""
    return [_linked(link) for link in await repository.links_of_provider(ctx.session, ctx.require_org())]


async def linked_association(ctx: RequestContext, association_id: uuid.UUID) -> LinkedAssociation:
    """The caller's organization (a provider) is linked to the association: its link, else NOT_FOUND (another
    organization's association and a random id alike)."""
    found = await repository.links_of_provider(ctx.session, ctx.require_org(), association_id=association_id)
    if not found:
        raise not_found("association", association_id)
    return _linked(found[0])


async def notify_provider_non_compliant(
    ctx: RequestContext,
    association_id: uuid.UUID,
    provider_organization_id: uuid.UUID,
    since: date,
    issues: Sequence[ComplianceIssue],
) -> int:
    """Tells the association's management (ctx scoped to the association's organization, as the system) that a
    linked provider became non-compliant on `since`, once per provider, association, day and recipient (a dedupe
    key: a step that runs again sends nothing twice). Returns the number of recipients."""
    return await notifications.provider_non_compliant(ctx, association_id, provider_organization_id, since, issues)


# --- the hand-off to the contractor pillar (issue 22) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssignedWork:
    """A work order as its assigned provider's job starts from it: what and where (the site's postal code), how
    urgent, by when, from which association."""

    work_order_id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    unit_id: uuid.UUID | None
    number: str
    title: str
    description: str
    category: str
    priority: str
    status: str
    provider_organization_id: uuid.UUID | None
    sla_due_at: datetime | None
    site_postal_code: str | None
    origin_kind: str | None = None
    """REMEDIATION (of a violation), INSPECTION or INSTALLATION (of an ARC request), or None."""
    origin_reference: str | None = None
    """The originating violation's or ARC request's number."""


MovedHook = Callable[[RequestContext, AssignedWork, str, str], Awaitable[None]]


async def _assigned_work(ctx: RequestContext, order: WorkOrder, *, site: bool) -> AssignedWork:
    codes = (
        await association.work_site_postal_codes(
            ctx, order.association_id, unit_id=order.unit_id, common_area_id=order.common_area_id
        )
        if site
        else []
    )
    return AssignedWork(
        work_order_id=order.id, organization_id=order.organization_id, association_id=order.association_id,
        unit_id=order.unit_id, number=order.display_number, title=order.title, description=order.description,
        category=order.category, priority=order.priority, status=order.status,
        provider_organization_id=order.assigned_provider_org_id, sla_due_at=order.sla_due_at,
        site_postal_code=codes[0] if codes else None, origin_kind=order.origin_kind,
        origin_reference=order.origin_reference,
    )  # fmt: skip


def when_status_changed(hook: MovedHook) -> MovedHook:
    """Registers `hook(ctx, work, from_status, to_status)`, run in the transaction of every move of a work order
    (in the scope of whoever moved it). On ASSIGNED, made in the association's scope, `work` has the job site's
    postal code; otherwise it is None."""

    async def moved(ctx: RequestContext, order: WorkOrder, from_status: str, to_status: str) -> None:
        own = ctx.organization_id == order.organization_id
        await hook(ctx, await _assigned_work(ctx, order, site=own and to_status == "ASSIGNED"), from_status, to_status)

    work_orders.when_moved(moved)
    return hook


async def assigned_work(ctx: RequestContext, work_order_id: uuid.UUID) -> AssignedWork | None:
    """The work order as the caller's organization (its assigned provider) sees it, read as the system; None when
    it is not visible (not committed yet, or another tenant's) or not assigned to the caller."""
    order = await repository.work_order(ctx.session, work_order_id)
    if order is None or order.assigned_provider_org_id != ctx.organization_id:
        return None
    return await _assigned_work(ctx, order, site=False)


async def follow_provider_progress(
    ctx: RequestContext,
    work_order_id: uuid.UUID,
    target: str,
    note: str,
    *,
    scheduled_start: datetime | None = None,
    scheduled_end: datetime | None = None,
) -> bool:
    """Moves the work order assigned to the caller's organization (the provider's job moved on) to `target`, as
    the system: the contractor's domain authorized its own move. A work order already there, or one the table
    does not let go there from where it is, is left as it is (False): a step that runs again changes nothing."""
    order = await repository.work_order(ctx.session, work_order_id, lock=True)
    if order is None or order.assigned_provider_org_id != ctx.organization_id or order.status == target:
        return False
    if target not in lifecycle.TRANSITIONS.get(order.status, frozenset()):
        return False
    changes: dict[str, Any] = {}
    if target == "SCHEDULED":
        changes = {"scheduled_start": scheduled_start, "scheduled_end": scheduled_end}
    if target == "COMPLETED":
        changes = {"completion_notes": note}
    await work_orders.move(ctx, order, target, note, changes, as_system=True)
    return True


# --- bids answered by the contractor pillar's estimates (issue 23) -----------------------------------------------


@dataclass(frozen=True, slots=True)
class BidRequest:
    """A request to the caller's organization (a provider) to bid on an association's work order, as the
    provider's estimate starts from it."""

    bid_id: uuid.UUID
    status: str
    organization_id: uuid.UUID
    association_id: uuid.UUID
    work_order_id: uuid.UUID
    number: str
    title: str
    description: str
    category: str
    amount: Decimal | None


async def bid_request(ctx: RequestContext, bid_id: uuid.UUID) -> BidRequest:
    """The bid request addressed to the caller's organization, read as the system (NOT_FOUND for another
    provider's bid or a random id): the calling domain authorizes its own action."""
    bid = await repository.bid(ctx.session, bid_id)
    if bid is None or bid.provider_organization_id != ctx.organization_id:
        raise not_found(kinds.BID.name, bid_id)
    order = await repository.work_order(ctx.session, bid.work_order_id)
    if order is None:
        raise not_found(kinds.BID.name, bid_id)
    return BidRequest(
        bid_id=bid.id, status=bid.status, organization_id=bid.organization_id, association_id=order.association_id,
        work_order_id=order.id, number=order.display_number, title=order.title, description=order.description,
        category=order.category, amount=bid.amount,
    )  # fmt: skip


async def submit_estimated_bid(
    ctx: RequestContext, bid_id: uuid.UUID, amount: Decimal, scope: str, valid_until: date | None
) -> str:
    """Submits (or revises) the caller's organization's bid, as `bid/v1/submit` does, for the contractor's estimate
    sent to the association (the estimate domain authorized its own action): NOT_FOUND for another provider's bid,
    BID_NOT_OPEN once it is decided. Returns the bid's status."""
    return (await bids.submit_for_provider(ctx, bid_id, amount, scope, valid_until)).status


@dataclass(frozen=True, slots=True)
class PutOutToBid:
    """A work order put out to bid: its id and number, and the bid request to each provider (by organization)."""

    work_order_id: uuid.UUID
    number: str
    bids: dict[uuid.UUID, uuid.UUID]


async def put_out_to_bid(
    ctx: RequestContext, new: NewWorkOrder, provider_organization_ids: Sequence[uuid.UUID], *, note: str | None = None
) -> PutOutToBid:
    """A work order by the caller (a manager), submitted, triaged and put out to bid to the providers (each linked,
    approved and compliant), through `workOrder/v1/create`'s, `updateStatus`'s and `bid/v1/requestBids`'s paths
    (the policy decides each step). For another domain's demo of an association asking contractors to bid."""
    data = CreateWorkOrder(
        association_id=new.association_id, title=new.title, description=new.description, category=new.category,
        priority=new.priority, unit_id=new.unit_id, common_area_id=new.common_area_id, submit=True,
    )  # fmt: skip
    created = await work_orders.create(ctx, data)
    await work_orders.update_status(ctx, UpdateStatus(id=created.id, status="TRIAGED", note=note))
    asked = await bids.request_bids(
        ctx, RequestBids(work_order_id=created.id, provider_organization_ids=list(provider_organization_ids))
    )
    return PutOutToBid(created.id, created.number, {b.provider_organization_id: b.id for b in asked.items})


async def accept_estimated_bid(ctx: RequestContext, bid_id: uuid.UUID, amount: Decimal, scope: str) -> str:
    """The association's manager (the caller, in the association's organization) accepts the bid at the option of
    the provider's proposal they chose: amount and scope become that option's, then the bids' own `accept_bid`
    (licence and insurance checked, the provider assigned, the other bids rejected). Returns the bid's status."""
    return (await bids.accept_at(ctx, bid_id, amount, scope)).status


async def reject_estimated_bid(ctx: RequestContext, bid_id: uuid.UUID) -> str:
    """The association's manager (the caller) declined the provider's proposal: the bid is rejected through
    `bid/v1/rejectBid`'s own path (the policy's `reject`; BID_NOT_OPEN once decided). Returns the bid's status."""
    return (await bids.reject_bid(ctx, BidById(bid_id=bid_id))).status


async def withdraw_estimated_bid(ctx: RequestContext, bid_id: uuid.UUID) -> str:
    """The provider (the caller's organization) voided the estimate it sent as its bid: the bid is WITHDRAWN, as
    `bid/v1/withdrawBid` does (the estimate domain authorized its own action): NOT_FOUND for another provider's bid,
    BID_NOT_OPEN once decided. Returns the bid's status."""
    return (await bids.withdraw_for_provider(ctx, bid_id)).status


async def hold_bid(ctx: RequestContext, bid_id: uuid.UUID) -> None:
    """Locks the bid for the caller's transaction (read as the system; nothing when it is not visible), in the
    association's scope its work order first, as `accept_bid` does: the estimate answering the bid takes it before its
    own row lock, so the bids' decisions that the estimate follows (`when_bid_decided`) and the estimate's moves that
    end or submit the bid lock in one order (work order, bid, estimate) and wait for each other, never deadlock."""
    bid = await repository.bid(ctx.session, bid_id)
    if bid is None:
        return
    if bid.organization_id == ctx.organization_id:
        await records.find(ctx, kinds.WORK_ORDER, bid.work_order_id, lock=True)
    await records.find(ctx, kinds.BID, bid.id, lock=True)


@dataclass(frozen=True, slots=True)
class BidDecision:
    """A bid that ended: ACCEPTED (at `amount`), REJECTED, EXPIRED (unanswered at vendorAssignment_v1's deadline) or
    WITHDRAWN, on the association's (`organization_id`) work order, by or for the provider's organization."""

    bid_id: uuid.UUID
    work_order_id: uuid.UUID
    organization_id: uuid.UUID
    provider_organization_id: uuid.UUID
    status: str
    amount: Decimal | None


DecidedHook = Callable[[RequestContext, BidDecision], Awaitable[None]]


def when_bid_decided(hook: DecidedHook) -> DecidedHook:
    """Registers `hook(ctx, decision)`, run in the transaction of every bid that ends (`bid/v1/acceptBid`, the
    other bids it rejects, `rejectBid`, `withdrawBid`, vendorAssignment_v1's expiry), in the scope of whoever ended
    it: the association's for a decision, the provider's for a withdrawal. Once per bid: a bid ends once."""

    async def decided(ctx: RequestContext, bid: Bid) -> None:
        decision = BidDecision(
            bid_id=bid.id, work_order_id=bid.work_order_id, organization_id=bid.organization_id,
            provider_organization_id=bid.provider_organization_id, status=bid.status, amount=bid.amount,
        )  # fmt: skip
        await hook(ctx, decision)

    bids.when_decided(decided)
    return hook


async def notify_managers_of_proposal(
    ctx: RequestContext, work_order_id: uuid.UUID, template: str, payload: dict[str, Any], key: str
) -> int:
    """The association's managers (its organization's MANAGER and ADMIN members) hear by e-mail of a proposal (or
    its reminder) the caller's organization, a provider asked to bid on the work order or assigned it, addressed to
    the association: recorded in the work order's organization's outbox (as `workOrder`'s notices are), once per
    `key` and recipient. NOT_FOUND for a work order the caller's organization has no part in. Returns the number of
    recipients."""
    order = await repository.work_order(ctx.session, work_order_id)
    provider = ctx.require_org()
    if order is None or not (
        order.assigned_provider_org_id == provider
        or any(bid.provider_organization_id == provider for bid in await repository.bids_on(ctx.session, order.id))
    ):
        raise not_found(KIND, work_order_id)
    return await notifications.provider_proposal(ctx, order, template, payload, key)


# --- the contractor's invoice into the association's payables (issue 23) -----------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderInvoice:
    """The provider's invoice for a work order it was assigned: its number, dates, amount and lines (description,
    amount; they add up to the amount)."""

    invoice_number: str
    invoice_date: date
    due_date: date | None
    amount: Decimal
    lines: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class EnteredPayable:
    ap_invoice_id: uuid.UUID
    work_order_status: str


async def enter_provider_invoice(
    ctx: RequestContext, work_order_id: uuid.UUID, provider_organization_id: uuid.UUID, invoice: ProviderInvoice
) -> EnteredPayable | None:
    """The provider's invoice enters the association's payables through `workOrder/v1/createInvoice`'s path
    (PENDING_APPROVAL, coded to Repairs and Maintenance, or to the reserve component's expense account in the
    reserve fund when the work order replaces one; linked both ways; the work order INVOICED), once: a work order
    invoiced already answers the payable it has. `ctx` is the association's organization, as the system: the
    provider's own workflow acts for the invoice the provider issued (no work-order policy decision), so the work
    order must be assigned to `provider_organization_id` (NOT_FOUND otherwise, like a random id). None while the
    work order is not COMPLETED yet (the hand-off mirrors the job's completion after it commits)."""
    order = await repository.work_order(ctx.session, work_order_id, lock=True)
    if order is None or order.assigned_provider_org_id != provider_organization_id:
        raise not_found(KIND, work_order_id)
    if order.ap_invoice_id is not None:
        return EnteredPayable(order.ap_invoice_id, order.status)
    if order.status != "COMPLETED":
        return None
    lines = [InvoiceLine(description=text, amount=amount) for text, amount in invoice.lines]
    data = CreateWorkOrderInvoice(
        id=order.id, invoice_number=invoice.invoice_number, amount=invoice.amount, invoice_date=invoice.invoice_date,
        due_date=invoice.due_date, lines=lines or None,
    )  # fmt: skip
    done = await work_orders.create_invoice(ctx, data, as_system=True)
    assert done.ap_invoice_id is not None
    return EnteredPayable(done.ap_invoice_id, done.status)
