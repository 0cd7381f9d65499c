"""What other domains (dispatch, the HOA hand-off's workflow) may use of jobs: small frozen references, the one
transition path, the visits of a day for the dispatch board, and the hooks they register.

Loading: with a caller (a request, `acting` as a user) a job or visit is NOT_FOUND unless the caller may view it;
as the system (a workflow step: no principal) it is found in the context's organization. Other domains never import
`job.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.job import kinds, lifecycle, repository
from hestami.contractor.job import workflows as handoff_workflow
from hestami.contractor.job.models import Job, JobVisit
from hestami.contractor.job.services import jobs, visits
from hestami.contractor.job.services.jobs import CALLER, Actor, TransitionHook
from hestami.contractor.profile import api as profile
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.outbox import Channel
from hestami.core.records import RecordKind

__all__ = [
    "CALLER", "Actor", "BoardVisit", "CustomerContact", "JobRef", "JobSite", "TransitionHook", "VisitRef",
    "association_label", "before_completion", "customer_address", "customer_contact",
    "customer_names", "job_sites", "load_job", "load_visit", "mark_sla_breached", "open_agreement_job",
    "open_jobs_without_visits", "register_technician_users", "set_sla_due", "set_visit_status", "set_visit_window",
    "transition", "visits_of", "visits_on", "when_transitioned", "work_order_associations",
]  # fmt: skip

when_transitioned = jobs.when_transitioned
before_completion = jobs.before_completion
register_technician_users = kinds.register_technician_users
technician_users = kinds.technician_users
"""(ctx, job ids) → the user ids (as text) of the technicians working each job: for a domain whose records belong
to a job and whose policy lets those technicians read them (estimates)."""
technician_users_column = kinds._users_column
"""(organization_id column, job_id column) → the same users as a SQL text array of the row (for query plans)."""
NEEDS_A_VISIT = lifecycle.OPEN - {"LEAD"}
"""Open jobs that are work to plan (a lead is not yet)."""


@dataclass(frozen=True, slots=True)
class JobRef:
    id: uuid.UUID
    number: str
    status: str
    trade: str
    priority: str
    zip_code: str | None
    branch_id: uuid.UUID | None
    work_order_id: uuid.UUID | None
    hoa_organization_id: uuid.UUID | None
    association_id: uuid.UUID | None
    sla_due_at: datetime | None
    title: str = ""
    customer_id: uuid.UUID | None = None
    description: str | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class VisitRef:
    id: uuid.UUID
    job_id: uuid.UUID
    status: str
    window_start: datetime | None
    window_end: datetime | None
    duration_minutes: int
    pinned: bool
    sequence: int = 1


@dataclass(frozen=True, slots=True)
class BoardVisit(VisitRef):
    """A visit with its job's facts, as the dispatch board shows it."""

    job_number: str = ""
    job_title: str = ""
    job_status: str = ""
    trade: str = ""
    priority: str = ""
    zip_code: str | None = None
    address: str | None = None
    branch_id: uuid.UUID | None = None
    sla_due_at: datetime | None = None


def job_ref(job: Job) -> JobRef:
    return JobRef(
        id=job.id, number=job.display_number, status=job.status, trade=job.trade, priority=job.priority,
        zip_code=job.zip_code, branch_id=job.branch_id, work_order_id=job.work_order_id,
        hoa_organization_id=job.hoa_organization_id, association_id=job.association_id, sla_due_at=job.sla_due_at,
        title=job.title, customer_id=job.customer_id, description=job.description, completed_at=job.completed_at,
    )  # fmt: skip


def visit_ref(visit: JobVisit) -> VisitRef:
    return VisitRef(
        id=visit.id, job_id=visit.job_id, status=visit.status, window_start=visit.window_start,
        window_end=visit.window_end, duration_minutes=visit.duration_minutes, pinned=visit.pinned,
        sequence=visit.sequence,
    )  # fmt: skip


async def _visible(ctx: RequestContext, kind: RecordKind[Any], record_id: uuid.UUID, *, lock: bool = False) -> Any:
    if ctx.principal is None:
        return await records.find(ctx, kind, record_id, lock=lock)
    await profile.require_contractor(ctx)
    return await records.load(ctx, kind, record_id, lock=lock)


async def load_job(ctx: RequestContext, job_id: uuid.UUID) -> JobRef:
    """One job (NOT_FOUND for another organization's, a random id, or one a caller may not view)."""
    return job_ref(await _visible(ctx, kinds.JOB, job_id))


async def committed_job(ctx: RequestContext, job_id: uuid.UUID) -> JobRef | None:
    """The job in the caller's organization, read as the system, or None while it is not visible (a workflow
    started in the transaction that opens the job runs before that transaction has committed)."""
    job = await repository.job(ctx.session, job_id)
    return job_ref(job) if job is not None else None


async def load_visit(ctx: RequestContext, visit_id: uuid.UUID) -> VisitRef:
    """One visit (NOT_FOUND like `load_job`)."""
    return visit_ref(await _visible(ctx, kinds.JOB_VISIT, visit_id))


async def visits_of(ctx: RequestContext, job_id: uuid.UUID) -> list[VisitRef]:
    """The job's visits by sequence, read in the context's organization (the calling domain has loaded the job)."""
    return [visit_ref(v) for v in await repository.visits(ctx.session, job_id)]


async def transition(
    ctx: RequestContext, job_id: uuid.UUID, to: str, note: str | None = None, *, actor: Actor = CALLER
) -> JobRef:
    """Moves the job (locked) to `to` through the one transition path (`services.jobs.transition`): with CALLER,
    the job policy authorizes the move (NOT_FOUND unless the caller may view the job, FORBIDDEN when they may not
    make this move); with a user id or None (the system), the calling domain has authorized its own action. Refused
    moves are INVALID_STATE_TRANSITION; CLOSED with a QA checkpoint not passed is CHECKPOINT_OPEN."""
    if actor is CALLER:
        await profile.require_contractor(ctx)
    job = await records.find(ctx, kinds.JOB, job_id, lock=True)
    return job_ref(await jobs.transition(ctx, job, to, note, actor=actor))


async def set_visit_status(ctx: RequestContext, visit_id: uuid.UUID, status: str) -> VisitRef:
    """Moves a visit (locked) along the visits' table (`lifecycle.VISIT_TRANSITIONS`; INVALID_STATE_TRANSITION
    otherwise; the same status again changes nothing). No visit policy check: dispatch authorizes its own action
    (an assignment, a technician's progress); the visit must be one the caller may view (NOT_FOUND)."""
    visit = await _visible(ctx, kinds.JOB_VISIT, visit_id, lock=True)
    return visit_ref(await visits.set_status(ctx, visit, status))


async def set_visit_window(
    ctx: RequestContext, visit_id: uuid.UUID, window_start: datetime | None, window_end: datetime | None
) -> VisitRef:
    """A new arrival window for a visit of an open job (both or neither; the end after the start: ValueError
    otherwise), as `job/v1/updateVisit` changes it; dispatch authorizes its own action (a reschedule)."""
    if (window_start is None) != (window_end is None) or (window_start and window_end and window_end <= window_start):
        raise ValueError("an arrival window needs a start before its end")
    visit = await _visible(ctx, kinds.JOB_VISIT, visit_id, lock=True)
    changed = await visits.change(ctx, visit, {"window_start": window_start, "window_end": window_end})
    return visit_ref(changed)


@dataclass(frozen=True, slots=True)
class CustomerContact:
    """How to reach a job's customer (a DIRECT job's: none for a walk-in)."""

    name: str
    email: str | None
    phone: str | None
    address: str | None
    zip_code: str | None


async def customer_contact(ctx: RequestContext, job_id: uuid.UUID) -> CustomerContact | None:
    """The contact fields of the job's customer (kept even once the customer is deleted), or None for a job without
    one; read as the system in the context's organization (the calling domain authorizes its own action)."""
    job = await records.find(ctx, kinds.JOB, job_id)
    if job.customer_id is None:
        return None
    found = await repository.customer(ctx.session, job.customer_id)
    if found is None:
        return None
    return CustomerContact(found.name, found.email, found.phone, found.address, found.zip_code)


async def customer_address(ctx: RequestContext, job: JobRef) -> tuple[Channel, str] | None:
    """Where the job's customer hears from the contractor (`ctx` is the contractor's scope): a work order's job is
    announced to the HOA's organization (`hoa:<organization id>`, as work orders announce to `provider:<org>`); a
    DIRECT job's customer by email, else by SMS to the phone; neither (a walk-in): None."""
    if job.work_order_id is not None and job.hoa_organization_id is not None:
        return "EMAIL", f"hoa:{job.hoa_organization_id}"
    contact = await customer_contact(ctx, job.id)
    if contact is None:
        return None
    if contact.email:
        return "EMAIL", contact.email
    if contact.phone:
        return "SMS", contact.phone
    return None


@dataclass(frozen=True, slots=True)
class CustomerRef:
    id: uuid.UUID
    name: str
    email: str | None
    address: str | None
    zip_code: str | None


async def load_customer(ctx: RequestContext, customer_id: uuid.UUID) -> CustomerRef:
    """One customer the caller may view (NOT_FOUND for another organization's, a deleted one or a random id); as
    the system, any customer of the context's organization not deleted."""
    found = await _visible(ctx, kinds.CUSTOMER, customer_id)
    return CustomerRef(found.id, found.name, found.email, found.address, found.zip_code)


async def customer_names(ctx: RequestContext, customer_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """The names of the organization's customers among these ids, as they are now (deleted ones too), in one query,
    for another domain's listings of records that name them (an estimate's customer; the caller was allowed to view
    those records); an id of no customer is absent."""
    return await repository.customer_names(ctx.session, customer_ids)


@dataclass(frozen=True, slots=True)
class JobSite:
    """Who and where a job is for, as they are now: its customer's name (None without one: a walk-in, an HOA work
    order's job) and its site on one line (the job's address, else its customer's) with the zip code."""

    number: str
    title: str
    customer_name: str | None
    address: str | None
    zip_code: str | None
    work_order_id: uuid.UUID | None


def _one_line(address: str | None) -> str | None:
    """An address on one line: its lines joined by commas, blanks dropped (None when nothing is left)."""
    if address is None:
        return None
    parts = [part.strip(" ,") for part in address.splitlines()]
    return ", ".join(part for part in parts if part) or None


async def job_sites(ctx: RequestContext, job_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, JobSite]:
    """Who and where each of the organization's jobs among these ids is for, for another domain's listings of
    records of those jobs (the dispatch board; the caller was allowed to view those records): the jobs and their
    customers in one query, and when some are HOA work orders' jobs, the associations' names in one more
    (`work_order_associations`); an id of no job is absent."""
    rows = await repository.job_sites(ctx.session, job_ids)
    hoa = await work_order_associations(ctx, [r.work_order_id for r in rows if r.work_order_id and not r.customer_name])
    return {row.id: _site(row, hoa) for row in rows}


def _site(row: Any, associations: dict[uuid.UUID, str]) -> JobSite:
    customer = row.customer_name or (associations.get(row.work_order_id) if row.work_order_id else None)
    return JobSite(
        number=f"JOB-{row.number:06d}", title=row.title, customer_name=customer,
        address=_one_line(row.address) or _one_line(row.customer_address),
        zip_code=row.zip_code or row.customer_zip_code, work_order_id=row.work_order_id,
    )  # fmt: skip


async def work_order_associations(ctx: RequestContext, work_order_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Whom each of these HOA work orders is for, as the contractor's invoices name it: the association's name, with
    its management organization's in parentheses when that is another name, as they are now; read once from the
    work the contractor was assigned or asked to bid on (`work_order.api.provider_work`: nothing with no id);
    a work order that is not the contractor's is absent."""
    wanted = set(work_order_ids)
    if not wanted:
        return {}
    return {w.work_order_id: association_label(w.association_name, w.organization_name)
            for w in await work_orders.provider_work(ctx) if w.work_order_id in wanted}  # fmt: skip


def association_label(association_name: str, organization_name: str) -> str:
    """An association as a contractor names it: "Association" or "Association (Management organization)"."""
    if association_name == organization_name:
        return association_name
    return f"{association_name} ({organization_name})"


async def describe(ctx: RequestContext, job_id: uuid.UUID, description: str) -> JobRef:
    """Sets the job's description (an accepted estimate names its option), audited as `job.updated`. No job policy
    check: the calling domain authorizes its own action; the job must be in the context's organization."""
    job = await records.find(ctx, kinds.JOB, job_id, lock=True)
    return job_ref(await records.change(ctx, kinds.JOB, job, {"description": description}))


async def set_sla_due(ctx: RequestContext, job_id: uuid.UUID, due_at: datetime | None) -> JobRef:
    """Sets when the job must be responded to (dispatch's SLA window; None clears it) and clears the breach flag;
    audited as `job.sla_set`. No job policy check: dispatch authorizes its own action."""
    job = await records.find(ctx, kinds.JOB, job_id, lock=True)
    changed = await records.change(ctx, kinds.JOB, job, {"sla_due_at": due_at, "sla_breached": False}, action="sla_set")
    return job_ref(changed)


async def mark_sla_breached(ctx: RequestContext, job_id: uuid.UUID) -> JobRef:
    """Records that the job's SLA was breached (once: a job breached already is left as it is), audited as
    `job.sla_breached`. No job policy check: dispatch's SLA clock acts as the system."""
    job = await records.find(ctx, kinds.JOB, job_id, lock=True)
    if not job.sla_breached:
        job = await records.change(ctx, kinds.JOB, job, {"sla_breached": True}, action="sla_breached")
    return job_ref(job)


# --- a maintenance agreement's visits (issue 24) -------------------------------------------------------------


async def open_agreement_job(
    ctx: RequestContext,
    *,
    agreement_reference: str,
    title: str,
    trade: str,
    customer_id: uuid.UUID | None,
    hoa_organization_id: uuid.UUID | None,
    association_id: uuid.UUID | None,
    work_order_id: uuid.UUID | None,
    address: str | None,
    zip_code: str | None,
    branch_id: uuid.UUID | None,
    description: str | None,
    window_start: datetime,
    window_end: datetime,
    duration_minutes: int,
) -> tuple[JobRef, VisitRef]:
    """A job for one visit of a maintenance agreement (source AGREEMENT, `origin_reference` the agreement's number;
    an HOA agreement's job carries the HOA and, when the agreement has one, its standing work order), opened
    JOB_CREATED (no technician yet: the dispatch board shows it as an unassigned visit) with one SCHEDULED visit in
    the window. No job policy check: the agreements authorize their own action; in the context's organization."""
    job = Job(
        source="AGREEMENT", customer_id=customer_id, work_order_id=work_order_id,
        hoa_organization_id=hoa_organization_id, association_id=association_id, origin_reference=agreement_reference,
        title=title, description=description, trade=trade, priority="LOW", status="JOB_CREATED", address=address,
        zip_code=zip_code, branch_id=branch_id,
    )  # fmt: skip
    made = await jobs.open_job(ctx, job, f"a visit of the maintenance agreement {agreement_reference}", actor=None)
    visit = JobVisit(job_id=made.id, sequence=1, status="SCHEDULED", window_start=window_start, window_end=window_end,
                     duration_minutes=duration_minutes)  # fmt: skip
    return job_ref(made), visit_ref(await records.insert(ctx, kinds.JOB_VISIT, visit))


async def visits_on(
    ctx: RequestContext, day_start: datetime, day_end: datetime, branch_id: uuid.UUID | None = None
) -> list[BoardVisit]:
    """The open visits whose arrival window overlaps [day_start, day_end) (aware datetimes), of one branch's jobs or
    all, that the caller may view (visit and job policies' query plans; the system: all), with their jobs' facts,
    in one query; by window start."""
    conditions = []
    if ctx.principal is not None:
        conditions = [await records.visible(ctx, kinds.JOB_VISIT), await records.visible(ctx, kinds.JOB)]
    rows = await repository.visits_between(ctx.session, day_start, day_end, branch_id, *conditions)
    return [_board_visit(*row) for row in rows]


def _board_visit(visit: JobVisit, number: int, title: str, status: str, trade: str, priority: str,
                 zip_code: str | None, address: str | None, branch_id: uuid.UUID | None,
                 sla_due_at: datetime | None) -> BoardVisit:  # fmt: skip
    return BoardVisit(
        **{f.name: getattr(visit, f.name) for f in fields(VisitRef)},
        job_number=f"JOB-{number:06d}", job_title=title, job_status=status, trade=trade, priority=priority,
        zip_code=zip_code, address=address, branch_id=branch_id, sla_due_at=sla_due_at,
    )  # fmt: skip


async def open_jobs_without_visits(
    ctx: RequestContext,
    branch_id: uuid.UUID | None = None,
    *,
    statuses: Iterable[str] = NEEDS_A_VISIT,
    limit: int = 200,
) -> list[JobRef]:
    """Open jobs (not leads, by default) with no open visit that has an arrival window: the board's unassigned
    work, EMERGENCY first, then HIGH, MEDIUM, LOW, then by number; those the caller may view (the system: all)."""
    conditions = [await records.visible(ctx, kinds.JOB)] if ctx.principal is not None else []
    rows = await repository.open_jobs_without_visits(ctx.session, branch_id, sorted(statuses), limit, *conditions)
    return [job_ref(job) for job in rows]


when_handed_off = handoff_workflow.when_handed_off
"""Registers `hook(contractor_id, job_id)`, awaited in `job_lifecycle_v1`'s body once a work order's job is open."""


# --- membership: whether a customer or association has a maintenance agreement in force (issue 24) --------------

MembershipResolver = Callable[[RequestContext, uuid.UUID | None, uuid.UUID | None], Awaitable[bool]]
_membership: list[MembershipResolver] = []


def when_asked_membership(resolver: MembershipResolver) -> MembershipResolver:
    """Registers who answers `is_member` (the maintenance agreements: `maintenance.membership`), once."""
    if resolver not in _membership:
        _membership.append(resolver)
    return resolver


async def is_member(ctx: RequestContext, customer_id: uuid.UUID | None, association_id: uuid.UUID | None) -> bool:
    """Whether the customer or the association is a member (an agreement in force today) in the context's
    organization: False with neither, or when nothing is registered; the calling domain has authorized its own
    action (pricing an estimate or invoice)."""
    if customer_id is None and association_id is None:
        return False
    for resolver in _membership:
        if await resolver(ctx, customer_id, association_id):
            return True
    return False


async def contact_of_customer(ctx: RequestContext, customer_id: uuid.UUID) -> CustomerContact | None:
    """The contact fields of a customer of the context's organization, read as the system (kept even once the
    customer is deleted); None for a random id. The calling domain has authorized its own action (an agreement's
    invoice announced to its customer)."""
    found = await repository.customer(ctx.session, customer_id)
    if found is None:
        return None
    return CustomerContact(found.name, found.email, found.phone, found.address, found.zip_code)
