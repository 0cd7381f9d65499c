"""CSV: one file for the whole report (stdlib `csv`, UTF-8 with a byte-order mark so spreadsheets read accents).

    <report title>
    <subtitle>                      (when there is one)
    <blank>
    <summary name>,<value>          (one line each, when there is a summary)
    <blank>
    <table title>
    <column titles>
    <rows>
    Total,<totals>                  ("Total" in the first column when the totals row has no label of its own)
    <blank>                         (between tables)

Numbers are plain ("1250.00", "-17.5"), dates ISO, booleans true/false, empty for none. Text that a spreadsheet
would take for a formula (starting with =, +, -, @) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from hestami.cam.reporting.definitions import ReportData, Table
from hestami.cam.reporting.render.values import csv_text

TOTAL_LABEL = "Total"


def labelled_totals(totals: Sequence[Any]) -> list[Any]:
    """A totals row with "Total" in its first column when that column has no total of its own and the row
    carries no label of its own (a text value)."""
    row = list(totals)
    if row and row[0] in (None, "") and not any(isinstance(v, str) and v for v in row):
        row[0] = TOTAL_LABEL
    return row


class CsvSink:
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    max_rows: int | None = None

    def __init__(self, path: Path) -> None:
        self._path = path
        self._file: IO[str] | None = None
        self._writer: Any = None

    def _line(self, values: Sequence[Any]) -> None:
        self._writer.writerow([csv_text(v) for v in values])

    def start(self, data: ReportData) -> None:
        self._file = self._path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file, lineterminator="\r\n")
        self._line([data.title])
        if data.subtitle:
            self._line([data.subtitle])
        if data.summary:
            self._writer.writerow([])
            for name, value in data.summary.items():
                self._line([name, value])

    def open_table(self, table: Table) -> None:
        self._writer.writerow([])
        self._line([table.title])
        self._line([c.title for c in table.columns])

    def row(self, values: Sequence[Any]) -> None:
        self._line(values)

    def close_table(self, table: Table, *, truncated: bool) -> None:
        if table.totals is not None:
            self._line(labelled_totals(table.totals))

    def finish(self, data: ReportData) -> None:
        assert self._file is not None
        self._file.close()

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
        self._path.unlink(missing_ok=True)
