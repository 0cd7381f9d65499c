"""The daily schedule, driven by calling it with a date: the runs of the types that fall due that day by their
frequency and the association's due day (from the fiscal year's first month), each started once; late fees past the
grace period once per charge; collection steps REMINDER → LATE_NOTICE → INTENT_TO_LIEN, each once per charge cycle,
one a day, with a dated notice to the unit's owners through the outbox."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
import pytest

from hestami.cam.accounting.posting import workflows
from tests.cam.posting.helpers import Place, place
from tests.support.accounts import member_account
from tests.support.serve import scoped_rows

COLLECTIONS = "accounting/posting/v1/collections"


@pytest.fixture(scope="module")
async def hoa(shared_client: httpx.AsyncClient) -> Place:
    return await place(shared_client, count=3, fiscal_year_start_month=1)


async def runs_of(hoa: Place, type_id: str) -> list[dict[str, Any]]:
    page = await hoa.ok("accounting/posting/v1/list", {"assessment_type_id": type_id})
    return list(page["items"])


async def test_the_schedule_starts_the_types_due_that_day(hoa: Place) -> None:
    await hoa.ok("accounting/posting/v1/setSettings", {"association_id": hoa.hoa.association_id, "due_day": 5})
    monthly = await hoa.hoa.dues("100.00")
    quarterly = await hoa.hoa.dues("300.00", frequency="QUARTERLY")
    only = {hoa.org}
    assert await workflows.run_day_for(date(2026, 2, 4), only) == 0
    assert await workflows.run_day_for(date(2026, 2, 5), only) == 1
    assert [r["due_date"] for r in await runs_of(hoa, monthly["id"])] == ["2026-02-05"]
    assert await runs_of(hoa, quarterly["id"]) == []
    assert await workflows.run_day_for(date(2026, 4, 5), only) == 2
    quarter = await runs_of(hoa, quarterly["id"])
    assert [(r["due_date"], r["trigger"]) for r in quarter] == [("2026-04-05", "SCHEDULE")]
    done = await hoa.run_done(quarter[0]["id"])
    assert (done["charged"], done["amount_charged"]) == (3, "900.00")
    await workflows.run_day_for(date(2026, 4, 5), only)  # the same day again: nothing new
    assert len(await runs_of(hoa, quarterly["id"])) == 1
    assert len(await hoa.charges(quarterly["id"])) == 3


async def test_settings_default_and_refuse_steps_out_of_order(shared_client: httpx.AsyncClient) -> None:
    fresh = await place(shared_client, count=1)
    got = await fresh.ok("accounting/posting/v1/settings", {"association_id": fresh.hoa.association_id})
    days = (got["due_day"], got["reminder_days"], got["late_notice_days"], got["intent_to_lien_days"])
    assert days == (1, 15, 30, 90)
    await fresh.fails("accounting/posting/v1/setSettings",
                      {"association_id": fresh.hoa.association_id, "reminder_days": 40, "late_notice_days": 30},
                      422, reason="STEP_DAYS_OUT_OF_ORDER")  # fmt: skip
    await fresh.fails("accounting/posting/v1/setSettings", {"association_id": fresh.hoa.association_id},
                      403, "FORBIDDEN", who=fresh.owner)  # fmt: skip


async def test_late_fee_once_and_collection_steps_once_each(
    shared_client: httpx.AsyncClient, stack_env: dict[str, str]
) -> None:
    late = await place(shared_client, count=2)
    dues = await late.hoa.dues("200.00", late_fee_type="FIXED", late_fee_amount="25.00", late_fee_grace_days=10)
    mine, paid = late.units[0]["id"], late.units[1]["id"]
    charge = await late.hoa.charge(dues["id"], mine, "2026-01-01")
    await late.hoa.charge(dues["id"], paid, "2026-01-01")
    await late.hoa.pay(paid, "200.00", on="2026-01-02")
    body = {"association_id": late.hoa.association_id}

    async def escalate(day: str) -> dict[str, Any]:
        out: dict[str, Any] = await late.ok("accounting/posting/v1/escalate", {**body, "as_of": day})
        return out

    assert (await escalate("2026-01-11"))["late_fees"] == 0  # within the grace period
    first = await escalate("2026-01-16")
    assert (first["late_fees"], first["collection_steps"]) == (1, 1)
    again = await escalate("2026-01-16")
    assert (again["late_fees"], again["collection_steps"]) == (0, 0)
    fees = [c for c in (await late.ok("accounting/assessment/v1/listCharges", {"unit_id": mine}))["items"]
            if c["late_fee_for_charge_id"] == charge["id"]]  # fmt: skip
    assert [f["amount"] for f in fees] == ["25.00"]
    assert (await escalate("2026-01-20"))["collection_steps"] == 0  # the late notice waits for day 30
    assert (await escalate("2026-01-31"))["collection_steps"] == 1
    assert (await escalate("2026-04-01"))["collection_steps"] == 1
    assert (await escalate("2026-04-02"))["collection_steps"] == 0  # every step taken for this cycle

    steps = (await late.ok(COLLECTIONS, {"unit_id": mine}))["items"]
    assert sorted((s["step"], s["noticed_on"], s["days_past_due"]) for s in steps) == [
        ("INTENT_TO_LIEN", "2026-04-01", 90), ("LATE_NOTICE", "2026-01-31", 30), ("REMINDER", "2026-01-16", 15),
    ]  # fmt: skip
    assert {s["charge_id"] for s in steps} == {charge["id"]}
    assert {s["recipients"] for s in steps} == {1}
    assert (await late.ok(COLLECTIONS, {"unit_id": paid}))["items"] == []

    notices = scoped_rows(
        stack_env, late.org,
        "SELECT recipient, payload->>'step' AS step, dedupe_key FROM outbound_messages WHERE entity_id = ANY(:ids)",
        ids=[uuid.UUID(s["id"]) for s in steps],
    )  # fmt: skip
    assert len({n.dedupe_key for n in notices}) == len(notices)
    assert sorted(n.step for n in notices) == ["INTENT_TO_LIEN", "LATE_NOTICE", "REMINDER"]
    assert {n.recipient for n in notices} == {f"user:{late.owner.user_id}"}

    # The owner sees the steps taken against their unit; a neighbour who owns nothing sees none.
    assert len((await late.ok(COLLECTIONS, {"unit_id": mine}, late.owner))["items"]) == 3
    tenant = await member_account(shared_client, late.hoa.admin, late.org, ["TENANT"])
    assert (await late.ok(COLLECTIONS, body, tenant))["items"] == []
    await late.fails("accounting/posting/v1/escalate", {**body, "as_of": "2026-05-01"}, 403, "FORBIDDEN",
                     who=late.owner)  # fmt: skip
