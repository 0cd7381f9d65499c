"""The demo pricebook: after the identity, contractor, association and work-order seeders, Evergreen Plumbing & HVAC
has an ACTIVE version of 50 items in nested categories with four bundles and three job templates, a spring tune-up
discount, an after-hours labour surcharge, a member discount and a rate sheet for Sunset Ridge HOA; its dispatcher
(vendor@) quotes a spring tune-up for Sunset Ridge from the contract rate; a second run adds nothing."""

from __future__ import annotations

from typing import Any

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.cam.work_order.demo import seed_work_orders
from hestami.contractor.pricebook.demo import seed_pricebook
from hestami.contractor.profile.demo import seed as seed_contractors
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.support.demo import demo_login
from tests.support.rpc import all_ids, ok

SPRING_TUESDAY_AFTERNOON = "2031-04-15T14:00:00-05:00"
SATURDAY_MORNING = "2031-07-19T10:00:00-05:00"


async def test_evergreen_quotes_from_its_active_pricebook(shared_client: httpx.AsyncClient) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_contractors, seed_associations, seed_work_orders):
        await seed(run)
    first, again = await seed_pricebook(run), await seed_pricebook(run)
    if first[1] != "  catalogue: already loaded":  # another module's test may have seeded the pricebook first
        assert "50 items (4 bundles) and 3 job templates" in first[1], first
        assert "a rate sheet of 9 prices for Sunset Ridge HOA" in first[3], first
        assert "12 items (0 bundles) and 1 job templates in 'Roofing rates 2026', ACTIVE" in first[4], first
    assert again[1:] == [
        "  catalogue: already loaded", "  price rules: already there",
        "  the Sunset Ridge rate sheet was there already", "demo pricebook (Cibolo Creek Roofing): already loaded",
    ], again  # fmt: skip

    dispatcher, orgs = await demo_login(shared_client, "vendor")
    org = orgs["evergreen-plumbing"]

    async def call(path: str, body: dict[str, Any]) -> Any:
        return await ok(shared_client, dispatcher, org, f"pricebook/v1/{path}", body)

    [active] = (await call("listVersions", {"status": "ACTIVE"}))["items"]
    assert (
        len(await all_ids(shared_client, dispatcher, org, "pricebook/v1/listItems", {"version_id": active["id"]})) >= 40
    )
    bundles = await call("listItems", {"version_id": active["id"], "kind": "BUNDLE"})
    assert {b["code"] for b in bundles["items"]} == {"BDL-WH-50", "BDL-TOILET", "BDL-AC-SPRING", "BDL-REPIPE-BATH"}
    templates = await call("listTemplates", {"version_id": active["id"]})
    assert len(templates["items"]) == 3
    [sheet] = (await call("listRules", {"kind": "RATE_SHEET", "active": True}))["items"]
    sunset = sheet["association_id"]

    spring = await call("price", {"items": [{"code": "HVAC-TUNE-AC", "quantity": "1"}], "association_id": sunset,
                                  "at": SPRING_TUESDAY_AFTERNOON})  # fmt: skip
    line = spring["lines"][0]
    assert [(a["kind"], a["price_after"]) for a in line["applied_rules"]] == [
        ("RATE_SHEET", "129.00"), ("SEASONAL", "109.65")  # 129.00 - 15 % = 109.65
    ]  # fmt: skip
    weekend = await call("price", {"items": [{"code": "LAB-JP", "quantity": "2"}, {"code": "CU-34", "quantity": "120"}],
                                   "at": SATURDAY_MORNING, "member": True})  # fmt: skip
    labour, pipe = weekend["lines"]
    # labour: 125.00, member 15 % → 106.25, weekend time and a half → 159.38 (159.375 up); two hours 318.76
    assert (labour["unit_price"], labour["line_total"]) == ("159.38", "318.76")
    # pipe: 8.75, 120 ft ≥ 100 → 10 % 7.875 → 7.88, member 15 % → 6.698 → 6.70; 804.00; no surcharge on materials
    assert (pipe["unit_price"], pipe["line_total"]) == ("6.70", "804.00")
    assert (weekend["subtotal"], weekend["taxable_subtotal"]) == ("1122.76", "804.00")
