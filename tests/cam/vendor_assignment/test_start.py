"""Starting vendorAssignment_v1 and reading it: one run per work order however often (or however concurrently) it is
started, only for a work order open for bids, by management only; the association's seated board reads it, owners
and providers do not; another organization's work order answers NOT_FOUND exactly like a random id, and row-level
security hides the runs and their requests from other organizations."""

from __future__ import annotations

import uuid

import httpx
import pytest
from dbos import DBOS
from sqlalchemy import text

from hestami.core import runtime
from tests.cam.vendor_assignment.helpers import MATCHING, Market, Spec, market, run_with, sql
from tests.support.race import Held, race
from tests.support.rpc import fails, post

ORDER_ROW = "SELECT id FROM work_orders WHERE id = :id FOR UPDATE"
START = "workOrder/assignment/v1/requestBids"
PROCEDURES = ("workOrder/assignment/v1/matches", START, "workOrder/assignment/v1/get")


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Market:
    return await market(shared_client, MATCHING[:3])


@pytest.fixture(scope="module")
async def elsewhere(shared_client: httpx.AsyncClient) -> Market:
    """Another management company, with its own association, providers and runs."""
    return await market(shared_client, (Spec("Other Town Plumbing"),))


async def test_starting_twice_answers_the_same_run_and_asks_nobody_twice(place: Market) -> None:
    order = await place.order()
    first = await place.ok(START, {"work_order_id": order["id"], "providers": 2, "response_hours": 24})
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 2, "the first round")
    again = await place.ok(START, {"work_order_id": order["id"], "providers": 3, "response_hours": 5})
    assert again["id"] == first["id"] == run["id"]
    assert (again["wanted"], again["response_hours"]) == (2, 24), "the run as it is: unchanged"
    assert [r["bid_id"] for r in again["requests"]] == [r["bid_id"] for r in run["requests"]]
    bids = await place.ok("bid/v1/listBids", {"work_order_id": order["id"]})
    assert len(bids["items"]) == 2
    assert await sql(
        place.org, "SELECT count(*) FROM vendor_assignments WHERE work_order_id = :id", id=order["id"]
    ) == [(1,)]
    status = await DBOS.get_workflow_status_async(run["workflow_id"])
    assert status is not None
    assert status.status == "PENDING"


async def test_two_starts_at_once_make_one_run(place: Market) -> None:
    """Both wait for the work order's row; the second then finds the first's run and answers it."""
    order = await place.order()
    body = {"work_order_id": order["id"], "providers": 1}
    responses = await race(
        Held(place.org, ORDER_ROW, {"id": order["id"]}),
        post(place.client, place.manager, place.org, START, body),
        post(place.client, place.manager, place.org, START, body),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert len({r.json()["data"]["id"] for r in responses}) == 1
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 1, "the first round")
    assert run["requests"][0]["provider_name"] == "Anchor Plumbing"


async def test_an_emergency_run_is_the_work_orders_run(place: Market) -> None:
    order = await place.order(priority="EMERGENCY")
    started = await place.ok(START, {"work_order_id": order["id"], "providers": 1})
    assert (started["trigger"], started["wanted"]) == ("EMERGENCY", 3)


async def test_only_a_work_order_open_for_bids_starts_one(place: Market) -> None:
    draft = await place.order(submit=False)
    await place.fails(START, {"work_order_id": draft["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")
    cancelled = await place.order()
    await place.ok("workOrder/v1/updateStatus", {"id": cancelled["id"], "status": "CANCELLED"})
    await place.fails(START, {"work_order_id": cancelled["id"]}, 422, "BUSINESS_RULE_VIOLATION", "BID_NOT_OPEN")
    assert (await place.assignment(cancelled["id"]))["status"] == "NOT_STARTED", "nothing left behind"


async def test_inputs_are_validated(place: Market) -> None:
    order = await place.order()
    for bad in ({"providers": 0}, {"providers": 11}, {"response_hours": 0}, {"response_hours": 337}, {"extra": 1}):
        await place.fails(START, {"work_order_id": order["id"], **bad}, 400, "VALIDATION_FAILED")
    await place.fails(START, {"work_order_id": "not-a-uuid"}, 400, "VALIDATION_FAILED")
    assert (await place.assignment(order["id"]))["status"] == "NOT_STARTED"


async def test_no_match_at_all_ends_the_run_and_tells_the_managers(place: Market) -> None:
    order = await place.order(category="ROOFING")
    await place.ok(START, {"work_order_id": order["id"]})
    run = await run_with(place, order["id"], lambda r: r["status"] != "RUNNING", "the run to end")
    assert (run["status"], run["outcome"], run["requests"], run["round"]) == (
        "COMPLETED", "No provider matched.", [], 0
    )  # fmt: skip
    assert [s["step"] for s in run["steps"]] == ["STARTED", "NO_MATCHES", "COMPLETED"]
    told = [n for n in await place.notices(order["id"]) if n["template"] == "work_order.no_provider_matched"]
    assert [n["recipient"] for n in told] == [place.manager.email]


async def test_managers_start_the_board_reads_owners_and_providers_get_nothing(place: Market) -> None:
    order = await place.order(who=place.owner)  # the owner's own request: the owner sees the work order
    body = {"work_order_id": order["id"]}
    await place.fails(START, body, 403, "FORBIDDEN", who=place.owner)
    await place.fails("workOrder/assignment/v1/matches", body, 403, "FORBIDDEN", who=place.owner)
    await place.fails("workOrder/assignment/v1/get", body, 404, "NOT_FOUND", who=place.owner)
    await place.fails(START, body, 403, "FORBIDDEN", who=place.board)
    assert (await place.assignment(order["id"], place.board))["status"] == "NOT_STARTED"
    started = await place.ok(START, {**body, "providers": 1})
    seen = await place.assignment(order["id"], place.board)
    assert seen["id"] == started["id"]
    matches = await place.ok("workOrder/assignment/v1/matches", body, place.board)
    assert [m["provider_name"] for m in matches["matches"]] == [s.name for s in MATCHING[:3]]
    await place.fails("workOrder/assignment/v1/get", body, 404, "NOT_FOUND", who=place.owner)

    # The provider asked to bid sees its bid, not the run, the matching or the work order's record.
    await run_with(place, order["id"], lambda r: len(r["requests"]) == 1, "the first round")
    anchor = place.firms["Anchor Plumbing"]
    for path in PROCEDURES:
        await fails(place.client, anchor.tech, anchor.org, path, body, 404, "NOT_FOUND")


async def test_another_organizations_work_order_is_not_found_like_a_random_id(place: Market, elsewhere: Market) -> None:
    theirs = await elsewhere.order(priority="EMERGENCY")
    await run_with(elsewhere, theirs["id"], lambda r: len(r["requests"]) == 1, "their run")
    for path in PROCEDURES:
        answers = []
        for work_order_id in (theirs["id"], str(uuid.uuid4())):
            error = await place.fails(path, {"work_order_id": work_order_id}, 404, "NOT_FOUND")
            answers.append((error["code"], error["message"], error["details"]["kind"], error["http_status"]))
        assert answers[0] == answers[1], (path, answers)
    assert (await elsewhere.assignment(theirs["id"]))["status"] == "RUNNING", "untouched"


async def test_row_level_security_hides_runs_and_requests_from_other_organizations(
    place: Market, elsewhere: Market
) -> None:
    theirs = await elsewhere.order(priority="EMERGENCY")
    await run_with(elsewhere, theirs["id"], lambda r: len(r["requests"]) == 1, "their run")
    for table in ("vendor_assignments", "vendor_assignment_requests"):
        assert await sql(elsewhere.org, f"SELECT count(*) FROM {table} WHERE work_order_id = :id", id=theirs["id"]) == [
            (1,)
        ]
        assert await sql(place.org, f"SELECT count(*) FROM {table} WHERE work_order_id = :id", id=theirs["id"]) == [
            (0,)
        ]
    async with runtime.current().database.transaction(organization_id=uuid.UUID(place.org), user_id=None) as session:
        forced = await session.execute(
            text(
                "SELECT relname FROM pg_class WHERE relname IN ('vendor_assignments', 'vendor_assignment_requests') "
                "AND relrowsecurity AND relforcerowsecurity"
            )
        )
        assert sorted(row[0] for row in forced) == ["vendor_assignment_requests", "vendor_assignments"]
