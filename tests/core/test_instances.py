"""Many instances on one Postgres (`hestami.core.instances`): when one `hestami serve` dies for good, a survivor
claims its expired executor lease, recovers its pending workflows through DBOS, and the lifecycle goes on with
every notification exactly once. Plus the lease claim itself: exactly one claimant, never a live lease."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hestami.cam.work_order import lifecycle
from hestami.core.config import Settings
from hestami.core.db import Database, psycopg_url
from hestami.core.instances import ExecutorLease
from tests.support.contractors import served_contractor_profile
from tests.support.serve import ServedCaller, ServeProcess, wait_until

LEASE_SECONDS = "3"
TRANSITIONS = ["SUBMITTED", "TRIAGED", "ASSIGNED", "SCHEDULED", "IN_PROGRESS", "COMPLETED", "INVOICED", "CLOSED"]


class Instance(ServeProcess):
    """One `hestami serve --workers 1` with an executor id of its own and a short lease, launched at once."""

    def __init__(self, name: str, stack_env: dict[str, str], workdir: Path) -> None:
        self.executor_id = f"{name}-{secrets.token_hex(4)}"
        env = {
            **os.environ,
            **stack_env,
            "DBOS_EXECUTOR_ID": self.executor_id,
            "EXECUTOR_LEASE_SECONDS": LEASE_SECONDS,
            "EXECUTOR_HEARTBEAT_SECONDS": "0.5",
        }
        super().__init__(env, workdir, f"{name}.log")
        self.launch()


@pytest.fixture
def instances(settings: Settings, stack_env: dict[str, str], tmp_path: Path) -> Iterator[tuple[Instance, Instance]]:
    victim, survivor = Instance("victim", stack_env, tmp_path), Instance("survivor", stack_env, tmp_path)
    try:
        victim.wait_healthy()
        survivor.wait_healthy()
        yield victim, survivor
    finally:
        victim.stop()
        survivor.stop()


def system_row(settings: Settings, sql: str, **params: Any) -> Any:
    engine = create_engine(psycopg_url(settings.dbos_database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).one_or_none()
    finally:
        engine.dispose()


def app_row(settings: Settings, sql: str, **params: Any) -> Any:
    engine = create_engine(psycopg_url(settings.database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).one_or_none()
    finally:
        engine.dispose()


def workflow(settings: Settings, workflow_id: str) -> Any:
    sql = "SELECT status, executor_id FROM dbos.workflow_status WHERE workflow_uuid = :id"
    return system_row(settings, sql, id=workflow_id)


def status_changes(manager: ServedCaller, at: Instance, org: str, order_id: str) -> Counter[tuple[str, str]]:
    page = manager.at(at).ok("notification/v1/list", {"entity_id": order_id, "limit": 200}, org)
    return Counter(
        (n["payload"]["to"], n["recipient"]) for n in page["items"] if n["template"] == "work_order.status_changed"
    )


def test_a_survivor_recovers_the_workflows_of_an_instance_killed_for_good(
    instances: tuple[Instance, Instance], settings: Settings
) -> None:
    victim, survivor = instances
    manager = ServedCaller.register(survivor)
    org = manager.ok("organization/v1/create", {"name": "Twin Mgmt", "type": "MANAGEMENT_COMPANY"})
    org = org["organization"]["id"]
    association = manager.ok("association/v1/create", {"name": "Twin Pines HOA"}, org)
    plumber = ServedCaller.register(survivor)
    provider = plumber.ok("organization/v1/create", {"name": "Twin Plumbing", "type": "SERVICE_PROVIDER"})
    provider = provider["organization"]["id"]
    served_contractor_profile(plumber.ok, provider)
    link = {"association_id": association["id"], "provider_organization_id": provider, "provider_name": "Twin"}
    manager.ok("serviceProvider/v1/link", link, org)

    body = {"association_id": association["id"], "title": "Roof leak", "description": "Attic", "submit": True}
    oid = manager.at(victim).ok("workOrder/v1/create", body, org)["id"]
    workflow_id = lifecycle.workflow_id(oid)
    wait_until(lambda: status_changes(manager, victim, org, oid), 30, "the SUBMITTED notice from the victim")
    assert workflow(settings, workflow_id).executor_id == victim.executor_id
    manager.at(victim).ok("workOrder/v1/updateStatus", {"id": oid, "status": "TRIAGED"}, org)
    killed_at = time.monotonic()
    victim.kill9()  # right after a transition returned: its notices were committed with it

    recovered = wait_until(
        lambda: (row := workflow(settings, workflow_id)) is not None and row.executor_id != victim.executor_id and row,
        30,
        "a survivor to recover the victim's lifecycle",
    )
    recovery_seconds = time.monotonic() - killed_at
    # DBOS re-enqueues a recovered workflow for any live executor: the survivor, or the test session's own app
    # when it runs alongside.
    assert recovered.executor_id in (survivor.executor_id, settings.dbos_executor_id), recovered
    lease = "SELECT claimed_by FROM executor_leases WHERE executor_id = :id"
    wait_until(lambda: app_row(settings, lease, id=victim.executor_id) is None, 10, "the dead lease to be released")

    manager.ok("workOrder/v1/assignVendor", {"id": oid, "provider_organization_id": provider}, org)
    start = datetime.now(UTC) + timedelta(hours=1)
    window = {"scheduled_start": start.isoformat(), "scheduled_end": (start + timedelta(hours=2)).isoformat()}
    manager.ok("workOrder/v1/schedule", {"id": oid, **window}, org)
    manager.ok("workOrder/v1/updateStatus", {"id": oid, "status": "IN_PROGRESS"}, org)
    manager.ok("workOrder/v1/complete", {"id": oid, "completion_notes": "Flashing", "actual_cost": "90"}, org)
    invoice = {"id": oid, "invoice_number": "T-1", "amount": "90.00", "invoice_date": "2026-11-20"}
    manager.ok("workOrder/v1/createInvoice", invoice, org)
    manager.ok("workOrder/v1/updateStatus", {"id": oid, "status": "CLOSED"}, org)

    wait_until(lambda: workflow(settings, workflow_id).status == "SUCCESS", 45, "the lifecycle to end")
    time.sleep(1.0)  # a duplicate recorded late would show up now
    changes = status_changes(manager, survivor, org, oid)
    assert {to for to, _ in changes} == set(TRANSITIONS), changes
    assert all(count == 1 for count in changes.values()), changes
    notified = {to: {r for t, r in changes if t == to} for to in TRANSITIONS}
    assert notified["SUBMITTED"] == notified["TRIAGED"], "the transition at the kill was notified like any other"
    assert f"provider:{provider}" in notified["CLOSED"]
    print(f"recovered after {recovery_seconds:.1f} s (lease {LEASE_SECONDS} s)")


def lease_for(settings: Settings, executor_id: str, version: str) -> ExecutorLease:
    configured = settings.model_copy(
        update={"dbos_executor_id": executor_id, "dbos_app_version": version, "executor_lease_seconds": 3.0}
    )
    return ExecutorLease(Database(settings.database_url, pool_size=2), configured)


async def test_exactly_one_survivor_claims_an_expired_lease_and_never_a_live_one(settings: Settings) -> None:
    version = f"lease-test-{secrets.token_hex(4)}"  # isolates these rows from real executors' leases
    dead, alive = lease_for(settings, "dead", version), lease_for(settings, "alive", version)
    claimants = [lease_for(settings, f"survivor-{n}", version) for n in range(4)]
    everyone = [dead, alive, *claimants]
    try:
        for lease in everyone:
            await lease.renew()
        async with dead.database.transaction(organization_id=None, user_id=None) as session:
            await session.execute(
                text("UPDATE executor_leases SET heartbeat_at = now() - interval '1 hour' WHERE executor_id = 'dead'")
            )
        assert await claimants[0].claim_expired() is None, "no claim before a lease period of own renewals"
        for lease in claimants:
            lease._renewed_since = time.monotonic() - 10  # as if renewed for 10 s already

        claims = await asyncio.gather(*(lease.claim_expired() for lease in claimants))
        assert claims.count("dead") == 1, claims
        assert "alive" not in claims
        winner = claimants[claims.index("dead")]
        assert await winner.claim_expired() is None, "a claimed lease is not claimed again while the claim holds"

        await dead.renew()  # the dead executor came back (a zombie): its renewal clears the claim
        await winner.release("dead")
        row = "SELECT claimed_by FROM executor_leases WHERE executor_id = 'dead'"
        async with dead.database.transaction(organization_id=None, user_id=None) as session:
            assert (await session.execute(text(row))).one() == (None,), "a release does not remove a live lease"
    finally:
        async with dead.database.transaction(organization_id=None, user_id=None) as session:
            await session.execute(text("DELETE FROM executor_leases WHERE application_version = :v"), {"v": version})
        for lease in everyone:
            await lease.database.dispose()
