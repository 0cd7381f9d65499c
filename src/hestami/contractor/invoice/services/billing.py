"""What an invoice for a job bills, before it is stored: the accepted option's lines, or the job's time and
materials priced through the pricebook, a percent of the accepted option (a deposit or progress billing), and the
credit for what earlier invoices of the job billed.

Time is priced at the pricebook's labour item of the job's trade (`LABOUR_CODES`, else `LAB-<TRADE>`, else `LAB`),
one line per technician and kind of time (travel, work), in hours with two decimals; materials at their items, per
code; both through `pricebook.api.quote` with the job's association (its rate sheet) at the moment the job was
completed (after-hours rules), with the member discount when the customer or association has a maintenance
agreement in force (`job.api.is_member`), exactly as a quote answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from hestami.contractor.estimate import api as estimates
from hestami.contractor.field import api as field
from hestami.contractor.invoice import rules
from hestami.contractor.invoice.errors import InvoiceReason, rule
from hestami.contractor.job import api as jobs
from hestami.contractor.pricebook import api as pricebook
from hestami.core.context import RequestContext

LABOUR_CODES = {"PLUMBING": "LAB-JP", "HVAC": "LAB-HVAC"}
"""The labour item a trade's time is billed at, when its code is not `LAB-<TRADE>`."""


@dataclass(frozen=True, slots=True)
class DraftLine:
    source: str
    code: str | None
    description: str
    unit: str | None
    quantity: Decimal
    unit_price: Decimal
    total: Decimal
    taxable: bool


def option_lines(option: estimates.AcceptedOption) -> list[DraftLine]:
    return [
        DraftLine("OPTION", x.code, x.name, x.unit, x.quantity, x.unit_price, x.line_total, x.taxable)
        for x in option.lines
    ]


def share_of_option(option: estimates.AcceptedOption, kind: str, percent: Decimal) -> DraftLine:
    """A deposit or progress billing: `percent` of the option's total (tax included; the final invoice taxes the
    work and credits this back), not taxable itself."""
    amount = rules.percent_of(option.total, percent)
    what = "Deposit" if kind == "DEPOSIT" else "Progress billing"
    text = f"{what}: {percent.normalize():f}% of {option.estimate_number} ({option.option_name}), total {option.total}"
    return DraftLine("OPTION", None, text, None, Decimal("1"), amount, amount, False)


def credit_lines(earlier: list[tuple[str, str, Decimal]]) -> list[DraftLine]:
    """(invoice number, kind, total) of the job's earlier deposit and progress invoices → one credit each."""
    return [
        DraftLine("DEPOSIT_CREDIT", None, f"Less {kind.lower()} invoice {number}", None, Decimal("1"), -total, -total,
                  False)
        for number, kind, total in earlier
    ]  # fmt: skip


def _labour_candidates(trade: str) -> list[str]:
    found = [LABOUR_CODES[trade]] if trade in LABOUR_CODES else []
    return [*found, f"LAB-{trade.replace(' ', '-')}", "LAB"]


async def _labour_code(ctx: RequestContext, trade: str) -> str:
    candidates = _labour_candidates(trade)
    items = await pricebook.items_of_codes(ctx, candidates)
    for code in candidates:
        if code in items:
            return code
    raise rule(InvoiceReason.NO_LABOUR_ITEM, f"The active pricebook has no labour item for {trade}.", codes=candidates)


async def time_and_materials(ctx: RequestContext, job: jobs.JobRef) -> list[DraftLine]:
    """The job's closed time and its materials, priced (empty when nothing was recorded)."""
    work = await field.billable_work(ctx, job.id)
    minutes: dict[tuple[str, str], int] = defaultdict(int)
    for entry in work.time:
        minutes[(entry.technician_name, entry.kind)] += entry.minutes
    time = [(name, kind, rules.hours(total)) for (name, kind), total in minutes.items() if total > 0]
    wanted: list[tuple[str, Decimal]] = []
    if time:
        labour = await _labour_code(ctx, job.trade)
        wanted += [(labour, quantity) for _, _, quantity in time if quantity > 0]
    materials = [m for m in work.materials if m.quantity > 0]
    missing = sorted(
        set(m.code for m in materials) - set(await pricebook.items_of_codes(ctx, [m.code for m in materials]))
    )
    if missing:
        raise rule(InvoiceReason.NOT_IN_PRICEBOOK, "Materials not in the active pricebook: " + ", ".join(missing),
                   codes=missing)  # fmt: skip
    wanted += [(m.code, m.quantity) for m in materials]
    if not wanted:
        return []
    member = await jobs.is_member(ctx, job.customer_id, job.association_id)
    quoted = await pricebook.quote(ctx, wanted, association_id=job.association_id, at=job.completed_at, member=member)
    lines: list[DraftLine] = []
    priced = iter(quoted.lines)
    for name, kind, quantity in time:
        if quantity <= 0:
            continue
        q = next(priced)
        text = f"{q.name}: {name}, {kind.lower()}"
        lines.append(DraftLine("TIME", q.code, text, q.unit, q.quantity, q.unit_price, q.line_total, q.taxable))
    for q in priced:
        lines.append(DraftLine("MATERIAL", q.code, q.name, q.unit, q.quantity, q.unit_price, q.line_total, q.taxable))
    return lines
