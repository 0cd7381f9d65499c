"""Agreements: drafted for a customer or an HOA (`create`), numbered AGR-000001 per organization without gaps,
changed (`update`: the schedule, term, price and services only while DRAFT), read (`get`, `list`, `history`).
Every id in an input is loaded through the caller's scope (another organization's: NOT_FOUND)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.job import api as jobs
from hestami.contractor.maintenance import kinds, lifecycle, repository, rules
from hestami.contractor.maintenance.errors import MaintenanceReason, rule
from hestami.contractor.maintenance.models import Agreement, AgreementHistory, AgreementService
from hestami.contractor.maintenance.schemas import (
    AgreementDetailOut,
    AgreementOut,
    CreateAgreement,
    HistoryItemOut,
    HistoryOut,
    IncludedService,
    ListAgreements,
    RenewalOut,
    ServiceOut,
    TermOut,
    UpdateAgreement,
)
from hestami.contractor.pricebook import api as pricebook
from hestami.contractor.profile import api as profile
from hestami.core import records, runtime, workflows
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError, not_found
from hestami.core.pagination import Page

DRAFT_ONLY = frozenset({
    "address", "zip_code", "term_start", "term_months", "price", "billing_frequency", "job_template_id", "services",
    "schedule_rrule", "window_start", "window_end", "visit_duration_minutes",
})  # fmt: skip
REQUIRED = frozenset({
    "name", "auto_renew", "renewal_price_change_percent", "sla_days_late_allowed", "term_start", "term_months", "price",
    "billing_frequency", "schedule_rrule", "window_start", "window_end", "visit_duration_minutes", "services",
})  # fmt: skip
"""Fields an update may not clear (sent as null: left as they are)."""


def agreement_out(agreement: Agreement) -> AgreementOut:
    return records.output(AgreementOut, agreement, number=agreement.display_number)


async def detail_out(ctx: RequestContext, agreement: Agreement) -> AgreementDetailOut:
    session = ctx.session
    services = [ServiceOut(code=s.code, description=s.description, quantity=s.quantity)
                for s in await repository.services(session, agreement.id)]  # fmt: skip
    terms = [TermOut(term_number=t.term_number, term_start=t.term_start, term_end=t.term_end, price=t.price)
             for t in await repository.terms(session, agreement.id)]  # fmt: skip
    renewals = [
        RenewalOut(renewed_term_number=r.renewed_term_number, new_term_number=r.new_term_number, kind=r.kind,
                   price_before=r.price_before, price_after=r.price_after, renewed_by=r.renewed_by,
                   renewed_at=r.created_at)
        for r in await repository.renewals(session, agreement.id)
    ]  # fmt: skip
    return records.output(AgreementDetailOut, agreement, number=agreement.display_number, services=services,
                          terms=terms, renewals=renewals)  # fmt: skip


async def load(ctx: RequestContext, agreement_id: uuid.UUID, action: str = "view", *, lock: bool = False) -> Agreement:
    """An agreement of the caller's organization the caller may `action` (NOT_FOUND unless they may view it)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.AGREEMENT, agreement_id, action, lock=lock)


def wake_after_commit(ctx: RequestContext, agreement_id: uuid.UUID) -> None:
    """The agreement's run woken once this transaction has committed (a lost wake-up only delays it)."""
    run = lifecycle.workflow_id(agreement_id)
    ctx.after_commit(lambda: _post(run))


async def _post(run: str) -> None:
    workflows.wakeups.post(run, lifecycle.TOPIC, {"wake": True})


def history_row(agreement: Agreement, action: str, from_status: str | None, to_status: str,
                actor: uuid.UUID | None, note: str | None) -> AgreementHistory:  # fmt: skip
    return AgreementHistory(
        organization_id=agreement.organization_id, agreement_id=agreement.id, action=action, from_status=from_status,
        to_status=to_status, term_number=agreement.term_number, actor_user_id=actor, note=note,
    )  # fmt: skip


# --- who and what it is for ---------------------------------------------------------------------------------------


async def _party(ctx: RequestContext, data: CreateAgreement) -> dict[str, Any]:
    """The customer (with the site defaulting to theirs) or the HOA (its organization from the caller's link to
    the association; a work order: one assigned to the caller, of that association)."""
    if data.customer_id is not None:
        customer = await jobs.load_customer(ctx, data.customer_id)
        return {"customer_id": customer.id, "address": data.address or customer.address,
                "zip_code": data.zip_code or customer.zip_code}  # fmt: skip
    assert data.association_id is not None
    link = await work_orders.linked_association(ctx, data.association_id)
    party = {"hoa_organization_id": link.organization_id, "association_id": link.association_id,
             "address": data.address, "zip_code": data.zip_code}  # fmt: skip
    if data.work_order_id is not None:
        work = await work_orders.provider_work_order(ctx, data.work_order_id)
        if work is None or not work.assigned:
            raise not_found("work order", data.work_order_id)
        if work.association_id != link.association_id:
            raise rule(MaintenanceReason.WORK_ORDER_MISMATCH, f"{work.number} is another association's work order.",
                       work_order_id=str(work.work_order_id))  # fmt: skip
        party["work_order_id"] = work.work_order_id
    return party


async def _service_rows(ctx: RequestContext, services: list[IncludedService]) -> list[AgreementService]:
    """The included services, each a code of the ACTIVE pricebook (UNKNOWN_ITEM otherwise), described by its item."""
    if not services:
        return []
    items = await pricebook.items_of_codes(ctx, [s.code for s in services])
    missing = [s.code for s in services if s.code not in items]
    if missing:
        raise rule(MaintenanceReason.UNKNOWN_ITEM, f"Not in the active pricebook: {', '.join(missing)}.",
                   codes=missing)  # fmt: skip
    return [AgreementService(position=i, code=s.code, description=items[s.code].name, quantity=s.quantity)
            for i, s in enumerate(services, start=1)]  # fmt: skip


async def _check_refs(ctx: RequestContext, branch_id: uuid.UUID | None, template_id: uuid.UUID | None) -> None:
    if branch_id is not None:
        await profile.load_branch(ctx, branch_id)
    if template_id is not None:
        await pricebook.template(ctx, template_id)


async def _keep_services(ctx: RequestContext, agreement: Agreement, rows: list[AgreementService]) -> None:
    await repository.remove_services(ctx.session, agreement.id)
    for row in rows:
        row.organization_id, row.agreement_id = agreement.organization_id, agreement.id
        ctx.session.add(row)
    await ctx.session.flush()


# --- procedures ---------------------------------------------------------------------------------------------------


async def create(ctx: RequestContext, data: CreateAgreement) -> AgreementDetailOut:
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.AGREEMENT, "create")
    party = await _party(ctx, data)
    await _check_refs(ctx, data.branch_id, data.job_template_id)
    rows = await _service_rows(ctx, data.services)
    fields = data.model_dump(exclude={"customer_id", "association_id", "work_order_id", "address", "zip_code",
                                      "services"})  # fmt: skip
    draft = Agreement(
        **fields, **party, number=await repository.next_number(ctx.session, ctx.require_org()), status="DRAFT",
        term_number=1, term_end=rules.term_end(data.term_start, data.term_months), created_by=ctx.user_id,
    )  # fmt: skip
    agreement = await records.create(ctx, kinds.AGREEMENT, draft)
    await _keep_services(ctx, agreement, rows)
    ctx.session.add(history_row(agreement, "create", None, "DRAFT", ctx.user_id, None))
    return await detail_out(ctx, agreement)


def _require_draft(agreement: Agreement, changed: set[str]) -> None:
    locked = sorted(changed & DRAFT_ONLY)
    if locked and agreement.status != "DRAFT":
        raise rule(MaintenanceReason.NOT_EDITABLE, f"{agreement.display_number} is {agreement.status}: "
                   f"{', '.join(locked)} change only while DRAFT.", fields=locked, status=agreement.status)  # fmt: skip


async def update(ctx: RequestContext, data: UpdateAgreement) -> AgreementDetailOut:
    """Changes what was sent; the window's two ends are checked together with the stored ones."""
    agreement = await load(ctx, data.id, "update", lock=True)
    changes = {k: v for k, v in records.changes_of(data).items() if not (v is None and k in REQUIRED)}
    if agreement.status not in ("DRAFT", "ACTIVE"):
        raise rule(MaintenanceReason.NOT_EDITABLE, f"{agreement.display_number} is {agreement.status}.",
                   status=agreement.status)  # fmt: skip
    _require_draft(agreement, set(changes))
    await _check_refs(ctx, changes.get("branch_id"), changes.get("job_template_id"))
    if "services" in changes:
        await _keep_services(ctx, agreement, await _service_rows(ctx, data.services or []))
        changes.pop("services")
    if (changes.get("window_end", agreement.window_end)) <= changes.get("window_start", agreement.window_start):
        raise HestamiError(ErrorCode.VALIDATION_FAILED, field_errors=[
            FieldError("window_end", "The window must end after it starts.", "window_order")
        ])  # fmt: skip
    if "term_start" in changes or "term_months" in changes:
        start, months = (
            changes.get("term_start", agreement.term_start),
            changes.get("term_months", agreement.term_months),
        )
        changes["term_end"] = rules.term_end(start, months)
    if changes:
        agreement = await records.change(ctx, kinds.AGREEMENT, agreement, changes)
    if agreement.status == "ACTIVE":
        wake_after_commit(ctx, agreement.id)
    return await detail_out(ctx, agreement)


async def get(ctx: RequestContext, agreement_id: uuid.UUID) -> AgreementDetailOut:
    return await detail_out(ctx, await load(ctx, agreement_id))


async def list_agreements(ctx: RequestContext, data: ListAgreements) -> Page[AgreementOut]:
    await profile.require_contractor(ctx)
    wanted: list[tuple[Any, Any]] = [
        (Agreement.status, data.status), (Agreement.customer_id, data.customer_id),
        (Agreement.association_id, data.association_id),
    ]  # fmt: skip
    filters = [column == value for column, value in wanted if value is not None]
    if data.due_for_renewal is not None:
        due = repository.due_for_renewal(date.today(), runtime.current().settings.maintenance_renewal_notice_days)
        filters.append(due if data.due_for_renewal else ~due)
    rows, cursor = await records.page(ctx, kinds.AGREEMENT, data, *filters)
    return Page[AgreementOut](items=[agreement_out(r) for r in rows], next_cursor=cursor)


async def history(ctx: RequestContext, agreement_id: uuid.UUID) -> HistoryOut:
    agreement = await load(ctx, agreement_id)
    rows = await repository.history(ctx.session, agreement.id)
    return HistoryOut(items=[
        HistoryItemOut(action=h.action, from_status=h.from_status, to_status=h.to_status, term_number=h.term_number,
                       actor_user_id=h.actor_user_id, note=h.note, at=h.created_at)
        for h in rows
    ])  # fmt: skip
