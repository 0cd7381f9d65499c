"""Money and rounding in receivables: late fees (percent rounds half up to the cent, fixed, grace days, once per
charge) and payments (oldest charge first, overpayment kept as credit and used by the next charge, voids)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import httpx
import pytest

from tests.cam.accounting.helpers import Books, books, trial_line
from tests.support.accounts import Account, account, organization, rpc
from tests.support.rpc import suffix


@dataclass
class Tenant:
    client: httpx.AsyncClient
    admin: Account
    org: str

    async def books(self, **settings: object) -> Books:
        return await books(self.client, self.admin, self.org, **settings)


@pytest.fixture(scope="module")
async def tenant(shared_client: httpx.AsyncClient) -> Tenant:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Receivables HOA {suffix()}"))["id"]
    return Tenant(shared_client, admin, org)


def percent_of(amount: str, percent: str) -> Decimal:
    return (Decimal(amount) * Decimal(percent) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


async def charges_of(hoa: Books, unit_id: str) -> list[dict]:
    return (await hoa.ok("accounting/assessment/v1/listCharges", {"unit_id": unit_id}))["items"]


async def late_fees(hoa: Books, as_of: str) -> dict:
    return await hoa.ok(
        "accounting/assessment/v1/applyLateFees", {"association_id": hoa.association_id, "as_of": as_of}
    )


# --- late fees ----------------------------------------------------------------------------------------------


async def test_percent_late_fee_rounds_half_up_to_the_cent(tenant: Tenant) -> None:
    """The association's 5% rule (the type has none): 5% of 250.10 = 12.505 → 12.51."""
    hoa = await tenant.books(late_fee_type="PERCENT", late_fee_percent="5", late_fee_grace_days=10)
    dues = await hoa.dues()
    unit = await hoa.unit()
    charge = await hoa.charge(dues["id"], unit["id"], "2026-01-01", "250.10")
    assert percent_of("250.10", "5") == Decimal("12.51")

    before_grace = await late_fees(hoa, "2026-01-11")  # due + 10 grace days: still on time
    assert before_grace == {"created": 0, "charge_ids": []}

    applied = await late_fees(hoa, "2026-01-12")
    assert applied["created"] == 1
    fee = next(c for c in await charges_of(hoa, unit["id"]) if c["id"] == applied["charge_ids"][0])
    assert Decimal(fee["amount"]) == Decimal("12.51")
    assert fee["late_fee_for_charge_id"] == charge["id"]
    assert fee["due_date"] == "2026-01-12"
    entry = await hoa.ok("accounting/journalEntry/v1/get", {"id": fee["journal_entry_id"]})
    assert {(x["account_number"], x["debit"], x["credit"]) for x in entry["lines"]} == {
        ("1200", "12.51", "0.00"),
        ("4300", "0.00", "12.51"),
    }
    assert Decimal((await hoa.balance(unit["id"]))["balance"]) == Decimal("262.61")

    again = await late_fees(hoa, "2026-03-01")
    assert again == {"created": 0, "charge_ids": []}
    assert len(await charges_of(hoa, unit["id"])) == 2


async def test_percent_late_fee_rounding_on_several_balances(tenant: Tenant) -> None:
    """A type's own 7.5% rule, on balances whose fee lands on, just under and just over half a cent."""
    hoa = await tenant.books()
    dues = await hoa.dues(late_fee_type="PERCENT", late_fee_percent="7.5", late_fee_grace_days=0)
    amounts = ["250.10", "0.10", "33.33", "100.06", "100.07", "19.99"]
    by_charge = {}
    for amount in amounts:
        unit = await hoa.unit()
        charge = await hoa.charge(dues["id"], unit["id"], "2026-01-01", amount)
        by_charge[charge["id"]] = amount
    applied = await late_fees(hoa, "2026-01-02")
    assert applied["created"] == len(amounts)
    listed = await hoa.ok("accounting/assessment/v1/listCharges", {"association_id": hoa.association_id})
    fees = {c["late_fee_for_charge_id"]: Decimal(c["amount"]) for c in listed["items"] if c["late_fee_for_charge_id"]}
    assert fees == {charge_id: percent_of(amount, "7.5") for charge_id, amount in by_charge.items()}
    assert fees[next(k for k, v in by_charge.items() if v == "0.10")] == Decimal("0.01")


async def test_percent_late_fee_is_on_the_open_balance(tenant: Tenant) -> None:
    hoa = await tenant.books(late_fee_type="PERCENT", late_fee_percent="5", late_fee_grace_days=15)
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "200.00")
    await hoa.pay(unit["id"], "99.90", "2026-01-05")
    applied = await late_fees(hoa, "2026-02-01")
    fee = next(c for c in await charges_of(hoa, unit["id"]) if c["id"] in applied["charge_ids"])
    assert Decimal(fee["amount"]) == percent_of("100.10", "5") == Decimal("5.01")


async def test_fixed_late_fee_after_the_grace_days_once(tenant: Tenant) -> None:
    hoa = await tenant.books(late_fee_type="PERCENT", late_fee_percent="10", late_fee_grace_days=30)
    dues = await hoa.dues(late_fee_type="FIXED", late_fee_amount="25.00", late_fee_grace_days=5)
    unit, paid_up, not_due = await hoa.unit(), await hoa.unit(), await hoa.unit()
    charge = await hoa.charge(dues["id"], unit["id"], "2026-01-01")
    await hoa.charge(dues["id"], paid_up["id"], "2026-01-01")
    await hoa.pay(paid_up["id"], "250.00", "2026-01-02")
    await hoa.charge(dues["id"], not_due["id"], "2026-01-05")

    assert (await late_fees(hoa, "2026-01-06"))["created"] == 0  # exactly the last grace day
    applied = await late_fees(hoa, "2026-01-07")
    assert applied["created"] == 1  # not the paid charge, not the one still in its grace period
    fees = [c for c in await charges_of(hoa, unit["id"]) if c["late_fee_for_charge_id"] == charge["id"]]
    assert [Decimal(f["amount"]) for f in fees] == [Decimal("25.00")]  # the type's rule, not the association's
    assert (await late_fees(hoa, "2026-01-07"))["created"] == 0

    later = await late_fees(hoa, "2026-01-20")  # now the second charge is late too; the first is not charged twice
    assert later["created"] == 1
    second_fees = [c for c in await charges_of(hoa, not_due["id"]) if c["late_fee_for_charge_id"]]
    assert [(c["amount"], c["due_date"]) for c in second_fees] == [("25.00", "2026-01-20")]
    assert len(await charges_of(hoa, unit["id"])) == 2
    assert (await charges_of(hoa, paid_up["id"]))[0]["balance"] == "0.00"
    assert (await hoa.trial())["balanced"] is True


async def test_no_late_fee_without_a_rule(tenant: Tenant) -> None:
    hoa = await tenant.books()  # association NONE, type NONE
    dues = await hoa.dues()
    unit = await hoa.unit()
    await hoa.charge(dues["id"], unit["id"], "2025-01-01")
    assert (await late_fees(hoa, "2026-01-01"))["created"] == 0


# --- payments -----------------------------------------------------------------------------------------------


async def test_payment_applies_to_the_oldest_charge_first(tenant: Tenant) -> None:
    hoa = await tenant.books()
    dues = await hoa.dues()
    unit = await hoa.unit()
    march = await hoa.charge(dues["id"], unit["id"], "2026-03-01", "300.00")
    january = await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    february = await hoa.charge(dues["id"], unit["id"], "2026-02-01", "200.00")

    first = await hoa.pay(unit["id"], "250.00")
    assert first["applications"] == [
        {"charge_id": january["id"], "amount": "100.00"},
        {"charge_id": february["id"], "amount": "150.00"},
    ]
    assert first["unapplied_amount"] == "0.00"
    second = await hoa.pay(unit["id"], "200.00")
    assert second["applications"] == [
        {"charge_id": february["id"], "amount": "50.00"},
        {"charge_id": march["id"], "amount": "150.00"},
    ]
    balances = {c["id"]: c["balance"] for c in await charges_of(hoa, unit["id"])}
    assert balances == {january["id"]: "0.00", february["id"]: "0.00", march["id"]: "150.00"}
    balance = await hoa.balance(unit["id"])
    assert balance["balance"] == "150.00"
    assert balance["oldest_open_due_date"] == "2026-03-01"
    assert balance["open_charges"] == 1


async def test_overpayment_is_credit_that_the_next_charge_uses(tenant: Tenant) -> None:
    hoa = await tenant.books()
    dues = await hoa.dues()
    unit = await hoa.unit()
    first = await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    payment = await hoa.pay(unit["id"], "150.00")
    assert payment["applications"] == [{"charge_id": first["id"], "amount": "100.00"}]
    assert payment["unapplied_amount"] == "50.00"
    balance = await hoa.balance(unit["id"])
    assert (balance["balance"], balance["unapplied_credit"], balance["charges_open"]) == ("-50.00", "50.00", "0.00")
    trial = await hoa.trial()
    assert trial_line(trial, "2100") == Decimal("-50.00")  # prepaid assessments hold the credit
    assert trial_line(trial, "1200") == Decimal("0.00")

    second = await hoa.charge(dues["id"], unit["id"], "2026-02-01", "80.00")
    assert (second["amount_paid"], second["balance"]) == ("50.00", "30.00")
    used = await hoa.ok("accounting/payment/v1/get", {"id": payment["id"]})
    assert used["unapplied_amount"] == "0.00"
    assert {a["charge_id"]: a["amount"] for a in used["applications"]} == {first["id"]: "100.00", second["id"]: "50.00"}
    balance = await hoa.balance(unit["id"])
    assert (Decimal(balance["balance"]), Decimal(balance["unapplied_credit"])) == (Decimal("30.00"), 0)
    trial = await hoa.trial()
    assert trial_line(trial, "2100") == Decimal("0.00")
    assert trial_line(trial, "1200") == Decimal("30.00")
    assert trial["balanced"] is True


async def test_void_restores_each_charge_and_cannot_happen_twice(tenant: Tenant) -> None:
    hoa = await tenant.books()
    dues = await hoa.dues()
    unit = await hoa.unit()
    january = await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    february = await hoa.charge(dues["id"], unit["id"], "2026-02-01", "200.00")
    payment = await hoa.pay(unit["id"], "350.00")
    assert payment["unapplied_amount"] == "50.00"
    march = await hoa.charge(dues["id"], unit["id"], "2026-03-01", "75.00")  # takes the 50.00 credit
    assert march["balance"] == "25.00"

    voided = await hoa.ok("accounting/payment/v1/void", {"id": payment["id"], "reason": "NSF"})
    assert voided["status"] == "VOIDED"
    assert voided["void_reason"] == "NSF"
    assert voided["void_journal_entry_id"]
    assert voided["unapplied_amount"] == "0.00"
    assert voided["applications"] == []
    balances = {c["id"]: c["balance"] for c in await charges_of(hoa, unit["id"])}
    assert balances == {january["id"]: "100.00", february["id"]: "200.00", march["id"]: "75.00"}
    balance = await hoa.balance(unit["id"])
    assert (balance["balance"], Decimal(balance["unapplied_credit"]), balance["open_charges"]) == ("375.00", 0, 3)
    trial = await hoa.trial()
    assert trial_line(trial, "1200") == Decimal("375.00")
    assert trial_line(trial, "2100") == Decimal("0.00")
    assert trial_line(trial, "1010") == Decimal("0.00")

    again = await hoa.fails(
        "accounting/payment/v1/void", {"id": payment["id"], "reason": "again"}, 409, "INVALID_STATE_TRANSITION"
    )
    assert again["details"]["from"] == "VOIDED"
    assert Decimal((await hoa.balance(unit["id"]))["balance"]) == Decimal("375.00")


async def test_unit_balance_money_is_always_two_decimals(tenant: Tenant) -> None:
    """API.md: money on the wire is a decimal string with cents ("1250.00"), including zero credit."""
    hoa = await tenant.books()
    dues = await hoa.dues()
    unit = await hoa.unit()
    fresh = await hoa.balance(unit["id"])  # no charges, no payments
    assert (fresh["balance"], fresh["charges_open"], fresh["unapplied_credit"]) == ("0.00", "0.00", "0.00")
    await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    await hoa.pay(unit["id"], "60.00")  # fully applied: the unit holds no credit
    paid = await hoa.balance(unit["id"])
    assert (paid["balance"], paid["charges_open"], paid["unapplied_credit"]) == ("40.00", "40.00", "0.00")


async def test_payment_for_another_associations_unit_is_refused(tenant: Tenant) -> None:
    hoa, other = await tenant.books(), await tenant.books()
    unit = await other.unit()
    body = {
        "association_id": hoa.association_id,
        "unit_id": unit["id"],
        "amount": "10.00",
        "payment_date": "2026-01-01",
        "method": "ACH",
    }
    await hoa.fails("accounting/payment/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "WRONG_ASSOCIATION")
    await hoa.fails("accounting/payment/v1/create", {**body, "amount": "0.00"}, 400, "VALIDATION_FAILED")
    await hoa.fails("accounting/payment/v1/create", {**body, "amount": "1.001"}, 400, "VALIDATION_FAILED")


async def test_reversing_a_charges_entry_keeps_the_receivable_subledger(tenant: Tenant) -> None:
    """A charge's or a payment's journal entry reversed on its own would leave the charge open (or paid) while
    the AR control account says otherwise. Either such a reversal is refused, or the subledger follows it."""
    hoa = await tenant.books()
    dues = await hoa.dues()
    unit = await hoa.unit()
    charge = await hoa.charge(dues["id"], unit["id"], "2026-01-01", "100.00")
    payment = await hoa.pay(unit["id"], "40.00")
    for entry_id in (charge["journal_entry_id"], payment["journal_entry_id"]):
        response = await hoa.client.post(
            rpc("accounting/journalEntry/v1/reverse"), json={"id": entry_id}, headers=hoa.admin.headers(hoa.org)
        )
        assert response.status_code in (200, 409, 422), response.text
    open_charges = sum((Decimal(c["balance"]) for c in await charges_of(hoa, unit["id"])), Decimal("0.00"))
    assert trial_line(await hoa.trial(), "1200") == open_charges, "AR control differs from the open charges"
