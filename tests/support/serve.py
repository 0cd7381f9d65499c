"""`hestami serve --workers 1` as a child process of a test, on the test stack's environment: started, awaited,
killed with -9 or stopped with SIGTERM, restartable on the same environment, with its log at hand."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from hestami.core.embedded.process import free_port


class ServeProcess:
    def __init__(self, env: dict[str, str], workdir: Path, log_name: str = "serve.log") -> None:
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
