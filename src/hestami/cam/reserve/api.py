"""What other domains may use of domain 11: small references to components and studies, and the replacement of a
component by a completed work order (the work-order domain, above this one, links its work orders to components)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hestami.cam.reserve import kinds
from hestami.cam.reserve.schemas import AnalysisOut, Analyze, ListStudies, StudyOut
from hestami.cam.reserve.services import analysis, components, studies
from hestami.core import audit, records
from hestami.core.context import RequestContext


@dataclass(frozen=True, slots=True)
class StudyRef:
    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    study_date: date
    level: str
    document_id: uuid.UUID | None


async def load_study(ctx: RequestContext, study_id: uuid.UUID, action: str = "view") -> StudyRef:
    """A study the caller may `action` (NOT_FOUND unless they may view it, FORBIDDEN when they may only view it)."""
    row = await records.load(ctx, kinds.STUDY, study_id, action)
    return StudyRef(row.id, row.organization_id, row.association_id, row.study_date, row.level, row.document_id)


register_asset_resolver = components.register_asset_resolver


@dataclass(frozen=True, slots=True)
class ComponentRef:
    id: uuid.UUID
    organization_id: uuid.UUID
    association_id: uuid.UUID
    name: str
    expense_account_id: uuid.UUID | None
    active: bool


async def load_component(ctx: RequestContext, component_id: uuid.UUID, action: str = "view") -> ComponentRef:
    """A component the caller may `action` (NOT_FOUND unless they may view it)."""
    row = await records.load(ctx, kinds.COMPONENT, component_id, action)
    return ComponentRef(row.id, row.organization_id, row.association_id, row.name, row.expense_account_id, row.active)


async def find_component(ctx: RequestContext, component_id: uuid.UUID) -> ComponentRef:
    """A component in scope, without a policy check: for a domain acting on its own authorized record."""
    row = await records.find(ctx, kinds.COMPONENT, component_id)
    return ComponentRef(row.id, row.organization_id, row.association_id, row.name, row.expense_account_id, row.active)


async def record_replacement(ctx: RequestContext, component_id: uuid.UUID, replaced_on: date, note: str) -> None:
    """The component was replaced (a completed work order, whose own policy authorized the completion): it starts
    a new useful life from `replaced_on` (remaining life = useful life), audited with `note`."""
    row = await records.find(ctx, kinds.COMPONENT, component_id, lock=True)
    before = {"remaining_life_years": row.remaining_life_years, "placed_in_service": str(row.placed_in_service)}
    row.remaining_life_years = row.useful_life_years
    row.placed_in_service = replaced_on
    row.last_replaced_on = replaced_on
    await ctx.session.flush()
    audit.record(
        ctx, "reserve_component.replaced", kinds.COMPONENT.name, row.id, organization_id=row.organization_id,
        before=before, after={"remaining_life_years": row.useful_life_years, "placed_in_service": str(replaced_on),
                              "note": note},
    )  # fmt: skip
    await ctx.session.flush()  # in the component's organization, also when the caller acts for it


async def studies_of(ctx: RequestContext, association_id: uuid.UUID) -> list[StudyOut]:
    """The association's reserve studies the caller may see, by study date."""
    found: list[StudyOut] = []
    cursor: str | None = None
    while True:
        page = await studies.list_studies(ctx, ListStudies(association_id=association_id, limit=100, cursor=cursor))
        found.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            return sorted(found, key=lambda s: (s.study_date, s.created_at))


async def funding_analysis(
    ctx: RequestContext, study_id: uuid.UUID, *, balance: Decimal | None = None, years: int = 30
) -> AnalysisOut:
    """`reserve/study/v1/analyze` as the caller would get it (NOT_FOUND unless they may view the study)."""
    return await analysis.analyze(ctx, Analyze(study_id=study_id, balance=balance, years=years))
