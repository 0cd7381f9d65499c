"""Price rules: the organization's seasonal, volume, after-hours and member discounts and its per-association rate
sheets (`pricing` says how and in which order they apply). Rules are independent of versions: they name items by
code and category, which a new version keeps, so publishing a version freezes its prices but not the promotions
and contracts that run on a calendar of their own. A rate sheet prices for an association linked to the contractor
(work orders' `linked_association`: NOT_FOUND otherwise), one active sheet per association. A rule is deactivated,
never deleted (quotes made with it name it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from hestami.cam.work_order import api as work_orders
from hestami.contractor.pricebook import kinds, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import PriceRule, RateSheetEntry
from hestami.contractor.pricebook.schemas import (
    KIND_FIELDS,
    CreateRule,
    ListRules,
    RateEntryIn,
    RateEntryOut,
    RuleOut,
    UpdateRule,
    season_problem,
)
from hestami.contractor.pricebook.services.guard import contractor
from hestami.core import audit, records
from hestami.core.context import RequestContext
from hestami.core.errors import ErrorCode, FieldError, HestamiError
from hestami.core.pagination import Page

ALWAYS = frozenset({"name", "yearly", "outside_window", "item_codes"})
"""Columns an update never clears (a `null` leaves them as they are), besides the fields the rule's kind needs."""
LISTS = {"item_codes": list, "weekdays": list}


def output(row: PriceRule, entries: list[RateSheetEntry] | None = None) -> RuleOut:
    shown = [RateEntryOut(code=e.item_code, price=e.price, discount_percent=e.discount_percent) for e in entries or []]
    return records.output(RuleOut, row, entries=shown)


async def _outputs(ctx: RequestContext, rows: list[PriceRule]) -> list[RuleOut]:
    entries = await repository.entries_of(ctx.session, [r.id for r in rows if r.kind == "RATE_SHEET"])
    return [output(r, entries.get(r.id)) for r in rows]


def _entries(entries: list[RateEntryIn]) -> list[dict[str, Any]]:
    return [{"code": e.code, "price": e.price, "discount_percent": e.discount_percent} for e in entries]


async def _set_entries(ctx: RequestContext, row: PriceRule, entries: list[RateEntryIn]) -> None:
    await repository.replace_entries(ctx.session, row, _entries(entries))
    shown = [{k: str(v) if v is not None else None for k, v in e.items()} for e in _entries(entries)]
    audit.record(ctx, f"{kinds.RULE.name}.entries_set", kinds.RULE.name, row.id, after={"entries": shown})


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    """The rule's columns from input fields: lists default to empty, `yearly`/`outside_window` to false."""
    columns = {k: v for k, v in fields.items() if k != "entries"}
    for name in ("yearly", "outside_window"):
        if name in columns and columns[name] is None:
            columns[name] = False
    for name in LISTS:
        if name in columns and columns[name] is None:
            columns[name] = []
    return columns


async def _one_sheet_per_association(ctx: RequestContext, association_id: uuid.UUID) -> None:
    await repository.lock_rate_sheets(ctx.session, ctx.require_org(), association_id)
    if await repository.active_rate_sheet(ctx.session, association_id) is not None:
        raise rule(
            PricebookReason.DUPLICATE_RATE_SHEET,
            "This association has an active rate sheet already: update it, or deactivate it first.",
        )


async def create(ctx: RequestContext, data: CreateRule) -> RuleOut:
    await contractor(ctx)
    await records.authorize_new(ctx, kinds.RULE, "create")
    if data.category_id is not None:
        await records.load(ctx, kinds.CATEGORY, data.category_id)
    if data.association_id is not None:
        await work_orders.linked_association(ctx, data.association_id)
        await _one_sheet_per_association(ctx, data.association_id)
    fields = _columns(data.model_dump(exclude_none=True))
    row = await records.create(ctx, kinds.RULE, PriceRule(**fields, active=True))
    if data.entries:
        await _set_entries(ctx, row, data.entries)
    return (await _outputs(ctx, [row]))[0]


def _shape(data: UpdateRule, row: PriceRule) -> None:
    """VALIDATION_FAILED for fields a rule of this kind does not take, or a season that would end before it starts."""
    try:
        data.check_shape(row.kind, creating=False)
        yearly = row.yearly if data.yearly is None else data.yearly
        season_problem(data.starts_on or row.starts_on, data.ends_on or row.ends_on, yearly=yearly)
    except ValueError as exc:
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED, field_errors=[FieldError("", f"{exc}.", "wrong_kind")]
        ) from None


async def update(ctx: RequestContext, data: UpdateRule) -> RuleOut:
    await contractor(ctx)
    row = await records.load(ctx, kinds.RULE, data.id, "update", lock=True)
    if not row.active:
        raise rule(PricebookReason.RULE_INACTIVE, "This rule is deactivated; it changes no more.")
    _shape(data, row)
    keep = ALWAYS | KIND_FIELDS[row.kind]
    given = {k: v for k, v in records.changes_of(data).items() if v is not None or k not in keep}
    if given.get("category_id") is not None:
        await records.load(ctx, kinds.CATEGORY, given["category_id"])
    await records.change(ctx, kinds.RULE, row, _columns(given))
    if data.entries is not None:
        await _set_entries(ctx, row, data.entries)
    return (await _outputs(ctx, [row]))[0]


async def deactivate(ctx: RequestContext, rule_id: uuid.UUID) -> RuleOut:
    await contractor(ctx)
    row = await records.load(ctx, kinds.RULE, rule_id, "deactivate", lock=True)
    if not row.active:
        raise rule(PricebookReason.RULE_INACTIVE, "This rule is deactivated already.")
    changes = {"active": False, "deactivated_at": datetime.now(UTC)}
    await records.change(ctx, kinds.RULE, row, changes, action="deactivated")
    return (await _outputs(ctx, [row]))[0]


async def get(ctx: RequestContext, rule_id: uuid.UUID) -> RuleOut:
    await contractor(ctx)
    return (await _outputs(ctx, [await records.load(ctx, kinds.RULE, rule_id)]))[0]


async def list_rules(ctx: RequestContext, data: ListRules) -> Page[RuleOut]:
    await contractor(ctx)
    filters = []
    for column, value in ((PriceRule.kind, data.kind), (PriceRule.association_id, data.association_id)):
        if value is not None:
            filters.append(column == value)
    if data.active is not None:
        filters.append(PriceRule.active.is_(data.active))
    rows, cursor = await records.page(ctx, kinds.RULE, data, *filters)
    return Page[RuleOut](items=await _outputs(ctx, rows), next_cursor=cursor)
