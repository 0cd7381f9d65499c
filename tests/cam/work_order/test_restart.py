"""`kill -9` in the middle of a work order's life: after a restart the work order and its lifecycle workflow go
on, no notification is sent twice (nor lost when the crash comes right after a transition returned: each one is
recorded by its transition's own transaction), and the SLA timer still fires. Runs `hestami serve` as a
subprocess with an executor id of its own, so the restarted server recovers exactly the
workflows its predecessor left."""

from __future__ import annotations

import os
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hestami.cam.work_order import lifecycle
from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, wait_until, workflow_row

SLA_HOURS = "0.003"  # 10.8 seconds
SLA = timedelta(seconds=10.8)


@pytest.fixture
def server(settings: Settings, stack_env: dict[str, str], tmp_path: Path) -> Iterator[ServeProcess]:
    env = {**os.environ, **stack_env, "DBOS_EXECUTOR_ID": f"killtest-{secrets.token_hex(6)}"}
    running = ServeProcess(env, tmp_path)
    try:
        yield running
    finally:
        running.stop()


def sent(manager: ServedCaller, org: str, order_id: str, template: str) -> list[dict]:
    page = manager.ok("notification/v1/list", {"entity_id": order_id, "limit": 200}, org)
    return [n for n in page["items"] if n["template"] == template]


def pairs(messages: list[dict]) -> Counter[tuple[str, str]]:
    return Counter((n["payload"]["to"], n["recipient"]) for n in messages)


def test_kill_9_mid_lifecycle_recovers_the_workflow_without_duplicates_and_the_sla_still_fires(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    manager = ServedCaller.register(server, "kill")
    org = manager.ok("organization/v1/create", {"name": f"Kill {secrets.token_hex(3)}", "type": "MANAGEMENT_COMPANY"})[
        "organization"
    ]["id"]
    deputy = ServedCaller.register(server, "kill")
    invited = manager.ok("organization/v1/addMember", {"email": deputy.email, "roles": ["MANAGER"]}, org)
    deputy.ok("organization/v1/acceptInvitation", {"invitation_id": invited["member"]["id"]})
    association = manager.ok(
        "association/v1/create", {"name": "Crash Creek HOA", "work_order_sla_hours": {"EMERGENCY": SLA_HOURS}}, org
    )
    plumber = ServedCaller.register(server, "kill")
    provider_org = plumber.ok("organization/v1/create", {"name": "Crash Plumbing", "type": "SERVICE_PROVIDER"})[
        "organization"
    ]["id"]
    served_contractor_profile(plumber.ok, provider_org)
    link = {"association_id": association["id"], "provider_organization_id": provider_org, "provider_name": "Crash"}
    manager.ok("serviceProvider/v1/link", link, org)

    body = {
        "association_id": association["id"],
        "title": "Main line burst",
        "description": "Flooding",
        "priority": "EMERGENCY",
    }
    order = manager.ok("workOrder/v1/create", {**body, "submit": True}, org)
    oid = order["id"]
    due = datetime.fromisoformat(order["sla_due_at"])
    assert due - datetime.fromisoformat(order["submitted_at"]) == SLA
    manager.ok("workOrder/v1/updateStatus", {"id": oid, "status": "TRIAGED"}, org)
    managers = {manager.email, deputy.email}
    wanted = {(to, r) for to in ("SUBMITTED", "TRIAGED") for r in managers}
    assert set(pairs(sent(manager, org, oid, "work_order.status_changed"))) == wanted, "recorded with the transitions"
    breached_before_crash = sent(manager, org, oid, "work_order.sla_breached")
    if datetime.now(UTC) < due - timedelta(seconds=1):
        assert breached_before_crash == [], "the SLA cannot be breached before it is due"

    # Crash 1: in the middle of the lifecycle, with the workflow waiting for the next transition or its SLA.
    server.kill9()
    server.start()
    assigned = manager.ok("workOrder/v1/assignVendor", {"id": oid, "provider_organization_id": provider_org}, org)
    assert assigned["status"] == "ASSIGNED"
    # Crash 2: right after a transition returned: its notifications were committed with it.
    server.kill9()
    recorded = scoped_rows(
        stack_env,
        org,
        "SELECT count(*) FROM outbound_messages WHERE entity_id = :id AND payload->>'to' = 'ASSIGNED'",
        id=oid,
    )[0][0]
    server.start()
    scheduled = manager.ok(
        "workOrder/v1/schedule",
        {
            "id": oid,
            "scheduled_start": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
            "scheduled_end": (datetime.now(UTC) + timedelta(hours=3)).isoformat(),
        },
        org,
    )
    assert scheduled["status"] == "SCHEDULED"

    recipients = {*managers, f"provider:{provider_org}"}
    assert recorded == len(recipients), "a transition's notifications are committed with it"
    expected = {(to, r) for to in ("SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED") for r in recipients}
    assert set(pairs(sent(manager, org, oid, "work_order.status_changed"))) == expected, "every transition"
    breaches = wait_until(lambda: sent(manager, org, oid, "work_order.sla_breached"), 45, "the SLA breach")
    time.sleep(1.0)  # a duplicate recorded late would show up now

    changes = pairs(sent(manager, org, oid, "work_order.status_changed"))
    assert set(changes) == expected
    assert all(count == 1 for count in changes.values()), changes
    breaches = sent(manager, org, oid, "work_order.sla_breached")
    assert sorted(n["recipient"] for n in breaches) == sorted(managers)

    current = manager.ok("workOrder/v1/get", {"id": oid}, org)
    assert (current["status"], current["sla_breached"]) == ("SCHEDULED", True)
    flag = scoped_rows(stack_env, org, "SELECT sla_breached FROM work_orders WHERE id = :id", id=oid)[0]
    assert flag == (True,), "the workflow flagged the breach in the database"
    history = manager.ok("workOrder/v1/getStatusHistory", {"id": oid}, org)["items"]
    assert [h["to_status"] for h in history] == ["DRAFT", "SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED"]

    workflow = workflow_row(settings, lifecycle.workflow_id(oid))
    assert workflow is not None
    assert workflow.status == "PENDING", workflow  # still following the open work order
    # Recovery re-enqueues the workflow on DBOS's internal queue, so any live executor of the application may
    # run it on: the restarted server, or the test session's in-process app when it runs alongside.
    assert workflow.executor_id in (server.env["DBOS_EXECUTOR_ID"], settings.dbos_executor_id), workflow
