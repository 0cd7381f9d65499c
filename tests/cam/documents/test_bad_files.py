"""Files the upload refuses, each with its own reason, and with nothing left behind: after every refusal the
organization has exactly the documents and versions it had before. Also a replayed upload (same Idempotency-Key)
and a key reused with another file."""

from __future__ import annotations

import io
import json
import os
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from PIL import Image

from tests.cam.documents.helpers import pdf, refused, send, upload
from tests.support.accounts import Account, account, organization, rpc
from tests.support.rpc import ok, suffix


@dataclass
class Little:
    manager: Account
    org: str
    association: dict[str, Any]
    rules: dict[str, Any]  # a RULES document (PDF) to add versions to


@pytest.fixture(scope="module")
async def little(shared_client: httpx.AsyncClient) -> Little:
    c = shared_client
    manager = await account(c)
    org = (await organization(c, manager, f"Bad files HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Birch {suffix()}"})
    scope = {"type": "ASSOCIATION", "association_id": association["id"]}
    body = {"title": "House rules", "category": "RULES", "visibility": "OWNERS", "scope": scope}
    rules = await upload(c, manager, org, body, pdf("House rules"))
    return Little(manager, org, association, rules)


def new(w: Little, category: str = "RULES", title: str = "A document") -> dict[str, Any]:
    scope = {"type": "ASSOCIATION", "association_id": w.association["id"]}
    return {"title": title, "category": category, "visibility": "MANAGERS", "scope": scope}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def eicar() -> bytes:
    """The 68-byte EICAR test string, built here from pieces so this file carries no signature itself."""
    parts = [b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$", b"EICAR-STAND", b"ARD-ANTIVIRUS-TE", b"ST-FILE!$H+H*"]
    data = b"".join(parts)
    assert len(data) == 68
    return data


async def counts(c: httpx.AsyncClient, w: Little) -> tuple[int, int]:
    """(documents, versions) of the organization, archived included."""
    page = await ok(c, w.manager, w.org, "document/v1/list", {"status": None, "limit": 200})
    versions = 0
    for item in page["items"]:
        history = await ok(c, w.manager, w.org, "document/v1/getVersions", {"id": item["id"]})
        versions += len(history["items"])
    return len(page["items"]), versions


@pytest.fixture
async def unchanged(shared_client: httpx.AsyncClient, little: Little) -> Any:
    """Asserts, after the test, that the organization's documents and versions are what they were before."""
    before = await counts(shared_client, little)
    assert before[0] >= 1
    assert before[1] >= 1
    yield
    assert await counts(shared_client, little) == before


def field_codes(error: dict[str, Any]) -> dict[str, str]:
    return {f["field"]: f["code"] for f in error["field_errors"]}


async def test_an_empty_file(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    await refused(shared_client, w.manager, w.org, new(w), b"", 422, "BUSINESS_RULE_VIOLATION", "EMPTY_FILE")


async def test_random_binary(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    noise = b"\x00\x01\xfe\xff" + os.urandom(4096)
    await refused(
        shared_client, w.manager, w.org, new(w, "OTHER"), noise, 422, "BUSINESS_RULE_VIOLATION", "UNKNOWN_FILE_TYPE",
        file_name="report.pdf",
    )  # fmt: skip


async def test_a_picture_as_bylaws(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    error = await refused(
        shared_client, w.manager, w.org, new(w, "BYLAWS"), png(), 422, "BUSINESS_RULE_VIOLATION",
        "WRONG_TYPE_FOR_CATEGORY", file_name="bylaws.pdf",
    )  # fmt: skip
    assert error["details"]["content_type"] == "image/png"
    assert "application/pdf" in error["details"]["accepted"]
    assert "image/png" not in error["details"]["accepted"]


async def test_a_truncated_pdf(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    broken = b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + os.urandom(512)
    error = await refused(
        shared_client, w.manager, w.org, new(w, "RULES"), broken, 422, "BUSINESS_RULE_VIOLATION", "UNREADABLE_FILE"
    )
    assert error["details"]["content_type"] == "application/pdf"
    text = json.dumps(error)
    assert "/tmp" not in text  # noqa: S108 (no server path in the answer)
    assert "upload-" not in text  # nor the staged file's name


async def test_the_eicar_test_file(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    error = await refused(
        shared_client, w.manager, w.org, new(w, "OTHER"), eicar(), 422, "BUSINESS_RULE_VIOLATION", "INFECTED_FILE",
        file_name="eicar.txt",
    )  # fmt: skip
    assert error["details"]["signature"] == "EICAR-Test-File"


async def test_a_file_over_the_limit(
    shared_client: httpx.AsyncClient, little: Little, unchanged: None, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = little
    monkeypatch.setattr(app.state.runtime.settings, "document_max_bytes", 1000)
    content = pdf("Long rules", ["Section. " + "Words and more words. " * 200])
    assert len(content) > 1000
    error = await refused(shared_client, w.manager, w.org, new(w), content, 400, "VALIDATION_FAILED")
    assert field_codes(error) == {"file": "file_too_large"}
    assert error["details"]["max_bytes"] == 1000


async def test_no_file_part(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    error = await refused(shared_client, w.manager, w.org, new(w), None, 400, "VALIDATION_FAILED")
    assert "file" in field_codes(error)


async def test_a_json_body(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    response = await shared_client.post(rpc("document/v1/upload"), json=new(w), headers=w.manager.headers(w.org))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert "multipart_expected" in field_codes(error).values()


async def test_an_unknown_part(shared_client: httpx.AsyncClient, little: Little, unchanged: None) -> None:
    w = little
    parts: dict[str, Any] = {
        "input": (None, json.dumps(new(w)), "application/json"),
        "file": ("rules.pdf", pdf("Rules"), "application/pdf"),
        "extra": ("x.bin", b"surprise", "application/octet-stream"),
    }
    response = await shared_client.post(rpc("document/v1/upload"), files=parts, headers=w.manager.headers(w.org))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    assert field_codes(error) == {"extra": "multipart_unknown_part"}


async def test_input_missing_title_and_category(
    shared_client: httpx.AsyncClient, little: Little, unchanged: None
) -> None:
    w = little
    body = new(w)
    del body["title"], body["category"]
    error = await refused(shared_client, w.manager, w.org, body, pdf("Untitled"), 400, "VALIDATION_FAILED")
    assert error["field_errors"], error
    messages = " ".join(f["message"] for f in error["field_errors"])
    assert "title" in messages
    assert "category" in messages


async def test_a_picture_as_a_new_version_of_rules(
    shared_client: httpx.AsyncClient, little: Little, unchanged: None
) -> None:
    w = little
    error = await refused(
        shared_client, w.manager, w.org, {"document_id": w.rules["id"]}, png(), 422, "BUSINESS_RULE_VIOLATION",
        "WRONG_TYPE_FOR_CATEGORY", file_name="rules-v2.pdf",
    )  # fmt: skip
    assert "application/pdf" in error["details"]["accepted"]
    document = await ok(shared_client, w.manager, w.org, "document/v1/get", {"id": w.rules["id"]})
    assert document["current_version_number"] == 1
    assert document["current_version"]["content_type"] == "application/pdf"


async def test_a_replay_returns_the_first_answer(shared_client: httpx.AsyncClient, little: Little) -> None:
    c, w = shared_client, little
    before = await counts(c, w)
    key = secrets.token_hex(8)
    body, content = new(w, title=f"Replayed {suffix()}"), pdf("Replayed")
    first = await send(c, w.manager, w.org, body, content, key=key)
    assert first.status_code == 200, first.text
    again = await send(c, w.manager, w.org, body, content, key=key)
    assert again.status_code == 200, again.text
    assert again.json()["meta"]["idempotent_replay"] is True
    assert again.json()["data"]["id"] == first.json()["data"]["id"]
    assert await counts(c, w) == (before[0] + 1, before[1] + 1)

    other = await send(c, w.manager, w.org, body, pdf("Another file"), key=key)
    assert other.status_code == 422, other.text
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await counts(c, w) == (before[0] + 1, before[1] + 1)
