"""Announcements through HTTP: drafts, publishing now and later, expiry, withdrawal, validation; who sees what
(managers everything, the board every published one, owners and tenants the current ones for owners of their own
association); the bulletin's order; read tracking; and telling the audience once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from hestami.cam.communications import api as communications
from hestami.core import runtime
from hestami.core.acting import acting
from tests.cam.bulletin.helpers import ANNOUNCEMENT, Community, community, moment, outbound
from tests.support.rpc import ids

CREATE, GET, LIST, UPDATE = (f"{ANNOUNCEMENT}/{name}" for name in ("create", "get", "list", "update"))
PUBLISH, WITHDRAW, READ, READERS = (f"{ANNOUNCEMENT}/{name}" for name in ("publish", "withdraw", "markRead", "readers"))


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Notices")


async def sees(hoa: Community, announcement_id: str, *people: Any) -> list[bool]:
    """Whether each of `people` gets the announcement (else NOT_FOUND, exactly as for a random id)."""
    seen = []
    for who in people:
        response = await hoa.client.post(
            f"/api/v1/rpc/{GET}", json={"id": announcement_id}, headers=who.headers(hoa.org)
        )
        if response.status_code == 200:
            seen.append(True)
            continue
        assert response.status_code == 404, response.text
        assert response.json()["error"]["code"] == "NOT_FOUND"
        seen.append(False)
    return seen


async def test_a_draft_is_the_managers_alone(hoa: Community) -> None:
    draft = await hoa.announcement(publish=False, category="MAINTENANCE", pinned=True)
    assert (draft["status"], draft["state"], draft["publish_at"], draft["read_count"]) == ("DRAFT", "DRAFT", None, 0)
    assert draft["category"] == "MAINTENANCE"
    assert draft["pinned"] is True
    assert await sees(hoa, draft["id"], hoa.manager, hoa.owners[0], hoa.tenant, hoa.director) == [
        True, False, False, False,
    ]  # fmt: skip
    for who in (hoa.owners[0], hoa.tenant, hoa.director):
        assert draft["id"] not in await hoa.listed(LIST, {}, who)
    assert draft["id"] in await hoa.listed(LIST, {"state": "DRAFT"})
    assert await outbound(hoa.org, draft["id"]) == []


async def test_a_published_announcement_for_owners_shows_to_its_associations_people(hoa: Community) -> None:
    notice = await hoa.announcement()
    assert (notice["status"], notice["state"]) == ("PUBLISHED", "CURRENT")
    assert notice["publish_at"] is not None
    people = (hoa.manager, hoa.owners[0], hoa.tenant, hoa.director, hoa.other_owner)
    assert await sees(hoa, notice["id"], *people) == [True, True, True, True, False]
    as_owner = await hoa.ok(GET, {"id": notice["id"]}, hoa.owners[1])
    assert (as_owner["read_at"], as_owner["read_count"]) == (None, None)  # counts are for managers
    assert notice["id"] in await hoa.listed(LIST, {"association_id": hoa.association_id}, hoa.tenant)
    assert notice["id"] not in await hoa.listed(LIST, {}, hoa.other_owner)


async def test_a_board_announcement_is_for_the_board_and_managers(hoa: Community) -> None:
    notice = await hoa.announcement(audience="BOARD", title="Executive session next week")
    people = (hoa.manager, hoa.director, hoa.owners[0], hoa.tenant)
    assert await sees(hoa, notice["id"], *people) == [True, True, False, False]
    assert notice["id"] in await hoa.listed(LIST, {"audience": "BOARD"}, hoa.director)
    assert notice["id"] not in await hoa.listed(LIST, {}, hoa.owners[0])


async def test_a_scheduled_announcement_shows_from_its_publish_time(hoa: Community) -> None:
    later = await hoa.announcement(publish_at=moment(days=3), expires_at=moment(days=10))
    assert (later["status"], later["state"]) == ("PUBLISHED", "SCHEDULED")
    assert await sees(hoa, later["id"], hoa.manager, hoa.director, hoa.owners[0]) == [True, True, False]
    await hoa.fails(READ, {"id": later["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NOT_PUBLISHED", who=hoa.director)
    await hoa.fails(READ, {"id": later["id"]}, 404, "NOT_FOUND", who=hoa.owners[0])
    assert later["id"] in await hoa.listed(LIST, {"state": "SCHEDULED"})
    # moved to now, it shows
    moved = await hoa.ok(UPDATE, {"id": later["id"], "publish_at": moment(seconds=-1)})
    assert moved["state"] == "CURRENT"
    assert await sees(hoa, later["id"], hoa.owners[0]) == [True]


async def test_an_expired_announcement_leaves_the_owners_view(hoa: Community) -> None:
    notice = await hoa.announcement(publish_at=moment(days=-2), expires_at=moment(days=5))
    assert await sees(hoa, notice["id"], hoa.owners[0]) == [True]
    expired = await hoa.ok(UPDATE, {"id": notice["id"], "expires_at": moment(seconds=-1)})
    assert expired["state"] == "EXPIRED"
    assert await sees(hoa, notice["id"], hoa.manager, hoa.director, hoa.owners[0], hoa.tenant) == [
        True, True, False, False,
    ]  # fmt: skip
    assert notice["id"] not in await hoa.listed(LIST, {}, hoa.owners[0])
    assert notice["id"] in await hoa.listed(LIST, {"state": "EXPIRED"}, hoa.director)
    # withdrawn, it is not published again with its past expiry; with a later one it shows again
    await hoa.ok(WITHDRAW, {"id": notice["id"]})
    error = await hoa.fails(PUBLISH, {"id": notice["id"]}, 422, "BUSINESS_RULE_VIOLATION", "ALREADY_EXPIRED")
    assert error["details"]["expires_at"] == expired["expires_at"].replace("Z", "+00:00")
    await hoa.ok(UPDATE, {"id": notice["id"], "expires_at": moment(days=5)})
    assert (await hoa.ok(PUBLISH, {"id": notice["id"]}))["state"] == "CURRENT"
    assert await sees(hoa, notice["id"], hoa.owners[0]) == [True]


async def test_withdrawing_takes_it_down_and_it_can_be_published_again(hoa: Community) -> None:
    notice = await hoa.announcement()
    withdrawn = await hoa.ok(WITHDRAW, {"id": notice["id"]})
    assert (withdrawn["status"], withdrawn["state"]) == ("WITHDRAWN", "WITHDRAWN")
    assert withdrawn["withdrawn_at"] is not None
    assert await sees(hoa, notice["id"], hoa.manager, hoa.director, hoa.owners[0]) == [True, False, False]
    error = await hoa.fails(WITHDRAW, {"id": notice["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert error["details"]["allowed"] == ["PUBLISHED"]
    edited = await hoa.ok(UPDATE, {"id": notice["id"], "title": "Edited"})
    assert (edited["title"], edited["status"]) == ("Edited", "WITHDRAWN")
    again = await hoa.ok(PUBLISH, {"id": notice["id"]})
    assert (again["state"], again["withdrawn_at"], again["title"]) == ("CURRENT", None, "Edited")
    await hoa.fails(PUBLISH, {"id": notice["id"]}, 409, "INVALID_STATE_TRANSITION")
    discarded = await hoa.ok(WITHDRAW, {"id": (await hoa.announcement(publish=False))["id"]})
    assert discarded["status"] == "WITHDRAWN"


async def test_inputs_are_validated(hoa: Community) -> None:
    base = {"association_id": hoa.association_id, "title": "Dates", "body": "Text"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({**base, "publish_at": moment(days=2), "expires_at": moment(days=1)}, ""),
        ({**base, "expires_at": "2030-01-01T00:00:00"}, "/expires_at"),  # no offset
        ({**base, "publish_at": "2150-01-01T00:00:00Z"}, "/publish_at"),
        ({**base, "category": "GOSSIP"}, "/category"),
        ({**base, "audience": "EVERYONE"}, "/audience"),
        ({**base, "title": "   "}, "/title"),
        ({**base, "body": ""}, "/body"),
        ({**base, "colour": "red"}, "/colour"),
    ]
    for body, field in cases:
        error = await hoa.fails(CREATE, body, 400, "VALIDATION_FAILED")
        assert any(e["field"].startswith(field) for e in error["field_errors"]), (body, error)
    draft = await hoa.announcement(publish=False, publish_at=moment(days=2))
    await hoa.fails(
        UPDATE,
        {"id": draft["id"], "expires_at": moment(days=1)},
        422,
        "BUSINESS_RULE_VIOLATION",
        "EXPIRES_BEFORE_PUBLISH",
    )
    await hoa.fails(PUBLISH, {"id": draft["id"], "publish_at": moment(days=400 * 365)}, 400, "VALIDATION_FAILED")
    published = await hoa.announcement()
    await hoa.fails(UPDATE, {"id": published["id"], "publish_at": None}, 422, reason="NOT_EDITABLE")
    unchanged = await hoa.ok(GET, {"id": draft["id"]})
    assert (unchanged["status"], unchanged["expires_at"]) == ("DRAFT", None)


async def test_only_managers_write_the_bulletin(hoa: Community) -> None:
    body = {"association_id": hoa.association_id, "title": "Mine", "body": "Text", "publish": True}
    for who in (hoa.owners[0], hoa.tenant, hoa.director):
        await hoa.fails(CREATE, body, 403, "FORBIDDEN", who=who)
    notice = await hoa.announcement()
    for who in (hoa.owners[0], hoa.director):
        await hoa.fails(UPDATE, {"id": notice["id"], "title": "Mine"}, 403, "FORBIDDEN", who=who)
        await hoa.fails(WITHDRAW, {"id": notice["id"]}, 403, "FORBIDDEN", who=who)
        await hoa.fails(READERS, {"id": notice["id"]}, 403, "FORBIDDEN", who=who)
    draft = await hoa.announcement(publish=False)
    await hoa.fails(PUBLISH, {"id": draft["id"]}, 404, "NOT_FOUND", who=hoa.owners[0])  # a draft is out of sight
    await hoa.fails(CREATE, {**body, "association_id": str(uuid.uuid4())}, 404, "NOT_FOUND")


async def test_the_bulletin_lists_pinned_first_then_newest(shared_client: httpx.AsyncClient) -> None:
    hoa = await community(shared_client, "Order")
    old = await hoa.announcement(title="Old", publish_at=moment(days=-3))
    pinned_old = await hoa.announcement(title="Pinned old", pinned=True, publish_at=moment(days=-5))
    new = await hoa.announcement(title="New", publish_at=moment(days=-1))
    pinned_new = await hoa.announcement(title="Pinned new", pinned=True, publish_at=moment(days=-2))
    await hoa.announcement(title="Draft", publish=False)
    await hoa.announcement(title="Later", publish_at=moment(days=2))
    expected = [pinned_new["id"], pinned_old["id"], new["id"], old["id"]]
    page = await hoa.ok(LIST, {"association_id": hoa.association_id}, hoa.owners[0])
    assert ids(page) == expected
    first = await hoa.ok(LIST, {"association_id": hoa.association_id, "limit": 3}, hoa.owners[0])
    rest = await hoa.ok(LIST, {"association_id": hoa.association_id, "limit": 3, "cursor": first["next_cursor"]},
                        hoa.owners[0])  # fmt: skip
    assert ids(first) + ids(rest) == expected
    assert rest["next_cursor"] is None
    managers = await hoa.ok(LIST, {"association_id": hoa.association_id})
    assert len(managers["items"]) == 6
    assert all(item["read_count"] == 0 for item in managers["items"])
    current = await hoa.ok(LIST, {"association_id": hoa.association_id, "state": "CURRENT", "pinned": True})
    assert ids(current) == [pinned_new["id"], pinned_old["id"]]


async def test_reading_is_recorded_once_per_person(hoa: Community) -> None:
    notice = await hoa.announcement()
    first = await hoa.ok(READ, {"id": notice["id"]}, hoa.owners[0])
    again = await hoa.ok(READ, {"id": notice["id"]}, hoa.owners[0])
    assert first == again == {"announcement_id": notice["id"], "read_at": first["read_at"]}
    await hoa.ok(READ, {"id": notice["id"]}, hoa.tenant)
    await hoa.ok(READ, {"id": notice["id"]}, hoa.director)
    seen = await hoa.ok(GET, {"id": notice["id"]}, hoa.owners[0])
    assert seen["read_at"] == first["read_at"]
    listed = await hoa.ok(LIST, {"association_id": hoa.association_id}, hoa.owners[0])
    assert next(item for item in listed["items"] if item["id"] == notice["id"])["read_at"] == first["read_at"]
    unread = await hoa.ok(GET, {"id": notice["id"]}, hoa.owners[1])
    assert unread["read_at"] is None
    assert (await hoa.ok(GET, {"id": notice["id"]}))["read_count"] == 3
    readers = await hoa.ok(READERS, {"id": notice["id"]})
    assert readers["read_count"] == 3
    assert [r["user_id"] for r in readers["items"]] == [
        str(hoa.owners[0].user_id), str(hoa.tenant.user_id), str(hoa.director.user_id),
    ]  # fmt: skip
    assert readers["items"][0] == {"user_id": str(hoa.owners[0].user_id), "email": hoa.owners[0].email,
                                   "read_at": first["read_at"]}  # fmt: skip
    paged = await hoa.ok(READERS, {"id": notice["id"], "limit": 2})
    assert len(paged["items"]) == 2
    assert paged["next_cursor"] is not None
    # a draft is not read, and someone who does not see it finds nothing to read
    draft = await hoa.announcement(publish=False)
    await hoa.fails(READ, {"id": draft["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NOT_PUBLISHED")
    await hoa.fails(READ, {"id": notice["id"]}, 404, "NOT_FOUND", who=hoa.other_owner)


async def test_publishing_tells_each_owner_once(hoa: Community) -> None:
    notice = await hoa.announcement(publish=False, category="GENERAL")
    assert await outbound(hoa.org, notice["id"]) == []
    published = await hoa.ok(PUBLISH, {"id": notice["id"]})
    assert published["notified_at"] is not None
    sent = await outbound(hoa.org, notice["id"])
    owners = sorted(str(owner.user_id) for owner in hoa.owners)
    assert sorted(m["user_id"] for m in sent) == owners  # owner 0 owns two units: one message
    assert {(m["template"], m["channel"]) for m in sent} == {("announcement.published", "PORTAL")}
    assert {m["dedupe_key"] for m in sent} == {f"announcement:{notice['id']}:published:{u}" for u in owners}
    assert sent[0]["payload"]["title"] == notice["title"]
    await hoa.ok(UPDATE, {"id": notice["id"], "title": "Corrected", "pinned": True})
    await hoa.ok(WITHDRAW, {"id": notice["id"]})
    await hoa.ok(PUBLISH, {"id": notice["id"]})
    assert len(await outbound(hoa.org, notice["id"])) == len(owners)


async def test_a_board_announcement_tells_the_directors(hoa: Community) -> None:
    notice = await hoa.announcement(audience="BOARD")
    assert [m["user_id"] for m in await outbound(hoa.org, notice["id"])] == [str(hoa.director.user_id)]


async def test_a_scheduled_announcement_tells_its_audience_when_it_shows(hoa: Community) -> None:
    notice = await hoa.announcement(publish_at=moment(seconds=2))
    assert notice["state"] == "SCHEDULED"
    assert await outbound(hoa.org, notice["id"]) == []
    deadline = asyncio.get_running_loop().time() + 30
    while not (sent := await outbound(hoa.org, notice["id"])):
        assert asyncio.get_running_loop().time() < deadline, "the audience was never told"
        await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)
    sent = await outbound(hoa.org, notice["id"])
    assert sorted(m["user_id"] for m in sent) == sorted(str(owner.user_id) for owner in hoa.owners)
    shown = await hoa.ok(GET, {"id": notice["id"]}, hoa.owners[2])
    assert shown["state"] == "CURRENT"
    assert (await hoa.ok(GET, {"id": notice["id"]}))["notified_at"] is not None


async def test_a_withdrawn_scheduled_announcement_tells_nobody(hoa: Community) -> None:
    notice = await hoa.announcement(publish_at=moment(seconds=1))
    await hoa.ok(WITHDRAW, {"id": notice["id"]})
    await asyncio.sleep(3)
    assert await outbound(hoa.org, notice["id"]) == []
    assert (await hoa.ok(GET, {"id": notice["id"]}))["notified_at"] is None


async def test_owners_who_opted_out_of_a_category_are_not_told_unless_it_is_official(hoa: Community) -> None:
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(hoa.org)) as ctx:
        await communications.set_preferences(
            ctx, uuid.UUID(hoa.parties[1]), email=True, sms=True, mail=True,
            opted_out_categories=["NEWSLETTER", "EVENT"],
        )  # fmt: skip
    newsletter = await hoa.announcement(category="NEWSLETTER")
    told = {m["user_id"] for m in await outbound(hoa.org, newsletter["id"])}
    assert told == {str(hoa.owners[0].user_id), str(hoa.owners[2].user_id)}
    emergency = await hoa.announcement(category="EMERGENCY")  # an official notice: nobody opts out of it
    told = {m["user_id"] for m in await outbound(hoa.org, emergency["id"])}
    assert told == {str(owner.user_id) for owner in hoa.owners}
