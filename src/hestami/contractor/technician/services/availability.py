"""When and where a technician works: the weekly shifts (replaced as a whole week), time off, and the territory.

Time off never overlaps on one technician: the technician's row is locked before the check (a second request
waits and then sees the first one's period), and the database's exclusion constraint on `tstzrange` stands behind
it for any other path."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.contractor.technician import eligibility, kinds, repository
from hestami.contractor.technician.errors import TechnicianReason, conflict, rule
from hestami.contractor.technician.models import Shift, TimeOff
from hestami.contractor.technician.schemas import AddTimeOff, CancelTimeOff, SetShifts, SetTerritory, TechnicianOut
from hestami.contractor.technician.services.technicians import load, technician_out
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

KIND = kinds.TECHNICIAN.name
TIME_OFF = "technician_time_off"


def _shift_json(shift: eligibility.WeeklyShift) -> dict[str, str]:
    return {"weekday": shift.weekday, "start_time": shift.start.isoformat(), "end_time": shift.end.isoformat()}


async def set_shifts(ctx: RequestContext, data: SetShifts) -> TechnicianOut:
    """Replaces the technician's week. Two shifts of one weekday that overlap are refused (OVERLAPPING_SHIFTS);
    shifts that touch (07:00-12:00, 12:00-17:00) do not overlap."""
    technician = await load(ctx, data.id, "update", lock=True)
    week = [eligibility.WeeklyShift(s.weekday, s.start_time, s.end_time) for s in data.shifts]
    clashes = eligibility.overlapping_shifts(week)
    if clashes:
        first, second = clashes[0]
        raise rule(
            TechnicianReason.OVERLAPPING_SHIFTS,
            f"Two {first.weekday} shifts overlap: {first.start:%H:%M}-{first.end:%H:%M} and "
            f"{second.start:%H:%M}-{second.end:%H:%M}.",
            shifts=[_shift_json(first), _shift_json(second)],
        )
    before = [_shift_json(eligibility.WeeklyShift(s.weekday, s.start_time, s.end_time))
              for s in await repository.shifts(ctx.session, technician.id)]  # fmt: skip
    await repository.clear_shifts(ctx.session, technician.id)
    for shift in week:
        ctx.session.add(Shift(organization_id=technician.organization_id, technician_id=technician.id,
                              weekday=shift.weekday, start_time=shift.start, end_time=shift.end))  # fmt: skip
    await ctx.session.flush()
    audit.record(ctx, f"{KIND}.shifts_set", KIND, technician.id, before={"shifts": before},
                 after={"shifts": [_shift_json(s) for s in week]})  # fmt: skip
    return await technician_out(ctx, technician)


def _period_json(row: TimeOff) -> dict[str, Any]:
    return {"time_off_id": str(row.id), "starts_at": row.starts_at.isoformat(), "ends_at": row.ends_at.isoformat(),
            "reason": row.reason}  # fmt: skip


async def add_time_off(ctx: RequestContext, data: AddTimeOff, *, action: str = "update") -> TechnicianOut:
    """A period off; one that overlaps a scheduled period of the technician is a CONFLICT (TIME_OFF_OVERLAP) naming
    it. The technician's row lock orders two requests at once; the exclusion constraint holds the rule for any
    other path. `action`: what the caller needs on the technician (`view` when another domain has authorized its
    own action, dispatch's sick call)."""
    technician = await load(ctx, data.id, action, lock=True)
    clash = await repository.overlapping_time_off(ctx.session, technician.id, data.starts_at, data.ends_at)
    if clash is not None:
        raise _overlap(clash)
    row = TimeOff(organization_id=technician.organization_id, technician_id=technician.id,
                  starts_at=data.starts_at.astimezone(UTC), ends_at=data.ends_at.astimezone(UTC), reason=data.reason,
                  status="SCHEDULED")  # fmt: skip
    try:
        async with ctx.session.begin_nested():
            ctx.session.add(row)
            await ctx.session.flush()
    except IntegrityError as exc:
        if "technician_time_off_no_overlap" in str(exc.orig):
            raise conflict(TechnicianReason.TIME_OFF_OVERLAP, "The technician has time off then already.") from None
        raise
    audit.record(ctx, f"{KIND}.time_off_added", KIND, technician.id, after=_period_json(row))
    return await technician_out(ctx, technician)


def _overlap(clash: TimeOff) -> Exception:
    return conflict(
        TechnicianReason.TIME_OFF_OVERLAP,
        f"The technician has time off from {clash.starts_at.isoformat()} to {clash.ends_at.isoformat()} already.",
        time_off_id=str(clash.id),
        starts_at=clash.starts_at.isoformat(),
        ends_at=clash.ends_at.isoformat(),
    )


async def cancel_time_off(ctx: RequestContext, data: CancelTimeOff) -> TechnicianOut:
    """Cancels a scheduled period (kept on record as CANCELLED); one cancelled already is TIME_OFF_CANCELLED, one of
    another technician is NOT_FOUND."""
    technician = await load(ctx, data.id, "update", lock=True)
    row = await repository.time_off_entry(ctx.session, technician.id, data.time_off_id, lock=True)
    if row is None:
        raise not_found(TIME_OFF, data.time_off_id)
    if row.status == "CANCELLED":
        raise rule(TechnicianReason.TIME_OFF_CANCELLED, "This time off is cancelled already.")
    row.status, row.cancelled_at = "CANCELLED", datetime.now(UTC)
    await ctx.session.flush()
    audit.record(ctx, f"{KIND}.time_off_cancelled", KIND, technician.id, before=_period_json(row))
    return await technician_out(ctx, technician)


async def set_territory(ctx: RequestContext, data: SetTerritory) -> TechnicianOut:
    """Replaces the territory: its zip codes (deduplicated, sorted) and polygons (kept as data)."""
    technician = await load(ctx, data.id, "update", lock=True)
    changes = {
        "territory_zip_codes": sorted(set(data.zip_codes)),
        "territory_polygons": [p.model_dump(mode="json") for p in data.polygons],
    }
    await records.change(ctx, kinds.TECHNICIAN, technician, changes, action="territory_set")
    return await technician_out(ctx, technician)
