"""An option's lines and totals from a pricebook quote: pure, no database.

Each line comes priced by the pricebook (`pricebook.api.quote`: base price, the price rules applied, unit price,
line total). An option's discount (`discount_percent`) then comes off each line's unit price, recorded as one more
applied rule (`ESTIMATE_DISCOUNT`), so the lines always add up to the option's subtotal. Then:

- discount = the lines' totals before the discount - after it;
- subtotal = the sum of the line totals; taxable subtotal = the sum of the taxable lines' totals;
- tax = taxable subtotal * tax rate / 100; total = subtotal + tax.

Rounding: the discounted unit price, each line total (unit price * quantity) and the tax are rounded to cents
ROUND_HALF_UP (x.xx5 goes up), as the pricebook rounds (`pricebook/pricing.py`); sums of cents need none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hestami.contractor.pricebook.pricing import cents

HUNDRED = Decimal(100)
DISCOUNT_RULE = "ESTIMATE_DISCOUNT"


@dataclass(frozen=True, slots=True)
class QuotedLine:
    code: str
    name: str
    kind: str
    unit: str
    quantity: Decimal
    base_price: Decimal
    unit_price: Decimal
    applied_rules: tuple[dict[str, Any], ...]
    taxable: bool


@dataclass(frozen=True, slots=True)
class PricedLine:
    code: str
    name: str
    kind: str
    unit: str
    quantity: Decimal
    base_price: Decimal
    unit_price: Decimal
    applied_rules: tuple[dict[str, Any], ...]
    line_total: Decimal
    taxable: bool


@dataclass(frozen=True, slots=True)
class PricedOption:
    lines: tuple[PricedLine, ...]
    discount: Decimal
    subtotal: Decimal
    taxable_subtotal: Decimal
    tax: Decimal
    total: Decimal


def _discounted(line: QuotedLine, percent: Decimal) -> PricedLine:
    rules = line.applied_rules
    price = line.unit_price
    if percent > 0:
        price = cents(line.unit_price * (HUNDRED - percent) / HUNDRED)
        rule = {"kind": DISCOUNT_RULE, "name": "Option discount", "percent": str(percent),
                "price_before": str(line.unit_price), "price_after": str(price)}  # fmt: skip
        rules = (*rules, rule)
    return PricedLine(
        code=line.code, name=line.name, kind=line.kind, unit=line.unit, quantity=line.quantity,
        base_price=line.base_price, unit_price=price, applied_rules=rules,
        line_total=cents(price * line.quantity), taxable=line.taxable,
    )  # fmt: skip


def price_option(quoted: Sequence[QuotedLine], discount_percent: Decimal, tax_rate: Decimal) -> PricedOption:
    """The option's lines after its discount, and its totals (see the module's rules)."""
    lines = tuple(_discounted(line, discount_percent) for line in quoted)
    before = sum((cents(line.unit_price * line.quantity) for line in quoted), Decimal("0.00"))
    subtotal = sum((line.line_total for line in lines), Decimal("0.00"))
    taxable = sum((line.line_total for line in lines if line.taxable), Decimal("0.00"))
    tax = cents(taxable * tax_rate / HUNDRED)
    return PricedOption(
        lines=lines, discount=before - subtotal, subtotal=subtotal, taxable_subtotal=taxable, tax=tax,
        total=subtotal + tax,
    )  # fmt: skip
