"""Health reports Postgres, Redis, Cerbos and DBOS, and says 503 when one of them is down."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import rpc


async def test_get_health_reports_each_dependency(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["status"] == "ok"
    for dependency in ("postgres", "redis", "cerbos", "dbos"):
        assert data[dependency]["ok"] is True, dependency


async def test_health_procedure(client: httpx.AsyncClient) -> None:
    response = await client.post(rpc("system/v1/health"), json={})
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "ok"


async def test_a_dependency_down_is_503_with_the_report(
    client: httpx.AsyncClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = httpx.AsyncClient(base_url="http://127.0.0.1:9", timeout=0.5)
    monkeypatch.setattr(app.state.runtime, "cerbos_http", dead)
    try:
        for response in (await client.get("/api/health"), await client.post(rpc("system/v1/health"), json={})):
            assert response.status_code == 503
            error = response.json()["error"]
            assert error["code"] == "SERVICE_UNAVAILABLE"
            assert error["retryable"] is True
            assert error["details"]["cerbos"]["ok"] is False
            assert error["details"]["postgres"]["ok"] is True
    finally:
        await dead.aclose()
