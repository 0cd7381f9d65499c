"""Checklists: the steps of one piece of compliance work (an annual meeting's notice, ballots, minutes), each
item with its due date, assignee and completion evidence. A checklist is COMPLETED once every item is done, and
changes no more after that."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.association import api as association
from hestami.cam.compliance import kinds, repository
from hestami.cam.compliance.errors import ComplianceReason, rule
from hestami.cam.compliance.models import Checklist, ChecklistItem
from hestami.cam.compliance.schemas import (
    AddChecklistItem,
    ChecklistItemIn,
    ChecklistItemOut,
    ChecklistOut,
    ChecklistsOut,
    CompleteChecklistItem,
    CreateChecklist,
    ListChecklists,
)
from hestami.cam.documents import api as documents
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.identity.services import organizations as identity

ITEM_KIND = "compliance_checklist_item"


def output(checklist: Checklist, items: list[ChecklistItem] | None = None) -> ChecklistOut:
    shown = None if items is None else [ChecklistItemOut.model_validate(i, from_attributes=True) for i in items]
    return records.output(ChecklistOut, checklist, items=shown)


async def _check_assignee(ctx: RequestContext, user_id: uuid.UUID | None) -> None:
    if user_id is not None and await identity.email_of_member(ctx, user_id) is None:
        raise not_found("user", user_id)


async def _add_item(ctx: RequestContext, checklist: Checklist, item: ChecklistItemIn, position: int) -> None:
    row = ChecklistItem(
        organization_id=checklist.organization_id, checklist_id=checklist.id, position=position, title=item.title,
        due_on=item.due_on, assignee_user_id=item.assignee_user_id,
    )  # fmt: skip
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(
        ctx, f"{kinds.CHECKLIST.name}.item_added", kinds.CHECKLIST.name, checklist.id,
        after={"item_id": str(row.id), "title": item.title, "position": position},
    )  # fmt: skip


def _still_open(checklist: Checklist) -> None:
    if checklist.status == "COMPLETED":
        raise rule(ComplianceReason.CHECKLIST_COMPLETED, "This checklist is completed; it changes no more.")


async def create(ctx: RequestContext, data: CreateChecklist) -> ChecklistOut:
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.CHECKLIST, "create")
    if data.deadline_id is not None:
        deadline = await records.load(ctx, kinds.DEADLINE, data.deadline_id)
        if deadline.association_id != data.association_id:
            raise rule(ComplianceReason.WRONG_ASSOCIATION, "That deadline belongs to another association.")
    for item in data.items:
        await _check_assignee(ctx, item.assignee_user_id)
    checklist = await records.create(
        ctx, kinds.CHECKLIST,
        Checklist(association_id=data.association_id, title=data.title, description=data.description,
                  due_on=data.due_on, deadline_id=data.deadline_id, status="OPEN"),
    )  # fmt: skip
    for position, item in enumerate(data.items, start=1):
        await _add_item(ctx, checklist, item, position)
    return output(checklist, await repository.checklist_items(ctx.session, checklist.id))


async def add_item(ctx: RequestContext, data: AddChecklistItem) -> ChecklistOut:
    checklist = await records.load(ctx, kinds.CHECKLIST, data.id, "update", lock=True)
    _still_open(checklist)
    await _check_assignee(ctx, data.assignee_user_id)
    await _add_item(ctx, checklist, data, await repository.next_position(ctx.session, checklist.id))
    return output(checklist, await repository.checklist_items(ctx.session, checklist.id))


async def complete_item(ctx: RequestContext, data: CompleteChecklistItem) -> ChecklistOut:
    checklist = await records.load(ctx, kinds.CHECKLIST, data.id, "complete_item", lock=True)
    item = await repository.checklist_item(ctx.session, checklist.id, data.item_id, lock=True)
    if item is None:
        raise not_found(ITEM_KIND, data.item_id)
    _still_open(checklist)
    if item.completed_at is not None:
        raise rule(ComplianceReason.ITEM_COMPLETED, "This item is already done.")
    if data.evidence_document_id is not None:
        evidence = await documents.existing_file(ctx, data.evidence_document_id)
        if evidence.association_id not in (None, checklist.association_id):
            raise rule(ComplianceReason.WRONG_ASSOCIATION, "That document belongs to another association.")
    item.completed_at, item.completed_by = datetime.now(UTC), ctx.user_id
    item.evidence_document_id, item.notes = data.evidence_document_id, data.notes
    await ctx.session.flush()
    audit.record(
        ctx, f"{kinds.CHECKLIST.name}.item_completed", kinds.CHECKLIST.name, checklist.id,
        after={"item_id": str(item.id),
               "evidence_document_id": str(data.evidence_document_id) if data.evidence_document_id else None},
    )  # fmt: skip
    if await repository.open_items(ctx.session, checklist.id) == 0:
        await records.change(ctx, kinds.CHECKLIST, checklist, {"status": "COMPLETED"}, action="completed")
    return output(checklist, await repository.checklist_items(ctx.session, checklist.id))


async def get(ctx: RequestContext, checklist_id: uuid.UUID) -> ChecklistOut:
    checklist = await records.load(ctx, kinds.CHECKLIST, checklist_id)
    return output(checklist, await repository.checklist_items(ctx.session, checklist.id))


async def list_checklists(ctx: RequestContext, data: ListChecklists) -> ChecklistsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Checklist.association_id == data.association_id)
    if data.deadline_id is not None:
        filters.append(Checklist.deadline_id == data.deadline_id)
    if data.status is not None:
        filters.append(Checklist.status == data.status)
    rows, cursor = await records.page(ctx, kinds.CHECKLIST, data, *filters)
    return ChecklistsOut(items=[output(c) for c in rows], next_cursor=cursor)
