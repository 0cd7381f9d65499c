"""Inventory usage under concurrency: 10,000 usage postings (`inventory.api.use_on_visit`, as
`fieldTech/v1/recordMaterial` calls it, Cerbos included) across 6 trucks and 4 items, from 16 concurrent clients,
in-process, each posting in a transaction of its own like a request. The trucks hold less than is asked for (about
85 %), so the last postings of each truck and item are refused (INSUFFICIENT_STOCK) while others still succeed.

The data is written with SQL as the superuser (RLS does not apply to it): a SERVICE_PROVIDER organization with a
contractor profile, six technicians each with their truck, four stocked items, one job with a visit per truck, the
trucks' levels with their opening RECEIPT movements, and a reorder point per truck on one item (the crossing path
runs too: procurement's hook starts its workflow, so DBOS is launched). The caller is a MANAGER (the usage's `use`
decision on the truck is a Cerbos check).

* **postings/s** (all 10,000, refused ones included) and **p50 / p95** latency of one posting.
* **refused**: how many were refused; checked: no level below zero, the sum of the movements equals the levels for
  every item, truck and lot, one USAGE movement and one job-cost row per accepted posting, one crossing per truck.
"""

from __future__ import annotations

import asyncio
import random
import time
from decimal import Decimal
from typing import Any

from bench import inproc
from bench.common import Row, log
from bench.context import Bench
from bench.loadgen import percentile

SECTION = "inventory_usage"
POSTINGS = {"full": 10_000, "quick": 2_000}
TRUCKS, CLIENTS = 6, 16
CODES = ("PIPE", "VALVE", "TAPE", "FILTER")
SUPPLY = 0.85
"""Each truck holds this share of what its postings ask for."""

TECHNICIAN_ROWS = """
INSERT INTO technicians (id, organization_id, user_id, display_name, status, time_zone, territory_zip_codes)
SELECT uuidv7(), %(org)s, uuidv7(), 'Bench Driver ' || n, 'ACTIVE', 'America/Chicago', ARRAY['78258']
FROM generate_series(1, %(trucks)s) AS n
"""
TRUCK_ROWS = """
INSERT INTO inventory_locations (id, organization_id, name, kind, technician_id, technician_user_id)
SELECT uuidv7(), organization_id, 'Bench truck ' || display_name, 'TRUCK', id, user_id FROM technicians
WHERE organization_id = %(org)s
"""
ITEM_ROW = """
INSERT INTO inventory_items (id, organization_id, code, name, kind, unit, tracking, average_cost, pricebook_item_id)
VALUES (uuidv7(), %(org)s, %(code)s, 'Bench ' || %(code)s, 'MATERIAL', 'EACH', 'NONE', 3.25, uuidv7())
"""
JOB_ROWS = """
INSERT INTO jobs (id, organization_id, number, source, title, trade, priority, status, zip_code)
SELECT uuidv7(), %(org)s, n, 'DIRECT', 'Bench usage job ' || n, 'PLUMBING', 'MEDIUM', 'IN_PROGRESS', '78258'
FROM generate_series(1, %(trucks)s) AS n
"""
VISIT_ROWS = """
INSERT INTO job_visits (id, organization_id, job_id, sequence, status, duration_minutes)
SELECT uuidv7(), organization_id, id, 1, 'IN_PROGRESS', 60 FROM jobs WHERE organization_id = %(org)s
"""
LEVEL_ROW = """
WITH level AS (
  INSERT INTO inventory_levels (id, organization_id, item_id, location_id, on_hand)
  VALUES (uuidv7(), %(org)s, %(item)s, %(truck)s, %(quantity)s) RETURNING organization_id, item_id, location_id
)
INSERT INTO inventory_movements (id, organization_id, item_id, location_id, kind, quantity, unit_cost, on_hand_after,
                                 reference)
SELECT uuidv7(), organization_id, item_id, location_id, 'RECEIPT', %(quantity)s, 3.25, %(quantity)s, 'Bench opening'
FROM level
"""
POINT_ROW = """
INSERT INTO inventory_reorder_points (id, organization_id, item_id, location_id, reorder_point, reorder_quantity)
VALUES (uuidv7(), %(org)s, %(item)s, %(truck)s, 10, 40)
"""
CHECKS = """
SELECT
  (SELECT count(*) FROM inventory_levels WHERE organization_id = %(org)s AND on_hand < 0),
  (SELECT count(*) FROM (
     SELECT item_id, location_id, lot_number, sum(quantity) AS q FROM inventory_movements
     WHERE organization_id = %(org)s GROUP BY item_id, location_id, lot_number) AS m
   FULL JOIN (SELECT * FROM inventory_levels WHERE organization_id = %(org)s) AS l
     ON l.item_id = m.item_id AND l.location_id = m.location_id AND l.lot_number IS NOT DISTINCT FROM m.lot_number
   WHERE coalesce(m.q, 0) <> coalesce(l.on_hand, 0)),
  (SELECT count(*) FROM inventory_movements WHERE organization_id = %(org)s AND kind = 'USAGE'),
  (SELECT count(*) FROM inventory_job_costs WHERE organization_id = %(org)s),
  (SELECT count(*) FROM inventory_reorder_crossings WHERE organization_id = %(org)s)
"""


def _seed(bench: Bench, postings: list[tuple[int, str, int]]) -> dict[str, Any]:
    dsn = bench.stack.superuser
    user = inproc.superuser_user(dsn, "stockkeeper")
    org, slug = inproc.superuser_org(dsn, "inventory", user, ["MANAGER"], "SERVICE_PROVIDER")
    inproc.sql(dsn, "INSERT INTO contractor_profiles (id, organization_id, legal_name) VALUES (uuidv7(), %s, %s)",
               (org, "Bench Inventory LLC"))  # fmt: skip
    params = {"org": org, "trucks": TRUCKS}
    for statement in (TECHNICIAN_ROWS, TRUCK_ROWS, JOB_ROWS, VISIT_ROWS):
        inproc.sql(dsn, statement, params)
    for code in CODES:
        inproc.sql(dsn, ITEM_ROW, {"org": org, "code": code})
    select = "SELECT technician_id, id FROM inventory_locations WHERE organization_id = %s ORDER BY name"
    trucks = inproc.sql(dsn, select, (org,), fetch=True)
    items = dict(inproc.sql(dsn, "SELECT code, id FROM inventory_items WHERE organization_id = %s", (org,), fetch=True))
    visits = inproc.sql(dsn, "SELECT job_id, id FROM job_visits WHERE organization_id = %s ORDER BY job_id", (org,),
                        fetch=True)  # fmt: skip
    asked: dict[tuple[int, str], int] = {}
    for truck, code, quantity in postings:
        asked[(truck, code)] = asked.get((truck, code), 0) + quantity
    stocked = 0
    for (truck, code), quantity in asked.items():
        held = int(quantity * SUPPLY)
        stocked += held
        inproc.sql(dsn, LEVEL_ROW, {"org": org, "item": items[code], "truck": trucks[truck][1], "quantity": held})
    for _, truck_id in trucks:
        inproc.sql(dsn, POINT_ROW, {"org": org, "item": items["PIPE"], "truck": truck_id})
    for table in ("inventory_levels", "inventory_items", "inventory_locations", "inventory_reorder_points"):
        inproc.sql(dsn, f"ANALYZE {table}")
    return {"user": user, "org": org, "slug": slug, "trucks": trucks, "visits": visits, "stocked": stocked}


def _postings(count: int) -> list[tuple[int, str, int]]:
    """(truck, code, quantity 1..3), the same every run."""
    draw = random.Random(24)  # noqa: S311 - a fixed workload, not a secret
    return [(draw.randrange(TRUCKS), draw.choice(CODES), draw.randint(1, 3)) for _ in range(count)]


async def _post(rt: Any, seeded: dict[str, Any], posting: tuple[int, str, int]) -> tuple[float, bool]:
    from hestami.contractor.inventory import api as inventory
    from hestami.core.errors import HestamiError

    truck, code, quantity = posting
    technician_id, _ = seeded["trucks"][truck]
    job_id, visit_id = seeded["visits"][truck]
    began = time.perf_counter()
    try:
        async with rt.database.transaction(organization_id=seeded["org"], user_id=seeded["user"]) as session:
            ctx = inproc.context(session, rt, seeded["user"], seeded["org"], seeded["slug"], frozenset({"MANAGER"}),
                                 "fieldTech/v1/recordMaterial")  # fmt: skip
            await inventory.use_on_visit(ctx, job_id=job_id, visit_id=visit_id, technician_id=technician_id,
                                         code=code, quantity=Decimal(quantity))  # fmt: skip
        accepted = True
    except HestamiError as exc:
        if not isinstance(exc.details, dict) or exc.details.get("reason") != "INSUFFICIENT_STOCK":
            raise
        accepted = False
    return (time.perf_counter() - began) * 1000, accepted


async def _drive(seeded: dict[str, Any], postings: list[tuple[int, str, int]]) -> dict[str, Any]:
    queue: asyncio.Queue[tuple[int, str, int]] = asyncio.Queue()
    for posting in postings:
        queue.put_nowait(posting)
    walls: list[float] = []
    outcomes = {"accepted": 0, "refused": 0, "taken": 0}

    async def client(rt: Any) -> None:
        while not queue.empty():
            posting = queue.get_nowait()
            wall, accepted = await _post(rt, seeded, posting)
            walls.append(wall)
            outcomes["accepted" if accepted else "refused"] += 1
            outcomes["taken"] += posting[2] if accepted else 0

    async with inproc.runtime(dbos=True) as rt:  # a crossing starts procurement's inventory_workflow_v1
        began = time.perf_counter()
        await asyncio.gather(*(client(rt) for _ in range(CLIENTS)))
        seconds = time.perf_counter() - began
    return {"seconds": seconds, "latency_ms": sorted(walls), **outcomes}


def _verify(bench: Bench, seeded: dict[str, Any], measured: dict[str, Any]) -> dict[str, int]:
    ((negative, mismatched, usages, costs, crossings),) = inproc.sql(bench.stack.superuser, CHECKS,
                                                                     {"org": seeded["org"]}, fetch=True)  # fmt: skip
    left = inproc.sql(bench.stack.superuser, "SELECT sum(on_hand) FROM inventory_levels WHERE organization_id = %s",
                      (seeded["org"],), fetch=True)[0][0]  # fmt: skip
    found = {"negative_levels": negative, "ledger_mismatches": mismatched, "usage_movements": usages,
             "job_costs": costs, "crossings": crossings, "left_on_hand": int(left)}  # fmt: skip
    problems = []
    if negative or mismatched:
        problems.append(f"{negative} negative levels, {mismatched} (item, truck, lot) where movements != level")
    if usages != measured["accepted"] or costs != measured["accepted"]:
        problems.append(f"{usages} usages and {costs} job costs for {measured['accepted']} accepted postings")
    if int(left) != seeded["stocked"] - measured["taken"]:
        problems.append(f"{left} left of {seeded['stocked']} stocked with {measured['taken']} taken")
    if crossings != TRUCKS or not measured["refused"]:
        problems.append(f"{crossings} crossings (one per truck expected), {measured['refused']} refused")
    if problems:
        raise RuntimeError("inventory_usage: " + "; ".join(problems))
    return found


def run(bench: Bench) -> dict[str, Any]:
    count = POSTINGS["quick" if bench.report.name == "quick" else "full"]
    log(f"inventory_usage: {count} usage postings across {TRUCKS} trucks, {len(CODES)} items, {CLIENTS} clients")
    postings = _postings(count)
    seeded = _seed(bench, postings)
    measured = asyncio.run(_drive(seeded, postings))
    checked = _verify(bench, seeded, measured)
    rate = count / measured["seconds"]
    p50, p95 = percentile(measured["latency_ms"], 50), percentile(measured["latency_ms"], 95)
    note = (f"in-process, {CLIENTS} clients, {measured['refused']} refused (INSUFFICIENT_STOCK); no negative level, "
            "movements = levels")  # fmt: skip
    bench.report.add(Row(SECTION, f"{count} usage postings: throughput", rate, "postings/s", note=note))
    bench.report.add(Row(SECTION, "one usage posting: p50", p50, "ms", note=note))
    bench.report.add(Row(SECTION, "one usage posting: p95", p95, "ms", note=note))
    log(f"inventory_usage: {rate:.0f} postings/s, p50 {p50:.1f} ms, p95 {p95:.1f} ms, {measured['accepted']} "
        f"accepted, {measured['refused']} refused; {checked}")  # fmt: skip
    latencies = measured.pop("latency_ms")
    return {"postings": count, "clients": CLIENTS, "trucks": TRUCKS, "p50_ms": p50, "p95_ms": p95,
            "postings_per_second": rate, "samples": len(latencies), **measured, **checked}  # fmt: skip
