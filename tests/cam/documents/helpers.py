"""Set-up for domain 10's HTTP tests: multipart uploads, waiting for extraction, fetching a signed link."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import httpx

from hestami.cam.documents.content.pdfgen import text_pdf
from tests.support.accounts import Account, rpc

PETS = [
    "Section 4. Pets. Residents may keep up to two household pets per unit. Dogs must be leashed in all common "
    "areas and owners must remove pet waste immediately.",
    "Section 5. Parking. Vehicles may not be parked on the grass or in fire lanes.",
]


def pdf(title: str, paragraphs: Sequence[str] = PETS) -> bytes:
    return text_pdf(title, paragraphs)


async def send(
    client: httpx.AsyncClient,
    who: Account,
    org: str,
    body: dict[str, Any],
    content: bytes | None,
    *,
    file_name: str = "document.pdf",
    key: str | None = None,
) -> httpx.Response:
    files = {"file": (file_name, content, "application/octet-stream")} if content is not None else None
    data = {"input": json.dumps(body)}
    if files is None:  # still multipart: only the input part
        files = {"input": (None, data.pop("input"), "application/json")}  # type: ignore[dict-item]
    return await client.post(rpc("document/v1/upload"), headers=who.headers(org, key), data=data, files=files)


async def upload(
    client: httpx.AsyncClient, who: Account, org: str, body: dict[str, Any], content: bytes, **options: Any
) -> dict[str, Any]:
    response = await send(client, who, org, body, content, **options)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def refused(
    client: httpx.AsyncClient, who: Account, org: str, body: dict[str, Any], content: bytes | None, status: int,
    code: str, reason: str | None = None, **options: Any,
) -> dict[str, Any]:  # fmt: skip
    response = await send(client, who, org, body, content, **options)
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, response.text
    if reason is not None:
        assert error["details"]["reason"] == reason, response.text
    return error


async def extracted(client: httpx.AsyncClient, who: Account, org: str, document_id: str, seconds: float = 30) -> dict:
    """The current version once its extraction has finished (DONE, FAILED or NOT_APPLICABLE)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        response = await client.post(rpc("document/v1/getVersions"), json={"id": document_id}, headers=who.headers(org))
        current = next(v for v in response.json()["data"]["items"] if v["is_current"])
        if current["extraction_status"] != "PENDING":
            return current
        assert asyncio.get_running_loop().time() < deadline, f"extraction of {document_id} did not finish"
        await asyncio.sleep(0.2)


async def fetch(client: httpx.AsyncClient, url: str) -> httpx.Response:
    """A signed link: relative ones are this API's (local disk), absolute ones the object store's (S3)."""
    if url.startswith("/"):
        return await client.get(url)
    async with httpx.AsyncClient() as outside:
        return await outside.get(url)
