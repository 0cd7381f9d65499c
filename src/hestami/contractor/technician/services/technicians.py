"""Technicians: members of a contractor organization who work its jobs. A technician record names an active member
(one record per member), a branch of the organization, and the time zone its shifts are written in. Every
procedure of the domain first requires a contractor on the platform (`profile.api.require_contractor`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from hestami.contractor.profile import api as profile
from hestami.contractor.technician import kinds, repository
from hestami.contractor.technician.errors import TechnicianReason, conflict, rule
from hestami.contractor.technician.models import Technician
from hestami.contractor.technician.schemas import (
    CertificationOut,
    CreateTechnician,
    ListTechnicians,
    ShiftOut,
    SkillOut,
    TechnicianOut,
    TechniciansOut,
    TimeOffOut,
    UpdateTechnician,
)
from hestami.core import records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found
from hestami.identity.services import organizations as identity

MEMBER = "member"
REQUIRED = frozenset({"display_name", "time_zone"})
"""Columns an update may change but never clear (a `null` for them leaves them as they are)."""


async def technician_out(ctx: RequestContext, row: Technician, *, full: bool = True) -> TechnicianOut:
    """The technician with its skills; with `full`, its certifications, shifts and time off not over yet too."""
    session = ctx.session
    skills = [SkillOut.model_validate(s, from_attributes=True) for s in await repository.skills(session, row.id)]
    if not full:
        return records.output(TechnicianOut, row, skills=skills)
    now = datetime.now(UTC)
    return records.output(
        TechnicianOut, row, skills=skills,
        certifications=[CertificationOut.model_validate(c, from_attributes=True)
                        for c in await repository.certifications(session, row.id)],
        shifts=[ShiftOut.model_validate(s, from_attributes=True) for s in await repository.shifts(session, row.id)],
        time_off=[TimeOffOut.model_validate(t, from_attributes=True)
                  for t in await repository.time_off(session, row.id, ending_after=now)],
    )  # fmt: skip


async def load(
    ctx: RequestContext, technician_id: uuid.UUID, action: str = "view", *, lock: bool = False
) -> Technician:
    """A technician of the caller's organization the caller may `action` (a contractor on the platform only)."""
    await profile.require_contractor(ctx)
    return await records.load(ctx, kinds.TECHNICIAN, technician_id, action, lock=lock)


async def _check_member(ctx: RequestContext, user_id: uuid.UUID) -> None:
    """An active member of the caller's organization; any other id (another organization's member, a random one)
    is NOT_FOUND."""
    if await identity.member_roles(ctx, user_id) is None:
        raise not_found(MEMBER, user_id)


async def _check_branch(ctx: RequestContext, branch_id: uuid.UUID | None) -> None:
    if branch_id is None:
        return
    branch = await profile.load_branch(ctx, branch_id)
    if branch.status != "ACTIVE":
        raise rule(TechnicianReason.BRANCH_CLOSED, f"The {branch.name} branch is closed.", branch_id=str(branch.id))


async def _check_employee_number(ctx: RequestContext, number: str | None, technician_id: uuid.UUID | None) -> None:
    if number is None:
        return
    holder = await repository.with_employee_number(ctx.session, number)
    if holder is not None and holder.id != technician_id:
        raise conflict(
            TechnicianReason.DUPLICATE_EMPLOYEE_NUMBER,
            f"Employee number {number} belongs to another technician.",
            technician_id=str(holder.id),
        )


async def _flushed(ctx: RequestContext, make: Any) -> Technician:
    """The write, with the database's unique keys answered like the checks before it (two writers at once)."""
    try:
        async with ctx.session.begin_nested():
            return await make()  # type: ignore[no-any-return]
    except IntegrityError as exc:
        if "uq_technicians_member" in str(exc.orig):
            raise conflict(TechnicianReason.ALREADY_A_TECHNICIAN, "This member is a technician already.") from None
        if "uq_technicians_employee_number" in str(exc.orig):
            raise conflict(
                TechnicianReason.DUPLICATE_EMPLOYEE_NUMBER, "This employee number belongs to another technician."
            ) from None
        raise


async def create(ctx: RequestContext, data: CreateTechnician) -> TechnicianOut:
    await profile.require_contractor(ctx)
    await records.authorize_new(ctx, kinds.TECHNICIAN, "create")
    await _check_member(ctx, data.user_id)
    await _check_branch(ctx, data.branch_id)
    existing = await repository.technician_of_member(ctx.session, data.user_id)
    if existing is not None:
        message = "This member is a technician already."
        raise conflict(TechnicianReason.ALREADY_A_TECHNICIAN, message, technician_id=str(existing.id))
    await _check_employee_number(ctx, data.employee_number, None)
    fields = data.model_dump()
    if fields["email"] is None:
        fields["email"] = await identity.email_of_member(ctx, data.user_id)
    row = Technician(**fields, status="ACTIVE", territory_zip_codes=[], territory_polygons=[])
    made = await _flushed(ctx, lambda: records.create(ctx, kinds.TECHNICIAN, row))
    return await technician_out(ctx, made)


async def update(ctx: RequestContext, data: UpdateTechnician) -> TechnicianOut:
    row = await load(ctx, data.id, "update", lock=True)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    if changes.get("branch_id") is not None:
        await _check_branch(ctx, changes["branch_id"])
    if changes.get("employee_number") is not None:
        await _check_employee_number(ctx, changes["employee_number"], row.id)
    if changes:
        await _flushed(ctx, lambda: records.change(ctx, kinds.TECHNICIAN, row, changes))
    return await technician_out(ctx, row)


async def set_status(ctx: RequestContext, technician_id: uuid.UUID, status: str) -> TechnicianOut:
    """Deactivates (action `deactivate`) or activates again (`update`); the same status again changes nothing."""
    row = await load(ctx, technician_id, "deactivate" if status == "INACTIVE" else "update", lock=True)
    if row.status != status:
        action = "deactivated" if status == "INACTIVE" else "activated"
        await records.change(ctx, kinds.TECHNICIAN, row, {"status": status}, action=action)
    return await technician_out(ctx, row)


async def get(ctx: RequestContext, technician_id: uuid.UUID) -> TechnicianOut:
    return await technician_out(ctx, await load(ctx, technician_id))


async def list_technicians(ctx: RequestContext, data: ListTechnicians) -> TechniciansOut:
    """A page of the technicians the caller may view, with their skills (in one query for the page)."""
    await profile.require_contractor(ctx)
    filters = []
    if data.branch_id is not None:
        filters.append(Technician.branch_id == data.branch_id)
    if data.status is not None:
        filters.append(Technician.status == data.status)
    if data.trade is not None:
        filters.append(repository.has_skill_in(data.trade))
    rows, cursor = await records.page(ctx, kinds.TECHNICIAN, data, *filters)
    skills = await repository.skills_of(ctx.session, [r.id for r in rows])
    items = [
        records.output(
            TechnicianOut, row, skills=[SkillOut.model_validate(s, from_attributes=True) for s in skills[row.id]]
        )
        for row in rows
    ]
    return TechniciansOut(items=items, next_cursor=cursor)
