"""Demo reserve studies: per demo association its reserve inventory (10 to 14 components: roofs, paving and seal
coat, paint, pool plaster and equipment, fences, HVAC, lighting, mailboxes, playgrounds, irrigation...) and one
full reserve study by Hill Country Reserve Consultants (3 % inflation, 1.5 % interest, the board's threshold and
the current contribution), which snapshots the inventory (the records are in `demo_data.py`; this module seeds
them).

Runs after the association, accounting, document, violation and ARC seeders, through domain 11's services in
scoped transactions like any request: the manager (the demo admin where the manager is not a member) records the
components and the study, then runs the study's funding analysis from the reserve fund's balance in the books on
the study date, and the seed summary shows its percent funded and the three plans. An association that already has
reserve components is skipped whole, so `hestami dev` can run this on every start.

The study is not linked to the association's reserve study PDF (the documents demo files one, category
RESERVE_STUDY): `documents.api` offers no way to find an association's document by category or title, and its
services are private to that domain; `reserve/study/v1/update` can set `document_id` once someone has it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hestami.cam.association import api as association
from hestami.cam.reserve.demo_data import INFLATION, INTEREST, LEVEL, PREPARER, RESERVES, Reserve, study_date
from hestami.cam.reserve.schemas import AnalysisOut, Analyze, CreateComponent, CreateStudy, ListComponents
from hestami.cam.reserve.services import analysis, components, studies
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


class _Seeder(DemoCast):
    async def load(self, spec: Reserve, today: date) -> str:
        if spec.slug not in self.orgs:
            return f"  {spec.short}: skipped, organization {spec.slug} is missing"
        keeper = await self.keeper(spec.slug)
        async with self.acting(keeper, spec.slug) as ctx:
            found = await association.association_named(ctx, spec.name)
            if found is None:
                return f"  {spec.short}: skipped, the association is missing"
            existing = await components.list_components(ctx, ListComponents(association_id=found.id, limit=1))
            if existing.items:
                return f"  {spec.short}: already loaded (has reserve components)"
            for part in spec.components:
                data = CreateComponent(
                    association_id=found.id, name=part.name, category=part.category,
                    quantity=part.quantity, unit_of_measure=part.unit_of_measure,
                    useful_life_years=part.useful_life_years, remaining_life_years=part.remaining_life_years,
                    replacement_cost=part.replacement_cost, notes=part.notes,
                )  # fmt: skip
                await components.create(ctx, data)
        studied = study_date(today)
        async with self.acting(keeper, spec.slug) as ctx:
            study = CreateStudy(
                association_id=found.id, study_date=studied, preparer=PREPARER, level=LEVEL,
                inflation_rate=INFLATION, interest_rate=INTEREST, threshold_amount=spec.threshold,
                current_contribution=spec.contribution, notes=spec.notes,
            )  # fmt: skip
            study_id = (await studies.create(ctx, study)).id
        async with self.acting(keeper, spec.slug) as ctx:
            result = await analysis.analyze(ctx, Analyze(study_id=study_id))
        return f"  {spec.short}: {len(spec.components)} reserve components, {_study_line(studied, result)}"


def _study_line(studied: date, result: AnalysisOut) -> str:
    funded = "n/a" if result.percent_funded is None else f"{result.percent_funded}%"
    plans = result.plans
    threshold = "" if plans.threshold is None else f", threshold {_money(plans.threshold)}"
    return (
        f"a {LEVEL} study of {studied:%Y-%m-%d} by {PREPARER}: reserve balance {_money(result.balance)} "
        f"({result.balance_source.lower()}), fully funded {_money(result.fully_funded_balance)}, {funded} funded; "
        f"a year: contribution {_money(result.contribution)}, baseline {_money(plans.baseline)}{threshold}, "
        f"full {_money(plans.full)}"
    )


@demo_seed("reserve", order=80)
async def seed_reserve(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo reserve studies: skipped, the demo admin does not exist"]
    lines = ["demo reserve studies:"]
    today = date.today()
    for spec in RESERVES:
        lines.append(await seeder.load(spec, today))
    return lines
