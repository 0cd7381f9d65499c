"""`kill -9` in the middle of `compliance_workflow_v1`: the contractor's check is recorded (NON_COMPLIANT, its own
notice sent) and the server dies in the durable pause before the associations are told. After the restart DBOS
recovers the workflow: each linked association's management hears exactly once, the contractor's own notice is not
sent again, and the workflow is SUCCESS after at least one recovery.

Runs `hestami serve` as a subprocess (`served_with_clock`) with CONTRACTOR_COMPLIANCE_STEP_PAUSE_SECONDS=3 (recorded
when the workflow starts, between the check and the notices: the window the kill falls in) and an executor id of
its own, so the restarted server recovers the workflow it left (this process may run a recovered turn too: it gets
the same pause, and every message has a dedupe key)."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from hestami.core.config import Settings
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, scoped_rows, served_with_clock, wait_until, workflow_row

CLOCK = {"contractor_compliance_step_pause_seconds": 3.0}


@pytest.fixture
def server(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServeProcess]:
    """`settings` first: the stack is migrated before the server starts on it."""
    with served_with_clock(stack_env, tmp_path, monkeypatch, "compliancekill", CLOCK) as running:
        yield running


def _linked_association(admin: ServedCaller, provider_org: str, n: int) -> str:
    org = admin.ok("organization/v1/create", {"name": f"Kill HOA {n} {secrets.token_hex(3)}",
                                              "type": "MANAGEMENT_COMPANY"})["organization"]["id"]  # fmt: skip
    association = admin.ok("association/v1/create", {"name": f"Crash Court {secrets.token_hex(3)}"}, org)
    link = {"association_id": association["id"], "provider_organization_id": provider_org, "provider_name": "Lapsed"}
    admin.ok("serviceProvider/v1/link", link, org)
    return str(org)


def test_kill_9_in_the_pause_tells_each_association_once(
    server: ServeProcess, settings: Settings, stack_env: dict[str, str]
) -> None:
    server.start()
    admin = ServedCaller.register(server, "compliancekill")
    provider = admin.ok("organization/v1/create", {"name": f"Lapsed Plumbing {secrets.token_hex(3)}",
                                                   "type": "SERVICE_PROVIDER"})["organization"]["id"]  # fmt: skip
    yesterday = date.today() - timedelta(days=1)
    served_contractor_profile(admin.ok, provider, insurance_expires=yesterday)
    hoas = [_linked_association(admin, provider, n) for n in range(2)]

    workflow_id = admin.ok("contractor/compliance/v1/check", {}, provider)["workflow_id"]

    def checked() -> dict[str, Any] | None:
        state: dict[str, Any] = admin.ok("contractor/compliance/v1/get", {}, provider)
        return state if state["checked_on"] else None

    state = wait_until(checked, 30, "the check step")
    assert state["recorded_status"] == "NON_COMPLIANT"
    server.kill9()
    told_before = [
        scoped_rows(
            stack_env, org, "SELECT id FROM outbound_messages WHERE template = 'service_provider.non_compliant'"
        )
        for org in hoas
    ]
    assert told_before == [[], []], "killed in the pause, before the associations were told"
    server.start()

    def finished() -> Any:
        row = workflow_row(settings, workflow_id)
        return row if row is not None and row.status not in ("PENDING", "ENQUEUED") else None

    workflow = wait_until(finished, 60, "the recovered workflow to finish")
    assert workflow.status == "SUCCESS", workflow
    assert workflow.recovery_attempts >= 1, workflow
    for org in hoas:
        rows = scoped_rows(stack_env, org, "SELECT template, recipient FROM outbound_messages "
                           "WHERE template = 'service_provider.non_compliant'")  # fmt: skip
        assert Counter((r.template, r.recipient) for r in rows) == Counter(
            {("service_provider.non_compliant", admin.email): 1}
        )  # fmt: skip
    own = scoped_rows(stack_env, provider, "SELECT recipient FROM outbound_messages "
                      "WHERE template = 'contractor.non_compliant'")  # fmt: skip
    assert [r.recipient for r in own] == [admin.email]
