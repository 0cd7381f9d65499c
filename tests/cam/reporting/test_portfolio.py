"""`report/portfolio/v1/*`: a management company's dashboard lists its own associations and nothing else; a second
organization sees only its own; a service provider sees only the work assigned to it (or that it was asked to bid
on) across every management company it serves; board members, owners and vendors get FORBIDDEN."""

from __future__ import annotations

import httpx

from hestami.cam.association.demo import seed_associations
from hestami.core import runtime
from hestami.identity.demo import seed_identity
from tests.cam.work_order.helpers import community, link, new_order, order_in, provider
from tests.support.accounts import member_account
from tests.support.demo import demo_login
from tests.support.rpc import fails, ok, suffix

P = "report/portfolio/v1/"


async def test_the_demo_management_company_lists_each_of_its_associations_and_nothing_else(
    shared_client: httpx.AsyncClient,
) -> None:
    run = runtime.current()
    for seed in (seed_identity, seed_associations):
        await seed(run)
    manager, orgs = await demo_login(shared_client, "manager")

    summit = await ok(shared_client, manager, orgs["summit-property-management"], P + "dashboard", {})
    names = [line["name"] for line in summit["associations"]]
    assert names == ["Harbor View Condominium Association", "Willow Creek Homeowners Association"]
    assert all(line["units"] > 0 for line in summit["associations"]), summit
    assert summit["totals"]["units"] == sum(line["units"] for line in summit["associations"])

    sunset = await ok(shared_client, manager, orgs["sunset-ridge-hoa"], P + "dashboard", {})
    assert [line["name"] for line in sunset["associations"]] == ["Sunset Ridge Homeowners Association"]
    assert not {line["association_id"] for line in sunset["associations"]} & {
        line["association_id"] for line in summit["associations"]
    }

    workload = await ok(shared_client, manager, orgs["summit-property-management"], P + "workload", {})
    mine = [m for m in workload["managers"] if m["user_id"] == manager.user_id]
    assert len(mine) == 1
    assert sorted(mine[0]["associations"]) == sorted(line["association_id"] for line in summit["associations"])
    assert mine[0]["units"] == summit["totals"]["units"]

    board, board_orgs = await demo_login(shared_client, "board")
    await fails(shared_client, board, board_orgs["summit-property-management"], P + "dashboard", {}, 403, "FORBIDDEN")
    owner, owner_orgs = await demo_login(shared_client, "owner")
    await fails(shared_client, owner, owner_orgs["sunset-ridge-hoa"], P + "workload", {}, 403, "FORBIDDEN")


async def test_a_second_organization_sees_only_its_own_with_its_open_work(shared_client: httpx.AsyncClient) -> None:
    manager, org, first, _ = await community(shared_client)
    second = await ok(shared_client, manager, org, "association/v1/create", {"name": f"Birch {suffix()}"})
    other_manager, other_org, other, _ = await community(shared_client)
    await new_order(shared_client, manager, org, first["id"])
    await new_order(shared_client, manager, org, first["id"])
    await new_order(shared_client, manager, org, second["id"], submit=False)  # a draft is not open work
    await new_order(shared_client, other_manager, other_org, other["id"])

    mine = await ok(shared_client, manager, org, P + "dashboard", {})
    lines = {line["association_id"]: line for line in mine["associations"]}
    assert set(lines) == {first["id"], second["id"]}
    assert lines[first["id"]]["units"] == 1
    assert lines[second["id"]]["units"] == 0
    assert lines[first["id"]]["open_work_orders"] == 2
    assert lines[second["id"]]["open_work_orders"] == 0
    assert mine["totals"]["open_work_orders"] == 2
    assert lines[first["id"]]["operating_cash"] == "0.00"

    theirs = await ok(shared_client, other_manager, other_org, P + "dashboard", {})
    assert [line["association_id"] for line in theirs["associations"]] == [other["id"]]
    assert theirs["associations"][0]["open_work_orders"] == 1
    # a role in one organization reads nothing of another's portfolio
    await fails(shared_client, other_manager, org, P + "dashboard", {}, 403)


async def test_access_matrix(shared_client: httpx.AsyncClient) -> None:
    admin, org, _, _ = await community(shared_client)
    for roles, allowed in (
        (["MANAGER"], True),
        (["BOARD_MEMBER"], False),
        (["OWNER"], False),
        (["TENANT"], False),
        (["VENDOR"], False),
    ):
        member = await member_account(shared_client, admin, org, roles)
        for procedure in ("dashboard", "workload"):
            if allowed:
                await ok(shared_client, member, org, P + procedure, {})
            else:
                await fails(shared_client, member, org, P + procedure, {}, 403, "FORBIDDEN")
    # providerWork is a provider's: a management organization's MANAGER may not; its ADMIN gets an empty answer
    manager = await member_account(shared_client, admin, org, ["MANAGER"])
    await fails(shared_client, manager, org, P + "providerWork", {}, 403, "FORBIDDEN")
    assert (await ok(shared_client, admin, org, P + "providerWork", {}))["work_orders"] == []


async def test_a_provider_sees_only_its_own_assigned_work_across_two_management_companies(
    shared_client: httpx.AsyncClient,
) -> None:
    owner, provider_org, vendor = await provider(shared_client)
    other_owner, other_provider, other_vendor = await provider(shared_client, name="Crest Roofing")
    first_manager, first_org, first, _ = await community(shared_client)
    second_manager, second_org, second, _ = await community(shared_client)
    await link(shared_client, first_manager, first_org, first["id"], provider_org)
    await link(shared_client, first_manager, first_org, first["id"], other_provider)
    await link(shared_client, second_manager, second_org, second["id"], provider_org)

    invoiced = await order_in(shared_client, first_manager, first_org, first["id"], "INVOICED", provider_org)
    assigned = await order_in(shared_client, second_manager, second_org, second["id"], "ASSIGNED", provider_org)
    theirs = await order_in(shared_client, first_manager, first_org, first["id"], "ASSIGNED", other_provider)
    await new_order(shared_client, first_manager, first_org, first["id"])  # nobody's yet

    for who in (vendor, owner):
        work = await ok(shared_client, who, provider_org, P + "providerWork", {})
        rows = {row["work_order_id"]: row for row in work["work_orders"]}
        assert set(rows) == {invoiced["id"], assigned["id"]}
        assert {row["organization_id"] for row in rows.values()} == {first_org, second_org}
        assert rows[invoiced["id"]]["association_name"] == first["name"]
        assert rows[invoiced["id"]]["invoice_amount"] == "100.00"
        assert rows[invoiced["id"]]["assigned"] is True
        assert rows[assigned["id"]]["invoice_number"] is None
        assert rows[assigned["id"]]["status"] == "ASSIGNED"
        assert work["assigned_open"] == 1
        assert work["invoiced_total"] == "100.00"

    other_work = await ok(shared_client, other_vendor, other_provider, P + "providerWork", {})
    assert [row["work_order_id"] for row in other_work["work_orders"]] == [theirs["id"]]
    assert other_owner.user_id != owner.user_id

    # a provider's VENDOR reads no management portfolio
    await fails(shared_client, vendor, provider_org, P + "dashboard", {}, 403, "FORBIDDEN")
