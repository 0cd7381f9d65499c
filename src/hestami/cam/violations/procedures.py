"""Domain 4's procedures: `violation/v1/*`, `violationType/v1/*`, `violationSettings/v1/*`."""

from __future__ import annotations

from hestami.cam.violations.schemas import (
    ById,
    Close,
    CreateViolation,
    CreateViolationType,
    GetViolationSettings,
    HearingOut,
    ListViolations,
    ListViolationTypes,
    NoticeOut,
    NoticesOut,
    Resolve,
    ScheduleHearing,
    SendNotice,
    UpdateViolation,
    UpdateViolationSettings,
    UpdateViolationType,
    ViolationOut,
    ViolationSettingsOut,
    ViolationsOut,
    ViolationTypeOut,
)
from hestami.cam.violations.services import hearings, notices, setup, violations
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter

violation = ProcedureRouter("violation")
violation_type = ProcedureRouter("violationType", tags=("violation",))
violation_settings = ProcedureRouter("violationSettings", tags=("violation",))


# --- settings and types ----------------------------------------------------------------------------------------


@violation_settings.query("get")
async def get_settings(ctx: RequestContext, data: GetViolationSettings) -> ViolationSettingsOut:
    """An association's violation settings: cure days after the courtesy, first and second notices, the hearing's
    notice days, appeal days, the repeat window, the fine cap per violation, who hears, how notices are delivered.
    The platform's defaults (DOMAIN-NOTES) until the association changes them (`customized`)."""
    return await setup.get_settings(ctx, data.association_id)


@violation_settings.mutation("update")
async def update_settings(ctx: RequestContext, data: UpdateViolationSettings) -> ViolationSettingsOut:
    """Change some settings. Violations already recorded keep the settings they were recorded with."""
    return await setup.update_settings(ctx, data)


@violation_type.mutation("create")
async def create_type(ctx: RequestContext, data: CreateViolationType) -> ViolationTypeOut:
    """A rule the association enforces (code unique per association), its CC&R or rules reference, its default
    cure days and fine schedule (first, repeat, daily while it continues, cap)."""
    return await setup.create_type(ctx, data)


@violation_type.mutation("update")
async def update_type(ctx: RequestContext, data: UpdateViolationType) -> ViolationTypeOut:
    """Change a type; `active: false` retires it (no new violations of it)."""
    return await setup.update_type(ctx, data)


@violation_type.query("get")
async def get_type(ctx: RequestContext, data: ById) -> ViolationTypeOut:
    """One violation type."""
    return await setup.get_type(ctx, data.id)


@violation_type.query("list")
async def list_types(ctx: RequestContext, data: ListViolationTypes) -> Page[ViolationTypeOut]:
    """The violation types, of one association or all."""
    return await setup.list_types(ctx, data)


# --- violations --------------------------------------------------------------------------------------------------


@violation.mutation("create")
async def create(ctx: RequestContext, data: CreateViolation) -> ViolationOut:
    """Record a violation on a unit (numbered VIO-000001 per organization). A violation of the same type on the same
    unit within the repeat window is a repeat (the repeat fine applies). Starts `violationLifecycle_v1`, which sends
    the courtesy notice at once and the next notices when cure dates pass uncured."""
    return await violations.create(ctx, data)


@violation.query("get")
async def get(ctx: RequestContext, data: ById) -> ViolationOut:
    """A violation with its status history. Owners see the violations of their own units."""
    return await violations.get(ctx, data.id)


@violation.query("list")
async def list_violations(ctx: RequestContext, data: ListViolations) -> ViolationsOut:
    """Violations the caller may see, by association, unit and status."""
    return await violations.list_violations(ctx, data)


@violation.mutation("update")
async def update(ctx: RequestContext, data: UpdateViolation) -> ViolationOut:
    """Correct the description or location (not once closed)."""
    return await violations.update(ctx, data)


@violation.mutation("sendNotice")
async def send_notice(ctx: RequestContext, data: SendNotice) -> NoticeOut:
    """Send the next notice of the sequence now (courtesy, first or second), without waiting for the cure date:
    rendered to PDF (kept as a document of the violation) and delivered by each method, once per recipient."""
    return await notices.send_notice(ctx, data)


@violation.query("listNotices")
async def list_notices(ctx: RequestContext, data: ById) -> NoticesOut:
    """The notices sent, in order: step, delivery methods, recipients, cure date or hearing date, the letter."""
    return await notices.list_notices(ctx, data.id)


@violation.mutation("scheduleHearing")
async def schedule_hearing(ctx: RequestContext, data: ScheduleHearing) -> HearingOut:
    """Schedule the hearing and send its notice. Refused (HEARING_TOO_SOON, with `details.earliest`) when the owner
    would have fewer than the required notice days."""
    return await hearings.schedule_hearing(ctx, data)


@violation.mutation("resolve")
async def resolve(ctx: RequestContext, data: Resolve) -> ViolationOut:
    """Mark a violation CURED or DISMISSED: the notice sequence stops and a scheduled hearing is cancelled."""
    return await violations.resolve(ctx, data)


@violation.mutation("close")
async def close(ctx: RequestContext, data: Close) -> ViolationOut:
    """Close a fined, cured or dismissed violation with its resolution."""
    return await violations.close(ctx, data)


# --- evidence, hearing outcomes, fines and the owner's answer ---------------------------------------------------
# (services/evidence.py, services/outcomes.py, services/responses.py)

from hestami.cam.documents.schemas import DownloadOut  # noqa: E402
from hestami.cam.violations.schemas import (  # noqa: E402
    AddEvidence,
    AssessFine,
    EvidenceListOut,
    EvidenceOut,
    EvidenceRef,
    FineOut,
    FinesOut,
    HearingsOut,
    RecordOutcome,
    Respond,
    WaiveFine,
)
from hestami.cam.violations.services import evidence, outcomes, responses  # noqa: E402


@violation.mutation("addEvidence")
async def add_evidence(ctx: RequestContext, data: AddEvidence) -> EvidenceOut:
    """Add a photo, video or document to a violation (managers and inspectors): either the file inline
    (`content_base64` with `file_name`, at most 10 MB; its type is read from the bytes, it is virus-scanned and
    kept as a document of the violation visible to managers) or a document already uploaded (`document_id`, one
    the caller may view, of the violation's association: NOT_FOUND otherwise, WRONG_ASSOCIATION for another
    association's). Exactly one of the two (VALIDATION_FAILED otherwise, and for content that is not base64).
    The evidence records the file's name, type, size and SHA-256, when and where it was captured
    (`captured_at`, `latitude`, `longitude`) and who added it. Evidence is never changed or removed."""
    return await evidence.add_evidence(ctx, data)


@violation.query("listEvidence")
async def list_evidence(ctx: RequestContext, data: ById) -> EvidenceListOut:
    """The violation's evidence in the order it was added, the owner's cure photos (`purpose` CURE) included.
    The unit's owners see their own violation's evidence."""
    return await evidence.list_evidence(ctx, data.id)


@violation.query("downloadEvidence")
async def download_evidence(ctx: RequestContext, data: EvidenceRef) -> DownloadOut:
    """A signed link to one piece of evidence, issued only after the stored bytes were read again and their
    SHA-256 matches the one recorded when it was added (chain of custody). When they differ the link is refused
    (BUSINESS_RULE_VIOLATION, `details.reason` EVIDENCE_TAMPERED) and `violation.evidence_tampered` is written to
    the audit trail. Every link issued is in the document's access trail."""
    return await evidence.download(ctx, data)


@violation.mutation("recordOutcome")
async def record_outcome(ctx: RequestContext, data: RecordOutcome) -> ViolationOut:
    """The hearing body's decision on the scheduled hearing (NO_HEARING without one): FINED charges the fine to
    the unit's account (`fine_amount`, else the type's schedule: the repeat fine for a repeat, else the first
    fine; FINE_AMOUNT_REQUIRED when neither exists), reduced to what the type's cap and the association's cap
    per violation still allow (FINE_CAP_REACHED when nothing is left), sets the appeal deadline (the appeal days
    from now), moves the violation to FINED and sends the fine notice. WAIVED and DISMISSED dismiss it, CURED
    marks it cured. The board (or the organization's admin recording its decision) decides."""
    return await outcomes.record_outcome(ctx, data)


@violation.query("listHearings")
async def list_hearings(ctx: RequestContext, data: ById) -> HearingsOut:
    """The violation's hearings: scheduled, decided (outcome, fine, appeal deadline, appeal requested) or
    cancelled."""
    return await outcomes.list_hearings(ctx, data.id)


@violation.mutation("assessFine")
async def assess_fine(ctx: RequestContext, data: AssessFine) -> FineOut:
    """A further fine while a FINED violation continues (FINE_REQUIRES_HEARING otherwise): `amount`, else the
    type's daily fine (FINE_AMOUNT_REQUIRED when it has none), within the caps (FINE_CAP_REACHED). Charged to the
    unit's account under the association's fine type (income: Fines)."""
    return await outcomes.assess_fine(ctx, data)


@violation.mutation("waiveFine")
async def waive_fine(ctx: RequestContext, data: WaiveFine) -> FineOut:
    """The board waives a fine of the violation (NOT_FOUND for another violation's): its charge is voided in the
    unit's account (accounting refuses one already paid: CHARGE_PAID) and the fine is WAIVED with who, when and
    why. FINE_NOT_WAIVABLE when it is waived already."""
    return await outcomes.waive_fine(ctx, data)


@violation.query("listFines")
async def list_fines(ctx: RequestContext, data: ById) -> FinesOut:
    """The violation's fines with their charges, assessed or waived."""
    return await outcomes.list_fines(ctx, data.id)


@violation.mutation("respond")
async def respond(ctx: RequestContext, data: Respond) -> ViolationOut:
    """The unit owner's answer (owners of the violation's unit only). CURED needs `photo` (VALIDATION_FAILED
    otherwise), kept as evidence with `purpose` CURE; the violation stays in its status until a manager resolves
    it. REQUEST_HEARING marks the scheduled hearing as requested by the owner, or records the request.
    APPEAL is possible only on a FINED violation before the decided hearing's `appeal_deadline` (APPEAL_CLOSED
    otherwise) and is recorded on the hearing. COMMENT records a note. The managers (the board too, for an
    appeal) are notified once per answer."""
    return await responses.respond(ctx, data)


ROUTERS = [violation, violation_type, violation_settings]
