"""`core.uploads` on its own (multipart streamed to a staged file, the size limit, file names) and the JSON body
limit of every other procedure (`rpc.body.read_limited`) through the app."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from hestami.core.errors import ErrorCode, HestamiError
from hestami.core.uploads import HEAD_BYTES, clean_file_name, read_multipart, stage_bytes
from tests.support.identity import Caller

BOUNDARY = "hestamiBoundary7x"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


def multipart(input_json: bytes, file_name: str, data: bytes, *, declared: str = "application/pdf") -> bytes:
    return b"".join(
        (
            f"--{BOUNDARY}\r\n".encode(),
            b'Content-Disposition: form-data; name="input"\r\n',
            b"Content-Type: application/json\r\n\r\n",
            input_json,
            f"\r\n--{BOUNDARY}\r\n".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{file_name}"\r\n'.encode(),
            f"Content-Type: {declared}\r\n\r\n".encode(),
            data,
            f"\r\n--{BOUNDARY}--\r\n".encode(),
        )
    )


def leftovers(directory: Path) -> list[Path]:
    """What is left in the staging directory (nothing, once a file is removed or refused)."""
    return list(directory.iterdir())


async def chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_small_chunks_give_back_the_exact_bytes(tmp_path: Path) -> None:
    # the boundary itself and "\r\n" inside the file: a naive splitter would cut the file there
    data = os.urandom(HEAD_BYTES + 5000) + f"\r\n--{BOUNDARY[:-1]}\r\n".encode() + b"tail\r\n"
    body_json = json.dumps({"title": "Rules", "tags": ["a", "b"]}).encode()
    raw, staged = await read_multipart(
        CONTENT_TYPE, chunks(multipart(body_json, "rules.pdf", data), 7), max_bytes=10**6, directory=str(tmp_path)
    )
    assert raw == body_json
    assert staged is not None
    try:
        assert staged.path.parent == tmp_path
        assert staged.path.read_bytes() == data
        assert staged.size == len(data)
        assert staged.sha256 == hashlib.sha256(data).hexdigest()
        assert staged.head == data[:HEAD_BYTES]
        assert staged.file_name == "rules.pdf"
        assert staged.declared_type == "application/pdf"
    finally:
        staged.remove()
    assert leftovers(tmp_path) == []


async def test_a_request_without_a_file_part(tmp_path: Path) -> None:
    body = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="input"\r\n\r\n{{}}\r\n--{BOUNDARY}--\r\n'
    raw, staged = await read_multipart(CONTENT_TYPE, chunks(body.encode(), 5), max_bytes=100, directory=str(tmp_path))
    assert (raw, staged) == (b"{}", None)
    assert leftovers(tmp_path) == []


async def test_the_limit_refuses_as_soon_as_it_is_passed(tmp_path: Path) -> None:
    head, _, tail = multipart(b"{}", "big.pdf", b"\x00MARK\x00").partition(b"\x00MARK\x00")
    pulled = 0
    chunk = b"A" * 100

    async def endless() -> AsyncIterator[bytes]:
        nonlocal pulled
        pulled += 1
        yield head
        for _ in range(100_000):  # 10 MB after the limit
            pulled += 1
            yield chunk
        yield tail

    with pytest.raises(HestamiError) as refused:
        await read_multipart(CONTENT_TYPE, endless(), max_bytes=1000, directory=str(tmp_path))
    assert refused.value.code == ErrorCode.VALIDATION_FAILED
    assert [(f.field, f.code) for f in refused.value.field_errors] == [("file", "file_too_large")]
    assert pulled <= 1 + 1000 // 100 + 3, f"{pulled} chunks read for a 1000-byte limit"
    assert leftovers(tmp_path) == []


async def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    data = b"B" * 1000
    _, staged = await read_multipart(
        CONTENT_TYPE, chunks(multipart(b"{}", "ok.txt", data), 64), max_bytes=1000, directory=str(tmp_path)
    )
    assert staged is not None
    assert staged.size == 1000
    staged.remove()


async def test_a_malformed_body_leaves_nothing_behind(tmp_path: Path) -> None:
    body = multipart(b"{}", "x.pdf", b"some bytes")
    broken = body[: body.index(b"some bytes") + 4] + b"\r\n--" + BOUNDARY.encode() + b"\r\nGarbage\x00\x01:\r\n\r\n"
    with pytest.raises(HestamiError) as refused:
        await read_multipart(CONTENT_TYPE, chunks(broken, 7), max_bytes=10**6, directory=str(tmp_path))
    assert refused.value.code == ErrorCode.VALIDATION_FAILED
    assert leftovers(tmp_path) == []


async def test_not_multipart_is_refused() -> None:
    with pytest.raises(HestamiError) as refused:
        await read_multipart("application/json", chunks(b"{}", 2), max_bytes=10)
    assert [f.code for f in refused.value.field_errors] == ["multipart_expected"]


async def test_two_files_are_refused(tmp_path: Path) -> None:
    one = multipart(b"{}", "a.pdf", b"first")
    second = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\n\r\nsecond\r\n'
    body = one.replace(f"--{BOUNDARY}--\r\n".encode(), second.encode() + f"--{BOUNDARY}--\r\n".encode())
    with pytest.raises(HestamiError) as refused:
        await read_multipart(CONTENT_TYPE, chunks(body, 7), max_bytes=1000, directory=str(tmp_path))
    assert [f.code for f in refused.value.field_errors] == ["multipart_one_file"]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("/abs/path/minutes.pdf", "minutes.pdf"),
        ("bad\x00na\x1bme\x7f.pdf", "badname.pdf"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("folder/", "file"),
        ("", "file"),
        ("\x01\x02", "file"),
    ],
)
def test_clean_file_name(name: str, expected: str) -> None:
    assert clean_file_name(name) == expected


def test_clean_file_name_keeps_the_extension_when_cutting() -> None:
    cut = clean_file_name("a" * 400 + ".pdf")
    assert len(cut) == 255
    assert cut.endswith(".pdf")
    assert cut == "a" * 251 + ".pdf"
    plain = clean_file_name("b" * 400)
    assert plain == "b" * 255


async def test_stage_bytes_round_trip(tmp_path: Path) -> None:
    data = os.urandom(HEAD_BYTES * 2 + 3)
    staged = await stage_bytes(data, "../photos/roof.png", max_bytes=len(data), directory=str(tmp_path))
    try:
        assert staged.file_name == "roof.png"
        assert staged.path.read_bytes() == data
        assert (staged.size, staged.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert staged.head == data[:HEAD_BYTES]
    finally:
        staged.remove()
    with pytest.raises(HestamiError):
        await stage_bytes(data, "roof.png", max_bytes=len(data) - 1, directory=str(tmp_path))
    assert leftovers(tmp_path) == []


# --- the JSON body limit, through the app ------------------------------------------------------------------


async def test_a_json_body_over_the_limit(
    app: FastAPI, client: httpx.AsyncClient, member: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = "/api/v1/rpc/organization/v1/list"
    small = await client.post(path, json={}, headers=member.headers())
    assert small.status_code == 200, small.text
    monkeypatch.setattr(app.state.runtime.settings, "max_json_body_bytes", 1024)
    big = json.dumps({"limit": 10, "padding": "x" * 2000}).encode()

    announced = await client.post(
        path, content=big, headers={**member.headers(), "Content-Type": "application/json"}
    )  # Content-Length says it
    streamed = await client.post(
        path, content=chunks(big, 100), headers={**member.headers(), "Content-Type": "application/json"}
    )  # chunked: counted as it arrives
    for response in (announced, streamed):
        assert response.status_code == 400, response.text
        error = response.json()["error"]
        assert error["code"] == "VALIDATION_FAILED"
        assert [f["code"] for f in error["field_errors"]] == ["body_too_large"]
        assert error["details"]["max_bytes"] == 1024
    assert "content-length" not in streamed.request.headers
