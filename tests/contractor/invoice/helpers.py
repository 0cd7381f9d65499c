"""Set-up for the invoices' HTTP tests: a contractor on the platform (`job.helpers.contractor`: a profile, insurance,
branches, its admin as `manager`) with an active pricebook (a journeyman plumber hour LAB-JP at 125.00, not
taxable; copper pipe PIPE-1 at 12.50 a foot and a shut-off valve VLV-1 at 38.00, taxable), customers and jobs; and
the job's accepted option and billable work as the estimate and field domains would answer them (`accepted`,
`worked`: the sources swapped for the block's length, the real ones answering every other job)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from hestami.contractor.estimate import api as estimates
from hestami.contractor.field import api as field_work
from hestami.core import runtime
from hestami.core.context import RequestContext
from tests.contractor.job.helpers import Workforce, contractor, customer, job_in
from tests.support.accounts import Account
from tests.support.rpc import suffix

__all__ = ["Books", "accepted", "books", "completed_job", "job_status", "option", "outbound", "until", "work", "worked"]

ITEMS = (
    {"code": "LAB-JP", "name": "Journeyman plumber hour", "kind": "LABOR", "unit": "HOUR", "cost": "42.00",
     "price": "125.00", "taxable": False},
    {"code": "PIPE-1", "name": "Copper pipe 1/2 in", "kind": "MATERIAL", "unit": "FOOT", "cost": "4.00",
     "price": "12.50", "taxable": True},
    {"code": "VLV-1", "name": "Shut-off valve", "kind": "MATERIAL", "unit": "EACH", "cost": "14.00",
     "price": "38.00", "taxable": True},
)  # fmt: skip


@dataclass
class Books:
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

    async def invoice(self, job_id: str, kind: str = "FINAL", **fields: Any) -> dict[str, Any]:
        return dict(await self.ok("invoice/v1/createFromJob", {"job_id": job_id, "kind": kind, **fields}))

    async def issued(self, job_id: str, kind: str = "FINAL", **fields: Any) -> dict[str, Any]:
        made = await self.invoice(job_id, kind, **fields)
        return dict(await self.ok("invoice/v1/issue", {"id": made["id"]}))

    async def table_counts(self) -> dict[str, int]:
        tables = ("contractor_invoices", "contractor_invoice_lines", "contractor_payments", "contractor_receipts",
                  "contractor_payment_intents")  # fmt: skip
        async with runtime.current().database.transaction(organization_id=uuid.UUID(self.org), user_id=None) as s:
            return {t: int((await s.execute(text(f"SELECT count(*) FROM {t}"))).scalar_one()) for t in tables}


async def books(client: Any, label: str = "Invoicing") -> Books:
    force = await contractor(client, label)
    version = await force.ok("pricebook/v1/createVersion", {"name": f"Book {suffix()}"})
    for item in ITEMS:
        await force.ok("pricebook/v1/createItem", {"version_id": version["id"], **item})
    await force.ok("pricebook/v1/publishVersion", {"id": version["id"]})
    await force.ok("pricebook/v1/activateVersion", {"id": version["id"]})
    made = Books(force)
    for role in ("MANAGER", "VENDOR", "DISPATCHER", "TECHNICIAN"):
        made.members[role] = await force.member([role])
    return made


async def completed_job(b: Books, status: str = "COMPLETED", **fields: Any) -> dict[str, Any]:
    client = await customer(b.force, email=f"owner.{suffix()}@example.com")
    return await job_in(b.force, status, customer_id=client["id"], **fields)


def option(job_id: str, total_lines: tuple[tuple[str, str, str, bool], ...] | None = None, rate: str = "8.25",
           name: str = "Better") -> estimates.AcceptedOption:  # fmt: skip
    """An accepted option: (code, quantity, unit price, taxable) lines; the totals computed as the estimate does."""
    specs = total_lines or (("WH-50-GAS", "1", "2195.00", False), ("VLV-1", "2", "38.00", True))
    lines = tuple(
        estimates.AcceptedLine(code=c, name=f"Item {c}", kind="SERVICE", unit="EACH", quantity=Decimal(q),
                               unit_price=Decimal(p), line_total=(Decimal(q) * Decimal(p)).quantize(Decimal("0.01")),
                               taxable=t)
        for c, q, p, t in specs
    )  # fmt: skip
    subtotal = sum((x.line_total for x in lines), Decimal("0.00"))
    taxable = sum((x.line_total for x in lines if x.taxable), Decimal("0.00"))
    tax = (taxable * Decimal(rate) / 100).quantize(Decimal("0.01"))
    return estimates.AcceptedOption(
        estimate_id=uuid.uuid4(), estimate_number="EST-000042", option_id=uuid.uuid4(), option_name=name,
        subtotal=subtotal, tax_rate=Decimal(rate), tax=tax, total=subtotal + tax, lines=lines,
    )  # fmt: skip


@contextmanager
def accepted(options: Mapping[str, estimates.AcceptedOption], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = estimates.accepted_option

    async def answer(ctx: RequestContext, job_id: uuid.UUID) -> estimates.AcceptedOption | None:
        if str(job_id) in options:
            return options[str(job_id)]
        return await real(ctx, job_id)

    with monkeypatch.context() as m:
        m.setattr(estimates, "accepted_option", answer)
        yield


def work(
    job_id: str, time: tuple[tuple[str, str, int], ...], materials: tuple[tuple[str, str], ...]
) -> field_work.BillableWork:
    """(technician name, TRAVEL | WORK, minutes) entries and (code, quantity) materials."""
    start = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
    tech = {name: uuid.uuid4() for name, _, _ in time}
    entries = tuple(
        field_work.TimeWorked(technician_id=tech[name], technician_name=name, kind=kind, started_at=start,
                              ended_at=start + timedelta(minutes=minutes), minutes=minutes)
        for name, kind, minutes in time
    )  # fmt: skip
    used = tuple(field_work.MaterialUsed(code=c, name=c, unit="EACH", quantity=Decimal(q)) for c, q in materials)
    return field_work.BillableWork(job_id=uuid.UUID(job_id), time=entries, materials=used)


@contextmanager
def worked(works: Mapping[str, field_work.BillableWork], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    real = field_work.billable_work

    async def answer(ctx: RequestContext, job_id: uuid.UUID) -> field_work.BillableWork:
        if str(job_id) in works:
            return works[str(job_id)]
        return await real(ctx, job_id)

    with monkeypatch.context() as m:
        m.setattr(field_work, "billable_work", answer)
        yield


async def outbound(org: str, entity_id: str) -> list[tuple[str, str]]:
    """(template, dedupe key) of the messages recorded about a record, oldest first."""
    sql = "SELECT template, dedupe_key FROM outbound_messages WHERE entity_id = :id ORDER BY created_at, id"
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as s:
        return [(t, k) for t, k in (await s.execute(text(sql), {"id": entity_id})).all()]


@asynccontextmanager
async def nothing() -> AsyncIterator[None]:
    yield


async def until(probe: Any, what: str, seconds: float = 30) -> Any:
    """Polls `probe()` until it answers something true (the workflow's effects are asynchronous)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        found = await probe()
        if found:
            return found
        assert asyncio.get_running_loop().time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def job_status(b: Books, job_id: str, status: str) -> dict[str, Any]:
    async def there() -> dict[str, Any] | None:
        job = await b.ok("job/v1/get", {"id": job_id})
        return dict(job) if job["status"] == status else None

    return dict(await until(there, f"the job {status}"))
