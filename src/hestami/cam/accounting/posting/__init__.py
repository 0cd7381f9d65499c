"""Domain 2's assessmentPosting_v1: scheduled posting of each period's charges, late fees and delinquency escalation."""
