"""The virus-scan port and the adapter used until a real engine is wired.

Every upload is scanned before it is offered for download; the verdict (engine and signature) is stored on the
version so a later engine update can tell which files were judged by what. `RecordingScanner` stands in for ClamAV
in development and tests: it recognises only the EICAR test file, which is exactly what a test needs to exercise
the infected path without handling real malware.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ScanVerdict:
    """The outcome of one scan: `signature` names what was found when `clean` is false."""

    clean: bool
    engine: str
    signature: str | None


class VirusScanner(Protocol):
    """Scans a file already on local disk (the upload's temporary file)."""

    name: str

    async def scan(self, path: Path) -> ScanVerdict: ...


# Assembled from pieces so that this source file does not itself match naive EICAR signatures.
EICAR: bytes = b"".join(
    (
        b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
        b"EICAR-STANDARD-ANTIVIRUS-",
        b"TEST-FILE!$H+H*",
    )
)
"""The 68-byte EICAR anti-virus test string."""

EICAR_SIGNATURE = "EICAR-Test-File"
EICAR_MAX_SIZE = 128
"""The EICAR spec lets the string be followed by whitespace, as long as the file stays within 128 bytes."""

_EICAR_PADDING = frozenset(b" \t\r\n\x1a")
"""The whitespace the EICAR spec allows after the string: space, tab, CR, LF and Ctrl-Z."""


def is_eicar(head: bytes, size: int) -> bool:
    """Whether a file of `size` bytes starting with `head` is the EICAR test file, strictly per its spec."""
    if size > EICAR_MAX_SIZE or len(head) < size or not head.startswith(EICAR):
        return False
    return all(byte in _EICAR_PADDING for byte in head[len(EICAR) : size])


def _read_head(path: Path) -> tuple[bytes, int]:
    """The file's size and at most its first `EICAR_MAX_SIZE` bytes: a larger file cannot be EICAR."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return handle.read(EICAR_MAX_SIZE), size


class RecordingScanner:
    """A `VirusScanner` that flags the EICAR test file, passes everything else, and remembers what it scanned.

    `scans` holds (path, verdict) pairs in order, so tests can assert that a file was scanned and how.
    """

    name = "recording-scanner/1"

    def __init__(self) -> None:
        self.scans: list[tuple[str, ScanVerdict]] = []

    async def scan(self, path: Path) -> ScanVerdict:
        """Scan `path`; the read runs in a thread so the event loop never waits on the disk."""
        head, size = await asyncio.to_thread(_read_head, path)
        if is_eicar(head, size):
            verdict = ScanVerdict(clean=False, engine=self.name, signature=EICAR_SIGNATURE)
        else:
            verdict = ScanVerdict(clean=True, engine=self.name, signature=None)
        self.scans.append((str(path), verdict))
        return verdict
