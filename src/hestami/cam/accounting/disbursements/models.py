"""disbursements: models."""
