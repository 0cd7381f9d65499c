"""What each output format implements: `write` feeds it a report piece by piece."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from hestami.cam.reporting.definitions import ReportData, Table


class Sink(Protocol):
    content_type: str
    extension: str
    max_rows: int | None
    """Rows this format holds at most over all tables (None: no limit)."""

    def start(self, data: ReportData) -> None:
        """Opens the file; writes the title, subtitle, summary (and, in a PDF, the charts)."""

    def open_table(self, table: Table) -> None:
        """A table begins: its title and column headers."""

    def row(self, values: Sequence[Any]) -> None:
        """One data row of the open table."""

    def close_table(self, table: Table, *, truncated: bool) -> None:
        """The open table ends: its totals (and a note when rows were left out)."""

    def finish(self, data: ReportData) -> None:
        """Completes and closes the file."""

    def discard(self) -> None:
        """Closes and removes a file left unfinished by an error."""
