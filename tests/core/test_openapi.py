"""The OpenAPI 3.1 document: every procedure, its headers, its envelopes, and refs that resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from hestami import cli


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in all_refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in all_refs(value)]
    return []


async def test_document_describes_each_procedure(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    create = document["paths"]["/api/v1/rpc/testNote/v1/create"]["post"]
    assert create["operationId"] == "testNote.v1.create"
    assert create["summary"] == "Create a note (test only)."
    headers = {p["name"]: p["required"] for p in create["parameters"]}
    assert headers["X-Org-Id"] is True
    assert headers["Idempotency-Key"] is True
    assert create["security"] == [{"bearerAuth": []}]
    assert {"200", "400", "401", "403", "404", "409", "422", "500"} <= set(create["responses"])

    echo = document["paths"]["/api/v1/rpc/testPublic/v1/echo"]["post"]
    assert {p["name"] for p in echo["parameters"]} == {"X-Request-Id", "Accept-Language"}
    assert echo["security"] == []
    assert "401" not in echo["responses"]
    assert "get" in document["paths"]["/api/health"]


async def test_envelopes_are_schemas_and_every_ref_resolves(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()
    schemas = document["components"]["schemas"]
    assert schemas["ErrorEnvelope"]["properties"]["ok"]["const"] is False
    success = resolve(
        document,
        document["paths"]["/api/v1/rpc/testNote/v1/create"]["post"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["$ref"],
    )
    assert set(success["properties"]) == {"ok", "data", "meta"}
    for ref in all_refs(document):
        assert resolve(document, ref) is not None, ref


async def test_docs_page_is_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in response.text


def test_openapi_command_writes_the_document(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    cli.main(["openapi", "-o", str(target)])
    document = json.loads(target.read_text())
    assert document["paths"]["/api/v1/rpc/system/v1/health"]["post"]["operationId"] == "system.v1.health"
