"""`vendorAssignment_v1`'s durable timers with a short response hour: the reminder at half the deadline goes once, to
those who have not answered; at the deadline their requests expire (bid EXPIRED, the provider told, its late answer
refused) and, with fewer bids in than wanted, the next matches are asked once; a run whose providers all answered ends
early; a work order assigned or cancelled meanwhile stops its run."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

import httpx
import pytest
from dbos import DBOS

from tests.cam.vendor_assignment.helpers import MATCHING, Market, asked, market, run_with, steps
from tests.support.rpc import fails

HOUR = 1.0
"""Two response hours: the reminder after about 1 s, the deadline after about 2 s."""


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Market:
    return await market(shared_client, MATCHING)


def templates(notices: list[dict], template: str) -> Counter[str]:
    return Counter(n["recipient"] for n in notices if n["template"] == template)


async def workflow_result(order_id: str, seconds: float = 20.0) -> str:
    """How the run's workflow ended, once DBOS has recorded it (the step that stops a run commits before its
    workflow returns)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        status = await DBOS.get_workflow_status_async(f"workOrder:{order_id}:vendorAssignment:v1")
        assert status is not None
        if status.status != "PENDING" or asyncio.get_running_loop().time() > deadline:
            return f"{status.status}:{status.output}"
        await asyncio.sleep(0.1)


async def test_reminded_once_then_expired_and_the_next_match_asked_once(
    place: Market, short_hours: Callable[[float], None]
) -> None:
    short_hours(HOUR)
    order = await place.order()
    run = await place.ok(
        "workOrder/assignment/v1/requestBids", {"work_order_id": order["id"], "providers": 2, "response_hours": 2}
    )
    assert (run["status"], run["trigger"], run["wanted"]) == ("RUNNING", "MANUAL", 2)
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 2, "the first round")
    anchor, brightwater, copperline, drainworks = (place.firms[s.name] for s in MATCHING)
    assert asked(run) == ["Anchor Plumbing", "Brightwater Plumbing"]
    await place.submit_bid(run["requests"][0]["bid_id"], anchor)  # Anchor answers before the reminder

    run = await run_with(place, order["id"], lambda r: r["status"] != "RUNNING", "the run to end", 20)
    assert run["status"] == "COMPLETED", run
    assert run["outcome"] == "1 of 2 bids in."
    by_name = {r["provider_name"]: r for r in run["requests"]}
    assert asked(run, 1) == ["Anchor Plumbing", "Brightwater Plumbing"]
    assert asked(run, 2) == ["Copperline Plumbing"], "the shortfall of one, from the next match"
    assert "Drainworks" not in by_name
    assert by_name["Anchor Plumbing"]["bid_status"] == "SUBMITTED"
    assert by_name["Anchor Plumbing"]["answered_at"] is not None
    assert (by_name["Anchor Plumbing"]["reminded_at"], by_name["Anchor Plumbing"]["expired_at"]) == (None, None)
    for name in ("Brightwater Plumbing", "Copperline Plumbing"):
        request = by_name[name]
        assert request["bid_status"] == "EXPIRED", request
        assert request["requested_at"] < request["reminded_at"] < request["expired_at"], request
        assert request["remind_at"] <= request["reminded_at"], request
        assert request["due_at"] <= request["expired_at"], request
    assert run["next_round_at"] is not None
    assert run["round"] == 2
    assert run["answered"] == 1
    assert await workflow_result(order["id"]) == "SUCCESS:COMPLETED"

    # The steps, in order, readable through the API.
    order_of_steps = [s["step"] for s in run["steps"]]
    assert (order_of_steps[0], order_of_steps[-1]) == ("STARTED", "COMPLETED"), order_of_steps
    assert steps(run, "REQUESTED") == ["Anchor Plumbing", "Brightwater Plumbing", "Copperline Plumbing"]
    assert steps(run, "ANSWERED") == ["Anchor Plumbing"]
    assert steps(run, "REMINDED") == ["Brightwater Plumbing", "Copperline Plumbing"]
    assert steps(run, "EXPIRED") == ["Brightwater Plumbing", "Copperline Plumbing"]
    assert [s["note"] for s in run["steps"] if s["step"] == "NEXT_ROUND"] == ["asked Copperline Plumbing"]
    times = [s["at"] for s in run["steps"]]
    assert times == sorted(times)

    # Each message went once: the requests, one reminder to each who had not answered, the expiries.
    notices = await place.notices(order["id"])
    to = {firm.spec.name: f"provider:{firm.org}" for firm in (anchor, brightwater, copperline, drainworks)}
    assert templates(notices, "work_order.bid_requested") == Counter(
        {to["Anchor Plumbing"]: 1, to["Brightwater Plumbing"]: 1, to["Copperline Plumbing"]: 1}
    )
    assert templates(notices, "work_order.bid_reminder") == Counter(
        {to["Brightwater Plumbing"]: 1, to["Copperline Plumbing"]: 1}
    )
    assert templates(notices, "work_order.bid_expired") == Counter(
        {to["Brightwater Plumbing"]: 1, to["Copperline Plumbing"]: 1}
    )

    # An expired request cannot be answered any more.
    late = {"bid_id": by_name["Brightwater Plumbing"]["bid_id"], "amount": "300.00", "scope": "Too late"}
    await fails(place.client, brightwater.tech, brightwater.org, "bid/v1/submitBid", late, 422, reason="BID_NOT_OPEN")


async def test_a_run_whose_providers_all_answer_ends_without_another_round(
    place: Market, short_hours: Callable[[float], None]
) -> None:
    short_hours(HOUR)
    order = await place.order()
    await place.ok(
        "workOrder/assignment/v1/requestBids", {"work_order_id": order["id"], "providers": 2, "response_hours": 4}
    )
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 2, "the first round")
    for request in run["requests"]:
        firm = place.firms[request["provider_name"]]
        await place.submit_bid(request["bid_id"], firm)
    run = await run_with(place, order["id"], lambda r: r["status"] != "RUNNING", "the run to end", 20)
    assert (run["status"], run["outcome"], run["round"], run["next_round_at"]) == (
        "COMPLETED",
        "2 of 2 bids in.",
        1,
        None,
    )
    assert all(r["reminded_at"] is None and r["expired_at"] is None for r in run["requests"])
    notices = await place.notices(order["id"])
    assert not [n for n in notices if n["template"] in ("work_order.bid_reminder", "work_order.bid_expired")]


async def test_a_work_order_cancelled_meanwhile_stops_its_run(
    place: Market, short_hours: Callable[[float], None]
) -> None:
    short_hours(HOUR)
    order = await place.order()
    await place.ok(
        "workOrder/assignment/v1/requestBids", {"work_order_id": order["id"], "providers": 3, "response_hours": 2}
    )
    await run_with(place, order["id"], lambda r: len(r["requests"]) == 3, "the first round")
    await place.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "CANCELLED"})
    run = await run_with(place, order["id"], lambda r: r["status"] != "RUNNING", "the run to stop", 20)
    assert (run["status"], run["outcome"]) == ("STOPPED", "The work order is CANCELLED.")
    assert all(r["reminded_at"] is None and r["expired_at"] is None for r in run["requests"]), "nothing after"
    assert steps(run, "STOPPED") == [None]
    assert await workflow_result(order["id"]) == "SUCCESS:STOPPED"


async def test_a_bid_accepted_meanwhile_stops_the_run(place: Market, short_hours: Callable[[float], None]) -> None:
    short_hours(HOUR)
    order = await place.order()
    await place.ok("workOrder/v1/updateStatus", {"id": order["id"], "status": "TRIAGED"})
    await place.ok(
        "workOrder/assignment/v1/requestBids", {"work_order_id": order["id"], "providers": 2, "response_hours": 2}
    )
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 2, "the first round")
    first = run["requests"][0]
    await place.submit_bid(first["bid_id"], place.firms[first["provider_name"]])
    await place.ok("bid/v1/acceptBid", {"bid_id": first["bid_id"]})
    run = await run_with(place, order["id"], lambda r: r["status"] != "RUNNING", "the run to stop", 20)
    assert (run["status"], run["outcome"]) == ("STOPPED", "The work order is ASSIGNED.")
    statuses = {r["provider_name"]: r["bid_status"] for r in run["requests"]}
    assert statuses == {first["provider_name"]: "ACCEPTED", run["requests"][1]["provider_name"]: "REJECTED"}
    assert run["round"] == 1, "no second round for an assigned work order"
