"""The standard HOA chart of accounts, seeded for every new association (and by `glAccount/v1/seedDefaults`).

Numbering follows common practice: 1xxx assets, 2xxx liabilities, 3xxx fund balances, 4xxx revenue,
5xxx-6xxx operating expenses, 7xxx-8xxx reserve expenditures. `role` names the accounts the ledger posts to
on its own (receivables, prepaid assessments, due to / due from between funds, ...).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChartAccount:
    number: str
    name: str
    type: str
    fund: str
    role: str | None = None
    parent: str | None = None

    @property
    def normal_balance(self) -> str:
        return "DEBIT" if self.type in ("ASSET", "EXPENSE") else "CREDIT"


OPERATING = "OPERATING"
RESERVE = "RESERVE"

A, L, Q, R, X = "ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE"

STANDARD_CHART: tuple[ChartAccount, ...] = (
    ChartAccount("1000", "Cash - Operating", A, OPERATING),
    ChartAccount("1010", "Operating Checking", A, OPERATING, "CASH_OPERATING", "1000"),
    ChartAccount("1020", "Operating Money Market", A, OPERATING, None, "1000"),
    ChartAccount("1030", "Petty Cash", A, OPERATING, None, "1000"),
    ChartAccount("1100", "Cash - Reserve", A, RESERVE),
    ChartAccount("1110", "Reserve Savings", A, RESERVE, "CASH_RESERVE", "1100"),
    ChartAccount("1120", "Reserve Money Market", A, RESERVE, None, "1100"),
    ChartAccount("1130", "Reserve Certificates of Deposit", A, RESERVE, None, "1100"),
    ChartAccount("1200", "Assessments Receivable", A, OPERATING, "AR"),
    ChartAccount("1210", "Allowance for Doubtful Accounts", A, OPERATING),
    ChartAccount("1300", "Prepaid Expenses", A, OPERATING),
    ChartAccount("1310", "Prepaid Insurance", A, OPERATING, None, "1300"),
    ChartAccount("1400", "Due from Reserve Fund", A, OPERATING, "DUE_FROM_RESERVE"),
    ChartAccount("1410", "Due from Operating Fund", A, RESERVE, "DUE_FROM_OPERATING"),
    ChartAccount("1500", "Utility Deposits", A, OPERATING),
    ChartAccount("2000", "Accounts Payable", L, OPERATING, "AP"),
    ChartAccount("2010", "Accrued Expenses", L, OPERATING),
    ChartAccount("2100", "Prepaid Assessments", L, OPERATING, "PREPAID"),
    ChartAccount("2200", "Deferred Income", L, OPERATING),
    ChartAccount("2300", "Security Deposits Held", L, OPERATING),
    ChartAccount("2400", "Due to Reserve Fund", L, OPERATING, "DUE_TO_RESERVE"),
    ChartAccount("2410", "Due to Operating Fund", L, RESERVE, "DUE_TO_OPERATING"),
    ChartAccount("2500", "Income Taxes Payable", L, OPERATING),
    ChartAccount("3000", "Operating Fund Balance", Q, OPERATING, "FUND_BALANCE_OPERATING"),
    ChartAccount("3100", "Reserve Fund Balance", Q, RESERVE, "FUND_BALANCE_RESERVE"),
    ChartAccount("4000", "Regular Assessments", R, OPERATING, "ASSESSMENT_INCOME"),
    ChartAccount("4100", "Special Assessments", R, OPERATING, "SPECIAL_ASSESSMENT_INCOME"),
    ChartAccount("4200", "Reserve Contributions", R, RESERVE, "RESERVE_CONTRIBUTION_INCOME"),
    ChartAccount("4300", "Late Fees", R, OPERATING, "LATE_FEE_INCOME"),
    ChartAccount("4400", "Fines", R, OPERATING, "FINE_INCOME"),
    ChartAccount("4500", "Interest Income - Operating", R, OPERATING),
    ChartAccount("4510", "Interest Income - Reserve", R, RESERVE),
    ChartAccount("4600", "Amenity and Rental Fees", R, OPERATING),
    ChartAccount("4700", "Resale Certificate Fees", R, OPERATING),
    ChartAccount("4900", "Miscellaneous Income", R, OPERATING),
    ChartAccount("5000", "Management Fees", X, OPERATING),
    ChartAccount("5100", "Insurance", X, OPERATING),
    ChartAccount("5200", "Utilities", X, OPERATING),
    ChartAccount("5210", "Electricity", X, OPERATING, None, "5200"),
    ChartAccount("5220", "Water and Sewer", X, OPERATING, None, "5200"),
    ChartAccount("5230", "Trash Removal", X, OPERATING, None, "5200"),
    ChartAccount("5300", "Landscaping", X, OPERATING),
    ChartAccount("5400", "Repairs and Maintenance", X, OPERATING, "REPAIRS_EXPENSE"),
    ChartAccount("5410", "Pool Maintenance", X, OPERATING, None, "5400"),
    ChartAccount("5420", "Gate and Access Maintenance", X, OPERATING, None, "5400"),
    ChartAccount("5430", "Plumbing Repairs", X, OPERATING, None, "5400"),
    ChartAccount("5500", "Janitorial", X, OPERATING),
    ChartAccount("5600", "Security", X, OPERATING),
    ChartAccount("6000", "Legal Fees", X, OPERATING),
    ChartAccount("6100", "Audit and Tax Preparation", X, OPERATING),
    ChartAccount("6200", "Office and Administrative", X, OPERATING),
    ChartAccount("6210", "Postage and Printing", X, OPERATING, None, "6200"),
    ChartAccount("6300", "Bad Debt", X, OPERATING),
    ChartAccount("6400", "Bank Fees", X, OPERATING),
    ChartAccount("6500", "Income Taxes", X, OPERATING),
    ChartAccount("7000", "Reserve Expenditures", X, RESERVE, "RESERVE_EXPENSE"),
    ChartAccount("7100", "Roofing Replacement", X, RESERVE, None, "7000"),
    ChartAccount("7200", "Paving and Concrete", X, RESERVE, None, "7000"),
    ChartAccount("7300", "Pool Resurfacing", X, RESERVE, None, "7000"),
    ChartAccount("7400", "Painting", X, RESERVE, None, "7000"),
    ChartAccount("7500", "Fencing and Gates", X, RESERVE, None, "7000"),
    ChartAccount("7600", "Elevators", X, RESERVE, None, "7000"),
    ChartAccount("7700", "Reserve Study", X, RESERVE, None, "7000"),
)
