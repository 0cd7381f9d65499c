"""The demo's maintenance agreements (`demo_data.py`), through the agreements' own services as each contractor's
keeper: Evergreen Plumbing & HVAC's 30 — homeowners' Comfort Club tune-ups, water-heater flushes and quarterly
plans (a customer made for each), Sunset Ridge HOA's quarterly pool-equipment service, one near its end renewed by
hand, one lapsing — and Cibolo Creek Roofing's gutter plans. Each is activated: the visits within the horizon are
generated as jobs in the activating transaction (so they are on the dispatch board when the seeder returns) and
`maintenance_contract_v1` takes it from there (billing, renewal notices). The lapsing one is activated on a
one-second "day" so that its term end comes during seeding (the seeder waits for the lapse, bounded). Runs after the
invoices (order 58); not again once the contractor has an agreement."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from hestami.cam.work_order import api as work_orders
from hestami.contractor.job import procedures as job_procedures
from hestami.contractor.job.schemas import CreateCustomer, ListCustomers
from hestami.contractor.maintenance import repository
from hestami.contractor.maintenance.demo_data import (
    CIBOLO,
    EVERGREEN,
    GUTTERS,
    HOA,
    LAPSE_WAIT_SECONDS,
    LAPSING,
    MEMBERS,
    RENEWED,
    SUNSET_RIDGE,
    DemoAgreement,
)
from hestami.contractor.maintenance.schemas import CreateAgreement, IncludedService, Renew
from hestami.contractor.maintenance.services import agreements, moves
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


def _schedule(spec: DemoAgreement, today: date) -> str:
    return spec.schedule.format(month=(today + relativedelta(months=spec.visit_in_months)).month)


def _term_start(spec: DemoAgreement, today: date) -> date:
    if spec.started_days_ago < 0:
        return today + timedelta(days=1) - relativedelta(months=12)
    return today - timedelta(days=spec.started_days_ago)


async def _customer(ctx: RequestContext, spec: DemoAgreement) -> tuple[str, str]:
    found = await job_procedures.list_customers(ctx, ListCustomers(name=spec.member, limit=1))
    if found.items:
        return str(found.items[0].id), found.items[0].zip_code or spec.zip_code
    email = spec.member.lower().replace(" ", ".").replace("'", "") + "@example.com"
    made = await job_procedures.create_customer(ctx, CreateCustomer(
        name=spec.member, email=email, phone="(210) 555-0142", address=f"{spec.street}, San Antonio, TX",
        zip_code=spec.zip_code,
    ))  # fmt: skip
    return str(made.id), spec.zip_code


async def _hoa(ctx: RequestContext, association_org: object) -> str | None:
    links = [x for x in await work_orders.linked_associations(ctx) if x.organization_id == association_org]
    return str(links[0].association_id) if links else None


async def _draft(ctx: RequestContext, spec: DemoAgreement, today: date, party: dict[str, str]) -> str:
    body = CreateAgreement.model_validate({
        "name": f"{spec.plan}: {spec.member if spec is not HOA else 'Sunset Ridge HOA'}", "plan": spec.plan,
        "trade": spec.trade, **party, "term_start": _term_start(spec, today).isoformat(),
        "price": str(spec.price), "billing_frequency": spec.frequency, "auto_renew": spec.auto_renew,
        "renewal_price_change_percent": "4", "schedule_rrule": _schedule(spec, today),
        "services": [IncludedService(code=c, quantity=q).model_dump() for c, q in spec.services],
        "sla_days_late_allowed": 3,
    })  # fmt: skip
    return str((await agreements.create(ctx, body)).id)


async def _activate(ctx: RequestContext, agreement_id: str) -> int:
    activated = await moves.activate(ctx, uuid.UUID(agreement_id))
    return len(await repository.scheduled_visits(ctx.session, activated.id))


async def _lapsing(cast: DemoCast, keeper: str, today: date) -> str:
    """Activated on a one-second day: its run lapses it within seconds (waited for, bounded)."""
    settings = cast.runtime.settings
    async with cast.acting(keeper, EVERGREEN) as ctx:
        customer, zip_code = await _customer(ctx, LAPSING)
        made = await _draft(ctx, LAPSING, today, {"customer_id": customer, "zip_code": zip_code})
    before, settings.maintenance_day_seconds = settings.maintenance_day_seconds, 1.0
    try:
        async with cast.acting(keeper, EVERGREEN) as ctx:
            await _activate(ctx, made)
    finally:
        settings.maintenance_day_seconds = before
    deadline = time.monotonic() + LAPSE_WAIT_SECONDS
    while time.monotonic() < deadline:
        async with cast.acting(keeper, EVERGREEN) as ctx:
            found = await repository.agreement(ctx.session, uuid.UUID(made))
        if found is not None and found.status == "LAPSED":
            return f"  {found.display_number} {LAPSING.member}: LAPSED at its term's end (no auto-renewal)"
        await asyncio.sleep(0.25)
    return f"  {LAPSING.member}'s agreement: ACTIVE, its term ends today (lapses on the next turn)"


async def _members(cast: DemoCast, keeper: str, slug: str, specs: tuple[DemoAgreement, ...], today: date) -> list[str]:
    lines, visits = [], 0
    for spec in specs:
        async with cast.acting(keeper, slug) as ctx:
            customer, zip_code = await _customer(ctx, spec)
            made = await _draft(ctx, spec, today, {"customer_id": customer, "zip_code": zip_code})
            visits += await _activate(ctx, made)
    lines.append(f"  {len(specs)} members ACTIVE, {visits} visits scheduled as jobs")
    return lines


async def _renewed(cast: DemoCast, keeper: str, today: date) -> str:
    async with cast.acting(keeper, EVERGREEN) as ctx:
        customer, zip_code = await _customer(ctx, RENEWED)
        made = await _draft(ctx, RENEWED, today, {"customer_id": customer, "zip_code": zip_code})
        await _activate(ctx, made)
        renewed = await moves.renew(ctx, Renew(id=uuid.UUID(made), note="Renewed at the spring tune-up"))
    nxt = renewed.terms[-1]
    return f"  {renewed.number} {RENEWED.member}: renewed, term 2 from {nxt.term_start} at {nxt.price}"


async def _sunset_ridge(cast: DemoCast, keeper: str, today: date) -> str:
    if SUNSET_RIDGE not in cast.orgs:
        return "  Sunset Ridge HOA is missing: no pool service agreement"
    async with cast.acting(keeper, EVERGREEN) as ctx:
        association = await _hoa(ctx, cast.orgs[SUNSET_RIDGE])
        if association is None:
            return "  Evergreen is not linked to Sunset Ridge's association: no pool service agreement"
        made = await _draft(ctx, HOA, today, {"association_id": association, "zip_code": "78258"})
        visits = await _activate(ctx, made)
    return f"  Sunset Ridge HOA quarterly pool-equipment service: ACTIVE, {visits} visits scheduled"


async def _ready(cast: DemoCast, slug: str) -> str | None:
    """The contractor's keeper when it is a contractor with no agreement yet; None otherwise."""
    if slug not in cast.orgs:
        return None
    keeper = await cast.keeper(slug)
    async with cast.acting(keeper, slug) as ctx:
        try:
            await profile.require_contractor(ctx)
        except HestamiError:
            return None
        if await repository.any_agreement(ctx.session):
            return None
    return keeper


@demo_seed("maintenance", order=58)
async def seed_maintenance(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or EVERGREEN not in cast.orgs:
        return ["demo maintenance agreements: skipped, Evergreen Plumbing & HVAC is missing"]
    today = datetime.now(ZoneInfo(runtime.settings.dispatch_time_zone)).date()
    keeper = await _ready(cast, EVERGREEN)
    if keeper is None:
        return ["demo maintenance agreements (Evergreen Plumbing & HVAC): already loaded"]
    lines = ["demo maintenance agreements (Evergreen Plumbing & HVAC):"]
    lines += await _members(cast, keeper, EVERGREEN, MEMBERS, today)
    lines.append(await _sunset_ridge(cast, keeper, today))
    lines.append(await _renewed(cast, keeper, today))
    lines.append(await _lapsing(cast, keeper, today))
    roofer = await _ready(cast, CIBOLO)
    if roofer is not None:
        lines.append("demo maintenance agreements (Cibolo Creek Roofing):")
        try:
            lines += await _members(cast, roofer, CIBOLO, GUTTERS, today)
        except HestamiError as refused:  # e.g. its insurance lapsed in the demo: no agreement is activated
            lines.append(f"  not activated: {refused.message}")
    return lines
