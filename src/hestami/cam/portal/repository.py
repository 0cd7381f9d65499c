"""Domain 9's SQL beyond the common record steps: request numbers per association, a request's history, and the
documents' download trail as the portal's managers read it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.cam.portal.models import OwnerRequest, RequestEvent
from hestami.core.audit import AuditEvent
from hestami.core.pagination import PageRequest, SortKey, fetch_page


async def next_number(session: AsyncSession, association_id: uuid.UUID) -> int:
    """The association's next request number. The caller holds the association's row
    (`association.api.lock_for_numbering`) until its transaction ends, so numbers are taken one at a time: no gap,
    no repeat (and a unique key guards it)."""
    last = await session.scalar(
        select(func.max(OwnerRequest.number)).where(OwnerRequest.association_id == association_id)
    )
    return int(last or 0) + 1


async def history(
    session: AsyncSession, request_ids: Sequence[uuid.UUID], *, include_internal: bool
) -> list[RequestEvent]:
    """The history of the requests, oldest first (managers' internal notes only with `include_internal`)."""
    if not request_ids:
        return []
    statement = select(RequestEvent).where(RequestEvent.request_id.in_(list(request_ids)))
    if not include_internal:
        statement = statement.where(RequestEvent.internal.is_(False))
    rows = await session.execute(statement.order_by(RequestEvent.created_at, RequestEvent.id))
    return list(rows.scalars())


async def downloads_page(
    session: AsyncSession,
    organization_id: uuid.UUID,
    actions: Sequence[str],
    page: PageRequest,
    *,
    document_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    since: datetime | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """The organization's document downloads (`actions` of the audit trail on documents), newest first."""
    statement = select(AuditEvent).where(
        AuditEvent.organization_id == organization_id,
        AuditEvent.entity_type == "document",
        AuditEvent.action.in_(list(actions)),
    )
    if document_id is not None:
        statement = statement.where(AuditEvent.entity_id == str(document_id))
    if user_id is not None:
        statement = statement.where(AuditEvent.actor_user_id == user_id)
    if since is not None:
        statement = statement.where(AuditEvent.created_at >= since)
    return await fetch_page(session, statement, SortKey((AuditEvent.created_at, AuditEvent.id), True), page)
