"""Document categories and the content types each accepts.

The category says what a document is for, and so what it can sensibly be: a budget may be a spreadsheet, a
photo may not be a PDF. Checking the sniffed type against the category at upload time keeps the library
usable (previews, text search) and refuses files that are plainly in the wrong place.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from hestami.cam.documents.content.sniff import (
    DOCX,
    GIF,
    HEIC,
    JPEG,
    KNOWN_TYPES,
    PDF,
    PNG,
    TEXT,
    TIFF,
    WEBP,
    XLSX,
)


class Category(StrEnum):
    """What a document is, as an association files it."""

    CC_AND_RS = "CC_AND_RS"
    BYLAWS = "BYLAWS"
    ARTICLES = "ARTICLES"
    RULES = "RULES"
    POLICY = "POLICY"
    FINANCIAL_REPORT = "FINANCIAL_REPORT"
    BUDGET = "BUDGET"
    CONTRACT = "CONTRACT"
    INSURANCE = "INSURANCE"
    RESERVE_STUDY = "RESERVE_STUDY"
    ARC_PLAN = "ARC_PLAN"
    INSPECTION_REPORT = "INSPECTION_REPORT"
    NOTICE = "NOTICE"
    MINUTES = "MINUTES"
    PHOTO = "PHOTO"
    CORRESPONDENCE = "CORRESPONDENCE"
    OTHER = "OTHER"


DOCUMENTS: frozenset[str] = frozenset({PDF, DOCX, TEXT})
"""Written documents: governing documents, letters, minutes."""

SPREADSHEETS: frozenset[str] = frozenset({XLSX, TEXT})
"""Tabular data; plain text admits CSV exports, which sniff as text."""

IMAGES: frozenset[str] = frozenset({PNG, JPEG, GIF, WEBP, TIFF, HEIC})
"""Photos and scans."""

_PLANS: frozenset[str] = frozenset({PDF}) | IMAGES
"""Plans and inspection reports come as drawings or scans: a PDF or pictures, not an editable document."""

_ACCEPTED: Mapping[Category, frozenset[str]] = {
    Category.CC_AND_RS: DOCUMENTS,
    Category.BYLAWS: DOCUMENTS,
    Category.ARTICLES: DOCUMENTS,
    Category.RULES: DOCUMENTS,
    Category.POLICY: DOCUMENTS,
    Category.CONTRACT: DOCUMENTS,
    Category.INSURANCE: DOCUMENTS,
    Category.NOTICE: DOCUMENTS,
    Category.MINUTES: DOCUMENTS,
    Category.CORRESPONDENCE: DOCUMENTS,
    Category.FINANCIAL_REPORT: DOCUMENTS | SPREADSHEETS,
    Category.BUDGET: DOCUMENTS | SPREADSHEETS,
    Category.RESERVE_STUDY: DOCUMENTS | SPREADSHEETS,
    Category.ARC_PLAN: _PLANS,
    Category.INSPECTION_REPORT: _PLANS,
    Category.PHOTO: IMAGES,
    Category.OTHER: KNOWN_TYPES,
}


def accepts(category: Category, content_type: str) -> bool:
    """Whether a file of `content_type` (as sniffed, not as declared) may be filed under `category`."""
    return content_type in _ACCEPTED[category]


def accepted_types(category: Category) -> tuple[str, ...]:
    """The types `category` accepts, sorted so error messages are stable."""
    return tuple(sorted(_ACCEPTED[category]))
