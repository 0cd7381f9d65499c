"""Member pricing (issue 24, P2.9): a customer with an ACTIVE maintenance agreement in force today is a member, and
the pricebook's MEMBER_DISCOUNT applies to them — an estimate left without `member` asks the agreements, an
explicit `member` is honoured either way, and an invoice priced from a job's time and materials asks too. No
agreement, a LAPSED one or one whose term has ended: no discount."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hestami.contractor.maintenance import membership as membership  # registers the resolver (as the app does)
from tests.contractor.invoice.helpers import Books, books, work, worked
from tests.contractor.job.helpers import customer, job_in
from tests.contractor.maintenance.test_billing import agreement_row
from tests.support.rpc import suffix

pytestmark = pytest.mark.usefixtures("unthrottled")

LIST_PRICE, MEMBER_PRICE = "12.50", "11.25"  # PIPE-1 at 12.50 a foot, 10 % off for members
LABOUR, MEMBER_LABOUR = "125.00", "112.50"


@dataclass
class World:
    b: Books
    member: dict[str, Any]
    lapsed: dict[str, Any]
    ended: dict[str, Any]
    stranger: dict[str, Any]


async def _customer(b: Books) -> dict[str, Any]:
    return await customer(b.force, email=f"client.{suffix()}@example.com")


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    b = await books(shared_client, "Member Pricing")
    await b.ok("pricebook/v1/createRule", {"name": f"Members {suffix()}", "kind": "MEMBER_DISCOUNT", "percent": "10"})
    member, lapsed, ended, stranger = [await _customer(b) for _ in range(4)]
    await agreement_row(b.org, customer_id=member["id"])
    await agreement_row(b.org, customer_id=lapsed["id"], status="LAPSED")
    long_ago = date.today() - timedelta(days=400)
    await agreement_row(b.org, customer_id=ended["id"], term_start=long_ago, term_end=date.today() - timedelta(days=1))
    return World(b, member, lapsed, ended, stranger)


async def estimate(b: Books, customer_id: str, **fields: Any) -> tuple[bool, str]:
    """(member, PIPE-1's unit price) of a new estimate for the customer."""
    pipe = [{"code": "PIPE-1", "quantity": "10"}]
    body = {"customer_id": customer_id, "options": [{"name": "Repipe", "items": pipe}], **fields}
    made = await b.ok("estimate/v1/generate", body)
    return made["member"], made["options"][0]["lines"][0]["unit_price"]


async def test_a_customer_with_an_agreement_in_force_gets_the_member_discount(world: World) -> None:
    assert await estimate(world.b, world.member["id"]) == (True, MEMBER_PRICE)


async def test_no_agreement_a_lapsed_one_or_an_ended_term_is_no_member(world: World) -> None:
    for who in (world.stranger, world.lapsed, world.ended):
        assert await estimate(world.b, who["id"]) == (False, LIST_PRICE), who["name"]


async def test_an_explicit_member_flag_is_honoured(world: World) -> None:
    assert await estimate(world.b, world.member["id"], member=False) == (False, LIST_PRICE)
    assert await estimate(world.b, world.stranger["id"], member=True) == (True, MEMBER_PRICE)


async def test_time_and_materials_invoices_price_members_with_the_discount(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = {who: await job_in(world.b.force, "COMPLETED", customer_id=c["id"])
            for who, c in (("member", world.member), ("lapsed", world.lapsed))}  # fmt: skip
    works = {j["id"]: work(j["id"], (("Ana", "WORK", 60),), (("PIPE-1", "4"),)) for j in jobs.values()}
    with worked(works, monkeypatch):
        made = {who: await world.b.ok("invoice/v1/createFromJob", {"job_id": j["id"]}) for who, j in jobs.items()}
    prices = {who: [(x["source"], x["unit_price"]) for x in m["lines"]] for who, m in made.items()}
    assert prices == {
        "member": [("TIME", MEMBER_LABOUR), ("MATERIAL", MEMBER_PRICE)],
        "lapsed": [("TIME", LABOUR), ("MATERIAL", LIST_PRICE)],
    }
