"""Request path: `workOrder/v1/get` through the whole stack against a bare FastAPI + psycopg endpoint reading
the same row, readiness (`system/v1/health`: every dependency asked) and liveness (`GET /api/health/live`: none),
at 1, 8 and 32 concurrent clients; the API workers' peak memory; then a py-spy profile of the API workers under
the 32-client load."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from bench import api, profiling
from bench import inproc as bench_inproc
from bench.common import PY, ROOT, Row, Server, log, peak_rss_mib, ratio, run_load
from bench.context import Bench
from hestami.core.embedded.process import free_port

SECTION = "request_path"
GET = "/api/v1/rpc/workOrder/v1/get"
HEALTH = "/api/v1/rpc/system/v1/health"
LIVE = "/api/health/live"
BARE = "/bare/workOrder/get"


async def _setup(port: int) -> tuple[api.Caller, dict[str, str]]:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        caller = await api.account(client, "request-path")
        ids = await api.community_with_work_order(client, caller)
        got = await api.call(client, "workOrder/v1/get", {"id": ids["work_order"]}, caller.headers(ids["org"]))
        assert got["id"] == ids["work_order"]
    return caller, ids


def start_bare(bench: Bench) -> Server:
    port = free_port()
    server = Server(
        "bare",
        [PY, "-m", "uvicorn", "bench.bare_app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--no-access-log", "--log-level", "warning"],
        env={**bench.server_env(), "BENCH_BARE_DSN": bench.stack.superuser, "PYTHONPATH": str(ROOT)},
        port=port,
        health_path="/bare/health",
        log_file=bench.data_dir / "logs" / "bare.log",
        cwd=bench.data_dir / "bare",
        cpus=bench.server_cpus,
    )  # fmt: skip
    server.start()
    return server


async def _anatomy(caller: api.Caller, ids: dict[str, str], iterations: int = 150) -> dict[str, Any]:
    """What one `workOrder/v1/get` asks of Postgres, Cerbos and Redis, counted in-process on the product's own
    code path (`work_orders.get` in a request's transaction), and what each step of it costs (CPU and wall per
    call, averaged over `iterations`), each step measured as the difference between two loops that stop before
    and after it."""
    import time
    import uuid

    from hestami.cam.work_order import kinds
    from hestami.cam.work_order.services import work_orders
    from hestami.core import telemetry
    from hestami.core.authz import principal_of
    from hestami.core.config import get_settings
    from hestami.core.context import Principal
    from hestami.core.ratelimit import api_budget
    from hestami.core.records import authorize_record, find

    org, order_id = uuid.UUID(ids["org"]), uuid.UUID(ids["work_order"])
    principal = Principal(user_id=caller.user_id, session_id="bench", email=caller.email)
    async with bench_inproc.runtime() as rt:

        async def upto(stage: int) -> Any:
            async with rt.database.transaction(organization_id=org, user_id=caller.user_id) as session:
                if stage < 1:
                    return None
                access = await rt.identity.access_to(session, principal, org)
                assert access is not None
                ctx = bench_inproc.context(session, rt, caller.user_id, org, access.organization_slug,
                                           access.roles, "workOrder/v1/get")  # fmt: skip
                if stage < 2:
                    return ctx
                order = await find(ctx, kinds.WORK_ORDER, order_id)
                if stage < 3:
                    return order
                await authorize_record(ctx, kinds.WORK_ORDER, order, "view")
                if stage < 4:
                    return order
                return work_orders.work_order_out(order)

        async def product_get() -> Any:
            async with rt.database.transaction(organization_id=org, user_id=caller.user_id) as session:
                access = await rt.identity.access_to(session, principal, org)
                assert access is not None
                ctx = bench_inproc.context(session, rt, caller.user_id, org, access.organization_slug,
                                           access.roles, "workOrder/v1/get")  # fmt: skip
                return await work_orders.get(ctx, order_id)

        async def timed(fn: Any) -> dict[str, float]:
            await fn()
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(iterations):
                await fn()
            return {"cpu_ms": (time.process_time() - cpu) / iterations * 1000,
                    "wall_ms": (time.perf_counter() - wall) / iterations * 1000}  # fmt: skip

        async def ask_cerbos() -> Any:  # the same question, never remembered: what a first-time question costs
            ctx = await upto(1)
            order = await upto(2)
            resource = kinds.WORK_ORDER.base_resource(order)
            from cerbos.engine.v1 import engine_pb2

            from hestami.core.authz import _attrs

            question = engine_pb2.Resource(kind=resource.kind, id=resource.id, attr=_attrs(resource.attr),
                                           scope=ctx.organization_slug)  # fmt: skip
            return await rt.authorizer.decide("view", principal_of(ctx), question, request_id="bench")

        await product_get()  # the decision is now remembered, as it is for every repeated question
        with bench_inproc.counting(rt) as counters:
            await product_get()
        loops = {n: await timed(lambda n=n: upto(n)) for n in range(5)}
        token = caller.token
        steps = {
            "transaction: pool checkout, BEGIN, scope + membership (one statement), COMMIT": loops[0],
            "membership and roles (identity.access_to: read with the scope)": _minus(loops[1], loops[0]),
            "load the work order (records.find)": _minus(loops[2], loops[1]),
            "Cerbos decision (remembered answer; owners only on a denial)": _minus(loops[3], loops[2]),
            "work_order_out (record to pydantic)": _minus(loops[4], loops[3]),
            "bearer session and rate limit (one Redis pipeline: GETEX, INCR, EXPIRE)": await timed(
                lambda: rt.identity.authenticate(token, budget=api_budget(10**9))
            ),
        }
        not_in_request = {
            "Cerbos check over gRPC (a question not remembered yet)": await timed(ask_cerbos),
        }
        # the API also instruments its engine with OpenTelemetry (a span per statement of a sampled request) and a
        # slow-query timer; sampled as the product is configured
        telemetry.configure_tracing(get_settings())
        telemetry.instrument_engine(rt.database.engine, slow_query_ms=10**9)
        instrumented = await timed(lambda: upto(4))
        steps["OpenTelemetry SQLAlchemy spans, sampled as configured (instrumented - not)"] = _minus(
            instrumented, loops[4]
        )
    total = {k: round(sum(v[k] for v in steps.values()), 2) for k in ("cpu_ms", "wall_ms")}
    return {
        "postgres_statements": len(counters.statements) + 2,  # + BEGIN and COMMIT
        "statements": counters.statements,
        "cerbos_checks": counters.cerbos_checks,
        "decisions_remembered": rt.authorizer.cache.hits,
        "redis_commands": 3,  # GETEX of the session, INCR + EXPIRE of the rate limit: one pipeline, one round trip
        "steps_per_call": {k: {m: round(x, 3) for m, x in v.items()} for k, v in steps.items()},
        "not_in_the_request": {k: {m: round(x, 3) for m, x in v.items()} for k, v in not_in_request.items()},
        "steps_total": total,
        "iterations": iterations,
    }


def _minus(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a[k] - b[k] for k in a}


async def _async(fn: Any, *args: Any) -> Any:
    return fn(*args)


def run(bench: Bench) -> dict[str, Any]:
    caller, ids = asyncio.run(_setup(bench.api.port))
    bare = start_bare(bench)
    try:
        # the bare endpoint answers the same row
        row = httpx.post(f"http://127.0.0.1:{bare.port}{BARE}", json={"id": ids["work_order"]}, timeout=5).json()
        assert row["id"] == ids["work_order"], row
        measured = _measure(bench, caller, ids, bare)
        measured["anatomy_of_get"] = asyncio.run(_anatomy(caller, ids))
        anatomy = measured["anatomy_of_get"]
        bench.report.add(
            Row(SECTION, "get: Postgres statements per request (bare: 1)", anatomy["postgres_statements"], "",
                "bare", 1, anatomy["postgres_statements"],
                "≤ 3", anatomy["postgres_statements"] <= 3,
                note=f"with BEGIN and COMMIT; Cerbos calls {anatomy['cerbos_checks']} (answer remembered); "
                     "Redis: 3 commands in 1 round trip")
        )  # fmt: skip
        steps = anatomy["steps_per_call"]
        server = measured["runs"]["get"][1]["server_cpu_ms_per_request"]
        for name, cost in steps.items():
            bench.report.add(
                Row(SECTION, f"get step: {name}", cost["cpu_ms"], "ms CPU", "whole request, server CPU", server,
                    ratio(cost["cpu_ms"], server), note=f"wall {cost['wall_ms']:.2f} ms, in-process")
            )  # fmt: skip
        for name, cost in anatomy["not_in_the_request"].items():
            bench.report.add(
                Row(SECTION, f"not in a get: {name}", cost["cpu_ms"], "ms CPU", note=f"wall {cost['wall_ms']:.2f} ms")
            )  # fmt: skip
        print("anatomy of one workOrder/v1/get (in-process, per call):", flush=True)
        for name, cost in steps.items():
            print(f"  {cost['cpu_ms']:7.2f} ms CPU  {cost['wall_ms']:7.2f} ms wall  {name}", flush=True)
        return measured
    finally:
        bare.stop()


def _measure(bench: Bench, caller: api.Caller, ids: dict[str, str], bare: Server) -> dict[str, Any]:
    def api_groups() -> dict[str, list[int]]:
        return {"api": bench.api.pids(), **bench.stack.pids()}

    def bare_groups() -> dict[str, list[int]]:
        return {"bare": bare.pids(), **bench.stack.pids()}

    body = {"id": ids["work_order"]}
    headers = caller.headers(ids["org"])
    levels = [1, 8, 32]
    runs: dict[str, dict[int, dict[str, Any]]] = {"get": {}, "bare": {}, "health": {}, "live": {}}
    for c in levels:
        # interleaved, so drift on a shared machine hits the figure and its floor alike
        log(f"request path: {c} client(s): workOrder/v1/get, bare, system/v1/health, /api/health/live")
        runs["get"][c] = run_load(bench.api.port, GET, body=body, headers=headers, concurrency=c,
                                  options=bench.load, groups=api_groups)  # fmt: skip
        runs["bare"][c] = run_load(bare.port, BARE, body=body, headers={}, concurrency=c,
                                   options=bench.load, groups=bare_groups)  # fmt: skip
        runs["health"][c] = run_load(bench.api.port, HEALTH, body={}, headers={}, concurrency=c,
                                     options=bench.load, groups=api_groups)  # fmt: skip
        runs["live"][c] = run_load(bench.api.port, LIVE, body={}, headers={}, concurrency=c,
                                   options=bench.load, groups=api_groups, method="GET")  # fmt: skip
    bench.shared["get_p50_1_client_ms"] = runs["get"][1]["p50_ms"]
    peaks = {pid: peak_rss_mib(pid) for pid in bench.api.worker_pids()}
    for c in levels:
        get, floor, health, live = runs["get"][c], runs["bare"][c], runs["health"][c], runs["live"][c]
        at32 = c == 32
        tput = ratio(get["rps"], floor["rps"])
        bench.report.add(
            Row(SECTION, f"get {c:>2} clients: throughput", get["rps"], "req/s", "bare", floor["rps"], tput,
                "≥ 0.50x bare" if at32 else "", (tput or 0) >= 0.5 if at32 else None)
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"get {c:>2} clients: p50", get["p50_ms"], "ms", "bare", floor["p50_ms"],
                ratio(get["p50_ms"], floor["p50_ms"]))
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"get {c:>2} clients: p99", get["p99_ms"], "ms", "bare", floor["p99_ms"],
                ratio(get["p99_ms"], floor["p99_ms"]), "≤ 50 ms" if at32 else "", get["p99_ms"] <= 50 if at32 else None)
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"get {c:>2} clients: server CPU per request", get["server_cpu_ms_per_request"], "ms",
                "bare", floor["server_cpu_ms_per_request"],
                ratio(get["server_cpu_ms_per_request"], floor["server_cpu_ms_per_request"]),
                note="CPU of the server's workers, Postgres, Cerbos and Redis over the run, per answered request")
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"readiness {c:>2} clients: throughput", health["rps"], "req/s", "bare", floor["rps"],
                ratio(health["rps"], floor["rps"]), note="system/v1/health: Postgres, Redis, Cerbos and DBOS asked")
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"readiness {c:>2} clients: p50", health["p50_ms"], "ms", "bare", floor["p50_ms"],
                ratio(health["p50_ms"], floor["p50_ms"]))
        )  # fmt: skip
        live_ratio = ratio(live["p50_ms"], floor["p50_ms"])
        bench.report.add(
            Row(SECTION, f"liveness {c:>2} clients: p50", live["p50_ms"], "ms", "bare", floor["p50_ms"], live_ratio,
                "≤ 2x bare" if c == 1 else "", (live_ratio or 99) <= 2 if c == 1 else None,
                note="GET /api/health/live: no dependency asked; the framework floor")
        )  # fmt: skip
    for n, (pid, peak) in enumerate(sorted(peaks.items()), start=1):
        bench.report.add(
            Row(SECTION, f"API worker {n}: peak RSS after the 32-client runs", peak, "MiB",
                note=f"pid {pid}, VmHWM: the most it held since it started")
        )  # fmt: skip
    share = max(r[c]["generator_cpu_share_of_machine"] for r in runs.values() for c in levels)
    bench.report.add(
        Row(SECTION, "load generator: max CPU share of the machine", share * 100, "%",
            note=f"pinned to CPUs {bench.load.cpus}; client {bench.load.client}")
    )  # fmt: skip

    profile = _profile(bench, body, headers, api_groups)
    wrk = None
    if bench.wrk:
        log("request path: cross-check with wrk at 32 clients")
        wrk_options = bench.load_with(tool="wrk")
        wrk = {
            "get": run_load(bench.api.port, GET, body=body, headers=headers, concurrency=32, options=wrk_options),
            "bare": run_load(bare.port, BARE, body=body, headers={}, concurrency=32, options=wrk_options),
        }
        bench.report.add(
            Row(SECTION, "get 32 clients: throughput (wrk)", wrk["get"].get("rps"), "req/s", "bare (wrk)",
                wrk["bare"].get("rps"), ratio(wrk["get"].get("rps"), wrk["bare"].get("rps")))
        )  # fmt: skip
    return {"ids": ids, "runs": runs, "peak_rss_mib": peaks, "profile_get_32": profile, "wrk": wrk}


def _profile(bench: Bench, body: dict[str, Any], headers: dict[str, str], groups: Any) -> Any:
    workers = bench.api.worker_pids()
    recorder = profiling.Recorder(workers, bench.data_dir / "profiles", "api-get-32")
    if not recorder.available:
        log("request path: py-spy not found; no profile (see bench/README.md)")
        return None
    log(f"request path: profiling API workers {workers} under 32 clients")
    recorder.start()
    try:
        run_load(bench.api.port, GET, body=body, headers=headers, concurrency=32, options=bench.load,
                 groups=groups, duration=bench.profile_seconds)  # fmt: skip
    finally:
        files = recorder.stop()
    summary = profiling.summarize(files)
    print(profiling.format_summary(summary), flush=True)
    return summary
