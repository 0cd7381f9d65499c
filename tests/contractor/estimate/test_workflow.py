"""`estimate_generation_v1`: a discount above the approval threshold waits durably for a manager's decision, then
the run sends the estimate; a sent estimate is reminded once ESTIMATE_REMINDER_DAYS before its expiry and EXPIRED at
it (days of ESTIMATE_DAY_SECONDS: one second here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from hestami.core import runtime
from tests.contractor.estimate.helpers import Shop, shop
from tests.contractor.job.test_handoff import until


@pytest.fixture(scope="module")
async def s(shared_client: httpx.AsyncClient) -> Shop:
    return await shop(shared_client)


@pytest.fixture(autouse=True)
def fast_days(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = runtime.current().settings
    monkeypatch.setattr(settings, "estimate_day_seconds", 1.0)
    monkeypatch.setattr(settings, "estimate_reminder_days", 1)
    monkeypatch.setattr(settings, "estimate_poll_seconds", 0.5)


async def status_of(s: Shop, estimate_id: str, status: str) -> dict[str, Any]:
    async def there() -> dict[str, Any] | None:
        found = await s.ok("estimate/v1/get", {"id": estimate_id})
        return found if found["status"] == status else None

    return dict(await until(there, f"the estimate {status}"))


async def discounted(s: Shop) -> dict[str, Any]:
    customer = await s.customer()
    body = {"customer_id": customer["id"], "options": [s.option("Better", "BETTER", discount="25")]}
    made = await s.ok("estimate/v1/generate", body)
    return dict(await s.ok("estimate/v1/send", {"id": made["id"]}))


async def test_a_large_discount_waits_for_a_managers_approval_then_is_sent(s: Shop) -> None:
    pending = await discounted(s)
    assert pending["status"] == "PENDING_APPROVAL"
    assert pending["sent_at"] is None
    body = {"id": pending["id"]}
    await s.fails("estimate/v1/approve", body, 403, "FORBIDDEN", who=s.members["DISPATCHER"])
    approved = await s.ok("estimate/v1/approve", {"id": pending["id"], "note": "Loyal customer"},
                          who=s.members["MANAGER"])  # fmt: skip
    assert approved["approved_by"] == str(s.members["MANAGER"].user_id)
    sent = await status_of(s, pending["id"], "SENT")
    notices = await s.ok("notification/v1/list", {"entity_id": sent["id"]})
    assert [n["template"] for n in notices["items"]] == ["estimate_proposal"]
    history = await s.ok("estimate/v1/history", {"id": sent["id"]})
    assert [h["to_status"] for h in history["items"]] == ["DRAFT", "PENDING_APPROVAL", "APPROVED", "SENT"]


async def test_a_refused_approval_makes_it_a_draft_again(s: Shop) -> None:
    pending = await discounted(s)
    refused = await s.ok("estimate/v1/approve", {"id": pending["id"], "approved": False, "note": "Too generous"})
    assert refused["status"] == "DRAFT"
    option = refused["options"][0]
    body = {"estimate_id": refused["id"], "option_id": option["id"], **s.option("Better", "BETTER", discount="5")}
    edited = await s.ok("estimate/v1/replaceOption", body)
    assert edited["options"][0]["discount_percent"] == "5.00"
    sent = await s.ok("estimate/v1/send", {"id": refused["id"]})
    assert sent["status"] == "SENT"


async def test_a_sent_estimate_is_reminded_once_then_expires(s: Shop) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    sent = await s.sent(valid_until=tomorrow)
    expired = await status_of(s, sent["id"], "EXPIRED")
    assert expired["reminded_at"] is not None
    notices = await s.ok("notification/v1/list", {"entity_id": sent["id"]})
    assert [n["template"] for n in notices["items"]] == ["estimate_proposal", "estimate_expiry_reminder"]
    history = await s.ok("estimate/v1/history", {"id": sent["id"]})
    assert [h["to_status"] for h in history["items"]][-1] == "EXPIRED"
    option = expired["options"][0]["id"]
    body = {"id": sent["id"], "option_id": option, "accepted_by_name": "Too late"}
    await s.fails("estimate/v1/recordAcceptance", body, 409, "INVALID_STATE_TRANSITION")
