"""Ledger writes: one month of assessment charges for 20 k units (a charge and its journal entry each), then the
trial balance over that month and over a year, in-process.

- billPeriod: `billing.bill_period` as `accounting/assessment/v1/billPeriod` runs it, one call charging every
  unit of an association (one transaction: the product does not split a period; it writes the rows in bulk, a
  few thousand per round of inserts, so its memory does not grow with what it has written). Timed, statements
  and Cerbos checks counted, the process's peak RSS growth noted; then the next month billed the same way under
  py-spy for the profile (sampling slows it down: that run is not timed).
- one charge at a time: `receivables.create_charge` (the service behind `accounting/assessment/v1/createCharge`)
  for every unit of another association, 500 per transaction, within a time box; the month's other charges are
  then written with bare SQL so that the trial balance sees the whole month.

Floors, measured in the same run:
- posting: the same rows (journal entry, its two lines, the charge) written by bare psycopg as the app role,
  under the same RLS scope, with one `executemany` per table and batch: what the database needs at least;
- trial balance: the very statement `reports.trial_balance` sends, run by bare psycopg as the superuser
  (no RLS, no ORM).

The year: the posted month plus 11 earlier months copied from it with SQL (journal entries and lines only),
240 k entries and 480 k lines for the association.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import time
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from bench import inproc, profiling
from bench.common import Row, cpu_by_group, log, ratio
from bench.context import Bench
from hestami.core.ids import new_id

SECTION = "ledger"
DUES = Decimal("275.00")
POST_BUDGET_S = {"full": 60.0, "quick": 25.0}


async def _association(rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, name: str) -> dict[str, Any]:
    from hestami.cam.accounting.schemas import CreateAssessmentType
    from hestami.cam.accounting.services import chart_of_accounts, receivables
    from hestami.cam.association.schemas import AddressIn, CreateAssociation, CreateProperty
    from hestami.cam.association.services import associations, places

    async with rt.database.transaction(organization_id=org, user_id=user) as session:
        ctx = inproc.context(session, rt, user, org, slug)
        association = await associations.create(ctx, CreateAssociation(name=name, timezone="America/Chicago"))
        prop = await places.create_property(
            ctx,
            CreateProperty(
                association_id=association.id,
                name=f"{name} Towers",
                property_type="CONDOMINIUM",
                address=AddressIn(line1="500 Ledger Ave", city="Austin", state="TX", postal_code="78701"),
            ),
        )
        await chart_of_accounts.seed_standard_chart(ctx, association.id)
        atype = await receivables.create_type(
            ctx,
            CreateAssessmentType(
                association_id=association.id, name="Monthly Dues", kind="REGULAR", frequency="MONTHLY", amount=DUES
            ),
        )
    return {"association": association.id, "property": prop.id, "type": atype.id, "revenue": atype.revenue_account_id}


def _units(bench: Bench, org: uuid.UUID, info: dict[str, Any], count: int) -> list[uuid.UUID]:
    with psycopg.connect(bench.stack.superuser, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO units (id, organization_id, association_id, property_id, unit_number, unit_type, "
            "address_line1, city, state, postal_code, square_feet, bedrooms, bathrooms) "
            "SELECT uuidv7(), %s, %s, %s, lpad(i::text, 5, '0'), 'CONDO', '500 Ledger Ave', 'Austin', 'TX', "
            "'78701', 700 + i %% 900, 1 + i %% 3, 1 + i %% 2 FROM generate_series(1, %s) AS i",
            (org, info["association"], info["property"], count),
        )
        conn.execute("ANALYZE units")
        rows = conn.execute(
            "SELECT id FROM units WHERE association_id = %s ORDER BY unit_number", (info["association"],)
        ).fetchall()
    return [r[0] for r in rows]


async def _post(
    bench: Bench, rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, info: dict[str, Any], units: list[uuid.UUID],
    due: date,
) -> dict[str, Any]:  # fmt: skip
    from hestami.cam.accounting.schemas import CreateCharge
    from hestami.cam.accounting.services import receivables

    batch = bench.sizes.batch
    description = f"Monthly dues - {due:%B %Y}"
    per_batch: list[float] = []
    first_counts: dict[str, Any] = {}
    recorder = profiling.Recorder([os.getpid()], bench.data_dir / "profiles", "ledger-post")
    groups_before = cpu_by_group(bench.stack.pids())
    clock = inproc.Stopwatch()
    budget = POST_BUDGET_S["quick" if bench.sizes.units < 20_000 else "full"]
    posted = 0
    in_batch: list[float] = []
    for n, start in enumerate(range(0, len(units), batch)):
        if time.perf_counter() - clock.wall > budget:
            log(f"ledger: time box of {budget:.0f} s reached after {posted:,} units")
            break
        if n == 1:
            recorder.start()  # the first batch is counted instead (statements, Cerbos calls)
        began = time.perf_counter()
        async with rt.database.transaction(organization_id=org, user_id=user) as session:
            ctx = inproc.context(session, rt, user, org, slug, procedure="accounting/assessment/v1/createCharge")
            if n == 0:
                with inproc.counting(rt) as counters:
                    for unit_id in units[start : start + batch]:
                        data = CreateCharge(assessment_type_id=info["type"], unit_id=unit_id, due_date=due,
                                            description=description)  # fmt: skip
                        one = time.perf_counter()
                        await receivables.create_charge(ctx, data)
                        in_batch.append(time.perf_counter() - one)
                size = len(units[start : start + batch])
                first_counts = {
                    "units": size,
                    "statements_per_unit": len(counters.statements) / size,
                    "statements_by_kind_per_unit": {k: v / size for k, v in counters.by_kind().items()},
                    "cerbos_checks_per_unit": counters.cerbos_checks / size,
                    "sample_statements": sorted(set(counters.statements[:40]), key=counters.statements.index),
                    # does a unit get slower as the transaction's session fills up?
                    "ms_per_unit_first_50": statistics.mean(in_batch[:50]) * 1000,
                    "ms_per_unit_last_50": statistics.mean(in_batch[-50:]) * 1000,
                }
            else:
                for unit_id in units[start : start + batch]:
                    data = CreateCharge(assessment_type_id=info["type"], unit_id=unit_id, due_date=due,
                                        description=description)  # fmt: skip
                    await receivables.create_charge(ctx, data)
        per_batch.append(time.perf_counter() - began)
        posted = min(len(units), start + batch)
        if n % 10 == 0:
            done = posted
            log(f"ledger: {done:,} units posted, {done / (time.perf_counter() - clock.wall):.0f} units/s")
    wall, cpu = clock.elapsed()
    files = recorder.stop()
    groups_after = cpu_by_group(bench.stack.pids())
    profile = profiling.summarize(files) if files else None
    if profile:
        print(profiling.format_summary(profile), flush=True)
    return {
        "units": posted,
        "of_units": len(units),
        "time_box_s": budget,
        "wall_s": wall,
        "units_per_s": posted / wall,
        "python_cpu_s": cpu,
        "stack_cpu_s": {g: groups_after[g] - groups_before.get(g, 0.0) for g in groups_after},
        "batch_seconds": {"median": statistics.median(per_batch), "max": max(per_batch)},
        "first_batch": first_counts,
        "profile": profile,
    }


def _app_dsn() -> str:
    from hestami.core.config import get_settings

    return get_settings().database_url.replace("postgresql+psycopg://", "postgresql://")


def _floor(bench: Bench, org: uuid.UUID, user: uuid.UUID, info: dict[str, Any], units: list[uuid.UUID],
           due: date) -> dict[str, Any]:  # fmt: skip
    """The same rows with the fewest statements: three executemany per batch, as the app role under RLS."""
    from hestami.core.db import SET_SCOPE

    scope = str(SET_SCOPE).replace(":org", "%(org)s").replace(":user", "%(user)s")
    description = f"Monthly dues - {due:%B %Y}"
    with psycopg.connect(_app_dsn()) as conn:
        with conn.transaction():
            conn.execute(scope, {"org": str(org), "user": str(user)})
            ar, ar_fund = conn.execute(
                "SELECT id, fund FROM gl_accounts WHERE association_id = %s AND role = 'AR'", (info["association"],)
            ).fetchone()  # type: ignore[misc]
            revenue_fund = conn.execute("SELECT fund FROM gl_accounts WHERE id = %s", (info["revenue"],)).fetchone()[0]  # type: ignore[index]
            numbers = conn.execute(
                "SELECT coalesce(max(entry_number), 0) FROM journal_entries WHERE association_id = %s",
                (info["association"],),
            ).fetchone()[0]  # type: ignore[index]
        clock = inproc.Stopwatch()
        for start in range(0, len(units), bench.sizes.batch):
            entries, lines, charges = [], [], []
            for unit_id in units[start : start + bench.sizes.batch]:
                numbers += 1
                entry, charge = new_id(), new_id()
                entries.append((entry, org, info["association"], numbers, due, f"{description} - unit", "POSTED",
                                "ASSESSMENT_CHARGE", charge, user, user))  # fmt: skip
                lines.append((new_id(), org, entry, info["association"], ar, ar_fund, 1, DUES, 0, description, unit_id))
                lines.append((new_id(), org, entry, info["association"], info["revenue"], revenue_fund, 2, 0, DUES,
                              description, unit_id))  # fmt: skip
                charges.append((charge, org, info["association"], info["type"], unit_id, due, DUES, 0, description,
                                entry))  # fmt: skip
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(scope, {"org": str(org), "user": str(user)})
                cur.executemany(
                    "INSERT INTO journal_entries (id, organization_id, association_id, entry_number, entry_date, memo, "
                    "status, source_type, source_id, created_by, posted_by, posted_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now())",
                    entries,
                )
                cur.executemany(
                    "INSERT INTO journal_entry_lines (id, organization_id, journal_entry_id, association_id, "
                    "gl_account_id, fund, line_number, debit, credit, memo, unit_id) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    lines,
                )
                cur.executemany(
                    "INSERT INTO assessment_charges (id, organization_id, association_id, assessment_type_id, unit_id, "
                    "due_date, amount, amount_paid, description, journal_entry_id) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    charges,
                )
        wall, cpu = clock.elapsed()
    return {"units": len(units), "wall_s": wall, "units_per_s": len(units) / wall, "python_cpu_s": cpu}


async def _trial_balance(
    bench: Bench, rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, association: uuid.UUID, as_of: date,
    runs: int = 5,
) -> dict[str, Any]:  # fmt: skip
    from hestami.cam.accounting.schemas import TrialBalanceIn
    from hestami.cam.accounting.services import reports

    times, statement, params, out = [], "", None, None
    for n in range(runs):
        began = time.perf_counter()
        async with rt.database.transaction(organization_id=org, user_id=user) as session:
            ctx = inproc.context(
                session, rt, user, org, slug, frozenset({"MANAGER"}), "accounting/report/v1/trialBalance"
            )
            with inproc.counting(rt, capture="journal_entry_lines") as counters:
                out = await reports.trial_balance(ctx, TrialBalanceIn(association_id=association, as_of=as_of))
            times.append(time.perf_counter() - began)
            if n == 0:
                statement, params = counters.captured[0]
                conn = await session.connection()
                explained = await conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                plan = [r[0] for r in explained.all()]
    assert out is not None
    floor = []
    with psycopg.connect(bench.stack.superuser) as conn:
        for _ in range(runs):
            began = time.perf_counter()
            conn.execute(statement, params).fetchall()
            floor.append(time.perf_counter() - began)
    # what-if: the same sums aggregated by account id over the lines only (the 126 accounts looked up
    # afterwards), as the app role under RLS: what a rewrite of the query alone would give
    from hestami.core.db import SET_SCOPE

    scope = str(SET_SCOPE).replace(":org", "%(org)s").replace(":user", "%(user)s")
    narrow = []
    with psycopg.connect(_app_dsn()) as conn:
        for _ in range(runs):
            began = time.perf_counter()
            with conn.transaction():
                conn.execute(scope, {"org": str(org), "user": str(user)})
                conn.execute(
                    "SELECT l.gl_account_id, sum(l.debit - l.credit) FROM journal_entry_lines l "
                    "JOIN journal_entries e ON e.id = l.journal_entry_id WHERE e.association_id = %s "
                    "AND e.status IN ('POSTED', 'REVERSED') AND e.entry_date <= %s GROUP BY l.gl_account_id",
                    (association, as_of),
                ).fetchall()
            narrow.append(time.perf_counter() - began)
    return {
        "seconds": statistics.median(times),
        "all_seconds": times,
        "floor_seconds": statistics.median(floor),
        "what_if_narrow_query_seconds": statistics.median(narrow),
        "balanced": out.balanced,
        "total_debit": str(out.total_debit),
        "lines": len(out.lines),
        "statement": statement,
        "plan": plan,
    }


def _extend_to_year(bench: Bench, association: uuid.UUID) -> dict[str, Any]:
    """11 earlier months copied from the posted one (entries and lines), so the journal holds a year."""
    began = time.perf_counter()
    with psycopg.connect(bench.stack.superuser, autocommit=True) as conn:
        top = conn.execute(
            "SELECT max(entry_number) FROM journal_entries WHERE association_id = %s", (association,)
        ).fetchone()[0]  # type: ignore[index]
        conn.execute("CREATE SCHEMA IF NOT EXISTS bench")
        conn.execute("DROP TABLE IF EXISTS bench.je_map")
        conn.execute(
            "CREATE TABLE bench.je_map AS SELECT e.id AS old_id, k, uuidv7() AS new_id FROM journal_entries e, "
            "generate_series(1, 11) AS k WHERE e.association_id = %s AND e.source_type = 'ASSESSMENT_CHARGE'",
            (association,),
        )
        conn.execute(
            "INSERT INTO journal_entries (id, organization_id, created_at, updated_at, association_id, entry_number, "
            "entry_date, memo, status, source_type, created_by, posted_by, posted_at) "
            "SELECT m.new_id, e.organization_id, e.created_at, e.updated_at, e.association_id, "
            "e.entry_number + m.k * %s, (e.entry_date - make_interval(months => m.k))::date, e.memo, e.status, "
            "e.source_type, e.created_by, e.posted_by, e.posted_at "
            "FROM bench.je_map m JOIN journal_entries e ON e.id = m.old_id",
            (top,),
        )
        conn.execute(
            "INSERT INTO journal_entry_lines (id, organization_id, created_at, updated_at, journal_entry_id, "
            "association_id, gl_account_id, fund, line_number, debit, credit, memo, unit_id) "
            "SELECT uuidv7(), l.organization_id, l.created_at, l.updated_at, m.new_id, l.association_id, "
            "l.gl_account_id, l.fund, l.line_number, l.debit, l.credit, l.memo, l.unit_id "
            "FROM bench.je_map m JOIN journal_entry_lines l ON l.journal_entry_id = m.old_id"
        )
        conn.execute("VACUUM (ANALYZE) journal_entries")
        conn.execute("VACUUM (ANALYZE) journal_entry_lines")
        entries, lines = conn.execute(
            "SELECT (SELECT count(*) FROM journal_entries WHERE association_id = %(a)s), "
            "(SELECT count(*) FROM journal_entry_lines WHERE association_id = %(a)s)",
            {"a": association},
        ).fetchone()  # type: ignore[misc]
    return {"seconds": time.perf_counter() - began, "entries": entries, "lines": lines}


async def _bill_once(rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, atype: uuid.UUID, due: date) -> Any:
    """One `accounting/assessment/v1/billPeriod` call for every unit, in its own transaction."""
    from hestami.cam.accounting.schemas import BillPeriod
    from hestami.cam.accounting.services import billing

    async with rt.database.transaction(organization_id=org, user_id=user) as session:
        ctx = inproc.context(session, rt, user, org, slug, procedure="accounting/assessment/v1/billPeriod")
        return await billing.bill_period(ctx, BillPeriod(assessment_type_id=atype, due_date=due))


async def _bill_period(
    bench: Bench, rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, info: dict[str, Any], units: int, due: date
) -> dict[str, Any]:
    """The month through `billing.bill_period` in one call, as the procedure runs it; then the next month the
    same way under py-spy (not timed)."""
    groups_before = cpu_by_group(bench.stack.pids())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    clock = inproc.Stopwatch()
    with inproc.counting(rt) as counters:
        billed = await _bill_once(rt, user, org, slug, info["type"], due)
    wall, cpu = clock.elapsed()
    rss_growth_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    groups_after = cpu_by_group(bench.stack.pids())
    assert billed.charged == units, billed
    recorder = profiling.Recorder([os.getpid()], bench.data_dir / "profiles", "ledger-bill")
    recorder.start()
    await _bill_once(rt, user, org, slug, info["type"], (due + timedelta(days=32)).replace(day=1))
    files = recorder.stop()
    profile = profiling.summarize(files) if files else None
    if profile:
        print(profiling.format_summary(profile), flush=True)
    return {
        "units": billed.charged,
        "calls": 1,
        "wall_s": wall,
        "units_per_s": billed.charged / wall,
        "python_cpu_s": cpu,
        "stack_cpu_s": {g: groups_after[g] - groups_before.get(g, 0.0) for g in groups_after},
        "statements": len(counters.statements),
        "statements_by_kind": counters.by_kind(),
        "cerbos_checks": counters.cerbos_checks,
        "peak_rss_growth_mb": rss_growth_mb,
        "sample_statements": sorted(set(counters.statements), key=counters.statements.index)[:40],
        "profile": profile,
    }


async def _posting_run(
    rt: Any, user: uuid.UUID, org: uuid.UUID, slug: str, info: dict[str, Any], units: int, due: date, batch: int
) -> dict[str, Any]:
    """The month through assessmentPosting_v1's steps (`accounting/posting/v1/start`, then `prepare` and
    `post_batch` of `batch` units until COMPLETED, each its own transaction as the system, as the workflow's
    steps run them; DBOS's own step records are not included)."""
    from hestami.cam.accounting.posting.schemas import StartRun
    from hestami.cam.accounting.posting.services import batches, runs
    from hestami.core.acting import scoped_context

    clock = inproc.Stopwatch()
    async with rt.database.transaction(organization_id=org, user_id=user) as session:
        ctx = inproc.context(session, rt, user, org, slug, procedure="accounting/posting/v1/start")
        run = await runs.start(ctx, StartRun(assessment_type_id=info["type"], due_date=due))
    transactions = 1
    progress: dict[str, Any] = {"done": False}
    first = True
    while not progress["done"]:
        async with rt.database.transaction(organization_id=org, user_id=None) as session:
            ctx = scoped_context(session, procedure="assessmentPosting_v1", organization_id=org,
                                 authorizer=rt.authorizer)  # fmt: skip
            if first:
                progress = await batches.prepare(ctx, run.id)
                first = False
            else:
                progress = await batches.post_batch(ctx, run.id, batch)
        transactions += 1
    wall, cpu = clock.elapsed()
    assert progress["charged"] == units, progress
    return {"units": progress["charged"], "batch": batch, "transactions": transactions, "wall_s": wall,
            "units_per_s": progress["charged"] / wall, "python_cpu_s": cpu}  # fmt: skip


async def _run(bench: Bench) -> dict[str, Any]:
    sizes = bench.sizes
    dsn = bench.stack.superuser
    user = inproc.superuser_user(dsn, "ledger-admin")
    org, slug = inproc.superuser_org(dsn, "ledger", user, ["ADMIN"], "MANAGEMENT_COMPANY")
    due = date.today().replace(day=1)
    results: dict[str, Any] = {"units": sizes.units, "batch": sizes.batch, "due_date": str(due)}
    async with inproc.runtime() as rt:
        services = await _association(rt, user, org, slug, "Bench Ledger Towers HOA")
        floor = await _association(rt, user, org, slug, "Bench Ledger Floor HOA")
        batch = await _association(rt, user, org, slug, "Bench Ledger Batch HOA")
        batch_units = _units(bench, org, batch, sizes.units)
        log(f"ledger: billing {len(batch_units):,} units through billing.bill_period, one call")
        results["bill_period"] = await _bill_period(bench, rt, user, org, slug, batch, len(batch_units), due)
        log(f"ledger: billPeriod {results['bill_period']['units_per_s']:,.0f} units/s")
        size = rt.settings.posting_batch_size
        runs = []
        for number in (1, 2):
            posting = await _association(rt, user, org, slug, f"Bench Ledger Posting HOA {number}")
            posting_units = _units(bench, org, posting, sizes.units)
            log(f"ledger: posting {len(posting_units):,} units through assessmentPosting_v1's steps, {size} per batch")
            runs.append(await _posting_run(rt, user, org, slug, posting, len(posting_units), due, size))
            log(f"ledger: assessmentPosting_v1 {runs[-1]['units_per_s']:,.0f} units/s")
        results["posting_run"] = {**runs[0], "runs_units_per_s": [r["units_per_s"] for r in runs],
                                  "units_per_s": sum(r["units_per_s"] for r in runs) / len(runs)}  # fmt: skip
        again = await _association(rt, user, org, slug, "Bench Ledger Batch HOA 2")
        _units(bench, org, again, sizes.units)
        clock = inproc.Stopwatch()
        billed = await _bill_once(rt, user, org, slug, again["type"], due)
        wall, _ = clock.elapsed()
        first_bill = results["bill_period"]["units_per_s"]
        results["bill_period_pair"] = {"runs_units_per_s": [first_bill, billed.charged / wall],
                                       "units_per_s": (first_bill + billed.charged / wall) / 2}  # fmt: skip
        log(f"ledger: billPeriod again {billed.charged / wall:,.0f} units/s (after the posting runs: the tables are "
            "larger, as for the second posting run)")  # fmt: skip
        units = _units(bench, org, services, sizes.units)
        floor_units = _units(bench, org, floor, sizes.units)
        log(f"ledger: posting {len(units):,} charges through receivables.create_charge")
        results["post"] = await _post(bench, rt, user, org, slug, services, units, due)
        rest = units[results["post"]["units"] :]
        if rest:
            log(f"ledger: the month's other {len(rest):,} charges with bare SQL (the trial balance needs them all)")
            results["rest_by_sql"] = _floor(bench, org, user, services, rest, due)
        log("ledger: floor: the same rows with bare psycopg executemany")
        results["floor"] = _floor(bench, org, user, floor, floor_units, due)
        month_end = (due + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        log("ledger: trial balance over the month")
        results["trial_balance_month"] = await _trial_balance(bench, rt, user, org, slug, services["association"],
                                                              month_end)  # fmt: skip
        log("ledger: copying the month into 11 earlier months (SQL), then the trial balance over the year")
        results["year"] = _extend_to_year(bench, services["association"])
        results["trial_balance_year"] = await _trial_balance(bench, rt, user, org, slug, services["association"],
                                                             month_end)  # fmt: skip
    return results


def run(bench: Bench) -> dict[str, Any]:
    results = asyncio.run(_run(bench))
    post, floor = results["post"], results["floor"]
    first = post["first_batch"]
    bench.report.add(
        Row(SECTION, f"assessment posting, {post['units']:,} of {post['of_units']:,} units"
            + (f" (time-boxed {post['time_box_s']:.0f} s)" if post["units"] < post["of_units"] else ""),
            post["units_per_s"], "units/s",
            "bare SQL, same rows", floor["units_per_s"], ratio(post["units_per_s"], floor["units_per_s"]),
            "≥ 1,000 units/s", post["units_per_s"] >= 1000,
            note=f"{first.get('statements_per_unit', 0):.1f} SQL statements and "
                 f"{first.get('cerbos_checks_per_unit', 0):.1f} Cerbos checks per unit")
    )  # fmt: skip
    billed = results["bill_period"]
    bench.report.add(
        Row(SECTION, f"billPeriod, {billed['units']:,} units in one call", billed["units_per_s"], "units/s",
            "bare SQL, same rows", floor["units_per_s"], ratio(billed["units_per_s"], floor["units_per_s"]),
            "≥ 2,000 units/s", billed["units_per_s"] >= 2000,
            note=f"one transaction of {billed['wall_s']:.1f} s; {billed['statements']} SQL statements, "
                 f"{billed['cerbos_checks']} Cerbos checks; peak RSS +{billed['peak_rss_growth_mb']:.0f} MB")
    )  # fmt: skip
    posted, pair = results["posting_run"], results["bill_period_pair"]
    bench.report.add(
        Row(SECTION, f"assessmentPosting_v1, {posted['units']:,} units in batches of {posted['batch']}",
            posted["units_per_s"], "units/s", "billPeriod, one call", pair["units_per_s"],
            ratio(posted["units_per_s"], pair["units_per_s"]), "≥ billPeriod",
            posted["units_per_s"] >= pair["units_per_s"],
            note=f"means of two runs each, in the order billPeriod, posting, posting, billPeriod (each writes into "
                 f"larger tables than the one before); posting runs "
                 f"{', '.join(f'{r:,.0f}' for r in posted['runs_units_per_s'])} units/s; billPeriod "
                 f"{', '.join(f'{r:,.0f}' for r in pair['runs_units_per_s'])} units/s; {posted['transactions']} "
                 "transactions per run (the workflow's steps, without DBOS's step records)")
    )  # fmt: skip
    for label, key in (("month", "trial_balance_month"), ("year", "trial_balance_year")):
        tb = results[key]
        year = label == "year"
        entries = results["year"]["entries"] if year else post["of_units"]
        bench.report.add(
            Row(SECTION, f"trial balance over a {label} ({entries:,} entries)", tb["seconds"] * 1000, "ms",
                "same SQL, superuser", tb["floor_seconds"] * 1000, ratio(tb["seconds"], tb["floor_seconds"]),
                "≤ 1,000 ms" if year else "", tb["seconds"] <= 1.0 if year else None, note=f"balanced={tb['balanced']}")
        )  # fmt: skip
    tb = results["trial_balance_year"]
    bench.report.add(
        Row(SECTION, "trial balance over a year: what-if narrow query (app role, RLS)",
            tb["what_if_narrow_query_seconds"] * 1000, "ms", "product", tb["seconds"] * 1000,
            ratio(tb["what_if_narrow_query_seconds"], tb["seconds"]),
            note="GROUP BY journal_entry_lines.gl_account_id, accounts joined afterwards")
    )  # fmt: skip
    return results
