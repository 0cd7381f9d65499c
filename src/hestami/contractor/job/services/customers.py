"""Customers: the contractor's clients off the platform (a homeowner who called, a small business), named on the
jobs done for them. Deleting one keeps it on record (soft) with its jobs."""

from __future__ import annotations

import uuid
from typing import Any

from hestami.contractor.job import kinds, repository
from hestami.contractor.job.models import Customer
from hestami.contractor.job.schemas import CreateCustomer, CustomerOut, ListCustomers, UpdateCustomer
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.pagination import Page

REQUIRED = frozenset({"name"})
"""Columns an update may change but never clear (a `null` leaves them as they are)."""


async def load(ctx: RequestContext, customer_id: uuid.UUID, action: str = "view") -> Customer:
    """A customer of the caller's organization the caller may `action` (a contractor on the platform only)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.CUSTOMER, customer_id, action)


def customer_out(row: Customer) -> CustomerOut:
    return records.output(CustomerOut, row)


async def create(ctx: RequestContext, data: CreateCustomer) -> CustomerOut:
    await profile.require_contractor(ctx)
    return customer_out(await records.create(ctx, kinds.CUSTOMER, Customer(**data.model_dump())))


async def get(ctx: RequestContext, customer_id: uuid.UUID) -> CustomerOut:
    return customer_out(await load(ctx, customer_id))


async def list_customers(ctx: RequestContext, data: ListCustomers) -> Page[CustomerOut]:
    await profile.require_contractor(ctx)
    filters = [repository.name_contains(data.name)] if data.name is not None else []
    rows, cursor = await records.page(ctx, kinds.CUSTOMER, data, *filters)
    return Page[CustomerOut](items=[customer_out(r) for r in rows], next_cursor=cursor)


async def update(ctx: RequestContext, data: UpdateCustomer) -> CustomerOut:
    row = await load(ctx, data.id, "update")
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    if changes:
        await records.change(ctx, kinds.CUSTOMER, row, changes)
    return customer_out(row)


async def delete(ctx: RequestContext, customer_id: uuid.UUID) -> None:
    await profile.require_contractor(ctx)
    await records.soft_delete(ctx, kinds.CUSTOMER, customer_id)
