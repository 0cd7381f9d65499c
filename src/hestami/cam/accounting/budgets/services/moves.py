"""A budget's moves (`lifecycle.TRANSITIONS`): proposed to the board, sent back to draft, adopted. Each move is
authorized per action, checked against the table (INVALID_STATE_TRANSITION), audited and written to the status
history in one transaction.

Adoption holds the association, fund and fiscal year's adoption lock before it reads the budget in force, so two
adoptions at once serialize: the second supersedes the first's budget, as one after the other would (and the
partial unique index `uq_budgets_adopted` refuses a second ADOPTED budget whatever path writes). It tells every
owner of the association about the budget adopted (disclosure to owners), once per owner and budget.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from hestami.cam.accounting.budgets import kinds, lifecycle, repository, rules
from hestami.cam.accounting.budgets.errors import BudgetReason, rule
from hestami.cam.accounting.budgets.models import Budget
from hestami.cam.accounting.budgets.schemas import BudgetOut, MoveBudget
from hestami.cam.accounting.budgets.services import budgets
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition
from hestami.core.outbox import OutboundMessage, record_all_once

ADOPTED_TEMPLATE = "budget.adopted"


async def _move(ctx: RequestContext, budget: Budget, target: str, note: str | None, **changes: object) -> Budget:
    check_transition("budget", lifecycle.TRANSITIONS, budget.status, target)
    before = budget.status
    budget = await records.change(ctx, kinds.BUDGET, budget, {**changes, "status": target}, action="status_changed")
    budgets.history_row(ctx, budget, before, target, note)
    return budget


async def _loaded(ctx: RequestContext, data: MoveBudget, target: str) -> Budget:
    """The budget, locked, once the caller may make this move (NOT_FOUND, then FORBIDDEN), and the move exists."""
    budget = await records.load(ctx, kinds.BUDGET, data.id, lifecycle.ACTION_FOR[target], lock=True)
    check_transition("budget", lifecycle.TRANSITIONS, budget.status, target)
    return budget


async def propose(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    budget = await _loaded(ctx, data, "PROPOSED")
    if not await repository.lines_of(ctx.session, budget.id):
        raise rule(BudgetReason.EMPTY_BUDGET, "A budget needs at least one line to be proposed.")
    now = datetime.now(UTC)
    budget = await _move(ctx, budget, "PROPOSED", data.note, proposed_at=now, proposed_by=ctx.user_id)
    return await budgets.output(ctx, budget)


async def return_to_draft(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    budget = await _loaded(ctx, data, "DRAFT")
    budget = await _move(ctx, budget, "DRAFT", data.note, proposed_at=None, proposed_by=None)
    return await budgets.output(ctx, budget)


async def adopt(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    budget = await _loaded(ctx, data, "ADOPTED")
    await repository.lock_adoption(ctx.session, budget.association_id, budget.fund, budget.fiscal_year)
    now = datetime.now(UTC)
    current = await repository.adopted_budget(ctx.session, budget.association_id, budget.fund, budget.fiscal_year)
    if current is not None:
        await _move(
            ctx, current, "SUPERSEDED", f"Superseded by {budget.name}", superseded_by_id=budget.id,
            superseded_at=now,
        )  # fmt: skip
    budget = await _move(
        ctx, budget, "ADOPTED", data.note, adopted_at=now, adopted_by=ctx.user_id, adoption_note=data.note
    )
    adopted = await budgets.output(ctx, budget)
    await _disclose(ctx, adopted)
    return adopted


async def _disclose(ctx: RequestContext, budget: BudgetOut) -> None:
    """Tells the association's owners of record today that the budget was adopted: a PORTAL message to each owner
    with an account, an EMAIL to an owner with only an email address; once per owner and budget (dedupe keys)."""
    association = await association_api.find_association(ctx, budget.association_id)
    owners = await association_api.owners_of_record(ctx, budget.association_id, datetime.now(UTC).date())
    payload = {
        "budget_id": str(budget.id), "budget_name": budget.name, "association_name": association.name,
        "fiscal_year": rules.fiscal_year_label(budget.fiscal_year, budget.starts_on.month), "fund": budget.fund,
        "starts_on": budget.starts_on.isoformat(), "ends_on": budget.ends_on.isoformat(),
        "income": str(budget.totals.income), "expense": str(budget.totals.expense), "net": str(budget.totals.net),
    }  # fmt: skip
    recipients: dict[str, tuple[str, str, uuid.UUID | None]] = {}
    for contacts in owners.values():
        for contact in contacts:
            if contact.user_id is not None:
                recipients[f"user:{contact.user_id}"] = ("PORTAL", f"user:{contact.user_id}", contact.user_id)
            elif contact.email:
                recipients[f"email:{contact.email.lower()}"] = ("EMAIL", contact.email, None)
    messages = [
        OutboundMessage(
            organization_id=ctx.require_org(), channel=channel, recipient=recipient, recipient_user_id=user_id,
            template=ADOPTED_TEMPLATE, payload=payload, request_id=ctx.request_id, entity_type=kinds.BUDGET.name,
            entity_id=budget.id, dedupe_key=f"budget:{budget.id}:adopted:{key}",
        )
        for key, (channel, recipient, user_id) in recipients.items()
    ]  # fmt: skip
    await record_all_once(ctx.session, messages)
