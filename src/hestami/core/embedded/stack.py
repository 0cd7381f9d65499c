"""Postgres, Redis and Cerbos together under one data directory, started and stopped in order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hestami.core.embedded.cerbos import EmbeddedCerbos, find_binary
from hestami.core.embedded.postgres import APP_ROLE, EmbeddedPostgres
from hestami.core.embedded.redis import EmbeddedRedis


@dataclass(frozen=True, slots=True)
class StackEnvironment:
    """What the service needs to reach the embedded servers, as the environment variables it reads."""

    variables: dict[str, str]
    superuser_database_url: str


class EmbeddedStack:
    def __init__(self, data_dir: Path, *, policies: Path, project_root: Path) -> None:
        self.data_dir = data_dir.absolute()
        self.postgres = EmbeddedPostgres(self.data_dir / "postgres")
        self.redis = EmbeddedRedis(self.data_dir / "redis")
        self.cerbos = EmbeddedCerbos(self.data_dir / "cerbos", policies=policies, binary=find_binary(project_root))

    def start(self) -> StackEnvironment:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            pg = self.postgres.start()
            redis_url = self.redis.start()
            cerbos = self.cerbos.start()
        except BaseException:
            self.stop()
            raise
        return StackEnvironment(
            variables={
                "DATABASE_URL": pg.app,
                "MIGRATION_DATABASE_URL": pg.owner,
                "DBOS_SYSTEM_DATABASE_URL": pg.dbos_app,
                "BACKUP_DATABASE_URL": pg.superuser,  # `hestami backup|restore` (trust auth on a private socket)
                "HESTAMI_APP_ROLE": APP_ROLE,
                "REDIS_URL": redis_url,
                "CERBOS_URL": cerbos.http_url,
                "CERBOS_GRPC_ADDR": cerbos.grpc_addr,
            },
            superuser_database_url=pg.superuser,
        )

    def stop(self) -> None:
        self.cerbos.stop()
        self.redis.stop()
        self.postgres.stop()
