"""The demo posting: per demo association, the calendar settings (dues on the 1st; reminder, late notice and intent
to lien at 15, 30 and 90 days), a COMPLETED posting run of this month's dues (the accounting seeder billed the month
already, so the run shows every unit skipped as already billed: posting twice charges nobody twice), and today's
escalation: late fees past their grace period and the collection steps of the delinquent units (their owners get
the dated notices).

Runs after the accounting seeder, as the demo admin of each organization, through the posting services (the run's
batches in the seeder's own transaction rather than on the DBOS queue, which `hestami seed-demo` does not start). An
association that already has a run is skipped whole, so `hestami dev` can run this on every start.
"""

from __future__ import annotations

import uuid
from datetime import date

from hestami.cam.accounting.demo_data import BOOKS, Books
from hestami.cam.accounting.posting.schemas import Escalate, ListRuns, SetSettings
from hestami.cam.accounting.posting.services import batches, calendar, runs
from hestami.cam.accounting.schemas import ByAssociation
from hestami.cam.accounting.services import receivables
from hestami.cam.association import api as association_api
from hestami.core.acting import acting
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import email_of

ADMIN = frozenset({"ADMIN"})
DEMO_BATCH = 50


async def _post_month(ctx: RequestContext, association_id: uuid.UUID, today: date) -> str:
    types = await receivables.list_types(ctx, ByAssociation(association_id=association_id, limit=200))
    dues = next((t for t in types.items if t.kind == "REGULAR" and t.frequency == "MONTHLY" and t.amount > 0), None)
    if dues is None:
        return "no monthly dues type"
    values = {"trigger": "MANUAL", "allocation": "EQUAL", "amount": dues.amount, "description": dues.name,
              "started_by": ctx.user_id}  # fmt: skip
    run, _ = await calendar.open_run(ctx, dues.id, association_id, today.replace(day=1), values)
    progress = await batches.prepare(ctx, run.id)
    while not progress["done"]:
        progress = await batches.post_batch(ctx, run.id, DEMO_BATCH)
    done, charged, skipped = progress["units_done"], progress["charged"], progress["skipped"]
    return f"run of {dues.name}: {done} units, {charged} charged, {skipped} skipped as already billed"


async def _seed(runtime: Runtime, books: Books, org: uuid.UUID, admin_id: uuid.UUID, today: date) -> str:
    async with acting(
        runtime, procedure="seed-demo", organization_id=org, user_id=admin_id, email=email_of("admin"), roles=ADMIN
    ) as ctx:
        association = await association_api.association_named(ctx, books.name)
        if association is None:
            return f"  {books.short} posting: skipped, the association is missing"
        if (await runs.list_runs(ctx, ListRuns(association_id=association.id, limit=1))).items:
            return f"  {books.short} posting: already loaded"
        await runs.set_settings(ctx, SetSettings(association_id=association.id))
        posted = await _post_month(ctx, association.id, today)
        day = await runs.escalate(ctx, Escalate(association_id=association.id, as_of=today))
        return f"  {books.short} posting: {posted}; {day.late_fees} late fees, {day.collection_steps} collection steps"


@demo_seed("posting", order=36)
async def seed_posting(runtime: Runtime) -> list[str]:
    admin_id = (await identity.demo_users(runtime)).get("admin")
    if admin_id is None:
        return ["demo posting: skipped, the demo admin does not exist"]
    orgs = await identity.demo_organizations(runtime, admin_id)
    today = date.today()
    lines = ["demo posting:"]
    for books in BOOKS:
        if books.slug not in orgs:
            lines.append(f"  {books.short} posting: skipped, organization {books.slug} is missing")
            continue
        lines.append(await _seed(runtime, books, orgs[books.slug], admin_id, today))
    return lines
