"""The audit trail: an immutable event for every significant change (who, what, org, before/after)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from opentelemetry import trace
from sqlalchemy import DateTime, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.context import RequestContext
from hestami.core.db import Database
from hestami.core.ids import new_id
from hestami.core.models import Base


class AuditEvent(Base):
    __tablename__ = "audit_events"
    # Written without RETURNING: an event may be one its writer is not allowed to read back (a failed login).
    __mapper_args__ = {"eager_defaults": False}

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    action: Mapped[str] = mapped_column(Text)
    entity_type: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(Text)
    trace_id: Mapped[str | None] = mapped_column(Text)
    client_ip: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def _trace_id() -> str:
    span_context = trace.get_current_span().get_span_context()
    return format(span_context.trace_id, "032x") if span_context.is_valid else ""


def audit_event(
    ctx: RequestContext,
    action: str,
    entity_type: str,
    entity_id: object | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    organization_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
) -> AuditEvent:
    return AuditEvent(
        organization_id=organization_id if organization_id is not None else ctx.organization_id,
        actor_user_id=actor_user_id if actor_user_id is not None else ctx.user_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id) if entity_id is not None else None,
        before=before,
        after=after,
        request_id=ctx.request_id,
        trace_id=_trace_id(),
        client_ip=ctx.client_ip or None,
    )


def record(ctx: RequestContext, action: str, entity_type: str, entity_id: object | None, **changes: Any) -> None:
    """Adds the event to the request's transaction: it commits with the change it describes."""
    ctx.session.add(audit_event(ctx, action, entity_type, entity_id, **changes))


def record_even_if_rolled_back(
    ctx: RequestContext, database: Database, action: str, entity_type: str, entity_id: object | None, **changes: Any
) -> None:
    """For events about a failure (a refused login): written in a transaction of their own after the
    request's transaction rolls back."""
    event = audit_event(ctx, action, entity_type, entity_id, **changes)

    async def write() -> None:
        async with database.transaction(organization_id=event.organization_id, user_id=event.actor_user_id) as s:
            s.add(event)

    ctx.after_rollback(write)
