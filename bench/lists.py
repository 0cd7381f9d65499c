"""Lists at scale: `workOrder/v1/list` (first page of 50, and a page deep into the set, with the Cerbos query
plan applied) at 10 k and at 1 M work orders over 1,000 organizations; p50/p99, the 1 M / 10 k ratio, and
EXPLAIN (ANALYZE) of the very statement the service sends.

The data is written with SQL as the superuser (RLS does not apply to it). The caller is a real user (registered
and logged in through the API), MANAGER of two of the organizations: the *large tenant*, which holds 1% of all
work orders (100 at 10 k, 10,000 at 1 M), and a *typical tenant* holding its even share of the other 99%
(about 10 at 10 k and 990 at 1 M). The large tenant gives full pages at both sizes, so the 1 M / 10 k ratio
compares like with like.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

import httpx
import psycopg

from bench import api, inproc
from bench.common import Row, Server, log, ratio, run_load
from bench.context import Bench
from hestami.core.pagination import encode_cursor

SECTION = "lists"
LIST = "/api/v1/rpc/workOrder/v1/list"
GET = "/api/v1/rpc/workOrder/v1/get"
LARGE_SHARE = 100  # every 100th row belongs to the large tenant
WHAT_IF_INDEX = "bench_what_if_work_orders_org_created"

SETUP = (
    "CREATE SCHEMA IF NOT EXISTS bench",
    "CREATE TABLE bench.list_orgs (idx int PRIMARY KEY, org uuid NOT NULL, assoc uuid NOT NULL, slug text NOT NULL)",
    "INSERT INTO bench.list_orgs SELECT i, uuidv7(), uuidv7(), 'bench-list-' || lpad(i::text, 4, '0') "
    "FROM generate_series(0, %(orgs)s - 1) AS i",
    "INSERT INTO organizations (id, name, slug, type) "
    "SELECT org, 'Bench List Organization ' || idx, slug, 'COMMUNITY_ASSOCIATION' FROM bench.list_orgs",
    "INSERT INTO associations (id, organization_id, name, status, timezone) "
    "SELECT assoc, org, 'Bench List Association ' || idx, 'ACTIVE', 'America/Chicago' FROM bench.list_orgs",
)

# Rows [start, end): every LARGE_SHARE-th row to the large tenant (idx 0), the rest spread over the others.
WORK_ORDERS = """
INSERT INTO work_orders (
  id, organization_id, created_at, updated_at, association_id, number, title, description, priority, category,
  status, submitted_at, sla_due_at, completed_at, completion_notes, estimated_cost, actual_cost)
SELECT uuidv7(s.ts - clock_timestamp()), o.org, s.ts, s.ts + interval '2 days', o.assoc, s.g + 1,
  (ARRAY['Leaking irrigation valve', 'Pool pump making noise', 'Gate keypad unresponsive', 'Clubhouse AC not cooling',
         'Broken sprinkler head', 'Parking lot light out', 'Fence panel down', 'Playground mulch refill',
         'Roof leak over mailroom', 'Elevator inspection due'])[1 + s.g %% 10],
  'Reported by a resident; see photos. Unit access arranged with the front desk. Ref ' || s.g,
  (ARRAY['LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'EMERGENCY', 'LOW'])[1 + s.g %% 8],
  (ARRAY['PLUMBING', 'ELECTRICAL', 'HVAC', 'LANDSCAPING', 'POOL', 'GENERAL', 'ROOFING', 'SECURITY'])[1 + s.g %% 8],
  s.status,
  CASE WHEN s.status <> 'DRAFT' THEN s.ts + interval '10 minutes' END,
  CASE WHEN s.status <> 'DRAFT' THEN s.ts + interval '72 hours' END,
  CASE WHEN s.status IN ('COMPLETED', 'INVOICED', 'CLOSED') THEN s.ts + interval '2 days' END,
  CASE WHEN s.status IN ('COMPLETED', 'INVOICED', 'CLOSED') THEN 'Done; tested with the resident.' END,
  round((50 + s.r * 2000)::numeric, 2),
  CASE WHEN s.status IN ('COMPLETED', 'INVOICED', 'CLOSED') THEN round((40 + s.r * 2100)::numeric, 2) END
FROM (
  SELECT g, CASE WHEN g %% %(share)s = 0 THEN 0 ELSE 1 + g %% (%(orgs)s - 1) END AS idx,
         now() - random() * interval '1095 days' AS ts, random() AS r,
         CASE WHEN random() < 0.55 THEN 'CLOSED' ELSE (ARRAY['CANCELLED', 'INVOICED', 'COMPLETED', 'IN_PROGRESS',
           'SCHEDULED', 'ASSIGNED', 'TRIAGED', 'SUBMITTED', 'DRAFT', 'ON_HOLD'])[1 + (g / 7) %% 10] END AS status
  FROM generate_series(%(start)s, %(end)s - 1) AS g
) AS s JOIN bench.list_orgs AS o ON o.idx = s.idx
"""


def _insert(bench: Bench, start: int, end: int) -> float:
    import time

    began = time.perf_counter()
    step = 250_000
    with psycopg.connect(bench.stack.superuser, autocommit=True) as conn:
        for lo in range(start, end, step):
            conn.execute(
                WORK_ORDERS,
                {"start": lo, "end": min(end, lo + step), "share": LARGE_SHARE, "orgs": bench.sizes.organizations},
            )
        conn.execute("VACUUM (ANALYZE) work_orders")
    return time.perf_counter() - began


def _orgs(bench: Bench) -> dict[str, dict[str, Any]]:
    rows = inproc.sql(
        bench.stack.superuser, "SELECT idx, org, slug FROM bench.list_orgs WHERE idx IN (0, 1)", fetch=True
    )
    return {("large" if idx == 0 else "typical"): {"org": org, "slug": slug} for idx, org, slug in rows}


def _deep_cursor(bench: Bench, org: uuid.UUID) -> tuple[str | None, int]:
    with psycopg.connect(bench.stack.superuser) as conn:
        count = conn.execute("SELECT count(*) FROM work_orders WHERE organization_id = %s", (org,)).fetchone()[0]
        row = conn.execute(
            "SELECT created_at, id FROM work_orders WHERE organization_id = %s ORDER BY created_at, id "
            "OFFSET %s LIMIT 1",
            (org, count // 2),
        ).fetchone()
    return (encode_cursor([row[0], row[1]]) if row else None), count


def _plan_notes(plan: list[str]) -> str:
    text = "\n".join(plan)
    scans = re.findall(r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)[^(]*)", text)
    sort = re.search(r"Sort Method: ([^\n]+)", text)
    executed = re.search(r"Execution Time: ([\d.]+) ms", text)
    notes = "; ".join(dict.fromkeys(s.strip() for s in scans))
    if sort:
        notes += f"; Sort ({sort.group(1).strip()})"
    if executed:
        notes += f"; executed in {executed.group(1)} ms"
    return notes


async def _explain(bench: Bench, user: uuid.UUID, org: dict[str, Any], cursor: str | None) -> dict[str, Any]:
    """The statement `workOrder/v1/list` sends (captured from the service, run in-process with the caller's
    scope and roles), then EXPLAIN (ANALYZE, BUFFERS) of it in the same scoped transaction."""
    from hestami.cam.work_order.schemas import ListWorkOrders
    from hestami.cam.work_order.services import work_orders

    async with inproc.runtime() as rt, rt.database.transaction(organization_id=org["org"], user_id=user) as session:
        ctx = inproc.context(session, rt, user, org["org"], org["slug"], frozenset({"MANAGER"}), "workOrder/v1/list")
        with inproc.counting(rt, capture="FROM work_orders") as counters:
            page = await work_orders.list_(ctx, ListWorkOrders(limit=50, cursor=cursor))
        statement, params = next((s, p) for s, p in counters.captured if "LIMIT" in s)
        conn = await session.connection()
        explained = await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
        plan = [row[0] for row in explained.all()]
    served = _as_served(org["org"], user, statement, params or {})
    return {
        "served": served,
        "items": len(page.items),
        "statement": statement,
        "parameters": {k: str(v) for k, v in (params or {}).items()},
        "plan": plan,
        "summary": _plan_notes(plan),
        "statements_per_call": len(counters.statements),
        "cerbos_plans_per_call": counters.cerbos_plans,
    }


def _as_served(org: uuid.UUID, user: uuid.UUID, statement: str, params: dict[str, Any]) -> dict[str, Any]:
    """The statement as the API's connections run it: psycopg prepares a statement on its 6th execution
    (prepare_threshold 5) and Postgres, after 5 custom plans, may switch to a generic plan, which cannot
    see that the Cerbos filter's several organization parameters are one value. Timed per execution
    (app role, RLS scope), plus EXPLAIN ANALYZE of the generic plan (PREPARE + force_generic_plan)."""
    import statistics
    import time

    from psycopg import sql
    from psycopg._queries import PostgresQuery
    from psycopg.adapt import Transformer

    from hestami.core.config import get_settings

    dsn = get_settings().database_url.replace("postgresql+psycopg://", "postgresql://")
    scope = "SELECT set_config('app.current_org_id', %s, true), set_config('app.current_user_id', %s, true)"
    times = []
    with psycopg.connect(dsn) as conn:
        for _ in range(14):
            with conn.transaction():
                conn.execute(scope, (str(org), str(user)))
                began = time.perf_counter()
                conn.execute(statement, params, prepare=True).fetchall()
                times.append((time.perf_counter() - began) * 1000)
        custom = []  # what-if: the app role's connections never use generic plans
        for _ in range(14):
            with conn.transaction():
                conn.execute(scope, (str(org), str(user)))
                conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")
                began = time.perf_counter()
                conn.execute(statement, params, prepare=True).fetchall()
                custom.append((time.perf_counter() - began) * 1000)
        query = PostgresQuery(Transformer(conn))
        query.convert(statement, params)
        values = [conn.execute("SELECT %s::text", (v,)).fetchone()[0] for v in params.values()]  # type: ignore[index]
        with conn.transaction():
            conn.execute(scope, (str(org), str(user)))
            conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            conn.execute(b"PREPARE bench_list AS " + query.query)
            execute = sql.SQL("EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_list ({})").format(
                sql.SQL(", ").join(sql.Literal(v) for v in values)
            )
            generic = [r[0] for r in conn.execute(execute).fetchall()]
            conn.execute("DEALLOCATE bench_list")
    return {
        "ms_per_execution": [round(t, 2) for t in times],
        "custom_plan_ms": statistics.median(times[1:5]),
        "served_ms": statistics.median(times[-6:]),
        "served_force_custom_plan_ms": statistics.median(custom[-6:]),
        "generic_plan": generic,
        "generic_summary": _plan_notes(generic),
    }


def _measure(
    bench: Bench, server: Server, caller: api.Caller, orgs: dict[str, dict[str, Any]], label: str
) -> dict[str, Any]:
    large = orgs["large"]["org"]
    cursor, count = _deep_cursor(bench, large)
    typical_count = inproc.sql(bench.stack.superuser, "SELECT count(*) FROM work_orders WHERE organization_id = %s",
                               (orgs["typical"]["org"],), fetch=True)[0][0]  # fmt: skip
    reference = inproc.sql(bench.stack.superuser, "SELECT id FROM work_orders WHERE organization_id = %s LIMIT 1",
                           (large,), fetch=True)[0][0]  # fmt: skip
    cases = {
        "reference_get": (large, {"id": str(reference)}, orgs["large"]),
        "first_page": (large, {"limit": 50}, orgs["large"]),
        "deep_page": (large, {"limit": 50, "cursor": cursor}, orgs["large"]),
        "typical_first_page": (orgs["typical"]["org"], {"limit": 50}, orgs["typical"]),
    }
    out: dict[str, Any] = {"large_tenant_rows": count, "typical_tenant_rows": typical_count}
    for name, (org, body, org_info) in cases.items():
        log(f"lists @{label}: {name}")
        path = GET if name == "reference_get" else LIST
        run = run_load(server.port, path, body=body, headers=caller.headers(org), concurrency=1,
                       options=bench.load, groups=lambda: {"api": server.pids(), **bench.stack.pids()})  # fmt: skip
        if name == "reference_get":
            out[name] = {"http": run}
            continue
        explain = asyncio.run(_explain(bench, caller.user_id, org_info, body.get("cursor")))
        out[name] = {"http": run, "explain": explain}
    return out


def _register(bench: Bench) -> api.Caller:
    async def go() -> api.Caller:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{bench.api.port}", timeout=30) as client:
            return await api.account(client, "lists-manager")

    return asyncio.run(go())


def run(bench: Bench) -> dict[str, Any]:
    sizes = bench.sizes
    caller = _register(bench)
    for statement in SETUP:
        inproc.sql(bench.stack.superuser, statement, {"orgs": sizes.organizations})
    orgs = _orgs(bench)
    for info in orgs.values():
        inproc.sql(
            bench.stack.superuser,
            "INSERT INTO memberships (id, organization_id, user_id, roles, status) "
            "VALUES (uuidv7(), %s, %s, ARRAY['MANAGER'], 'ACTIVE')",
            (info["org"], caller.user_id),
        )
    results: dict[str, Any] = {"sizes": {"small": sizes.list_small, "large": sizes.list_large}}
    server, results["workarounds"] = _server(bench, caller, orgs["large"]["org"])
    try:
        _run(bench, server, caller, orgs, results)
    finally:
        if server is not bench.api:
            server.stop()
    return results


def _probe(port: int, caller: api.Caller, org: uuid.UUID) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{port}{LIST}", json={"limit": 50}, headers=caller.headers(org), timeout=30)


def _server(bench: Bench, caller: api.Caller, org: uuid.UUID) -> tuple[Server, list[str]]:
    """The API itself; a list that does not answer 200 stops the section (it is a bug to report)."""
    probe = _probe(bench.api.port, caller, org)
    if probe.status_code != 200:
        raise RuntimeError(f"workOrder/v1/list answered {probe.status_code}: {probe.text[:500]}")
    return bench.api, []


def _run(
    bench: Bench, server: Server, caller: api.Caller, orgs: dict[str, dict[str, Any]], results: dict[str, Any]
) -> None:
    sizes = bench.sizes
    small_label, large_label = _label(sizes.list_small), _label(sizes.list_large)
    log(f"lists: inserting {sizes.list_small:,} work orders")
    results["insert_small_s"] = _insert(bench, 0, sizes.list_small)
    results["small"] = _measure(bench, server, caller, orgs, small_label)
    log(f"lists: inserting {sizes.list_large - sizes.list_small:,} more work orders")
    results["insert_large_s"] = _insert(bench, sizes.list_small, sizes.list_large)
    results["large"] = _measure(bench, server, caller, orgs, large_label)

    # What the missing index would change: created on the throwaway database only, measured, dropped.
    log(f"lists @{large_label}: what-if index (organization_id, created_at, id), then dropped")
    inproc.sql(bench.stack.superuser, f"CREATE INDEX {WHAT_IF_INDEX} ON work_orders (organization_id, created_at, id)")
    inproc.sql(bench.stack.superuser, "ANALYZE work_orders")
    try:
        results["large_with_index"] = _measure(bench, server, caller, orgs, f"{large_label}+index")
    finally:
        inproc.sql(bench.stack.superuser, f"DROP INDEX IF EXISTS {WHAT_IF_INDEX}")

    _rows(bench, results, small_label, large_label)


def _label(n: int) -> str:
    return f"{n // 1_000_000} M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000} k"


def _rows(bench: Bench, results: dict[str, Any], small_label: str, large_label: str) -> None:
    small, large, indexed = results["small"], results["large"], results["large_with_index"]
    caveat = ""
    for case, title in (("first_page", "first page"), ("deep_page", "deep page"),
                        ("typical_first_page", "typical tenant, first page")):  # fmt: skip
        s, lg, ix = small[case]["http"], large[case]["http"], indexed[case]["http"]
        growth = ratio(lg["p50_ms"], s["p50_ms"])
        # the machine is shared and its speed drifts between the two sizes (minutes apart): the same single-row
        # get, measured next to each list, divides that drift out
        ref_s, ref_l = small["reference_get"]["http"]["p50_ms"], large["reference_get"]["http"]["p50_ms"]
        corrected = ratio(lg["p50_ms"] / ref_l, s["p50_ms"] / ref_s)
        headline = case == "first_page"
        met = None
        if headline:
            met = lg["p50_ms"] <= 15 and (growth or 99) <= 1.5
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: p50{caveat}", lg["p50_ms"], "ms", f"@{small_label}", s["p50_ms"],
                growth,
                "≤ 15 ms and ≤ 1.5x" if headline else ("≤ 1.5x" if case == "deep_page" else ""),
                met if headline else ((growth or 99) <= 1.5 if case == "deep_page" else None),
                note=large[case]["explain"]["summary"])
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: p99", lg["p99_ms"], "ms", f"@{small_label}", s["p99_ms"],
                ratio(lg["p99_ms"], s["p99_ms"]))
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: growth, drift-corrected", corrected, "x",
                note=f"(list/get p50 @{large_label}) / (list/get p50 @{small_label}); "
                f"get p50 {ref_l:.1f} vs {ref_s:.1f} ms")
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: server CPU per request", lg["server_cpu_ms_per_request"], "ms",
                f"@{small_label}", s["server_cpu_ms_per_request"],
                ratio(lg["server_cpu_ms_per_request"], s["server_cpu_ms_per_request"]))
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label} + what-if index: server CPU per request",
                ix["server_cpu_ms_per_request"], "ms", "without index", lg["server_cpu_ms_per_request"],
                ratio(ix["server_cpu_ms_per_request"], lg["server_cpu_ms_per_request"]))
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label} + what-if index: p50", ix["p50_ms"], "ms", f"@{small_label}",
                s["p50_ms"], ratio(ix["p50_ms"], s["p50_ms"]), note=indexed[case]["explain"]["summary"])
        )  # fmt: skip

    def executed(result: dict[str, Any]) -> float | None:
        found = re.search(r"Execution Time: ([\d.]+) ms", "\n".join(result["explain"]["plan"]))
        return float(found.group(1)) if found else None

    for case, title in (("first_page", "first page"), ("deep_page", "deep page")):
        served = [r[case]["explain"]["served"]["served_ms"] for r in (small, large, indexed)]
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: SQL as served (prepared, 7th+ execution)", served[1], "ms",
                f"@{small_label}", served[0], ratio(served[1], served[0]),
                note="generic plan: " + large[case]["explain"]["served"]["generic_summary"])
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label} + what-if index: SQL as served", served[2], "ms",
                "without index", served[1], ratio(served[2], served[1]),
                note="custom plans (first 5 runs) "
                f"{indexed[case]['explain']['served']['custom_plan_ms']:.2f} ms; generic plan: "
                + indexed[case]["explain"]["served"]["generic_summary"])
        )  # fmt: skip
        forced = indexed[case]["explain"]["served"]["served_force_custom_plan_ms"]
        bench.report.add(
            Row(SECTION, f"{title} @{large_label} + what-if index + plan_cache_mode=force_custom_plan: SQL as served",
                forced, "ms", "without either", served[1], ratio(forced, served[1]))
        )  # fmt: skip
        db_small, db_large, db_index = (executed(r[case]) for r in (small, large, indexed))
        bench.report.add(
            Row(SECTION, f"{title} @{large_label}: SQL execution, custom plan (EXPLAIN ANALYZE)", db_large, "ms",
                f"@{small_label}", db_small, ratio(db_large, db_small), note=large[case]["explain"]["summary"])
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{title} @{large_label} + what-if index: SQL execution, custom plan", db_index, "ms",
                "without index", db_large, ratio(db_index, db_large), note=indexed[case]["explain"]["summary"])
        )  # fmt: skip
    get_floor = bench.shared.get("get_p50_1_client_ms")
    if get_floor:
        p50 = large["first_page"]["http"]["p50_ms"]
        bench.report.add(
            Row(SECTION, f"first page @{large_label} vs one-row get (same stack)", p50, "ms", "get, 1 client",
                get_floor, ratio(p50, get_floor))
        )  # fmt: skip
