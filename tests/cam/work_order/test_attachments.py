"""Work-order attachments are documents of the work order: the assigned provider adds and reads them from its own
organization, another provider does not find them, the manager finds them among the association's documents, and
each download is in the document's access trail."""

from __future__ import annotations

import base64
import io
import os

import httpx
from PIL import Image

from tests.cam.work_order.helpers import community, link, order_in, provider
from tests.support.rpc import fails, ids, ok


def photo() -> bytes:
    image = Image.frombytes("RGB", (32, 24), os.urandom(32 * 24 * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return buffer.getvalue()


async def test_the_assigned_provider_attaches_and_reads_its_jobs_photos(shared_client: httpx.AsyncClient) -> None:
    c = shared_client
    manager, org, association, _ = await community(c)
    _, provider_org, tech = await provider(c)
    _, other_org, other_tech = await provider(c, name="Other Plumbing")
    await link(c, manager, org, association["id"], provider_org)
    order = await order_in(c, manager, org, association["id"], "SCHEDULED", provider_org)
    content = photo()
    body = {
        "id": order["id"], "file_name": "before.jpg", "content_type": "image/jpeg",
        "content_base64": base64.b64encode(content).decode(),
    }  # fmt: skip
    attached = await ok(c, tech, provider_org, "workOrder/v1/addAttachment", body)
    assert (attached["organization_id"], attached["content_type"]) == (org, "image/jpeg")
    assert attached["uploaded_by"] == str(tech.user_id)

    listed = await ok(c, tech, provider_org, "workOrder/v1/listAttachments", {"id": order["id"]})
    assert ids(listed) == [attached["id"]]
    wanted = {"id": order["id"], "attachment_id": attached["id"]}
    link_ = await ok(c, tech, provider_org, "workOrder/v1/downloadAttachment", wanted)
    assert (await c.get(link_["url"])).content == content

    # another provider's vendor finds neither the work order nor its files
    await fails(c, other_tech, other_org, "workOrder/v1/listAttachments", {"id": order["id"]}, 404, "NOT_FOUND")
    await fails(c, other_tech, other_org, "workOrder/v1/downloadAttachment", wanted, 404, "NOT_FOUND")
    await fails(c, other_tech, other_org, "workOrder/v1/addAttachment", body, 404, "NOT_FOUND")

    # the manager finds the photo among the association's documents, and who downloaded it
    filed = await ok(c, manager, org, "document/v1/list", {"scope_type": "WORK_ORDER", "scope_id": order["id"]})
    assert ids(filed) == [attached["id"]]
    assert filed["items"][0]["category"] == "PHOTO"
    trail = await ok(c, manager, org, "document/v1/getAccessLog", {"id": attached["id"]})
    assert [(e["action"], e["user_id"]) for e in trail["items"]] == [("DOWNLOADED", str(tech.user_id))]
    # an attachment id that is not this work order's is NOT_FOUND, even when it is a document of the association
    elsewhere = await order_in(c, manager, org, association["id"], "SUBMITTED", provider_org)
    stray = {"id": elsewhere["id"], "attachment_id": attached["id"]}
    await fails(c, manager, org, "workOrder/v1/downloadAttachment", stray, 404, "NOT_FOUND")
