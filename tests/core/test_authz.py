"""core.authz against the real Cerbos server: single checks and query plans turned into SQL filters."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core import runtime
from hestami.core.acting import scoped_context
from hestami.core.authz import Resource, authorize, query_filter
from hestami.core.context import Principal, RequestContext
from hestami.core.errors import HestamiError
from hestami.identity.models import Membership
from tests.support.accounts import Account, account, member_account, organization


def context(session: AsyncSession, user: Account, org: uuid.UUID, roles: set[str], slug: str) -> RequestContext:
    return scoped_context(
        session, procedure="test", principal=Principal(user_id=user.user_id, session_id="s"), organization_id=org,
        organization_slug=slug, roles=frozenset(roles), authorizer=runtime.current().authorizer,
    )  # fmt: skip


async def visible_memberships(user: Account, org: uuid.UUID, roles: set[str], slug: str) -> set[uuid.UUID | None]:
    table = Membership.__table__
    async with runtime.current().database.transaction(organization_id=org, user_id=user.user_id) as session:
        ctx = context(session, user, org, roles, slug)
        where = await query_filter(
            ctx, "view", "membership", table, {"organization_id": table.c.organization_id, "user_id": table.c.user_id}
        )
        return set((await session.execute(select(table.c.user_id).where(where))).scalars())


async def test_query_plan_filters_rows_by_role(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = await organization(client, admin, "Plan HOA")
    org_id = uuid.UUID(org["id"])
    tenant = await member_account(client, admin, org["id"], ["TENANT"])
    manager = await member_account(client, admin, org["id"], ["MANAGER"])

    everyone = {admin.user_id, tenant.user_id, manager.user_id}
    assert await visible_memberships(manager, org_id, {"MANAGER"}, org["slug"]) == everyone
    assert await visible_memberships(tenant, org_id, {"TENANT"}, org["slug"]) == {tenant.user_id}
    assert await visible_memberships(tenant, org_id, set(), org["slug"]) == {tenant.user_id}


async def test_authorize_allows_and_forbids(client: httpx.AsyncClient) -> None:
    admin = await account(client)
    org = await organization(client, admin, "Check HOA")
    org_id = uuid.UUID(org["id"])
    resource = Resource("organization", org["id"], {"organization_id": org["id"]})
    async with runtime.current().database.transaction(organization_id=org_id, user_id=admin.user_id) as session:
        await authorize(context(session, admin, org_id, {"ADMIN"}, org["slug"]), "update", resource)
        with pytest.raises(HestamiError) as denied:
            await authorize(context(session, admin, org_id, {"TENANT"}, org["slug"]), "update", resource)
        other_org = Resource("organization", str(uuid.uuid4()), {"organization_id": str(uuid.uuid4())})
        with pytest.raises(HestamiError):
            await authorize(context(session, admin, org_id, {"ADMIN"}, org["slug"]), "view", other_org)
    assert denied.value.code == "FORBIDDEN"
