"""The demo's invoices: after the seeders before them (the field work included), Evergreen's pool deck shower valve
invoice is in Sunset Ridge's payables (PENDING_APPROVAL, Repairs and Maintenance in the operating fund, linked to
the work order, which is INVOICED); a homeowner's deposit is PAID by card through the payment port; a water softener
invoice is partly paid; two invoices are overdue, and the aging shows them past 30 and past 60 days, its totals tying
out; a second run adds nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.dispatch.demo import seed_dispatch
from hestami.contractor.field.demo import seed_field
from hestami.contractor.invoice.demo import seed_invoices
from hestami.contractor.invoice.demo_data import POOL_SHOWER
from hestami.contractor.job.demo import seed_jobs
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.contractor.technician.demo import seed_technicians
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

SEEDERS = (seed_identity, seed_associations, seed_accounting, seed_contractors, seed_technicians, seed_work_orders,
           seed_pricebook, seed_jobs, seed_dispatch, seed_field)  # fmt: skip


async def test_evergreen_invoices_and_sunset_ridge_owes_the_pool_job(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in SEEDERS:
        await seed(run)
    first, again = await seed_invoices(run), await seed_invoices(run)
    if first != again:  # else another module's test seeded the demo first
        assert first[0] == "demo invoices (Evergreen Plumbing & HVAC):", first
        assert "PENDING_APPROVAL" in first[1], first
        assert len(first) == 6, first
    assert again == ["demo invoices (Evergreen Plumbing & HVAC): already loaded"]

    keeper, orgs = await demo_login(shared_client, "admin")  # Evergreen's books are its admin's
    evergreen = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, keeper, evergreen, path, body)

    every = (await call("invoice/v1/list", {"limit": 200}))["items"]
    jobs = [i for i in every if i["kind"] != "AGREEMENT"]  # the maintenance demo may have billed its agreements
    assert len(jobs) == 5
    (pool,) = [i for i in every if i["work_order_id"] is not None]
    assert pool["ap_invoice_id"] is not None
    (deposit,) = [i for i in every if i["kind"] == "DEPOSIT"]
    assert (deposit["status"], deposit["option_name"]) == ("PAID", "Better")
    intents = await call("invoice/v1/listPaymentIntents", {"invoice_id": deposit["id"]})
    assert [i["outcome"] for i in intents["items"]] == ["SUCCEEDED"]
    assert sorted(i["status"] for i in jobs) == ["ISSUED", "ISSUED", "ISSUED", "PAID", "PARTIALLY_PAID"]

    aging = await call("invoice/v1/aging", {})
    totals = aging["totals"]
    assert Decimal(totals["days_31_60"]) > 0
    assert Decimal(totals["days_61_90"]) > 0
    assert Decimal(totals["current"]) > 0
    assert Decimal(aging["open_balance"]) == Decimal(totals["total"])
    assert Decimal(totals["total"]) == sum(Decimal(i["balance"]) for i in every if i["status"] != "PAID")

    hoa_manager, hoa_orgs = await demo_login(shared_client, "manager")
    sunset = hoa_orgs["sunset-ridge-hoa"]
    ap = await ok(shared_client, hoa_manager, sunset, "accounting/apInvoice/v1/get", {"id": pool["ap_invoice_id"]})
    assert (ap["status"], ap["invoice_number"], ap["source_type"]) == ("PENDING_APPROVAL", pool["number"], "WORK_ORDER")
    order = await ok(shared_client, hoa_manager, sunset, "workOrder/v1/get", {"id": ap["source_id"]})
    assert order["title"].startswith(POOL_SHOWER)
    assert (order["status"], order["ap_invoice_id"]) == ("INVOICED", ap["id"])
    chart = await ok(shared_client, hoa_manager, sunset, "accounting/glAccount/v1/list",
                     {"association_id": ap["association_id"], "limit": 200})  # fmt: skip
    accounts = {a["id"]: a for a in chart["items"]}
    coded = {
        (accounts[x["gl_account_id"]]["account_number"], accounts[x["gl_account_id"]]["fund"]) for x in ap["lines"]
    }
    assert coded == {("5400", "OPERATING")}
