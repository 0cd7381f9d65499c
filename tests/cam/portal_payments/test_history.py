"""The owner's payment history and balance for a unit they own, read from the books: the payments received with the
charges each paid (a voided one says so), the balance exactly as accounting answers it, with the open charges
behind it and the next auto-pay day."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from tests.cam.portal_payments.helpers import Community, community


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "History")


async def test_history_shows_each_payment_and_the_charges_it_paid(c: Community) -> None:
    hoa, unit = c.hoa, c.olive.unit
    dues = await hoa.dues("200.00")
    january = await hoa.charge(dues["id"], unit, "2026-01-01")
    february = await hoa.charge(dues["id"], unit, "2026-02-01")
    first = await hoa.pay(unit, "250.00", on="2026-01-10")
    second = await hoa.pay(unit, "100.00", on="2026-02-10")
    await hoa.ok("accounting/payment/v1/void", {"id": second["id"], "reason": "Bounced check"})

    history = await c.ok(c.olive.who, "history", {"unit_id": unit})
    assert history["unit_id"] == unit
    assert history["next_cursor"] is None
    items = {p["id"]: p for p in history["items"]}
    assert [p["id"] for p in history["items"]] == [first["id"], second["id"]]
    paid = items[first["id"]]
    assert (paid["payment_date"], paid["amount"], paid["method"], paid["status"]) == (
        "2026-01-10", "250.00", "CHECK", "POSTED",
    )  # fmt: skip
    assert [(a["charge_id"], a["amount"], a["due_date"], a["charge_amount"]) for a in paid["applied_to"]] == [
        (january["id"], "200.00", "2026-01-01", "200.00"),
        (february["id"], "50.00", "2026-02-01", "200.00"),
    ]
    assert paid["applied_to"][0]["description"] == dues["name"]
    voided = items[second["id"]]
    assert (voided["status"], voided["void_reason"], voided["credit_left"]) == ("VOIDED", "Bounced check", "0.00")

    page = await c.ok(c.olive.who, "history", {"unit_id": unit, "limit": 1})
    assert [p["id"] for p in page["items"]] == [first["id"]]
    assert page["next_cursor"]
    rest = await c.ok(c.olive.who, "history", {"unit_id": unit, "limit": 1, "cursor": page["next_cursor"]})
    assert [p["id"] for p in rest["items"]] == [second["id"]]


async def test_the_balance_is_the_books_balance_with_its_open_charges(c: Community) -> None:
    hoa, unit = c.hoa, c.nick.unit
    dues = await hoa.dues("120.00")
    march = await hoa.charge(dues["id"], unit, "2026-03-01")
    april = await hoa.charge(dues["id"], unit, "2026-04-01")
    await hoa.pay(unit, "50.00", on="2026-03-05")
    fine = await hoa.dues("75.00", kind="FINE", frequency="ONE_TIME")
    await hoa.charge(fine["id"], unit, "2099-01-01")  # billed ahead: not owed yet

    balance = await c.ok(c.nick.who, "balance", {"unit_id": unit})
    books = await hoa.balance(unit)
    for field in ("balance", "charges_open", "unapplied_credit", "as_of"):
        assert balance[field] == books[field], field
    assert Decimal(balance["balance"]) == Decimal("190.00")
    assert [(o["charge_id"], o["open_amount"], o["amount_paid"]) for o in balance["open_charges"]] == [
        (march["id"], "70.00", "50.00"),
        (april["id"], "120.00", "0.00"),
    ]
    assert sum(Decimal(o["open_amount"]) for o in balance["open_charges"]) == Decimal(balance["charges_open"])
    assert balance["next_autopay_on"] is None
    method = await c.card(c.nick)
    enrolment = await c.enrol(c.nick, method["id"], day_of_month=20)
    assert (await c.ok(c.nick.who, "balance", {"unit_id": unit}))["next_autopay_on"] == enrolment["next_charge_on"]


async def test_a_unit_in_credit(c: Community) -> None:
    unit = (await c.hoa.unit())["id"]
    from tests.cam.association.helpers import own

    await own(c.client, c.hoa.admin, c.org, unit, c.olive.party)
    await c.hoa.pay(unit, "80.00", on="2026-01-02")
    balance = await c.ok(c.olive.who, "balance", {"unit_id": unit})
    assert (balance["balance"], balance["unapplied_credit"], balance["open_charges"]) == ("-80.00", "80.00", [])
    history = await c.ok(c.olive.who, "history", {"unit_id": unit})
    assert [(p["credit_left"], p["applied_to"]) for p in history["items"]] == [("80.00", [])]


async def test_another_owners_unit_is_not_found(c: Community) -> None:
    for name in ("history", "balance"):
        error = await c.fails(c.olive.who, name, {"unit_id": c.nick.unit}, 404, "NOT_FOUND")
        assert error["details"] == {"kind": "unit", "id": c.nick.unit}
