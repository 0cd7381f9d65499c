"""Outbound email and SMS. Delivery providers are out of scope: the recording sender stores each message in
the request's transaction, so a message goes out exactly once with the change that caused it, and tests
and the API can see it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import DateTime, Text, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.context import RequestContext
from hestami.core.ids import new_id
from hestami.core.models import Base

Channel = Literal["EMAIL", "SMS", "MAIL", "POSTED", "PORTAL"]
"""MAIL (a letter to the mailing address) and POSTED (on the door) are recorded for the mail room and the
inspector, PORTAL for the owner's portal; delivery of every channel is out of scope (the recording sender)."""


class OutboundMessage(Base):
    __tablename__ = "outbound_messages"
    # Written without RETURNING: a notice may be addressed to someone the sender may not read back.
    __mapper_args__ = {"eager_defaults": False}

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    channel: Mapped[str] = mapped_column(Text)
    recipient: Mapped[str] = mapped_column(Text)
    recipient_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    template: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    request_id: Mapped[str | None] = mapped_column(Text)
    entity_type: Mapped[str | None] = mapped_column(Text)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    dedupe_key: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MessageSender(Protocol):
    async def send(
        self,
        ctx: RequestContext,
        *,
        channel: Channel,
        recipient: str,
        template: str,
        payload: dict[str, Any],
        recipient_user_id: uuid.UUID | None = None,
        organization_id: uuid.UUID | None = None,
    ) -> OutboundMessage: ...


class RecordingSender:
    """The local adapter: the message is stored, not delivered."""

    async def send(
        self,
        ctx: RequestContext,
        *,
        channel: Channel,
        recipient: str,
        template: str,
        payload: dict[str, Any],
        recipient_user_id: uuid.UUID | None = None,
        organization_id: uuid.UUID | None = None,
    ) -> OutboundMessage:
        message = OutboundMessage(
            organization_id=organization_id if organization_id is not None else ctx.organization_id,
            channel=channel,
            recipient=recipient,
            recipient_user_id=recipient_user_id,
            template=template,
            payload=payload,
            request_id=ctx.request_id,
        )
        ctx.session.add(message)
        return message


_COLUMNS = tuple(c.key for c in OutboundMessage.__table__.columns)


def _values(message: OutboundMessage) -> dict[str, Any]:
    """Every column of the message, the unset ones as their defaults (one shape for a multi-row INSERT)."""
    values = {key: getattr(message, key) for key in _COLUMNS if key != "created_at"}
    if values["id"] is None:
        values["id"] = new_id()
    return values


async def record_once(session: AsyncSession, message: OutboundMessage) -> None:
    """Stores a message unless one with its `dedupe_key` exists. A workflow step that runs again after a crash
    therefore sends nothing twice."""
    await record_all_once(session, [message])


async def record_all_once(session: AsyncSession, messages: list[OutboundMessage]) -> None:
    """`record_once` for many messages in one statement."""
    if not messages:
        return
    await session.execute(
        pg_insert(OutboundMessage)
        .values([_values(m) for m in messages])
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
    )
