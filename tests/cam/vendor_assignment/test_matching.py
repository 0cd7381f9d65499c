"""Matching through the API, and the observable of issue 19: a new EMERGENCY plumbing work order gets bid requests to
the matching, compliant, in-area providers only (the best three of them, at once, without anyone asking)."""

from __future__ import annotations

import httpx
import pytest

from tests.cam.vendor_assignment.helpers import MATCHING, NOT_MATCHING, REASONS, Market, asked, market, run_with, sql
from tests.support.rpc import ok

BEST_FIRST = [spec.name for spec in MATCHING]


@pytest.fixture(scope="module")
async def place(shared_client: httpx.AsyncClient) -> Market:
    return await market(shared_client)


async def test_matches_rank_the_compliant_in_area_providers_and_say_why_the_others_are_left_out(place: Market) -> None:
    order = await place.order(priority="HIGH")
    found = await place.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]})
    assert (found["category"], found["postal_codes"]) == ("PLUMBING", ["78750"])
    assert [m["provider_name"] for m in found["matches"]] == BEST_FIRST
    assert [m["rank"] for m in found["matches"]] == [1, 2, 3, 4]
    assert found["matches"][0]["preferred"] is True
    assert all(m["bid_status"] is None for m in found["matches"]), "nobody asked yet"
    excluded = {e["provider_name"]: [r["code"] for r in e["reasons"]] for e in found["excluded"]}
    assert excluded == REASONS
    insurance = next(e for e in found["excluded"] if e["provider_name"] == "Expired Insurance Plumbing")
    assert "2020-01-01" in insurance["reasons"][0]["message"]


async def test_the_job_site_is_the_units_own_postal_code_else_its_propertys(place: Market) -> None:
    elsewhere = await place.ok(
        "unit/v1/create",
        {"property_id": place.property_id, "unit_number": "Annex 1", "unit_type": "SINGLE_FAMILY",
         "address": {"line1": "1 Far Rd", "city": "Austin", "state": "TX", "postal_code": "73301"}},
    )  # fmt: skip
    order = await place.order(unit_id=elsewhere["id"])
    found = await place.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]})
    assert found["postal_codes"] == ["73301"]
    assert [m["provider_name"] for m in found["matches"]] == ["Faraway Plumbing"], "the one serving 73301"
    anchor = next(e for e in found["excluded"] if e["provider_name"] == "Anchor Plumbing")
    assert [r["code"] for r in anchor["reasons"]] == ["OUT_OF_SERVICE_AREA"]


async def test_a_common_area_and_an_order_without_a_site_use_the_propertys_postal_code(place: Market) -> None:
    pool = await place.ok(
        "commonArea/v1/create",
        {"association_id": place.association_id, "property_id": place.property_id, "name": f"Pool {place.org[:4]}",
         "area_type": "POOL"},
    )  # fmt: skip
    for where in ({"common_area_id": pool["id"]}, {"asset_id": None}):
        order = await place.order(**where)
        found = await place.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]})
        assert found["postal_codes"] == ["78750"], where
        assert [m["provider_name"] for m in found["matches"]] == BEST_FIRST, where


async def test_another_category_matches_other_providers(place: Market) -> None:
    order = await place.order(category="electrical")
    found = await place.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]})
    assert [m["provider_name"] for m in found["matches"]] == ["Sparks Electric"]


async def test_an_emergency_plumbing_order_asks_the_best_three_matching_compliant_in_area_providers_only(
    place: Market,
) -> None:
    """The owner reports it; nobody starts anything: the submission starts vendorAssignment_v1 (trigger EMERGENCY),
    which asks Anchor (preferred), Brightwater and Copperline (by rating); Drainworks (4th) is not asked in the first
    round, and none of the better rated providers left out (expired, out of area, another trade, not approved) is
    asked at all."""
    order = await place.order(priority="EMERGENCY", who=place.owner)
    run = await run_with(place, order["id"], lambda r: len(r["requests"]) == 3, "the first round")
    assert (run["status"], run["trigger"], run["wanted"], run["response_hours"]) == ("RUNNING", "EMERGENCY", 3, 2)
    assert run["workflow_id"] == f"workOrder:{order['id']}:vendorAssignment:v1"
    assert asked(run, 1) == BEST_FIRST[:3]
    assert [r["rank"] for r in run["requests"]] == [1, 2, 3]
    assert all(r["bid_status"] == "REQUESTED" for r in run["requests"])
    assert run["started_by"] == str(place.owner.user_id)

    bids = await place.ok("bid/v1/listBids", {"work_order_id": order["id"]})
    assert sorted(b["provider_name"] for b in bids["items"]) == sorted(BEST_FIRST[:3])
    invited = {place.name_of(b["provider_organization_id"]) for b in bids["items"]}
    assert invited.isdisjoint({spec.name for spec in NOT_MATCHING})

    # Each asked provider sees its invitation and the job from its own organization; the others see nothing.
    for spec in MATCHING + NOT_MATCHING:
        firm = place.firms[spec.name]
        mine = await ok(place.client, firm.tech, firm.org, "bid/v1/listBids", {})
        jobs = await ok(place.client, firm.tech, firm.org, "workOrder/v1/listForProvider", {"limit": 200})
        on_order = [b for b in mine["items"] if b["work_order_id"] == order["id"]]
        listed = [j for j in jobs["items"] if j["id"] == order["id"]]
        if spec.name in BEST_FIRST[:3]:
            assert [b["status"] for b in on_order] == ["REQUESTED"], spec.name
            assert [j["my_bid_status"] for j in listed] == ["REQUESTED"], spec.name
        else:
            assert on_order == [], spec.name
            assert listed == [], spec.name

    notices = [n for n in await place.notices(order["id"]) if n["template"] == "work_order.bid_requested"]
    assert sorted(n["recipient"] for n in notices) == sorted(f"provider:{place.firms[n].org}" for n in BEST_FIRST[:3])
    matches = await place.ok("workOrder/assignment/v1/matches", {"work_order_id": order["id"]})
    assert [m["bid_status"] for m in matches["matches"]] == ["REQUESTED", "REQUESTED", "REQUESTED", None]
    audit = await sql(
        place.org, "SELECT action FROM audit_events WHERE entity_id = :id", id=run["id"]
    )  # the run's own trail: created by the submission, its first round by the workflow
    assert sorted(a[0] for a in audit) == ["vendor_assignment.created", "vendor_assignment.round_sent"]


async def test_only_emergencies_start_on_their_own(place: Market) -> None:
    for priority in ("LOW", "MEDIUM", "HIGH"):
        order = await place.order(priority=priority)
        run = await place.assignment(order["id"])
        assert (run["status"], run["id"], run["requests"]) == ("NOT_STARTED", None, []), priority
    draft = await place.order(priority="EMERGENCY", submit=False)
    assert (await place.assignment(draft["id"]))["status"] == "NOT_STARTED", "a draft is not submitted yet"
    await place.ok("workOrder/v1/updateStatus", {"id": draft["id"], "status": "SUBMITTED"})
    run = await run_with(place, draft["id"], lambda r: len(r["requests"]) == 3, "the run of the submitted draft")
    assert run["trigger"] == "EMERGENCY"
