"""The hearing's outcome and fines: a fine is a charge on the unit's account (its balance, the trial balance's
Fines income 4400), capped, announced by the fine notice; a waived fine's charge is voided; a fined violation
closes only once its fines are paid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from tests.cam.accounting.helpers import trial_line
from tests.cam.violations.helpers import Community, community, wait_for_status
from tests.support.rpc import fails, ok


async def at_hearing(c: httpx.AsyncClient, **type_fields: Any) -> tuple[Community, dict]:
    w = await community(c, **type_fields)
    body = w.sighting("Boat parked on the lawn")
    created = await ok(c, w.manager, w.org, "violation/v1/create", body)
    return w, await wait_for_status(c, w.manager, w.org, created["id"], "HEARING_SCHEDULED")


async def balance(c: httpx.AsyncClient, w: Community) -> Decimal:
    found = await ok(c, w.manager, w.org, "accounting/assessment/v1/getUnitBalance", {"unit_id": w.unit["id"]})
    return Decimal(found["balance"])


async def fines_income(c: httpx.AsyncClient, w: Community) -> Decimal:
    trial = await ok(c, w.manager, w.org, "accounting/report/v1/trialBalance", {"association_id": w.association["id"]})
    assert trial["balanced"]
    return -trial_line(trial, "4400")


async def test_fined_posts_the_fine_and_close_waits_for_payment(
    shared_client: httpx.AsyncClient, fast_days: float
) -> None:
    c = shared_client
    w, v = await at_hearing(c)
    fined = await ok(c, w.manager, w.org, "violation/v1/recordOutcome", {"id": v["id"], "outcome": "FINED"})
    assert fined["status"] == "FINED"
    assert await balance(c, w) == Decimal("50.00")  # the type's first fine
    assert await fines_income(c, w) == Decimal("50.00")
    notices = await ok(c, w.manager, w.org, "violation/v1/listNotices", {"id": v["id"]})
    assert notices["items"][-1]["step"] == "FINE"
    assert Decimal(notices["items"][-1]["amount"]) == Decimal("50.00")
    hearings = await ok(c, w.manager, w.org, "violation/v1/listHearings", {"id": v["id"]})
    decided = hearings["items"][-1]
    assert decided["status"] == "DECIDED"
    assert decided["outcome"] == "FINED"
    assert decided["appeal_deadline"]
    await fails(
        c, w.manager, w.org, "violation/v1/recordOutcome", {"id": v["id"], "outcome": "FINED"}, 422,
        "BUSINESS_RULE_VIOLATION", "NO_HEARING",
    )  # fmt: skip

    error = await fails(
        c, w.manager, w.org, "violation/v1/close", {"id": v["id"], "resolution": "Paid"}, 422,
        "BUSINESS_RULE_VIOLATION", "FINES_UNPAID",
    )  # fmt: skip
    assert error["details"]["open_amount"] == "50.00"
    payment = {
        "association_id": w.association["id"], "unit_id": w.unit["id"], "amount": "50.00",
        "payment_date": date.today().isoformat(), "method": "CHECK", "reference": "1001",
    }  # fmt: skip
    await ok(c, w.manager, w.org, "accounting/payment/v1/create", payment)
    assert await balance(c, w) == 0
    closed = await ok(c, w.manager, w.org, "violation/v1/close", {"id": v["id"], "resolution": "Fine paid"})
    assert closed["status"] == "CLOSED"


async def test_caps_apply_and_a_waived_fine_is_voided(shared_client: httpx.AsyncClient, fast_days: float) -> None:
    c = shared_client
    w, v = await at_hearing(c, fine_cap="120.00")
    body = {"id": v["id"], "outcome": "FINED", "fine_amount": "100.00"}
    await ok(c, w.manager, w.org, "violation/v1/recordOutcome", body)
    more = await ok(c, w.manager, w.org, "violation/v1/assessFine", {"id": v["id"], "reason": "Still there"})
    assert Decimal(more["amount"]) == Decimal("10.00")  # the daily fine
    capped = await ok(c, w.manager, w.org, "violation/v1/assessFine", {"id": v["id"], "amount": "50", "reason": "x"})
    assert Decimal(capped["amount"]) == Decimal("10.00")  # 120 cap - 110 already
    await fails(
        c, w.manager, w.org, "violation/v1/assessFine", {"id": v["id"], "reason": "more"}, 422,
        "BUSINESS_RULE_VIOLATION", "FINE_CAP_REACHED",
    )  # fmt: skip
    assert await balance(c, w) == Decimal("120.00")

    waived = await ok(
        c, w.manager, w.org, "violation/v1/waiveFine", {"id": v["id"], "fine_id": capped["id"], "reason": "Board"}
    )
    assert waived["status"] == "WAIVED"
    assert waived["waived_by"]
    assert waived["waived_at"]
    assert await balance(c, w) == Decimal("110.00")
    assert await fines_income(c, w) == Decimal("110.00")
    charges = await ok(c, w.manager, w.org, "accounting/assessment/v1/listCharges", {"unit_id": w.unit["id"]})
    voided = [ch for ch in charges["items"] if ch["id"] == capped["charge_id"]]
    assert voided[0]["voided_on"] is not None
    await fails(
        c, w.manager, w.org, "violation/v1/waiveFine", {"id": v["id"], "fine_id": capped["id"], "reason": "again"},
        422, "BUSINESS_RULE_VIOLATION", "FINE_NOT_WAIVABLE",
    )  # fmt: skip
    listed = await ok(c, w.manager, w.org, "violation/v1/listFines", {"id": v["id"]})
    assert [f["status"] for f in listed["items"]] == ["ASSESSED", "ASSESSED", "WAIVED"]


async def test_dismissed_at_the_hearing(shared_client: httpx.AsyncClient, fast_days: float) -> None:
    c = shared_client
    w, v = await at_hearing(c)
    done = await ok(c, w.manager, w.org, "violation/v1/recordOutcome", {"id": v["id"], "outcome": "WAIVED"})
    assert done["status"] == "DISMISSED"
    assert await balance(c, w) == 0
