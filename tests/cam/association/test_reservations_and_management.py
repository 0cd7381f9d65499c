"""Common areas and reservations (reservable areas, overlaps, adjacency, cancel and rebook, owners' own
bookings) and management (contracts by ADMIN, termination, manager assignments and the workload limit)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from tests.cam.association.helpers import audit_actions, linked_member, own, property_, unit
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import fails, ids, ok, post, suffix

TODAY = date.today().isoformat()


@dataclass
class World:
    admin: Account
    org: str
    association: dict
    prop: dict
    units: list[dict]
    pool: dict
    park: dict
    owner: Account
    other_owner: Account
    manager: Account
    board: Account


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    c = shared_client
    admin = await account(c)
    org = (await organization(c, admin, f"Amenities {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    assoc = await ok(c, admin, org, "association/v1/create", {"name": f"Aspen {suffix()}"})
    prop = await property_(c, admin, org, assoc["id"])
    units = [await unit(c, admin, org, prop["id"], n) for n in ("1", "2", "3")]
    pool = await ok(
        c, admin, org, "commonArea/v1/create",
        {"association_id": assoc["id"], "name": "Pool", "area_type": "POOL", "capacity": 40, "reservable": True,
         "rules": "No glass."},
    )  # fmt: skip
    park = await ok(
        c, admin, org, "commonArea/v1/create", {"association_id": assoc["id"], "name": "Park", "area_type": "PARK"}
    )
    owner, owner_party = await linked_member(c, admin, org, ["OWNER"], "Opal", "Owner")
    await own(c, admin, org, units[0]["id"], owner_party["id"])
    other_owner, other_party = await linked_member(c, admin, org, ["OWNER"], "Otto", "Other")
    await own(c, admin, org, units[1]["id"], other_party["id"])
    manager = await member_account(c, admin, org, ["MANAGER"])
    board = await member_account(c, admin, org, ["BOARD_MEMBER"])
    await seat_on_board(c, admin, org, assoc["id"], board)
    return World(admin, org, assoc, prop, units, pool, park, owner, other_owner, manager, board)


def slot(day: str, start: str, end: str, offset: str = "Z") -> dict[str, str]:
    return {"starts_at": f"{day}T{start}:00{offset}", "ends_at": f"{day}T{end}:00{offset}"}


async def new_area(client: httpx.AsyncClient, world: World) -> dict:
    body = {"association_id": world.association["id"], "name": f"Clubhouse {suffix()}", "area_type": "CLUBHOUSE",
            "reservable": True}  # fmt: skip
    return await ok(client, world.admin, world.org, "commonArea/v1/create", body)


# --- common areas ----------------------------------------------------------------------------------------


async def test_common_area_records(shared_client: httpx.AsyncClient, world: World) -> None:
    got = await ok(shared_client, world.owner, world.org, "commonArea/v1/get", {"id": world.pool["id"]})
    assert got["reservable"] is True
    assert got["capacity"] == 40
    assert world.park["reservable"] is False
    page = await ok(
        shared_client, world.owner, world.org, "commonArea/v1/list", {"association_id": world.association["id"]}
    )
    assert {world.pool["id"], world.park["id"]} <= set(ids(page))
    await fails(
        shared_client, world.owner, world.org, "commonArea/v1/update", {"id": world.pool["id"], "capacity": 1}, 403,
        "FORBIDDEN",
    )  # fmt: skip
    other_assoc = await ok(shared_client, world.admin, world.org, "association/v1/create", {"name": f"Elm {suffix()}"})
    await fails(
        shared_client, world.admin, world.org, "commonArea/v1/create",
        {"association_id": other_assoc["id"], "property_id": world.prop["id"], "name": "Gate", "area_type": "GATE"},
        422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION",
    )  # fmt: skip


# --- reservations ----------------------------------------------------------------------------------------


async def test_non_reservable_area_is_refused(shared_client: httpx.AsyncClient, world: World) -> None:
    body = {"common_area_id": world.park["id"], **slot("2030-03-01", "10:00", "11:00")}
    await fails(
        shared_client, world.admin, world.org, "commonArea/v1/reserve", body, 422, "BUSINESS_RULE_VIOLATION",
        "NOT_RESERVABLE",
    )  # fmt: skip
    area = await new_area(shared_client, world)
    await ok(shared_client, world.admin, world.org, "commonArea/v1/update", {"id": area["id"], "reservable": False})
    await fails(
        shared_client, world.owner, world.org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], **slot("2030-03-01", "10:00", "11:00")}, 422, "BUSINESS_RULE_VIOLATION",
        "NOT_RESERVABLE",
    )  # fmt: skip


async def test_period_validation(shared_client: httpx.AsyncClient, world: World) -> None:
    path = "commonArea/v1/reserve"
    for period in (
        slot("2030-03-02", "11:00", "10:00"),
        slot("2030-03-02", "10:00", "10:00"),
        {"starts_at": "2030-03-02T10:00:00", "ends_at": "2030-03-02T11:00:00"},  # no offset
    ):
        body = {"common_area_id": world.pool["id"], **period}
        await fails(shared_client, world.admin, world.org, path, body, 400, "VALIDATION_FAILED")


async def test_overlap_adjacency_cancel_and_rebook(shared_client: httpx.AsyncClient, world: World) -> None:
    c, admin, org = shared_client, world.admin, world.org
    area = await new_area(c, world)
    day = "2030-04-10"

    async def book(period: dict[str, str], who: Account = admin) -> dict:
        return await ok(c, who, org, "commonArea/v1/reserve", {"common_area_id": area["id"], **period})

    async def clash(period: dict[str, str]) -> dict:
        return await fails(
            c, admin, org, "commonArea/v1/reserve", {"common_area_id": area["id"], **period}, 409, "CONFLICT",
            "RESERVATION_CONFLICT",
        )  # fmt: skip

    first = await book(slot(day, "10:00", "12:00"))
    assert first["status"] == "CONFIRMED"
    assert first["reserved_by_user_id"] == str(admin.user_id)
    for period in (
        slot(day, "11:00", "13:00"),
        slot(day, "09:00", "10:30"),
        slot(day, "10:30", "11:00"),
        slot(day, "09:00", "13:00"),
        slot(day, "13:00", "15:00", "+02:00"),  # 11:00-13:00 UTC
    ):
        error = await clash(period)
        assert error["details"]["reservation_id"] == first["id"]
    before = await book(slot(day, "08:00", "10:00"))
    after = await book(slot(day, "12:00", "14:00"))
    assert before["id"] != after["id"]
    # Cancel, then the slot can be booked again; cancelling twice is harmless.
    cancelled = await ok(c, admin, org, "commonArea/v1/cancelReservation", {"id": first["id"]})
    assert cancelled["status"] == "CANCELLED"
    again = await ok(c, admin, org, "commonArea/v1/cancelReservation", {"id": first["id"]})
    assert again["status"] == "CANCELLED"
    rebooked = await book(slot(day, "10:00", "12:00"), world.owner)
    assert rebooked["id"] != first["id"]
    assert {"reservation.created", "reservation.cancelled"} <= set(await audit_actions(org, first["id"]))
    # Another area is independent.
    await ok(
        c, admin, org, "commonArea/v1/reserve", {"common_area_id": world.pool["id"], **slot(day, "10:00", "12:00")}
    )


async def test_reservation_list_shows_confirmed_bookings(shared_client: httpx.AsyncClient, world: World) -> None:
    c, admin, org = shared_client, world.admin, world.org
    area = await new_area(c, world)
    kept = await ok(
        c, admin, org, "commonArea/v1/reserve", {"common_area_id": area["id"], **slot("2030-05-01", "10:00", "11:00")}
    )
    dropped = await ok(
        c, admin, org, "commonArea/v1/reserve", {"common_area_id": area["id"], **slot("2030-05-02", "10:00", "11:00")}
    )
    await ok(c, admin, org, "commonArea/v1/cancelReservation", {"id": dropped["id"]})
    listed = await ok(c, admin, org, "commonArea/v1/listReservations", {"common_area_id": area["id"]})
    assert ids(listed) == [kept["id"]]
    later = await ok(
        c, admin, org, "commonArea/v1/listReservations",
        {"common_area_id": area["id"], "from_time": "2030-05-01T12:00:00Z"},
    )  # fmt: skip
    assert later["items"] == []


@pytest.fixture(scope="module")
async def bookings(shared_client: httpx.AsyncClient, world: World) -> dict[str, dict]:
    """One area booked by the owner (for their unit), the other owner and a manager."""
    c, org = shared_client, world.org
    area = await new_area(c, world)
    mine = await ok(
        c, world.owner, org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], "unit_id": world.units[0]["id"], "purpose": "Birthday", "guest_count": 12,
         **slot("2030-06-01", "10:00", "12:00")},
    )  # fmt: skip
    theirs = await ok(
        c, world.other_owner, org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], **slot("2030-06-01", "12:00", "14:00")},
    )  # fmt: skip
    managers = await ok(
        c, world.manager, org, "commonArea/v1/reserve",
        {"common_area_id": area["id"], **slot("2030-06-02", "10:00", "12:00")},
    )  # fmt: skip
    return {"area": area, "mine": mine, "theirs": theirs, "managers": managers}


async def test_owner_can_reserve(world: World, bookings: dict[str, dict]) -> None:
    mine = bookings["mine"]
    assert mine["status"] == "CONFIRMED"
    assert mine["reserved_by_user_id"] == str(world.owner.user_id)
    assert mine["unit_id"] == world.units[0]["id"]
    assert mine["guest_count"] == 12
    assert mine["purpose"] == "Birthday"
    assert bookings["theirs"]["reserved_by_user_id"] == str(world.other_owner.user_id)


async def test_owner_lists_only_own_reservations(
    shared_client: httpx.AsyncClient, world: World, bookings: dict[str, dict]
) -> None:
    c, org, area = shared_client, world.org, bookings["area"]
    listed = await ok(c, world.owner, org, "commonArea/v1/listReservations", {"common_area_id": area["id"]})
    assert ids(listed) == [bookings["mine"]["id"]]
    everything = await ok(c, world.owner, org, "commonArea/v1/listReservations", {"limit": 200})
    assert bookings["mine"]["id"] in ids(everything)
    assert {r["reserved_by_user_id"] for r in everything["items"]} == {str(world.owner.user_id)}


async def test_board_member_lists_every_reservation(
    shared_client: httpx.AsyncClient, world: World, bookings: dict[str, dict]
) -> None:
    body = {"common_area_id": bookings["area"]["id"]}
    seen = await ok(shared_client, world.board, world.org, "commonArea/v1/listReservations", body)
    assert ids(seen) == [bookings[k]["id"] for k in ("mine", "theirs", "managers")]


async def test_owner_cancels_own_booking_only(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    area = await new_area(c, world)
    body = {"common_area_id": area["id"], **slot("2030-07-01", "10:00", "12:00")}
    mine = await ok(c, world.owner, org, "commonArea/v1/reserve", body)
    await fails(c, world.other_owner, org, "commonArea/v1/cancelReservation", {"id": mine["id"]}, 404, "NOT_FOUND")
    await fails(c, world.board, org, "commonArea/v1/cancelReservation", {"id": mine["id"]}, 403, "FORBIDDEN")
    cancelled = await ok(c, world.owner, org, "commonArea/v1/cancelReservation", {"id": mine["id"]})
    assert cancelled["status"] == "CANCELLED"
    # A manager may cancel anyone's booking.
    theirs = await ok(c, world.other_owner, org, "commonArea/v1/reserve", body)
    assert (await ok(c, world.manager, org, "commonArea/v1/cancelReservation", {"id": theirs["id"]}))[
        "status"
    ] == "CANCELLED"


# --- management contracts --------------------------------------------------------------------------------


def contract_body(world: World, **extra: object) -> dict:
    return {
        "association_id": world.association["id"], "management_company_name": "Summit Management",
        "start_date": "2024-01-01", "fee_basis": "PER_UNIT_MONTHLY", "fee_amount": "12.50",
        "service_levels": [{"name": "Respond to owner email", "target": "2 business days"}], **extra,
    }  # fmt: skip


async def test_management_contract_lifecycle(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    await fails(c, world.manager, org, "managementContract/v1/create", contract_body(world), 403, "FORBIDDEN")
    contract = await ok(c, world.admin, org, "managementContract/v1/create", contract_body(world))
    assert contract["status"] == "ACTIVE"
    assert contract["fee_amount"] == "12.50"
    assert contract["service_levels"][0]["target"] == "2 business days"
    assert contract["terminated_on"] is None
    # Managers and board members read it; only an ADMIN changes it.
    for reader in (world.manager, world.board):
        assert (await ok(c, reader, org, "managementContract/v1/get", {"id": contract["id"]}))["id"] == contract["id"]
    await fails(c, world.owner, org, "managementContract/v1/get", {"id": contract["id"]}, 404, "NOT_FOUND")
    listed = await ok(c, world.manager, org, "managementContract/v1/list", {"association_id": world.association["id"]})
    assert contract["id"] in ids(listed)
    await fails(
        c, world.manager, org, "managementContract/v1/update", {"id": contract["id"], "fee_amount": "1.00"}, 403,
        "FORBIDDEN",
    )  # fmt: skip
    await fails(
        c, world.manager, org, "managementContract/v1/terminate",
        {"id": contract["id"], "terminated_on": "2025-01-01"}, 403, "FORBIDDEN",
    )  # fmt: skip
    updated = await ok(
        c, world.admin, org, "managementContract/v1/update", {"id": contract["id"], "fee_amount": "14.00"}
    )
    assert updated["fee_amount"] == "14.00"
    assert updated["fee_basis"] == "PER_UNIT_MONTHLY"

    await fails(
        c, world.admin, org, "managementContract/v1/terminate", {"id": contract["id"], "terminated_on": "2023-12-31"},
        422, "BUSINESS_RULE_VIOLATION", "END_BEFORE_START",
    )  # fmt: skip
    terminated = await ok(
        c, world.admin, org, "managementContract/v1/terminate", {"id": contract["id"], "terminated_on": "2025-06-30"}
    )
    assert terminated["status"] == "TERMINATED"
    assert terminated["terminated_on"] == "2025-06-30"
    await fails(
        c, world.admin, org, "managementContract/v1/update", {"id": contract["id"], "fee_amount": "20.00"}, 422,
        "BUSINESS_RULE_VIOLATION", "CONTRACT_TERMINATED",
    )  # fmt: skip
    await fails(
        c, world.admin, org, "managementContract/v1/terminate", {"id": contract["id"], "terminated_on": "2025-07-01"},
        422, "BUSINESS_RULE_VIOLATION", "CONTRACT_TERMINATED",
    )  # fmt: skip
    final = await ok(c, world.admin, org, "managementContract/v1/get", {"id": contract["id"]})
    assert final["fee_amount"] == "14.00"
    assert {"management_contract.created", "management_contract.terminated"} <= set(
        await audit_actions(org, contract["id"])
    )


async def test_contract_validation(shared_client: httpx.AsyncClient, world: World) -> None:
    for bad in ({"fee_amount": "-1"}, {"fee_basis": "HOURLY"}, {"fee_amount": 12.5555}):
        await fails(
            shared_client, world.admin, world.org, "managementContract/v1/create", contract_body(world, **bad), 400,
            "VALIDATION_FAILED",
        )  # fmt: skip


# --- manager assignments ---------------------------------------------------------------------------------


async def test_only_managers_can_be_assigned(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    stranger = await account(c)
    for user in (world.owner, world.board, stranger):
        await fails(
            c, world.admin, org, "managerAssignment/v1/create",
            {"association_id": world.association["id"], "user_id": str(user.user_id), "assignment_type": "COMMUNITY",
             "max_units": 100, "start_date": TODAY},
            422, "BUSINESS_RULE_VIOLATION", "NOT_A_MANAGER",
        )  # fmt: skip


async def test_manager_cannot_assign(shared_client: httpx.AsyncClient, world: World) -> None:
    body = {"association_id": world.association["id"], "user_id": str(world.manager.user_id),
            "assignment_type": "ASSISTANT", "max_units": 100, "start_date": TODAY}  # fmt: skip
    await fails(shared_client, world.manager, world.org, "managerAssignment/v1/create", body, 403, "FORBIDDEN")


async def test_workload_limit(shared_client: httpx.AsyncClient, world: World) -> None:
    """The association has 3 units: a manager limited to 2 is refused, one limited to 5 manages 3."""
    c, org = shared_client, world.org
    manager = await member_account(c, world.admin, org, ["MANAGER"])
    body = {"association_id": world.association["id"], "user_id": str(manager.user_id),
            "assignment_type": "COMMUNITY", "start_date": TODAY}  # fmt: skip
    error = await fails(
        c, world.admin, org, "managerAssignment/v1/create", {**body, "max_units": 2}, 422, "BUSINESS_RULE_VIOLATION",
        "MANAGER_WORKLOAD_EXCEEDED",
    )  # fmt: skip
    assert error["details"]["units"] == 3
    assert error["details"]["max_units"] == 2
    assignment = await ok(c, world.admin, org, "managerAssignment/v1/create", {**body, "max_units": 5})
    assert assignment["units_managed"] == 3
    assert assignment["max_units"] == 5
    assert assignment["user_id"] == str(manager.user_id)
    assert assignment["end_date"] is None

    # A second association of 3 units would bring the manager to 6, over the limit of 5 already agreed.
    second = await ok(c, world.admin, org, "association/v1/create", {"name": f"Spruce {suffix()}"})
    prop = await property_(c, world.admin, org, second["id"])
    for n in ("1", "2", "3"):
        await unit(c, world.admin, org, prop["id"], n)
    more = {**body, "association_id": second["id"], "assignment_type": "PORTFOLIO", "max_units": 10}
    error = await fails(
        c, world.admin, org, "managerAssignment/v1/create", more, 422, "BUSINESS_RULE_VIOLATION",
        "MANAGER_WORKLOAD_EXCEEDED",
    )  # fmt: skip
    assert error["details"]["units"] == 6
    assert error["details"]["max_units"] == 5


async def test_assignment_list(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    manager = await member_account(c, world.admin, org, ["MANAGER"])
    assignment = await ok(
        c, world.admin, org, "managerAssignment/v1/create",
        {"association_id": world.association["id"], "user_id": str(manager.user_id), "assignment_type": "COMMUNITY",
         "max_units": 50, "start_date": TODAY},
    )  # fmt: skip
    listed = await ok(c, world.admin, org, "managerAssignment/v1/list", {"user_id": str(manager.user_id)})
    assert ids(listed) == [assignment["id"]]
    assert listed["items"][0]["units_managed"] == 3
    by_association = await ok(
        c, manager, org, "managerAssignment/v1/list", {"association_id": world.association["id"], "limit": 200}
    )
    assert assignment["id"] in ids(by_association)
    assert all(item["association_id"] == world.association["id"] for item in by_association["items"])


async def test_assignment_end(shared_client: httpx.AsyncClient, world: World) -> None:
    c, org = shared_client, world.org
    manager = await member_account(c, world.admin, org, ["MANAGER"])
    assignment = await ok(
        c, world.admin, org, "managerAssignment/v1/create",
        {"association_id": world.association["id"], "user_id": str(manager.user_id), "assignment_type": "COMMUNITY",
         "max_units": 50, "start_date": "2024-01-01"},
    )  # fmt: skip
    path = "managerAssignment/v1/end"
    await fails(c, world.manager, org, path, {"id": assignment["id"], "end_date": "2099-01-01"}, 403, "FORBIDDEN")
    await fails(
        c, world.admin, org, path, {"id": assignment["id"], "end_date": "2024-01-01"}, 422,
        "BUSINESS_RULE_VIOLATION", "END_BEFORE_START",
    )  # fmt: skip
    ended = await ok(c, world.admin, org, path, {"id": assignment["id"], "end_date": "2025-01-01"})
    assert ended["end_date"] == "2025-01-01"
    assert ended["units_managed"] == 0  # no current assignment left
    await fails(
        c, world.admin, org, path, {"id": assignment["id"], "end_date": "2025-06-01"}, 422,
        "BUSINESS_RULE_VIOLATION", "ALREADY_ENDED",
    )  # fmt: skip
    assert "manager_assignment.ended" in await audit_actions(org, assignment["id"])


async def test_concurrent_bookings_of_one_slot(shared_client: httpx.AsyncClient, world: World) -> None:
    """Two members booking the same slot at once: one is confirmed, the other gets RESERVATION_CONFLICT."""
    area = await new_area(shared_client, world)
    body = {"common_area_id": area["id"], **slot("2030-08-01", "10:00", "12:00")}
    responses = await asyncio.gather(
        *(
            post(shared_client, who, world.org, "commonArea/v1/reserve", body)
            for who in (world.owner, world.other_owner)
        )
    )
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert refused["details"]["reason"] == "RESERVATION_CONFLICT"
