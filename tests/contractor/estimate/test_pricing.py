"""An option's totals (`estimate/pricing.py`), for any lines, discount and tax rate: the lines add up to the
subtotal, the discount is what came off, the tax is the taxable lines' share at the rate (ROUND_HALF_UP to cents),
the total is subtotal plus tax, and every amount is in cents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given
from hypothesis import strategies as st

from hestami.contractor.estimate.pricing import DISCOUNT_RULE, QuotedLine, price_option

CENT = Decimal("0.01")
money = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("99999.99"), places=2)
quantity = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999.9999"), places=4)
percent = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("100.00"), places=2)
rate = st.decimals(min_value=Decimal("0.000"), max_value=Decimal("100.000"), places=3)


@st.composite
def lines(draw: st.DrawFn) -> list[QuotedLine]:
    made = []
    for n in range(draw(st.integers(min_value=1, max_value=8))):
        price = draw(money)
        made.append(
            QuotedLine(code=f"C{n}", name="Item", kind="MATERIAL", unit="EACH", quantity=draw(quantity),
                       base_price=price, unit_price=price, applied_rules=(), taxable=draw(st.booleans()))
        )  # fmt: skip
    return made


@given(lines(), percent, rate)
def test_totals_add_up_in_cents(quoted: list[QuotedLine], discount: Decimal, tax_rate: Decimal) -> None:
    priced = price_option(quoted, discount, tax_rate)
    assert priced.subtotal == sum((line.line_total for line in priced.lines), Decimal("0.00"))
    assert priced.taxable_subtotal == sum((line.line_total for line in priced.lines if line.taxable), Decimal("0"))
    assert priced.tax == (priced.taxable_subtotal * tax_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    assert priced.total == priced.subtotal + priced.tax
    assert priced.discount >= 0
    for amount in (priced.subtotal, priced.tax, priced.total, priced.discount):
        assert amount == amount.quantize(CENT)
    for before, after in zip(quoted, priced.lines, strict=True):
        assert after.unit_price <= before.unit_price
        assert (DISCOUNT_RULE in [r["kind"] for r in after.applied_rules]) == (discount > 0)


def test_a_line_rounds_half_up() -> None:
    price = Decimal("10.05")
    line = QuotedLine(code="C", name="Item", kind="LABOR", unit="HOUR", quantity=Decimal("1"), base_price=price,
                      unit_price=price, applied_rules=(), taxable=True)  # fmt: skip
    priced = price_option([line], Decimal("50"), Decimal("8.25"))
    assert priced.lines[0].unit_price == Decimal("5.03")  # 5.025 goes up
    assert priced.tax == Decimal("0.41")  # 5.03 x 8.25 % = 0.414975
