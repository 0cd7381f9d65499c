"""XLSX: XlsxWriter in `constant_memory` mode (each row goes to a temporary file as soon as the next one begins, so
memory stays flat however long the table; strings are written inline).

A "Summary" sheet first (title, subtitle, the summary figures, and which sheet holds which table), then a sheet
per table: the column titles in bold on the first row (frozen, with a filter), the rows, the totals row in bold.
Money cells are numbers formatted `#,##0.00`, percent cells numbers in percentage points formatted `0.00"%"`
(the same number as the JSON), dates real dates, datetimes in UTC (a spreadsheet has no time zones). Text never
becomes a formula: the workbook's string-to-formula/number/URL conversions are off and every `str` is written with
`write_string`. Decimals are handed to the writer as they are (it prints them with up to 16 significant digits,
never through a float).

A sheet holds at most 1,048,576 rows: a table longer than that goes on in a continuation sheet ("<title> (2)")
with the same header row.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from hestami.cam.reporting.definitions import Column, ColumnKind, ReportData, Table
from hestami.cam.reporting.render.csv_file import labelled_totals
from hestami.cam.reporting.render.values import naive_utc

SUMMARY_SHEET = "Summary"
MAX_SHEET_NAME = 31
MAX_TEXT = 32_767
"""The most characters a cell holds."""
MAX_ROWS = 1_048_576
"""The most rows a sheet holds (the header row included)."""

NUMBER_FORMATS: dict[ColumnKind, str] = {
    "money": "#,##0.00",
    "percent": '0.00"%"',
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm:ss",
}
WIDTHS: dict[ColumnKind, float] = {
    "text": 32,
    "money": 15,
    "number": 12,
    "percent": 10,
    "date": 12,
    "datetime": 20,
    "bool": 8,
}
_INVALID_IN_SHEET_NAME = re.compile(r"[\\*?:/\[\]]")
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 does not allow (tab, line feed and carriage return are allowed)."""

_Put = Callable[[int, Any], None]
"""Writes one value of a row into its column (the row number, the value)."""


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts for `title`: no `\\ * ? : / [ ]` nor control characters, no apostrophe at either
    end, at most 31 characters, unique in the workbook regardless of case (" (2)", " (3)" ... added when needed)."""
    base = _INVALID_IN_SHEET_NAME.sub(" ", _ILLEGAL_CHARACTERS.sub("", title)).strip().strip("'").strip() or "Table"
    name = base[:MAX_SHEET_NAME].rstrip()
    number = 2
    while name.casefold() in taken:
        suffix = f" ({number})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name.casefold())
    return name


def _text(value: str) -> str:
    if not value.isprintable():  # the common case (no control character at all) costs one quick scan
        value = _ILLEGAL_CHARACTERS.sub("", value)
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _number_format(value: Any, kind: ColumnKind) -> str | None:
    """The format of a number or date in a column of `kind`: the column's own, two-place Decimals as money
    wherever they are, dates and datetimes always as such."""
    if isinstance(value, date):  # datetime included
        if kind in ("date", "datetime"):
            return NUMBER_FORMATS[kind]
        return NUMBER_FORMATS["datetime" if isinstance(value, datetime) else "date"]
    if not _is_number(value):
        return None
    if kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[kind]
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        return NUMBER_FORMATS["money"]
    return None


class XlsxSink:
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"
    max_rows: int | None = None

    def __init__(self, path: Path) -> None:
        self._path = path
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,  # text stays text (formula injection)
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "nan_inf_to_errors": True,  # a float NaN or infinity becomes #NUM! / #DIV/0!, not an exception
            },
        )
        self._taken: set[str] = set()
        self._formats: dict[tuple[str | None, bool], Format | None] = {}
        self._sheet: Worksheet | None = None
        self._row = 0
        """The next row of the open sheet (0-based)."""
        self._table: Table | None = None
        self._sheet_rows = 0
        """Data rows on the open table's current sheet (for its filter)."""
        self._puts: list[_Put] = []
        """One writer per column of the open table, chosen once by the column's kind."""

    def _format(self, number_format: str | None, *, bold: bool = False) -> Format | None:
        key = (number_format, bold)
        if key not in self._formats:
            properties: dict[str, Any] = {}
            if number_format is not None:
                properties["num_format"] = number_format
            if bold:
                properties["bold"] = True
            self._formats[key] = self._book.add_format(properties) if properties else None
        return self._formats[key]

    def _write(self, row: int, col: int, value: Any, *, kind: ColumnKind = "text", bold: bool = False) -> None:
        """One value, whatever its type, formatted for a column of `kind`."""
        sheet = self._sheet
        assert sheet is not None
        if value is None:
            return
        if isinstance(value, str):
            sheet.write_string(row, col, _text(value), self._format(None, bold=bold))
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, self._format(None, bold=bold))
        elif isinstance(value, date):  # datetime included
            value = naive_utc(value) if isinstance(value, datetime) else value
            sheet.write_datetime(row, col, value, self._format(_number_format(value, kind), bold=bold))
        elif _is_number(value):
            sheet.write_number(row, col, value, self._format(_number_format(value, kind), bold=bold))
        else:
            sheet.write_string(row, col, _text(str(value)), self._format(None, bold=bold))

    def _put(self, col: int, column: Column) -> _Put:
        """The writer of column `col`: the common case of its kind first, anything else through `_write`."""
        sheet = self._sheet
        assert sheet is not None
        kind = column.kind
        write = self._write
        if kind in ("money", "percent"):
            styled = self._format(NUMBER_FORMATS[kind])

            def put_number(row: int, value: Any) -> None:
                if value.__class__ is Decimal or value.__class__ is int:
                    sheet.write_number(row, col, value, styled)
                elif value is not None:
                    write(row, col, value, kind=kind)

            return put_number
        if kind in ("date", "datetime"):
            styled = self._format(NUMBER_FORMATS[kind])

            def put_date(row: int, value: Any) -> None:
                if value.__class__ is date:
                    sheet.write_datetime(row, col, value, styled)
                elif value.__class__ is datetime:
                    sheet.write_datetime(row, col, naive_utc(value), styled)
                elif value is not None:
                    write(row, col, value, kind=kind)

            return put_date

        def put_any(row: int, value: Any) -> None:
            if value.__class__ is str:
                sheet.write_string(row, col, _text(value))
            elif value is not None:
                write(row, col, value, kind=kind)

        return put_any

    def start(self, data: ReportData) -> None:
        self._sheet = sheet = self._book.add_worksheet(SUMMARY_SHEET)
        self._taken.add(SUMMARY_SHEET.casefold())
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 48)
        sheet.write_string(0, 0, _text(data.title), self._book.add_format({"bold": True, "font_size": 14}))
        row = 1
        if data.subtitle:
            sheet.write_string(row, 0, _text(data.subtitle))
            row += 1
        if data.summary:
            row += 1
            for name, value in data.summary.items():
                self._write(row, 0, str(name), bold=True)
                self._write(row, 1, value)
                row += 1
        if data.tables:
            row += 1
            self._write(row, 0, "Sheet", bold=True)
            self._write(row, 1, "Table", bold=True)
            row += 1
            taken = set(self._taken)
            for table in data.tables:
                sheet.write_string(row, 0, sheet_name(table.title or table.key, taken))
                sheet.write_string(row, 1, _text(table.title))
                row += 1

    def _new_sheet(self, table: Table) -> None:
        """A sheet for `table` (or for its continuation): widths, the bold header row, frozen below it."""
        self._sheet = sheet = self._book.add_worksheet(sheet_name(table.title or table.key, self._taken))
        for index, column in enumerate(table.columns):
            width = max(WIDTHS.get(column.kind, 14), min(len(column.title) + 2, 40))
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 0)
        for index, column in enumerate(table.columns):
            self._write(0, index, column.title, bold=True)
        self._row = 1
        self._sheet_rows = 0
        self._puts = [self._put(index, column) for index, column in enumerate(table.columns)]

    def _end_sheet(self, table: Table) -> None:
        """The filter over the header and the data rows of the open sheet."""
        assert self._sheet is not None
        if table.columns:
            self._sheet.autofilter(0, 0, self._sheet_rows, len(table.columns) - 1)

    def open_table(self, table: Table) -> None:
        self._table = table
        self._new_sheet(table)

    def row(self, values: Sequence[Any]) -> None:
        if self._row >= MAX_ROWS:
            assert self._table is not None
            self._end_sheet(self._table)
            self._new_sheet(self._table)
        row = self._row
        puts = self._puts
        if len(values) <= len(puts):
            for put, value in zip(puts, values, strict=False):
                put(row, value)
        else:
            for col, value in enumerate(values):
                if col < len(puts):
                    puts[col](row, value)
                else:
                    self._write(row, col, value)
        self._row = row + 1
        self._sheet_rows += 1

    def close_table(self, table: Table, *, truncated: bool) -> None:
        if self._row >= MAX_ROWS and table.totals is not None:
            self._end_sheet(table)
            self._new_sheet(table)
        self._end_sheet(table)
        if table.totals is not None:
            kinds = [c.kind for c in table.columns]
            for col, value in enumerate(labelled_totals(table.totals)):
                self._write(self._row, col, value, kind=kinds[col] if col < len(kinds) else "text", bold=True)
            self._row += 1
        self._table = None

    def finish(self, data: ReportData) -> None:
        try:
            self._book.close()
        finally:
            self._remove_row_files()

    def discard(self) -> None:
        self._book.fileclosed = True  # nothing more is written (and no warning that close() was never called)
        self._remove_row_files()
        self._path.unlink(missing_ok=True)

    def _remove_row_files(self) -> None:
        """Closes and removes the sheets' temporary row files (`close` removes those of sheets that have rows)."""
        for sheet in self._book.worksheets():
            handle = getattr(sheet, "row_data_fh", None)
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
            filename = getattr(sheet, "row_data_filename", None)
            if filename:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(filename)
