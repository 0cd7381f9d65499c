"""Quotes: a list of item codes and quantities priced from a version (the ACTIVE one unless named) through the
organization's active price rules (`pricing`: the order, and the rounding: ROUND_HALF_UP to cents at each step and
each line). Nothing is stored: a quote is an answer, read again whenever asked."""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal

from hestami.cam.work_order import api as work_orders
from hestami.contractor.pricebook import kinds, pricing, repository
from hestami.contractor.pricebook.errors import PricebookReason, rule
from hestami.contractor.pricebook.models import Item, PriceRule, RateSheetEntry, Version
from hestami.contractor.pricebook.schemas import AppliedRuleOut, PriceIn, QuoteLineOut, QuoteOut
from hestami.contractor.pricebook.services.categories import ancestry
from hestami.contractor.pricebook.services.guard import contractor
from hestami.contractor.pricebook.services.items import items_of_codes
from hestami.core import records
from hestami.core.context import RequestContext


async def _version(ctx: RequestContext, data: PriceIn) -> Version:
    if data.version_id is not None:
        return await records.load(ctx, kinds.VERSION, data.version_id, "price")
    version = await repository.active_version(ctx.session)
    if version is None:
        raise rule(PricebookReason.NO_ACTIVE_VERSION, "No pricebook version is active: activate one, or name one.")
    await records.authorize_record(ctx, kinds.VERSION, version, "price")
    return version


PLACES = Decimal("0.0001")
"""A quantity as stored: four decimals."""


def _clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value is not None else None


def _rule(row: PriceRule, entries: list[RateSheetEntry]) -> pricing.Rule:
    return pricing.Rule(
        id=row.id, name=row.name, kind=row.kind, percent=row.percent, item_codes=frozenset(row.item_codes),
        category_id=row.category_id, starts_on=row.starts_on, ends_on=row.ends_on, yearly=row.yearly,
        min_quantity=row.min_quantity, weekdays=frozenset(row.weekdays), window_start=_clock(row.window_start),
        window_end=_clock(row.window_end), outside_window=row.outside_window, time_zone=row.time_zone,
        association_id=row.association_id,
        entries={e.item_code: pricing.RateEntry(e.price, e.discount_percent) for e in entries},
    )  # fmt: skip


def _line(line: pricing.QuoteLine) -> QuoteLineOut:
    item = line.item
    applied = [
        AppliedRuleOut(rule_id=a.rule_id, name=a.name, kind=a.kind, percent=a.percent, price_before=a.price_before,
                       price_after=a.price_after)
        for a in line.applied
    ]  # fmt: skip
    return QuoteLineOut(
        code=item.code, name=item.name, kind=item.kind, unit=item.unit, quantity=line.quantity.quantize(PLACES),
        taxable=item.taxable, base_price=line.base_price, unit_price=line.unit_price, applied_rules=applied,
        line_total=line.total,
    )  # fmt: skip


async def price(ctx: RequestContext, data: PriceIn) -> QuoteOut:
    await contractor(ctx)
    version = await _version(ctx, data)
    if data.association_id is not None:
        await work_orders.linked_association(ctx, data.association_id)
    found: dict[str, Item] = await items_of_codes(ctx, version.id, list(dict.fromkeys(i.code for i in data.items)))
    parents = await repository.category_parents(ctx.session)
    rows = await repository.active_rules(ctx.session, data.association_id)
    entries = await repository.entries_of(ctx.session, [r.id for r in rows if r.kind == "RATE_SHEET"])
    rules = [_rule(r, entries.get(r.id, [])) for r in rows]
    at = data.at or datetime.now(UTC)
    lines = [
        (pricing.PricedItem(item.code, item.name, item.kind, item.unit, item.price, item.taxable,
                            ancestry(parents, item.category_id)), wanted.quantity)
        for wanted in data.items
        for item in (found[wanted.code],)
    ]  # fmt: skip
    quoted = pricing.quote(lines, rules, pricing.Occasion(at, data.association_id, data.member))
    return QuoteOut(
        version_id=version.id, association_id=data.association_id, at=at, member=data.member,
        lines=[_line(line) for line in quoted.lines], subtotal=quoted.subtotal,
        taxable_subtotal=quoted.taxable_subtotal,
    )  # fmt: skip
