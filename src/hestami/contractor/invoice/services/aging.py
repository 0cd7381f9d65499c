"""The contractor's receivables with aging: every open invoice (ISSUED or PARTIALLY_PAID) issued on or before
`as_of`, its balance in one bucket by days past its due date (current, 1-30, 31-60, 61-90, over 90), per customer
or HOA; the buckets of each row add up to its total and the rows to the totals, which equal the sum of the open
balances."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from hestami.contractor.invoice import kinds, repository, rules
from hestami.contractor.invoice.schemas import Aging, AgingOut, AgingRowOut, BucketsOut
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")
Key = tuple[str, str | None, str | None]
"""Whom an amount is owed by: (bill to, customer id, HOA organization id)."""


def _buckets(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    filled = {name: amounts.get(name, ZERO) for name in rules.BUCKETS}
    return {**filled, "total": sum(filled.values(), ZERO)}


async def aging(ctx: RequestContext, data: Aging) -> AgingOut:
    await profile.require_contractor(ctx)
    as_of = data.as_of or date.today()
    visible = await records.visible(ctx, kinds.INVOICE)
    rows = await repository.open_invoices(ctx.session, sorted(rules.OPEN), visible)
    grouped: dict[Key, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    counts: dict[Key, int] = defaultdict(int)
    open_balance = ZERO
    for invoice in rows:
        if invoice.issue_date is None or invoice.issue_date > as_of:
            continue
        key = (invoice.bill_to, _text(invoice.customer_id), _text(invoice.hoa_organization_id))
        grouped[key][rules.bucket(invoice.due_date, as_of)] += invoice.balance
        counts[key] += 1
        open_balance += invoice.balance
    out = [_row(key, grouped[key], counts[key]) for key in sorted(grouped)]
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in out:
        for name in rules.BUCKETS:
            totals[name] += getattr(row, name)
    return AgingOut(as_of=as_of, rows=out, totals=BucketsOut(**_buckets(totals)), open_balance=open_balance)


def _row(key: Key, amounts: dict[str, Decimal], count: int) -> AgingRowOut:
    bill_to, customer, hoa = key
    return AgingRowOut(
        bill_to=bill_to, customer_id=_uuid(customer), hoa_organization_id=_uuid(hoa), invoices=count,
        **_buckets(amounts),
    )  # fmt: skip


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value is not None else None


def _text(value: object) -> str | None:
    return str(value) if value is not None else None
