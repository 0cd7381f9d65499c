"""`hestami dev` from any directory: it finds the project's files from the package (or HESTAMI_PROJECT_ROOT /
HESTAMI_POLICY_DIR), reports a dependency's own words when it fails to start, and SIGTERM stops every child
exactly as Ctrl-C does."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import psutil
import pytest

from hestami.core.config import Settings
from hestami.core.embedded.cerbos import EmbeddedCerbos, find_binary
from hestami.core.embedded.process import ChildFailedError, free_port
from hestami.core.project import ProjectFilesNotFoundError, policy_dir, project_root
from tests.core.test_dev_restart import wait_gone, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
STACK_VARIABLES = ("DATABASE_URL", "MIGRATION_DATABASE_URL", "DBOS_SYSTEM_DATABASE_URL", "REDIS_URL", "CERBOS_URL")


def dev_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in STACK_VARIABLES and not k.startswith("HESTAMI_PROJECT")}
    return {**env, "LOG_JSON": "true", **extra}


def test_dev_from_another_directory_serves_and_sigterm_stops_every_child(tmp_path: Path) -> None:
    elsewhere, data_dir, log, port = tmp_path / "elsewhere", tmp_path / "data", tmp_path / "dev.log", free_port()
    elsewhere.mkdir()
    dev = subprocess.Popen(
        [sys.executable, "-m", "hestami.cli", "dev", "--no-seed", "--port", str(port), "--data-dir", str(data_dir)],
        cwd=elsewhere,
        env=dev_env(),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(port, dev, log)  # readiness includes a Cerbos decision only the project's policies allow
        health = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).json()["data"]
        assert health["cerbos"]["ok"] is True
        children = psutil.Process(dev.pid).children(recursive=True)
        postmaster = int((data_dir / "postgres" / "postmaster.pid").read_text().split()[0])
        commands = " ".join(" ".join(child.cmdline()) for child in children)
        assert "cerbos" in commands, commands
        assert "redis-server" in commands, commands
        dev.send_signal(signal.SIGTERM)
        assert dev.wait(60) == 0, log.read_text()[-3000:]
    finally:
        if dev.poll() is None:
            dev.send_signal(signal.SIGINT)
            dev.wait(60)
    assert all(wait_gone(pid) for pid in [*(child.pid for child in children), postmaster]), log.read_text()[-3000:]
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    assert "stopped Postgres, Redis and Cerbos" in log.read_text()


def test_dev_with_a_missing_policy_folder_says_so_and_starts_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-policies"
    result = subprocess.run(
        [sys.executable, "-m", "hestami.cli", "dev", "--no-seed", "--data-dir", str(tmp_path / "data")],
        cwd=tmp_path,
        env=dev_env(HESTAMI_POLICY_DIR=str(missing)),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert f"no Cerbos policies (resource/*.yaml) in {missing}" in result.stderr.decode()
    assert not (tmp_path / "data").exists()


def test_cerbos_that_fails_to_start_reports_its_own_error(tmp_path: Path) -> None:
    policies = tmp_path / "policies"
    (policies / "resource").mkdir(parents=True)
    (policies / "resource" / "broken.yaml").write_text(
        "apiVersion: api.cerbos.dev/v1\n"
        "resourcePolicy:\n"
        "  resource: broken\n"
        '  version: "default"\n'
        "  rules:\n"
        '    - actions: ["view"]\n'
        "      effect: EFFECT_ALLOW\n"
        '      roles: ["user"]\n'
        "      condition:\n"
        "        match:\n"
        "          expr: request.resource.attr.x ==== 1\n"
    )
    cerbos = EmbeddedCerbos(tmp_path / "cerbos", policies=policies, binary=find_binary(ROOT))
    with pytest.raises(ChildFailedError) as failure:
        cerbos.start()
    cerbos.stop()
    message = str(failure.value)
    assert "cerbos exited" in message
    assert "resource/broken.yaml" in message, message  # Cerbos's own words: which file, which expression
    assert "Invalid expression" in message, message


def test_project_files_come_from_the_package_or_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert project_root(Settings()) == ROOT
    assert policy_dir(Settings()) == ROOT / "policies"
    own = tmp_path / "own-policies"
    (own / "resource").mkdir(parents=True)
    assert policy_dir(Settings(HESTAMI_POLICY_DIR=str(own))) == own
    assert project_root(Settings(HESTAMI_PROJECT_ROOT=str(ROOT))) == ROOT
    with pytest.raises(ProjectFilesNotFoundError, match="HESTAMI_PROJECT_ROOT"):
        project_root(Settings(HESTAMI_PROJECT_ROOT=str(tmp_path)))
