"""Demo estimates (journey 5, steps 1-3; the records are in `demo_data.py`): Sunset Ridge HOA's manager (manager@)
puts the clubhouse roof work order out to bid to Cibolo Creek Roofing (`work_order.api.put_out_to_bid`); Cibolo's
manager (roofer@) generates an estimate for the bid request with Good/Better/Best from its "Roof leak repair"
template and sends it (its bid is submitted); the HOA's manager accepts "Better" from the HOA's organization, which
accepts the bid at that total and assigns the work order: `job_lifecycle_v1` opens Cibolo's job (waited for,
bounded). Runs after the pricebook (Cibolo's book) and the work-order seeder (the link); not again once Cibolo has an
estimate, so `hestami dev` can run this on every start."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy import select

from hestami.cam.association import api as association
from hestami.cam.work_order import api as work_orders
from hestami.contractor.estimate import repository
from hestami.contractor.estimate.demo_data import (
    ACCEPTED,
    ASSOCIATION,
    CIBOLO,
    CLUBHOUSE,
    MESSAGE,
    OPTIONS,
    SUNSET,
    TEMPLATE,
    WORK_ORDER_DESCRIPTION,
    WORK_ORDER_TITLE,
    planned_visit,
)
from hestami.contractor.estimate.models import Estimate
from hestami.contractor.estimate.schemas import AcceptOption, GenerateEstimate, ItemIn, OptionIn, SendEstimate
from hestami.contractor.estimate.services import decisions, drafting, sending
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook import api as pricebook
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

HANDOFF_WAIT_SECONDS = 20.0


async def _bid_request(cast: DemoCast) -> tuple[uuid.UUID, str]:
    """The HOA's manager puts the clubhouse roof out to bid to Cibolo: (the bid id, the work order's number)."""
    async with cast.acting("manager", SUNSET) as ctx:
        found = await association.association_named(ctx, ASSOCIATION)
        if found is None:
            raise LookupError(f"the association {ASSOCIATION} is missing")
        areas = {a.name: a.id for a in await association.common_areas_of(ctx, found.id)}
        new = work_orders.NewWorkOrder(
            association_id=found.id, title=WORK_ORDER_TITLE, description=WORK_ORDER_DESCRIPTION, category="ROOFING",
            priority="HIGH", common_area_id=areas.get(CLUBHOUSE),
        )  # fmt: skip
        put = await work_orders.put_out_to_bid(ctx, new, [cast.orgs[CIBOLO]], note="Roof leak: asking our roofer.")
        return put.bids[cast.orgs[CIBOLO]], put.number


async def _estimate(cast: DemoCast, bid_id: uuid.UUID, today: date) -> tuple[uuid.UUID, str]:
    """Cibolo's manager prices three options and sends them: (the estimate's id, its summary)."""
    async with cast.acting("roofer", CIBOLO) as ctx:
        template = await pricebook.template_named(ctx, TEMPLATE)
        template_id = template.id if template is not None else None
        options = [
            OptionIn(name=o.name, tier=o.tier, description=o.description, template_id=template_id,
                     items=[ItemIn(code=c, quantity=q) for c, q in o.extra], discount_percent=o.discount_percent)
            for o in OPTIONS
        ]  # fmt: skip
        made = await drafting.generate(ctx, GenerateEstimate(bid_id=bid_id, planned_at=planned_visit(today),
                                                             options=options))  # fmt: skip
        sent = await sending.send(ctx, SendEstimate(id=made.id, message=MESSAGE))
    totals = ", ".join(f"{o.name} {o.total}" for o in sent.options)
    return sent.id, f"{sent.number} {sent.status} ({totals})"


async def _accept(cast: DemoCast, estimate_id: uuid.UUID) -> str:
    async with cast.acting("manager", SUNSET) as ctx:
        proposal = await repository.latest_proposal(ctx.session, estimate_id)
        assert proposal is not None
        option = next(o["id"] for o in proposal.content["options"] if o["name"] == ACCEPTED)
        decided = await decisions.accept_option(ctx, AcceptOption(proposal_id=proposal.id, option_id=option))
    return f"{decided.estimate_number} {decided.estimate_status}: {ACCEPTED} accepted by manager@"


async def _job(cast: DemoCast, estimate_id: uuid.UUID) -> str:
    """The job the hand-off opens in Cibolo's organization (the estimate then names it), waited for up to
    HANDOFF_WAIT_SECONDS."""
    deadline = asyncio.get_running_loop().time() + HANDOFF_WAIT_SECONDS
    while True:
        async with cast.acting("roofer", CIBOLO) as ctx:
            estimate = await repository.estimate(ctx.session, estimate_id)
            if estimate is not None and estimate.job_id is not None:
                found = await jobs.load_job(ctx, estimate.job_id)
                return f"{found.number} {found.status}: {found.title}"
        if asyncio.get_running_loop().time() > deadline:
            return "the job is not open yet (job_lifecycle_v1 opens it shortly)"
        await asyncio.sleep(0.25)


@demo_seed("estimates", order=49)
async def seed_estimates(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo estimates: skipped, the demo admin does not exist"]
    if CIBOLO not in cast.orgs or SUNSET not in cast.orgs or "roofer" not in cast.users:
        return [f"demo estimates: skipped, {CIBOLO}, {SUNSET} or roofer@ is missing"]
    try:
        async with cast.acting("roofer", CIBOLO) as ctx:
            await pricebook.active_version_id(ctx)
            if (await ctx.session.execute(select(Estimate.id).limit(1))).first() is not None:
                return ["demo estimates (Cibolo Creek Roofing): already loaded"]
    except HestamiError as error:
        return [f"demo estimates: skipped, {error.message}"]
    try:
        bid_id, number = await _bid_request(cast)
    except (HestamiError, LookupError) as error:
        return [f"demo estimates: skipped, Sunset Ridge could not put its roof out to bid: {error}"]
    estimate_id, sent = await _estimate(cast, bid_id, date.today())
    return [
        "demo estimates (journey 5, Cibolo Creek Roofing for Sunset Ridge HOA):",
        f"  {number} {WORK_ORDER_TITLE}: put out to bid by manager@",
        f"  {sent}, sent by roofer@",
        f"  {await _accept(cast, estimate_id)}",
        f"  job: {await _job(cast, estimate_id)}",
    ]
