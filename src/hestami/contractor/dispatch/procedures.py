"""Dispatch's procedures: `dispatch/v1/*`. Every one needs a contractor on the platform (a SERVICE_PROVIDER
organization with a contractor profile): any other organization is BUSINESS_RULE_VIOLATION, reason NOT_A_CONTRACTOR.
A visit, technician, assignment or plan of another organization, or one the caller may not view, is NOT_FOUND
exactly like a random id.

Who: the contractor's DISPATCHER, ADMIN and MANAGER members assign and read everything; a TECHNICIAN reads only
their own assignments and reports being on the way for them; VENDOR members read. Times are aware datetimes; a
`date` is read in the dispatch time zone (`DISPATCH_TIME_ZONE`, America/Chicago by default).

Importing this module registers with the jobs' domain who works each job (the technicians of its assignments, so a
technician sees the jobs assigned to them) and what follows a job's moves (the SLA clock, the assignments' runs), and
with the technicians' domain the jobs each technician worked (their KPIs)."""

from __future__ import annotations

from hestami.contractor.dispatch import repository
from hestami.contractor.dispatch import workflows as workflows
from hestami.contractor.dispatch.schemas import (
    AssignmentOut,
    AssignTech,
    BoardOut,
    ByPlan,
    GetBoard,
    ListAssignments,
    ListSLAWindows,
    MarkEnRoute,
    OptimizeRoute,
    ReportSick,
    Reschedule,
    RoutePlanOut,
    SetSLAWindow,
    SickReportOut,
    SlaWindowOut,
    SlaWindowsOut,
    UnassignTech,
)
from hestami.contractor.dispatch.services import assignments, board, routes, sick, sla
from hestami.contractor.job import api as jobs
from hestami.contractor.technician import api as technicians
from hestami.core.context import RequestContext
from hestami.core.pagination import Page
from hestami.core.rpc.procedure import ProcedureRouter
from hestami.core.schemas import ById

dispatch = ProcedureRouter("dispatch", tags=("dispatch",))
ROUTERS: list[ProcedureRouter] = [dispatch]

jobs.register_technician_users(assignments.technician_users, repository.technician_users_column)
jobs.when_transitioned(sla.on_job_moved)
jobs.when_handed_off(workflows.start_handed_off_sla)
jobs.when_transitioned(assignments.on_job_moved)
technicians.register_job_facts(assignments.job_facts)


# --- assignments -------------------------------------------------------------------------------------------------


@dispatch.mutation("assignTech")
async def assign_tech(ctx: RequestContext, data: AssignTech) -> AssignmentOut:
    """Assign a technician to a visit (dispatchers, management) for a slot: `starts_at`, and `ends_at` (default:
    the start plus the visit's duration). The visit must be UNSCHEDULED or SCHEDULED (VISIT_CLOSED), of an open job
    (JOB_CLOSED), and not assigned already (VISIT_ASSIGNED: reschedule that assignment instead); the slot must start
    inside the visit's arrival window and end by its end plus the visit's duration (OUTSIDE_WINDOW; a visit without
    a window takes the slot as its window). The technician must be eligible (NOT_ELIGIBLE, `details.reasons`: every
    reason, e.g. NO_SKILL, OUT_OF_TERRITORY, OUTSIDE_SHIFT, TIME_OFF, CERTIFICATION_EXPIRED, INACTIVE,
    CONTRACTOR_NON_COMPLIANT; a job without a zip code is NO_ZIP_CODE) and free (DOUBLE_BOOKED, naming the
    `conflicting_assignment`: two dispatchers racing for one technician's time cannot both win). All
    BUSINESS_RULE_VIOLATION. The visit becomes SCHEDULED and a JOB_CREATED job SCHEDULED; the customer is sent the
    arrival window (once per window: `dispatch_assignment_v1`). `pinned`: route optimization keeps it as it is."""
    return await assignments.assign(ctx, data)


@dispatch.mutation("unassignTech")
async def unassign_tech(ctx: RequestContext, data: UnassignTech) -> AssignmentOut:
    """Cancel an ASSIGNED or EN_ROUTE assignment, with a `reason` (INVALID_STATE_TRANSITION for one on site or
    over). The visit goes back to UNSCHEDULED (losing a window it took from the slot), and the job back to
    JOB_CREATED when no other assignment holds it."""
    return await assignments.unassign(ctx, data)


@dispatch.mutation("reschedule")
async def reschedule(ctx: RequestContext, data: Reschedule) -> AssignmentOut:
    """Move an ASSIGNED assignment to another slot, and to another technician with `technician_id`, after the same
    checks as `assignTech` (the assignment itself set aside), atomically: refused, it stays as it was. One whose
    technician is on the way is ASSIGNMENT_CLOSED. A new window is announced to the customer."""
    return await assignments.reschedule(ctx, data)


@dispatch.mutation("markEnRoute")
async def mark_en_route(ctx: RequestContext, data: MarkEnRoute) -> AssignmentOut:
    """The technician is on the way (the technician of the assignment, or a dispatcher for them): ASSIGNED →
    EN_ROUTE (INVALID_STATE_TRANSITION otherwise); the visit and a SCHEDULED job become DISPATCHED; the customer is
    sent the "on the way" notice, once."""
    return await assignments.mark_en_route(ctx, data)


@dispatch.mutation("reportSick")
async def report_sick(ctx: RequestContext, data: ReportSick) -> SickReportOut:
    """A technician called in sick for `date` (dispatchers, management): the day (in the technician's time zone)
    becomes time off, and each of their ASSIGNED assignments that day goes to another technician who passes every
    check of `assignTech` in the same slot (the same branch first); one nobody can take (or one EN_ROUTE already)
    is unassigned and listed in `unassigned` with why each technician was refused."""
    return await sick.report(ctx, data)


@dispatch.query("getAssignment")
async def get_assignment(ctx: RequestContext, data: ById) -> AssignmentOut:
    """One assignment (a technician: their own only)."""
    return await assignments.get(ctx, data.id)


@dispatch.query("listAssignments")
async def list_assignments(ctx: RequestContext, data: ListAssignments) -> Page[AssignmentOut]:
    """Assignments filtered by `date` (the slot starts that day), `technician_id`, `job_id`, `status`; oldest
    first. A technician lists their own."""
    return await assignments.list_assignments(ctx, data)


# --- SLA windows -------------------------------------------------------------------------------------------------


@dispatch.mutation("setSLAWindow")
async def set_sla_window(ctx: RequestContext, data: SetSLAWindow) -> SlaWindowOut:
    """How soon a job of `priority` is responded to, in minutes (dispatchers, management). Defaults when none is
    set: EMERGENCY 120, HIGH 480, MEDIUM 1440, LOW 4320. A job's SLA falls due that long after it enters
    JOB_CREATED; a durable timer (`dispatchSla_v1`) marks the job breached then, unless a technician is on site or
    the job under way (or past it) by then. A changed window applies to jobs entering JOB_CREATED afterwards."""
    return await sla.set_window(ctx, data)


@dispatch.query("listSLAWindows")
async def list_sla_windows(ctx: RequestContext, data: ListSLAWindows) -> SlaWindowsOut:
    """Every priority's SLA window: the organization's (`configured`) or the default."""
    return await sla.windows(ctx)


# --- the board and routes ----------------------------------------------------------------------------------------


@dispatch.query("getBoard")
async def get_board(ctx: RequestContext, data: GetBoard) -> BoardOut:
    """The dispatch board of `date` (dispatchers, management, VENDOR members), of one branch with `branch_id`
    (NOT_FOUND for another organization's): each active technician with the day's live assignments (visit, job
    number, title, priority, trade, zip code, arrival window, slot, status) and the minutes left (the day's shifts
    less time off, less the booked minutes); the day's open visits without a live assignment and the open jobs with
    no visit planned, EMERGENCY first. Every assignment, visit and job names whom its job is for (`customer_name`)
    and where (`site_address` on one line, `site_postal_code`), as they are now."""
    return await board.board(ctx, data)


@dispatch.mutation("optimizeRoute")
async def optimize_route(ctx: RequestContext, data: OptimizeRoute) -> RoutePlanOut:
    """Plan the day's routes (dispatchers, management) for `technician_ids` (default: every active technician;
    another organization's id is NOT_FOUND): a vehicle-routing problem with time windows (skills and territory as
    hard constraints, every stop inside its arrival window, every technician home by the end of their shift, pinned
    and under-way visits kept), solved within `ROUTE_TIME_LIMIT_SECONDS`. The plan is stored PROPOSED for review:
    per technician the stops with arrival, start and end times; the visits left out with a code and a reason.
    Nothing is assigned until `applyRoute`."""
    return await routes.optimize(ctx, data)


@dispatch.query("getRoutePlan")
async def get_route_plan(ctx: RequestContext, data: ById) -> RoutePlanOut:
    """One route plan."""
    return await routes.get(ctx, data.id)


@dispatch.mutation("applyRoute")
async def apply_route(ctx: RequestContext, data: ByPlan) -> RoutePlanOut:
    """Apply a PROPOSED plan (PLAN_DECIDED otherwise): each stop that changes anything is checked exactly like
    `assignTech` against the day as the plan leaves it, then its visit's assignment is moved (or made); all or
    nothing: one refusal (the day changed since the plan) refuses the plan, which stays PROPOSED. APPLIED, with the
    assignments it wrote."""
    return await routes.apply(ctx, data)


@dispatch.mutation("discardRoute")
async def discard_route(ctx: RequestContext, data: ByPlan) -> RoutePlanOut:
    """Discard a PROPOSED plan (PLAN_DECIDED otherwise)."""
    return await routes.discard(ctx, data)
