"""Pytest fixtures for S3-backed tests. Import them into a test module:

from tests.support.s3_fixtures import s3_server, s3_store  # noqa: F401
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from hestami.core.storage import S3Store
from tests.support.s3 import MotoServer

TEST_REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[MotoServer]:
    """One moto server per test session: starting it costs about a second."""
    server = MotoServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def s3_store(s3_server: MotoServer) -> S3Store:
    """An `S3Store` on a bucket of its own, so tests never see each other's objects."""
    store = S3Store(
        endpoint_url=s3_server.endpoint_url,
        bucket=f"hestami-test-{uuid.uuid4().hex[:16]}",
        access_key_id="testing",
        secret_access_key="testing",
        region=TEST_REGION,
    )
    await store.ensure_bucket()
    return store
