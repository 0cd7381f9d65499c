"""DBOS waits for its system database while Postgres is down, instead of failing the workflows that touch it.

`python -m bench.soak` restarts Postgres under load: work-order lifecycles waiting in `DBOS.recv` died (PENDING
in the database, no longer running in the live process, so nobody would ever resume them) because DBOS 3.4 does
not take psycopg 3.3's "connection is bad" (the server's socket is gone) for a lost connection. The engine
Hestami gives DBOS flags it as one, so DBOS's own retry waits for the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from dbos._utils import retriable_postgres_exception
from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError

from hestami.core import workflows
from hestami.core.config import Settings


def connect_error(engine_url: str, *, ours: bool, settings: Settings) -> DBAPIError:
    absent = settings.model_copy(update={"dbos_system_database_url": engine_url})
    engine = workflows.system_database_engine(absent) if ours else create_engine(engine_url)
    try:
        with pytest.raises(DBAPIError) as raised, engine.connect():
            pass
    finally:
        engine.dispose()
    return raised.value


def test_a_system_database_that_is_not_there_is_a_lost_connection_dbos_waits_for(
    settings: Settings, tmp_path: Path
) -> None:
    url = f"postgresql+psycopg://hestami_app@/hestami_dbos?host={tmp_path}&port=5432"  # no server listens there
    error = connect_error(url, ours=True, settings=settings)
    assert "connection is bad" in str(error) or "connection failed" in str(error)
    assert retriable_postgres_exception(error), "DBOS would fail the workflow instead of waiting"

    plain = connect_error(url, ours=False, settings=settings)
    assert not retriable_postgres_exception(plain), (
        "DBOS now recognizes an absent server by itself: `_absent_server_is_a_lost_connection` may go"
    )
