"""A job's notes and attachments: notes are internal unless said otherwise and in the order written; attachments are
the contractor's documents filed under the job (scope JOB, no association), listed and downloaded through the job,
refused when too large or not base64, NOT_FOUND under another job; each download is in the access trail."""

from __future__ import annotations

import base64
import io
import os
import uuid

import httpx
import pytest
from PIL import Image

from tests.contractor.job.helpers import Workforce, contractor, new_job
from tests.support.rpc import ids

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Notes")


def photo() -> bytes:
    image = Image.frombytes("RGB", (24, 16), os.urandom(24 * 16 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


def attachment(job_id: str, content: bytes, name: str = "before.jpg") -> dict[str, str]:
    return {"id": job_id, "file_name": name, "content_type": "image/jpeg",
            "content_base64": base64.b64encode(content).decode()}  # fmt: skip


async def test_notes_are_internal_by_default_and_in_order(force: Workforce) -> None:
    job = await new_job(force)
    first = await force.ok("job/v1/addNote", {"job_id": job["id"], "body": "  Bring the long ladder  "})
    second = await force.ok("job/v1/addNote", {"job_id": job["id"], "body": "Arriving at 9", "internal": False})
    assert (first["body"], first["internal"], second["internal"]) == ("Bring the long ladder", True, False)
    assert first["author_user_id"] == str(force.manager.user_id)
    listed = await force.ok("job/v1/listNotes", {"job_id": job["id"]})
    assert ids(listed) == [first["id"], second["id"]]
    await force.fails("job/v1/addNote", {"job_id": job["id"], "body": "   "}, 400, "VALIDATION_FAILED")
    closed = await force.ok("job/v1/cancel", {"id": job["id"], "reason": "Duplicate"})
    assert closed["status"] == "CANCELLED"
    late = await force.ok("job/v1/addNote", {"job_id": job["id"], "body": "Refunded the deposit"})
    assert late["internal"] is True


async def test_attachments_are_documents_of_the_job(force: Workforce) -> None:
    job, other = await new_job(force), await new_job(force)
    content = photo()
    attached = await force.ok("job/v1/addAttachment", attachment(job["id"], content))
    assert (attached["job_id"], attached["content_type"], attached["organization_id"]) == (
        job["id"], "image/jpeg", force.org)  # fmt: skip
    assert attached["size_bytes"] == len(content)
    listed = await force.ok("job/v1/listAttachments", {"id": job["id"]})
    assert ids(listed) == [attached["id"]]
    link = await force.ok("job/v1/downloadAttachment", {"id": job["id"], "attachment_id": attached["id"]})
    assert (await force.client.get(link["url"])).content == content
    await force.fails("job/v1/downloadAttachment", {"id": other["id"], "attachment_id": attached["id"]}, 404,
                      "NOT_FOUND")  # fmt: skip
    await force.fails("job/v1/downloadAttachment", {"id": job["id"], "attachment_id": str(uuid.uuid4())}, 404)
    assert ids(await force.ok("job/v1/listAttachments", {"id": other["id"]})) == []
    trail = await force.ok("document/v1/getAccessLog", {"id": attached["id"]})
    assert [(e["action"], e["user_id"]) for e in trail["items"]] == [("DOWNLOADED", str(force.manager.user_id))]
    assert "job.attachment_added" in await force.audit_actions(job["id"])


async def test_a_file_too_large_or_not_base64_is_refused(force: Workforce) -> None:
    job = await new_job(force)
    big = base64.b64encode(b"\0" * (5 * 1024 * 1024 + 1)).decode()
    await force.fails("job/v1/addAttachment", {**attachment(job["id"], b""), "content_base64": big}, 422,
                      reason="ATTACHMENT_TOO_LARGE")  # fmt: skip
    await force.fails("job/v1/addAttachment", {**attachment(job["id"], b""), "content_base64": "not base64!"}, 400,
                      "VALIDATION_FAILED")  # fmt: skip
    await force.fails("job/v1/addAttachment", attachment(job["id"], photo(), "../escape.jpg"), 400,
                      "VALIDATION_FAILED")  # fmt: skip
    assert ids(await force.ok("job/v1/listAttachments", {"id": job["id"]})) == []
