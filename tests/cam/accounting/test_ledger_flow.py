"""The issue's observable path: charge → balance equals the charge; payment → zero; void → owed again;
the trial balance balances; an unbalanced or fund-mixing entry is refused; posted entries only reverse."""

from __future__ import annotations

import httpx

from tests.support.accounts import Account, account, organization, rpc


async def call(client: httpx.AsyncClient, who: Account, org: str, path: str, body: dict, status: int = 200) -> dict:
    response = await client.post(rpc(path), json=body, headers=who.headers(org))
    assert response.status_code == status, response.text
    return response.json()["data"] if status == 200 else response.json()["error"]


async def setup(client: httpx.AsyncClient) -> tuple[Account, str, dict, dict]:
    admin = await account(client)
    org = (await organization(client, admin, "Ledger HOA"))["id"]
    association = await call(client, admin, org, "association/v1/create", {"name": "Ledger Lane HOA"})
    prop = await call(
        client,
        admin,
        org,
        "property/v1/create",
        {
            "association_id": association["id"],
            "name": "Ledger Lane",
            "address": {"line1": "1 Ledger Ln", "city": "Austin", "state": "TX", "postal_code": "78701"},
        },
    )
    unit = await call(
        client, admin, org, "unit/v1/create", {"property_id": prop["id"], "unit_number": "1", "unit_type": "CONDO"}
    )
    return admin, org, association, unit


async def accounts_by_number(
    client: httpx.AsyncClient, admin: Account, org: str, association_id: str
) -> dict[str, dict]:
    listed = await call(client, admin, org, "accounting/glAccount/v1/list", {"association_id": association_id})
    return {a["account_number"]: a for a in listed["items"]}


async def test_new_association_gets_the_standard_chart(client: httpx.AsyncClient) -> None:
    admin, org, association, _ = await setup(client)
    chart = await accounts_by_number(client, admin, org, association["id"])
    assert len(chart) >= 50
    assert chart["1200"]["role"] == "AR"
    assert chart["4200"]["fund"] == "RESERVE"
    again = await call(
        client, admin, org, "accounting/glAccount/v1/seedDefaults", {"association_id": association["id"]}
    )
    assert again == {"created": 0, "existing": len(chart)}


async def test_charge_payment_void(client: httpx.AsyncClient) -> None:
    admin, org, association, unit = await setup(client)
    dues = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/createType",
        {"association_id": association["id"], "name": "Monthly dues", "frequency": "MONTHLY", "amount": "250.00"},
    )
    charge = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/createCharge",
        {"assessment_type_id": dues["id"], "unit_id": unit["id"], "due_date": "2026-01-01"},
    )
    balance = await call(client, admin, org, "accounting/assessment/v1/getUnitBalance", {"unit_id": unit["id"]})
    assert balance["balance"] == "250.00"
    paid = await call(
        client,
        admin,
        org,
        "accounting/payment/v1/create",
        {
            "association_id": association["id"],
            "unit_id": unit["id"],
            "amount": "250.00",
            "payment_date": "2026-01-05",
            "method": "CHECK",
            "reference": "1001",
        },
    )
    assert paid["applications"] == [{"charge_id": charge["id"], "amount": "250.00"}]
    balance = await call(client, admin, org, "accounting/assessment/v1/getUnitBalance", {"unit_id": unit["id"]})
    assert balance["balance"] == "0.00"
    await call(client, admin, org, "accounting/payment/v1/void", {"id": paid["id"], "reason": "Returned check"})
    balance = await call(client, admin, org, "accounting/assessment/v1/getUnitBalance", {"unit_id": unit["id"]})
    assert balance["balance"] == "250.00"
    trial = await call(client, admin, org, "accounting/report/v1/trialBalance", {"association_id": association["id"]})
    assert trial["balanced"] is True
    assert trial["total_debit"] == trial["total_credit"] != "0.00"


async def test_reserve_assessment_gets_interfund_legs(client: httpx.AsyncClient) -> None:
    admin, org, association, unit = await setup(client)
    chart = await accounts_by_number(client, admin, org, association["id"])
    reserve = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/createType",
        {
            "association_id": association["id"],
            "name": "Reserve contribution",
            "frequency": "MONTHLY",
            "amount": "40.00",
            "revenue_account_id": chart["4200"]["id"],
        },
    )
    charge = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/createCharge",
        {"assessment_type_id": reserve["id"], "unit_id": unit["id"], "due_date": "2026-01-01"},
    )
    entry = await call(client, admin, org, "accounting/journalEntry/v1/get", {"id": charge["journal_entry_id"]})
    legs = {(x["account_number"], x["debit"], x["credit"]) for x in entry["lines"]}
    assert legs == {
        ("1200", "40.00", "0.00"),
        ("4200", "0.00", "40.00"),
        ("2400", "0.00", "40.00"),
        ("1410", "40.00", "0.00"),
    }
    sheet = await call(client, admin, org, "accounting/report/v1/balanceSheet", {"association_id": association["id"]})
    assert all(f["balanced"] for f in sheet["funds"])


async def test_unbalanced_and_fund_mixing_entries_are_refused(client: httpx.AsyncClient) -> None:
    admin, org, association, _ = await setup(client)
    chart = await accounts_by_number(client, admin, org, association["id"])
    base = {"association_id": association["id"], "entry_date": "2026-02-01", "memo": "test"}
    unbalanced = await call(
        client,
        admin,
        org,
        "accounting/journalEntry/v1/create",
        {
            **base,
            "lines": [
                {"gl_account_id": chart["5300"]["id"], "debit": "100.00"},
                {"gl_account_id": chart["1010"]["id"], "credit": "90.00"},
            ],
        },
        status=422,
    )
    assert unbalanced["details"]["reason"] == "UNBALANCED"
    mixed = await call(
        client,
        admin,
        org,
        "accounting/journalEntry/v1/create",
        {
            **base,
            "lines": [
                {"gl_account_id": chart["7300"]["id"], "debit": "100.00"},
                {"gl_account_id": chart["1010"]["id"], "credit": "100.00"},
            ],
        },
        status=422,
    )
    assert mixed["details"]["reason"] == "FUND_UNBALANCED"


async def test_posted_entries_are_immutable_and_reverse(client: httpx.AsyncClient) -> None:
    admin, org, association, _ = await setup(client)
    chart = await accounts_by_number(client, admin, org, association["id"])
    entry = await call(
        client,
        admin,
        org,
        "accounting/journalEntry/v1/create",
        {
            "association_id": association["id"],
            "entry_date": "2026-02-01",
            "memo": "Landscaping",
            "submit": True,
            "lines": [
                {"gl_account_id": chart["5300"]["id"], "debit": "100.00"},
                {"gl_account_id": chart["1010"]["id"], "credit": "100.00"},
            ],
        },
    )
    assert entry["status"] == "PENDING_APPROVAL"
    posted = await call(client, admin, org, "accounting/journalEntry/v1/post", {"id": entry["id"]})
    assert posted["status"] == "POSTED"
    again = await call(client, admin, org, "accounting/journalEntry/v1/post", {"id": entry["id"]}, status=409)
    assert again["code"] == "INVALID_STATE_TRANSITION"
    reversal = await call(client, admin, org, "accounting/journalEntry/v1/reverse", {"id": entry["id"]})
    assert reversal["reverses_entry_id"] == entry["id"]
    original = await call(client, admin, org, "accounting/journalEntry/v1/get", {"id": entry["id"]})
    assert original["status"] == "REVERSED"
    trial = await call(client, admin, org, "accounting/report/v1/trialBalance", {"association_id": association["id"]})
    assert trial["lines"] == []


async def test_bill_period_and_payment_batch(client: httpx.AsyncClient) -> None:
    admin, org, association, unit = await setup(client)
    prop = await call(client, admin, org, "property/v1/list", {"association_id": association["id"]})
    second = await call(
        client,
        admin,
        org,
        "unit/v1/create",
        {"property_id": prop["items"][0]["id"], "unit_number": "2", "unit_type": "CONDO"},
    )
    dues = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/createType",
        {"association_id": association["id"], "name": "Monthly dues", "frequency": "MONTHLY", "amount": "300.00"},
    )
    billed = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/billPeriod",
        {"assessment_type_id": dues["id"], "due_date": "2026-03-01"},
    )
    assert billed == {"charged": 2, "skipped_already_charged": 0, "total": "600.00", "prorated": 0}
    again = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/billPeriod",
        {"assessment_type_id": dues["id"], "due_date": "2026-03-01"},
    )
    assert again == {"charged": 0, "skipped_already_charged": 2, "total": "0.00", "prorated": 0}
    batch = await call(
        client,
        admin,
        org,
        "accounting/payment/v1/createBatch",
        {
            "association_id": association["id"],
            "payments": [
                {"unit_id": unit["id"], "amount": "300.00", "payment_date": "2026-03-03", "method": "LOCKBOX"},
                {"unit_id": second["id"], "amount": "350.00", "payment_date": "2026-03-04", "method": "ACH"},
            ],
        },
    )
    assert (batch["recorded"], batch["applied"], batch["unapplied"]) == (2, "600.00", "50.00")
    balance = await call(client, admin, org, "accounting/assessment/v1/getUnitBalance", {"unit_id": second["id"]})
    assert balance["balance"] == "-50.00"
    april = await call(
        client,
        admin,
        org,
        "accounting/assessment/v1/billPeriod",
        {"assessment_type_id": dues["id"], "due_date": "2026-04-01"},
    )
    assert april["charged"] == 2
    balance = await call(client, admin, org, "accounting/assessment/v1/getUnitBalance", {"unit_id": second["id"]})
    assert balance["balance"] == "250.00"  # the credit went to the new charge
    trial = await call(client, admin, org, "accounting/report/v1/trialBalance", {"association_id": association["id"]})
    assert trial["balanced"] is True
