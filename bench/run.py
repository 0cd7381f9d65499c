"""`make bench [ARGS="--quick"]`: start the embedded stack, run the sections, write bench/results/*.json and
print the table (figure, floor, ratio, target, met?). See bench/README.md."""

from __future__ import annotations

import argparse
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench.common import NCPU, PY, ROOT, LoadOptions, Report, Server, Stack, log
from bench.context import Bench, Sizes
from hestami.core.embedded.process import free_port

SECTIONS = ("request_path", "lists", "ledger", "workflows", "reports", "routing", "dispatch_board", "inventory_usage")
NEEDS_API = ("request_path", "lists")
BASELINE = ROOT / "bench" / "BASELINE.md"


def cpus(text: str | None) -> list[int] | None:
    if not text or text == "all":
        return None
    return [int(x) for x in text.split(",")]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument("--quick", action="store_true", help="smaller sizes and 2 s windows: a fast check (~3 min)")
    p.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}")
    p.add_argument("--name", help="results go to bench/results/<name>-<section>.json (default: full or quick)")
    p.add_argument("--duration", type=float, help="measured seconds per load run (default 5, quick 2)")
    p.add_argument("--warmup", type=float, help="warm-up seconds before each window (default 1, quick 0.5)")
    p.add_argument("--client", choices=("raw", "httpx"), default="raw", help="the Python generator's HTTP client")
    p.add_argument("--loadgen-cpus", default=str(NCPU - 1), help="CPUs the generator is pinned to ('all': none)")
    p.add_argument("--server-cpus", default="all", help="CPUs the API and bare servers are pinned to")
    p.add_argument("--wrk", action="store_true", help="also cross-check the 32-client get with wrk (if installed)")
    p.add_argument("--profile-seconds", type=float, default=8.0, help="py-spy window of the request-path profile")
    p.add_argument("--data-dir", help="where the stack lives (default: a new temporary directory)")
    p.add_argument("--keep", action="store_true", help="keep the data directory (logs, profiles, database)")
    p.add_argument("--baseline", action="store_true", help="also write bench/BASELINE.md (a full run of every section)")
    return p


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    selected = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(selected) - set(SECTIONS)
    if unknown:
        raise SystemExit(f"unknown sections: {', '.join(sorted(unknown))}")
    name = args.name or ("quick" if args.quick else "full")
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="hestami-bench-")).absolute()
    load = LoadOptions(
        duration=args.duration or (2.0 if args.quick else 5.0),
        warmup=args.warmup if args.warmup is not None else (0.5 if args.quick else 1.0),
        client=args.client,
        cpus=cpus(args.loadgen_cpus),
    )
    started = time.perf_counter()
    started_at = time.strftime("%Y-%m-%d %H:%M %Z")
    if args.baseline and (args.quick or set(selected) != set(SECTIONS)):
        raise SystemExit("--baseline records a full run of every section (no --quick, no --only)")
    log(f"data in {data_dir}; starting embedded Postgres, Redis and Cerbos; migrating")
    stack = Stack(data_dir)
    stack.start()
    bench = Bench(
        stack=stack,
        data_dir=data_dir,
        report=Report(name),
        load=load,
        sizes=Sizes.quick() if args.quick else Sizes(),
        server_cpus=cpus(args.server_cpus),
        profile_seconds=min(args.profile_seconds, 4.0) if args.quick else args.profile_seconds,
        wrk=args.wrk and shutil.which("wrk") is not None,
    )
    failures = []
    try:
        log(f"postgres: {json.dumps(stack.postgres_settings())}")
        if any(s in NEEDS_API for s in selected):
            port = free_port()
            bench.api = Server(
                "api",
                [PY, "-m", "hestami.cli", "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                env=bench.server_env(),
                port=port,
                health_path="/api/health",
                log_file=data_dir / "logs" / "api.log",
                cwd=data_dir / "api",
                cpus=bench.server_cpus,
            )
            log(f"hestami serve --workers 2 on port {port}")
            bench.api.start()
        for section in SECTIONS:
            if section not in selected:
                continue
            if section not in NEEDS_API and hasattr(bench, "api"):
                bench.api.stop()  # the in-process sections get the machine to themselves
            log(f"section {section}")
            began = time.perf_counter()
            try:
                payload = importlib.import_module(f"bench.{section}").run(bench)
            except Exception as exc:
                traceback.print_exc()
                failures.append(section)
                payload = {"error": f"{type(exc).__name__}: {exc}"}
            payload["seconds"] = round(time.perf_counter() - began, 1)
            path = bench.report.write(section, payload)
            log(f"section {section} done in {payload['seconds']} s -> {path}")
    finally:
        if hasattr(bench, "api"):
            bench.api.stop()
        stack.stop()
        if not args.keep and not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    summary = bench.report.write_summary()
    print()
    print(bench.report.table())
    print()
    log(f"total {time.perf_counter() - started:.0f} s; table in {summary}")
    if args.baseline and not failures:
        git = [shutil.which("git") or "/usr/bin/git", "rev-parse", "--short", "HEAD"]
        commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()  # noqa: S603
        BASELINE.write_text(bench.report.markdown(started_at=started_at, seconds=time.perf_counter() - started,
                                                  commit=commit or "unknown"))  # fmt: skip
        log(f"baseline written to {BASELINE}")
    if failures:
        log(f"FAILED sections: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
