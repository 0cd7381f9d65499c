"""Object storage port: documents' bytes live outside the database, in a store chosen by `FILE_STORAGE`.

Two adapters implement `ObjectStore`: `LocalDiskStore` keeps objects under `FILE_STORAGE_DIR` (single-node and
development installs), `S3Store` keeps them in an S3-compatible bucket. Both stream files from and to disk, so a
100 MB document never sits in memory. Downloads go through short-lived signed URLs: S3 presigns them itself, the
local adapter issues an HMAC token that `hestami.core.file_links` redeems.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

if TYPE_CHECKING:
    from hestami.core.config import Settings

SIGNED_FILE_PATH = "/api/v1/files/"
"""Where the local adapter's signed download links point (`hestami.core.file_links` serves them)."""

MAX_KEY_LENGTH = 512
_KEY = re.compile(rf"(?=.{{1,{MAX_KEY_LENGTH}}}\Z)(?!.*\.\.)(?!\.)(?!.*/\.)[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*\Z")
"""Slash-separated segments of `[A-Za-z0-9._-]`: no empty segment, no leading `/`, no `..`, no segment starting
with a dot (so neither `.`/`..` nor the local adapter's hidden temporary files), at most 512 characters."""
_LEGACY_KEY = re.compile(r"[0-9a-f]{64}\Z")
"""Keys of work-order attachments stored before documents (migration 0013): a bare SHA-256, at
`<root>/<key[:2]>/<key>`."""


def validate_key(key: str) -> str:
    """Rejects keys that could escape the store's root or differ between adapters; returns the key unchanged."""
    if not _KEY.match(key):
        raise ValueError(f"invalid storage key: {key[:80]!r}")
    return key


class ObjectStore(Protocol):
    """Where document bytes live. Keys are `<org>/<sha[:2]>/<sha>`, `<org>/previews/<uuid>.png` or legacy hex."""

    name: str
    """`"local"` or `"s3"`: recorded with each stored object, so a later migration knows where it is."""

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        """Streams the file at `path` into the store (never whole in memory). Idempotent for the same key."""
        ...

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        """Stores a small object (a preview) from memory."""
        ...

    async def download_to(self, key: str, path: Path) -> None:
        """Streams the object into a local file. A missing key raises `FileNotFoundError`."""
        ...

    def stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        """The object's bytes in chunks. A missing key raises `FileNotFoundError` on the first chunk."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None:
        """Removes the object; a missing key is not an error (deletes are retried by workflows)."""
        ...

    async def signed_url(self, key: str, *, file_name: str, content_type: str, expires_in: int) -> str:
        """A URL anyone holding it may GET for `expires_in` seconds, answered as an attachment named `file_name`."""
        ...


_ASCII_NAME_CHAR = re.compile(r"[A-Za-z0-9 ._()\[\]+,=@!#$&'-]")


def ascii_file_name(file_name: str) -> str:
    """The `filename=` fallback for clients without RFC 6266 `filename*`: accents dropped, other characters `_`.

    Leading dots go too (never a hidden file); a name with nothing ASCII left keeps its extension."""
    kept = (
        ch if _ASCII_NAME_CHAR.fullmatch(ch) else "_"
        for ch in unicodedata.normalize("NFKD", file_name)
        if not unicodedata.combining(ch)
    )
    safe = "".join(kept).strip(" ").lstrip(".").rstrip(" .")
    return safe or "download"


def content_disposition(file_name: str) -> str:
    """`attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / RFC 8187), header-safe.

    Path separators and control characters are dropped first: the name comes from an uploader, and a browser
    must never be told to save outside its download folder or see a broken header."""
    cleaned = "".join(ch for ch in file_name if ch not in "/\\" and unicodedata.category(ch)[0] != "C").strip()
    cleaned = cleaned or "download"
    return f"attachment; filename=\"{ascii_file_name(cleaned)}\"; filename*=UTF-8''{quote(cleaned, safe='')}"


# ----------------------------------------------------------------------------------------------------------------
# Signed download links for the local adapter


class LinkInvalid(Exception):  # noqa: N818 - the port's agreed name; reads as "the link is invalid"
    """The token was not issued by this installation (bad format or signature)."""


class LinkExpired(Exception):  # noqa: N818 - the port's agreed name
    """The token was genuine but its lifetime is over."""


@dataclass(frozen=True, slots=True)
class SignedObject:
    """What a download token grants: one object, answered under this name and type, until `expires_at`."""

    key: str
    file_name: str
    content_type: str
    expires_at: int


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Decodes unpadded urlsafe base64; any malformed input is an invalid link, never a server error."""
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise LinkInvalid("malformed token") from exc


class UrlSigner:
    """Issues and checks download tokens: `base64(json payload) "." base64(HMAC-SHA256(payload))`.

    The HMAC key is derived from the installation secret with a purpose label, so a download token can never be
    replayed as (or forged from) a session token signed with the same secret."""

    _PURPOSE = b"hestami/file-link/v1"

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise ValueError("the signing secret must not be empty")
        self._key = hmac.new(secret, self._PURPOSE, hashlib.sha256).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def sign(self, key: str, file_name: str, content_type: str, expires_at: int) -> str:
        payload = json.dumps(
            {"k": key, "n": file_name, "t": content_type, "e": expires_at}, separators=(",", ":"), ensure_ascii=False
        ).encode()
        return f"{_b64encode(payload)}.{_b64encode(self._mac(payload))}"

    def verify(self, token: str, now: float) -> SignedObject:
        """The granted object; `LinkInvalid` unless this signer issued the token, `LinkExpired` once past expiry."""
        encoded_payload, dot, encoded_mac = token.partition(".")
        if not dot or not encoded_payload or not encoded_mac:
            raise LinkInvalid("malformed token")
        payload = _b64decode(encoded_payload)
        if not hmac.compare_digest(self._mac(payload), _b64decode(encoded_mac)):
            raise LinkInvalid("bad signature")
        granted = _parse_payload(payload)
        if now >= granted.expires_at:
            raise LinkExpired("link expired")
        return granted


def _parse_payload(payload: bytes) -> SignedObject:
    """The signed JSON as a `SignedObject`; checked even though signed, so a schema change fails closed."""
    try:
        fields: Any = json.loads(payload)
        granted = SignedObject(key=fields["k"], file_name=fields["n"], content_type=fields["t"], expires_at=fields["e"])
    except (ValueError, KeyError, TypeError) as exc:
        raise LinkInvalid("malformed payload") from exc
    text_fields = (granted.key, granted.file_name, granted.content_type)
    if not all(isinstance(value, str) for value in text_fields) or type(granted.expires_at) is not int:
        raise LinkInvalid("malformed payload")
    return granted


# ----------------------------------------------------------------------------------------------------------------
# Local disk adapter


def _write_atomically(target: Path, fill: Callable[[IO[bytes]], object]) -> None:
    """Writes through a hidden temporary file beside `target`, then renames: readers see all bytes or none."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            fill(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class LocalDiskStore:
    """Objects as files under `root` (work-order attachments of before migration 0013 keep their bare-hex keys)."""

    name = "local"

    def __init__(self, root: Path, signer: UrlSigner | None = None) -> None:
        self.root = root
        self.signer = signer

    def _object_path(self, key: str) -> Path:
        """Legacy bare-hex keys keep their two-level layout; every other key is a relative path under `root`."""
        validate_key(key)
        if _LEGACY_KEY.match(key):
            return self.root / key[:2] / key
        return self.root / key

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        target = self._object_path(key)

        def copy() -> None:
            with path.open("rb") as source:
                _write_atomically(target, lambda out: shutil.copyfileobj(source, out, 1 << 20))

        await asyncio.to_thread(copy)

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        target = self._object_path(key)
        await asyncio.to_thread(_write_atomically, target, lambda out: out.write(data))

    async def download_to(self, key: str, path: Path) -> None:
        source_path = self._object_path(key)

        def copy() -> None:
            with source_path.open("rb") as source:
                _write_atomically(path, lambda out: shutil.copyfileobj(source, out, 1 << 20))

        await asyncio.to_thread(copy)

    async def stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        source = await asyncio.to_thread(self._object_path(key).open, "rb")
        try:
            while chunk := await asyncio.to_thread(source.read, chunk_size):
                yield chunk
        finally:
            await asyncio.to_thread(source.close)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._object_path(key).is_file)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._object_path(key).unlink, missing_ok=True)

    async def signed_url(self, key: str, *, file_name: str, content_type: str, expires_in: int) -> str:
        """A relative `/api/v1/files/<token>` URL; the API serves it after checking the token."""
        validate_key(key)
        if self.signer is None:
            raise RuntimeError("this LocalDiskStore was built without a UrlSigner")
        token = self.signer.sign(key, file_name, content_type, int(time.time()) + expires_in)
        return SIGNED_FILE_PATH + token


# ----------------------------------------------------------------------------------------------------------------
# S3 adapter


def _is_missing(error: Exception) -> bool:
    """Whether a botocore `ClientError` means "no such key/bucket" (HEAD answers a bare 404)."""
    response: dict[str, Any] = getattr(error, "response", {}) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in {"404", "NoSuchKey", "NoSuchBucket", "NotFound"} or status == 404


class S3Store:
    """Objects in an S3-compatible bucket (AWS, MinIO, moto). One boto3 client, shared across threads."""

    name = "s3"

    def __init__(
        self, endpoint_url: str | None, bucket: str, access_key_id: str, secret_access_key: str, region: str
    ) -> None:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        self.bucket = bucket
        self.region = region
        self._client_error: type[Exception] = ClientError
        self._client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            region_name=region,
            config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
        )

    def _not_found(self, error: Exception, key: str) -> FileNotFoundError | None:
        """The adapter-neutral error for a missing object, so callers of both adapters handle one exception."""
        if isinstance(error, self._client_error) and _is_missing(error):
            return FileNotFoundError(f"no object {key!r} in bucket {self.bucket!r}")
        return None

    async def ensure_bucket(self) -> None:
        """Creates the bucket if it does not exist (development and tests; production provisions it)."""

        def ensure() -> None:
            try:
                self._client.head_bucket(Bucket=self.bucket)
                return
            except self._client_error as error:
                if not _is_missing(error):
                    raise
            arguments: dict[str, Any] = {"Bucket": self.bucket}
            if self.region != "us-east-1":  # AWS rejects an explicit us-east-1 location constraint
                arguments["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
            self._client.create_bucket(**arguments)

        await asyncio.to_thread(ensure)

    async def put_file(self, key: str, path: Path, content_type: str) -> None:
        """`upload_file` streams from disk and switches to multipart upload for large files."""
        validate_key(key)
        await asyncio.to_thread(
            self._client.upload_file, str(path), self.bucket, key, ExtraArgs={"ContentType": content_type}
        )

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> None:
        validate_key(key)
        await asyncio.to_thread(
            self._client.put_object, Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
        )

    async def download_to(self, key: str, path: Path) -> None:
        """Downloads beside `path` then renames, so a failed transfer never leaves a truncated file."""
        validate_key(key)

        def download() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            os.close(handle)
            try:
                self._client.download_file(self.bucket, key, temporary)
                os.replace(temporary, path)
            except Exception as error:
                Path(temporary).unlink(missing_ok=True)
                if (missing := self._not_found(error, key)) is not None:
                    raise missing from error
                raise

        await asyncio.to_thread(download)

    async def stream(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        validate_key(key)
        try:
            response = await asyncio.to_thread(self._client.get_object, Bucket=self.bucket, Key=key)
        except Exception as error:
            if (missing := self._not_found(error, key)) is not None:
                raise missing from error
            raise
        body = response["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, chunk_size):
                yield chunk
        finally:
            await asyncio.to_thread(body.close)

    async def exists(self, key: str) -> bool:
        validate_key(key)
        try:
            await asyncio.to_thread(self._client.head_object, Bucket=self.bucket, Key=key)
        except self._client_error as error:
            if _is_missing(error):
                return False
            raise
        return True

    async def delete(self, key: str) -> None:
        """S3's DeleteObject already succeeds for a missing key."""
        validate_key(key)
        await asyncio.to_thread(self._client.delete_object, Bucket=self.bucket, Key=key)

    async def signed_url(self, key: str, *, file_name: str, content_type: str, expires_in: int) -> str:
        """A SigV4 presigned GET that makes S3 answer with our Content-Disposition and Content-Type."""
        validate_key(key)
        params = {
            "Bucket": self.bucket,
            "Key": key,
            "ResponseContentDisposition": content_disposition(file_name),
            "ResponseContentType": content_type,
        }
        url: str = self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        return url


def build_store(settings: Settings) -> ObjectStore:
    """The store `FILE_STORAGE` selects: local disk by default, S3 when configured."""
    if settings.file_storage == "s3":
        return S3Store(
            endpoint_url=settings.s3_endpoint_url or None,
            bucket=settings.s3_bucket,
            access_key_id=settings.s3_access_key_id,
            secret_access_key=settings.s3_secret_access_key,
            region=settings.s3_region,
        )
    return LocalDiskStore(Path(settings.file_storage_dir), UrlSigner(settings.signing_secret()))
