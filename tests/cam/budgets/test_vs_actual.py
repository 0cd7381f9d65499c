"""Budget vs actual against the ledger: charges (income on their due dates), approved invoices (expense on their
invoice dates), a posted manual entry to an account the budget does not have, and a reversed entry (which nets to
nothing); entries outside the fiscal year, on the other fund, or not posted do not count; `through` cuts the
actuals and the to-date figures."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.cam.budgets.helpers import Hoa, hoa
from tests.support.accounts import account, organization
from tests.support.rpc import suffix


@pytest.fixture(scope="module")
async def books_2026(shared_client: httpx.AsyncClient) -> tuple[Hoa, str]:
    """Fiscal year 2026's books of a two-unit association, and its 2026 operating budget (adopted)."""
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Actuals HOA {suffix()}"))["id"]
    h = await hoa(shared_client, admin, org, [None, None])
    dues = await h.books.dues("100.00")
    for unit in h.units:
        for due in ("2025-12-01", "2026-01-01", "2026-02-01"):  # December 2025 is last fiscal year's
            await h.books.charge(dues["id"], unit["id"], due)
    vendor = await h.books.ok("vendor/v1/create", {"name": f"Greenway {suffix()}", "w9_on_file": True})
    for number, day, account_number, amount, approve in (
        ("GW-1", "2026-01-15", "5300", "250.00", True),
        ("LS-9", "2026-02-10", "5100", "1300.00", True),
        ("GW-2", "2026-02-20", "5300", "999.00", False),  # pending approval: not in the books
        ("RF-1", "2026-03-05", "7100", "5000.00", True),  # the reserve fund's: not this budget's
    ):
        invoice = await h.books.ok(
            "accounting/apInvoice/v1/create",
            {"association_id": h.association_id, "vendor_id": vendor["id"], "invoice_number": number,
             "invoice_date": day, "amount": amount,
             "lines": [{"gl_account_id": h.account(account_number), "description": "Work", "amount": amount}]},
        )  # fmt: skip
        if approve:
            await h.books.ok("accounting/apInvoice/v1/approve", {"id": invoice["id"]})
    fee = await journal(h, "2026-03-12", "6400", "15.00")  # bank fees: no line in the budget
    await h.books.ok("accounting/journalEntry/v1/post", {"id": fee})
    mistake = await journal(h, "2026-03-18", "5300", "40.00")
    await h.books.ok("accounting/journalEntry/v1/post", {"id": mistake})
    await h.books.ok("accounting/journalEntry/v1/reverse", {"id": mistake, "entry_date": "2026-03-20"})
    await journal(h, "2026-03-25", "5300", "77.00")  # submitted, never posted
    budget = await h.adopted(
        [
            {"gl_account_id": h.account("4000"), "monthly": ["200.00"] * 12},
            {"gl_account_id": h.account("5300"), "annual": "1200.00"},
            {"gl_account_id": h.account("5100"), "annual": "1200.00"},
        ],
        fiscal_year=2026,
    )
    return h, budget["id"]


async def journal(h: Hoa, day: str, number: str, amount: str) -> str:
    body = {"association_id": h.association_id, "entry_date": day, "memo": f"Entry {suffix()}", "submit": True,
            "lines": [{"gl_account_id": h.account(number), "debit": amount},
                      {"gl_account_id": h.account("1010"), "credit": amount}]}  # fmt: skip
    return str((await h.books.ok("accounting/journalEntry/v1/create", body))["id"])


def row(answer: dict[str, Any], number: str) -> dict[str, Any]:
    return next(r for r in answer["rows"] if r["account_number"] == number)


def months(found: dict[str, Any], count: int = 3) -> list[tuple[str, str, str]]:
    return [(m["budgeted"], m["actual"], m["variance"]) for m in found["months"][:count]]


async def test_actuals_by_account_and_month_against_the_budget(books_2026: tuple[Hoa, str]) -> None:
    h, budget_id = books_2026
    answer = await h.ok("vsActual", {"id": budget_id, "through": "2026-03-31"})
    assert answer["through"] == "2026-03-31"
    assert [m["begun"] for m in row(answer, "4000")["months"]] == [True] * 3 + [False] * 9
    dues = row(answer, "4000")
    assert months(dues) == [("200.00", "200.00", "0.00"), ("200.00", "200.00", "0.00"), ("200.00", "0.00", "-200.00")]
    assert (dues["budgeted"], dues["budgeted_to_date"], dues["actual_to_date"]) == ("2400.00", "600.00", "400.00")
    assert (dues["variance_to_date"], dues["favorable"]) == ("-200.00", False)
    landscaping = row(answer, "5300")  # the reversed entry nets to nothing; the unapproved invoice is not there
    assert months(landscaping) == [("100.00", "250.00", "150.00"), ("100.00", "0.00", "-100.00"),
                                   ("100.00", "0.00", "-100.00")]  # fmt: skip
    assert (landscaping["actual_to_date"], landscaping["variance_to_date"], landscaping["favorable"]) == (
        "250.00", "-50.00", True,
    )  # fmt: skip
    insurance = row(answer, "5100")
    assert (insurance["actual_to_date"], insurance["variance_to_date"], insurance["favorable"]) == (
        "1300.00", "1000.00", False,
    )  # fmt: skip


async def test_an_account_without_a_line_is_listed_and_the_other_fund_is_not(books_2026: tuple[Hoa, str]) -> None:
    h, budget_id = books_2026
    answer = await h.ok("vsActual", {"id": budget_id, "through": "2026-03-31"})
    fees = row(answer, "6400")
    assert (fees["budgeted_line"], fees["budgeted"], fees["actual_to_date"], fees["kind"]) == (
        False, "0.00", "15.00", "EXPENSE",
    )  # fmt: skip
    assert "7100" not in {r["account_number"] for r in answer["rows"]}
    assert [r["account_number"] for r in answer["rows"]] == ["4000", "5100", "5300", "6400"]


async def test_totals_for_income_expense_and_net(books_2026: tuple[Hoa, str]) -> None:
    h, budget_id = books_2026
    answer = await h.ok("vsActual", {"id": budget_id, "through": "2026-03-31"})
    income, expense, net = answer["income"], answer["expense"], answer["net"]
    assert (income["budgeted_to_date"], income["actual_to_date"]) == ("600.00", "400.00")
    assert (expense["budgeted_to_date"], expense["actual_to_date"]) == ("600.00", "1565.00")
    assert (net["budgeted_to_date"], net["actual_to_date"], net["variance_to_date"]) == ("0.00", "-1165.00", "-1165.00")
    assert net["favorable"] is False
    assert months(net, 1) == [("0.00", "-50.00", "-50.00")]  # January: 200 of dues less 250 of landscaping


async def test_through_cuts_the_actuals_and_the_months_to_date(books_2026: tuple[Hoa, str]) -> None:
    h, budget_id = books_2026
    answer = await h.ok("vsActual", {"id": budget_id, "through": "2026-01-31"})
    assert months(row(answer, "4000"), 2) == [("200.00", "200.00", "0.00"), ("200.00", "0.00", "-200.00")]
    assert row(answer, "5100")["actual_to_date"] == "0.00"  # February's invoice is after `through`
    assert answer["income"]["budgeted_to_date"] == "200.00"
    whole = await h.ok("vsActual", {"id": budget_id, "through": "2027-06-30"})
    assert whole["through"] == "2026-12-31"  # never past the fiscal year
    assert whole["income"]["budgeted_to_date"] == "2400.00"


async def test_the_board_compares_too(books_2026: tuple[Hoa, str]) -> None:
    h, budget_id = books_2026
    answer = await h.ok("vsActual", {"id": budget_id, "through": "2026-03-31"}, h.director)
    assert answer["expense"]["actual_to_date"] == "1565.00"
