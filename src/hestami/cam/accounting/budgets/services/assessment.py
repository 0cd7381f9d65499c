"""The assessment that funds a budget: derived on request without changing anything, and applied to the
assessment type (the amount billed from then on) from an adopted budget.

The amount needed a year is the budget's expenses less its income other than the assessment's own account (the
assessment type's revenue account, by default the fund's Regular Assessments or Reserve Contributions account):
`rules.amount_needed`. It is split over the assessment type's periods (12 monthly, 4 quarterly, 2 semi-annual, 1
annual) and the association's units: by assessment share when every unit has one, else equally; rounding to the
cent is explained in the answer (`rules.derive`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting import ledger
from hestami.cam.accounting import repository as accounting_repository
from hestami.cam.accounting.budgets import kinds, lifecycle, repository, rules
from hestami.cam.accounting.budgets.errors import BudgetReason, rule
from hestami.cam.accounting.budgets.models import Budget
from hestami.cam.accounting.budgets.schemas import (
    AppliedAssessmentOut,
    ApplyAssessment,
    DeriveAssessment,
    DerivedAssessmentOut,
    UnitAssessmentOut,
)
from hestami.cam.accounting.models import AssessmentType
from hestami.cam.association import api as association_api
from hestami.core import records
from hestami.core.context import RequestContext

DEFAULT_FREQUENCY = "MONTHLY"


async def _named_type(
    ctx: RequestContext, budget: Budget, type_id: uuid.UUID, action: str, *, lock: bool = False
) -> AssessmentType:
    """The assessment type named, read in the caller's scope (NOT_FOUND), of the budget's association
    (WRONG_ASSOCIATION), REGULAR (NOT_A_REGULAR_ASSESSMENT), crediting the budget's fund (WRONG_FUND) and periodic
    (NOT_PERIODIC)."""
    atype = await records.load(ctx, accounting_kinds.ASSESSMENT_TYPE, type_id, action, lock=lock)
    if atype.association_id != budget.association_id:
        raise rule(BudgetReason.WRONG_ASSOCIATION, "The assessment type belongs to another association.")
    if atype.kind != "REGULAR":
        raise rule(
            BudgetReason.NOT_A_REGULAR_ASSESSMENT, f"{atype.name} is a {atype.kind} assessment, not a REGULAR one.",
            kind=atype.kind,
        )  # fmt: skip
    revenue = await accounting_repository.account(ctx.session, atype.revenue_account_id)
    if revenue is None or revenue.fund != budget.fund:
        fund = revenue.fund if revenue is not None else None
        raise rule(
            BudgetReason.WRONG_FUND, f"{atype.name} is credited to the {fund} fund, not the {budget.fund} fund.",
            type_fund=fund, budget_fund=budget.fund,
        )  # fmt: skip
    if atype.frequency not in rules.PERIODS_PER_YEAR:
        raise rule(BudgetReason.NOT_PERIODIC, f"{atype.name} is charged {atype.frequency}, not periodically.")
    return atype


async def _basis(ctx: RequestContext, budget: Budget) -> tuple[AssessmentType | None, uuid.UUID]:
    """Without a type named: the association's first active periodic REGULAR type crediting the fund's assessment
    account (None when it has none), and that account's id."""
    account = await ledger.account_for(ctx, budget.association_id, rules.ASSESSMENT_ROLE[budget.fund])
    return await repository.assessment_type_crediting(ctx.session, budget.association_id, account.id), account.id


def _allocation_note(allocation: str, count: int, missing: int) -> str:
    if allocation == "ASSESSMENT_SHARE":
        return f"Every one of the {count} units has an assessment share: the amount is split by share."
    if missing == count:
        return f"No unit has an assessment share: each of the {count} units pays the same."
    return f"{missing} of the {count} units have no assessment share: each unit pays the same."


async def _derived(
    ctx: RequestContext, budget: Budget, atype: AssessmentType | None, account_id: uuid.UUID
) -> DerivedAssessmentOut:
    lines = await repository.lines_of(ctx.session, budget.id)
    kinds_and_amounts = [(rules.KIND_OF_ACCOUNT[account.account_type], line.amounts) for line, account in lines]
    totals = rules.totals(kinds_and_amounts)
    own = sum((sum(line.amounts, rules.ZERO) for line, account in lines if account.id == account_id), rules.ZERO)
    needed = rules.amount_needed(totals.expense, totals.income, own)
    units = await association_api.units_of(ctx, budget.association_id)
    if not units:
        raise rule(BudgetReason.NO_UNITS, "The association has no units to assess.")
    frequency = atype.frequency if atype is not None else DEFAULT_FREQUENCY
    periods = rules.PERIODS_PER_YEAR[frequency]
    derivation = rules.derive(needed, periods, [unit.assessment_share for unit in units])
    by_share = derivation.allocation == "ASSESSMENT_SHARE"
    missing = sum(1 for unit in units if not unit.assessment_share)
    return DerivedAssessmentOut(
        budget_id=budget.id, fund=budget.fund, fiscal_year=budget.fiscal_year,
        assessment_type_id=atype.id if atype is not None else None,
        assessment_type_name=atype.name if atype is not None else None, frequency=frequency,
        periods_per_year=periods, assessment_account_id=account_id, expense=totals.expense, income=totals.income,
        budgeted_assessment_income=own, other_income=totals.income - own, annual_amount_needed=needed,
        allocation=derivation.allocation, allocation_note=_allocation_note(derivation.allocation, len(units), missing),
        unit_count=len(units), current_amount=atype.amount if atype is not None else None, amount=derivation.amount,
        periodic_total=derivation.periodic_total, annual_total=derivation.annual_total,
        rounding_difference=derivation.difference, rounding=derivation.rounding,
        units=[
            UnitAssessmentOut(
                unit_id=unit.id, unit_number=unit.unit_number, share=unit.assessment_share if by_share else None,
                periodic_amount=amount, annual_amount=amount * periods,
            )
            for unit, amount in zip(units, derivation.per_unit, strict=True)
        ],
    )  # fmt: skip


async def derive(ctx: RequestContext, data: DeriveAssessment) -> DerivedAssessmentOut:
    """What the assessment would be; changes nothing."""
    budget = await records.load(ctx, kinds.BUDGET, data.budget_id, "derive_assessment")
    if data.assessment_type_id is not None:
        atype: AssessmentType | None = await _named_type(ctx, budget, data.assessment_type_id, "view")
        assert atype is not None
        return await _derived(ctx, budget, atype, atype.revenue_account_id)
    atype, account_id = await _basis(ctx, budget)
    return await _derived(ctx, budget, atype, account_id if atype is None else atype.revenue_account_id)


async def apply(ctx: RequestContext, data: ApplyAssessment) -> AppliedAssessmentOut:
    """Sets the assessment type's amount to the one derived from an ADOPTED budget whose fiscal year is not over,
    audited on both records."""
    budget = await records.load(ctx, kinds.BUDGET, data.budget_id, "apply_assessment", lock=True)
    atype = await _named_type(ctx, budget, data.assessment_type_id, "update", lock=True)
    if budget.status != lifecycle.IN_FORCE:
        raise rule(BudgetReason.NOT_ADOPTED, "Only an adopted budget sets an assessment.", status=budget.status)
    if budget.ends_on < date.today():
        raise rule(BudgetReason.FISCAL_YEAR_OVER, "The budget's fiscal year is over.", ends_on=str(budget.ends_on))
    derived = await _derived(ctx, budget, atype, atype.revenue_account_id)
    if derived.amount <= 0:
        raise rule(BudgetReason.NOTHING_TO_ASSESS, "The budget's other income covers its expenses.")
    previous = atype.amount
    await records.change(
        ctx, accounting_kinds.ASSESSMENT_TYPE, atype, {"amount": derived.amount}, action="amount_set_from_budget"
    )
    now = datetime.now(UTC)
    applied = {"applied_assessment_type_id": atype.id, "applied_amount": derived.amount, "applied_at": now}
    await records.change(ctx, kinds.BUDGET, budget, applied, action="assessment_applied")
    return AppliedAssessmentOut(
        budget_id=budget.id, assessment_type_id=atype.id, previous_amount=previous, amount=derived.amount,
        allocation=derived.allocation, derivation=derived,
    )  # fmt: skip
