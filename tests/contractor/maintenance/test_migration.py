"""Migration 0045 on a database of its own: up to 0045 (the agreements' nine tables; a job may be AGREEMENT), down
to 0044 (the tables go, AGREEMENT is refused again), and up again."""

from __future__ import annotations

import psycopg
from alembic import command
from sqlalchemy.engine import URL

from hestami.core.config import Settings
from hestami.core.migrate import alembic_config
from tests.core.test_migration_0013 import _plain, database

__all__ = ["database"]

TABLES = "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'maintenance_%'"
AGREEMENT_JOBS = (
    "SELECT count(*) FROM pg_constraint WHERE conname = 'ck_jobs_source' AND pg_get_constraintdef(oid) LIKE "
    "'%AGREEMENT%'"
)


def _count(url: URL, statement: str) -> int:
    with psycopg.connect(_plain(url)) as conn:
        row = conn.execute(statement).fetchone()
    assert row is not None
    return int(row[0])


def test_the_agreements_migrate_down_and_up(settings: Settings, database: URL) -> None:
    config = alembic_config(settings)
    config.attributes["database_url"] = database.render_as_string(hide_password=False)
    command.upgrade(config, "0045")
    assert (_count(database, TABLES), _count(database, AGREEMENT_JOBS)) == (9, 1)
    command.downgrade(config, "0044")
    assert (_count(database, TABLES), _count(database, AGREEMENT_JOBS)) == (0, 0)
    command.upgrade(config, "0045")
    assert (_count(database, TABLES), _count(database, AGREEMENT_JOBS)) == (9, 1)
