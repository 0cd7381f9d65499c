"""The demo's maintenance agreements: after the seeders before them, Evergreen has 30 agreements — ACTIVE ones with
their visits scheduled as AGREEMENT jobs on the dispatch board, Sunset Ridge HOA's quarterly pool-equipment service,
one renewed by hand into a second term, one LAPSED at its term's end; a second run adds nothing. Tolerant of other
demos seeded first (the seeder may have run in another module: its first answer is then "already loaded")."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.dispatch.demo import seed_dispatch
from hestami.contractor.field.demo import seed_field
from hestami.contractor.invoice.demo import seed_invoices
from hestami.contractor.job.demo import seed_jobs
from hestami.contractor.maintenance.demo import seed_maintenance
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

SEEDERS = (seed_identity, seed_associations, seed_accounting, seed_contractors, seed_technicians, seed_work_orders,
           seed_pricebook, seed_jobs, seed_dispatch, seed_field, seed_invoices)  # fmt: skip


async def test_evergreen_agreements_with_their_visits(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    started = time.monotonic()
    first = await seed_maintenance(run)
    took = time.monotonic() - started
    again = await seed_maintenance(run)
    if first != again:  # else another module's test seeded it first
        assert first[0] == "demo maintenance agreements (Evergreen Plumbing & HVAC):", first
        assert any("LAPSED" in line for line in first), first
        assert took < 20, took
    assert again == ["demo maintenance agreements (Evergreen Plumbing & HVAC): already loaded"]

    keeper, orgs = await demo_login(shared_client, "admin")
    evergreen = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, keeper, evergreen, path, body)

    every = (await call("maintenance/v1/list", {"limit": 100}))["items"]
    assert len(every) == 30
    statuses = Counter(a["status"] for a in every)
    assert (statuses["ACTIVE"], statuses["LAPSED"]) == (29, 1), statuses
    (pool,) = [a for a in every if a["association_id"] is not None]
    assert pool["billing_frequency"] == "QUARTERLY"
    pool_visits = (await call("maintenance/v1/listVisits", {"id": pool["id"]}))["items"]
    assert len(pool_visits) == 4
    renewed = [a for a in every if len((await call("maintenance/v1/get", {"id": a["id"]}))["renewals"]) == 1]
    assert len(renewed) >= 1
    jobs = (await call("job/v1/list", {"source": "AGREEMENT", "limit": 200}))["items"]
    assert len(jobs) >= 40
    assert {j["status"] for j in jobs} <= {"JOB_CREATED", "SCHEDULED", "CANCELLED"}
