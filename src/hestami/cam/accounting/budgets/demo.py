"""The demo budgets: per demo association, this fiscal year's operating budget and reserve budget (the reserve
contribution and the projects planned), both adopted, and next year's operating budget in DRAFT (this year's, every
month up 4 %). The lines are in `demo_data.py`; the dues and reserve contributions come from the demo books.

Runs after the accounting seeder, as the demo admin of each organization (an admin may adopt; the boards are seated
later, by the governance seeder), through the budget services, so every rule, policy and audit event applies and
the owners are told of each adoption. An association that already has a budget is skipped whole, so `hestami dev`
can run this on every start.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from hestami.cam.accounting import repository as accounting_repository
from hestami.cam.accounting.budgets import rules
from hestami.cam.accounting.budgets.demo_data import NEXT_YEAR_INCREASE, PLANS, Line, Plan, by_calendar_month
from hestami.cam.accounting.budgets.schemas import BudgetLineIn, BudgetOut, CreateBudget, ListBudgets, MoveBudget
from hestami.cam.accounting.budgets.services import budgets, moves
from hestami.cam.accounting.demo_data import BOOKS, Books
from hestami.cam.association import api as association_api
from hestami.cam.association.api import AssociationRef
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import email_of

ADMIN = frozenset({"ADMIN"})
ADOPTED_NOTE = "Adopted at the board's annual budget meeting; disclosed to the owners."


def _lines(specs: list[Line], accounts: dict[str, uuid.UUID], start_month: int) -> list[BudgetLineIn]:
    """The lines of the accounts the association's chart has, by account number."""
    return [
        BudgetLineIn(
            gl_account_id=accounts[spec.account],
            monthly=by_calendar_month(spec.annual, spec.weights, start_month),
            note=spec.note,
        )
        for spec in specs
        if spec.account in accounts
    ]


def _assessed(books: Books, units: int) -> tuple[Decimal, Decimal]:
    """A year of regular assessments and of reserve contributions."""
    if books.by_share:
        return books.dues * 12, books.reserve * 12
    return books.dues * units * 12, books.reserve * units * 12


async def _adopted(
    ctx: RequestContext, association: AssociationRef, year: int, fund: str, lines: list[BudgetLineIn], notes: str
) -> BudgetOut:
    made = await budgets.create(
        ctx, CreateBudget(association_id=association.id, fiscal_year=year, fund=fund, notes=notes, lines=lines)
    )
    await moves.propose(ctx, MoveBudget(id=made.id, note="For the board's annual budget meeting"))
    return await moves.adopt(ctx, MoveBudget(id=made.id, note=ADOPTED_NOTE))


async def _plan(ctx: RequestContext, plan: Plan, books: Books, association: AssociationRef) -> str:
    accounts = await accounting_repository.account_numbers(ctx.session, association.id)
    units = len(await association_api.units_of(ctx, association.id))
    dues, reserve = _assessed(books, units)
    start = association.fiscal_year_start_month
    year = rules.fiscal_year_of(date.today(), start)
    operating = [Line("4000", dues, note="Regular assessments (the dues)"), *plan.operating]
    contribution = [Line("4200", reserve, note="Reserve contributions, per the reserve study"), *plan.reserve]
    adopted = await _adopted(
        ctx, association, year, "OPERATING", _lines(operating, accounts, start),
        "Operating budget adopted by the board; dues unchanged from last year.",
    )  # fmt: skip
    reserve_budget = await _adopted(
        ctx, association, year, "RESERVE", _lines(contribution, accounts, start),
        "Reserve budget: the year's contribution and the projects the reserve study schedules.",
    )  # fmt: skip
    draft = await budgets.create(
        ctx,
        CreateBudget(
            association_id=association.id, fiscal_year=year + 1, copy_from_id=adopted.id,
            increase_percent=NEXT_YEAR_INCREASE,
            notes="Draft for the budget workshop: this year's budget up 4 %; the insurance quote is still pending.",
        ),
    )  # fmt: skip
    return (
        f"  {plan.short} budgets: {year} operating adopted (net {adopted.totals.net:,}), reserve adopted "
        f"(net {reserve_budget.totals.net:,}), {year + 1} operating draft (net {draft.totals.net:,})"
    )


async def _seed(runtime: Runtime, plan: Plan, books: Books, org: uuid.UUID, admin_id: uuid.UUID) -> str:
    async with acting(
        runtime, procedure="seed-demo", organization_id=org, user_id=admin_id, email=email_of("admin"), roles=ADMIN
    ) as ctx:
        association = await association_api.association_named(ctx, books.name)
        if association is None:
            return f"  {plan.short} budgets: skipped, the association is missing"
        existing = await budgets.list_budgets(ctx, ListBudgets(association_id=association.id, limit=1))
        if existing.items:
            return f"  {plan.short} budgets: already loaded"
        return await _plan(ctx, plan, books, association)


@demo_seed("budgets", order=35)
async def seed_budgets(runtime: Runtime) -> list[str]:
    admin_id = (await identity.demo_users(runtime)).get("admin")
    if admin_id is None:
        return ["demo budgets: skipped, the demo admin does not exist"]
    orgs = await identity.demo_organizations(runtime, admin_id)
    by_short = {books.short: books for books in BOOKS}
    lines = ["demo budgets:"]
    for plan in PLANS:
        books = by_short[plan.short]
        if books.slug not in orgs:
            lines.append(f"  {plan.short} budgets: skipped, organization {books.slug} is missing")
            continue
        lines.append(await _seed(runtime, plan, books, orgs[books.slug], admin_id))
    return lines
