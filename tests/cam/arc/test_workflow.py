"""`arcReviewLifecycle_v1` with the application in process and an ARC day of 0.1 s: a request still undecided when
its review deadline passes is deemed approved (once, the requester told once), a withdrawal before the deadline
stops the clock, an approval whose work has not started expires while a reported start keeps it (and ends the
workflow), changes requested stop the clock until the resubmission, and without deemed approval the clock does
nothing."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from dbos import DBOS
from sqlalchemy import text

from hestami.cam.arc import lifecycle
from hestami.core import runtime
from tests.cam.association.helpers import linked_member, own
from tests.cam.work_order.helpers import ADDRESS
from tests.support.accounts import Account, account, organization
from tests.support.rpc import SAMPLE_PDF, fails, ok, suffix


@dataclass
class Hoa:
    manager: Account  # ADMIN of the organization
    org: str
    association: dict
    unit: dict
    owner: Account  # owns `unit`


async def hoa(c: httpx.AsyncClient, **settings: Any) -> Hoa:
    manager = await account(c)
    org = (await organization(c, manager, f"ARC HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Aspen {suffix()}"})
    body = {"association_id": association["id"], "name": "Aspen Row", "address": ADDRESS}
    prop = await ok(c, manager, org, "property/v1/create", body)
    unit_body = {"property_id": prop["id"], "unit_number": "7", "unit_type": "SINGLE_FAMILY"}
    unit = await ok(c, manager, org, "unit/v1/create", unit_body)
    owner, party = await linked_member(c, manager, org, ["OWNER"], "Fen", "Cedar")
    await own(c, manager, org, unit["id"], party["id"])
    if settings:
        await ok(c, manager, org, "arc/settings/v1/update", {"association_id": association["id"], **settings})
    return Hoa(manager, org, association, unit, owner)


async def submitted(c: httpx.AsyncClient, h: Hoa) -> dict:
    """A fence request of the owner's, with a plan, submitted by the owner."""
    body = {
        "association_id": h.association["id"], "unit_id": h.unit["id"], "category": "FENCE",
        "description": "A 6 ft cedar fence along the back line",
    }  # fmt: skip
    created = await ok(c, h.owner, h.org, "arc/request/v1/create", body)
    plan = {"id": created["id"], "kind": "PLAN", "file_name": "fence.pdf"}
    plan["content_base64"] = base64.b64encode(SAMPLE_PDF).decode()
    await ok(c, h.owner, h.org, "arc/request/v1/addDocument", plan)
    done = await ok(c, h.owner, h.org, "arc/request/v1/submit", {"id": created["id"]})
    assert done["status"] == "SUBMITTED"
    return done


async def get(c: httpx.AsyncClient, h: Hoa, request_id: str) -> dict:
    return await ok(c, h.owner, h.org, "arc/request/v1/get", {"id": request_id})


async def wait_for_status(c: httpx.AsyncClient, h: Hoa, request_id: str, status: str, seconds: float = 15) -> dict:
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await get(c, h, request_id)
        if found["status"] == status:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"{request_id} stayed {found['status']}"
        await asyncio.sleep(0.05)


async def workflow_status(request_id: str, seconds: float = 10) -> tuple[str | None, Any]:
    """The lifecycle's DBOS status once it has ended (or whatever it is after `seconds`)."""
    found = None
    for _ in range(int(seconds * 20)):
        found = await DBOS.get_workflow_status_async(lifecycle.workflow_id(request_id))
        if found is not None and found.status in ("SUCCESS", "ERROR"):
            break
        await asyncio.sleep(0.05)
    return (found.status, found.output) if found is not None else (None, None)


async def messages(c: httpx.AsyncClient, who: Account, org: str, request_id: str) -> list[dict]:
    return (await ok(c, who, org, "notification/v1/list", {"entity_id": request_id, "limit": 200}))["items"]


async def outbox(org: str, request_id: str) -> list[Any]:
    database = runtime.current().database
    async with database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        sql = (
            "SELECT template, recipient, recipient_user_id, dedupe_key, payload FROM outbound_messages "
            "WHERE entity_id = :id ORDER BY created_at"
        )
        return list((await session.execute(text(sql), {"id": request_id})).all())


def history(found: dict) -> list[str]:
    return [h["to_status"] for h in found["history"]]


async def test_an_undecided_request_is_deemed_approved_once_when_its_review_period_runs_out(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    h = await hoa(c, deemed_approval_days=2)  # 0.2 s; the approval stays valid 180 days (18 s)
    request = await submitted(c, h)
    rid = request["id"]
    submitted_at = datetime.fromisoformat(request["submitted_at"])
    due = datetime.fromisoformat(request["review_due_at"])
    assert abs((due - submitted_at).total_seconds() - 2 * fast_days) < 0.01
    assert request["deemed"] is False
    assert request["approval_expires_at"] is None

    approved = await wait_for_status(c, h, rid, "APPROVED")
    assert datetime.fromisoformat(approved["decided_at"]) >= due
    assert approved["deemed"] is True
    assert approved["decision"] == "APPROVED"
    assert "deemed" in approved["decision_reasons"].lower()
    assert approved["decided_by"] is None, "the lifecycle decided, not a person"
    assert approved["conditions"] == []
    assert approved["review_due_at"] is None
    expires = datetime.fromisoformat(approved["approval_expires_at"])
    validity = (expires - datetime.fromisoformat(approved["decided_at"])).total_seconds()
    assert abs(validity - lifecycle.DEFAULT_APPROVAL_VALID_DAYS * fast_days) < 0.01
    assert history(approved) == ["DRAFT", "SUBMITTED", "APPROVED"]
    assert approved["history"][-1]["actor_user_id"] is None

    # The workflow goes on, waiting for the approval's expiry; a second turn or two later nothing more happened.
    await asyncio.sleep(0.5)
    found = await DBOS.get_workflow_status_async(lifecycle.workflow_id(rid))
    assert found is not None
    assert found.status == "PENDING"
    again = await get(c, h, rid)
    assert history(again) == ["DRAFT", "SUBMITTED", "APPROVED"]

    # The requester is told once (as they see it, and in the outbox); the managers only heard of the submission.
    mine = await messages(c, h.owner, h.org, rid)
    assert Counter(m["template"] for m in mine) == {"arc.request.submitted": 1, "arc.request.approved": 1}
    told = next(m for m in mine if m["template"] == "arc.request.approved")
    assert told["recipient"] == h.owner.email
    assert told["payload"]["deemed"] is True
    assert told["payload"]["to"] == "APPROVED"
    assert told["payload"]["approval_expires_at"] is not None
    rows = await outbox(h.org, rid)
    approvals = [r for r in rows if r[0] == "arc.request.approved"]
    assert [(r[1], str(r[2])) for r in approvals] == [(h.owner.email, str(h.owner.user_id))]
    assert approvals[0][3].startswith(f"arc_request:{rid}:change:")
    assert Counter(r[0] for r in rows)["arc.request.submitted"] == 2, "the owner and the manager"
    assert len({r[3] for r in rows}) == len(rows)

    # Work starts: the approval no longer expires and the lifecycle ends.
    started = await ok(
        c, h.owner, h.org, "arc/request/v1/recordStart", {"id": rid, "work_started_on": date.today().isoformat()}
    )
    assert started["status"] == "APPROVED"
    assert await workflow_status(rid) == ("SUCCESS", "APPROVED")


async def test_a_withdrawal_before_the_deadline_stops_the_clock(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    h = await hoa(c, deemed_approval_days=4)  # 0.4 s
    rid = (await submitted(c, h))["id"]
    withdrawn = await ok(c, h.owner, h.org, "arc/request/v1/withdraw", {"id": rid})
    assert withdrawn["status"] == "WITHDRAWN"
    assert withdrawn["review_due_at"] is None
    assert await workflow_status(rid) == ("SUCCESS", "WITHDRAWN")
    await asyncio.sleep(3 * 4 * fast_days)  # three review periods
    found = await get(c, h, rid)
    assert found["status"] == "WITHDRAWN"
    assert (found["deemed"], found["decided_at"], found["approval_expires_at"]) == (False, None, None)
    assert history(found) == ["DRAFT", "SUBMITTED", "WITHDRAWN"]
    templates = Counter(r[0] for r in await outbox(h.org, rid))
    assert "arc.request.approved" not in templates
    assert templates["arc.request.withdrawn"] == 1
    await fails(c, h.owner, h.org, "arc/request/v1/submit", {"id": rid}, 409, code="INVALID_STATE_TRANSITION")


async def test_an_approval_whose_work_does_not_start_expires(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    h = await hoa(c, deemed_approval_days=1, approval_valid_days=1)  # deemed after 0.1 s, expired 0.1 s later
    rid = (await submitted(c, h))["id"]
    expired = await wait_for_status(c, h, rid, "EXPIRED")
    assert history(expired) == ["DRAFT", "SUBMITTED", "APPROVED", "EXPIRED"]
    assert expired["deemed"] is True, "the approval it expired was deemed"
    assert expired["work_started_on"] is None
    assert await workflow_status(rid) == ("SUCCESS", "EXPIRED")
    mine = await messages(c, h.owner, h.org, rid)
    assert Counter(m["template"] for m in mine) == {
        "arc.request.submitted": 1, "arc.request.approved": 1, "arc.request.expired": 1
    }  # fmt: skip
    body = {"id": rid, "work_started_on": date.today().isoformat()}
    await fails(c, h.owner, h.org, "arc/request/v1/recordStart", body, 422, reason="NOT_APPROVED")
    await fails(c, h.owner, h.org, "arc/request/v1/withdraw", {"id": rid}, 409, code="INVALID_STATE_TRANSITION")


async def test_work_started_before_the_expiry_keeps_the_approval_and_ends_the_workflow(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    h = await hoa(c, deemed_approval_days=1, approval_valid_days=10)  # deemed after 0.1 s, valid 1 s
    rid = (await submitted(c, h))["id"]
    body = {"id": rid, "work_started_on": date.today().isoformat()}
    approved = await wait_for_status(c, h, rid, "APPROVED")
    assert datetime.fromisoformat(approved["approval_expires_at"]) > datetime.now(UTC), "still valid"
    started = await ok(c, h.owner, h.org, "arc/request/v1/recordStart", body)
    assert started["work_started_on"] == body["work_started_on"]
    assert await workflow_status(rid) == ("SUCCESS", "APPROVED")
    await asyncio.sleep(10 * fast_days + 0.3)  # past the expiry
    found = await get(c, h, rid)
    assert found["status"] == "APPROVED"
    assert history(found) == ["DRAFT", "SUBMITTED", "APPROVED"]
    assert "arc.request.expired" not in {r[0] for r in await outbox(h.org, rid)}


async def test_without_deemed_approval_the_clock_does_nothing(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    h = await hoa(c)  # no settings: deemed approval off
    assert (await ok(c, h.manager, h.org, "arc/settings/v1/get", {"association_id": h.association["id"]}))[
        "deemed_approval_days"
    ] is None
    request = await submitted(c, h)
    rid = request["id"]
    assert request["review_due_at"] is None
    await asyncio.sleep(1.3)  # a poll (1 s) and more: the lifecycle turned at least twice
    found = await get(c, h, rid)
    assert found["status"] == "SUBMITTED"
    assert history(found) == ["DRAFT", "SUBMITTED"]
    status = await DBOS.get_workflow_status_async(lifecycle.workflow_id(rid))
    assert status is not None
    assert status.status == "PENDING"
    assert {r[0] for r in await outbox(h.org, rid)} == {"arc.request.submitted"}
    body = {"id": rid, "work_started_on": date.today().isoformat()}
    await fails(c, h.owner, h.org, "arc/request/v1/recordStart", body, 422, reason="NOT_APPROVED")
    await ok(c, h.owner, h.org, "arc/request/v1/withdraw", {"id": rid})
    assert await workflow_status(rid) == ("SUCCESS", "WITHDRAWN")


async def test_deemed_approval_turned_off_after_submission_keeps_the_deadline_given(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    """`arc/settings/v1/update`: requests already submitted keep the deadline they were given."""
    c = shared_client
    h = await hoa(c, deemed_approval_days=3)
    rid = (await submitted(c, h))["id"]
    body = {"association_id": h.association["id"], "deemed_approval_days": None}
    assert (await ok(c, h.manager, h.org, "arc/settings/v1/update", body))["deemed_approval_days"] is None
    approved = await wait_for_status(c, h, rid, "APPROVED")
    assert approved["deemed"] is True
    await ok(c, h.owner, h.org, "arc/request/v1/recordStart", {"id": rid, "work_started_on": date.today().isoformat()})
    assert await workflow_status(rid) == ("SUCCESS", "APPROVED")


async def test_changes_requested_stop_the_clock_until_the_resubmission(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    days = 15  # 1.5 s: the review steps below fit inside it on a loaded machine
    h = await hoa(c, deemed_approval_days=days)
    committee_body = {"association_id": h.association["id"], "name": f"ARC {suffix()}", "quorum": 1}
    committee = await ok(c, h.manager, h.org, "arc/committee/v1/create", committee_body)
    reviewer = h.manager
    seat = {"committee_id": committee["id"], "user_id": str(reviewer.user_id)}
    await ok(c, h.manager, h.org, "arc/committee/v1/addMember", seat)
    rid = (await submitted(c, h))["id"]
    assign = {"request_id": rid, "committee_id": committee["id"]}
    assert (await ok(c, h.manager, h.org, "arc/review/v1/assignCommittee", assign))["status"] == "UNDER_REVIEW"
    review = {"request_id": rid, "action": "REQUEST_CHANGES", "comments": "Show the gate"}
    await ok(c, reviewer, h.org, "arc/review/v1/submitReview", review)
    decided = await ok(c, reviewer, h.org, "arc/review/v1/recordDecision", {"request_id": rid, "reasons": "A gate?"})
    assert decided["status"] == "CHANGES_REQUESTED"
    await asyncio.sleep(3 * days * fast_days)  # three review periods: no deemed approval
    found = await get(c, h, rid)
    assert found["status"] == "CHANGES_REQUESTED"
    assert found["deemed"] is False
    status = await DBOS.get_workflow_status_async(lifecycle.workflow_id(rid))
    assert status is not None
    assert status.status == "PENDING"

    # The resubmission (with a revised plan) starts a new round and a new deadline: deemed approved after it.
    plan = await ok(c, h.owner, h.org, "arc/request/v1/listDocuments", {"id": rid})
    revised = {
        "id": rid, "document_id": plan["items"][0]["document_id"], "file_name": "fence-with-gate.pdf",
        "content_base64": base64.b64encode(SAMPLE_PDF + b"\n% gate\n").decode(),
    }  # fmt: skip
    await ok(c, h.owner, h.org, "arc/request/v1/addDocument", revised)
    again = await ok(c, h.owner, h.org, "arc/request/v1/submit", {"id": rid})
    assert again["status"] == "UNDER_REVIEW", "back to the committee that asked"
    assert again["round"] == 2
    resubmitted_at = datetime.fromisoformat(again["submitted_at"])
    assert (
        abs((datetime.fromisoformat(again["review_due_at"]) - resubmitted_at).total_seconds() - days * fast_days) < 0.01
    )
    approved = await wait_for_status(c, h, rid, "APPROVED")
    assert approved["deemed"] is True
    assert datetime.fromisoformat(approved["decided_at"]) >= resubmitted_at
    assert history(approved) == [
        "DRAFT", "SUBMITTED", "UNDER_REVIEW", "CHANGES_REQUESTED", "SUBMITTED", "UNDER_REVIEW", "APPROVED"
    ]  # fmt: skip
    await ok(c, h.owner, h.org, "arc/request/v1/recordStart", {"id": rid, "work_started_on": date.today().isoformat()})
    assert await workflow_status(rid) == ("SUCCESS", "APPROVED")
