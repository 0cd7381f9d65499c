"""The demo's field work: after the seeders before it (the pricebook and dispatch's day included), the technician of
Sunset Ridge's pool deck shower valve visit has completed it (travel and work time, the checklist done, two photos, a
voice note with its transcript, the pool manager's signature of the work summary, the parts), the job is COMPLETED
and the hand-off brings the work order to COMPLETED on Sunset Ridge's side; another technician is at work with the
timer running; a second run adds nothing; `billable_work` gives the job's time and parts."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.dispatch.demo import seed_dispatch
from hestami.contractor.field import api as field
from hestami.contractor.field.demo import seed_field
from hestami.contractor.field.demo_data import POOL_SHOWER, SIGNER
from hestami.contractor.job.demo import seed_jobs
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

DONE = frozenset({"COMPLETED", "INVOICED", "PAID", "CLOSED"})
WORK_ORDER_DONE = frozenset({"COMPLETED", "INVOICED", "CLOSED"})
SEEDERS = (seed_identity, seed_associations, seed_contractors, seed_technicians, seed_work_orders, seed_pricebook,
           seed_jobs, seed_dispatch)  # fmt: skip


async def test_evergreen_completed_the_pool_shower_visit(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    first, again = await seed_field(run), await seed_field(run)
    if first != again:  # else another module's test seeded the demo first
        assert first[0].startswith("demo field work: tech"), first
        assert first[0].endswith("job COMPLETED"), first
        assert "timer running" in first[1], first
    assert again == ["demo field work (Evergreen Plumbing & HVAC): already loaded"]

    dispatcher, orgs = await demo_login(shared_client, "vendor")
    org = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, dispatcher, org, path, body)

    jobs = (await call("job/v1/list", {"source": "WORK_ORDER", "limit": 200}))["items"]
    (pool,) = [j for j in jobs if POOL_SHOWER in j["title"]]
    assert pool["status"] in DONE  # the invoice demo moves it on when it ran first
    entries = (await call("fieldTech/v1/listTimeEntries", {"job_id": pool["id"]}))["items"]
    assert [(e["kind"], e["minutes"]) for e in entries] == [("TRAVEL", 25), ("WORK", 55)]
    media = (await call("fieldTech/v1/listMedia", {"job_id": pool["id"]}))["items"]
    assert [m["kind"] for m in media] == ["PHOTO", "PHOTO", "VOICE_NOTE", "SIGNATURE"]
    assert media[2]["transcript"].startswith("Pool shower valve")
    (signed,) = (await call("fieldTech/v1/listSignatures", {"job_id": pool["id"]}))["items"]
    assert (signed["signer_name"], signed["purpose"]) == (SIGNER, "WORK_SUMMARY")
    steps = await call("fieldTech/v1/getChecklist", {"visit_id": entries[0]["visit_id"]})
    assert steps["items"]
    assert steps["required_open"] == 0
    used = (await call("fieldTech/v1/listMaterials", {"job_id": pool["id"]}))["items"]
    assert [(m["code"], m["quantity"]) for m in used] == [("VLV-BALL-34", "1.000"), ("CU-34", "2.000")]

    async with acting(run, procedure="test", organization_id=uuid.UUID(org), user_id=None) as ctx:
        work = await field.billable_work(ctx, uuid.UUID(pool["id"]))
    assert [(t.kind, t.minutes) for t in work.time] == [("TRAVEL", 25), ("WORK", 55)]
    assert all(t.technician_name for t in work.time)
    assert [(m.code, m.quantity) for m in work.materials] == [("VLV-BALL-34", Decimal(1)), ("CU-34", Decimal(2))]

    manager, hoa_orgs = await demo_login(shared_client, "manager")
    sunset = hoa_orgs["sunset-ridge-hoa"]
    for _ in range(200):
        order = await ok(shared_client, manager, sunset, "workOrder/v1/get", {"id": pool["work_order_id"]})
        if order["status"] in WORK_ORDER_DONE:
            break
        await asyncio.sleep(0.1)
    assert order["status"] in WORK_ORDER_DONE
