"""A service provider acting from its own organization: it sees the work orders assigned to it or awaiting its
bid and nothing else of the association; its VENDOR users do the work but do not assign or invoice; bids go
from invitation to award (the provider's contractor compliance checked at both ends); an unrelated organization sees
none of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from tests.cam.work_order.helpers import community, link, new_order, order_in, provider, step
from tests.support.accounts import Account, account, organization
from tests.support.rpc import fails, ok, suffix

OPEN_BID = ("REQUESTED", "SUBMITTED")


@dataclass
class Provider:
    admin: Account
    org: str
    tech: Account


@dataclass
class World:
    manager: Account
    org: str
    association: dict
    unit: dict
    a: Provider  # assigned to `assigned`, `done` and `scheduled`
    b: Provider  # another provider, linked but given nothing in this association
    c: Provider  # insurance expired
    assigned: dict
    done: dict  # assigned to A, completed by A's VENDOR and invoiced
    other: dict  # neither assigned nor invited
    invoice: dict
    asset: dict
    scheduled: dict  # assigned to A and scheduled, for A's VENDOR to work
    stranger: Account  # an admin of an unrelated organization
    stranger_org: str
    bid_org: str  # a second organization of the same manager, where the bids are asked for
    bid_association: dict


async def new_provider(client: httpx.AsyncClient, **kwargs: object) -> Provider:
    return Provider(*await provider(client, **kwargs))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    manager, org, association, unit = await community(c)
    a, b = await new_provider(c, name="Able"), await new_provider(c, name="Baker")
    expired = await new_provider(c, name="Lapsed", insurance_expires=date(2020, 1, 1))
    for p in (a, b, expired):
        await link(c, manager, org, association["id"], p.org)
    aid = association["id"]
    assigned = await order_in(c, manager, org, aid, "ASSIGNED", a.org)
    done = await order_in(c, manager, org, aid, "SCHEDULED", a.org)
    await ok(c, a.tech, a.org, "workOrder/v1/updateStatus", {"id": done["id"], "status": "IN_PROGRESS"})
    body = {"id": done["id"], "completion_notes": "Fixed", "actual_cost": "90.00"}
    await ok(c, a.tech, a.org, "workOrder/v1/complete", body)
    done = await step(c, manager, org, done["id"], "INVOICED", a.org)
    invoice = await ok(c, manager, org, "accounting/apInvoice/v1/get", {"id": done["ap_invoice_id"]})
    other = await new_order(c, manager, org, aid, unit_id=unit["id"])
    asset = await ok(c, manager, org, "asset/v1/create", {"association_id": aid, "name": "Pump", "category": "POOL"})
    scheduled = await order_in(c, manager, org, aid, "SCHEDULED", a.org)
    stranger = await account(c)
    stranger_org = (await organization(c, stranger, f"Elsewhere {suffix()}"))["id"]
    bid_org = (await organization(c, manager, f"Bids {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    bid_association = await ok(c, manager, bid_org, "association/v1/create", {"name": f"Elm {suffix()}"})
    for p in (a, b, expired):
        await link(c, manager, bid_org, bid_association["id"], p.org)
    return World(
        manager, org, association, unit, a, b, expired, assigned, done, other, invoice, asset, scheduled,
        stranger, stranger_org, bid_org, bid_association,
    )  # fmt: skip


async def provider_list(client: httpx.AsyncClient, p: Provider) -> list[dict]:
    return (await ok(client, p.tech, p.org, "workOrder/v1/listForProvider", {"limit": 200}))["items"]


# --- what a provider sees --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def invited(shared_client: httpx.AsyncClient, world: World) -> dict:
    """A work order of the association on which A is invited to bid (and nothing more)."""
    c, manager, org = shared_client, world.manager, world.org
    order = await new_order(c, manager, org, world.association["id"])
    body = {"work_order_id": order["id"], "provider_organization_ids": [world.a.org]}
    await ok(c, manager, org, "bid/v1/requestBids", body)
    return order


def in_association(items: list[dict], world: World) -> dict[str, tuple[bool, str | None]]:
    return {
        i["id"]: (i["assigned_to_me"], i["my_bid_status"])
        for i in items
        if i["association_organization_id"] == world.org
    }


async def test_provider_lists_exactly_its_assigned_work_orders(shared_client: httpx.AsyncClient, world: World) -> None:
    items = await provider_list(shared_client, world.a)
    seen = in_association(items, world)
    assigned = {world.assigned["id"], world.done["id"], world.scheduled["id"]}
    assert {k: v for k, v in seen.items() if k in assigned} == dict.fromkeys(assigned, (True, None))
    # Anything else listed is awaiting this provider's bid (see the test with an invitation).
    assert all(status in OPEN_BID for k, (_, status) in seen.items() if k not in assigned), seen
    assert world.other["id"] not in seen
    numbers = {i["number"] for i in items if i["id"] in assigned}
    assert numbers == {world.assigned["number"], world.done["number"], world.scheduled["number"]}
    hidden = {"ap_invoice_id", "actual_cost", "estimated_cost", "unit_id", "requestor_user_id", "completion_notes"}
    assert not set(items[0]) & hidden
    assert in_association(await provider_list(shared_client, world.b), world) == {}


async def test_provider_lists_exactly_its_assigned_and_invited_work_orders(
    shared_client: httpx.AsyncClient, world: World, invited: dict
) -> None:
    seen = in_association(await provider_list(shared_client, world.a), world)
    assert seen == {
        world.assigned["id"]: (True, None),
        world.done["id"]: (True, None),
        world.scheduled["id"]: (True, None),
        invited["id"]: (False, "REQUESTED"),
    }
    assert in_association(await provider_list(shared_client, world.b), world) == {}


async def test_provider_gets_its_assigned_job_but_not_the_rest(shared_client: httpx.AsyncClient, world: World) -> None:
    c, tech, org = shared_client, world.a.tech, world.a.org
    got = await ok(c, tech, org, "workOrder/v1/get", {"id": world.assigned["id"]})
    assert got["id"] == world.assigned["id"]
    assert got["assigned_provider_org_id"] == world.a.org
    await fails(c, tech, org, "workOrder/v1/get", {"id": world.other["id"]}, 404, "NOT_FOUND")
    await fails(c, tech, org, "workOrder/v1/getStatusHistory", {"id": world.other["id"]}, 404, "NOT_FOUND")
    for path, record_id in (
        ("unit/v1/get", world.unit["id"]),
        ("association/v1/get", world.association["id"]),
        ("accounting/apInvoice/v1/get", world.invoice["id"]),
        ("accounting/glAccount/v1/get", world.invoice["lines"][0]["gl_account_id"]),
        ("vendor/v1/get", world.invoice["vendor_id"]),
        ("asset/v1/get", world.asset["id"]),
    ):
        await fails(c, tech, org, path, {"id": record_id}, 404, "NOT_FOUND")
    listed = await ok(c, tech, org, "accounting/apInvoice/v1/list", {"association_id": world.association["id"]})
    assert listed["items"] == []
    assert (await ok(c, tech, org, "workOrder/v1/list", {}))["items"] == []


@pytest.mark.parametrize(
    ("path", "record"),
    [
        ("workOrder/v1/get", "assigned"),
        ("unit/v1/get", "unit"),
        ("association/v1/get", "association"),
        ("accounting/apInvoice/v1/get", "invoice"),
    ],
)
async def test_provider_in_the_associations_scope_is_not_a_member(
    shared_client: httpx.AsyncClient, world: World, path: str, record: str
) -> None:
    for who in (world.a.tech, world.a.admin):
        await fails(shared_client, who, world.org, path, {"id": getattr(world, record)["id"]}, 403, "FORBIDDEN")


async def test_vendor_works_its_job_but_does_not_assign_or_invoice(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, manager, org, a = shared_client, world.manager, world.org, world.a
    oid = world.scheduled["id"]
    assign = {"id": oid, "provider_organization_id": a.org}
    await fails(c, a.tech, a.org, "workOrder/v1/assignVendor", assign, 403, "FORBIDDEN")
    await fails(c, a.tech, a.org, "workOrder/v1/updateStatus", {"id": oid, "status": "CANCELLED"}, 403, "FORBIDDEN")
    started = await ok(c, a.tech, a.org, "workOrder/v1/updateStatus", {"id": oid, "status": "IN_PROGRESS"})
    assert started["status"] == "IN_PROGRESS"
    body = {"id": oid, "completion_notes": "Replaced the pump seal", "actual_cost": "210.00"}
    completed = await ok(c, a.tech, a.org, "workOrder/v1/complete", body)
    assert completed["status"] == "COMPLETED"
    assert completed["actual_cost"] == "210.00"
    invoice = {"id": oid, "invoice_number": f"A-{suffix()}", "amount": "210.00", "invoice_date": "2026-11-20"}
    await fails(c, a.tech, a.org, "workOrder/v1/createInvoice", invoice, 403, "FORBIDDEN")
    await fails(c, a.tech, a.org, "workOrder/v1/assignVendor", assign, 403, "FORBIDDEN")
    current = await ok(c, manager, org, "workOrder/v1/get", {"id": oid})
    assert (current["status"], current["ap_invoice_id"]) == ("COMPLETED", None)
    comment = await ok(c, a.tech, a.org, "workOrder/v1/addComment", {"id": oid, "body": "Seal was cracked"})
    assert comment["work_order_id"] == oid

    # Another provider's VENDOR: the job does not exist for it.
    b = world.b
    for path, body in (
        ("workOrder/v1/get", {"id": oid}),
        ("workOrder/v1/complete", {"id": oid, "completion_notes": "x"}),
        ("workOrder/v1/updateStatus", {"id": oid, "status": "ON_HOLD"}),
        ("workOrder/v1/addComment", {"id": oid, "body": "me too"}),
    ):
        await fails(c, b.tech, b.org, path, body, 404, "NOT_FOUND")


# --- bids ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def bidding(shared_client: httpx.AsyncClient, world: World) -> dict:
    """A work order with bids requested from A and B (the lapsed provider refused) and both submitted."""
    c, manager, org = shared_client, world.manager, world.bid_org
    order = await order_in(c, manager, org, world.bid_association["id"], "TRIAGED", world.a.org)
    refused = await fails(
        c,
        manager,
        org,
        "bid/v1/requestBids",
        {"work_order_id": order["id"], "provider_organization_ids": [world.a.org, world.c.org]},
        422,
        "BUSINESS_RULE_VIOLATION",
        "INSURANCE_EXPIRED",
    )
    assert refused["details"]["document"] == "GENERAL_LIABILITY"
    assert refused["details"]["expired_on"] == "2020-01-01"
    assert refused["details"]["provider_organization_id"] == world.c.org
    assert [i["code"] for i in refused["details"]["issues"]] == ["INSURANCE_EXPIRED"]
    assert (await ok(c, manager, org, "bid/v1/listBids", {"work_order_id": order["id"]}))["items"] == []
    requested = await ok(
        c,
        manager,
        org,
        "bid/v1/requestBids",
        {"work_order_id": order["id"], "provider_organization_ids": [world.a.org, world.b.org]},
    )
    bids = {b["provider_organization_id"]: b for b in requested["items"]}
    assert set(bids) == {world.a.org, world.b.org}
    assert {b["status"] for b in bids.values()} == {"REQUESTED"}

    for p, amount in ((world.a, "400.00"), (world.b, "350.00")):
        invitations = await ok(c, p.tech, p.org, "bid/v1/listBids", {"limit": 200})
        mine = [x for x in invitations["items"] if x["work_order_id"] == order["id"]]
        assert [x["id"] for x in mine] == [bids[p.org]["id"]]
        assert {x["provider_organization_id"] for x in invitations["items"]} == {p.org}
        body = {"bid_id": bids[p.org]["id"], "amount": amount, "scope": "Replace the valve"}
        submitted = await ok(c, p.tech, p.org, "bid/v1/submitBid", body)
        assert (submitted["status"], submitted["amount"]) == ("SUBMITTED", amount)
    return {"order": order, "a": bids[world.a.org], "b": bids[world.b.org]}


async def test_bids_are_listed_accepted_by_the_association_only_and_the_rest_rejected(
    shared_client: httpx.AsyncClient, world: World, bidding: dict
) -> None:
    c, manager, org, a, b = shared_client, world.manager, world.bid_org, world.a, world.b
    order = bidding["order"]
    listed = await ok(c, manager, org, "bid/v1/listBids", {"work_order_id": order["id"]})
    assert {(x["id"], x["status"], x["amount"]) for x in listed["items"]} == {
        (bidding["a"]["id"], "SUBMITTED", "400.00"),
        (bidding["b"]["id"], "SUBMITTED", "350.00"),
    }
    await fails(c, b.tech, b.org, "bid/v1/acceptBid", {"bid_id": bidding["b"]["id"]}, 403, "FORBIDDEN")
    await fails(c, b.admin, b.org, "bid/v1/acceptBid", {"bid_id": bidding["b"]["id"]}, 404, "NOT_FOUND")  # no VENDOR
    await fails(c, a.tech, a.org, "bid/v1/acceptBid", {"bid_id": bidding["b"]["id"]}, 404, "NOT_FOUND")

    accepted = await ok(c, manager, org, "bid/v1/acceptBid", {"bid_id": bidding["b"]["id"]})
    assert accepted["status"] == "ACCEPTED"
    current = await ok(c, manager, org, "workOrder/v1/get", {"id": order["id"]})
    assert (current["status"], current["assigned_provider_org_id"]) == ("ASSIGNED", b.org)
    assert current["estimated_cost"] == "350.00"
    statuses = {
        x["id"]: x["status"]
        for x in (await ok(c, manager, org, "bid/v1/listBids", {"work_order_id": order["id"]}))["items"]
    }
    assert statuses == {bidding["a"]["id"]: "REJECTED", bidding["b"]["id"]: "ACCEPTED"}

    for p, bid in ((a, bidding["a"]), (b, bidding["b"])):
        await fails(
            c,
            p.tech,
            p.org,
            "bid/v1/withdrawBid",
            {"bid_id": bid["id"]},
            422,
            "BUSINESS_RULE_VIOLATION",
            "BID_NOT_OPEN",
        )
        body = {"bid_id": bid["id"], "amount": "1.00", "scope": "late"}
        await fails(c, p.tech, p.org, "bid/v1/submitBid", body, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")
    await fails(
        c,
        manager,
        org,
        "bid/v1/acceptBid",
        {"bid_id": bidding["a"]["id"]},
        422,
        "BUSINESS_RULE_VIOLATION",
        "BID_NOT_OPEN",
    )
    mine = {i["id"]: i for i in await provider_list(c, b)}
    assert mine[order["id"]]["assigned_to_me"] is True


async def test_a_provider_whose_bid_was_rejected_no_longer_lists_the_work_order(
    shared_client: httpx.AsyncClient, world: World, bidding: dict
) -> None:
    """listForProvider: only work orders assigned to the provider or awaiting its bid (an open invitation)."""
    c, manager, org = shared_client, world.manager, world.bid_org
    if (await ok(c, manager, org, "workOrder/v1/get", {"id": bidding["order"]["id"]}))["status"] == "TRIAGED":
        await ok(c, manager, org, "bid/v1/acceptBid", {"bid_id": bidding["b"]["id"]})
    for p in (world.a, world.b):
        items = await provider_list(c, p)
        leaked = [
            (i["number"], i["my_bid_status"])
            for i in items
            if not i["assigned_to_me"] and i["my_bid_status"] not in OPEN_BID
        ]
        assert leaked == [], f"{p.org} still lists work orders whose bid was decided: {leaked}"


async def test_a_withdrawn_bid_cannot_be_accepted_and_withdrawing_is_the_providers_act(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, manager, org, a = shared_client, world.manager, world.bid_org, world.a
    order = await new_order(c, manager, org, world.bid_association["id"])
    (bid,) = (
        await ok(
            c, manager, org, "bid/v1/requestBids", {"work_order_id": order["id"], "provider_organization_ids": [a.org]}
        )
    )["items"]
    await fails(c, manager, org, "bid/v1/withdrawBid", {"bid_id": bid["id"]}, 403, "FORBIDDEN")
    await fails(
        c, manager, org, "bid/v1/acceptBid", {"bid_id": bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN"
    )
    withdrawn = await ok(c, a.tech, a.org, "bid/v1/withdrawBid", {"bid_id": bid["id"]})
    assert withdrawn["status"] == "WITHDRAWN"
    await fails(
        c, manager, org, "bid/v1/acceptBid", {"bid_id": bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN"
    )


async def test_a_bid_is_not_accepted_once_the_providers_licence_expired(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, manager, org, b = shared_client, world.manager, world.bid_org, world.b
    order = await new_order(c, manager, org, world.bid_association["id"])
    (bid,) = (
        await ok(
            c, manager, org, "bid/v1/requestBids", {"work_order_id": order["id"], "provider_organization_ids": [b.org]}
        )
    )["items"]
    await ok(c, b.tech, b.org, "bid/v1/submitBid", {"bid_id": bid["id"], "amount": "99.00", "scope": "Patch"})
    (licence,) = (await ok(c, b.admin, b.org, "contractor/license/v1/list", {}))["items"]
    renewal = {k: licence[k] for k in ("trade", "jurisdiction", "license_number")}
    lapsed = {"id": licence["id"], **renewal, "expires_on": "2021-03-01"}
    await ok(c, b.admin, b.org, "contractor/license/v1/update", lapsed)
    state = await ok(c, b.admin, b.org, "contractor/compliance/v1/get", {})
    assert (state["status"], [(i["code"], i["expires_on"]) for i in state["issues"]]) == (
        "NON_COMPLIANT", [("LICENSE_EXPIRED", "2021-03-01")]
    )  # fmt: skip
    try:
        refused = await fails(
            c,
            manager,
            org,
            "bid/v1/acceptBid",
            {"bid_id": bid["id"]},
            422,
            "BUSINESS_RULE_VIOLATION",
            "LICENSE_EXPIRED",
        )
        assert refused["details"]["document"] == "LICENSE"
        assert refused["details"]["expired_on"] == "2021-03-01"
        statuses = (await ok(c, manager, org, "bid/v1/listBids", {"work_order_id": order["id"]}))["items"]
        assert [x["status"] for x in statuses] == ["SUBMITTED"]
        assert (await ok(c, manager, org, "workOrder/v1/get", {"id": order["id"]}))["status"] == "SUBMITTED"
    finally:
        renewed = {**lapsed, "expires_on": licence["expires_on"]}
        await ok(c, b.admin, b.org, "contractor/license/v1/update", renewed)


# --- an unrelated organization ---------------------------------------------------------------------------


async def test_an_unrelated_admin_finds_none_of_the_work_orders_or_assets(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    c, who, org = shared_client, world.stranger, world.stranger_org
    oid = world.assigned["id"]
    for path, body in (
        ("workOrder/v1/get", {"id": oid}),
        ("workOrder/v1/getStatusHistory", {"id": oid}),
        ("workOrder/v1/listComments", {"id": oid}),
        ("workOrder/v1/listAttachments", {"id": oid}),
        ("workOrder/v1/updateStatus", {"id": oid, "status": "CANCELLED"}),
        ("workOrder/v1/addComment", {"id": oid, "body": "hello"}),
        ("bid/v1/listBids", {"work_order_id": oid}),
        ("bid/v1/requestBids", {"work_order_id": oid, "provider_organization_ids": [world.a.org]}),
        ("asset/v1/get", {"id": world.asset["id"]}),
        ("asset/v1/update", {"id": world.asset["id"], "name": "Mine now"}),
        ("asset/v1/getMaintenanceHistory", {"asset_id": world.asset["id"]}),
        ("asset/v1/logMaintenance", {"asset_id": world.asset["id"], "performed_on": "2026-01-01", "description": "x"}),
    ):
        await fails(c, who, org, path, body, 404, "NOT_FOUND")
    assert (await ok(c, who, org, "asset/v1/list", {}))["items"] == []
    assert (await ok(c, who, org, "notification/v1/list", {"entity_id": oid}))["items"] == []
    assert (await ok(c, who, org, "workOrder/v1/list", {}))["items"] == []


async def test_an_unrelated_admin_finds_none_of_the_bids(
    shared_client: httpx.AsyncClient, world: World, bidding: dict
) -> None:
    c, who, org = shared_client, world.stranger, world.stranger_org
    for path, body in (
        ("bid/v1/listBids", {"work_order_id": bidding["order"]["id"]}),
        ("bid/v1/acceptBid", {"bid_id": bidding["a"]["id"]}),
        ("bid/v1/rejectBid", {"bid_id": bidding["a"]["id"]}),
        ("bid/v1/withdrawBid", {"bid_id": bidding["a"]["id"]}),
        ("bid/v1/submitBid", {"bid_id": bidding["a"]["id"], "amount": "1.00", "scope": "x"}),
    ):
        await fails(c, who, org, path, body, 404, "NOT_FOUND")
    assert (await ok(c, who, org, "bid/v1/listBids", {}))["items"] == []
