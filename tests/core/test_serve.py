"""`hestami serve --workers N` runs on the environment's servers and starts nothing embedded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from hestami.core.config import Settings
from hestami.core.embedded.process import free_port

ROOT = Path(__file__).resolve().parents[2]


def test_serve_with_two_workers_answers_health(settings: Settings, stack_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hestami.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env={**os.environ, **stack_env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        healthy = False
        while time.monotonic() < deadline and not healthy:
            assert proc.poll() is None, log.read_text()[-3000:]
            try:
                healthy = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.3)
        assert healthy, log.read_text()[-3000:]
        rpc = httpx.post(f"http://127.0.0.1:{port}/api/v1/rpc/system/v1/health", json={}, timeout=5)
        assert rpc.json()["data"]["dbos"]["ok"] is True
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def test_serve_refuses_to_start_without_database_url(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MIGRATION_DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "hestami.cli", "serve"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert b"DATABASE_URL is not set" in result.stderr
