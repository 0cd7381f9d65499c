"""Auto-pay: an owner enrols a unit they own from one of their methods (one active enrolment per unit), the mandate
goes through the payment gateway (recorded), the unit's owners see it, management lists who is on auto-pay without
ever seeing a token and may cancel; the board, tenants and other owners get nothing."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from tests.cam.association.helpers import linked_member, own
from tests.cam.portal_payments.helpers import Community, Owner, community, messages, stored_token


@pytest.fixture(scope="module")
async def c(shared_client: httpx.AsyncClient) -> Community:
    return await community(shared_client, "Autopay")


async def test_an_owner_enrols_their_unit_and_the_gateway_records_the_mandate(c: Community) -> None:
    method = await c.card(c.olive)
    start = (date.today() + timedelta(days=40)).isoformat()
    enrolment = await c.enrol(c.olive, method["id"], day_of_month=15, max_amount="400.00", start_date=start)
    assert (enrolment["status"], enrolment["day_of_month"], enrolment["max_amount"]) == ("ACTIVE", 15, "400.00")
    assert (enrolment["unit_id"], enrolment["party_id"]) == (c.olive.unit, c.olive.party)
    assert enrolment["method"]["label"] == "Visa ending 4242"
    assert "token" not in str(enrolment["method"])
    first = date.fromisoformat(enrolment["next_charge_on"])
    assert first.day == 15
    assert first >= date.fromisoformat(start)
    assert first < date.fromisoformat(start) + timedelta(31)

    calls = [r for r in await c.records() if r["enrolment_id"] == enrolment["id"]]
    assert [r["operation"] for r in calls] == ["ENROL_AUTOPAY"]
    call = calls[0]
    token = await stored_token(c.org, method["id"])
    assert call["provider_reference"].startswith("mandate_rec_")
    assert call["outcome"] == "SUCCEEDED"
    assert call["request"] == {
        "method_token": f"pm_…{token[-4:]}",
        "day_of_month": 15,
        "max_amount": "400.00",
        "start_date": start,
    }
    assert (call["unit_id"], call["association_id"], call["payment_method_id"]) == (
        c.olive.unit, c.association_id, method["id"]
    )  # fmt: skip
    assert call["requested_by"] == str(c.olive.who.user_id)
    assert (await c.ok(c.olive.who, "getAutopay", {"unit_id": c.olive.unit}))["enrolment"]["id"] == enrolment["id"]
    told = [m for m in await messages(c.org, "autopay.enrolled") if enrolment["id"] in m[2]]
    assert [(m[0], m[1]["first_charge_on"], m[1]["max_amount"]) for m in told] == [
        (c.olive.who.email, first.isoformat(), "400.00")
    ]


async def test_one_active_enrolment_per_unit(c: Community) -> None:
    owner = c.nick
    method = await c.bank(owner)
    first = await c.enrol(owner, method["id"])
    body = {"unit_id": owner.unit, "payment_method_id": method["id"], "day_of_month": 9}
    error = await c.fails(owner.who, "enrolAutopay", body, 409, "CONFLICT", "UNIT_ENROLLED")
    assert error["details"]["enrolment_id"] == first["id"]
    cancelled = await c.ok(owner.who, "cancelAutopay", {"id": first["id"], "reason": "Switching banks"})
    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["next_charge_on"]) == (
        "CANCELLED", "Switching banks", None,
    )  # fmt: skip
    assert cancelled["cancelled_by"] == str(owner.who.user_id)
    second = await c.ok(owner.who, "enrolAutopay", body)
    assert second["id"] != first["id"]
    calls = [r["operation"] for r in await c.records(unit_id=owner.unit)]
    assert calls[-3:] == ["ENROL_AUTOPAY", "CANCEL_AUTOPAY", "ENROL_AUTOPAY"]
    error = await c.fails(owner.who, "cancelAutopay", {"id": first["id"]}, 409, "INVALID_STATE_TRANSITION")
    assert error["details"]["from"] == "CANCELLED"
    await c.ok(owner.who, "cancelAutopay", {"id": second["id"]})


@pytest.mark.parametrize(
    ("change", "status", "reason"),
    [
        ({"start_date": (date.today() - timedelta(days=1)).isoformat()}, 422, "START_IN_PAST"),
        ({"day_of_month": 29}, 400, None),
        ({"day_of_month": 0}, 400, None),
        ({"max_amount": "0.00"}, 400, None),
        ({"max_amount": "10.001"}, 400, None),
    ],
)
async def test_enrolment_rules(c: Community, change: dict, status: int, reason: str | None) -> None:
    method = await c.card(c.olive)
    body = {"unit_id": c.olive.unit, "payment_method_id": method["id"], "day_of_month": 5, **change}
    await c.fails(c.olive.who, "enrolAutopay", body, status, reason=reason)


async def test_a_card_expiring_before_the_first_auto_pay_day_is_refused(c: Community) -> None:
    today = date.today()
    method = await c.card(c.nick, exp_month=today.month, exp_year=today.year)
    later = (today.replace(day=1) + timedelta(days=40)).isoformat()
    body = {"unit_id": c.nick.unit, "payment_method_id": method["id"], "day_of_month": 1, "start_date": later}
    error = await c.fails(c.nick.who, "enrolAutopay", body, 422, "BUSINESS_RULE_VIOLATION", "CARD_EXPIRED")
    assert date.fromisoformat(error["details"]["first_charge_on"]) > today


async def test_only_an_owner_of_the_unit_enrols_it(c: Community) -> None:
    """A tenant of the unit, a manager, the board and another owner: the unit answers like a random id."""
    for who in (c.tenant, c.manager, c.director, c.nick.who):
        error = await c.fails(
            who, "enrolAutopay",
            {"unit_id": c.olive.unit, "payment_method_id": (await c.card(c.nick))["id"], "day_of_month": 3},
            404, "NOT_FOUND",
        )  # fmt: skip
        assert error["details"] == {"kind": "unit", "id": c.olive.unit}
        for name in ("getAutopay", "history", "balance"):
            await c.fails(who, name, {"unit_id": c.olive.unit}, 404, "NOT_FOUND")


async def test_the_unit_owners_see_it_management_lists_it_the_board_and_tenants_do_not(
    shared_client: httpx.AsyncClient,
) -> None:
    c = await community(shared_client, "Who sees")
    spouse, party = await linked_member(c.client, c.hoa.admin, c.org, ["OWNER"], "Sam", "Spouse")
    home = (await c.hoa.unit())["id"]
    for owner_party in (c.olive.party, party["id"]):
        await own(c.client, c.hoa.admin, c.org, home, owner_party, start="2021-01-01", percentage="50")
    olive, co_owner = Owner(c.olive.who, c.olive.party, home), Owner(spouse, party["id"], home)
    method = await c.card(olive)
    enrolment = await c.enrol(olive, method["id"])

    seen = await c.ok(co_owner.who, "getAutopay", {"unit_id": home})
    assert seen["enrolment"]["id"] == enrolment["id"]
    await c.fails(co_owner.who, "cancelAutopay", {"id": enrolment["id"]}, 403, "FORBIDDEN")
    for who in (c.manager, c.hoa.admin):
        listed = await c.ok(who, "listAutopay", {"association_id": c.association_id, "status": "ACTIVE"})
        assert [e["id"] for e in listed["items"]] == [enrolment["id"]]
        assert listed["items"][0]["method"]["last4"] == "4242"
        token = await stored_token(c.org, method["id"])
        assert token not in str(listed)
        assert token[-12:] not in str(listed)
    for who in (c.director, c.tenant, c.nick.who):
        assert (await c.ok(who, "listAutopay", {"limit": 200}))["items"] == []
        error = await c.fails(who, "cancelAutopay", {"id": enrolment["id"]}, 404, "NOT_FOUND")
        assert error["details"] == {"kind": "autopay_enrolment", "id": enrolment["id"]}
    assert [e["id"] for e in (await c.ok(c.olive.who, "listAutopay", {}))["items"]] == [enrolment["id"]]


async def test_management_cancels_a_sold_units_auto_pay_and_the_owner_is_told(c: Community) -> None:
    owner = c.olive
    current = (await c.ok(owner.who, "getAutopay", {"unit_id": owner.unit}))["enrolment"]
    if current is None:
        current = await c.enrol(owner, (await c.card(owner))["id"])
    cancelled = await c.ok(c.manager, "cancelAutopay", {"id": current["id"], "reason": "Unit sold"})
    assert (cancelled["status"], cancelled["cancelled_by"]) == ("CANCELLED", str(c.manager.user_id))
    told = [m for m in await messages(c.org, "autopay.cancelled") if current["id"] in m[2]]
    assert [(m[1]["reason"], m[1]["by_owner"]) for m in told] == [("Unit sold", False)]
    assert (await c.ok(owner.who, "getAutopay", {"unit_id": owner.unit}))["enrolment"] is None
    assert (await c.ok(owner.who, "balance", {"unit_id": owner.unit}))["next_autopay_on"] is None
