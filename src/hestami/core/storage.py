"""File storage port: attachments' bytes live outside the database. The local-disk adapter keeps them under
`FILE_STORAGE_DIR`, addressed by content hash so a stored file is never overwritten with other bytes."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Protocol


class FileStore(Protocol):
    async def put(self, data: bytes) -> tuple[str, str]:
        """Stores the bytes; returns (storage key, sha256)."""
        ...

    async def get(self, key: str) -> bytes: ...


class LocalDiskStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("invalid storage key")
        return self.root / key[:2] / key

    async def put(self, data: bytes) -> tuple[str, str]:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                temporary = path.with_suffix(".part")
                temporary.write_bytes(data)
                temporary.replace(path)

        await asyncio.to_thread(write)
        return digest, digest

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)
