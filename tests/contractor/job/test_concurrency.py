"""Job numbers have no gaps and no repeats however the requests arrive: three `job/v1/create` at once get three
consecutive numbers, and the database's unique key refuses a repeated number written past the service.

The race is forced (`tests.support.race`): the requests are held at their customer's row, which each needs after it
has read the last number (inserting a job checks its foreign key to the customer); on code that read the number
without the organization's numbering lock, every request would have read the same one."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hestami.core import runtime
from tests.contractor.job.helpers import Workforce, contractor, customer, new_job
from tests.support.race import Held, race
from tests.support.rpc import post

CUSTOMER_ROW = "SELECT id FROM customers WHERE id = :id FOR UPDATE"


@pytest.fixture(scope="module")
async def force(shared_client: httpx.AsyncClient) -> Workforce:
    return await contractor(shared_client, "Racing Jobs")


async def test_jobs_opened_at_once_get_consecutive_numbers(force: Workforce) -> None:
    client = await customer(force)
    first = await new_job(force)
    body = {"title": "Leak", "trade": "PLUMBING", "customer_id": client["id"]}
    responses = await race(
        Held(force.org, CUSTOMER_ROW, {"id": client["id"]}),
        *(post(force.client, force.manager, force.org, "job/v1/create", body) for _ in range(3)),
    )
    assert [r.status_code for r in responses] == [200, 200, 200], [r.text for r in responses]
    numbers = sorted(r.json()["data"]["number"] for r in responses)
    start = int(first["number"][4:]) + 1
    assert numbers == [f"JOB-{n:06d}" for n in range(start, start + 3)]


async def test_the_database_refuses_a_repeated_number(force: Workforce) -> None:
    job = await new_job(force)
    insert = text(
        "INSERT INTO jobs (id, organization_id, number, source, title, trade, priority, status) "
        "VALUES (:id, :org, :number, 'DIRECT', 'Copy', 'PLUMBING', 'LOW', 'TICKET')"
    )
    params = {"id": uuid.uuid4(), "org": force.org, "number": int(job["number"][4:])}
    with pytest.raises(IntegrityError, match="uq_jobs_number"):
        async with runtime.current().database.transaction(organization_id=uuid.UUID(force.org), user_id=None) as s:
            await s.execute(insert, params)
