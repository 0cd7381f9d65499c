"""Keyset pagination with the list contract of API.md: `{limit, cursor}` in, `{items, next_cursor}` out.

The cursor is the sort key of the last row served, opaque to clients. Pages follow a total order (the
key ends with the primary key), so rows are never skipped or repeated while others are inserted.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Select, cast, literal, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from hestami.core.errors import ErrorCode, FieldError, HestamiError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageRequest(BaseModel):
    """Base of every list input; domains subclass it to add filters."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=1024, description="`next_cursor` of the previous page.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([v if isinstance(v, int | float | bool) or v is None else str(v) for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != width:
        raise HestamiError(
            ErrorCode.VALIDATION_FAILED,
            field_errors=[FieldError("/cursor", "Not a cursor this list handed out.", "cursor_invalid")],
        )
    return values


@dataclass(frozen=True, slots=True)
class SortKey:
    """Columns the list is ordered by, ascending or descending together; the last one must be unique."""

    columns: tuple[Any, ...]  # columns or ORM attributes
    descending: bool = False

    def order_by(self) -> list[ColumnElement[Any]]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def after(self, values: Sequence[Any]) -> ColumnElement[bool]:
        """Rows strictly after `values` in this order: a row comparison, which Postgres answers with an index
        on the sort columns (an expanded OR of equalities would be a filter)."""
        bounds = [cast(literal(v), c.type) for c, v in zip(self.columns, values, strict=True)]
        row, bound = tuple_(*self.columns), tuple_(*bounds)
        return row < bound if self.descending else row > bound


async def fetch_page(
    session: AsyncSession, statement: Select[Any], key: SortKey, page: PageRequest
) -> tuple[list[Any], str | None]:
    """Rows of one page (ORM objects or rows, as `statement` selects) and the cursor of the next one."""
    if page.cursor:
        statement = statement.where(key.after(decode_cursor(page.cursor, len(key.columns))))
    statement = statement.add_columns(*key.columns).order_by(*key.order_by()).limit(page.limit + 1)
    rows = (await session.execute(statement)).all()
    width = len(key.columns)
    has_more = len(rows) > page.limit
    rows = rows[: page.limit]
    items = [row[0] if len(row) - width == 1 else tuple(row[:-width]) for row in rows]
    next_cursor = encode_cursor(list(rows[-1][-width:])) if has_more and rows else None
    return items, next_cursor
