"""Tenant isolation: an ADMIN of organization B, scoped to B, finds none of organization A's records. Every
read, change and delete on A's ids is NOT_FOUND (never FORBIDDEN), creates naming a parent of A are
NOT_FOUND, and B's lists never contain A's records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from tests.cam.association.helpers import ADDRESS, own, person, property_, rent, unit
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import all_ids, fails, ok, suffix

KINDS = (
    "association", "property", "unit", "common_area", "reservation", "party", "ownership", "tenancy",
    "management_contract", "manager_assignment",
)  # fmt: skip


@dataclass
class Tenant:
    admin: Account
    org: str
    records: dict[str, dict[str, Any]]
    manager: Account

    def id(self, kind: str) -> str:
        return str(self.records[kind]["id"])


@dataclass
class World:
    a: Tenant
    b: Tenant


async def populate(client: httpx.AsyncClient, label: str) -> Tenant:
    admin = await account(client)
    org = (await organization(client, admin, f"{label} {suffix()}"))["id"]
    manager = await member_account(client, admin, org, ["MANAGER"])
    assoc = await ok(client, admin, org, "association/v1/create", {"name": f"{label} HOA"})
    prop = await property_(client, admin, org, assoc["id"])
    lot = await unit(client, admin, org, prop["id"], "1")
    area = await ok(
        client, admin, org, "commonArea/v1/create",
        {"association_id": assoc["id"], "property_id": prop["id"], "name": "Pool", "area_type": "POOL",
         "reservable": True},
    )  # fmt: skip
    reservation = await ok(
        client, admin, org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], "starts_at": "2030-07-04T10:00:00Z", "ends_at": "2030-07-04T12:00:00Z"},
    )  # fmt: skip
    party = await person(client, admin, org, label, "Owner")
    renter = await person(client, admin, org, label, "Renter")
    ownership = await own(client, admin, org, lot["id"], party["id"])
    tenancy = await rent(client, admin, org, lot["id"], renter["id"])
    contract = await ok(
        client, admin, org, "managementContract/v1/create",
        {"association_id": assoc["id"], "management_company_name": f"{label} Mgmt", "start_date": "2024-01-01",
         "fee_basis": "FLAT_MONTHLY", "fee_amount": "1000.00"},
    )  # fmt: skip
    assignment = await ok(
        client, admin, org, "managerAssignment/v1/create",
        {"association_id": assoc["id"], "user_id": str(manager.user_id), "assignment_type": "COMMUNITY",
         "max_units": 100, "start_date": date.today().isoformat()},
    )  # fmt: skip
    records = {
        "association": assoc, "property": prop, "unit": lot, "common_area": area, "reservation": reservation,
        "party": party, "ownership": ownership, "tenancy": tenancy, "management_contract": contract,
        "manager_assignment": assignment,
    }  # fmt: skip
    return Tenant(admin, org, records, manager)


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    return World(await populate(shared_client, "Alpha"), await populate(shared_client, "Bravo"))


Body = Callable[[Tenant, Tenant], dict[str, Any]]

# (procedure, body built from A's and B's records) — each must be NOT_FOUND for B's admin scoped to B.
FOREIGN_IDS: list[tuple[str, Body]] = [
    # association
    ("association/v1/get", lambda a, b: {"id": a.id("association")}),
    ("association/v1/update", lambda a, b: {"id": a.id("association"), "name": "Hijacked"}),
    ("association/v1/changeStatus", lambda a, b: {"id": a.id("association"), "status": "TERMINATED"}),
    ("association/v1/delete", lambda a, b: {"id": a.id("association")}),
    # property
    ("property/v1/get", lambda a, b: {"id": a.id("property")}),
    ("property/v1/update", lambda a, b: {"id": a.id("property"), "name": "Hijacked"}),
    ("property/v1/delete", lambda a, b: {"id": a.id("property")}),
    # unit
    ("unit/v1/get", lambda a, b: {"id": a.id("unit")}),
    ("unit/v1/update", lambda a, b: {"id": a.id("unit"), "bedrooms": 9}),
    ("unit/v1/delete", lambda a, b: {"id": a.id("unit")}),
    # common area and reservation
    ("commonArea/v1/get", lambda a, b: {"id": a.id("common_area")}),
    ("commonArea/v1/update", lambda a, b: {"id": a.id("common_area"), "reservable": False}),
    ("commonArea/v1/delete", lambda a, b: {"id": a.id("common_area")}),
    (
        "commonArea/v1/reserve",
        lambda a, b: {
            "common_area_id": a.id("common_area"),
            "starts_at": "2031-01-01T10:00:00Z",
            "ends_at": "2031-01-01T11:00:00Z",
        },
    ),
    ("commonArea/v1/cancelReservation", lambda a, b: {"id": a.id("reservation")}),
    # party
    ("party/v1/get", lambda a, b: {"id": a.id("party")}),
    ("party/v1/update", lambda a, b: {"id": a.id("party"), "phone": "000"}),
    ("party/v1/delete", lambda a, b: {"id": a.id("party")}),
    # ownership
    ("ownership/v1/get", lambda a, b: {"id": a.id("ownership")}),
    ("ownership/v1/end", lambda a, b: {"id": a.id("ownership"), "end_date": "2030-01-01"}),
    ("ownership/v1/delete", lambda a, b: {"id": a.id("ownership")}),
    ("ownership/v1/listByUnit", lambda a, b: {"unit_id": a.id("unit"), "include_history": True}),
    # tenancy
    ("tenancy/v1/get", lambda a, b: {"id": a.id("tenancy")}),
    ("tenancy/v1/end", lambda a, b: {"id": a.id("tenancy"), "end_date": "2030-01-01"}),
    ("tenancy/v1/delete", lambda a, b: {"id": a.id("tenancy")}),
    ("tenancy/v1/listByUnit", lambda a, b: {"unit_id": a.id("unit"), "include_history": True}),
    # management
    ("managementContract/v1/get", lambda a, b: {"id": a.id("management_contract")}),
    ("managementContract/v1/update", lambda a, b: {"id": a.id("management_contract"), "fee_amount": "1.00"}),
    (
        "managementContract/v1/terminate",
        lambda a, b: {"id": a.id("management_contract"), "terminated_on": "2030-01-01"},
    ),
    ("managerAssignment/v1/end", lambda a, b: {"id": a.id("manager_assignment"), "end_date": "2099-01-01"}),
]

# Creates in B that name a parent (or a party, unit, ...) of A.
FOREIGN_PARENTS: list[tuple[str, Body]] = [
    ("property/v1/create", lambda a, b: {"association_id": a.id("association"), "name": "X", "address": ADDRESS}),
    ("unit/v1/create", lambda a, b: {"property_id": a.id("property"), "unit_number": "X", "unit_type": "LOT"}),
    (
        "commonArea/v1/create",
        lambda a, b: {"association_id": a.id("association"), "name": "X", "area_type": "PARK"},
    ),
    (
        "commonArea/v1/create",  # B's association with A's property
        lambda a, b: {
            "association_id": b.id("association"),
            "property_id": a.id("property"),
            "name": "X",
            "area_type": "PARK",
        },
    ),
    (
        "commonArea/v1/reserve",  # B's pool booked for A's unit
        lambda a, b: {
            "common_area_id": b.id("common_area"),
            "unit_id": a.id("unit"),
            "starts_at": "2031-02-01T10:00:00Z",
            "ends_at": "2031-02-01T11:00:00Z",
        },
    ),
    (
        "ownership/v1/create",
        lambda a, b: {
            "unit_id": a.id("unit"),
            "party_id": b.id("party"),
            "percentage": "1",
            "start_date": "2010-01-01",
            "end_date": "2011-01-01",
        },
    ),
    (
        "ownership/v1/create",
        lambda a, b: {
            "unit_id": b.id("unit"),
            "party_id": a.id("party"),
            "percentage": "1",
            "start_date": "2010-01-01",
            "end_date": "2011-01-01",
        },
    ),
    (
        "tenancy/v1/create",
        lambda a, b: {"unit_id": a.id("unit"), "party_id": b.id("party"), "start_date": "2010-01-01"},
    ),
    (
        "tenancy/v1/create",
        lambda a, b: {"unit_id": b.id("unit"), "party_id": a.id("party"), "start_date": "2010-01-01"},
    ),
    (
        "managementContract/v1/create",
        lambda a, b: {
            "association_id": a.id("association"),
            "management_company_name": "X",
            "start_date": "2024-01-01",
            "fee_basis": "FLAT_MONTHLY",
            "fee_amount": "1.00",
        },
    ),
    (
        "managerAssignment/v1/create",
        lambda a, b: {
            "association_id": a.id("association"),
            "user_id": str(b.admin.user_id),
            "assignment_type": "COMMUNITY",
            "max_units": 100,
            "start_date": "2024-01-01",
        },
    ),
]


def case_id(case: tuple[str, Body]) -> str:
    return case[0]


@pytest.mark.parametrize("case", FOREIGN_IDS, ids=[case_id(c) for c in FOREIGN_IDS])
async def test_foreign_ids_are_not_found(
    shared_client: httpx.AsyncClient, world: World, case: tuple[str, Body]
) -> None:
    path, body = case
    error = await fails(shared_client, world.b.admin, world.b.org, path, body(world.a, world.b), 404, "NOT_FOUND")
    assert world.a.org not in str(error)


@pytest.mark.parametrize("case", FOREIGN_PARENTS, ids=[f"{case_id(c)}-{n}" for n, c in enumerate(FOREIGN_PARENTS)])
async def test_creates_with_a_foreign_parent_are_not_found(
    shared_client: httpx.AsyncClient, world: World, case: tuple[str, Body]
) -> None:
    path, body = case
    await fails(shared_client, world.b.admin, world.b.org, path, body(world.a, world.b), 404, "NOT_FOUND")


LISTS: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("association/v1/list", {}, ("association",)),
    ("property/v1/list", {}, ("property",)),
    ("unit/v1/list", {}, ("unit",)),
    ("commonArea/v1/list", {}, ("common_area",)),
    ("party/v1/list", {}, ("party",)),
    ("commonArea/v1/listReservations", {}, ("reservation",)),
    ("managementContract/v1/list", {}, ("management_contract",)),
    ("managerAssignment/v1/list", {}, ("manager_assignment",)),
]


@pytest.mark.parametrize("case", LISTS, ids=[c[0] for c in LISTS])
async def test_lists_never_show_the_other_tenant(
    shared_client: httpx.AsyncClient, world: World, case: tuple[str, dict[str, Any], tuple[str, ...]]
) -> None:
    path, body, kinds = case
    in_b = await all_ids(shared_client, world.b.admin, world.b.org, path, body)
    for kind in kinds:
        assert world.b.id(kind) in in_b, f"{path} should list B's own {kind}"
        assert world.a.id(kind) not in in_b
    in_a = await all_ids(shared_client, world.a.admin, world.a.org, path, body)
    for kind in kinds:
        assert world.a.id(kind) in in_a
        assert world.b.id(kind) not in in_a


FILTERED_BY_FOREIGN: list[tuple[str, Callable[[Tenant], dict[str, Any]]]] = [
    ("property/v1/list", lambda a: {"association_id": a.id("association")}),
    ("unit/v1/list", lambda a: {"association_id": a.id("association")}),
    ("unit/v1/list", lambda a: {"property_id": a.id("property")}),
    ("commonArea/v1/list", lambda a: {"association_id": a.id("association")}),
    ("commonArea/v1/listReservations", lambda a: {"common_area_id": a.id("common_area")}),
    ("managementContract/v1/list", lambda a: {"association_id": a.id("association")}),
    ("managerAssignment/v1/list", lambda a: {"association_id": a.id("association")}),
    ("managerAssignment/v1/list", lambda a: {"user_id": str(a.manager.user_id)}),
    ("party/v1/list", lambda a: {"search": "Alpha"}),
]


@pytest.mark.parametrize(
    "case", FILTERED_BY_FOREIGN, ids=[f"{path}-{n}" for n, (path, _) in enumerate(FILTERED_BY_FOREIGN)]
)
async def test_lists_filtered_by_foreign_ids_are_empty(
    shared_client: httpx.AsyncClient, world: World, case: tuple[str, Callable[[Tenant], dict[str, Any]]]
) -> None:
    path, body = case
    page = await ok(shared_client, world.b.admin, world.b.org, path, body(world.a))
    assert page["items"] == []


async def test_the_other_tenants_records_are_untouched(shared_client: httpx.AsyncClient, world: World) -> None:
    """After every refused change above, A still sees its records as they were."""
    a = world.a
    c = shared_client
    paths = {
        "association": "association/v1/get", "property": "property/v1/get", "unit": "unit/v1/get",
        "common_area": "commonArea/v1/get", "party": "party/v1/get", "ownership": "ownership/v1/get",
        "tenancy": "tenancy/v1/get", "management_contract": "managementContract/v1/get",
    }  # fmt: skip
    for kind, path in paths.items():
        fetched = await ok(c, a.admin, a.org, path, {"id": a.id(kind)})
        assert fetched["updated_at"] == a.records[kind]["updated_at"], kind
    assert (await ok(c, a.admin, a.org, "association/v1/get", {"id": a.id("association")}))["status"] == "ONBOARDING"
    owners = await ok(c, a.admin, a.org, "ownership/v1/listByUnit", {"unit_id": a.id("unit"), "include_history": True})
    assert [o["id"] for o in owners["items"]] == [a.id("ownership")]
    contract = await ok(c, a.admin, a.org, "managementContract/v1/get", {"id": a.id("management_contract")})
    assert contract["status"] == "ACTIVE"
    assert contract["fee_amount"] == "1000.00"


async def test_b_admin_scoped_to_a_is_forbidden(shared_client: httpx.AsyncClient, world: World) -> None:
    """Naming A in X-Org-Id without being a member is FORBIDDEN (not a member), for every kind."""
    for path in ("association/v1/get", "unit/v1/get", "party/v1/get", "ownership/v1/get"):
        kind = path.split("/")[0]
        await fails(shared_client, world.b.admin, world.a.org, path, {"id": world.a.id(kind)}, 403, "FORBIDDEN")


def test_every_kind_is_covered() -> None:
    touched = {const for _, body in FOREIGN_IDS for const in body.__code__.co_consts if const in KINDS}
    assert touched == set(KINDS)
