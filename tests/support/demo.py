"""The demo data in tests: a demo login's account and organizations (by slug), after the seeders a test runs.

Tests that need the demo's own organizations (their slugs carry tenant-scoped Cerbos policies) use these rather than
making organizations of the same slug: there is one Sunset Ridge per database, and seeders are idempotent."""

from __future__ import annotations

import httpx

from hestami.identity.demo import DEMO_PASSWORD, email_of
from tests.support.accounts import Account, login


async def demo_login(client: httpx.AsyncClient, who: str) -> tuple[Account, dict[str, str]]:
    """The demo login `who` (admin, manager, board, owner, vendor) and its organizations' ids by slug."""
    response = await login(client, email_of(who), DEMO_PASSWORD)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    account = Account(email_of(who), DEMO_PASSWORD, data["token"], data["user"]["id"])
    return account, {o["slug"]: o["id"] for o in data["organizations"]}
