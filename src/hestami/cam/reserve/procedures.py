"""Domain 11's procedures: `reserve/component/v1/*`, `reserve/study/v1/*`, `reserve/funding/v1/analyze`."""

from __future__ import annotations

from hestami.cam.reserve.schemas import (
    AnalysisOut,
    Analyze,
    ById,
    ComponentOut,
    CreateComponent,
    CreateStudy,
    ListComponents,
    ListStudies,
    StudyDetailOut,
    StudyOut,
    UpdateComponent,
    UpdateStudy,
)
from hestami.cam.reserve.services import analysis, components, studies
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

component = ProcedureRouter("reserve/component", tags=("reserve",))
study = ProcedureRouter("reserve/study", tags=("reserve",))
funding = ProcedureRouter("reserve/funding", tags=("reserve",))


# --- components --------------------------------------------------------------------------------------------------


@component.mutation("create")
async def create_component(ctx: RequestContext, data: CreateComponent) -> ComponentOut:
    """Add a component to an association's reserve inventory (managers): its `category` (ROOFING, PAVING,
    PAINTING, POOL, FENCING, MECHANICAL, ELEVATOR, LIGHTING, SITE or OTHER), optional `quantity` and
    `unit_of_measure`, `useful_life_years` (1 to 100), `remaining_life_years` (0, due now, up to the useful life:
    VALIDATION_FAILED on `remaining_life_years` otherwise), `replacement_cost` at today's prices, when it was
    `placed_in_service`, and optionally the reserve expense account its replacement is charged to
    (`expense_account_id`: an active EXPENSE account of the association's RESERVE fund; BUSINESS_RULE_VIOLATION
    with reason NOT_AN_EXPENSE_ACCOUNT for an operating-fund or non-expense account, WRONG_ASSOCIATION for another
    association's). Linking the component to an asset of the association is not offered yet."""
    return await components.create(ctx, data)


@component.query("get")
async def get_component(ctx: RequestContext, data: ById) -> ComponentOut:
    """One component (managers, the board and owners read the inventory)."""
    return await components.get(ctx, data.id)


@component.query("list")
async def list_components(ctx: RequestContext, data: ListComponents) -> Page[ComponentOut]:
    """Components, of one association or all, the active ones, the retired ones or both; oldest first."""
    return await components.list_components(ctx, data)


@component.mutation("update")
async def update_component(ctx: RequestContext, data: UpdateComponent) -> ComponentOut:
    """Change a component (managers): only the fields sent change; `null` clears an optional field (quantity,
    unit of measure, placed in service, expense account, notes). The remaining life is checked against the useful
    life after the change, the expense account as on create. Studies already recorded keep the component as they
    saw it."""
    return await components.update(ctx, data)


@component.mutation("retire")
async def retire_component(ctx: RequestContext, data: ById) -> ComponentOut:
    """Take a component out of the inventory (`active` false): later studies leave it out; earlier studies keep
    it. Retiring a retired component changes nothing."""
    return await components.retire(ctx, data.id)


# --- studies -----------------------------------------------------------------------------------------------------


@study.mutation("create")
async def create_study(ctx: RequestContext, data: CreateStudy) -> StudyDetailOut:
    """Record a reserve study of an association (managers): `study_date`, `preparer`, `level` (FULL,
    UPDATE_WITH_SITE_VISIT or UPDATE_WITHOUT_SITE_VISIT), the `inflation_rate` and `interest_rate` it assumes as
    decimal fractions from 0 to 0.25 (0.03 is 3 %), optionally the board's `threshold_amount` (the floor of the
    threshold funding plan), the `current_contribution` per year, the study's report (`document_id`: a document the
    caller may view, of this association or of the whole organization; WRONG_ASSOCIATION for another
    association's) and notes. Every active component of the association is copied into the study as it is now (the
    snapshot the funding analysis uses; later component changes never alter it). Refused with
    BUSINESS_RULE_VIOLATION, reason NO_COMPONENTS, when the association has no active component."""
    return await studies.create(ctx, data)


@study.query("get")
async def get_study(ctx: RequestContext, data: ById) -> StudyDetailOut:
    """A study with its component snapshot (managers, the board and owners)."""
    return await studies.get(ctx, data.id)


@study.query("list")
async def list_studies(ctx: RequestContext, data: ListStudies) -> Page[StudyOut]:
    """Studies, of one association or all, oldest first, without their snapshots (`get` has them)."""
    return await studies.list_studies(ctx, data)


@study.mutation("update")
async def update_study(ctx: RequestContext, data: UpdateStudy) -> StudyDetailOut:
    """Change a study's descriptive fields (managers): `preparer`, `threshold_amount`, `current_contribution`,
    `document_id` (checked as on create) and `notes`; `null` clears an optional one. The date, level, rates and
    the component snapshot never change: a new study is recorded instead."""
    return await studies.update(ctx, data)


# --- funding analysis ----------------------------------------------------------------------------------------


@funding.query("analyze")
async def analyze(ctx: RequestContext, data: Analyze) -> AnalysisOut:
    """The funding analysis of a study (`analyze` on the study: managers, the board and owners), from its component
    snapshot and its inflation and interest rates, by the national reserve study standards' formulas.

    The starting `balance` is the one given (`balance_source` GIVEN), else the association's RESERVE fund balance
    in the ledger on the study date (its assets less its liabilities from the entries in the books up to that day;
    `balance_source` LEDGER). The annual `contribution` projected is the one given, else the study's
    `current_contribution`, else 0 (`contribution_source` GIVEN, STUDY or NONE).

    Per component: useful life UL, remaining life RUL, effective age EA = UL - RUL, current replacement cost CRC
    and fully funded balance FFB = CRC x EA / UL. In total: the fully funded balance (the sum) and `percent_funded`
    = balance / FFB x 100 (null when the FFB is 0). The `projection` runs `years` years (1 to 30, default 30)
    from the study date: year 1 begins on the study date; a component with RUL r is replaced in year r + 1, then
    every UL years, at CRC inflated to that year (year 1 at today's cost); closing = opening + interest (opening x
    rate) + contribution - expenditures; each year's fully funded balance and percent funded at its end. The
    `plans` are level annual contributions over the same years: `baseline` keeps every closing balance at or above
    zero, `threshold` at or above the study's threshold (null without one), `full` reaches 100 % funded in the
    last year without going below zero. Amounts are decimal strings with two decimals."""
    return await analysis.analyze(ctx, data)


ROUTERS = [component, study, funding]
