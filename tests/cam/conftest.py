"""Fixtures every CAM domain's tests share."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI


@pytest.fixture(scope="module")
async def shared_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A module-scoped HTTP client, so one set-up of organizations and accounts (an argon2 hash each) serves every
    test of a module."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
