"""Charges another domain decided and authorized: a violation's fine (under the association's fine type, made on
first use) and a special assessment a resolution adopted (a new one-time type and one charge per unit). They post
through `receivables.post_charge` like every charge; no policy decision of their own."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from hestami.cam.accounting import kinds, ledger, repository
from hestami.cam.accounting.errors import AccountingReason, rule
from hestami.cam.accounting.models import AssessmentCharge, AssessmentType
from hestami.cam.accounting.schemas import ChargeOut
from hestami.cam.accounting.services.receivables import INCOME_ROLE, ZERO, charge_out, post_charge
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext


async def charge_fine(
    ctx: RequestContext, association_id: uuid.UUID, unit_id: uuid.UUID, amount: Decimal, description: str
) -> ChargeOut:
    """A fine decided elsewhere (a violation's hearing), charged today under the association's fine type."""
    atype = await fine_type(ctx, association_id)
    unit = await association_api.find_unit(ctx, unit_id, lock=True)
    if unit.association_id != association_id:
        raise rule(AccountingReason.WRONG_ASSOCIATION, "The unit belongs to another association.")
    charge = await post_charge(
        ctx, atype, unit, due_date=date.today(), amount=amount, description=description, decided=True
    )
    await ctx.session.refresh(charge)
    return charge_out(charge)


SPECIAL_ASSESSMENT_INCOME = {"OPERATING": "SPECIAL_ASSESSMENT_INCOME", "RESERVE": "RESERVE_CONTRIBUTION_INCOME"}


async def levy_special_assessment(
    ctx: RequestContext,
    association_id: uuid.UUID,
    *,
    name: str,
    due_date: date,
    fund: str,
    amounts: list[tuple[uuid.UUID, Decimal]],
) -> tuple[AssessmentType, list[AssessmentCharge]]:
    """A special assessment another domain decided (a resolution the board adopted): a ONE_TIME SPECIAL type named
    `name` crediting the fund's income (OPERATING: Special Assessments; RESERVE: Reserve Contributions), and one
    charge per unit of `amounts`, due `due_date`, each with its journal entry (Dr AR / Cr income, with the
    interfund legs the ledger adds). No policy decision of its own: the board's is the one."""
    await association_api.find_association(ctx, association_id)
    revenue = await ledger.account_for(ctx, association_id, SPECIAL_ASSESSMENT_INCOME[fund])
    atype = AssessmentType(
        association_id=association_id, name=name, kind="SPECIAL", frequency="ONE_TIME", amount=ZERO,
        revenue_account_id=revenue.id,
    )  # fmt: skip
    atype = await records.insert(ctx, kinds.ASSESSMENT_TYPE, atype)
    units = {
        unit.id: unit
        for unit in await association_api.units_of(ctx, association_id, unit_ids=[u for u, _ in amounts], lock=True)
    }
    charges = []
    for unit_id, amount in amounts:
        if unit_id not in units:
            raise rule(AccountingReason.WRONG_ASSOCIATION, "A unit of the assessment belongs to another association.")
        charges.append(
            await post_charge(
                ctx, atype, units[unit_id], due_date=due_date, amount=amount, description=name, decided=True
            )
        )
    return atype, charges


async def fine_type(ctx: RequestContext, association_id: uuid.UUID) -> AssessmentType:
    """The association's active FINE assessment type, a "Violation fines" type (income: Fines) made on first use,
    once even when two fines are posted at the same moment (a lock until commit). For a fine another domain has
    decided: the type is made without a policy decision of its own."""
    await association_api.find_association(ctx, association_id)
    await repository.lock_fine_type(ctx.session, association_id)
    existing = await repository.fine_type(ctx.session, association_id)
    if existing is not None:
        return existing
    revenue = await ledger.account_for(ctx, association_id, INCOME_ROLE["FINE"])
    fines = AssessmentType(
        association_id=association_id, name="Violation fines", kind="FINE", frequency="ONE_TIME", amount=ZERO,
        revenue_account_id=revenue.id,
    )  # fmt: skip
    return await records.insert(ctx, kinds.ASSESSMENT_TYPE, fines)
