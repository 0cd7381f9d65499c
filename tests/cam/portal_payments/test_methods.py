"""Stored payment methods: an owner stores cards and bank accounts of their own party from the provider's checkout
token (never a number), with exactly one default, removes them softly (not while auto-pay uses one), and nobody
else, managers and the board included, sees or touches them."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from tests.cam.portal_payments.helpers import Community, bank, card, community, messages, rows, stored_token
from tests.support.rpc import post


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Methods")


async def methods_of(c: Community, owner: object) -> list[dict]:
    return list((await c.ok(owner.who, "listMethods", {"limit": 200}))["items"])  # type: ignore[attr-defined]


async def test_a_card_is_stored_as_the_providers_token_and_never_shown(c: Community) -> None:
    body = card(c.olive.party, label="Everyday Visa")
    stored = await c.ok(c.olive.who, "addMethod", body)
    assert (stored["kind"], stored["label"], stored["brand"], stored["last4"]) == (
        "CARD",
        "Everyday Visa",
        "VISA",
        "4242",
    )
    assert (stored["party_id"], stored["user_id"]) == (c.olive.party, str(c.olive.who.user_id))
    token = await stored_token(c.org, stored["id"])
    assert token.startswith("pm_rec_")
    assert token != body["token"]
    assert stored["token_hint"] == f"pm_…{token[-4:]}"
    listed = await c.ok(c.olive.who, "listMethods", {})
    for answer in (str(stored), str(listed)):
        assert token not in answer
        assert body["token"] not in answer
    audit = await rows(c.org, "SELECT after::text FROM audit_events WHERE entity_id = :id", id=stored["id"])
    assert audit
    assert all(token not in row[0] for row in audit)


async def test_the_first_method_is_the_default_and_a_bank_account_is_described(c: Community) -> None:
    owner = c.nick
    first = await c.bank(owner)
    assert first["is_default"] is True
    assert (first["bank_name"], first["account_type"], first["label"]) == (
        "First Texas Bank", "CHECKING", "First Texas Bank checking ending 6789",
    )  # fmt: skip
    second = await c.card(owner, brand="AMEX", last4="0005")
    assert second["is_default"] is False
    assert second["label"] == "American Express ending 0005"
    third = await c.card(owner, make_default=True, last4="1111")
    defaults = [m["id"] for m in await methods_of(c, owner) if m["is_default"]]
    assert defaults == [third["id"]]
    await c.ok(owner.who, "setDefaultMethod", {"id": first["id"]})
    assert [m["id"] for m in await methods_of(c, owner) if m["is_default"]] == [first["id"]]
    again = await c.ok(owner.who, "setDefaultMethod", {"id": first["id"]})
    assert again["is_default"] is True
    assert [m["id"] for m in await methods_of(c, owner) if m["is_default"]] == [first["id"]]


async def test_an_expired_card_is_refused_and_this_months_card_is_still_good(c: Community) -> None:
    today = date.today()
    last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    error = await c.fails(
        c.olive.who, "addMethod", card(c.olive.party, exp_month=last_month[1], exp_year=last_month[0]),
        422, "BUSINESS_RULE_VIOLATION", "CARD_EXPIRED",
    )  # fmt: skip
    assert error["details"]["exp_year"] == last_month[0]
    good = await c.card(c.olive, exp_month=today.month, exp_year=today.year)
    assert good["expired"] is False


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"token": "4242424242424242"}, "token"),  # a card number is not a token
        ({"token": "tok_short"}, "token"),
        ({"kind": "ACH", "bank_name": "B", "account_type": "CHECKING"}, ""),  # card fields on a bank account
        ({"last4": "42a2"}, "last4"),
        ({"exp_month": 13}, "exp_month"),
        ({"brand": None}, ""),
    ],
)
async def test_a_malformed_method_is_a_validation_failure(c: Community, change: dict, field: str) -> None:
    body = {k: v for k, v in {**card(c.olive.party), **change}.items() if v is not None}
    error = await c.fails(c.olive.who, "addMethod", body, 400, "VALIDATION_FAILED")
    assert any(field in (e.get("field") or "") for e in error["field_errors"]), error


async def test_a_bank_token_must_be_a_bank_token(c: Community) -> None:
    await c.fails(c.olive.who, "addMethod", bank(c.olive.party, token="tok_abcdefgh12"), 400, "VALIDATION_FAILED")


async def test_the_same_card_twice_is_a_conflict(c: Community) -> None:
    body = card(c.olive.party)
    await c.ok(c.olive.who, "addMethod", body)
    await c.fails(c.olive.who, "addMethod", body, 409, "CONFLICT", "DUPLICATE_METHOD")


async def test_only_the_callers_own_party_stores_methods(c: Community) -> None:
    """Another owner's party, and any party for a manager (who may see every party), answer like a random id."""
    for who, party in ((c.olive.who, c.nick.party), (c.manager, c.olive.party), (c.hoa.admin, c.nick.party)):
        error = await c.fails(who, "addMethod", card(party), 404, "NOT_FOUND")
        assert error["details"] == {"kind": "party", "id": party}


async def test_nobody_else_sees_or_changes_an_owners_method(c: Community) -> None:
    method = await c.card(c.olive)
    for who in (c.nick.who, c.manager, c.hoa.admin, c.director, c.tenant):
        assert method["id"] not in {m["id"] for m in (await c.ok(who, "listMethods", {"limit": 200}))["items"]}
        for name in ("setDefaultMethod", "removeMethod"):
            error = await c.fails(who, name, {"id": method["id"]}, 404, "NOT_FOUND")
            assert error["details"] == {"kind": "payment_method", "id": method["id"]}
        body = {"unit_id": c.nick.unit, "payment_method_id": method["id"], "day_of_month": 1}
        await c.fails(who, "enrolAutopay", body, 404, "NOT_FOUND")


async def test_removing_keeps_the_record_and_moves_the_default(c: Community) -> None:
    owner = c.olive
    before = {m["id"] for m in await methods_of(c, owner)}
    older = await c.card(owner, last4="1881")
    newer = await c.bank(owner, make_default=True)
    assert (await c.ok(owner.who, "removeMethod", {"id": newer["id"]})) == {"removed": True}
    listed = {m["id"]: m for m in await methods_of(c, owner)}
    assert newer["id"] not in listed
    assert older["id"] in listed
    assert [m for m in listed.values() if m["is_default"]] != []
    assert len([m for m in listed.values() if m["is_default"]]) == 1
    assert (await rows(c.org, "SELECT deleted_at IS NOT NULL FROM payment_methods WHERE id = :id", id=newer["id"])) == [
        (True,)
    ]
    await c.fails(owner.who, "removeMethod", {"id": newer["id"]}, 404, "NOT_FOUND")
    await c.fails(owner.who, "setDefaultMethod", {"id": newer["id"]}, 404, "NOT_FOUND")
    assert before <= set(listed)


async def test_a_method_paying_auto_pay_cannot_be_removed(c: Community) -> None:
    owner = c.nick
    method = await c.card(owner, last4="7777")
    enrolment = await c.enrol(owner, method["id"])
    error = await c.fails(
        owner.who, "removeMethod", {"id": method["id"]}, 422, "BUSINESS_RULE_VIOLATION", "METHOD_IN_USE"
    )
    assert error["details"]["enrolment_ids"] == [enrolment["id"]]
    assert error["details"]["unit_ids"] == [owner.unit]
    assert "cancel that auto-pay first" in error["message"]
    await c.ok(owner.who, "cancelAutopay", {"id": enrolment["id"]})
    assert (await c.ok(owner.who, "removeMethod", {"id": method["id"]}))["removed"] is True


async def test_the_owner_is_told_once_of_each_method_stored(c: Community) -> None:
    method = await c.card(c.olive, last4="3131")
    sent = [m for m in await messages(c.org, "payment_method.added") if m[1]["last4"] == "3131"]
    assert [(m[0], m[2]) for m in sent] == [
        (c.olive.who.email, f"payment_method:{method['id']}:added:{c.olive.who.email.lower()}")
    ]


async def test_a_refused_method_leaves_nothing_behind(c: Community) -> None:
    """The duplicate's tokenize call is rolled back with it: no gateway record, no method, no message."""
    body = card(c.olive.party, last4="2020")
    first = await c.ok(c.olive.who, "addMethod", body)
    count = "SELECT count(*) FROM payment_gateway_records WHERE party_id = :p"
    before = await rows(c.org, count, p=c.olive.party)
    response = await post(c.client, c.olive.who, c.org, "portal/payment/v1/addMethod", body)
    assert response.status_code == 409
    assert await rows(c.org, count, p=c.olive.party) == before
    same = await rows(
        c.org, "SELECT count(*) FROM payment_methods WHERE last4 = '2020' AND party_id = :p", p=c.olive.party
    )
    assert same == [(1,)]
    assert first["last4"] == "2020"
