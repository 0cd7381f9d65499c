"""Demo vendor assignment at Sunset Ridge HOA (the records are in `assignment_demo_data.py`; this module seeds them).

Runs after the work-order seeder, through the services like any request, each step by the login who would take it:
admin@ owns three more plumbing providers (Alamo City Plumbing, Mission Rooter & Drain with its insurance lapsed,
Hill Country Water Heaters serving Austin only), manager@ links and rates them, owner@ reports a burst water heater
at unit 14 as an EMERGENCY (its submission starts `vendorAssignment_v1`, which asks Evergreen, preferred, and Alamo
City: the two matches; Mission and Hill Country are left out, each with its reason), Alamo City bids at once, and
manager@ puts the clubhouse's kitchen drain out to bid (two providers, 72 hours). Reminders and expiries follow on
the real clock (`VENDOR_ASSIGNMENT_HOUR_SECONDS`) while `hestami dev` runs.

Skipped whole when Sunset Ridge already has the burst water heater, so `hestami dev` can run it on every start.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date, timedelta

from hestami.cam.association import api as association
from hestami.cam.work_order import repository
from hestami.cam.work_order.assignment_demo_data import ASSOCIATION, COMMUNITY, JOBS, PutOutToBid, Rated, providers_on
from hestami.cam.work_order.schemas import (
    CreateWorkOrder,
    LinkProvider,
    StartVendorAssignment,
    SubmitBid,
    UpdateLink,
    VendorAssignmentOut,
    WorkOrderAssignmentIn,
)
from hestami.cam.work_order.services import assignment, bids, providers, work_orders
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast, email_of

FIRST_ROUND_SECONDS = 30.0
"""How long the seeder waits for a run's first round (sent by the workflow) before it moves on."""


def _missing_provider(cast: DemoCast, rated: Rated) -> str | None:
    """The provider's organization, profile and documents come from the contractor pillar's seed (it runs first)."""
    spec = rated.provider
    return None if spec.slug in cast.orgs else f"  {spec.name}: skipped, organization {spec.slug} is missing"


async def _link(cast: DemoCast, association_id: uuid.UUID, rated: Rated) -> None:
    """manager@ links the provider to Sunset Ridge (once) and rates it."""
    async with cast.acting("manager", COMMUNITY) as ctx:
        provider_org = cast.orgs[rated.provider.slug]
        link = await repository.provider_link(
            ctx.session, ctx.require_org(), provider_org, association_id=association_id
        )
        if link is None:
            data = LinkProvider(
                association_id=association_id, provider_organization_id=provider_org,
                provider_name=rated.provider.name, preferred=rated.preferred,
            )  # fmt: skip
            link_id = (await providers.link_provider(ctx, data)).id
        else:
            link_id = link.id
        await providers.update_link(ctx, UpdateLink(id=link_id, rating=rated.rating))


async def _first_round(cast: DemoCast, order_id: uuid.UUID) -> VendorAssignmentOut | None:
    """The run once its first round is out (the workflow sends it), or None when it did not come in time."""
    deadline = time.monotonic() + FIRST_ROUND_SECONDS
    while time.monotonic() < deadline:
        async with cast.acting("manager", COMMUNITY) as ctx:
            run = await assignment.get(ctx, WorkOrderAssignmentIn(work_order_id=order_id))
        if run.requests or run.status != "RUNNING":
            return run
        await asyncio.sleep(0.25)
    return None


async def _put_out(cast: DemoCast, association_id: uuid.UUID, job: PutOutToBid) -> list[str]:
    async with cast.acting(job.by, COMMUNITY) as ctx:
        units = {u.unit_number: u.id for u in await association.units_of(ctx, association_id)}
        areas = {a.name: a.id for a in await association.common_areas_of(ctx, association_id)} if job.area else {}
        data = CreateWorkOrder(
            association_id=association_id, title=job.title, description=job.description, priority=job.priority,
            category="PLUMBING", unit_id=units.get(job.unit) if job.unit else None,
            common_area_id=areas.get(job.area) if job.area else None, submit=True,
        )  # fmt: skip
        order = await work_orders.create(ctx, data)
    if job.priority != "EMERGENCY":  # an emergency's submission started its own
        async with cast.acting("manager", COMMUNITY) as ctx:
            start = StartVendorAssignment(
                work_order_id=order.id, providers=job.providers, response_hours=job.response_hours
            )
            await assignment.start(ctx, start)
    run = await _first_round(cast, order.id)
    if run is None:
        return [f"    {order.number} {job.title}: the first round did not go out within {FIRST_ROUND_SECONDS:.0f}s"]
    lines = [
        f"    {order.number} {job.title} ({job.priority}, by {email_of(job.by)}): {run.trigger} run asked "
        + (", ".join(r.provider_name for r in run.requests) or f"nobody ({run.outcome})")
    ]
    for slug, amount, scope in job.answered_by:
        request = next((r for r in run.requests if r.provider_organization_id == cast.orgs[slug]), None)
        if request is None:
            continue
        async with cast.acting("admin", slug) as ctx:
            bid = SubmitBid(
                bid_id=request.bid_id, amount=amount, scope=scope, valid_until=date.today() + timedelta(days=14)
            )
            await bids.submit_bid(ctx, bid)
        lines.append(f"      {request.provider_name} bid {amount}")
    return lines


@demo_seed("vendor_assignment", order=45)
async def seed_vendor_assignment(runtime: Runtime) -> list[str]:
    started = time.perf_counter()
    cast = await DemoCast.gather(runtime)
    if cast is None or any(login not in cast.users for login in ("manager", "owner")) or COMMUNITY not in cast.orgs:
        return ["demo vendor assignment: skipped, the demo logins or Sunset Ridge do not exist"]
    async with cast.acting("manager", COMMUNITY) as ctx:
        found = await association.association_named(ctx, ASSOCIATION)
        if found is None:
            return ["demo vendor assignment: skipped, Sunset Ridge's association is missing"]
        if await repository.work_order_titled(ctx.session, found.id, JOBS[0].title) is not None:
            return ["demo vendor assignment: already loaded"]
    lines = ["demo vendor assignment:"]
    rated = providers_on(date.today())
    for provider in rated:
        missing = _missing_provider(cast, provider)
        if missing is not None:
            lines.append(missing)
            continue
        await _link(cast, found.id, provider)
    lines.append(f"  {ASSOCIATION}:")
    for job in JOBS:
        lines += await _put_out(cast, found.id, job)
    lines.append(f"  vendor assignment seeded in {time.perf_counter() - started:.1f}s")
    return lines
