"""The demo payables (Journey 1 step 3): after the identity, association and accounting seeders, Morgan Manager
finds four invoices waiting at Sunset Ridge; she approves the three under her limit and the fourth waits for a
board member. A second run adds nothing; the operating account can pay (a payment profile)."""

from __future__ import annotations

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.accounting.disbursements.demo import seed_disbursements
from hestami.cam.accounting.disbursements.demo_data import WAITING
from hestami.cam.association.demo import seed_associations
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok


async def test_the_manager_approves_three_and_one_waits_for_the_board(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations, seed_accounting):
        await seed(run)
    first, again = await seed_disbursements(run), await seed_disbursements(run)
    assert "already loaded" in again[-1], again
    manager, orgs = await demo_login(shared_client, "manager")
    org = orgs["sunset-ridge-hoa"]
    if "already loaded" in first[-1]:  # another test of this database seeded it (and may have approved them)
        return
    waiting = await ok(shared_client, manager, org, "accounting/apInvoice/v1/list",
                       {"status": "PENDING_APPROVAL", "limit": 200})  # fmt: skip
    mine = {i["invoice_number"]: i for i in waiting["items"] if i["invoice_number"] in {w.number for w in WAITING}}
    assert len(mine) == len(WAITING)
    results = {}
    for bill in WAITING:
        approved = await ok(
            shared_client, manager, org, "accounting/apInvoice/v1/approve", {"id": mine[bill.number]["id"]}
        )
        results[bill.number] = approved["status"]
    assert results == {"HCL-5521": "APPROVED", "CCP-0934": "APPROVED", "HCL-5534": "APPROVED",
                       "CCP-0951": "PENDING_BOARD"}  # fmt: skip
