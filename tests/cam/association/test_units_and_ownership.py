"""Properties, units, parties, ownerships and tenancies through HTTP: the 100% rule over time (including
future-dated hand-overs), current owners and history, tenancies, validation, unique unit numbers, and the
audit trail."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from decimal import Decimal

import httpx
import pytest

from tests.cam.association.helpers import ADDRESS, audit_actions, own, person, property_, rent, unit
from tests.support.accounts import Account, account, organization
from tests.support.rpc import fails, ids, ok, post, suffix


@dataclass
class World:
    admin: Account
    org: str
    association: dict
    prop: dict


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Units HOA {suffix()}"))["id"]
    assoc = await ok(shared_client, admin, org, "association/v1/create", {"name": f"Cedar {suffix()}"})
    prop = await property_(shared_client, admin, org, assoc["id"], name="Cedar Hills", year_built=1999)
    return World(admin, org, assoc, prop)


async def fresh_unit(client: httpx.AsyncClient, world: World) -> dict:
    return await unit(client, world.admin, world.org, world.prop["id"], f"U-{suffix()}")


async def owners(client: httpx.AsyncClient, world: World, unit_id: str, **extra: object) -> list[dict]:
    return (await ok(client, world.admin, world.org, "ownership/v1/listByUnit", {"unit_id": unit_id, **extra}))["items"]


async def over_100(client: httpx.AsyncClient, world: World, body: dict) -> dict:
    return await fails(
        client, world.admin, world.org, "ownership/v1/create", body, 422, "BUSINESS_RULE_VIOLATION",
        "OWNERSHIP_OVER_100_PERCENT",
    )  # fmt: skip


# --- properties and units --------------------------------------------------------------------------------


async def test_property_and_unit_records(shared_client: httpx.AsyncClient, world: World) -> None:
    prop = await ok(shared_client, world.admin, world.org, "property/v1/get", {"id": world.prop["id"]})
    assert prop["association_id"] == world.association["id"]
    assert prop["address"]["city"] == "Austin"
    assert prop["address"]["country"] == "US"
    assert prop["year_built"] == 1999
    lot = await unit(
        shared_client, world.admin, world.org, world.prop["id"], f"A-{suffix()}", bedrooms=3, bathrooms="2.5",
        voting_weight="1.5", assessment_share="0.012500",
    )  # fmt: skip
    assert lot["association_id"] == world.association["id"]
    assert lot["property_id"] == world.prop["id"]
    assert lot["address"]["city"] == "Austin"  # taken from the property when none is given
    assert Decimal(lot["voting_weight"]) == Decimal("1.5")
    assert Decimal(lot["assessment_share"]) == Decimal("0.0125")
    assert Decimal(lot["bathrooms"]) == Decimal("2.5")
    by_property = await ok(
        shared_client, world.admin, world.org, "unit/v1/list", {"property_id": world.prop["id"], "limit": 200}
    )
    assert lot["id"] in ids(by_property)
    assert all(item["property_id"] == world.prop["id"] for item in by_property["items"])
    updated = await ok(shared_client, world.admin, world.org, "unit/v1/update", {"id": lot["id"], "bedrooms": 4})
    assert updated["bedrooms"] == 4
    assert updated["unit_number"] == lot["unit_number"]


async def test_unit_number_is_unique_per_property(shared_client: httpx.AsyncClient, world: World) -> None:
    number = f"N-{suffix()}"
    first = await unit(shared_client, world.admin, world.org, world.prop["id"], number)
    body = {"property_id": world.prop["id"], "unit_number": number, "unit_type": "CONDO"}
    await fails(shared_client, world.admin, world.org, "unit/v1/create", body, 409, "CONFLICT", "DUPLICATE_UNIT_NUMBER")
    # The same number in another property is fine.
    other_prop = await property_(shared_client, world.admin, world.org, world.association["id"])
    await unit(shared_client, world.admin, world.org, other_prop["id"], number)
    # Renaming another unit onto it is a conflict too.
    second = await fresh_unit(shared_client, world)
    await fails(
        shared_client, world.admin, world.org, "unit/v1/update", {"id": second["id"], "unit_number": number}, 409,
        "CONFLICT", "DUPLICATE_UNIT_NUMBER",
    )  # fmt: skip
    # Once the first unit is deleted the number is free again.
    await ok(shared_client, world.admin, world.org, "unit/v1/delete", {"id": first["id"]})
    await unit(shared_client, world.admin, world.org, world.prop["id"], number)


async def test_delete_property_with_units_is_refused(shared_client: httpx.AsyncClient, world: World) -> None:
    prop = await property_(shared_client, world.admin, world.org, world.association["id"])
    await unit(shared_client, world.admin, world.org, prop["id"], "1")
    await fails(
        shared_client, world.admin, world.org, "property/v1/delete", {"id": prop["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "HAS_DEPENDENTS",
    )  # fmt: skip
    assert (await ok(shared_client, world.admin, world.org, "property/v1/get", {"id": prop["id"]}))["id"] == prop["id"]


async def test_delete_unit_with_a_current_owner_is_refused(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    party = await person(shared_client, world.admin, world.org, "Dee", "Owner")
    await own(shared_client, world.admin, world.org, lot["id"], party["id"])
    await fails(
        shared_client, world.admin, world.org, "unit/v1/delete", {"id": lot["id"]}, 422, "BUSINESS_RULE_VIOLATION",
        "HAS_DEPENDENTS",
    )  # fmt: skip


# --- parties ---------------------------------------------------------------------------------------------


async def test_party_validation(shared_client: httpx.AsyncClient, world: World) -> None:
    path = "party/v1/create"
    no_last = {"party_type": "INDIVIDUAL", "first_name": "Ann"}
    await fails(shared_client, world.admin, world.org, path, no_last, 400, "VALIDATION_FAILED")
    no_org_name = {"party_type": "ORGANIZATION"}
    await fails(shared_client, world.admin, world.org, path, no_org_name, 400, "VALIDATION_FAILED")
    bad_email = {"party_type": "INDIVIDUAL", "last_name": "Lee", "email": "not-an-email"}
    error = await fails(shared_client, world.admin, world.org, path, bad_email, 400, "VALIDATION_FAILED")
    assert any(fe["field"].endswith("email") for fe in error["field_errors"]), error
    stranger = await account(shared_client)
    foreign_user = {"party_type": "INDIVIDUAL", "last_name": "Lee", "user_id": str(stranger.user_id)}
    error = await fails(shared_client, world.admin, world.org, path, foreign_user, 400, "VALIDATION_FAILED")
    assert [fe["field"] for fe in error["field_errors"]] == ["/user_id"]


async def test_party_records(shared_client: httpx.AsyncClient, world: World) -> None:
    tag = suffix()
    company = await ok(
        shared_client, world.admin, world.org, "party/v1/create",
        {"party_type": "ORGANIZATION", "organization_name": f"Acme {tag} LLC", "email": f"Info-{tag}@Acme.example",
         "mailing_address": ADDRESS},
    )  # fmt: skip
    assert company["display_name"] == f"Acme {tag} LLC"
    assert company["email"] == f"info-{tag}@acme.example"
    assert company["mailing_address"]["line1"] == ADDRESS["line1"]
    updated = await ok(shared_client, world.admin, world.org, "party/v1/update", {"id": company["id"], "phone": "555"})
    assert updated["phone"] == "555"
    assert updated["organization_name"] == f"Acme {tag} LLC"
    fetched = await ok(shared_client, world.admin, world.org, "party/v1/get", {"id": company["id"]})
    assert fetched["phone"] == "555"


async def test_party_list_and_search(shared_client: httpx.AsyncClient, world: World) -> None:
    tag = suffix()
    individual = await person(shared_client, world.admin, world.org, "Zed", f"Zulu{tag}")
    assert individual["display_name"] == f"Zed Zulu{tag}"
    everyone = await ok(shared_client, world.admin, world.org, "party/v1/list", {"limit": 200})
    assert individual["id"] in ids(everyone)
    found = await ok(shared_client, world.admin, world.org, "party/v1/list", {"search": f"zulu{tag}"})
    assert ids(found) == [individual["id"]]


# --- ownership -------------------------------------------------------------------------------------------


async def test_percentage_validation(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    party = await person(shared_client, world.admin, world.org, "Val", "Idation")
    for percentage in ("0", "100.5", "-5", "12.345678", "abc"):
        body = {"unit_id": lot["id"], "party_id": party["id"], "percentage": percentage, "start_date": "2024-01-01"}
        error = await fails(
            shared_client, world.admin, world.org, "ownership/v1/create", body, 400, "VALIDATION_FAILED"
        )
        assert any(fe["field"] == "/percentage" for fe in error["field_errors"]), error
    assert await owners(shared_client, world, lot["id"], include_history=True) == []
    full = await own(shared_client, world.admin, world.org, lot["id"], party["id"], "100")
    assert Decimal(full["percentage"]) == 100


async def test_shares_over_100_percent_are_refused(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    ann = await person(shared_client, world.admin, world.org, "Ann", "Lee")
    bob = await person(shared_client, world.admin, world.org, "Bob", "Lee")
    cy = await person(shared_client, world.admin, world.org, "Cy", "Lee")
    first = await own(shared_client, world.admin, world.org, lot["id"], ann["id"], "60", "2024-01-01")
    assert first["percentage"] == "60.0000"
    assert first["current"] is True
    assert first["party_name"] == "Ann Lee"
    error = await over_100(
        shared_client, world,
        {"unit_id": lot["id"], "party_id": bob["id"], "percentage": "40.0001", "start_date": "2024-06-01"},
    )  # fmt: skip
    assert Decimal(error["details"]["available"]) == Decimal(40)
    assert error["details"]["unit_id"] == lot["id"]
    await own(shared_client, world.admin, world.org, lot["id"], bob["id"], "40", "2024-06-01")
    # A share starting before the others and ending after Bob's start meets the 100% period: refused.
    await over_100(
        shared_client, world,
        {"unit_id": lot["id"], "party_id": cy["id"], "percentage": "1", "start_date": "2023-01-01",
         "end_date": "2024-07-01"},
    )  # fmt: skip
    # One ending before Bob's start only meets Ann's 60%: it fits beside her.
    early = await own(shared_client, world.admin, world.org, lot["id"], cy["id"], "40", "2023-01-01", "2024-06-01")
    await ok(shared_client, world.admin, world.org, "ownership/v1/delete", {"id": early["id"]})
    # Before Ann's start, the unit had no recorded owner: a share ending on her start date fits.
    await own(shared_client, world.admin, world.org, lot["id"], cy["id"], "100", "2023-01-01", "2024-01-01")
    current = await owners(shared_client, world, lot["id"])
    assert sorted((o["party_name"], Decimal(o["percentage"])) for o in current) == [
        ("Ann Lee", Decimal(60)),
        ("Bob Lee", Decimal(40)),
    ]
    assert len(await owners(shared_client, world, lot["id"], include_history=True)) == 3


async def test_future_dated_hand_over(shared_client: httpx.AsyncClient, world: World) -> None:
    """An owner ending on X and another starting on X may each hold 100%; a third share anywhere around X
    is refused."""
    lot = await fresh_unit(shared_client, world)
    seller = await person(shared_client, world.admin, world.org, "Sal", "Seller")
    buyer = await person(shared_client, world.admin, world.org, "Bea", "Buyer")
    third = await person(shared_client, world.admin, world.org, "Tim", "Third")
    hand_over = "2031-01-01"
    await own(shared_client, world.admin, world.org, lot["id"], seller["id"], "100", "2020-01-01", hand_over)
    future = await own(shared_client, world.admin, world.org, lot["id"], buyer["id"], "100", hand_over)
    assert future["current"] is False
    for start, end in (("2030-12-31", None), (hand_over, None), ("2035-05-05", None), ("2019-01-01", "2020-01-02")):
        body = {"unit_id": lot["id"], "party_id": third["id"], "percentage": "0.0001", "start_date": start}
        if end:
            body["end_date"] = end
        await over_100(shared_client, world, body)

    today = await owners(shared_client, world, lot["id"])
    assert [o["party_name"] for o in today] == ["Sal Seller"]
    assert today[0]["current"] is True
    day_before = await owners(shared_client, world, lot["id"], as_of="2030-12-31")
    assert [o["party_name"] for o in day_before] == ["Sal Seller"]
    on_the_day = await owners(shared_client, world, lot["id"], as_of=hand_over)
    assert [o["party_name"] for o in on_the_day] == ["Bea Buyer"]
    history = await owners(shared_client, world, lot["id"], include_history=True)
    assert [o["party_name"] for o in history] == ["Sal Seller", "Bea Buyer"]


async def test_a_new_owner_after_ending_the_old_one(shared_client: httpx.AsyncClient, world: World) -> None:
    """With an open-ended 100% owner a future sale is refused until the current ownership is ended on the
    sale date; the ended ownership stays in the history."""
    lot = await fresh_unit(shared_client, world)
    old = await person(shared_client, world.admin, world.org, "Olga", "Old")
    new = await person(shared_client, world.admin, world.org, "Ned", "New")
    previous = await own(shared_client, world.admin, world.org, lot["id"], old["id"], "100", "2020-01-01")
    body = {"unit_id": lot["id"], "party_id": new["id"], "percentage": "100", "start_date": "2032-03-01"}
    await over_100(shared_client, world, body)
    await ok(
        shared_client, world.admin, world.org, "ownership/v1/end", {"id": previous["id"], "end_date": "2032-03-01"}
    )
    await ok(shared_client, world.admin, world.org, "ownership/v1/create", body)

    # Ending in the past: the old owner leaves today's list but stays in the history.
    lot2 = await fresh_unit(shared_client, world)
    sold = await own(shared_client, world.admin, world.org, lot2["id"], old["id"], "100", "2020-01-01")
    ended = await ok(
        shared_client, world.admin, world.org, "ownership/v1/end", {"id": sold["id"], "end_date": "2022-06-30"}
    )
    assert ended["end_date"] == "2022-06-30"
    assert ended["current"] is False
    await own(shared_client, world.admin, world.org, lot2["id"], new["id"], "100", "2022-06-30")
    assert [o["party_name"] for o in await owners(shared_client, world, lot2["id"])] == ["Ned New"]
    history = await owners(shared_client, world, lot2["id"], include_history=True)
    first = history[0]
    assert (first["id"], first["end_date"], first["current"]) == (sold["id"], "2022-06-30", False)
    assert len(history) == 2
    fetched = await ok(shared_client, world.admin, world.org, "ownership/v1/get", {"id": sold["id"]})
    assert fetched["end_date"] == "2022-06-30"


async def test_units_name_their_owners_of_record_today(shared_client: httpx.AsyncClient, world: World) -> None:
    """`owner_names` on list, get, create and update: today's owners by name, not an ended or future one."""
    prop = await property_(shared_client, world.admin, world.org, world.association["id"])
    lot = await unit(shared_client, world.admin, world.org, prop["id"], f"U-{suffix()}")
    assert lot["owner_names"] == []
    empty = await unit(shared_client, world.admin, world.org, prop["id"], f"U-{suffix()}")
    zoe, adam, gone, later = [
        await person(shared_client, world.admin, world.org, first, last)
        for first, last in (("Zoe", "Young"), ("Adam", "Baker"), ("Gus", "Gone"), ("Fay", "Future"))
    ]
    await own(shared_client, world.admin, world.org, lot["id"], zoe["id"], "50")
    await own(shared_client, world.admin, world.org, lot["id"], adam["id"], "50")
    await own(shared_client, world.admin, world.org, lot["id"], gone["id"], "100", "2010-01-01", "2019-12-31")
    await own(shared_client, world.admin, world.org, empty["id"], later["id"], "100", "2099-01-01")
    page = await ok(shared_client, world.admin, world.org, "unit/v1/list", {"property_id": prop["id"]})
    assert {u["id"]: u["owner_names"] for u in page["items"]} == {
        lot["id"]: ["Adam Baker", "Zoe Young"], empty["id"]: [],
    }  # fmt: skip
    got = await ok(shared_client, world.admin, world.org, "unit/v1/get", {"id": lot["id"]})
    assert got["owner_names"] == ["Adam Baker", "Zoe Young"]
    changed = await ok(shared_client, world.admin, world.org, "unit/v1/update", {"id": lot["id"], "bedrooms": 3})
    assert (changed["bedrooms"], changed["owner_names"]) == (3, ["Adam Baker", "Zoe Young"])


async def test_end_rules(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    party = await person(shared_client, world.admin, world.org, "End", "Rules")
    record = await own(shared_client, world.admin, world.org, lot["id"], party["id"], "50", "2024-01-01")
    path = "ownership/v1/end"
    for end in ("2023-12-31", "2024-01-01"):
        await fails(
            shared_client, world.admin, world.org, path, {"id": record["id"], "end_date": end}, 422,
            "BUSINESS_RULE_VIOLATION", "END_BEFORE_START",
        )  # fmt: skip
    await ok(shared_client, world.admin, world.org, path, {"id": record["id"], "end_date": "2024-05-01"})
    await fails(
        shared_client, world.admin, world.org, path, {"id": record["id"], "end_date": "2024-09-01"}, 422,
        "BUSINESS_RULE_VIOLATION", "ALREADY_ENDED",
    )  # fmt: skip
    body = {"unit_id": lot["id"], "party_id": party["id"], "percentage": "10", "start_date": "2024-01-01",
            "end_date": "2024-01-01"}  # fmt: skip
    await fails(
        shared_client, world.admin, world.org, "ownership/v1/create", body, 422, "BUSINESS_RULE_VIOLATION",
        "END_BEFORE_START",
    )  # fmt: skip


async def test_ownership_of_unknown_unit_or_party_is_not_found(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    party = await person(shared_client, world.admin, world.org, "Nora", "Found")
    unknown = "00000000-0000-4000-8000-000000000001"
    for unit_id, party_id in ((unknown, party["id"]), (lot["id"], unknown)):
        body = {"unit_id": unit_id, "party_id": party_id, "percentage": "10", "start_date": "2024-01-01"}
        await fails(shared_client, world.admin, world.org, "ownership/v1/create", body, 404, "NOT_FOUND")


async def test_ownership_audit_trail(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    party = await person(shared_client, world.admin, world.org, "Audie", "Trail")
    record = await own(shared_client, world.admin, world.org, lot["id"], party["id"], "100", "2021-01-01")
    await ok(shared_client, world.admin, world.org, "ownership/v1/end", {"id": record["id"], "end_date": "2023-01-01"})
    actions = await audit_actions(world.org, record["id"])
    assert "ownership.created" in actions
    assert "ownership.ended" in actions
    assert actions.index("ownership.created") < actions.index("ownership.ended")


# --- tenancy ---------------------------------------------------------------------------------------------


async def test_tenancy_create_list_end(shared_client: httpx.AsyncClient, world: World) -> None:
    lot = await fresh_unit(shared_client, world)
    renter = await person(shared_client, world.admin, world.org, "Rita", "Renter")
    later = await person(shared_client, world.admin, world.org, "Leo", "Later")
    lease = await rent(shared_client, world.admin, world.org, lot["id"], renter["id"], "2023-01-01")
    assert lease["current"] is True
    assert lease["monthly_rent"] == "1250.00"
    assert lease["party_name"] == "Rita Renter"
    listed = await ok(shared_client, world.admin, world.org, "tenancy/v1/listByUnit", {"unit_id": lot["id"]})
    assert ids(listed) == [lease["id"]]
    path = "tenancy/v1/end"
    await fails(
        shared_client, world.admin, world.org, path, {"id": lease["id"], "end_date": "2022-12-31"}, 422,
        "BUSINESS_RULE_VIOLATION", "END_BEFORE_START",
    )  # fmt: skip
    ended = await ok(shared_client, world.admin, world.org, path, {"id": lease["id"], "end_date": "2024-01-01"})
    assert ended["end_date"] == "2024-01-01"
    assert ended["current"] is False
    await fails(
        shared_client, world.admin, world.org, path, {"id": lease["id"], "end_date": "2024-06-01"}, 422,
        "BUSINESS_RULE_VIOLATION", "ALREADY_ENDED",
    )  # fmt: skip
    nxt = await rent(shared_client, world.admin, world.org, lot["id"], later["id"], "2024-01-01")
    listed = await ok(shared_client, world.admin, world.org, "tenancy/v1/listByUnit", {"unit_id": lot["id"]})
    assert ids(listed) == [nxt["id"]]
    history = await ok(
        shared_client, world.admin, world.org, "tenancy/v1/listByUnit", {"unit_id": lot["id"], "include_history": True}
    )
    assert ids(history) == [lease["id"], nxt["id"]]
    as_of = await ok(
        shared_client, world.admin, world.org, "tenancy/v1/listByUnit", {"unit_id": lot["id"], "as_of": "2023-06-01"}
    )
    assert ids(as_of) == [lease["id"]]
    fetched = await ok(shared_client, world.admin, world.org, "tenancy/v1/get", {"id": lease["id"]})
    assert fetched["end_date"] == "2024-01-01"
    actions = await audit_actions(world.org, lease["id"])
    assert {"tenancy.created", "tenancy.ended"} <= set(actions)


async def test_concurrent_shares_cannot_exceed_100_percent(shared_client: httpx.AsyncClient, world: World) -> None:
    """Two 60% owners added at the same moment: the unit lock lets exactly one in."""
    lot = await fresh_unit(shared_client, world)
    first = await person(shared_client, world.admin, world.org, "Con", "One")
    second = await person(shared_client, world.admin, world.org, "Con", "Two")

    def body(party: dict) -> dict:
        return {"unit_id": lot["id"], "party_id": party["id"], "percentage": "60", "start_date": "2024-01-01"}

    responses = await asyncio.gather(
        *(post(shared_client, world.admin, world.org, "ownership/v1/create", body(p)) for p in (first, second))
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    assert len(await owners(shared_client, world, lot["id"], include_history=True)) == 1
