"""Files that come with a request: streamed to a temporary file as they arrive, hashed and measured on the way.

A procedure declared with `file=True` takes `multipart/form-data`: a part `input` (the JSON input, as every other
procedure takes it) and a part `file` (the bytes). The body is parsed as it streams (python-multipart's push
parser): the file's bytes go to a temporary file in chunks, its SHA-256 and size are counted as they pass, and a
file over the limit is refused as soon as it passes it, so no upload is ever held in memory, whatever its size.
The first bytes are kept (`head`) for sniffing the type from the content rather than from the name.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

from hestami.core.errors import ErrorCode, FieldError, HestamiError

HEAD_BYTES = 64 * 1024
"""How much of the start of a file is kept for sniffing its type."""
MAX_INPUT_BYTES = 1024 * 1024
"""The `input` part (JSON) of a multipart request."""
MAX_PARTS = 4


@dataclass(slots=True)
class StagedFile:
    """A received file on local disk, with what was counted while it arrived. `remove()` when done."""

    path: Path
    file_name: str
    size: int
    sha256: str
    head: bytes
    declared_type: str = ""

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(slots=True)
class _Sink:
    """Where one file's bytes go: a temporary file, a running hash, a byte count and the first bytes."""

    max_bytes: int
    directory: str | None
    size: int = 0
    head: bytearray = field(default_factory=bytearray)
    digest: Any = field(default_factory=hashlib.sha256)
    handle: Any = None
    path: Path | None = None

    def open(self) -> None:
        descriptor, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=self.directory)
        self.handle = os.fdopen(descriptor, "wb")
        self.path = Path(name)

    def write(self, data: bytes) -> None:
        """Blocking: callers run it in a thread."""
        self.size += len(data)
        if self.size > self.max_bytes:
            raise too_large(self.max_bytes)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
        self.digest.update(data)
        self.handle.write(data)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def staged(self, file_name: str, declared_type: str) -> StagedFile:
        self.close()
        assert self.path is not None
        return StagedFile(self.path, file_name, self.size, self.digest.hexdigest(), bytes(self.head), declared_type)


def too_large(max_bytes: int) -> HestamiError:
    return HestamiError(
        ErrorCode.VALIDATION_FAILED,
        f"The file is larger than the limit of {max_bytes} bytes.",
        details={"max_bytes": max_bytes},
        field_errors=[FieldError("file", f"At most {max_bytes} bytes.", "file_too_large")],
    )


def _refused(field_name: str, message: str, code: str) -> HestamiError:
    return HestamiError(ErrorCode.VALIDATION_FAILED, message, field_errors=[FieldError(field_name, message, code)])


async def stage_bytes(data: bytes, file_name: str, *, max_bytes: int, directory: str | None = None) -> StagedFile:
    """A file that arrived inside a JSON body (small ones: work-order photos as base64) staged like an upload."""
    sink = _Sink(max_bytes, directory)
    sink.open()
    try:
        await asyncio.to_thread(sink.write, data)
    except BaseException:
        sink.discard()
        raise
    return sink.staged(clean_file_name(file_name), "")


class _Form:
    """The parts of one multipart body as python-multipart pushes them: `input` collected in memory (bounded),
    `file` handed to a sink chunk by chunk."""

    def __init__(self, max_bytes: int, directory: str | None) -> None:
        self.max_bytes, self.directory = max_bytes, directory
        self.input = bytearray()
        self.sink: _Sink | None = None
        self.file_name = ""
        self.declared_type = ""
        self.parts = 0
        self._headers: dict[bytes, bytes] = {}
        self._field, self._value = bytearray(), bytearray()
        self._current = ""
        self.pending: list[bytes] = []

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda data, start, end: self._field.extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._value.extend(data[start:end]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
        }

    def _part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise _refused("", f"At most {MAX_PARTS} parts: `input` and `file`.", "multipart_too_many_parts")
        self._headers, self._current = {}, ""

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field, self._value = bytearray(), bytearray()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        if name == "input":
            self._current = "input"
        elif name == "file":
            if self.sink is not None:
                raise _refused("file", "Send one file per request.", "multipart_one_file")
            self._current = "file"
            self.file_name = options.get(b"filename", b"").decode("utf-8", "replace")
            self.declared_type = self._headers.get(b"content-type", b"").decode("latin-1")
            self.sink = _Sink(self.max_bytes, self.directory)
            self.sink.open()
        else:
            raise _refused(name, "Unknown part: send `input` (JSON) and `file`.", "multipart_unknown_part")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current == "input":
            self.input.extend(data[start:end])
            if len(self.input) > MAX_INPUT_BYTES:
                raise _refused("input", f"The input part is limited to {MAX_INPUT_BYTES} bytes.", "input_too_large")
        elif self._current == "file":
            self.pending.append(data[start:end])


def _boundary(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise _refused(
            "",
            "This procedure takes multipart/form-data: a part `input` (JSON) and a part `file`.",
            "multipart_expected",
        )
    return boundary


async def read_multipart(
    content_type: str, stream: AsyncIterator[bytes], *, max_bytes: int, directory: str | None = None
) -> tuple[bytes, StagedFile | None]:
    """The `input` part's bytes and the staged `file` (None when the request has none)."""
    form = _Form(max_bytes, directory)
    parser = MultipartParser(_boundary(content_type), form.callbacks())
    try:
        async for chunk in stream:
            parser.write(chunk)
            if form.pending and form.sink is not None:
                pending, form.pending = b"".join(form.pending), []
                await asyncio.to_thread(form.sink.write, pending)
        parser.finalize()
    except HestamiError:
        if form.sink is not None:
            form.sink.discard()
        raise
    except Exception as exc:  # a malformed body: python-multipart's own errors
        if form.sink is not None:
            form.sink.discard()
        raise _refused("", f"The multipart body could not be read: {exc}", "multipart_invalid") from None
    if form.sink is None:
        return bytes(form.input), None
    return bytes(form.input), form.sink.staged(clean_file_name(form.file_name), form.declared_type)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def clean_file_name(name: str) -> str:
    """The name without any folder (either slash), control characters or surrounding spaces; at most 255
    characters, keeping the extension; `file` when nothing is left."""
    base = _UNPRINTABLE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(base) > 255:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 254 - len(extension)] + dot + extension) if dot and len(extension) <= 16 else base[:255]
    return base or "file"
