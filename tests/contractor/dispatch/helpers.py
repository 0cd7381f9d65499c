"""Set-up for dispatch's HTTP tests: a contractor on the platform (`technician.helpers.contractor`), its technicians
ready for plumbing in 78258 and 78701 on weekdays 08:00-17:00 (Chicago), a dispatcher, and jobs with visits on
Wednesday 2030-06-12 (CDT, UTC-5), the day the tests dispatch."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.job.helpers import customer, job_in
from tests.contractor.technician.helpers import Workforce, contractor
from tests.support.accounts import Account

__all__ = ["DAY", "Workforce", "at", "contractor", "eventually", "messages", "visit", "window"]

DAY = "2030-06-12"


def at(clock: str, day: str = DAY) -> str:
    """A time of the day in Chicago (CDT): `at("09:30")`."""
    return f"{day}T{clock}:00-05:00"


def window(starts: str, ends: str, day: str = DAY) -> dict[str, str]:
    return {"window_start": at(starts, day), "window_end": at(ends, day)}


async def visit(
    force: Workforce,
    *,
    starts: str | None = "08:00",
    ends: str | None = "12:00",
    minutes: int = 60,
    status: str = "JOB_CREATED",
    day: str = DAY,
    **job: Any,
) -> dict[str, Any]:
    """A new job (a customer's, in 78258 by default) walked to `status`, and its visit with an arrival window on the
    day (none when `starts` is None); the visit, with its job as `job`."""
    if "customer_id" not in job:
        job["customer_id"] = (await customer(force, email=f"owner.{uuid.uuid4().hex[:8]}@example.com"))["id"]
    made = await job_in(force, status, **{"zip_code": "78258", **job})
    body: dict[str, Any] = {"job_id": made["id"], "duration_minutes": minutes}
    if starts is not None and ends is not None:
        body.update(window(starts, ends, day))
    added = dict(await force.ok("job/v1/addVisit", body))
    added["job"] = made
    return added


async def assign(
    force: Workforce, visit_id: str, technician_id: str, starts: str, ends: str | None = None, **more: Any
) -> dict[str, Any]:
    body = {"visit_id": visit_id, "technician_id": technician_id, "starts_at": at(starts), **more}
    if ends is not None:
        body["ends_at"] = at(ends)
    return dict(await force.ok("dispatch/v1/assignTech", body))


async def dispatcher(force: Workforce) -> Account:
    return await force.member(["DISPATCHER"])


async def messages(org: str, entity_id: str) -> list[dict[str, Any]]:
    """The outbox's messages about a record (a job), oldest first."""
    sql = (
        "SELECT recipient, channel, template, payload, dedupe_key FROM outbound_messages "
        "WHERE organization_id = :org AND entity_id = :id ORDER BY created_at, id"
    )
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as session:
        rows = (await session.execute(text(sql), {"org": org, "id": entity_id})).mappings().all()
    return [dict(row) for row in rows]


async def eventually(check: Callable[[], Awaitable[Any]], within: float = 20.0) -> Any:
    """`check()`'s first truthy answer (a workflow's effect commits a moment after the request)."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        found = await check()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, "the expected effect did not happen in time"
        await asyncio.sleep(0.05)
