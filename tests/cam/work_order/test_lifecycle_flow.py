"""The full work-order lifecycle through the API, with the provider acting from its own organization, the
invoice flowing into payables, notifications recorded once per transition, and the SLA timer firing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import httpx

from tests.support.accounts import Account, account, join, organization, rpc
from tests.support.contractors import contractor_profile


async def call(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict, status: int = 200) -> dict:
    response = await client.post(rpc(path), json=body, headers=who.headers(org))
    assert response.status_code == status, f"{path}: {response.text}"
    return response.json()["data"] if status == 200 else response.json()["error"]


async def community(client: httpx.AsyncClient, sla: dict | None = None) -> tuple[Account, str, dict, dict]:
    manager = await account(client)
    org = (await organization(client, manager, "WO Management", "MANAGEMENT_COMPANY"))["id"]
    association = await call(
        client, manager, org, "association/v1/create", {"name": "Oak Hollow HOA", "work_order_sla_hours": sla or {}}
    )
    prop = await call(
        client,
        manager,
        org,
        "property/v1/create",
        {
            "association_id": association["id"],
            "name": "Oak Hollow",
            "address": {"line1": "9 Oak Hollow Dr", "city": "Austin", "state": "TX", "postal_code": "78750"},
        },
    )
    unit = await call(
        client,
        manager,
        org,
        "unit/v1/create",
        {"property_id": prop["id"], "unit_number": "7", "unit_type": "SINGLE_FAMILY"},
    )
    return manager, org, association, unit


async def provider(client: httpx.AsyncClient, *, insurance_expires: date) -> tuple[Account, str, Account]:
    owner = await account(client)
    org = (await organization(client, owner, "Bayside Plumbing", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(client, owner, org, insurance_expires=insurance_expires)
    tech = await account(client)
    await join(client, owner, org, tech, ["VENDOR"])
    return owner, org, tech


async def test_lifecycle_end_to_end(client: httpx.AsyncClient) -> None:
    manager, org, association, unit = await community(client)
    _, provider_org, tech = await provider(client, insurance_expires=date(2030, 1, 1))
    await call(
        client,
        manager,
        org,
        "serviceProvider/v1/link",
        {"association_id": association["id"], "provider_organization_id": provider_org, "provider_name": "Bayside"},
    )
    order = await call(
        client,
        manager,
        org,
        "workOrder/v1/create",
        {
            "association_id": association["id"],
            "title": "Burst pipe",
            "description": "Water in the garage",
            "priority": "EMERGENCY",
            "unit_id": unit["id"],
            "submit": True,
        },
    )
    assert order["number"] == "WO-000001"
    assert order["status"] == "SUBMITTED"
    assert order["sla_due_at"] is not None

    bad = await call(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CLOSED"}, 409)
    assert bad["details"]["from"] == "SUBMITTED"
    assert bad["details"]["to"] == "CLOSED"
    await call(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    await call(
        client, manager, org, "workOrder/v1/assignVendor", {"id": order["id"], "provider_organization_id": provider_org}
    )
    start = datetime.now(UTC) + timedelta(hours=1)
    await call(
        client,
        manager,
        org,
        "workOrder/v1/schedule",
        {
            "id": order["id"],
            "scheduled_start": start.isoformat(),
            "scheduled_end": (start + timedelta(hours=2)).isoformat(),
        },
    )

    mine = await call(client, tech, provider_org, "workOrder/v1/listForProvider", {})
    assert [(w["id"], w["assigned_to_me"]) for w in mine["items"]] == [(order["id"], True)]
    await call(client, tech, provider_org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "IN_PROGRESS"})
    await call(
        client,
        tech,
        provider_org,
        "workOrder/v1/complete",
        {"id": order["id"], "completion_notes": "Replaced 2 ft of copper", "actual_cost": "480.00"},
    )
    cannot = await call(
        client,
        tech,
        provider_org,
        "workOrder/v1/createInvoice",
        {"id": order["id"], "invoice_number": "B-1", "amount": "480.00", "invoice_date": "2026-11-20"},
        403,
    )
    assert cannot["code"] == "FORBIDDEN"

    invoiced = await call(
        client,
        manager,
        org,
        "workOrder/v1/createInvoice",
        {"id": order["id"], "invoice_number": "B-1001", "amount": "480.00", "invoice_date": "2026-11-20"},
    )
    assert invoiced["status"] == "INVOICED"
    invoices = await call(client, manager, org, "accounting/apInvoice/v1/list", {"association_id": association["id"]})
    (invoice,) = invoices["items"]
    assert invoice["status"] == "PENDING_APPROVAL"
    assert invoice["source_id"] == order["id"]
    assert invoice["id"] == invoiced["ap_invoice_id"]
    await call(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "CLOSED"})

    history = await call(client, manager, org, "workOrder/v1/getStatusHistory", {"id": order["id"]})
    assert [h["to_status"] for h in history["items"]] == [
        "DRAFT",
        "SUBMITTED",
        "TRIAGED",
        "ASSIGNED",
        "SCHEDULED",
        "IN_PROGRESS",
        "COMPLETED",
        "INVOICED",
        "CLOSED",
    ]

    # Each transition recorded its notifications in its own transaction: there when the request returned.
    sent = await call(client, manager, org, "notification/v1/list", {"entity_id": order["id"], "limit": 200})
    changes = [n for n in sent["items"] if n["template"] == "work_order.status_changed"]
    per_change = {(n["payload"]["to"], n["recipient"]) for n in changes}
    assert len(per_change) == len(changes), "no notification twice"
    assert {n["payload"]["to"] for n in changes} == {
        "SUBMITTED",
        "TRIAGED",
        "ASSIGNED",
        "SCHEDULED",
        "IN_PROGRESS",
        "COMPLETED",
        "INVOICED",
        "CLOSED",
    }


async def test_expired_insurance_blocks_assignment(client: httpx.AsyncClient) -> None:
    manager, org, association, _unit = await community(client)
    _, provider_org, _ = await provider(client, insurance_expires=date(2020, 1, 1))
    await call(
        client,
        manager,
        org,
        "serviceProvider/v1/link",
        {"association_id": association["id"], "provider_organization_id": provider_org, "provider_name": "Lapsed"},
    )
    order = await call(
        client,
        manager,
        org,
        "workOrder/v1/create",
        {"association_id": association["id"], "title": "Leak", "description": "Drip", "submit": True},
    )
    await call(client, manager, org, "workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    refused = await call(
        client,
        manager,
        org,
        "workOrder/v1/assignVendor",
        {"id": order["id"], "provider_organization_id": provider_org},
        422,
    )
    assert refused["details"]["reason"] == "INSURANCE_EXPIRED"
    assert refused["details"]["document"] == "GENERAL_LIABILITY"
    assert refused["details"]["expired_on"] == "2020-01-01"


async def test_sla_timer_flags_the_breach_and_notifies_managers(client: httpx.AsyncClient) -> None:
    manager, org, association, _ = await community(client, sla={"EMERGENCY": "0.0005"})  # 1.8 seconds
    order = await call(
        client,
        manager,
        org,
        "workOrder/v1/create",
        {
            "association_id": association["id"],
            "title": "Gate stuck open",
            "description": "Security risk",
            "priority": "EMERGENCY",
            "submit": True,
        },
    )
    for _ in range(60):
        await asyncio.sleep(0.25)
        current = await call(client, manager, org, "workOrder/v1/get", {"id": order["id"]})
        sent = await call(client, manager, org, "notification/v1/list", {"entity_id": order["id"]})
        breaches = [n for n in sent["items"] if n["template"] == "work_order.sla_breached"]
        if breaches:
            break
    assert current["sla_breached"] is True
    assert [n["recipient"] for n in breaches] == [manager.email]
