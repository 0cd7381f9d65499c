"""Many instances on one Postgres: executor leases, and recovery of a dead instance's workflows by a survivor.

DBOS tags every workflow with the executor id of the process that runs it (`DBOS_EXECUTOR_ID`) and, when a
process starts, recovers the PENDING workflows of its own id. An instance that dies for good never starts
again, so its workflows would wait forever. Each process therefore renews a lease row for its executor id
(`executor_leases`, in the app database) every `EXECUTOR_HEARTBEAT_SECONDS`. A lease not renewed within its
`EXECUTOR_LEASE_SECONDS` (the owner's setting, stored in the row) belongs to an executor that is gone: a
surviving instance of the same application version claims it with one conditional UPDATE (row lock,
`SKIP LOCKED`: exactly one survivor wins), asks DBOS to recover that executor's PENDING workflows, and deletes
the lease. DBOS re-enqueues them on its internal queue, from which exactly one live executor dequeues each
(and becomes its executor).

Subtle points:
- A survivor claims a lease only once its own lease has been renewed without a gap for at least that lease's
  period, so after a database outage (when every lease looks stale) each live instance renews before anyone
  may claim it.
- A claimant that dies while recovering leaves a claim that expires after the claimant's lease period;
  another survivor then claims and recovers again. DBOS's recovery is idempotent (it re-enqueues only
  workflows still PENDING under the dead executor id).
- A "dead" executor may come back (a paused VM, a partitioned host): its renewal clears any claim and it is
  warned that its workflows were recovered elsewhere. DBOS tolerates a workflow running twice at once (steps
  at least once, outcomes once); our steps are idempotent (outbox rows carry dedupe keys).
- Uvicorn workers of one instance share its executor id and renew the same row.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import structlog
from dbos import DBOS
from sqlalchemy import text

from hestami.core.config import Settings
from hestami.core.db import Database

log = structlog.get_logger("hestami.instances")

# Most leases one heartbeat claims: a bound on the loop, not a limit on recovery (the next beat goes on).
MAX_CLAIMS_PER_BEAT = 50

RENEW = text(
    """
    WITH previous AS (SELECT claimed_by FROM executor_leases WHERE executor_id = :me)
    INSERT INTO executor_leases (executor_id, application_version, lease_seconds, heartbeat_at)
    VALUES (:me, :version, :lease, now())
    ON CONFLICT (executor_id) DO UPDATE
    SET application_version = EXCLUDED.application_version, lease_seconds = EXCLUDED.lease_seconds,
        heartbeat_at = now(), claimed_by = NULL, claimed_at = NULL
    RETURNING (SELECT claimed_by FROM previous)
    """
)

CLAIM = text(
    """
    UPDATE executor_leases SET claimed_by = :me, claimed_at = now()
    WHERE executor_id = (
        SELECT executor_id FROM executor_leases
        WHERE executor_id <> :me
          AND application_version = :version
          AND heartbeat_at < now() - make_interval(secs => lease_seconds)
          AND lease_seconds <= :renewed_for
          AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => CAST(:lease AS double precision)))
        ORDER BY heartbeat_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    RETURNING executor_id
    """
)

RELEASE = text("DELETE FROM executor_leases WHERE executor_id = :dead AND claimed_by = :me")


def recover_workflows_of(executor_id: str) -> int:
    """DBOS's own recovery of another executor's PENDING workflows of this application version: each is
    re-enqueued for any live executor. It is what DBOS's admin-API endpoint `/dbos-workflow-recovery` calls;
    the dbos 3.4 wheel ships no admin server, so we call it directly. Blocking (system-database I/O)."""
    return len(DBOS._recover_pending_workflows([executor_id]))


class ExecutorLease:
    """This process's lease on its executor id, renewed in the background, and the claim of expired ones."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.executor_id = settings.dbos_executor_id
        self.version = settings.dbos_app_version
        self.lease_seconds = settings.executor_lease_seconds
        self.heartbeat_seconds = settings.executor_heartbeat_seconds
        self._renewed_since: float | None = None
        self._last_renewal: float | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Takes the lease before the instance serves (it may start workflows at once), then renews it."""
        await self.beat()
        self._task = asyncio.create_task(self._run(), name="executor-lease")

    async def stop(self) -> None:
        """Stops renewing. The lease then expires unless the same executor id starts again in time."""
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            await self.beat()

    async def beat(self) -> None:
        """Renews this lease, then recovers the executors whose leases expired."""
        try:
            await self.renew()
        except Exception:
            self._renewed_since = None
            log.warning("executor_lease_renewal_failed", executor_id=self.executor_id, exc_info=True)
            return
        try:
            await self.recover_expired()
        except Exception:
            log.warning("executor_recovery_failed", executor_id=self.executor_id, exc_info=True)

    async def renew(self) -> None:
        async with self.database.transaction(organization_id=None, user_id=None) as session:
            params = {"me": self.executor_id, "version": self.version, "lease": self.lease_seconds}
            claimed_by = (await session.execute(RENEW, params)).scalar()
        now = time.monotonic()
        if self._last_renewal is None or now - self._last_renewal > self.lease_seconds:
            self._renewed_since = now  # a gap longer than a lease: start counting again
        elif self._renewed_since is None:
            self._renewed_since = now
        self._last_renewal = now
        if claimed_by is not None:
            log.warning(
                "executor_lease_was_claimed",
                executor_id=self.executor_id,
                claimed_by=claimed_by,
                detail="this executor looked dead; its pending workflows may have been recovered elsewhere",
            )

    def renewed_for(self) -> float:
        """Seconds this lease has been renewed without a gap (0 when the last renewal failed)."""
        return 0.0 if self._renewed_since is None else time.monotonic() - self._renewed_since

    async def claim_expired(self) -> str | None:
        """One expired lease of this application version, claimed by this executor, or None."""
        params = {"me": self.executor_id, "version": self.version, "lease": self.lease_seconds}
        async with self.database.transaction(organization_id=None, user_id=None) as session:
            claimed = (await session.execute(CLAIM, {**params, "renewed_for": self.renewed_for()})).scalar()
        return None if claimed is None else str(claimed)

    async def release(self, dead: str) -> None:
        async with self.database.transaction(organization_id=None, user_id=None) as session:
            await session.execute(RELEASE, {"dead": dead, "me": self.executor_id})

    async def recover_expired(self) -> list[str]:
        """Claims each expired lease in turn, recovers its executor's workflows, then deletes the lease."""
        recovered: list[str] = []
        for _ in range(MAX_CLAIMS_PER_BEAT):
            dead = await self.claim_expired()
            if dead is None:
                break
            workflows = await asyncio.to_thread(recover_workflows_of, dead)
            await self.release(dead)
            recovered.append(dead)
            log.warning("executor_workflows_recovered", dead_executor_id=dead, workflows=workflows, by=self.executor_id)
        return recovered
