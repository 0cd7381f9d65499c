"""`hestami migrate`: Alembic to head as the owner role, then the DBOS system database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from hestami.core import workflows
from hestami.core.config import Settings

_SOURCE_ROOT = Path(__file__).resolve().parents[3]


def alembic_config(settings: Settings) -> Config:
    """`alembic.ini` of the working directory (a deployment) or of the source checkout."""
    for root in (Path.cwd(), _SOURCE_ROOT):
        ini = root / "alembic.ini"
        if ini.exists():
            config = Config(str(ini))
            config.set_main_option("script_location", str(root / "migrations"))
            config.attributes["database_url"] = settings.owner_database_url
            config.attributes["app_role"] = settings.app_role
            return config
    raise FileNotFoundError("alembic.ini not found in the working directory or the source checkout")


def migrate(settings: Settings) -> None:
    if not settings.owner_database_url:
        raise SystemExit("MIGRATION_DATABASE_URL (or DATABASE_URL) is not set")
    command.upgrade(alembic_config(settings), "head")
    workflows.migrate_system_database(settings)
