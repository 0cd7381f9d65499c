"""Who reaches estimates and proposals. Another contractor's estimate, option or proposal id is NOT_FOUND on every
procedure that takes one (never FORBIDDEN; lists show none), exactly like a random id, and changes nothing. Within
the contractor: dispatchers and VENDOR members draft and read but do not send; a technician reads only the estimates
of the jobs they work. Row-level security as shipped: the addressee HOA's organization reads the estimate once it
is sent and the proposals addressed to it, and writes none of the contractor's rows; a stranger reads nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.estimate.helpers import Hoa, Shop, hoa, shop
from tests.contractor.job.helpers import working

pytestmark = pytest.mark.usefixtures("unthrottled")


@dataclass
class World:
    home: Shop
    draft: dict[str, Any]
    sent: dict[str, Any]  # an HOA bid's estimate, sent
    proposal: dict[str, Any]
    association: Hoa
    stranger: Shop


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    home = await shop(shared_client, "Home Roofing")
    association = await hoa(shared_client, home)
    draft = await home.estimate()
    _, bid = await association.bid_request(home.org)
    made = await home.ok("estimate/v1/generate", {"bid_id": bid["id"], "options": [home.option("Good", "GOOD")]})
    sent = await home.ok("estimate/v1/send", {"id": made["id"]})
    listed = await association.ok("estimate/v1/listProposals", {})
    proposal = next(p for p in listed["items"] if p["estimate_id"] == sent["id"])
    stranger = await shop(shared_client, "Stranger Roofing")
    return World(home, draft, sent, proposal, association, stranger)


def calls(e: str, o: str, p: str) -> list[tuple[str, dict[str, Any]]]:
    """Every procedure that takes an estimate, option or proposal id, with an otherwise valid body."""
    return [
        ("estimate/v1/get", {"id": e}),
        ("estimate/v1/history", {"id": e}),
        ("estimate/v1/update", {"id": e, "title": "Changed"}),
        ("estimate/v1/proposeOptions", {"estimate_id": e, "name": "More", "items": [{"code": "FLASH-KIT",
                                                                                  "quantity": "1"}]}),
        ("estimate/v1/replaceOption", {"estimate_id": e, "option_id": o, "name": "Again",
                                       "items": [{"code": "FLASH-KIT", "quantity": "1"}]}),
        ("estimate/v1/removeOption", {"estimate_id": e, "option_id": o}),
        ("estimate/v1/send", {"id": e}),
        ("estimate/v1/approve", {"id": e}),
        ("estimate/v1/recordAcceptance", {"id": e, "option_id": o, "accepted_by_name": "X"}),
        ("estimate/v1/recordDecline", {"id": e, "declined_by_name": "X"}),
        ("estimate/v1/void", {"id": e}),
        ("estimate/v1/getProposal", {"id": p}),
        ("estimate/v1/acceptOption", {"proposal_id": p, "option_id": o}),
        ("estimate/v1/decline", {"proposal_id": p}),
    ]  # fmt: skip


async def test_another_contractors_ids_are_not_found_like_random_ones(world: World) -> None:
    w = world
    theirs = calls(w.draft["id"], w.draft["options"][0]["id"], w.proposal["id"])
    random = calls(*(str(uuid.uuid4()) for _ in range(3)))
    for (path, body), (_, nobody) in zip(theirs, random, strict=True):
        await w.stranger.fails(path, body, 404, "NOT_FOUND")
        await w.stranger.fails(path, nobody, 404, "NOT_FOUND")
    listed = await w.stranger.ok("estimate/v1/list", {})
    assert listed["items"] == []
    unchanged = await w.home.ok("estimate/v1/get", {"id": w.draft["id"]})
    assert unchanged["version"] == w.draft["version"]
    assert unchanged["status"] == "DRAFT"


async def test_roles_within_the_contractor(world: World) -> None:
    w = world
    for role in ("DISPATCHER", "VENDOR"):
        who = w.home.members[role]
        assert (await w.home.ok("estimate/v1/get", {"id": w.draft["id"]}, who=who))["id"] == w.draft["id"]
        await w.home.fails("estimate/v1/send", {"id": w.draft["id"]}, 403, "FORBIDDEN", who=who)
    technician = w.home.members["TECHNICIAN"]
    await w.home.fails("estimate/v1/get", {"id": w.draft["id"]}, 404, "NOT_FOUND", who=technician)
    job = await w.home.ok("job/v1/create", {"title": "Roof", "trade": "ROOFING"})
    made = await w.home.estimate(job_id=job["id"])
    await w.home.fails("estimate/v1/get", {"id": made["id"]}, 404, "NOT_FOUND", who=technician)
    async with working({job["id"]: [technician.user_id]}):
        seen = await w.home.ok("estimate/v1/get", {"id": made["id"]}, who=technician)
        assert seen["id"] == made["id"]
        await w.home.fails("estimate/v1/update", {"id": made["id"], "notes": "x"}, 403, "FORBIDDEN", who=technician)


async def _rows(org: str, sql: str, **params: Any) -> list[Any]:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        return list((await session.execute(text(sql), params)).all())


async def test_row_level_security_as_shipped(world: World) -> None:
    w = world
    ids = {"draft": w.draft["id"], "sent": w.sent["id"]}
    seen = "SELECT id::text FROM estimates WHERE id IN (:draft, :sent)"
    assert {r[0] for r in await _rows(w.home.org, seen, **ids)} == set(ids.values())
    assert [r[0] for r in await _rows(w.association.org, seen, **ids)] == [w.sent["id"]]
    assert await _rows(w.stranger.org, seen, **ids) == []
    for table in ("estimate_options", "estimate_lines", "estimate_status_history"):
        sql = f"SELECT 1 FROM {table} WHERE estimate_id = :sent"
        assert await _rows(w.association.org, sql, sent=w.sent["id"]) == []
        assert await _rows(w.home.org, sql, sent=w.sent["id"]) != []
    proposals = "SELECT id::text FROM estimate_proposals WHERE estimate_id = :sent"
    assert [r[0] for r in await _rows(w.association.org, proposals, sent=w.sent["id"])] == [w.proposal["id"]]
    assert await _rows(w.stranger.org, proposals, sent=w.sent["id"]) == []
    update = "UPDATE estimates SET title = 'Hijacked' WHERE id = :sent RETURNING id"
    assert await _rows(w.association.org, update, sent=w.sent["id"]) == []
    assert (await w.home.ok("estimate/v1/get", {"id": w.sent["id"]}))["title"] != "Hijacked"
