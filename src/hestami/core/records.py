"""The common life of a tenant record: load in scope, authorize, create, change, soft-delete, list, audit.

Domains describe each kind once (`RecordKind`: its Cerbos kind, model and the attributes its policy reads)
and keep their own rules in their services; this module keeps the steps every kind shares identical:
NOT_FOUND before FORBIDDEN (a record the caller may not see is NOT_FOUND too), one audit event per change,
lists filtered by a Cerbos query plan in SQL.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, bindparam, func, inspect, select

from hestami.core import audit
from hestami.core.authz import AttrValue, Resource, allows, authorize, forbidden, query_filter
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.core.models import TenantRecord
from hestami.core.pagination import PageRequest, SortKey, fetch_page

R = TypeVar("R", bound=TenantRecord)
S = TypeVar("S", bound=BaseModel)


async def _no_attrs(ctx: RequestContext, record: Any) -> dict[str, AttrValue]:
    return {}


def _no_columns() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class RecordKind(Generic[R]):
    """One kind of tenant record as Cerbos and the audit trail know it."""

    name: str
    model: type[R]
    attrs: Callable[[RequestContext, R], Awaitable[Mapping[str, AttrValue]]] = _no_attrs
    """Policy attributes of one loaded record (beyond organization_id); may query (e.g. a unit's owners).
    Our policies only ever grant through these (ownership, membership), never deny, so `authorize_record`
    asks Cerbos without them first and looks them up only when that answer is no."""
    base_attrs: Callable[[R], Mapping[str, AttrValue]] = lambda record: {}
    """Attributes read from the record itself, sent with every check."""
    columns: Callable[[], Mapping[str, Any]] = _no_columns
    """The same attributes as SQL expressions, for query plans."""
    hidden_fields: frozenset[str] = field(default_factory=frozenset)
    association: str | Callable[[], Any] | None = None
    """The association a record belongs to (policies read it as `association_id`: a board member sees the
    associations whose board they sit on): the name of a column of the record (default `association_id` when the
    model has one), or, for a kind that reaches its association through another record (a unit's ownership), a SQL
    expression of its row, looked up once per decision. A kind with neither belongs to the whole organization."""

    @property
    def soft_deleted(self) -> bool:
        return hasattr(self.model, "deleted_at")

    @functools.cached_property
    def association_field(self) -> str | None:
        if isinstance(self.association, str):
            return self.association
        if self.association is None and "association_id" in self.model.__table__.c:  # type: ignore[attr-defined]
            return "association_id"
        return None

    def association_column(self) -> Any:
        """The association as a SQL expression of the row (for query plans), or None."""
        if self.association_field is not None:
            return getattr(self.model, self.association_field)
        return self.association() if callable(self.association) else None

    def base_resource(self, record: R) -> Resource:
        attrs: dict[str, AttrValue] = {"organization_id": str(record.organization_id), **self.base_attrs(record)}
        if self.association_field is not None:
            association_id = getattr(record, self.association_field)
            attrs["association_id"] = str(association_id) if association_id is not None else None
        return Resource(self.name, str(record.id), attrs)

    async def resource(self, ctx: RequestContext, record: R) -> Resource:
        base = self.base_resource(record)
        return Resource(self.name, base.id, {**base.attr, **(await self.attrs(ctx, record))})


class _Decisions(Generic[R]):
    """Cerbos's answers about one record. Managers and most callers are allowed on the record's own attributes;
    only a denial pays for the kind's looked-up attributes (owners, tenants), and only once."""

    def __init__(self, ctx: RequestContext, kind: RecordKind[R], record: R) -> None:
        self.ctx, self.kind, self.record = ctx, kind, record
        self._base: Resource | None = None
        self._full: Resource | None = None

    async def _base_resource(self) -> Resource:
        if self._base is None:
            self._base = self.kind.base_resource(self.record)
            if callable(self.kind.association):
                association_id = await self.ctx.session.scalar(
                    select(self.kind.association()).where(self.kind.model.id == self.record.id)
                )
                self._base = Resource(
                    self._base.kind,
                    self._base.id,
                    {**self._base.attr, "association_id": str(association_id) if association_id else None},
                )
        return self._base

    async def allow(self, action: str) -> bool:
        base = await self._base_resource()
        if await allows(self.ctx, action, base):
            return True
        if self.kind.attrs is _no_attrs:
            return False
        if self._full is None:
            self._full = Resource(base.kind, base.id, {**base.attr, **(await self.kind.attrs(self.ctx, self.record))})
        return await allows(self.ctx, action, self._full)


async def can(ctx: RequestContext, kind: RecordKind[R], record: R, action: str) -> bool:
    """Whether the caller may `action` a loaded record, without raising: for a rule that must answer a record the
    caller may not see exactly as it answers a missing one."""
    return await _Decisions(ctx, kind, record).allow(action)


async def authorize_record(ctx: RequestContext, kind: RecordKind[R], record: R, action: str) -> None:
    """Cerbos decides `action` on an existing record.

    A record the caller may not `view` answers exactly like an id that does not exist (NOT_FOUND), whatever the
    action: a FORBIDDEN would tell that it exists (another owner's unit, a journal entry to an owner). FORBIDDEN
    only when the caller may see the record but not do `action` to it. The extra `view` check runs only on the
    path that refuses."""
    decisions = _Decisions(ctx, kind, record)
    if await decisions.allow(action):
        return
    if action != "view" and await decisions.allow("view"):
        raise forbidden(action, kind.name)
    raise not_found(kind.name, record.id)


def _json_safe(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value


def snapshot(record: TenantRecord, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The record's columns as JSON, for audit before/after."""
    skip = exclude | {"created_at", "updated_at"}
    return {
        attr.key: _json_safe(getattr(record, attr.key))
        for attr in inspect(record, raiseerr=True).mapper.column_attrs
        if attr.key not in skip
    }


_COLUMN_KEYS: dict[type[TenantRecord], tuple[str, ...]] = {}


def _column_keys(model: type[TenantRecord]) -> tuple[str, ...]:
    keys = _COLUMN_KEYS.get(model)
    if keys is None:
        keys = _COLUMN_KEYS[model] = tuple(attr.key for attr in inspect(model, raiseerr=True).column_attrs)
    return keys


def output(schema: type[S], record: TenantRecord, **extra: Any) -> S:
    """A record as its output schema: every column (stamps included), plus what the schema adds (`extra`)."""
    loaded = record.__dict__  # the ORM keeps loaded column values here; anything else is loaded by getattr
    columns = {key: loaded[key] if key in loaded else getattr(record, key) for key in _column_keys(type(record))}
    return schema.model_validate({**columns, **extra})


def _in_scope(kind: RecordKind[R]) -> Select[tuple[R]]:
    statement = select(kind.model)
    if kind.soft_deleted:
        statement = statement.where(kind.model.deleted_at.is_(None))  # type: ignore[attr-defined]
    return statement


@functools.cache
def _by_id(kind: RecordKind[Any], lock: bool) -> Select[Any]:
    """`find`'s statement, built once per kind (its SQL cache key is then computed once too)."""
    statement = _in_scope(kind).where(kind.model.id == bindparam("record_id"))
    # FOR NO KEY UPDATE: it serializes the writers that lock the record, but does not block other tables' foreign
    # key checks (FOR KEY SHARE) on it, which would otherwise deadlock with a transaction that updates a row twice
    # (Postgres re-checks the foreign keys of a row updated earlier in the same transaction).
    return statement.with_for_update(key_share=True) if lock else statement


async def find(ctx: RequestContext, kind: RecordKind[R], record_id: uuid.UUID, *, lock: bool = False) -> R:
    """The record in the caller's scope (RLS), or NOT_FOUND: another tenant's record simply does not exist."""
    record: R | None = (await ctx.session.execute(_by_id(kind, lock), {"record_id": record_id})).scalar_one_or_none()
    if record is None:
        raise not_found(kind.name, record_id)
    return record


async def load(
    ctx: RequestContext, kind: RecordKind[R], record_id: uuid.UUID, action: str = "view", *, lock: bool = False
) -> R:
    """`find`, then Cerbos decides `action` on it: NOT_FOUND unless the caller may see it, FORBIDDEN when they
    may see it but not `action` it (`authorize_record`)."""
    record = await find(ctx, kind, record_id, lock=lock)
    await authorize_record(ctx, kind, record, action)
    return record


async def authorize_new(ctx: RequestContext, kind: RecordKind[Any], action: str) -> None:
    """Authorizes an action on a record of `kind` that does not exist yet (only its organization is known)."""
    await authorize(ctx, action, Resource(kind.name, "new", {"organization_id": str(ctx.require_org())}))


async def create(ctx: RequestContext, kind: RecordKind[R], record: R) -> R:
    """Authorizes `create` on the new record (FORBIDDEN: it does not exist yet), inserts it and audits
    `<kind>.created`."""
    record.organization_id = ctx.require_org()
    if not await _Decisions(ctx, kind, record).allow("create"):
        raise forbidden("create", kind.name)
    return await insert(ctx, kind, record)


async def insert(ctx: RequestContext, kind: RecordKind[R], record: R) -> R:
    """Inserts a record and audits `<kind>.created`, without a policy decision of its own: for a record another
    domain's authorized action makes (the fine charge of a hearing the board decided). Everything else uses
    `create`."""
    record.organization_id = ctx.require_org()
    ctx.session.add(record)
    await ctx.session.flush()
    await ctx.session.refresh(record)
    audit.record(ctx, f"{kind.name}.created", kind.name, record.id, after=snapshot(record, exclude=kind.hidden_fields))
    return record


async def change(
    ctx: RequestContext, kind: RecordKind[R], record: R, changes: Mapping[str, Any], *, action: str = "updated"
) -> R:
    """Applies `changes` to a loaded (and authorized) record and audits what changed, before and after."""
    before = snapshot(record, exclude=kind.hidden_fields)
    for name, value in changes.items():
        setattr(record, name, value)
    record.updated_at = func.now()
    await ctx.session.flush()
    await ctx.session.refresh(record)
    after = snapshot(record, exclude=kind.hidden_fields)
    changed = {k for k in after if after[k] != before.get(k)}
    audit.record(
        ctx, f"{kind.name}.{action}", kind.name, record.id,
        before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed},
    )  # fmt: skip
    return record


def changes_of(data: BaseModel, *, exclude: Sequence[str] = ("id",)) -> dict[str, Any]:
    """The fields a patch-style input actually sets."""
    return data.model_dump(exclude_unset=True, exclude=set(exclude))


async def soft_delete(ctx: RequestContext, kind: RecordKind[R], record_id: uuid.UUID) -> None:
    record = await load(ctx, kind, record_id, "delete")
    await change(ctx, kind, record, {"deleted_at": func.now()}, action="deleted")


async def hard_delete(ctx: RequestContext, kind: RecordKind[R], record_id: uuid.UUID) -> None:
    record = await load(ctx, kind, record_id, "delete")
    before = snapshot(record, exclude=kind.hidden_fields)
    await ctx.session.delete(record)
    await ctx.session.flush()
    audit.record(ctx, f"{kind.name}.deleted", kind.name, record_id, before=before)


async def visible(ctx: RequestContext, kind: RecordKind[Any], action: str = "view") -> ColumnElement[bool]:
    """The SQL condition for the records of `kind` the caller may `action` (a Cerbos query plan)."""
    return await query_filter(ctx, action, kind.name, kind.model.__table__, _plan_columns(kind), columns_named=kind)


@functools.cache
def _plan_columns(kind: RecordKind[Any]) -> Mapping[str, Any]:
    """The kind's attributes as SQL expressions, built once: they depend only on the model (SQL expressions are
    immutable and may appear in any number of statements)."""
    association = kind.association_column()
    located = {"association_id": association} if association is not None else {}
    return {"organization_id": kind.model.organization_id, **located, **kind.columns()}


async def page(
    ctx: RequestContext,
    kind: RecordKind[R],
    request: PageRequest,
    *filters: ColumnElement[bool],
    action: str = "view",
) -> tuple[list[R], str | None]:
    """One page of the records the caller may `action`, filtered by Cerbos in SQL, oldest first."""
    statement = _in_scope(kind).where(await visible(ctx, kind, action), *filters)
    items, cursor = await fetch_page(ctx.session, statement, SortKey((kind.model.created_at, kind.model.id)), request)
    return items, cursor
