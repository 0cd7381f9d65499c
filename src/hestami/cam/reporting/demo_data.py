"""The demo's reports at Sunset Ridge: the monthly board packet (the balance sheet and the income statement as PDFs,
to the manager and a board member) and one finished PDF of each financial report, with the parameters a manager
would pick (the income statement and cash flow over the last twelve months, the 1099 summary for this year)."""

from __future__ import annotations

from datetime import date
from typing import Any

ORGANIZATION = "sunset-ridge-hoa"
ASSOCIATION = "Sunset Ridge Homeowners Association"
FORMAT = "PDF"

PACKET = ("balance_sheet", "income_statement")
"""The board packet: one MONTHLY schedule for each (a schedule generates one report)."""
PACKET_DAY = 28
"""Late in the month: a schedule's run takes the default period, this month to date, so the packet covers (almost)
the whole month, against the month before."""
PACKET_PARAMETERS: dict[str, dict[str, Any]] = {"income_statement": {"compare": "PRIOR_PERIOD"}}
RECIPIENTS = ("manager", "board")

FINANCIAL = (
    "balance_sheet", "income_statement", "cash_flow", "aged_receivables", "delinquency", "general_ledger_detail",
    "form_1099_summary", "reserve_funding",
)  # fmt: skip
"""The financial reports (issue 20) run once each: by name, so the ones defined at seed time, and never a test's."""


def months_back(today: date, months: int) -> date:
    """The first day of the month `months` before today's."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1)


def run_parameters(report: str, today: date) -> dict[str, Any]:
    """A finished run's parameters besides the association (the rest take their defaults: today, this month)."""
    twelve_months = {"start": months_back(today, 11).isoformat(), "end": today.isoformat()}
    chosen: dict[str, dict[str, Any]] = {
        "income_statement": twelve_months,
        "cash_flow": twelve_months,
        "form_1099_summary": {"year": today.year},
    }
    return chosen.get(report, {})
