"""Set-up for domain 6's HTTP tests: a managed community with a unit, service providers with
VENDOR users, and a way to walk a work order to any state of the lifecycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from tests.support.accounts import Account, account, join, organization
from tests.support.contractors import FAR, contractor_profile
from tests.support.rpc import ok, suffix

ADDRESS = {"line1": "9 Oak Hollow Dr", "city": "Austin", "state": "TX", "postal_code": "78750"}
OPEN_STATES = ("DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "ON_HOLD")
# The happy path; ON_HOLD is a detour from IN_PROGRESS.
PATH = ("DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "COMPLETED", "INVOICED", "CLOSED")


async def community(
    client: httpx.AsyncClient, sla: dict | None = None, org_type: str = "MANAGEMENT_COMPANY"
) -> tuple[Account, str, dict, dict]:
    """A manager (ADMIN of a new organization) with an association, a property and one unit."""
    manager = await account(client)
    org = (await organization(client, manager, f"WO Org {suffix()}", org_type))["id"]
    association = await ok(
        client, manager, org, "association/v1/create", {"name": f"Oak {suffix()}", "work_order_sla_hours": sla or {}}
    )
    prop = await ok(
        client,
        manager,
        org,
        "property/v1/create",
        {"association_id": association["id"], "name": "Oak Hollow", "address": ADDRESS},
    )
    unit = await ok(
        client,
        manager,
        org,
        "unit/v1/create",
        {"property_id": prop["id"], "unit_number": "7", "unit_type": "SINGLE_FAMILY"},
    )
    unit["property_id"] = prop["id"]
    return manager, org, association, unit


async def provider(
    client: httpx.AsyncClient, *, insurance_expires: date = FAR, name: str = "Bayside Plumbing"
) -> tuple[Account, str, Account]:
    """A SERVICE_PROVIDER organization: its ADMIN (who keeps its contractor profile, a plumbing licence and general
    liability insurance expiring on `insurance_expires`), its id, and a VENDOR user."""
    owner = await account(client)
    org = (await organization(client, owner, f"{name} {suffix()}", "SERVICE_PROVIDER"))["id"]
    await contractor_profile(client, owner, org, insurance_expires=insurance_expires)
    tech = await account(client)
    await join(client, owner, org, tech, ["VENDOR"])
    return owner, org, tech


async def link(client: httpx.AsyncClient, manager: Account, org: str, association_id: str, provider_org: str) -> dict:
    body = {"association_id": association_id, "provider_organization_id": provider_org, "provider_name": "Bayside"}
    return await ok(client, manager, org, "serviceProvider/v1/link", body)


async def new_order(
    client: httpx.AsyncClient, who: Account, org: str, association_id: str, *, submit: bool = True, **extra: Any
) -> dict:
    body = {"association_id": association_id, "title": f"Leak {suffix()}", "description": "Drip", "submit": submit}
    return await ok(client, who, org, "workOrder/v1/create", {**body, **extra})


def window() -> dict:
    start = datetime.now(UTC) + timedelta(hours=1)
    return {"scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(hours=2)).isoformat()}


async def step(
    client: httpx.AsyncClient, manager: Account, org: str, order_id: str, target: str, provider_org: str
) -> dict:
    """One legal move to `target`, by the association's manager, through the procedure that owns it."""
    if target == "ASSIGNED":
        return await ok(
            client,
            manager,
            org,
            "workOrder/v1/assignVendor",
            {"id": order_id, "provider_organization_id": provider_org},
        )
    if target == "SCHEDULED":
        return await ok(client, manager, org, "workOrder/v1/schedule", {"id": order_id, **window()})
    if target == "COMPLETED":
        body = {"id": order_id, "completion_notes": "Done", "actual_cost": "100.00"}
        return await ok(client, manager, org, "workOrder/v1/complete", body)
    if target == "INVOICED":
        body = {"id": order_id, "invoice_number": f"B-{suffix()}", "amount": "100.00", "invoice_date": "2026-11-20"}
        return await ok(client, manager, org, "workOrder/v1/createInvoice", body)
    return await ok(client, manager, org, "workOrder/v1/updateStatus", {"id": order_id, "status": target})


async def order_in(
    client: httpx.AsyncClient, manager: Account, org: str, association_id: str, state: str, provider_org: str
) -> dict:
    """A new work order walked along the lifecycle to `state` (ON_HOLD through IN_PROGRESS, CANCELLED from
    SUBMITTED)."""
    order = await new_order(client, manager, org, association_id, submit=False)
    if state == "DRAFT":
        return order
    route = {
        "ON_HOLD": [*PATH[1:6], "ON_HOLD"],
        "CANCELLED": ["SUBMITTED", "CANCELLED"],
    }.get(state) or list(PATH[1 : PATH.index(state) + 1])
    for target in route:
        order = await step(client, manager, org, order["id"], target, provider_org)
    assert order["status"] == state
    return order


async def history(client: httpx.AsyncClient, who: Account, org: str, order_id: str) -> list[dict]:
    return (await ok(client, who, org, "workOrder/v1/getStatusHistory", {"id": order_id}))["items"]
