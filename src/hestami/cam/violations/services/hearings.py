"""Hearings: scheduled no sooner than the required notice allows, announced by the hearing notice, one open at a
time per violation."""

from __future__ import annotations

from datetime import UTC, datetime

from hestami.cam.violations import kinds, lifecycle, repository
from hestami.cam.violations.errors import ViolationReason, rule
from hestami.cam.violations.models import Hearing, Violation
from hestami.cam.violations.schemas import HearingOut, ScheduleHearing
from hestami.cam.violations.services import notices
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import check_transition


def hearing_out(hearing: Hearing) -> HearingOut:
    return records.output(HearingOut, hearing)


async def schedule(
    ctx: RequestContext, violation: Violation, at: datetime, *, location: str | None = None, now: datetime | None = None
) -> Hearing:
    """Schedules the hearing of a locked violation and sends its notice (which moves it to HEARING_SCHEDULED)."""
    check_transition("violation", lifecycle.TRANSITIONS, violation.status, "HEARING_SCHEDULED")
    if await repository.open_hearing(ctx.session, violation.id) is not None:
        raise rule(ViolationReason.HEARING_ALREADY_SCHEDULED, "A hearing of this violation is already scheduled.")
    earliest = lifecycle.earliest_hearing(now or datetime.now(UTC), violation.settings, notices.day_seconds())
    if at < earliest:
        raise rule(
            ViolationReason.HEARING_TOO_SOON,
            f"The owner must have {violation.settings['hearing_notice_days']} days' notice of the hearing: the "
            f"earliest date is {earliest.isoformat()}.",
            earliest=earliest.isoformat(),
            hearing_notice_days=violation.settings["hearing_notice_days"],
        )
    hearing = Hearing(
        organization_id=violation.organization_id, violation_id=violation.id, scheduled_at=at, location=location,
        hearing_body=violation.settings.get("hearing_body", "BOARD"), status="SCHEDULED",
    )  # fmt: skip
    ctx.session.add(hearing)
    await ctx.session.flush()
    await notices.send(ctx, violation, "HEARING", hearing_at=at)
    return hearing


async def schedule_hearing(ctx: RequestContext, data: ScheduleHearing) -> HearingOut:
    violation = await records.load(ctx, kinds.VIOLATION, data.id, "schedule_hearing", lock=True)
    return hearing_out(await schedule(ctx, violation, data.scheduled_at, location=data.location))
