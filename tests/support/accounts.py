"""Real accounts through the API: register, log in, create organizations, add members."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

import httpx

PASSWORD = "correct horse battery"


def rpc(path: str) -> str:
    return f"/api/v1/rpc/{path}"


@dataclass
class Account:
    email: str
    password: str
    token: str
    user_id: uuid.UUID

    def headers(self, org: uuid.UUID | str | None = None, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if org is not None:
            headers["X-Org-Id"] = str(org)
        headers["Idempotency-Key"] = key or secrets.token_hex(8)
        return headers


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{secrets.token_hex(5)}@example.com"


async def register(client: httpx.AsyncClient, email: str | None = None, password: str = PASSWORD) -> str:
    email = email or unique_email()
    response = await client.post(
        rpc("auth/v1/register"), json={"email": email, "password": password, "name": "T. User"}
    )
    assert response.status_code == 200, response.text
    return email


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(rpc("auth/v1/login"), json={"email": email, "password": password})


async def account(client: httpx.AsyncClient, email: str | None = None) -> Account:
    email = await register(client, email)
    response = await login(client, email)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return Account(email=email, password=PASSWORD, token=data["token"], user_id=uuid.UUID(data["user"]["id"]))


async def organization(
    client: httpx.AsyncClient,
    admin: Account,
    name: str = "Test Org",
    org_type: str = "COMMUNITY_ASSOCIATION",
    **extra: str,
) -> dict:
    response = await client.post(
        rpc("organization/v1/create"), json={"name": name, "type": org_type, **extra}, headers=admin.headers()
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["organization"]


async def add_member(
    client: httpx.AsyncClient, admin: Account, org: str, email: str, roles: list[str]
) -> httpx.Response:
    return await client.post(
        rpc("organization/v1/addMember"), json={"email": email, "roles": roles}, headers=admin.headers(org)
    )


async def accept_invitation(client: httpx.AsyncClient, invitee: Account, invitation_id: str) -> httpx.Response:
    return await client.post(
        rpc("organization/v1/acceptInvitation"), json={"invitation_id": invitation_id}, headers=invitee.headers()
    )


async def join(client: httpx.AsyncClient, admin: Account, org: str, person: Account, roles: list[str]) -> None:
    """`admin` invites `person` to `org` with `roles`, and `person` accepts (the invitation's id is the member id
    `addMember` answers)."""
    invited = await add_member(client, admin, org, person.email, roles)
    assert invited.status_code == 200, invited.text
    accepted = await accept_invitation(client, person, invited.json()["data"]["member"]["id"])
    assert accepted.status_code == 200, accepted.text


async def member_account(client: httpx.AsyncClient, admin: Account, org: str, roles: list[str]) -> Account:
    """A new account that is a member of `org` with `roles` (invited by `admin`, accepted)."""
    member = await account(client)
    await join(client, admin, org, member, roles)
    return member
