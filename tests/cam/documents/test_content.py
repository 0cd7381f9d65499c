"""The documents domain's content functions: sniffing, category rules, the scan port, extraction, PDF generation.

Pure functions over bytes and files: no database or servers needed.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from hestami.cam.documents.content.extract import Extracted, UnreadableFile, check_readable, extract
from hestami.cam.documents.content.pdfgen import text_pdf, to_latin1
from hestami.cam.documents.content.rules import Category, accepted_types, accepts
from hestami.cam.documents.content.scan import EICAR, RecordingScanner, ScanVerdict
from hestami.cam.documents.content.sniff import EXTENSIONS, KNOWN_TYPES, sniff

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PETS = "Pets must be leashed in all common areas"
FILLER = (
    "The Board of Directors adopts these rules under the authority granted by the Declaration. Owners, tenants and "
    "guests are expected to follow them, and violations are handled under the enforcement policy. "
)


def _image_bytes(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode != "L" else 128).save(buffer, format=fmt)
    return buffer.getvalue()


def _three_page_rules() -> bytes:
    paragraphs = [f"{index}. {FILLER * 3}" for index in range(1, 15)]
    paragraphs.insert(7, PETS + " \u2014 \u201cno exceptions\u201d.")
    return text_pdf("Rules and Regulations", paragraphs)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_MAGIC)
    with Image.open(io.BytesIO(data)) as image:
        return image.size


# --- sniff ----------------------------------------------------------------------------------------------------------


def test_sniff_pdf() -> None:
    assert sniff(text_pdf("Minutes", ["Called to order."])[:8192]) == "application/pdf"


@pytest.mark.parametrize(("fmt", "expected"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif")])
def test_sniff_images(fmt: str, expected: str) -> None:
    assert sniff(_image_bytes(fmt)) == expected


def test_sniff_docx_and_xlsx_like_zips() -> None:
    def office_zip(part: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(part, "<xml/>")
        return buffer.getvalue()

    assert (
        sniff(office_zip("word/document.xml"))
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert sniff(office_zip("xl/workbook.xml")) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_sniff_plain_zip_is_unknown() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.bin", b"\x00\x01")
    assert sniff(buffer.getvalue()) is None


def test_sniff_plain_text() -> None:
    assert sniff(b"Annual meeting: 7pm, clubhouse.\n\tBring your ID.\r\n") == "text/plain"


def test_sniff_text_with_multibyte_char_cut_at_the_end() -> None:
    head = ("Caf\u00e9 r\u00e8gles \u2014 " * 500).encode()[:8192]
    head = head + "\u20ac".encode()[:2]  # a three-byte character cut after two bytes
    assert sniff(head) == "text/plain"


def test_sniff_invalid_utf8_in_the_middle_is_not_text() -> None:
    assert sniff(b"hello \xff\xfe world" * 10) is None


def test_sniff_random_binary_is_unknown() -> None:
    data = random.Random(7).randbytes(8192)
    assert sniff(data) is None


def test_sniff_nul_is_not_text() -> None:
    assert sniff(b"looks like text\x00but is not") is None


def test_sniff_empty_is_unknown() -> None:
    assert sniff(b"") is None


def test_sniff_ignores_the_name(tmp_path: Path) -> None:
    path = _write(tmp_path, "photo.png", text_pdf("Bylaws", ["Article I."]))
    with path.open("rb") as handle:
        assert sniff(handle.read(8192)) == "application/pdf"


def test_every_known_type_has_an_extension() -> None:
    assert set(EXTENSIONS) == KNOWN_TYPES
    assert EXTENSIONS["application/pdf"] == "pdf"


# --- rules ----------------------------------------------------------------------------------------------------------


def test_rules() -> None:
    assert not accepts(Category.PHOTO, "application/pdf")
    assert accepts(Category.PHOTO, "image/heic")
    assert accepts(Category.ARC_PLAN, "image/jpeg")
    assert accepts(Category.ARC_PLAN, "application/pdf")
    assert not accepts(Category.ARC_PLAN, "text/plain")
    assert accepts(Category.BUDGET, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert not accepts(Category.RULES, "image/png")
    assert accepts(Category.RULES, "text/plain")
    assert all(accepts(Category.OTHER, kind) for kind in KNOWN_TYPES)
    assert not accepts(Category.OTHER, "application/zip")


def test_every_category_accepts_something_known() -> None:
    for category in Category:
        kinds = accepted_types(category)
        assert kinds
        assert list(kinds) == sorted(kinds)
        assert set(kinds) <= KNOWN_TYPES


# --- scan -----------------------------------------------------------------------------------------------------------


def _eicar() -> bytes:
    # Built from pieces so this test file is not itself flagged by a scanner.
    return b"".join([b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$", b"EICAR-STANDARD-", b"ANTIVIRUS-TEST-FILE!$H+H*"])


def test_eicar_constant() -> None:
    assert _eicar() == EICAR
    assert len(EICAR) == 68


async def test_recording_scanner_flags_eicar(tmp_path: Path) -> None:
    scanner = RecordingScanner()
    plain = _write(tmp_path, "eicar.com", _eicar())
    padded = _write(tmp_path, "eicar.txt", _eicar() + b"\r\n  \t\n")
    verdicts = [await scanner.scan(plain), await scanner.scan(padded)]
    expected = ScanVerdict(clean=False, engine="recording-scanner/1", signature="EICAR-Test-File")
    assert verdicts == [expected, expected]
    assert scanner.scans == [(str(plain), expected), (str(padded), expected)]


async def test_recording_scanner_passes_normal_files(tmp_path: Path) -> None:
    scanner = RecordingScanner()
    normal = _write(tmp_path, "minutes.pdf", text_pdf("Minutes", ["Approved."]))
    # Not EICAR by the spec: followed by other text, or longer than 128 bytes.
    trailing = _write(tmp_path, "quoted.txt", _eicar() + b" quoted in an email")
    too_long = _write(tmp_path, "long.txt", _eicar() + b" " * 100)
    for path in (normal, trailing, too_long):
        verdict = await scanner.scan(path)
        assert verdict == ScanVerdict(clean=True, engine="recording-scanner/1", signature=None)
    assert len(scanner.scans) == 3


# --- extract --------------------------------------------------------------------------------------------------------


def test_extract_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, "rules.pdf", _three_page_rules())
    result = extract(path, "application/pdf")
    assert result.page_count == 3
    assert PETS in result.text
    assert '"no exceptions"' in result.text  # curly quotes folded to ASCII by pdfgen
    assert result.text.count("\n\f\n") == 2
    assert "Rules and Regulations" in result.text.split("\f")[0]
    assert result.preview_png is not None
    width, height = _png_size(result.preview_png)
    assert max(width, height) == 512
    assert height > width  # a portrait Letter page


def test_extract_pdf_trims_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "rules.pdf", _three_page_rules())
    result = extract(path, "application/pdf", max_text_chars=100, preview_px=200)
    assert len(result.text) == 100
    assert result.page_count == 3
    assert result.preview_png is not None
    assert max(_png_size(result.preview_png)) == 200


def test_extract_pdf_renamed_as_png_by_content_type(tmp_path: Path) -> None:
    path = _write(tmp_path, "scan.png", text_pdf("Notice", ["Pool closes Monday."]))
    result = extract(path, "application/pdf")
    assert result.page_count == 1
    assert "Pool closes Monday." in result.text


@pytest.mark.parametrize(
    ("size", "mode", "fmt", "expected"),
    [
        ((2000, 1000), "RGB", "JPEG", (512, 256)),
        ((600, 1200), "RGBA", "PNG", (256, 512)),
        ((300, 300), "P", "GIF", (300, 300)),  # small images are not enlarged
        ((100, 50), "L", "PNG", (100, 50)),
    ],
)
def test_extract_image_thumbnail(
    tmp_path: Path, size: tuple[int, int], mode: str, fmt: str, expected: tuple[int, int]
) -> None:
    path = _write(tmp_path, "image.bin", _image_bytes(fmt, size, mode))
    result = extract(path, f"image/{fmt.lower()}")
    assert result.text == ""
    assert result.page_count is None
    assert result.preview_png is not None
    assert _png_size(result.preview_png) == expected


def test_extract_image_honours_exif_orientation(tmp_path: Path) -> None:
    image = Image.new("RGB", (800, 400), "blue")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90 degrees for display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    path = _write(tmp_path, "photo.jpg", buffer.getvalue())
    result = extract(path, "image/jpeg")
    assert result.preview_png is not None
    assert _png_size(result.preview_png) == (256, 512)


def test_extract_plain_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "notice.txt", "\ufeffPool closes at 9pm \u2014 no glass.\n".encode() + b"bad \xff byte")
    result = extract(path, "text/plain")
    assert result == Extracted(
        text="Pool closes at 9pm \u2014 no glass.\nbad \ufffd byte", page_count=None, preview_png=None
    )
    assert extract(path, "text/plain", max_text_chars=4).text == "Pool"


def test_extract_docx_gives_nothing_yet(tmp_path: Path) -> None:
    path = _write(tmp_path, "letter.docx", b"PK\x03\x04")
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert extract(path, kind) == Extracted(text="", page_count=None, preview_png=None)


def test_extract_unreadable_image(tmp_path: Path) -> None:
    path = _write(tmp_path, "cut.png", _image_bytes("PNG", (64, 64))[:60])
    with pytest.raises(UnreadableFile):
        extract(path, "image/png")


# --- check_readable -------------------------------------------------------------------------------------------------


def test_check_readable_accepts_good_files(tmp_path: Path) -> None:
    check_readable(_write(tmp_path, "a.pdf", text_pdf("Budget", ["Line items."])), "application/pdf")
    check_readable(_write(tmp_path, "a.png", _image_bytes("PNG")), "image/png")
    check_readable(_write(tmp_path, "a.jpg", _image_bytes("JPEG")), "image/jpeg")
    check_readable(_write(tmp_path, "a.txt", b"anything"), "text/plain")


def test_check_readable_refuses_truncated_pdf(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.pdf", b"%PDF-1.7\n garbage")
    with pytest.raises(UnreadableFile) as caught:
        check_readable(path, "application/pdf")
    assert caught.value.reason
    with pytest.raises(UnreadableFile):
        extract(path, "application/pdf")


def test_check_readable_refuses_cut_png(tmp_path: Path) -> None:
    data = _image_bytes("PNG", (64, 64))
    path = _write(tmp_path, "cut.png", data[:40])
    assert sniff(data[:40]) == "image/png"
    with pytest.raises(UnreadableFile):
        check_readable(path, "image/png")


def test_check_readable_missing_file_is_not_unreadable(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        check_readable(tmp_path / "missing.png", "image/png")


# --- pdfgen ---------------------------------------------------------------------------------------------------------


def test_text_pdf_is_deterministic_and_latin1_safe() -> None:
    first = text_pdf("Caf\u00e9 \u201cRules\u201d", ["\u2018Quiet hours\u2019 \u2013 10pm\u2026 \u4e2d"])
    assert first == text_pdf("Caf\u00e9 \u201cRules\u201d", ["\u2018Quiet hours\u2019 \u2013 10pm\u2026 \u4e2d"])
    assert first.startswith(b"%PDF-")
    assert to_latin1("\u201cA\u201d \u2014 Pozna\u0144 \u00e9 \u4e2d") == '"A" -- Poznan \u00e9 ?'


def test_decompression_bomb_is_unreadable(tmp_path: Path) -> None:
    # A PNG header claiming 20000 x 20000 pixels (400 MP): refused before any pixel is decoded.
    ihdr = struct.pack(">IIBBBBB", 20_000, 20_000, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    path = _write(tmp_path, "bomb.png", PNG_MAGIC + chunk)
    with pytest.raises(UnreadableFile):
        check_readable(path, "image/png")
    with pytest.raises(UnreadableFile):
        extract(path, "image/png")


def test_extract_pdfs_from_many_threads(tmp_path: Path) -> None:
    # pdfium is not thread-safe; the module lock must make concurrent callers safe.
    path = _write(tmp_path, "rules.pdf", _three_page_rules())
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: extract(path, "application/pdf", preview_px=128), range(12)))
    assert {result.page_count for result in results} == {3}
    assert len({result.text for result in results}) == 1
