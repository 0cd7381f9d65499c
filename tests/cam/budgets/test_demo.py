"""The demo budgets: after the identity, association and accounting seeders, each demo association has this fiscal
year's operating and reserve budgets adopted and next year's operating budget in draft; Olivia Owner (owner@) sees
Sunset Ridge's two adopted budgets and not the draft, the manager sees all three and compares them with the demo
books; a second run adds nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from hestami.cam.accounting.budgets.demo import seed_budgets
from hestami.cam.accounting.demo import seed_accounting
from hestami.cam.association.demo import seed_associations
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import ok

B = "accounting/budget/v1/"


async def test_each_demo_association_has_its_budgets(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations, seed_accounting):
        await seed(run)
    first, again = await seed_budgets(run), await seed_budgets(run)
    assert len(first) == 4, first
    assert all("already loaded" in line for line in again[1:]), again

    year = date.today().year  # the demo associations' fiscal years start in January
    manager, orgs = await demo_login(shared_client, "manager")
    org = orgs["sunset-ridge-hoa"]
    listed = (await ok(shared_client, manager, org, B + "list", {"limit": 200}))["items"]
    found = sorted((b["fiscal_year"], b["fund"], b["status"]) for b in listed)
    assert found == [(year, "OPERATING", "ADOPTED"), (year, "RESERVE", "ADOPTED"), (year + 1, "OPERATING", "DRAFT")]

    operating = next(b for b in listed if b["fund"] == "OPERATING" and b["status"] == "ADOPTED")
    budget = await ok(shared_client, manager, org, B + "get", {"id": operating["id"]})
    dues = next(line for line in budget["lines"] if line["account_number"] == "4000")
    assert dues["total"] == "31680.00"  # 24 homes at $110.00 a month
    assert all(Decimal(line["total"]) == sum(Decimal(a) for a in line["amounts"]) for line in budget["lines"])
    assert budget["totals"]["result"] == "SURPLUS"
    compared = await ok(shared_client, manager, org, B + "vsActual", {"id": operating["id"]})
    assert Decimal(compared["income"]["actual_to_date"]) > 0  # the demo books' dues this year

    olivia, _ = await demo_login(shared_client, "owner")
    hers = (await ok(shared_client, olivia, org, B + "list", {"limit": 200}))["items"]
    assert sorted((b["fund"], b["status"]) for b in hers) == [("OPERATING", "ADOPTED"), ("RESERVE", "ADOPTED")]
