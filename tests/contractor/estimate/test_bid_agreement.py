"""The HOA's bid and the contractor's estimate answering it never disagree, and the association's managers hear of
the proposal: declining the proposal rejects the bid; voiding a sent estimate withdraws the bid; the association
deciding the bid directly (accepted, rejected, another bid accepted, expired by vendorAssignment_v1) decides the
estimate through its own transitions; each once, a replayed request changing nothing more."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from hestami.cam.work_order import repository as work_order_rows
from hestami.cam.work_order.services import bids as bid_service
from hestami.contractor.estimate import api as estimates
from hestami.core import runtime
from hestami.core.acting import acting
from tests.contractor.estimate.helpers import Hoa, Shop, hoa, shop
from tests.contractor.estimate.test_bid import named, proposal_of, proposed
from tests.contractor.job.test_handoff import until
from tests.support.accounts import Account, member_account, rpc
from tests.support.rpc import post, suffix


@pytest.fixture(scope="module")
async def s(shared_client: httpx.AsyncClient) -> Shop:
    return await shop(shared_client, "Agreeing Roofing")


@pytest.fixture(scope="module")
async def h(shared_client: httpx.AsyncClient, s: Shop) -> Hoa:
    return await hoa(shared_client, s)


@pytest.fixture(scope="module")
async def second_manager(shared_client: httpx.AsyncClient, h: Hoa) -> Account:
    return await member_account(shared_client, h.manager, h.org, ["MANAGER"])


async def replayed(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict[str, Any]) -> Any:
    """`path` sent twice with one idempotency key: both answers the same success; returns its data."""
    key = f"replay-{suffix()}"
    first, second = [await client.post(rpc(path), json=body, headers=who.headers(org, key)) for _ in range(2)]
    assert first.status_code == 200, first.text
    assert second.status_code == 200, second.text
    assert first.json()["data"] == second.json()["data"]
    return first.json()["data"]


async def bid_of(h: Hoa, order_id: str, bid_id: str) -> dict[str, Any]:
    listed = await h.ok("bid/v1/listBids", {"work_order_id": order_id})
    return dict(next(b for b in listed["items"] if b["id"] == bid_id))


async def moves(s: Shop, estimate_id: str) -> list[str]:
    history = await s.ok("estimate/v1/history", {"id": estimate_id})
    return [h["to_status"] for h in history["items"]]


async def test_declining_the_proposal_rejects_the_bid_once(s: Shop, h: Hoa) -> None:
    order, sent, bid = await proposed(s, h)
    proposal = await proposal_of(h, sent["id"])
    body = {"proposal_id": proposal["id"], "reason": "Over budget"}
    declined = await replayed(h.client, h.manager, h.org, "estimate/v1/decline", body)
    assert declined["estimate_status"] == "DECLINED"
    rejected = await bid_of(h, order["id"], bid["id"])
    assert rejected["status"] == "REJECTED"
    assert rejected["decided_at"] is not None
    assert await moves(s, sent["id"]) == ["DRAFT", "APPROVED", "SENT", "DECLINED"]
    await h.fails_call("estimate/v1/decline", body, 409, "INVALID_STATE_TRANSITION")
    await h.fails_call("bid/v1/rejectBid", {"bid_id": bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert {o["status"] for o in mine["options"]} == {"DECLINED"}


async def test_voiding_a_sent_estimate_withdraws_the_bid(s: Shop, h: Hoa) -> None:
    order, sent, bid = await proposed(s, h)
    voided = await replayed(s.client, s.manager, s.org, "estimate/v1/void", {"id": sent["id"], "reason": "Mistake"})
    assert voided["status"] == "VOID"
    assert (await bid_of(h, order["id"], bid["id"]))["status"] == "WITHDRAWN"
    assert await moves(s, sent["id"]) == ["DRAFT", "APPROVED", "SENT", "VOID"]
    withdrawn = await proposal_of(h, sent["id"])
    assert withdrawn["estimate_status"] == "VOID"
    body = {"proposal_id": withdrawn["id"], "option_id": named(sent, "Good")["id"]}
    await h.fails_call("estimate/v1/acceptOption", body, 409, "INVALID_STATE_TRANSITION")
    await h.fails_call("bid/v1/acceptBid", {"bid_id": bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")


async def test_voiding_a_draft_leaves_the_request_open_for_another_estimate(s: Shop, h: Hoa) -> None:
    order, bid = await h.bid_request(s.org)
    made = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    await s.ok("estimate/v1/void", {"id": made["id"]})
    assert (await bid_of(h, order["id"], bid["id"]))["status"] == "REQUESTED"
    again = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    assert again["status"] == "DRAFT"


async def test_the_association_rejecting_the_bid_declines_the_estimate_once(s: Shop, h: Hoa) -> None:
    _, sent, bid = await proposed(s, h)
    rejected = await replayed(h.client, h.manager, h.org, "bid/v1/rejectBid", {"bid_id": bid["id"]})
    assert rejected["status"] == "REJECTED"
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert mine["status"] == "DECLINED"
    assert mine["decided_by_name"] == h.manager.email
    assert {o["status"] for o in mine["options"]} == {"DECLINED"}
    assert await moves(s, sent["id"]) == ["DRAFT", "APPROVED", "SENT", "DECLINED"]
    proposal = await proposal_of(h, sent["id"])
    assert proposal["estimate_status"] == "DECLINED"
    body = {"proposal_id": proposal["id"], "option_id": named(sent, "Better")["id"]}
    await h.fails_call("estimate/v1/acceptOption", body, 409, "INVALID_STATE_TRANSITION")


async def test_the_association_accepting_the_bid_accepts_the_lowest_option_once(s: Shop, h: Hoa) -> None:
    _, sent, bid = await proposed(s, h)
    accepted = await replayed(h.client, h.manager, h.org, "bid/v1/acceptBid", {"bid_id": bid["id"]})
    assert accepted["status"] == "ACCEPTED"
    good = named(sent, "Good")
    assert Decimal(accepted["amount"]) == Decimal(good["total"])
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert mine["status"] == "ACCEPTED"
    assert mine["accepted_option_id"] == good["id"]
    assert {o["name"]: o["status"] for o in mine["options"]} == {
        "Good": "ACCEPTED", "Better": "DECLINED", "Best": "DECLINED"}  # fmt: skip
    assert await moves(s, sent["id"]) == ["DRAFT", "APPROVED", "SENT", "ACCEPTED"]

    async def linked() -> dict[str, Any] | None:
        found = await s.ok("estimate/v1/get", {"id": sent["id"]})
        return found if found["job_id"] else None

    job_id = (await until(linked, "the handed-off job linked to the estimate"))["job_id"]
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(s.org),
                      user_id=s.manager.user_id) as ctx:  # fmt: skip
        found = await estimates.accepted_option(ctx, uuid.UUID(job_id))
    assert found is not None
    assert found.option_name == "Good"
    await s.fails("estimate/v1/void", {"id": sent["id"]}, 422, "BUSINESS_RULE_VIOLATION", "FROZEN")


async def test_another_bid_accepted_declines_the_estimate(shared_client: httpx.AsyncClient, s: Shop) -> None:
    rival = await shop(shared_client, "Rival Roofing")
    both = await hoa(shared_client, s, rival)
    order, bid = await both.bid_request(s.org)
    asked = await both.ok("bid/v1/requestBids", {"work_order_id": order["id"],
                                                  "provider_organization_ids": [rival.org]})  # fmt: skip
    rival_bid = next(b for b in asked["items"] if b["id"] != bid["id"])
    mine = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    await s.ok("estimate/v1/send", {"id": mine["id"]})
    theirs = await rival.ok("estimate/v1/generate", {"bid_id": rival_bid["id"], "options": [rival.option("Good")]})
    await rival.ok("estimate/v1/send", {"id": theirs["id"]})
    await both.ok("bid/v1/acceptBid", {"bid_id": rival_bid["id"]})
    assert (await s.ok("estimate/v1/get", {"id": mine["id"]}))["status"] == "DECLINED"
    assert (await rival.ok("estimate/v1/get", {"id": theirs["id"]}))["status"] == "ACCEPTED"
    assert (await bid_of(both, order["id"], bid["id"]))["status"] == "REJECTED"


async def test_a_request_expired_by_vendor_assignment_voids_the_unsent_estimate(s: Shop, h: Hoa) -> None:
    order, bid = await h.bid_request(s.org)
    made = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    async with acting(runtime.current(), procedure="vendorAssignment_v1", organization_id=uuid.UUID(h.org)) as ctx:
        row = await work_order_rows.bid(ctx.session, uuid.UUID(bid["id"]))
        assert row is not None
        await ctx.session.refresh(row, with_for_update=True)
        await bid_service.expire(ctx, row, datetime.now(UTC))
    assert (await bid_of(h, order["id"], bid["id"]))["status"] == "EXPIRED"
    voided = await s.ok("estimate/v1/get", {"id": made["id"]})
    assert voided["status"] == "VOID"
    assert await moves(s, made["id"]) == ["DRAFT", "VOID"]
    await s.fails("estimate/v1/send", {"id": made["id"]}, 409, "INVALID_STATE_TRANSITION")


async def test_the_associations_managers_hear_of_the_proposal_once(s: Shop, h: Hoa, second_manager: Account) -> None:
    order, bid = await h.bid_request(s.org)
    made = await s.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")]})
    await replayed(s.client, s.manager, s.org, "estimate/v1/send", {"id": made["id"], "message": "Our price."})
    portal = await s.ok("notification/v1/list", {"entity_id": made["id"]})
    assert [(n["channel"], n["recipient"]) for n in portal["items"]] == [("PORTAL", f"organization:{h.org}")]
    notices = await h.ok("notification/v1/list", {"entity_id": order["id"], "limit": 100})
    told = [n for n in notices["items"] if n["template"] == "estimate_proposal"]
    assert sorted(n["recipient"] for n in told) == sorted([h.manager.email, second_manager.email])
    assert {n["channel"] for n in told} == {"EMAIL"}
    assert {n["payload"]["estimate"] for n in told} == {made["number"]}
    assert {n["payload"]["work_order"] for n in told} == {order["number"]}
    mine = await s.ok("notification/v1/list", {"entity_id": order["id"]})
    assert mine["items"] == []


async def test_the_associations_managers_hear_the_reminder_once_and_the_bid_lapses(
    s: Shop, h: Hoa, second_manager: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = runtime.current().settings
    monkeypatch.setattr(settings, "estimate_day_seconds", 1.0)
    monkeypatch.setattr(settings, "estimate_reminder_days", 1)
    monkeypatch.setattr(settings, "estimate_poll_seconds", 0.5)
    order, bid = await h.bid_request(s.org)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    body = {"bid_id": bid["id"], "options": [s.option("Good", "GOOD")], "valid_until": tomorrow}
    made = await s.ok("estimate/v1/generate", body)
    await s.ok("estimate/v1/send", {"id": made["id"]})

    async def expired() -> dict[str, Any] | None:
        found = await s.ok("estimate/v1/get", {"id": made["id"]})
        return found if found["status"] == "EXPIRED" else None

    await until(expired, "the estimate EXPIRED")
    assert (await bid_of(h, order["id"], bid["id"]))["status"] == "WITHDRAWN"
    await h.fails_call("bid/v1/acceptBid", {"bid_id": bid["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")
    notices = await h.ok("notification/v1/list", {"entity_id": order["id"], "limit": 100})
    reminded = [n["recipient"] for n in notices["items"] if n["template"] == "estimate_expiry_reminder"]
    assert sorted(reminded) == sorted([h.manager.email, second_manager.email])


async def test_the_proposal_and_the_bid_accepted_at_once_agree(s: Shop, h: Hoa) -> None:
    order, sent, bid = await proposed(s, h)
    proposal = await proposal_of(h, sent["id"])
    calls = [
        ("estimate/v1/acceptOption", {"proposal_id": proposal["id"], "option_id": named(sent, "Best")["id"]}),
        ("bid/v1/acceptBid", {"bid_id": bid["id"]}),
    ]
    answers = await asyncio.gather(*(post(h.client, h.manager, h.org, path, body) for path, body in calls))
    assert sorted(a.status_code for a in answers)[0] == 200
    assert sorted(a.status_code for a in answers)[1] in (409, 422), [a.text for a in answers]
    mine = await s.ok("estimate/v1/get", {"id": sent["id"]})
    assert mine["status"] == "ACCEPTED"
    chosen = next(o for o in mine["options"] if o["id"] == mine["accepted_option_id"])
    assert [o["status"] for o in mine["options"]].count("ACCEPTED") == 1
    accepted = await bid_of(h, order["id"], bid["id"])
    assert accepted["status"] == "ACCEPTED"
    assert Decimal(accepted["amount"]) == Decimal(chosen["total"])


async def test_a_bid_withdrawn_directly_voids_the_sent_estimate(s: Shop, h: Hoa) -> None:
    order, sent, bid = await proposed(s, h)
    await s.ok("bid/v1/withdrawBid", {"bid_id": bid["id"]}, who=s.members["VENDOR"])
    assert (await bid_of(h, order["id"], bid["id"]))["status"] == "WITHDRAWN"
    assert (await s.ok("estimate/v1/get", {"id": sent["id"]}))["status"] == "VOID"
    assert await moves(s, sent["id"]) == ["DRAFT", "APPROVED", "SENT", "VOID"]
