"""The extraction workflow starts before the upload's transaction commits, so it may run before its version is
visible: its step retries until the row appears, then extracts it. Here the workflow is started for a version id
that has no row yet, and the row is inserted (committed) a moment later."""

from __future__ import annotations

import asyncio
import uuid

import httpx
from dbos import DBOS
from fastapi import FastAPI

from hestami.cam.documents import repository, workflows
from hestami.cam.documents.models import DocumentVersion
from hestami.core.acting import acting
from hestami.core.ids import new_id
from tests.cam.documents.helpers import extracted, pdf, upload
from tests.support.accounts import account, organization
from tests.support.rpc import ok, suffix


async def test_the_step_waits_for_a_version_committed_after_the_start(
    shared_client: httpx.AsyncClient, app: FastAPI
) -> None:
    c = shared_client
    manager = await account(c)
    org = (await organization(c, manager, f"Recovery HOA {suffix()}"))["id"]
    association = await ok(c, manager, org, "association/v1/create", {"name": f"Oak {suffix()}"})
    scope = {"type": "ASSOCIATION", "association_id": association["id"]}
    body = {"title": "Rules", "category": "RULES", "visibility": "OWNERS", "scope": scope}
    document = await upload(c, manager, org, body, pdf("Late rules", ["Section 9. Quiet hours start at ten."]))
    first = await extracted(c, manager, org, document["id"])
    assert first["extraction_status"] == "DONE"

    organization_id, version_id = uuid.UUID(org), new_id()
    await workflows.start_extraction(organization_id, version_id)
    await asyncio.sleep(1.0)  # the step has tried, found nothing and is retrying
    handle = await DBOS.retrieve_workflow_async(workflows.workflow_id(version_id))
    assert (await handle.get_status()).status in ("PENDING", "ENQUEUED")

    runtime = app.state.runtime
    async with acting(runtime, procedure="test", organization_id=organization_id) as ctx:
        current = await repository.version_by_id(ctx.session, uuid.UUID(first["id"]))
        assert current is not None
        ctx.session.add(
            DocumentVersion(
                id=version_id, organization_id=organization_id, document_id=current.document_id, version_number=2,
                file_name="late.pdf", content_type=current.content_type, size_bytes=current.size_bytes,
                sha256=current.sha256, storage_backend=current.storage_backend, storage_key=current.storage_key,
                scan_status="CLEAN", scan_engine=current.scan_engine, extraction_status="PENDING",
            )
        )  # fmt: skip
    assert await asyncio.wait_for(handle.get_result(), 30) == "DONE"
    async with acting(runtime, procedure="test", organization_id=organization_id) as ctx:
        late = await repository.version_by_id(ctx.session, version_id)
        assert late is not None
        assert late.extraction_status == "DONE"
        assert late.page_count == 1
        assert late.preview_key == workflows.preview_key(org, str(version_id))

    # started again (a recovered or repeated start): the same workflow, nothing done twice
    await workflows.start_extraction(organization_id, version_id)
    again = await DBOS.retrieve_workflow_async(workflows.workflow_id(version_id))
    assert await asyncio.wait_for(again.get_result(), 30) == "DONE"
