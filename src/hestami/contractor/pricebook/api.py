"""What the other contractor domains (estimates, invoices, field work) use of the pricebook: a quote through the
price rules, a job template's items and checklist, the items of codes. Other domains never import
`pricebook.models`, `.repository`, `.kinds` or `.services` (import-linter holds this).

With a caller (a request, or `acting` as a user) each call is authorized like the pricebook's own procedures
(NOT_FOUND for what the caller may not view, NO_ACTIVE_VERSION when nothing is active); as the system (a workflow
step: no principal) it reads the context's organization."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from hestami.contractor.pricebook import kinds, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Item
from hestami.contractor.pricebook.schemas import PriceIn, QuoteItemIn, QuoteOut
from hestami.contractor.pricebook.services import quotes
from hestami.core import records
from hestami.core.context import RequestContext

__all__ = [
    "ItemRef",
    "QuoteOut",
    "StepRef",
    "TemplateRef",
    "active_version_id",
    "items_of_codes",
    "quote",
    "template",
    "template_named",
]


@dataclass(frozen=True, slots=True)
class StepRef:
    position: int
    text: str
    required: bool


@dataclass(frozen=True, slots=True)
class TemplateRef:
    """A job template: its items as (code, quantity) in order, and its checklist steps in order."""

    id: uuid.UUID
    version_id: uuid.UUID
    name: str
    trade: str
    description: str | None
    items: tuple[tuple[str, Decimal], ...]
    steps: tuple[StepRef, ...]


@dataclass(frozen=True, slots=True)
class ItemRef:
    id: uuid.UUID
    version_id: uuid.UUID
    code: str
    name: str
    kind: str
    unit: str
    cost: Decimal
    price: Decimal
    taxable: bool


async def active_version_id(ctx: RequestContext) -> uuid.UUID:
    """The organization's ACTIVE version (BUSINESS_RULE_VIOLATION, NO_ACTIVE_VERSION, when none is)."""
    version = await repository.active_version(ctx.session)
    if version is None:
        raise rule(PricebookReason.NO_ACTIVE_VERSION, "No pricebook version is active: activate one first.")
    return version.id


async def quote(
    ctx: RequestContext,
    items: Sequence[tuple[str, Decimal]],
    *,
    association_id: uuid.UUID | None = None,
    at: datetime | None = None,
    member: bool = False,
    version_id: uuid.UUID | None = None,
) -> QuoteOut:
    """(code, quantity) lines priced from the version (the ACTIVE one unless named) through the active price rules
    for the occasion (an association's rate sheet, a member's discount, after-hours at `at`), exactly as
    `pricebook/v1/price` answers. The caller needs `price` on the version."""
    wanted = [QuoteItemIn(code=code, quantity=quantity) for code, quantity in items]
    data = PriceIn(items=wanted, version_id=version_id, association_id=association_id, at=at, member=member)
    return await quotes.price(ctx, data)


async def template(ctx: RequestContext, template_id: uuid.UUID) -> TemplateRef:
    """A job template with its items and steps (NOT_FOUND for another organization's or a random id)."""
    if ctx.principal is None:
        found = await records.find(ctx, kinds.TEMPLATE, template_id)
    else:
        found = await records.load(ctx, kinds.TEMPLATE, template_id)
    lines = (await repository.template_items_of(ctx.session, [found.id]))[found.id]
    steps = (await repository.steps_of(ctx.session, [found.id]))[found.id]
    return TemplateRef(
        id=found.id, version_id=found.version_id, name=found.name, trade=found.trade, description=found.description,
        items=tuple((item.code, line.quantity) for line, item in lines),
        steps=tuple(StepRef(position=s.position, text=s.text, required=s.required) for s in steps),
    )  # fmt: skip


async def template_named(ctx: RequestContext, name: str) -> TemplateRef | None:
    """The ACTIVE version's job template called `name` (NO_ACTIVE_VERSION when nothing is active), or None; like
    `template` for whether the caller may view it."""
    found = await repository.template_named(ctx.session, await active_version_id(ctx), name)
    return await template(ctx, found.id) if found is not None else None


async def items_of_codes(
    ctx: RequestContext, codes: Sequence[str], version_id: uuid.UUID | None = None
) -> dict[str, ItemRef]:
    """The items of these codes in the version (the ACTIVE one unless named); a code the version lacks is absent."""
    version = version_id if version_id is not None else await active_version_id(ctx)
    if ctx.principal is not None:
        await records.load(ctx, kinds.VERSION, version)
    found = await repository.items_by_code(ctx.session, version, list(dict.fromkeys(codes)))
    return {code: _item_ref(item) for code, item in found.items()}


def _item_ref(i: Item) -> ItemRef:
    return ItemRef(
        id=i.id, version_id=i.version_id, code=i.code, name=i.name, kind=i.kind, unit=i.unit, cost=i.cost,
        price=i.price, taxable=i.taxable,
    )  # fmt: skip
