"""Demo contractors (the records are in `demo_data.py`): each organization (created by admin@ when it does not
exist, admin@ its ADMIN, VENDOR and DISPATCHER on the platform), its profile, licences, insurance and branches,
through the services. Skipped for a contractor that already has a profile. Runs before the work-order seeders,
which link these providers to the demo associations."""

from __future__ import annotations

from datetime import date

from hestami.contractor.profile import repository
from hestami.contractor.profile.demo_data import DemoContractor, contractors_on
from hestami.contractor.profile.services import branches, compliance, credentials, profiles
from hestami.core.acting import acting
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.identity import demo as identity
from hestami.identity.demo import DemoCast, email_of
from hestami.identity.schemas import CreateOrganizationIn, SetMemberRolesIn
from hestami.identity.services import organizations

ON_PLATFORM_ROLES = ["ADMIN", "VENDOR", "DISPATCHER"]


async def _ensure_organization(cast: DemoCast, spec: DemoContractor) -> None:
    admin = cast.users["admin"]
    if spec.slug not in cast.orgs:
        async with acting(
            cast.runtime, procedure="seed-demo", organization_id=None, user_id=admin, email=email_of("admin")
        ) as ctx:
            data = CreateOrganizationIn(name=spec.name, type=spec.type, slug=spec.slug)
            cast.orgs[spec.slug] = (await organizations.create(ctx, data)).organization.id
    if spec.type != "SERVICE_PROVIDER":
        return
    async with cast.acting("admin", spec.slug) as ctx:
        if "VENDOR" not in ctx.roles:  # the owner-operator also takes the jobs
            member_id = await identity.membership_id(ctx.session, ctx.require_org(), admin)
            assert member_id is not None
            await organizations.set_member_roles(ctx, SetMemberRolesIn(member_id=member_id, roles=ON_PLATFORM_ROLES))


async def _seed(cast: DemoCast, spec: DemoContractor) -> str:
    await _ensure_organization(cast, spec)
    async with cast.acting("admin", spec.slug) as ctx:
        if await repository.profile_of(ctx.session, ctx.require_org()) is None:
            await profiles.upsert(ctx, spec.profile)
            for licence in spec.licenses:
                await credentials.add_license(ctx, licence)
            for policy in spec.insurances:
                await credentials.add_insurance(ctx, policy)
            for branch in spec.branches:
                await branches.create(ctx, branch)
        state = await compliance.get(ctx)
    why = "; ".join(issue.message for issue in state.issues)
    soon = ", ".join(f"{d.label} in {d.days_left} days" for d in state.expiring)
    return (
        f"  contractor {spec.name} ({spec.slug}, {spec.type}): {state.status}"
        + (f" ({why})" if why else "")
        + (f"; expiring: {soon}" if soon else "")
    )


@demo_seed("contractor_profile", order=38)
async def seed(runtime: Runtime) -> list[str]:
    cast = await DemoCast.gather(runtime)
    if cast is None:
        return ["contractors: skipped, the demo admin does not exist"]
    lines = ["contractors:"]
    for spec in contractors_on(date.today()):
        lines.append(await _seed(cast, spec))
    return lines
