"""The approval chain of AP invoices, by amount thresholds per association.

A manager approves an invoice up to the association's `manager_limit` (default 5,000.00): the invoice is APPROVED
(its expense entry posts). Above the limit their approval is recorded and the invoice waits in PENDING_BOARD for a
board member seated on the association's board; above `dual_approval_threshold` (when set) for two distinct ones.
A board member's approval counts for the board whatever the amount, and so does an organization ADMIN's (a
self-managed association's officers, an admin acting for the board, as in adopting a budget). Each approval is a row of
the invoice's approval history (who, role, amount, the status it left); one per person and invoice.

The chain runs inside accounting's `approve` (`payables.approval_gate`), on the invoice row it holds locked, so
two approvals of one invoice take turns.
"""

from __future__ import annotations

import uuid

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.disbursements import kinds, repository, rules
from hestami.cam.accounting.disbursements.errors import DisbursementReason, conflict, rule
from hestami.cam.accounting.disbursements.models import ApprovalSettings, InvoiceApproval
from hestami.cam.accounting.disbursements.schemas import (
    ApprovalHistoryOut,
    ApprovalOut,
    ApprovalSettingsOut,
    UpdateApprovalSettings,
)
from hestami.cam.accounting.models import APInvoice
from hestami.cam.association import api as association
from hestami.core import audit, records
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.identity.services import organizations as identity


def chain_of(row: ApprovalSettings | None) -> rules.Chain:
    if row is None:
        return rules.Chain()
    return rules.Chain(row.manager_limit, row.dual_approval_threshold)


def _settings_out(association_id: uuid.UUID, row: ApprovalSettings | None) -> ApprovalSettingsOut:
    chain = chain_of(row)
    return ApprovalSettingsOut(
        association_id=association_id, manager_limit=chain.manager_limit,
        dual_approval_threshold=chain.dual_approval_threshold, customized=row is not None,
    )  # fmt: skip


async def _authorize_settings(ctx: RequestContext, association_id: uuid.UUID, action: str) -> None:
    attrs = {"organization_id": str(ctx.require_org()), "association_id": str(association_id)}
    await authorize(ctx, action, Resource(kinds.APPROVAL_SETTINGS, str(association_id), attrs))


async def get_settings(ctx: RequestContext, association_id: uuid.UUID) -> ApprovalSettingsOut:
    await association.load_association(ctx, association_id)
    await _authorize_settings(ctx, association_id, "view")
    return _settings_out(association_id, await repository.approval_settings(ctx.session, association_id))


async def update_settings(ctx: RequestContext, data: UpdateApprovalSettings) -> ApprovalSettingsOut:
    await association.load_association(ctx, data.association_id)
    await _authorize_settings(ctx, data.association_id, "update")
    await repository.lock(ctx.session, "approval_settings", data.association_id)
    row = await repository.approval_settings(ctx.session, data.association_id)
    before = _settings_out(data.association_id, row)
    if row is None:
        row = ApprovalSettings(organization_id=ctx.require_org(), association_id=data.association_id)
        ctx.session.add(row)
    row.manager_limit = data.manager_limit
    row.dual_approval_threshold = data.dual_approval_threshold
    await ctx.session.flush()
    after = _settings_out(data.association_id, row)
    audit.record(
        ctx, "ap_approval_settings.updated", kinds.APPROVAL_SETTINGS, data.association_id,
        before=before.model_dump(mode="json"), after=after.model_dump(mode="json"),
    )  # fmt: skip
    return after


def _role(ctx: RequestContext, invoice: APInvoice) -> str:
    if str(invoice.association_id) in ctx.board_association_ids:
        return rules.BOARD_MEMBER
    return "ADMIN" if "ADMIN" in ctx.roles else "MANAGER"


async def gate(ctx: RequestContext, invoice: APInvoice) -> str | None:
    """Records the caller's approval of the (locked, authorized) invoice; None when it completes the chain (the
    invoice becomes APPROVED), else the status it waits in (PENDING_BOARD). A manager's approval of an invoice
    already waiting for the board is BOARD_APPROVAL_REQUIRED; a second approval by the same person
    ALREADY_APPROVED."""
    approver = ctx.require_user()
    chain = chain_of(await repository.approval_settings(ctx.session, invoice.association_id))
    role = _role(ctx, invoice)
    earlier = await repository.approvals_of(ctx.session, invoice.id)
    if any(a.approver_user_id == approver for a in earlier):
        raise conflict(DisbursementReason.ALREADY_APPROVED, "You have already approved this invoice.")
    by_board = role in rules.FOR_THE_BOARD
    if invoice.status == "PENDING_BOARD" and not by_board:
        raise rule(
            DisbursementReason.BOARD_APPROVAL_REQUIRED,
            f"Invoice {invoice.invoice_number} ({invoice.amount}) is above the manager's limit of "
            f"{chain.manager_limit}: a member of the association's board must approve it.",
            manager_limit=str(chain.manager_limit),
        )
    board = {a.approver_user_id for a in earlier if a.role in rules.FOR_THE_BOARD} | ({approver} if by_board else set())
    status = rules.after_approval(invoice.amount, chain, board_approvers=len(board), by_board_member=by_board)
    ctx.session.add(
        InvoiceApproval(
            organization_id=invoice.organization_id, invoice_id=invoice.id, association_id=invoice.association_id,
            approver_user_id=approver, role=role, amount=invoice.amount, resulting_status=status,
        )
    )  # fmt: skip
    await ctx.session.flush()
    audit.record(
        ctx, "ap_invoice.approval_recorded", accounting_kinds.AP_INVOICE.name, invoice.id,
        after={"role": role, "resulting_status": status, "amount": str(invoice.amount)},
    )  # fmt: skip
    return None if status == "APPROVED" else status


async def history(ctx: RequestContext, invoice_id: uuid.UUID) -> ApprovalHistoryOut:
    invoice = await records.load(ctx, accounting_kinds.AP_INVOICE, invoice_id)
    chain = chain_of(await repository.approval_settings(ctx.session, invoice.association_id))
    approvals = await repository.approvals_of(ctx.session, invoice.id)
    board = {a.approver_user_id for a in approvals if a.role in rules.FOR_THE_BOARD}
    awaiting = {"PENDING_BOARD": "BOARD_MEMBER", "PENDING_APPROVAL": "MANAGER_OR_BOARD"}.get(invoice.status, "NOTHING")
    names = await identity.member_names(ctx, [a.approver_user_id for a in approvals])
    return ApprovalHistoryOut(
        invoice_id=invoice.id, status=invoice.status, amount=invoice.amount,
        board_approvals_needed=rules.board_approvals_needed(invoice.amount, chain), board_approvals=len(board),
        awaiting=awaiting,
        approvals=[
            ApprovalOut(approver_user_id=a.approver_user_id, approver_name=names.get(a.approver_user_id), role=a.role,
                        amount=a.amount, resulting_status=a.resulting_status, approved_at=a.created_at)
            for a in approvals
        ],
    )  # fmt: skip
