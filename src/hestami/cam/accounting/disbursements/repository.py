"""disbursements: repository."""
