"""Migration 0013 on a database of its own: work-order attachments become documents scoped to their work order
(same ids, PHOTO for images and OTHER otherwise, managers only, version 1 keeping the storage key, hash and size),
the old table goes, and the downgrade brings the attachments back as they were.

The database is created next to the test session's one (the owner role may create databases), migrated to 0012,
filled as the owner with the tenant setting (so row-level security admits the rows), and dropped at the end."""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from alembic import command
from psycopg.rows import dict_row
from sqlalchemy.engine import URL, make_url

from hestami.core.config import Settings
from hestami.core.migrate import alembic_config


def _plain(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def database(settings: Settings) -> Iterator[URL]:
    owner = make_url(settings.owner_database_url)
    name = f"hestami_mig_{secrets.token_hex(4)}"
    with psycopg.connect(_plain(owner), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield owner.set(database=name)
    finally:
        _drop(owner, name)


def _drop(owner: URL, name: str) -> None:
    """Drops the scratch database. An autovacuum worker (a superuser's process the owner may not terminate) can
    still be in it for a moment after the migrations: wait for it rather than force it."""
    for attempt in range(40):
        try:
            with psycopg.connect(_plain(owner), autocommit=True) as conn:
                conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == 39:
                raise
            time.sleep(0.25)


def _connect(url: URL, org: uuid.UUID) -> psycopg.Connection[dict[str, Any]]:
    conn = psycopg.connect(_plain(url), row_factory=dict_row)
    conn.execute("SELECT set_config('app.current_org_id', %s, false)", (str(org),))
    return conn


def _table_exists(conn: psycopg.Connection[Any], table: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL AS found", (table,)).fetchone()
    assert row is not None
    return bool(row["found"])


ATTACHMENT_FIELDS = (
    "id", "organization_id", "work_order_id", "file_name", "content_type", "size_bytes", "sha256", "storage_key",
    "uploaded_by", "created_at",
)  # fmt: skip


def test_attachments_become_documents_and_come_back(settings: Settings, database: URL) -> None:
    config = alembic_config(settings)
    config.attributes["database_url"] = database.render_as_string(hide_password=False)
    command.upgrade(config, "0012")

    org, association, work_order, uploader = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    created = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    photo = {
        "id": uuid.uuid4(), "organization_id": org, "work_order_id": work_order, "file_name": "leak.png",
        "content_type": "image/png", "size_bytes": 2048, "sha256": hashlib.sha256(b"png").hexdigest(),
        "storage_key": f"work-orders/{work_order}/leak.png", "uploaded_by": uploader, "created_at": created,
    }  # fmt: skip
    invoice = {
        **photo, "id": uuid.uuid4(), "file_name": "quote.pdf", "content_type": "application/pdf",
        "size_bytes": 70_000, "sha256": hashlib.sha256(b"pdf").hexdigest(),
        "storage_key": f"work-orders/{work_order}/quote.pdf", "uploaded_by": None,
    }  # fmt: skip
    attachments = {row["id"]: row for row in (photo, invoice)}
    with _connect(database, org) as conn:
        conn.execute(
            "INSERT INTO associations (id, organization_id, name, status) VALUES (%s, %s, 'Elm', 'ACTIVE')",
            (association, org),
        )
        conn.execute(
            "INSERT INTO work_orders (id, organization_id, association_id, number, title, description, priority, "
            "category, status) VALUES (%s, %s, %s, 1, 'Roof leak', 'Water in unit 4', 'HIGH', 'ROOFING', 'SUBMITTED')",
            (work_order, org, association),
        )
        for row in attachments.values():
            conn.execute(
                f"INSERT INTO work_order_attachments ({', '.join(ATTACHMENT_FIELDS)}) "
                f"VALUES ({', '.join(['%s'] * len(ATTACHMENT_FIELDS))})",
                [row[f] for f in ATTACHMENT_FIELDS],
            )

    command.upgrade(config, "head")
    with _connect(database, org) as conn:
        assert not _table_exists(conn, "work_order_attachments")
        documents = conn.execute(
            "SELECT d.*, v.id AS v_id, v.version_number, v.storage_key, v.sha256, v.size_bytes, v.content_type, "
            "v.file_name, v.uploaded_by, v.document_id FROM documents d "
            "JOIN document_versions v ON v.organization_id = d.organization_id AND v.id = d.current_version_id"
        ).fetchall()
        assert conn.execute("SELECT count(*) AS n FROM document_versions").fetchone()["n"] == 2  # type: ignore[index]
    assert {d["id"] for d in documents} == set(attachments)
    for document in documents:
        original = attachments[document["id"]]
        assert document["organization_id"] == org
        assert document["association_id"] == association
        assert (document["scope_type"], document["scope_id"]) == ("WORK_ORDER", work_order)
        assert document["category"] == ("PHOTO" if original["content_type"] == "image/png" else "OTHER")
        assert document["visibility"] == "MANAGERS"
        assert document["status"] == "ACTIVE"
        assert document["title"] == original["file_name"]
        assert document["created_by"] == original["uploaded_by"]
        assert document["created_at"] == created
        assert document["current_version_number"] == 1
        assert document["version_number"] == 1
        assert document["document_id"] == document["id"]
        for field in ("storage_key", "sha256", "size_bytes", "content_type", "file_name", "uploaded_by"):
            assert document[field] == original[field], field

    command.downgrade(config, "0012")
    with _connect(database, org) as conn:
        assert not _table_exists(conn, "documents")
        assert not _table_exists(conn, "document_versions")
        back = conn.execute(f"SELECT {', '.join(ATTACHMENT_FIELDS)} FROM work_order_attachments").fetchall()
    assert {row["id"]: row for row in back} == attachments
