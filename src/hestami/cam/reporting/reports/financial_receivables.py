"""Receivables: aged receivables by unit, delinquency (owners, days past due, the collection step taken, a trend
chart) and a unit owner's statement, read through accounting's api as the asking user."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import Field

from hestami.cam.accounting import api as accounting
from hestami.cam.accounting.posting import api as posting
from hestami.cam.association import api as association_api
from hestami.cam.reporting.definitions import Chart, Column, ReportData, ReportDefinition, Series, Table, register
from hestami.cam.reporting.parameters import AsOfParameters, UnitParameters
from hestami.cam.reporting.reports.financial_statements import add_months, as_of_date, month_end
from hestami.core.context import RequestContext

ZERO = Decimal("0.00")
BUCKETS = ("current", "days_31_60", "days_61_90", "days_over_90", "total")


class DelinquencyParameters(AsOfParameters):
    min_days_past_due: int = Field(default=30, ge=0, le=3650, description="Units this many days late or more.")


async def produce_aged_receivables(ctx: RequestContext, params: AsOfParameters) -> ReportData:
    """Each unit's open charges on the date in current (0-30), 31-60, 61-90 and over-90 days past due; the total
    equals the receivable control account of the trial balance on that date."""
    as_of = as_of_date(params)
    aging = await accounting.ar_aging(ctx, params.association_id, as_of)
    money = [
        Column(k, t, "money") for k, t in zip(BUCKETS, ("Current", "31-60", "61-90", "Over 90", "Total"), strict=True)
    ]
    rows = [[r.unit_number, *(getattr(r, k) for k in BUCKETS)] for r in aging.rows]
    totals = [getattr(aging.totals, k) if aging.totals else ZERO for k in BUCKETS]
    return ReportData(
        title="Aged receivables",
        subtitle=f"As of {as_of.isoformat()}",
        tables=[Table("units", "By unit", [Column("unit", "Unit"), *money], rows, ["Total", *totals])],
        summary={"as_of": as_of, "units": len(rows), **dict(zip(BUCKETS, totals, strict=True))},
    )  # fmt: skip


async def produce_delinquency(ctx: RequestContext, params: DelinquencyParameters) -> ReportData:
    """The units at least `min_days_past_due` days behind on the date: owners, balance past due, days past due,
    oldest open charge's due date and the latest collection step taken; chart: the total delinquent at each of the
    last twelve month-ends."""
    as_of = as_of_date(params)
    aging = await accounting.ar_aging(ctx, params.association_id, as_of, params.min_days_past_due)
    late = {
        d.unit_id: d
        for d in await accounting.delinquent_units(ctx, params.association_id, params.min_days_past_due, as_of)
    }
    owners = await association_api.owners_of_record(ctx, params.association_id, as_of)
    steps = await posting.latest_collection_steps(ctx, params.association_id, list(late), as_of)
    rows = []
    total = ZERO
    for r in aging.rows:
        found = late.get(r.unit_id)
        if found is None:
            continue
        step = steps.get(r.unit_id)
        total += r.total
        rows.append([
            r.unit_number, ", ".join(o.name for o in owners.get(r.unit_id, [])), r.total, found.days_past_due,
            as_of - timedelta(days=found.days_past_due), step.step if step else None,
            step.noticed_on if step else None,
        ])  # fmt: skip
    month_ends = [month_end(add_months(as_of.replace(day=1), -i)) for i in range(11, 0, -1)] + [as_of]
    trend = []
    for day in month_ends:
        units = await accounting.delinquent_units(ctx, params.association_id, params.min_days_past_due, day)
        trend.append(sum((u.balance for u in units), ZERO))
    return ReportData(
        title="Delinquency",
        subtitle=f"As of {as_of.isoformat()}, {params.min_days_past_due} or more days past due",
        tables=[
            Table(
                "units", "Delinquent units",
                [
                    Column("unit", "Unit"), Column("owners", "Owners"), Column("balance", "Balance", "money"),
                    Column("days_past_due", "Days past due", "number"),
                    Column("oldest_charge", "Oldest charge due", "date"),
                    Column("collection_step", "Collection step"), Column("step_on", "Step taken", "date"),
                ],
                rows, ["Total", None, total, None, None, None, None],
            )
        ],
        charts=[
            Chart(
                "delinquency_trend", "Delinquency trend", "line", [f"{d:%Y-%m}" for d in month_ends],
                [Series("Total delinquent", trend)], "Amount",
            )
        ],
        summary={"as_of": as_of, "delinquent_units": len(rows), "total_delinquent": total},
    )  # fmt: skip


async def produce_owner_statement(ctx: RequestContext, params: UnitParameters) -> ReportData:
    """The unit's balance on the date with its open charges and the payments received for it (the unit loaded in
    the caller's scope: another unit is NOT_FOUND)."""
    statement = await accounting.unit_statement(ctx, params.unit_id, params.as_of)
    payments: list[accounting.ReceivedPayment] = []
    cursor: str | None = None
    while True:
        page, cursor = await accounting.unit_payments(ctx, params.unit_id, limit=100, cursor=cursor)
        payments.extend(p for p in page if p.payment_date <= statement.as_of)
        if cursor is None:
            break
    numbers = await association_api.unit_numbers(ctx, [params.unit_id])
    charges = [[c.due_date, c.description, c.amount, c.amount_paid, c.open_amount] for c in statement.open_charges]
    payment_rows = [[p.payment_date, p.method, p.reference, p.status, p.amount, p.unapplied_amount] for p in payments]
    return ReportData(
        title="Owner statement",
        subtitle=f"Unit {numbers.get(params.unit_id, '')}, as of {statement.as_of.isoformat()}",
        tables=[
            Table(
                "open_charges", "Open charges",
                [Column("due_date", "Due", "date"), Column("description", "Description"),
                 Column("amount", "Amount", "money"), Column("paid", "Paid", "money"), Column("open", "Open", "money")],
                charges, [None, "Total", None, None, sum((c.open_amount for c in statement.open_charges), ZERO)],
            ),
            Table(
                "payments", "Payments",
                [Column("date", "Date", "date"), Column("method", "Method"), Column("reference", "Reference"),
                 Column("status", "Status"), Column("amount", "Amount", "money"),
                 Column("unapplied", "Unapplied", "money")],
                payment_rows,
                [None, None, None, "Total", sum((p.amount for p in payments if p.status == "POSTED"), ZERO), None],
            ),
        ],
        summary={
            "unit": numbers.get(params.unit_id, ""), "as_of": statement.as_of, "balance": statement.balance,
            "charges_open": statement.charges_open, "unapplied_credit": statement.unapplied_credit,
        },
    )  # fmt: skip


register(
    ReportDefinition(
        key="aged_receivables",
        title="Aged receivables",
        category="FINANCIAL",
        description="Each unit's open charges by days past due: current, 31-60, 61-90 and over 90.",
        parameters=AsOfParameters,
        produce=produce_aged_receivables,
    )
)
register(
    ReportDefinition(
        key="delinquency",
        title="Delinquency",
        category="FINANCIAL",
        description="Delinquent units with owners, balance, days past due and collection step; a 12-month trend.",
        parameters=DelinquencyParameters,
        produce=produce_delinquency,
    )
)
register(
    ReportDefinition(
        key="owner_statement",
        title="Owner statement",
        category="OWNER",
        description="A unit's open charges, payments and balance.",
        parameters=UnitParameters,
        produce=produce_owner_statement,
        scope="UNIT",
    )
)
