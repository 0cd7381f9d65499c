"""A small closed-loop HTTP load generator: N keep-alive connections, each sending its next request as soon
as the previous answer is read, for a warm-up and then a fixed measured window.

Run as its own process (`python -m bench.loadgen SPEC_JSON`) so the orchestrator can pin it to a CPU and
read its own CPU use. Prints one JSON object: throughput, latency percentiles, errors, and the CPU the
generator itself and the whole machine spent during the measured window.

Two clients:
- `raw` (default): HTTP/1.1 written and parsed by hand on asyncio streams (uvloop when available). It costs
  a few tens of microseconds of CPU per request, so it takes little from the server it measures.
- `httpx`: an `httpx.AsyncClient` per worker (keep-alive). Several times the CPU per request of `raw`;
  offered for comparison.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from typing import Any


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    with open("/proc/stat") as f:
        fields = f.readline().split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def summarize(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": percentile(ordered, 50) * 1000,
        "p90_ms": percentile(ordered, 90) * 1000,
        "p99_ms": percentile(ordered, 99) * 1000,
        "max_ms": (ordered[-1] * 1000) if ordered else float("nan"),
        "mean_ms": (sum(ordered) / len(ordered) * 1000) if ordered else float("nan"),
    }


class Window:
    """The measured window: completions inside it count; CPU is read at its edges."""

    def __init__(self, warmup: float, duration: float) -> None:
        now = time.perf_counter()
        self.start = now + warmup
        self.end = self.start + duration
        self.cpu_at_start: tuple[float, float] | None = None
        self.cpu_at_end: tuple[float, float] | None = None

    async def watch(self) -> None:
        await asyncio.sleep(max(0.0, self.start - time.perf_counter()))
        self.cpu_at_start = (own_cpu_seconds(), machine_busy_seconds())
        await asyncio.sleep(max(0.0, self.end - time.perf_counter()))
        self.cpu_at_end = (own_cpu_seconds(), machine_busy_seconds())


def build_request(spec: dict[str, Any]) -> bytes:
    body = json.dumps(spec.get("body", {})).encode()
    lines = [
        f"{spec.get('method', 'POST')} {spec['path']} HTTP/1.1",
        f"Host: {spec['host']}:{spec['port']}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Connection: keep-alive",
        *(f"{k}: {v}" for k, v in spec.get("headers", {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = -1
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value)
        elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, b"".join(parts)
    return status, await reader.readexactly(length) if length > 0 else b""


async def raw_worker(spec: dict[str, Any], window: Window, out: dict[str, Any]) -> None:
    request = build_request(spec)
    reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
    try:
        while True:
            started = time.perf_counter()
            if started >= window.end:
                return
            writer.write(request)
            try:
                status, _ = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                out["errors"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection(spec["host"], spec["port"])
                continue
            finished = time.perf_counter()
            out["completed"] += 1
            if window.start <= finished <= window.end:
                out["latencies"].append(finished - started)
                out["statuses"][status] = out["statuses"].get(status, 0) + 1
    finally:
        writer.close()


async def httpx_worker(spec: dict[str, Any], window: Window, out: dict[str, Any]) -> None:
    import httpx

    url = f"http://{spec['host']}:{spec['port']}{spec['path']}"
    body = json.dumps(spec.get("body", {})).encode()
    headers = {"Content-Type": "application/json", **spec.get("headers", {})}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        while True:
            started = time.perf_counter()
            if started >= window.end:
                return
            try:
                response = await client.request(spec.get("method", "POST"), url, content=body, headers=headers)
                status = response.status_code
            except httpx.HTTPError:
                out["errors"] += 1
                continue
            finished = time.perf_counter()
            out["completed"] += 1
            if window.start <= finished <= window.end:
                out["latencies"].append(finished - started)
                out["statuses"][status] = out["statuses"].get(status, 0) + 1


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    window = Window(spec.get("warmup", 1.0), spec["duration"])
    out: dict[str, Any] = {"latencies": [], "statuses": {}, "errors": 0, "completed": 0}
    worker = httpx_worker if spec.get("client", "raw") == "httpx" else raw_worker
    watcher = asyncio.create_task(window.watch())
    await asyncio.gather(*(worker(spec, window, out) for _ in range(spec["concurrency"])))
    await watcher
    assert window.cpu_at_start is not None
    assert window.cpu_at_end is not None
    latencies = out["latencies"]
    own = window.cpu_at_end[0] - window.cpu_at_start[0]
    machine = window.cpu_at_end[1] - window.cpu_at_start[1]
    ok = out["statuses"].get(200, 0)
    return {
        "client": spec.get("client", "raw"),
        "concurrency": spec["concurrency"],
        "window_s": spec["duration"],
        "requests": len(latencies),
        "completed_whole_run": out["completed"],
        "ok": ok,
        "statuses": {str(k): v for k, v in out["statuses"].items()},
        "errors": out["errors"],
        "rps": ok / spec["duration"],
        **summarize(latencies),
        "generator_cpu_s": own,
        "generator_cpu_whole_run_s": own_cpu_seconds(),
        "machine_busy_cpu_s": machine,
        "generator_cpu_share_of_machine": own / (spec["duration"] * (os.cpu_count() or 1)),
        "generator_cpu_us_per_request": (own / len(latencies) * 1e6) if latencies else None,
        "generator_affinity": sorted(os.sched_getaffinity(0)),
    }


def main() -> None:
    spec = json.loads(sys.argv[1])
    if spec.get("cpus"):
        os.sched_setaffinity(0, set(spec["cpus"]))
    try:
        import uvloop

        factory: Any = uvloop.new_event_loop
    except ImportError:
        factory = None
    with asyncio.Runner(loop_factory=factory) as runner:
        print(json.dumps(runner.run(run(spec))))


if __name__ == "__main__":
    main()
