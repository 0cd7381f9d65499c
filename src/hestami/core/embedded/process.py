"""Child processes that die with their parent, and pid files that survive a `kill -9` of it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the process that started it dies, even by SIGKILL."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(args: list[str], *, log_file: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    log = log_file.open("ab")
    return subprocess.Popen(  # noqa: S603 - arguments are ours, never user input
        args,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=cwd,
        preexec_fn=_die_with_parent,
        start_new_session=True,
    )


def kill_stale(pid_file: Path, *, expect_name: str) -> None:
    """A child left by an earlier run killed with -9 (where the OS did not end it): stop it now."""
    if not pid_file.exists():
        return
    with contextlib.suppress(ValueError, psutil.Error):
        proc = psutil.Process(int(pid_file.read_text().strip()))
        if expect_name in " ".join(proc.cmdline()):
            proc.terminate()
            try:
                proc.wait(5)
            except psutil.TimeoutExpired:
                proc.kill()
    pid_file.unlink(missing_ok=True)


def stop(proc: subprocess.Popen[bytes] | None, pid_file: Path | None = None, *, timeout: float = 10) -> None:
    if proc is not None and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if pid_file is not None:
        pid_file.unlink(missing_ok=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(ready: Callable[[], bool], *, timeout: float, what: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode} while starting")
        if ready():
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not become ready within {timeout} s")


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.write_text(f"{pid}\n")
    os.chmod(pid_file, 0o644)
