"""Financial reports (issue 20): importing this module registers them. Statements (balance sheet, income
statement, cash flow), receivables (aged receivables, delinquency, owner statement) and the ledger (general ledger
detail, 1099 summary, reserve funding) live in their own modules."""

from hestami.cam.reporting.reports import (  # noqa: F401  (each registers its definitions)
    financial_ledger,
    financial_receivables,
    financial_statements,
)
