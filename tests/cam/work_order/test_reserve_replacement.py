"""A work order that replaces a reserve component: completing it starts the component's new useful life, and its
invoice is coded to the component's reserve expense account (Reserve Expenditures when it has none), so the reserve
fund pays."""

from __future__ import annotations

import httpx

from tests.cam.work_order.helpers import PATH, community, link, new_order, provider, step
from tests.support.rpc import fails, ok


async def component(c: httpx.AsyncClient, manager: object, org: str, association_id: str, **fields: object) -> dict:
    body = {
        "association_id": association_id, "name": "Clubhouse roof", "category": "ROOFING",
        "useful_life_years": 25, "remaining_life_years": 2, "replacement_cost": "48000.00", **fields,
    }  # fmt: skip
    return await ok(c, manager, org, "reserve/component/v1/create", body)  # type: ignore[arg-type]


async def test_completing_a_replacement_resets_the_component_and_bills_the_reserve_fund(
    shared_client: httpx.AsyncClient,
) -> None:
    c = shared_client
    manager, org, association, _ = await community(c)
    _, provider_org, _ = await provider(c)
    await link(c, manager, org, association["id"], provider_org)
    roof = await component(c, manager, org, association["id"])
    order = await new_order(c, manager, org, association["id"], submit=False, reserve_component_id=roof["id"])
    assert order["reserve_component_id"] == roof["id"]
    for target in PATH[1 : PATH.index("COMPLETED") + 1]:
        order = await step(c, manager, org, order["id"], target, provider_org)
    replaced = await ok(c, manager, org, "reserve/component/v1/get", {"id": roof["id"]})
    assert replaced["remaining_life_years"] == 25  # a new useful life from today
    invoiced = await step(c, manager, org, order["id"], "INVOICED", provider_org)
    invoice = await ok(c, manager, org, "accounting/apInvoice/v1/get", {"id": invoiced["ap_invoice_id"]})
    chart = await ok(c, manager, org, "accounting/glAccount/v1/list", {"association_id": association["id"]})
    accounts = {a["id"]: a for a in chart["items"]}
    coded = accounts[invoice["lines"][0]["gl_account_id"]]
    assert (coded["account_number"], coded["fund"]) == ("7000", "RESERVE")
    await ok(c, manager, org, "accounting/apInvoice/v1/approve", {"id": invoice["id"]})
    for fund in ("OPERATING", "RESERVE"):  # the reserve expense is owed through due-to/due-from, each fund balanced
        trial = await ok(
            c, manager, org, "accounting/report/v1/trialBalance", {"association_id": association["id"], "fund": fund}
        )
        assert trial["balanced"], trial
    reserve = await ok(
        c, manager, org, "accounting/report/v1/trialBalance", {"association_id": association["id"], "fund": "RESERVE"}
    )
    lines = {line["account_number"]: line for line in reserve["lines"]}
    assert "7000" in lines


async def test_a_component_of_another_association_or_retired_is_refused(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    manager, org, association, _ = await community(c)
    other = await ok(c, manager, org, "association/v1/create", {"name": "Other Oaks"})
    theirs = await component(c, manager, org, other["id"], name="Their pool")
    body = {"association_id": association["id"], "title": "Pool", "description": "Replace", "submit": False}
    await fails(
        c, manager, org, "workOrder/v1/create", {**body, "reserve_component_id": theirs["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip
    mine = await component(c, manager, org, association["id"], name="Old fence")
    await ok(c, manager, org, "reserve/component/v1/retire", {"id": mine["id"]})
    await fails(
        c, manager, org, "workOrder/v1/create", {**body, "reserve_component_id": mine["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "COMPONENT_RETIRED",
    )  # fmt: skip


async def test_a_component_is_linked_to_an_asset_of_its_association(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    manager, org, association, _ = await community(c)
    body = {"association_id": association["id"], "name": "Pool heater", "category": "POOL_EQUIPMENT"}
    heater = await ok(c, manager, org, "asset/v1/create", body)
    linked = await component(c, manager, org, association["id"], name="Pool heater", asset_id=heater["id"])
    assert linked["asset_id"] == heater["id"]
    other = await ok(c, manager, org, "association/v1/create", {"name": "Other Elms"})
    theirs = await ok(c, manager, org, "asset/v1/create", {**body, "association_id": other["id"]})
    await fails(
        c, manager, org, "reserve/component/v1/update", {"id": linked["id"], "asset_id": theirs["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip
