"""Alembic runs as the owner role (`MIGRATION_DATABASE_URL`): it owns the tables, the app role gets DML."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from hestami.core.config import get_settings
from hestami.core.db import psycopg_url
from hestami.core.models import Base

config = context.config
settings = get_settings()
url = config.attributes.get("database_url") or settings.owner_database_url
config.attributes.setdefault("app_role", settings.app_role)


def run_migrations_online() -> None:
    engine = create_engine(psycopg_url(url), poolclass=NullPool)
    with engine.connect() as connection:
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.commit()  # leave no transaction open, so Alembic's own transactions commit
        context.configure(connection=connection, target_metadata=Base.metadata, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
