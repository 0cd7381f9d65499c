"""`hestami backup` / `hestami restore`: a backup of a running stack with books restores into a fresh data
directory (new Postgres, Redis, Cerbos) where `hestami serve` answers the same trial balance and serves the same
stored files; a restore never overwrites a database that is not empty unless told to."""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from hestami.core.embedded.process import free_port
from hestami.core.embedded.stack import EmbeddedStack
from hestami.core.storage import LocalDiskStore
from tests.cam.accounting.helpers import books
from tests.support.accounts import PASSWORD, account, organization, rpc

ROOT = Path(__file__).resolve().parents[2]


def hestami(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hestami.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def fresh_stack() -> Iterator[dict[str, str]]:
    """Another embedded Postgres, Redis and Cerbos in a new data directory: empty databases, the roles only.

    Outside pytest's own temporary root: a pytest starting meanwhile makes that root private again, and the
    Postgres system user could then no longer reach a data directory being initialized under it.
    """
    data_dir = Path(tempfile.mkdtemp(prefix="hestami-restore-"))
    stack = EmbeddedStack(data_dir, policies=ROOT / "policies", project_root=ROOT)
    try:
        yield stack.start().variables
    finally:
        stack.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def _database(superuser_url: str, name: str) -> str:
    """The embedded stack's superuser URL points at `postgres`; the same server, another database."""
    head, _, query = superuser_url.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}?{query}"


def serve(env: dict[str, str], workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (workdir / "serve.log").open("wb")
    command = [sys.executable, "-m", "hestami.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, (workdir / "serve.log").read_text()[-3000:]
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the restored stack did not become healthy")


async def test_a_backup_restores_into_a_fresh_data_dir_with_the_same_trial_balance(
    client: httpx.AsyncClient, stack_env: dict[str, str], fresh_stack: dict[str, str], tmp_path: Path
) -> None:
    if "BACKUP_DATABASE_URL" not in stack_env:
        pytest.skip("set BACKUP_DATABASE_URL (a superuser or BYPASSRLS role) to test backups on real servers")
    admin = await account(client)
    org = (await organization(client, admin, "Backup Management", "MANAGEMENT_COMPANY"))["id"]
    hoa = await books(client, admin, org)
    dues = await hoa.dues("300.00")
    units = [await hoa.unit() for _ in range(3)]
    for unit in units:
        await hoa.charge(dues["id"], unit["id"], "2026-01-01")
    await hoa.pay(units[0]["id"], "300.00")
    await hoa.pay(units[1]["id"], "120.00")
    trial = await hoa.trial()
    assert trial["lines"], trial

    # Production restricts who may connect (deploy/postgres/init/01-roles.sh): database-level grants, which a
    # per-database dump leaves out, come back with the restore.
    dbos_acl = "SELECT datacl::text FROM pg_database WHERE datname = current_database()"
    with psycopg.connect(_database(stack_env["BACKUP_DATABASE_URL"], "hestami_dbos"), autocommit=True) as conn:
        conn.execute("REVOKE ALL ON DATABASE hestami_dbos FROM PUBLIC")
        conn.execute("GRANT CONNECT ON DATABASE hestami_dbos TO hestami_app")
        acl = conn.execute(dbos_acl).fetchone()

    files = tmp_path / "files"
    minutes = b"Minutes of the annual meeting " + secrets.token_bytes(16)
    key = f"{uuid.uuid4()}/ab/{hashlib.sha256(minutes).hexdigest()}"
    await LocalDiskStore(files).put_bytes(key, minutes, "application/pdf")
    backup_dir = tmp_path / "backup"
    source = {**os.environ, **stack_env, "FILE_STORAGE_DIR": str(files)}
    taken = hestami("backup", str(backup_dir), env=source, cwd=tmp_path)
    assert taken.returncode == 0, taken.stderr[-3000:]
    assert {p.name for p in backup_dir.iterdir()} == {"manifest.json", "app.dump", "dbos.dump", "files.tar.gz"}

    restored_files = tmp_path / "restored-files"
    target = {
        **os.environ,
        **fresh_stack,
        "FILE_STORAGE_DIR": str(restored_files),
        "DBOS_EXECUTOR_ID": f"restored-{secrets.token_hex(4)}",
    }
    done = hestami("restore", str(backup_dir), env=target, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (restored_files / key).read_bytes() == minutes
    with psycopg.connect(_database(fresh_stack["BACKUP_DATABASE_URL"], "hestami_dbos")) as conn:
        assert conn.execute(dbos_acl).fetchone() == acl

    again = hestami("restore", str(backup_dir), env=target, cwd=tmp_path)
    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert "--replace" in again.stderr

    proc, base = serve(target, tmp_path)
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as restored:
            login = await restored.post(rpc("auth/v1/login"), json={"email": admin.email, "password": PASSWORD})
            assert login.status_code == 200, login.text
            headers = {"Authorization": f"Bearer {login.json()['data']['token']}", "X-Org-Id": org}
            body = {"association_id": hoa.association_id}
            answer = await restored.post(rpc("accounting/report/v1/trialBalance"), json=body, headers=headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"] == trial
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_backup_needs_a_role_that_reads_every_row(stack_env: dict[str, str], tmp_path: Path) -> None:
    env = {**os.environ, **stack_env, "FILE_STORAGE_DIR": str(tmp_path / "files")}
    missing = hestami("backup", str(tmp_path / "a"), env={**env, "BACKUP_DATABASE_URL": ""}, cwd=tmp_path)
    assert missing.returncode != 0
    assert "BACKUP_DATABASE_URL is not set" in missing.stderr
    owner = {**env, "BACKUP_DATABASE_URL": stack_env["MIGRATION_DATABASE_URL"]}
    refused = hestami("backup", str(tmp_path / "b"), env=owner, cwd=tmp_path)
    assert refused.returncode != 0
    assert "cannot read every row" in refused.stderr
