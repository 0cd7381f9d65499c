"""No double booking, however the requests arrive: two `assignTech` at once for one technician and overlapping slots
leave exactly one assignment (the other is DOUBLE_BOOKED, naming it), and the database's exclusion constraint refuses
an overlapping slot written past the service (a cancelled one may overlap).

The race is forced (`tests.support.race`): the requests are held at the technician's row, which each needs after its
reads on code that reads without a lock of its own (inserting an assignment checks its foreign key to the
technician)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.contractor.dispatch.helpers import Workforce, at, contractor, visit
from tests.support.race import Held, race
from tests.support.rpc import post

pytestmark = pytest.mark.usefixtures("unthrottled")
TECHNICIAN_ROW = "SELECT id FROM technicians WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Racing Dispatch")


async def test_two_dispatchers_racing_for_one_technician_leave_one_assignment(force: Workforce) -> None:
    tech = await force.ready()
    first, second = await visit(force), await visit(force)
    bodies = [
        {"visit_id": first["id"], "technician_id": tech["id"], "starts_at": at("09:00")},
        {"visit_id": second["id"], "technician_id": tech["id"], "starts_at": at("09:30")},
    ]
    held = Held(force.org, TECHNICIAN_ROW, {"id": tech["id"]})
    responses = await race(
        held, *(post(force.client, force.manager, force.org, "dispatch/v1/assignTech", b) for b in bodies)
    )
    assert sorted(r.status_code for r in responses) == [200, 422], [r.text for r in responses]
    won = next(r for r in responses if r.status_code == 200).json()["data"]
    lost = next(r for r in responses if r.status_code == 422).json()["error"]
    assert (lost["code"], lost["details"]["reason"]) == ("BUSINESS_RULE_VIOLATION", "DOUBLE_BOOKED")
    assert lost["details"]["conflicting_assignment"]["id"] == won["id"]
    listed = await force.ok("dispatch/v1/listAssignments", {"technician_id": tech["id"]})
    assert [a["id"] for a in listed["items"]] == [won["id"]]


async def test_the_database_refuses_an_overlapping_slot(force: Workforce) -> None:
    tech = await force.ready()
    first, second = await visit(force), await visit(force)
    made = await force.ok("dispatch/v1/assignTech", {"visit_id": first["id"], "technician_id": tech["id"],
                                                     "starts_at": at("09:00")})  # fmt: skip
    insert = text(
        "INSERT INTO dispatch_assignments (id, organization_id, job_id, visit_id, technician_id, technician_user_id, "
        "starts_at, ends_at, window_start, window_end, status) VALUES (:id, :org, :job, :visit, :tech, :user, "
        ":starts, :ends, :starts, :ends, :status)"
    )
    params = {
        "id": uuid.uuid4(), "org": force.org, "job": second["job"]["id"], "visit": second["id"], "tech": tech["id"],
        "user": tech["user_id"], "starts": made["starts_at"], "ends": made["ends_at"],
    }  # fmt: skip
    database = runtime.current().database
    with pytest.raises(IntegrityError, match="dispatch_assignments_no_double_booking"):
        async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
            await session.execute(insert, {**params, "status": "ASSIGNED"})
    with pytest.raises(IntegrityError, match="uq_dispatch_assignments_visit"):
        async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
            await session.execute(insert, {**params, "visit": first["id"], "job": first["job"]["id"],
                                           "starts": "2030-06-12T20:00:00Z", "ends": "2030-06-12T21:00:00Z",
                                           "status": "ASSIGNED"})  # fmt: skip
    async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
        await session.execute(insert, {**params, "status": "CANCELLED"})  # a cancelled slot may overlap
