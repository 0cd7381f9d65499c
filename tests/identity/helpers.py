"""Email verification in tests: the tokens the outbox recorded for an account, and using one."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from hestami.core import runtime
from tests.support.accounts import rpc

TOKENS = """
SELECT payload->>'token' FROM outbound_messages
WHERE recipient_user_id = :user AND template = 'account.verify_email' ORDER BY created_at, id
"""


async def verification_tokens(user_id: uuid.UUID) -> list[str]:
    """The tokens of the account's verification messages, oldest first (read as the account itself)."""
    async with runtime.current().database.transaction(organization_id=None, user_id=user_id) as session:
        return [row[0] for row in (await session.execute(text(TOKENS), {"user": user_id})).all()]


async def latest_token(user_id: uuid.UUID) -> str:
    tokens = await verification_tokens(user_id)
    assert tokens, "no verification message was recorded"
    return tokens[-1]


async def verify(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """`auth/v1/verifyEmail`, anonymous."""
    return await client.post(rpc("auth/v1/verifyEmail"), json={"token": token})


async def verified(client: httpx.AsyncClient, user_id: uuid.UUID) -> dict:
    """Verifies the account with its latest token; the answer's data."""
    response = await verify(client, await latest_token(user_id))
    assert response.status_code == 200, response.text
    data: dict = response.json()["data"]
    return data
