"""How one value of a report reads in each output, and how a table's rows are walked.

Values are what `definitions` allows: `str`, `int`, `Decimal`, `date`, `datetime`, `bool`, `None` (and a float
should one slip through). A `percent` value is in percentage points (`Decimal("67.50")` is 67.5 %), as the
domains compute it (e.g. a reserve's percent funded).
"""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, AsyncIterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hestami.cam.reporting.definitions import ColumnKind, Rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (CSV injection): such text is written
with a leading apostrophe in CSV and as a string cell (never a formula) in XLSX."""


def decimal_text(value: Decimal) -> str:
    """A Decimal with exactly its places, never in exponent form (`Decimal("1250.00")` -> "1250.00")."""
    return format(value, "f")


def json_value(value: Any) -> Any:
    """A value as JSON holds it: Decimal as a string with its places, dates and datetimes ISO, the rest as is."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):  # datetime included
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def csv_text(value: Any) -> str:
    """A value as one CSV field: plain numbers ("1250.00"), ISO dates, true/false, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def display_text(value: Any, kind: ColumnKind) -> str:
    """A value as a person reads it (PDF): money grouped with two places, percent with its sign, ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal | int | float) and kind in ("money", "number", "percent"):
        if kind == "money":
            text = f"{value:,.2f}"
        elif isinstance(value, Decimal):
            text = f"{value:,f}"
        else:
            text = f"{value:,}"
        return text + "%" if kind == "percent" else text
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return decimal_text(value)
    return str(value)


def naive_utc(value: datetime) -> datetime:
    """A datetime a spreadsheet can hold: aware ones converted to UTC and stripped of their zone."""
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def chart_number(value: Decimal | float | int | None) -> float:
    """A chart value for the plotting library (the one place money becomes a float): None is a gap."""
    return math.nan if value is None else float(value)


async def each_row(rows: Rows) -> AsyncGenerator[Sequence[Any], None]:
    """Every row of a table once, in order, whether the table holds a list or streams them. A streamed table's
    iterator is closed when this one is (a reader that stops early releases the producer's cursor)."""
    if isinstance(rows, AsyncIterable):
        iterator = aiter(rows)
        try:
            async for row in iterator:
                yield row
        finally:
            close = getattr(iterator, "aclose", None)
            if close is not None:
                await close()
    else:
        for row in rows:
            yield row
