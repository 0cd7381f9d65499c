"""Evidence: added inline or from an uploaded document, listed and downloaded by managers and the unit's owner,
never released once its stored bytes no longer match the SHA-256 recorded when it was taken."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import UTC, datetime

import httpx
from PIL import Image

from hestami.core import runtime
from tests.cam.violations.helpers import community
from tests.support.rpc import fails, ok


def png(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (seed % 256, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


async def test_evidence_added_listed_downloaded_and_tampering_refused(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    w = await community(c)
    body = w.sighting("Cans at the curb")
    v = await ok(c, w.manager, w.org, "violation/v1/create", body)
    content = png(datetime.now(UTC).microsecond)
    added = await ok(
        c, w.manager, w.org, "violation/v1/addEvidence",
        {"id": v["id"], "file_name": "curb.png", "content_base64": base64.b64encode(content).decode(),
         "captured_at": datetime.now(UTC).isoformat(), "latitude": "30.267153", "longitude": "-97.743057"},
    )  # fmt: skip
    assert added["kind"] == "PHOTO"
    assert added["purpose"] == "EVIDENCE"
    assert added["sha256"] == hashlib.sha256(content).hexdigest()
    assert added["size_bytes"] == len(content)

    await fails(
        c, w.manager, w.org, "violation/v1/addEvidence",
        {"id": v["id"], "file_name": "x.png", "content_base64": "not base64!!"}, 400, "VALIDATION_FAILED",
    )  # fmt: skip
    await fails(
        c, w.manager, w.org, "violation/v1/addEvidence",
        {"id": v["id"], "file_name": "x.png", "content_base64": "aGk=", "document_id": added["document_id"]},
        400, "VALIDATION_FAILED",
    )  # fmt: skip
    await fails(
        c, w.manager, w.org, "violation/v1/addEvidence",
        {"id": v["id"], "document_id": "01a22707-dd6c-7531-bc8b-e048ee812746"}, 404, "NOT_FOUND",
    )  # fmt: skip
    # the owner may read but not add
    await fails(
        c, w.owner, w.org, "violation/v1/addEvidence",
        {"id": v["id"], "file_name": "x.png", "content_base64": base64.b64encode(content).decode()}, 403,
    )  # fmt: skip

    listed = await ok(c, w.owner, w.org, "violation/v1/listEvidence", {"id": v["id"]})
    assert [e["id"] for e in listed["items"]] == [added["id"]]
    link = await ok(c, w.owner, w.org, "violation/v1/downloadEvidence", {"id": v["id"], "evidence_id": added["id"]})
    assert link["sha256"] == added["sha256"]
    assert link["url"]

    files = runtime.current().files
    stored = files.root / f"{w.org}/{added['sha256'][:2]}/{added['sha256']}"  # type: ignore[attr-defined]
    assert stored.exists()
    stored.write_bytes(content + b"edited")
    await fails(
        c, w.manager, w.org, "violation/v1/downloadEvidence", {"id": v["id"], "evidence_id": added["id"]}, 422,
        "BUSINESS_RULE_VIOLATION", "EVIDENCE_TAMPERED",
    )  # fmt: skip
    stored.write_bytes(content)
    await ok(c, w.manager, w.org, "violation/v1/downloadEvidence", {"id": v["id"], "evidence_id": added["id"]})
