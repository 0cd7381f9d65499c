"""Domain 12's procedures: `compliance/requirement/v1/*`, `compliance/deadline/v1/*`, `compliance/checklist/v1/*`."""

from __future__ import annotations

from hestami.cam.compliance import workflows as workflows
from hestami.cam.compliance.schemas import (
    AddChecklistItem,
    AdoptDefaults,
    AdoptedOut,
    ById,
    ChecklistOut,
    ChecklistsOut,
    CompleteChecklistItem,
    CompleteDeadline,
    CreateChecklist,
    CreateRequirement,
    DeadlineOut,
    DeadlinesOut,
    GenerateDeadlines,
    GeneratedOut,
    ListChecklists,
    ListDeadlines,
    ListRequirements,
    RequirementOut,
    RequirementsOut,
    UpdateRequirement,
    WaiveDeadline,
)
from hestami.cam.compliance.services import checklists, deadlines, requirements
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

requirement = ProcedureRouter("compliance/requirement", tags=("compliance",))
deadline = ProcedureRouter("compliance/deadline", tags=("compliance",))
checklist = ProcedureRouter("compliance/checklist", tags=("compliance",))


# --- requirements ------------------------------------------------------------------------------------------------


@requirement.mutation("adoptDefaults")
async def adopt_defaults(ctx: RequestContext, data: AdoptDefaults) -> AdoptedOut:
    """Copy the platform library's requirements for a `jurisdiction` (a state code: TX or FL) into the association
    (managers): the annual meeting and its notices, the budget's adoption and distribution before the fiscal year,
    the annual financial report or review after it, insurance renewal, the reserve study every five years,
    records retention, resale or estoppel certificate turnaround and the state's own filings (Texas: the
    management certificate, dedicatory instruments; Florida: new directors' certification). Each carries its
    statute `reference`. The dates count from `anchor_date`, the fiscal year's start (default: January 1 of this
    year). These are defaults to check against the current law and the governing documents, then adjust with
    `update`. A code the association already has is left as it is (`skipped_codes`), so adopting again adds only
    what is missing. BUSINESS_RULE_VIOLATION, reason UNKNOWN_JURISDICTION, for a state the library lacks."""
    return await requirements.adopt_defaults(ctx, data)


@requirement.mutation("create")
async def create_requirement(ctx: RequestContext, data: CreateRequirement) -> RequirementOut:
    """Add a requirement by hand (managers): a `code` unique in the association ([A-Z0-9_]; BUSINESS_RULE_VIOLATION,
    reason DUPLICATE_CODE, for one it has), `title`, `kind` (STATUTORY_DEADLINE, NOTICE, VOTING, FINANCIAL_AUDIT,
    RESALE, INSURANCE, RESERVE_STUDY or OTHER), optional `jurisdiction`, `reference` (the statute or document
    section) and `description`, the recurrence `rrule` (RFC 5545 without DTSTART, by the day at the finest, e.g.
    `FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31`, `FREQ=YEARLY;INTERVAL=5`) counted from `anchor_date` (its first due
    date), `lead_days` (0 to 730) before each due date for the reminder, and the `responsible_role` reminded
    (MANAGER, BOARD_MEMBER or ADMIN; the managers and admins are always reminded too). A rule the parser refuses,
    or one that gives no date (or more than 500) in the six years from its anchor, is BUSINESS_RULE_VIOLATION,
    reason INVALID_RULE, with the parser's message."""
    return await requirements.create(ctx, data)


@requirement.query("get")
async def get_requirement(ctx: RequestContext, data: ById) -> RequirementOut:
    """One requirement (managers and the board)."""
    return await requirements.get(ctx, data.id)


@requirement.query("list")
async def list_requirements(ctx: RequestContext, data: ListRequirements) -> RequirementsOut:
    """Requirements, of one association or all, active or not; oldest first."""
    return await requirements.list_requirements(ctx, data)


@requirement.mutation("update")
async def update_requirement(ctx: RequestContext, data: UpdateRequirement) -> RequirementOut:
    """Change a requirement (managers): only the fields sent change; `null` clears `reference` or `description`.
    A new `rrule` or `anchor_date` is checked as on create (INVALID_RULE). `active` false stops generating its
    deadlines. Deadlines already generated keep their dates (waive one that no longer applies)."""
    return await requirements.update(ctx, data)


# --- deadlines ---------------------------------------------------------------------------------------------------


@deadline.mutation("generate")
async def generate_deadlines(ctx: RequestContext, data: GenerateDeadlines) -> GeneratedOut:
    """Generate the due dates of every active requirement of the association from today through `through` (at
    most three years ahead; BUSINESS_RULE_VIOLATION, reason WINDOW_TOO_LONG, otherwise) (managers). Each new
    deadline's reminder date is `lead_days` before it; its status is UPCOMING, DUE_SOON from the reminder date,
    OVERDUE after the due date. Generating again is harmless: a date already generated is counted in
    `already_there`, not created twice. Each new deadline starts its clock (`complianceDeadline_v1`): on its
    reminder date the responsible role, the managers and the admins get the reminder (template
    `compliance.deadline.reminder`), once; an open deadline after its due date turns OVERDUE and the same people
    are told (`compliance.deadline.overdue`), once."""
    return await deadlines.generate(ctx, data)


@deadline.query("get")
async def get_deadline(ctx: RequestContext, data: ById) -> DeadlineOut:
    """One deadline with its requirement's `title` and `code` (managers and the board)."""
    return await deadlines.get(ctx, data.id)


@deadline.query("list")
async def list_deadlines(ctx: RequestContext, data: ListDeadlines) -> DeadlinesOut:
    """Deadlines, filtered by association, requirement, `status` or due before a date; oldest first."""
    return await deadlines.list_deadlines(ctx, data)


@deadline.mutation("complete")
async def complete_deadline(ctx: RequestContext, data: CompleteDeadline) -> DeadlineOut:
    """Mark a deadline done (managers, and the board, who sign off filings), with up to 20
    `evidence_document_ids` (documents the caller may see, of the same association or the whole organization;
    WRONG_ASSOCIATION for another association's) and `notes`. An OVERDUE deadline may still be completed (late).
    BUSINESS_RULE_VIOLATION, reason ALREADY_CLOSED, for one already COMPLETED or WAIVED."""
    return await deadlines.complete(ctx, data)


@deadline.mutation("waive")
async def waive_deadline(ctx: RequestContext, data: WaiveDeadline) -> DeadlineOut:
    """Waive a deadline that does not apply this time (managers), with the `notes` that say why (required).
    BUSINESS_RULE_VIOLATION, reason ALREADY_CLOSED, for one already COMPLETED or WAIVED."""
    return await deadlines.waive(ctx, data)


# --- checklists --------------------------------------------------------------------------------------------------


@checklist.mutation("create")
async def create_checklist(ctx: RequestContext, data: CreateChecklist) -> ChecklistOut:
    """Start a checklist in an association (managers): `title`, optional `description`, `due_on` and the
    `deadline_id` it prepares (a deadline of the same association: WRONG_ASSOCIATION otherwise), and its `items`
    in order (each a `title`, optional `due_on` and `assignee_user_id`, a member of the organization: NOT_FOUND
    otherwise). Answers the checklist with its items."""
    return await checklists.create(ctx, data)


@checklist.query("get")
async def get_checklist(ctx: RequestContext, data: ById) -> ChecklistOut:
    """One checklist with its items in order (managers and the board)."""
    return await checklists.get(ctx, data.id)


@checklist.query("list")
async def list_checklists(ctx: RequestContext, data: ListChecklists) -> ChecklistsOut:
    """Checklists, filtered by association, deadline or `status` (OPEN, COMPLETED), without their items (`get`
    has them); oldest first."""
    return await checklists.list_checklists(ctx, data)


@checklist.mutation("addItem")
async def add_checklist_item(ctx: RequestContext, data: AddChecklistItem) -> ChecklistOut:
    """Add an item at the end of a checklist (`id`) (managers): `title`, optional `due_on` and
    `assignee_user_id` (checked as on create). BUSINESS_RULE_VIOLATION, reason CHECKLIST_COMPLETED, once the
    checklist is completed."""
    return await checklists.add_item(ctx, data)


@checklist.mutation("completeItem")
async def complete_checklist_item(ctx: RequestContext, data: CompleteChecklistItem) -> ChecklistOut:
    """Mark one item (`item_id`) of a checklist (`id`) done (managers and the board), with an optional
    `evidence_document_id` (a document the caller may see, of the same association or the whole organization;
    WRONG_ASSOCIATION otherwise) and `notes`. When every item is done the checklist becomes COMPLETED, and
    changes no more (CHECKLIST_COMPLETED). An item already done is refused (ITEM_COMPLETED); an item of another
    checklist is NOT_FOUND."""
    return await checklists.complete_item(ctx, data)


ROUTERS = [requirement, deadline, checklist]
