"""Workflows: work orders taken through their whole lifecycle concurrently, in-process, with DBOS launched on
the running loop (as the API does): create+submit, triage, assign, schedule, start, complete, close, each in
its own transaction (which records the transition's notifications) with the procedure's after-commit effects
(the wake-up of `workOrderLifecycle_v2` when the move concerns its SLA clock: COMPLETED and CLOSED), and then
waiting until every lifecycle workflow has seen CLOSED and ended.

The floor is the same transitions with the workflow start and signal replaced by no-ops (DBOS stays
launched but no lifecycle runs; the notifications, written by the transitions, are in both runs): the
difference, per transition, is what DBOS adds, both inside the request (starting the workflow in the submitting
transaction, the wake-ups after commit) and behind it (the workflow's `workOrderSlaClock` step on each wake-up,
its checkpoints, `recv`).

Targets (issue 12): lifecycles/s ≥ 0.5x the floor, DBOS overhead per transition (wall) ≤ 2x the floor's time
per transition, transition p50 in the request ≤ 2x the floor's.

Run A (floor) goes first, then run B (DBOS), on separate associations. Their size is `--lifecycles` (1,000),
reduced when a calibration shows both would not fit the section's time budget (the table says so).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from bench import inproc, profiling
from bench.common import Row, cpu_by_group, log, ratio
from bench.context import Bench

SECTION = "workflows"
LIFECYCLES_TARGET = 0.5  # lifecycles/s: at least this share of the floor's
OVERHEAD_TARGET = 2  # wall time per transition and transition p50: at most this many times the floor's
TRANSITIONS = 7  # SUBMITTED, TRIAGED, ASSIGNED, SCHEDULED, IN_PROGRESS, COMPLETED, CLOSED
BUDGET_S = {"full": 150.0, "quick": 45.0}


async def _setup(rt: Any, bench: Bench) -> dict[str, Any]:
    from hestami.cam.association.schemas import CreateAssociation
    from hestami.cam.association.services import associations
    from hestami.cam.work_order.schemas import LinkProvider, UpsertProfile
    from hestami.cam.work_order.services import providers

    dsn = bench.stack.superuser
    user = inproc.superuser_user(dsn, "workflow-manager")
    org, slug = inproc.superuser_org(dsn, "wo-hoa", user, ["ADMIN"], "COMMUNITY_ASSOCIATION")
    provider, provider_slug = inproc.superuser_org(dsn, "wo-plumbing", user, ["ADMIN"], "SERVICE_PROVIDER")
    async with rt.database.transaction(organization_id=provider, user_id=user) as session:
        ctx = inproc.context(session, rt, user, provider, provider_slug)
        await providers.upsert_profile(
            ctx,
            UpsertProfile(
                categories=["PLUMBING"],
                license_number="M-4411",
                license_expires_on=date(2035, 1, 1),
                insurance_carrier="Acme Mutual",
                insurance_expires_on=date(2035, 1, 1),
            ),
        )
    found: dict[str, Any] = {"user": user, "org": org, "slug": slug, "provider": provider, "associations": []}
    async with rt.database.transaction(organization_id=org, user_id=user) as session:
        ctx = inproc.context(session, rt, user, org, slug)
        for name in ("Bench Lifecycle Floor HOA", "Bench Lifecycle DBOS HOA", "Bench Lifecycle Calibration HOA"):
            association = await associations.create(ctx, CreateAssociation(name=name, timezone="America/Chicago"))
            await providers.link_provider(
                ctx,
                LinkProvider(association_id=association.id, provider_organization_id=provider,
                             provider_name="Bench Plumbing", approval_status="APPROVED"),
            )  # fmt: skip
            found["associations"].append(association.id)
    return found


class Driver:
    """Runs lifecycles, one transaction per transition, at most `concurrency` transactions at a time."""

    def __init__(self, rt: Any, setup: dict[str, Any], association: uuid.UUID, concurrency: int) -> None:
        self.rt = rt
        self.setup = setup
        self.association = association
        self.gate = asyncio.Semaphore(concurrency)
        self.latencies: list[float] = []
        self.ids: list[uuid.UUID] = []
        self.failures: dict[str, int] = {}

    async def step(self, action: Any) -> Any:
        """One transition in its own transaction; a failed one is retried (as a client retries a 503), up to
        5 times, and counted by error."""
        for attempt in range(5):
            async with self.gate:
                began = time.perf_counter()
                s = self.setup
                try:
                    async with self.rt.database.transaction(organization_id=s["org"], user_id=s["user"]) as session:
                        ctx = inproc.context(session, self.rt, s["user"], s["org"], s["slug"], procedure="workOrder/v1")
                        result = await action(ctx)
                except Exception as exc:
                    if attempt == 4:
                        raise
                    name = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}"
                    self.failures[name] = self.failures.get(name, 0) + 1
                    continue
                for effect in ctx.drain_after_commit():  # what the dispatcher does after the commit
                    await effect()
                self.latencies.append(time.perf_counter() - began)
                return result
            await asyncio.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    async def lifecycle(self, n: int) -> None:
        from hestami.cam.work_order.schemas import AssignVendor, Complete, CreateWorkOrder, Schedule, UpdateStatus
        from hestami.cam.work_order.services import work_orders as wo

        created = await self.step(
            lambda ctx: wo.create(
                ctx,
                CreateWorkOrder(association_id=self.association, title=f"Bench lifecycle {n}",
                                description="Dripping faucet in the pool house", priority="LOW",
                                category="PLUMBING", submit=True),
            )
        )  # fmt: skip
        order = created.id
        self.ids.append(order)
        start = datetime.now(UTC) + timedelta(days=1)
        await self.step(lambda ctx: wo.update_status(ctx, UpdateStatus(id=order, status="TRIAGED")))
        await self.step(
            lambda ctx: wo.assign_vendor(ctx, AssignVendor(id=order, provider_organization_id=self.setup["provider"]))
        )
        await self.step(
            lambda ctx: wo.schedule(
                ctx, Schedule(id=order, scheduled_start=start, scheduled_end=start + timedelta(hours=2))
            )
        )
        await self.step(lambda ctx: wo.update_status(ctx, UpdateStatus(id=order, status="IN_PROGRESS")))
        await self.step(
            lambda ctx: wo.complete(
                ctx, Complete(id=order, completion_notes="Replaced the washer", actual_cost=Decimal("120.00"))
            )
        )
        await self.step(lambda ctx: wo.update_status(ctx, UpdateStatus(id=order, status="CLOSED")))

    async def run(self, count: int) -> float:
        began = time.perf_counter()
        await asyncio.gather(*(self.lifecycle(n) for n in range(count)))
        return time.perf_counter() - began


def _workflow_ids(ids: list[uuid.UUID]) -> list[str]:
    from hestami.cam.work_order import lifecycle

    return [lifecycle.workflow_id(i) for i in ids]


async def _wait_for_workflows(bench: Bench, ids: list[str], patience: float) -> dict[str, Any]:
    """Polls the DBOS system database until every lifecycle workflow has ended (or `patience` runs out)."""
    deadline = time.perf_counter() + patience
    counts: dict[str, int] = {}
    async with await psycopg.AsyncConnection.connect(bench.stack.dbos_superuser, autocommit=True) as conn:
        while time.perf_counter() < deadline:
            cur = await conn.execute(
                "SELECT status, count(*) FROM dbos.workflow_status WHERE workflow_uuid = ANY(%s) GROUP BY status",
                (ids,),
            )
            counts = {status: n for status, n in await cur.fetchall()}
            if counts.get("SUCCESS", 0) + counts.get("ERROR", 0) >= len(ids):
                break
            await asyncio.sleep(0.2)
        cur = await conn.execute(
            "SELECT function_name, count(*), avg(completed_at_epoch_ms - started_at_epoch_ms) "
            "FROM dbos.operation_outputs WHERE workflow_uuid = ANY(%s) GROUP BY function_name ORDER BY 2 DESC",
            (ids,),
        )
        steps = {
            name: {"count": n, "avg_ms": float(avg) if avg is not None else None}
            for name, n, avg in await cur.fetchall()
        }
    return {"status_counts": counts, "steps": steps}


async def _run_one(bench: Bench, rt: Any, setup: dict[str, Any], association: uuid.UUID, count: int, *,
                   dbos: bool, label: str, profile: bool = False) -> dict[str, Any]:  # fmt: skip
    from hestami.cam.work_order import workflows as wo_workflows

    real_start, real_signal = wo_workflows.start, wo_workflows.signal

    async def no_start(organization_id: uuid.UUID, work_order_id: uuid.UUID, sla_due_at: datetime | None) -> None:
        return None

    async def no_signal(work_order_id: uuid.UUID, status: str) -> None:
        return None

    if not dbos:
        wo_workflows.start, wo_workflows.signal = no_start, no_signal  # type: ignore[assignment]
    recorder = profiling.Recorder([os.getpid()], bench.data_dir / "profiles", f"workflows-{label}")
    if profile:
        recorder.start()
    driver = Driver(rt, setup, association, bench.sizes.drivers)
    groups_before = cpu_by_group(bench.stack.pids())
    clock = inproc.Stopwatch()
    with inproc.counting(rt) as counters:
        try:
            driven = await driver.run(count)
        finally:
            wo_workflows.start, wo_workflows.signal = real_start, real_signal  # type: ignore[assignment]
        waited: dict[str, Any] = {}
        if dbos:
            waited = await _wait_for_workflows(bench, _workflow_ids(driver.ids),
                                               patience=min(180.0, max(60.0, driven * 3)))  # fmt: skip
    wall, cpu = clock.elapsed()
    outbox = sum(1 for st in counters.statements if "INSERT INTO outbound_messages" in st)
    groups_after = cpu_by_group(bench.stack.pids())
    files = recorder.stop() if profile else []
    summary = profiling.summarize(files) if files else None
    if summary:
        print(profiling.format_summary(summary), flush=True)
    ordered = sorted(driver.latencies)
    transitions = count * TRANSITIONS
    postgres = groups_after.get("postgres", 0.0) - groups_before.get("postgres", 0.0)
    return {
        "lifecycles": count,
        "transitions": transitions,
        "driven_s": driven,
        "wall_s": wall,
        "lifecycles_per_s": count / wall,
        "transition_p50_ms": statistics.median(ordered) * 1000,
        "transition_p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
        "python_cpu_s": cpu,
        "postgres_cpu_s": postgres,
        "cpu_ms_per_transition": (cpu + postgres) / transitions * 1000,
        "app_statements_per_transition": len(counters.statements) / transitions,
        "app_transactions_per_transition": counters.transactions / transitions,
        "outbox_inserts_per_lifecycle": outbox / count,
        "cerbos_checks_per_transition": counters.cerbos_checks / transitions,
        "workflows": waited,
        "retried_transitions": driver.failures,
        "profile": summary,
    }


async def _run(bench: Bench) -> dict[str, Any]:
    budget = BUDGET_S["quick" if bench.sizes.lifecycles < 1000 else "full"]
    async with inproc.runtime(dbos=True) as rt:
        setup = await _setup(rt, bench)
        floor_assoc, dbos_assoc, calibration_assoc = setup["associations"]
        # calibration: a few lifecycles of each kind, to size the runs to the budget
        probe = 20
        log(f"workflows: calibrating with {probe} lifecycles with and without DBOS")
        a = await _run_one(bench, rt, setup, calibration_assoc, probe, dbos=False, label="calibration-floor")
        b = await _run_one(bench, rt, setup, calibration_assoc, probe, dbos=True, label="calibration-dbos")
        # at scale the process is CPU-bound (the lifecycle workflows run on this loop), and a small calibration
        # underestimates the DBOS run: size by the larger of wall and CPU time, with a margin
        per_lifecycle = 1.4 * max(a["wall_s"] + b["wall_s"], a["python_cpu_s"] + b["python_cpu_s"]) / probe
        count = max(probe, min(bench.sizes.lifecycles, int(budget / per_lifecycle)))
        log(f"workflows: {count} lifecycles per run (target size {bench.sizes.lifecycles}; "
            f"about {per_lifecycle:.2f} s per lifecycle pair at calibration)")  # fmt: skip
        log(f"workflows: run A (floor): {count} lifecycles, workflow start and signal disabled")
        floor = await _run_one(bench, rt, setup, floor_assoc, count, dbos=False, label="floor")
        log(f"workflows: run B (DBOS): {count} lifecycles, then waiting for every workflow to end")
        real = await _run_one(bench, rt, setup, dbos_assoc, count, dbos=True, label="dbos", profile=True)
    return {"budget_s": budget, "calibration": {"floor": a, "dbos": b}, "floor": floor, "dbos": real,
            "target_lifecycles": bench.sizes.lifecycles, "drivers": bench.sizes.drivers}  # fmt: skip


def _at_least(value: float | None, target: float) -> bool | None:
    return None if value is None else value >= target


def _at_most(value: float | None, target: float) -> bool | None:
    return None if value is None else value <= target


def run(bench: Bench) -> dict[str, Any]:
    results = asyncio.run(_run(bench))
    floor, real = results["floor"], results["dbos"]
    count = real["lifecycles"]
    boxed = "" if count >= results["target_lifecycles"] else f" (time-boxed from {results['target_lifecycles']:,})"
    ended = real["workflows"].get("status_counts", {})
    lifecycles_ratio = ratio(real["lifecycles_per_s"], floor["lifecycles_per_s"])
    bench.report.add(
        Row(SECTION, f"lifecycles, {count:,} concurrent{boxed}", real["lifecycles_per_s"], "lifecycles/s",
            "no DBOS", floor["lifecycles_per_s"], lifecycles_ratio,
            f"≥ {LIFECYCLES_TARGET}x no DBOS", _at_least(lifecycles_ratio, LIFECYCLES_TARGET),
            note=f"workflows ended: {ended}; {bench.sizes.drivers} transactions at a time; retried transitions: "
            f"{sum(real['retried_transitions'].values())} with DBOS, "
            f"{sum(floor['retried_transitions'].values())} without")
    )  # fmt: skip
    overhead_wall = (real["wall_s"] - floor["wall_s"]) / real["transitions"] * 1000
    overhead_cpu = real["cpu_ms_per_transition"] - floor["cpu_ms_per_transition"]
    wall_ratio = ratio(real["wall_s"], floor["wall_s"])
    bench.report.add(
        Row(SECTION, "DBOS overhead per transition, wall", overhead_wall, "ms", "transition without DBOS (wall)",
            floor["wall_s"] / floor["transitions"] * 1000, wall_ratio,
            f"≤ {OVERHEAD_TARGET}x no DBOS (wall)", _at_most(wall_ratio, OVERHEAD_TARGET))
    )  # fmt: skip
    bench.report.add(
        Row(SECTION, "DBOS overhead per transition, CPU (Python + Postgres)", overhead_cpu, "ms",
            "CPU per transition without DBOS", floor["cpu_ms_per_transition"],
            ratio(real["cpu_ms_per_transition"], floor["cpu_ms_per_transition"]))
    )  # fmt: skip
    bench.report.add(
        Row(SECTION, "app-database statements per transition", real["app_statements_per_transition"], "",
            "no DBOS", floor["app_statements_per_transition"],
            ratio(real["app_statements_per_transition"], floor["app_statements_per_transition"]),
            note=f"outbox INSERT ... ON CONFLICT per lifecycle: {real['outbox_inserts_per_lifecycle']:.0f}; "
            f"DBOS steps: { {k: v['count'] for k, v in real['workflows'].get('steps', {}).items()} }")
    )  # fmt: skip
    p50_ratio = ratio(real["transition_p50_ms"], floor["transition_p50_ms"])
    bench.report.add(
        Row(SECTION, "transition p50 (in the request)", real["transition_p50_ms"], "ms", "no DBOS",
            floor["transition_p50_ms"], p50_ratio,
            f"≤ {OVERHEAD_TARGET}x no DBOS", _at_most(p50_ratio, OVERHEAD_TARGET))
    )  # fmt: skip
    return results
