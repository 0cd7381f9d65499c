"""Demo and test PDFs that carry real, extractable text.

Seed data and tests need PDFs whose text and page count are known, so extraction and search can be checked
against them. fpdf2's built-in Helvetica needs no font files but covers only latin-1, so text is folded into
latin-1 first (typographic quotes and dashes to their ASCII forms) rather than failing on them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FIXED_DATE = datetime(2024, 1, 1, tzinfo=UTC)
"""The creation date written into every generated PDF, so the same text always gives the same bytes (and hash)."""

_FONT = "Helvetica"
_TITLE_SIZE = 16
_BODY_SIZE = 11
_LINE_HEIGHT = 6

_TO_ASCII: dict[str, str] = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "--",
    "\u2015": "--",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "*",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u20ac": "EUR",
    "\u2122": "TM",
    "\u200b": "",
    "\ufeff": "",
}
"""Common non-latin-1 punctuation and its nearest ASCII spelling."""


def to_latin1(text: str) -> str:
    """`text` with every character outside latin-1 replaced by its ASCII form, its base letter, or "?"."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    """One character folded into latin-1: mapped punctuation, else its decomposition without accents, else "?"."""
    if ord(char) < 0x100:
        return char
    if char in _TO_ASCII:
        return _TO_ASCII[char]
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(part for part in decomposed if not unicodedata.combining(part))
    if base and all(ord(part) < 0x100 for part in base):
        return base
    return "?"


class _NumberedPdf(FPDF):
    """An FPDF whose pages carry a centred "Page n of N" footer."""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(_FONT, size=9)
        self.cell(0, 10, f"Page {self.page_no()} of {{nb}}", align="C")


def text_pdf(
    title: str, paragraphs: Sequence[str], *, author: str = "Hestami", created: datetime = FIXED_DATE
) -> bytes:
    """A PDF with `title` in bold at the top and `paragraphs` below, flowing onto as many pages as they need."""
    pdf = _NumberedPdf(format="Letter")
    pdf.set_title(to_latin1(title))
    pdf.set_author(to_latin1(author))
    pdf.set_creation_date(created)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font(_FONT, style="B", size=_TITLE_SIZE)
    pdf.multi_cell(0, 9, to_latin1(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(_FONT, size=_BODY_SIZE)
    for paragraph in paragraphs:
        pdf.multi_cell(0, _LINE_HEIGHT, to_latin1(paragraph), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)
    return bytes(pdf.output())
