"""Associations through HTTP: create and settings, the status lifecycle, list by status, updates, names,
and deletes refused while dependents exist."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from tests.cam.association.helpers import association, property_, unit
from tests.support.accounts import Account, account, member_account, organization
from tests.support.rpc import all_ids, fails, ok, suffix


@dataclass
class World:
    admin: Account
    manager: Account
    org: str


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Assoc Mgmt {suffix()}", "MANAGEMENT_COMPANY"))["id"]
    manager = await member_account(shared_client, admin, org, ["MANAGER"])
    return World(admin, manager, org)


async def test_create_with_settings_and_documents_then_get(shared_client: httpx.AsyncClient, world: World) -> None:
    body = {
        "name": f"Maple {suffix()}",
        "legal_name": "Maple Grove Homeowners Association, Inc.",
        "fiscal_year_start_month": 7,
        "timezone": "America/Chicago",
        "late_fee_type": "FIXED",
        "late_fee_amount": "25.00",
        "late_fee_grace_days": 10,
        "governing_documents": [{"title": "CC&Rs", "kind": "DECLARATION", "reference": "2001-12345"}],
    }
    created = await ok(shared_client, world.manager, world.org, "association/v1/create", body)
    assert created["status"] == "ONBOARDING"
    assert created["organization_id"] == world.org
    for field in ("id", "created_at", "updated_at"):
        assert created[field]
    fetched = await ok(shared_client, world.admin, world.org, "association/v1/get", {"id": created["id"]})
    assert fetched["legal_name"] == body["legal_name"]
    assert fetched["fiscal_year_start_month"] == 7
    assert fetched["timezone"] == "America/Chicago"
    assert fetched["late_fee_type"] == "FIXED"
    assert fetched["late_fee_amount"] == "25.00"
    assert fetched["late_fee_grace_days"] == 10
    assert fetched["governing_documents"][0]["title"] == "CC&Rs"
    assert fetched["governing_documents"][0]["kind"] == "DECLARATION"


async def test_create_rejects_incomplete_late_fee(shared_client: httpx.AsyncClient, world: World) -> None:
    body = {"name": f"Fee {suffix()}", "late_fee_type": "FIXED"}
    await fails(shared_client, world.admin, world.org, "association/v1/create", body, 400, "VALIDATION_FAILED")
    await fails(
        shared_client, world.admin, world.org, "association/v1/create", {"late_fee_type": "NONE"}, 400,
        "VALIDATION_FAILED",
    )  # fmt: skip


async def test_status_lifecycle(shared_client: httpx.AsyncClient, world: World) -> None:
    created = await association(shared_client, world.admin, world.org)
    path = "association/v1/changeStatus"

    async def move(status: str) -> dict:
        return await ok(shared_client, world.admin, world.org, path, {"id": created["id"], "status": status})

    async def refused(status: str, current: str) -> None:
        error = await fails(
            shared_client, world.admin, world.org, path, {"id": created["id"], "status": status}, 409,
            "INVALID_STATE_TRANSITION",
        )  # fmt: skip
        assert error["details"]["from"] == current
        assert error["details"]["to"] == status

    await refused("SUSPENDED", "ONBOARDING")
    assert (await move("ACTIVE"))["status"] == "ACTIVE"
    await refused("ONBOARDING", "ACTIVE")
    assert (await move("SUSPENDED"))["status"] == "SUSPENDED"
    assert (await move("ACTIVE"))["status"] == "ACTIVE"
    assert (await move("TERMINATED"))["status"] == "TERMINATED"
    for status in ("ACTIVE", "ONBOARDING", "SUSPENDED", "TERMINATED"):
        await refused(status, "TERMINATED")
    fetched = await ok(shared_client, world.admin, world.org, "association/v1/get", {"id": created["id"]})
    assert fetched["status"] == "TERMINATED"


async def test_list_filters_by_status(shared_client: httpx.AsyncClient, world: World) -> None:
    onboarding = await association(shared_client, world.admin, world.org)
    active = await association(shared_client, world.admin, world.org)
    terminated = await association(shared_client, world.admin, world.org)
    path = "association/v1/changeStatus"
    await ok(shared_client, world.admin, world.org, path, {"id": active["id"], "status": "ACTIVE"})
    await ok(shared_client, world.admin, world.org, path, {"id": terminated["id"], "status": "TERMINATED"})

    by_status = {}
    for status in ("ONBOARDING", "ACTIVE", "TERMINATED", "SUSPENDED"):
        page = await ok(shared_client, world.admin, world.org, "association/v1/list", {"status": status, "limit": 200})
        assert all(item["status"] == status for item in page["items"])
        by_status[status] = {item["id"] for item in page["items"]}
    assert onboarding["id"] in by_status["ONBOARDING"]
    assert active["id"] in by_status["ACTIVE"]
    assert terminated["id"] in by_status["TERMINATED"]
    assert active["id"] not in by_status["ONBOARDING"] | by_status["TERMINATED"]
    everything = await all_ids(shared_client, world.admin, world.org, "association/v1/list")
    assert {onboarding["id"], active["id"], terminated["id"]} <= everything
    await fails(
        shared_client, world.admin, world.org, "association/v1/list", {"status": "CLOSED"}, 400, "VALIDATION_FAILED"
    )


async def test_list_paginates_with_a_stable_order(shared_client: httpx.AsyncClient, world: World) -> None:
    for _ in range(3):
        await association(shared_client, world.admin, world.org)
    first = await ok(shared_client, world.admin, world.org, "association/v1/list", {"limit": 2})
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    second = await ok(
        shared_client, world.admin, world.org, "association/v1/list", {"limit": 2, "cursor": first["next_cursor"]}
    )
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


async def test_update_changes_only_the_fields_sent(shared_client: httpx.AsyncClient, world: World) -> None:
    created = await association(shared_client, world.admin, world.org, legal_name="Keep Me Inc.")
    new_name = f"Renamed {suffix()}"
    updated = await ok(
        shared_client, world.manager, world.org, "association/v1/update", {"id": created["id"], "name": new_name}
    )
    assert updated["name"] == new_name
    assert updated["legal_name"] == "Keep Me Inc."
    assert updated["status"] == "ONBOARDING"
    # A FIXED late fee still needs an amount when only the type is changed.
    await fails(
        shared_client, world.admin, world.org, "association/v1/update",
        {"id": created["id"], "late_fee_type": "FIXED"}, 400, "VALIDATION_FAILED",
    )  # fmt: skip
    fee = await ok(
        shared_client, world.admin, world.org, "association/v1/update",
        {"id": created["id"], "late_fee_type": "PERCENT", "late_fee_percent": "1.5"},
    )  # fmt: skip
    assert fee["late_fee_type"] == "PERCENT"
    assert fee["name"] == new_name


async def test_duplicate_association_name_is_a_conflict(shared_client: httpx.AsyncClient, world: World) -> None:
    """Names are unique per organization, case-insensitively (uq_associations_name): CONFLICT, not a crash."""
    name = f"Twin Oaks {suffix()}"
    await association(shared_client, world.admin, world.org, name)
    await fails(shared_client, world.admin, world.org, "association/v1/create", {"name": name.upper()}, 409, "CONFLICT")
    # Another organization may use the same name.
    other_org = (await organization(shared_client, world.admin, f"Other {suffix()}"))["id"]
    await association(shared_client, world.admin, other_org, name)


async def test_renaming_onto_an_existing_name_is_a_conflict(shared_client: httpx.AsyncClient, world: World) -> None:
    taken = await association(shared_client, world.admin, world.org)
    other = await association(shared_client, world.admin, world.org)
    await fails(
        shared_client, world.admin, world.org, "association/v1/update", {"id": other["id"], "name": taken["name"]},
        409, "CONFLICT",
    )  # fmt: skip


async def test_deletes_are_refused_while_dependents_exist(shared_client: httpx.AsyncClient, world: World) -> None:
    assoc = await association(shared_client, world.admin, world.org)
    prop = await property_(shared_client, world.admin, world.org, assoc["id"])
    lot = await unit(shared_client, world.admin, world.org, prop["id"], "7")

    await fails(
        shared_client, world.admin, world.org, "property/v1/delete", {"id": prop["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "HAS_DEPENDENTS",
    )  # fmt: skip
    await fails(
        shared_client, world.admin, world.org, "association/v1/delete", {"id": assoc["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "HAS_DEPENDENTS",
    )  # fmt: skip

    assert await ok(shared_client, world.admin, world.org, "unit/v1/delete", {"id": lot["id"]}) == {"removed": True}
    assert await ok(shared_client, world.admin, world.org, "property/v1/delete", {"id": prop["id"]}) == {
        "removed": True
    }
    assert await ok(shared_client, world.admin, world.org, "association/v1/delete", {"id": assoc["id"]}) == {
        "removed": True
    }
    for path, record in (("unit", lot), ("property", prop), ("association", assoc)):
        await fails(shared_client, world.admin, world.org, f"{path}/v1/get", {"id": record["id"]}, 404, "NOT_FOUND")
    assert assoc["id"] not in await all_ids(shared_client, world.admin, world.org, "association/v1/list")


async def test_get_unknown_id_is_not_found(shared_client: httpx.AsyncClient, world: World) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    error = await fails(shared_client, world.admin, world.org, "association/v1/get", {"id": unknown}, 404, "NOT_FOUND")
    assert error["details"]["kind"] == "association"
    await fails(shared_client, world.admin, world.org, "association/v1/get", {"id": "nope"}, 400, "VALIDATION_FAILED")
