"""`field.api.billable_work`, the invoices' view of a job's field work: closed time entries by start (a running one
left out), with the technician's name and whole minutes rounded up; materials summed per code in the order first
used; NOT_FOUND for a job the caller may not view (another contractor's, a random id)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from hestami.contractor.field import api as field
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.errors import HestamiError
from tests.contractor.field.helpers import Crew, crew

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def team(shared_client: httpx.AsyncClient) -> Crew:
    return await crew(shared_client, "Field Billing")


async def test_billable_work_of_a_job(team: Crew) -> None:
    stop = await team.stop()
    later = await team.another_visit(stop)
    await team.ok("fieldTech/v1/startTravel", {"visit_id": stop.id, "at": stop.at("08:35")})
    await team.ok("fieldTech/v1/startWork", {"visit_id": stop.id, "at": stop.at("09:00")})
    await team.ok("fieldTech/v1/stop", {"visit_id": stop.id, "at": f"{stop.day}T09:40:01-05:00"})
    for visit, code, quantity in ((stop, "PIPE", "2.5"), (stop, "VALVE", "1"), (later, "PIPE", "1.25")):
        await team.ok("fieldTech/v1/recordMaterial", {"visit_id": visit.id, "code": code, "quantity": quantity})
    await team.ok("fieldTech/v1/startWork", {"visit_id": later.id, "at": later.at("14:00")})
    name = team.technician["display_name"]
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(team.org),
                      user_id=team.force.manager.user_id) as ctx:  # fmt: skip
        work = await field.billable_work(ctx, uuid.UUID(stop.job_id))
    assert work.job_id == uuid.UUID(stop.job_id)
    assert [(t.kind, t.minutes, t.technician_name) for t in work.time] == [("TRAVEL", 25, name), ("WORK", 41, name)]
    assert [(m.code, m.name, m.unit, m.quantity) for m in work.materials] == [
        ("PIPE", "Copper pipe 1/2 in", "FOOT", Decimal("3.75")),
        ("VALVE", "Shower valve cartridge", "EACH", Decimal(1)),
    ]


async def test_another_contractors_job_is_not_found(team: Crew, shared_client: httpx.AsyncClient) -> None:
    other = await crew(shared_client, "Field Billing Away")
    theirs = await other.stop()
    for job_id in (theirs.job_id, str(uuid.uuid4())):
        async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(team.org),
                          user_id=team.force.manager.user_id) as ctx:  # fmt: skip
            with pytest.raises(HestamiError) as refused:
                await field.billable_work(ctx, uuid.UUID(job_id))
        assert refused.value.code.value == "NOT_FOUND"
