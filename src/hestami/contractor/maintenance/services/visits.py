"""An agreement's visits: every occurrence of its schedule within the horizon and its terms becomes a job with one
visit (`job.api.open_agreement_job`), once per date (a `maintenance_scheduled_visits` row, unique per agreement and
date, made under the agreement's row lock); each visit's SLA outcome is recorded once; `listVisits` and
`slaReport` read them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

from hestami.contractor.job import api as jobs
from hestami.contractor.maintenance import repository, rules
from hestami.contractor.maintenance.models import Agreement, ScheduledVisit
from hestami.contractor.maintenance.schemas import SlaReportOut, SlaVisitOut, VisitOut, VisitsOut
from hestami.contractor.maintenance.services.agreements import load
from hestami.contractor.pricebook import api as pricebook
from hestami.core import runtime
from hestami.core.context import RequestContext

HUNDRED = Decimal(100)


def clock_of(agreement: Agreement) -> rules.Clock:
    assert agreement.clock_started_at is not None
    assert agreement.clock_day_seconds is not None
    return rules.Clock(agreement.clock_started_at, agreement.clock_day_seconds,
                       runtime.current().settings.dispatch_time_zone)  # fmt: skip


async def _description(ctx: RequestContext, agreement: Agreement) -> str:
    included = [f"{s.description} ({s.code}) x {s.quantity.normalize():f}"
                for s in await repository.services(ctx.session, agreement.id)]  # fmt: skip
    if agreement.job_template_id is not None:
        template = await pricebook.template(ctx, agreement.job_template_id)
        included.insert(0, f"Job template: {template.name}")
    head = f"Maintenance visit of {agreement.display_number} ({agreement.plan or agreement.name})."
    return " ".join([head, *(f"{line}." for line in included)])[:5000]


async def generate(ctx: RequestContext, agreement: Agreement, today: date, horizon_days: int) -> int:
    """The jobs of the occurrences from `today` to `today + horizon_days` within the agreement's current term and
    its next (once renewed) not generated yet (the agreement locked by the caller); how many were made."""
    if agreement.status != "ACTIVE":
        return 0
    existing = {v.occurs_on for v in await repository.scheduled_visits(ctx.session, agreement.id)}
    last = today + timedelta(days=horizon_days)
    zone = runtime.current().settings.dispatch_time_zone
    description: str | None = None
    made = 0
    for term in await repository.terms(ctx.session, agreement.id):
        if term.term_number < agreement.term_number:
            continue
        first = max(today, term.term_start)
        for day in rules.occurrences(agreement.schedule_rrule, term.term_start, first, min(term.term_end, last)):
            if day in existing:
                continue
            description = description or await _description(ctx, agreement)
            start, end = rules.window(day, agreement.window_start, agreement.window_end, zone)
            job, visit = await jobs.open_agreement_job(
                ctx, agreement_reference=agreement.display_number, trade=agreement.trade,
                title=f"{agreement.display_number}: {agreement.name}", customer_id=agreement.customer_id,
                hoa_organization_id=agreement.hoa_organization_id, association_id=agreement.association_id,
                work_order_id=agreement.work_order_id, address=agreement.address, zip_code=agreement.zip_code,
                branch_id=agreement.branch_id, description=description, window_start=start, window_end=end,
                duration_minutes=agreement.visit_duration_minutes,
            )  # fmt: skip
            ctx.session.add(ScheduledVisit(
                organization_id=agreement.organization_id, agreement_id=agreement.id, term_number=term.term_number,
                occurs_on=day, job_id=job.id, visit_id=visit.id, window_start=start, window_end=end,
            ))  # fmt: skip
            existing.add(day)
            made += 1
    await ctx.session.flush()
    return made


async def record_outcomes(ctx: RequestContext, agreement: Agreement, real_now: datetime) -> int:
    """Each visit whose outcome is known (done, or its deadline passed on the agreement's clock) gets its SLA
    record, once; how many were recorded now."""
    clock = clock_of(agreement)
    now = clock.now(real_now)
    recorded = await repository.sla_records(ctx.session, agreement.id)
    made = 0
    for visit in await repository.scheduled_visits(ctx.session, agreement.id):
        if visit.id in recorded or visit.window_start > now:
            continue
        job = await jobs.committed_job(ctx, visit.job_id)
        done = job.completed_at if job is not None else None
        found = rules.sla_outcome(visit.window_end, agreement.sla_days_late_allowed,
                                  clock.now(done) if done is not None else None, now)  # fmt: skip
        if found is None:
            continue
        claimed = await repository.claim_sla(ctx.session, {
            "organization_id": agreement.organization_id, "agreement_id": agreement.id,
            "scheduled_visit_id": visit.id, "outcome": found.outcome, "days_late": found.days_late,
            "due_by": visit.window_end + timedelta(days=agreement.sla_days_late_allowed), "completed_at": done,
        })  # fmt: skip
        made += claimed is not None
    return made


async def cancel_future(ctx: RequestContext, agreement: Agreement, today: date, actor: uuid.UUID | None) -> int:
    """The jobs of visits from `today` on that have not started are cancelled (kept on record); how many."""
    cancelled = 0
    for visit in await repository.scheduled_visits(ctx.session, agreement.id):
        if visit.occurs_on < today:
            continue
        job = await jobs.committed_job(ctx, visit.job_id)
        if job is None or job.status not in ("JOB_CREATED", "SCHEDULED", "DISPATCHED"):
            continue
        note = f"{agreement.display_number} cancelled"
        await jobs.transition(ctx, job.id, "CANCELLED", note, actor=actor)
        cancelled += 1
    return cancelled


# --- reading ------------------------------------------------------------------------------------------------------


async def list_visits(ctx: RequestContext, agreement_id: uuid.UUID) -> VisitsOut:
    agreement = await load(ctx, agreement_id)
    outcomes = await repository.sla_records(ctx.session, agreement.id)
    items = []
    for v in await repository.scheduled_visits(ctx.session, agreement.id):
        job = await _job(ctx, v.job_id)
        visit = next((x for x in await jobs.visits_of(ctx, v.job_id) if x.id == v.visit_id), None)
        record = outcomes.get(v.id)
        items.append(VisitOut(
            id=v.id, agreement_id=agreement.id, term_number=v.term_number, occurs_on=v.occurs_on, job_id=v.job_id,
            job_number=job.number, job_status=job.status, visit_id=v.visit_id,
            visit_status=visit.status if visit is not None else "CANCELLED", window_start=v.window_start,
            window_end=v.window_end, sla_outcome=record.outcome if record is not None else None,
        ))  # fmt: skip
    return VisitsOut(items=items)


async def _job(ctx: RequestContext, job_id: uuid.UUID) -> jobs.JobRef:
    """The agreement's job, read as the system (a dispatcher or manager who may view the agreement sees its jobs)."""
    found = await jobs.committed_job(ctx, job_id)
    assert found is not None
    return found


async def sla_report(ctx: RequestContext, agreement_id: uuid.UUID) -> SlaReportOut:
    agreement = await load(ctx, agreement_id)
    scheduled = await repository.scheduled_visits(ctx.session, agreement.id)
    outcomes = await repository.sla_records(ctx.session, agreement.id)
    rows = []
    for v in scheduled:
        record = outcomes.get(v.id)
        if record is not None:
            job = await _job(ctx, v.job_id)
            rows.append(SlaVisitOut(occurs_on=v.occurs_on, job_number=job.number, outcome=record.outcome,
                                    due_by=record.due_by, completed_at=record.completed_at,
                                    days_late=record.days_late))  # fmt: skip
    counts = {k: sum(1 for r in rows if r.outcome == k) for k in ("ON_TIME", "LATE", "MISSED")}
    percent = (HUNDRED * counts["ON_TIME"] / len(rows)).quantize(Decimal("0.01")) if rows else None
    return SlaReportOut(
        agreement_id=agreement.id, number=agreement.display_number, visits_scheduled=len(scheduled),
        visits_evaluated=len(rows), on_time=counts["ON_TIME"], late=counts["LATE"], missed=counts["MISSED"],
        on_time_percent=percent, visits=rows,
    )  # fmt: skip
