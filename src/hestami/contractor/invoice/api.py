"""What other domains (the maintenance agreements' workflow) may use of invoices: billing one period of an
agreement, and reading an agreement's invoices. Other domains never import `invoice.models`, `.repository`,
`.kinds` or `.services` (import-linter holds this).

With a caller (a request, `acting` as a user) each call is authorized like the invoices' own procedures; as the
system (a workflow step: no principal) it works in the context's organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.invoice import workflows
from hestami.contractor.invoice.models import ContractorInvoice
from hestami.contractor.invoice.services import agreements
from hestami.contractor.invoice.services.agreements import Period as AgreementBill
from hestami.core.context import RequestContext

__all__ = ["AgreementBill", "BilledInvoice", "agreement_invoices", "bill_agreement", "start_payment_run"]


@dataclass(frozen=True, slots=True)
class BilledInvoice:
    id: uuid.UUID
    number: str
    status: str
    total: Decimal


def _billed(invoice: ContractorInvoice) -> BilledInvoice:
    return BilledInvoice(invoice.id, invoice.display_number, invoice.status, invoice.total)


async def bill_agreement(ctx: RequestContext, bill: AgreementBill, *, start_payment: bool = True) -> BilledInvoice:
    """An ISSUED invoice of kind AGREEMENT for one billing period of an agreement (no job), once: a second call for
    the same (agreement_id, period_start) answers the first invoice (unique constraint; concurrent calls too). Its
    invoice_payment_v1 run starts like any issued invoice's (notices, reminders, payment); an HOA agreement's
    invoice is addressed to the HOA as a plain receivable (no work order: not in the association's payables).
    A workflow step (DBOS starts no workflow inside a step) passes `start_payment=False` and starts the run from its
    workflow with `start_payment_run` once the step has committed (idempotent: the run's id is the invoice's)."""
    return _billed(await agreements.bill_period(ctx, bill, start_payment=start_payment))


async def start_payment_run(organization_id: uuid.UUID, invoice_id: uuid.UUID) -> None:
    """Starts an issued invoice's `invoice_payment_v1` run (idempotent; from a workflow, not a step)."""
    await workflows.start(organization_id, invoice_id)


async def agreement_invoices(ctx: RequestContext, agreement_id: uuid.UUID) -> list[BilledInvoice]:
    """The agreement's invoices by period (a caller sees those they may view)."""
    return [_billed(x) for x in await agreements.of_agreement(ctx, agreement_id)]
