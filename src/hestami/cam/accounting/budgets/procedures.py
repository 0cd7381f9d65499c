"""`accounting/budget/v1/*`: an association's annual budget per fund (OPERATING or RESERVE), by GL account and
month, drafted and proposed by managers, adopted by the association's board (or an admin), disclosed to its owners.

Who sees what: managers and admins see and manage every budget; a BOARD_MEMBER sees the budgets of the associations
whose board they sit on, sends proposals back and adopts them; owners of a unit of the association see its ADOPTED
budgets only (a draft, a proposal or a superseded budget answers NOT_FOUND to them, exactly like an id that does not
exist); tenants and vendors see none. Amounts are decimal strings, twelve per line, in the order of `months`.
"""

from __future__ import annotations

from hestami.cam.accounting.budgets.schemas import (
    AppliedAssessmentOut,
    ApplyAssessment,
    BudgetOut,
    BudgetsOut,
    ById,
    CreateBudget,
    DeriveAssessment,
    DerivedAssessmentOut,
    HistoryOut,
    ListBudgets,
    MoveBudget,
    ReviseBudget,
    SetLines,
    UpdateBudget,
    VsActualIn,
    VsActualOut,
)
from hestami.cam.accounting.budgets.services import assessment, budgets, comparison, moves
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

budget = ProcedureRouter("accounting/budget", tags=("accounting",))
ROUTERS: list[ProcedureRouter] = [budget]


@budget.mutation("create")
async def create_budget(ctx: RequestContext, data: CreateBudget) -> BudgetOut:
    """A DRAFT budget of an association's fund (OPERATING by default) for a fiscal year (named by the calendar year
    it starts in; the association's `fiscal_year_start_month` gives its twelve months, `months` in the answer).
    Optionally starts from another budget's lines (`copy_from_id`, same association and fund: else
    WRONG_ASSOCIATION or WRONG_FUND; accounts since deactivated are left out), each month changed by
    `increase_percent`, and `lines` set over them. A line is a REVENUE or EXPENSE account of the association and
    fund (else WRONG_ASSOCIATION, WRONG_FUND, NOT_AN_INCOME_OR_EXPENSE_ACCOUNT, INACTIVE_ACCOUNT; NOT_FOUND when not
    in the caller's view) with twelve `monthly` amounts or an `annual` amount spread evenly to the cent (the last
    month takes the rest). Managers and admins."""
    return await budgets.create(ctx, data)


@budget.query("get")
async def get_budget(ctx: RequestContext, data: ById) -> BudgetOut:
    """One budget with its lines (by account number) and totals: per line, per month, income, expense and net
    (income less expense: SURPLUS, DEFICIT or BALANCED)."""
    return await budgets.get(ctx, data.id)


@budget.query("list")
async def list_budgets(ctx: RequestContext, data: ListBudgets) -> BudgetsOut:
    """The budgets the caller may see, oldest first, optionally of one association, fiscal year, fund or status,
    each with its income, expense and net."""
    return await budgets.list_budgets(ctx, data)


@budget.mutation("update")
async def update_budget(ctx: RequestContext, data: UpdateBudget) -> BudgetOut:
    """Rename a DRAFT budget or change its notes (NOT_EDITABLE once proposed)."""
    return await budgets.update(ctx, data)


@budget.mutation("setLines")
async def set_lines(ctx: RequestContext, data: SetLines) -> BudgetOut:
    """Set the lines of the accounts named on a DRAFT budget (a new line, or new amounts and note for the account's
    line); with `replace`, the lines of other accounts are removed. Lines are checked as in `create`; an adopted or
    proposed budget is NOT_EDITABLE (revise an adopted one)."""
    return await budgets.set_lines(ctx, data)


@budget.mutation("delete")
async def delete_budget(ctx: RequestContext, data: ById) -> Removed:
    """Delete a DRAFT budget with its lines (NOT_EDITABLE otherwise); the audit trail keeps it."""
    await budgets.delete(ctx, data.id)
    return REMOVED


@budget.mutation("propose")
async def propose_budget(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    """DRAFT → PROPOSED: the budget goes to the board and can no longer be edited (EMPTY_BUDGET without lines;
    INVALID_STATE_TRANSITION from another status). Managers and admins."""
    return await moves.propose(ctx, data)


@budget.mutation("returnToDraft")
async def return_to_draft(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    """PROPOSED → DRAFT: the proposal goes back for changes (`note` says why). Management or the board."""
    return await moves.return_to_draft(ctx, data)


@budget.mutation("adopt")
async def adopt_budget(ctx: RequestContext, data: MoveBudget) -> BudgetOut:
    """PROPOSED → ADOPTED, by a member of the association's board (a BOARD_MEMBER seated on it) or an admin;
    managers may not (FORBIDDEN). The budget is then immutable. An adopted budget of the same association, fund and
    fiscal year is SUPERSEDED by it (one budget in force per association, fund and year, also when two are adopted
    at once). Audited; every owner of the association is told (a PORTAL message, or an email for an owner without
    an account), once per owner."""
    return await moves.adopt(ctx, data)


@budget.mutation("revise")
async def revise_budget(ctx: RequestContext, data: ReviseBudget) -> BudgetOut:
    """A new DRAFT copy of an ADOPTED budget (NOT_ADOPTED otherwise) that names it in `revises_id`; adopting the
    revision supersedes it. Managers and admins."""
    return await budgets.revise(ctx, data)


@budget.query("history")
async def budget_history(ctx: RequestContext, data: ById) -> HistoryOut:
    """The budget's moves, oldest first: from and to status, who, when and the note. Management and the board (an
    owner who sees an adopted budget does not see how it was drafted: FORBIDDEN)."""
    return await budgets.history(ctx, data.id)


@budget.query("vsActual")
async def budget_vs_actual(ctx: RequestContext, data: VsActualIn) -> VsActualOut:
    """Budget vs actual per GL account and month: the budgeted amount, the actual from the ledger (posted entries
    dated in the month up to `through`; income as credits less debits, expense as debits less credits) and the
    variance (actual less budgeted), with to-date figures (months begun by `through`) and whether each is favorable.
    Accounts of the fund with actuals but no budget line are listed too. Totals for income, expense and net.
    Management and the board."""
    return await comparison.vs_actual(ctx, data)


@budget.query("deriveAssessment")
async def derive_assessment(ctx: RequestContext, data: DeriveAssessment) -> DerivedAssessmentOut:
    """The periodic assessment that funds the budget, without changing anything: the amount needed a year is its
    expenses less its income other than the assessment's own account (never below zero), split over the assessment
    type's periods and the association's units, by assessment share when every unit has one (the periodic total
    billPeriod splits with allocation ASSESSMENT_SHARE), else equally (each unit's charge, allocation EQUAL). Each
    unit's amount, what the year's charges raise, and how the cents were rounded (`rounding`). The type must be a
    REGULAR periodic type of the association crediting the budget's fund (WRONG_ASSOCIATION, WRONG_FUND,
    NOT_A_REGULAR_ASSESSMENT, NOT_PERIODIC); NO_UNITS without units. Management and the board."""
    return await assessment.derive(ctx, data)


@budget.mutation("applyAssessment")
async def apply_assessment(ctx: RequestContext, data: ApplyAssessment) -> AppliedAssessmentOut:
    """Set the assessment type's amount to the one `deriveAssessment` answers for an ADOPTED budget (NOT_ADOPTED
    otherwise) whose fiscal year is not over (FISCAL_YEAR_OVER): the amount billed from then on, e.g. for next year's
    dues. NOTHING_TO_ASSESS when other income covers the expenses. Audited on the assessment type (before and after)
    and the budget (`applied_*`). Managers and admins."""
    return await assessment.apply(ctx, data)
