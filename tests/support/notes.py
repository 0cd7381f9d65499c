"""A tenant table and procedures that exist only in tests, to exercise the platform end to end.

`test_notes` is created with the same migration helper real domains use (`create_tenant_table`).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, text
from sqlalchemy.orm import Mapped, mapped_column

from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.models import Base, TenantRecord
from hestami.core.pagination import Page, PageRequest, SortKey, fetch_page
from hestami.core.rpc import Empty, ProcedureRouter
from hestami.core.tenancy import create_tenant_table


class TestNote(TenantRecord, Base):
    __tablename__ = "test_notes"
    __test__ = False

    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid, nullable=True)


def create_test_tables(connection: Connection) -> None:
    """Runs the tenant-table helper inside an Alembic context, as a migration would."""
    exists = connection.execute(text("SELECT to_regclass('public.test_notes')")).scalar()
    if exists:
        return
    context = MigrationContext.configure(connection)
    with Operations.context(context):
        create_tenant_table(
            "test_notes",
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("author_id", sa.Uuid(), nullable=True),
        )


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=500)
    tags: list[str] = Field(default_factory=list, max_length=5)
    delay_seconds: float = Field(default=0, ge=0, le=5)


class NoteOut(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    body: str
    author_id: uuid.UUID | None
    created_at: datetime
    updated_at: datetime


class ScopeOut(BaseModel):
    organization_id: str
    user_id: str
    roles: list[str]


class FailIn(BaseModel):
    kind: str = Field(pattern="^(rule|crash|unavailable)$")


router = ProcedureRouter("testNote")


def _out(note: TestNote) -> NoteOut:
    return NoteOut.model_validate(note, from_attributes=True)


@router.mutation("create")
async def create_note(ctx: RequestContext, data: NoteIn) -> NoteOut:
    """Create a note (test only)."""
    note = TestNote(organization_id=ctx.require_org(), body=data.body, author_id=ctx.require_user())
    ctx.session.add(note)
    await ctx.session.flush()
    await ctx.session.refresh(note)
    if data.delay_seconds:
        await asyncio.sleep(data.delay_seconds)
    return _out(note)


@router.query("list")
async def list_notes(ctx: RequestContext, data: PageRequest) -> Page[NoteOut]:
    """List notes, oldest first (test only)."""
    key = SortKey((TestNote.created_at, TestNote.id))
    items, next_cursor = await fetch_page(ctx.session, sa.select(TestNote), key, data)
    return Page[NoteOut](items=[_out(n) for n in items], next_cursor=next_cursor)


@router.query("scope")
async def scope(ctx: RequestContext, data: Empty) -> ScopeOut:
    """The tenant scope the database sees in this request's transaction (test only)."""
    row = (
        await ctx.session.execute(
            text("SELECT current_setting('app.current_org_id', true), current_setting('app.current_user_id', true)")
        )
    ).one()
    return ScopeOut(organization_id=row[0], user_id=row[1], roles=sorted(ctx.roles))


@router.mutation("fail")
async def fail(ctx: RequestContext, data: FailIn) -> NoteOut:
    """Writes a note, then fails as asked: the note must not survive (test only)."""
    ctx.session.add(TestNote(organization_id=ctx.require_org(), body=f"doomed {data.kind}"))
    await ctx.session.flush()
    if data.kind == "rule":
        raise HestamiError(ErrorCode.BUSINESS_RULE_VIOLATION, "Notes may not fail.", details={"reason": "TEST_RULE"})
    if data.kind == "unavailable":
        raise HestamiError(ErrorCode.SERVICE_UNAVAILABLE)
    raise RuntimeError("secret internal detail /etc/passwd")


anonymous = ProcedureRouter("testPublic")


@anonymous.query("echo", authenticated=False, org_scoped=False)
async def echo(ctx: RequestContext, data: NoteIn) -> NoteIn:
    """Echo the input (test only)."""
    return data


@anonymous.query("whoami", org_scoped=False)
async def whoami(ctx: RequestContext, data: Empty) -> ScopeOut:
    """The caller, outside any organization (test only)."""
    return ScopeOut(organization_id="", user_id=str(ctx.require_user()), roles=[])
