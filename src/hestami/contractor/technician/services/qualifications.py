"""What a technician can do: skills (one level per trade) and certifications (with their expiry). Each change is
an `update` of the technician, audited on it."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from hestami.contractor.technician import kinds, repository
from hestami.contractor.technician.errors import TechnicianReason, conflict
from hestami.contractor.technician.models import Certification, Skill
from hestami.contractor.technician.schemas import (
    AddCertification,
    AddSkill,
    RemoveCertification,
    RemoveSkill,
    TechnicianOut,
)
from hestami.contractor.technician.services.technicians import load, technician_out
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import not_found

KIND = kinds.TECHNICIAN.name
SKILL = "technician_skill"
CERTIFICATION = "technician_certification"


async def add_skill(ctx: RequestContext, data: AddSkill) -> TechnicianOut:
    """A skill in a trade the technician has none in yet (DUPLICATE_SKILL otherwise: change its level by removing
    and adding it)."""
    technician = await load(ctx, data.id, "update", lock=True)
    existing = await repository.skill(ctx.session, technician.id, data.trade)
    if existing is not None:
        raise conflict(
            TechnicianReason.DUPLICATE_SKILL,
            f"The technician has a {data.trade} skill already ({existing.level}).",
            skill_id=str(existing.id),
        )
    row = Skill(organization_id=technician.organization_id, technician_id=technician.id, trade=data.trade,
                level=data.level)  # fmt: skip
    try:
        async with ctx.session.begin_nested():
            ctx.session.add(row)
            await ctx.session.flush()
    except IntegrityError:  # the technician's lock makes this unreachable; the unique key stands behind it
        raise conflict(TechnicianReason.DUPLICATE_SKILL, f"The technician has a {data.trade} skill already.") from None
    audit.record(ctx, f"{KIND}.skill_added", KIND, technician.id,
                 after={"skill_id": str(row.id), "trade": row.trade, "level": row.level})  # fmt: skip
    return await technician_out(ctx, technician)


async def remove_skill(ctx: RequestContext, data: RemoveSkill) -> TechnicianOut:
    technician = await load(ctx, data.id, "update", lock=True)
    row = await repository.skill(ctx.session, technician.id, data.trade)
    if row is None:
        raise not_found(SKILL, data.trade)
    before = {"skill_id": str(row.id), "trade": row.trade, "level": row.level}
    await repository.delete_row(ctx.session, row)
    audit.record(ctx, f"{KIND}.skill_removed", KIND, technician.id, before=before)
    return await technician_out(ctx, technician)


async def add_certification(ctx: RequestContext, data: AddCertification) -> TechnicianOut:
    technician = await load(ctx, data.id, "update", lock=True)
    row = Certification(
        organization_id=technician.organization_id, technician_id=technician.id,
        **data.model_dump(exclude={"id"}),
    )  # fmt: skip
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, f"{KIND}.certification_added", KIND, technician.id,
                 after={"certification_id": str(row.id), **records.snapshot(row, exclude=_OWN)})  # fmt: skip
    return await technician_out(ctx, technician)


_OWN = frozenset({"id", "organization_id", "technician_id"})


async def remove_certification(ctx: RequestContext, data: RemoveCertification) -> TechnicianOut:
    """Removes one of the technician's certifications (one of another technician's is NOT_FOUND)."""
    technician = await load(ctx, data.id, "update", lock=True)
    row = await repository.certification(ctx.session, technician.id, data.certification_id)
    if row is None:
        raise not_found(CERTIFICATION, data.certification_id)
    before = {"certification_id": str(row.id), **records.snapshot(row, exclude=_OWN)}
    await repository.delete_row(ctx.session, row)
    audit.record(ctx, f"{KIND}.certification_removed", KIND, technician.id, before=before)
    return await technician_out(ctx, technician)
