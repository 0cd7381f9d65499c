"""Migration 0036 on a database of its own: up to 0036, down to 0035 (the pricebook's tables, triggers and
functions go), and up again."""

from __future__ import annotations

import psycopg
from alembic import command
from sqlalchemy.engine import URL

from hestami.core.config import Settings
from hestami.core.migrate import alembic_config
from tests.core.test_migration_0013 import _plain, database

__all__ = ["database"]

TABLES = "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'pricebook_%'"
FUNCTIONS = "SELECT count(*) FROM pg_proc WHERE proname LIKE 'pricebook_%'"


def _count(url: URL, statement: str) -> int:
    with psycopg.connect(_plain(url)) as conn:
        row = conn.execute(statement).fetchone()
    assert row is not None
    return int(row[0])


def test_the_pricebook_migrates_down_and_up(settings: Settings, database: URL) -> None:
    config = alembic_config(settings)
    config.attributes["database_url"] = database.render_as_string(hide_password=False)
    command.upgrade(config, "0036")
    assert (_count(database, TABLES), _count(database, FUNCTIONS)) == (10, 2)
    command.downgrade(config, "0035")
    assert (_count(database, TABLES), _count(database, FUNCTIONS)) == (0, 0)
    command.upgrade(config, "0036")
    assert (_count(database, TABLES), _count(database, FUNCTIONS)) == (10, 2)
