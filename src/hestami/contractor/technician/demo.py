"""Demo technicians (the records are in `demo_data.py`): each contractor's admin (Evergreen Plumbing & HVAC's for
tech1@ .. tech6@, Cibolo Creek Roofing's for tech7@) makes each demo login a technician of the branch named in the
data (found with `profile.api.branch_named`), with its skills, certifications, shifts, territory and, for one,
time off next week, through the domain's services in scoped transactions like any request. Runs after the
contractor profiles' seeder (the branches, and each contractor being one); a login already a technician is left as
it is, so `hestami dev` can run this on every start."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from hestami.contractor.profile import api as profile
from hestami.contractor.technician import repository
from hestami.contractor.technician.demo_data import TECHNICIANS, DemoTechnician, next_week_off
from hestami.contractor.technician.schemas import (
    AddCertification,
    AddSkill,
    AddTimeOff,
    CreateTechnician,
    SetShifts,
    SetTerritory,
    ShiftIn,
)
from hestami.contractor.technician.services import availability, qualifications, technicians
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.errors import HestamiError
from hestami.core.runtime import Runtime
from hestami.identity.demo import DemoCast


async def _equip(ctx: RequestContext, spec: DemoTechnician, technician_id: uuid.UUID, today: date) -> None:
    for trade, level in spec.skills:
        await qualifications.add_skill(ctx, AddSkill.model_validate({"id": technician_id, "trade": trade,
                                                                     "level": level}))  # fmt: skip
    for card in spec.certifications:
        expires = today + timedelta(days=card.expires_in_days) if card.expires_in_days is not None else None
        await qualifications.add_certification(
            ctx,
            AddCertification(id=technician_id, name=card.name, issuer=card.issuer, number=card.number,
                             trade=card.trade, issued_on=card.issued_on, expires_on=expires),
        )  # fmt: skip
    shifts = [ShiftIn.model_validate({"weekday": d, "start_time": s, "end_time": e}) for d, s, e in spec.shifts]
    await availability.set_shifts(ctx, SetShifts(id=technician_id, shifts=shifts))
    territory = {"id": technician_id, "zip_codes": list(spec.zip_codes), "polygons": list(spec.polygons)}
    await availability.set_territory(ctx, SetTerritory.model_validate(territory))
    if spec.time_off_next_week is not None:
        starts, ends = next_week_off(today)
        off = AddTimeOff(id=technician_id, starts_at=starts, ends_at=ends, reason=spec.time_off_next_week)
        await availability.add_time_off(ctx, off)


async def _seed(cast: DemoCast, spec: DemoTechnician, today: date) -> str:
    """One technician with everything of theirs, in one transaction (all or nothing)."""
    if spec.login not in cast.users:
        return f"  {spec.name}: skipped, the login {spec.login}@ does not exist"
    async with cast.acting("admin", spec.organization) as ctx:
        if await repository.technician_of_member(ctx.session, cast.users[spec.login]) is not None:
            return f"  {spec.name} ({spec.login}@): already loaded"
        branch = await profile.branch_named(ctx, spec.branch)
        if branch is None:
            return f"  {spec.name} ({spec.login}@): skipped, branch {spec.branch} is missing"
        made = await technicians.create(
            ctx,
            CreateTechnician(
                user_id=cast.users[spec.login], display_name=spec.name, employee_number=spec.employee_number,
                phone=spec.phone, branch_id=branch.id, home_zip_code=spec.home_zip_code, hired_on=spec.hired_on,
            ),
        )  # fmt: skip
        await _equip(ctx, spec, made.id, today)
    skills = ", ".join(f"{trade} {level.lower()}" for trade, level in spec.skills)
    return f"  {spec.name} ({spec.login}@, {spec.branch}): {skills}; {len(spec.zip_codes)} zip codes"


async def _contractor(cast: DemoCast, slug: str) -> str | None:
    """Why the organization's technicians are skipped, or None."""
    if slug not in cast.orgs:
        return f"organization {slug} is missing"
    try:
        async with cast.acting("admin", slug) as ctx:
            await profile.require_contractor(ctx)
    except HestamiError:
        return f"{slug} has no contractor profile"
    return None


@demo_seed("technicians", order=39)
async def seed_technicians(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["demo technicians: skipped, the demo admin does not exist"]
    today = date.today()
    lines = []
    for slug in dict.fromkeys(spec.organization for spec in TECHNICIANS):
        if (why := await _contractor(cast, slug)) is not None:
            lines.append(f"demo technicians ({slug}): skipped, {why}")
            continue
        lines.append(f"demo technicians ({slug}):")
        lines += [await _seed(cast, spec, today) for spec in TECHNICIANS if spec.organization == slug]
    return lines
