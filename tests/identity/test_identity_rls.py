"""Row-level security of identity's tables and the append-only audit trail, as the app role."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hestami.core import runtime
from tests.support.accounts import account, member_account, organization


async def rows(sql: str, *, org: uuid.UUID | None, user: uuid.UUID | None, **params: object) -> list[tuple]:
    async with runtime.current().database.transaction(organization_id=org, user_id=user) as session:
        return [tuple(r) for r in (await session.execute(text(sql), params)).all()]


async def test_other_tenants_users_organizations_and_memberships_are_invisible(client: httpx.AsyncClient) -> None:
    alice, bob = await account(client), await account(client)
    org_a = uuid.UUID((await organization(client, alice, "Alpha HOA"))["id"])
    org_b = uuid.UUID((await organization(client, bob, "Beta HOA"))["id"])

    assert await rows("SELECT id FROM organizations", org=org_a, user=alice.user_id) == [(org_a,)]
    assert await rows("SELECT id FROM users WHERE id = :b", org=org_a, user=alice.user_id, b=bob.user_id) == []
    assert (
        await rows("SELECT id FROM memberships WHERE organization_id = :b", org=org_a, user=alice.user_id, b=org_b)
        == []
    )
    # claiming org B's scope without being its member still shows none of B's people
    assert await rows("SELECT id FROM users WHERE id = :b", org=None, user=alice.user_id, b=bob.user_id) == []
    # without any scope nothing is visible
    assert await rows("SELECT id FROM organizations", org=None, user=None) == []
    assert await rows("SELECT id FROM users", org=None, user=None) == []


async def test_members_of_the_current_org_see_each_other(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = (await organization(client, admin, "Gamma HOA"))["id"]
    tenant = await member_account(client, admin, org, ["TENANT"])
    visible = await rows("SELECT email FROM users ORDER BY email", org=uuid.UUID(org), user=tenant.user_id)
    assert sorted(visible) == sorted([(admin.email,), (tenant.email,)])


async def test_an_org_cannot_write_into_another(client: httpx.AsyncClient) -> None:
    alice, bob = await account(client), await account(client)
    org_a = uuid.UUID((await organization(client, alice, "Delta HOA"))["id"])
    org_b = uuid.UUID((await organization(client, bob, "Epsilon HOA"))["id"])
    with pytest.raises(DBAPIError) as refused:
        await rows(
            "INSERT INTO memberships (id, organization_id, user_id, roles, status) "
            "VALUES (gen_random_uuid(), :b, :u, ARRAY['ADMIN'], 'ACTIVE')",
            org=org_a, user=alice.user_id, b=org_b, u=alice.user_id,
        )  # fmt: skip
    assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]
    renamed = await rows(
        "UPDATE organizations SET name = 'pwned' WHERE id = :b RETURNING id", org=org_a, user=alice.user_id, b=org_b
    )
    assert renamed == []


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"])
async def test_audit_events_cannot_be_altered_by_the_app_role(client: httpx.AsyncClient, statement: str) -> None:
    user = await account(client)
    with pytest.raises(DBAPIError) as refused:
        await rows(statement, org=None, user=user.user_id)
    assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]
    assert await rows("SELECT count(*) FROM audit_events", org=None, user=user.user_id) == [(2,)]
