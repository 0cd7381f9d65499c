"""Who reaches invoices and payments. Another contractor's invoice, line, payment or job is NOT_FOUND on every
procedure that takes one (lists show none), exactly like a random id, and changes nothing. Within the contractor:
ADMIN and MANAGER make, issue, void and take payments; VENDOR members read; dispatchers and technicians do not see
invoices (NOT_FOUND, empty lists; making one: FORBIDDEN for a dispatcher, who sees the job; NOT_FOUND for a
technician, who does not). The tables are row-level secured: another organization's rows are not there."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.work_order.helpers import community
from tests.contractor.invoice.helpers import Books, books, completed_job
from tests.support.rpc import fails

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    home: Books
    stranger: Books
    ids: dict[str, str]


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await books(shared_client, "Home Invoices")
    job = await completed_job(home)
    draft = await home.invoice(job["id"], "STANDARD")
    added = await home.ok(
        "invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Repair", "unit_price": "300.00"}
    )
    issued = await home.ok("invoice/v1/issue", {"id": draft["id"]})
    paid = await home.ok("invoice/v1/recordPayment", {"invoice_id": issued["id"], "amount": "10.00"})
    second = await completed_job(home)
    other_draft = await home.invoice(second["id"], "STANDARD")
    ids = {"job": job["id"], "invoice": issued["id"], "line": added["lines"][0]["id"], "payment": paid["payment"]["id"],
           "draft": other_draft["id"], "customer": job["customer_id"]}  # fmt: skip
    return World(home, await books(shared_client, "Stranger Invoices"), ids)


def calls(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    i, d = ids["invoice"], ids["draft"]
    return [
        ("invoice/v1/createFromJob", {"job_id": ids["job"], "kind": "STANDARD"}),
        ("invoice/v1/get", {"id": i}),
        ("invoice/v1/addLine", {"invoice_id": d, "description": "X", "unit_price": "1.00"}),
        ("invoice/v1/updateLine", {"id": ids["line"], "unit_price": "1.00"}),
        ("invoice/v1/removeLine", {"id": ids["line"]}),
        ("invoice/v1/issue", {"id": d}),
        ("invoice/v1/void", {"id": d, "reason": "No"}),
        ("invoice/v1/collectPayment", {"invoice_id": i, "amount": "1.00", "payment_token": "tok_visa_4242"}),
        ("invoice/v1/recordPayment", {"invoice_id": i, "amount": "1.00"}),
        ("invoice/v1/listPayments", {"invoice_id": i}),
        ("invoice/v1/getPayment", {"id": ids["payment"]}),
        ("invoice/v1/listPaymentIntents", {"invoice_id": i}),
    ]


async def test_another_contractors_records_are_not_found_like_random_ids(world: World) -> None:
    before = await world.home.table_counts()
    random = {k: str(uuid.uuid4()) for k in world.ids}
    for (path, theirs), (_, nothing) in zip(calls(world.ids), calls(random), strict=True):
        mine = await world.stranger.fails(path, theirs, 404, "NOT_FOUND")
        none = await world.stranger.fails(path, nothing, 404, "NOT_FOUND")
        assert mine["message"] == none["message"], path
    for filters in ({"job_id": world.ids["job"]}, {"customer_id": world.ids["customer"]}, {}):
        assert (await world.stranger.ok("invoice/v1/list", filters))["items"] == []
    aging = await world.stranger.ok("invoice/v1/aging", {})
    assert aging["rows"] == []
    assert await world.home.table_counts() == before


async def test_technicians_and_dispatchers_do_not_see_invoices(world: World) -> None:
    home = world.home
    for role in ("TECHNICIAN", "DISPATCHER"):
        who = home.members[role]
        for path, body in calls(world.ids)[1:]:
            await home.fails(path, body, 404, "NOT_FOUND", who=who)
        assert (await home.ok("invoice/v1/list", {}, who=who))["items"] == []
        assert (await home.ok("invoice/v1/aging", {}, who=who))["rows"] == []
    body = {"job_id": world.ids["job"], "kind": "STANDARD"}
    await home.fails("invoice/v1/createFromJob", body, 403, "FORBIDDEN", who=home.members["DISPATCHER"])
    await home.fails("invoice/v1/createFromJob", body, 404, "NOT_FOUND", who=home.members["TECHNICIAN"])


async def test_vendor_members_read_and_managers_keep(world: World) -> None:
    home, vendor, manager = world.home, world.home.members["VENDOR"], world.home.members["MANAGER"]
    before = await home.table_counts()
    assert (await home.ok("invoice/v1/get", {"id": world.ids["invoice"]}, who=vendor))["id"] == world.ids["invoice"]
    assert (await home.ok("invoice/v1/listPayments", {"invoice_id": world.ids["invoice"]}, who=vendor))["items"]
    assert (await home.ok("invoice/v1/getPayment", {"id": world.ids["payment"]}, who=vendor))["amount"] == "10.00"
    for path, body in calls(world.ids):
        if path in ("invoice/v1/get", "invoice/v1/listPayments", "invoice/v1/getPayment"):
            continue
        await home.fails(path, body, 403, "FORBIDDEN", who=vendor)
    assert await home.table_counts() == before
    line = await home.ok("invoice/v1/addLine", {"invoice_id": world.ids["draft"], "description": "Trip",
                                                "unit_price": "89.00"}, who=manager)  # fmt: skip
    assert line["total"] == "89.00"


async def test_other_organizations_rows_are_not_there(world: World) -> None:
    tables = ("contractor_invoices", "contractor_invoice_lines", "contractor_payments", "contractor_receipts",
              "contractor_payment_intents")  # fmt: skip
    async with runtime.current().database.transaction(organization_id=uuid.UUID(world.stranger.org), user_id=None) as s:
        for table in tables:
            assert (await s.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0, table
    assert (await world.home.table_counts())["contractor_invoices"] >= 2


async def test_an_association_reads_its_invoices_in_its_payables_not_here(
    world: World, shared_client: httpx.AsyncClient
) -> None:
    manager, hoa, _, _ = await community(shared_client)
    await fails(shared_client, manager, hoa, "invoice/v1/get", {"id": world.ids["invoice"]}, 422,
                "BUSINESS_RULE_VIOLATION", "NOT_A_CONTRACTOR")  # fmt: skip
