"""Journey 5, steps 1-3: the HOA manager puts a roof work order out to bid → the roofer generates an estimate for
the bid request with Good/Better/Best, sends it (its bid is submitted at the lowest total) → the HOA manager reads
the proposal from their own organization and accepts "Better": the estimate is ACCEPTED with it, the bid accepted at
that option's total (the other bids rejected), the work order assigned, and the hand-off opens the roofer's job,
whose accepted option `estimate.api.accepted_option` finds through the work order. Once: two acceptances at once,
one wins. Another organization sees none of it."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest

from hestami.contractor.estimate import api as estimates
from hestami.core import runtime
from hestami.core.acting import acting
from tests.contractor.estimate.helpers import Hoa, Shop, hoa, shop
from tests.contractor.job.test_handoff import until
from tests.support.rpc import fails, ok, post


@pytest.fixture(scope="module")
async def s(shared_client: httpx.AsyncClient) -> Shop:
    return await shop(shared_client, "Cibolo Roofing")


@pytest.fixture(scope="module")
async def h(shared_client: httpx.AsyncClient, s: Shop) -> Hoa:
    return await hoa(shared_client, s)


async def proposed(s: Shop, h: Hoa) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A work order put out to bid to the shop, its estimate with three options sent: (order, estimate, bid)."""
    order, bid = await h.bid_request(s.org)
    options = [s.option("Good", "GOOD"), s.option("Better", "BETTER", extra=1), s.option("Best", "BEST", extra=3)]
    made = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": options})
    assert made["work_order_id"] == order["id"]
    assert made["hoa_organization_id"] == h.org
    sent = await s.ok("estimate/v1/send", {"id": made["id"], "message": "Three ways to fix it."})
    return order, sent, bid


def named(estimate: dict[str, Any], name: str) -> dict[str, Any]:
    return next(o for o in estimate["options"] if o["name"] == name)


async def proposal_of(h: Hoa, estimate_id: str) -> dict[str, Any]:
    listed = await h.ok("estimate/v1/listProposals", {})
    return next(p for p in listed["items"] if p["estimate_id"] == estimate_id)


async def test_the_hoa_accepts_better_and_the_roofer_gets_the_job(s: Shop, h: Hoa) -> None:
    order, sent, bid = await proposed(s, h)
    bids = await h.ok("bid/v1/listBids", {"work_order_id": order["id"]})
    submitted = next(b for b in bids["items"] if b["id"] == bid["id"])
    assert submitted["status"] == "SUBMITTED"
    assert Decimal(submitted["amount"]) == Decimal(named(sent, "Good")["total"])
    proposal = await proposal_of(h, sent["id"])
    assert proposal["estimate_status"] == "SENT"
    assert proposal["addressee_kind"] == "HOA"
    assert [o["name"] for o in proposal["content"]["options"]] == ["Good", "Better", "Best"]
    assert (await h.ok("estimate/v1/getProposal", {"id": proposal["id"]}))["content_hash"] == proposal["content_hash"]

    better = named(sent, "Better")
    decided = await h.ok("estimate/v1/acceptOption", {"proposal_id": proposal["id"], "option_id": better["id"]})
    assert decided["estimate_status"] == "ACCEPTED"
    assert decided["accepted_option_id"] == better["id"]
    bids = await h.ok("bid/v1/listBids", {"work_order_id": order["id"]})
    accepted = next(b for b in bids["items"] if b["id"] == bid["id"])
    assert accepted["status"] == "ACCEPTED"
    assert Decimal(accepted["amount"]) == Decimal(better["total"])
    assigned = await h.ok("workOrder/v1/get", {"id": order["id"]})
    assert assigned["status"] == "ASSIGNED"
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert {o["name"]: o["status"] for o in mine["options"]} == {
        "Good": "DECLINED", "Better": "ACCEPTED", "Best": "DECLINED"}  # fmt: skip

    async def job() -> dict[str, Any] | None:
        page = await s.ok("job/v1/list", {"work_order_id": order["id"]})
        return page["items"][0] if page["items"] else None

    opened = await until(job, "the roofer's job")
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(s.org),
                      user_id=s.manager.user_id) as ctx:  # fmt: skip
        found = await estimates.accepted_option(ctx, uuid.UUID(opened["id"]))
    assert found is not None
    assert found.option_name == "Better"
    assert found.estimate_number == sent["number"]
    assert found.total == Decimal(better["total"])
    assert found.tax_rate == Decimal("8.25")
    assert [line.code for line in found.lines] == ["LABOR-HR", "SHINGLE-BDL", "FLASH-KIT", "UNDERLAY-ROLL"]

    async def linked() -> dict[str, Any] | None:
        found = await s.ok("estimate/v1/get", {"id": sent["id"]})
        return found if found["job_id"] else None

    assert (await until(linked, "the estimate naming its job"))["job_id"] == opened["id"]
    described = await s.ok("job/v1/get", {"id": opened["id"]})
    assert f"Accepted option: Better of {sent['number']}" in described["description"]

    again = {"proposal_id": proposal["id"], "option_id": named(sent, "Best")["id"]}
    await h.fails_call("estimate/v1/acceptOption", again, 409, "INVALID_STATE_TRANSITION")
    frozen = {"id": sent["id"], "title": "Another"}
    await s.fails("estimate/v1/update", frozen, 422, "BUSINESS_RULE_VIOLATION", "FROZEN")


async def test_the_estimate_of_a_bid_request_names_the_association(s: Shop, h: Hoa) -> None:
    order, bid = await h.bid_request(s.org)
    made = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    association = (await h.ok("association/v1/get", {"id": h.association_id}))["name"]
    management = (await h.ok("organization/v1/get", {}))["organization"]["name"]
    expected = f"{association} ({management})"
    assert (made["customer_id"], made["customer_name"]) == (None, expected)
    assert (await s.ok("estimate/v1/get", {"id": made["id"]}))["customer_name"] == expected
    listed = await s.ok("estimate/v1/list", {"work_order_id": order["id"]})
    assert [(e["id"], e["customer_name"]) for e in listed["items"]] == [(made["id"], expected)]


async def test_two_acceptances_at_once_one_wins(s: Shop, h: Hoa) -> None:
    _, sent, _ = await proposed(s, h)
    proposal = await proposal_of(h, sent["id"])
    bodies = [{"proposal_id": proposal["id"], "option_id": named(sent, name)["id"]} for name in ("Better", "Best")]
    answers = await asyncio.gather(*(post(h.client, h.manager, h.org, "estimate/v1/acceptOption", b) for b in bodies))
    assert sorted(a.status_code for a in answers) == [200, 409]
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert [o["status"] for o in mine["options"]].count("ACCEPTED") == 1


async def test_the_contractor_does_not_decide_for_the_association(s: Shop, h: Hoa) -> None:
    _, sent, _ = await proposed(s, h)
    body = {"id": sent["id"], "option_id": named(sent, "Good")["id"], "accepted_by_name": "Someone"}
    await s.fails("estimate/v1/recordAcceptance", body, 422, "BUSINESS_RULE_VIOLATION", "ADDRESSEE_DECIDES")
    proposal = await proposal_of(h, sent["id"])
    body = {"proposal_id": proposal["id"], "option_id": named(sent, "Good")["id"]}
    await s.fails("estimate/v1/acceptOption", body, 403, "FORBIDDEN")


async def test_another_organization_sees_nothing(shared_client: httpx.AsyncClient, s: Shop, h: Hoa) -> None:
    _, sent, bid = await proposed(s, h)
    proposal = await proposal_of(h, sent["id"])
    other_shop = await shop(shared_client, "Other Roofing")
    other_hoa = await hoa(shared_client, other_shop)
    for who, org in ((other_hoa.manager, other_hoa.org), (other_shop.manager, other_shop.org)):
        await fails(shared_client, who, org, "estimate/v1/getProposal", {"id": proposal["id"]}, 404, "NOT_FOUND")
        body = {"proposal_id": proposal["id"], "option_id": named(sent, "Good")["id"]}
        await fails(shared_client, who, org, "estimate/v1/acceptOption", body, 404, "NOT_FOUND")
        listed = await ok(shared_client, who, org, "estimate/v1/listProposals", {})
        assert proposal["id"] not in [p["id"] for p in listed["items"]]
    await other_shop.fails("estimate/v1/get", {"id": sent["id"]}, 404, "NOT_FOUND")
    await other_shop.fails("estimate/v1/get", {"id": str(uuid.uuid4())}, 404, "NOT_FOUND")
    body = {"bid_id": bid["id"], "options": [other_shop.option("Good", "GOOD")]}
    await other_shop.fails("estimate/v1/generate", body, 404, "NOT_FOUND")
    unanswered = await h.ok("workOrder/v1/get", {"id": sent["work_order_id"]})
    assert unanswered["status"] != "ASSIGNED"
