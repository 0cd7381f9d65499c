"""Customers: created with contact fields, found by a part of the name, changed field by field, deleted (kept on
record: no longer listed nor found, its jobs keep naming it)."""

from __future__ import annotations

import httpx
import pytest

from tests.contractor.job.helpers import Workforce, contractor, customer, new_job
from tests.support.rpc import ids

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Customers")


async def test_a_customer_lives_and_is_deleted(force: Workforce) -> None:
    made = await force.ok("customer/v1/create", {"name": " Maria Delgado ", "email": "Maria@Example.com",
                                                 "phone": "(512) 555-2101", "zip_code": "78704"})  # fmt: skip
    assert (made["name"], made["address"]) == ("Maria Delgado", None)
    assert made["email"].lower() == "maria@example.com"
    changed = await force.ok("customer/v1/update", {"id": made["id"], "address": "1804 S 5th St", "phone": None,
                                                    "name": None})  # fmt: skip
    assert (changed["name"], changed["address"], changed["phone"]) == ("Maria Delgado", "1804 S 5th St", None)
    assert await force.ok("customer/v1/get", {"id": made["id"]}) == changed
    found = await force.ok("customer/v1/list", {"name": "delga"})
    assert ids(found) == [made["id"]]
    job = await new_job(force, customer_id=made["id"])
    assert (await force.ok("customer/v1/delete", {"id": made["id"]})) == {"removed": True}
    await force.fails("customer/v1/get", {"id": made["id"]}, 404, "NOT_FOUND")
    await force.fails("customer/v1/update", {"id": made["id"], "name": "Back"}, 404, "NOT_FOUND")
    assert ids(await force.ok("customer/v1/list", {"name": "Delgado"})) == []
    assert (await force.ok("job/v1/get", {"id": job["id"]}))["customer_id"] == made["id"]
    assert await force.audit_actions(made["id"]) == ["customer.created", "customer.updated", "customer.deleted"]


async def test_names_are_searched_literally(force: Workforce) -> None:
    percent = await customer(force, name="100% Homes")
    await customer(force, name="1000 Homes")
    assert ids(await force.ok("customer/v1/list", {"name": "0%"})) == [percent["id"]]


@pytest.mark.parametrize(
    "bad", [{"name": "  "}, {"name": "X", "email": "nope"}, {"name": "X", "zip_code": "787"}, {"name": "X", "y": 1}]
)
async def test_bad_fields_are_refused(force: Workforce, bad: dict[str, object]) -> None:
    await force.fails("customer/v1/create", bad, 400, "VALIDATION_FAILED")
