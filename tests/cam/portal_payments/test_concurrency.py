"""The portal payments' "not twice" rules under concurrent requests, each race forced (`tests.support.race`): the
requests are held at a lock they need after their reads, so on code that checks by reading without a lock of its
own every one of them writes. Two enrolments of one unit at once: one enrolment and a CONFLICT. A party's first two
methods stored at once: exactly one default. And the database refuses a second active enrolment or a second default
whatever path writes them."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.cam.association.helpers import linked_member, own
from tests.cam.portal_payments.helpers import Community, Owner, P, card, community, rows
from tests.support.race import Held, race
from tests.support.rpc import post


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Race")


async def test_two_enrolments_of_one_unit_at_once_make_one(c: Community) -> None:
    """Both requests read the unit's enrolments before writing; the later one waits at the unit's lock and then
    finds the first one's enrolment."""
    methods = [await c.card(c.olive), await c.bank(c.olive)]
    bodies = [{"unit_id": c.olive.unit, "payment_method_id": m["id"], "day_of_month": 7} for m in methods]
    held = Held(c.org, "SELECT id FROM associations WHERE id = :id FOR UPDATE", {"id": c.association_id})
    responses = await race(held, *(post(c.client, c.olive.who, c.org, P + "enrolAutopay", b) for b in bodies))
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    made = next(r for r in responses if r.status_code == 200).json()["data"]
    refused = next(r for r in responses if r.status_code == 409).json()["error"]
    assert (refused["code"], refused["details"]["reason"]) == ("CONFLICT", "UNIT_ENROLLED")
    assert refused["details"]["enrolment_id"] == made["id"]
    active = await rows(
        c.org, "SELECT id FROM autopay_enrolments WHERE unit_id = :u AND status = 'ACTIVE'", u=c.olive.unit
    )
    assert [str(row[0]) for row in active] == [made["id"]]
    enrolled = [r for r in await c.records(operation="ENROL_AUTOPAY") if r["unit_id"] == c.olive.unit]
    assert [r["enrolment_id"] for r in enrolled] == [made["id"]]


async def test_a_partys_first_two_methods_at_once_make_one_default(c: Community) -> None:
    """Both find no method before either writes; the later one waits at the party's lock and is not the default."""
    who, party = await linked_member(c.client, c.hoa.admin, c.org, ["OWNER"], "Rae", f"Race {uuid.uuid4().hex[:6]}")
    bodies = [card(party["id"], last4="1001"), card(party["id"], last4="1002")]
    held = Held(c.org, "SELECT id FROM parties WHERE id = :id FOR UPDATE", {"id": party["id"]})
    responses = await race(held, *(post(c.client, who, c.org, P + "addMethod", b) for b in bodies))
    assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
    listed = (await c.ok(who, "listMethods", {}))["items"]
    assert sorted(m["last4"] for m in listed) == ["1001", "1002"]
    assert len([m for m in listed if m["is_default"]]) == 1


@pytest.mark.parametrize(
    ("statement", "index"),
    [
        (
            "UPDATE autopay_enrolments SET status = 'ACTIVE', cancelled_at = NULL WHERE unit_id = :unit",
            "uq_autopay_enrolments_active_unit",
        ),
        ("UPDATE payment_methods SET is_default = true WHERE party_id = :party", "uq_payment_methods_one_default"),
    ],
)
async def test_the_database_holds_the_rules_whatever_writes(c: Community, statement: str, index: str) -> None:
    unit = (await c.hoa.unit())["id"]
    await own(c.client, c.hoa.admin, c.org, unit, c.nick.party)
    owner = Owner(c.nick.who, c.nick.party, unit)
    first, second = await c.card(owner), await c.card(owner)
    enrolment = await c.enrol(owner, first["id"])
    await c.ok(owner.who, "cancelAutopay", {"id": enrolment["id"]})
    await c.enrol(owner, second["id"])
    database = runtime.current().database
    with pytest.raises(IntegrityError, match=index):
        async with database.transaction(organization_id=uuid.UUID(c.org), user_id=None) as session:
            await session.execute(text(statement), {"unit": owner.unit, "party": owner.party})
