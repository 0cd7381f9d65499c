"""What every section shares: the embedded stack, server processes, the load generator, CPU accounting,
results files and the printed table."""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.loadgen import machine_busy_seconds

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
NCPU = os.cpu_count() or 1


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the table ---------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One figure next to its floor. `higher_is_better` decides how the ratio reads against the target."""

    section: str
    figure: str
    value: float | None
    unit: str
    floor_name: str = ""
    floor: float | None = None
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Report:
    name: str
    rows: list[Row] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def write(self, section: str, payload: dict[str, Any]) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        payload = {
            "section": section,
            "run": self.name,
            "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": machine_facts(),
            "rows": [asdict(r) for r in self.rows if r.section == section],
            **payload,
        }
        self.sections[section] = payload
        path = RESULTS / f"{self.name}-{section}.json"
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        return path

    def write_summary(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}-summary.json"
        path.write_text(
            json.dumps({"run": self.name, "machine": machine_facts(), "rows": [asdict(r) for r in self.rows]}, indent=2)
            + "\n"
        )
        return path

    def markdown(self, *, started_at: str, seconds: float, commit: str) -> str:
        """The run as `bench/BASELINE.md`: when, where, on which commit, and every row of the table."""
        facts = machine_facts()
        cpu_model = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
             if line.startswith("model name")), "unknown CPU",
        )  # fmt: skip
        lines = [
            "# Benchmark baseline",
            "",
            "The last full `make bench` on main, written by `python -m bench.run --baseline` (see bench/README.md).",
            "Update it with every change that moves a figure. Read the ratios: the floors were measured in the same",
            "run, on a machine shared with other work.",
            "",
            f"- run: `{self.name}`, started {started_at}, {seconds / 60:.1f} min, commit `{commit}`",
            f"- machine: {facts['cpus']} CPUs ({cpu_model}), {facts['memory_gib']} GiB, Python {facts['python']}; "
            f"load average at the end {facts['loadavg_1m_5m'][0]} (1 min) / {facts['loadavg_1m_5m'][1]} (5 min)",
            "",
            "| section | figure | value | floor | ratio | target | met? |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            floor = f"{fmt(r.floor)} ({r.floor_name})" if r.floor is not None else (r.floor_name or "-")
            ratio_text = f"{r.ratio:.2f}x" if r.ratio is not None and math.isfinite(r.ratio) else "-"
            met = "-" if r.met is None else ("yes" if r.met else "**no**")
            cells = (r.section, r.figure, f"{fmt(r.value)} {r.unit}".strip(), floor, ratio_text, r.target or "-", met)
            lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
        return "\n".join(lines) + "\n"

    def table(self) -> str:
        header = ("section", "figure", "value", "floor", "ratio", "target", "met?")
        lines = [header]
        for r in self.rows:
            lines.append(
                (
                    r.section,
                    r.figure,
                    f"{fmt(r.value)} {r.unit}".strip(),
                    f"{fmt(r.floor)} ({r.floor_name})" if r.floor is not None else (r.floor_name or "-"),
                    f"{r.ratio:.2f}x" if r.ratio is not None and math.isfinite(r.ratio) else "-",
                    r.target or "-",
                    "-" if r.met is None else ("yes" if r.met else "NO"),
                )
            )
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        out = []
        for n, line in enumerate(lines):
            out.append("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
            if n == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)


def fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def machine_facts() -> dict[str, Any]:
    load1, load5, _ = os.getloadavg()
    return {
        "cpus": NCPU,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": sys.version.split()[0],
        "loadavg_1m_5m": [round(load1, 2), round(load5, 2)],
    }


# --- the embedded stack ------------------------------------------------------------------------------------


def database_url(superuser_url: str, database: str) -> str:
    """The superuser URL the stack hands out points at `postgres`; the same server, another database."""
    head, _, query = superuser_url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{database}?{query}"


class Stack:
    """Embedded Postgres, Redis and Cerbos under `data_dir`, migrated, with the environment the API reads."""

    def __init__(self, data_dir: Path) -> None:
        from hestami.core.embedded.stack import EmbeddedStack

        self.data_dir = data_dir
        self.embedded = EmbeddedStack(data_dir / "stack", policies=ROOT / "policies", project_root=ROOT)
        self.env: dict[str, str] = {}
        self.superuser = ""
        self.dbos_superuser = ""

    def start(self) -> None:
        environment = self.embedded.start()
        self.superuser = database_url(environment.superuser_database_url, "hestami")
        self.dbos_superuser = database_url(environment.superuser_database_url, "hestami_dbos")
        self.env = {
            **environment.variables,
            "LOG_JSON": "true",
            "LOG_LEVEL": "INFO",
            # The per-user budget (1200/min) would answer 429 within a second of load; a huge budget keeps the
            # Redis INCR it costs on every request in the measured path.
            "API_RATE_LIMIT_PER_MINUTE": "1000000000",
            "FILE_STORAGE_DIR": str(self.data_dir / "files"),
        }
        os.environ.update(self.env)
        from hestami.core.config import get_settings
        from hestami.core.migrate import migrate

        get_settings.cache_clear()
        migrate(get_settings())

    def stop(self) -> None:
        self.embedded.stop()

    def pids(self) -> dict[str, list[int]]:
        """This stack's own processes: the postmaster and its backends, Cerbos, Redis."""
        postmaster = None
        with contextlib.suppress(OSError, ValueError):
            postmaster = int((self.data_dir / "stack" / "postgres" / "postmaster.pid").read_text().split()[0])
        cerbos = self.embedded.cerbos._proc
        redis = self.embedded.redis._proc
        return {
            "postgres": tree(postmaster),
            "cerbos": tree(cerbos.pid if cerbos else None),
            "redis": tree(redis.pid if redis else None),
        }

    def postgres_settings(self) -> dict[str, str]:
        import psycopg

        names = ("shared_buffers", "work_mem", "max_connections", "synchronous_commit", "fsync", "server_version")
        with psycopg.connect(self.superuser) as conn:
            return {n: conn.execute(f"SHOW {n}").fetchone()[0] for n in names}  # type: ignore[index]


# --- server processes --------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    import ctypes

    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


class Server:
    """A server in its own process group (uvicorn parent + workers), optionally pinned with taskset."""

    def __init__(
        self,
        name: str,
        args: list[str],
        *,
        env: dict[str, str],
        port: int,
        health_path: str,
        log_file: Path,
        cwd: Path,
        cpus: list[int] | None = None,
    ) -> None:
        self.name = name
        self.args = (["taskset", "-c", ",".join(map(str, cpus))] if cpus else []) + args
        self.env = env
        self.port = port
        self.health_path = health_path
        self.log_file = log_file
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(  # noqa: S603
            self.args,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log_file.open("wb"),
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: {self.log_file.read_text()[-3000:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{self.health_path}", timeout=2).status_code == 200:
                    # both workers up: uvicorn's workers answer health independently; give the second a moment
                    time.sleep(1.0)
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not become healthy: {self.log_file.read_text()[-3000:]}")

    def pids(self) -> list[int]:
        if self.proc is None:
            return []
        with contextlib.suppress(psutil.Error):
            parent = psutil.Process(self.proc.pid)
            return [parent.pid, *(c.pid for c in parent.children(recursive=True))]
        return []

    def worker_pids(self) -> list[int]:
        """The uvicorn workers (children running Python, not the multiprocessing resource tracker)."""
        found = []
        for pid in self.pids()[1:]:
            with contextlib.suppress(psutil.Error):
                cmd = " ".join(psutil.Process(pid).cmdline())
                if "resource_tracker" not in cmd and "taskset" not in cmd:
                    found.append(pid)
        return found

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


# --- CPU accounting ----------------------------------------------------------------------------------------


def tree(pid: int | None) -> list[int]:
    """A process and all its descendants."""
    if pid is None:
        return []
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        return [parent.pid, *(c.pid for c in parent.children(recursive=True))]
    return []


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            times = psutil.Process(pid).cpu_times()
            # children_*: processes it has reaped (Postgres backends of connections closed meanwhile)
            total += times.user + times.system + times.children_user + times.children_system
    return total


def cpu_by_group(groups: dict[str, list[int]]) -> dict[str, float]:
    """CPU seconds used so far by each named group of this benchmark's processes. The machine is shared
    with whatever else runs on it, so only our own processes are counted (never by process name)."""
    return {name: cpu_seconds(pids) for name, pids in groups.items()}


# --- the load generator ------------------------------------------------------------------------------------


@dataclass
class LoadOptions:
    duration: float = 5.0
    warmup: float = 1.0
    client: str = "raw"
    cpus: list[int] | None = None
    tool: str = "python"  # or "wrk"


def run_load(
    port: int,
    path: str,
    *,
    body: Any,
    headers: dict[str, str],
    concurrency: int,
    options: LoadOptions,
    groups: Callable[[], dict[str, list[int]]] | None = None,
    duration: float | None = None,
    method: str = "POST",
) -> dict[str, Any]:
    """One closed-loop load run against 127.0.0.1:`port`, with the CPU our process groups (`groups`:
    servers, Postgres, Cerbos, Redis) spent over the whole run, per request answered in it."""
    spec = {
        "host": "127.0.0.1",
        "port": port,
        "method": method,
        "path": path,
        "body": body,
        "headers": headers,
        "concurrency": concurrency,
        "duration": duration or options.duration,
        "warmup": options.warmup,
        "client": options.client,
        "cpus": options.cpus,
    }
    before_groups = cpu_by_group(groups() if groups else {})
    before_machine = machine_busy_seconds()
    started = time.perf_counter()
    if options.tool == "wrk":
        result = run_wrk(spec)
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(  # noqa: S603
            [PY, "-m", "bench.loadgen", json.dumps(spec)], cwd=ROOT, env=env, capture_output=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"load generator failed: {done.stderr.decode()[-3000:]}")
        result = json.loads(done.stdout)
    elapsed = time.perf_counter() - started
    after_groups = cpu_by_group(groups() if groups else {})
    machine = machine_busy_seconds() - before_machine
    split = {g: after_groups.get(g, 0.0) - before_groups.get(g, 0.0) for g in after_groups}
    generator = result.get("generator_cpu_whole_run_s", 0.0)
    ours = sum(split.values())
    completed = result.get("completed_whole_run") or result.get("requests") or 0
    result["cpu_whole_run"] = {
        "elapsed_s": round(elapsed, 2),
        "machine_busy_share": round(machine / (elapsed * NCPU), 3),
        "seconds": {g: round(v, 3) for g, v in sorted(split.items())},
        "generator_s": round(generator, 3),
        "not_ours_s": round(machine - ours - generator, 3),
        "share_of_machine_busy": {
            **{g: round(v / machine, 3) for g, v in sorted(split.items())},
            "generator": round(generator / machine, 3),
            "not_ours (other processes on this machine)": round((machine - ours - generator) / machine, 3),
        }
        if machine > 0
        else {},
    }
    result["server_cpu_ms_per_request"] = (ours / completed * 1000) if completed else None
    if result.get("ok", 0) == 0:
        raise RuntimeError(f"no successful request to {path}: {result.get('statuses')}")
    return result


def run_wrk(spec: dict[str, Any]) -> dict[str, Any]:
    """The same run with wrk (if installed): a Lua script for the POST, latency distribution from --latency."""
    script = Path(f"/tmp/bench-wrk-{os.getpid()}.lua")  # noqa: S108
    headers = {"Content-Type": "application/json", **spec["headers"]}
    lua_headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(json.dumps(spec["body"]))}\n{lua_headers}\n')
    url = f"http://{spec['host']}:{spec['port']}{spec['path']}"
    threads = max(1, min(spec["concurrency"], len(spec["cpus"] or [0, 1])))
    pin = ["taskset", "-c", ",".join(map(str, spec["cpus"]))] if spec["cpus"] else []
    if spec["warmup"]:
        subprocess.run(  # noqa: S603
            [*pin, "wrk", "-t", str(threads), "-c", str(spec["concurrency"]), "-d", f"{spec['warmup']}s", "-s",
             str(script), url], capture_output=True, check=False,
        )  # fmt: skip
    before = machine_busy_seconds()
    done = subprocess.run(  # noqa: S603
        [*pin, "wrk", "-t", str(threads), "-c", str(spec["concurrency"]), "-d", f"{int(spec['duration'])}s",
         "--latency", "-s", str(script), url], capture_output=True, check=True, text=True,
    )  # fmt: skip
    machine = machine_busy_seconds() - before
    text = done.stdout
    result: dict[str, Any] = {"client": "wrk", "concurrency": spec["concurrency"], "raw": text}

    def ms(token: str) -> float:
        unit = token.lstrip("0123456789.")
        value = float(token[: len(token) - len(unit)])
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}.get(unit, 1.0)

    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("50%", "90%", "99%"):
            result[f"p{parts[0][:-1]}_ms"] = ms(parts[1])
        if line.startswith("Requests/sec:"):
            result["rps"] = float(parts[1])
        if "requests in" in line:
            result["requests"] = int(parts[0])
        if "Non-2xx" in line:
            result["errors"] = int(parts[-1])
    result["ok"] = result.get("requests", 0) - result.get("errors", 0)
    result["machine_busy_cpu_s"] = machine
    return result


def peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident set since it started (`VmHWM`), in MiB; None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None
