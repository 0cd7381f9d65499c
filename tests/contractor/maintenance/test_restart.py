"""`kill -9` around `maintenance_contract_v1`: right after a quarterly agreement whose term ends in two "days" is
activated (its run started in the activating transaction, its first turn perhaps not taken), and right after its
term was renewed at term end (the turn that renewed it may be replayed). After each restart DBOS recovers the run:
the term is renewed once (one renewal, one second term), the second term's four visits are generated once, the
RENEWED notice goes out once.

Runs `hestami serve` as a subprocess (`served_with_clock`) with MAINTENANCE_DAY_SECONDS=1 (recorded on the
agreement when it is activated) and an executor id of its own, so the restarted server recovers the run it left."""

from __future__ import annotations

import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from hestami.core.config import Settings
from tests.contractor.maintenance.helpers import quarterly_after
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, served_with_clock, wait_until

CLOCK = {"maintenance_day_seconds": 1.0, "maintenance_poll_seconds": 1.0}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "maintenancekill", CLOCK) as running:
        yield running


def test_kill_9_around_activation_and_renewal_renews_once(server: ServeProcess, settings: Settings) -> None:
    server.start()
    admin = ServedCaller.register(server, "maintenancekill")
    org = admin.ok("organization/v1/create", {"name": f"Crash Comfort {secrets.token_hex(3)}",
                                              "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    served_contractor_profile(admin.ok, org)
    customer = admin.ok("customer/v1/create", {"name": "Crash Member", "email": "member@example.com"}, org)
    today = datetime.now(ZoneInfo(settings.dispatch_time_zone)).date()
    start = today + timedelta(days=3) - relativedelta(months=12)  # the term ends in two days
    quarterly = quarterly_after(today + timedelta(days=3))  # term 2's visits: not on its first days
    made = admin.ok("maintenance/v1/create", {
        "name": "Crash Comfort Club", "trade": "HVAC", "customer_id": customer["id"], "term_start": start.isoformat(),
        "price": "240.00", "schedule_rrule": quarterly, "renewal_price_change_percent": "5",
    }, org)  # fmt: skip
    admin.ok("maintenance/v1/activate", {"id": made["id"]}, org)
    server.kill9()  # at once: the first turn may or may not have run
    server.start()

    def renewed() -> dict[str, Any] | None:
        found: dict[str, Any] = admin.ok("maintenance/v1/get", {"id": made["id"]}, org)
        return found if found["term_number"] == 2 else None

    wait_until(renewed, 60, "the second term in force")
    server.kill9()  # right after the renewal: its turn may be replayed
    server.start()
    time.sleep(3)  # a few more turns (days) on the recovered run
    agreement = admin.ok("maintenance/v1/get", {"id": made["id"]}, org)
    assert [(t["term_number"], t["price"]) for t in agreement["terms"]] == [(1, "240.00"), (2, "252.00")]
    assert [r["kind"] for r in agreement["renewals"]] == ["AUTO"]
    visits = admin.ok("maintenance/v1/listVisits", {"id": made["id"]}, org)["items"]
    assert Counter(v["term_number"] for v in visits)[2] == 4
    assert len({v["occurs_on"] for v in visits}) == len(visits)
    history = admin.ok("maintenance/v1/history", {"id": made["id"]}, org)["items"]
    moves = Counter(h["action"] for h in history)
    assert (moves["activate"], moves["renew"], moves["start_term"]) == (1, 1, 1), history
    sent = admin.ok("notification/v1/list", {"entity_id": made["id"]}, org)["items"]
    assert Counter(m["template"] for m in sent)["maintenance.renewed"] == 1
    admin.ok("maintenance/v1/cancel", {"id": made["id"], "reason": "Test over"}, org)  # ends the run
