"""The real Cerbos policy decision point, from the npm package `make setup` installs, on loopback ports."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

import httpx

from hestami.core.embedded.process import (
    ensure_dir,
    free_port,
    kill_stale,
    spawn,
    stop,
    wait_until,
    write_pid,
)


def default_binary(root: Path) -> Path:
    system = platform.system().lower()
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(platform.machine().lower(), platform.machine())
    name = f"cerbos-{system}-{machine}"
    return root / ".tools" / "cerbos" / "node_modules" / "@cerbos" / name / name


def find_binary(root: Path) -> Path:
    configured = os.environ.get("HESTAMI_CERBOS_BIN")
    binary = Path(configured) if configured else default_binary(root)
    if not binary.is_absolute() and not binary.exists():  # relative to the project, as the Makefile passes it
        binary = root / binary
    if not binary.exists():
        raise FileNotFoundError(f"Cerbos server binary not found at {binary}: run `make setup`")
    return binary.absolute()


@dataclass(frozen=True, slots=True)
class CerbosAddresses:
    http_url: str
    grpc_addr: str


class EmbeddedCerbos:
    def __init__(self, data_dir: Path, *, policies: Path, binary: Path) -> None:
        self.data_dir = data_dir.absolute()
        self.policies = policies.absolute()
        self.binary = binary
        self.pid_file = self.data_dir / "cerbos.pid.hestami"
        self.log_file = self.data_dir / "cerbos.log"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> CerbosAddresses:
        if not self.policies.is_dir():
            raise FileNotFoundError(f"Cerbos policy folder {self.policies} does not exist")
        ensure_dir(self.data_dir)
        kill_stale(self.pid_file, expect_name="cerbos")
        http_port, grpc_port, debug_port = free_port(), free_port(), free_port()
        config = self.data_dir / "config.yaml"
        config.write_text(
            "server:\n"
            f'  httpListenAddr: "127.0.0.1:{http_port}"\n'
            f'  grpcListenAddr: "127.0.0.1:{grpc_port}"\n'
            "storage:\n"
            "  driver: disk\n"
            "  disk:\n"
            f'    directory: "{self.policies}"\n'
            "    watchForChanges: true\n"
            "engine:\n"
            "  lenientScopeSearch: true\n"
            "telemetry:\n"
            "  disabled: true\n"
        )
        self._proc = spawn(
            [str(self.binary), "server", f"--config={config}", f"--debug-listen-addr=127.0.0.1:{debug_port}"],
            log_file=self.log_file,
        )
        write_pid(self.pid_file, self._proc.pid)
        http_url = f"http://127.0.0.1:{http_port}"
        wait_until(lambda: self._healthy(http_url), timeout=30, what="cerbos", proc=self._proc, log_file=self.log_file)
        return CerbosAddresses(http_url=http_url, grpc_addr=f"127.0.0.1:{grpc_port}")

    @staticmethod
    def _healthy(url: str) -> bool:
        try:
            return httpx.get(f"{url}/_cerbos/health", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        stop(self._proc, self.pid_file)
        self._proc = None
