"""Set-up for domain 5's HTTP tests: an association with a unit and its owner, a review committee of three members
(quorum 2, threshold 50.01 %), a board member and an owner of the organization who sits on no committee; and the
files and calls the review tests repeat."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import httpx

from hestami.cam.documents.content.pdfgen import text_pdf
from tests.cam.association.helpers import linked_member, own
from tests.support.accounts import Account, account, member_account, organization
from tests.support.governance import seat_on_board
from tests.support.rpc import ok, suffix

ADDRESS = {"line1": "21 Juniper Way", "city": "Austin", "state": "TX", "postal_code": "78702"}


@dataclass
class Community:
    manager: Account  # ADMIN of the organization
    org: str
    association: dict
    unit: dict
    owner: Account  # owns `unit`, a party linked to the account
    members: list[Account]  # the committee's three members (OWNERs of the organization; no unit)
    committee: dict  # quorum 2, threshold 50.01
    board: Account  # BOARD_MEMBER of the organization: views requests, does not review
    outsider: Account  # an OWNER of the organization on no committee and owning no unit


async def community(c: httpx.AsyncClient) -> Community:
    manager = await account(c)
    org = (await organization(c, manager, f"Review HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Junipers {suffix()}"})
    body = {"association_id": association["id"], "name": "Juniper Court", "address": ADDRESS}
    prop = await ok(c, manager, org, "property/v1/create", body)
    unit_body = {"property_id": prop["id"], "unit_number": "21", "unit_type": "SINGLE_FAMILY"}
    unit = await ok(c, manager, org, "unit/v1/create", unit_body)
    owner, party = await linked_member(c, manager, org, ["OWNER"], "Paige", "Plans")
    await own(c, manager, org, unit["id"], party["id"])
    members = [await member_account(c, manager, org, ["OWNER"]) for _ in range(3)]
    committee = await ok(
        c, manager, org, "arc/committee/v1/create",
        {"association_id": association["id"], "name": "Architectural Review", "quorum": 2,
         "approval_threshold": "50.01"},
    )  # fmt: skip
    for i, member in enumerate(members):
        role = "CHAIR" if i == 0 else "MEMBER"
        body = {"committee_id": committee["id"], "user_id": str(member.user_id), "role": role}
        committee = await ok(c, manager, org, "arc/committee/v1/addMember", body)
    board = await member_account(c, manager, org, ["BOARD_MEMBER"])
    await seat_on_board(c, manager, org, association["id"], board)
    outsider = await member_account(c, manager, org, ["OWNER"])
    return Community(manager, org, association, unit, owner, members, committee, board, outsider)


def plan_pdf(*lines: str) -> str:
    """A real PDF, base64-encoded for `addDocument`."""
    return base64.b64encode(text_pdf("Fence plan", list(lines) or ["A 6 ft cedar fence."])).decode()


async def draft(c: httpx.AsyncClient, w: Community, title: str = "Cedar fence") -> dict:
    body = {
        "association_id": w.association["id"], "unit_id": w.unit["id"], "category": "FENCE", "title": title,
        "description": "Replace the back fence with a 6 ft cedar fence, stained natural.",
    }  # fmt: skip
    return await ok(c, w.owner, w.org, "arc/request/v1/create", body)


async def add_plan(
    c: httpx.AsyncClient, w: Community, request_id: str, *lines: str, document_id: str | None = None
) -> dict:
    body: dict = {"id": request_id, "kind": "PLAN", "file_name": "fence-plan.pdf", "content_base64": plan_pdf(*lines)}
    if document_id is not None:
        body["document_id"] = document_id
    return await ok(c, w.owner, w.org, "arc/request/v1/addDocument", body)


async def under_review(c: httpx.AsyncClient, w: Community, title: str = "Cedar fence") -> dict:
    """The owner's request with a plan, submitted and assigned to the committee."""
    request = await draft(c, w, title)
    await add_plan(c, w, request["id"])
    await ok(c, w.owner, w.org, "arc/request/v1/submit", {"id": request["id"]})
    body = {"request_id": request["id"], "committee_id": w.committee["id"]}
    return await ok(c, w.manager, w.org, "arc/review/v1/assignCommittee", body)


async def vote(c: httpx.AsyncClient, w: Community, who: Account, request_id: str, action: str) -> dict:
    body = {"request_id": request_id, "action": action, "comments": f"{action.title()}."}
    return await ok(c, who, w.org, "arc/review/v1/submitReview", body)
