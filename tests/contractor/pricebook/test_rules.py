"""The pricebook's pure rules, without a database: pricing (the order of the rules, exact cents with
ROUND_HALF_UP at every step and line, ties at .005, one rule per kind, seasons across New Year, windows past
midnight and outside operating hours, scopes by code and category), bundles that would contain themselves, and the
version lifecycle table."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from hestami.contractor.pricebook import bundles, lifecycle
from hestami.contractor.pricebook.pricing import (
    Occasion,
    PricedItem,
    RateEntry,
    Rule,
    cents,
    discounted,
    in_season,
    in_window,
    line_total,
    price_line,
    quote,
    surcharged,
)
from hestami.core.errors import HestamiError, check_transition

CHICAGO = ZoneInfo("America/Chicago")
HOA = uuid.uuid4()
HVAC, PLUMBING, TUNE_UPS = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
TUNE_UP = PricedItem("HVAC-TUNE", "AC tune-up", "SERVICE", "EACH", Decimal("149.00"), True, (TUNE_UPS, HVAC))
PIPE = PricedItem("CU-34", '3/4" copper pipe', "MATERIAL", "FOOT", Decimal("4.35"), True, (PLUMBING,))
LABOR = PricedItem("LAB-JP", "Journeyman plumber hour", "LABOR", "HOUR", Decimal("10.01"), False, (PLUMBING,))
SPRING_TUESDAY_NOON = datetime(2027, 4, 13, 12, 0, tzinfo=CHICAGO)  # a Tuesday
SATURDAY_NIGHT = datetime(2027, 4, 17, 22, 30, tzinfo=CHICAGO)
WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")


def rule(kind: str, percent: str | None = None, **fields: object) -> Rule:
    return Rule(uuid.uuid4(), f"{kind} rule", kind, Decimal(percent) if percent else None, **fields)  # type: ignore[arg-type]


def spring(percent: str = "10", **fields: object) -> Rule:
    return rule(
        "SEASONAL", percent, starts_on=date(2027, 3, 1), ends_on=date(2027, 5, 31), time_zone="America/Chicago",
        **fields,
    )  # fmt: skip


def after_hours(percent: str = "50", **fields: object) -> Rule:
    """Outside Monday to Friday 08:00-17:00 (the operating hours)."""
    return rule(
        "AFTER_HOURS", percent, weekdays=frozenset(WEEKDAYS), window_start=time(8), window_end=time(17),
        outside_window=True, time_zone="America/Chicago", **fields,
    )  # fmt: skip


# --- rounding ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("5.005", "5.01"), ("5.004999", "5.00"), ("2.675", "2.68"), ("0.125", "0.13"), ("0.135", "0.14"),
     ("10", "10.00"), ("-0.005", "-0.01")],
)  # fmt: skip
def test_cents_round_half_up(amount: str, expected: str) -> None:
    assert cents(Decimal(amount)) == Decimal(expected)
    assert str(cents(Decimal(amount))) == expected


def test_each_step_rounds_half_up_at_the_tie() -> None:
    """10.01 less 50 % is 5.005: 5.01 half up (half even would give 5.00); 0.01 less 50 % is 0.005: 0.01."""
    assert discounted(Decimal("10.01"), Decimal("50")) == Decimal("5.01")
    assert discounted(Decimal("0.01"), Decimal("50")) == Decimal("0.01")
    assert surcharged(Decimal("0.03"), Decimal("50")) == Decimal("0.05")  # 0.045 → 0.05
    assert line_total(Decimal("4.35"), Decimal("1.5")) == Decimal("6.53")  # 6.525 → 6.53
    assert line_total(Decimal("0.01"), Decimal("0.5")) == Decimal("0.01")  # 0.005 → 0.01
    assert line_total(Decimal("3.33"), Decimal("0.0015")) == Decimal("0.00")  # 0.004995 → 0.00


def test_large_amounts_keep_every_digit() -> None:
    """The largest price times the largest quantity has 24 digits: no step rounds before the stated rounding."""
    price = Decimal("9999999999999999.99")
    assert str(line_total(price, Decimal("999999.9999"))) == "9999999998999999990000.00"
    assert line_total(price, Decimal("1000000")) == Decimal("9999999999999999990000.00")
    assert discounted(price, Decimal("0.0001")) == Decimal("9999989999999999.99")


# --- the order -----------------------------------------------------------------------------------------------------


def test_the_rules_apply_in_the_stated_order_each_step_rounded() -> None:
    """Rate sheet 120.00 replaces 149.00; spring 10 % → 108.00; volume 5 % → 102.60; member 15 % → 87.21;
    after-hours 50 % → 130.815 → 130.82; three of them: 392.46."""
    sheet = rule("RATE_SHEET", association_id=HOA, entries={"HVAC-TUNE": RateEntry(price=Decimal("120.00"))})
    rules = [after_hours(), rule("MEMBER_DISCOUNT", "15"), rule("VOLUME", "5", min_quantity=Decimal(3)), spring(),
             sheet]  # fmt: skip
    line = price_line(TUNE_UP, Decimal(3), rules, Occasion(SATURDAY_NIGHT, HOA, member=True))
    steps = [(a.kind, a.price_before, a.price_after) for a in line.applied]
    assert steps == [
        ("RATE_SHEET", Decimal("149.00"), Decimal("120.00")),
        ("SEASONAL", Decimal("120.00"), Decimal("108.00")),
        ("VOLUME", Decimal("108.00"), Decimal("102.60")),
        ("MEMBER_DISCOUNT", Decimal("102.60"), Decimal("87.21")),
        ("AFTER_HOURS", Decimal("87.21"), Decimal("130.82")),
    ]
    assert (line.base_price, line.unit_price, line.total) == (Decimal("149.00"), Decimal("130.82"), Decimal("392.46"))


def test_a_rate_sheet_discount_comes_off_the_base_price_and_only_for_its_association() -> None:
    sheet = rule("RATE_SHEET", association_id=HOA, entries={"LAB-JP": RateEntry(discount_percent=Decimal("50"))})
    for_hoa = price_line(LABOR, Decimal(1), [sheet], Occasion(SPRING_TUESDAY_NOON, HOA))
    assert (for_hoa.unit_price, [a.percent for a in for_hoa.applied]) == (Decimal("5.01"), [Decimal("50")])
    elsewhere = price_line(LABOR, Decimal(1), [sheet], Occasion(SPRING_TUESDAY_NOON, uuid.uuid4()))
    nobody = price_line(LABOR, Decimal(1), [sheet], Occasion(SPRING_TUESDAY_NOON))
    assert elsewhere.unit_price == nobody.unit_price == Decimal("10.01")
    assert elsewhere.applied == nobody.applied == ()
    unlisted = price_line(PIPE, Decimal(1), [sheet], Occasion(SPRING_TUESDAY_NOON, HOA))
    assert unlisted.applied == ()


def test_one_rule_per_kind_the_largest_percentage_then_the_oldest() -> None:
    small, large, also_large = spring("5"), spring("20"), spring("20")
    line = price_line(TUNE_UP, Decimal(1), [small, large, also_large], Occasion(SPRING_TUESDAY_NOON))
    assert [a.rule_id for a in line.applied] == [large.id]
    assert line.unit_price == Decimal("119.20")
    tiers = [rule("VOLUME", "5", min_quantity=Decimal(10)), rule("VOLUME", "10", min_quantity=Decimal(50))]
    assert price_line(PIPE, Decimal(49), tiers, Occasion(SPRING_TUESDAY_NOON)).unit_price == Decimal("4.13")
    assert price_line(PIPE, Decimal(50), tiers, Occasion(SPRING_TUESDAY_NOON)).unit_price == Decimal("3.92")
    assert price_line(PIPE, Decimal("9.9999"), tiers, Occasion(SPRING_TUESDAY_NOON)).applied == ()


def test_scopes_by_code_and_by_category_with_its_subcategories() -> None:
    occasion = Occasion(SPRING_TUESDAY_NOON, member=True)
    hvac_only = rule("MEMBER_DISCOUNT", "10", category_id=HVAC)
    assert price_line(TUNE_UP, Decimal(1), [hvac_only], occasion).unit_price == Decimal("134.10")  # a subcategory
    assert price_line(PIPE, Decimal(1), [hvac_only], occasion).applied == ()
    by_code = rule("MEMBER_DISCOUNT", "10", item_codes=frozenset({"CU-34"}))
    assert price_line(PIPE, Decimal(1), [by_code], occasion).unit_price == Decimal("3.92")  # 3.915 → 3.92
    assert price_line(TUNE_UP, Decimal(1), [by_code], occasion).applied == ()
    both = rule("MEMBER_DISCOUNT", "10", item_codes=frozenset({"CU-34"}), category_id=HVAC)
    assert price_line(PIPE, Decimal(1), [both], occasion).applied == ()
    assert price_line(PIPE, Decimal(1), [hvac_only], Occasion(SPRING_TUESDAY_NOON)).applied == ()  # not a member


def test_a_quote_sums_its_lines_and_its_taxable_lines() -> None:
    lines = [(TUNE_UP, Decimal(1)), (PIPE, Decimal("12.5")), (LABOR, Decimal("2.25"))]
    made = quote(lines, [spring()], Occasion(SPRING_TUESDAY_NOON))
    totals = [line.total for line in made.lines]
    # 149.00 - 10 % = 134.10; pipe 4.35 - 10 % = 3.915 → 3.92, x 12.5 = 49.00; labour 10.01 - 10 % = 9.009 → 9.01,
    # x 2.25 = 20.2725 → 20.27
    assert totals == [Decimal("134.10"), Decimal("49.00"), Decimal("20.27")]
    assert made.subtotal == Decimal("203.37")
    assert made.taxable_subtotal == Decimal("183.10")  # labour is not taxable


# --- when rules hold -----------------------------------------------------------------------------------------------


def test_seasons_inclusive_and_yearly_across_new_year() -> None:
    season = spring()
    assert in_season(season, date(2027, 3, 1))
    assert in_season(season, date(2027, 5, 31))
    assert not in_season(season, date(2027, 2, 28))
    assert not in_season(season, date(2028, 4, 1))
    winter = rule("SEASONAL", "10", starts_on=date(2026, 11, 15), ends_on=date(2027, 2, 15), yearly=True)
    assert all(in_season(winter, d) for d in (date(2031, 11, 15), date(2031, 12, 31), date(2032, 1, 1),
                                              date(2032, 2, 15)))  # fmt: skip
    assert not in_season(winter, date(2032, 2, 16))
    assert not in_season(winter, date(2031, 11, 14))
    yearly_spring = spring(yearly=True)
    assert in_season(yearly_spring, date(2040, 4, 1))
    assert not in_season(yearly_spring, date(2040, 6, 1))


def test_the_season_is_the_date_in_the_rules_time_zone() -> None:
    """Feb 28 at 23:30 in Chicago is already March 1 in UTC: not spring yet in Chicago."""
    late = datetime(2027, 3, 1, 5, 30, tzinfo=UTC)  # Feb 28, 23:30 in Chicago
    assert price_line(TUNE_UP, Decimal(1), [spring()], Occasion(late)).applied == ()
    assert len(price_line(TUNE_UP, Decimal(1), [spring()], Occasion(late.replace(hour=6, minute=1))).applied) == 1


def test_windows_inside_outside_and_past_midnight() -> None:
    nights = rule("AFTER_HOURS", "25", weekdays=frozenset({"FRIDAY"}), window_start=time(18), window_end=time(8),
                  time_zone="America/Chicago")  # fmt: skip
    friday = datetime(2027, 4, 16, tzinfo=CHICAGO)
    assert in_window(nights, friday.replace(hour=18))
    assert in_window(nights, friday.replace(day=17, hour=7, minute=59))  # Saturday morning, from Friday's window
    assert not in_window(nights, friday.replace(day=17, hour=8))
    assert not in_window(nights, friday.replace(hour=17, minute=59))
    assert not in_window(nights, friday.replace(day=15, hour=7))  # Friday morning belongs to Thursday: not listed
    whole_sunday = rule("AFTER_HOURS", "25", weekdays=frozenset({"SUNDAY"}), window_start=time(0), window_end=time(0))
    assert in_window(whole_sunday, datetime(2027, 4, 18, 13, tzinfo=CHICAGO))
    occasion = Occasion(SPRING_TUESDAY_NOON)
    assert price_line(TUNE_UP, Decimal(1), [after_hours()], occasion).applied == ()  # inside operating hours
    evening = Occasion(SPRING_TUESDAY_NOON.replace(hour=17))
    assert price_line(TUNE_UP, Decimal(1), [after_hours()], evening).unit_price == Decimal("223.50")


def test_the_window_is_read_in_the_rules_time_zone() -> None:
    """16:30 UTC on a Tuesday in April is 11:30 in Chicago: inside the operating hours, no surcharge."""
    morning, evening = datetime(2027, 4, 13, 16, 30, tzinfo=UTC), datetime(2027, 4, 13, 23, 0, tzinfo=UTC)
    assert price_line(TUNE_UP, Decimal(1), [after_hours()], Occasion(morning)).applied == ()
    assert len(price_line(TUNE_UP, Decimal(1), [after_hours()], Occasion(evening)).applied) == 1


# --- bundles and the lifecycle -------------------------------------------------------------------------------------


def test_a_bundle_never_contains_itself() -> None:
    a, b, c, d = (uuid.uuid4() for _ in range(4))
    edges = [(a, b), (b, c)]  # a ⊃ b ⊃ c
    assert bundles.closes_cycle(edges, c, [a])  # c ⊃ a would close a ⊃ b ⊃ c ⊃ a
    assert bundles.closes_cycle(edges, c, [c])
    assert not bundles.closes_cycle(edges, c, [d])
    assert not bundles.closes_cycle(edges, a, [c, d])  # a's own components are being replaced
    assert bundles.closes_cycle([(a, b), (b, a)], d, [d])


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [("DRAFT", "PUBLISHED", True), ("PUBLISHED", "ACTIVE", True), ("ACTIVE", "RETIRED", True),
     ("RETIRED", "ACTIVE", True), ("DRAFT", "ACTIVE", False), ("PUBLISHED", "DRAFT", False),
     ("ACTIVE", "ACTIVE", False), ("ACTIVE", "PUBLISHED", False), ("RETIRED", "DRAFT", False)],
)  # fmt: skip
def test_the_version_lifecycle(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_transition("pricebook version", lifecycle.TRANSITIONS, current, target)
    else:
        with pytest.raises(HestamiError) as refused:
            check_transition("pricebook version", lifecycle.TRANSITIONS, current, target)
        assert refused.value.code == "INVALID_STATE_TRANSITION"
    assert lifecycle.editable(current) is (current == "DRAFT")
