"""What other domains (invoices) may use of estimates: the accepted option of a job's accepted estimate.

Other domains never import `estimate.models`, `.repository`, `.kinds` or `.services` (import-linter holds this)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.estimate import repository
from hestami.contractor.job import api as jobs
from hestami.core.context import RequestContext

__all__ = ["AcceptedLine", "AcceptedOption", "accepted_option"]


@dataclass(frozen=True, slots=True)
class AcceptedLine:
    code: str
    name: str
    kind: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    line_total: Decimal
    taxable: bool


@dataclass(frozen=True, slots=True)
class AcceptedOption:
    estimate_id: uuid.UUID
    estimate_number: str
    option_id: uuid.UUID
    option_name: str
    subtotal: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    lines: tuple[AcceptedLine, ...]


async def accepted_option(ctx: RequestContext, job_id: uuid.UUID) -> AcceptedOption | None:
    """The accepted option of the job's accepted estimate (found by the job, or for an HOA job by its work order),
    or None. NOT_FOUND unless the caller may view the job."""
    job = await jobs.load_job(ctx, job_id)
    estimate = await repository.accepted_for_job(ctx.session, job.id, job.work_order_id)
    if estimate is None or estimate.accepted_option_id is None:
        return None
    option = await repository.option(ctx.session, estimate.accepted_option_id)
    if option is None:
        return None
    lines = tuple(
        AcceptedLine(
            code=line.code,
            name=line.name,
            kind=line.kind,
            unit=line.unit,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
            taxable=line.taxable,
        )
        for line in await repository.option_lines(ctx.session, option.id)
    )
    return AcceptedOption(
        estimate_id=estimate.id, estimate_number=estimate.display_number, option_id=option.id,
        option_name=option.name, subtotal=option.subtotal, tax_rate=estimate.tax_rate, tax=option.tax,
        total=option.total, lines=lines,
    )  # fmt: skip
