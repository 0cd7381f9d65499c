"""Who sees what inside one organization: owners and tenants see only their own units, parties and
ownerships (a neighbour's record is NOT_FOUND, exactly like an id that does not exist, and lists leave it out);
a record they may see but not change is FORBIDDEN; board members read but do not edit; managers edit;
non-members are refused."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.cam.association.helpers import linked_member, own, person, property_, rent, unit
from tests.support.accounts import Account, account, member_account, organization, rpc
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ids, ok, post, suffix


@dataclass
class World:
    admin: Account
    org: str
    association: dict
    prop: dict
    mine: dict  # the owner's unit
    neighbours: dict  # the neighbour's unit, rented to the tenant
    sold: dict  # a unit the owner sold in the past
    bought: dict  # a unit the owner will own in the future
    owner: Account
    owner_party: dict
    ownership: dict
    neighbour: Account
    neighbour_party: dict
    neighbour_ownership: dict
    tenant: Account
    tenant_party: dict
    tenancy: dict
    former_tenancy: dict
    unlinked_party: dict
    board: Account
    manager: Account


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Access HOA {suffix()}"))["id"]
    assoc = await ok(c, admin, org, "association/v1/create", {"name": f"Birch {suffix()}"})
    prop = await property_(c, admin, org, assoc["id"])
    mine, neighbours, sold, bought = [await unit(c, admin, org, prop["id"], n) for n in ("1", "2", "3", "4")]

    owner, owner_party = await linked_member(c, admin, org, ["OWNER"], "Olive", "Owner")
    ownership = await own(c, admin, org, mine["id"], owner_party["id"])
    await own(c, admin, org, sold["id"], owner_party["id"], "100", "2019-01-01", "2020-06-01")
    await own(c, admin, org, bought["id"], owner_party["id"], "100", "2099-01-01")

    neighbour, neighbour_party = await linked_member(c, admin, org, ["OWNER"], "Ned", "Neighbour")
    neighbour_ownership = await own(c, admin, org, neighbours["id"], neighbour_party["id"])

    tenant, tenant_party = await linked_member(c, admin, org, ["TENANT"], "Tess", "Tenant")
    former_party = await person(c, admin, org, "Fran", "Former")
    former_tenancy = await ok(
        c, admin, org, "tenancy/v1/create",
        {"unit_id": neighbours["id"], "party_id": former_party["id"], "start_date": "2018-01-01",
         "end_date": "2019-12-31"},
    )  # fmt: skip
    tenancy = await rent(c, admin, org, neighbours["id"], tenant_party["id"], "2020-01-01")
    unlinked = await person(c, admin, org, "Una", "Linked")

    board = await member_account(c, admin, org, ["BOARD_MEMBER"])
    await seat_on_board(c, admin, org, assoc["id"], board)
    manager = await member_account(c, admin, org, ["MANAGER"])
    return World(
        admin, org, assoc, prop, mine, neighbours, sold, bought, owner, owner_party, ownership, neighbour,
        neighbour_party, neighbour_ownership, tenant, tenant_party, tenancy, former_tenancy, unlinked, board, manager,
    )  # fmt: skip


async def forbidden(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict) -> None:
    await fails(client, who, org, path, body, 403, "FORBIDDEN")


async def hidden(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict) -> None:
    """A record the caller may not see answers NOT_FOUND, as a random id would (FORBIDDEN would confirm it)."""
    await fails(client, who, org, path, body, 404, "NOT_FOUND")


# --- owner -----------------------------------------------------------------------------------------------


async def test_owner_gets_own_unit_but_not_the_neighbours(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.owner, world.org, "unit/v1/get", {"id": world.mine["id"]})
    assert got["id"] == world.mine["id"]
    for other in (world.neighbours, world.sold, world.bought):
        await hidden(shared_client, world.owner, world.org, "unit/v1/get", {"id": other["id"]})


async def test_owner_lists_only_own_unit(shared_client: httpx.AsyncClient, world: World) -> None:
    for body in ({}, {"association_id": world.association["id"]}, {"property_id": world.prop["id"]}):
        page = await ok(shared_client, world.owner, world.org, "unit/v1/list", body)
        assert ids(page) == [world.mine["id"]], body
    neighbour = await ok(shared_client, world.neighbour, world.org, "unit/v1/list", {})
    assert ids(neighbour) == [world.neighbours["id"]]


async def test_owner_gets_own_party_only(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.owner, world.org, "party/v1/get", {"id": world.owner_party["id"]})
    assert got["user_id"] == str(world.owner.user_id)
    for other in (world.neighbour_party, world.tenant_party, world.unlinked_party):
        await hidden(shared_client, world.owner, world.org, "party/v1/get", {"id": other["id"]})


async def test_owner_lists_only_own_party(shared_client: httpx.AsyncClient, world: World) -> None:
    page = await ok(shared_client, world.owner, world.org, "party/v1/list", {})
    assert ids(page) == [world.owner_party["id"]]


async def test_owner_sees_own_ownership_only(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.owner, world.org, "ownership/v1/get", {"id": world.ownership["id"]})
    assert got["unit_id"] == world.mine["id"]
    assert got["current"] is True
    await hidden(shared_client, world.owner, world.org, "ownership/v1/get", {"id": world.neighbour_ownership["id"]})
    listed = await ok(shared_client, world.owner, world.org, "ownership/v1/listByUnit", {"unit_id": world.mine["id"]})
    assert ids(listed) == [world.ownership["id"]]
    await hidden(shared_client, world.owner, world.org, "ownership/v1/listByUnit", {"unit_id": world.neighbours["id"]})


async def test_owner_reads_shared_records(shared_client: httpx.AsyncClient, world: World) -> None:
    assoc = await ok(shared_client, world.owner, world.org, "association/v1/get", {"id": world.association["id"]})
    assert assoc["id"] == world.association["id"]
    prop = await ok(shared_client, world.owner, world.org, "property/v1/get", {"id": world.prop["id"]})
    assert prop["id"] == world.prop["id"]


async def test_owner_sees_tenancies_of_own_unit_only(shared_client: httpx.AsyncClient, world: World) -> None:
    # The neighbour owns the rented unit, so may see its tenancy; the owner of another unit may not.
    got = await ok(shared_client, world.neighbour, world.org, "tenancy/v1/get", {"id": world.tenancy["id"]})
    assert got["party_id"] == world.tenant_party["id"]
    await hidden(shared_client, world.owner, world.org, "tenancy/v1/get", {"id": world.tenancy["id"]})


async def test_owner_cannot_manage(shared_client: httpx.AsyncClient, world: World) -> None:
    c, who, org = shared_client, world.owner, world.org
    await forbidden(c, who, org, "unit/v1/update", {"id": world.mine["id"], "bedrooms": 9})
    await forbidden(
        c, who, org, "unit/v1/create", {"property_id": world.prop["id"], "unit_number": "X", "unit_type": "LOT"}
    )
    await forbidden(c, who, org, "association/v1/update", {"id": world.association["id"], "name": "Mine"})
    await forbidden(c, who, org, "association/v1/create", {"name": f"Rogue {suffix()}"})
    await forbidden(c, who, org, "party/v1/create", {"party_type": "INDIVIDUAL", "last_name": "Sneaky"})
    await forbidden(c, who, org, "party/v1/update", {"id": world.owner_party["id"], "phone": "1"})
    await forbidden(
        c, who, org, "ownership/v1/create",
        {"unit_id": world.sold["id"], "party_id": world.owner_party["id"], "percentage": "1",
         "start_date": "2030-01-01", "end_date": "2031-01-01"},
    )  # fmt: skip
    await forbidden(
        c, who, org, "tenancy/v1/create",
        {"unit_id": world.mine["id"], "party_id": world.owner_party["id"], "start_date": "2030-01-01"},
    )  # fmt: skip
    await forbidden(c, who, org, "ownership/v1/end", {"id": world.ownership["id"], "end_date": "2030-01-01"})
    current = await ok(c, world.admin, org, "unit/v1/get", {"id": world.mine["id"]})
    assert current["bedrooms"] is None


async def test_owner_creating_an_ownership_is_forbidden_before_any_share_rule(
    shared_client: httpx.AsyncClient, world: World
) -> None:
    """A caller who may not create ownerships gets FORBIDDEN, not the unit's share figures in a 422."""
    await forbidden(
        shared_client, world.owner, world.org, "ownership/v1/create",
        {"unit_id": world.mine["id"], "party_id": world.owner_party["id"], "percentage": "1",
         "start_date": "2030-01-01"},
    )  # fmt: skip


# --- tenant ----------------------------------------------------------------------------------------------


async def test_tenant_sees_the_rented_unit(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.tenant, world.org, "unit/v1/get", {"id": world.neighbours["id"]})
    assert got["id"] == world.neighbours["id"]
    await hidden(shared_client, world.tenant, world.org, "unit/v1/get", {"id": world.mine["id"]})
    page = await ok(shared_client, world.tenant, world.org, "unit/v1/list", {})
    assert ids(page) == [world.neighbours["id"]]


async def test_tenant_sees_own_tenancy_and_party(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.tenant, world.org, "tenancy/v1/get", {"id": world.tenancy["id"]})
    assert got["current"] is True
    await hidden(shared_client, world.tenant, world.org, "tenancy/v1/get", {"id": world.former_tenancy["id"]})
    party = await ok(shared_client, world.tenant, world.org, "party/v1/get", {"id": world.tenant_party["id"]})
    assert party["user_id"] == str(world.tenant.user_id)
    await hidden(shared_client, world.tenant, world.org, "party/v1/get", {"id": world.neighbour_party["id"]})
    await hidden(shared_client, world.tenant, world.org, "ownership/v1/get", {"id": world.neighbour_ownership["id"]})


@pytest.mark.parametrize("kind", ["ownership", "tenancy"])
async def test_tenant_list_by_unit_shows_only_records_it_may_get(
    shared_client: httpx.AsyncClient, world: World, kind: str
) -> None:
    """listByUnit must not hand the tenant records that ownership/v1/get and tenancy/v1/get refuse it (the
    landlord's ownership, a former tenant's lease)."""
    c, who, org = shared_client, world.tenant, world.org
    listed = await ok(
        c, who, org, f"{kind}/v1/listByUnit", {"unit_id": world.neighbours["id"], "include_history": True}
    )
    for record_id in ids(listed):
        response = await post(c, who, org, f"{kind}/v1/get", {"id": record_id})
        assert response.status_code == 200, f"{kind} {record_id} is listed but get says {response.text}"


# --- board member and manager ----------------------------------------------------------------------------


async def test_board_member_reads_units_and_more(shared_client: httpx.AsyncClient, world: World) -> None:
    c, who, org = shared_client, world.board, world.org
    for lot in (world.mine, world.neighbours):
        assert (await ok(c, who, org, "unit/v1/get", {"id": lot["id"]}))["id"] == lot["id"]
    page = await ok(c, who, org, "unit/v1/list", {"limit": 200})
    assert set(ids(page)) == {u["id"] for u in (world.mine, world.neighbours, world.sold, world.bought)}
    await ok(c, who, org, "ownership/v1/get", {"id": world.ownership["id"]})
    owners = await ok(c, who, org, "ownership/v1/listByUnit", {"unit_id": world.mine["id"]})
    assert ids(owners) == [world.ownership["id"]]
    await ok(c, who, org, "party/v1/get", {"id": world.unlinked_party["id"]})
    await ok(c, who, org, "tenancy/v1/get", {"id": world.tenancy["id"]})


async def test_board_member_cannot_edit(shared_client: httpx.AsyncClient, world: World) -> None:
    c, who, org = shared_client, world.board, world.org
    await forbidden(c, who, org, "unit/v1/update", {"id": world.mine["id"], "bedrooms": 2})
    await forbidden(c, who, org, "association/v1/update", {"id": world.association["id"], "name": "Board Rules"})
    await forbidden(c, who, org, "association/v1/changeStatus", {"id": world.association["id"], "status": "ACTIVE"})
    await forbidden(c, who, org, "property/v1/update", {"id": world.prop["id"], "year_built": 1900})
    await forbidden(c, who, org, "unit/v1/delete", {"id": world.sold["id"]})
    await forbidden(c, who, org, "party/v1/create", {"party_type": "INDIVIDUAL", "last_name": "Board"})
    assoc = await ok(c, world.admin, org, "association/v1/get", {"id": world.association["id"]})
    assert assoc["name"] == world.association["name"]
    assert assoc["status"] == "ONBOARDING"


async def test_manager_edits(shared_client: httpx.AsyncClient, world: World) -> None:
    c, who, org = shared_client, world.manager, world.org
    updated = await ok(c, who, org, "unit/v1/update", {"id": world.bought["id"], "square_feet": 1800})
    assert updated["square_feet"] == 1800
    renamed = await ok(c, who, org, "property/v1/update", {"id": world.prop["id"], "year_built": 2001})
    assert renamed["year_built"] == 2001
    page = await ok(c, who, org, "unit/v1/list", {"limit": 200})
    assert len(page["items"]) == 4


# --- outsiders -------------------------------------------------------------------------------------------


async def test_outsiders_are_refused(shared_client: httpx.AsyncClient, world: World) -> None:
    stranger = await account(shared_client)
    await fails(shared_client, stranger, world.org, "unit/v1/get", {"id": world.mine["id"]}, 403, "FORBIDDEN")
    await fails(shared_client, stranger, world.org, "unit/v1/list", {}, 403, "FORBIDDEN")
    await fails(shared_client, world.admin, None, "unit/v1/list", {}, 400, "ORG_SCOPE_REQUIRED")
    anonymous = await shared_client.post(rpc("unit/v1/list"), json={}, headers={"X-Org-Id": world.org})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "UNAUTHENTICATED"


async def test_unit_owner_names_are_those_the_caller_may_see(shared_client: httpx.AsyncClient, world: World) -> None:
    """`owner_names` follows the ownerships' policy: management and the board see every owner of record today
    (not a past or a future one); an owner sees their own name; a tenant, who sees no ownership, sees none."""
    everyone = {
        world.mine["id"]: ["Olive Owner"], world.neighbours["id"]: ["Ned Neighbour"],
        world.sold["id"]: [], world.bought["id"]: [],
    }  # fmt: skip
    for who in (world.admin, world.manager, world.board):
        page = await ok(shared_client, who, world.org, "unit/v1/list", {"association_id": world.association["id"]})
        assert {u["id"]: u["owner_names"] for u in page["items"]} == everyone
    got = await ok(shared_client, world.manager, world.org, "unit/v1/get", {"id": world.neighbours["id"]})
    assert got["owner_names"] == ["Ned Neighbour"]
    mine = await ok(shared_client, world.owner, world.org, "unit/v1/list", {})
    assert [u["owner_names"] for u in mine["items"]] == [["Olive Owner"]]
    rented = await ok(shared_client, world.tenant, world.org, "unit/v1/get", {"id": world.neighbours["id"]})
    assert rented["owner_names"] == []
    listed = await ok(shared_client, world.tenant, world.org, "unit/v1/list", {})
    assert [u["owner_names"] for u in listed["items"]] == [[]]
