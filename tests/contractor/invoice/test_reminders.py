"""`invoice_payment_v1`'s durable timers: a reminder before the due date and reminders once it is overdue, each
recorded once for the customer, counted in "days" of INVOICE_DAY_SECONDS (a fraction of a second here); a paid
invoice gets no more."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest
from dbos import DBOS

from hestami.contractor.invoice.workflows import workflow_id
from hestami.core import runtime
from tests.contractor.invoice.helpers import Books, books, completed_job, outbound, until

pytestmark = pytest.mark.usefixtures("unthrottled")


@pytest.fixture(scope="module")
async def b(shared_client: httpx.AsyncClient) -> Books:
    return await books(shared_client, "Reminders")


@pytest.fixture
def short_days(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = runtime.current().settings
    for name, value in (("invoice_day_seconds", 0.25), ("invoice_reminder_days_before", 3),
                        ("invoice_overdue_reminder_every_days", 2), ("invoice_overdue_reminders", 2)):  # fmt: skip
        monkeypatch.setattr(settings, name, value)


async def issued(b: Books, amount: str = "120.00") -> dict:
    job = await completed_job(b)
    draft = await b.invoice(job["id"], "STANDARD")
    await b.ok("invoice/v1/addLine", {"invoice_id": draft["id"], "description": "Repair", "unit_price": amount})
    today = date.today()
    body = {"id": draft["id"], "issue_date": today.isoformat(), "due_date": (today + timedelta(days=5)).isoformat()}
    return dict(await b.ok("invoice/v1/issue", body))


@pytest.mark.usefixtures("short_days")
async def test_reminders_before_the_due_date_and_when_overdue_each_once(b: Books) -> None:
    invoice = await issued(b)
    key = f"contractor_invoice:{invoice['id']}"

    async def all_sent() -> list[tuple[str, str]] | None:
        sent = await outbound(b.org, invoice["id"])
        return sent if len(sent) >= 4 else None

    sent = await until(all_sent, "the reminders")
    assert sent == [
        ("invoice.issued", f"{key}:issued"),
        ("invoice.due_soon", f"{key}:due_soon"),
        ("invoice.overdue", f"{key}:overdue_1"),
        ("invoice.overdue", f"{key}:overdue_2"),
    ]


@pytest.mark.usefixtures("short_days")
async def test_a_paid_invoice_is_reminded_no_more(b: Books) -> None:
    invoice = await issued(b, "50.00")
    await b.ok("invoice/v1/recordPayment", {"invoice_id": invoice["id"], "amount": "50.00", "method": "CASH"})

    async def ended() -> bool:
        status = await DBOS.get_workflow_status_async(workflow_id(invoice["id"]))
        return status is not None and status.status == "SUCCESS"

    await until(ended, "the run's end")
    assert [t for t, _ in await outbound(b.org, invoice["id"])] == ["invoice.issued"]
