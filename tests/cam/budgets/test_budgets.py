"""Budgets through the API: the lifecycle (draft, propose, send back, adopt, immutable, revise, supersede) with its
history and audit trail, the lines' checks, and totals exact to the cent."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.cam.association.helpers import audit_actions
from tests.cam.budgets.helpers import Hoa, hoa
from tests.support.accounts import Account, account, organization
from tests.support.rpc import suffix


@pytest.fixture(scope="module")
async def admin_org(shared_client: httpx.AsyncClient) -> tuple[Account, str]:
    admin = await account(shared_client)
    return admin, (await organization(shared_client, admin, f"Budget Mgmt {suffix()}", "MANAGEMENT_COMPANY"))["id"]


@pytest.fixture(scope="module")
async def community(shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]) -> Hoa:
    return await hoa(shared_client, *admin_org, ["0.25", "0.25", "0.5"])


def line(account_id: str, annual: str | None = None, monthly: list[str] | None = None) -> dict:
    body: dict = {"gl_account_id": account_id}
    if annual is not None:
        body["annual"] = annual
    if monthly is not None:
        body["monthly"] = monthly
    return body


async def test_a_budget_is_drafted_proposed_sent_back_and_adopted_then_immutable(community: Hoa) -> None:
    h = community
    made = await h.budget(2027, lines=[line(h.account("4000"), "60000.00"), line(h.account("5300"), "24000.00")])
    assert (made["status"], made["fiscal_year"], made["fund"]) == ("DRAFT", 2027, "OPERATING")
    assert made["name"] == "2027 Operating Budget"
    assert (made["starts_on"], made["ends_on"]) == ("2027-01-01", "2027-12-31")
    budget_id = made["id"]
    await h.ok("propose", {"id": budget_id, "note": "For the March board meeting"})
    sent_back = await h.ok("returnToDraft", {"id": budget_id, "note": "Landscaping bid came in lower"}, h.director)
    assert sent_back["status"] == "DRAFT"
    await h.ok("setLines", {"id": budget_id, "lines": [line(h.account("5300"), "21600.00")]})
    await h.ok("propose", {"id": budget_id})
    adopted = await h.ok("adopt", {"id": budget_id, "note": "Resolution 2026-14"}, h.director)
    assert adopted["status"] == "ADOPTED"
    assert adopted["adopted_by"] == str(h.director.user_id)
    assert adopted["adoption_note"] == "Resolution 2026-14"
    assert adopted["totals"]["net"] == "38400.00"
    history = await h.ok("history", {"id": budget_id})
    moves = [(step["from_status"], step["to_status"]) for step in history["items"]]
    assert moves == [(None, "DRAFT"), ("DRAFT", "PROPOSED"), ("PROPOSED", "DRAFT"), ("DRAFT", "PROPOSED"),
                     ("PROPOSED", "ADOPTED")]  # fmt: skip
    assert history["items"][2]["note"] == "Landscaping bid came in lower"
    actions = await audit_actions(h.org, budget_id)
    assert actions.count("budget.status_changed") == 4
    assert "budget.created" in actions


async def test_an_adopted_budget_cannot_change(community: Hoa) -> None:
    h = community
    adopted = await h.adopted([line(h.account("5300"), "1200.00")], fiscal_year=2031)
    body = {"id": adopted["id"], "lines": [line(h.account("5300"), "2400.00")]}
    await h.fails("setLines", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE")
    await h.fails("update", {"id": adopted["id"], "name": "Other"}, 422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE")
    await h.fails("delete", {"id": adopted["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE")
    error = await h.fails("propose", {"id": adopted["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert error["details"]["from"] == "ADOPTED"
    assert (await h.ok("get", {"id": adopted["id"]}))["lines"][0]["total"] == "1200.00"


async def test_a_proposal_is_not_edited_and_a_draft_is_not_adopted(community: Hoa) -> None:
    h = community
    made = await h.budget(2032, lines=[line(h.account("5300"), "1200.00")])
    await h.fails("adopt", {"id": made["id"]}, 409, "INVALID_STATE_TRANSITION", who=h.director)
    await h.ok("propose", {"id": made["id"]})
    body = {"id": made["id"], "lines": [line(h.account("5300"), "12.00")]}
    await h.fails("setLines", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_EDITABLE")


async def test_an_empty_budget_is_not_proposed(community: Hoa) -> None:
    made = await community.budget(2033)
    await community.fails("propose", {"id": made["id"]}, 422, "BUSINESS_RULE_VIOLATION", "EMPTY_BUDGET")


async def test_a_revision_adopted_supersedes_the_budget_in_force(community: Hoa) -> None:
    h = community
    first = await h.adopted([line(h.account("5300"), "12000.00")], fiscal_year=2034)
    revision = await h.ok("revise", {"id": first["id"]})
    assert (revision["status"], revision["revises_id"]) == ("DRAFT", first["id"])
    assert revision["name"] == f"{first['name']} (revised)"
    assert revision["lines"] == first["lines"]
    await h.ok("setLines", {"id": revision["id"], "lines": [line(h.account("5300"), "13200.00")]})
    await h.ok("propose", {"id": revision["id"]})
    adopted = await h.ok("adopt", {"id": revision["id"]}, h.director)
    earlier = await h.ok("get", {"id": first["id"]})
    assert (earlier["status"], earlier["superseded_by_id"]) == ("SUPERSEDED", adopted["id"])
    listed = await h.ok("list", {"association_id": h.association_id, "fiscal_year": 2034, "status": "ADOPTED"})
    assert [b["id"] for b in listed["items"]] == [adopted["id"]]
    assert listed["items"][0]["expense"] == "13200.00"


async def test_only_an_adopted_budget_is_revised(community: Hoa) -> None:
    made = await community.budget(2035)
    await community.fails("revise", {"id": made["id"]}, 422, "BUSINESS_RULE_VIOLATION", "NOT_ADOPTED")


async def test_a_draft_is_deleted_with_its_lines(community: Hoa) -> None:
    h = community
    made = await h.budget(2036, lines=[line(h.account("5300"), "1200.00")])
    assert await h.ok("delete", {"id": made["id"]}) == {"removed": True}
    await h.fails("get", {"id": made["id"]}, 404, "NOT_FOUND")
    assert (await audit_actions(h.org, made["id"]))[-1] == "budget.deleted"


# --- lines and totals --------------------------------------------------------------------------------------------


async def test_an_annual_amount_is_spread_to_the_cent_with_the_rest_in_the_last_month(community: Hoa) -> None:
    h = community
    made = await h.budget(2028, lines=[line(h.account("5100"), "1000.00")])
    amounts = made["lines"][0]["amounts"]
    assert amounts == ["83.33"] * 11 + ["83.37"]
    assert made["lines"][0]["total"] == "1000.00"


async def test_totals_per_account_month_income_expense_and_net_are_exact(community: Hoa) -> None:
    h = community
    dues = [f"{Decimal('1000.01') + i:.2f}" for i in range(12)]
    made = await h.budget(2029, lines=[
        line(h.account("4000"), monthly=dues),
        line(h.account("4300"), "100.00"),
        line(h.account("5100"), "7850.00"),
        line(h.account("5300"), monthly=["0.01"] * 11 + ["0.00"]),
    ])  # fmt: skip
    by_number = {x["account_number"]: x for x in made["lines"]}
    assert by_number["4000"]["total"] == "12066.12"
    assert by_number["4000"]["kind"] == "INCOME"
    assert by_number["5100"]["kind"] == "EXPENSE"
    totals = made["totals"]
    assert (totals["income"], totals["expense"]) == ("12166.12", "7850.11")
    assert (totals["net"], totals["result"]) == ("4316.01", "SURPLUS")
    first, last = totals["months"][0], totals["months"][11]
    assert first == {"month": "2029-01", "income": "1008.34", "expense": "654.17", "net": "354.17"}
    assert last == {"month": "2029-12", "income": "1019.38", "expense": "654.24", "net": "365.14"}
    assert sum(Decimal(m["net"]) for m in totals["months"]) == Decimal(totals["net"])


async def test_a_deficit_is_named(community: Hoa) -> None:
    made = await community.budget(2037, lines=[line(community.account("5300"), "1200.00")])
    assert (made["totals"]["net"], made["totals"]["result"]) == ("-1200.00", "DEFICIT")


async def test_the_fiscal_year_follows_the_associations_start_month(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]
) -> None:
    july = await hoa(shared_client, *admin_org, [None], fiscal_year_start_month=7)
    made = await july.budget(2027, lines=[line(july.account("5300"), "1200.00")])
    assert (made["starts_on"], made["ends_on"]) == ("2027-07-01", "2028-06-30")
    assert made["months"][0] == "2027-07"
    assert made["months"][-1] == "2028-06"
    assert made["name"] == "2027-28 Operating Budget"


async def test_set_lines_updates_adds_and_with_replace_removes(community: Hoa) -> None:
    h = community
    made = await h.budget(2038, lines=[line(h.account("5300"), "1200.00"), line(h.account("5100"), "2400.00")])
    updated = await h.ok("setLines", {"id": made["id"], "lines": [line(h.account("5300"), "3600.00", None)]})
    assert {x["account_number"]: x["total"] for x in updated["lines"]} == {"5100": "2400.00", "5300": "3600.00"}
    body = {"id": made["id"], "lines": [line(h.account("5200"), "120.00")], "replace": True}
    replaced = await h.ok("setLines", body)
    assert [x["account_number"] for x in replaced["lines"]] == ["5200"]


async def test_a_budget_starts_from_another_budgets_lines_with_an_increase(community: Hoa) -> None:
    h = community
    source = await h.budget(2039, lines=[line(h.account("5300"), "1000.00"), line(h.account("5100"), "1200.00")])
    body = {"copy_from_id": source["id"], "increase_percent": "3", "lines": [line(h.account("5100"), "1500.00")]}
    made = await h.budget(2040, **body)
    by_number = {x["account_number"]: x for x in made["lines"]}
    assert by_number["5300"]["amounts"] == ["85.83"] * 11 + ["85.87"]  # 83.33 and 83.37 up 3 %, half up
    assert by_number["5100"]["total"] == "1500.00"
    history = await h.ok("history", {"id": made["id"]})
    assert history["items"][0]["note"] == f"Copied from {source['name']}"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("4200", "WRONG_FUND"),  # Reserve Contributions, an account of the reserve fund
        ("1010", "NOT_AN_INCOME_OR_EXPENSE_ACCOUNT"),  # Operating Checking, an asset
        ("2000", "NOT_AN_INCOME_OR_EXPENSE_ACCOUNT"),  # Accounts Payable, a liability
    ],
)
async def test_a_line_names_an_income_or_expense_account_of_the_fund(community: Hoa, number: str, reason: str) -> None:
    body = {
        "association_id": community.association_id,
        "fiscal_year": 2041,
        "lines": [line(community.account(number), "12.00")],
    }
    await community.fails("create", body, 422, "BUSINESS_RULE_VIOLATION", reason)


async def test_a_reserve_budget_takes_reserve_accounts_only(community: Hoa) -> None:
    h = community
    made = await h.budget(
        2041, "RESERVE", lines=[line(h.account("4200"), "18000.00"), line(h.account("7100"), "6000.00")]
    )
    assert made["totals"]["net"] == "12000.00"
    body = {"id": made["id"], "lines": [line(h.account("5300"), "12.00")]}
    error = await h.fails("setLines", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_FUND")
    assert error["details"] == {"reason": "WRONG_FUND", "account_fund": "OPERATING", "budget_fund": "RESERVE"}


async def test_another_associations_account_is_refused(
    shared_client: httpx.AsyncClient, admin_org: tuple[Account, str], community: Hoa
) -> None:
    other = await hoa(shared_client, *admin_org, [None])
    made = await community.budget(2042)
    body = {"id": made["id"], "lines": [line(other.account("5300"), "12.00")]}
    await community.fails("setLines", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    copy = {
        "association_id": community.association_id,
        "fiscal_year": 2042,
        "copy_from_id": (await other.budget(2042))["id"],
    }
    await community.fails("create", copy, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")


async def test_an_inactive_account_is_refused(community: Hoa) -> None:
    h = community
    custom = {
        "association_id": h.association_id,
        "account_number": "5991",
        "name": "Holiday lights",
        "account_type": "EXPENSE",
    }
    account_id = (await h.books.ok("accounting/glAccount/v1/create", custom))["id"]
    await h.books.ok("accounting/glAccount/v1/update", {"id": account_id, "is_active": False})
    body = {"association_id": h.association_id, "fiscal_year": 2043, "lines": [line(account_id, "12.00")]}
    await h.fails("create", body, 422, "BUSINESS_RULE_VIOLATION", "INACTIVE_ACCOUNT")


@pytest.mark.parametrize(
    "bad",
    [
        {"annual": "12.00", "monthly": ["1.00"] * 12},  # both
        {},  # neither
        {"monthly": ["1.00"] * 11},  # eleven months
        {"annual": "-12.00"},  # negative
        {"annual": "12.001"},  # a fraction of a cent
    ],
)
async def test_a_line_gives_twelve_months_or_an_annual_amount(community: Hoa, bad: dict) -> None:
    body = {"association_id": community.association_id, "fiscal_year": 2044,
            "lines": [{"gl_account_id": community.account("5300"), **bad}]}  # fmt: skip
    await community.fails("create", body, 400, "VALIDATION_FAILED")


async def test_one_line_per_account(community: Hoa) -> None:
    twice = [line(community.account("5300"), "12.00"), line(community.account("5300"), "24.00")]
    body = {"association_id": community.association_id, "fiscal_year": 2044, "lines": twice}
    await community.fails("create", body, 400, "VALIDATION_FAILED")


async def test_a_failed_change_leaves_the_budget_as_it_was(community: Hoa) -> None:
    h = community
    made = await h.budget(2045, lines=[line(h.account("5300"), "1200.00")])
    body = {
        "id": made["id"],
        "replace": True,
        "lines": [line(h.account("5100"), "12.00"), line(h.account("1010"), "1.00")],
    }
    await h.fails("setLines", body, 422, "BUSINESS_RULE_VIOLATION", "NOT_AN_INCOME_OR_EXPENSE_ACCOUNT")
    assert (await h.ok("get", {"id": made["id"]}))["lines"] == made["lines"]
