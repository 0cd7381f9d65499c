"""Row-level security as the app role: a tenant table made with the helper hides and refuses other orgs."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, ProgrammingError
from sqlalchemy.pool import NullPool

from hestami.core.config import Settings
from hestami.core.db import Database, psycopg_url
from hestami.core.ids import new_id


@pytest.fixture
async def database(settings: Settings):  # type: ignore[no-untyped-def]
    """A pool of one connection, so consecutive transactions reuse the same server session."""
    db = Database(settings.database_url, pool_size=1)
    yield db
    await db.dispose()


async def insert_note(db: Database, org: uuid.UUID, body: str) -> uuid.UUID:
    note_id = new_id()
    async with db.transaction(organization_id=org, user_id=None) as session:
        await session.execute(
            text("INSERT INTO test_notes (id, organization_id, body) VALUES (:id, :org, :body)"),
            {"id": note_id, "org": org, "body": body},
        )
    return note_id


async def bodies(db: Database, org: uuid.UUID | None) -> set[str]:
    async with db.transaction(organization_id=org, user_id=None) as session:
        return set((await session.execute(text("SELECT body FROM test_notes"))).scalars())


async def test_other_orgs_rows_are_invisible(database: Database) -> None:
    org_a, org_b = new_id(), new_id()
    await insert_note(database, org_a, "a-secret")
    await insert_note(database, org_b, "b-secret")
    assert await bodies(database, org_a) == {"a-secret"}
    assert await bodies(database, org_b) == {"b-secret"}


async def test_without_a_scope_no_tenant_rows_are_visible(database: Database) -> None:
    await insert_note(database, new_id(), "scoped-only")
    assert await bodies(database, None) == set()


async def test_cross_org_insert_is_refused(database: Database) -> None:
    org_a, org_b = new_id(), new_id()
    with pytest.raises(ProgrammingError) as refused:
        async with database.transaction(organization_id=org_a, user_id=None) as session:
            await session.execute(
                text("INSERT INTO test_notes (id, organization_id, body) VALUES (:id, :org, 'intruder')"),
                {"id": new_id(), "org": org_b},
            )
    assert refused.value.orig.sqlstate == "42501"  # type: ignore[union-attr]
    assert await bodies(database, org_b) == set()


async def test_moving_a_row_to_another_org_is_refused(database: Database) -> None:
    org_a, org_b = new_id(), new_id()
    note_id = await insert_note(database, org_a, "stay home")
    with pytest.raises(ProgrammingError):
        async with database.transaction(organization_id=org_a, user_id=None) as session:
            await session.execute(
                text("UPDATE test_notes SET organization_id = :b WHERE id = :id"), {"b": org_b, "id": note_id}
            )
    assert await bodies(database, org_a) == {"stay home"}


async def test_updates_and_deletes_do_not_reach_other_orgs(database: Database) -> None:
    org_a, org_b = new_id(), new_id()
    await insert_note(database, org_b, "untouchable")
    async with database.transaction(organization_id=org_a, user_id=None) as session:
        updated = await session.execute(text("UPDATE test_notes SET body = 'defaced'"))
        deleted = await session.execute(text("DELETE FROM test_notes"))
    assert updated.rowcount == 0  # type: ignore[attr-defined]
    assert deleted.rowcount == 0  # type: ignore[attr-defined]
    assert await bodies(database, org_b) == {"untouchable"}


async def test_pooled_connection_carries_no_scope_into_the_next_transaction(database: Database) -> None:
    org = new_id()
    await insert_note(database, org, "mine")
    async with database.transaction(organization_id=org, user_id=new_id()) as session:
        backend = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert (await session.execute(text("SELECT count(*) FROM test_notes"))).scalar_one() == 1
    async with database.engine.connect() as conn:  # the same pooled connection, no scope set
        assert (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one() == backend
        org_setting = (await conn.execute(text("SELECT current_setting('app.current_org_id', true)"))).scalar_one()
        user_setting = (await conn.execute(text("SELECT current_setting('app.current_user_id', true)"))).scalar_one()
        visible = (await conn.execute(text("SELECT count(*) FROM test_notes"))).scalar_one()
        await conn.rollback()
    assert org_setting == ""
    assert user_setting == ""
    assert visible == 0


async def test_a_failed_transaction_carries_no_scope_either(database: Database) -> None:
    org = new_id()
    await insert_note(database, org, "kept")
    with pytest.raises(DBAPIError):
        async with database.transaction(organization_id=org, user_id=None) as session:
            await session.execute(text("SELECT 1/0"))
    assert await bodies(database, None) == set()


def test_app_role_owns_no_table_and_cannot_bypass_rls(settings: Settings) -> None:
    engine = create_engine(psycopg_url(settings.database_url), poolclass=NullPool)
    with engine.connect() as conn:
        role = conn.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owned = conn.execute(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        ).scalar_one()
        with pytest.raises(ProgrammingError):
            conn.execute(text("ALTER TABLE test_notes DISABLE ROW LEVEL SECURITY"))
    engine.dispose()
    assert tuple(role) == (False, False)
    assert owned == 0


def test_every_table_with_organization_id_forces_rls_on_all_commands(settings: Settings) -> None:
    """Guards every future tenant table: RLS enabled and forced, and a policy for each command."""
    engine = create_engine(psycopg_url(settings.owner_database_url), poolclass=NullPool)
    with engine.connect() as conn:
        tables = conn.execute(
            text(
                """
                SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
                       array(SELECT DISTINCT p.cmd FROM pg_policies p
                             WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS commands
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'r'
                  AND EXISTS (SELECT 1 FROM pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attname = 'organization_id' AND NOT a.attisdropped)
                """
            )
        ).all()
    engine.dispose()
    assert {t.relname for t in tables} >= {"test_notes", "idempotency_keys"}
    for table in tables:
        assert table.relrowsecurity, table.relname
        assert table.relforcerowsecurity, table.relname
        assert set(table.commands) >= {"SELECT", "INSERT", "UPDATE", "DELETE"}, table.relname
