"""The workforce's procedures: `technician/v1/*`. Every one needs a contractor on the platform (a SERVICE_PROVIDER
organization with a contractor profile): any other organization is BUSINESS_RULE_VIOLATION, reason
NOT_A_CONTRACTOR. A technician of another organization, or one the caller may not view (a technician asking for
another technician), is NOT_FOUND exactly like a random id."""

from __future__ import annotations

from hestami.contractor.technician.schemas import (
    AddCertification,
    AddSkill,
    AddTimeOff,
    ById,
    ByTechnician,
    CancelTimeOff,
    CheckEligibility,
    CreateTechnician,
    EligibilityOut,
    KpisOut,
    ListTechnicians,
    RemoveCertification,
    RemoveSkill,
    SetShifts,
    SetTerritory,
    TechnicianOut,
    TechniciansOut,
    UpdateTechnician,
)
from hestami.contractor.technician.services import availability, checks, qualifications, technicians
from hestami.core.context import RequestContext
from hestami.core.rpc.procedure import ProcedureRouter

technician = ProcedureRouter("technician", tags=("technician",))


# --- technicians -------------------------------------------------------------------------------------------------


@technician.mutation("create")
async def create_technician(ctx: RequestContext, data: CreateTechnician) -> TechnicianOut:
    """Make a member of the organization a technician (contractor ADMIN or MANAGER): `user_id` names an active
    member (another organization's member or a random id is NOT_FOUND; a member who is a technician already is
    CONFLICT, reason ALREADY_A_TECHNICIAN), with `display_name`, an optional `employee_number` unique in the
    organization (CONFLICT, reason DUPLICATE_EMPLOYEE_NUMBER), `phone`, `email` (default: the member's account
    email), `branch_id` (a branch of the organization: NOT_FOUND otherwise; a closed one is BRANCH_CLOSED),
    `home_zip_code`, `hired_on` and the `time_zone` the shifts are written in (an IANA zone, default
    America/Chicago). The technician starts ACTIVE, without skills, shifts or territory."""
    return await technicians.create(ctx, data)


@technician.query("get")
async def get_technician(ctx: RequestContext, data: ById) -> TechnicianOut:
    """One technician with skills, certifications, shifts and the time off not over yet (management, dispatchers,
    VENDOR members; a technician their own record only)."""
    return await technicians.get(ctx, data.id)


@technician.query("list")
async def list_technicians(ctx: RequestContext, data: ListTechnicians) -> TechniciansOut:
    """Technicians with their skills, filtered by `branch_id`, `status` (ACTIVE, INACTIVE) or a `trade` they have
    a skill in; oldest first. A technician lists their own record only."""
    return await technicians.list_technicians(ctx, data)


@technician.mutation("update")
async def update_technician(ctx: RequestContext, data: UpdateTechnician) -> TechnicianOut:
    """Change a technician's fields (contractor ADMIN or MANAGER): only the fields sent change; `null` clears the
    optional ones (`display_name` and `time_zone` are never cleared). `branch_id` and `employee_number` are checked
    as on create."""
    return await technicians.update(ctx, data)


@technician.mutation("deactivate")
async def deactivate_technician(ctx: RequestContext, data: ById) -> TechnicianOut:
    """Mark a technician INACTIVE (contractor ADMIN or MANAGER): kept on record, no longer eligible for jobs
    (`checkEligibility` answers INACTIVE). Deactivating an inactive technician changes nothing."""
    return await technicians.set_status(ctx, data.id, "INACTIVE")


@technician.mutation("activate")
async def activate_technician(ctx: RequestContext, data: ById) -> TechnicianOut:
    """Make an inactive technician ACTIVE again (contractor ADMIN or MANAGER); an active one is left as it is."""
    return await technicians.set_status(ctx, data.id, "ACTIVE")


# --- skills and certifications -----------------------------------------------------------------------------------


@technician.mutation("addSkill")
async def add_skill(ctx: RequestContext, data: AddSkill) -> TechnicianOut:
    """Give the technician (`id`) a skill: a `trade` (kept in capitals) at a `level` (APPRENTICE, JOURNEYMAN,
    MASTER). One skill per trade: a second is CONFLICT, reason DUPLICATE_SKILL (remove it, then add the new
    level)."""
    return await qualifications.add_skill(ctx, data)


@technician.mutation("removeSkill")
async def remove_skill(ctx: RequestContext, data: RemoveSkill) -> TechnicianOut:
    """Remove the technician's (`id`) skill in `trade` (NOT_FOUND when they have none)."""
    return await qualifications.remove_skill(ctx, data)


@technician.mutation("addCertification")
async def add_certification(ctx: RequestContext, data: AddCertification) -> TechnicianOut:
    """Record a certification of the technician (`id`): `name`, `issuer`, `number`, the `trade` it qualifies for
    (if any), `issued_on` and `expires_on` (not before `issued_on`). A certification of a trade that expires before
    a job's window ends makes the technician ineligible for that trade's jobs (CERTIFICATION_EXPIRED), unless a
    later certification of the same name replaces it."""
    return await qualifications.add_certification(ctx, data)


@technician.mutation("removeCertification")
async def remove_certification(ctx: RequestContext, data: RemoveCertification) -> TechnicianOut:
    """Remove one of the technician's (`id`) certifications (`certification_id`; another technician's is
    NOT_FOUND)."""
    return await qualifications.remove_certification(ctx, data)


# --- availability and territory ----------------------------------------------------------------------------------


@technician.mutation("setShifts")
async def set_shifts(ctx: RequestContext, data: SetShifts) -> TechnicianOut:
    """Replace the technician's (`id`) weekly availability with `shifts`: each a `weekday` (MONDAY .. SUNDAY) and
    wall-clock `start_time` and `end_time` (no offset: the technician's time zone applies, daylight saving time
    included) with the end after the start on the same day (VALIDATION_FAILED otherwise; night work is two shifts).
    Two shifts of one weekday that overlap are BUSINESS_RULE_VIOLATION, reason OVERLAPPING_SHIFTS; shifts that
    touch do not overlap. An empty list clears the week."""
    return await availability.set_shifts(ctx, data)


@technician.mutation("addTimeOff")
async def add_time_off(ctx: RequestContext, data: AddTimeOff) -> TechnicianOut:
    """Schedule time off for the technician (`id`) from `starts_at` to `ends_at` (with offsets), with an optional
    `reason`. A period that overlaps one already scheduled is CONFLICT, reason TIME_OFF_OVERLAP, naming it (periods
    that touch do not overlap); two requests at once leave one period."""
    return await availability.add_time_off(ctx, data)


@technician.mutation("cancelTimeOff")
async def cancel_time_off(ctx: RequestContext, data: CancelTimeOff) -> TechnicianOut:
    """Cancel one of the technician's (`id`) scheduled periods (`time_off_id`; another technician's is NOT_FOUND); it
    stays on record as CANCELLED. One cancelled already is BUSINESS_RULE_VIOLATION, reason TIME_OFF_CANCELLED."""
    return await availability.cancel_time_off(ctx, data)


@technician.mutation("setTerritory")
async def set_territory(ctx: RequestContext, data: SetTerritory) -> TechnicianOut:
    """Replace the technician's (`id`) territory: `zip_codes` (five digits; eligibility checks a job's zip code
    against them) and `polygons` kept as data (each a `name` and GeoJSON-like `rings` of [lon, lat] points, the
    outer ring first, each ring closed)."""
    return await availability.set_territory(ctx, data)


# --- eligibility and KPIs ----------------------------------------------------------------------------------------


@technician.query("checkEligibility")
async def check_eligibility(ctx: RequestContext, data: CheckEligibility) -> EligibilityOut:
    """Whether the technician may take a job of `trade` at `zip_code` from `starts_at` to `ends_at` (management and
    dispatchers): `eligible`, or every reason they may not, each a `code`, a `message` and `details`:
    INACTIVE; CONTRACTOR_NON_COMPLIANT (the organization's licences or insurance, on the day the window ends;
    `details.issues`); NO_SKILL; CERTIFICATION_EXPIRED (a certification of the trade expired before the window
    ends, valid through its expiry day); OUT_OF_TERRITORY (the zip code is not in the territory's zip codes);
    OUTSIDE_SHIFT (the window is not inside one shift of its weekday, read in the technician's time zone: ending
    exactly at the shift's end is inside, a window crossing midnight is not); TIME_OFF (it overlaps scheduled time
    off; `details.time_off_id`)."""
    return await checks.check(ctx, data)


@technician.query("kpis")
async def technician_kpis(ctx: RequestContext, data: ByTechnician) -> KpisOut:
    """The technician's KPIs, read-only: `jobs_completed`, `first_time_fix_rate` (fixed on the first visit without
    a callback, 0 to 1, 4 places) and `average_job_minutes` (1 place), computed from their jobs. Jobs come with the
    job lifecycle: until then 0 jobs and null rates."""
    return await checks.kpis_of(ctx, data.technician_id)


ROUTERS: list[ProcedureRouter] = [technician]
