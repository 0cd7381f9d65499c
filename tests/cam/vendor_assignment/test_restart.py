"""`kill -9` in the middle of a vendor assignment: after each restart `vendorAssignment_v1` goes on from where it was,
and nobody gets a second bid request, reminder or expiry notice, however the crashes fall (right after the first
round went out, at a random moment around the reminder, at a random moment around the deadline and its second
round).

Runs `hestami serve` as a subprocess with a short response hour (`VENDOR_ASSIGNMENT_HOUR_SECONDS`) and poll
(`VENDOR_ASSIGNMENT_POLL_SECONDS`), and an executor id of its own, so the restarted server recovers the workflow it
left. Four plumbers match, best first Anchor (preferred), Brightwater, Copperline, Drainworks; two bids are wanted
with 30 response hours (30 s): Anchor answers at once, Brightwater never (reminded at 15 s, expired at 30 s), so at
the deadline the next match, Copperline, is asked once; it answers (within the 15 s before its reminder, a margin
for a loaded machine), and the run ends. Drainworks is never asked."""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

HOUR_SECONDS = 1.0
RESPONSE_HOURS = 30
ZIP = "78750"
PLUMBERS = (("Anchor Plumbing", True, None), ("Brightwater Plumbing", False, "4.90"),
            ("Copperline Plumbing", False, "4.50"), ("Drainworks", False, None))  # fmt: skip


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    clock = {"vendor_assignment_hour_seconds": HOUR_SECONDS, "vendor_assignment_poll_seconds": 3.0}
    with served_with_clock(stack_env, tmp_path, monkeypatch, "vakill", clock) as running:
        yield running


@dataclass
class Plumber:
    name: str
    org: str
    tech: ServedCaller


@dataclass
class Town:
    manager: ServedCaller
    org: str
    association_id: str
    unit_id: str
    plumbers: dict[str, Plumber]

    def ok(self, path: str, body: dict[str, Any]) -> Any:
        return self.manager.ok(path, body, self.org)

    def run(self, order_id: str) -> dict[str, Any]:
        return dict(self.ok("workOrder/assignment/v1/get", {"work_order_id": order_id}))

    def request_of(self, order_id: str, name: str) -> dict[str, Any] | None:
        return next((r for r in self.run(order_id)["requests"] if r["provider_name"] == name), None)


def plumber(server: ServeProcess, name: str) -> tuple[str, ServedCaller]:
    admin = ServedCaller.register(server, "vakill")
    org = admin.ok("organization/v1/create", {"name": f"{name} {secrets.token_hex(3)}", "type": "SERVICE_PROVIDER"})
    org_id = org["organization"]["id"]
    served_contractor_profile(admin.ok, org_id, zip_codes=[ZIP])
    tech = ServedCaller.register(server, "vakill")
    invited = admin.ok("organization/v1/addMember", {"email": tech.email, "roles": ["VENDOR"]}, org_id)
    tech.ok("organization/v1/acceptInvitation", {"invitation_id": invited["member"]["id"]})
    return org_id, tech


def town(server: ServeProcess) -> Town:
    manager = ServedCaller.register(server, "vakill")
    body = {"name": f"VA Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"}
    org = manager.ok("organization/v1/create", body)["organization"]["id"]
    association = manager.ok("association/v1/create", {"name": f"Crash Hollow {secrets.token_hex(3)}"}, org)
    address = {"line1": "9 Oak Hollow Dr", "city": "Austin", "state": "TX", "postal_code": ZIP}
    prop = manager.ok(
        "property/v1/create", {"association_id": association["id"], "name": "Crash Hollow", "address": address}, org
    )
    unit = manager.ok(
        "unit/v1/create", {"property_id": prop["id"], "unit_number": "1", "unit_type": "SINGLE_FAMILY"}, org
    )
    place = Town(manager, org, association["id"], unit["id"], {})
    for name, preferred, rating in PLUMBERS:
        provider_org, tech = plumber(server, name)
        link = place.ok(
            "serviceProvider/v1/link",
            {"association_id": association["id"], "provider_organization_id": provider_org, "provider_name": name,
             "preferred": preferred},
        )  # fmt: skip
        if rating is not None:
            place.ok("serviceProvider/v1/updateLink", {"id": link["id"], "rating": rating})
        place.plumbers[name] = Plumber(name, provider_org, tech)
    return place


def answer(place: Town, order_id: str, name: str) -> None:
    request = place.request_of(order_id, name)
    assert request is not None, name
    who = place.plumbers[name]
    body = {"bid_id": request["bid_id"], "amount": "420.00", "scope": "Replace the shut-off valve"}
    who.tech.ok("bid/v1/submitBid", body, who.org)


def crash_around(server: ServeProcess, moment: str, before: float, after: float) -> None:
    """kill -9 at a random moment from `before` seconds before `moment` to `after` seconds after it, then restart."""
    at = datetime.fromisoformat(moment) + timedelta(seconds=random.uniform(-before, after))
    time.sleep(max(0.0, (at - datetime.now(UTC)).total_seconds()))
    server.kill9()
    server.start()


def sent(stack_env: dict[str, str], place: Town, order_id: str) -> Counter[tuple[str, str]]:
    rows = scoped_rows(
        stack_env, place.org,
        "SELECT template, recipient FROM outbound_messages WHERE entity_id = :id AND template LIKE 'work_order.bid_%'",
        id=order_id,
    )  # fmt: skip
    return Counter((row[0].removeprefix("work_order.bid_"), row[1]) for row in rows)


def test_kill_9_mid_run_asks_reminds_and_expires_each_provider_once(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    place = town(server)
    body = {"association_id": place.association_id, "unit_id": place.unit_id, "title": "Burst supply line",
            "description": "Water under the sink", "priority": "HIGH", "category": "PLUMBING",
            "submit": True}  # fmt: skip
    order_id = place.ok("workOrder/v1/create", body)["id"]
    started = place.ok(
        "workOrder/assignment/v1/requestBids",
        {"work_order_id": order_id, "providers": 2, "response_hours": RESPONSE_HOURS},
    )
    assert started["status"] == "RUNNING"

    # Crash 1: right after the first round went out (its turn may not have been checkpointed yet).
    wait_until(lambda: len(place.run(order_id)["requests"]) == 2, 30, "the first round")
    answer(place, order_id, "Anchor Plumbing")
    server.kill9()
    server.start()
    first = place.run(order_id)
    assert [r["provider_name"] for r in first["requests"]] == ["Anchor Plumbing", "Brightwater Plumbing"]

    # Crash 2: around the reminder (a turn, or the wait before or after it).
    crash_around(server, first["requests"][1]["remind_at"], 0.5, 0.5)
    wait_until(lambda: (place.request_of(order_id, "Brightwater Plumbing") or {}).get("reminded_at"), 30, "reminder")

    # Crash 3: around the deadline, when Brightwater expires and the second round goes out.
    crash_around(server, first["round_deadline_at"], 0.5, 1.0)
    wait_until(lambda: place.request_of(order_id, "Copperline Plumbing"), 30, "the second round")
    answer(place, order_id, "Copperline Plumbing")
    done = wait_until(lambda: (run := place.run(order_id))["status"] == "COMPLETED" and run, 30, "the run to end")
    time.sleep(1.5)  # a duplicate recorded late would show up now

    assert done["outcome"] == "2 of 2 bids in."
    statuses = {r["provider_name"]: (r["round"], r["bid_status"]) for r in done["requests"]}
    assert statuses == {
        "Anchor Plumbing": (1, "SUBMITTED"),
        "Brightwater Plumbing": (1, "EXPIRED"),
        "Copperline Plumbing": (2, "SUBMITTED"),
    }
    to = {name: f"provider:{p.org}" for name, p in place.plumbers.items()}
    assert sent(stack_env, place, order_id) == Counter(
        {
            ("requested", to["Anchor Plumbing"]): 1,
            ("requested", to["Brightwater Plumbing"]): 1,
            ("requested", to["Copperline Plumbing"]): 1,
            ("reminder", to["Brightwater Plumbing"]): 1,
            ("expired", to["Brightwater Plumbing"]): 1,
        }
    ), "each message once; Anchor and Copperline answered before their reminders; Drainworks was never asked"
    bids = scoped_rows(
        stack_env,
        place.org,
        "SELECT provider_name, count(*) FROM bids WHERE work_order_id = :id GROUP BY 1",
        id=order_id,
    )
    assert sorted(bids) == [("Anchor Plumbing", 1), ("Brightwater Plumbing", 1), ("Copperline Plumbing", 1)]
    audit = scoped_rows(
        stack_env, place.org, "SELECT action FROM audit_events WHERE entity_id = :id", id=done["id"]
    )  # fmt: skip
    assert Counter(a[0] for a in audit) == Counter(
        {"vendor_assignment.created": 1, "vendor_assignment.round_sent": 1, "vendor_assignment.next_round": 1,
         "vendor_assignment.completed": 1}
    )  # fmt: skip
    steps = Counter((s["step"], s["provider_name"]) for s in done["steps"])
    assert steps[("REMINDED", "Brightwater Plumbing")] == 1
    assert steps[("EXPIRED", "Brightwater Plumbing")] == 1
    assert steps[("NEXT_ROUND", None)] == 1

    def ended() -> Any:
        row = workflow_row(settings, started["workflow_id"])
        return row if row is not None and row.status == "SUCCESS" else None

    workflow = wait_until(ended, 30, "the workflow to end")
    assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow
