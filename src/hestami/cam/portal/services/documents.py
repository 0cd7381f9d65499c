"""The documents an owner may read, through the documents domain's own rules: its list filtered by the document
policy (owners see what is visible to the owners of their association or unit, the board what is for the board,
managers everything), its download path (a signed, time-limited link after the policy's `download`, each issue and
each refused attempt in the audit trail), and that trail read back for managers across the organization."""

from __future__ import annotations

import uuid

from hestami.cam.documents import api as documents
from hestami.cam.documents.schemas import DocumentsOut, DownloadDocument, DownloadOut, ListDocuments
from hestami.cam.portal import kinds, repository
from hestami.cam.portal.schemas import (
    DownloadEntryOut,
    DownloadPortalDocument,
    DownloadsOut,
    ListDownloads,
    ListPortalDocuments,
)
from hestami.core.audit import AuditEvent
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext
from hestami.core.pagination import PageRequest


async def list_(ctx: RequestContext, data: ListPortalDocuments) -> DocumentsOut:
    listed = ListDocuments(
        limit=data.limit, cursor=data.cursor, association_id=data.association_id, category=data.category,
        query=data.query,
    )  # fmt: skip
    return await documents.visible_documents(ctx, listed)


async def download(ctx: RequestContext, data: DownloadPortalDocument) -> DownloadOut:
    return await documents.download(ctx, DownloadDocument(id=data.id))


def _entry(event: AuditEvent) -> DownloadEntryOut:
    after = event.after or {}
    version = after.get("version")
    return DownloadEntryOut(
        document_id=uuid.UUID(str(event.entity_id)), user_id=event.actor_user_id, at=event.created_at,
        outcome="DOWNLOADED" if event.action == documents.DOWNLOADED else "REFUSED",
        version_number=version if isinstance(version, int) else None, file_name=after.get("file_name"),
        request_id=event.request_id,
    )  # fmt: skip


async def downloads(ctx: RequestContext, data: ListDownloads) -> DownloadsOut:
    """Every link issued for the organization's documents and every refused attempt, newest first (managers)."""
    organization_id = ctx.require_org()
    await authorize(ctx, "view", Resource(kinds.DOWNLOAD_LOG, "downloads", {"organization_id": str(organization_id)}))
    events, cursor = await repository.downloads_page(
        ctx.session, organization_id, (documents.DOWNLOADED, documents.DOWNLOAD_REFUSED),
        PageRequest(limit=data.limit, cursor=data.cursor), document_id=data.document_id, user_id=data.user_id,
        since=data.since,
    )  # fmt: skip
    return DownloadsOut(items=[_entry(e) for e in events], next_cursor=cursor)
