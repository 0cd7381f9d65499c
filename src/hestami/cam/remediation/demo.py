"""Demo work ordered for Sunset Ridge's records (after the violations and ARC demos, order 75): the overgrown lawn
in its cure period is remediated by Lone Star Landscaping (the association's self-help: a work order assigned at
once, so Lone Star gets the job, source VIOLATION), and the approved fence gets its inspection (a work order waiting
for the manager). Through the same procedures as `violation/v1/orderRemediation` and `arc/request/v1/orderWork`,
as manager@; not again once the lawn's remediation is on record."""

from __future__ import annotations

import uuid
from decimal import Decimal

from hestami.cam.arc import procedures as arc
from hestami.cam.arc.schemas import ListArcRequests
from hestami.cam.association import api as association
from hestami.cam.remediation.schemas import OrderArcWork, OrderRemediation
from hestami.cam.remediation.services import ordering
from hestami.cam.violations import procedures as violations
from hestami.cam.violations.schemas import ListViolations
from hestami.cam.work_order import procedures as work_orders
from hestami.cam.work_order.assignment_demo_data import ASSOCIATION
from hestami.cam.work_order.demo_data import LONE_STAR, SUNSET
from hestami.cam.work_order.schemas import ListWorkOrders
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast

LAWN = "Front lawn overgrown"
FENCE = "Back fence replacement"
LOADED = "  already loaded"


async def _lawn(ctx: RequestContext, association_id: uuid.UUID, provider: uuid.UUID | None) -> list[str]:
    found = await violations.list_violations(ctx, ListViolations(association_id=association_id, status="CURE_PERIOD"))
    lawn = next((v for v in found.items if v.description.startswith(LAWN)), None)
    if lawn is None:
        return ["  the overgrown lawn: skipped, no such violation in its cure period"]
    if (await work_orders.list_work_orders(ctx, ListWorkOrders(violation_id=lawn.id))).items:
        return [LOADED]
    order = await ordering.remediate_violation(ctx, OrderRemediation(
        id=lawn.id, category="LANDSCAPING", priority="MEDIUM", provider_organization_id=provider,
        estimated_cost=Decimal("185.00"),
        note="Second notice ignored; the board approved self-help at the owner's expense.",
    ))  # fmt: skip
    return [f"  {lawn.reference}: remediation {order.number} ({order.status})"]


async def _fence(ctx: RequestContext, association_id: uuid.UUID) -> list[str]:
    found = await arc.list_requests(ctx, ListArcRequests(association_id=association_id))
    fence = next((r for r in found.items if r.title == FENCE and r.status.startswith("APPROVED")), None)
    if fence is None:
        return ["  the fence's inspection: skipped, the fence is not approved"]
    order = await ordering.arc_work(ctx, OrderArcWork(
        id=fence.id, kind="INSPECTION", category="GENERAL", priority="LOW",
        title=f"Final inspection of the fence ({fence.reference})",
    ))  # fmt: skip
    return [f"  {fence.reference}: inspection {order.number} ({order.status})"]


@demo_seed("remediation", order=75)
async def seed_remediation(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None or "manager" not in cast.users or SUNSET not in cast.orgs:
        return ["demo remediation: skipped, manager@ or Sunset Ridge does not exist"]
    async with cast.acting("manager", SUNSET) as ctx:
        found = await association.association_named(ctx, ASSOCIATION)
        if found is None:
            return ["demo remediation: skipped, Sunset Ridge's association is missing"]
        lines = await _lawn(ctx, found.id, cast.orgs.get(LONE_STAR))
        if lines != [LOADED]:
            lines += await _fence(ctx, found.id)
    return ["demo remediation (Sunset Ridge HOA):", *lines]
