"""Large reports: the general ledger detail over a year of 20 k units (240 k entries, 480 k lines), produced by the
`general_ledger_detail` definition (rows streamed from a server-side cursor) and rendered to CSV and to XLSX, as
the report generation runs it: in one transaction acting as the user who asked.

The books: an association with the standard chart, 20 k units (SQL), one month of dues charges written with bare
SQL as the ledger section's floor writes them, then 11 earlier months copied from it (`ledger._extend_to_year`).

For each format: rows/s over produce + render (wall, from the definition's call to the closed file), the process's
RSS sampled at every progress call (every 2,000 rows): the peak above the RSS before the run, and the growth of
`ru_maxrss` (the process's high-water mark). **Floor:** the same produce with its rows drained and nothing
written: what reading the ledger costs; the ratio is what rendering adds.
"""

from __future__ import annotations

import asyncio
import os
import resource
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psutil

from bench import inproc
from bench.common import Row, log, ratio
from bench.context import Bench
from bench.ledger import _association, _extend_to_year, _floor, _units

SECTION = "reports"
REPORT = "general_ledger_detail"
PROCEDURE = "report/v1/generate"


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _produce_and(rt: Any, user: uuid.UUID, org: uuid.UUID, params: Any, fmt: str | None,
                       out: Path) -> dict[str, Any]:  # fmt: skip
    """The report produced as `user` and rendered to `out` (or, without a format, its rows only drained)."""
    from hestami.cam.reporting import definitions, render
    from hestami.cam.reporting.render.values import each_row
    from hestami.core.acting import acting

    definition = definitions.find(REPORT)
    if definition is None:
        raise RuntimeError(f"no report definition {REPORT!r}")
    rss_before, maxrss_before = _rss_mb(), _maxrss_mb()
    peak = rss_before

    def progress(rows: int) -> None:
        nonlocal peak
        peak = max(peak, _rss_mb())

    began, cpu = time.perf_counter(), time.process_time()
    async with acting(rt, procedure=PROCEDURE, organization_id=org, user_id=user) as ctx:
        data = await definition.produce(ctx, params)
        if fmt is None:
            rows = 0
            for table in data.tables:
                async for _ in each_row(table.rows):
                    rows += 1
                    if rows % render.PROGRESS_EVERY == 0:
                        progress(rows)
        else:
            rows = (await render.write(data, fmt, out, progress)).rows  # type: ignore[arg-type]
    wall = time.perf_counter() - began
    size = 0 if fmt is None else await asyncio.to_thread(os.path.getsize, out)
    progress(rows)
    return {
        "format": fmt or "drain",
        "rows": rows,
        "wall_s": wall,
        "python_cpu_s": time.process_time() - cpu,
        "rows_per_s": rows / wall,
        "bytes": size,
        "rss_before_mb": rss_before,
        "peak_rss_growth_mb": peak - rss_before,
        "maxrss_growth_mb": _maxrss_mb() - maxrss_before,
    }


async def _run(bench: Bench) -> dict[str, Any]:
    from hestami.cam.reporting.reports.financial_ledger import LedgerParameters

    sizes = bench.sizes
    dsn = bench.stack.superuser
    user = inproc.superuser_user(dsn, "reports-admin")
    org, slug = inproc.superuser_org(dsn, "reports", user, ["ADMIN"], "MANAGEMENT_COMPANY")
    due = date.today().replace(day=1)
    month_end = (due + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    results: dict[str, Any] = {"units": sizes.units, "report": REPORT}
    async with inproc.runtime() as rt:
        info = await _association(rt, user, org, slug, "Bench Reports HOA")
        units = _units(bench, org, info, sizes.units)
        log(f"reports: a month of {len(units):,} dues charges with bare SQL, then 11 earlier months copied")
        _floor(bench, org, user, info, units, due)
        results["year"] = _extend_to_year(bench, info["association"])
        start = (due - timedelta(days=335)).replace(day=1)
        params = LedgerParameters(association_id=info["association"], start=start, end=month_end)
        results["period"] = [str(start), str(month_end)]
        with tempfile.TemporaryDirectory(prefix="bench-reports-", dir=bench.data_dir) as directory:
            for fmt in (None, "CSV", "XLSX"):
                log(f"reports: {REPORT} over {results['year']['lines']:,} lines -> {fmt or 'rows drained'}")
                run = await _produce_and(rt, user, org, params, fmt, Path(directory) / f"ledger.{fmt or 'none'}")
                results[run["format"]] = run
                log(f"reports: {run['format']} {run['rows']:,} rows, {run['rows_per_s']:,.0f} rows/s, peak RSS "
                    f"+{run['peak_rss_growth_mb']:.0f} MB, {run['bytes'] / 2**20:.0f} MB written")  # fmt: skip
    return results


def run(bench: Bench) -> dict[str, Any]:
    results = asyncio.run(_run(bench))
    drain = results["drain"]
    for fmt in ("CSV", "XLSX"):
        got = results[fmt]
        bench.report.add(
            Row(SECTION, f"{REPORT} to {fmt}, {got['rows']:,} lines", got["rows_per_s"], "rows/s",
                "rows drained, nothing written", drain["rows_per_s"], ratio(got["rows_per_s"], drain["rows_per_s"]),
                note=f"{got['wall_s']:.1f} s; peak RSS +{got['peak_rss_growth_mb']:.0f} MB (sampled every 2,000 "
                     f"rows), ru_maxrss +{got['maxrss_growth_mb']:.0f} MB; {got['bytes'] / 2**20:.0f} MB file")
        )  # fmt: skip
        bench.report.add(
            Row(SECTION, f"{REPORT} to {fmt}: peak RSS growth", got["peak_rss_growth_mb"], "MB",
                "rows drained", drain["peak_rss_growth_mb"], target="≤ 100 MB (flat: streamed)",
                met=got["peak_rss_growth_mb"] <= 100)
        )  # fmt: skip
    return results
