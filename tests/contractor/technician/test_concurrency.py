"""Time off never overlaps on one technician, however the requests arrive: two overlapping `addTimeOff` at once
leave exactly one period (the other is a CONFLICT, TIME_OFF_OVERLAP, naming it), and the database's exclusion
constraint refuses an overlapping period written past the service.

The race is forced (`tests.support.race`): the requests are held at the technician's row, which each needs after its
read on code that reads without a lock of its own (inserting a period checks its foreign key to the technician)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.contractor.technician.helpers import Workforce, contractor
from tests.support.race import Held, race
from tests.support.rpc import post

TECHNICIAN_ROW = "SELECT id FROM technicians WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Racing")


async def test_two_overlapping_periods_at_once_leave_one(force: Workforce) -> None:
    tech = await force.technician()
    first = {"id": tech["id"], "starts_at": "2030-08-01T00:00:00Z", "ends_at": "2030-08-05T00:00:00Z"}
    second = {"id": tech["id"], "starts_at": "2030-08-04T00:00:00Z", "ends_at": "2030-08-09T00:00:00Z"}
    held = Held(force.org, TECHNICIAN_ROW, {"id": tech["id"]})
    responses = await race(
        held, *(post(force.client, force.manager, force.org, "technician/v1/addTimeOff", b) for b in (first, second))
    )
    assert sorted(r.status_code for r in responses) == [200, 409], [r.text for r in responses]
    won = next(r for r in responses if r.status_code == 200).json()["data"]["time_off"]
    lost = next(r for r in responses if r.status_code == 409).json()["error"]
    assert (lost["code"], lost["details"]["reason"]) == ("CONFLICT", "TIME_OFF_OVERLAP")
    assert lost["details"]["time_off_id"] == won[0]["id"]
    now = await force.ok("technician/v1/get", {"id": tech["id"]})
    assert [p["id"] for p in now["time_off"]] == [won[0]["id"]]


async def test_the_database_refuses_an_overlapping_period(force: Workforce) -> None:
    tech = await force.technician()
    body = {"id": tech["id"], "starts_at": "2030-09-01T00:00:00Z", "ends_at": "2030-09-03T00:00:00Z"}
    await force.ok("technician/v1/addTimeOff", body)
    insert = text(
        "INSERT INTO technician_time_off (id, organization_id, technician_id, starts_at, ends_at, status) "
        "VALUES (:id, :org, :tech, '2030-09-02T00:00:00Z', '2030-09-04T00:00:00Z', :status)"
    )
    database = runtime.current().database
    params = {"id": uuid.uuid4(), "org": force.org, "tech": tech["id"]}
    with pytest.raises(IntegrityError, match="technician_time_off_no_overlap"):
        async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
            await session.execute(insert, {**params, "status": "SCHEDULED"})
    async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
        await session.execute(insert, {**params, "status": "CANCELLED"})  # a cancelled period may overlap


async def test_the_database_refuses_overlapping_shifts(force: Workforce) -> None:
    tech = await force.technician()
    insert = text(
        "INSERT INTO technician_shifts (id, organization_id, technician_id, weekday, start_time, end_time) "
        "VALUES (gen_random_uuid(), :org, :tech, 'MONDAY', :start, :end)"
    )
    database = runtime.current().database
    scope = {"org": force.org, "tech": tech["id"]}
    async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
        await session.execute(insert, {**scope, "start": "08:00", "end": "12:00"})
        await session.execute(insert, {**scope, "start": "12:00", "end": "17:00"})  # touching: allowed
    with pytest.raises(IntegrityError, match="technician_shifts_no_overlap"):
        async with database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as session:
            await session.execute(insert, {**scope, "start": "11:00", "end": "13:00"})
