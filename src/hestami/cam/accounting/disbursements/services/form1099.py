"""1099-NEC totals: what an association paid each 1099-eligible vendor in a calendar year (invoices PAID with their
payment date in the year, whether paid one by one or in a batch). A vendor paid at least $600 is reportable."""

from __future__ import annotations

from decimal import Decimal

from hestami.cam.accounting import kinds as accounting_kinds
from hestami.cam.accounting.disbursements import repository
from hestami.cam.accounting.disbursements.schemas import Form1099In, Form1099Out, Vendor1099Out
from hestami.cam.association import api as association
from hestami.core.authz import Resource, authorize
from hestami.core.context import RequestContext

THRESHOLD = Decimal("600.00")


async def totals(ctx: RequestContext, data: Form1099In) -> Form1099Out:
    found = await association.load_association(ctx, data.association_id)
    attrs = {"organization_id": str(ctx.require_org()), "association_id": str(found.id)}
    await authorize(ctx, "view", Resource(accounting_kinds.FINANCIAL_REPORT, str(found.id), attrs))
    rows = await repository.paid_by_vendor(ctx.session, found.id, data.year)
    return Form1099Out(
        association_id=found.id, year=data.year, threshold=THRESHOLD,
        vendors=[
            Vendor1099Out(
                vendor_id=vendor.id, vendor_name=vendor.name,
                tax_id_masked=f"***-**-{vendor.tax_id_last4}" if vendor.tax_id_last4 else None,
                total_paid=total, payments=count, reportable=total >= THRESHOLD,
            )
            for vendor, total, count in rows
        ],
    )  # fmt: skip
