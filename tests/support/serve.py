"""`hestami serve --workers 1` as a child process of a test, on the test stack's environment: started, awaited,
killed with -9 or stopped with SIGTERM, restartable on the same environment, with its log at hand; a logged-in
caller of such servers; and waiting for a condition."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hestami.core import runtime
from hestami.core.config import Settings
from hestami.core.db import SET_SCOPE, psycopg_url
from hestami.core.embedded.process import free_port
from tests.support.accounts import PASSWORD, unique_email

SERVED_VERSION = "hestami-0.1+served"
"""The DBOS application version of every served process: not the session's in-process app's. A sync test blocks the
session's event loop while its server runs, so the in-process app's executor lease goes stale; with one version the
served process would claim it and recover the in-process app's workflows (the demo's hand-offs among them), then die
with them at the test's end, and the in-process app would dequeue the served processes' recovered workflows on a loop
its engine is not bound to. Versions apart, each recovers only its own kind; served processes still recover each
other (`test_instances`)."""


class ServeProcess:
    def __init__(self, env: dict[str, str], workdir: Path, log_name: str = "serve.log") -> None:
        env = {**env, "DBOS_APPLICATION_VERSION": SERVED_VERSION}
        self.env, self.workdir, self.log = env, workdir, workdir / log_name
        self.proc: subprocess.Popen[bytes] | None = None
        self.base = ""

    def start(self, *, timeout: float = 90) -> None:
        """Starts on a free port (appending to the log) and waits until `/api/health` answers 200."""
        self.launch()
        self.wait_healthy(timeout)

    def launch(self) -> None:
        """Starts on a free port without waiting (so several servers can start side by side)."""
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "hestami.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [*command, "--workers", "1"], cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            assert self.proc.poll() is None, self.tail()
            try:
                if httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"hestami serve did not become healthy:\n{self.tail()}")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(15)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(15)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


@dataclass(frozen=True)
class ServedCaller:
    """A registered, logged-in user calling a served API over HTTP. The token survives restarts and is good on
    every instance (sessions live in Redis); `at(other)` calls another instance with it."""

    server: ServeProcess
    email: str
    token: str
    user_id: str

    @classmethod
    def register(cls, server: ServeProcess, prefix: str = "served") -> ServedCaller:
        email = unique_email(prefix)
        body = {"email": email, "password": PASSWORD, "name": "S. Test"}
        assert httpx.post(f"{server.base}/api/v1/rpc/auth/v1/register", json=body, timeout=30).status_code == 200
        login = httpx.post(
            f"{server.base}/api/v1/rpc/auth/v1/login", json={"email": email, "password": PASSWORD}, timeout=30
        )
        assert login.status_code == 200, login.text
        data = login.json()["data"]
        return cls(server, email, data["token"], data["user"]["id"])

    def at(self, server: ServeProcess) -> ServedCaller:
        return replace(self, server=server)

    def post(self, path: str, body: dict[str, Any], org: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", "Idempotency-Key": secrets.token_hex(8)}
        if org is not None:
            headers["X-Org-Id"] = org
        return httpx.post(f"{self.server.base}/api/v1/rpc/{path}", json=body, headers=headers, timeout=30)

    def ok(self, path: str, body: dict[str, Any], org: str | None = None) -> Any:
        response = self.post(path, body, org)
        assert response.status_code == 200, f"{path}: {response.text}"
        return response.json()["data"]


def wait_until(probe: Callable[[], Any], timeout: float, what: str) -> Any:
    """Polls `probe` until it returns something truthy (returned), or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last: {result!r}")
        time.sleep(0.25)


def scoped_rows(stack_env: dict[str, str], org: str, sql: str, **params: Any) -> list[Any]:
    """Rows read as the app role in `org`'s scope (row-level security applies), outside any served process."""
    engine = create_engine(psycopg_url(stack_env["DATABASE_URL"]), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(SET_SCOPE, {"org": org, "user": ""})
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


def workflow_row(settings: Settings, workflow_id: str) -> Any:
    """A workflow's status, executor and recovery attempts in DBOS's system database (None if unknown)."""
    engine = create_engine(psycopg_url(settings.dbos_database_url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            sql = (
                "SELECT status, executor_id, recovery_attempts, output FROM dbos.workflow_status "
                "WHERE workflow_uuid = :id"
            )
            return conn.execute(text(sql), {"id": workflow_id}).one_or_none()
    finally:
        engine.dispose()


@contextmanager
def served_with_clock(
    stack_env: dict[str, str], tmp_path: Path, monkeypatch: Any, name: str, clock: dict[str, float]
) -> Iterator[ServeProcess]:
    """`hestami serve` on the test stack with its own executor id and a short clock (settings by field name, e.g.
    `{"arc_day_seconds": 0.5}`, passed as their environment variables). Recovery re-enqueues a workflow on DBOS's
    internal queue, so the session's in-process app, when it runs alongside, may run a turn too: it gets the same
    clock for the length of the test."""
    env = {**os.environ, **stack_env, "DBOS_EXECUTOR_ID": f"{name}-{secrets.token_hex(6)}"}
    env.update({field.upper(): str(value) for field, value in clock.items()})
    try:
        local = runtime.current().settings
    except RuntimeError:
        local = None
    if local is not None:
        for field, value in clock.items():
            monkeypatch.setattr(local, field, value)
    running = ServeProcess(env, tmp_path)
    try:
        yield running
    finally:
        running.stop()
