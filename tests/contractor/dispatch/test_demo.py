"""The demo's dispatch day: after the identity, association, contractor, technician, work-order and job seeders,
Evergreen's board of the demo day shows 25 assigned visits across its six technicians (each eligible, none double
booked), two of them for the jobs the hand-off opened from Sunset Ridge HOA's open work orders, and the EMERGENCY
burst pipe waiting without a visit; scheduling those jobs moves the work orders to SCHEDULED on Sunset Ridge's side;
a second run adds nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from itertools import pairwise
from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.dispatch.demo import seed_dispatch
from hestami.contractor.dispatch.demo_data import HOA, ZONE, demo_day
from hestami.contractor.job.demo import seed_jobs
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.accounts import Account
from tests.support.demo import demo_login
from tests.support.rpc import ok

SCHEDULED_OR_LATER = frozenset({"SCHEDULED", "IN_PROGRESS", "ON_HOLD", "COMPLETED", "INVOICED", "CLOSED"})
SEEDERS = (seed_identity, seed_associations, seed_contractors, seed_technicians, seed_work_orders, seed_jobs)
"""The seeders that run before dispatch's (`hestami seed-demo`'s order)."""


async def test_evergreen_has_a_dispatched_day(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    first, again = await seed_dispatch(run), await seed_dispatch(run)
    day = demo_day(datetime.now(ZONE).date())
    said = re.fullmatch(
        rf"demo dispatch \(Evergreen Plumbing & HVAC\): {day.isoformat()}, (\d+) visits assigned \(2 of Sunset "
        r"Ridge's work orders, (\d+) of the job demo's\), (\d+) left for the dispatcher",
        first[0],
    )
    seeded_here = first != again  # else another module's test seeded the demo (and maybe later demos) first
    planned = 25
    if seeded_here:
        assert len(first) == 1, first  # no line about a work order whose job the hand-off had not opened
        assert said is not None, first
        # 25 a day; when the day is tomorrow the job demo's visits of tomorrow come first and a few calls may not fit
        planned = int(said.group(1))
        assert 20 <= planned <= 25, first
    assert again == ["demo dispatch (Evergreen Plumbing & HVAC): already loaded"]

    dispatcher, orgs = await demo_login(shared_client, "vendor")
    org = orgs["evergreen-plumbing"]
    _, every_org = await demo_login(shared_client, "admin")

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, dispatcher, org, path, body)

    board = await call("dispatch/v1/getBoard", {"date": day.isoformat()})
    assert len(board["technicians"]) == 6
    assert all(t["assignments"] for t in board["technicians"]), [t["display_name"] for t in board["technicians"]]
    booked = sum(len(t["assignments"]) for t in board["technicians"])
    assert booked == planned if seeded_here else booked <= 25  # the field and invoice demos finish some (off the board)
    for technician in board["technicians"]:
        slots = sorted((a["starts_at"], a["ends_at"]) for a in technician["assignments"])
        assert all(earlier[1] <= later[0] for earlier, later in pairwise(slots))
        assert technician["capacity_left_minutes"] >= 0

    handed_off = {j["id"]: j for j in (await call("job/v1/list", {"source": "WORK_ORDER", "limit": 200}))["items"]}
    from_hoa = [
        (technician["display_name"], assignment)
        for technician in board["technicians"]
        for assignment in technician["assignments"]
        if assignment["job_id"] in handed_off
    ]
    # the later demos (field work, invoices) finish some of the day's visits: the board shows open ones
    assert len(from_hoa) == 2 if seeded_here else len(from_hoa) <= 2, from_hoa
    for name, assignment in from_hoa:
        job = handed_off[assignment["job_id"]]
        assert job["hoa_organization_id"] == every_org[HOA], job
        assert (assignment["zip_code"], assignment["trade"]) == ("78258", "PLUMBING"), assignment
        assert name in {"Tina Tate", "Toby Trujillo", "Tara Thompson"}, name  # San Antonio plumbers

    waiting = [j for j in board["unassigned_jobs"] if j["priority"] == "EMERGENCY"]
    own = [j["title"] for j in waiting if j["job_id"] not in handed_off]
    assert own == ["Burst pipe under the slab"], waiting
    # any other: an HOA work order the work-order demo handed off elsewhere (Harbor View's burst pipe, 78411: no
    # technician's territory), never one of Sunset Ridge's
    others = [handed_off[j["job_id"]] for j in waiting if j["job_id"] in handed_off]
    assert all(job["hoa_organization_id"] != every_org[HOA] for job in others), others

    manager, manager_orgs = await demo_login(shared_client, "manager")
    work_order_ids = [handed_off[a["job_id"]]["work_order_id"] for _, a in from_hoa]
    for work_order_id in work_order_ids:
        await _scheduled(shared_client, manager, manager_orgs[HOA], work_order_id)


async def _scheduled(client: httpx.AsyncClient, manager: Account, hoa: str, work_order_id: str) -> None:
    """The work order reaches SCHEDULED on the association's side (the hand-off mirrors the job, asynchronously), or
    beyond it when the field and invoice demos ran too."""
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        order = await ok(client, manager, hoa, "workOrder/v1/get", {"id": work_order_id})
        if order["status"] in SCHEDULED_OR_LATER:
            return
        assert asyncio.get_running_loop().time() < deadline, order["status"]
        await asyncio.sleep(0.2)
