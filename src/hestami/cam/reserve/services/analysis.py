"""The funding analysis of a reserve study: percent funded today, a year-by-year projection and the three
funding plans, computed by `reserve.funding` from the study's component snapshot and assumptions."""

from __future__ import annotations

from decimal import Decimal

from hestami.cam.accounting import api as accounting
from hestami.cam.reserve import funding, kinds, repository
from hestami.cam.reserve.funding import cents
from hestami.cam.reserve.schemas import AnalysisOut, Analyze, ComponentFunding, FundingPlans, ProjectionYear
from hestami.core import records
from hestami.core.context import RequestContext

RESERVE_FUND = "RESERVE"


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else cents(value)


async def analyze(ctx: RequestContext, data: Analyze) -> AnalysisOut:
    study = await records.load(ctx, kinds.STUDY, data.study_id, "analyze")
    snapshot = await repository.study_components(ctx.session, study.id)
    items = [funding.Item(c.name, c.useful_life_years, c.remaining_life_years, c.replacement_cost) for c in snapshot]
    if data.balance is not None:
        balance, balance_source = data.balance, "GIVEN"
    else:
        balance = await accounting.fund_balance(ctx, study.association_id, RESERVE_FUND, study.study_date)
        balance_source = "LEDGER"
    if data.contribution is not None:
        contribution, contribution_source = data.contribution, "GIVEN"
    elif study.current_contribution is not None:
        contribution, contribution_source = study.current_contribution, "STUDY"
    else:
        contribution, contribution_source = Decimal(0), "NONE"
    balance, contribution = cents(balance), cents(contribution)
    inflation, interest = study.inflation_rate, study.interest_rate
    projection = funding.project(
        items, balance=balance, contribution=contribution, inflation=inflation, interest=interest, years=data.years
    )
    plans = funding.plans(
        items, balance=balance, inflation=inflation, interest=interest, floor=study.threshold_amount,
        years=data.years,
    )  # fmt: skip
    return AnalysisOut(
        study_id=study.id, association_id=study.association_id, study_date=study.study_date, years=data.years,
        inflation_rate=inflation, interest_rate=interest, balance=balance, balance_source=balance_source,
        contribution=contribution, contribution_source=contribution_source,
        fully_funded_balance=cents(funding.fully_funded_balance(items)),
        percent_funded=_money(funding.percent_funded(balance, items)),
        components=[
            ComponentFunding(
                component_id=row.component_id, name=row.name, category=row.category,
                useful_life_years=item.useful_life, remaining_life_years=item.remaining_life,
                effective_age_years=item.effective_age, replacement_cost=cents(item.replacement_cost),
                fully_funded_balance=item.fully_funded(),
            )
            for row, item in zip(snapshot, items, strict=True)
        ],
        projection=[
            ProjectionYear(
                year=y.year, opening=cents(y.opening), contribution=cents(y.contribution), interest=cents(y.interest),
                expenditures=cents(y.expenditures), components_replaced=list(y.replaced), closing=cents(y.closing),
                fully_funded_balance=cents(y.fully_funded), percent_funded=_money(y.percent_funded),
            )
            for y in projection
        ],
        plans=FundingPlans(
            baseline=cents(plans.baseline), threshold=_money(plans.threshold), full=cents(plans.full)
        ),
    )  # fmt: skip
