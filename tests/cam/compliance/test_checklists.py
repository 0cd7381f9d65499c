"""Checklists over HTTP: items in order with assignees who are members, completed one by one with evidence; the
checklist is COMPLETED once every item is done and changes no more afterwards."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest

from tests.cam.compliance.helpers import Compliance, compliance, today
from tests.support.accounts import account
from tests.support.rpc import all_ids


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Compliance:
    return await compliance(shared_client, "Checklists")


async def annual_meeting(hoa: Compliance, **fields: object) -> dict:
    body = {
        "association_id": hoa.association_id, "title": "Annual meeting", "due_on": "2027-04-01",
        "items": [
            {"title": "Send the notice", "due_on": "2027-03-15", "assignee_user_id": str(hoa.manager.user_id)},
            {"title": "Sign the minutes", "assignee_user_id": str(hoa.board.user_id)},
        ],
        **fields,
    }  # fmt: skip
    return await hoa.ok("compliance/checklist/v1/create", body)  # type: ignore[no-any-return]


async def test_completing_every_item_completes_the_checklist(hoa: Compliance) -> None:
    made = await hoa.requirement()
    (deadline, *_) = await hoa.deadlines(made["id"], date(today().year + 1, 12, 31))
    checklist = await annual_meeting(hoa, deadline_id=deadline["id"], description="Notice, ballots, minutes")
    assert (checklist["status"], checklist["deadline_id"]) == ("OPEN", deadline["id"])
    first, second = checklist["items"]
    assert [first["position"], second["position"]] == [1, 2]
    assert (first["title"], first["due_on"]) == ("Send the notice", "2027-03-15")
    assert second["assignee_user_id"] == str(hoa.board.user_id)

    notice = await hoa.document()
    body = {"id": checklist["id"], "item_id": first["id"], "evidence_document_id": notice, "notes": "Mailed"}
    after = await hoa.ok("compliance/checklist/v1/completeItem", body)
    assert after["status"] == "OPEN"
    done = after["items"][0]
    assert (done["evidence_document_id"], done["notes"], done["completed_by"]) == (
        notice, "Mailed", str(hoa.manager.user_id),
    )  # fmt: skip
    await hoa.fails("compliance/checklist/v1/completeItem", body, 422, "BUSINESS_RULE_VIOLATION", "ITEM_COMPLETED")

    added = await hoa.ok("compliance/checklist/v1/addItem", {"id": checklist["id"], "title": "Count the ballots"})
    third = added["items"][2]
    assert (third["position"], third["title"], third["completed_at"]) == (3, "Count the ballots", None)

    # The board signs the minutes (and counts the ballots): the last item done completes the checklist.
    for item in (second, third):
        last = await hoa.ok(
            "compliance/checklist/v1/completeItem", {"id": checklist["id"], "item_id": item["id"]}, hoa.board
        )
    assert last["status"] == "COMPLETED"
    assert all(i["completed_at"] for i in last["items"])
    got = await hoa.ok("compliance/checklist/v1/get", {"id": checklist["id"]})
    assert got["status"] == "COMPLETED"
    assert len(got["items"]) == 3
    for path, change in (
        ("compliance/checklist/v1/addItem", {"id": checklist["id"], "title": "One more"}),
        ("compliance/checklist/v1/completeItem", {"id": checklist["id"], "item_id": first["id"]}),
    ):
        await hoa.fails(path, change, 422, "BUSINESS_RULE_VIOLATION", "CHECKLIST_COMPLETED")
    listed = await hoa.ok("compliance/checklist/v1/list", {"deadline_id": deadline["id"], "status": "COMPLETED"})
    assert [c["id"] for c in listed["items"]] == [checklist["id"]]
    assert listed["items"][0]["items"] is None  # lists leave the items to `get`


async def test_an_assignee_must_be_a_member(hoa: Compliance) -> None:
    outsider = await account(hoa.client)
    for who in (str(outsider.user_id), str(uuid.uuid4())):
        body = {
            "association_id": hoa.association_id,
            "title": "Budget",
            "items": [{"title": "Draft", "assignee_user_id": who}],
        }
        await hoa.fails("compliance/checklist/v1/create", body, 404, "NOT_FOUND")
        checklist = await hoa.ok("compliance/checklist/v1/create", {"association_id": hoa.association_id, "title": "X"})
        add = {"id": checklist["id"], "title": "Draft", "assignee_user_id": who}
        await hoa.fails("compliance/checklist/v1/addItem", add, 404, "NOT_FOUND")


async def test_references_of_another_association_or_checklist_are_refused(hoa: Compliance) -> None:
    other = await hoa.association()
    made = await hoa.requirement(association_id=other)
    await hoa.ok("compliance/deadline/v1/generate", {"association_id": other, "through": f"{today().year + 1}-12-31"})
    theirs = (await hoa.ok("compliance/deadline/v1/list", {"requirement_id": made["id"]}))["items"][0]
    body = {"association_id": hoa.association_id, "title": "Filing", "deadline_id": theirs["id"]}
    await hoa.fails("compliance/checklist/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")

    mine, another = await annual_meeting(hoa), await annual_meeting(hoa)
    item = {"id": mine["id"], "item_id": another["items"][0]["id"]}
    await hoa.fails("compliance/checklist/v1/completeItem", item, 404, "NOT_FOUND")
    evidence = await hoa.document(other)
    body = {"id": mine["id"], "item_id": mine["items"][0]["id"], "evidence_document_id": evidence}
    await hoa.fails("compliance/checklist/v1/completeItem", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    assert (await hoa.ok("compliance/checklist/v1/get", {"id": mine["id"]}))["items"][0]["completed_at"] is None


async def test_the_board_reads_and_completes_items_but_keeps_no_checklists(hoa: Compliance) -> None:
    checklist = await annual_meeting(hoa)
    listed = await all_ids(hoa.client, hoa.board, hoa.org, "compliance/checklist/v1/list")
    assert checklist["id"] in listed
    body = {"association_id": hoa.association_id, "title": "By the board"}
    await hoa.fails("compliance/checklist/v1/create", body, 403, "FORBIDDEN", who=hoa.board)
    add = {"id": checklist["id"], "title": "By the board"}
    await hoa.fails("compliance/checklist/v1/addItem", add, 403, "FORBIDDEN", who=hoa.board)
