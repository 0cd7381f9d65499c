"""A technician calls in sick for a day (`reportSick`, a dispatcher's action): the day (midnight to midnight in the
technician's time zone) becomes time off (the parts of it not off already, through the technicians' api), and each
of the day's ASSIGNED assignments of theirs goes to another technician who can take it in the same slot (active,
with the trade and the territory, then every check of `assignTech`; the same branch first, then by name); one
nobody can take, or one already EN_ROUTE, is unassigned and listed with why each technician was refused."""

from __future__ import annotations

from typing import Any

from hestami.contractor.dispatch import kinds, repository, rules
from hestami.contractor.dispatch.errors import DispatchError
from hestami.contractor.dispatch.models import DispatchAssignment
from hestami.contractor.dispatch.schemas import LeftUnassigned, ReportSick, SickReportOut
from hestami.contractor.dispatch.services import assignments, booking
from hestami.contractor.technician import api as technicians
from hestami.core import records
from hestami.core.context import RequestContext


async def _off_for_the_day(
    ctx: RequestContext, worker: technicians.Rostered, bounds: tuple[Any, Any], reason: str
) -> int:
    taken = [(a.starts_at, a.ends_at) for a in worker.time_off]
    gaps = rules.gaps(bounds[0], bounds[1], taken)
    for starts_at, ends_at in gaps:
        await technicians.add_time_off(ctx, worker.id, starts_at, ends_at, reason)
    return len(gaps)


def _plausible(worker: technicians.Rostered, trade: str, zip_code: str | None) -> dict[str, Any] | None:
    """Why a colleague cannot take the visit at all (no skill, out of territory), before the full checks."""
    if trade not in worker.trades:
        return {"technician_id": str(worker.id), "code": "NO_SKILL", "message": f"No {trade} skill."}
    if zip_code not in worker.territory_zip_codes:
        return {"technician_id": str(worker.id), "code": "OUT_OF_TERRITORY", "message": f"{zip_code} is outside."}
    return None


async def _reassign(
    ctx: RequestContext, assignment: DispatchAssignment, colleagues: list[technicians.Rostered], reason: str
) -> DispatchAssignment | list[dict[str, Any]]:
    """The assignment moved to the first colleague who passes every check, or why each was refused."""
    found = await booking.target(ctx, assignment.visit_id)
    slot = booking.Slot(assignment.starts_at, assignment.ends_at)
    refusals: list[dict[str, Any]] = []
    for colleague in colleagues:
        refused = _plausible(colleague, found.job.trade, found.job.zip_code)
        if refused is not None:
            refusals.append(refused)
            continue
        try:
            return await booking.move(ctx, assignment, found, colleague, slot, reason=reason)
        except DispatchError as error:
            details = error.details or {}
            refusals.append({"technician_id": str(colleague.id), "code": details.get("reason"),
                             "message": error.message, "reasons": details.get("reasons", [])})  # fmt: skip
    return refusals


async def report(ctx: RequestContext, data: ReportSick) -> SickReportOut:
    await assignments.begin(ctx)
    sick = await booking.technician(ctx, data.technician_id)
    await records.authorize_new(ctx, kinds.ASSIGNMENT, "report_sick")
    bounds = rules.day_bounds(data.date, sick.time_zone)
    sick = (await technicians.roster(ctx, technician_ids=[sick.id], active_only=False, time_off_between=bounds))[0]
    note = data.reason or "Called in sick"
    added = await _off_for_the_day(ctx, sick, bounds, f"Sick: {note}")
    colleagues = [w for w in await technicians.roster(ctx) if w.id != sick.id]
    colleagues.sort(key=lambda w: (w.branch_id != sick.branch_id, w.display_name, str(w.id)))
    reassigned: list[DispatchAssignment] = []
    left: list[LeftUnassigned] = []
    day = await repository.between(ctx.session, *bounds, technician_ids=[sick.id])
    for assignment in await _locked(ctx, day):
        outcome: DispatchAssignment | list[dict[str, Any]] = [{"code": "EN_ROUTE", "message": "On the way already."}]
        if assignment.status in rules.RESCHEDULABLE:
            outcome = await _reassign(ctx, assignment, colleagues, f"{sick.display_name} is off sick: {note}")
        if isinstance(outcome, DispatchAssignment):
            reassigned.append(outcome)
            assignments.woken(ctx, outcome)
            continue
        if assignment.status in {"ASSIGNED", "EN_ROUTE"}:
            await booking.release(ctx, assignment, f"{sick.display_name} is off sick: {note}", action="unassigned")
            assignments.woken(ctx, assignment)
            left.append(LeftUnassigned(visit_id=assignment.visit_id, job_id=assignment.job_id,
                                       cancelled_assignment_id=assignment.id, reasons=outcome))  # fmt: skip
    return SickReportOut(
        technician_id=sick.id, date=data.date, time_off_added=added,
        reassigned=[assignments.assignment_out(a) for a in reassigned], unassigned=left,
    )  # fmt: skip


async def _locked(ctx: RequestContext, day: list[DispatchAssignment]) -> list[DispatchAssignment]:
    """The day's assignments, each locked (in slot order), as the system holds them (a dispatcher may view all)."""
    return [await records.load(ctx, kinds.ASSIGNMENT, a.id, "reschedule", lock=True) for a in day]
