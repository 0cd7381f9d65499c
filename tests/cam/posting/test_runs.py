"""Posting runs through the API: a period billed to every unit once, whoever starts it again (no duplicate
charges), units already charged counted as skipped, progress readable, and who may start and see runs."""

from __future__ import annotations

import uuid
from collections import Counter

import httpx
import pytest

from tests.cam.posting.helpers import Place, place
from tests.support.accounts import account, member_account, organization
from tests.support.rpc import fails, suffix

START = "accounting/posting/v1/start"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Place:
    return await place(shared_client, count=7)


async def test_posting_a_month_charges_every_unit_once_and_twice_adds_nothing(hoa: Place) -> None:
    dues = await hoa.hoa.dues("180.00")
    body = {"assessment_type_id": dues["id"], "due_date": "2026-03-01"}
    started = await hoa.ok(START, body)
    assert started["status"] in {"QUEUED", "RUNNING", "COMPLETED"}
    assert started["workflow_id"] == f"assessmentPosting:{dues['id']}:2026-03-01:v1"
    done = await hoa.run_done(started["id"])
    assert (done["units_total"], done["units_done"], done["charged"], done["skipped"]) == (7, 7, 7, 0), done
    assert done["amount_charged"] == "1260.00"
    again = await hoa.ok(START, body)
    assert again["id"] == started["id"]
    assert (await hoa.run_done(again["id"]))["charged"] == 7
    charges = await hoa.charges(dues["id"])
    assert Counter(c["unit_id"] for c in charges) == Counter(u["id"] for u in hoa.units), charges
    assert {c["amount"] for c in charges} == {"180.00"}


async def test_units_already_charged_are_skipped_and_counted(hoa: Place) -> None:
    dues = await hoa.hoa.dues("90.00")
    billed_by_hand = [u["id"] for u in hoa.units[:3]]
    await hoa.ok("accounting/assessment/v1/billPeriod",
                 {"assessment_type_id": dues["id"], "due_date": "2026-04-01", "unit_ids": billed_by_hand})  # fmt: skip
    started = await hoa.ok(START, {"assessment_type_id": dues["id"], "due_date": "2026-04-01"})
    done = await hoa.run_done(started["id"])
    assert (done["units_done"], done["charged"], done["skipped"]) == (7, 4, 3), done
    assert len(await hoa.charges(dues["id"])) == 7


async def test_progress_is_listed_per_association_and_type(hoa: Place) -> None:
    dues = await hoa.hoa.dues("10.00")
    run = await hoa.ok(START, {"assessment_type_id": dues["id"], "due_date": "2026-05-01", "amount": "12.50"})
    await hoa.run_done(run["id"])
    listed = await hoa.ok("accounting/posting/v1/list", {"association_id": hoa.hoa.association_id,
                                                         "assessment_type_id": dues["id"]})  # fmt: skip
    assert [r["id"] for r in listed["items"]] == [run["id"]]
    assert listed["items"][0]["amount_charged"] == "87.50"
    assert listed["items"][0]["batches"] >= 1


async def test_start_refuses_fines_and_unknown_types(hoa: Place) -> None:
    fine = await hoa.ok("accounting/assessment/v1/createType", {
        "association_id": hoa.hoa.association_id, "name": f"Fine {suffix()}", "kind": "FINE",
        "frequency": "ONE_TIME", "amount": "50.00",
    })  # fmt: skip
    await hoa.fails(START, {"assessment_type_id": fine["id"], "due_date": "2026-03-01"}, 422,
                    reason="NOT_A_PERIODIC_ASSESSMENT")  # fmt: skip
    await hoa.fails(START, {"assessment_type_id": str(uuid.uuid4()), "due_date": "2026-03-01"}, 404, "NOT_FOUND")
    await hoa.fails(START, {"assessment_type_id": fine["id"], "due_date": "someday"}, 400, "VALIDATION_FAILED")


async def test_owners_and_tenants_neither_start_nor_see_runs(shared_client: httpx.AsyncClient, hoa: Place) -> None:
    dues = await hoa.hoa.dues("20.00")
    run = await hoa.ok(START, {"assessment_type_id": dues["id"], "due_date": "2026-06-01"})
    await hoa.run_done(run["id"])
    tenant = await member_account(shared_client, hoa.hoa.admin, hoa.org, ["TENANT"])
    for who in (hoa.owner, tenant):
        await hoa.fails("accounting/posting/v1/get", {"id": run["id"]}, 404, "NOT_FOUND", who=who)
        listed = await hoa.ok("accounting/posting/v1/list", {"association_id": hoa.hoa.association_id}, who)
        assert listed["items"] == []
    # The owner may see the type (their charges name it) but may not start a run of it.
    await hoa.fails(START, {"assessment_type_id": dues["id"], "due_date": "2026-07-01"}, 403, "FORBIDDEN",
                    who=hoa.owner)  # fmt: skip
    manager = await member_account(shared_client, hoa.hoa.admin, hoa.org, ["MANAGER"])
    assert (await hoa.ok("accounting/posting/v1/get", {"id": run["id"]}, manager))["id"] == run["id"]


async def test_another_organizations_run_answers_like_a_random_id(shared_client: httpx.AsyncClient, hoa: Place) -> None:
    dues = await hoa.hoa.dues("30.00")
    run = await hoa.ok(START, {"assessment_type_id": dues["id"], "due_date": "2026-08-01"})
    outsider = await account(shared_client)
    other_org = (await organization(shared_client, outsider, f"Other {suffix()}"))["id"]
    theirs = await fails(shared_client, outsider, other_org, "accounting/posting/v1/get", {"id": run["id"]}, 404)
    random = await fails(
        shared_client, outsider, other_org, "accounting/posting/v1/get", {"id": str(uuid.uuid4())}, 404
    )
    assert theirs["code"] == random["code"] == "NOT_FOUND"
    await fails(shared_client, outsider, other_org, START,
                {"assessment_type_id": dues["id"], "due_date": "2026-09-01"}, 404, "NOT_FOUND")  # fmt: skip
