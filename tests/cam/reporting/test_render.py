"""The renderers: one hand-built report written as JSON, CSV, XLSX and PDF, read back with a CSV parser, openpyxl
and pdfium, and the same numbers found in each; streamed tables consumed once and never held whole."""

from __future__ import annotations

import csv
import json
import re
import tracemalloc
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hestami.cam.reporting.definitions import Chart, Column, ReportData, Series, Table
from hestami.cam.reporting.render import PROGRESS_EVERY, RenderedFile, pdf, write, xlsx
from hestami.cam.reporting.render.csv_file import labelled_totals

NAME = "Zoë\u2019s Café — Unit 3"
NAME_IN_PDF = "Zoë's Café -- Unit 3"  # the core font's latin-1, as the documents' PDFs fold it
DETAIL_ROWS = 120
DETAIL_TOTAL = sum((Decimal(n) * Decimal("10.25") for n in range(DETAIL_ROWS)), Decimal(0))


def _balances() -> Table:
    return Table(
        key="balances",
        title="Balances by fund",
        columns=[
            Column("account", "Account"),
            Column("fund", "Fund"),
            Column("balance", "Balance", "money"),
            Column("share", "Share", "percent"),
        ],
        rows=[
            ["1010 Operating cash", "OPERATING", Decimal("1250.00"), Decimal("62.50")],
            ["1020 Reserve cash", "RESERVE", Decimal("750.00"), Decimal("37.50")],
            ["=HYPERLINK(evil)", "RESERVE", Decimal("-0.05"), None],
        ],
        totals=[None, None, Decimal("1999.95"), Decimal("100.00")],
    )


def _detail_row(n: int) -> list[Any]:
    return [
        date(2026, 1, 1 + n % 28),
        datetime(2026, 2, 1, 9, 30, tzinfo=UTC),
        f"{NAME} #{n}",
        Decimal(n) * Decimal("10.25"),
        n,
        n % 2 == 0,
    ]


async def _detail_rows(count: int = DETAIL_ROWS, closed: list[bool] | None = None) -> AsyncIterator[list[Any]]:
    try:
        for n in range(count):
            yield _detail_row(n)
    finally:
        if closed is not None:
            closed.append(True)


def _detail(rows: Any) -> Table:
    return Table(
        key="detail",
        title="Ledger detail",
        columns=[
            Column("entry_date", "Date", "date"),
            Column("posted_at", "Posted", "datetime"),
            Column("memo", "Memo"),
            Column("amount", "Amount", "money"),
            Column("line", "Line", "number"),
            Column("cleared", "Cleared", "bool"),
        ],
        rows=rows,
        totals=[
            None,
            None,
            None,
            DETAIL_TOTAL,
            None,
            None,
        ],
    )


def _report(rows: Any = None) -> ReportData:
    return ReportData(
        title="Balance sheet — Zoë\u2019s Café HOA",
        subtitle="As of 2026-01-31, all funds",
        summary={"Total assets": Decimal("1999.95"), "Units": 20, "Balanced": True, "As of": date(2026, 1, 31)},
        tables=[_balances(), _detail(_detail_rows() if rows is None else rows)],
        charts=[
            Chart(
                key="income_expense",
                title="Income vs expense by month",
                kind="bar",
                categories=["Jan", "Feb", "Mar"],
                series=[
                    Series("Income", [Decimal("1200.00"), Decimal("1300.50"), None]),
                    Series("Expense", [900, 1100.5, Decimal("950.25")]),
                ],
                y_label="USD",
            )
        ],
    )


def _expected_detail_json(n: int) -> list[Any]:
    return [f"2026-01-{1 + n % 28:02d}", "2026-02-01T09:30:00+00:00", f"{NAME} #{n}",
            str(Decimal(n) * Decimal("10.25")), n, n % 2 == 0]  # fmt: skip


async def test_json_holds_the_report_exactly(tmp_path: Path) -> None:
    seen: list[int] = []
    out = await write(_report(), "JSON", tmp_path / "r.json", seen.append)

    assert out == RenderedFile(tmp_path / "r.json", "application/json", "json", 3 + DETAIL_ROWS)
    assert seen == [3 + DETAIL_ROWS]  # fewer rows than PROGRESS_EVERY: the final call only
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8")) == {
        "title": "Balance sheet — Zoë\u2019s Café HOA",
        "subtitle": "As of 2026-01-31, all funds",
        "summary": {"Total assets": "1999.95", "Units": 20, "Balanced": True, "As of": "2026-01-31"},
        "tables": [
            {
                "key": "balances",
                "title": "Balances by fund",
                "columns": [
                    {"key": "account", "title": "Account", "kind": "text"},
                    {"key": "fund", "title": "Fund", "kind": "text"},
                    {"key": "balance", "title": "Balance", "kind": "money"},
                    {"key": "share", "title": "Share", "kind": "percent"},
                ],
                "rows": [
                    ["1010 Operating cash", "OPERATING", "1250.00", "62.50"],
                    ["1020 Reserve cash", "RESERVE", "750.00", "37.50"],
                    ["=HYPERLINK(evil)", "RESERVE", "-0.05", None],
                ],
                "totals": [None, None, "1999.95", "100.00"],
            },
            {
                "key": "detail",
                "title": "Ledger detail",
                "columns": [
                    {"key": "entry_date", "title": "Date", "kind": "date"},
                    {"key": "posted_at", "title": "Posted", "kind": "datetime"},
                    {"key": "memo", "title": "Memo", "kind": "text"},
                    {"key": "amount", "title": "Amount", "kind": "money"},
                    {"key": "line", "title": "Line", "kind": "number"},
                    {"key": "cleared", "title": "Cleared", "kind": "bool"},
                ],
                "rows": [_expected_detail_json(n) for n in range(DETAIL_ROWS)],
                "totals": [None, None, None, str(DETAIL_TOTAL), None, None],
            },
        ],
        "charts": [
            {
                "key": "income_expense",
                "title": "Income vs expense by month",
                "kind": "bar",
                "categories": ["Jan", "Feb", "Mar"],
                "series": [
                    {"name": "Income", "values": ["1200.00", "1300.50", None]},
                    {"name": "Expense", "values": [900, 1100.5, "950.25"]},
                ],
                "y_label": "USD",
            }
        ],
    }


async def test_csv_parses_back_to_the_same_values(tmp_path: Path) -> None:
    out = await write(_report(), "CSV", tmp_path / "r.csv")

    assert (out.content_type, out.extension, out.rows) == ("text/csv; charset=utf-8", "csv", 3 + DETAIL_ROWS)
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[:8] == [
        ["Balance sheet — Zoë\u2019s Café HOA"],
        ["As of 2026-01-31, all funds"],
        [],
        ["Total assets", "1999.95"],
        ["Units", "20"],
        ["Balanced", "true"],
        ["As of", "2026-01-31"],
        [],
    ]
    assert lines[8:15] == [
        ["Balances by fund"],
        ["Account", "Fund", "Balance", "Share"],
        ["1010 Operating cash", "OPERATING", "1250.00", "62.50"],
        ["1020 Reserve cash", "RESERVE", "750.00", "37.50"],
        ["'=HYPERLINK(evil)", "RESERVE", "-0.05", ""],  # never a formula in a spreadsheet
        ["Total", "", "1999.95", "100.00"],
        [],
    ]
    assert lines[15:17] == [["Ledger detail"], ["Date", "Posted", "Memo", "Amount", "Line", "Cleared"]]
    detail = lines[17 : 17 + DETAIL_ROWS]
    assert detail == [
        [
            f"2026-01-{1 + n % 28:02d}",
            "2026-02-01T09:30:00+00:00",
            f"{NAME} #{n}",
            str(Decimal(n) * Decimal("10.25")),
            str(n),
            "true" if n % 2 == 0 else "false",
        ]
        for n in range(DETAIL_ROWS)
    ]
    assert lines[17 + DETAIL_ROWS :] == [["Total", "", "", str(DETAIL_TOTAL), "", ""]]


def _sheet_rows(path: Path) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(path)
    return {sheet.title: [list(r) for r in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def _same_number(cell: Any, json_value: Any) -> bool:
    """An XLSX number cell against the JSON's value (a Decimal string or a number)."""
    return (
        isinstance(cell, int | float) and not isinstance(cell, bool) and Decimal(repr(cell)) == Decimal(str(json_value))
    )


async def test_xlsx_holds_the_same_numbers_as_the_json(tmp_path: Path) -> None:
    await write(_report(), "JSON", tmp_path / "r.json")
    out = await write(_report(), "XLSX", tmp_path / "r.xlsx")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))

    assert (out.extension, out.rows) == ("xlsx", 3 + DETAIL_ROWS)
    assert out.content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheets = _sheet_rows(tmp_path / "r.xlsx")
    assert list(sheets) == ["Summary", "Balances by fund", "Ledger detail"]
    summary = sheets["Summary"]
    assert summary[0][0] == report["title"]
    assert ["Total assets", 1999.95] in summary
    assert ["Units", 20] in summary
    for table in report["tables"]:
        rows = sheets[table["title"]]
        assert rows[0] == [c["title"] for c in table["columns"]]
        assert len(rows) == 1 + len(table["rows"]) + 1
        for got, want in zip(rows[1:], [*table["rows"], table["totals"]], strict=True):
            for column, cell, value in zip(table["columns"], got, want, strict=True):
                if value is None:
                    assert cell in (None, "Total")
                elif column["kind"] in ("money", "percent", "number"):
                    assert _same_number(cell, value), (column, cell, value)
                elif column["kind"] == "date":
                    assert isinstance(cell, datetime)
                    assert cell.date().isoformat() == value
                elif column["kind"] == "datetime":
                    assert cell == datetime.fromisoformat(value).replace(tzinfo=None)  # UTC, zone dropped
                else:
                    assert cell == value

    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    balances = book["Balances by fund"]
    assert balances["A1"].font.b
    assert balances["C1"].font.b
    assert balances["C2"].number_format == "#,##0.00"
    assert balances["D2"].number_format == '0.00"%"'
    assert balances["A4"].data_type == "s"  # "=HYPERLINK(evil)" stays text
    assert balances["A5"].value == "Total"
    assert balances["C5"].font.b
    assert balances.freeze_panes == "A2"
    assert book["Ledger detail"]["A2"].number_format == "yyyy-mm-dd"


def _pdf_text(path: Path) -> tuple[list[str], pdfium.PdfDocument]:
    document = pdfium.PdfDocument(path)
    return [page.get_textpage().get_text_range() for page in document], document


async def test_pdf_holds_the_titles_figures_and_chart(tmp_path: Path) -> None:
    out = await write(_report(), "PDF", tmp_path / "r.pdf")

    assert (out.content_type, out.extension, out.rows) == ("application/pdf", "pdf", 3 + DETAIL_ROWS)
    pages, document = _pdf_text(tmp_path / "r.pdf")
    text = "\n".join(pages)
    for expected in (
        "Balance sheet -- Zoë's Café HOA",
        "As of 2026-01-31, all funds",
        "Total assets",
        "1,999.95",
        "Income vs expense by month",
        "Balances by fund",
        "1,250.00",
        "750.00",
        "-0.05",
        "62.50%",
        "Ledger detail",
        f"{NAME_IN_PDF} #{DETAIL_ROWS - 1}",
        "2026-02-01 09:30+00:00",
    ):
        assert expected in text, expected
    for n in range(DETAIL_ROWS):
        assert f"{Decimal(n) * Decimal('10.25'):,.2f}" in text
    assert f"Total {DETAIL_TOTAL:,.2f}" in text
    images = [obj for page in document for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    assert len(images) == 1  # the chart
    # the detail runs over several pages: each continuation page repeats the column headers
    detail_pages = [p for p in pages if "Ledger detail (continued)" in p]
    assert len(detail_pages) >= 2
    assert all("Date Posted Memo Amount Line Cleared" in p for p in detail_pages)


async def test_pdf_turns_to_landscape_for_a_wide_table(tmp_path: Path) -> None:
    columns = [Column(f"c{i}", f"Col {i}", "money") for i in range(pdf.LANDSCAPE_COLUMNS + 2)]
    narrow = Table("narrow", "Narrow", columns[:2], [[Decimal("1.00"), Decimal("2.00")]])
    wide = Table("wide", "Wide", columns, [[Decimal(i) for i in range(len(columns))]])
    await write(ReportData(title="Wide", tables=[narrow, wide]), "PDF", tmp_path / "w.pdf")

    document = pdfium.PdfDocument(tmp_path / "w.pdf")
    sizes = [page.get_size() for page in document]
    assert sizes[0][0] < sizes[0][1]  # portrait: title and the narrow table
    assert sizes[-1][0] > sizes[-1][1]  # landscape: the wide one
    assert "Col 7" in document[len(document) - 1].get_textpage().get_text_range()


async def test_pdf_stops_at_its_row_limit_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.PdfSink, "max_rows", 50)
    closed: list[bool] = []
    later = Table("later", "Later table", [Column("a", "A", "money")], [[Decimal("7.00")]], [Decimal("7.00")])
    data = _report(_detail_rows(closed=closed))
    data.tables.append(later)
    out = await write(data, "PDF", tmp_path / "t.pdf")

    assert out.rows == 50
    assert closed == [True]  # the streamed producer was closed, not left open on its cursor
    text = "\n".join(_pdf_text(tmp_path / "t.pdf")[0])
    note = pdf.TRUNCATED_NOTE.format(rows=50)
    assert text.count(note) == 2  # the detail, and the table after it
    assert f"{NAME_IN_PDF} #46" in text
    assert f"{NAME_IN_PDF} #47" not in text
    assert "Total (all rows)" in text
    csv_out = await write(_report(), "CSV", tmp_path / "t.csv")  # the other formats have no limit
    assert csv_out.rows == 3 + DETAIL_ROWS


async def test_progress_is_reported_every_few_thousand_rows(tmp_path: Path) -> None:
    seen: list[int] = []
    count = 2 * PROGRESS_EVERY + 7
    table = Table("t", "Rows", [Column("n", "N", "number")], _numbers(count))
    out = await write(ReportData(title="Progress", tables=[table]), "CSV", tmp_path / "p.csv", seen.append)

    assert out.rows == count
    assert seen == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, count]


async def _numbers(count: int) -> AsyncIterator[list[int]]:
    for n in range(count):
        yield [n]


async def test_a_failing_producer_leaves_no_file(tmp_path: Path) -> None:
    async def failing() -> AsyncIterator[list[Any]]:
        yield _detail_row(1)
        raise RuntimeError("cursor lost")

    for fmt in ("JSON", "CSV", "XLSX", "PDF"):
        path = tmp_path / f"f.{fmt.lower()}"
        with pytest.raises(RuntimeError, match="cursor lost"):
            await write(_report(failing()), fmt, path)  # type: ignore[arg-type]
        assert not path.exists()


def test_a_totals_row_is_labelled_once() -> None:
    assert labelled_totals([None, None, Decimal("1.00")]) == ["Total", None, Decimal("1.00")]
    assert labelled_totals([None, "Total", Decimal("1.00")]) == [None, "Total", Decimal("1.00")]  # its own label
    assert labelled_totals([Decimal("2.00"), Decimal("1.00")]) == [Decimal("2.00"), Decimal("1.00")]


def test_sheet_names_are_safe_and_unique() -> None:
    taken = {"summary"}
    names = [
        xlsx.sheet_name(title, taken)
        for title in ("Summary", "Aged receivables: 30/60/90 [all]", "x" * 40, "x" * 40, "'quoted'", "")
    ]
    assert names == [
        "Summary (2)",
        "Aged receivables  30 60 90  all",
        "x" * 31,
        "x" * 27 + " (2)",
        "quoted",
        "Table",
    ]
    assert all(len(n) <= 31 for n in names)


async def test_xlsx_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    texts = ["=1+2", "+1", "-2", "@SUM(A1)", "#N/A", "http://example.com/x", "a\x01b\tc"]
    table = Table("t", "Texts", [Column("text", "Text"), Column("amount", "Amount", "money")],
                  [[t, "=3*4"] for t in texts])  # fmt: skip
    await write(ReportData(title="Texts", tables=[table]), "XLSX", tmp_path / "t.xlsx")

    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["Texts"]
    cells = [(row[0].value, row[0].data_type, row[1].value, row[1].data_type) for row in sheet.iter_rows(min_row=2)]
    assert cells == [(t.replace("\x01", ""), "s", "=3*4", "s") for t in texts]  # a control character dropped


async def test_an_xlsx_table_longer_than_a_sheet_goes_on_in_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 5)  # a header and 4 rows per sheet
    table = Table("n", "Numbers", [Column("n", "N", "number")], _numbers(9), [Decimal("36.00")])
    out = await write(ReportData(title="Long", tables=[table]), "XLSX", tmp_path / "l.xlsx")

    assert out.rows == 9
    book = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert book.sheetnames == ["Summary", "Numbers", "Numbers (2)", "Numbers (3)"]
    sheets = {name: [list(r) for r in book[name].iter_rows(values_only=True)] for name in book.sheetnames[1:]}
    assert sheets == {
        "Numbers": [["N"], [0], [1], [2], [3]],
        "Numbers (2)": [["N"], [4], [5], [6], [7]],
        "Numbers (3)": [["N"], [8], [36]],  # the totals row after the last row
    }
    assert [book[name].auto_filter.ref for name in book.sheetnames[1:]] == ["A1:A5", "A1:A5", "A1:A2"]
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames[1:])
    assert book["Numbers (3)"]["A3"].font.b


@pytest.mark.parametrize("fmt", ["CSV", "XLSX"])
async def test_a_streamed_table_is_never_held_whole(tmp_path: Path, fmt: str) -> None:
    """Memory while writing 20,000 streamed rows stays far below what the rows themselves take in memory (the
    writer's own fixed cost, under a megabyte for XLSX, is then a small share: at 10,000 rows it came within 2 % of
    the bound on a loaded machine)."""
    count = 20_000
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        whole = [_detail_row(n) for n in range(count)]
        materialized = tracemalloc.get_traced_memory()[0] - base
        del whole
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        data = ReportData(title="Big", tables=[_detail(_detail_rows(count))])
        out = await write(data, fmt, tmp_path / f"big.{fmt.lower()}")  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out.rows == count
    assert peak - base < materialized / 5, (peak - base, materialized)


_MONEY = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d{2}")

money = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2).map(
    lambda d: d + Decimal("0.00")
)
random_rows = st.lists(
    st.tuples(
        st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).map(str.strip).filter(bool),
        money,
        st.integers(min_value=-1_000_000, max_value=1_000_000),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
        st.one_of(st.none(), money),
    ),
    min_size=0,
    max_size=25,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=random_rows)
async def test_xlsx_and_pdf_hold_the_numbers_of_the_json(tmp_path: Path, rows: Sequence[tuple[Any, ...]]) -> None:
    columns = [
        Column("name", "Name"),
        Column("amount", "Amount", "money"),
        Column("count", "Count", "number"),
        Column("on", "On", "date"),
        Column("maybe", "Maybe", "money"),
    ]
    totals = [None, sum((r[1] for r in rows), Decimal("0.00")), sum(r[2] for r in rows), None, None]

    def report() -> ReportData:
        return ReportData(title="Random", tables=[Table("random", "Random", columns, [list(r) for r in rows], totals)])

    stem = tmp_path / uuid.uuid4().hex
    for fmt in ("JSON", "XLSX", "PDF"):
        await write(report(), fmt, stem.with_suffix("." + fmt.lower()))  # type: ignore[arg-type]
    table = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))["tables"][0]
    assert table["rows"] == [[r[0], str(r[1]), r[2], r[3].isoformat(), None if r[4] is None else str(r[4])]
                             for r in rows]  # fmt: skip

    sheet = _sheet_rows(stem.with_suffix(".xlsx"))["Random"]
    for got, want in zip(sheet[1:], [*table["rows"], table["totals"]], strict=True):
        for index in (1, 2, 4):
            assert (got[index] is None) if want[index] is None else _same_number(got[index], want[index])

    text = "\n".join(_pdf_text(stem.with_suffix(".pdf"))[0])
    amounts = [v for row in [*table["rows"], table["totals"]] for v in (row[1], row[4]) if v is not None]
    assert sorted(_MONEY.findall(text)) == sorted(f"{Decimal(v):,.2f}" for v in amounts)
