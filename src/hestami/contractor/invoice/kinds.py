"""The invoice domain's record kinds as Cerbos sees them (policies/resource/contractor_invoice.yaml,
contractor_payment.yaml).

An invoice carries `hoa_organization_id`: the HOA organization it is addressed to (a work order's job, or an HOA's
maintenance agreement), or null.
Its lines and payment intents are read and written through the invoice (its policy decides); payments and their
receipts are a kind of their own (`contractor_payment`). `association_id` is the HOA's association (no policy
reads it), as on jobs."""

from __future__ import annotations

from hestami.contractor.invoice.models import ContractorInvoice, Payment
from hestami.core.authz import AttrValue
from hestami.core.records import RecordKind


def _invoice_attrs(invoice: ContractorInvoice) -> dict[str, AttrValue]:
    hoa = invoice.hoa_organization_id
    return {"hoa_organization_id": str(hoa) if hoa is not None else None}


INVOICE = RecordKind(
    "contractor_invoice", ContractorInvoice, base_attrs=_invoice_attrs,
    columns=lambda: {"hoa_organization_id": ContractorInvoice.hoa_organization_id},
)  # fmt: skip
PAYMENT = RecordKind("contractor_payment", Payment)
