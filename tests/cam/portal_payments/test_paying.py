"""Paying now: an owner pays a unit they own from a stored method; the provider's charge is recorded once per
Idempotency-Key (a retry answers the same charge and books nothing more), a paid charge is a payment in the books
applied to the oldest charges first with the excess kept as credit, a declined one books nothing, and nobody pays
with a method or for a unit that is not theirs."""

from __future__ import annotations

import secrets
from decimal import Decimal

import httpx
import pytest

from tests.cam.portal_payments.helpers import Community, P, checkout_token, community, messages
from tests.support.rpc import rpc


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Paying")


async def charges(c: Community, unit: str, *amounts: str) -> list[dict]:
    dues = await c.hoa.dues("100.00")
    return [await c.hoa.charge(dues["id"], unit, f"2026-0{i + 1}-01", amount) for i, amount in enumerate(amounts)]


async def test_a_payment_is_booked_on_the_oldest_charges_and_the_excess_is_credit(c: Community) -> None:
    first, second = await charges(c, c.olive.unit, "120.00", "80.00")
    method = await c.card(c.olive)
    paid = await c.ok(c.olive.who, "pay", {"unit_id": c.olive.unit, "method_id": method["id"], "amount": "230.00"})
    assert (paid["status"], paid["amount"]) == ("PAID", "230.00")
    assert paid["reference"].startswith("ch_rec_")
    assert Decimal(paid["balance"]["balance"]) == Decimal("-30.00")
    assert paid["balance"]["open_charges"] == []
    booked = await c.hoa.ok("accounting/payment/v1/get", {"id": paid["payment_id"]})
    assert (booked["method"], booked["reference"], booked["unapplied_amount"]) == ("CARD", paid["reference"], "30.00")
    assert [(a["charge_id"], a["amount"]) for a in booked["applications"]] == [
        (first["id"], "120.00"), (second["id"], "80.00"),
    ]  # fmt: skip
    books = await c.hoa.balance(c.olive.unit)
    assert Decimal(books["balance"]) == Decimal("-30.00")
    charged = await c.records(c.olive.who, unit_id=c.olive.unit, operation="CHARGE")
    assert [(r["outcome"], r["amount"], r["provider_reference"]) for r in charged] == [
        ("SUCCEEDED", "230.00", paid["reference"])
    ]
    told = [m for m in await messages(c.org, "payment.received") if m.payload["reference"] == paid["reference"]]
    assert len(told) == 1
    assert told[0].payload["amount"] == "230.00"


async def test_a_retried_request_charges_and_books_once(c: Community) -> None:
    await charges(c, c.nick.unit, "50.00")
    method = await c.card(c.nick)
    body = {"unit_id": c.nick.unit, "method_id": method["id"], "amount": "50.00"}
    key = secrets.token_hex(8)
    answers = [await c.client.post(rpc(P + "pay"), json=body, headers=c.nick.who.headers(c.org, key)) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    first, again = (a.json()["data"] for a in answers)
    assert again["payment_id"] == first["payment_id"]
    assert again["reference"] == first["reference"]
    payments = await c.hoa.ok("accounting/payment/v1/list", {"unit_id": c.nick.unit, "limit": 50})
    assert [p["id"] for p in payments["items"]] == [first["payment_id"]]
    assert len(await c.records(c.nick.who, unit_id=c.nick.unit, operation="CHARGE")) == 1


async def test_a_declined_charge_is_recorded_and_books_nothing(c: Community) -> None:
    declining = await c.card(c.olive, token=checkout_token(mark="decline"), last4="0002")
    before = await c.hoa.balance(c.olive.unit)
    answer = await c.ok(c.olive.who, "pay", {"unit_id": c.olive.unit, "method_id": declining["id"], "amount": "10.00"})
    assert (answer["status"], answer["payment_id"]) == ("DECLINED", None)
    assert answer["reference"].startswith("decline_rec_")
    assert (await c.hoa.balance(c.olive.unit))["balance"] == before["balance"]
    declined = [r for r in await c.records(c.olive.who, operation="CHARGE") if r["outcome"] == "DECLINED"]
    assert [r["provider_reference"] for r in declined] == [answer["reference"]]


async def test_only_the_owner_pays_for_their_unit_with_their_own_method(c: Community) -> None:
    mine = await c.card(c.olive, last4="1881")
    theirs = await c.card(c.nick, last4="1991")
    for who, body in (
        (c.olive.who, {"unit_id": c.nick.unit, "method_id": mine["id"]}),  # not her unit
        (c.olive.who, {"unit_id": c.olive.unit, "method_id": theirs["id"]}),  # not her method
        (c.manager, {"unit_id": c.olive.unit, "method_id": mine["id"]}),  # management does not pay for owners
        (c.tenant, {"unit_id": c.olive.unit, "method_id": mine["id"]}),
    ):
        await c.fails(who, "pay", {**body, "amount": "5.00"}, 404, "NOT_FOUND")
    await c.ok(c.olive.who, "removeMethod", {"id": mine["id"]})
    await c.fails(c.olive.who, "pay", {"unit_id": c.olive.unit, "method_id": mine["id"], "amount": "5.00"}, 404)
    for amount in ("0", "-1.00", "1.005"):
        body = {"unit_id": c.olive.unit, "method_id": theirs["id"], "amount": amount}
        await c.fails(c.nick.who, "pay", body, 400, "VALIDATION_FAILED")
