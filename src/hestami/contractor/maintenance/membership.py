"""Membership: a customer or an association with a maintenance agreement in force is a member, and the pricebook's
MEMBER_DISCOUNT rules apply to them (estimates default `member` from it; invoices priced from time and materials
pass it). In force: status ACTIVE and today within [term_start, term_end], in the context's organization (RLS).

Registered with `job.api.when_asked_membership` when this module is imported (the maintenance procedures import
it)."""

from __future__ import annotations

import uuid
from datetime import date

import sqlalchemy as sa

from hestami.contractor.job import api as jobs
from hestami.core.context import RequestContext

IN_FORCE = "ACTIVE"
_agreements = sa.table(
    "maintenance_agreements",
    sa.column("id"),
    sa.column("customer_id"),
    sa.column("association_id"),
    sa.column("status"),
    sa.column("term_start", sa.Date()),
    sa.column("term_end", sa.Date()),
)


def in_force_on(day: date, customer_id: uuid.UUID | None, association_id: uuid.UUID | None) -> sa.Select[tuple[int]]:
    """One row when the customer or association has an agreement in force on `day`."""
    whose = []
    if customer_id is not None:
        whose.append(_agreements.c.customer_id == customer_id)
    if association_id is not None:
        whose.append(_agreements.c.association_id == association_id)
    return (
        sa.select(sa.literal(1))
        .select_from(_agreements)
        .where(
            sa.or_(*whose),
            _agreements.c.status == IN_FORCE,
            _agreements.c.term_start <= day,
            _agreements.c.term_end >= day,
        )
        .limit(1)
    )


@jobs.when_asked_membership
async def has_agreement_in_force(
    ctx: RequestContext, customer_id: uuid.UUID | None, association_id: uuid.UUID | None
) -> bool:
    if customer_id is None and association_id is None:
        return False
    found = await ctx.session.scalar(in_force_on(date.today(), customer_id, association_id))
    return found is not None
