"""Content-type detection from a file's first bytes.

The client's file name and declared type are not trusted: a PDF renamed `.png` is still a PDF, and an executable
renamed `.pdf` is not one. So the type comes from the bytes alone; binary formats by their signatures (the
`filetype` library), plain text by a UTF-8 check. Anything else is `None`, which callers treat as "not accepted".
"""

from __future__ import annotations

import codecs
import unicodedata

import filetype

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TIFF = "image/tiff"
HEIC = "image/heic"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
WAV = "audio/x-wav"
MP3 = "audio/mpeg"
M4A = "audio/mp4"
AAC = "audio/aac"
OGG = "audio/ogg"
AMR = "audio/amr"

EXTENSIONS: dict[str, str] = {
    PDF: "pdf",
    PNG: "png",
    JPEG: "jpg",
    GIF: "gif",
    WEBP: "webp",
    TIFF: "tiff",
    HEIC: "heic",
    DOCX: "docx",
    XLSX: "xlsx",
    TEXT: "txt",
    WAV: "wav",
    MP3: "mp3",
    M4A: "m4a",
    AAC: "aac",
    OGG: "ogg",
    AMR: "amr",
}
"""The usual extension of each known type, for naming downloads (the stored name may not match the bytes)."""

KNOWN_TYPES: frozenset[str] = frozenset(EXTENSIONS)
"""Every content type `sniff` can return."""

HEAD_BYTES = 8192
"""How many leading bytes callers should pass: enough for the zip-directory peek that tells DOCX from XLSX."""

_ALIASES: dict[str, str] = {"image/apng": PNG}
"""filetype reports an animated PNG separately; it is still a PNG to every viewer, so it is treated as one."""

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_RATIO = 0.01
"""Text may carry the odd stray control character (a pasted escape, a form feed), but binary data has many."""


def sniff(head: bytes) -> str | None:
    """The content type of a file from its first bytes (at least `HEAD_BYTES` of them, or the whole file).

    Binary signatures are checked first, so a PDF (whose header is ASCII) is never mistaken for text. A binary
    format outside `KNOWN_TYPES` (a zip, an executable) gives `None` rather than falling through to the text check.
    """
    if not head:
        return None
    kind = filetype.guess(head)
    if kind is not None:
        mime = _ALIASES.get(kind.mime, kind.mime)
        return mime if mime in KNOWN_TYPES else None
    return TEXT if looks_like_text(head) else None


def looks_like_text(head: bytes) -> bool:
    """Whether `head` is the start of a UTF-8 text file.

    The head is usually a cut of a longer file, so a multi-byte character split at the end is allowed (the
    incremental decoder holds it back instead of failing). NUL never appears in text and marks binary data.
    """
    if b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    controls = sum(1 for char in text if _is_stray_control(char))
    return controls <= len(text) * _MAX_CONTROL_RATIO


def _is_stray_control(char: str) -> bool:
    """A control character that ordinary text would not contain (tabs, newlines and form feeds are fine)."""
    return char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"
