"""`hestami migrate`: Alembic to head as the owner role, then the DBOS system database."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from hestami.core import workflows
from hestami.core.config import Settings
from hestami.core.project import project_root


def alembic_config(settings: Settings) -> Config:
    """`alembic.ini` and `migrations/` of the project (`core.project`: a setting, the checkout, a deployment)."""
    root = project_root(settings)
    config = Config(str(root / "alembic.ini"))
    config.set_main_option("script_location", str(root / "migrations"))
    config.attributes["database_url"] = settings.owner_database_url
    config.attributes["app_role"] = settings.app_role
    return config


def migrate(settings: Settings) -> None:
    if not settings.owner_database_url:
        raise SystemExit("MIGRATION_DATABASE_URL (or DATABASE_URL) is not set")
    command.upgrade(alembic_config(settings), "head")
    workflows.migrate_system_database(settings)
