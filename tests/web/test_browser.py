"""The web console in a real browser, against `hestami dev` with the demo data, as the issue and the README say:
`hestami dev` on a data directory of its own (its own embedded Postgres, Redis and Cerbos; migrated, the whole demo
seeded, then served with the built console, `WEB_DIR` = web/build), and `node --test web/tests/e2e/` driving headless
Chromium through it (playwright-core with Debian's chromium, which `make setup` installs; axe-core for accessibility).
The journeys change the demo (an invoice approved, a payment made), so they have a community of their own: the test
stack's demo, which other modules assert as seeded, is left as it is. Screenshots of each journey's last page land in
web/test-results/. Skipped only when the console is not built (`make setup` builds it)."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from hestami.core.embedded.process import free_port
from tests.support.serve import wait_until

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
BUILD = WEB / "build"
NODE_TIMEOUT = 300
DEV_READY_SECONDS = 300  # start the stack, migrate, seed the whole demo (about a minute here), serve
TEST_STACK = (
    "DATABASE_URL", "MIGRATION_DATABASE_URL", "DBOS_SYSTEM_DATABASE_URL", "BACKUP_DATABASE_URL", "HESTAMI_APP_ROLE",
    "REDIS_URL", "CERBOS_URL", "CERBOS_GRPC_ADDR", "FILE_STORAGE", "FILE_STORAGE_DIR",
)  # fmt: skip
"""The test stack's settings in this process's environment: `hestami dev` makes its own (S3_* go too)."""

pytestmark = pytest.mark.skipif(
    not (BUILD / "index.html").is_file(), reason="the web console is not built: `make setup` builds web/build"
)


class DevServer:
    """`hestami dev --data-dir <tmp> --port <free>` as a child process, its output in a log."""

    def __init__(self, workdir: Path) -> None:
        self.port, self.log = free_port(), workdir / "dev.log"
        env = {key: value for key, value in os.environ.items() if key not in TEST_STACK and not key.startswith("S3_")}
        env.update({"WEB_DIR": str(BUILD), "LOG_JSON": "true"})
        command = [sys.executable, "-m", "hestami.cli", "dev", "--port", str(self.port)]
        command += ["--data-dir", str(workdir / "dev")]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Healthy only after the seeders ran (`hestami dev` seeds, then serves)."""

        def healthy() -> bool:
            assert self.proc.poll() is None, self.tail()
            try:
                return httpx.get(f"{self.base}/api/health", timeout=2).status_code == 200
            except httpx.HTTPError:  # not listening yet
                return False

        wait_until(healthy, DEV_READY_SECONDS, f"hestami dev to seed and serve:\n{self.tail()}")

    def stop(self) -> None:
        """Ctrl-C, as a developer stops it: the server and every embedded child end."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(15)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""


async def run_browser_tests(base: str) -> tuple[int, str]:
    """`node --test` on web/tests/e2e/*.test.mjs against `base`: its exit status and its output."""
    node = shutil.which("node")
    assert node is not None, "node is not on PATH (`make setup` needs it for the console)"
    files = sorted(str(path.relative_to(WEB)) for path in (WEB / "tests" / "e2e").glob("*.test.mjs"))
    assert files, "no browser tests in web/tests/e2e"
    process = await asyncio.create_subprocess_exec(
        node, "--test", "--test-reporter=spec", *files, cwd=WEB,
        env={**os.environ, "HESTAMI_WEB_URL": base, "NO_COLOR": "1"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(process.communicate(), NODE_TIMEOUT)
    except TimeoutError:
        process.kill()
        output, _ = await process.communicate()
        return -1, f"timed out after {NODE_TIMEOUT} s\n{output.decode(errors='replace')}"
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_the_console_journeys_pass_in_headless_chromium(tmp_path: Path) -> None:
    """The dev server starts, seeds and serves in its own process while node drives the browser."""
    server = DevServer(tmp_path)
    try:
        await asyncio.to_thread(server.wait_ready)
        status, output = await run_browser_tests(server.base)
    finally:
        await asyncio.to_thread(server.stop)
    log = server.tail()
    assert status == 0, f"--- hestami dev log (its end) ---\n{log}\n--- browser tests: exit {status} ---\n{output}"
