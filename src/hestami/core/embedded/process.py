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


LOG_TAIL_LINES = 15


def log_tail(log_file: Path | None, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines a child wrote: its own words for why it failed."""
    if log_file is None or not log_file.exists():
        return ""
    with log_file.open("rb") as log:
        log.seek(max(0, log_file.stat().st_size - 64 * 1024))
        text = log.read().decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


class ChildFailedError(RuntimeError):
    """A child server exited or never became ready while starting; the message ends with its log's last lines."""

    def __init__(self, what: str, problem: str, log_file: Path | None) -> None:
        tail = log_tail(log_file)
        where = f" (log: {log_file})" if log_file else ""
        super().__init__(f"{what} {problem}{where}" + (f":\n{tail}" if tail else ""))


def wait_until(
    ready: Callable[[], bool],
    *,
    timeout: float,
    what: str,
    proc: subprocess.Popen[bytes],
    log_file: Path | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ChildFailedError(what, f"exited with code {proc.returncode} while starting", log_file)
        if ready():
            return
        time.sleep(0.05)
    raise ChildFailedError(what, f"did not become ready within {timeout} s", log_file)


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.write_text(f"{pid}\n")
    os.chmod(pid_file, 0o644)
