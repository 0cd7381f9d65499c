"""Work orders: numbered per organization, moved through the lifecycle in one place (`lifecycle.py`), each
move recorded once in the status history and notified to its recipients in the same transaction; the moves that
concern the SLA clock wake `workOrderLifecycle_v2`."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hestami.cam.accounting import api as accounting
from hestami.cam.accounting.api import Payable, PayableLine
from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.reserve import api as reserve
from hestami.cam.work_order import kinds, lifecycle, repository, workflows
from hestami.cam.work_order.errors import WorkOrderReason, rule
from hestami.cam.work_order.models import Comment, StatusChange, WorkOrder
from hestami.cam.work_order.schemas import (
    AddAttachment,
    AddComment,
    AssignVendor,
    AttachmentOut,
    AttachmentRef,
    AttachmentsOut,
    CommentOut,
    CommentsOut,
    Complete,
    CreateWorkOrder,
    CreateWorkOrderInvoice,
    ListForProvider,
    ListWorkOrders,
    ProviderWorkOrderOut,
    Schedule,
    StatusChangeOut,
    StatusHistoryOut,
    UpdateStatus,
    WorkOrderOut,
)
from hestami.cam.work_order.services import notifications, providers
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError, check_transition
from hestami.core.pagination import Page
from hestami.core.uploads import stage_bytes

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
ATTACHMENT_SCOPE = "WORK_ORDER"
RESERVE_EXPENSE = "RESERVE_EXPENSE"
MANAGING = frozenset({"ADMIN", "MANAGER"})
"""Roles that see and write internal comments."""
SubmittedHook = Callable[[RequestContext, WorkOrder], Awaitable[None]]
_when_submitted: list[SubmittedHook] = []


def when_submitted(hook: SubmittedHook) -> SubmittedHook:
    """Registers `hook`, run in the transaction that submits a work order once its lifecycle is started (how
    `vendorAssignment_v1` starts itself for an EMERGENCY work order)."""
    _when_submitted.append(hook)
    return hook


@dataclass(frozen=True, slots=True)
class WorkOrigin:
    """The record another domain orders work for: a violation to remediate (`violation_id`, REMEDIATION) or an
    approved ARC request to inspect or carry out (`arc_request_id`, INSPECTION or INSTALLATION), with its number."""

    kind: str
    reference: str
    violation_id: uuid.UUID | None = None
    arc_request_id: uuid.UUID | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "violation_id": self.violation_id, "arc_request_id": self.arc_request_id, "origin_kind": self.kind,
            "origin_reference": self.reference,
        }  # fmt: skip


MovedHook = Callable[[RequestContext, WorkOrder, str, str], Awaitable[None]]
_when_moved: list[MovedHook] = []


def when_moved(hook: MovedHook) -> MovedHook:
    """Registers `hook(ctx, order, from_status, to_status)`, run in the transaction of every status move once it is
    recorded (how the contractor pillar's hand-off learns of an assignment or a cancellation)."""
    _when_moved.append(hook)
    return hook


async def work_orders_out(ctx: RequestContext, orders: Sequence[WorkOrder]) -> list[WorkOrderOut]:
    """The work orders with the names of their unit, common area and assigned provider (a read per kind for the
    page)."""
    units = await association.unit_numbers(ctx, [o.unit_id for o in orders if o.unit_id is not None])
    areas = await association.common_area_names(ctx, [o.common_area_id for o in orders if o.common_area_id is not None])
    providers = await repository.provider_names(
        ctx.session, [(o.association_id, o.assigned_provider_org_id) for o in orders if o.assigned_provider_org_id]
    )
    now = datetime.now(UTC)
    return [
        records.output(
            WorkOrderOut, order, number=order.display_number,
            sla_breached=order.sla_breached or (
                order.status in lifecycle.SLA_RUNNING and order.sla_due_at is not None and order.sla_due_at < now
            ),
            unit_number=units.get(order.unit_id) if order.unit_id is not None else None,
            common_area_name=areas.get(order.common_area_id) if order.common_area_id is not None else None,
            provider_name=(
                providers.get((order.association_id, order.assigned_provider_org_id))
                if order.assigned_provider_org_id is not None else None
            ),
        )
        for order in orders
    ]  # fmt: skip


async def work_order_out(ctx: RequestContext, order: WorkOrder) -> WorkOrderOut:
    (named,) = await work_orders_out(ctx, [order])
    return named


async def _next_number(ctx: RequestContext) -> int:
    """Numbers are per organization and gapless; one creator at a time takes the next."""
    return await repository.next_number(ctx.session, ctx.require_org())


async def _check_location(ctx: RequestContext, data: CreateWorkOrder) -> None:
    """Where the work is must be in this association; a resident may name only a unit they can see."""
    associations = []
    if data.unit_id is not None:
        associations.append((await association.load_unit(ctx, data.unit_id)).association_id)
    if data.common_area_id is not None:
        associations.append((await association.load_common_area(ctx, data.common_area_id)).association_id)
    if data.asset_id is not None:
        associations.append((await records.load(ctx, kinds.ASSET, data.asset_id)).association_id)
    if data.reserve_component_id is not None:
        component = await reserve.load_component(ctx, data.reserve_component_id)
        if not component.active:
            raise rule(WorkOrderReason.COMPONENT_RETIRED, f"The reserve component {component.name} is retired.")
        associations.append(component.association_id)
    if any(a != data.association_id for a in associations):
        raise rule(WorkOrderReason.WRONG_ASSOCIATION, "The work order's location belongs to another association.")


async def create(
    ctx: RequestContext,
    data: CreateWorkOrder,
    *,
    owner_request_id: uuid.UUID | None = None,
    origin: WorkOrigin | None = None,
) -> WorkOrderOut:
    """`owner_request_id`: the owner request the work order is made from (`api.create_from_request`); `origin`: the
    violation or ARC request it is ordered for (`api.order_work`)."""
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.WORK_ORDER, "create")
    await _check_location(ctx, data)
    fields = data.model_dump(exclude={"submit"})
    order = WorkOrder(
        **fields, number=await _next_number(ctx), status="DRAFT", requestor_user_id=ctx.user_id,
        owner_request_id=owner_request_id, **(origin.columns() if origin else {}),
    )  # fmt: skip
    order = await records.create(ctx, kinds.WORK_ORDER, order)
    _history(ctx, order, None, "DRAFT", "created")
    if data.submit:
        await transition(ctx, order, "SUBMITTED")
    await ctx.session.flush()
    return await work_order_out(ctx, order)


def _history(
    ctx: RequestContext, order: WorkOrder, from_status: str | None, to_status: str, note: str | None
) -> StatusChange:
    change = StatusChange(
        organization_id=order.organization_id,
        work_order_id=order.id,
        from_status=from_status,
        to_status=to_status,
        actor_user_id=ctx.user_id,
        note=note,
    )
    ctx.session.add(change)
    return change


async def transition(
    ctx: RequestContext, order: WorkOrder, target: str, note: str | None = None, **changes: Any
) -> WorkOrder:
    """`move`, authorized per move (first, so that nothing about a work order the caller may not see shows, not
    even its status)."""
    return await move(ctx, order, target, note, changes, as_system=False)


async def move(
    ctx: RequestContext, order: WorkOrder, target: str, note: str | None, changes: dict[str, Any], *, as_system: bool
) -> WorkOrder:
    """The one way a work order changes status: authorized per move unless `as_system` (a move another domain's
    authorized action makes: the contractor's job moving on, mirrored onto the work order assigned to it), checked
    against the transition table (else INVALID_STATE_TRANSITION with from/to), written with its history row and its
    notifications (exactly once: a retried request replays its stored answer), then announced to the lifecycle
    workflow if it concerns it and to the `when_moved` hooks."""
    current = order.status
    action = lifecycle.ACTION_FOR.get(target, "update_status")  # no move leads back to DRAFT: the table refuses it
    if not as_system:
        await records.authorize_record(ctx, kinds.WORK_ORDER, order, action)
    check_transition("work order", lifecycle.TRANSITIONS, current, target)
    if target == "SUBMITTED":
        overrides = (await association.find_association(ctx, order.association_id)).work_order_sla_hours
        now = datetime.now(UTC)
        changes |= {"submitted_at": now, "sla_due_at": lifecycle.sla_due(now, order.priority, overrides)}
    if target == "COMPLETED":
        changes.setdefault("completed_at", datetime.now(UTC))
    order = await records.change(ctx, kinds.WORK_ORDER, order, {**changes, "status": target}, action="status_changed")
    change = _history(ctx, order, current, target, note)
    await ctx.session.flush()
    await notifications.status_changed(ctx, order, change)
    if target == "SUBMITTED":
        # before commit: durable even if we crash after it
        await workflows.start(order.organization_id, order.id, order.sla_due_at)
        for hook in _when_submitted:
            await hook(ctx, order)
    if lifecycle.concerns_lifecycle(current, target, new_due_time="sla_due_at" in changes):
        order_id = order.id
        ctx.after_commit(lambda: workflows.signal(order_id, target))
    for moved in _when_moved:
        await moved(ctx, order, current, target)
    return order


async def get(ctx: RequestContext, order_id: uuid.UUID) -> WorkOrderOut:
    return await work_order_out(ctx, await records.load(ctx, kinds.WORK_ORDER, order_id))


async def list_(ctx: RequestContext, data: ListWorkOrders) -> Page[WorkOrderOut]:
    filters = [WorkOrder.organization_id == ctx.require_org()]
    for column, value in (
        (WorkOrder.association_id, data.association_id),
        (WorkOrder.status, data.status),
        (WorkOrder.priority, data.priority),
        (WorkOrder.unit_id, data.unit_id),
        (WorkOrder.violation_id, data.violation_id),
        (WorkOrder.arc_request_id, data.arc_request_id),
    ):
        if value is not None:
            filters.append(column == value)
    items, cursor = await records.page(ctx, kinds.WORK_ORDER, data, *filters)
    return Page[WorkOrderOut](items=await work_orders_out(ctx, items), next_cursor=cursor)


async def list_for_provider(ctx: RequestContext, data: ListForProvider) -> Page[ProviderWorkOrderOut]:
    """A service provider, in its own organization scope, sees the associations' work orders assigned to it
    or awaiting its bid (RLS admits exactly those rows), with only the fields a vendor needs."""
    me = ctx.require_org()
    rows, cursor = await repository.page_for_provider(ctx.session, me, data)
    items = [
        ProviderWorkOrderOut(
            id=order.id,
            number=order.display_number,
            association_organization_id=order.organization_id,
            title=order.title,
            description=order.description,
            priority=order.priority,
            category=order.category,
            status=order.status,
            scheduled_start=order.scheduled_start,
            scheduled_end=order.scheduled_end,
            sla_due_at=order.sla_due_at,
            assigned_to_me=order.assigned_provider_org_id == me,
            my_bid_status=bid_status,
        )
        for order, bid_status in rows
    ]
    return Page[ProviderWorkOrderOut](items=items, next_cursor=cursor)


async def _load(ctx: RequestContext, order_id: uuid.UUID) -> WorkOrder:
    """For a move: found in scope (the association's, or the assigned provider's), locked."""
    return await records.find(ctx, kinds.WORK_ORDER, order_id, lock=True)


async def update_status(ctx: RequestContext, data: UpdateStatus) -> WorkOrderOut:
    if data.status in lifecycle.DEDICATED:
        raise rule(
            WorkOrderReason.USE_DEDICATED_PROCEDURE,
            f"Use the procedure for {data.status} (assignVendor, schedule, complete or createInvoice).",
        )
    return await work_order_out(ctx, await transition(ctx, await _load(ctx, data.id), data.status, data.note))


async def assign_vendor(ctx: RequestContext, data: AssignVendor) -> WorkOrderOut:
    """Assigns a linked, approved provider whose licence and insurance are current."""
    order = await _load(ctx, data.id)
    await records.authorize_record(ctx, kinds.WORK_ORDER, order, "assign")
    link = await providers.eligible_provider(ctx, order.association_id, data.provider_organization_id)
    changes = {"assigned_provider_org_id": link.provider_organization_id, "assigned_vendor_id": link.vendor_id}
    return await work_order_out(ctx, await transition(ctx, order, "ASSIGNED", data.note, **changes))


async def schedule(ctx: RequestContext, data: Schedule) -> WorkOrderOut:
    order = await _load(ctx, data.id)
    changes = {"scheduled_start": data.scheduled_start, "scheduled_end": data.scheduled_end}
    return await work_order_out(ctx, await transition(ctx, order, "SCHEDULED", data.note, **changes))


async def complete(ctx: RequestContext, data: Complete) -> WorkOrderOut:
    """Completed; when the work replaced a reserve component, the component starts a new useful life today."""
    order = await _load(ctx, data.id)
    changes = {"completion_notes": data.completion_notes, "actual_cost": data.actual_cost}
    order = await transition(ctx, order, "COMPLETED", "completed", **changes)
    if order.reserve_component_id is not None:
        async with _in_order_scope(ctx, order):
            await reserve.record_replacement(
                ctx, order.reserve_component_id, datetime.now(UTC).date(), f"by {order.display_number}"
            )
    return await work_order_out(ctx, order)


async def _invoice_account(ctx: RequestContext, order: WorkOrder, account_id: uuid.UUID | None) -> uuid.UUID:
    """The account invoice lines default to: the given one, checked even when every line names its own; else, for
    the replacement of a reserve component, the component's reserve expense account (Reserve Expenditures when it
    has none), paid from the reserve fund; else Repairs and Maintenance."""
    if account_id is not None:
        return await accounting.codable_account_id(ctx, order.association_id, account_id)
    if order.reserve_component_id is not None:
        component = await reserve.find_component(ctx, order.reserve_component_id)
        if component.expense_account_id is not None:
            return component.expense_account_id
        return await accounting.expense_account_id(ctx, order.association_id, RESERVE_EXPENSE)
    return await accounting.expense_account_id(ctx, order.association_id)


async def create_invoice(ctx: RequestContext, data: CreateWorkOrderInvoice, *, as_system: bool = False) -> WorkOrderOut:
    """The assigned provider's invoice enters the association's payables in PENDING_APPROVAL, coded to
    Repairs and Maintenance (or the given account), linked both ways; the work order becomes INVOICED.
    `as_system`: no policy decision (the provider's own invoice entered by its workflow, `api.enter_provider_invoice`).
    """
    order = await _load(ctx, data.id)
    if not as_system:
        await records.authorize_record(ctx, kinds.WORK_ORDER, order, "create_invoice")
    check_transition("work order", lifecycle.TRANSITIONS, order.status, "INVOICED")  # before any invoice exists
    if order.assigned_provider_org_id is None:
        raise rule(WorkOrderReason.NO_VENDOR, "Assign a provider before invoicing.")
    provider = order.assigned_provider_org_id
    link = await providers.eligible_link(ctx, order.association_id, provider, as_system=as_system)
    if link.vendor_id is None:  # the payee for this provider: an existing vendor record, else a new one
        vendor_id = await accounting.vendor_for_provider(
            ctx, link.provider_organization_id, link.provider_name, as_system=as_system
        )
        await records.change(ctx, kinds.PROVIDER_LINK, link, {"vendor_id": vendor_id}, action="vendor_linked")
    assert link.vendor_id is not None
    default_account = await _invoice_account(ctx, order, data.gl_account_id)
    lines = [PayableLine(gl_account_id=default_account, description=order.title, amount=data.amount)]
    if data.lines:
        lines = [
            PayableLine(gl_account_id=x.gl_account_id or default_account, description=x.description, amount=x.amount)
            for x in data.lines
        ]
    invoice = await accounting.submit_payable(
        ctx,
        Payable(
            association_id=order.association_id,
            vendor_id=link.vendor_id,
            invoice_number=data.invoice_number,
            invoice_date=data.invoice_date,
            due_date=data.due_date,
            amount=data.amount,
            memo=f"{order.display_number}: {order.title}",
            lines=lines,
            source_type="WORK_ORDER",
            source_id=order.id,
        ),
        as_system=as_system,
    )
    changes = {"ap_invoice_id": invoice.id, "assigned_vendor_id": link.vendor_id}
    note = f"invoice {data.invoice_number}"
    return await work_order_out(ctx, await move(ctx, order, "INVOICED", note, changes, as_system=as_system))


async def add_comment(ctx: RequestContext, data: AddComment) -> CommentOut:
    order = await records.find(ctx, kinds.WORK_ORDER, data.id)
    await records.authorize_record(ctx, kinds.WORK_ORDER, order, "comment")
    internal = data.internal and bool(ctx.roles & MANAGING) and order.organization_id == ctx.organization_id
    comment = Comment(
        organization_id=order.organization_id,
        work_order_id=order.id,
        author_user_id=ctx.user_id,
        body=data.body,
        internal=internal,
    )
    ctx.session.add(comment)
    await ctx.session.flush()
    await ctx.session.refresh(comment)
    audit.record(ctx, "work_order.commented", "work_order", order.id, after={"comment_id": str(comment.id)})
    return CommentOut.model_validate(comment)


async def list_comments(ctx: RequestContext, order_id: uuid.UUID) -> CommentsOut:
    order = await records.load(ctx, kinds.WORK_ORDER, order_id)
    found = await repository.comments(ctx.session, order.id, include_internal=bool(ctx.roles & MANAGING))
    return CommentsOut(items=[CommentOut.model_validate(c) for c in found])


async def add_attachment(ctx: RequestContext, data: AddAttachment) -> AttachmentOut:
    """Filed as a document of the work order (domain 10): the type is read from the bytes, the file is scanned,
    and its text and preview are extracted like any upload's."""
    order = await records.find(ctx, kinds.WORK_ORDER, data.id)
    await records.authorize_record(ctx, kinds.WORK_ORDER, order, "attach")
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except binascii.Error:
        raise HestamiError(ErrorCode.VALIDATION_FAILED, "content_base64 is not base64.") from None
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise rule(WorkOrderReason.ATTACHMENT_TOO_LARGE, "Attachments are limited to 5 MB.", size=len(content))
    staged = await stage_bytes(content, data.file_name, max_bytes=MAX_ATTACHMENT_BYTES)
    try:
        async with _in_order_scope(ctx, order):
            attached = await documents.attach_file(
                ctx, organization_id=order.organization_id, association_id=order.association_id,
                scope_type=ATTACHMENT_SCOPE, scope_id=order.id, staged=staged,
            )  # fmt: skip
    finally:
        staged.remove()
    audit.record(ctx, "work_order.attachment_added", "work_order", order.id, after={"file_name": attached.file_name})
    return _attachment_out(attached)


def _in_order_scope(ctx: RequestContext, order: WorkOrder) -> AbstractAsyncContextManager[None]:
    """The work order's own organization: the caller's when they belong to it, else (an assigned provider acting
    from its own organization) the scope switch its status notices use."""
    if ctx.organization_id == order.organization_id:
        return nullcontext()
    return repository.acting_for_organization(
        ctx.session, order.organization_id, caller=(ctx.organization_id, ctx.user_id)
    )


def _attachment_out(attached: documents.AttachedFile) -> AttachmentOut:
    return AttachmentOut(
        id=attached.id, organization_id=attached.organization_id, created_at=attached.created_at,
        updated_at=attached.updated_at, work_order_id=attached.scope_id, file_name=attached.file_name,
        content_type=attached.content_type, size_bytes=attached.size_bytes, sha256=attached.sha256,
        uploaded_by=attached.uploaded_by,
    )  # fmt: skip


async def list_attachments(ctx: RequestContext, order_id: uuid.UUID) -> AttachmentsOut:
    order = await records.load(ctx, kinds.WORK_ORDER, order_id)
    async with _in_order_scope(ctx, order):
        found = await documents.attached_files(ctx, ATTACHMENT_SCOPE, order.id)
    return AttachmentsOut(items=[_attachment_out(a) for a in found])


async def download_attachment(ctx: RequestContext, data: AttachmentRef) -> DownloadOut:
    """A signed link to one of the work order's files, for whoever may view the work order (its requestor, the
    assigned provider, the board, managers); recorded in the document's access trail."""
    order = await records.load(ctx, kinds.WORK_ORDER, data.id)
    async with _in_order_scope(ctx, order):
        return await documents.attached_file_link(ctx, ATTACHMENT_SCOPE, order.id, data.attachment_id)


async def association_of(ctx: RequestContext, order_id: uuid.UUID) -> uuid.UUID:
    """For documents filed under a work order: the work order, loaded in the caller's scope, and its association."""
    return (await records.load(ctx, kinds.WORK_ORDER, order_id)).association_id


documents.register_link(ATTACHMENT_SCOPE, association_of)


async def status_history(ctx: RequestContext, order_id: uuid.UUID) -> StatusHistoryOut:
    order = await records.load(ctx, kinds.WORK_ORDER, order_id)
    found = await repository.status_history(ctx.session, order.id)
    return StatusHistoryOut(items=[StatusChangeOut.model_validate(h) for h in found])
