"""Another organization's records answer exactly like ids that do not exist, in every portal procedure that names
one: its requests, its parties, its associations, units and common areas."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.cam.portal.helpers import Portal, attachment, portal
from tests.support.rpc import post


@pytest.fixture(scope="module")
async def two(shared_client: httpx.AsyncClient) -> tuple[Portal, Portal]:
    return await portal(shared_client, "Home"), await portal(shared_client, "Away")


def blank(error: dict[str, Any], record_id: str) -> str:
    return str(error).replace(record_id, "<id>")


async def same_answer(p: Portal, path: str, body_of: Any, theirs: str, who: Any = None) -> None:
    answers = []
    for record_id in (theirs, str(uuid.uuid4())):
        response = await post(p.client, who or p.manager, p.org, path, body_of(record_id))
        payload = response.json()
        assert response.status_code == 404, f"{path}: {response.text}"
        assert payload["error"]["code"] == "NOT_FOUND"
        answers.append(blank(payload["error"], record_id))
    assert answers[0] == answers[1], f"{path}: {answers}"


async def test_another_organizations_request_is_not_found(two: tuple[Portal, Portal]) -> None:
    home, away = two
    theirs = (await away.ask(attachments=[attachment()]))["id"]
    for path, body in (
        ("portal/request/v1/get", lambda i: {"id": i}),
        ("portal/request/v1/cancel", lambda i: {"id": i}),
        ("portal/request/v1/updateStatus", lambda i: {"id": i, "status": "IN_REVIEW"}),
        ("portal/request/v1/convertToWorkOrder", lambda i: {"id": i}),
        ("portal/request/v1/addComment", lambda i: {"id": i, "body": "Hello"}),
        ("portal/request/v1/addAttachment", lambda i: {"id": i, **attachment()}),
        ("portal/request/v1/downloadAttachment", lambda i: {"id": i, "attachment_id": str(uuid.uuid4())}),
    ):
        await same_answer(home, path, body, theirs)
        await same_answer(home, path, body, theirs, home.owner.account)
    listed = await home.ok("portal/request/v1/list", {"limit": 200})
    assert theirs not in [r["id"] for r in listed["items"]]
    # untouched
    assert (await away.ok("portal/request/v1/get", {"id": theirs}))["status"] == "SUBMITTED"


async def test_another_organizations_references_are_not_found_on_create(two: tuple[Portal, Portal]) -> None:
    home, away = two
    base = {"association_id": home.association_id, "category": "OTHER", "subject": "Hi", "description": "Hello",
            "unit_id": home.owner.unit_id}  # fmt: skip
    for field, theirs in (
        ("association_id", away.association_id),
        ("unit_id", away.owner.unit_id),
        ("common_area_id", away.gate_id),
        ("party_id", away.owner.party_id),
    ):
        await same_answer(home, "portal/request/v1/create", lambda i, f=field: {**base, f: i}, theirs)
        await same_answer(home, "portal/request/v1/create", lambda i, f=field: {**base, f: i}, theirs,
                          home.owner.account)  # fmt: skip


async def test_another_organizations_party_is_not_found_in_the_profile(two: tuple[Portal, Portal]) -> None:
    home, away = two
    theirs = away.owner.party_id
    prefs = {"email": True, "sms": True, "mail": True, "opted_out_categories": []}
    for path, body in (
        ("portal/profile/v1/update", lambda i: {"party_id": i, "phone": "1"}),
        ("portal/profile/v1/getPreferences", lambda i: {"party_id": i}),
        ("portal/profile/v1/updatePreferences", lambda i: {"party_id": i, **prefs}),
    ):
        await same_answer(home, path, body, theirs, home.owner.account)
    # the profile lists this organization's parties only
    me = await home.ok("portal/profile/v1/get", {}, home.owner.account)
    assert [party["id"] for party in me["parties"]] == [home.owner.party_id]
