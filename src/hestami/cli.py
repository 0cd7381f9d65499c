"""`hestami dev | serve | migrate | seed-demo | backup | restore | openapi` (API.md, "Command line")."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn

from hestami.core.config import Settings, get_settings

if TYPE_CHECKING:
    from hestami.core.runtime import Runtime

SEED_ATTEMPTS = 3
SEED_READY_SECONDS = 120.0


def _settings_from_env() -> Settings:
    get_settings.cache_clear()
    return get_settings()


def cmd_migrate(_: argparse.Namespace) -> None:
    from hestami.core.migrate import migrate

    migrate(_settings_from_env())
    print("migrated: alembic head and the DBOS system database")


async def _seed(settings: Settings) -> list[str]:
    from hestami.app import build_registry, domain_routers, identity_port, load_demo_modules
    from hestami.core.runtime import Runtime

    load_demo_modules()
    from hestami.core import runtime, workflows

    rt = Runtime.build(settings, identity_port(settings), build_registry(domain_routers()))
    runtime.install(rt)
    workflows.launch(settings)  # seeders start workflows (e.g. work-order lifecycles); the API recovers them
    try:
        return await seed_when_ready(rt)
    finally:
        await asyncio.to_thread(workflows.destroy)
        runtime.install(None)
        await rt.close()


class DependenciesNotReadyError(RuntimeError):
    """Postgres, Redis, Cerbos or DBOS did not answer in time."""


async def seed_when_ready(
    rt: Runtime,
    *,
    seed: Callable[[Runtime], Awaitable[list[str]]] | None = None,
    ready_timeout: float = SEED_READY_SECONDS,
    attempts: int = SEED_ATTEMPTS,
) -> list[str]:
    """Runs the (idempotent) demo seeders once every dependency answers. A transient dependency failure on the
    way (SERVICE_UNAVAILABLE: Cerbos, Postgres or Redis not answering right after a start) waits for readiness
    again and runs them again, up to `attempts` times in all."""
    from hestami.core.demo import seed_all
    from hestami.core.errors import ErrorCode
    from hestami.core.health import not_ready, wait_until_ready
    from hestami.core.rpc.failures import as_platform_error

    run = seed or seed_all
    for attempt in range(1, attempts + 1):
        report = await wait_until_ready(rt, within=ready_timeout)
        if report.status != "ok":
            raise DependenciesNotReadyError(f"not ready after {ready_timeout} s: {not_ready(report)}")
        try:
            return await run(rt)
        except Exception as exc:
            error = as_platform_error(exc)
            if error is None or error.code != ErrorCode.SERVICE_UNAVAILABLE or attempt == attempts:
                raise
            print(f"demo data: {error.message} {error.details}; trying again", flush=True)
    raise AssertionError("unreachable: the last attempt returns or raises")


def cmd_seed_demo(_: argparse.Namespace) -> None:
    lines = asyncio.run(_seed(_settings_from_env()))
    print("\n".join(lines) if lines else "demo data: nothing registered yet")


def cmd_backup(args: argparse.Namespace) -> None:
    from hestami.core.backup import BackupError, backup

    try:
        manifest = backup(_settings_from_env(), Path(args.directory).absolute())
    except BackupError as error:
        raise SystemExit(f"backup failed: {error}") from error
    dumped = ", ".join(f"{d['database']} ({d['bytes']:,} bytes)" for d in manifest["databases"].values())
    print(f"backed up {dumped} and {manifest['files']['count']} stored files into {args.directory}")


def cmd_restore(args: argparse.Namespace) -> None:
    from hestami.core.backup import BackupError, restore

    try:
        manifest = restore(_settings_from_env(), Path(args.directory).absolute(), replace=args.replace)
    except BackupError as error:
        raise SystemExit(f"restore failed: {error}") from error
    print(f"restored the backup of {manifest['created_at']} ({manifest['files']['count']} stored files)")


def cmd_openapi(args: argparse.Namespace) -> None:
    from hestami.app import create_app

    document = json.dumps(create_app().openapi(), indent=2, sort_keys=False)
    if args.output:
        Path(args.output).write_text(document + "\n")
    else:
        print(document)


def cmd_serve(args: argparse.Namespace) -> None:
    """On SIGTERM (or Ctrl-C) uvicorn stops accepting connections, lets requests in flight finish for up to
    `SHUTDOWN_GRACE_SECONDS` (then cancels them: their transactions roll back), and shuts the app down."""
    settings = _settings_from_env()
    if not settings.database_url:
        raise SystemExit("DATABASE_URL is not set")
    uvicorn.run(
        "hestami.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        proxy_headers=True,
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
    )


def _stop_on_sigterm_as_on_ctrl_c() -> None:
    """SIGTERM (systemd, Docker, a test runner) raises KeyboardInterrupt like Ctrl-C, so the same `finally` stops
    every child. (uvicorn handles both while it serves, then raises the signal again once it has shut down; with
    Python's default SIGTERM action that would end the process before Postgres is stopped.)"""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def cmd_dev(args: argparse.Namespace) -> None:
    from hestami.core.embedded.process import ChildFailedError
    from hestami.core.embedded.stack import EmbeddedStack
    from hestami.core.migrate import migrate
    from hestami.core.project import ProjectFilesNotFoundError, policy_dir, project_root

    _stop_on_sigterm_as_on_ctrl_c()
    try:
        settings = _settings_from_env()
        root = project_root(settings)
        data_dir = Path(args.data_dir).absolute() if args.data_dir else root / ".hestami"
        stack = EmbeddedStack(data_dir, policies=policy_dir(settings), project_root=root)
        print(f"starting embedded Postgres, Redis and Cerbos in {data_dir} ...", flush=True)
        environment = stack.start()
    except (ProjectFilesNotFoundError, ChildFailedError) as exc:
        raise SystemExit(f"hestami dev: {exc}") from None
    except KeyboardInterrupt:
        return
    try:
        os.environ.update(environment.variables)
        os.environ.setdefault("LOG_JSON", "false")
        os.environ.setdefault("FILE_STORAGE_DIR", str(data_dir / "files"))
        settings = _settings_from_env()
        migrate(settings)
        if not args.no_seed:
            for line in asyncio.run(_seed(settings)):
                print(line)
        print(f"Hestami API on http://{args.host}:{args.port}/api/docs  (Ctrl-C stops everything)", flush=True)
        print(f"web console on http://{args.host}:{args.port}/  (web/build: make setup builds it)", flush=True)
        uvicorn.run(
            "hestami.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            log_config=None,
            timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        )
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
        print("stopped Postgres, Redis and Cerbos", flush=True)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="hestami", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="embedded Postgres, Redis and Cerbos; migrate; demo data; serve")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--data-dir", default=None, help="default: .hestami in the project (see HESTAMI_PROJECT_ROOT)")
    dev.add_argument("--no-seed", action="store_true", help="skip the demo data")
    dev.set_defaults(run=cmd_dev)

    serve = commands.add_parser("serve", help="production: DATABASE_URL, REDIS_URL, CERBOS_URL; nothing embedded")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server in a container listens on all interfaces
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", help="Alembic to head and the DBOS system database").set_defaults(run=cmd_migrate)
    commands.add_parser("seed-demo", help="load the demo data (idempotent)").set_defaults(run=cmd_seed_demo)
    backup = commands.add_parser("backup", help="dump both databases and the stored files into a new directory")
    backup.add_argument("directory")
    backup.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", help="restore a backup directory into this environment")
    restore.add_argument("directory")
    restore.add_argument(
        "--replace", action="store_true", help="drop and re-create non-empty databases; set existing files aside"
    )
    restore.set_defaults(run=cmd_restore)
    openapi = commands.add_parser("openapi", help="print or write the OpenAPI document")
    openapi.add_argument("-o", "--output")
    openapi.set_defaults(run=cmd_openapi)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
