"""Authorization with Cerbos: `authorize` for one record, `query_filter` (a query plan) for lists.

RLS is the last wall, Cerbos the first. The principal is the caller with its roles in the request's
organization; a resource carries `organization_id` and whatever attributes its policy reads, and is
checked in the scope of the organization's slug, so a tenant may have its own policy overrides.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cerbos.engine.v1 import engine_pb2
from cerbos.request.v1 import request_pb2
from cerbos.sdk.grpc.utils import get_resource
from cerbos.sdk.grpc.utils import is_allowed as effect_allows
from cerbos_sqlalchemy import get_query
from google.protobuf import struct_pb2
from sqlalchemy import ColumnElement, Table, false, true
from sqlalchemy.dialects.postgresql import ARRAY

from hestami.core.cerbos_transport import CerbosChannel
from hestami.core.context import RequestContext
from hestami.core.decisions import DecisionCache, frozen
from hestami.core.errors import ErrorCode, HestamiError

BASE_ROLE = "user"
AttrValue = str | int | float | bool | None | Sequence[str]

# Attributes the common derived roles read (policies/derived_roles/common.yaml). A kind that has no column
# for one declares it empty in its query plan, so Cerbos drops that branch instead of asking for a column.
DERIVED_ROLE_ATTRIBUTES: dict[str, AttrValue] = {
    "association_id": None,
    "owner_user_ids": [],
    "member_user_ids": [],
    "assigned_vendor_org_id": "",
    "user_id": "",
}


@dataclass(frozen=True, slots=True)
class Resource:
    kind: str
    id: str
    attr: Mapping[str, AttrValue] = field(default_factory=dict)


def _value(value: AttrValue) -> struct_pb2.Value:
    if value is None:
        return struct_pb2.Value(null_value=struct_pb2.NULL_VALUE)
    if isinstance(value, bool):
        return struct_pb2.Value(bool_value=value)
    if isinstance(value, int | float):
        return struct_pb2.Value(number_value=float(value))
    if isinstance(value, str):
        return struct_pb2.Value(string_value=value)
    return struct_pb2.Value(list_value=struct_pb2.ListValue(values=[_value(v) for v in value]))


def _attrs(attr: Mapping[str, AttrValue]) -> dict[str, struct_pb2.Value]:
    return {name: _value(value) for name, value in attr.items()}


def _question(ctx: RequestContext, what: str, action: str, kind: str, about: Any) -> Hashable:
    """The key of a remembered answer: what is asked (`what`: a check, a plan, a plan's SQL filter), everything
    `principal_of` sends, the action, the resource kind and scope, and `about` (the resource's attributes, ...)."""
    if ctx.principal is None:
        raise HestamiError(ErrorCode.UNAUTHENTICATED)
    principal = (
        ctx.principal.user_id,
        tuple(sorted(ctx.roles)),
        ctx.organization_id,
        ctx.principal.email,
        tuple(sorted(ctx.board_association_ids)),
    )
    return (what, action, principal, kind, ctx.organization_slug, about)


def principal_of(ctx: RequestContext) -> engine_pb2.Principal:
    if ctx.principal is None:
        raise HestamiError(ErrorCode.UNAUTHENTICATED)
    return engine_pb2.Principal(
        id=str(ctx.principal.user_id),
        roles=[BASE_ROLE, *sorted(ctx.roles)],
        attr=_attrs(
            {
                "organization_id": str(ctx.organization_id or ""),
                "email": ctx.principal.email,
                "board_association_ids": sorted(ctx.board_association_ids),
            }
        ),
    )


class Authorizer:
    """The Cerbos gRPC client of one process (created inside the app's event loop).

    Each decision has `timeout_seconds` in all; a connection failure within it reconnects and retries once
    (`core.cerbos_transport`), and a Cerbos that stays unreachable is SERVICE_UNAVAILABLE, not a crash.
    Answers are remembered by the exact question in `cache` (`core.decisions`), so a repeated question (the same
    caller, roles and record attributes) is answered without a network round trip.
    """

    def __init__(self, grpc_addr: str, *, timeout_seconds: float = 2.0, cache: DecisionCache | None = None) -> None:
        self.channel = CerbosChannel(grpc_addr, deadline_seconds=timeout_seconds)
        self.cache = cache if cache is not None else DecisionCache(max_entries=0, ttl_seconds=0)

    async def is_allowed(self, ctx: RequestContext, action: str, resource: Resource) -> bool:
        # A resource that names no association is the organization's own (policies read `association_id` as null).
        attr = resource.attr if "association_id" in resource.attr else {**resource.attr, "association_id": None}
        key = _question(ctx, "check", action, resource.kind, frozen(attr))
        remembered = self.cache.get(key)
        if remembered is not None:
            return bool(remembered)
        allowed = await self.decide(
            action,
            principal_of(ctx),
            engine_pb2.Resource(kind=resource.kind, id=resource.id, attr=_attrs(attr), scope=ctx.organization_slug),
            request_id=ctx.request_id,
        )
        self.cache.put(key, allowed)
        return allowed

    async def decide(
        self, action: str, principal: engine_pb2.Principal, resource: engine_pb2.Resource, *, request_id: str
    ) -> bool:
        """One check decision: whether `principal` may `action` on `resource`."""
        response = await self.channel.check_resources(
            request_pb2.CheckResourcesRequest(
                request_id=request_id,
                principal=principal,
                resources=[request_pb2.CheckResourcesRequest.ResourceEntry(actions=[action], resource=resource)],
            )
        )
        entry = get_resource(response, resource.id)
        return entry is not None and effect_allows(entry, action)

    async def plan(
        self, ctx: RequestContext, action: str, kind: str, known: Mapping[str, AttrValue] | None = None
    ) -> Any:
        key = _question(ctx, "plan", action, kind, frozen(known or {}))
        remembered = self.cache.get(key)
        if remembered is not None:
            return remembered
        plan = await self.channel.plan_resources(
            request_pb2.PlanResourcesRequest(
                request_id=ctx.request_id,
                action=action,
                principal=principal_of(ctx),
                resource=engine_pb2.PlanResourcesInput.Resource(
                    kind=kind, scope=ctx.organization_slug, attr=_attrs(known or {})
                ),
            )
        )
        self.cache.put(key, plan)
        return plan

    async def close(self) -> None:
        await self.channel.close()


def _in(column: Any, value: Any) -> Any:
    """CEL `x in list`: an array-valued attribute (e.g. the users owning a unit) is matched by containment."""
    if isinstance(getattr(column, "type", None), ARRAY):
        return column.overlap(value) if isinstance(value, list) else column.contains([value])
    values = value if isinstance(value, list) else [value]
    return column.in_(values) if values else false()


def _authorizer(ctx: RequestContext) -> Authorizer:
    if ctx.authorizer is None:
        raise RuntimeError("no authorizer in this request context")
    return ctx.authorizer


async def allows(ctx: RequestContext, action: str, resource: Resource) -> bool:
    """Whether Cerbos allows `action`, without raising."""
    return await _authorizer(ctx).is_allowed(ctx, action, resource)


def forbidden(action: str, kind: str) -> HestamiError:
    return HestamiError(
        ErrorCode.FORBIDDEN, f"You may not {action} this {kind}.", details={"action": action, "kind": kind}
    )


async def authorize(ctx: RequestContext, action: str, resource: Resource) -> None:
    """Raises FORBIDDEN unless Cerbos allows `action`. For a resource the caller already sees (their organization,
    a record being created). An existing record goes through `core.records.authorize_record`, which answers
    NOT_FOUND when the caller may not even view it."""
    if not await _authorizer(ctx).is_allowed(ctx, action, resource):
        raise forbidden(action, resource.kind)


async def query_filter(
    ctx: RequestContext,
    action: str,
    kind: str,
    table: Table,
    columns: Mapping[str, Any],
    *,
    columns_named: Hashable | None = None,
) -> ColumnElement[bool]:
    """A SQL condition selecting the rows of `kind` the caller may `action`, from a Cerbos query plan.

    `columns` maps resource attributes to columns or SQL expressions: `{"organization_id": table.c.organization_id}`;
    a list attribute maps to an ARRAY expression (e.g. a correlated `array(SELECT ...)`).
    Denied → `false`, always allowed → `true`, conditional → the translated condition.
    `columns_named`: a name that always stands for these very `columns` (e.g. a record kind's, built once); with
    it the translated condition is remembered with the plan (SQL expressions are immutable and reusable).
    """
    authorizer = _authorizer(ctx)
    known = {name: value for name, value in DERIVED_ROLE_ATTRIBUTES.items() if name not in columns}
    remembered_as = None
    if columns_named is not None:
        remembered_as = _question(ctx, "where", action, kind, columns_named)
        where = authorizer.cache.get(remembered_as)
        if where is not None:
            return where  # type: ignore[no-any-return]
    plan = await authorizer.plan(ctx, action, kind, known)
    attr_map = {f"request.resource.attr.{name}": column for name, column in columns.items()}
    overrides = {"in": _in, "eq": operator.eq, "ne": operator.ne}  # expressions (casts, subqueries) as well as columns
    where = get_query(plan, table, attr_map, operator_override_fns=overrides).whereclause
    if where is None:
        where = true()
    if remembered_as is not None:
        authorizer.cache.put(remembered_as, where)
    return where
