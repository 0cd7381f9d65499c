"""`kill -9` around `estimate_generation_v1`: right after a manager approves a discounted estimate (the run that
sends it may not have run yet) and right after it is sent (its reminder and expiry timers are durable). After each
restart DBOS recovers the run: the estimate is sent once (one proposal, one message), reminded once and EXPIRED.

Runs `hestami serve` as a subprocess (`served_with_clock`) with ten-second "days" and one-second polls (recorded when
the run starts) and an executor id of its own, so the restarted server recovers the run it left."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, served_with_clock, wait_until

CLOCK = {"estimate_day_seconds": 10.0, "estimate_poll_seconds": 1.0, "estimate_reminder_days": 1}
"""Valid through tomorrow: sent, reminded 10 s later and EXPIRED 20 s after the sending (a restart takes less)."""


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "estimatekill", CLOCK) as running:
        yield running


def _roofer(admin: ServedCaller) -> str:
    org = admin.ok("organization/v1/create", {"name": f"Crash Roofing {secrets.token_hex(3)}",
                                              "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, org, trades=("ROOFING",))
    version = admin.ok("pricebook/v1/createVersion", {"name": "Roofing"}, org)["id"]
    item = {"version_id": version, "code": "RF-LAB", "name": "Roofer hour", "kind": "LABOR", "unit": "HOUR",
            "price": "95.00"}  # fmt: skip
    admin.ok("pricebook/v1/createItem", item, org)
    admin.ok("pricebook/v1/publishVersion", {"id": version}, org)
    admin.ok("pricebook/v1/activateVersion", {"id": version}, org)
    return str(org)


def test_kill_9_around_the_approval_sends_once_reminds_once_and_expires(server: ServeProcess) -> None:
    server.start()
    admin = ServedCaller.register(server, "estimatekill")
    org = _roofer(admin)
    customer = admin.ok("customer/v1/create", {"name": "Dana Homeowner", "email": "dana@example.com"}, org)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    option = {"name": "Better", "tier": "BETTER", "items": [{"code": "RF-LAB", "quantity": "4"}],
              "discount_percent": "20"}  # fmt: skip
    made = admin.ok("estimate/v1/generate", {"customer_id": customer["id"], "valid_until": tomorrow,
                                             "options": [option]}, org)  # fmt: skip
    assert admin.ok("estimate/v1/send", {"id": made["id"]}, org)["status"] == "PENDING_APPROVAL"
    admin.ok("estimate/v1/approve", {"id": made["id"]}, org)
    server.kill9()  # at once: the run may not have sent it yet
    server.start()

    def status(wanted: str) -> dict[str, Any] | None:
        found: dict[str, Any] = admin.ok("estimate/v1/get", {"id": made["id"]}, org)
        return found if found["status"] == wanted else None

    wait_until(lambda: status("SENT") or status("EXPIRED"), 60, "the estimate sent")
    server.kill9()  # its reminder and expiry are durable timers
    server.start()
    expired = wait_until(lambda: status("EXPIRED"), 60, "the estimate EXPIRED")
    assert expired["reminded_at"] is not None
    proposals = admin.ok("estimate/v1/listProposals", {"estimate_id": made["id"]}, org)["items"]
    assert len(proposals) == 1, proposals
    notices = admin.ok("notification/v1/list", {"entity_id": made["id"]}, org)["items"]
    assert Counter(n["template"] for n in notices) == {"estimate_proposal": 1, "estimate_expiry_reminder": 1}
    history = admin.ok("estimate/v1/history", {"id": made["id"]}, org)["items"]
    assert [h["to_status"] for h in history] == ["DRAFT", "PENDING_APPROVAL", "APPROVED", "SENT", "EXPIRED"]
