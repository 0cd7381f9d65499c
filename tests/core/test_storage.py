"""The object-storage port: both adapters pass the same contract; local download links go through the API."""

from __future__ import annotations

import hashlib
import os
import time
import tracemalloc
import uuid
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from hestami.core.config import Settings
from hestami.core.storage import (
    LinkExpired,
    LinkInvalid,
    LocalDiskStore,
    ObjectStore,
    S3Store,
    UrlSigner,
    build_store,
    content_disposition,
    validate_key,
)
from tests.support.s3_fixtures import s3_server, s3_store  # noqa: F401

MB = 1024 * 1024
SECRET = b"test-signing-secret"
NAME_WITH_DASH = "Budget 2025 \u2013 final.pdf"
INVALID_KEYS = ["../x", "/abs", "a//b", "a/../b", "a/b/..", ".hidden", "a/.b", "", "a b", "a\nb", "é", "a" * 513, "a/"]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(MB):
            digest.update(chunk)
    return digest.hexdigest()


def random_file(path: Path, size: int) -> Path:
    """Incompressible content written in chunks (no 12 MB bytes object in the test itself)."""
    with path.open("wb") as out:
        remaining = size
        while remaining:
            step = min(MB, remaining)
            out.write(os.urandom(step))
            remaining -= step
    return path


def object_key() -> str:
    """A key shaped like production's `<org>/<sha[:2]>/<sha>`."""
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return f"{uuid.uuid4()}/{sha[:2]}/{sha}"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    """Each contract test runs against both adapters."""
    if request.param == "local":
        return LocalDiskStore(tmp_path / "objects", UrlSigner(SECRET))
    s3: S3Store = request.getfixturevalue("s3_store")
    return s3


# ------------------------------------------------------------------------------------------------ the contract


async def test_large_file_round_trips_by_file_and_by_stream(store: ObjectStore, tmp_path: Path) -> None:
    source = random_file(tmp_path / "upload.bin", 12 * MB)
    key = object_key()
    await store.put_file(key, source, "application/pdf")
    await store.put_file(key, source, "application/pdf")  # idempotent: a retried step stores the same object

    target = tmp_path / "out" / "download.bin"
    await store.download_to(key, target)
    assert sha256_file(target) == sha256_file(source)

    digest = hashlib.sha256()
    async for chunk in store.stream(key, chunk_size=256 * 1024):
        assert len(chunk) <= 256 * 1024
        digest.update(chunk)
    assert digest.hexdigest() == sha256_file(source)


async def test_small_objects_exist_and_delete(store: ObjectStore) -> None:
    key = f"{uuid.uuid4()}/previews/{uuid.uuid4()}.png"
    assert not await store.exists(key)
    await store.put_bytes(key, b"\x89PNG preview", "image/png")
    assert await store.exists(key)
    assert b"".join([chunk async for chunk in store.stream(key)]) == b"\x89PNG preview"

    await store.delete(key)
    assert not await store.exists(key)
    await store.delete(key)  # deleting a missing key is not an error


async def test_missing_object_is_file_not_found(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        await store.download_to(object_key(), tmp_path / "never.bin")
    assert not (tmp_path / "never.bin").exists()
    with pytest.raises(FileNotFoundError):
        async for _ in store.stream(object_key()):
            pass


@pytest.mark.parametrize("key", ["../x", "/abs", "a//b"])
async def test_invalid_keys_are_rejected(store: ObjectStore, key: str, tmp_path: Path) -> None:
    source = random_file(tmp_path / "small.bin", 10)
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.put_file(key, source, "text/plain")
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.put_bytes(key, b"x", "text/plain")
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.exists(key)
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.delete(key)
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.download_to(key, tmp_path / "x")
    with pytest.raises(ValueError, match="invalid storage key"):
        await store.signed_url(key, file_name="x", content_type="text/plain", expires_in=60)


async def test_signed_url_grants_the_object_as_an_attachment(store: ObjectStore) -> None:
    key = object_key()
    await store.put_bytes(key, b"minutes of the March meeting", "application/pdf")
    url = await store.signed_url(key, file_name="Procès-verbal mars.pdf", content_type="application/pdf", expires_in=60)

    if isinstance(store, LocalDiskStore):
        assert url.startswith("/api/v1/files/")
        assert store.signer is not None
        granted = store.signer.verify(url.removeprefix("/api/v1/files/"), time.time())
        assert (granted.key, granted.file_name, granted.content_type) == (
            key,
            "Procès-verbal mars.pdf",
            "application/pdf",
        )
        assert time.time() < granted.expires_at <= time.time() + 61
        return

    async with httpx.AsyncClient() as http:
        response = await http.get(url)
    assert response.status_code == 200
    assert response.content == b"minutes of the March meeting"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == content_disposition("Procès-verbal mars.pdf")


# ------------------------------------------------------------------------------------------------ keys and tokens


@pytest.mark.parametrize("key", INVALID_KEYS)
def test_key_validation_rejects(key: str) -> None:
    with pytest.raises(ValueError, match="invalid storage key"):
        validate_key(key)


@pytest.mark.parametrize(
    "key",
    [
        hashlib.sha256(b"legacy").hexdigest(),
        "b83da9c8-8b49-4b69-88c7-f8e0474f10a8/previews/8cb36a71-4897-42c5-86c5-c592bb0c6337.png",
        object_key(),
        "a" * 512,
        "org_1/file-name.v2.txt",
    ],
)
def test_key_validation_accepts(key: str) -> None:
    assert validate_key(key) == key


def test_tokens_round_trip_and_refuse_tampering_and_expiry() -> None:
    signer = UrlSigner(SECRET)
    token = signer.sign("org/ab/abc", "a.pdf", "application/pdf", expires_at=2_000)
    assert signer.verify(token, now=1_999).key == "org/ab/abc"

    with pytest.raises(LinkExpired):
        signer.verify(token, now=2_000)
    with pytest.raises(LinkInvalid):
        UrlSigner(b"another installation").verify(token, now=1_000)

    payload, _, mac = token.partition(".")
    other = UrlSigner(SECRET).sign("org/ab/other", "a.pdf", "application/pdf", expires_at=2_000)
    forged = other.partition(".")[0] + "." + mac  # someone else's key under this token's signature
    middle = len(mac) // 2
    flipped = payload + "." + mac[:middle] + ("A" if mac[middle] != "A" else "B") + mac[middle + 1 :]
    for bad in (forged, flipped, payload, "", "not-a-token", "!!!.???", token + "x"):
        with pytest.raises(LinkInvalid):
            signer.verify(bad, now=1_000)


def test_content_disposition_has_an_ascii_fallback_and_the_exact_name() -> None:
    assert content_disposition("Relevé été.pdf") == (
        "attachment; filename=\"Releve ete.pdf\"; filename*=UTF-8''Relev%C3%A9%20%C3%A9t%C3%A9.pdf"
    )
    hostile = content_disposition('../a"b\r\nSet-Cookie: x.pdf')
    assert "\r" not in hostile
    assert "\n" not in hostile
    assert 'filename="a_bSet-Cookie_ x.pdf"' in hostile  # no leading dots: never a hidden file
    assert content_disposition("租約.pdf") == "attachment; filename=\"__.pdf\"; filename*=UTF-8''%E7%A7%9F%E7%B4%84.pdf"


# ------------------------------------------------------------------------------------------------ local specifics


async def test_legacy_content_addressed_keys_stay_readable(tmp_path: Path) -> None:
    store = LocalDiskStore(tmp_path)
    key = hashlib.sha256(b"an old attachment").hexdigest()
    (tmp_path / key[:2]).mkdir()
    (tmp_path / key[:2] / key).write_bytes(b"an old attachment")  # as the attachments of before 0013 lie
    assert await store.exists(key)
    assert b"".join([chunk async for chunk in store.stream(key)]) == b"an old attachment"


async def test_local_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    store = LocalDiskStore(tmp_path / "objects", UrlSigner(SECRET))
    key = object_key()
    await store.put_file(key, random_file(tmp_path / "a.bin", 3 * MB), "application/octet-stream")
    assert [path.name for path in (tmp_path / "objects").rglob("*") if path.is_file()] == [key.rsplit("/", 1)[1]]


async def test_local_put_file_streams_instead_of_reading_into_memory(tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    with source.open("wb") as out:  # mostly a hole, with some data so it is not all zeros
        for offset in range(0, 60 * MB, 10 * MB):
            out.seek(offset)
            out.write(os.urandom(64 * 1024))
        out.truncate(60 * MB)
    store = LocalDiskStore(tmp_path / "objects", UrlSigner(SECRET))
    key = object_key()

    tracemalloc.start()
    try:
        await store.put_file(key, source, "application/octet-stream")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB
    assert sha256_file(tmp_path / "objects" / key) == sha256_file(source)


def test_build_store_follows_file_storage(tmp_path: Path) -> None:
    local = build_store(Settings(FILE_STORAGE_DIR=str(tmp_path)))
    assert isinstance(local, LocalDiskStore)
    assert local.name == "local"
    assert local.root == tmp_path
    s3 = build_store(
        Settings(
            FILE_STORAGE="s3",
            S3_ENDPOINT_URL="http://127.0.0.1:9",
            S3_BUCKET="docs",
            S3_ACCESS_KEY_ID="k",
            S3_SECRET_ACCESS_KEY="s",
        )
    )
    assert isinstance(s3, S3Store)
    assert s3.name == "s3"
    assert s3.bucket == "docs"


# ------------------------------------------------------------------------------------------------ the download route


def files_of(app: FastAPI) -> LocalDiskStore:
    files = app.state.runtime.files
    assert isinstance(files, LocalDiskStore)
    assert files.signer is not None
    return files


async def test_route_serves_a_signed_local_file(app: FastAPI, client: httpx.AsyncClient) -> None:
    files = files_of(app)
    data = os.urandom(300 * 1024)
    key = f"{uuid.uuid4()}/ab/{hashlib.sha256(data).hexdigest()}"
    await files.put_bytes(key, data, "application/pdf")
    try:
        url = await files.signed_url(key, file_name=NAME_WITH_DASH, content_type="application/pdf", expires_in=60)
        response = await client.get(url)
        assert response.status_code == 200
        assert response.content == data
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == content_disposition(NAME_WITH_DASH)
        assert response.headers["cache-control"] == "private, no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
    finally:
        await files.delete(key)


async def assert_link_not_found(client: httpx.AsyncClient, url: str) -> None:
    response = await client.get(url)
    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False
    assert body["error"]["code"] == "NOT_FOUND"
    assert body["error"]["message"] == "This download link is invalid or has expired."


async def test_route_refuses_tampered_expired_and_deleted_links(app: FastAPI, client: httpx.AsyncClient) -> None:
    files = files_of(app)
    assert files.signer is not None
    key = object_key()
    await files.put_bytes(key, b"secret", "text/plain")
    try:
        url = await files.signed_url(key, file_name="a.txt", content_type="text/plain", expires_in=60)
        token = url.removeprefix("/api/v1/files/")
        other = files.signer.sign(object_key(), "a.txt", "text/plain", int(time.time()) + 60)
        await assert_link_not_found(client, "/api/v1/files/" + other.partition(".")[0] + "." + token.partition(".")[2])
        await assert_link_not_found(client, "/api/v1/files/garbage")

        expired = files.signer.sign(key, "a.txt", "text/plain", int(time.time()) - 1)
        await assert_link_not_found(client, "/api/v1/files/" + expired)
    finally:
        await files.delete(key)
    await assert_link_not_found(client, url)  # a genuine, live link to a deleted file
