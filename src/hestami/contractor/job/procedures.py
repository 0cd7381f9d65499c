"""The contractor's jobs and customers: `job/v1/*`, `customer/v1/*`.

Only a contractor on the platform (a SERVICE_PROVIDER organization with a contractor profile) has jobs: every
procedure answers any other organization BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR. Its ADMIN, MANAGER and
DISPATCHER members keep jobs and customers; its VENDOR members read them (not the internal notes); a TECHNICIAN sees
the jobs they work (dispatch's assignments) and records their progress (start, hold, complete, notes, photos). A job
or customer of another organization, or one the caller may not view, is NOT_FOUND exactly like a random id."""

from __future__ import annotations

from hestami.cam.documents.schemas import DownloadOut
from hestami.contractor.job import workflows as workflows  # job_lifecycle_v1; the hand-off's hooks register
from hestami.contractor.job.schemas import (
    AddAttachment,
    AddCheckpoint,
    AddNote,
    AddVisit,
    AttachmentOut,
    AttachmentRef,
    AttachmentsOut,
    ById,
    ByJob,
    CancelJob,
    CheckpointOut,
    CompleteCheckpoint,
    ConvertJob,
    CreateCustomer,
    CreateJob,
    CustomerOut,
    HistoryOut,
    JobDetailOut,
    JobOut,
    ListCustomers,
    ListJobs,
    NoteOut,
    NotesOut,
    TransitionJob,
    UpdateCustomer,
    UpdateJob,
    UpdateVisit,
    VisitOut,
)
from hestami.contractor.job.services import checkpoints, customers, jobs, notes, visits
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import REMOVED, Removed

TAGS = ("job",)
job = ProcedureRouter("job", tags=TAGS)
customer = ProcedureRouter("customer", tags=TAGS)
ROUTERS: list[ProcedureRouter] = [job, customer]


# --- customers ---------------------------------------------------------------------------------------------------


@customer.mutation("create")
async def create_customer(ctx: RequestContext, data: CreateCustomer) -> CustomerOut:
    """Record a client off the platform (ADMIN, MANAGER, DISPATCHER): `name`, and optional `email`, `phone`,
    `address`, `zip_code` (five digits) and `notes`. Jobs for the customer start from its address."""
    return await customers.create(ctx, data)


@customer.query("get")
async def get_customer(ctx: RequestContext, data: ById) -> CustomerOut:
    """One customer (management, dispatchers, VENDOR members)."""
    return await customers.get(ctx, data.id)


@customer.query("list")
async def list_customers(ctx: RequestContext, data: ListCustomers) -> Page[CustomerOut]:
    """The customers, oldest first, or those whose `name` contains the text given (any case). Deleted customers are
    not listed."""
    return await customers.list_customers(ctx, data)


@customer.mutation("update")
async def update_customer(ctx: RequestContext, data: UpdateCustomer) -> CustomerOut:
    """Change a customer's fields: only those sent change; `null` clears an optional one (`name` is never
    cleared). Jobs already made keep the address they were given."""
    return await customers.update(ctx, data)


@customer.mutation("delete")
async def delete_customer(ctx: RequestContext, data: ById) -> Removed:
    """Delete a customer: it is no longer listed nor found, its jobs keep naming it (kept on record)."""
    await customers.delete(ctx, data.id)
    return REMOVED


# --- jobs --------------------------------------------------------------------------------------------------------


@job.mutation("create")
async def create_job(ctx: RequestContext, data: CreateJob) -> JobOut:
    """Open a DIRECT job (ADMIN, MANAGER, DISPATCHER), numbered JOB-000001 per organization without gaps or repeats:
    a `title`, the `trade` (kept in capitals), `priority` (EMERGENCY, HIGH, MEDIUM default, LOW), an optional
    `description`, `customer_id` (one of your customers: NOT_FOUND otherwise; its address and zip code are the job's
    unless given), `address`, `zip_code`, `branch_id` (one of your branches: NOT_FOUND otherwise; a closed one is
    BRANCH_CLOSED), and `status` LEAD or TICKET (default). Its history starts with that status. Jobs from HOA work
    orders are opened by the hand-off, not here."""
    return await jobs.create(ctx, data)


@job.query("get")
async def get_job(ctx: RequestContext, data: ById) -> JobDetailOut:
    """One job with its visits (by sequence), checkpoints and the notes the caller may read (internal notes: not for
    VENDOR members), oldest first."""
    return await jobs.get(ctx, data.id)


@job.query("list")
async def list_jobs(ctx: RequestContext, data: ListJobs) -> Page[JobOut]:
    """The jobs the caller may view, oldest first, filtered by `status`, `customer_id`, `branch_id`, `trade`,
    `source` (DIRECT, WORK_ORDER, VIOLATION, ARC_REQUEST, UNIT) or `work_order_id` (the HOA work order a job came
    from). A technician lists the jobs they work."""
    return await jobs.list_jobs(ctx, data)


@job.mutation("update")
async def update_job(ctx: RequestContext, data: UpdateJob) -> JobOut:
    """Change an open job's `title`, `description`, `trade`, `priority`, `address`, `zip_code`, `customer_id` or
    `branch_id` (checked as on create): only the fields sent change; `null` clears an optional one. A job COMPLETED or
    later, or CANCELLED, is BUSINESS_RULE_VIOLATION, reason JOB_CLOSED."""
    return await jobs.update(ctx, data)


@job.mutation("transition")
async def transition_job(ctx: RequestContext, data: TransitionJob) -> JobOut:
    """Move a job `to` a status, with an optional `note`: the one path for every move. The table: LEAD → TICKET →
    ESTIMATE_REQUIRED → JOB_CREATED (a ticket may skip the estimate) → SCHEDULED → DISPATCHED (back to SCHEDULED
    to reschedule, and SCHEDULED back to JOB_CREATED) → IN_PROGRESS ⇄ ON_HOLD → COMPLETED → INVOICED → PAID →
    WARRANTY → CLOSED (COMPLETED may go to WARRANTY or CLOSED, PAID to CLOSED); CANCELLED from any state before
    COMPLETED. Any other move is INVALID_STATE_TRANSITION with `from`, `to` and `allowed`. CLOSED while a QA
    checkpoint is PENDING or FAILED is BUSINESS_RULE_VIOLATION, reason CHECKPOINT_OPEN. Management and dispatchers
    make every move; a technician working the job may start (IN_PROGRESS), hold and complete it. Each move is one
    history row and one audit event; cancelling also cancels the job's visits not done."""
    return await jobs.move(ctx, data.id, data.to, data.note)


@job.mutation("convert")
async def convert_job(ctx: RequestContext, data: ConvertJob) -> JobOut:
    """Make a TICKET or ESTIMATE_REQUIRED job a JOB_CREATED (`transition` to JOB_CREATED, with its checks)."""
    return await jobs.move(ctx, data.id, "JOB_CREATED", data.note)


@job.mutation("cancel")
async def cancel_job(ctx: RequestContext, data: CancelJob) -> JobOut:
    """Cancel a job before it is COMPLETED, giving the `reason` (`transition` to CANCELLED; the reason is the
    history's note); its visits not done are cancelled with it. Management and dispatchers."""
    return await jobs.move(ctx, data.id, "CANCELLED", data.reason)


@job.query("history")
async def job_history(ctx: RequestContext, data: ById) -> HistoryOut:
    """Every status the job took, oldest first: from, to, who (null: the system), note, when. The first row is the
    status it was opened in (from null)."""
    return await jobs.history(ctx, data.id)


# --- notes and attachments ---------------------------------------------------------------------------------------


@job.mutation("addNote")
async def add_note(ctx: RequestContext, data: AddNote) -> NoteOut:
    """Write a note on a job (`job_id`): `body`, and `internal` (default true: the contractor's own, never shown to
    VENDOR members nor outside the organization). Management, dispatchers and the job's technicians."""
    return await notes.add_note(ctx, data)


@job.query("listNotes")
async def list_notes(ctx: RequestContext, data: ByJob) -> NotesOut:
    """A job's notes the caller may read, oldest first (VENDOR members: those not internal)."""
    return await notes.list_notes(ctx, data.job_id)


@job.mutation("addAttachment")
async def add_attachment(ctx: RequestContext, data: AddAttachment) -> AttachmentOut:
    """Attach a file to a job (`id`; base64, at most 5 MB: ATTACHMENT_TOO_LARGE): a photo, a drawing, a signed form.
    It is filed as one of your documents under the job (PHOTO for an image, else OTHER), typed from its bytes and
    virus-scanned (`document/v1/upload` gives the reasons a file is refused). Management, dispatchers and the job's
    technicians."""
    return await notes.add_attachment(ctx, data)


@job.query("listAttachments")
async def list_attachments(ctx: RequestContext, data: ById) -> AttachmentsOut:
    """A job's attachments (metadata), oldest first."""
    return await notes.list_attachments(ctx, data.id)


@job.query("downloadAttachment")
async def download_attachment(ctx: RequestContext, data: AttachmentRef) -> DownloadOut:
    """A signed, time-limited link to one of the job's (`id`) files (`attachment_id`; a file not filed under this
    job is NOT_FOUND), for whoever may view the job; recorded in the document's access trail."""
    return await notes.download_attachment(ctx, data)


# --- visits ------------------------------------------------------------------------------------------------------


@job.mutation("addVisit")
async def add_visit(ctx: RequestContext, data: AddVisit) -> VisitOut:
    """Plan a visit of an open job (`job_id`; JOB_CLOSED otherwise), numbered 1, 2, ... per job: an arrival window
    (`window_start` and `window_end`, with offsets, the end after the start: VALIDATION_FAILED otherwise) makes it
    SCHEDULED, none leaves it UNSCHEDULED; `duration_minutes` on site (5 to 1440, default 60), `pinned` (route
    optimization keeps it where it is) and `notes`. ADMIN, MANAGER, DISPATCHER."""
    return await visits.add(ctx, data)


@job.mutation("updateVisit")
async def update_visit(ctx: RequestContext, data: UpdateVisit) -> VisitOut:
    """Change a visit (`id`) of an open job: a new window (both ends together; both null take it away and make the
    visit UNSCHEDULED, refused with INVALID_STATE_TRANSITION for a visit dispatched or under way), `duration_minutes`,
    `pinned`, `notes`. A visit done or cancelled is BUSINESS_RULE_VIOLATION, reason VISIT_CLOSED."""
    return await visits.update(ctx, data)


@job.mutation("cancelVisit")
async def cancel_visit(ctx: RequestContext, data: ById) -> VisitOut:
    """Cancel a visit (`id`) not done yet; it stays on record as CANCELLED. A visit done or cancelled already is
    INVALID_STATE_TRANSITION."""
    return await visits.cancel(ctx, data.id)


# --- checkpoints -------------------------------------------------------------------------------------------------


@job.mutation("addCheckpoint")
async def add_checkpoint(ctx: RequestContext, data: AddCheckpoint) -> CheckpointOut:
    """Add a checkpoint to a job (`job_id`) not closed nor cancelled (JOB_CLOSED): `kind` QA (it must pass before
    the job may close) or WARRANTY, a `title` and the day it is `due_on`. It starts PENDING. ADMIN, MANAGER,
    DISPATCHER."""
    return await checkpoints.add(ctx, data)


@job.mutation("completeCheckpoint")
async def complete_checkpoint(ctx: RequestContext, data: CompleteCheckpoint) -> CheckpointOut:
    """Record a checkpoint's (`id`) result: `passed` (PASSED) or not (FAILED), with `notes`. A failed checkpoint is
    completed again once the work is redone; a passed one is BUSINESS_RULE_VIOLATION, reason CHECKPOINT_DONE.
    ADMIN, MANAGER, DISPATCHER."""
    return await checkpoints.complete(ctx, data)
