"""Renderers: a `ReportData` written to a JSON, CSV, XLSX or PDF file.

`write` walks the report once: the title, subtitle and summary, then each table's rows in order (a streamed table
is consumed as it comes and never held whole: memory stays flat however long the table), then the end of the
file. Each format is a `Sink` fed row by row. Rows are handed over on the event loop, with a pause every few
hundred rows so that other tasks keep running; the heavy steps at either end (drawing charts, zipping the
workbook, laying out the PDF) run in a worker thread.

A PDF holds at most `PDF_MAX_ROWS` rows over all its tables (fpdf2 keeps every page in memory until the end):
the table where the limit is reached ends with a note ("truncated: ... use CSV or XLSX") and later tables show
their headers, the same note and their totals. The other formats have no limit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from hestami.cam.reporting.definitions import ReportData
from hestami.cam.reporting.render.csv_file import CsvSink
from hestami.cam.reporting.render.json_file import JsonSink
from hestami.cam.reporting.render.pdf import PDF_MAX_ROWS, PdfSink
from hestami.cam.reporting.render.sink import Sink
from hestami.cam.reporting.render.values import each_row
from hestami.cam.reporting.render.xlsx import XlsxSink

Format = Literal["JSON", "CSV", "XLSX", "PDF"]

PROGRESS_EVERY = 2_000
"""`progress(rows_so_far)` is called after every this many rows (and once at the end)."""
YIELD_EVERY = 250
"""The event loop gets a turn after every this many rows."""

_SINKS: dict[str, Callable[[Path], Sink]] = {"JSON": JsonSink, "CSV": CsvSink, "XLSX": XlsxSink, "PDF": PdfSink}

__all__ = ["PDF_MAX_ROWS", "PROGRESS_EVERY", "Format", "RenderedFile", "write"]


@dataclass(frozen=True, slots=True)
class RenderedFile:
    path: Path
    content_type: str
    extension: str
    """Without the dot: "json", "csv", "xlsx", "pdf"."""
    rows: int
    """Data rows written over all tables (totals rows not counted; a truncated PDF counts what it shows)."""


async def write(
    data: ReportData, fmt: Format, path: Path, progress: Callable[[int], None] | None = None
) -> RenderedFile:
    """Writes `data` as `fmt` to `path` (created or replaced). Each table's rows are consumed once, in order. If
    anything fails midway (a streamed table's producer raising included), the partial file is removed and the
    error raised."""
    if fmt not in _SINKS:
        raise ValueError(f"unknown report format {fmt!r}")
    sink = _SINKS[fmt](path)
    written = 0
    try:
        await asyncio.to_thread(sink.start, data)
        for table in data.tables:
            sink.open_table(table)
            truncated = False
            async with contextlib.aclosing(each_row(table.rows)) as rows:
                async for row in rows:
                    if sink.max_rows is not None and written >= sink.max_rows:
                        truncated = True
                        break
                    sink.row(row)
                    written += 1
                    if written % YIELD_EVERY == 0:
                        if progress is not None and written % PROGRESS_EVERY == 0:
                            progress(written)
                        await asyncio.sleep(0)
            sink.close_table(table, truncated=truncated)
        await asyncio.to_thread(sink.finish, data)
    except BaseException:
        sink.discard()
        raise
    if progress is not None:
        progress(written)
    return RenderedFile(path=path, content_type=sink.content_type, extension=sink.extension, rows=written)
