"""Eligibility for a job and the KPIs: read-only views of one technician, computed by the pure rules of
`eligibility` and `kpis` from what is stored."""

from __future__ import annotations

import uuid
from datetime import datetime

from hestami.contractor.profile import api as profile
from hestami.contractor.technician import eligibility, kpis, repository
from hestami.contractor.technician.models import Technician
from hestami.contractor.technician.schemas import CheckEligibility, EligibilityOut, KpisOut, ReasonOut
from hestami.contractor.technician.services.technicians import load
from hestami.core.context import RequestContext


async def facts_of(ctx: RequestContext, technician: Technician, starts_at: datetime) -> eligibility.TechnicianFacts:
    """What the rules read of the technician: skills, certifications, shifts, territory, and the scheduled time off
    that ends after `starts_at`."""
    session = ctx.session
    return eligibility.TechnicianFacts(
        active=technician.status == "ACTIVE",
        time_zone=technician.time_zone,
        trades=frozenset(s.trade for s in await repository.skills(session, technician.id)),
        territory_zip_codes=frozenset(technician.territory_zip_codes),
        shifts=tuple(eligibility.WeeklyShift(s.weekday, s.start_time, s.end_time)
                     for s in await repository.shifts(session, technician.id)),
        time_off=tuple(eligibility.Absence(t.id, t.starts_at, t.ends_at)
                       for t in await repository.time_off(session, technician.id, ending_after=starts_at)),
        certifications=tuple(eligibility.Credential(c.id, c.name, c.trade, c.expires_on)
                             for c in await repository.certifications(session, technician.id)),
    )  # fmt: skip


async def reasons(
    ctx: RequestContext,
    technician_id: uuid.UUID,
    job: eligibility.Job,
    *,
    action: str,
) -> list[eligibility.Reason]:
    """Every reason the technician may not take the job; the contractor's compliance is read for the local day the
    window ends."""
    technician = await load(ctx, technician_id, action)
    facts = await facts_of(ctx, technician, job.starts_at)
    _, ends = eligibility.local_window(facts, job)
    compliance = await profile.compliance_of(ctx, ends.date())
    standing = eligibility.Standing(compliance.compliant, tuple(issue.code for issue in compliance.reasons))
    return eligibility.reasons(facts, job, standing)


async def check(ctx: RequestContext, data: CheckEligibility) -> EligibilityOut:
    job = eligibility.Job(data.trade, data.zip_code, data.starts_at, data.ends_at)
    found = await reasons(ctx, data.technician_id, job, action="check_eligibility")
    return EligibilityOut(
        technician_id=data.technician_id,
        eligible=not found,
        reasons=[ReasonOut(code=r.code, message=r.message, details=r.details) for r in found],
    )


async def kpis_of(ctx: RequestContext, technician_id: uuid.UUID) -> KpisOut:
    """The KPIs over the jobs the technician worked, as dispatch reports them (`kpis.register_job_facts`)."""
    technician = await load(ctx, technician_id)
    figures = kpis.kpis(await kpis.facts_of(ctx, technician.id))
    return KpisOut(
        technician_id=technician.id,
        jobs_completed=figures.jobs_completed,
        first_time_fix_rate=figures.first_time_fix_rate,
        average_job_minutes=figures.average_job_minutes,
    )
