"""Demo jobs (the records are in `demo_data.py`): Evergreen Plumbing & HVAC's admin records its homeowners and opens
their jobs through the domain's services, each job's visits, checkpoints and notes added while it is open, then moved
along the lifecycle to its state (every move a history row). Runs after the technicians and the pricebook; all in
one transaction, and not again once the first customer is on record, so `hestami dev` can run this on every start."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from hestami.contractor.job import lifecycle
from hestami.contractor.job.demo_data import CUSTOMERS, EVERGREEN_SLUG, JOBS, ZONE, DemoJob, window
from hestami.contractor.job.schemas import (
    AddCheckpoint,
    AddNote,
    AddVisit,
    CompleteCheckpoint,
    CreateCustomer,
    CreateJob,
    ListCustomers,
)
from hestami.contractor.job.services import checkpoints, customers, jobs, notes, visits
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _prepare(ctx: RequestContext, spec: DemoJob, job_id: uuid.UUID, today: date) -> None:
    """The job's visits (moved along as dispatch would), checkpoints and notes, while it is open."""
    for visit in spec.visits:
        starts, ends = window(today, visit)
        made = await visits.add(ctx, AddVisit(job_id=job_id, window_start=starts, window_end=ends,
                                              duration_minutes=visit.duration_minutes, pinned=visit.pinned,
                                              notes=visit.notes))  # fmt: skip
        row = await visits.load(ctx, made.id, lock=True)
        for status in visit.moves:
            await visits.set_status(ctx, row, status)
    if spec.qa is not None:
        qa = await checkpoints.add(ctx, AddCheckpoint(job_id=job_id, kind="QA", title="Final walk-through"))
        if spec.qa == "PASSED":
            await checkpoints.complete(ctx, CompleteCheckpoint(id=qa.id, passed=True, notes="Customer signed off."))
    if spec.warranty_days is not None:
        due = date.fromordinal(today.toordinal() + spec.warranty_days)
        await checkpoints.add(ctx, AddCheckpoint(job_id=job_id, kind="WARRANTY", title="One-year warranty check",
                                                 due_on=due))  # fmt: skip
    for body, internal in spec.notes:
        await notes.add_note(ctx, AddNote(job_id=job_id, body=body, internal=internal))


async def _job(ctx: RequestContext, spec: DemoJob, customer_ids: list[uuid.UUID], today: date) -> str:
    branch = await profile.branch_named(ctx, spec.branch)
    first = "LEAD" if spec.status == "LEAD" else "TICKET"
    address, zip_code = spec.address or (None, None)
    made = await jobs.create(
        ctx,
        CreateJob(
            customer_id=customer_ids[spec.customer] if spec.customer is not None else None, title=spec.title,
            description=spec.description, trade=spec.trade, priority=spec.priority, address=address,
            zip_code=zip_code, branch_id=branch.id if branch else None, status=first,
        ),
    )  # fmt: skip
    await _prepare(ctx, spec, made.id, today)
    for status in lifecycle.path(first, spec.status):
        note = "Customer went with another company." if status == "CANCELLED" else None
        await jobs.move(ctx, made.id, status, note)
    return f"  {made.number} {spec.title} ({spec.priority}, {spec.status}, {len(spec.visits)} visits)"


@demo_seed("jobs", order=47)
async def seed_jobs(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo jobs: skipped, the demo admin does not exist"]
    if EVERGREEN_SLUG not in cast.orgs:
        return [f"demo jobs: skipped, organization {EVERGREEN_SLUG} is missing"]
    try:
        async with cast.acting("admin", EVERGREEN_SLUG) as ctx:
            await profile.require_contractor(ctx)
    except HestamiError:
        return ["demo jobs: skipped, Evergreen Plumbing & HVAC has no contractor profile"]
    today = datetime.now(ZONE).date()
    async with cast.acting("admin", EVERGREEN_SLUG) as ctx:
        if (await customers.list_customers(ctx, ListCustomers(name=CUSTOMERS[0].name, limit=1))).items:
            return ["demo jobs (Evergreen Plumbing & HVAC): already loaded"]
        customer_ids = [
            (await customers.create(ctx, CreateCustomer(name=c.name, email=c.email, phone=c.phone, address=c.address,
                                                        zip_code=c.zip_code))).id
            for c in CUSTOMERS
        ]  # fmt: skip
        lines = [f"demo jobs (Evergreen Plumbing & HVAC): {len(CUSTOMERS)} customers, {len(JOBS)} jobs"]
        lines += [await _job(ctx, spec, customer_ids, today) for spec in JOBS]
    return lines
