"""Domain 2's use cases: chart of accounts, journal, assessments, receipts, payables, banks, reports."""
