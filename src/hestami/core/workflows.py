"""DBOS: configured from settings, launched and destroyed with the app, plus the platform's own workflows.

The application version is pinned (`DBOS_APPLICATION_VERSION`), so a process restarted after a crash
recovers the PENDING workflows it left. The app role connects to the system database but does not migrate
it: `hestami migrate` does that as the owner and grants the app role what it needs.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
import structlog
from dbos import DBOS, DBOSConfig, ScheduleInput, SendMessage
from dbos._error import DBOSNonExistentWorkflowError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.pool import NullPool

from hestami.core import runtime
from hestami.core.config import Settings
from hestami.core.db import SET_SCOPE, psycopg_url
from hestami.core.idempotency import IdempotencyStore

log = structlog.get_logger("hestami.workflows")

IDEMPOTENCY_CLEANUP_SCHEDULE = "idempotencyKeyCleanup_v1"


SYSTEM_DATABASE_POOL_SIZE = 10
_queues: dict[str, Callable[[Settings], int]] = {}


def declare_queue(name: str, worker_concurrency: Callable[[Settings], int]) -> str:
    """A DBOS queue a domain's workflows are enqueued on (batches with a limit on how many run at once per
    process), registered when DBOS launches. Declared at import, like the workflows themselves."""
    _queues[name] = worker_concurrency
    return name


_schedules: dict[str, tuple[Callable[..., Any], Callable[[Settings], str]]] = {}


def declare_schedule(name: str, workflow_fn: Callable[..., Any], cron: Callable[[Settings], str]) -> str:
    """A DBOS schedule of a domain's workflow (`workflow_fn(scheduled_time, context)`, a `@DBOS.workflow`), on
    the cron expression the settings give, applied when DBOS launches. Declared at import, like the queues."""
    _schedules[name] = (workflow_fn, cron)
    return name


@DBOS.step(name="workflowSetting")
async def recorded_setting(name: str) -> Any:
    """A setting that shapes a workflow's steps (a pause between batches: a durable sleep or none), read once as
    a step: a recovered workflow replays the value it started with, whichever process (with whatever settings)
    dequeues it. DBOS re-enqueues a recovered workflow, so any executor on the system database may run it."""
    return getattr(runtime.current().settings, name)


_system_engine: Engine | None = None


class NotCommittedYet(Exception):  # noqa: N818 - a state, not a failure
    """A step started before the transaction that starts its workflow commits (so that a crash cannot lose the
    workflow) found its record not visible yet: it retries. Expected, so its retries are not logged as warnings
    with a traceback (`_QuietRetries`)."""


class _QuietRetries(logging.Filter):
    """Drops DBOS's retry warnings for `NotCommittedYet`; every other retry is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, NotCommittedYet)


logging.getLogger("dbos").addFilter(_QuietRetries())


def database_unavailable(error: BaseException) -> bool:
    """A database restarting or out of reach: an idempotent step waits for it rather than end its workflow."""
    return isinstance(error, OperationalError | InterfaceError)


def step_retries(*waiting_for: type[BaseException]) -> dict[str, Any]:
    """`@DBOS.step` options for an idempotent step: it tries again (0.5 s, then half again as long each time, 12
    tries: about two minutes) while the database is out of reach or it raises one of `waiting_for` (the record a
    workflow was started for, before that transaction committed)."""

    def retry(error: BaseException) -> bool:
        return database_unavailable(error) or isinstance(error, waiting_for)

    return {
        "retries_allowed": True,
        "interval_seconds": 0.5,
        "backoff_rate": 1.5,
        "max_attempts": 12,
        "should_retry": retry,
    }


def _absent_server_is_a_lost_connection(context: ExceptionContext) -> None:
    """psycopg 3.3 reports a server that is not there (stopped, restarting) as "connection is bad: ...", which
    SQLAlchemy cannot flag as a disconnect (there is no connection to inspect) and DBOS 3.4 does not recognize
    either (it looks for "connection failed"). DBOS then raised out of a workflow instead of waiting for its
    system database, and could not record the outcome either: the workflow stayed PENDING but ran no more until
    the process restarted (`python -m bench.soak` found lifecycles that had died in `recv` during a Postgres
    restart). Flagged as a disconnect, DBOS retries the operation until the server is back."""
    if context.connection is None and isinstance(context.original_exception, psycopg.OperationalError):
        context.is_disconnect = True


def system_database_engine(settings: Settings) -> Engine:
    """DBOS's system-database engine, as DBOS would build it (same pool, pre-ping, application name, idle
    transaction timeout), plus `_absent_server_is_a_lost_connection`."""
    engine = create_engine(
        psycopg_url(settings.dbos_database_url),
        pool_size=SYSTEM_DATABASE_POOL_SIZE,
        max_overflow=0,
        pool_timeout=30,
        pool_pre_ping=True,
        connect_args={
            "application_name": "dbos_transact",
            "connect_timeout": 10,
            "options": "-c idle_in_transaction_session_timeout=60000",
        },
    )
    event.listen(engine, "handle_error", _absent_server_is_a_lost_connection)
    return engine


def dbos_config(settings: Settings, engine: Engine | None = None) -> DBOSConfig:
    config: DBOSConfig = {
        "name": "hestami",
        "system_database_url": psycopg_url(settings.dbos_database_url),
        "application_version": settings.dbos_app_version,
        "executor_id": settings.dbos_executor_id,
        "run_migrations": False,
        "log_level": settings.log_level.upper(),
        "sys_db_pool_size": SYSTEM_DATABASE_POOL_SIZE,
        "scheduler_polling_interval_sec": 10.0,
    }
    if engine is not None:
        config["system_database_engine"] = engine
    return config


def migrate_system_database(settings: Settings) -> None:
    """Create or upgrade the DBOS system database as the owner role and grant the app role its use."""
    DBOS.migrate(psycopg_url(settings.dbos_owner_database_url()), application_role=settings.app_role)


def launch(settings: Settings) -> None:
    global _system_engine
    _system_engine = system_database_engine(settings)
    DBOS(config=dbos_config(settings, _system_engine))
    DBOS.launch()
    DBOS.apply_schedules(
        [
            {
                "schedule_name": IDEMPOTENCY_CLEANUP_SCHEDULE,
                "workflow_fn": idempotency_key_cleanup_v1,
                "schedule": settings.idempotency_cleanup_cron,
                "context": None,
            },
            *(
                ScheduleInput(schedule_name=name, workflow_fn=workflow_fn, schedule=cron(settings), context=None)
                for name, (workflow_fn, cron) in _schedules.items()
            ),
        ]
    )


async def register_queues(settings: Settings) -> None:
    """Registers the declared queues (after `launch`, from the app's event loop)."""
    for name, worker_concurrency in _queues.items():
        await DBOS.register_queue_async(name, worker_concurrency=worker_concurrency(settings))


def destroy() -> None:
    global _system_engine
    DBOS.destroy(workflow_completion_timeout_sec=0)
    if _system_engine is not None:  # ours, so DBOS does not dispose of it
        _system_engine.dispose()
        _system_engine = None


class Wakeups:
    """Messages that only wake a workflow up (it reads committed state, so a lost one delays it and loses
    nothing), sent behind the caller's back and in bulk: the caller never waits on the system database, and
    whatever is posted while a send is under way goes out together in the next one, at most one message per
    workflow and topic (the latest).

    The sender runs in a context of its own: a wake-up posted from inside a workflow's step (a step's transaction
    moving a record whose hooks wake another workflow) is no operation of that workflow. Run in the step's context,
    DBOS would record the send as the workflow's next operation, concurrently with the workflow's own, and the
    workflow would then fail as not deterministic (DBOSUnexpectedStepError)."""

    def __init__(self) -> None:
        self._pending: dict[tuple[str, str], Any] = {}
        self._sender: asyncio.Task[None] | None = None

    def post(self, workflow_id: str, topic: str, message: Any) -> None:
        self._pending[(workflow_id, topic)] = message
        loop = asyncio.get_running_loop()
        if self._sender is None or self._sender.done() or self._sender.get_loop() is not loop:
            self._sender = loop.create_task(
                self._send_pending(), name="workflow-wakeups", context=contextvars.Context()
            )

    async def settled(self) -> None:
        """Returns once everything posted so far on this loop has been sent (or given up)."""
        sender = self._sender
        while sender is not None and not sender.done() and sender.get_loop() is asyncio.get_running_loop():
            await asyncio.shield(sender)
            sender = self._sender

    async def _send_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, {}
            messages = [SendMessage(workflow_id, message, topic) for (workflow_id, topic), message in batch.items()]
            try:
                await DBOS.send_bulk_async(messages)
            except Exception as error:
                if len(messages) == 1:
                    _not_sent(messages[0], error)
                else:
                    await self._send_each(messages)

    @staticmethod
    async def _send_each(messages: list[SendMessage]) -> None:
        """A bulk send fails as a whole (one destination that does not exist fails it): then one by one."""
        for message in messages:
            try:
                await DBOS.send_async(message.destination_id, message.message, message.topic)
            except Exception as error:
                _not_sent(message, error)


def _not_sent(message: SendMessage, error: Exception) -> None:
    """A wake-up for a workflow that was never started (a bid answered on a work order without a vendor
    assignment run) is expected: noted without a traceback. Any other failure is a warning."""
    if isinstance(error, DBOSNonExistentWorkflowError):
        log.info("workflow_wakeup_no_workflow", workflow_id=message.destination_id)
    else:
        log.warning("workflow_wakeup_failed", workflow_id=message.destination_id, exc_info=error)


wakeups = Wakeups()
"""The process's wake-ups (DBOS is one per process too)."""


def is_healthy() -> bool:
    try:
        DBOS.list_workflows(limit=1)
    except Exception:
        log.warning("dbos_unhealthy", exc_info=True)
        return False
    return True


@DBOS.step(name="purgeExpiredIdempotencyKeys")
def purge_expired_idempotency_keys() -> int:
    """Deletes stored answers past their expiry. Idempotent, so at-least-once is fine.

    Runs on a short-lived engine of its own: DBOS may run it on a thread and loop other than the app's.
    The table's DELETE policy admits only expired rows, so no tenant scope is needed (or given).
    """
    settings = runtime.current().settings
    engine = create_engine(psycopg_url(settings.database_url), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(SET_SCOPE, {"org": "", "user": ""})
            deleted = conn.execute(IdempotencyStore.PURGE).rowcount
    finally:
        engine.dispose()
    log.info("idempotency_keys_purged", deleted=deleted)
    return int(deleted)


@DBOS.workflow(name=IDEMPOTENCY_CLEANUP_SCHEDULE)
def idempotency_key_cleanup_v1(scheduled_time: datetime, context: Any) -> None:
    """Scheduled: removes idempotency keys older than their time to live (at least 24 h)."""
    purge_expired_idempotency_keys()
