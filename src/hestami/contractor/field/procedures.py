"""The field technician's backend (issue 23, P2.6): `fieldTech/v1/*`. Every procedure needs a contractor on the
platform (NOT_A_CONTRACTOR otherwise). A visit, job, step, entry or template of another organization, or one the
caller may not view, is NOT_FOUND exactly like a random id.

Who: the technician a visit is assigned to (dispatch's assignment, not cancelled) records its work while its job is
open; the contractor's DISPATCHER, ADMIN and MANAGER members may record for them, and correct time entries; VENDOR
members and the job's technicians read. Refused actions change nothing. Times are aware datetimes; `at` defaults to
now. Offline devices send their queued actions to `sync`, which applies each once.

Importing this module registers with the jobs' domain the completion guard: `job/v1/transition` to COMPLETED is
refused (REQUIRED_STEPS_OPEN) while a visit of the job has required checklist steps open."""

from __future__ import annotations

from hestami.contractor.field.schemas import (
    AddVoiceNote,
    ApplyChecklist,
    ByVisit,
    CaptureSignature,
    ChecklistOut,
    CorrectTimeEntry,
    MarkStep,
    MaterialOut,
    MaterialsOut,
    MediaListOut,
    MediaOut,
    OfJob,
    OnVisit,
    RecordMaterial,
    SignatureOut,
    SignaturesOut,
    StepOut,
    Sync,
    SyncOut,
    TimeEntriesOut,
    TimeEntryOut,
    UploadMedia,
    VisitCompletedOut,
)
from hestami.contractor.field.services import (
    checklists,
    completion,
    materials,
    media,
    signatures,
    timers,
)
from hestami.contractor.field.services import sync as offline
from hestami.contractor.job import api as jobs
from hestami.contractor.profile import api as profile
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

field = ProcedureRouter("fieldTech", tags=("fieldTech",))
ROUTERS: tuple[ProcedureRouter, ...] = (field,)

jobs.before_completion(completion.guard_job_completion)


# --- time ----------------------------------------------------------------------------------------------------------


@field.mutation("startTravel")
async def start_travel(ctx: RequestContext, data: OnVisit) -> TimeEntryOut:
    """Start the travel timer of the visit's technician at `at`. A timer of theirs still running (another visit's
    too) is stopped at that moment; the same timer running already is TIMER_RUNNING. A SCHEDULED visit and job
    become DISPATCHED. Refused: a closed job (JOB_CLOSED) or visit (VISIT_CLOSED), a visit nobody is assigned
    (NOT_ASSIGNED), a caller who is not its technician (FORBIDDEN), one taken off it (CONFLICT, VISIT_REASSIGNED)."""
    await profile.require_contractor(ctx)
    return await timers.start(ctx, data.visit_id, "TRAVEL", data.at)


@field.mutation("startWork")
async def start_work(ctx: RequestContext, data: OnVisit) -> TimeEntryOut:
    """Start the work timer of the visit's technician at `at` (a travel timer running is closed at that moment);
    the visit and the job become IN_PROGRESS, the assignment ON_SITE. Refused like `startTravel`."""
    await profile.require_contractor(ctx)
    return await timers.start(ctx, data.visit_id, "WORK", data.at)


@field.mutation("stop")
async def stop(ctx: RequestContext, data: OnVisit) -> TimeEntryOut:
    """Stop the timer running on this visit at `at` (NO_TIMER when none is; BEFORE_START before its start)."""
    await profile.require_contractor(ctx)
    return await timers.stop(ctx, data.visit_id, data.at)


@field.query("listTimeEntries")
async def list_time_entries(ctx: RequestContext, data: OfJob) -> TimeEntriesOut:
    """The job's (or one visit's) time entries by start, with whole minutes rounded up (none while running)."""
    await profile.require_contractor(ctx)
    return await timers.list_entries(ctx, data)


@field.mutation("correctTimeEntry")
async def correct_time_entry(ctx: RequestContext, data: CorrectTimeEntry) -> TimeEntryOut:
    """Correct an entry's start or end, with a `reason` (dispatchers and managers; a technician is FORBIDDEN),
    until the job is invoiced (JOB_CLOSED); audited with who and why."""
    await profile.require_contractor(ctx)
    return await timers.correct(ctx, data)


# --- checklists ----------------------------------------------------------------------------------------------------


@field.mutation("applyChecklist")
async def apply_checklist(ctx: RequestContext, data: ApplyChecklist) -> ChecklistOut:
    """Copy a pricebook job template's steps onto the visit as its checklist (once: CHECKLIST_EXISTS)."""
    await profile.require_contractor(ctx)
    return await checklists.apply(ctx, data.visit_id, data.template_id)


@field.query("getChecklist")
async def get_checklist(ctx: RequestContext, data: ByVisit) -> ChecklistOut:
    """The visit's checklist by position, and how many required steps are still open."""
    await profile.require_contractor(ctx)
    return await checklists.get(ctx, data.visit_id)


@field.mutation("completeStep")
async def complete_step(ctx: RequestContext, data: MarkStep) -> StepOut:
    """Mark a step of a visit's checklist done (at `at`), with an optional note."""
    await profile.require_contractor(ctx)
    return await checklists.mark(ctx, data, True)


@field.mutation("uncompleteStep")
async def uncomplete_step(ctx: RequestContext, data: MarkStep) -> StepOut:
    """Mark a step not done again, with an optional note (why)."""
    await profile.require_contractor(ctx)
    return await checklists.mark(ctx, data, False)


# --- media, voice notes, signatures, materials ---------------------------------------------------------------------


@field.mutation("uploadMedia")
async def upload_media(ctx: RequestContext, data: UploadMedia) -> MediaOut:
    """A photo (an image) or document of the visit, base64 (at most 5 MB: FILE_TOO_LARGE), with a caption: filed as
    a document of the job (typed from its bytes, virus-scanned; also among `job/v1/listAttachments`)."""
    await profile.require_contractor(ctx)
    return await media.upload(ctx, data.visit_id, data)


@field.mutation("addVoiceNote")
async def add_voice_note(ctx: RequestContext, data: AddVoiceNote) -> MediaOut:
    """A voice note (audio: WAV, MP3, M4A, AAC, OGG, AMR) filed as a document of the job and sent to the
    transcription port; the request and the transcript are stored and listed with the media."""
    await profile.require_contractor(ctx)
    return await media.voice_note(ctx, data.visit_id, data)


@field.query("listMedia")
async def list_media(ctx: RequestContext, data: OfJob) -> MediaListOut:
    """The job's (or one visit's) photos, documents, voice notes (with transcripts) and signature images."""
    await profile.require_contractor(ctx)
    return await media.list_media(ctx, data)


@field.mutation("captureSignature")
async def capture_signature(ctx: RequestContext, data: CaptureSignature) -> SignatureOut:
    """The customer's signature (a PNG), name and time (`at`), signing a document of the job (`DOCUMENT`,
    `signed_document_id`: NOT_FOUND for any other) or the visit's work summary (`WORK_SUMMARY`, `work_summary`);
    once per visit and purpose (SIGNATURE_EXISTS)."""
    await profile.require_contractor(ctx)
    return await signatures.capture(ctx, data.visit_id, data)


@field.query("listSignatures")
async def list_signatures(ctx: RequestContext, data: OfJob) -> SignaturesOut:
    """The job's (or one visit's) signatures, by time signed."""
    await profile.require_contractor(ctx)
    return await signatures.list_signatures(ctx, data)


@field.mutation("recordMaterial")
async def record_material(ctx: RequestContext, data: RecordMaterial) -> MaterialOut:
    """A pricebook item used on the visit: its `code` in the ACTIVE version (UNKNOWN_ITEM otherwise) and the
    quantity; its name and unit are kept as they are now."""
    await profile.require_contractor(ctx)
    return await materials.record(ctx, data.visit_id, data)


@field.query("listMaterials")
async def list_materials(ctx: RequestContext, data: OfJob) -> MaterialsOut:
    """The materials used on the job (or one visit), in the order recorded."""
    await profile.require_contractor(ctx)
    return await materials.list_materials(ctx, data)


# --- completion and the offline sync -------------------------------------------------------------------------------


@field.mutation("completeVisit")
async def complete_visit(ctx: RequestContext, data: OnVisit) -> VisitCompletedOut:
    """Complete the visit at `at`: every required checklist step done (REQUIRED_STEPS_OPEN, `details.steps` naming
    the others); the technician's timer on it stopped; the visit and its assignment COMPLETED; the job COMPLETED
    when no other visit of it is open (a work order's job then shows COMPLETED to the association)."""
    await profile.require_contractor(ctx)
    return await completion.complete(ctx, data.visit_id, data.at)


@field.mutation("sync")
async def sync(ctx: RequestContext, data: Sync) -> SyncOut:
    """Apply a batch of offline actions (`type`: startTravel, startWork, stop, applyChecklist, completeStep,
    uncompleteStep, uploadMedia, addVoiceNote, captureSignature, recordMaterial, completeVisit; each naming its
    `job_id` and `visit_id`, its `payload` the procedure's input without the visit), each exactly once by
    `client_action_id`: in the order they happened (`client_at`, then batch position; so each job's in its order),
    each on its own, reported per item APPLIED, REPLAYED (sent before: the stored answer, nothing re-applied),
    CONFLICT (the world moved on, e.g. VISIT_REASSIGNED; or the id reused for another action or by another user,
    ACTION_ID_REUSED) or REJECTED, with the error's code and reason; one failing never drops the others. Timers and
    completions happen at `client_at`. Each action is validated on its own: a malformed one (an unknown `type`, a
    payload or `client_at` failing validation, an unknown field) is REJECTED with VALIDATION_FAILED and its
    `field_errors` (like the error envelope's, pointers within the action), recorded like any other refusal, so a
    replay answers it; the batch itself is 400 VALIDATION_FAILED only when it is not 1 to 200 objects each with a
    `client_action_id` uuid."""
    return await offline.sync(ctx, data)
