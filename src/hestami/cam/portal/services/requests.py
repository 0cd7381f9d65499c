"""Owner requests: asked by an owner (or a tenant) about their unit or a common area of their association, or filed
by a manager for an owner; numbered per association without gaps; moved through `lifecycle.TRANSITIONS` in one
place (`move`), each move, comment and file one history row; followed by the owner, answered by the managers, read
by the association's board."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, or_

from hestami.cam.association import api as association
from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DownloadOut
from hestami.cam.portal import kinds, lifecycle, repository
from hestami.cam.portal.errors import PortalReason, rule
from hestami.cam.portal.models import OwnerRequest, RequestEvent
from hestami.cam.portal.schemas import (
    AddRequestAttachment,
    AddRequestComment,
    CancelRequest,
    CreateRequest,
    FollowedWorkOrderOut,
    ListRequests,
    RequestAttachmentRef,
    RequestDetailOut,
    RequestEventOut,
    RequestFileOut,
    RequestOut,
    RequestsOut,
    UpdateRequestStatus,
    WorkOrderStepOut,
)
from hestami.cam.portal.services import files, notices
from hestami.cam.work_order import api as work_order
from hestami.core import audit, records
from hestami.core.authz import Resource, allows
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition, not_found
from hestami.core.pagination import PageRequest

CLOSED_TO_COMMENTS = frozenset({"CLOSED", "CANCELLED"})


def request_out(request: OwnerRequest) -> RequestOut:
    return records.output(RequestOut, request, number=request.reference)


def event(
    ctx: RequestContext,
    request: OwnerRequest,
    kind: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    body: str | None = None,
    internal: bool = False,
) -> None:
    """One history row (flushed with the change it records)."""
    row = RequestEvent(
        organization_id=request.organization_id, request_id=request.id, kind=kind, from_status=from_status,
        to_status=to_status, actor_user_id=ctx.user_id, body=body, internal=internal,
    )  # fmt: skip
    ctx.session.add(row)


# --- asking ----------------------------------------------------------------------------------------------------


async def _may_file_for_others(ctx: RequestContext, association_id: uuid.UUID) -> bool:
    attrs = {"organization_id": str(ctx.require_org()), "association_id": str(association_id)}
    return await allows(ctx, "file_for_others", Resource(kinds.OWNER_REQUEST.name, "new", attrs))


async def _own_party_for(ctx: RequestContext, association_id: uuid.UUID, unit_id: uuid.UUID | None) -> uuid.UUID | None:
    """The caller's party that holds the unit (else one holding a unit of the association, else their first)."""
    parties = await association.parties_of_caller(ctx)
    for party in parties:
        if any(h.unit_id == unit_id for h in party.holdings):
            return party.id
    for party in parties:
        if any(h.association_id == association_id for h in party.holdings):
            return party.id
    return parties[0].id if parties else None


async def _who(ctx: RequestContext, data: CreateRequest) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(party, account that follows it): checks every reference in the caller's scope (NOT_FOUND), that each is of
    the association (WRONG_ASSOCIATION) and, for an owner or tenant, that the unit is theirs (NOT_YOUR_UNIT) or, about a
    common area alone, that they live in the association (NOT_A_RESIDENT)."""
    await association.load_association(ctx, data.association_id)
    unit = await association.load_unit(ctx, data.unit_id) if data.unit_id is not None else None
    area = await association.load_common_area(ctx, data.common_area_id) if data.common_area_id is not None else None
    party = await association.load_party(ctx, data.party_id) if data.party_id is not None else None
    if any(place.association_id != data.association_id for place in (unit, area) if place is not None):
        raise rule(PortalReason.WRONG_ASSOCIATION, "The unit or common area belongs to another association.")
    if await _may_file_for_others(ctx, data.association_id):
        return (party.party_id, party.user_id) if party is not None else (None, ctx.user_id)
    if party is not None and party.user_id != ctx.user_id:
        raise not_found("party", party.party_id)  # someone else's party: as if it did not exist
    me = str(ctx.require_user())
    if unit is not None:
        people = await association.people_of_unit(ctx, unit.id)
        if me not in people.owner_user_ids and me not in people.member_user_ids:
            raise rule(PortalReason.NOT_YOUR_UNIT, "You may ask only about a unit you own or rent.")
    elif not (
        await association.caller_owns_in_association(ctx, data.association_id)
        or await association.caller_rents_in_association(ctx, data.association_id)
    ):
        raise rule(PortalReason.NOT_A_RESIDENT, "You own or rent no unit of this association.")
    own = party.party_id if party is not None else await _own_party_for(ctx, data.association_id, data.unit_id)
    return own, ctx.user_id


async def create(ctx: RequestContext, data: CreateRequest) -> RequestDetailOut:
    await records.authorize_new(ctx, kinds.OWNER_REQUEST, "create")
    contents = [
        files.decode(sent.content_base64, f"/attachments/{index}/content_base64")
        for index, sent in enumerate(data.attachments)
    ]
    party_id, owner_user_id = await _who(ctx, data)
    await association.lock_for_numbering(ctx, data.association_id)
    request = OwnerRequest(
        association_id=data.association_id, number=await repository.next_number(ctx.session, data.association_id),
        category=data.category, subject=data.subject, description=data.description, status="SUBMITTED",
        unit_id=data.unit_id, common_area_id=data.common_area_id, party_id=party_id, submitted_by=ctx.user_id,
        owner_user_id=owner_user_id,
    )  # fmt: skip
    request = await records.create(ctx, kinds.OWNER_REQUEST, request)
    event(ctx, request, "SUBMITTED", to_status="SUBMITTED")
    for attachment, content in zip(data.attachments, contents, strict=True):
        filed = await files.attach(ctx, request, attachment.file_name, content)
        event(ctx, request, "ATTACHMENT", body=filed.file_name)
    await ctx.session.flush()
    await notices.submitted(ctx, request)
    return await detail(ctx, request)


# --- reading ---------------------------------------------------------------------------------------------------


def followed_out(order: work_order.FollowedWorkOrder) -> FollowedWorkOrderOut:
    return FollowedWorkOrderOut(
        id=order.id, number=order.number, title=order.title, category=order.category, priority=order.priority,
        status=order.status, submitted_at=order.submitted_at, scheduled_start=order.scheduled_start,
        scheduled_end=order.scheduled_end, completed_at=order.completed_at,
        history=[WorkOrderStepOut(from_status=s.from_status, to_status=s.to_status, note=s.note, at=s.at)
                 for s in order.history],
        attachments=[files.file_out(f, "WORK_ORDER") for f in order.attachments],
    )  # fmt: skip


async def detail(ctx: RequestContext, request: OwnerRequest) -> RequestDetailOut:
    """The request with its history (internal notes for managers only), its files and, once converted, the work
    order it became, read through `work_order.api` as the system (the caller may view the request)."""
    internal = await records.can(ctx, kinds.OWNER_REQUEST, request, "view_internal")
    history = await repository.history(ctx.session, [request.id], include_internal=internal)
    attached: list[RequestFileOut] = [files.file_out(f, "REQUEST") for f in await files.files_of(ctx, request)]
    followed = await work_order.follow(ctx, request.work_order_id) if request.work_order_id is not None else None
    return records.output(
        RequestDetailOut, request, number=request.reference,
        history=[RequestEventOut.model_validate(e, from_attributes=True) for e in history], attachments=attached,
        work_order=followed_out(followed) if followed is not None else None,
    )  # fmt: skip


async def get(ctx: RequestContext, request_id: uuid.UUID) -> RequestDetailOut:
    return await detail(ctx, await records.load(ctx, kinds.OWNER_REQUEST, request_id))


async def list_(ctx: RequestContext, data: ListRequests) -> RequestsOut:
    """The requests the caller may see (owners: those they follow; the board: its associations'), oldest first."""
    filters: list[ColumnElement[bool]] = []
    for column, value in (
        (OwnerRequest.association_id, data.association_id),
        (OwnerRequest.status, data.status),
        (OwnerRequest.category, data.category),
        (OwnerRequest.unit_id, data.unit_id),
    ):
        if value is not None:
            filters.append(column == value)
    if data.mine:
        me = ctx.require_user()
        filters.append(or_(OwnerRequest.owner_user_id == me, OwnerRequest.submitted_by == me))
    page = PageRequest(limit=data.limit, cursor=data.cursor)
    rows, cursor = await records.page(ctx, kinds.OWNER_REQUEST, page, *filters)
    return RequestsOut(items=[request_out(r) for r in rows], next_cursor=cursor)


# --- moving ----------------------------------------------------------------------------------------------------


async def move(
    ctx: RequestContext, request: OwnerRequest, target: str, note: str | None = None, **changes: Any
) -> OwnerRequest:
    """The one way a request changes status: authorized per move first (a request the caller may not see is
    NOT_FOUND, whatever its status), checked against the table (INVALID_STATE_TRANSITION with from/to), stamped,
    written with its history row and audit event, and told to the owner when it is one they hear of."""
    current = request.status
    await records.authorize_record(ctx, kinds.OWNER_REQUEST, request, lifecycle.ACTION_FOR[target])
    check_transition("owner request", lifecycle.TRANSITIONS, current, target)
    stamp = lifecycle.STAMP.get(target)
    if stamp is not None:
        changes[stamp] = datetime.now(UTC)
    request = await records.change(
        ctx, kinds.OWNER_REQUEST, request, {**changes, "status": target}, action="status_changed"
    )
    event(ctx, request, "STATUS", from_status=current, to_status=target, body=note)
    await ctx.session.flush()
    if target in lifecycle.NOTIFIED:
        await notices.status_changed(ctx, request, target, note=note)
    return request


async def _locked(ctx: RequestContext, request_id: uuid.UUID) -> OwnerRequest:
    """For a change: the request in scope, its row held until the transaction ends."""
    return await records.find(ctx, kinds.OWNER_REQUEST, request_id, lock=True)


async def update_status(ctx: RequestContext, data: UpdateRequestStatus) -> RequestDetailOut:
    request = await _locked(ctx, data.id)
    changes = {"resolution": data.note} if data.status == "RESOLVED" and data.note else {}
    return await detail(ctx, await move(ctx, request, data.status, data.note, **changes))


async def cancel(ctx: RequestContext, data: CancelRequest) -> RequestDetailOut:
    """The owner withdraws a request no one has acted on (SUBMITTED or IN_REVIEW)."""
    request = await _locked(ctx, data.id)
    return await detail(ctx, await move(ctx, request, "CANCELLED", data.reason))


async def add_comment(ctx: RequestContext, data: AddRequestComment) -> RequestDetailOut:
    """A comment (a history row); a manager's may be internal (the owner does not see it). A closed or cancelled
    request takes no comments (NOT_EDITABLE)."""
    request = await _locked(ctx, data.id)
    await records.authorize_record(ctx, kinds.OWNER_REQUEST, request, "comment")
    if request.status in CLOSED_TO_COMMENTS:
        raise rule(PortalReason.NOT_EDITABLE, f"A {request.status} request takes no comments.", status=request.status)
    internal = data.internal and await records.can(ctx, kinds.OWNER_REQUEST, request, "view_internal")
    event(ctx, request, "COMMENT", body=data.body, internal=internal)
    audit.record(ctx, "owner_request.commented", kinds.OWNER_REQUEST.name, request.id, after={"internal": internal})
    await ctx.session.flush()
    return await detail(ctx, request)


async def add_attachment(ctx: RequestContext, data: AddRequestAttachment) -> RequestDetailOut:
    """A file for a request no one has acted on yet (NOT_EDITABLE otherwise), at most 5 per request
    (TOO_MANY_ATTACHMENTS)."""
    request = await _locked(ctx, data.id)
    await records.authorize_record(ctx, kinds.OWNER_REQUEST, request, "attach")
    if request.status not in lifecycle.OPEN:
        raise rule(PortalReason.NOT_EDITABLE, f"Files cannot be added to a {request.status} request.")
    content = files.decode(data.content_base64, "/content_base64")
    if len(await files.files_of(ctx, request)) >= files.MAX_FILES:
        raise rule(PortalReason.TOO_MANY_ATTACHMENTS, f"A request takes at most {files.MAX_FILES} files.")
    filed = await files.attach(ctx, request, data.file_name, content)
    event(ctx, request, "ATTACHMENT", body=filed.file_name)
    audit.record(
        ctx, "owner_request.attachment_added", kinds.OWNER_REQUEST.name, request.id,
        after={"document_id": str(filed.id), "file_name": filed.file_name, "sha256": filed.sha256},
    )  # fmt: skip
    await ctx.session.flush()
    return await detail(ctx, request)


async def download_attachment(ctx: RequestContext, data: RequestAttachmentRef) -> DownloadOut:
    """A signed link to a file of the request or of the work order it became, for whoever may view the request
    (the owner needs no right on work orders); recorded in the document's access trail. Any other file is
    NOT_FOUND."""
    request = await records.load(ctx, kinds.OWNER_REQUEST, data.id)
    if any(f.id == data.attachment_id for f in await files.files_of(ctx, request)):
        return await documents.attached_file_link(ctx, files.SCOPE, request.id, data.attachment_id)
    if request.work_order_id is not None:
        return await work_order.attachment_link(ctx, request.work_order_id, data.attachment_id)
    raise not_found("attachment", data.attachment_id)
