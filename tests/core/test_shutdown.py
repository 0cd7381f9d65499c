"""Graceful shutdown of `hestami serve`: on SIGTERM it stops taking connections, lets requests in flight finish
within `SHUTDOWN_GRACE_SECONDS`, cuts off what runs longer (rolled back, answered 503 to retry), and exits."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg

from hestami.core.config import Settings
from hestami.core.embedded.process import free_port

ROOT = Path(__file__).resolve().parents[2]
GRACE_SECONDS = 3
QUICK_SECONDS = 1.5  # finishes within the grace period
SLOW_SECONDS = 5.0  # does not: cancelled at the end of it


def start_serve(stack_env: dict[str, str], workdir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **stack_env,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DBOS_EXECUTOR_ID": f"shutdown-{secrets.token_hex(4)}",
        "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
    }
    command = [sys.executable, "-m", "tests.support.serve_with_notes", "--host", "127.0.0.1", "--port", str(port)]
    with (workdir / "serve.log").open("wb") as log:
        return subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("hestami serve did not become ready:\n" + log.read_text()[-3000:])


def admin_of_new_org(base: str) -> tuple[dict[str, str], str]:
    email, password = f"shutdown-{secrets.token_hex(5)}@example.com", "correct horse battery"
    rpc = f"{base}/api/v1/rpc"
    httpx.post(f"{rpc}/auth/v1/register", json={"email": email, "password": password, "name": "S. Hutdown"})
    login = httpx.post(f"{rpc}/auth/v1/login", json={"email": email, "password": password}, timeout=10)
    headers = {"Authorization": f"Bearer {login.json()['data']['token']}"}
    org = httpx.post(
        f"{rpc}/organization/v1/create",
        json={"name": "Shutdown HOA", "type": "COMMUNITY_ASSOCIATION"},
        headers={**headers, "Idempotency-Key": secrets.token_hex(8)},
        timeout=10,
    )
    assert org.status_code == 200, org.text
    return headers, org.json()["data"]["organization"]["id"]


def slow_note(base: str, headers: dict[str, str], org: str, body: str, delay: float, out: dict[str, Any]) -> None:
    try:
        out[body] = httpx.post(
            f"{base}/api/v1/rpc/testNote/v1/create",
            json={"body": body, "delay_seconds": delay},
            headers={**headers, "X-Org-Id": org, "Idempotency-Key": secrets.token_hex(8)},
            timeout=30,
        )
    except httpx.HTTPError as exc:
        out[body] = exc


def note_bodies(settings: Settings, org: str) -> set[str]:
    with psycopg.connect(settings.owner_database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("SELECT set_config('app.current_org_id', %s, false)", (org,))
        rows = conn.execute("SELECT body FROM test_notes WHERE organization_id = %s", (uuid.UUID(org),)).fetchall()
    return {row[0] for row in rows}


def test_sigterm_finishes_requests_in_flight_within_the_grace_period(
    settings: Settings, stack_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_serve(stack_env, tmp_path, port)
    try:
        wait_ready(base, proc, tmp_path / "serve.log")
        headers, org = admin_of_new_org(base)
        answers: dict[str, Any] = {}
        calls = [
            threading.Thread(target=slow_note, args=(base, headers, org, "quick", QUICK_SECONDS, answers)),
            threading.Thread(target=slow_note, args=(base, headers, org, "slow", SLOW_SECONDS, answers)),
        ]
        for call in calls:
            call.start()
        time.sleep(0.7)  # both are in flight
        proc.send_signal(signal.SIGTERM)
        stopped_at = time.monotonic()
        time.sleep(0.3)
        try:
            refused = httpx.get(f"{base}/api/health/live", timeout=2)
        except httpx.TransportError:
            refused = None
        assert refused is None, "a new connection after SIGTERM must be refused"
        proc.wait(GRACE_SECONDS + 20)
        for call in calls:
            call.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    log = (tmp_path / "serve.log").read_text()[-3000:]
    quick = answers["quick"]
    assert isinstance(quick, httpx.Response), f"{quick!r}\n{log}"
    assert quick.status_code == 200, quick.text
    slow = answers["slow"]
    assert isinstance(slow, httpx.Response), f"{slow!r}\n{log}"
    assert slow.status_code == 503, slow.text  # cut off at the end of the grace period, told to retry
    assert slow.json()["error"]["details"] == {"reason": "CUT_OFF"}
    assert slow.json()["error"]["retryable"] is True
    assert time.monotonic() - stopped_at < GRACE_SECONDS + 10
    assert note_bodies(settings, org) == {"quick"}, "the cut-off request rolled back"
