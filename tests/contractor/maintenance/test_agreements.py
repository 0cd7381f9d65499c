"""Agreements through the wire: drafting (numbers, validation, the RRULE), activation (the compliance gate; a
quarterly schedule becomes four jobs in the next year, each with one scheduled, unassigned visit, once), changes
(DRAFT only for the schedule and price), manual renewal (once per term), cancellation (future visits' jobs
cancelled), history."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import httpx
import pytest

from tests.contractor.maintenance.helpers import Plan, count_rows, draft, local_today, plan, until

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def home(shared_client: httpx.AsyncClient) -> Plan:
    return await plan(shared_client, "Comfort Air")


async def test_numbers_are_gapless_per_organization(home: Plan) -> None:
    first, second = await draft(home), await draft(home)
    assert int(second["number"][4:]) == int(first["number"][4:]) + 1
    assert first["number"].startswith("AGR-")
    assert first["status"] == "DRAFT"
    assert first["term_end"] == (local_today().replace(year=local_today().year + 1) - timedelta(days=1)).isoformat()
    assert [s["code"] for s in first["services"]] == ["TUNE-1"]
    assert first["services"][0]["description"] == "HVAC tune-up"


@pytest.mark.parametrize(
    "schedule", ["FREQ=DAILY", "FREQ=MONTHLY;INTERVAL=0", "FREQ=WEEKLY;BYDAY=XX", "not a rule",
                 "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=31", "DTSTART:20260101\nRRULE:FREQ=MONTHLY"],
)  # fmt: skip
async def test_an_invalid_rrule_is_a_validation_error_on_the_field(home: Plan, schedule: str) -> None:
    before = await count_rows(home.org, "maintenance_agreements")
    client = await home.customer()
    body = {"name": "Bad", "trade": "HVAC", "customer_id": client["id"], "term_start": local_today().isoformat(),
            "price": "100.00", "schedule_rrule": schedule}  # fmt: skip
    error = await home.fails("maintenance/v1/create", body, 400, "VALIDATION_FAILED")
    assert any("schedule_rrule" in f["field"] for f in error["field_errors"]), error
    assert await count_rows(home.org, "maintenance_agreements") == before


async def test_exactly_one_of_customer_and_association(home: Plan) -> None:
    client = await home.customer()
    body = {"name": "Both", "trade": "HVAC", "customer_id": client["id"], "association_id": client["id"],
            "term_start": local_today().isoformat(), "price": "100.00", "schedule_rrule": "FREQ=YEARLY"}  # fmt: skip
    await home.fails("maintenance/v1/create", body, 400, "VALIDATION_FAILED")
    body.pop("customer_id")
    body.pop("association_id")
    await home.fails("maintenance/v1/create", body, 400, "VALIDATION_FAILED")


async def test_an_unknown_service_code_is_refused(home: Plan) -> None:
    client = await home.customer()
    body = {"name": "Unknown", "trade": "HVAC", "customer_id": client["id"], "term_start": local_today().isoformat(),
            "price": "100.00", "schedule_rrule": "FREQ=YEARLY", "services": [{"code": "NOPE-9"}]}  # fmt: skip
    await home.fails("maintenance/v1/create", body, 422, "BUSINESS_RULE_VIOLATION", "UNKNOWN_ITEM")


async def test_a_quarterly_agreement_generates_four_visits_as_jobs_once(home: Plan) -> None:
    made = await draft(home)
    active = await home.ok("maintenance/v1/activate", {"id": made["id"]})
    assert active["status"] == "ACTIVE"
    assert [t["term_number"] for t in active["terms"]] == [1]
    visits = await home.visits(made["id"])
    assert len(visits) == 4
    today = local_today()
    assert visits[0]["occurs_on"] == today.isoformat()
    assert all(today <= _day(v["occurs_on"]) <= _day(made["term_end"]) for v in visits)
    assert {(v["job_status"], v["visit_status"]) for v in visits} == {("JOB_CREATED", "SCHEDULED")}
    job = await home.ok("job/v1/get", {"id": visits[1]["job_id"]})
    assert (job["source"], job["trade"], job["customer_id"]) == ("AGREEMENT", "HVAC", made["customer_id"])
    assert made["number"] in job["title"]
    # The run's turns (and its bill) come after: still four, and one invoice for the year.
    invoices = await until(lambda: _invoices(home, made["id"]), "the agreement's invoice")
    assert [(i["kind"], i["total"]) for i in invoices] == [("AGREEMENT", "240.00")]
    again = await home.ok("maintenance/v1/update", {"id": made["id"], "name": "Renamed"})  # wakes the run
    assert again["name"] == "Renamed"
    await _turned(home, made["id"])
    assert len(await home.visits(made["id"])) == 4
    assert len(await _invoices(home, made["id"])) == 1
    jobs = await home.ok("job/v1/list", {"source": "AGREEMENT", "customer_id": made["customer_id"]})
    assert len(jobs["items"]) == 4


async def _invoices(home: Plan, agreement_id: str) -> list[dict[str, object]]:
    return list((await home.ok("invoice/v1/list", {"agreement_id": agreement_id}))["items"])


async def _turned(home: Plan, agreement_id: str) -> None:
    """A little time for the woken run's turn (it changes nothing here: nothing to observe but the absence)."""
    await asyncio.sleep(1.0)


def _day(text: str) -> date:
    return date.fromisoformat(text)


async def test_activation_needs_license_and_insurance_in_force(shared_client: httpx.AsyncClient) -> None:
    uninsured = await plan(shared_client, "Uninsured Air", insured=False)
    made = await draft(uninsured)
    error = await uninsured.fails("maintenance/v1/activate", {"id": made["id"]}, 422, "BUSINESS_RULE_VIOLATION",
                                  "NOT_COMPLIANT")  # fmt: skip
    assert error["details"]["reasons"]
    assert (await uninsured.get(made["id"]))["status"] == "DRAFT"
    assert await count_rows(uninsured.org, "jobs") == 0
    assert await count_rows(uninsured.org, "maintenance_scheduled_visits") == 0


async def test_schedule_and_price_change_only_while_draft(home: Plan) -> None:
    made = await draft(home)
    semi_annual = "FREQ=MONTHLY;INTERVAL=6"
    body = {"id": made["id"], "price": "300.00", "schedule_rrule": semi_annual, "term_months": 24}
    changed = await home.ok("maintenance/v1/update", body)
    assert (changed["price"], changed["schedule_rrule"], changed["term_months"]) == ("300.00", semi_annual, 24)
    await home.ok("maintenance/v1/activate", {"id": made["id"]})
    assert len(await home.visits(made["id"])) == 3  # semi-annual: today, in 6 and in 12 months (the horizon)
    for body in ({"price": "1.00"}, {"schedule_rrule": "FREQ=YEARLY"}, {"window_start": "09:00:00"}):
        await home.fails("maintenance/v1/update", {"id": made["id"], **body}, 422, "BUSINESS_RULE_VIOLATION",
                         "NOT_EDITABLE")  # fmt: skip
    kept = await home.ok("maintenance/v1/update", {"id": made["id"], "auto_renew": False, "notes": "Gate code 1234"})
    assert (kept["auto_renew"], kept["notes"], kept["price"]) == (False, "Gate code 1234", "300.00")
    await home.fails("maintenance/v1/activate", {"id": made["id"]}, 409, "INVALID_STATE_TRANSITION")


async def test_a_manual_renewal_happens_once_per_term(home: Plan) -> None:
    made = await draft(home, renewal_price_change_percent="5")
    await home.fails("maintenance/v1/renew", {"id": made["id"]}, 409, "INVALID_STATE_TRANSITION")
    await home.ok("maintenance/v1/activate", {"id": made["id"]})
    renewed = await home.ok("maintenance/v1/renew", {"id": made["id"]})
    assert [(t["term_number"], t["price"]) for t in renewed["terms"]] == [(1, "240.00"), (2, "252.00")]
    assert renewed["term_number"] == 1  # the next term comes into force when this one ends
    (renewal,) = renewed["renewals"]
    assert (renewal["kind"], renewal["renewed_by"]) == ("MANUAL", str(home.manager.user_id))
    await home.fails("maintenance/v1/renew", {"id": made["id"], "price": "1.00"}, 409, "CONFLICT", "ALREADY_RENEWED")
    assert len((await home.get(made["id"]))["terms"]) == 2
    assert "maintenance.renewed" in await home.sent(made["id"])
    actions = [h["action"] for h in (await home.ok("maintenance/v1/history", {"id": made["id"]}))["items"]]
    assert actions == ["create", "activate", "renew"]


async def test_cancelling_cancels_the_future_visits_jobs(home: Plan) -> None:
    made = await draft(home)
    await home.ok("maintenance/v1/activate", {"id": made["id"]})
    cancelled = await home.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Moved away"})
    assert (cancelled["status"], cancelled["cancel_reason"]) == ("CANCELLED", "Moved away")
    visits = await home.visits(made["id"])
    assert len(visits) == 4
    assert {v["job_status"] for v in visits} == {"CANCELLED"}
    assert "maintenance.cancelled" in await home.sent(made["id"])
    await home.fails("maintenance/v1/cancel", {"id": made["id"], "reason": "Again"}, 409, "INVALID_STATE_TRANSITION")
    await home.fails("maintenance/v1/update", {"id": made["id"], "name": "X"}, 422, "BUSINESS_RULE_VIOLATION",
                     "NOT_EDITABLE")  # fmt: skip
    history = (await home.ok("maintenance/v1/history", {"id": made["id"]}))["items"]
    assert [(h["action"], h["to_status"], h["note"]) for h in history][-1] == ("cancel", "CANCELLED", "Moved away")


async def test_lists_filter_by_status_customer_and_renewal_due(home: Plan) -> None:
    client = await home.customer()
    near = await draft(home, client["id"], term_start=(local_today() - timedelta(days=350)).isoformat())
    far = await draft(home, client["id"])
    for made in (near, far):
        await home.ok("maintenance/v1/activate", {"id": made["id"]})
    mine = await home.ok("maintenance/v1/list", {"customer_id": client["id"]})
    assert [a["id"] for a in mine["items"]] == [near["id"], far["id"]]
    due = await home.ok("maintenance/v1/list", {"customer_id": client["id"], "due_for_renewal": True})
    assert [a["id"] for a in due["items"]] == [near["id"]]
    drafts = await home.ok("maintenance/v1/list", {"customer_id": client["id"], "status": "DRAFT"})
    assert drafts["items"] == []
    for made in (near, far):
        await home.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Test over"})
