"""Agreements billed through invoices (issue 24, P2.9): `invoice.api.bill_agreement` makes one ISSUED invoice of
kind AGREEMENT per billing period of an agreement (no job), numbered like any invoice, once — a second call, or
concurrent calls, answer the same invoice. It shows in `invoice/v1/list` (filter `agreement_id`), its
`invoice_payment_v1` run tells the customer and takes payments like any invoice; an HOA agreement's invoice is
addressed to the HOA as a plain receivable (no work order, so not in its payables). Another contractor's agreement
invoice is NOT_FOUND.

The agreements are rows of `maintenance_agreements` written here through SQL (`agreement_row`), as the maintenance
domain stores them. Migration 0046 goes down and up on a database of its own."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import psycopg
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import URL

from hestami.contractor.invoice import api as invoices
from hestami.core import runtime
from hestami.core.acting import acting
from hestami.core.config import Settings
from hestami.core.errors import HestamiError
from hestami.core.migrate import alembic_config
from tests.cam.work_order.helpers import community, link
from tests.contractor.invoice.helpers import Books, books, outbound, until
from tests.contractor.job.helpers import customer
from tests.core.test_migration_0013 import _plain, database
from tests.support.accounts import Account
from tests.support.rpc import suffix

__all__ = ["database"]
pytestmark = pytest.mark.usefixtures("unthrottled")

AGREEMENT_SQL = """
INSERT INTO maintenance_agreements (id, organization_id, number, name, trade, status, customer_id,
    hoa_organization_id, association_id, term_start, term_end, term_months, price, billing_frequency,
    schedule_rrule, window_start, window_end, clock_started_at, clock_day_seconds)
VALUES (:id, :org, (SELECT coalesce(max(number), 0) + 1 FROM maintenance_agreements WHERE organization_id = :org),
    :name, 'PLUMBING', :status, :customer_id, :hoa, :association_id, :term_start, :term_end, 12, :price,
    'QUARTERLY', 'FREQ=MONTHLY;INTERVAL=3', '08:00', '12:00', now(), 86400)
RETURNING number
"""


async def agreement_row(
    org: str, *, customer_id: str | None = None, hoa: str | None = None, association_id: str | None = None,
    status: str = "ACTIVE", term_start: date | None = None, term_end: date | None = None, price: str = "480.00",
) -> tuple[str, str]:  # fmt: skip
    """An agreement of the contractor `org` (today within its term unless told): (its id, its number AGR-…)."""
    start = term_start or date.today() - timedelta(days=30)
    values = {
        "id": str(uuid.uuid4()), "org": org, "name": f"Plumbing care {suffix()}", "status": status,
        "customer_id": customer_id, "hoa": hoa, "association_id": association_id, "term_start": start,
        "term_end": term_end or start + timedelta(days=364), "price": Decimal(price),
    }  # fmt: skip
    async with runtime.current().database.transaction(organization_id=uuid.UUID(org), user_id=None) as s:
        number = (await s.execute(text(AGREEMENT_SQL), values)).scalar_one()
    return str(values["id"]), f"AGR-{number:06d}"


@dataclass
class World:
    b: Books
    stranger: Books
    customer: dict[str, Any]
    agreement: invoices.AgreementBill
    hoa_agreement: invoices.AgreementBill


def period_bill(agreement_id: str, number: str, start: date, **fields: Any) -> invoices.AgreementBill:
    end = start + timedelta(days=90)
    values: dict[str, Any] = {
        "agreement_id": uuid.UUID(agreement_id), "agreement_number": number, "period_start": start, "period_end": end,
        "customer_id": None, "hoa_organization_id": None, "association_id": None,
        "description": f"{number} plumbing care, {start.isoformat()} to {end.isoformat()}", "amount": Decimal("120.00"),
        "issue_date": date.today(), "due_date": None, **fields,
    }  # fmt: skip
    return invoices.AgreementBill(**values)


@pytest.fixture(scope="module")
async def world(shared_client: httpx.AsyncClient) -> World:
    b = await books(shared_client, "Agreement Billing")
    owner = await customer(b.force, email=f"member.{suffix()}@example.com")
    agreement_id, number = await agreement_row(b.org, customer_id=owner["id"])
    manager, hoa, association, _ = await community(shared_client)
    await link(shared_client, manager, hoa, association["id"], b.org)
    hoa_id, hoa_number = await agreement_row(b.org, hoa=hoa, association_id=association["id"], price="1200.00")
    return World(
        b, await books(shared_client, "Stranger Billing"), owner,
        period_bill(agreement_id, number, date(2027, 1, 1), customer_id=uuid.UUID(owner["id"])),
        period_bill(hoa_id, hoa_number, date(2027, 1, 1), hoa_organization_id=uuid.UUID(hoa),
                    association_id=uuid.UUID(association["id"]), amount=Decimal("300.00")),
    )  # fmt: skip


async def bill(org: str, agreement: invoices.AgreementBill, who: Account | None = None) -> invoices.BilledInvoice:
    """`bill_agreement` as the agreement's workflow calls it (the system), or as a member of `org`."""
    user = who.user_id if who is not None else None
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(org), user_id=user) as ctx:
        return await invoices.bill_agreement(ctx, agreement)


async def listed(b: Books, agreement_id: uuid.UUID) -> list[dict[str, Any]]:
    return list((await b.ok("invoice/v1/list", {"agreement_id": str(agreement_id)}))["items"])


async def test_a_period_is_billed_once_as_an_issued_agreement_invoice(world: World) -> None:
    first = await bill(world.b.org, world.agreement)
    again = await bill(world.b.org, world.agreement, world.b.manager)
    assert again == first
    assert first.status == "ISSUED"
    assert first.total == Decimal("120.00")
    assert first.number.startswith("INV-")
    found = await world.b.ok("invoice/v1/get", {"id": str(first.id)})
    assert (found["kind"], found["job_id"], found["status"]) == ("AGREEMENT", None, "ISSUED")
    assert found["agreement_id"] == str(world.agreement.agreement_id)
    assert found["agreement_number"] == world.agreement.agreement_number
    assert (found["period_start"], found["period_end"]) == ("2027-01-01", "2027-04-01")
    assert found["customer_id"] == world.customer["id"]
    assert found["bill_to"] == world.customer["name"]
    assert [(x["source"], x["description"], x["total"], x["taxable"]) for x in found["lines"]] == [
        ("AGREEMENT", world.agreement.description, "120.00", False)
    ]
    assert (found["tax"], found["total"], found["balance"]) == ("0.00", "120.00", "120.00")
    assert [x["id"] for x in await listed(world.b, world.agreement.agreement_id)] == [str(first.id)]


async def test_concurrent_calls_for_a_period_make_one_invoice(world: World) -> None:
    period = replace(world.agreement, period_start=date(2027, 4, 2), period_end=date(2027, 7, 1))
    made = await asyncio.gather(*(bill(world.b.org, period) for _ in range(5)))
    assert len({x.id for x in made}) == 1
    mine = [x for x in await listed(world.b, world.agreement.agreement_id) if x["period_start"] == "2027-04-02"]
    assert [x["id"] for x in mine] == [str(made[0].id)]


async def test_the_agreement_invoices_by_period(world: World) -> None:
    later = replace(world.agreement, period_start=date(2027, 7, 2), period_end=date(2027, 9, 30))
    third = await bill(world.b.org, later)
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(world.b.org)) as ctx:
        found = await invoices.agreement_invoices(ctx, world.agreement.agreement_id)
    assert len(found) >= 2
    assert found[-1] == third
    assert len({x.number for x in found}) == len(found)


async def test_an_agreement_invoice_is_announced_and_paid_like_any_other(world: World) -> None:
    period = replace(world.agreement, period_start=date(2027, 10, 1), period_end=date(2027, 12, 31))
    made = await bill(world.b.org, period)

    async def announced() -> bool:
        return ("invoice.issued", f"contractor_invoice:{made.id}:issued") in await outbound(world.b.org, str(made.id))

    await until(announced, "the issued notice")
    half = await world.b.ok("invoice/v1/recordPayment", {"invoice_id": str(made.id), "amount": "20.00"})
    assert half["invoice"]["status"] == "PARTIALLY_PAID"
    await world.b.ok("invoice/v1/recordPayment", {"invoice_id": str(made.id), "amount": "100.00"})
    paid = await world.b.ok("invoice/v1/get", {"id": str(made.id)})
    assert (paid["status"], paid["balance"], paid["job_id"]) == ("PAID", "0.00", None)
    payments = await world.b.ok("invoice/v1/listPayments", {"invoice_id": str(made.id)})
    assert [p["receipt"]["number"][:4] for p in payments["items"]] == ["RCT-", "RCT-"]
    again = await bill(world.b.org, period)
    assert again.status == "PAID"  # the period stays billed: the same invoice, paid


async def test_an_hoa_agreements_invoice_is_addressed_to_the_hoa_and_paid_as_a_receivable(world: World) -> None:
    made = await bill(world.b.org, world.hoa_agreement, world.b.manager)
    found = await world.b.ok("invoice/v1/get", {"id": str(made.id)})
    assert found["hoa_organization_id"] == str(world.hoa_agreement.hoa_organization_id)
    assert found["association_id"] == str(world.hoa_agreement.association_id)
    assert (found["work_order_id"], found["customer_id"], found["job_id"]) == (None, None, None)
    assert found["bill_to"] == f"The association of {world.hoa_agreement.agreement_number}"

    async def told_the_hoa() -> bool:
        sql = "SELECT recipient FROM outbound_messages WHERE entity_id = :id AND template = 'invoice.issued'"
        async with runtime.current().database.transaction(organization_id=uuid.UUID(world.b.org), user_id=None) as s:
            found = list((await s.execute(text(sql), {"id": str(made.id)})).scalars())
        return found == [f"hoa:{world.hoa_agreement.hoa_organization_id}"]

    await until(told_the_hoa, "the HOA told")
    paid = await world.b.ok("invoice/v1/recordPayment", {"invoice_id": str(made.id), "amount": "300.00",
                                                         "reference": "HOA check 1182"})  # fmt: skip
    assert paid["invoice"]["status"] == "PAID"
    assert paid["invoice"]["ap_invoice_id"] is None


async def test_billing_needs_management_and_a_positive_amount(world: World) -> None:
    period = replace(world.agreement, period_start=date(2028, 1, 1), period_end=date(2028, 3, 31))
    before = await world.b.table_counts()
    with pytest.raises(HestamiError) as refused:
        await bill(world.b.org, period, world.b.members["VENDOR"])
    assert refused.value.code.value == "FORBIDDEN"
    with pytest.raises(HestamiError) as nothing_due:
        await bill(world.b.org, replace(period, amount=Decimal("0")))
    assert (refused.value.code.value, nothing_due.value.details["reason"]) == ("FORBIDDEN", "NEGATIVE_TOTAL")
    assert await world.b.table_counts() == before


async def test_another_contractors_agreement_invoices_are_not_found(world: World) -> None:
    made = await bill(world.b.org, world.agreement)
    await world.stranger.fails("invoice/v1/get", {"id": str(made.id)}, 404, "NOT_FOUND")
    await world.stranger.fails("invoice/v1/recordPayment", {"invoice_id": str(made.id), "amount": "1.00"}, 404,
                               "NOT_FOUND")  # fmt: skip
    assert await listed(world.stranger, world.agreement.agreement_id) == []
    async with acting(runtime.current(), procedure="test", organization_id=uuid.UUID(world.stranger.org),
                      user_id=world.stranger.manager.user_id) as ctx:  # fmt: skip
        assert await invoices.agreement_invoices(ctx, world.agreement.agreement_id) == []
    before = await world.b.table_counts()
    theirs_period = replace(world.agreement, period_start=date(2029, 1, 1), period_end=date(2029, 3, 31))
    with pytest.raises(HestamiError) as theirs:
        await bill(world.stranger.org, theirs_period, world.stranger.manager)
    assert theirs.value.code.value == "NOT_FOUND"
    assert await world.b.table_counts() == before


AGREEMENT_COLUMNS = (
    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'contractor_invoices' "
    "AND column_name IN ('agreement_id', 'agreement_number', 'period_start', 'period_end')"
)


def _columns(url: URL) -> int:
    with psycopg.connect(_plain(url)) as conn:
        row = conn.execute(AGREEMENT_COLUMNS).fetchone()
    assert row is not None
    return int(row[0])


def test_migration_0046_goes_down_and_up(settings: Settings, database: URL) -> None:
    config = alembic_config(settings)
    config.attributes["database_url"] = database.render_as_string(hide_password=False)
    command.upgrade(config, "0046")
    assert _columns(database) == 4
    command.downgrade(config, "0045")
    assert _columns(database) == 0
    command.upgrade(config, "0046")
    assert _columns(database) == 4
