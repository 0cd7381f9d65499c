"""`maintenance_contract_v1` on a short clock (an agreement "day" of a fraction of a second, recorded when it is
activated): at term end an auto-renewing agreement is renewed once (one new term at the changed price, the next
term's visits generated once, RENEWAL_DUE then RENEWED notices) and one without auto-renewal LAPSES (its run ends);
each visit's SLA outcome is recorded (ON_TIME when done by its window's end, MISSED when not) and the report counts
them."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.contractor.maintenance.helpers import (
    Plan,
    draft,
    local_today,
    months_before,
    plan,
    quarterly_after,
    short_days,
    until,
)

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def home(shared_client: httpx.AsyncClient) -> Plan:
    return await plan(shared_client, "Short Days")


def _ending_soon(days: int = 2) -> str:
    """A one-year term that ends `days` from today."""
    return months_before(local_today() + timedelta(days=days + 1), 12).isoformat()


async def test_auto_renewal_at_term_end_extends_once(home: Plan) -> None:
    with short_days(0.4):
        schedule = quarterly_after(local_today() + timedelta(days=3))
        made = await draft(home, term_start=_ending_soon(), renewal_price_change_percent="10", schedule_rrule=schedule)
        await home.ok("maintenance/v1/activate", {"id": made["id"]})

        async def renewed() -> dict[str, Any] | None:
            found = await home.get(made["id"])
            return found if found["term_number"] == 2 else None

        agreement = await until(renewed, "the second term", 30)
    assert [(t["term_number"], t["price"]) for t in agreement["terms"]] == [(1, "240.00"), (2, "264.00")]
    assert agreement["price"] == "264.00"
    (renewal,) = agreement["renewals"]
    assert (renewal["kind"], renewal["renewed_by"]) == ("AUTO", None)
    await asyncio.sleep(1.5)  # more turns: nothing twice
    again = await home.get(made["id"])
    assert (len(again["terms"]), len(again["renewals"])) == (2, 1)
    visits = await home.visits(made["id"])
    assert Counter(v["term_number"] for v in visits)[2] == 4
    assert len({v["occurs_on"] for v in visits}) == len(visits)
    sent = Counter(await home.sent(made["id"]))
    assert (sent["maintenance.renewal_due"], sent["maintenance.renewed"]) == (1, 1)
    actions = Counter(h["action"] for h in (await home.ok("maintenance/v1/history", {"id": made["id"]}))["items"])
    assert (actions["renew"], actions["start_term"]) == (1, 1)
    billed = (await home.ok("invoice/v1/list", {"agreement_id": made["id"]}))["items"]
    assert sorted(Decimal(i["total"]) for i in billed) == [Decimal("240.00"), Decimal("264.00")]
    await home.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Test over"})


async def test_without_auto_renewal_the_agreement_lapses(home: Plan) -> None:
    with short_days(0.4):
        made = await draft(home, term_start=_ending_soon(), auto_renew=False)
        await home.ok("maintenance/v1/activate", {"id": made["id"]})

        async def lapsed() -> dict[str, Any] | None:
            found = await home.get(made["id"])
            return found if found["status"] == "LAPSED" else None

        agreement = await until(lapsed, "the lapse", 30)
    assert (len(agreement["terms"]), agreement["renewals"]) == (1, [])
    assert agreement["lapsed_at"]
    assert await home.visits(made["id"]) == []
    sent = await home.sent(made["id"])
    assert (sent.count("maintenance.lapsed"), sent.count("maintenance.renewal_due")) == (1, 1)
    await home.fails("maintenance/v1/renew", {"id": made["id"]}, 409, "INVALID_STATE_TRANSITION")


async def _complete(home: Plan, job_id: str) -> None:
    for to in ("SCHEDULED", "DISPATCHED", "IN_PROGRESS", "COMPLETED"):
        await home.ok("job/v1/transition", {"id": job_id, "to": to})


async def test_the_sla_report_counts_visits_on_time_and_missed(home: Plan) -> None:
    with short_days(1.0):  # the first visit in 3 days: time enough to complete its job first
        made = await draft(home, term_start=(local_today() + timedelta(days=3)).isoformat(),
                           schedule_rrule="FREQ=WEEKLY;COUNT=2")  # fmt: skip
        await home.ok("maintenance/v1/activate", {"id": made["id"]})
        first, second = await home.visits(made["id"])
        await _complete(home, first["job_id"])  # before its window: on time

        async def evaluated() -> dict[str, Any] | None:
            report = await home.ok("maintenance/v1/slaReport", {"id": made["id"]})
            return report if report["visits_evaluated"] == 2 else None

        report = await until(evaluated, "both visits evaluated", 30)
    assert (report["visits_scheduled"], report["on_time"], report["late"], report["missed"]) == (2, 1, 0, 1)
    assert report["on_time_percent"] == "50.00"
    assert [v["outcome"] for v in report["visits"]] == ["ON_TIME", "MISSED"]
    assert [v["sla_outcome"] for v in await home.visits(made["id"])] == ["ON_TIME", "MISSED"]
    assert second["job_status"] == "JOB_CREATED"
    await home.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Test over"})
