"""The web console in a real browser: `hestami serve` on the test stack serves the built console (`WEB_DIR` =
web/build) and the demo logins, and `node --test web/tests/e2e/` drives headless Chromium through it (playwright-core
with Debian's chromium, which `make setup` installs; axe-core for accessibility). Screenshots of each journey's last
page land in web/test-results/. Skipped only when the console is not built (`make setup` builds it)."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI

from hestami.app import load_demo_modules
from hestami.core import runtime
from hestami.core.demo import seed_all
from tests.support.serve import ServeProcess

WEB = Path(__file__).resolve().parents[2] / "web"
BUILD = WEB / "build"
NODE_TIMEOUT = 300

pytestmark = pytest.mark.skipif(
    not (BUILD / "index.html").is_file(), reason="the web console is not built: `make setup` builds web/build"
)


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


async def test_the_console_journeys_pass_in_headless_chromium(
    app: FastAPI, stack_env: dict[str, str], tmp_path: Path
) -> None:
    """`app` first: the stack is migrated and the in-process app runs, so the whole demo can be seeded, as
    `hestami dev` does (each seeder is idempotent: what another module seeded first stays); the journeys walk the
    demo's community, board, owner and contractors. The served process and node run while the session's loop stays
    free."""
    load_demo_modules()
    await seed_all(runtime.current())
    env = {**os.environ, **stack_env, "DBOS_EXECUTOR_ID": f"browser-{secrets.token_hex(6)}", "WEB_DIR": str(BUILD)}
    server = ServeProcess(env, tmp_path)
    server.launch()
    try:
        await asyncio.to_thread(server.wait_healthy)
        status, output = await run_browser_tests(server.base)
    finally:
        await asyncio.to_thread(server.stop)
    log = server.tail()
    assert status == 0, f"--- hestami serve log (its end) ---\n{log}\n--- browser tests: exit {status} ---\n{output}"
