"""A throwaway S3 endpoint for tests: moto's standalone server in a subprocess.

A real HTTP server (rather than moto's in-process mock) exercises what production does: presigned URLs fetched
over the network, multipart uploads, signature v4 and path-style addressing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

STARTUP_SECONDS = 20.0


def free_port() -> int:
    """A port nobody listens on right now (the server binds it a moment later; a clash is unlikely and loud)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def moto_server_binary() -> Path:
    """`moto_server` from the same virtualenv as the running interpreter (not whatever is first on PATH)."""
    binary = Path(sys.executable).parent / "moto_server"
    if not binary.exists():
        raise FileNotFoundError(f"moto_server not found next to {sys.executable}; install moto[server]")
    return binary


class MotoServer:
    """Starts `moto_server` on a free local port and waits until it answers HTTP."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint_url = f"http://127.0.0.1:{self.port}"
        self._process = subprocess.Popen(
            [str(moto_server_binary()), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def _wait_until_answering(self) -> None:
        """Polls until any HTTP answer comes back; fails fast if the process exits instead."""
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto_server exited with status {self._process.returncode}")
            try:
                httpx.get(self.endpoint_url, timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise TimeoutError(f"moto_server did not answer on {self.endpoint_url} within {STARTUP_SECONDS:.0f} s")

    def stop(self) -> None:
        """Terminates the server, killing it if it does not exit promptly."""
        if self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
