"""The demo seeder makes its logins members the way a person becomes one: invited, then accepting as themselves."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from hestami.core import runtime
from hestami.core.context import Principal
from hestami.core.outbox import RecordingSender
from hestami.identity import demo
from tests.support.accounts import account, login, organization


async def test_a_demo_member_is_invited_and_accepts_as_itself_once(client: httpx.AsyncClient) -> None:
    admin, person = await account(client), await account(client)
    org = await organization(client, admin, "Demo-like HOA")
    spec = demo.DemoOrganization(org["slug"], org["name"], "COMMUNITY_ASSOCIATION", {})
    seeder = Principal(user_id=admin.user_id, session_id="seed-demo", email=admin.email)
    for _ in range(2):  # the seeder is idempotent: a second run neither invites nor joins again
        await demo._ensure_member(
            runtime.current(), seeder, spec, uuid.UUID(org["id"]), person.email, person.user_id, ["OWNER"],
            RecordingSender(),
        )  # fmt: skip
    orgs = {o["id"]: o for o in (await login(client, person.email)).json()["data"]["organizations"]}
    assert orgs[org["id"]]["roles"] == ["OWNER"]
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org["id"]), user_id=None) as session:
        roles = await demo.roles_in(session, person.user_id, uuid.UUID(org["id"]))
        events = await session.execute(text("SELECT action, actor_user_id FROM audit_events ORDER BY created_at"))
        trail = [(action, actor) for action, actor in events.all() if action.startswith("membership.invit")]
    assert roles == frozenset({"OWNER"})
    assert trail == [("membership.invited", admin.user_id), ("membership.invitation_accepted", person.user_id)]
