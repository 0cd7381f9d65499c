"""deriveAssessment's numbers (the amount needed, equal and by-share splits, frequencies, cents rounded and explained)
and its refusals; applyAssessment setting the assessment type's amount from an adopted budget, audited."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cam.accounting.helpers import books
from tests.cam.association.helpers import audit_actions
from tests.cam.budgets.helpers import Hoa, hoa
from tests.support.accounts import Account, account, organization
from tests.support.rpc import suffix

OPERATING = [("4000", "30000.00"), ("4300", "600.00"), ("4500", "120.00"), ("5100", "12000.00"),
             ("5300", "24000.00"), ("5000", "6000.00")]  # fmt: skip
"""Expenses 42,000.00; other income than dues 720.00: the dues must raise 41,280.00 a year."""


@pytest.fixture(scope="module")
async def admin_org(shared_client: httpx.AsyncClient) -> tuple[Account, str]:
    admin = await account(shared_client)
    return admin, (await organization(shared_client, admin, f"Dues HOA {suffix()}", "MANAGEMENT_COMPANY"))["id"]


@pytest.fixture(scope="module")
async def equal(shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]) -> Hoa:
    return await hoa(shared_client, *admin_org, [None, None, None])


@pytest.fixture(scope="module")
async def shared(shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]) -> Hoa:
    return await hoa(shared_client, *admin_org, ["0.25", "0.25", "0.5"])


def lines(h: Hoa, spec: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"gl_account_id": h.account(number), "annual": annual} for number, annual in spec]


async def regular(h: Hoa, frequency: str = "MONTHLY", amount: str = "100.00", **extra: Any) -> dict[str, Any]:
    body = {"association_id": h.association_id, "name": f"Dues {suffix()}", "kind": "REGULAR", "frequency": frequency,
            "amount": amount, **extra}  # fmt: skip
    return dict(await h.books.ok("accounting/assessment/v1/createType", body))


async def derived(h: Hoa, spec: list[tuple[str, str]], **body: Any) -> dict[str, Any]:
    budget = await h.budget(2027, lines=lines(h, spec))
    return dict(await h.ok("deriveAssessment", {"budget_id": budget["id"], **body}))


async def test_the_amount_needed_is_expense_less_other_income_split_equally(equal: Hoa) -> None:
    dues = await regular(equal, "MONTHLY")
    answer = await derived(equal, OPERATING, assessment_type_id=dues["id"])
    assert (answer["expense"], answer["income"], answer["budgeted_assessment_income"]) == (
        "42000.00", "30720.00", "30000.00",
    )  # fmt: skip
    assert (answer["other_income"], answer["annual_amount_needed"]) == ("720.00", "41280.00")
    assert (answer["allocation"], answer["periods_per_year"], answer["unit_count"]) == ("EQUAL", 12, 3)
    # 41,280.00 / 12 / 3 = 1,146.666...: up to the cent, so the year raises 0.12 more than needed
    assert (answer["amount"], answer["periodic_total"], answer["annual_total"]) == ("1146.67", "3440.01", "41280.12")
    assert answer["rounding_difference"] == "0.12"
    assert "rounded up to the cent" in answer["rounding"]
    assert "0.12 more than the 41280.00 needed" in answer["rounding"]
    assert [u["periodic_amount"] for u in answer["units"]] == ["1146.67"] * 3
    assert answer["units"][0]["annual_amount"] == "13760.04"
    assert answer["current_amount"] == "100.00"


async def test_a_quarterly_type_divides_by_four(equal: Hoa) -> None:
    dues = await regular(equal, "QUARTERLY")
    answer = await derived(equal, OPERATING, assessment_type_id=dues["id"])
    assert (answer["frequency"], answer["periods_per_year"], answer["amount"]) == ("QUARTERLY", 4, "3440.00")
    assert (answer["annual_total"], answer["rounding_difference"]) == ("41280.00", "0.00")
    assert "exactly the amount needed" in answer["rounding"]


async def test_units_with_shares_pay_by_share(shared: Hoa) -> None:
    answer = await derived(shared, OPERATING)
    assert (answer["allocation"], answer["amount"]) == ("ASSESSMENT_SHARE", "3440.00")
    assert [(u["share"], u["periodic_amount"]) for u in answer["units"]] == [
        ("0.250000", "860.00"), ("0.250000", "860.00"), ("0.500000", "1720.00"),
    ]  # fmt: skip
    assert answer["annual_total"] == "41280.00"


async def test_by_share_cents_are_rounded_half_up_per_unit_and_explained(shared: Hoa) -> None:
    answer = await derived(shared, [("5300", "1000.00")])
    # 1,000.00 / 12 = 83.333... up to 83.34; 83.34 x 0.25 = 20.835 half up 20.84; 83.34 x 0.5 = 41.67
    assert answer["amount"] == "83.34"
    assert [u["periodic_amount"] for u in answer["units"]] == ["20.84", "20.84", "41.67"]
    assert (answer["periodic_total"], answer["annual_total"], answer["rounding_difference"]) == (
        "83.35", "1000.20", "0.20",
    )  # fmt: skip
    assert "rounded half up to the cent" in answer["rounding"]


async def test_shares_that_do_not_add_up_to_one_are_scaled(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]
) -> None:
    half = await hoa(shared_client, *admin_org, ["0.2", "0.3"])
    answer = await derived(half, [("5300", "1200.00")])
    assert answer["amount"] == "200.00"  # billPeriod charges each unit 200.00 x its share: 40.00 and 60.00
    assert [u["periodic_amount"] for u in answer["units"]] == ["40.00", "60.00"]
    assert "sum of the units' shares, 0.5" in answer["rounding"]


async def test_a_unit_without_a_share_makes_the_split_equal(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]
) -> None:
    partly = await hoa(shared_client, *admin_org, ["0.5", None])
    answer = await derived(partly, [("5300", "1200.00")])
    assert (answer["allocation"], answer["amount"]) == ("EQUAL", "50.00")
    assert answer["allocation_note"] == "1 of the 2 units have no assessment share: each unit pays the same."
    assert [u["share"] for u in answer["units"]] == [None, None]


async def test_nothing_is_needed_when_other_income_covers_the_expenses(equal: Hoa) -> None:
    answer = await derived(equal, [("4300", "5000.00"), ("5300", "1000.00")])
    assert (answer["annual_amount_needed"], answer["amount"], answer["annual_total"]) == ("0.00", "0.00", "0.00")
    assert "nothing to assess" in answer["rounding"]


async def test_without_a_type_the_funds_regular_assessment_or_a_monthly_one(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]
) -> None:
    h = await hoa(shared_client, *admin_org, [None, None])
    none_yet = await derived(h, [("5300", "2400.00")])
    assert (none_yet["assessment_type_id"], none_yet["frequency"], none_yet["amount"]) == (None, "MONTHLY", "100.00")
    assert none_yet["assessment_account_id"] == h.account("4000")
    reserve_type = await regular(h, "ANNUAL", revenue_account_id=h.account("4200"))
    dues = await regular(h, "QUARTERLY")
    operating = await derived(h, [("5300", "2400.00")])
    assert (operating["assessment_type_id"], operating["amount"]) == (dues["id"], "300.00")
    budget = await h.budget(
        2027, "RESERVE", lines=lines(h, [("4200", "18000.00"), ("4510", "600.00"), ("7100", "12000.00")])
    )
    reserve = await h.ok("deriveAssessment", {"budget_id": budget["id"]})
    assert (reserve["assessment_type_id"], reserve["frequency"]) == (reserve_type["id"], "ANNUAL")
    assert (reserve["annual_amount_needed"], reserve["amount"]) == ("11400.00", "5700.00")


async def test_deriving_changes_nothing(equal: Hoa) -> None:
    dues = await regular(equal, "MONTHLY", "100.00")
    await derived(equal, OPERATING, assessment_type_id=dues["id"])
    types = await equal.books.ok(
        "accounting/assessment/v1/listTypes", {"association_id": equal.association_id, "limit": 200}
    )
    assert next(t for t in types["items"] if t["id"] == dues["id"])["amount"] == "100.00"
    assert await audit_actions(equal.org, dues["id"]) == ["assessment_type.created"]


@pytest.mark.parametrize(
    ("kind", "frequency", "account", "reason"),
    [
        ("SPECIAL", "ONE_TIME", None, "NOT_A_REGULAR_ASSESSMENT"),
        ("REGULAR", "ONE_TIME", None, "NOT_PERIODIC"),
        ("REGULAR", "MONTHLY", "4200", "WRONG_FUND"),  # credited to the reserve fund: not the operating budget's
    ],
)
async def test_the_type_is_a_periodic_regular_assessment_of_the_fund(
    equal: Hoa, kind: str, frequency: str, account: str | None, reason: str
) -> None:
    extra = {"revenue_account_id": equal.account(account)} if account else {}
    atype = await regular(equal, frequency, kind=kind, **extra)
    budget = await equal.budget(2027, lines=lines(equal, OPERATING))
    body = {"budget_id": budget["id"], "assessment_type_id": atype["id"]}
    await equal.fails("deriveAssessment", body, 422, "BUSINESS_RULE_VIOLATION", reason)


async def test_another_associations_type_is_refused(equal: Hoa, shared: Hoa) -> None:
    budget = await equal.budget(2027, lines=lines(equal, OPERATING))
    body = {"budget_id": budget["id"], "assessment_type_id": (await regular(shared))["id"]}
    await equal.fails("deriveAssessment", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")


async def test_an_association_without_units_has_nothing_to_split(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]
) -> None:
    empty = await books(shared_client, *admin_org)
    body = {"association_id": empty.association_id, "fiscal_year": 2027,
            "lines": [{"gl_account_id": empty.account_id("5300"), "annual": "1200.00"}]}  # fmt: skip
    budget = await empty.ok("accounting/budget/v1/create", body)
    path = "accounting/budget/v1/deriveAssessment"
    await empty.fails(path, {"budget_id": budget["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NO_UNITS")


# --- applying it -------------------------------------------------------------------------------------------------


async def test_an_adopted_budget_sets_the_types_amount(equal: Hoa) -> None:
    dues = await regular(equal, "MONTHLY", "1000.00")
    budget = await equal.adopted(lines(equal, OPERATING), fiscal_year=2027)
    applied = await equal.ok("applyAssessment", {"budget_id": budget["id"], "assessment_type_id": dues["id"]})
    assert (applied["previous_amount"], applied["amount"], applied["allocation"]) == ("1000.00", "1146.67", "EQUAL")
    types = await equal.books.ok(
        "accounting/assessment/v1/listTypes", {"association_id": equal.association_id, "limit": 200}
    )
    assert next(t for t in types["items"] if t["id"] == dues["id"])["amount"] == "1146.67"
    assert "assessment_type.amount_set_from_budget" in await audit_actions(equal.org, dues["id"])
    after = await equal.ok("get", {"id": budget["id"]})
    assert (after["applied_assessment_type_id"], after["applied_amount"]) == (dues["id"], "1146.67")
    assert "budget.assessment_applied" in await audit_actions(equal.org, budget["id"])


async def test_only_an_adopted_budget_of_a_year_not_over_sets_an_amount(equal: Hoa) -> None:
    dues = await regular(equal)
    draft = await equal.budget(2027, lines=lines(equal, OPERATING))
    body = {"budget_id": draft["id"], "assessment_type_id": dues["id"]}
    await equal.fails("applyAssessment", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_ADOPTED")
    past = await equal.adopted(lines(equal, OPERATING), fiscal_year=2024)
    body = {"budget_id": past["id"], "assessment_type_id": dues["id"]}
    await equal.fails("applyAssessment", body, 422, "BUSINESS_RULE_VIOLATION", "FISCAL_YEAR_OVER")
    covered = await equal.adopted(lines(equal, [("4300", "5000.00"), ("5300", "1000.00")]), fiscal_year=2028)
    body = {"budget_id": covered["id"], "assessment_type_id": dues["id"]}
    await equal.fails("applyAssessment", body, 422, "BUSINESS_RULE_VIOLATION", "NOTHING_TO_ASSESS")
    types = await equal.books.ok(
        "accounting/assessment/v1/listTypes", {"association_id": equal.association_id, "limit": 200}
    )
    assert next(t for t in types["items"] if t["id"] == dues["id"])["amount"] == "100.00"
