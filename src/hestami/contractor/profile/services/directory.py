"""The provider directory work orders read (`cam.work_order.api.ProviderDirectory`): a provider's trades, area and
compliance on a day, from its contractor profile and documents, in the caller's scope (RLS shows an association's
organization the profiles and documents of the providers linked to it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from hestami.cam.work_order import api as work_orders
from hestami.contractor.profile import repository, rules
from hestami.contractor.profile.services import compliance
from hestami.core.context import RequestContext


class ContractorDirectory:
    async def facts(
        self, ctx: RequestContext, organization_ids: Sequence[uuid.UUID], on: date | None = None
    ) -> dict[uuid.UUID, work_orders.ProviderFacts]:
        day = on or date.today()
        profiles = await repository.profiles_of(ctx.session, organization_ids)
        documents = await compliance.documents_by_organization(ctx, [p.organization_id for p in profiles])
        found = {}
        for profile in profiles:
            held = documents.get(profile.organization_id, [])
            found[profile.organization_id] = work_orders.ProviderFacts(
                organization_id=profile.organization_id,
                name=profile.dba or profile.legal_name,
                external=profile.external,
                trades=tuple(t.upper() for t in profile.trades),
                service_zip_codes=tuple(profile.service_zip_codes),
                service_radius_miles=profile.service_radius_miles,
                description=profile.description,
                on=day,
                issues=tuple(rules.issues(held, day)),
                coverages=rules.coverages(held, day),
                licensed=rules.licensed(held, day),
            )
        return found

    async def is_listed(self, ctx: RequestContext, organization_id: uuid.UUID) -> bool:
        return await repository.is_listed(ctx.session, organization_id)
