"""`hestami dev | serve | migrate | seed-demo | openapi` (API.md, "Command line")."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

import uvicorn

from hestami.core.config import Settings, get_settings

PROJECT_ROOT = Path.cwd()


def _settings_from_env() -> Settings:
    get_settings.cache_clear()
    return get_settings()


def cmd_migrate(_: argparse.Namespace) -> None:
    from hestami.core.migrate import migrate

    migrate(_settings_from_env())
    print("migrated: alembic head and the DBOS system database")


async def _seed(settings: Settings) -> list[str]:
    from hestami.app import build_registry, domain_routers, identity_port, load_demo_modules
    from hestami.core.demo import seed_all
    from hestami.core.runtime import Runtime

    load_demo_modules()
    from hestami.core import runtime, workflows

    rt = Runtime.build(settings, identity_port(settings), build_registry(domain_routers()))
    runtime.install(rt)
    workflows.launch(settings)  # seeders start workflows (e.g. work-order lifecycles); the API recovers them
    try:
        return await seed_all(rt)
    finally:
        await asyncio.to_thread(workflows.destroy)
        runtime.install(None)
        await rt.close()


def cmd_seed_demo(_: argparse.Namespace) -> None:
    lines = asyncio.run(_seed(_settings_from_env()))
    print("\n".join(lines) if lines else "demo data: nothing registered yet")


def cmd_openapi(args: argparse.Namespace) -> None:
    from hestami.app import create_app

    document = json.dumps(create_app().openapi(), indent=2, sort_keys=False)
    if args.output:
        Path(args.output).write_text(document + "\n")
    else:
        print(document)


def cmd_serve(args: argparse.Namespace) -> None:
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
    )


def cmd_dev(args: argparse.Namespace) -> None:
    from hestami.core.embedded.stack import EmbeddedStack
    from hestami.core.migrate import migrate

    data_dir = Path(args.data_dir).absolute()
    stack = EmbeddedStack(data_dir, policies=PROJECT_ROOT / "policies", project_root=PROJECT_ROOT)
    print(f"starting embedded Postgres, Redis and Cerbos in {data_dir} ...", flush=True)
    environment = stack.start()
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
        uvicorn.run("hestami.app:create_app", factory=True, host=args.host, port=args.port, log_config=None)
    finally:
        stack.stop()
        print("stopped Postgres, Redis and Cerbos", flush=True)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="hestami", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="embedded Postgres, Redis and Cerbos; migrate; demo data; serve")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=8000)
    dev.add_argument("--data-dir", default=".hestami")
    dev.add_argument("--no-seed", action="store_true", help="skip the demo data")
    dev.set_defaults(run=cmd_dev)

    serve = commands.add_parser("serve", help="production: DATABASE_URL, REDIS_URL, CERBOS_URL; nothing embedded")
    serve.add_argument("--host", default="0.0.0.0")  # noqa: S104 - a server in a container listens on all interfaces
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=cmd_serve)

    commands.add_parser("migrate", help="Alembic to head and the DBOS system database").set_defaults(run=cmd_migrate)
    commands.add_parser("seed-demo", help="load the demo data (idempotent)").set_defaults(run=cmd_seed_demo)
    openapi = commands.add_parser("openapi", help="print or write the OpenAPI document")
    openapi.add_argument("-o", "--output")
    openapi.set_defaults(run=cmd_openapi)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
