"""Pricing a quote from a pricebook version and the organization's price rules: pure, no database.

Each line starts from its item's base price (the version's `price`; a BUNDLE has its own price, its components
only say what it contains) and goes through the rules in this order, at most one rule of each kind:

1. RATE_SHEET: the association's rate sheet, when the quote is for an association and the sheet lists the item's
   code: its fixed price REPLACES the base price, or its `discount_percent` comes off the base price.
2. SEASONAL: a discount while the quote's date (in the rule's time zone) falls in the rule's season
   (`starts_on`..`ends_on` inclusive; `yearly`: the same months and days every year, possibly across New Year).
3. VOLUME: a discount when the line's quantity is at least `min_quantity`.
4. MEMBER_DISCOUNT: a discount for a customer with a maintenance agreement (`member`).
5. AFTER_HOURS: a surcharge when the quote's moment (in the rule's time zone) falls inside the rule's weekly
   window (`weekdays`, `window_start`..`window_end`, a window ending before it starts runs past midnight into the
   next day), or outside it when `outside_window` (the window is then the operating hours).

A percentage rule applies to the items its `item_codes` name (none named: every item) that lie in its category or
one of that category's subcategories (no category: any). When several rules of one kind apply to a line, the one
with the largest percentage wins (on a tie, the oldest: rules are given oldest first).

Rounding: every step's price is rounded to cents ROUND_HALF_UP (x.xx5 goes up: 5.005 → 5.01), and so is each
line's total (unit price times quantity, ROUND_HALF_UP to cents); the subtotal and the taxable subtotal are sums of
line totals (already in cents). Arithmetic runs with 80 significant digits, so no intermediate result is rounded
before the stated rounding."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
PRECISION = 80

RATE_SHEET, SEASONAL, VOLUME, MEMBER_DISCOUNT, AFTER_HOURS = (
    "RATE_SHEET", "SEASONAL", "VOLUME", "MEMBER_DISCOUNT", "AFTER_HOURS",
)  # fmt: skip
ORDER: tuple[str, ...] = (RATE_SHEET, SEASONAL, VOLUME, MEMBER_DISCOUNT, AFTER_HOURS)
"""The order the kinds of rules apply in (the module docstring says why each is where it is)."""


def cents(amount: Decimal) -> Decimal:
    """`amount` rounded to cents, ROUND_HALF_UP (0.005 → 0.01, 2.675 → 2.68): the rounding of every step."""
    with localcontext(prec=PRECISION):
        return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def discounted(price: Decimal, percent: Decimal) -> Decimal:
    """`price` less `percent` per cent, rounded to cents ROUND_HALF_UP."""
    with localcontext(prec=PRECISION):
        return cents(price * (HUNDRED - percent) / HUNDRED)


def surcharged(price: Decimal, percent: Decimal) -> Decimal:
    """`price` plus `percent` per cent, rounded to cents ROUND_HALF_UP."""
    with localcontext(prec=PRECISION):
        return cents(price * (HUNDRED + percent) / HUNDRED)


def line_total(unit_price: Decimal, quantity: Decimal) -> Decimal:
    """Unit price times quantity, rounded to cents ROUND_HALF_UP."""
    with localcontext(prec=PRECISION):
        return cents(unit_price * quantity)


@dataclass(frozen=True, slots=True)
class PricedItem:
    """What pricing reads of an item: `category_path` is its category and that category's ancestors."""

    code: str
    name: str
    kind: str
    unit: str
    price: Decimal
    taxable: bool
    category_path: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class RateEntry:
    """A rate sheet's price of one code: a fixed `price`, or `discount_percent` off the base price."""

    price: Decimal | None = None
    discount_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """An active price rule, as pricing reads it."""

    id: uuid.UUID
    name: str
    kind: str
    percent: Decimal | None = None
    item_codes: frozenset[str] = frozenset()
    category_id: uuid.UUID | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    yearly: bool = False
    min_quantity: Decimal | None = None
    weekdays: frozenset[str] = frozenset()
    """MONDAY … SUNDAY."""
    window_start: time | None = None
    window_end: time | None = None
    outside_window: bool = False
    time_zone: str | None = None
    association_id: uuid.UUID | None = None
    entries: Mapping[str, RateEntry] = field(default_factory=dict)
    """A RATE_SHEET's prices by item code."""


@dataclass(frozen=True, slots=True)
class Occasion:
    """What the quote is for: when (an aware moment), for which association (or none), for a member or not."""

    at: datetime
    association_id: uuid.UUID | None = None
    member: bool = False


@dataclass(frozen=True, slots=True)
class AppliedRule:
    rule_id: uuid.UUID
    name: str
    kind: str
    percent: Decimal | None
    """The discount or surcharge in per cent (None for a rate sheet's fixed price)."""
    price_before: Decimal
    price_after: Decimal


@dataclass(frozen=True, slots=True)
class QuoteLine:
    item: PricedItem
    quantity: Decimal
    base_price: Decimal
    unit_price: Decimal
    applied: tuple[AppliedRule, ...]
    total: Decimal


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    subtotal: Decimal
    taxable_subtotal: Decimal


# --- when a rule applies --------------------------------------------------------------------------------------


def _local(rule: Rule, at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(rule.time_zone)) if rule.time_zone else at


def in_season(rule: Rule, on: date) -> bool:
    """Whether `on` falls in the rule's season (inclusive); a yearly season compares months and days only, and may
    run across New Year (November to February)."""
    if rule.starts_on is None or rule.ends_on is None:
        return False
    if not rule.yearly:
        return rule.starts_on <= on <= rule.ends_on
    start, end, day = (
        (rule.starts_on.month, rule.starts_on.day), (rule.ends_on.month, rule.ends_on.day), (on.month, on.day),
    )  # fmt: skip
    return start <= day <= end if start <= end else day >= start or day <= end


def in_window(rule: Rule, moment: datetime) -> bool:
    """Whether a local moment falls inside the rule's weekly window. A window that ends at or before its start runs
    past midnight and belongs to the weekday it starts on (Friday 18:00 to 08:00 covers Saturday 07:00); equal start
    and end make the whole day."""
    if rule.window_start is None or rule.window_end is None:
        return False
    start, end, now = rule.window_start, rule.window_end, moment.time().replace(tzinfo=None)
    weekday = WEEKDAYS[moment.weekday()]
    if start < end:
        return weekday in rule.weekdays and start <= now < end
    if start == end:
        return weekday in rule.weekdays
    yesterday = WEEKDAYS[(moment - timedelta(days=1)).weekday()]
    return (weekday in rule.weekdays and now >= start) or (yesterday in rule.weekdays and now < end)


def in_scope(rule: Rule, item: PricedItem) -> bool:
    """Whether a percentage rule covers the item: its codes (none: all) and its category (or a subcategory)."""
    if rule.item_codes and item.code not in rule.item_codes:
        return False
    return rule.category_id is None or rule.category_id in item.category_path


def _holds(rule: Rule, item: PricedItem, quantity: Decimal, occasion: Occasion) -> bool:
    if rule.kind == RATE_SHEET:
        return rule.association_id is not None and rule.association_id == occasion.association_id
    if not in_scope(rule, item):
        return False
    checks: dict[str, Callable[[], bool]] = {
        SEASONAL: lambda: in_season(rule, _local(rule, occasion.at).date()),
        VOLUME: lambda: rule.min_quantity is not None and quantity >= rule.min_quantity,
        MEMBER_DISCOUNT: lambda: occasion.member,
        AFTER_HOURS: lambda: in_window(rule, _local(rule, occasion.at)) != rule.outside_window,
    }
    return checks[rule.kind]()


# --- applying them --------------------------------------------------------------------------------------------


def _rate_sheet(rule: Rule, item: PricedItem, price: Decimal) -> AppliedRule | None:
    entry = rule.entries.get(item.code)
    if entry is None:
        return None
    if entry.price is not None:
        return AppliedRule(rule.id, rule.name, rule.kind, None, price, cents(entry.price))
    assert entry.discount_percent is not None
    after = discounted(price, entry.discount_percent)
    return AppliedRule(rule.id, rule.name, rule.kind, entry.discount_percent, price, after)


def _percentage(rule: Rule, price: Decimal) -> AppliedRule:
    assert rule.percent is not None
    change = surcharged if rule.kind == AFTER_HOURS else discounted
    return AppliedRule(rule.id, rule.name, rule.kind, rule.percent, price, change(price, rule.percent))


def _step(kind: str, rules: Sequence[Rule], item: PricedItem, price: Decimal) -> AppliedRule | None:
    """The one rule of `kind` that applies to the line at this step (among those that hold), or None."""
    if kind == RATE_SHEET:
        return next((a for r in rules if (a := _rate_sheet(r, item, price)) is not None), None)
    best: Rule | None = None
    for rule in rules:
        if best is None or (rule.percent or 0) > (best.percent or 0):
            best = rule
    return _percentage(best, price) if best is not None else None


def price_line(item: PricedItem, quantity: Decimal, rules: Sequence[Rule], occasion: Occasion) -> QuoteLine:
    """One line: the base price through the rules in `ORDER`, each step rounded to cents ROUND_HALF_UP, then the
    total (unit price times quantity, ROUND_HALF_UP to cents)."""
    base = cents(item.price)
    price, applied = base, []
    for kind in ORDER:
        holding = [r for r in rules if r.kind == kind and _holds(r, item, quantity, occasion)]
        step = _step(kind, holding, item, price)
        if step is not None:
            applied.append(step)
            price = step.price_after
    return QuoteLine(item, quantity, base, price, tuple(applied), line_total(price, quantity))


def quote(lines: Sequence[tuple[PricedItem, Decimal]], rules: Sequence[Rule], occasion: Occasion) -> Quote:
    """Every line priced (`price_line`), with the subtotal and the subtotal of the taxable lines."""
    priced = tuple(price_line(item, quantity, rules, occasion) for item, quantity in lines)
    subtotal = sum((line.total for line in priced), Decimal("0.00"))
    taxable = sum((line.total for line in priced if line.item.taxable), Decimal("0.00"))
    return Quote(priced, subtotal, taxable)
