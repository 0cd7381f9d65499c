"""The payment gateway port and its recording adapter: every call (tokenize, enrol, cancel, charge) is a record of
what was asked and answered, tokens only as hints; management reads every call, an owner the calls for their own
methods, the board and tenants none; the records cannot be rewritten; a charge is asked once per idempotency key."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hestami.cam.portal.payments.services import gateway
from hestami.core import runtime
from hestami.core.acting import acting
from tests.cam.portal_payments.helpers import Community, card, checkout_token, community, rows, stored_token


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Gateway")


async def test_storing_a_method_records_the_tokenize_call(c: Community) -> None:
    body = card(c.olive.party, last4="4444", brand="MASTERCARD", exp_month=3)
    method = await c.ok(c.olive.who, "addMethod", body)
    calls = [r for r in await c.records(operation="TOKENIZE") if r["payment_method_id"] == method["id"]]
    assert len(calls) == 1
    call = calls[0]
    assert (call["provider"], call["outcome"], call["association_id"], call["unit_id"]) == (
        "RECORDING", "SUCCEEDED", None, None,
    )  # fmt: skip
    assert (call["party_id"], call["user_id"], call["requested_by"]) == (
        c.olive.party, str(c.olive.who.user_id), str(c.olive.who.user_id),
    )  # fmt: skip
    assert call["request"] == {
        "kind": "CARD", "checkout_token": f"tok_…{body['token'][-4:]}", "last4": "4444", "brand": "MASTERCARD",
        "exp_month": 3, "exp_year": body["exp_year"],
    }  # fmt: skip
    assert call["provider_reference"] == method["token_hint"]
    assert method["token_hint"].endswith((await stored_token(c.org, method["id"]))[-4:])


async def test_management_reads_every_call_owners_their_own_the_board_and_tenants_none(c: Community) -> None:
    olive = await c.card(c.olive)
    nick = await c.card(c.nick)
    enrolment = await c.enrol(c.nick, nick["id"])
    everything = await c.records()
    by_method = {r["payment_method_id"] for r in everything}
    assert {olive["id"], nick["id"]} <= by_method
    tokens = [await stored_token(c.org, m["id"]) for m in (olive, nick)]
    for who in (c.manager, c.hoa.admin):
        answer = str(await c.records(who))
        assert all(token not in answer for token in tokens)
    assert {r["user_id"] for r in await c.records(c.olive.who)} == {str(c.olive.who.user_id)}
    mine = await c.records(c.nick.who)
    assert {r["user_id"] for r in mine} == {str(c.nick.who.user_id)}
    assert {(r["operation"], r["enrolment_id"]) for r in mine} >= {("ENROL_AUTOPAY", enrolment["id"])}
    for who in (c.director, c.tenant):
        assert await c.records(who) == []
    in_association = await c.records(association_id=c.association_id)
    assert {r["enrolment_id"] for r in in_association} == {enrolment["id"]}
    assert [r["operation"] for r in await c.records(unit_id=c.nick.unit)] == ["ENROL_AUTOPAY"]
    error = await c.fails(c.manager, "gatewayRecords", {"association_id": str(uuid.uuid4())}, 404, "NOT_FOUND")
    assert error["details"]["kind"] == "association"


async def test_the_records_cannot_be_rewritten(c: Community) -> None:
    await c.card(c.olive)
    database = runtime.current().database
    for statement in (
        "UPDATE payment_gateway_records SET outcome = 'DECLINED'",
        "DELETE FROM payment_gateway_records",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            async with database.transaction(organization_id=uuid.UUID(c.org), user_id=None) as session:
                await session.execute(text(statement))
    assert await rows(c.org, "SELECT count(*) FROM payment_gateway_records WHERE outcome = 'DECLINED'") == [(0,)]


async def charge(c: Community, method_id: str, key: str, amount: str = "125.00") -> gateway.ChargeResult:
    """A charge through the port as the auto-pay schedule would ask it (no person acting)."""
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(c.org)) as ctx:
        token = await stored_token(c.org, method_id)
        payer = gateway.Payer(uuid.UUID(c.olive.party), c.olive.who.user_id, uuid.UUID(c.association_id),
                              uuid.UUID(c.olive.unit))  # fmt: skip
        request = gateway.ChargeRequest(payer, None, uuid.UUID(method_id), token, Decimal(amount), key)
        return await gateway.current().charge(ctx, request)


async def test_a_charge_is_asked_once_per_idempotency_key_and_a_test_card_declines(c: Community) -> None:
    method = await c.card(c.olive)
    key = f"test:{uuid.uuid4()}"
    first, again = await charge(c, method["id"], key), await charge(c, method["id"], key, amount="999.00")
    assert first == again
    assert first.succeeded
    assert first.reference.startswith("ch_rec_")
    calls = [r for r in await c.records(operation="CHARGE") if r["idempotency_key"] == key]
    assert [(r["amount"], r["outcome"], r["requested_by"], r["provider_reference"]) for r in calls] == [
        ("125.00", "SUCCEEDED", None, first.reference)
    ]
    declining = await c.ok(c.olive.who, "addMethod", card(c.olive.party, token=checkout_token(mark="decline")))
    declined = await charge(c, declining["id"], f"test:{uuid.uuid4()}")
    assert not declined.succeeded
    assert [
        r["outcome"] for r in await c.records(operation="CHARGE") if r["provider_reference"] == declined.reference
    ] == ["DECLINED"]
