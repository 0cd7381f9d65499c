"""The demo posting: after the identity, association and accounting seeders, each demo association has a COMPLETED
run of this month's dues (every unit skipped: the accounting seeder billed the month), the calendar settings, and
today's collection steps for its delinquent units; the manager sees them; a second run adds nothing."""

from __future__ import annotations

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.accounting.posting.demo import seed_posting
from hestami.cam.association.demo import seed_associations
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

P = "accounting/posting/v1/"


async def test_each_demo_association_has_a_posting_run(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations, seed_accounting):
        await seed(run)
    first, again = await seed_posting(run), await seed_posting(run)
    assert len(first) > 1, first
    assert not any("posting: skipped" in line for line in first), first
    assert all("already loaded" in line for line in again[1:]), again

    manager, orgs = await demo_login(shared_client, "manager")
    org = orgs["sunset-ridge-hoa"]
    runs = (await ok(shared_client, manager, org, P + "list", {"limit": 200}))["items"]
    assert runs, runs
    assert all(r["status"] == "COMPLETED" and r["charged"] == 0 and r["skipped"] == r["units_total"] for r in runs)
    steps = (await ok(shared_client, manager, org, P + "collections", {"limit": 200}))["items"]
    assert steps, first  # the demo books have units that stopped paying
    assert {s["step"] for s in steps} <= {"REMINDER", "LATE_NOTICE", "INTENT_TO_LIEN"}
