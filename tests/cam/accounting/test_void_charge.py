"""Voiding a charge nothing was paid on: the mirror entry takes it out of the unit's balance, the aging and the
trial balance alike (they tie out); a paid charge cannot be voided; another tenant's charge does not exist."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from tests.cam.accounting.helpers import books, trial_line
from tests.support.accounts import account, organization
from tests.support.rpc import suffix

TODAY = date.today().isoformat()
AR = "1200"


async def test_void_takes_the_charge_back_everywhere(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Void HOA {suffix()}"))["id"]
    b = await books(shared_client, admin, org)
    unit = await b.unit()
    fines = await b.ok(
        "accounting/assessment/v1/createType",
        {"association_id": b.association_id, "name": "Fines", "kind": "FINE", "frequency": "ONE_TIME", "amount": "0"},
    )
    charge = await b.charge(fines["id"], unit["id"], TODAY, "75.00")
    assert Decimal((await b.balance(unit["id"]))["balance"]) == Decimal("75.00")
    assert trial_line(await b.trial(), "4400") == Decimal("-75.00")

    voided = await b.ok("accounting/assessment/v1/voidCharge", {"id": charge["id"], "reason": "Entered in error"})
    assert voided["voided_on"] == TODAY
    assert Decimal(voided["balance"]) == 0
    assert Decimal((await b.balance(unit["id"]))["balance"]) == 0
    trial = await b.trial()
    assert trial["balanced"]
    assert trial_line(trial, "4400") == 0
    assert trial_line(trial, AR) == 0
    aging = await b.ok("accounting/report/v1/arAging", {"association_id": b.association_id})
    assert aging["rows"] == []
    assert trial_line(trial, AR) == 0
    await b.fails(
        "accounting/assessment/v1/voidCharge", {"id": charge["id"], "reason": "again"}, 422,
        "BUSINESS_RULE_VIOLATION", "CHARGE_VOIDED",
    )  # fmt: skip

    # a payment made after the void is credit, not applied to the voided charge
    await b.pay(unit["id"], "20.00", TODAY)
    assert Decimal((await b.balance(unit["id"]))["balance"]) == Decimal("-20.00")


async def test_a_paid_charge_cannot_be_voided(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Void HOA {suffix()}"))["id"]
    b = await books(shared_client, admin, org)
    unit = await b.unit()
    dues = await b.dues("100.00")
    charge = await b.charge(dues["id"], unit["id"], TODAY)
    await b.pay(unit["id"], "40.00", TODAY)
    await b.fails(
        "accounting/assessment/v1/voidCharge", {"id": charge["id"], "reason": "Oops"}, 422,
        "BUSINESS_RULE_VIOLATION", "CHARGE_PAID",
    )  # fmt: skip
    assert Decimal((await b.balance(unit["id"]))["balance"]) == Decimal("60.00")


async def test_another_tenants_charge_is_not_found(shared_client: httpx.AsyncClient) -> None:
    admin = await account(shared_client)
    org = (await organization(shared_client, admin, f"Void HOA {suffix()}"))["id"]
    b = await books(shared_client, admin, org)
    unit = await b.unit()
    charge = await b.charge((await b.dues("10.00"))["id"], unit["id"], TODAY)
    other = await account(shared_client)
    other_org = (await organization(shared_client, other, f"Other HOA {suffix()}"))["id"]
    o = await books(shared_client, other, other_org)
    await o.fails("accounting/assessment/v1/voidCharge", {"id": charge["id"], "reason": "x"}, 404, "NOT_FOUND")
