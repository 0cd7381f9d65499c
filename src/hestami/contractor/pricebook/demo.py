"""The demo pricebook (the records are in `demo_data.py`): Evergreen Plumbing & HVAC's categories, a version of 50
items (services, labour, materials, equipment and four bundles) with three job templates, published and ACTIVE; its
spring HVAC tune-up discount, after-hours labour surcharge, member discount and pipe volume discount; and its rate
sheet for Sunset Ridge HOA's association, which the work-order seeder links Evergreen to. Then Cibolo Creek Roofing's
roofing book (12 items and the "Roof leak repair" template), ACTIVE, for journey 5's estimates.

Runs after the contractor profiles (Evergreen must be a contractor on the platform) and the work-order seeder (the
link), through the pricebook's services as admin@ (Evergreen's ADMIN) in scoped transactions like any request. A
contractor that has a pricebook version already keeps its catalogue; its rules and its rate sheet are each added
only when missing, so `hestami dev` can run this on every start."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.pricebook.demo_data import (
    AFTER_HOURS,
    CATEGORIES,
    CIBOLO,
    EVERGREEN,
    ITEMS,
    MEMBER,
    RATE_SHEET,
    RATE_SHEET_NAME,
    ROOFING_CATEGORIES,
    ROOFING_ITEMS,
    ROOFING_TEMPLATES,
    ROOFING_VERSION_NAME,
    ROOFING_VERSION_NOTES,
    SPRING_SPECIAL,
    SUNSET,
    TEMPLATES,
    VERSION_NAME,
    VERSION_NOTES,
    VOLUME,
    CategorySpec,
    ItemSpec,
    TemplateSpec,
)
from hestami.contractor.pricebook.schemas import (
    ComponentIn,
    CreateCategory,
    CreateItem,
    CreateRule,
    CreateTemplate,
    CreateVersion,
    ListCategories,
    ListRules,
    ListVersions,
    RateEntryIn,
    StepIn,
    TemplateItemIn,
)
from hestami.contractor.pricebook.services import categories, items, rules, templates, versions
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


def _item(version_id: uuid.UUID, spec: ItemSpec, category_ids: dict[str, uuid.UUID]) -> CreateItem:
    return CreateItem(
        version_id=version_id, code=spec.code, name=spec.name, description=spec.description,
        category_id=category_ids[spec.category], kind=spec.kind, unit=spec.unit, cost=Decimal(spec.cost),
        price=Decimal(spec.price), taxable=spec.taxable,
        components=[ComponentIn(code=code, quantity=Decimal(quantity)) for code, quantity in spec.components],
    )  # fmt: skip


async def _catalogue(ctx: RequestContext, specs: tuple[CategorySpec, ...] = CATEGORIES) -> dict[str, uuid.UUID]:
    made: dict[str, uuid.UUID] = {}
    for spec in specs:
        data = CreateCategory(
            name=spec.name, parent_category_id=made.get(spec.parent or ""), sort_order=spec.sort_order
        )
        made[spec.name] = (await categories.create(ctx, data)).id
    return made


async def _pricebook(
    ctx: RequestContext, category_ids: dict[str, uuid.UUID], name: str = VERSION_NAME, notes: str = VERSION_NOTES,
    specs: tuple[ItemSpec, ...] = ITEMS, job_templates: tuple[TemplateSpec, ...] = TEMPLATES,
) -> str:  # fmt: skip
    version = await versions.create(ctx, CreateVersion(name=name, notes=notes))
    for spec in sorted(specs, key=lambda s: s.kind == "BUNDLE"):  # a bundle's components first
        await items.create(ctx, _item(version.id, spec, category_ids))
    for template in job_templates:
        await templates.create(
            ctx,
            CreateTemplate(
                version_id=version.id, name=template.name, trade=template.trade, description=template.description,
                items=[TemplateItemIn(code=c, quantity=Decimal(q)) for c, q in template.items],
                steps=[StepIn(text=text, required=required) for text, required in template.steps],
            ),
        )  # fmt: skip
    await versions.publish(ctx, version.id)
    await versions.activate(ctx, version.id)
    bundles = sum(1 for spec in specs if spec.kind == "BUNDLE")
    return f"{len(specs)} items ({bundles} bundles) and {len(job_templates)} job templates in {name!r}, ACTIVE"


async def _rules(ctx: RequestContext, category_ids: dict[str, uuid.UUID]) -> list[str]:
    existing = {r.name for r in (await rules.list_rules(ctx, ListRules(limit=200))).items}
    wanted: list[dict[str, Any]] = [
        {**SPRING_SPECIAL, "category_id": category_ids["Tune-ups & maintenance"]},
        {**AFTER_HOURS, "category_id": category_ids["Labor"]},
        MEMBER,
        VOLUME,
    ]
    added = []
    for body in wanted:
        if body["name"] not in existing:
            await rules.create(ctx, CreateRule.model_validate(body))
            added.append(body["name"])
    return added


async def _rate_sheet(ctx: RequestContext, cast: DemoCast) -> str:
    sunset = cast.orgs.get(SUNSET)
    linked = [a for a in await work_orders.linked_associations(ctx) if a.organization_id == sunset]
    if not linked:
        return "no rate sheet: Evergreen is not linked to Sunset Ridge HOA"
    association_id = linked[0].association_id
    sheets = await rules.list_rules(ctx, ListRules(kind="RATE_SHEET", association_id=association_id, active=True))
    if sheets.items:
        return "the Sunset Ridge rate sheet was there already"
    entries = [
        RateEntryIn(code=code, price=Decimal(price) if price else None,
                    discount_percent=Decimal(percent) if percent else None)
        for code, price, percent in RATE_SHEET
    ]  # fmt: skip
    data = CreateRule(name=RATE_SHEET_NAME, kind="RATE_SHEET", association_id=association_id, entries=entries)
    await rules.create(ctx, data)
    return f"a rate sheet of {len(entries)} prices for Sunset Ridge HOA"


async def _roofing(cast: DemoCast) -> str:
    """Cibolo Creek Roofing's roofing book (journey 5's estimates price from it), once."""
    if CIBOLO not in cast.orgs:
        return f"demo pricebook (Cibolo Creek Roofing): skipped, organization {CIBOLO} is missing"
    async with cast.acting("admin", CIBOLO) as ctx:
        if (await versions.list_versions(ctx, ListVersions(limit=1))).items:
            return "demo pricebook (Cibolo Creek Roofing): already loaded"
        category_ids = await _catalogue(ctx, ROOFING_CATEGORIES)
        made = await _pricebook(
            ctx, category_ids, ROOFING_VERSION_NAME, ROOFING_VERSION_NOTES, ROOFING_ITEMS, ROOFING_TEMPLATES
        )
    return f"demo pricebook (Cibolo Creek Roofing): {len(ROOFING_CATEGORIES)} categories, {made}"


@demo_seed("pricebook", order=46)
async def seed_pricebook(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo pricebook: skipped, the demo admin does not exist"]
    if EVERGREEN not in cast.orgs:
        return [f"demo pricebook: skipped, organization {EVERGREEN} is missing"]
    lines = ["demo pricebook (Evergreen Plumbing & HVAC):"]
    async with cast.acting("admin", EVERGREEN) as ctx:
        if (await versions.list_versions(ctx, ListVersions(limit=1))).items:
            category_ids = {
                c.name: c.id for c in (await categories.list_categories(ctx, ListCategories(limit=200))).items
            }
            lines.append("  catalogue: already loaded")
        else:
            category_ids = await _catalogue(ctx)
            lines.append(f"  catalogue: {len(CATEGORIES)} categories, " + await _pricebook(ctx, category_ids))
    async with cast.acting("admin", EVERGREEN) as ctx:
        added = await _rules(ctx, category_ids)
        lines.append(f"  price rules added: {', '.join(added)}" if added else "  price rules: already there")
    async with cast.acting("admin", EVERGREEN) as ctx:
        lines.append(f"  {await _rate_sheet(ctx, cast)}")
    lines.append(await _roofing(cast))
    return lines
