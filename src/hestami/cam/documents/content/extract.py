"""Text, page count and a preview image from an uploaded file.

These run after the upload is accepted (text for search, the preview for the document list) and at upload time
(`check_readable`, to refuse a file that claims to be a PDF or an image but does not parse). They are synchronous
and do blocking I/O and CPU work, so callers run them in a thread (`asyncio.to_thread`).

pdfium is not thread-safe, and pypdfium2 does not serialise calls itself: every use of it here holds `_PDFIUM_LOCK`,
one lock for the whole process, so concurrent uploads in different threads never call into pdfium at once.
"""

from __future__ import annotations

import codecs
import io
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image, ImageOps

from hestami.cam.documents.content.rules import IMAGES
from hestami.cam.documents.content.sniff import HEIC, PDF, TEXT

Image.MAX_IMAGE_PIXELS = 80_000_000
"""Pillow refuses larger images (a decompression bomb: a few KiB that decode to gigabytes); 80 MP covers real photos."""

PAGE_SEPARATOR = "\n\f\n"
"""Between the text of consecutive PDF pages: a form feed keeps page boundaries visible in the plain text."""

_PDFIUM_LOCK = threading.Lock()

_PILLOW_CANNOT_READ: frozenset[str] = frozenset({HEIC})
"""Accepted image types that Pillow cannot decode without a plugin we do not ship: stored without a preview."""


class UnreadableFile(Exception):  # noqa: N818 -- the name the documents domain uses for this refusal
    """The file has the signature of a PDF or an image but does not parse; `reason` says why, for the uploader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Extracted:
    """What extraction found: `page_count` is only known for PDFs, `preview_png` only for PDFs and images."""

    text: str
    page_count: int | None
    preview_png: bytes | None


def extract(path: Path, content_type: str, *, max_text_chars: int = 2_000_000, preview_px: int = 512) -> Extracted:
    """Text, page count and a PNG preview (longer side `preview_px`) of the file at `path`, by its sniffed type.

    DOCX and XLSX give no text and no preview for now: reading them needs a library we have not adopted, and
    storing them without either is better than refusing them. HEIC gives no preview for the same reason.
    Raises `UnreadableFile` when a PDF or an image does not parse.
    """
    if content_type == PDF:
        return _extract_pdf(path, max_text_chars, preview_px)
    if content_type in IMAGES and content_type not in _PILLOW_CANNOT_READ:
        return Extracted(text="", page_count=None, preview_png=_image_preview(path, preview_px))
    if content_type == TEXT:
        return Extracted(text=_read_text(path, max_text_chars), page_count=None, preview_png=None)
    return Extracted(text="", page_count=None, preview_png=None)


def check_readable(path: Path, content_type: str) -> None:
    """Refuse (`UnreadableFile`) a PDF or image that does not parse, cheaply enough to run during the upload.

    A PDF must open and have at least one page; an image must pass Pillow's `verify()`, which checks the
    structure without decoding every pixel. Other types have nothing worth checking here.
    """
    if content_type == PDF:
        with _PDFIUM_LOCK:
            document = _open_pdf(path)
            try:
                pages = len(document)
            finally:
                document.close()
        if pages == 0:
            raise UnreadableFile("the PDF has no pages")
    elif content_type in IMAGES and content_type not in _PILLOW_CANNOT_READ:
        with path.open("rb") as handle:
            try:
                with Image.open(handle) as image:
                    image.verify()
            except Exception as exc:  # Pillow's decoders raise many types (SyntaxError, struct.error, ...)
                raise UnreadableFile(f"the image does not parse: {_describe(exc)}") from exc


def _open_pdf(path: Path) -> Any:
    """Open a PDF from its path (pdfium reads it lazily, so large files are not loaded whole). Hold the lock."""
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"the PDF does not parse: {_describe(exc)}") from exc


def _extract_pdf(path: Path, max_text_chars: int, preview_px: int) -> Extracted:
    """Every page's text (until `max_text_chars` is reached), the page count, and a preview of page one."""
    with _PDFIUM_LOCK:
        document = _open_pdf(path)
        try:
            page_count = len(document)
            if page_count == 0:
                raise UnreadableFile("the PDF has no pages")
            texts = _pdf_texts(document, max_text_chars)
            preview = _render_first_page(document, preview_px)
        except pdfium.PdfiumError as exc:
            raise UnreadableFile(f"the PDF does not parse: {_describe(exc)}") from exc
        finally:
            document.close()
    return Extracted(
        text=PAGE_SEPARATOR.join(texts)[:max_text_chars], page_count=page_count, preview_png=_png_bytes(preview)
    )


def _pdf_texts(document: Any, max_text_chars: int) -> list[str]:
    """The text of each page in order, stopping once the limit is passed (the rest would be trimmed anyway)."""
    texts: list[str] = []
    total = 0
    for index in range(len(document)):
        if total >= max_text_chars:
            break
        text = _page_text(document, index)
        texts.append(text)
        total += len(text) + len(PAGE_SEPARATOR)
    return texts


def _page_text(document: Any, index: int) -> str:
    """One page's text, with pdfium's CRLF line ends made plain newlines."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_bounded()
        finally:
            textpage.close()
    finally:
        page.close()
    return text.replace("\r\n", "\n")


def _render_first_page(document: Any, preview_px: int) -> Image.Image:
    """Page one rendered so its longer side is `preview_px` (up or down), as an image independent of pdfium."""
    page = document[0]
    try:
        width, height = page.get_size()
        scale = preview_px / max(width, height, 1.0)
        bitmap = page.render(scale=scale)
        try:
            # to_pil shares the bitmap's buffer, so take a copy before the bitmap is freed.
            image: Image.Image = bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()
    return _fit_longer_side(image, preview_px)


def _fit_longer_side(image: Image.Image, preview_px: int) -> Image.Image:
    """Correct the off-by-one a fractional render scale can leave, so the longer side is exactly `preview_px`."""
    longer = max(image.size)
    if longer == preview_px:
        return image
    ratio = preview_px / longer
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _image_preview(path: Path, preview_px: int) -> bytes:
    """A PNG thumbnail: upright per EXIF, longer side at most `preview_px` (small images are not enlarged)."""
    with path.open("rb") as handle:
        try:
            with Image.open(handle) as opened:
                image = ImageOps.exif_transpose(opened)
                image.thumbnail((preview_px, preview_px))
                image = image.convert(_preview_mode(image))
        except Exception as exc:  # Pillow's decoders raise many types; DecompressionBombError included
            raise UnreadableFile(f"the image does not parse: {_describe(exc)}") from exc
    return _png_bytes(image)


def _preview_mode(image: Image.Image) -> str:
    """RGBA when the image has any transparency (kept in the preview), RGB otherwise (CMYK, 16-bit, palette...)."""
    has_alpha = image.mode in {"RGBA", "LA", "PA", "La", "RGBa"} or "transparency" in image.info
    return "RGBA" if has_alpha else "RGB"


def _png_bytes(image: Image.Image) -> bytes:
    """Encode as PNG: lossless, and every browser shows it."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _read_text(path: Path, max_text_chars: int) -> str:
    """The file as UTF-8 text (bad bytes replaced), reading no more than the limit can use (4 bytes a char)."""
    limit = max_text_chars * 4
    with path.open("rb") as handle:
        data = handle.read(limit)
    # When the read stopped short of the file's end, a character cut at the end is dropped, not replaced.
    decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
    return decoder.decode(data, final=len(data) < limit)[:max_text_chars]


_FILE_OBJECTS = re.compile(r"<_io\.\w+ name=[^>]*>|'/[^']*'")


def _describe(exc: BaseException) -> str:
    """A short reason for the uploader: the exception's message, or its type when it has none."""
    message = _FILE_OBJECTS.sub("the file", str(exc))  # never the server's temporary path
    return message or type(exc).__name__
