"""Requirements: an association's recurring obligations, adopted from the platform's library for its jurisdiction
or written by hand, each a recurrence rule from an anchor date. Codes are unique per association (an advisory
lock on the association's codes, then the unique index)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from hestami.cam.association import api as association
from hestami.cam.compliance import kinds, library, repository, rules
from hestami.cam.compliance.errors import ComplianceReason, rule
from hestami.cam.compliance.models import Requirement
from hestami.cam.compliance.schemas import (
    AdoptDefaults,
    AdoptedOut,
    CreateRequirement,
    ListRequirements,
    RequirementOut,
    RequirementsOut,
    UpdateRequirement,
)
from hestami.core import records
from hestami.core.context import RequestContext

REQUIRED = frozenset({"title", "rrule", "anchor_date", "lead_days", "responsible_role", "active"})
"""Columns an update may change but never clear (a `null` for them leaves them as they are)."""


def output(row: Requirement) -> RequirementOut:
    return records.output(RequirementOut, row)


CHECK_YEARS = 6
"""A rule must give a date, and at most `rules.MAX_OCCURRENCES`, in this many years from its anchor."""


def _check_rule(rrule: str, anchor: date) -> None:
    try:
        if not rules.occurrences(rrule, anchor, anchor, anchor + relativedelta(years=CHECK_YEARS)):
            raise rules.InvalidRule(f"it gives no date in the {CHECK_YEARS} years from its anchor date")
    except rules.InvalidRule as exc:
        raise rule(ComplianceReason.INVALID_RULE, f"Not a recurrence rule we can use: {exc}", rrule=rrule) from None


async def adopt_defaults(ctx: RequestContext, data: AdoptDefaults) -> AdoptedOut:
    """Copies the jurisdiction's templates into the association, leaving the codes it already has alone."""
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.REQUIREMENT, "create")
    jurisdiction = data.jurisdiction.strip().upper()
    templates = library.templates(jurisdiction)
    if templates is None:
        raise rule(
            ComplianceReason.UNKNOWN_JURISDICTION,
            f"The library has no requirements for {jurisdiction!r} (it has {', '.join(sorted(library.LIBRARY))}).",
            jurisdiction=jurisdiction,
        )
    fiscal_year_start = data.anchor_date or date(datetime.now(UTC).year, 1, 1)
    await repository.lock_codes(ctx.session, data.association_id)
    existing = await repository.codes(ctx.session, data.association_id)
    adopted, skipped = [], []
    for template in templates:
        if template.code in existing:
            skipped.append(template.code)
            continue
        row = Requirement(
            association_id=data.association_id, code=template.code, title=template.title, kind=template.kind,
            jurisdiction=jurisdiction, reference=template.reference, description=template.description,
            rrule=template.rrule, anchor_date=template.anchor(fiscal_year_start), lead_days=template.lead_days,
            responsible_role=template.responsible_role, active=True,
        )  # fmt: skip
        adopted.append(output(await records.insert(ctx, kinds.REQUIREMENT, row)))
    return AdoptedOut(adopted=adopted, skipped_codes=skipped)


async def create(ctx: RequestContext, data: CreateRequirement) -> RequirementOut:
    await association.load_association(ctx, data.association_id)
    await records.authorize_new(ctx, kinds.REQUIREMENT, "create")
    _check_rule(data.rrule, data.anchor_date)
    await repository.lock_codes(ctx.session, data.association_id)
    if await repository.requirement_with_code(ctx.session, data.association_id, data.code) is not None:
        raise rule(ComplianceReason.DUPLICATE_CODE, f"The association already has requirement {data.code}.")
    fields = data.model_dump()
    if fields["jurisdiction"] is not None:
        fields["jurisdiction"] = fields["jurisdiction"].upper()
    row = await records.create(ctx, kinds.REQUIREMENT, Requirement(**fields, active=True))
    return output(row)


async def update(ctx: RequestContext, data: UpdateRequirement) -> RequirementOut:
    row = await records.load(ctx, kinds.REQUIREMENT, data.id, "update", lock=True)
    changes: dict[str, Any] = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in REQUIRED}
    if "rrule" in changes or "anchor_date" in changes:
        _check_rule(changes.get("rrule", row.rrule), changes.get("anchor_date", row.anchor_date))
    await records.change(ctx, kinds.REQUIREMENT, row, changes)
    return output(row)


async def get(ctx: RequestContext, requirement_id: uuid.UUID) -> RequirementOut:
    return output(await records.load(ctx, kinds.REQUIREMENT, requirement_id))


async def list_requirements(ctx: RequestContext, data: ListRequirements) -> RequirementsOut:
    filters = []
    if data.association_id is not None:
        filters.append(Requirement.association_id == data.association_id)
    if data.active is not None:
        filters.append(Requirement.active.is_(data.active))
    rows, cursor = await records.page(ctx, kinds.REQUIREMENT, data, *filters)
    return RequirementsOut(items=[output(r) for r in rows], next_cursor=cursor)
