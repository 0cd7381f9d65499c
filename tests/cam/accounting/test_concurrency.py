"""The books' "not twice" rules under concurrent requests (issue 11, defect 3): a period billed twice at once
charges each unit once; the same assessment charged twice at once is one charge and a DUPLICATE_CHARGE; two
late-fee runs at once charge one fee per overdue charge; two new primary bank accounts at once leave one primary;
an invoice number recorded twice at once is one invoice; the standard chart seeded twice at once adds each account
once; the database refuses a second period assessment whatever path writes it.

Each race is forced (`tests.support.race`): the requests are held at a lock they need after their reads, so on
code that checks by reading without a lock of its own every one of them writes."""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.cam.accounting.helpers import Books, books
from tests.support.accounts import Account, account, organization
from tests.support.race import Held, race
from tests.support.rpc import post, suffix

ASSOCIATION_ROW = "SELECT id FROM associations WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def admin_org(shared_client: httpx.AsyncClient) -> tuple[Account, str]:
    admin = await account(shared_client)
    return admin, (await organization(shared_client, admin, f"Race HOA {suffix()}"))["id"]


@pytest.fixture
async def hoa(shared_client: httpx.AsyncClient, admin_org: tuple[Account, str]) -> Books:
    return await books(shared_client, *admin_org, late_fee_type="FIXED", late_fee_amount="15.00")


def held_numbering(hoa: Books) -> Held:
    """The association's row: every journal entry's number is taken under its lock, after the rule's read."""
    return Held(hoa.org, ASSOCIATION_ROW, {"id": hoa.association_id})


async def call(hoa: Books, path: str, body: dict) -> httpx.Response:
    return await post(hoa.client, hoa.admin, hoa.org, path, body)


async def charges_by_unit(hoa: Books) -> Counter[str]:
    listed = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id, "limit": 200})
    return Counter(c["unit_id"] for c in listed["items"])


async def test_a_period_billed_twice_at_once_charges_each_unit_once(hoa: Books) -> None:
    """The second run waits for the first and skips every unit it billed, as a second run after it does."""
    units = [await hoa.unit() for _ in range(3)]
    dues = await hoa.dues("200.00")
    body = {"assessment_type_id": dues["id"], "due_date": "2026-05-01"}
    responses = await race(held_numbering(hoa), *(call(hoa, "accounting/assessment/v1/billPeriod", body) for _ in "ab"))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    answers = sorted((r.json()["data"] for r in responses), key=lambda a: a["charged"])
    assert answers == [
        {"charged": 0, "skipped_already_charged": 3, "total": "0.00", "prorated": 0},
        {"charged": 3, "skipped_already_charged": 0, "total": "600.00", "prorated": 0},
    ]
    assert await charges_by_unit(hoa) == Counter({u["id"]: 1 for u in units})
    assert Decimal((await hoa.balance(units[0]["id"]))["balance"]) == Decimal("200.00")
    assert (await hoa.trial())["balanced"] is True


async def test_the_same_assessment_charged_twice_at_once_is_one_charge_and_a_conflict(hoa: Books) -> None:
    """A REGULAR assessment is charged once per unit and due date: the second charge, at once or after, is a
    CONFLICT naming the first; a fine of the same unit and date may repeat."""
    unit = await hoa.unit()
    dues = await hoa.dues("120.00")
    body = {"assessment_type_id": dues["id"], "unit_id": unit["id"], "due_date": "2026-06-01"}
    responses = await race(
        held_numbering(hoa), *(call(hoa, "accounting/assessment/v1/createCharge", body) for _ in "ab")
    )
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    made = next(r for r in responses if r.status_code == 200).json()["data"]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert (refused["code"], refused["details"]["reason"]) == ("CONFLICT", "DUPLICATE_CHARGE")
    assert refused["details"]["charge_id"] == made["id"]
    again = await hoa.fails("accounting/assessment/v1/createCharge", body, 409, "CONFLICT", "DUPLICATE_CHARGE")
    assert again["details"]["charge_id"] == made["id"]
    billed = await hoa.ok(
        "accounting/assessment/v1/billPeriod", {"assessment_type_id": dues["id"], "due_date": "2026-06-01"}
    )
    assert (billed["charged"], billed["skipped_already_charged"]) == (0, 1)

    fine = await hoa.dues("50.00", kind="FINE", frequency="ONE_TIME")
    for _ in range(2):
        await hoa.charge(fine["id"], unit["id"], "2026-06-01")
    assert await charges_by_unit(hoa) == Counter({unit["id"]: 3})
    assert Decimal((await hoa.balance(unit["id"]))["balance"]) == Decimal("220.00")


async def test_late_fees_run_twice_at_once_charge_one_fee_per_overdue_charge(hoa: Books) -> None:
    """Both runs answer; the second finds the first one's fees and adds none."""
    units = [await hoa.unit() for _ in range(2)]
    dues = await hoa.dues("100.00")
    for unit in units:
        await hoa.charge(dues["id"], unit["id"], "2026-01-01")
    body = {"association_id": hoa.association_id, "as_of": "2026-03-01"}
    responses = await race(
        held_numbering(hoa), *(call(hoa, "accounting/assessment/v1/applyLateFees", body) for _ in "ab")
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert sorted(r.json()["data"]["created"] for r in responses) == [0, 2]
    assert await charges_by_unit(hoa) == Counter({u["id"]: 2 for u in units})
    assert Decimal((await hoa.balance(units[0]["id"]))["balance"]) == Decimal("115.00")


async def test_two_primary_bank_accounts_made_at_once_leave_one_primary(hoa: Books) -> None:
    """As one after the other: the later takes the flag from the earlier, and neither request fails."""
    cash = hoa.account_id("1010")
    body = {"association_id": hoa.association_id, "gl_account_id": cash, "bank_name": "First Bank", "is_primary": True}
    held = Held(hoa.org, "SELECT id FROM gl_accounts WHERE id = :id FOR UPDATE", {"id": cash})
    responses = await race(
        held,
        *(
            call(hoa, "accounting/bankAccount/v1/create", {**body, "name": name, "account_last4": last4})
            for name, last4 in (("Operating A", "1111"), ("Operating B", "2222"))
        ),
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    listed = await hoa.ok("accounting/bankAccount/v1/list", {"association_id": hoa.association_id})
    primaries = [b["name"] for b in listed["items"] if b["is_primary"]]
    assert len(primaries) == 1, listed["items"]


async def test_an_invoice_number_recorded_twice_at_once_is_one_invoice(hoa: Books) -> None:
    """Held by the unique index on (vendor, invoice number) since 0005: the second is a DUPLICATE_INVOICE."""
    vendor = await hoa.ok("vendor/v1/create", {"name": f"Vendor {suffix()}"})
    line = {"gl_account_id": hoa.account_id("5400"), "description": "Valve", "amount": "75.00"}
    body = {"association_id": hoa.association_id, "vendor_id": vendor["id"], "invoice_number": "INV-7",
            "invoice_date": "2026-08-01", "amount": "75.00", "lines": [line]}  # fmt: skip
    held = Held(hoa.org, "SELECT id FROM vendors WHERE id = :id FOR UPDATE", {"id": vendor["id"]})
    responses = await race(held, *(call(hoa, "accounting/apInvoice/v1/create", body) for _ in "ab"))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert refused["details"]["reason"] == "DUPLICATE_INVOICE"


async def test_the_standard_chart_seeded_twice_at_once_adds_each_account_once(hoa: Books) -> None:
    """seedDefaults is idempotent at the same moment too: the second run finds what the first added."""
    await hoa.ok("accounting/glAccount/v1/delete", {"id": hoa.account_id("6400")})
    body = {"association_id": hoa.association_id}
    responses = await race(
        held_numbering(hoa), *(call(hoa, "accounting/glAccount/v1/seedDefaults", body) for _ in "ab")
    )
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    assert sorted(r.json()["data"]["created"] for r in responses) == [0, 1]


async def test_the_database_refuses_a_second_period_assessment(hoa: Books) -> None:
    """Whatever path writes it (here a copy of a charge in SQL, as the app role), a unit's REGULAR assessment
    exists once per type and due date."""
    unit = await hoa.unit()
    charge = await hoa.charge((await hoa.dues())["id"], unit["id"], "2026-07-01")
    copy = text(
        """INSERT INTO assessment_charges (id, organization_id, association_id, assessment_type_id, unit_id,
               due_date, amount, amount_paid, description, journal_entry_id, period_assessment)
           SELECT :new, organization_id, association_id, assessment_type_id, unit_id, due_date, amount, 0,
               description, journal_entry_id, period_assessment
           FROM assessment_charges WHERE id = :id"""
    )
    with pytest.raises(IntegrityError, match="uq_assessment_charges_period"):
        async with runtime.current().database.transaction(organization_id=uuid.UUID(hoa.org), user_id=None) as s:
            await s.execute(copy, {"new": uuid.uuid4(), "id": charge["id"]})
