"""`technician/v1/checkEligibility` through the API (and `technician.api.eligibility`, what dispatch calls): eligible,
or every reason not, read from what is stored: skills, certifications, territory, shifts in the technician's time
zone, time off, status, and the contractor's compliance on the day the window ends."""

from __future__ import annotations

import uuid
from datetime import datetime

import httpx
import pytest

from hestami.contractor.technician import api
from hestami.core import runtime
from hestami.core.acting import acting
from tests.contractor.technician.helpers import Workforce, contractor

# Wednesday 2030-06-12, CDT (UTC-5).
MORNING = {"starts_at": "2030-06-12T09:00:00-05:00", "ends_at": "2030-06-12T11:00:00-05:00"}


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Eligible")


def job(technician: dict, **changes: str) -> dict:
    return {"technician_id": technician["id"], "trade": "PLUMBING", "zip_code": "78258", **MORNING, **changes}


async def codes(force: Workforce, body: dict) -> list[str]:
    answer = await force.ok("technician/v1/checkEligibility", body)
    assert answer["eligible"] is (answer["reasons"] == [])
    return [r["code"] for r in answer["reasons"]]


async def test_a_ready_technician_is_eligible(force: Workforce) -> None:
    tech = await force.ready()
    answer = await force.ok("technician/v1/checkEligibility", job(tech, trade="plumbing"))
    assert answer == {"technician_id": tech["id"], "eligible": True, "reasons": []}


async def test_each_stored_fact_gives_its_reason(force: Workforce) -> None:
    tech = await force.ready()
    assert await codes(force, job(tech, trade="HVAC")) == ["NO_SKILL"]
    assert await codes(force, job(tech, zip_code="73301")) == ["OUT_OF_TERRITORY"]
    late = {"starts_at": "2030-06-12T16:00:00-05:00", "ends_at": "2030-06-12T17:01:00-05:00"}
    assert await codes(force, job(tech, **late)) == ["OUTSIDE_SHIFT"]
    at_end = {"starts_at": "2030-06-12T16:00:00-05:00", "ends_at": "2030-06-12T22:00:00Z"}
    assert await codes(force, job(tech, **at_end)) == []
    saturday = {"starts_at": "2030-06-15T09:00:00-05:00", "ends_at": "2030-06-15T10:00:00-05:00"}
    assert await codes(force, job(tech, **saturday)) == ["OUTSIDE_SHIFT"]
    off = {"id": tech["id"], "starts_at": "2030-06-12T10:00:00-05:00", "ends_at": "2030-06-13T00:00:00-05:00"}
    period = (await force.ok("technician/v1/addTimeOff", off))["time_off"][0]
    answer = await force.ok("technician/v1/checkEligibility", job(tech))
    assert [(r["code"], r["details"].get("time_off_id")) for r in answer["reasons"]] == [("TIME_OFF", period["id"])]
    await force.ok("technician/v1/cancelTimeOff", {"id": tech["id"], "time_off_id": period["id"]})
    card = {"id": tech["id"], "name": "Backflow tester", "trade": "PLUMBING", "expires_on": "2030-06-11"}
    await force.ok("technician/v1/addCertification", card)
    assert await codes(force, job(tech)) == ["CERTIFICATION_EXPIRED"]
    await force.ok("technician/v1/addCertification", {**card, "expires_on": "2032-06-11"})  # renewed
    assert await codes(force, job(tech)) == []
    await force.ok("technician/v1/deactivate", {"id": tech["id"]})
    assert await codes(force, job(tech)) == ["INACTIVE"]


async def test_every_reason_at_once(force: Workforce) -> None:
    tech = await force.technician()
    await force.ok("technician/v1/deactivate", {"id": tech["id"]})
    await force.ok("technician/v1/addTimeOff", {"id": tech["id"], **MORNING})
    assert await codes(force, job(tech)) == ["INACTIVE", "NO_SKILL", "OUT_OF_TERRITORY", "OUTSIDE_SHIFT", "TIME_OFF"]


async def test_shifts_are_read_in_the_technicians_time_zone(force: Workforce) -> None:
    tech = await force.ready(time_zone="America/New_York")
    # 09:00-11:00 in Chicago is 10:00-12:00 in New York: inside 08:00-17:00 there as well.
    assert await codes(force, job(tech)) == []
    early = {"starts_at": "2030-06-12T07:30:00-05:00", "ends_at": "2030-06-12T08:00:00-05:00"}  # 08:30 New York
    assert await codes(force, job(tech, **early)) == []
    late = {"starts_at": "2030-06-12T16:00:00-05:00", "ends_at": "2030-06-12T16:30:00-05:00"}  # 17:30 New York
    assert await codes(force, job(tech, **late)) == ["OUTSIDE_SHIFT"]


async def test_a_contractor_out_of_compliance_makes_no_one_eligible(shared_client: httpx.AsyncClient) -> None:
    """Insurance expiring June 11: a job on the 11th is fine, one on the 12th is not (the day the window ends)."""
    force = await contractor(shared_client, "Lapsing", insured=False)
    policy = {"kind": "GENERAL_LIABILITY", "carrier": "Acme", "policy_number": "GL-9", "expires_on": "2030-06-11"}
    await force.ok("contractor/insurance/v1/add", policy)
    tech = await force.ready()
    eleventh = {"starts_at": "2030-06-11T09:00:00-05:00", "ends_at": "2030-06-11T11:00:00-05:00"}
    assert await codes(force, job(tech, **eleventh)) == []
    answer = await force.ok("technician/v1/checkEligibility", job(tech))
    assert [r["code"] for r in answer["reasons"]] == ["CONTRACTOR_NON_COMPLIANT"]
    assert answer["reasons"][0]["details"]["issues"]


async def test_input_is_validated(force: Workforce) -> None:
    tech = await force.ready()
    for changes in (
        {"ends_at": MORNING["starts_at"]},
        {"starts_at": "2030-06-12T09:00:00"},
        {"zip_code": "7825"},
        {"trade": " "},
        {"starts_at": "1900-01-01T00:00:00Z"},
    ):
        await force.fails("technician/v1/checkEligibility", job(tech, **changes), 400, "VALIDATION_FAILED")


async def test_the_api_answers_what_the_procedure_does(force: Workforce) -> None:
    """`technician.api.eligibility` as dispatch calls it, in the manager's scope."""
    tech = await force.ready()
    async with acting(
        runtime.current(), procedure="test", organization_id=uuid.UUID(force.org), user_id=force.manager.user_id
    ) as ctx:
        starts, ends = datetime.fromisoformat(MORNING["starts_at"]), datetime.fromisoformat(MORNING["ends_at"])
        fine = await api.eligibility(ctx, uuid.UUID(tech["id"]), "plumbing", "78258", starts, ends)
        assert fine.eligible
        refused = await api.eligibility(ctx, uuid.UUID(tech["id"]), "ROOFING", "10001", starts, ends)
        assert refused.codes == ("NO_SKILL", "OUT_OF_TERRITORY")
        assert not refused.eligible
