"""`hestami dev` comes back with its data after `kill -9`, and Ctrl-C stops every child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import psycopg
import redis

from hestami.core.embedded.process import free_port

ROOT = Path(__file__).resolve().parents[2]


def start_dev(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOG_JSON": "true"}
    for name in ("DATABASE_URL", "MIGRATION_DATABASE_URL", "DBOS_SYSTEM_DATABASE_URL", "REDIS_URL", "CERBOS_URL"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "hestami.cli", "dev", "--no-seed", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def wait_healthy(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise AssertionError("hestami dev did not become healthy:\n" + log.read_text()[-3000:])


def child_pid(data_dir: Path, name: str) -> int:
    return int((data_dir / name / f"{name}.pid.hestami").read_text())


def wait_gone(pid: int, timeout: float = 15) -> bool:
    try:
        psutil.Process(pid).wait(timeout)
    except psutil.NoSuchProcess:
        return True
    except psutil.TimeoutExpired:
        return False
    return True


def test_kill_9_then_restart_keeps_the_data_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    data_dir, log, port = tmp_path / "data", tmp_path / "dev.log", free_port()
    superuser = f"postgresql://postgres@/hestami?host={data_dir / 'postgres'}"
    redis_url = f"unix://{data_dir / 'redis' / 'redis.sock'}"

    first = start_dev(data_dir, port, log)
    wait_healthy(port, first, log)
    with psycopg.connect(superuser, autocommit=True) as conn:
        conn.execute("CREATE TABLE survivor (note text)")
        conn.execute("INSERT INTO survivor VALUES ('still here')")
    redis.Redis.from_url(redis_url).set("survivor", "still here")
    children = [child_pid(data_dir, "redis"), child_pid(data_dir, "cerbos")]

    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert all(wait_gone(pid) for pid in children), "children die with their parent"

    second = start_dev(data_dir, port, log)
    try:
        wait_healthy(port, second, log)
        with psycopg.connect(superuser) as conn:
            assert conn.execute("SELECT note FROM survivor").fetchall() == [("still here",)]
        assert redis.Redis.from_url(redis_url).get("survivor") == b"still here"
        children = [child_pid(data_dir, "redis"), child_pid(data_dir, "cerbos")]
        postmaster = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
    finally:
        second.send_signal(signal.SIGINT)
        assert second.wait(60) == 0, log.read_text()[-3000:]
    assert all(wait_gone(pid) for pid in [*children, postmaster])
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
