"""PDF: fpdf2 with its core Helvetica (text folded into latin-1 as the documents' PDFs do).

The title, subtitle and summary; the charts (matplotlib PNGs) with their titles; then each table: its title, the
column headers in bold (repeated at the top of every page the table runs onto), the rows (money and numbers
right-aligned, money grouped with two places), the totals row in bold. A table of more than
`LANDSCAPE_COLUMNS` columns is laid out on landscape pages. Text too long for its column is cut with "...".

fpdf2 holds every page in memory until the file is written, so a PDF shows at most `PDF_MAX_ROWS` rows over all
its tables; where the limit falls, the table ends with a note pointing to CSV or XLSX for the whole report.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from hestami.cam.documents.content.pdfgen import to_latin1
from hestami.cam.reporting.definitions import Column, ColumnKind, ReportData, Table
from hestami.cam.reporting.render.csv_file import labelled_totals
from hestami.cam.reporting.render.values import display_text

PDF_MAX_ROWS = 20_000
LANDSCAPE_COLUMNS = 6
TRUNCATED_NOTE = "truncated: this PDF shows the first {rows:,} rows of the report; use CSV or XLSX for every row"

_FONT = "Helvetica"
_ROW_HEIGHT = 5.5
_BODY_SIZE = 8
_WEIGHTS: dict[ColumnKind, float] = {
    "text": 3.0,
    "money": 1.5,
    "number": 1.1,
    "percent": 1.0,
    "date": 1.3,
    "datetime": 1.9,
    "bool": 0.8,
}
_RIGHT: frozenset[ColumnKind] = frozenset({"money", "number", "percent"})

Orientation = Literal["P", "L"]


class _ReportPdf(FPDF):
    """Pages footed with the report's title and "Page n of N"."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(_FONT, size=7)
        self.set_text_color(110)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0)


def _summary_kind(value: Any) -> ColumnKind:
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        return "money"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return "number"
    return "text"


class PdfSink:
    content_type = "application/pdf"
    extension = "pdf"
    max_rows: int | None = PDF_MAX_ROWS

    def __init__(self, path: Path) -> None:
        self._path = path
        self._pdf = _ReportPdf(orientation="P", unit="mm", format="Letter")
        self._pdf.set_auto_page_break(auto=True, margin=15)
        self._orientation: Orientation = "P"
        self._columns: Sequence[Column] = ()
        self._widths: list[float] = []
        self._table_title = ""

    def _text(self, value: str) -> str:
        return to_latin1(value)

    def _fit(self, text: str, width: float) -> str:
        """`text` cut with "..." so that it fits in a cell of `width` (the cell's own margins left out)."""
        room = width - 2 * self._pdf.c_margin
        if self._pdf.get_string_width(text) <= room:
            return text
        while text and self._pdf.get_string_width(text + "...") > room:
            text = text[: max(len(text) * 3 // 4, len(text) - 8)] if len(text) > 24 else text[:-1]
        return text + "..."

    def _paragraph(self, text: str, *, size: float, style: str = "", height: float = 6) -> None:
        self._pdf.set_font(_FONT, style=style, size=size)
        self._pdf.multi_cell(0, height, self._text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def start(self, data: ReportData) -> None:
        pdf = self._pdf
        pdf.set_title(self._text(data.title))
        pdf.set_author("Hestami")
        pdf.footer_text = self._text(data.title)
        pdf.add_page(orientation="P")
        self._paragraph(data.title, size=16, style="B", height=8)
        if data.subtitle:
            self._paragraph(data.subtitle, size=11)
        if data.summary:
            pdf.ln(3)
            label_width = pdf.epw * 0.45
            for name, value in data.summary.items():
                pdf.set_font(_FONT, style="B", size=10)
                pdf.cell(label_width, 6, self._fit(self._text(str(name)), label_width))
                pdf.set_font(_FONT, size=10)
                kind = _summary_kind(value)
                pdf.cell(
                    pdf.epw * 0.25,
                    6,
                    self._text(display_text(value, kind)),
                    align="R" if kind != "text" else "L",
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
        if data.charts:
            # imported here: matplotlib costs half a second at import, paid only when a chart is drawn
            from hestami.cam.reporting.render import charts

            for chart in data.charts:
                image = charts.png(chart)
                height = pdf.epw * charts.ASPECT
                if pdf.will_page_break(height + 10):
                    pdf.add_page(orientation=self._orientation)
                pdf.ln(4)
                self._paragraph(chart.title, size=11, style="B")
                pdf.image(BytesIO(image), w=pdf.epw, h=height)

    def _needs(self, table: Table) -> Orientation:
        return "L" if len(table.columns) > LANDSCAPE_COLUMNS else "P"

    def _header(self) -> None:
        pdf = self._pdf
        pdf.set_font(_FONT, style="B", size=_BODY_SIZE)
        pdf.set_fill_color(230)
        for column, width in zip(self._columns, self._widths, strict=True):
            align = "R" if column.kind in _RIGHT else "L"
            pdf.cell(width, _ROW_HEIGHT + 0.5, self._fit(self._text(column.title), width), border="B", align=align,
                     fill=True)  # fmt: skip
        pdf.ln(_ROW_HEIGHT + 0.5)
        pdf.set_font(_FONT, size=_BODY_SIZE)

    def _break_if_needed(self, height: float) -> None:
        if self._pdf.will_page_break(height):
            self._pdf.add_page(orientation=self._orientation)
            self._pdf.set_font(_FONT, style="I", size=_BODY_SIZE)
            self._pdf.cell(0, _ROW_HEIGHT, self._fit(self._text(f"{self._table_title} (continued)"), self._pdf.epw),
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
            self._header()

    def open_table(self, table: Table) -> None:
        pdf = self._pdf
        needed = self._needs(table)
        if needed != self._orientation or pdf.will_page_break(8 + 4 * _ROW_HEIGHT):
            self._orientation = needed
            pdf.add_page(orientation=needed)
        else:
            pdf.ln(6)
        self._columns = list(table.columns)
        self._table_title = table.title
        weights = [_WEIGHTS.get(c.kind, 1.0) for c in self._columns]
        total = sum(weights) or 1.0
        self._widths = [pdf.epw * w / total for w in weights]
        self._paragraph(table.title, size=12, style="B", height=7)
        if self._columns:
            self._header()

    def _line(self, values: Sequence[Any], *, bold: bool = False) -> None:
        pdf = self._pdf
        self._break_if_needed(_ROW_HEIGHT)
        if bold:
            pdf.set_font(_FONT, style="B", size=_BODY_SIZE)
        for index, (column, width) in enumerate(zip(self._columns, self._widths, strict=True)):
            value = values[index] if index < len(values) else None
            text = self._fit(self._text(display_text(value, column.kind)), width)
            pdf.cell(width, _ROW_HEIGHT, text, border="T" if bold else 0, align="R" if column.kind in _RIGHT else "L")
        pdf.ln(_ROW_HEIGHT)
        if bold:
            pdf.set_font(_FONT, size=_BODY_SIZE)

    def row(self, values: Sequence[Any]) -> None:
        self._line(values)

    def close_table(self, table: Table, *, truncated: bool) -> None:
        pdf = self._pdf
        if truncated:
            self._break_if_needed(_ROW_HEIGHT)
            pdf.set_font(_FONT, style="I", size=_BODY_SIZE)
            pdf.cell(
                0, _ROW_HEIGHT, TRUNCATED_NOTE.format(rows=self.max_rows or 0), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.set_font(_FONT, size=_BODY_SIZE)
        if table.totals is not None and self._columns:
            totals = labelled_totals(table.totals)
            label = next((i for i, v in enumerate(totals) if isinstance(v, str) and v), None)
            if truncated and label is not None:
                totals[label] = f"{totals[label]} (all rows)"
            self._line(totals, bold=True)

    def finish(self, data: ReportData) -> None:
        self._pdf.output(str(self._path))

    def discard(self) -> None:
        self._path.unlink(missing_ok=True)
