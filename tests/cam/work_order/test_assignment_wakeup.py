"""A provider's answer to a bid request wakes `vendorAssignment_v1` once it has committed: with its reminders an hour
away and its poll a quarter of an hour, the run takes a turn within seconds of a bid submitted or declined, asks the
next match at once when a decline leaves the round short, and completes as soon as enough priced bids are in."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from dbos import DBOS

from hestami.cam.work_order import assignment_workflow
from hestami.core.config import Settings
from tests.cam.vendor_assignment.helpers import MATCHING, Market, asked, market, run_with, steps
from tests.support.rpc import ok

SOON = 5.0
"""How long a reaction may take: far less than any timer of the run."""


@pytest.fixture(autouse=True)
def far_timers(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Response hours of an hour and a poll of 15 minutes: only a wake-up moves the run within a test."""
    monkeypatch.setattr(settings, "vendor_assignment_hour_seconds", 3600.0)
    monkeypatch.setattr(settings, "vendor_assignment_poll_seconds", 900.0)


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Market:
    return await market(shared_client, MATCHING)


async def turns(order_id: str) -> int:
    """How many turns the run's workflow has taken."""
    found = await DBOS.list_workflow_steps_async(assignment_workflow.workflow_id(order_id), load_output=False)
    return sum(1 for step in found if step["function_name"] == "vendorAssignmentTurn")


async def turns_reach(order_id: str, count: int) -> None:
    deadline = asyncio.get_running_loop().time() + SOON
    while (taken := await turns(order_id)) < count:
        assert asyncio.get_running_loop().time() < deadline, f"{taken} turns after {SOON} s, wanted {count}"
        await asyncio.sleep(0.1)


async def workflow_output(order_id: str) -> str:
    deadline = asyncio.get_running_loop().time() + SOON
    while True:
        status = await DBOS.get_workflow_status_async(assignment_workflow.workflow_id(order_id))
        assert status is not None
        if status.status != "PENDING":
            return f"{status.status}:{status.output}"
        assert asyncio.get_running_loop().time() < deadline, "the workflow is still PENDING"
        await asyncio.sleep(0.1)


async def first_round(place: Market, providers: int) -> tuple[str, dict]:
    order = await place.order()
    body = {"work_order_id": order["id"], "providers": providers, "response_hours": 2}
    await place.ok("workOrder/assignment/v1/requestBids", body)
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == providers, "the first round", SOON)
    await turns_reach(order["id"], 1)
    return order["id"], run


async def test_an_answer_wakes_the_run_and_enough_priced_bids_complete_it_at_once(place: Market) -> None:
    order_id, run = await first_round(place, 2)
    first, second = run["requests"]
    assert await turns(order_id) == 1, "nothing else to do until the reminder in an hour"

    await place.submit_bid(first["bid_id"], place.firms[first["provider_name"]])
    await turns_reach(order_id, 2)
    run = await place.assignment(order_id)
    assert run["status"] == "RUNNING", "one of two bids in: the other request still waits"
    assert steps(run, "ANSWERED") == [first["provider_name"]]
    assert all(r["reminded_at"] is None and r["expired_at"] is None for r in run["requests"])

    await place.submit_bid(second["bid_id"], place.firms[second["provider_name"]], amount="420.00")
    run = await run_with(place, order_id, lambda r: r["status"] != "RUNNING", "the run to complete", SOON)
    assert (run["status"], run["outcome"], run["answered"], run["round"]) == ("COMPLETED", "2 of 2 bids in.", 2, 1)
    assert run["next_round_at"] is None
    assert steps(run, "ANSWERED") == [first["provider_name"], second["provider_name"]]
    assert await workflow_output(order_id) == "SUCCESS:COMPLETED"


async def test_a_decline_wakes_the_run_which_asks_the_next_match_at_once(place: Market) -> None:
    order_id, run = await first_round(place, 2)
    assert asked(run) == ["Anchor Plumbing", "Brightwater Plumbing"]
    anchor, brightwater = run["requests"]
    await place.submit_bid(anchor["bid_id"], place.firms["Anchor Plumbing"])
    await turns_reach(order_id, 2)

    firm = place.firms["Brightwater Plumbing"]
    await ok(place.client, firm.tech, firm.org, "bid/v1/withdrawBid", {"bid_id": brightwater["bid_id"]})
    run = await run_with(place, order_id, lambda r: r["round"] == 2, "the second round", SOON)
    assert steps(run, "DECLINED") == ["Brightwater Plumbing"]
    assert asked(run, 2) == ["Copperline Plumbing"], "the shortfall of one, from the next match"
    assert run["status"] == "RUNNING"

    copperline = next(r for r in run["requests"] if r["round"] == 2)
    await place.submit_bid(copperline["bid_id"], place.firms["Copperline Plumbing"])
    run = await run_with(place, order_id, lambda r: r["status"] != "RUNNING", "the run to complete", SOON)
    assert (run["status"], run["outcome"], run["answered"]) == ("COMPLETED", "2 of 2 bids in.", 2)
    assert not [s for s in run["steps"] if s["step"] in ("REMINDED", "EXPIRED")]
    assert await workflow_output(order_id) == "SUCCESS:COMPLETED"
