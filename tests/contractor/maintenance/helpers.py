"""Set-up for the maintenance agreements' HTTP tests: a contractor on the platform (`job.helpers.contractor`: a
profile, insurance, branches, its admin as `manager`) with an active pricebook (an HVAC tune-up TUNE-1 and a filter
FLT-1), members by role and customers; agreements drafted for a customer (`draft`), the local "today" of
DISPATCH_TIME_ZONE, and a short agreement "day" for the workflow's tests (`short_days`)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import text

from hestami.core import runtime
from tests.contractor.job.helpers import Workforce, contractor, customer
from tests.support.accounts import Account
from tests.support.rpc import suffix

__all__ = ["Plan", "count_rows", "draft", "local_today", "months_before", "plan", "quarterly_after", "short_days",
           "until"]  # fmt: skip

ITEMS = (
    {"code": "TUNE-1", "name": "HVAC tune-up", "kind": "SERVICE", "unit": "EACH", "cost": "40.00", "price": "129.00",
     "taxable": False},
    {"code": "FLT-1", "name": "Air filter 16x25", "kind": "MATERIAL", "unit": "EACH", "cost": "6.00",
     "price": "18.00", "taxable": True},
)  # fmt: skip
QUARTERLY = "FREQ=MONTHLY;INTERVAL=3"


@dataclass
class Plan:
    """A contractor with its active pricebook, and its members by role (`members`)."""

    force: Workforce
    members: dict[str, Account] = field(default_factory=dict)

    @property
    def org(self) -> str:
        return self.force.org

    @property
    def manager(self) -> Account:
        return self.force.manager

    async def ok(self, path: str, body: dict[str, Any], who: Account | None = None) -> Any:
        return await self.force.ok(path, body, who)

    async def fails(self, path: str, body: dict[str, Any], status: int, code: str | None = None,
                    reason: str | None = None, who: Account | None = None) -> dict[str, Any]:  # fmt: skip
        return await self.force.fails(path, body, status, code, reason, who)

    async def customer(self) -> dict[str, Any]:
        return await customer(self.force, email=f"member.{suffix()}@example.com")

    async def visits(self, agreement_id: str) -> list[dict[str, Any]]:
        return list((await self.ok("maintenance/v1/listVisits", {"id": agreement_id}))["items"])

    async def get(self, agreement_id: str) -> dict[str, Any]:
        return dict(await self.ok("maintenance/v1/get", {"id": agreement_id}))

    async def sent(self, agreement_id: str) -> list[str]:
        found = await self.ok("notification/v1/list", {"entity_id": agreement_id})
        return [m["template"] for m in found["items"]]


async def plan(client: Any, label: str = "Comfort", *, insured: bool = True) -> Plan:
    force = await contractor(client, label, insured=insured)
    version = await force.ok("pricebook/v1/createVersion", {"name": f"Book {suffix()}"})
    for item in ITEMS:
        await force.ok("pricebook/v1/createItem", {"version_id": version["id"], **item})
    await force.ok("pricebook/v1/publishVersion", {"id": version["id"]})
    await force.ok("pricebook/v1/activateVersion", {"id": version["id"]})
    made = Plan(force)
    for role in ("MANAGER", "VENDOR", "DISPATCHER", "TECHNICIAN"):
        made.members[role] = await force.member([role])
    return made


def local_today() -> date:
    return datetime.now(ZoneInfo(runtime.current().settings.dispatch_time_zone)).date()


def months_before(day: date, months: int) -> date:
    return day - relativedelta(months=months)


def quarterly_after(day: date) -> str:
    """Quarterly on the 15th, from the month after `day`: a term starting on `day` has four visits, none on its
    first days (a turn delayed by a busy machine, on a short clock, would find a first-day visit past already)."""
    first = (day + relativedelta(months=1)).month
    months = ",".join(str((first + k - 1) % 12 + 1) for k in (0, 3, 6, 9))
    return f"FREQ=YEARLY;BYMONTH={months};BYMONTHDAY=15"


async def draft(p: Plan, customer_id: str | None = None, **fields: Any) -> dict[str, Any]:
    """A DRAFT quarterly HVAC agreement for a new customer (or `customer_id`) starting today."""
    who = customer_id or (await p.customer())["id"]
    body = {
        "name": f"Comfort Club {suffix()}", "plan": "Comfort Club", "trade": "HVAC", "customer_id": who,
        "term_start": local_today().isoformat(), "price": "240.00", "billing_frequency": "ANNUAL",
        "schedule_rrule": QUARTERLY, "services": [{"code": "TUNE-1", "quantity": "1"}], **fields,
    }  # fmt: skip
    return dict(await p.ok("maintenance/v1/create", body))


@contextmanager
def short_days(seconds: float) -> Iterator[None]:
    """The in-process app's MAINTENANCE_DAY_SECONDS (recorded on an agreement when it is activated)."""
    settings = runtime.current().settings
    before = settings.maintenance_day_seconds
    settings.maintenance_day_seconds = seconds
    try:
        yield
    finally:
        settings.maintenance_day_seconds = before


async def until(probe: Any, what: str, seconds: float = 30) -> Any:
    """Polls `probe()` until it answers something true (the workflow's effects are asynchronous)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await probe()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def count_rows(org: str, table: str, where: str = "TRUE") -> int:
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as s:
        return int((await s.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"))).scalar_one())
