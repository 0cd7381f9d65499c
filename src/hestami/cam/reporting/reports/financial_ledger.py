"""The general ledger detail (streamed from a server-side cursor, never held whole), the 1099 summary and reserve
funding, read through the domains' apis as the asking user."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

from pydantic import Field

from hestami.cam.accounting import api as accounting
from hestami.cam.accounting.disbursements import api as disbursements
from hestami.cam.association import api as association_api
from hestami.cam.reporting.definitions import Chart, Column, ReportData, ReportDefinition, Series, Table, register
from hestami.cam.reporting.parameters import AsOfParameters, AssociationParameters, PeriodParameters
from hestami.cam.reporting.reports.financial_statements import as_of_date, period
from hestami.cam.reserve import api as reserve
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")


class LedgerParameters(PeriodParameters):
    gl_account_id: uuid.UUID | None = Field(default=None, description="One account; every account when left out.")


class Form1099Parameters(AssociationParameters):
    year: int = Field(ge=2000, le=2200, description="The calendar year the vendors were paid in.")


async def _ledger_rows(ledger: accounting.GeneralLedger, units: dict[uuid.UUID, str]) -> AsyncIterator[Sequence[Any]]:
    account: uuid.UUID | None = None
    running = ZERO
    async for line in ledger.lines:
        if line.gl_account_id != account:
            account, running = line.gl_account_id, ledger.opening.get(line.gl_account_id, ZERO)
        running += line.debit - line.credit
        yield (
            line.account_number, line.account_name, line.entry_number, line.entry_date, line.memo,
            units.get(line.unit_id) if line.unit_id else None, line.debit, line.credit, running,
        )  # fmt: skip


async def produce_general_ledger_detail(ctx: RequestContext, params: LedgerParameters) -> ReportData:
    """Every journal line in the books in the period, by account then date and entry number, with each account's
    running balance (debits less credits, from its balance before the period). The rows are streamed."""
    start, end = period(params)
    ledger = await accounting.general_ledger(
        ctx, params.association_id, start, end, fund=params.fund, gl_account_id=params.gl_account_id
    )
    units = {u.id: u.unit_number for u in await association_api.units_of(ctx, params.association_id)}
    columns = [
        Column("account_number", "Account"), Column("account_name", "Account name"),
        Column("entry_number", "Entry", "number"), Column("entry_date", "Date", "date"), Column("memo", "Memo"),
        Column("unit", "Unit"), Column("debit", "Debit", "money"), Column("credit", "Credit", "money"),
        Column("balance", "Balance", "money"),
    ]  # fmt: skip
    return ReportData(
        title="General ledger detail",
        subtitle=f"{start.isoformat()} to {end.isoformat()}" + (f", {params.fund} fund" if params.fund else ""),
        tables=[
            Table(
                "lines", "Journal lines", columns, _ledger_rows(ledger, units),
                [None, "Total", None, None, None, None, ledger.total_debit, ledger.total_credit, None],
            )
        ],
        summary={"start": start, "end": end, "total_debit": ledger.total_debit, "total_credit": ledger.total_credit},
    )  # fmt: skip


async def produce_form_1099_summary(ctx: RequestContext, params: Form1099Parameters) -> ReportData:
    """What the association paid each 1099-eligible vendor in the year, and whether the vendor is reportable."""
    found = await disbursements.form_1099_totals(ctx, params.association_id, params.year)
    rows = [[v.vendor_name, v.tax_id_masked, v.payments, v.total_paid, v.reportable] for v in found.vendors]
    total = sum((v.total_paid for v in found.vendors), ZERO)
    reportable = [v for v in found.vendors if v.reportable]
    return ReportData(
        title="1099 summary",
        subtitle=f"Calendar year {params.year} (reportable at {found.threshold} or more)",
        tables=[
            Table(
                "vendors", "Vendors",
                [Column("vendor", "Vendor"), Column("tax_id", "Tax id"), Column("payments", "Payments", "number"),
                 Column("total_paid", "Total paid", "money"), Column("reportable", "Reportable", "bool")],
                rows, ["Total", None, sum((v.payments for v in found.vendors), 0), total, None],
            )
        ],
        summary={"year": params.year, "vendors": len(rows), "reportable_vendors": len(reportable),
                 "total_paid": total, "reportable_total": sum((v.total_paid for v in reportable), ZERO)},
    )  # fmt: skip


async def produce_reserve_funding(ctx: RequestContext, params: AsOfParameters) -> ReportData:
    """The reserve components of the latest study made by the date with the percent funded now (the reserve
    fund's balance on the date against the fully funded balance), and the percent funded over time: each study's
    at its own date, then the latest study's projection."""
    as_of = as_of_date(params)
    await accounting.authorize_financial_reports(ctx, params.association_id)
    studies = [s for s in await reserve.studies_of(ctx, params.association_id) if s.study_date <= as_of]
    if not studies:
        return ReportData(
            title="Reserve funding", subtitle=f"As of {as_of.isoformat()}: no reserve study yet",
            summary={"as_of": as_of, "percent_funded": None},
        )  # fmt: skip
    balance = await accounting.fund_balance(ctx, params.association_id, "RESERVE", as_of)
    latest = await reserve.funding_analysis(ctx, studies[-1].id, balance=balance)
    history: list[tuple[str, Decimal | None]] = []
    for study in studies[:-1]:
        past = await reserve.funding_analysis(ctx, study.id, years=1)
        history.append((study.study_date.isoformat(), past.percent_funded))
    projected = [(str(latest.study_date.year + y.year - 1), y.percent_funded) for y in latest.projection]
    categories = [c for c, _ in history] + [f"{as_of.isoformat()} (now)"] + [c for c, _ in projected]
    actual: list[Decimal | None] = [v for _, v in history] + [latest.percent_funded] + [None] * len(projected)
    forecast: list[Decimal | None] = [None] * len(history) + [latest.percent_funded] + [v for _, v in projected]
    rows = [
        [c.name, c.category, c.useful_life_years, c.remaining_life_years, c.replacement_cost, c.fully_funded_balance]
        for c in latest.components
    ]
    return ReportData(
        title="Reserve funding",
        subtitle=f"As of {as_of.isoformat()}, study of {latest.study_date.isoformat()}",
        tables=[
            Table(
                "components", "Reserve components",
                [Column("name", "Component"), Column("category", "Category"),
                 Column("useful_life", "Useful life (years)", "number"),
                 Column("remaining_life", "Remaining life (years)", "number"),
                 Column("replacement_cost", "Replacement cost", "money"),
                 Column("fully_funded", "Fully funded balance", "money")],
                rows,
                ["Total", None, None, None, sum((c.replacement_cost for c in latest.components), ZERO),
                 latest.fully_funded_balance],
            )
        ],
        charts=[
            Chart(
                "percent_funded", "Percent funded over time", "line", categories,
                [Series("Percent funded", actual), Series("Projected", forecast)], "Percent funded",
            )
        ],
        summary={"as_of": as_of, "reserve_balance": balance, "fully_funded_balance": latest.fully_funded_balance,
                 "percent_funded": latest.percent_funded, "study_date": latest.study_date},
    )  # fmt: skip


register(
    ReportDefinition(
        key="general_ledger_detail",
        title="General ledger detail",
        category="FINANCIAL",
        description="Every journal line of the period by account and date with running balances (streamed).",
        parameters=LedgerParameters,
        produce=produce_general_ledger_detail,
    )
)
register(
    ReportDefinition(
        key="form_1099_summary",
        title="1099 summary",
        category="FINANCIAL",
        description="What the association paid each 1099-eligible vendor in a year, and who is reportable.",
        parameters=Form1099Parameters,
        produce=produce_form_1099_summary,
    )
)
register(
    ReportDefinition(
        key="reserve_funding",
        title="Reserve funding",
        category="FINANCIAL",
        description="Reserve components, percent funded now and over time (studies and projection).",
        parameters=AsOfParameters,
        produce=produce_reserve_funding,
    )
)
