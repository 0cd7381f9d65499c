"""The roadmap's happy path through HTTP: association → property → unit → parties → ownerships."""

from __future__ import annotations

import httpx

from tests.support.accounts import Account, account, organization, rpc


async def call(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict) -> dict:
    response = await client.post(rpc(path), json=body, headers=who.headers(org))
    assert response.status_code == 200, response.text
    return response.json()["data"]


async def test_association_to_ownership(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = (await organization(client, admin, "Smoke Management", "MANAGEMENT_COMPANY"))["id"]
    association = await call(client, admin, org, "association/v1/create", {"name": "Maple Grove HOA"})
    assert association["status"] == "ONBOARDING"
    prop = await call(
        client,
        admin,
        org,
        "property/v1/create",
        {
            "association_id": association["id"],
            "name": "Maple Grove",
            "address": {"line1": "1 Maple Way", "city": "Austin", "state": "TX", "postal_code": "78701"},
        },
    )
    unit = await call(
        client,
        admin,
        org,
        "unit/v1/create",
        {"property_id": prop["id"], "unit_number": "14", "unit_type": "SINGLE_FAMILY"},
    )
    assert unit["association_id"] == association["id"]
    ann = await call(
        client, admin, org, "party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Ann", "last_name": "Lee"}
    )
    bob = await call(
        client, admin, org, "party/v1/create", {"party_type": "INDIVIDUAL", "first_name": "Bob", "last_name": "Lee"}
    )
    first = await call(
        client,
        admin,
        org,
        "ownership/v1/create",
        {"unit_id": unit["id"], "party_id": ann["id"], "percentage": "60", "start_date": "2024-01-01"},
    )
    assert first["percentage"] == "60.0000"
    over = await client.post(
        rpc("ownership/v1/create"),
        json={"unit_id": unit["id"], "party_id": bob["id"], "percentage": "50", "start_date": "2024-06-01"},
        headers=admin.headers(org),
    )
    assert over.status_code == 422, over.text
    assert over.json()["error"]["details"]["reason"] == "OWNERSHIP_OVER_100_PERCENT"
    await call(
        client,
        admin,
        org,
        "ownership/v1/create",
        {"unit_id": unit["id"], "party_id": bob["id"], "percentage": "40", "start_date": "2024-06-01"},
    )
    owners = await call(client, admin, org, "ownership/v1/listByUnit", {"unit_id": unit["id"]})
    assert sorted(o["party_name"] for o in owners["items"]) == ["Ann Lee", "Bob Lee"]
    await call(client, admin, org, "ownership/v1/end", {"id": first["id"], "end_date": "2025-01-01"})
    owners = await call(client, admin, org, "ownership/v1/listByUnit", {"unit_id": unit["id"]})
    assert [o["party_name"] for o in owners["items"]] == ["Bob Lee"]
    history = await call(
        client, admin, org, "ownership/v1/listByUnit", {"unit_id": unit["id"], "include_history": True}
    )
    assert len(history["items"]) == 2
    units = await call(client, admin, org, "unit/v1/list", {})
    assert [u["id"] for u in units["items"]] == [unit["id"]]
