"""Small generated files for the demo: solid-colour PNG photos and a short silent WAV voice note (base64)."""

from __future__ import annotations

import base64
import io
import struct
import wave
import zlib

COLOURS = ((70, 130, 180), (60, 179, 113), (30, 30, 30), (200, 120, 60))


def demo_png(number: int, size: int = 16) -> str:
    red, green, blue = COLOURS[number % len(COLOURS)]
    row = b"\x00" + bytes([red, green, blue]) * size
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(row * size))
    return base64.b64encode(data + _chunk(b"IEND", b"")).decode()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def demo_wav(seconds: float = 0.5) -> str:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * int(8000 * seconds))
    return base64.b64encode(buffer.getvalue()).decode()
