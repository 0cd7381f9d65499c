"""Operational reports (issue 20): work orders, violations, architectural review and compliance of one association.

Each reads through the domain's `api` as the user who asked: the association must be one they may view (NOT_FOUND
for another organization's, FORBIDDEN when they may not view it), and each count covers the records the domain's
own policy lets them view (its query plan), so a report never shows more than the domain's own procedures would.
Counts by status are of the records opened in the period, in their status today; "open" and "past due" are as of
the moment the report is produced.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hestami.cam.arc import api as arc
from hestami.cam.association import api as association
from hestami.cam.compliance import api as compliance
from hestami.cam.reporting.definitions import Chart, Column, ReportData, ReportDefinition, Series, Table, register
from hestami.cam.reporting.parameters import AsOfParameters, DateRangeParameters
from hestami.cam.violations import api as violations
from hestami.cam.work_order import api as work_orders
from hestami.core.context import RequestContext

WORK_ORDER_STATUSES = (
    "DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "ON_HOLD", "COMPLETED", "INVOICED",
    "CLOSED", "CANCELLED",
)  # fmt: skip
AGE_BUCKETS = (("0-7 days", 0, 7), ("8-30 days", 8, 30), ("31-90 days", 31, 90), ("Over 90 days", 91, None))
UNASSIGNED = "(not assigned)"
TENTH = Decimal("0.1")


def _period(params: DateRangeParameters) -> tuple[date, date, datetime, datetime]:
    """(first day, last day, first instant, the instant after the last day) in UTC."""
    today = date.today()
    end = params.end or today
    start = params.start or end.replace(day=1)
    return start, end, _instant(start), _instant(end + timedelta(days=1))


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _days(earlier: datetime, later: datetime) -> Decimal:
    return Decimal((later - earlier).total_seconds()) / Decimal(86400)


def _average(values: Sequence[Decimal]) -> Decimal | None:
    """The mean to a tenth of a day (half up), None without values."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(TENTH)


def _ordered_counts(counts: Counter[str], order: Iterable[str]) -> list[tuple[str, int]]:
    """The counts in `order`, then any other key alphabetically; keys counted zero are left out."""
    known = [key for key in order if counts.get(key)]
    return [(key, counts[key]) for key in [*known, *sorted(set(counts) - set(known))]]


def _count_table(key: str, title: str, label: str, counts: list[tuple[str, int]]) -> Table:
    return Table(
        key, title, [Column("name", label), Column("count", "Count", "number")],
        [list(row) for row in counts], totals=["Total", sum(n for _, n in counts)],
    )  # fmt: skip


def _count_chart(key: str, title: str, what: str, counts: list[tuple[str, int]]) -> Chart:
    """A bar chart of counts by name (`_count_table`'s rows), `what` naming what is counted."""
    return Chart(key, title, "bar", [name for name, _ in counts], [Series(what, [n for _, n in counts])], y_label=what)


def _subtitle(name: str, start: date, end: date) -> str:
    return f"{name}, {start.isoformat()} to {end.isoformat()}"


# --- work orders -----------------------------------------------------------------------------------------------


def _breached(order: work_orders.WorkOrderFact, now: datetime) -> bool:
    if order.sla_breached:
        return True
    return order.sla_due_at is not None and (order.completed_at or now) > order.sla_due_at


def _age_bucket(days: int) -> str:
    for name, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return name
    return AGE_BUCKETS[0][0]


async def work_order_summary(ctx: RequestContext, params: DateRangeParameters) -> ReportData:
    found = await association.load_association(ctx, params.association_id)
    start, end, first, after = _period(params)
    now = datetime.now(UTC)
    orders = await work_orders.report_facts(ctx, found.id, created_before=after)
    opened = [o for o in orders if o.created_at >= first]
    by_status = _ordered_counts(Counter(o.status for o in opened), WORK_ORDER_STATUSES)

    breached = [o for o in opened if _breached(o, now)]
    priorities = sorted({o.priority for o in opened})
    sla_rows = [
        [p, sum(1 for o in opened if o.priority == p), sum(1 for o in breached if o.priority == p)] for p in priorities
    ]

    vendors: dict[str, list[int]] = {}
    for order in opened:
        row = vendors.setdefault(order.provider_name or UNASSIGNED, [0, 0, 0])
        row[0] += 1
        row[1] += 0 if order.is_open else 1
        row[2] += 1 if _breached(order, now) else 0
    vendor_rows = [[name, *vendors[name]] for name in sorted(vendors, key=lambda n: (n == UNASSIGNED, n))]

    open_now = [o for o in orders if o.is_open]
    ages = Counter(_age_bucket((end - (o.submitted_at or o.created_at).date()).days) for o in open_now)
    age_rows = [[name, ages.get(name, 0)] for name, _, _ in AGE_BUCKETS]

    completed = [o for o in orders if o.completed_at is not None and first <= o.completed_at < after]
    average = _average([_days(o.submitted_at or o.created_at, o.completed_at) for o in completed if o.completed_at])

    return ReportData(
        title="Work order summary",
        subtitle=_subtitle(found.name, start, end),
        summary={
            "opened": len(opened),
            "completed": len(completed),
            "open": len(open_now),
            "sla_breaches": len(breached),
            "average_days_to_complete": average,
        },
        tables=[
            _count_table("by_status", "Opened in the period, by status", "Status", by_status),
            Table(
                "sla",
                "SLA by priority",
                [
                    Column("priority", "Priority"),
                    Column("opened", "Opened", "number"),
                    Column("breached", "SLA breached", "number"),
                ],
                sla_rows,
                totals=["Total", len(opened), len(breached)],
            ),
            Table(
                "by_vendor",
                "By provider",
                [
                    Column("provider", "Provider"),
                    Column("opened", "Opened", "number"),
                    Column("done", "Completed", "number"),
                    Column("breached", "SLA breached", "number"),
                ],
                vendor_rows,
                totals=["Total", len(opened), sum(r[2] for r in vendor_rows), sum(r[3] for r in vendor_rows)],
            ),
            Table(
                "open_age",
                "Open work orders by age",
                [Column("age", "Age"), Column("count", "Open", "number")],
                age_rows,
                totals=["Total", len(open_now)],
            ),
        ],
        charts=[_count_chart("by_status", "Work orders opened, by status", "Work orders", by_status)],
    )


# --- violations ------------------------------------------------------------------------------------------------


def _months(start: date, end: date) -> list[date]:
    """The first day of each month from `start`'s to `end`'s."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


async def violation_summary(ctx: RequestContext, params: DateRangeParameters) -> ReportData:
    found = await association.load_association(ctx, params.association_id)
    start, end, first, after = _period(params)
    now = datetime.now(UTC)
    facts = await violations.report_facts(ctx, found.id, observed_before=after)
    opened = [v for v in facts if v.observed_at >= first]
    open_now = [v for v in facts if v.is_open]
    cure_passed = [v for v in open_now if v.cure_due_at is not None and v.cure_due_at < now]
    fines = sum((v.fined for v in opened), Decimal("0.00"))
    by_status = _ordered_counts(Counter(v.status for v in opened), ())
    opened_by_type = Counter(v.type_name for v in opened)
    open_by_type = Counter(v.type_name for v in opened if v.is_open)
    fined_by_type: dict[str, Decimal] = {}
    for v in opened:
        fined_by_type[v.type_name] = fined_by_type.get(v.type_name, Decimal("0.00")) + v.fined
    type_rows = [[t, opened_by_type[t], open_by_type[t], fined_by_type[t]] for t in sorted(opened_by_type)]
    months = _months(start, end)
    per_month = Counter(v.observed_at.date().replace(day=1) for v in opened)
    return ReportData(
        title="Violation summary",
        subtitle=_subtitle(found.name, start, end),
        summary={
            "opened": len(opened),
            "open": len(open_now),
            "cure_deadlines_passed": len(cure_passed),
            "fines_assessed": fines,
        },
        tables=[
            _count_table("by_status", "Opened in the period, by status", "Status", by_status),
            Table(
                "by_type",
                "Opened in the period, by type",
                [
                    Column("type", "Type"),
                    Column("opened", "Opened", "number"),
                    Column("open", "Still open", "number"),
                    Column("fines", "Fines assessed", "money"),
                ],
                type_rows,
                totals=["Total", len(opened), sum(1 for v in opened if v.is_open), fines],
            ),
        ],
        charts=[
            _count_chart(
                "by_month",
                "Violations opened, by month",
                "Violations",
                [(m.strftime("%Y-%m"), per_month.get(m, 0)) for m in months],
            )
        ],
    )


# --- architectural review ----------------------------------------------------------------------------------------


async def arc_summary(ctx: RequestContext, params: DateRangeParameters) -> ReportData:
    found = await association.load_association(ctx, params.association_id)
    start, end, first, after = _period(params)
    now = datetime.now(UTC)
    requests = await arc.report_facts(ctx, found.id, created_before=after)
    opened = [r for r in requests if r.created_at >= first]
    decided = [
        r for r in requests if r.decided_at is not None and r.submitted_at is not None and first <= r.decided_at < after
    ]
    average = _average([_days(r.submitted_at, r.decided_at) for r in decided if r.submitted_at and r.decided_at])
    overdue = [r for r in requests if r.in_review and r.review_due_at is not None and r.review_due_at < now]
    by_status = _ordered_counts(Counter(r.status for r in opened), ())
    return ReportData(
        title="Architectural review summary",
        subtitle=_subtitle(found.name, start, end),
        summary={
            "opened": len(opened),
            "decided": len(decided),
            "deemed_approved": sum(1 for r in decided if r.deemed),
            "in_review": sum(1 for r in requests if r.in_review),
            "pending_past_deemed_approval": len(overdue),
            "average_days_to_decision": average,
        },
        tables=[
            _count_table("by_status", "Opened in the period, by status", "Status", by_status),
            Table(
                "past_deemed_approval",
                "In review past the deemed-approval date",
                [
                    Column("number", "Request", "number"),
                    Column("title", "Title"),
                    Column("status", "Status"),
                    Column("review_due_at", "Deemed approved after", "datetime"),
                ],
                [[r.number, r.title, r.status, r.review_due_at] for r in overdue],
            ),
        ],
        charts=[_count_chart("by_status", "Requests opened, by status", "Requests", by_status)],
    )


# --- compliance --------------------------------------------------------------------------------------------------

STATES = ("OVERDUE", "DUE", "DONE")


async def compliance_status(ctx: RequestContext, params: AsOfParameters) -> ReportData:
    found = await association.load_association(ctx, params.association_id)
    as_of = params.as_of or date.today()
    deadlines = await compliance.report_facts(ctx, found.id)
    states = Counter(d.state_on(as_of) for d in deadlines)
    titles: dict[str, tuple[str, str]] = {}
    next_due_on: dict[str, date] = {}
    counts: dict[str, Counter[str]] = {}
    for d in deadlines:  # by due date: the first not done is the next one due
        state = d.state_on(as_of)
        titles.setdefault(d.code, (d.title, d.kind))
        counts.setdefault(d.code, Counter())[state] += 1
        if state != "DONE":
            next_due_on.setdefault(d.code, d.due_on)
    order = sorted(titles, key=lambda code: (code not in next_due_on, next_due_on.get(code, as_of), code))
    rows = [[code, *titles[code], next_due_on.get(code), *(counts[code][s] for s in STATES)] for code in order]
    next_due = [d for d in deadlines if d.state_on(as_of) == "DUE"]
    return ReportData(
        title="Compliance status",
        subtitle=f"{found.name}, as of {as_of.isoformat()}",
        summary={
            "overdue": states.get("OVERDUE", 0),
            "due": states.get("DUE", 0),
            "done": states.get("DONE", 0),
            "next_due_on": next_due[0].due_on if next_due else None,
        },
        tables=[
            _count_table("by_status", "Deadlines by status", "Status", [(s, states.get(s, 0)) for s in STATES]),
            Table(
                "requirements",
                "Requirements",
                [
                    Column("code", "Code"),
                    Column("title", "Requirement"),
                    Column("kind", "Kind"),
                    Column("next_due_on", "Next due", "date"),
                    Column("overdue", "Overdue", "number"),
                    Column("due", "Due", "number"),
                    Column("done", "Done", "number"),
                ],
                rows,
                totals=[
                    "Total",
                    None,
                    None,
                    None,
                    states.get("OVERDUE", 0),
                    states.get("DUE", 0),
                    states.get("DONE", 0),
                ],
            ),
        ],
    )


register(
    ReportDefinition(
        key="work_order_summary",
        title="Work order summary",
        category="OPERATIONAL",
        description="Work orders opened in the period by status, SLA breaches by priority, by provider, open work "
        "orders by age (0-7, 8-30, 31-90, over 90 days) and the average days to complete.",
        parameters=DateRangeParameters,
        produce=work_order_summary,
    )
)
register(
    ReportDefinition(
        key="violation_summary",
        title="Violation summary",
        category="OPERATIONAL",
        description="Violations opened in the period by status and type, open violations, cure deadlines passed "
        "and fines assessed; a chart by month opened.",
        parameters=DateRangeParameters,
        produce=violation_summary,
    )
)
register(
    ReportDefinition(
        key="arc_summary",
        title="Architectural review summary",
        category="OPERATIONAL",
        description="Architectural requests opened in the period by status, the average days to a decision and the "
        "requests still in review past their deemed-approval date.",
        parameters=DateRangeParameters,
        produce=arc_summary,
    )
)
register(
    ReportDefinition(
        key="compliance_status",
        title="Compliance status",
        category="OPERATIONAL",
        description="Compliance deadlines by status (due, overdue, done) and each requirement's next due date.",
        parameters=AsOfParameters,
        produce=compliance_status,
    )
)
